/*
 * Bound statements: typed expressions and physical plan trees, produced by the binder
 * (plan/) from the AST (sql/) and executed by exec/.
 *
 * Contract between binder and executor
 * - Every expression is fully typed. The binder inserts explicit CASTs so that each scalar
 *   function sees exactly the argument types listed below; exec never guesses.
 * - Column references are positional: HY_EX_COLUMN{index} refers to column `index` of the
 *   operator's child output (for SCAN filters: of the scan's output columns).
 * - Plans are trees; each node lists its output columns (names + types). A pipeline is a
 *   chain of streaming operators (SCAN → FILTER → PROJECT) ending at a breaker
 *   (AGGREGATE, SORT, LIMIT over materialized input, or the result). Joins (a later issue)
 *   will add HY_PLAN_HASH_JOIN with child[1] as the build side.
 * - All plan memory lives in the statement's arena.
 *
 * Type rules (PostgreSQL/DuckDB dialect; chosen and implemented by the binder):
 * - Arithmetic on INTEGER/BIGINT: both sides cast to the wider; overflow is an error.
 *   `/` on integers yields DOUBLE (DuckDB); `//` is integer division; `%` integer modulo.
 *   Division or modulo by zero is an error ("division by zero") for every type.
 * - Literals (DuckDB): an integer literal is typed by its digits with the sign folded in:
 *   INTEGER when |v| <= 2147483647 (so -2147483648 is a BIGINT), BIGINT when it fits 64 bits,
 *   DECIMAL(38,0) up to 38 digits (DuckDB's HUGEINT), else DOUBLE. A literal with a point is
 *   DECIMAL(every digit written, digits after the point) up to 38 digits, else DOUBLE; an
 *   exponent makes it DOUBLE.
 * - DECIMAL (DuckDB rules, checked against DuckDB 1.5). An INTEGER operand counts as
 *   DECIMAL(10,0) and a BIGINT as DECIMAL(19,0), literals and constants included; "narrow"
 *   below means both operands have <= 18 digits.
 *   ADD/SUB: scale = max(s1,s2), prec = max(p1-s1,p2-s2)+scale+1, capped at 18 when narrow
 *   (a 64-bit result; DECIMAL(18,2)+DECIMAL(18,2) is DECIMAL(18,2)) and at 38; the binder
 *   casts both arguments to DECIMAL(prec, scale) first (a value that does not fit that cast,
 *   e.g. 1 into the DECIMAL(18,18) of DECIMAL(18,18)+DECIMAL(18,0), is an overflow error).
 *   MUL: scale = s1+s2 (> 38 is a bind error), prec = p1+p2, capped at 18 when narrow and
 *   scale < 18, and at 38; arguments keep their own types (exec multiplies raw values).
 *   MOD: both cast to the common DECIMAL (max integer digits + max scale, no carry digit);
 *   DOUBLE when that needs more than 38 digits. `/` and `//` with a DECIMAL yield DOUBLE.
 *   DECIMAL with DOUBLE: both to DOUBLE. NEG/ABS keep the type. A result that does not fit
 *   its precision is an overflow error ("DECIMAL(18,2) out of range"); after capping this is
 *   a run-time check, as in DuckDB.
 *   CASE/COALESCE results: the common DECIMAL as for MOD; past 38 digits the scale shrinks so
 *   the integer digits fit (DuckDB). Comparison/IN/BETWEEN operands use the same rule but,
 *   their type never being visible, integer constants count with their own digit count.
 * - SUM(INTEGER) -> BIGINT, SUM(BIGINT) -> DECIMAL(38,0), SUM(DECIMAL(p,s)) -> DECIMAL(38,s),
 *   SUM(DOUBLE) -> DOUBLE; AVG(any numeric) -> DOUBLE; COUNT -> BIGINT; MIN/MAX keep the type.
 *   Sums accumulate in 128 bits and fail only if the final value leaves the result type.
 * - DATE + INTEGER / INTERVAL n DAY -> DATE_ADD_DAYS; INTERVAL n MONTH|YEAR -> DATE_ADD_MONTHS
 *   (YEAR = 12 months); DATE - DATE -> BIGINT days (DATE_DIFF).
 *
 * Binder conventions (added by P; what exec can rely on):
 * - WHERE and HAVING become FILTER nodes; the binder never sets scan.filter (left to a later
 *   zone-map-aware pass). No operator has zero output columns: a SCAN reads at least one
 *   column (the first one when the query needs none, e.g. count(*)); a SELECT without FROM
 *   that needs an input row (WHERE, aggregates) reads a one-row VALUES with one INTEGER
 *   column "dummy"; an AGGREGATE without group keys always has at least one aggregate. A
 *   DISTINCT is an AGGREGATE whose keys are all child columns and with no aggregates.
 * - A SELECT without FROM, WHERE or aggregates is a one-row VALUES of its select list.
 *   VALUES expressions contain no columns but are not necessarily folded: a fold that would
 *   fail (1/0, overflow, date out of range) is left in place for exec to evaluate and report.
 * - HY_TYPE_NULL is only the type of a bare NULL result column (or a CASE/COALESCE of only
 *   NULLs); arguments of functions, comparisons, aggregates are always concretely typed.
 * - CAST pairs the binder emits: X -> VARCHAR, VARCHAR -> X, numeric/BOOLEAN <-> numeric/
 *   BOOLEAN, DATE -> DATE, NULL -> X (same semantics as hy_value_cast).
 * - ROUND(x, n): DOUBLE x: result DOUBLE, n any INTEGER expression. DECIMAL(p,s) x: n is a
 *   constant < s; result DECIMAL(p, n) when n >= 0, DECIMAL(min(p+1,38), 0) when n < 0
 *   (round half away from zero at 10^-n). round(x, n >= s) is bound as x itself, as is
 *   round(integer, n >= 0); round(integer, n < 0) rounds CAST(x AS DECIMAL(10|19,0)).
 *   (Deliberately not DuckDB's types for n < 0: DuckDB keeps DECIMAL(p,0), INTEGER, BIGINT,
 *   which lose the carry digit: it wraps round(2147483647, -1) and returns 10000 as a
 *   DECIMAL(4,0) for round(9999::DECIMAL(4,0), -1).)
 * - DATE - n is DATE_ADD_DAYS(d, NEG(CAST(n AS BIGINT))); IDIV with a DECIMAL operand is
 *   bound on DOUBLE, MOD on DECIMAL(p,s) (both arguments of the result type, see above, or
 *   DOUBLE); COUNT(NULL literal) gets an INTEGER argument. typeof(x) is folded to a VARCHAR
 *   constant (DuckDB's type name) at bind time.
 * - SORT keys always carry an explicit nulls_first (the PostgreSQL default applied).
 * - COLUMN expressions carry the child's output column name in `name`; every expression has
 *   src_offset = byte offset of its SQL token.
 * - hy_plan_pipeline_text(p): p is the operator that ends a pipeline (a breaker or the plan
 *   root); the chain runs from the pipeline's source (SCAN/VALUES, or the breaker below whose
 *   materialized output it reads) up to p. AGGREGATE prints as HASH_AGGREGATE when it has
 *   group keys.
 */
#ifndef HY_PLAN_H
#define HY_PLAN_H

#include <stdbool.h>
#include <stdint.h>

#include "common/arena.h"
#include "common/types.h"
#include "storage/storage.h"

/* Scalar functions: id, SQL spelling (for EXPLAIN), argument count (-1 = variadic).
 * Argument types after binding:
 *   ADD SUB MUL IDIV MOD: (INTEGER,INTEGER) | (BIGINT,BIGINT) | (DOUBLE,DOUBLE) |
 *                         (DECIMAL,DECIMAL) [not IDIV on DECIMAL]
 *   DIV: (DOUBLE,DOUBLE) only (the binder casts)       NEG ABS: one numeric
 *   EQ..GE: two args of identical type (DECIMALs of identical scale)  -> BOOLEAN
 *   ROUND(DECIMAL|DOUBLE, INTEGER digits)  LENGTH(VARCHAR)->BIGINT
 *   SUBSTRING(VARCHAR, BIGINT start[, BIGINT len]) (1-based, PostgreSQL semantics)
 *   UPPER/LOWER(VARCHAR)   CONCAT(VARCHAR,VARCHAR)
 *   YEAR/MONTH/DAY(DATE) -> BIGINT   DATE_ADD_DAYS(DATE,BIGINT)  DATE_ADD_MONTHS(DATE,BIGINT)
 *   DATE_DIFF(DATE,DATE) -> BIGINT */
#define HY_SCALAR_FUNCS(_)                  \
    _(ADD, "+", 2)                          \
    _(SUB, "-", 2)                          \
    _(MUL, "*", 2)                          \
    _(DIV, "/", 2)                          \
    _(IDIV, "//", 2)                        \
    _(MOD, "%", 2)                          \
    _(NEG, "-", 1)                          \
    _(EQ, "=", 2)                           \
    _(NE, "<>", 2)                          \
    _(LT, "<", 2)                           \
    _(LE, "<=", 2)                          \
    _(GT, ">", 2)                           \
    _(GE, ">=", 2)                          \
    _(ABS, "abs", 1)                        \
    _(ROUND, "round", 2)                    \
    _(LENGTH, "length", 1)                  \
    _(SUBSTRING, "substring", -1)           \
    _(UPPER, "upper", 1)                    \
    _(LOWER, "lower", 1)                    \
    _(CONCAT, "||", 2)                      \
    _(YEAR, "year", 1)                      \
    _(MONTH, "month", 1)                    \
    _(DAY, "day", 1)                        \
    _(DATE_ADD_DAYS, "date_add_days", 2)    \
    _(DATE_ADD_MONTHS, "date_add_months", 2) \
    _(DATE_DIFF, "date_diff", 2)

typedef enum hy_func {
#define HY_F_ENUM(id, sql, nargs) HY_FN_##id,
    HY_SCALAR_FUNCS(HY_F_ENUM)
#undef HY_F_ENUM
    HY_FN__COUNT
} hy_func;

#define HY_AGG_FUNCS(_) \
    _(COUNT_STAR, "count_star") \
    _(COUNT, "count")           \
    _(SUM, "sum")               \
    _(AVG, "avg")               \
    _(MIN, "min")               \
    _(MAX, "max")

typedef enum hy_agg_func {
#define HY_A_ENUM(id, name) HY_AGG_##id,
    HY_AGG_FUNCS(HY_A_ENUM)
#undef HY_A_ENUM
    HY_AGG__COUNT
} hy_agg_func;

typedef enum hy_expr_kind {
    HY_EX_CONST,    /* value */
    HY_EX_COLUMN,   /* index into the child's output */
    HY_EX_FUNC,     /* func(args) — NULL in any argument gives NULL */
    HY_EX_CAST,     /* args[0] cast to type; bad text / overflow is an error */
    HY_EX_AND,      /* nargs >= 2, three-valued */
    HY_EX_OR,       /* nargs >= 2, three-valued */
    HY_EX_NOT,
    HY_EX_IS_NULL,  /* negate = IS NOT NULL */
    HY_EX_IN,       /* args[0] IN (args[1..]); all the same type; negate = NOT IN; SQL NULL rules */
    HY_EX_LIKE,     /* args[0] LIKE args[1] (pattern, any expr); negate = NOT LIKE; % and _ */
    HY_EX_CASE,     /* searched CASE: args = when1, then1, when2, then2, ..., [else] ; has_else */
    HY_EX_COALESCE, /* first non-NULL arg */
    HY_EX_BETWEEN   /* args[0] BETWEEN args[1] AND args[2]; negate = NOT BETWEEN */
} hy_expr_kind;

typedef struct hy_expr hy_expr;
struct hy_expr {
    hy_expr_kind kind;
    hy_ltype type; /* result type */
    int nargs;
    hy_expr **args;
    bool negate;   /* IS NOT NULL, NOT IN, NOT LIKE, NOT BETWEEN */
    bool has_else; /* CASE */
    hy_func func;  /* HY_EX_FUNC */
    int column;    /* HY_EX_COLUMN */
    hy_value value; /* HY_EX_CONST (VARCHAR bytes in the arena) */
    const char *name; /* display name for EXPLAIN (column name or NULL) */
    uint32_t src_offset; /* byte offset in the statement, for runtime error positions */
};

typedef struct hy_agg {
    hy_agg_func func;
    hy_expr *arg; /* NULL for COUNT_STAR; over the AGGREGATE's child output */
    bool distinct;
    hy_ltype type; /* result type */
} hy_agg;

typedef struct hy_sort_key {
    int column; /* index into the SORT's child output */
    bool desc;
    bool nulls_first; /* default: NULLS LAST for ASC, NULLS FIRST for DESC (PostgreSQL) */
} hy_sort_key;

typedef enum hy_plan_kind {
    HY_PLAN_SCAN,      /* table scan of `columns`; optional pushed-down `filter` over them */
    HY_PLAN_VALUES,    /* constant rows (SELECT without FROM, INSERT ... VALUES) */
    HY_PLAN_FILTER,    /* keep rows where predicate is TRUE */
    HY_PLAN_PROJECT,   /* exprs over child output */
    HY_PLAN_AGGREGATE, /* output = group keys then aggregates; no groups -> exactly one row */
    HY_PLAN_SORT,
    HY_PLAN_LIMIT      /* limit (-1 = none), offset */
} hy_plan_kind;

typedef struct hy_plan hy_plan;
struct hy_plan {
    hy_plan_kind kind;
    hy_plan *child; /* NULL for SCAN/VALUES */
    int ncols;            /* output columns */
    hy_ltype *types;
    const char **names;
    union {
        struct {
            hy_table *table;
            int ncols; /* == plan ncols */
            int *columns; /* table column indexes */
            hy_expr *filter; /* may be NULL */
        } scan;
        struct {
            int64_t nrows;
            hy_expr ***rows; /* rows[r][c], constant-foldable expressions */
        } values;
        struct {
            hy_expr *predicate;
        } filter;
        struct {
            hy_expr **exprs; /* ncols of them */
        } project;
        struct {
            int ngroups;
            hy_expr **groups;
            int naggs;
            hy_agg *aggs;
        } aggregate;
        struct {
            int nkeys;
            hy_sort_key *keys;
        } sort;
        struct {
            int64_t limit; /* -1 = no limit */
            int64_t offset;
        } limit;
    } u;
};

typedef enum hy_stmt_kind {
    HY_STMT_SELECT,
    HY_STMT_CREATE_TABLE,
    HY_STMT_CREATE_TABLE_AS,
    HY_STMT_DROP_TABLE,
    HY_STMT_INSERT,
    HY_STMT_COPY_FROM,
    HY_STMT_COPY_TO,
    HY_STMT_CALL_DBGEN,
    HY_STMT_EXPLAIN,          /* plan text */
    HY_STMT_EXPLAIN_ANALYZE   /* run, then the JSON object */
} hy_stmt_kind;

typedef struct hy_stmt {
    hy_stmt_kind kind;
    hy_plan *plan;  /* SELECT, CTAS, INSERT (source rows, already cast to the target types),
                       COPY_TO (query or whole-table scan), EXPLAIN* (the explained plan) */
    const char *table_name;   /* CREATE/CTAS/DROP/INSERT/COPY_FROM target */
    hy_table *table;          /* INSERT/COPY_FROM: bound target */
    int ncols;                /* CREATE TABLE */
    hy_coldef *cols;          /* CREATE TABLE */
    bool if_exists;           /* DROP TABLE IF EXISTS */
    bool if_not_exists;       /* CREATE TABLE IF NOT EXISTS */
    int *insert_columns;      /* INSERT column list mapped to table columns (ncols entries of
                                 the target; -1 = fill with NULL) */
    const char *path;         /* COPY file */
    hy_csv_options csv;       /* COPY options */
    double dbgen_sf;          /* CALL dbgen(sf => X) */
    bool explain_json;        /* EXPLAIN (FORMAT JSON) */
} hy_stmt;

/*
 * Parse and bind the next statement of `text` starting at byte *offset (binder.c).
 * Returns 1 with *out set, 0 when only whitespace/comments remain, -1 on error (err set with
 * the position as "line L:C: ..." relative to the whole text). In every case *offset moves
 * past the statement (past its ';' or to the end) so callers can continue with the next one.
 * Bound objects live in arena `a`; tables are resolved in `cat` (not modified).
 */
int hy_prepare_next(const char *text, size_t *offset, const hy_catalog *cat, hy_arena *a,
                    hy_stmt **out, hy_error *err);

/* Names for printers (generated from the X-macros). */
const char *hy_func_sql(hy_func f);
const char *hy_agg_name(hy_agg_func f);

/* EXPLAIN text: one operator per line, indented by depth, with types and expressions. */
char *hy_plan_explain(const hy_plan *p, hy_arena *a);
/* One-line operator chain of a pipeline, e.g. "SCAN lineitem -> FILTER -> PROJECT -> HASH_AGGREGATE". */
char *hy_plan_pipeline_text(const hy_plan *p, hy_arena *a);

#endif
