#!/usr/bin/env bash
# Installs what `make test` needs when it is missing. Idempotent; fails loudly
# (never skips) when something cannot be installed.
set -euo pipefail

need=()
have() { command -v "$1" >/dev/null 2>&1; }

have cmake || need+=(cmake)
have gcc || need+=(gcc)
have make || need+=(make)
have python3 || need+=(python3)
have sqlite3 || need+=(sqlite3)
have llvm-mc-14 || need+=(llvm-14)
have aarch64-linux-gnu-gcc || need+=(gcc-aarch64-linux-gnu)
have aarch64-linux-gnu-objdump || need+=(binutils-aarch64-linux-gnu)
[ -e /usr/aarch64-linux-gnu/lib/libc.so.6 ] || need+=(libc6-dev-arm64-cross)
have objdump || need+=(binutils)
python3 -c 'import sqlite3' 2>/dev/null || need+=(python3)

# qemu-user 10 (bookworm-backports) is required: qemu 7.2 ignores IC IVAU, so
# code written through the dual-mapped alias is never seen (a false failure).
qemu_ok() {
  have qemu-aarch64 || return 1
  local v
  v=$(qemu-aarch64 --version | sed -n 's/.*version \([0-9]*\)\..*/\1/p' | head -1)
  [ -n "$v" ] && [ "$v" -ge 10 ]
}

apt_ready=0
apt_prepare() {
  [ "$apt_ready" = 1 ] && return 0
  if [ "$(id -u)" != 0 ]; then
    echo "install-deps: missing: ${need[*]} ${1:-}; run as root or install them" >&2
    exit 1
  fi
  if ! grep -rqs 'bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/; then
    if grep -qs 'bookworm' /etc/os-release; then
      echo 'deb http://deb.debian.org/debian bookworm-backports main' \
        > /etc/apt/sources.list.d/hyperion-backports.list
    fi
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt_ready=1
}

if [ ${#need[@]} -gt 0 ]; then
  apt_prepare
  echo "install-deps: installing ${need[*]}"
  apt-get install -y -qq "${need[@]}" >/dev/null
fi
if ! qemu_ok; then
  apt_prepare qemu-user
  echo "install-deps: installing qemu-user from bookworm-backports"
  if grep -qs 'bookworm' /etc/os-release; then
    apt-get install -y -qq -t bookworm-backports qemu-user >/dev/null
  else
    apt-get install -y -qq qemu-user >/dev/null
  fi
  qemu_ok || { echo "install-deps: qemu-aarch64 >= 10 is required (have: $(qemu-aarch64 --version 2>&1 | head -1))" >&2; exit 1; }
fi
echo "install-deps: ok ($(qemu-aarch64 --version | head -1))"

# --- DuckDB (helper T): libduckdb.so from the npm package @duckdb/node-bindings-linux-x64,
# used by the tpch_vs_duckdb test and bench/. x86-64 only; the ARM64 suite runs DuckDB on the
# x86-64 host. Needs npm (installed from apt when missing) and network on the first run.
hy_root="$(cd "$(dirname "$0")/.." && pwd)"
if [ "$(uname -m)" = x86_64 ]; then
  if ! "$hy_root/bench/fetch-duckdb.sh" --print-path >/dev/null 2>&1; then
    if ! have npm; then
      need=(npm)
      apt_prepare
      echo "install-deps: installing npm"
      apt-get install -y -qq npm >/dev/null
    fi
    "$hy_root/bench/fetch-duckdb.sh" >/dev/null ||
      { echo "install-deps: cannot fetch DuckDB with bench/fetch-duckdb.sh (network/npm?)" >&2; exit 1; }
  fi
  echo "install-deps: DuckDB at $("$hy_root/bench/fetch-duckdb.sh" --print-path)"
else
  echo "install-deps: DuckDB's npm package is x86-64 only; tpch_vs_duckdb cannot run on $(uname -m)" >&2
  exit 1
fi
