/*
 * Helpers for the exec unit tests: tables from a compact text form, hand-built expression
 * and plan trees, and result checks against hand-computed expectations.
 *
 *   tbl(&t, "t", "a INTEGER, b VARCHAR", "1,x;2,NULL;NULL,");   rows split by ';', fields
 *   by ',', NULL = SQL NULL, empty field = empty string; values are cast from text.
 *   expect_rows(&t, plan, "1|x\n2|NULL\n")                        rows as canonical text
 *   expect_error(&t, plan, "division by zero")                    substring of the message
 */
#ifndef HY_TEST_EXEC_TUTIL_H
#define HY_TEST_EXEC_TUTIL_H

#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exec/exec.h"
#include "plan/plan.h"

typedef struct tctx {
    hy_arena a;
    hy_catalog cat;
    hy_exec_env env;
    atomic_int intr;
    int failures, checks;
} tctx;


#define CHECK(t, cond)                                                                       \
    do {                                                                                     \
        (t)->checks++;                                                                       \
        if (!(cond)) {                                                                       \
            (t)->failures++;                                                                 \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond);         \
        }                                                                                    \
    } while (0)

static inline void t_init(tctx *t, int threads, int64_t morsel_rows) {
    memset(t, 0, sizeof *t);
    hy_arena_init(&t->a);
    hy_catalog_init(&t->cat);
    atomic_init(&t->intr, 0);
    t->env.cat = &t->cat;
    t->env.threads = threads;
    t->env.morsel_rows = morsel_rows;
    t->env.interrupt = &t->intr;
}

static inline void t_free(tctx *t) {
    hy_catalog_free(&t->cat);
    hy_arena_free(&t->a);
}

static inline int t_done(tctx *t, const char *name) {
    printf("%s: %d checks, %d failures\n", name, t->checks, t->failures);
    return t->failures ? 1 : 0;
}

/* ---- types --------------------------------------------------------------------------------- */
static inline hy_ltype ty(const char *s) {
    int p, sc;
    if (!strncmp(s, "DECIMAL(", 8) && sscanf(s + 8, "%d,%d", &p, &sc) == 2) return hy_lt_dec(p, sc);
    if (!strcmp(s, "INTEGER")) return hy_lt(HY_TYPE_INTEGER);
    if (!strcmp(s, "BIGINT")) return hy_lt(HY_TYPE_BIGINT);
    if (!strcmp(s, "DOUBLE")) return hy_lt(HY_TYPE_DOUBLE);
    if (!strcmp(s, "BOOLEAN")) return hy_lt(HY_TYPE_BOOLEAN);
    if (!strcmp(s, "DATE")) return hy_lt(HY_TYPE_DATE);
    if (!strcmp(s, "VARCHAR")) return hy_lt(HY_TYPE_VARCHAR);
    return hy_lt(HY_TYPE_NULL);
}

/* ---- tables ------------------------------------------------------------------------------- */
static inline char *t_strdup(tctx *t, const char *s, size_t n) { return hy_arena_strndup(&t->a, s, n); }

/* schema: "a INTEGER, b DECIMAL(10,2)"; rows: "1,2.5;NULL,3" */
static inline hy_table *tbl_m(tctx *t, const char *name, const char *schema, const char *rows,
                              int64_t morsel_rows) {
    hy_coldef defs[32];
    int nc = 0;
    const char *p = schema;
    while (*p) {
        while (*p == ' ' || *p == ',') p++;
        if (!*p) break;
        const char *ns = p;
        while (*p != ' ') p++;
        char *nm = t_strdup(t, ns, (size_t)(p - ns));
        while (*p == ' ') p++;
        const char *ts = p;
        int depth = 0;
        while (*p && (depth || *p != ',')) {
            if (*p == '(') depth++;
            if (*p == ')') depth--;
            p++;
        }
        char *tn = t_strdup(t, ts, (size_t)(p - ts));
        defs[nc].name = nm;
        defs[nc].type = ty(tn);
        defs[nc].not_null = false;
        nc++;
    }
    hy_table *tb = hy_table_new(name, nc, defs, morsel_rows > 0 ? morsel_rows : 65536);
    hy_error err;
    hy_error_clear(&err);
    /* one row at a time through hy_table_append */
    const char *r = rows;
    while (r && *r) {
        const char *re = strchr(r, ';');
        if (!re) re = r + strlen(r);
        hy_vec vecs[32];
        hy_value vals[32];
        uint64_t valid[32];
        const char *f = r;
        for (int c = 0; c < nc; c++) {
            const char *fe = f;
            while (fe < re && *fe != ',') fe++;
            size_t fl = (size_t)(fe - f);
            hy_value in;
            memset(&in, 0, sizeof in);
            in.type = hy_lt(HY_TYPE_VARCHAR);
            in.v.s.ptr = f;
            in.v.s.len = (uint32_t)fl;
            memset(&vals[c], 0, sizeof vals[c]);
            if (fl == 4 && !memcmp(f, "NULL", 4)) {
                vals[c].is_null = true;
            } else if (!hy_value_cast(&in, defs[c].type, &vals[c], &tb->heap, &err)) {
                fprintf(stderr, "bad test value '%.*s': %s\n", (int)fl, f, err.msg);
                abort();
            }
            valid[c] = vals[c].is_null ? 0 : 1;
            vecs[c].type = defs[c].type;
            vecs[c].n = 1;
            vecs[c].validity = &valid[c];
            vecs[c].data = &vals[c].v;
            f = fe < re ? fe + 1 : fe;
        }
        if (!hy_table_append(tb, vecs, 1, &err)) {
            fprintf(stderr, "append: %s\n", err.msg);
            abort();
        }
        r = *re ? re + 1 : re;
    }
    if (!hy_catalog_add(&t->cat, tb, &err)) abort();
    return tb;
}

static inline hy_table *tbl(tctx *t, const char *name, const char *schema, const char *rows) {
    return tbl_m(t, name, schema, rows, t->env.morsel_rows);
}

/* ---- expressions ---------------------------------------------------------------------------- */
static inline hy_expr *ex_new(tctx *t, hy_expr_kind k, hy_ltype type, int nargs) {
    hy_expr *e = hy_arena_alloc(&t->a, sizeof *e);
    e->kind = k;
    e->type = type;
    e->nargs = nargs;
    e->args = nargs ? hy_arena_alloc(&t->a, sizeof(hy_expr *) * (size_t)nargs) : NULL;
    return e;
}

static inline hy_expr *COL(tctx *t, int idx, const char *type) {
    hy_expr *e = ex_new(t, HY_EX_COLUMN, ty(type), 0);
    e->column = idx;
    return e;
}

/* A constant from text (cast to type), or NULL when text is NULL. */
static inline hy_expr *K(tctx *t, const char *type, const char *text) {
    hy_expr *e = ex_new(t, HY_EX_CONST, ty(type), 0);
    e->value.type = ty(type);
    if (!text) {
        e->value.is_null = true;
        return e;
    }
    hy_value in;
    memset(&in, 0, sizeof in);
    in.type = hy_lt(HY_TYPE_VARCHAR);
    in.v.s.ptr = t_strdup(t, text, strlen(text));
    in.v.s.len = (uint32_t)strlen(text);
    hy_error err;
    hy_error_clear(&err);
    if (ty(type).id == HY_TYPE_VARCHAR) {
        e->value = in;
        return e;
    }
    if (!hy_value_cast(&in, ty(type), &e->value, NULL, &err)) {
        fprintf(stderr, "bad constant %s: %s\n", text, err.msg);
        abort();
    }
    return e;
}

static inline hy_expr *FN(tctx *t, hy_func f, const char *type, int nargs, ...) {
    hy_expr *e = ex_new(t, HY_EX_FUNC, ty(type), nargs);
    e->func = f;
    va_list ap;
    va_start(ap, nargs);
    for (int i = 0; i < nargs; i++) e->args[i] = va_arg(ap, hy_expr *);
    va_end(ap);
    return e;
}

static inline hy_expr *EX(tctx *t, hy_expr_kind k, const char *type, bool negate, int nargs, ...) {
    hy_expr *e = ex_new(t, k, ty(type), nargs);
    e->negate = negate;
    va_list ap;
    va_start(ap, nargs);
    for (int i = 0; i < nargs; i++) e->args[i] = va_arg(ap, hy_expr *);
    va_end(ap);
    if (k == HY_EX_CASE) e->has_else = nargs % 2 == 1;
    return e;
}

static inline hy_expr *CAST(tctx *t, hy_expr *a, const char *type) {
    hy_expr *e = ex_new(t, HY_EX_CAST, ty(type), 1);
    e->args[0] = a;
    return e;
}

/* ---- plans ------------------------------------------------------------------------------------- */
static inline hy_plan *pl_new(tctx *t, hy_plan_kind k, hy_plan *child, int ncols) {
    hy_plan *p = hy_arena_alloc(&t->a, sizeof *p);
    p->kind = k;
    p->child = child;
    p->ncols = ncols;
    p->types = hy_arena_alloc(&t->a, sizeof(hy_ltype) * (size_t)(ncols ? ncols : 1));
    p->names = hy_arena_alloc(&t->a, sizeof(char *) * (size_t)(ncols ? ncols : 1));
    return p;
}

static inline hy_plan *SCAN(tctx *t, hy_table *tb, hy_expr *filter) {
    hy_plan *p = pl_new(t, HY_PLAN_SCAN, NULL, tb->ncols);
    p->u.scan.table = tb;
    p->u.scan.ncols = tb->ncols;
    p->u.scan.columns = hy_arena_alloc(&t->a, sizeof(int) * (size_t)tb->ncols);
    for (int c = 0; c < tb->ncols; c++) {
        p->u.scan.columns[c] = c;
        p->types[c] = tb->cols[c].type;
        p->names[c] = tb->cols[c].name;
    }
    p->u.scan.filter = filter;
    return p;
}

static inline hy_plan *FILTER(tctx *t, hy_plan *child, hy_expr *pred) {
    hy_plan *p = pl_new(t, HY_PLAN_FILTER, child, child->ncols);
    memcpy(p->types, child->types, sizeof(hy_ltype) * (size_t)child->ncols);
    memcpy(p->names, child->names, sizeof(char *) * (size_t)child->ncols);
    p->u.filter.predicate = pred;
    return p;
}

static inline hy_plan *PROJECT(tctx *t, hy_plan *child, int n, ...) {
    hy_plan *p = pl_new(t, HY_PLAN_PROJECT, child, n);
    p->u.project.exprs = hy_arena_alloc(&t->a, sizeof(hy_expr *) * (size_t)n);
    va_list ap;
    va_start(ap, n);
    for (int i = 0; i < n; i++) {
        hy_expr *e = va_arg(ap, hy_expr *);
        p->u.project.exprs[i] = e;
        p->types[i] = e->type;
        char nm[16];
        snprintf(nm, sizeof nm, "c%d", i);
        p->names[i] = t_strdup(t, nm, strlen(nm));
    }
    va_end(ap);
    return p;
}

/* Aggregate: groups are expressions; aggs given as (func, arg, distinct, type) quadruples. */
static inline hy_plan *AGG(tctx *t, hy_plan *child, int ng, hy_expr **groups, int na, hy_agg *aggs) {
    hy_plan *p = pl_new(t, HY_PLAN_AGGREGATE, child, ng + na);
    p->u.aggregate.ngroups = ng;
    p->u.aggregate.groups = groups;
    p->u.aggregate.naggs = na;
    p->u.aggregate.aggs = aggs;
    for (int i = 0; i < ng; i++) {
        p->types[i] = groups[i]->type;
        p->names[i] = "g";
    }
    for (int i = 0; i < na; i++) {
        p->types[ng + i] = aggs[i].type;
        p->names[ng + i] = hy_agg_name(aggs[i].func);
    }
    return p;
}

static inline hy_plan *SORT(tctx *t, hy_plan *child, int nk, hy_sort_key *keys) {
    hy_plan *p = pl_new(t, HY_PLAN_SORT, child, child->ncols);
    memcpy(p->types, child->types, sizeof(hy_ltype) * (size_t)child->ncols);
    memcpy(p->names, child->names, sizeof(char *) * (size_t)child->ncols);
    p->u.sort.nkeys = nk;
    p->u.sort.keys = keys;
    return p;
}

static inline hy_plan *LIMIT(tctx *t, hy_plan *child, int64_t lim, int64_t off) {
    hy_plan *p = pl_new(t, HY_PLAN_LIMIT, child, child->ncols);
    memcpy(p->types, child->types, sizeof(hy_ltype) * (size_t)child->ncols);
    memcpy(p->names, child->names, sizeof(char *) * (size_t)child->ncols);
    p->u.limit.limit = lim;
    p->u.limit.offset = off;
    return p;
}

/* ---- running and checking ------------------------------------------------------------------------- */
static inline hy_result *run_plan(tctx *t, hy_plan *p, hy_error *err) {
    hy_stmt st;
    memset(&st, 0, sizeof st);
    st.kind = HY_STMT_SELECT;
    st.plan = p;
    hy_result *r = NULL;
    hy_error_clear(err);
    if (!hy_exec_stmt(&t->env, &st, &r, err)) return NULL;
    return r;
}

/* All rows as "v|v\n" text, NULL as NULL. Caller frees. */
static inline char *rows_text(const hy_result *r) {
    size_t cap = 1024, len = 0;
    char *out = malloc(cap);
    out[0] = '\0';
    for (int64_t i = 0; i < hy_result_row_count(r); i++) {
        for (int c = 0; c < hy_result_column_count(r); c++) {
            char buf[256];
            if (hy_result_is_null(r, c, i)) strcpy(buf, "NULL");
            else hy_result_format(r, c, i, buf, sizeof buf);
            size_t need = strlen(buf) + 3;
            while (len + need >= cap) out = realloc(out, cap *= 2);
            len += (size_t)sprintf(out + len, "%s%s", c ? "|" : "", buf);
        }
        while (len + 2 >= cap) out = realloc(out, cap *= 2);
        out[len++] = '\n';
        out[len] = '\0';
    }
    return out;
}

#define expect_rows(t, plan, want) expect_rows_(t, plan, want, __LINE__)
static inline void expect_rows_(tctx *t, hy_plan *p, const char *want, int line) {
    hy_error err;
    t->checks++;
    hy_result *r = run_plan(t, p, &err);
    if (!r) {
        t->failures++;
        fprintf(stderr, "line %d: unexpected error: %s\n", line, err.msg);
        return;
    }
    char *got = rows_text(r);
    if (strcmp(got, want) != 0) {
        t->failures++;
        fprintf(stderr, "line %d: rows differ\n--- want\n%s--- got\n%s", line, want, got);
    }
    free(got);
    hy_result_free(r);
}

#define expect_error(t, plan, sub) expect_error_(t, plan, sub, __LINE__)
static inline void expect_error_(tctx *t, hy_plan *p, const char *sub, int line) {
    hy_error err;
    t->checks++;
    hy_result *r = run_plan(t, p, &err);
    if (r) {
        t->failures++;
        char *got = rows_text(r);
        fprintf(stderr, "line %d: expected error '%s', got rows:\n%s", line, sub, got);
        free(got);
        hy_result_free(r);
        return;
    }
    if (!strstr(err.msg, sub)) {
        t->failures++;
        fprintf(stderr, "line %d: expected error '%s', got '%s'\n", line, sub, err.msg);
    }
}

/* One expression over every row of table tb: "v\nv\n" */
static inline hy_plan *over(tctx *t, hy_table *tb, hy_expr *e) {
    return PROJECT(t, SCAN(t, tb, NULL), 1, e);
}

#endif
