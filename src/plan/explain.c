/*
 * Plan printers: EXPLAIN text (hy_plan_explain), the one-line pipeline summary
 * (hy_plan_pipeline_text), and the function/aggregate names (from the X-macros).
 *
 * EXPLAIN format: one operator per line, root first, children indented by two spaces:
 *   SORT [l_returnflag ASC, l_linestatus ASC]
 *     PROJECT [l_returnflag VARCHAR, ..., sum_qty DECIMAL(38,2) = sum(l_quantity), ...]
 *       HASH_AGGREGATE groups [l_returnflag VARCHAR, ...] aggs [sum(l_quantity) DECIMAL(38,2), ...]
 *         FILTER (l_shipdate <= DATE '1998-09-02')
 *           SCAN lineitem [l_quantity DECIMAL(15,2), ...]
 * Output columns print as `name TYPE`, followed by ` = expr` when the expression's text
 * differs from the name. Expressions: infix operators fully parenthesized "(a + b)",
 * functions "name(args)", casts "CAST(x AS TYPE)", dates "DATE 'YYYY-MM-DD'", strings quoted
 * with '' escapes, decimals with their scale, columns by name.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plan/plan.h"

static const char *const func_sql[HY_FN__COUNT] = {
#define HY_F_SQL(id, sql, nargs) [HY_FN_##id] = sql,
    HY_SCALAR_FUNCS(HY_F_SQL)
#undef HY_F_SQL
};

static const char *const agg_names[HY_AGG__COUNT] = {
#define HY_A_NAME(id, name) [HY_AGG_##id] = name,
    HY_AGG_FUNCS(HY_A_NAME)
#undef HY_A_NAME
};

const char *hy_func_sql(hy_func f) { return f >= 0 && f < HY_FN__COUNT ? func_sql[f] : "?"; }
const char *hy_agg_name(hy_agg_func f) {
    return f >= 0 && f < HY_AGG__COUNT ? agg_names[f] : "?";
}

/* ---- string builder ------------------------------------------------------------------------ */

typedef struct sbuf {
    char *p;
    size_t n, cap;
} sbuf;

static void sb_put(sbuf *s, const char *x, size_t n) {
    if (s->n + n + 1 > s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 256;
        while (cap < s->n + n + 1) cap *= 2;
        char *np = realloc(s->p, cap);
        if (!np) abort();
        s->p = np;
        s->cap = cap;
    }
    memcpy(s->p + s->n, x, n);
    s->n += n;
    s->p[s->n] = 0;
}
static void sb_str(sbuf *s, const char *x) { sb_put(s, x, strlen(x)); }
static void sb_fmt(sbuf *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sb_fmt(sbuf *s, const char *fmt, ...) {
    char buf[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n < 0) return;
    if ((size_t)n < sizeof buf) {
        sb_put(s, buf, (size_t)n);
        return;
    }
    char *big = malloc((size_t)n + 1);
    if (!big) abort();
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    sb_put(s, big, (size_t)n);
    free(big);
}
static char *sb_finish(sbuf *s, hy_arena *a) {
    char *r = hy_arena_strndup(a, s->p ? s->p : "", s->n);
    free(s->p);
    return r;
}
static void sb_type(sbuf *s, hy_ltype t) {
    char buf[40];
    if (t.id == HY_TYPE_NULL) sb_str(s, "NULL");
    else sb_str(s, hy_lt_name(t, buf, sizeof buf));
}

/* ---- expressions --------------------------------------------------------------------------- */

static void print_expr(sbuf *s, const hy_expr *e);

static void print_value(sbuf *s, const hy_value *v) {
    if (v->is_null || v->type.id == HY_TYPE_NULL) {
        sb_str(s, "NULL");
        return;
    }
    if (v->type.id == HY_TYPE_VARCHAR) {
        sb_str(s, "'");
        for (uint32_t i = 0; i < v->v.s.len; i++) {
            char c = v->v.s.ptr[i];
            sb_put(s, &c, 1);
            if (c == '\'') sb_put(s, &c, 1);
        }
        sb_str(s, "'");
        return;
    }
    char buf[128];
    int n = hy_value_format(v, buf, sizeof buf);
    if (n < 0) n = 0;
    if ((size_t)n >= sizeof buf) n = (int)sizeof buf - 1;
    if (v->type.id == HY_TYPE_DATE) sb_str(s, "DATE '");
    sb_put(s, buf, (size_t)n);
    if (v->type.id == HY_TYPE_DATE) sb_str(s, "'");
}

static void print_args(sbuf *s, const hy_expr *e, int from) {
    for (int i = from; i < e->nargs; i++) {
        if (i > from) sb_str(s, ", ");
        print_expr(s, e->args[i]);
    }
}

static bool is_infix(hy_func f) {
    switch (f) {
    case HY_FN_ADD: case HY_FN_SUB: case HY_FN_MUL: case HY_FN_DIV: case HY_FN_IDIV:
    case HY_FN_MOD: case HY_FN_EQ: case HY_FN_NE: case HY_FN_LT: case HY_FN_LE:
    case HY_FN_GT: case HY_FN_GE: case HY_FN_CONCAT: return true;
    default: return false;
    }
}

static void print_expr(sbuf *s, const hy_expr *e) {
    switch (e->kind) {
    case HY_EX_CONST: print_value(s, &e->value); return;
    case HY_EX_COLUMN:
        if (e->name) sb_str(s, e->name);
        else sb_fmt(s, "#%d", e->column);
        return;
    case HY_EX_FUNC:
        if (is_infix(e->func) && e->nargs == 2) {
            sb_str(s, "(");
            print_expr(s, e->args[0]);
            sb_fmt(s, " %s ", hy_func_sql(e->func));
            print_expr(s, e->args[1]);
            sb_str(s, ")");
        } else if (e->func == HY_FN_NEG) {
            sb_str(s, "(- ");
            print_expr(s, e->args[0]);
            sb_str(s, ")");
        } else {
            sb_fmt(s, "%s(", hy_func_sql(e->func));
            print_args(s, e, 0);
            sb_str(s, ")");
        }
        return;
    case HY_EX_CAST:
        sb_str(s, "CAST(");
        print_expr(s, e->args[0]);
        sb_str(s, " AS ");
        sb_type(s, e->type);
        sb_str(s, ")");
        return;
    case HY_EX_AND:
    case HY_EX_OR:
        sb_str(s, "(");
        for (int i = 0; i < e->nargs; i++) {
            if (i) sb_str(s, e->kind == HY_EX_AND ? " AND " : " OR ");
            print_expr(s, e->args[i]);
        }
        sb_str(s, ")");
        return;
    case HY_EX_NOT:
        sb_str(s, "(NOT ");
        print_expr(s, e->args[0]);
        sb_str(s, ")");
        return;
    case HY_EX_IS_NULL:
        sb_str(s, "(");
        print_expr(s, e->args[0]);
        sb_str(s, e->negate ? " IS NOT NULL)" : " IS NULL)");
        return;
    case HY_EX_IN:
        sb_str(s, "(");
        print_expr(s, e->args[0]);
        sb_str(s, e->negate ? " NOT IN (" : " IN (");
        print_args(s, e, 1);
        sb_str(s, "))");
        return;
    case HY_EX_LIKE:
        sb_str(s, "(");
        print_expr(s, e->args[0]);
        sb_str(s, e->negate ? " NOT LIKE " : " LIKE ");
        print_expr(s, e->args[1]);
        sb_str(s, ")");
        return;
    case HY_EX_CASE: {
        sb_str(s, "CASE");
        int nwhen = e->nargs / 2;
        for (int i = 0; i < nwhen; i++) {
            sb_str(s, " WHEN ");
            print_expr(s, e->args[2 * i]);
            sb_str(s, " THEN ");
            print_expr(s, e->args[2 * i + 1]);
        }
        if (e->has_else) {
            sb_str(s, " ELSE ");
            print_expr(s, e->args[e->nargs - 1]);
        }
        sb_str(s, " END");
        return;
    }
    case HY_EX_COALESCE:
        sb_str(s, "coalesce(");
        print_args(s, e, 0);
        sb_str(s, ")");
        return;
    case HY_EX_BETWEEN:
        sb_str(s, "(");
        print_expr(s, e->args[0]);
        sb_str(s, e->negate ? " NOT BETWEEN " : " BETWEEN ");
        print_expr(s, e->args[1]);
        sb_str(s, " AND ");
        print_expr(s, e->args[2]);
        sb_str(s, ")");
        return;
    }
}

/* `name TYPE` plus ` = text` when the rendered expression differs from the name. */
static void print_output(sbuf *s, const char *name, hy_ltype t, const char *text) {
    sb_str(s, name ? name : "?");
    sb_str(s, " ");
    sb_type(s, t);
    if (text && (!name || strcmp(text, name) != 0)) {
        sb_str(s, " = ");
        sb_str(s, text);
    }
}

static char *expr_text(const hy_expr *e) {
    sbuf t = {0};
    print_expr(&t, e);
    if (!t.p) return calloc(1, 1);
    return t.p;
}

static void print_agg(sbuf *s, const hy_agg *g) {
    if (g->func == HY_AGG_COUNT_STAR) {
        sb_str(s, "count(*)");
        return;
    }
    sb_fmt(s, "%s(%s", hy_agg_name(g->func), g->distinct ? "DISTINCT " : "");
    if (g->arg) print_expr(s, g->arg);
    sb_str(s, ")");
}

/* ---- plans --------------------------------------------------------------------------------- */

static const char *op_name(const hy_plan *p) {
    switch (p->kind) {
    case HY_PLAN_SCAN: return "SCAN";
    case HY_PLAN_VALUES: return "VALUES";
    case HY_PLAN_FILTER: return "FILTER";
    case HY_PLAN_PROJECT: return "PROJECT";
    case HY_PLAN_AGGREGATE: return p->u.aggregate.ngroups ? "HASH_AGGREGATE" : "AGGREGATE";
    case HY_PLAN_SORT: return "SORT";
    case HY_PLAN_LIMIT: return "LIMIT";
    }
    return "?";
}

static void print_node(sbuf *s, const hy_plan *p, int depth) {
    for (int i = 0; i < depth; i++) sb_str(s, "  ");
    sb_str(s, op_name(p));
    switch (p->kind) {
    case HY_PLAN_SCAN:
        sb_fmt(s, " %s [", p->u.scan.table ? p->u.scan.table->name : "?");
        for (int i = 0; i < p->ncols; i++) {
            if (i) sb_str(s, ", ");
            print_output(s, p->names[i], p->types[i], NULL);
        }
        sb_str(s, "]");
        if (p->u.scan.filter) {
            sb_str(s, " filter ");
            print_expr(s, p->u.scan.filter);
        }
        break;
    case HY_PLAN_VALUES:
        sb_fmt(s, " %lld row%s [", (long long)p->u.values.nrows, p->u.values.nrows == 1 ? "" : "s");
        for (int i = 0; i < p->ncols; i++) {
            if (i) sb_str(s, ", ");
            char *t = p->u.values.nrows == 1 ? expr_text(p->u.values.rows[0][i]) : NULL;
            print_output(s, p->names[i], p->types[i], t);
            free(t);
        }
        sb_str(s, "]");
        break;
    case HY_PLAN_FILTER:
        sb_str(s, " ");
        print_expr(s, p->u.filter.predicate);
        break;
    case HY_PLAN_PROJECT:
        sb_str(s, " [");
        for (int i = 0; i < p->ncols; i++) {
            if (i) sb_str(s, ", ");
            char *t = expr_text(p->u.project.exprs[i]);
            print_output(s, p->names[i], p->types[i], t);
            free(t);
        }
        sb_str(s, "]");
        break;
    case HY_PLAN_AGGREGATE: {
        int ng = p->u.aggregate.ngroups;
        if (ng) {
            sb_str(s, " groups [");
            for (int i = 0; i < ng; i++) {
                if (i) sb_str(s, ", ");
                char *t = expr_text(p->u.aggregate.groups[i]);
                print_output(s, p->names[i], p->types[i], t);
                free(t);
            }
            sb_str(s, "]");
        }
        if (p->u.aggregate.naggs) {
            sb_str(s, " aggs [");
            for (int i = 0; i < p->u.aggregate.naggs; i++) {
                if (i) sb_str(s, ", ");
                sbuf t = {0};
                print_agg(&t, &p->u.aggregate.aggs[i]);
                print_output(s, p->names[ng + i], p->types[ng + i], t.p);
                free(t.p);
            }
            sb_str(s, "]");
        }
        break;
    }
    case HY_PLAN_SORT: {
        sb_str(s, " [");
        const hy_plan *c = p->child;
        for (int i = 0; i < p->u.sort.nkeys; i++) {
            const hy_sort_key *k = &p->u.sort.keys[i];
            if (i) sb_str(s, ", ");
            if (c && k->column >= 0 && k->column < c->ncols && c->names[k->column])
                sb_str(s, c->names[k->column]);
            else
                sb_fmt(s, "#%d", k->column);
            sb_str(s, k->desc ? " DESC" : " ASC");
            if (k->nulls_first != k->desc) sb_str(s, k->nulls_first ? " NULLS FIRST" : " NULLS LAST");
        }
        sb_str(s, "]");
        break;
    }
    case HY_PLAN_LIMIT:
        if (p->u.limit.limit >= 0) sb_fmt(s, " %lld", (long long)p->u.limit.limit);
        else sb_str(s, " ALL");
        if (p->u.limit.offset) sb_fmt(s, " OFFSET %lld", (long long)p->u.limit.offset);
        break;
    }
    sb_str(s, "\n");
    if (p->child) print_node(s, p->child, depth + 1);
}

char *hy_plan_explain(const hy_plan *p, hy_arena *a) {
    sbuf s = {0};
    if (p) print_node(&s, p, 0);
    return sb_finish(&s, a);
}

/* The pipeline ending at p: p and the streaming operators below it, down to its source (a
 * SCAN/VALUES, or the breaker whose materialized output it reads), printed source first. */
char *hy_plan_pipeline_text(const hy_plan *p, hy_arena *a) {
    const hy_plan *chain[256];
    int n = 0;
    for (const hy_plan *q = p; q && n < 256; q = q->child) {
        chain[n++] = q;
        if (q->kind == HY_PLAN_SCAN || q->kind == HY_PLAN_VALUES) break;
        if (q != p && (q->kind == HY_PLAN_AGGREGATE || q->kind == HY_PLAN_SORT ||
                       q->kind == HY_PLAN_LIMIT))
            break;
    }
    sbuf s = {0};
    for (int i = n - 1; i >= 0; i--) {
        sb_str(&s, op_name(chain[i]));
        if (chain[i]->kind == HY_PLAN_SCAN && chain[i]->u.scan.table)
            sb_fmt(&s, " %s", chain[i]->u.scan.table->name);
        if (i) sb_str(&s, " -> ");
    }
    return sb_finish(&s, a);
}
