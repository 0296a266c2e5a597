#!/usr/bin/env python3
"""TPC-H Q1 and Q6 over our dbgen data must match DuckDB on the same rows.

    tpch_vs_duckdb.py --emu "<prefix or empty>" --hyperion PATH --source-dir DIR [--sf X]

1. hyperion (through the emulator) runs CALL dbgen, exports lineitem with COPY ... TO (HEADER)
   and runs Q1 and Q6 (texts from src/shell/tpch_queries.h, shared with the demo and bench);
2. a small DuckDB runner (bench/duckdb_run.c) is compiled with the HOST compiler, loads the
   CSV as DECIMAL(15,2)/DATE columns into DuckDB (libduckdb.so from the npm package
   @duckdb/node-bindings-linux-x64, fetched by bench/fetch-duckdb.sh) and runs the same texts;
3. results are compared: decimals and integers exactly, doubles to 1e-9 relative.
A missing DuckDB or compiler is a failure, never a skip.
"""
import argparse
import csv
import io
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from decimal import Decimal

ap = argparse.ArgumentParser()
ap.add_argument("--emu", default="")
ap.add_argument("--hyperion", required=True)
ap.add_argument("--source-dir", required=True)
ap.add_argument("--sf", default="0.05")
args = ap.parse_args()
HY = shlex.split(args.emu) + [args.hyperion]
SRC = args.source_dir

# Column classes: T text, D decimal (exact), R double (1e-9 relative), I integer (exact)
CLASSES = {"Q1": "TTDDDDRRRI", "Q6": "D"}


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def query_text(name):
    """The string literals of `#define HY_TPCH_<name>` in tpch_queries.h, concatenated."""
    text = open(os.path.join(SRC, "src/shell/tpch_queries.h")).read()
    m = re.search(r"#define HY_TPCH_" + name + r" \\\n((?:.*\n)+?)\n", text)
    if not m:
        fail(f"HY_TPCH_{name} not found in tpch_queries.h")
    parts = re.findall(r'"((?:[^"\\]|\\.)*)"', m.group(1))
    return "".join(parts).encode().decode("unicode_escape")


def blocks(out, markers):
    """Split CSV text into blocks starting at header rows that begin with the given names."""
    rows = list(csv.reader(io.StringIO(out)))
    res, cur = {}, None
    for row in rows:
        for key, first in markers.items():
            if row and row[0] == first and key not in res:
                cur = key
                res[key] = [row]
                break
        else:
            if cur is None:
                fail(f"unexpected output before any result: {row}")
            res[cur].append(row)
    return res


def cell_eq(cls, a, b):
    if cls == "T":
        return a == b
    if a == "" or b == "":
        return a == b
    if cls in "DI":
        return Decimal(a) == Decimal(b)
    fa, fb = float(a), float(b)
    return fa == fb or abs(fa - fb) <= 1e-9 * max(abs(fa), abs(fb))


def main():
    tmp = tempfile.mkdtemp(prefix="hy-tpch-duckdb-")
    try:
        fetch = os.path.join(SRC, "bench/fetch-duckdb.sh")
        p = subprocess.run([fetch], capture_output=True, text=True)
        if p.returncode != 0:
            fail("DuckDB is not available (bench/fetch-duckdb.sh failed; scripts/install-deps.sh "
                 "fetches it):\n" + p.stderr)
        lib = p.stdout.strip().splitlines()[-1]
        cc = shutil.which("cc") or shutil.which("gcc")
        if not cc:
            fail("no host C compiler (cc) to build the DuckDB runner")
        runner = os.path.join(tmp, "duckdb-run")
        p = subprocess.run([cc, "-O1", "-std=gnu11", "-I", os.path.join(SRC, "src"), "-I",
                            os.path.join(SRC, "bench"), os.path.join(SRC, "bench/duckdb_run.c"),
                            "-o", runner, "-ldl"], capture_output=True, text=True)
        if p.returncode != 0:
            fail("cannot compile bench/duckdb_run.c:\n" + p.stderr)

        q1, q6 = query_text("Q1"), query_text("Q6")
        csv_path = os.path.join(tmp, "lineitem.csv")
        t0 = time.time()
        p = subprocess.run(HY + ["--csv", "-c", f"CALL dbgen(sf => {args.sf})",
                                 "-c", f"COPY lineitem TO '{csv_path}' (HEADER)",
                                 "-c", "SELECT count(*) AS n FROM lineitem", "-c", q1, "-c", q6],
                           capture_output=True, text=True, timeout=1800)
        t_hy = time.time() - t0
        if p.returncode != 0:
            fail(f"hyperion failed (status {p.returncode}):\n{p.stderr}")
        ours = blocks(p.stdout, {"count": "n", "Q1": "l_returnflag", "Q6": "revenue"})

        t0 = time.time()
        p = subprocess.run([runner, lib, csv_path, "--threads", "2"], capture_output=True, text=True,
                           timeout=1800)
        t_duck = time.time() - t0
        if p.returncode != 0:
            fail(f"DuckDB runner failed (status {p.returncode}):\n{p.stderr}")
        theirs = {}
        cur = None
        for line in p.stdout.splitlines(keepends=True):
            if line.startswith("#"):
                cur = line[1:].strip()
                theirs[cur] = ""
            elif cur:
                theirs[cur] += line
        theirs = {k: list(csv.reader(io.StringIO(v))) for k, v in theirs.items()}

        bad = 0
        for key in ("count", "Q1", "Q6"):
            a, b = ours.get(key), theirs.get(key)
            if not a or not b:
                print(f"FAIL: {key}: missing result (ours: {a!r}, duckdb: {b!r})")
                bad += 1
                continue
            if key != "count" and a[0] != b[0]:
                print(f"FAIL: {key}: column names differ:\n  ours:   {a[0]}\n  duckdb: {b[0]}")
                bad += 1
            if len(a) != len(b):
                print(f"FAIL: {key}: {len(a) - 1} rows vs DuckDB's {len(b) - 1}")
                bad += 1
                continue
            cls = CLASSES.get(key, "I")
            for r, (ra, rb) in enumerate(zip(a[1:], b[1:])):
                if len(ra) != len(cls) or len(rb) != len(cls):
                    print(f"FAIL: {key} row {r + 1}: wrong width {ra} / {rb}")
                    bad += 1
                    continue
                for c, (va, vb) in enumerate(zip(ra, rb)):
                    if not cell_eq(cls[c], va, vb):
                        print(f"FAIL: {key} row {r + 1} column {a[0][c]}: ours {va!r}, DuckDB {vb!r}")
                        bad += 1
        n = int(ours["count"][1][0]) if ours.get("count") and len(ours["count"]) > 1 else -1
        q1rows = ours.get("Q1", [])[1:]
        if [r[:2] for r in q1rows] != [["A", "F"], ["N", "F"], ["N", "O"], ["R", "F"]]:
            print(f"FAIL: Q1 groups are {[r[:2] for r in q1rows]}")
            bad += 1
        print(f"sf {args.sf}: {n} lineitem rows; hyperion {t_hy:.1f} s (dbgen+COPY+queries), "
              f"DuckDB {t_duck:.1f} s (load+queries)")
        for key in ("Q1", "Q6"):
            for row in ours.get(key, []):
                print(f"  {key}: " + ",".join(row))
        if bad:
            print(f"{bad} difference(s) between hyperion and DuckDB")
            return 1
        print("Q1 and Q6 match DuckDB (decimals exactly, doubles to 1e-9 relative)")
        return 0
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


sys.exit(main())
