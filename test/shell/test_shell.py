#!/usr/bin/env python3
"""Shell and bad-input tests for the `hyperion` binary.

    test_shell.py --emu "<prefix or empty>" --hyperion PATH

Every expected value here is computed independently (by hand, or with Python's datetime /
float repr), never copied from our own output. Checks run in order; all failures are
reported, and the exit status is 1 if any failed.
"""
import argparse
import csv
import datetime
import io
import json
import os
import pty
import re
import select
import shlex
import subprocess
import sys
import tempfile
import time

ap = argparse.ArgumentParser()
ap.add_argument("--emu", default="")
ap.add_argument("--hyperion", required=True)
args = ap.parse_args()
EMU = shlex.split(args.emu)
HY = EMU + [args.hyperion]
TMP = tempfile.mkdtemp(prefix="hy-shell-test-")

failures = []
checks = 0


def run(*argv, stdin=None, timeout=300):
    p = subprocess.run(HY + list(argv), input=stdin, capture_output=True, text=True,
                       timeout=timeout)
    return p.returncode, p.stdout, p.stderr


def check(name, cond, detail=""):
    global checks
    checks += 1
    if cond:
        print(f"ok   {name}")
    else:
        print(f"FAIL {name}\n     {detail}")
        failures.append(name)


def show(rc, out, err):
    return f"rc={rc}\n     stdout={out!r}\n     stderr={err!r}"


def tmpfile(name, text):
    path = os.path.join(TMP, name)
    with open(path, "w", newline="") as f:
        f.write(text)
    return path


def parse_csv_blocks(out):
    return list(csv.reader(io.StringIO(out)))


def line_col(text, index):
    """1-based line and column of byte `index` in text (ASCII texts)."""
    line = text.count("\n", 0, index) + 1
    col = index - (text.rfind("\n", 0, index) + 1) + 1
    return line, col


def one_error(err):
    lines = [l for l in err.splitlines() if l.strip()]
    return lines


# ---- -c ordering, -f, interleaving ----------------------------------------------------------

rc, out, err = run("--csv", "-c", "CREATE TABLE t(a INTEGER)", "-c", "INSERT INTO t VALUES (1), (2)",
                   "-c", "SELECT 10 AS x", "-c", "INSERT INTO t VALUES (3)",
                   "-c", "SELECT count(*) AS n FROM t", "-c", "SELECT 20 AS x")
check("-c statements run in order", rc == 0 and parse_csv_blocks(out) ==
      [["x"], ["10"], ["n"], ["3"], ["x"], ["20"]], show(rc, out, err))
check("-c success leaves stderr empty", err == "", show(rc, out, err))

script = tmpfile("script.sql", "CREATE TABLE f(a INTEGER, b VARCHAR);\n"
                 "INSERT INTO f VALUES (1, 'one');\n-- a comment\nINSERT INTO f VALUES (2, 'two');\n"
                 "SELECT b FROM f ORDER BY a DESC;\n")
rc, out, err = run("--csv", "-f", script)
check("-f runs a file", rc == 0 and parse_csv_blocks(out) == [["b"], ["two"], ["one"]],
      show(rc, out, err))

rc, out, err = run("--csv", "-c", "SELECT 1 AS a", "-f", tmpfile("one.sql", "SELECT 2 AS b;"),
                   "-c", "SELECT 3 AS c")
check("-c and -f interleave in command-line order",
      rc == 0 and parse_csv_blocks(out) == [["a"], ["1"], ["b"], ["2"], ["c"], ["3"]],
      show(rc, out, err))

rc, out, err = run("--csv", stdin="SELECT 5 AS s;\nSELECT 6 AS t;\n")
check("statements from stdin", rc == 0 and parse_csv_blocks(out) == [["s"], ["5"], ["t"], ["6"]],
      show(rc, out, err))

rc, out, err = run("--csv", "-c", "SELECT 1 AS a; SELECT 2 AS b")
check("several statements in one -c", rc == 0 and parse_csv_blocks(out) ==
      [["a"], ["1"], ["b"], ["2"]], show(rc, out, err))

# ---- exit codes and bail semantics --------------------------------------------------------

rc, out, err = run("--csv", "-c", "SELECT 1 AS a", "-c", "SELECT * FROM missing_table",
                   "-c", "SELECT 2 AS b")
check("failing -c: exit 1, stops at the first error (bail)",
      rc == 1 and parse_csv_blocks(out) == [["a"], ["1"]] and err.startswith("Error: "),
      show(rc, out, err))

rc, out, err = run("--csv", "--keep-going", "-c", "SELECT 1 AS a", "-c", "SELECT * FROM missing_table",
                   "-c", "SELECT 2 AS b")
check("--keep-going continues but still exits 1",
      rc == 1 and parse_csv_blocks(out) == [["a"], ["1"], ["b"], ["2"]], show(rc, out, err))

rc, out, err = run("--csv", stdin="SELECT 1 AS a;\nSELECT nope FROM nowhere;\nSELECT 2 AS b;\n")
check("stdin script stops at the first error with exit 1",
      rc == 1 and parse_csv_blocks(out) == [["a"], ["1"]], show(rc, out, err))

rc, out, err = run("--no-such-option")
check("unknown option: exit 2 with Error:", rc == 2 and "Error:" in err, show(rc, out, err))
rc, out, err = run("--threads", "zero", "-c", "SELECT 1")
check("bad --threads value: exit 2", rc == 2 and "Error:" in err, show(rc, out, err))
rc, out, err = run("--threads", "2", "--morsel-rows", "3", "--csv", "-c",
                   "CREATE TABLE m(a INTEGER); INSERT INTO m VALUES (1),(2),(3),(4),(5),(6),(7)",
                   "-c", "SELECT sum(a) AS s, count(*) AS n FROM m WHERE a > 1")
check("--threads/--morsel-rows accepted, results unchanged",
      rc == 0 and parse_csv_blocks(out) == [["s", "n"], ["27", "6"]], show(rc, out, err))

# ---- output modes ----------------------------------------------------------------------------

setup = ("CREATE TABLE v(i INTEGER, s VARCHAR, d DECIMAL(10,2), f DOUBLE, b BOOLEAN, dt DATE);"
         "INSERT INTO v VALUES (1, 'plain', 1.5, 0.1, true, DATE '1998-12-01'),"
         "(NULL, NULL, NULL, NULL, NULL, NULL),"
         "(-7, 'a,b', -0.25, 1e20, false, DATE '1970-01-01'),"
         "(3, '', 100, -2.5, true, DATE '2000-02-29'),"
         "(4, 'say \"hi\"', 0, 0.5, false, DATE '1969-12-31'),"
         "(5, 'two\nlines', 3.14, 3, true, DATE '2024-06-30')")
q = "SELECT i, s, d, f, b, dt FROM v ORDER BY i NULLS LAST"
exp_rows = [
    ["-7", "a,b", "-0.25", repr(1e20).replace("e+", "e+"), "false", "1970-01-01"],
    ["1", "plain", "1.50", "0.1", "true", "1998-12-01"],
    ["3", "", "100.00", "-2.5", "true", "2000-02-29"],
    ["4", 'say "hi"', "0.00", "0.5", "false", "1969-12-31"],
    ["5", "two\nlines", "3.14", "3.0", "true", "2024-06-30"],
    ["", "", "", "", "", ""],
]

rc, out, err = run("--csv", "-c", setup, "-c", q)
rows = parse_csv_blocks(out)
ok = rc == 0 and rows and rows[0] == ["i", "s", "d", "f", "b", "dt"] and len(rows) == 7
if ok:
    for got, want in zip(rows[1:], exp_rows):
        # doubles: compare numerically (shortest round-trip text may spell 1e20 differently)
        if got[3] and want[3] and float(got[3]) != float(want[3]):
            ok = False
        if got[:3] + got[4:] != want[:3] + want[4:]:
            ok = False
check("--csv: header, NULL empty, decimals with scale, dates ISO, booleans", ok, show(rc, out, err))
# NULL vs empty string: the raw text distinguishes them ("" for empty, nothing for NULL)
check("--csv: empty string quoted, NULL bare", rc == 0 and '\n3,"",100.00' in out and
      out.rstrip("\n").endswith("\n,,,,,"), show(rc, out, err))
check("--csv: quotes doubled, fields with comma/newline quoted",
      '"a,b"' in out and '"say ""hi"""' in out and '"two\nlines"' in out, show(rc, out, err))
check("--csv: shortest round-trip doubles", rc == 0 and ",0.1," in out, show(rc, out, err))

rc, out, err = run("--json", "-c", setup, "-c", q, "-c", "SELECT 42 AS answer")
lines = out.splitlines()
try:
    docs = [json.loads(l) for l in lines]
except ValueError as e:
    docs = None
check("--json: one JSON array per result, one per line", docs is not None and len(docs) == 2,
      show(rc, out, err))
if docs and len(docs) == 2:
    first = docs[0]
    check("--json: typed values", first[1] == {"i": 1, "s": "plain", "d": 1.5, "f": 0.1, "b": True,
                                               "dt": "1998-12-01"}, repr(first[1]))
    check("--json: NULL is null", first[5] == {k: None for k in "i s d f b dt".split()}, repr(first[5]))
    check("--json: strings escaped", first[3]["s"] == 'say "hi"' and first[4]["s"] == "two\nlines",
          repr(first[3:5]))
    check("--json: decimals keep scale in the text", '"d":1.50' in lines[0] and '"d":100.00' in lines[0],
          lines[0][:300])
    check("--json: second result", docs[1] == [{"answer": 42}], repr(docs[1]))

for mode in ("--csv", "--json"):
    csvpath = os.path.join(TMP, "out" + mode[2:] + ".csv")
    rc, out, err = run(mode, "-c", "CREATE TABLE p(a INTEGER)", "-c", "INSERT INTO p VALUES (1)",
                       "-c", f"COPY p TO '{csvpath}' (HEADER)", "-c", "CALL dbgen(sf => 0.001)",
                       "-c", "DROP TABLE p", "-c", ".timer on", "-c", "CREATE TABLE p2(a INTEGER)")
    check(f"{mode}: DDL/INSERT/COPY/CALL/.timer print nothing on stdout",
          rc == 0 and out == "" and "Run Time:" in err, show(rc, out, err))

rc, out, err = run("--box", "-c", setup, "-c", q)
check("--box: names, types, Unicode frame", rc == 0 and "┌" in out and "decimal(10,2)" in out
      and "varchar" in out and "integer" in out and "│" in out, show(rc, out, err))
m = re.search(r"│\s+1\.50 │", out)
check("--box: numbers right-aligned", m is not None, out)
rc, out, err = run("-c", setup, "-c", q)
check("default mode when stdout is not a TTY is the plain table", rc == 0 and "┌" not in out and
      re.search(r"^\s*i\s+\|\s+s\s+\|", out, re.M) is not None and "1.50" in out, show(rc, out, err))
rc, out, err = run("--csv", "-c", ".mode json", "-c", "SELECT 1 AS a", "-c", ".mode csv",
                   "-c", "SELECT 2 AS b")
check(".mode switches the printer", rc == 0 and out == '[{"a":1}]\nb\n2\n', show(rc, out, err))
rc, out, err = run("-c", ".help")
check(".help", rc == 0 and ".timer" in out and ".mode" in out, show(rc, out, err))
rc, out, err = run("-c", ".bogus")
check("unknown dot command: Error and exit 1", rc == 1 and err.startswith("Error:"), show(rc, out, err))
rc, out, err = run("--csv", "-c", "SELECT 1 AS a", "-c", ".quit", "-c", "SELECT 2 AS b")
check(".quit stops", rc == 0 and parse_csv_blocks(out) == [["a"], ["1"]], show(rc, out, err))

# ---- formatting (independent expectations) -------------------------------------------------

d0 = datetime.date(1998, 12, 1) - datetime.timedelta(days=90)
d1 = datetime.date(1994, 1, 1).replace(year=1995)
rc, out, err = run("--csv", "-c",
                   "SELECT DATE '1998-12-01' - INTERVAL '90' DAY AS a, "
                   "DATE '1994-01-01' + INTERVAL '1' YEAR AS b, "
                   "CAST(0.1 AS DOUBLE) + CAST(0.2 AS DOUBLE) AS c, "
                   "CAST(37580631 AS DECIMAL(15,2)) AS d, 1.0/3 AS e")
rows = parse_csv_blocks(out)
check("formatting: dates ISO, shortest doubles, decimals with scale",
      rc == 0 and len(rows) == 2 and rows[1][:4] == [d0.isoformat(), d1.isoformat(),
                                                     repr(0.1 + 0.2), "37580631.00"]
      and float(rows[1][4]) == 1.0 / 3, show(rc, out, err))

# ---- EXPLAIN (ANALYZE, FORMAT JSON) in every mode -----------------------------------------------

prep = "CREATE TABLE e(a INTEGER, b VARCHAR); INSERT INTO e VALUES (1,'x'),(2,'y'),(3,NULL)"
for mode in ("--box", "--table", "--csv", "--json"):
    rc, out, err = run(mode, "-c", prep, "-c",
                       "EXPLAIN (ANALYZE, FORMAT JSON) SELECT b, count(*) FROM e WHERE a > 1 GROUP BY b")
    try:
        j = json.loads(out)
    except ValueError as e:
        j = None
    good = isinstance(j, dict) and isinstance(j.get("execution_ms"), (int, float)) and \
        isinstance(j.get("threads"), int) and isinstance(j.get("pipelines"), list) and \
        len(j["pipelines"]) >= 1 and all(
            isinstance(p, dict) and isinstance(p.get("id"), int) and isinstance(p.get("operators"), str)
            and p.get("tier") == "interpreter" and isinstance(p.get("rows"), int)
            and isinstance(p.get("morsels"), int) for p in j["pipelines"])
    check(f"EXPLAIN (ANALYZE, FORMAT JSON) is plain parseable JSON in {mode}", rc == 0 and good,
          show(rc, out, err))
rc, out, err = run("--csv", "-c", prep, "-c", "EXPLAIN SELECT a FROM e WHERE a > 1")
check("EXPLAIN prints plain text (not CSV-quoted)", rc == 0 and out.strip() != "" and
      not out.startswith('"') and "e" in out, show(rc, out, err))

# ---- bad input ---------------------------------------------------------------------------------

text = "CREATE TABLE t(a INTEGER);\nSELECT a,\n       a + FROM t;\n"
path = tmpfile("syntax.sql", text)
rc, out, err = run("--csv", "-f", path)
line, col = line_col(text, text.index("FROM t"))
check("malformed SQL in a file: Error with line:col of the bad token (relative to the file)",
      rc == 1 and re.match(rf"Error: line {line}:{col}: ", err) is not None and "FROM" in err,
      f"want line {line}:{col}; " + show(rc, out, err))

text2 = "SELECT 1 AS a;\nSELECT\n  1 +\n  ;"
rc, out, err = run("--csv", "-c", text2)
line, col = line_col(text2, text2.rindex(";"))
check("malformed SQL in -c: position relative to the -c text",
      rc == 1 and re.match(rf"Error: line {line}:{col}: ", err) is not None, f"want {line}:{col}; "
      + show(rc, out, err))

rc, out, err = run("-c", "SELECT FROM")
check("the brief's example: line 1:8", rc == 1 and err.startswith('Error: line 1:8: ') and 'FROM' in err,
      show(rc, out, err))

rc, out, err = run("-c", "SELECT * FROM nosuch")
check("unknown table", rc == 1 and err.startswith("Error: ") and 'table "nosuch" does not exist' in err,
      show(rc, out, err))
text3 = "CREATE TABLE t(a INTEGER);\nSELECT a,\n  zz FROM t;"
rc, out, err = run("-c", text3)
line, col = line_col(text3, text3.index("zz"))
check("unknown column, with its position", rc == 1 and 'column "zz" does not exist' in err and
      re.match(rf"Error: line {line}:{col}: ", err) is not None, f"want {line}:{col}; " + show(rc, out, err))

rc, out, err = run("--keep-going", "--csv", "-c", "CREATE TABLE t(a INTEGER, b VARCHAR)",
                   "-c", "INSERT INTO t VALUES (1, 'x')",
                   "-c", "SELECT a + b FROM t",
                   "-c", "INSERT INTO t VALUES ('abc', 'y')",
                   "-c", "SELECT a FROM t WHERE b",
                   "-c", "SELECT count(*) AS n FROM t")
errs = one_error(err)
check("type mismatches: three clear errors, nothing inserted",
      rc == 1 and len(errs) == 3 and all(e.startswith("Error: ") for e in errs)
      and parse_csv_blocks(out) == [["n"], ["1"]], show(rc, out, err))

for sql, what in [("SELECT CAST(2147483647 AS INTEGER) + CAST(1 AS INTEGER)", "INTEGER +"),
                  ("SELECT CAST(9223372036854775807 AS BIGINT) + 1", "BIGINT +"),
                  ("SELECT CAST(-9223372036854775807 AS BIGINT) - 2", "BIGINT -"),
                  ("SELECT CAST(4294967296 AS BIGINT) * CAST(4294967296 AS BIGINT)", "BIGINT *"),
                  ("CREATE TABLE dd(x DECIMAL(15,2)); INSERT INTO dd VALUES (10000000000000.00)",
                   "DECIMAL(15,2) column"),
                  ("SELECT CAST(12345.67 AS DECIMAL(5,2))", "DECIMAL cast"),
                  ("SELECT CAST(3000000000 AS INTEGER)", "cast")]:
    rc, out, err = run("-c", sql)
    check(f"overflow is an error ({what})", rc == 1 and err.startswith("Error: ") and
          "out of range" in err, show(rc, out, err))
rc, out, err = run("--keep-going", "--csv", "-c", "CREATE TABLE o(a INTEGER)",
                   "-c", "INSERT INTO o VALUES (2147483647), (1)",
                   "-c", "INSERT INTO o SELECT a + 1 FROM o",
                   "-c", "CREATE TABLE o2 AS SELECT a * 2 AS b FROM o",
                   "-c", "SELECT count(*) AS n, sum(a) AS s FROM o",
                   "-c", "SELECT * FROM o2")
check("overflow in INSERT ... SELECT / CTAS leaves tables as they were",
      rc == 1 and parse_csv_blocks(out) == [["n", "s"], ["2", str(2147483647 + 1)]]
      and 'table "o2" does not exist' in err, show(rc, out, err))

for sql in ("SELECT 1 / 0", "SELECT 5 // 0", "SELECT 5 % 0", "SELECT 1.5 / 0",
            "SELECT CAST(1 AS DOUBLE) / 0"):
    rc, out, err = run("-c", sql)
    check(f"division by zero: {sql}", rc == 1 and err.startswith("Error: ") and "division by zero" in err,
          show(rc, out, err))
rc, out, err = run("--keep-going", "--csv", "-c", "CREATE TABLE z(a INTEGER)",
                   "-c", "INSERT INTO z VALUES (1), (0)", "-c", "SELECT 10 // a FROM z",
                   "-c", "INSERT INTO z SELECT 10 // a FROM z", "-c", "SELECT count(*) AS n FROM z")
check("division by zero mid-table: error, INSERT not applied",
      rc == 1 and parse_csv_blocks(out) == [["n"], ["2"]] and err.count("division by zero") == 2,
      show(rc, out, err))

good_csv = tmpfile("good.csv", "a,b\n1,x\n2,\n3,\"q,z\"\n")
bad_csv = tmpfile("bad.csv", "a,b\n10,x\n11,y\nnotanumber,z\n13,w\n")
rc, out, err = run("--keep-going", "--csv", "-c", "CREATE TABLE c(a INTEGER, b VARCHAR)",
                   "-c", f"COPY c FROM '{good_csv}' (HEADER)",
                   "-c", f"COPY c FROM '{bad_csv}' (HEADER)",
                   "-c", "SELECT count(*) AS n, sum(a) AS s, count(b) AS nb FROM c")
check("bad CSV row: Error names file:line, the table keeps only the good load",
      rc == 1 and f"{bad_csv}:4" in err and err.startswith("Error: ")
      and parse_csv_blocks(out) == [["n", "s", "nb"], ["3", "6", "2"]], show(rc, out, err))
short_csv = tmpfile("short.csv", "1,x\n2\n")
rc, out, err = run("--keep-going", "--csv", "-c", "CREATE TABLE c(a INTEGER, b VARCHAR)",
                   "-c", f"COPY c FROM '{short_csv}'", "-c", "SELECT count(*) AS n FROM c")
check("CSV row with too few fields: error names line 2, nothing loaded",
      rc == 1 and f"{short_csv}:2" in err and parse_csv_blocks(out) == [["n"], ["0"]], show(rc, out, err))
unterminated = tmpfile("unterminated.csv", "1,\"abc\n2,y\n")
rc, out, err = run("--keep-going", "--csv", "-c", "CREATE TABLE c(a INTEGER, b VARCHAR)",
                   "-c", f"COPY c FROM '{unterminated}'", "-c", "SELECT count(*) AS n FROM c")
check("CSV with an unterminated quote: error, nothing loaded",
      rc == 1 and unterminated in err and parse_csv_blocks(out) == [["n"], ["0"]], show(rc, out, err))

missing = os.path.join(TMP, "does-not-exist.csv")
rc, out, err = run("-c", "CREATE TABLE c(a INTEGER)", "-c", f"COPY c FROM '{missing}'")
check("COPY from a missing file", rc == 1 and err.startswith("Error: ") and missing in err,
      show(rc, out, err))
rc, out, err = run("-f", os.path.join(TMP, "no-such-script.sql"))
check("-f with a missing file", rc == 1 and err.startswith("Error: ") and "no-such-script.sql" in err,
      show(rc, out, err))
rc, out, err = run("-c", "CREATE TABLE c(a INTEGER)",
                   "-c", f"COPY c TO '{os.path.join(TMP, 'no-such-dir', 'x.csv')}'")
check("COPY TO an unwritable path", rc == 1 and err.startswith("Error: "), show(rc, out, err))

# ---- .tables / .schema (B3) --------------------------------------------------------------------

schema_setup = ('CREATE TABLE zeta(a INTEGER, b VARCHAR NOT NULL);'
                'CREATE TABLE alpha(d DECIMAL(15,2) NOT NULL, x DOUBLE, dt DATE, f BOOLEAN, n BIGINT);'
                'CREATE TABLE "Mixed Case"("select" INTEGER, "q""t" VARCHAR)')
# expected DDL written by hand: types as declared, NOT NULL kept, odd names double-quoted
want_ddl = {
    "zeta": "CREATE TABLE zeta(a INTEGER, b VARCHAR NOT NULL);",
    "alpha": "CREATE TABLE alpha(d DECIMAL(15,2) NOT NULL, x DOUBLE, dt DATE, f BOOLEAN, n BIGINT);",
    "Mixed Case": 'CREATE TABLE "Mixed Case"("select" INTEGER, "q""t" VARCHAR);',
}
names_sorted = sorted(want_ddl)  # byte order: "Mixed Case" < "alpha" < "zeta"
rc, out, err = run("-c", ".tables")
check(".tables on an empty database prints nothing", rc == 0 and out == "" and err == "",
      show(rc, out, err))
for mode in ("--table", "--csv", "--json"):
    rc, out, err = run(mode, "-c", schema_setup, "-c", ".tables")
    check(f".tables lists the tables ordered by name ({mode})",
          rc == 0 and out.splitlines() == names_sorted and err == "", show(rc, out, err))
rc, out, err = run("-c", schema_setup, "-c", ".schema")
check(".schema prints every CREATE TABLE, ordered by table name",
      rc == 0 and out.splitlines() == [want_ddl[n] for n in names_sorted], show(rc, out, err))
rc, out, err = run("-c", schema_setup, "-c", ".schema ZETA", "-c", '.schema "Mixed Case"')
check(".schema TABLE prints one table (name matched case-insensitively, quotes allowed)",
      rc == 0 and out.splitlines() == [want_ddl["zeta"], want_ddl["Mixed Case"]], show(rc, out, err))
rc, out, err = run("-c", schema_setup, "-c", ".schema nosuch", "-c", "SELECT 1 AS after")
check(".schema of an unknown table: clear Error, exit 1, script stops",
      rc == 1 and err.strip() == 'Error: table "nosuch" does not exist' and out == "", show(rc, out, err))
rc, out, err = run(stdin="CREATE TABLE t(a INTEGER);\n.tables\n.schema\n")
check("the QA reproducer (stdin): .tables and .schema work",
      rc == 0 and out == "t\nCREATE TABLE t(a INTEGER);\n", show(rc, out, err))
rc, out, err = run("-c", schema_setup, "-c", "DROP TABLE zeta", "-c", ".tables")
check(".tables after DROP TABLE", rc == 0 and out.splitlines() == ["Mixed Case", "alpha"],
      show(rc, out, err))
# round trip: the printed schema re-creates the same tables
rc, out, err = run("-c", schema_setup, "-c", ".schema")
rt = tmpfile("schema_roundtrip.sql", out)
rc2, out2, err2 = run("-f", rt, "-c", ".schema")
check(".schema output runs as a script and re-creates the same schema",
      rc == 0 and rc2 == 0 and out2 == out, show(rc2, out2, err2))
# lineitem: the TPC-H spec's column order and types (written from the spec, clause 1.4.1)
spec = [("l_orderkey", "BIGINT"), ("l_partkey", "BIGINT"), ("l_suppkey", "BIGINT"),
        ("l_linenumber", "INTEGER"), ("l_quantity", "DECIMAL(15,2)"),
        ("l_extendedprice", "DECIMAL(15,2)"), ("l_discount", "DECIMAL(15,2)"),
        ("l_tax", "DECIMAL(15,2)"), ("l_returnflag", "VARCHAR"), ("l_linestatus", "VARCHAR"),
        ("l_shipdate", "DATE"), ("l_commitdate", "DATE"), ("l_receiptdate", "DATE"),
        ("l_shipinstruct", "VARCHAR"), ("l_shipmode", "VARCHAR"), ("l_comment", "VARCHAR")]
want_li = "CREATE TABLE lineitem(" + ", ".join(f"{n} {t} NOT NULL" for n, t in spec) + ");"
rc, out, err = run("-c", "CALL dbgen(sf => 0.001)", "-c", ".schema lineitem")
check(".schema lineitem after dbgen", rc == 0 and out.strip() == want_li, show(rc, out, err))
rc, out, err = run("-c", ".tables extra")
check(".tables with an argument: usage error", rc == 1 and err.startswith("Error: usage: .tables"),
      show(rc, out, err))

# ---- EXPLAIN (ANALYZE, FORMAT JSON): every pipeline (B4) --------------------------------------

prep4 = ("CREATE TABLE t4(a INTEGER, b VARCHAR);"
         "INSERT INTO t4 VALUES (1,'x'),(2,NULL),(3,'q'),(4,'q'),(5,'x'),(6,'x')")
# expected pipelines from the plan shapes (EXPLAIN): source -> streaming ops -> sink, with the
# in-place SORT/LIMIT/RESULT steps on a sink's buffer appended to that pipeline
cases4 = [
    ("SELECT b, count(*) FROM t4 WHERE a > 1 GROUP BY b ORDER BY 2 DESC LIMIT 2",
     ["SCAN t4 -> FILTER -> HASH_AGGREGATE", "HASH_AGGREGATE -> SORT -> LIMIT -> RESULT"], 5),
    ("SELECT b, count(*) + 1 FROM t4 WHERE a > 1 GROUP BY b ORDER BY 2 DESC LIMIT 2",
     ["SCAN t4 -> FILTER -> HASH_AGGREGATE", "HASH_AGGREGATE -> PROJECT -> SORT -> LIMIT -> RESULT"], 5),
    ("SELECT a FROM t4 ORDER BY a LIMIT 2", ["SCAN t4 -> SORT -> LIMIT -> RESULT"], None),
    ("SELECT count(*) FROM t4", ["SCAN t4 -> HASH_AGGREGATE", "HASH_AGGREGATE -> RESULT"], 6),
    ("SELECT b, count(*) FROM t4 GROUP BY b",
     ["SCAN t4 -> HASH_AGGREGATE", "HASH_AGGREGATE -> RESULT"], 6),
    ("SELECT b FROM t4 ORDER BY a",
     ["SCAN t4 -> PROJECT -> SORT", "SORT -> PROJECT -> RESULT"], 6),
]
for sql, want_ops, rows1 in cases4:
    for opts in ([], ["--threads", "3", "--morsel-rows", "2"]):
        rc, out, err = run(*opts, "--csv", "-c", prep4, "-c", "EXPLAIN (ANALYZE, FORMAT JSON) " + sql)
        try:
            j = json.loads(out)
            ops = [p["operators"] for p in j["pipelines"]]
            ids = [p["id"] for p in j["pipelines"]]
            keys_ok = set(j) == {"execution_ms", "threads", "pipelines"} and all(
                set(p) == {"id", "operators", "tier", "rows", "morsels"} for p in j["pipelines"])
        except (ValueError, KeyError, TypeError):
            j, ops, ids, keys_ok = None, None, None, False
        good = rc == 0 and keys_ok and ops == want_ops and ids == list(range(1, len(want_ops) + 1))
        if good and rows1 is not None:
            good = j["pipelines"][0]["rows"] == rows1
        check(f"EXPLAIN ANALYZE JSON pipelines {opts}: {sql}", good,
              f"want {want_ops}; " + show(rc, out, err))
rc, out, err = run("--csv", "-c", prep4, "-c",
                   "SELECT b, count(*) AS n FROM t4 WHERE a > 1 GROUP BY b ORDER BY 2 DESC, 1 LIMIT 2")
check("the B4 query's result (x: 2 rows a>1, q: 2 rows; ties ordered by b)",
      rc == 0 and parse_csv_blocks(out) == [["b", "n"], ["q", "2"], ["x", "2"]], show(rc, out, err))

# ---- NUL bytes in scripts (B2) ------------------------------------------------------------------


def run_bytes(*argv, stdin=b""):
    p = subprocess.run(HY + list(argv), input=stdin, capture_output=True, timeout=300)
    return p.returncode, p.stdout.decode(errors="replace"), p.stderr.decode(errors="replace")


nulpath = os.path.join(TMP, "nul.sql")
with open(nulpath, "wb") as f:
    f.write(b"SELECT 1;\0SELECT 2;\n")
rc, out, err = run_bytes("--csv", "-f", nulpath)
check("NUL in a -f file: Error names line:col of the NUL, exit 1, nothing run",
      rc == 1 and err == "Error: line 1:10: invalid NUL byte in input\n" and out == "",
      show(rc, out, err))
# the NUL is the 6th character of line 3 ('é' is one character, two bytes)
rc, out, err = run_bytes("--csv", stdin="SELECT 1;\n-- é\nSELECT 'a\0b';\n".encode())
check("NUL in stdin (inside a string): position counted in characters, exit 1",
      rc == 1 and err == "Error: line 3:10: invalid NUL byte in input\n" and out == "",
      show(rc, out, err))
rc, out, err = run_bytes("--csv", "-c", "SELECT 1 AS a", "-f", nulpath, "-c", "SELECT 2 AS b")
check("NUL file among -c: earlier -c ran, then the script stops (bail)",
      rc == 1 and parse_csv_blocks(out) == [["a"], ["1"]] and "invalid NUL byte" in err,
      show(rc, out, err))

# ---- option ranges (B11), JSON keys (B16), non-finite doubles (B10) ------------------------------

rc, out, err = run("--threads", "100000", "-c", "SELECT 1")
check("--threads above the maximum: exit 2 naming the range 1..256",
      rc == 2 and "1 to 256" in err and '"100000"' in err, show(rc, out, err))
rc, out, err = run("--threads", "256", "--csv", "-c", "SELECT 7 AS x")
check("--threads 256 (the maximum) is accepted", rc == 0 and out == "x\n7\n", show(rc, out, err))
rc, out, err = run("--help")
check("--help documents the --threads range and inf/nan output",
      rc == 0 and "1 to 256" in out and "inf" in out and "nan" in out and ".schema" in out,
      show(rc, out, err))


def pairs_no_dups(pairs):
    keys = [k for k, _ in pairs]
    if len(keys) != len(set(keys)):
        raise ValueError("duplicate key")
    return pairs


rc, out, err = run("--json", "-c", "SELECT 1 AS a, 2 AS a, 3 AS a_1, 4 AS b, 5 AS a")
try:
    doc = json.loads(out, object_pairs_hook=pairs_no_dups)
except ValueError:
    doc = None
check("--json: duplicate column names get unique keys in column order",
      rc == 0 and doc == [[("a", 1), ("a_1", 2), ("a_1_1", 3), ("b", 4), ("a_2", 5)]],
      show(rc, out, err))
rc, out, err = run("--json", "-c",
                   "SELECT CAST(1e308 AS DOUBLE) * 10 AS p, CAST(-1e308 AS DOUBLE) * 10 AS m")
try:
    doc = json.loads(out)
except ValueError:
    doc = None
check("--json: non-finite doubles are the strings inf/-inf", rc == 0 and doc == [{"p": "inf", "m": "-inf"}],
      show(rc, out, err))
rc, out, err = run("--csv", "-c", "SELECT CAST(1e308 AS DOUBLE) * 10 AS p")
check("--csv: overflowing double prints inf", rc == 0 and out == "p\ninf\n", show(rc, out, err))

# ---- which error is reported does not depend on --threads/--morsel-rows (B13) -------------------

# row 1: b + 1 = 1 fits, -i overflows INTEGER; row 2: b + 1 overflows BIGINT. The first failing
# row (in table order) is row 1, and its first failing expression is -i.
b13 = ["-c", "CREATE TABLE e13(i INTEGER, b BIGINT);"
       "INSERT INTO e13 VALUES (-2147483648, 0), (1, 9223372036854775807)",
       "-c", "SELECT b + 1, -i FROM e13"]
errs13 = set()
for opts in ([], ["--morsel-rows", "1"], ["--morsel-rows", "1", "--threads", "2"],
             ["--threads", "4", "--morsel-rows", "3"]):
    rc, out, err = run(*opts, *b13)
    errs13.add((rc, err))
check("the error reported is the first failing row's, for every --threads/--morsel-rows",
      errs13 == {(1, "Error: integer out of range\n")}, repr(errs13))
# many rows, the first bad one far from the start: same error whatever the settings
rows13 = ",".join(f"({k}, {k})" for k in range(1, 3000))
b13b = ["-c", "CREATE TABLE f13(i INTEGER, b BIGINT); INSERT INTO f13 VALUES " + rows13 +
        ", (2000000000, 1), (5, 0), (7, 9223372036854775807)",
        "-c", "SELECT b * 2, i * 2, 100 // b FROM f13"]
errs13 = set()
for opts in ([], ["--morsel-rows", "7"], ["--morsel-rows", "1000", "--threads", "3"],
             ["--threads", "2", "--morsel-rows", "1"]):
    rc, out, err = run(*opts, *b13b)
    errs13.add((rc, err))
check("first failing row wins over later rows and batch order (integer * overflow first)",
      errs13 == {(1, "Error: integer out of range\n")}, repr(errs13))

# ---- progress bar ---------------------------------------------------------------------------

rc, out, err = run("--csv", "-c", "CALL dbgen(sf => 0.05)", "-c", "SELECT count(*) AS n FROM lineitem")
check("no progress bar when stderr is not a TTY", rc == 0 and err == "" and
      parse_csv_blocks(out)[0] == ["n"], show(rc, out, err))


def run_pty_stderr(argv, timeout=300):
    """Run with stdout piped and stderr on a pseudo-terminal; return (rc, stdout, stderr bytes, secs)."""
    master, slave = pty.openpty()
    t0 = time.time()
    p = subprocess.Popen(HY + argv, stdout=subprocess.PIPE, stderr=slave, stdin=subprocess.DEVNULL)
    os.close(slave)
    chunks = []
    while True:
        r, _, _ = select.select([master], [], [], 1.0)
        if r:
            try:
                data = os.read(master, 65536)
            except OSError:
                break
            if not data:
                break
            chunks.append(data)
        elif p.poll() is not None:
            break
        if time.time() - t0 > timeout:
            p.kill()
            break
    out = p.stdout.read()
    p.wait()
    os.close(master)
    return p.returncode, out.decode(), b"".join(chunks), time.time() - t0


rc, out, errb, secs = run_pty_stderr(["--csv", "-c", "CALL dbgen(sf => 0.3)",
                                      "-c", "SELECT count(*) AS n FROM lineitem"])
check("progress on a TTY never reaches stdout", rc == 0 and out.startswith("n\n") and "▕" not in out,
      show(rc, out, errb))
if b"\xe2\x96\x95" in errb:  # the bar's left edge
    check("progress bar is erased when done", errb.rstrip(b" ").endswith(b"\r\x1b[2K"), repr(errb[-200:]))
else:
    print(f"note: no progress bar drawn for dbgen(sf => 0.3) in {secs:.1f} s "
          "(the engine reports progress only for long work)")

# ---- interactive prompt on a TTY ----------------------------------------------------------------

pid, fd = pty.fork()
if pid == 0:
    os.execvp(HY[0], HY)
buf = b""


def read_until(pat, timeout=60):
    global buf
    t0 = time.time()
    while pat not in buf and time.time() - t0 < timeout:
        r, _, _ = select.select([fd], [], [], 0.5)
        if r:
            try:
                buf += os.read(fd, 65536)
            except OSError:
                break
    return pat in buf


got_prompt = read_until(b"hyperion> ")
os.write(fd, b"SELECT\n")
got_cont = read_until(b"...> ")
os.write(fd, b"  41 + 1 AS answer;\n")
got_box = read_until(b"answer")
read_until(b"hyperion> ")
os.write(fd, b"SELECT nope;\n")
got_err = read_until(b"Error:")
os.write(fd, b".quit\n")
try:
    _, status = os.waitpid(pid, 0)
except ChildProcessError:
    status = 0
text = buf.decode(errors="replace")
check("interactive: prompt, continuation prompt, box output on a TTY, errors do not exit",
      got_prompt and got_cont and got_box and got_err and "┌" in text and "42" in text
      and os.WIFEXITED(status), text[-1500:])

# ---- demo -------------------------------------------------------------------------------------

rc, out, err = run("demo", "--sf", "0.01", timeout=600)
groups = re.findall(r"^│\s*([ANR])\s*│\s*([FO])\s*│", out, re.M)
check("demo --sf 0.01: Q1 shows the 4 (returnflag, linestatus) groups in order",
      rc == 0 and groups == [("A", "F"), ("N", "F"), ("N", "O"), ("R", "F")], show(rc, out[-3000:], err))
check("demo: Q6 revenue, timings and plan summary with tier",
      rc == 0 and "revenue" in out and "ms" in out and "tier interpreter" in out
      and "pipeline" in out, out[-2000:])
rc, out, err = run("demo", "--sf", "-1")
check("demo with a bad --sf: exit 2", rc == 2 and "Error:" in err, show(rc, out, err))

print(f"{checks - len(failures)}/{checks} checks passed")
if failures:
    print("FAILED: " + ", ".join(failures))
    sys.exit(1)
