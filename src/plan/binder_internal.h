/*
 * Private to plan/: the binder's context objects and the helpers shared by binder.c
 * (statements), binder_select.c (SELECT planning), binder_expr.c (expressions, operators),
 * binder_func.c (functions, aggregates, casts, type rules) and fold.c (constant folding).
 *
 * Name resolution. A SELECT's FROM clause becomes a scope: a list of items (tables now; join
 * inputs later), each contributing its columns to one "base" column space numbered
 * item.base + column. Expressions over the FROM clause are first bound against that space;
 * once every clause is bound the binder knows which columns are used, builds the SCAN with
 * just those, and renumbers the base columns to scan positions (binder_select.c).
 *
 * Aggregation. In a grouped query, expressions above the AGGREGATE are bound in AGG mode:
 * an aggregate call becomes a column of the aggregate's output (after the group keys), a
 * subexpression equal to a GROUP BY key becomes that key's column, and any other column
 * reference is the "must appear in the GROUP BY clause" error.
 */
#ifndef HY_PLAN_BINDER_INTERNAL_H
#define HY_PLAN_BINDER_INTERNAL_H

#include <stdarg.h>

#include "plan/plan.h"
#include "sql/ast.h"
#include "sql/lexer.h"

typedef struct hy_binder {
    const char *text;
    const hy_catalog *cat;
    hy_arena *a;
    hy_error *err;
} hy_binder;

typedef struct hy_scope_item {
    hy_table *table;
    const char *name; /* alias, or the table name */
    int base;         /* first base column of this item */
} hy_scope_item;

typedef enum hy_bind_mode { HY_BIND_BASE, HY_BIND_AGG } hy_bind_mode;

typedef struct hy_bctx {
    hy_binder *b;
    /* scope */
    int nitems;
    hy_scope_item *items;
    int nbase;
    hy_ltype *base_types;
    const char **base_names;
    /* mode */
    hy_bind_mode mode;
    const char *clause;  /* BASE mode: where aggregates are not allowed ("WHERE", ...) */
    bool in_agg_arg;     /* binding an aggregate's argument */
    int depth;
    /* AGG mode: group keys (bound in BASE mode) and the aggregates found so far */
    int ngroups;
    hy_expr **groups;
    const char **group_names;
    int naggs, cap_aggs;
    hy_agg *aggs;
    const char **agg_names;
    /* select-list aliases usable in GROUP BY / HAVING / ORDER BY */
    const hy_ast_select *sel;
    bool alias_fallback;
} hy_bctx;

/* ---- errors -------------------------------------------------------------------------------- */
bool hy_bind_error(hy_binder *b, hy_errcode code, uint32_t offset, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* A name quoted in a message: shortened to HY_SQL_ECHO_MAX bytes + "..." when longer. */
#define HY_ECHO(b, s) hy_sql_echo((b)->a, (s))
/* Type name into a static-size buffer owned by the caller. */
const char *hy_tname(hy_ltype t, char *buf);
#define HY_TNAME_CAP 32

/* ---- expression construction (binder_expr.c) ------------------------------------------------ */
hy_expr *hy_mk_expr(hy_binder *b, hy_expr_kind kind, hy_ltype type, int nargs, uint32_t off);
hy_expr *hy_mk_const(hy_binder *b, hy_value v, uint32_t off);
hy_expr *hy_mk_null(hy_binder *b, hy_ltype t, uint32_t off);
hy_expr *hy_mk_int(hy_binder *b, hy_ltype t, int64_t v, uint32_t off);
hy_expr *hy_mk_column(hy_binder *b, int index, hy_ltype t, const char *name);
/* Scalar function; folds when every argument is constant. */
hy_expr *hy_mk_func(hy_binder *b, hy_func f, hy_ltype rt, int nargs, hy_expr **args, uint32_t off);
hy_expr *hy_mk_func2(hy_binder *b, hy_func f, hy_ltype rt, hy_expr *x, hy_expr *y, uint32_t off);
hy_expr *hy_mk_func1(hy_binder *b, hy_func f, hy_ltype rt, hy_expr *x, uint32_t off);
hy_expr *hy_expr_copy(hy_binder *b, const hy_expr *e);
bool hy_expr_equal(const hy_expr *x, const hy_expr *y);
bool hy_expr_has_columns(const hy_expr *e);
static inline bool hy_is_const(const hy_expr *e) { return e->kind == HY_EX_CONST; }
static inline bool hy_is_null_const(const hy_expr *e) {
    return e->kind == HY_EX_CONST && e->value.is_null;
}

/* Binds an AST expression in the context (mode, scope, aggregates). NULL on error. */
hy_expr *hy_bind_expr(hy_bctx *c, const hy_ast *ast);
/* Same, then requires BOOLEAN (NULL and 'true' literals are coerced). `what` names the clause
 * for the error: "argument of WHERE must be type BOOLEAN, not type INTEGER". */
hy_expr *hy_bind_bool(hy_bctx *c, const hy_ast *ast, const char *what);
hy_expr *hy_coerce_bool(hy_bctx *c, hy_expr *e, uint32_t off, const char *what);
bool hy_ast_contains_agg(hy_bctx *c, const hy_ast *ast);
bool hy_is_agg_name(const char *name);
/* Text of an AST node for column names: the source span, whitespace runs collapsed. */
const char *hy_ast_text(hy_binder *b, const hy_ast *ast);
/* Typed constant for a literal AST node. */
hy_expr *hy_bind_literal(hy_binder *b, const hy_ast *ast);

/* ---- functions, aggregates, casts, type rules (binder_func.c) ------------------------------ */
hy_expr *hy_bind_func(hy_bctx *c, const hy_ast *ast);
hy_expr *hy_bind_aggregate(hy_bctx *c, const hy_ast *ast);
/* Explicit CAST (any supported pair). */
hy_expr *hy_cast_explicit(hy_binder *b, hy_expr *e, hy_ltype to, uint32_t off);
/* Implicit cast after the type rules chose `to` (no validity checks beyond literal parsing). */
hy_expr *hy_cast_to(hy_binder *b, hy_expr *e, hy_ltype to, uint32_t off);
bool hy_cast_allowed(hy_ltype from, hy_ltype to);
/* Assignment cast for INSERT/CTAS targets (PostgreSQL assignment rules). */
hy_expr *hy_cast_assign(hy_binder *b, hy_expr *e, hy_ltype to, const char *colname, uint32_t off);
/* Common type of two expressions as a CASE / COALESCE result; false if none. */
bool hy_common_type(const hy_expr *x, const hy_expr *y, hy_ltype *out);
/* Unify a list (casts every element); `what` e.g. "CASE" for "CASE types X and Y cannot be
 * matched"; `cmp` selects the "cannot compare X and Y" wording and, since the unified type of
 * a comparison / IN / BETWEEN is never visible, lets integer constants count with their own
 * digits (DECIMAL(18,10) = 5 compares as DECIMAL(18,10), not DECIMAL(20,10)). */
bool hy_unify(hy_binder *b, hy_expr **v, int n, uint32_t off, const char *what, bool cmp);
bool hy_is_numeric(hy_ltype t);
/* Decimal precision/scale an operand contributes (DuckDB: INTEGER 10 digits, BIGINT 19, even
 * for literals and constants; with narrow_const an integer constant counts with its own digit
 * count, which only invisible comparison types may use). */
void hy_decimal_props(const hy_expr *e, bool narrow_const, int *prec, int *scale);
/* DuckDB's common DECIMAL of (p1,s1) and (p2,s2): max integer digits + max scale; past 38
 * digits the scale shrinks so the integer digits still fit. */
void hy_decimal_max(int p1, int s1, int p2, int s2, int *prec, int *scale);

/* ---- folding (fold.c) ---------------------------------------------------------------------- */
/* Fold a node whose arguments are already folded; returns the node itself when it cannot (or
 * must not) be folded, e.g. on overflow or division by zero, which exec then reports. */
hy_expr *hy_fold(hy_binder *b, hy_expr *e);
/* Constant cast; false on failure with a message in *err (no position). */
bool hy_fold_cast(hy_binder *b, const hy_value *in, hy_ltype to, hy_value *out, hy_error *err);

/* ---- plans (binder_select.c) --------------------------------------------------------------- */
hy_plan *hy_mk_plan(hy_binder *b, hy_plan_kind kind, hy_plan *child, int ncols);
/* Bind a SELECT into a plan. */
hy_plan *hy_bind_select(hy_binder *b, const hy_ast_select *s);

#endif
