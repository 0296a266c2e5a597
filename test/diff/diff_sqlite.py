#!/usr/bin/env python3
"""Differential test: random tables and queries run on `hyperion` and on SQLite (the oracle,
Python's sqlite3 module); results are compared after normalizing types.

    diff_sqlite.py --emu "<prefix or empty>" --hyperion PATH [--cases N] [--seed S]
                   [--batch Q] [--max-report K]
    HY_SOAK=1 raises the default to 100,000 cases with a random seed.

Only semantics both engines share are generated:
- numbers stay small enough that no integer arithmetic overflows (SQLite would turn an
  overflow into REAL, we raise an error) and doubles are multiples of 1/8, so sums are exact
  in any order; `/` only divides by non-zero dyadic constants (we follow DuckDB: `/` gives a
  DOUBLE; SQLite divides integers), `%` only by non-zero integer constants;
- every ORDER BY is spelled with NULLS FIRST/LAST and covers all output columns (so ties are
  identical rows and LIMIT/OFFSET picks the same rows in both); queries without ORDER BY are
  compared as multisets;
- LIKE is case-sensitive in both (PRAGMA case_sensitive_like); strings are ASCII.
Normalization: booleans -> 0/1, decimals/integers -> numbers; integers compare exactly,
other numbers to 1e-9 relative. An error in both engines counts as agreement.

Each batch is one hyperion process fed a script on stdin in --json --keep-going mode, with a
marker `SELECT '#<n>' AS hy_marker` before query n. Mismatches are shrunk (table rows removed
while the mismatch persists) and printed as a self-contained reproducer.
"""
import argparse
import datetime
import json
import os
import random
import re
import shlex
import sqlite3
import subprocess
import sys
import time
from decimal import Decimal

ap = argparse.ArgumentParser()
ap.add_argument("--emu", default="")
ap.add_argument("--hyperion", required=True)
ap.add_argument("--cases", type=int, default=None)
ap.add_argument("--seed", type=int, default=None)
ap.add_argument("--batch", type=int, default=500, help="queries per hyperion process")
ap.add_argument("--max-report", type=int, default=3, help="mismatches to shrink and print")
ap.add_argument("--soak", action="store_true",
                help="the soak-labelled test: runs only with HY_SOAK=1 (else reports a skip, 77)")
args = ap.parse_args()
SOAK = os.environ.get("HY_SOAK") == "1"
if args.soak and not SOAK:
    print("soak mode: set HY_SOAK=1 (make soak) to run 100,000+ cases; skipped")
    sys.exit(77)
if args.soak:
    args.cases = None
CASES = args.cases if args.cases is not None else (100000 if SOAK else 10000)
SEED = args.seed if args.seed is not None else (random.randrange(1 << 30) if SOAK else 20240611)
HY = shlex.split(args.emu) + [args.hyperion]

INT_MAX = 2**31 - 1
BIG_LIMIT = 2**62
FLT_LIMIT = 1e15
MAX_ROWS = 3000  # bound for aggregate overflow checks (tables have up to 60 rows, or 3000 when big)

NUM = "IBFD"  # expression classes: INTEGER BIGINT DOUBLE DECIMAL; also S VARCHAR, L BOOLEAN, T DATE
ALPHABET = "abcAB_% x"


class X:
    """A generated expression: its text in our dialect and in SQLite's, its type class
    (I B F D S L) and a bound on its absolute value (numbers)."""
    __slots__ = ("hy", "lite", "t", "bound", "lit")

    def __init__(self, hy, lite, t, bound=0, lit=False):
        self.hy, self.lite, self.t, self.bound, self.lit = hy, lite, t, bound, lit


def both(fmt, *xs, t, bound=0):
    return X(fmt.format(*[x.hy for x in xs]), fmt.format(*[x.lite for x in xs]), t, bound)


def unify(a, b):
    """Result class of arithmetic between classes a and b (our binder's rules)."""
    if "F" in (a, b):
        return "F"
    if "D" in (a, b):
        return "D"
    if "B" in (a, b):
        return "B"
    return "I"


def fits(t, bound):
    return bound <= {"I": INT_MAX, "B": BIG_LIMIT, "F": FLT_LIMIT, "D": FLT_LIMIT}[t]


def sql_str(s):
    return "'" + s.replace("'", "''") + "'"


# ---- tables ----------------------------------------------------------------------------------

# column kinds: I INTEGER, B BIGINT, F DOUBLE, M DECIMAL(15,2), S VARCHAR, L BOOLEAN, T DATE.
# SQLite stores DECIMAL values (multiples of 1/4, exact in binary) as REAL and dates as ISO text.
TYPES = {"I": "INTEGER", "B": "BIGINT", "F": "DOUBLE", "M": "DECIMAL(15,2)", "S": "VARCHAR",
         "L": "BOOLEAN", "T": "DATE"}
LITE_TYPES = dict(TYPES, M="DOUBLE", T="TEXT")
BOUNDS = {"I": 10000, "B": 2**33, "F": 1e5, "M": 1e6}
PREFIX = {"I": "i", "B": "b", "F": "f", "M": "m", "S": "s", "L": "l", "T": "dt"}
CLASS = {"I": "I", "B": "B", "F": "F", "M": "D", "S": "S", "L": "L", "T": "T"}
DATE0 = datetime.date(1900, 1, 1).toordinal()
DATE1 = datetime.date(2099, 12, 31).toordinal()


def rand_string(r):
    if r.random() < 0.1:
        return ""
    if r.random() < 0.03:
        return "it's"
    return "".join(r.choice(ALPHABET) for _ in range(r.randint(1, 5)))


def gen_value(r, t, pool):
    if r.random() < 0.15:
        return None
    if pool and r.random() < 0.5:
        return r.choice(pool)  # duplicates
    if t == "I":
        return r.choice([0, 1, -1, r.randint(-100, 100), r.randint(-10000, 10000)])
    if t == "B":
        return r.choice([0, -1, r.randint(-2**33, 2**33), r.randint(-1000, 1000),
                         r.choice([2**31, -2**31 - 1, 2**32 + 7])])
    if t == "F":
        return r.randint(-800000, 800000) / 8 if r.random() < 0.7 else r.randint(-40, 40) / 4
    if t == "M":
        return r.randint(-4000000, 4000000) / 4 if r.random() < 0.8 else r.randint(-40, 40) / 4
    if t == "S":
        return rand_string(r)
    if t == "T":
        return datetime.date.fromordinal(r.randint(DATE0, DATE1)).isoformat()
    return r.random() < 0.5


class Table:
    def __init__(self, name, cols, rows):
        self.name, self.cols, self.rows = name, cols, rows  # cols: [(name, class)]

    def create_sql(self, types=TYPES):
        return f"CREATE TABLE {self.name}(" + ", ".join(f"{n} {types[t]}" for n, t in self.cols) + ")"

    def insert_sql(self, rows=None):
        rows = self.rows if rows is None else rows
        if not rows:
            return []
        out = []
        for i in range(0, len(rows), 100):
            vals = ", ".join("(" + ", ".join(lit_value(v, t) for v, (_, t) in zip(row, self.cols)) + ")"
                             for row in rows[i:i + 100])
            out.append(f"INSERT INTO {self.name} VALUES {vals}")
        return out


def lit_value(v, t):
    if v is None:
        return "NULL"
    if t == "L":
        return "true" if v else "false"
    if t == "S":
        return sql_str(v)
    if t in "FM":
        return repr(float(v))
    if t == "T":
        return f"DATE '{v}'"
    return str(v)


def gen_table(r, name, big=False):
    ncols = r.randint(2, 6)
    kinds = [r.choice("IIBFFMSSLT") for _ in range(ncols)]
    cols = [(f"{PREFIX[k]}{i}", k) for i, k in enumerate(kinds)]
    nrows = 0 if r.random() < 0.06 else r.randint(1, 60)
    if big:  # crosses vector (1-2K) batches inside one morsel
        nrows = r.randint(2049, MAX_ROWS)
    all_null = r.randrange(ncols) if r.random() < 0.1 else -1
    pools = []
    for _, t in cols:
        pools.append([gen_value(r, t, None) for _ in range(r.randint(1, 4))])
    rows = []
    for _ in range(nrows):
        rows.append(tuple(None if c == all_null else gen_value(r, t, pools[c])
                          for c, (_, t) in enumerate(cols)))
    return Table(name, cols, rows)


# ---- expressions -----------------------------------------------------------------------------

class Gen:
    def __init__(self, r, table):
        self.r, self.table = r, table

    def cols_of(self, kinds):
        return [(n, t) for n, t in self.table.cols if t in kinds]

    def col(self, n, t):
        return X(n, n, CLASS[t], BOUNDS.get(t, 0))

    def date_lit(self):
        v = datetime.date.fromordinal(self.r.randint(DATE0, DATE1)).isoformat()
        return X(f"DATE '{v}'", f"'{v}'", "T", lit=True)

    def int_lit(self, lo=-100, hi=100):
        v = self.r.randint(lo, hi)
        s = f"({v})" if v < 0 else str(v)
        return X(s, s, "I", abs(v), lit=True)

    def dec_lit(self):
        v = self.r.choice([0.5, 0.25, 1.5, 2.5, 0.75, 12.125, 3.0])
        if self.r.random() < 0.3:
            v = -v
        s = repr(v)
        s = f"({s})" if v < 0 else s
        return X(s, s, "D", abs(v), lit=True)

    def str_lit(self):
        s = sql_str(rand_string(self.r))
        return X(s, s, "S", lit=True)

    # numbers
    def num(self, d):
        r = self.r
        cols = self.cols_of("IBFM")
        choice = r.random()
        if d <= 0 or choice < 0.35:
            if cols and r.random() < 0.8:
                return self.col(*r.choice(cols))
            return self.int_lit() if r.random() < 0.6 else self.dec_lit()
        for _ in range(6):
            k = r.randrange(12)
            if k <= 2:  # + - *
                a, b = self.num(d - 1), self.num(d - 1)
                op = "+-*"[k]
                t = unify(a.t, b.t)
                bound = a.bound + b.bound if op != "*" else a.bound * b.bound
                if op == "*" and t == "D" and not (a.lit or b.lit):
                    continue  # keep DECIMAL precision small
                if fits(t, bound):
                    return both("({} " + op + " {})", a, b, t=t, bound=bound)
            elif k == 3:
                a = self.num(d - 1)
                return both("(- {})", a, t=a.t, bound=a.bound)
            elif k == 4:
                a = self.num(d - 1)
                return both("abs({})", a, t=a.t, bound=a.bound)
            elif k == 5:
                a = self.num(d - 1)
                if a.t in "IB":
                    c = self.r.choice([2, 3, 7, -4, 10])
                    cs = f"({c})" if c < 0 else str(c)
                    return X(f"({a.hy} % {cs})", f"({a.lite} % {cs})", a.t, abs(c))
            elif k == 6:
                a = self.num(d - 1)
                c = self.r.choice(["2.0", "4.0", "0.5", "(-8.0)", "0.25"])
                div = abs(float(c.strip("()")))
                return X(f"({a.hy} / {c})", f"({a.lite} / {c})", "F", a.bound / div)
            elif k == 7:
                p, a, b = self.pred(d - 1), self.num(d - 1), self.num(d - 1)
                t = unify(a.t, b.t)
                if self.r.random() < 0.5:
                    return both("CASE WHEN {} THEN {} ELSE {} END", p, a, b, t=t, bound=max(a.bound, b.bound))
                return both("CASE WHEN {} THEN {} END", p, a, t=a.t, bound=a.bound)
            elif k == 8:
                a, b = self.num(d - 1), self.num(d - 1)
                return both("COALESCE({}, {})", a, b, t=unify(a.t, b.t), bound=max(a.bound, b.bound))
            elif k == 9:
                s = self.str(d - 1)
                return both("length({})", s, t="B", bound=1000)
            elif k == 10:
                a = self.num(d - 1)
                if a.t in "IB":
                    return both("CAST({} AS DOUBLE)", a, t="F", bound=a.bound)
                if self.cols_of("T"):
                    x = self.date(d - 1)
                    if r.random() < 0.5:
                        y = self.date(d - 1)
                        return X(f"({x.hy} - {y.hy})",
                                 f"CAST(julianday({x.lite}) - julianday({y.lite}) AS INTEGER)", "B", 10**6)
                    part, fmt = r.choice([("YEAR", "%Y"), ("MONTH", "%m"), ("DAY", "%d")])
                    return X(f"EXTRACT({part} FROM {x.hy})",
                             f"CAST(strftime('{fmt}', {x.lite}) AS INTEGER)", "B", 10000)
            else:
                a = self.num(d - 1)
                if a.t == "I":
                    return both("CAST({} AS BIGINT)", a, t="B", bound=a.bound)
        return self.col(*self.r.choice(cols)) if cols else self.int_lit()

    # strings
    def str(self, d):
        r = self.r
        cols = self.cols_of("S")
        if d <= 0 or r.random() < 0.4:
            if cols and r.random() < 0.8:
                n, _ = r.choice(cols)
                return X(n, n, "S")
            return self.str_lit()
        k = r.randrange(6)
        if k == 0:
            return both("upper({})", self.str(d - 1), t="S")
        if k == 1:
            return both("lower({})", self.str(d - 1), t="S")
        if k == 2:
            s = self.str(d - 1)
            a, b = r.randint(1, 4), r.randint(0, 4)
            return X(f"substring({s.hy}, {a}, {b})", f"substr({s.lite}, {a}, {b})", "S")
        if k == 3:
            return both("({} || {})", self.str(d - 1), self.str(d - 1), t="S")
        if k == 4:
            return both("CASE WHEN {} THEN {} ELSE {} END", self.pred(d - 1), self.str(d - 1),
                        self.str(d - 1), t="S")
        return both("COALESCE({}, {})", self.str(d - 1), self.str(d - 1), t="S")

    # dates (only DAY intervals: SQLite's month arithmetic does not clamp like PostgreSQL's)
    def date(self, d):
        r = self.r
        cols = self.cols_of("T")
        if d <= 0 or r.random() < 0.5:
            if cols and r.random() < 0.85:
                return self.col(*r.choice(cols))
            return self.date_lit()
        k = r.randrange(4)
        if k <= 1:
            n = r.randint(0, 400)
            sign = "+-"[k]
            x = self.date(d - 1)
            return X(f"({x.hy} {sign} INTERVAL '{n}' DAY)", f"date({x.lite}, '{sign}{n} days')", "T")
        if k == 2:
            return both("CASE WHEN {} THEN {} ELSE {} END", self.pred(d - 1), self.date(d - 1),
                        self.date(d - 1), t="T")
        return both("COALESCE({}, {})", self.date(d - 1), self.date(d - 1), t="T")

    def like_pattern(self):
        r = self.r
        p = "".join(r.choice("abA_%%x") for _ in range(r.randint(0, 4)))
        return sql_str(p)

    # booleans
    def pred(self, d):
        r = self.r
        bools = self.cols_of("L")
        k = r.randrange(13)
        if d <= 0:
            k = r.choice([0, 1, 3, 6])
        if k == 0 or k == 1:
            k2 = r.random()
            if k2 < 0.6:
                a, b = self.num(d - 1), self.num(d - 1)
            elif k2 < 0.85 or not self.cols_of("T"):
                a, b = self.str(d - 1), self.str(d - 1)
            else:
                a, b = self.date(d - 1), self.date(d - 1)
            op = r.choice(["=", "<>", "<", "<=", ">", ">="])
            return both("({} " + op + " {})", a, b, t="L")
        if k == 2 and bools:
            n, _ = r.choice(bools)
            return X(n, n, "L")
        if k == 3:
            x = self.any_scalar(d - 1)
            neg = " NOT" if r.random() < 0.5 else ""
            return both("({} IS" + neg + " NULL)", x, t="L")
        if k == 4:
            k2 = r.random()
            if k2 < 0.6:
                x, a, b = self.num(d - 1), self.num(0), self.num(0)
            elif k2 < 0.8 or not self.cols_of("T"):
                x, a, b = self.str(d - 1), self.str(0), self.str(0)
            else:
                x, a, b = self.date(d - 1), self.date(0), self.date(0)
            neg = " NOT" if r.random() < 0.3 else ""
            return both("({}" + neg + " BETWEEN {} AND {})", x, a, b, t="L")
        if k == 5:
            neg = " NOT" if r.random() < 0.3 else ""
            k2 = r.random()
            if k2 < 0.5:
                x = self.num(d - 1)
                items = [self.int_lit(-20, 20) for _ in range(r.randint(1, 4))]
            elif k2 < 0.6 and self.cols_of("T"):
                x = self.date(d - 1)
                items = [self.date_lit() for _ in range(r.randint(1, 3))]
            else:
                x = self.str(d - 1)
                items = [self.str_lit() for _ in range(r.randint(1, 4))]
            return X(f"({x.hy}{neg} IN (" + ", ".join(i.hy for i in items) + "))",
                     f"({x.lite}{neg} IN (" + ", ".join(i.lite for i in items) + "))", "L")
        if k == 6:
            s = self.str(d - 1)
            neg = " NOT" if r.random() < 0.3 else ""
            pat = self.like_pattern()
            return X(f"({s.hy}{neg} LIKE {pat})", f"({s.lite}{neg} LIKE {pat})", "L")
        if k == 7:
            return both("(NOT {})", self.pred(d - 1), t="L")
        if k in (8, 9):
            op = "AND" if k == 8 else "OR"
            return both("({} " + op + " {})", self.pred(d - 1), self.pred(d - 1), t="L")
        if k == 10 and bools:
            n, _ = r.choice(bools)
            v = r.choice(["true", "false"])
            return X(f"({n} = {v})", f"({n} = {v})", "L")
        if k == 11:
            return both("CASE WHEN {} THEN {} ELSE {} END", self.pred(d - 1), self.pred(d - 1),
                        self.pred(d - 1), t="L")
        return self.pred(d - 1) if d > 0 else both("({} IS NULL)", self.any_scalar(0), t="L")

    def any_scalar(self, d):
        k = self.r.random()
        if k < 0.5:
            return self.num(d)
        if k < 0.75:
            return self.str(d)
        if k < 0.85 and self.cols_of("T"):
            return self.date(d)
        return self.pred(d)

    def aggregate(self, d):
        r = self.r
        k = r.randrange(7)
        if k == 0:
            return X("count(*)", "count(*)", "B", 10**6)
        if k == 1:
            x = self.any_scalar(d)
            return both("count({})", x, t="B", bound=10**6)
        if k in (2, 3):
            x = self.num(d)
            f = "sum" if k == 2 else "avg"
            if x.bound * MAX_ROWS > (BIG_LIMIT if x.t in "IB" else FLT_LIMIT):
                x = self.num(0)
            t = ("B" if x.t in "IB" else x.t) if f == "sum" else "F"
            return both(f + "({})", x, t=t, bound=x.bound * MAX_ROWS)
        k2 = r.random()
        x = self.num(d) if k2 < 0.6 else self.date(d) if k2 < 0.75 and self.cols_of("T") else self.str(d)
        f = "min" if k in (4, 5) else "max"
        return both(f + "({})", x, t=x.t, bound=x.bound)


# ---- queries ---------------------------------------------------------------------------------

class Query:
    def __init__(self, hy, lite, ordered, names):
        self.hy, self.lite, self.ordered, self.names = hy, lite, ordered, names


def order_clause(r, names, hy_dialect=True):
    perm = list(range(len(names)))
    r.shuffle(perm)
    parts = []
    for i in perm:
        ref = str(i + 1) if r.random() < 0.3 else names[i]
        d = r.choice(["", " ASC", " DESC"])
        nl = r.choice([" NULLS FIRST", " NULLS LAST"])
        parts.append(ref + d + nl)
    return " ORDER BY " + ", ".join(parts)


def gen_query(r, table):
    g = Gen(r, table)
    depth = r.choice([0, 1, 1, 2, 2, 3])
    shape = r.random()
    where = g.pred(depth) if r.random() < 0.6 else None
    hy_sel, lite_sel, names = [], [], []
    group_hy, group_lite, having = [], [], None
    distinct = False
    if shape < 0.45:  # plain projection
        for i in range(r.randint(1, 4)):
            x = g.any_scalar(depth)
            hy_sel.append(x.hy)
            lite_sel.append(x.lite)
        distinct = r.random() < 0.2
    elif shape < 0.6:  # aggregates over the whole table
        for i in range(r.randint(1, 4)):
            x = g.aggregate(depth)
            hy_sel.append(x.hy)
            lite_sel.append(x.lite)
    else:  # GROUP BY
        keys = []
        for _ in range(r.randint(1, 2)):
            if r.random() < 0.6 and table.cols:
                keys.append(g.col(*r.choice(table.cols)))
            else:
                k = g.any_scalar(min(depth, 1))
                if table.cols and not re.search(r"\b(" + "|".join(n for n, _ in table.cols) + r")\b", k.hy):
                    # constant keys: SQLite reads a constant GROUP BY term as an ordinal
                    k = g.col(*r.choice(table.cols))
                keys.append(k)
        shown = [k for k in keys if r.random() < 0.85] or keys[:1]
        for k in shown:
            hy_sel.append(k.hy)
            lite_sel.append(k.lite)
        for _ in range(r.randint(1, 3)):
            x = g.aggregate(min(depth, 2))
            hy_sel.append(x.hy)
            lite_sel.append(x.lite)
        if len(shown) == len(keys) and r.random() < 0.4:
            group_hy = group_lite = [str(i + 1) for i in range(len(keys))]  # ordinals
        else:
            group_hy = [k.hy for k in keys]
            group_lite = [k.lite for k in keys]
        if r.random() < 0.3:
            a = g.aggregate(0)
            while a.t not in NUM:
                a = g.aggregate(0)
            op = r.choice([">", ">=", "<", "<>", "="])
            c = g.int_lit(-5, 20)
            having = (f"{a.hy} {op} {c.hy}", f"{a.lite} {op} {c.lite}")
        distinct = r.random() < 0.1
    names = [f"o{i}" for i in range(len(hy_sel))]
    ordered = r.random() < 0.5
    order = order_clause(r, names) if ordered else ""
    limit = ""
    if ordered and r.random() < 0.4:
        limit = f" LIMIT {r.randint(0, 8)}"
        if r.random() < 0.5:
            limit += f" OFFSET {r.randint(0, 5)}"

    def render(sel, w, grp, hav):
        s = "SELECT " + ("DISTINCT " if distinct else "")
        s += ", ".join(f"{e} AS {n}" for e, n in zip(sel, names))
        s += f" FROM {table.name}"
        if w is not None:
            s += f" WHERE {w}"
        if grp:
            s += " GROUP BY " + ", ".join(grp)
        if hav:
            s += f" HAVING {hav}"
        return s + order + limit

    hy = render(hy_sel, where.hy if where else None, group_hy, having[0] if having else None)
    lite = render(lite_sel, where.lite if where else None, group_lite, having[1] if having else None)
    return Query(hy, lite, ordered, names)


# ---- running and comparing -----------------------------------------------------------------------

def norm_hy(v):
    return int(v) if isinstance(v, bool) else v


def num_eq(a, b):
    if isinstance(a, int) and isinstance(b, int):
        return a == b
    fa, fb = float(a), float(b)
    if fa == fb:
        return True
    return abs(fa - fb) <= 1e-9 * max(abs(fa), abs(fb))


def cell_eq(a, b):
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, str) or isinstance(b, str):
        return isinstance(a, str) and isinstance(b, str) and a == b
    return num_eq(a, b)


def sort_key(row):
    key = []
    for v in row:
        if v is None:
            key.append((0, 0.0, ""))
        elif isinstance(v, str):
            key.append((2, 0.0, v))
        else:
            key.append((1, float(v), ""))
    return key


def rows_eq(a, b, ordered):
    if len(a) != len(b):
        return False
    if not ordered:
        a, b = sorted(a, key=sort_key), sorted(b, key=sort_key)
    return all(len(x) == len(y) and all(cell_eq(p, q) for p, q in zip(x, y)) for x, y in zip(a, b))


def run_hyperion(script, extra=()):
    p = subprocess.run(HY + ["--json", "--keep-going"] + list(extra), input=script, capture_output=True,
                       text=True, timeout=3600)
    return p.returncode, p.stdout, p.stderr


def parse_batch(out, n):
    """Split --json output by markers: results[i] = list of rows, or None when query i printed
    nothing (it failed). Returns (results, crashed_at or None)."""
    results = [None] * n
    cur = None
    seen = set()
    for line in out.splitlines():
        if not line.strip():
            continue
        doc = json.loads(line, parse_float=Decimal)
        if len(doc) == 1 and list(doc[0].keys()) == ["hy_marker"]:
            cur = int(doc[0]["hy_marker"][1:])
            seen.add(cur)
            continue
        if cur is None or results[cur] is not None:
            raise ValueError(f"unexpected output line after marker {cur}: {line[:200]}")
        results[cur] = ([list(d.keys()) for d in doc[:1]],
                        [[norm_hy(v) for v in d.values()] for d in doc])
    crashed = None
    if len(seen) < n:
        crashed = max(seen) if seen else 0
    return results, crashed


def sqlite_conn(tables, rows_override=None):
    con = sqlite3.connect(":memory:")
    con.execute("PRAGMA case_sensitive_like = ON")
    for t in tables:
        con.execute(t.create_sql(LITE_TYPES))
        rows = t.rows if rows_override is None or t.name not in rows_override else rows_override[t.name]
        if rows:
            con.executemany(f"INSERT INTO {t.name} VALUES (" + ",".join("?" * len(t.cols)) + ")",
                            [tuple(int(v) if isinstance(v, bool) else v for v in row) for row in rows])
    return con


def run_sqlite(con, sql):
    try:
        cur = con.execute(sql)
        rows = [list(r) for r in cur.fetchall()]
        return ([d[0] for d in cur.description], rows), None
    except sqlite3.Error as e:
        return None, str(e)


def compare(hy_res, lite_res, q):
    """True if results agree (an error in both counts as agreement)."""
    if hy_res is None or lite_res is None:
        return hy_res is None and lite_res is None
    hy_names, hy_rows = hy_res
    _, lite_rows = lite_res
    if hy_rows and hy_names and hy_names[0] != q.names:
        return False
    return rows_eq(hy_rows, lite_rows, q.ordered)


def script_for(tables, queries, rows_override=None):
    lines = []
    for t in tables:
        lines.append(t.create_sql() + ";")
        rows = t.rows if rows_override is None or t.name not in rows_override else rows_override[t.name]
        lines.extend(s + ";" for s in t.insert_sql(rows))
    for i, q in enumerate(queries):
        lines.append(f"SELECT '#{i}' AS hy_marker;")
        lines.append(q.hy + ";")
    return "\n".join(lines) + "\n"


def check_one(table, q, rows, extra):
    """Run one query over `rows` of `table` in fresh engines; True if they agree."""
    rc, out, err = run_hyperion(script_for([table], [q], {table.name: rows}), extra)
    try:
        res, crashed = parse_batch(out, 1)
    except ValueError:
        return False, None, None, err
    lite, lerr = run_sqlite(sqlite_conn([table], {table.name: rows}), q.lite)
    if crashed is not None or rc not in (0, 1):
        return False, res[0], lite, err
    return compare(res[0], lite, q), res[0], lite, err or lerr


def shrink(table, q, extra):
    rows = list(table.rows)
    ok, *_ = check_one(table, q, rows, extra)
    if ok:
        return None  # not reproducible alone
    chunk = max(1, len(rows) // 2)
    attempts = 0
    while chunk >= 1 and attempts < 150:
        i, changed = 0, False
        while i < len(rows) and attempts < 150:
            cand = rows[:i] + rows[i + chunk:]
            attempts += 1
            ok, *_ = check_one(table, q, cand, extra)
            if not ok:
                rows, changed = cand, True
            else:
                i += chunk
        if not changed:
            chunk //= 2
    return rows


def show_result(res, limit=12):
    if res is None:
        return "    (error)"
    names, rows = res
    out = [f"    {len(rows)} row(s)"]
    out += ["    " + repr(r) for r in rows[:limit]]
    if len(rows) > limit:
        out.append("    ...")
    return "\n".join(out)


def report(table, q, hy_res, lite_res, err_text, extra):
    print("=" * 78)
    print("MISMATCH" + (" (hyperion " + " ".join(extra) + ")" if extra else ""))
    rows = shrink(table, q, extra)
    if rows is None:
        print("  (does not reproduce on a fresh database; full table shown)")
        rows = table.rows
    hy_ok, hy_res2, lite_res2, err2 = check_one(table, q, rows, extra)
    print("-- reproducer (our dialect):")
    print(table.create_sql() + ";")
    for s in table.insert_sql(rows):
        print(s + ";")
    print(q.hy + ";")
    print("-- SQLite spelling of the query:")
    print(q.lite + ";")
    print("-- hyperion:")
    print(show_result(hy_res2 if rows is not table.rows else hy_res))
    if err2 or err_text:
        print("    stderr: " + (err2 or err_text).strip()[:500])
    print("-- sqlite:")
    print(show_result(lite_res2 if rows is not table.rows else lite_res))
    sys.stdout.flush()


def main():
    r = random.Random(SEED)
    t0 = time.time()
    cases = mismatches = errors_both = rows_compared = nonempty = 0
    reported = 0
    batch_no = 0
    while cases < CASES:
        n = min(args.batch, CASES - cases)
        tables = [gen_table(r, f"t{i}", big=(i == 0 and batch_no % 5 == 4)) for i in range(3)]
        # every other batch runs with tiny morsels and two threads (morsel boundaries)
        extra = ("--morsel-rows", str(r.choice([1, 3, 7, 64, 1000])), "--threads", "2") \
            if batch_no % 2 else ()
        queries, qtab = [], []
        for _ in range(n):
            t = r.choice(tables)
            queries.append(gen_query(r, t))
            qtab.append(t)
        rc, out, err = run_hyperion(script_for(tables, queries), extra)
        try:
            results, crashed = parse_batch(out, n)
        except ValueError as e:
            print(f"batch {batch_no}: cannot parse hyperion output: {e}")
            print(err[-2000:])
            mismatches += 1
            break
        if crashed is not None or rc not in (0, 1):
            q = queries[crashed]
            print(f"batch {batch_no}: hyperion exited with status {rc} near query #{crashed}:")
            print("  " + q.hy)
            print("  stderr tail: " + err[-1500:])
            mismatches += 1
            cases += crashed + 1
            if reported < args.max_report:
                report(qtab[crashed], q, None, None, err, extra)
                reported += 1
            batch_no += 1
            continue
        err_lines = [l for l in err.splitlines() if l.startswith("Error:")]
        err_iter = iter(err_lines)
        con = sqlite_conn(tables)
        for i, q in enumerate(queries):
            hy_res = results[i]
            hy_err = next(err_iter, "Error: ?") if hy_res is None else None
            lite_res, lite_err = run_sqlite(con, q.lite)
            cases += 1
            if hy_res is None and lite_res is None:
                errors_both += 1
                continue
            if lite_res is not None:
                rows_compared += len(lite_res[1])
                nonempty += 1 if lite_res[1] else 0
            if not compare(hy_res, lite_res, q):
                mismatches += 1
                if reported < args.max_report:
                    report(qtab[i], q, hy_res, lite_res, hy_err or lite_err or "", extra)
                    if hy_err:
                        print(f"    hyperion error: {hy_err}")
                    if lite_err:
                        print(f"    sqlite error: {lite_err}")
                    reported += 1
        con.close()
        batch_no += 1
    secs = time.time() - t0
    print(f"differential vs SQLite {sqlite3.sqlite_version}: {cases} cases, {mismatches} mismatches, "
          f"{errors_both} errors in both, seed {SEED}, {secs:.1f} s{' (soak)' if SOAK else ''}")
    print(f"  {nonempty} cases returned rows; {rows_compared} result rows compared")
    if cases and nonempty < cases // 2:
        print("too few non-empty results: the generator is not exercising the engine")
        return 1
    if cases < 10000 and not args.cases:
        print("too few cases")
        return 1
    return 1 if mismatches else 0


sys.exit(main())
