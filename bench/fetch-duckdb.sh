#!/usr/bin/env bash
# Fetch DuckDB's shared library (libduckdb.so, stable C API) from the npm package
# @duckdb/node-bindings-linux-x64 into a cache folder. Idempotent; fails loudly.
#
#   bench/fetch-duckdb.sh              fetch if missing, print the library path
#   bench/fetch-duckdb.sh --print-path print the path if present (exit 1 if not)
#
# Environment: HY_CACHE (default ~/.cache/hyperion), HY_DUCKDB_NPM_VERSION (pinned default).
set -euo pipefail

VERSION="${HY_DUCKDB_NPM_VERSION:-1.5.6-r.1}"
PKG="@duckdb/node-bindings-linux-x64"
CACHE="${HY_CACHE:-${HOME:-/root}/.cache/hyperion}"
DEST="$CACHE/duckdb-node-bindings-$VERSION"
LIB="$DEST/package/libduckdb.so"

if [ -f "$LIB" ]; then
  echo "$LIB"
  exit 0
fi
if [ "${1:-}" = "--print-path" ]; then
  echo "fetch-duckdb: $LIB is missing; run bench/fetch-duckdb.sh" >&2
  exit 1
fi
if [ "$(uname -m)" != "x86_64" ]; then
  echo "fetch-duckdb: $PKG only ships x86-64 Linux binaries (this is $(uname -m))" >&2
  exit 1
fi
command -v npm >/dev/null 2>&1 || { echo "fetch-duckdb: npm is required (apt-get install npm)" >&2; exit 1; }

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
echo "fetch-duckdb: npm pack $PKG@$VERSION" >&2
if ! (cd "$tmp" && npm pack --silent "$PKG@$VERSION" >/dev/null 2>"$tmp/npm.log"); then
  cat "$tmp/npm.log" >&2
  echo "fetch-duckdb: npm pack $PKG@$VERSION failed" >&2
  exit 1
fi
tgz="$(ls "$tmp"/*.tgz 2>/dev/null | head -1)"
[ -n "$tgz" ] || { echo "fetch-duckdb: npm pack produced no tarball" >&2; exit 1; }
rm -rf "$DEST.partial"
mkdir -p "$DEST.partial"
tar -xzf "$tgz" -C "$DEST.partial"
[ -f "$DEST.partial/package/libduckdb.so" ] || { echo "fetch-duckdb: libduckdb.so not in $tgz" >&2; exit 1; }
rm -rf "$DEST"
mv "$DEST.partial" "$DEST"
echo "$LIB"
