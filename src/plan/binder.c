/*
 * hy_prepare_next(): parse one statement (sql/) and bind it against the catalog into an
 * hy_stmt (plan.h). Statement-level binding lives here; SELECT planning is in
 * binder_select.c and expressions in binder_expr.c / binder_func.c.
 *
 *   text --lexer/parser--> hy_ast_stmt --binder--> hy_stmt { kind, plan, ... } --> exec/
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "plan/binder_internal.h"
#include "sql/parser.h"

/* Every column of a table, in order. */
static hy_plan *scan_all(hy_binder *b, hy_table *t) {
    hy_plan *p = hy_mk_plan(b, HY_PLAN_SCAN, NULL, t->ncols);
    p->u.scan.table = t;
    p->u.scan.ncols = t->ncols;
    p->u.scan.columns = hy_arena_alloc(b->a, sizeof(int) * (size_t)t->ncols);
    for (int i = 0; i < t->ncols; i++) {
        p->u.scan.columns[i] = i;
        p->types[i] = t->cols[i].type;
        p->names[i] = t->cols[i].name;
    }
    return p;
}

static hy_table *find_table(hy_binder *b, const char *name, uint32_t off) {
    hy_table *t = hy_catalog_find(b->cat, name);
    if (!t) hy_bind_error(b, HY_E_BIND, off, "table \"%s\" does not exist", HY_ECHO(b, name));
    return t;
}

/* PROJECT over `child` casting each column to types[i] by the assignment rules (no PROJECT
 * when nothing changes). */
static hy_plan *cast_outputs(hy_binder *b, hy_plan *child, const hy_ltype *types,
                             const char *const *names, uint32_t off) {
    hy_expr **ex = hy_arena_alloc(b->a, sizeof(hy_expr *) * (size_t)child->ncols);
    bool change = false;
    for (int i = 0; i < child->ncols; i++) {
        hy_expr *col = hy_mk_column(b, i, child->types[i], child->names[i]);
        ex[i] = hy_cast_assign(b, col, types[i], names[i], off);
        if (!ex[i]) return NULL;
        change |= ex[i] != col;
    }
    if (!change) return child;
    hy_plan *p = hy_mk_plan(b, HY_PLAN_PROJECT, child, child->ncols);
    p->u.project.exprs = ex;
    for (int i = 0; i < child->ncols; i++) {
        p->types[i] = types[i];
        p->names[i] = child->names[i];
    }
    return p;
}

static bool check_table_absent(hy_binder *b, const hy_ast_stmt *st) {
    if (!st->if_not_exists && hy_catalog_find(b->cat, st->table))
        return hy_bind_error(b, HY_E_CONSTRAINT, st->table_offset, "table \"%s\" already exists",
                             HY_ECHO(b, st->table));
    return true;
}

static bool bind_create(hy_binder *b, const hy_ast_stmt *st, hy_stmt *s) {
    s->kind = HY_STMT_CREATE_TABLE;
    s->table_name = st->table;
    s->if_not_exists = st->if_not_exists;
    if (!check_table_absent(b, st)) return false;
    s->ncols = st->ncols;
    s->cols = hy_arena_alloc(b->a, sizeof(hy_coldef) * (size_t)st->ncols);
    for (int i = 0; i < st->ncols; i++) {
        const hy_ast_coldef *c = &st->cols[i];
        for (int j = 0; j < i; j++)
            if (strcasecmp(st->cols[j].name, c->name) == 0)
                return hy_bind_error(b, HY_E_BIND, c->offset,
                                     "column \"%s\" specified more than once",
                                     HY_ECHO(b, c->name));
        if (c->type.type.id == HY_TYPE_DECIMAL && c->type.type.prec > HY_DEC_MAX_STORED_PREC)
            return hy_bind_error(b, HY_E_TYPE, c->type.offset,
                                 "DECIMAL precision %d is not supported for table columns "
                                 "(maximum %d)", c->type.type.prec, HY_DEC_MAX_STORED_PREC);
        s->cols[i].name = c->name;
        s->cols[i].type = c->type.type;
        s->cols[i].not_null = c->not_null;
    }
    return true;
}

static bool bind_ctas(hy_binder *b, const hy_ast_stmt *st, hy_stmt *s) {
    s->kind = HY_STMT_CREATE_TABLE_AS;
    s->table_name = st->table;
    s->if_not_exists = st->if_not_exists;
    if (!check_table_absent(b, st)) return false;
    hy_plan *p = hy_bind_select(b, st->select);
    if (!p) return false;
    /* stored types: a bare NULL column becomes INTEGER, wide DECIMALs (SUM results) are
     * stored as DECIMAL(18,s) (an overflow is reported when a value does not fit) */
    hy_ltype *types = hy_arena_alloc(b->a, sizeof(hy_ltype) * (size_t)p->ncols);
    for (int i = 0; i < p->ncols; i++) {
        hy_ltype t = p->types[i];
        if (t.id == HY_TYPE_NULL) t = hy_lt(HY_TYPE_INTEGER);
        if (t.id == HY_TYPE_DECIMAL && t.prec > HY_DEC_MAX_STORED_PREC)
            t = hy_lt_dec(HY_DEC_MAX_STORED_PREC,
                          t.scale > HY_DEC_MAX_STORED_PREC ? HY_DEC_MAX_STORED_PREC : t.scale);
        types[i] = t;
        for (int j = 0; j < i; j++)
            if (strcasecmp(p->names[j], p->names[i]) == 0)
                return hy_bind_error(b, HY_E_BIND, st->select->offset,
                                     "column \"%s\" specified more than once",
                                     HY_ECHO(b, p->names[i]));
    }
    p = cast_outputs(b, p, types, p->names, st->select->offset);
    if (!p) return false;
    s->plan = p;
    s->ncols = p->ncols;
    s->cols = hy_arena_alloc(b->a, sizeof(hy_coldef) * (size_t)p->ncols);
    for (int i = 0; i < p->ncols; i++) {
        s->cols[i].name = p->names[i];
        s->cols[i].type = types[i];
        s->cols[i].not_null = false;
    }
    return true;
}

static bool bind_insert(hy_binder *b, const hy_ast_stmt *st, hy_stmt *s) {
    s->kind = HY_STMT_INSERT;
    s->table_name = st->table;
    hy_table *t = find_table(b, st->table, st->table_offset);
    if (!t) return false;
    s->table = t;
    int k = st->ninsert_cols ? st->ninsert_cols : t->ncols;
    int *target = hy_arena_alloc(b->a, sizeof(int) * (size_t)k);
    s->insert_columns = hy_arena_alloc(b->a, sizeof(int) * (size_t)t->ncols);
    for (int j = 0; j < t->ncols; j++) s->insert_columns[j] = -1;
    for (int i = 0; i < k; i++) {
        int col = i;
        if (st->ninsert_cols) {
            col = hy_table_find_column(t, st->insert_cols[i]);
            if (col < 0)
                return hy_bind_error(b, HY_E_BIND, st->insert_col_offsets[i],
                                     "column \"%s\" of table \"%s\" does not exist",
                                     HY_ECHO(b, st->insert_cols[i]), HY_ECHO(b, t->name));
            if (s->insert_columns[col] >= 0)
                return hy_bind_error(b, HY_E_BIND, st->insert_col_offsets[i],
                                     "column \"%s\" specified more than once",
                                     HY_ECHO(b, st->insert_cols[i]));
        }
        target[i] = col;
        s->insert_columns[col] = i;
    }
    for (int j = 0; j < t->ncols; j++)
        if (s->insert_columns[j] < 0 && t->cols[j].not_null)
            return hy_bind_error(b, HY_E_CONSTRAINT, st->table_offset,
                                 "null value in column \"%s\" of table \"%s\" violates "
                                 "not-null constraint",
                                 HY_ECHO(b, t->cols[j].name), HY_ECHO(b, t->name));
    hy_ltype *types = hy_arena_alloc(b->a, sizeof(hy_ltype) * (size_t)k);
    const char **names = hy_arena_alloc(b->a, sizeof(char *) * (size_t)k);
    for (int i = 0; i < k; i++) {
        types[i] = t->cols[target[i]].type;
        names[i] = t->cols[target[i]].name;
    }
    if (st->select) {
        hy_plan *p = hy_bind_select(b, st->select);
        if (!p) return false;
        if (p->ncols != k)
            return hy_bind_error(b, HY_E_BIND, st->select->offset,
                                 p->ncols > k ? "INSERT has more expressions than target columns"
                                              : "INSERT has more target columns than expressions");
        s->plan = cast_outputs(b, p, types, names, st->select->offset);
        if (s->plan) memcpy(s->plan->names, names, sizeof(char *) * (size_t)k);
        return s->plan != NULL;
    }
    hy_plan *p = hy_mk_plan(b, HY_PLAN_VALUES, NULL, k);
    p->u.values.nrows = st->nrows;
    p->u.values.rows = hy_arena_alloc(b->a, sizeof(hy_expr **) * (size_t)st->nrows);
    for (int i = 0; i < k; i++) {
        p->types[i] = types[i];
        p->names[i] = names[i];
    }
    hy_bctx c;
    memset(&c, 0, sizeof c);
    c.b = b;
    c.mode = HY_BIND_BASE;
    c.clause = "VALUES";
    for (int r = 0; r < st->nrows; r++) {
        if (st->row_len[r] != k)
            return hy_bind_error(b, HY_E_BIND, st->row_offsets[r],
                                 st->row_len[r] > k
                                     ? "INSERT has more expressions than target columns"
                                     : "INSERT has more target columns than expressions");
        hy_expr **row = hy_arena_alloc(b->a, sizeof(hy_expr *) * (size_t)k);
        for (int i = 0; i < k; i++) {
            const hy_ast *a = st->rows[r][i];
            hy_expr *e = hy_bind_expr(&c, a);
            if (!e) return false;
            row[i] = hy_cast_assign(b, e, types[i], names[i], a->start);
            if (!row[i]) return false;
        }
        p->u.values.rows[r] = row;
    }
    s->plan = p;
    return true;
}

static bool bind_copy(hy_binder *b, const hy_ast_stmt *st, hy_stmt *s) {
    s->path = st->path;
    s->csv.delimiter = st->delimiter ? st->delimiter : ',';
    s->csv.quote = st->quote ? st->quote : '"';
    s->csv.header = st->header;
    if (st->delimiter && st->delimiter == s->csv.quote)
        return hy_bind_error(b, HY_E_BIND, st->offset,
                             "COPY delimiter and quote must be different");
    if (st->kind == HY_AST_S_COPY_FROM) {
        s->kind = HY_STMT_COPY_FROM;
        s->table_name = st->table;
        s->table = find_table(b, st->table, st->table_offset);
        return s->table != NULL;
    }
    s->kind = HY_STMT_COPY_TO;
    if (st->select) {
        s->plan = hy_bind_select(b, st->select);
        return s->plan != NULL;
    }
    s->table_name = st->table;
    s->table = find_table(b, st->table, st->table_offset);
    if (!s->table) return false;
    s->plan = scan_all(b, s->table);
    return true;
}

static bool bind_call(hy_binder *b, const hy_ast_stmt *st, hy_stmt *s) {
    if (strcasecmp(st->func, "dbgen") != 0)
        return hy_bind_error(b, HY_E_BIND, st->table_offset, "procedure \"%s\" does not exist",
                             HY_ECHO(b, st->func));
    s->kind = HY_STMT_CALL_DBGEN;
    s->table_name = "lineitem";
    const hy_ast *sf = NULL;
    for (int i = 0; i < st->ncall_args; i++) {
        const hy_ast_call_arg *a = &st->call_args[i];
        if (a->name && strcasecmp(a->name, "sf") != 0)
            return hy_bind_error(b, HY_E_BIND, a->offset, "dbgen: unknown parameter \"%s\"",
                                 HY_ECHO(b, a->name));
        if (sf) return hy_bind_error(b, HY_E_BIND, a->offset, "dbgen: sf given more than once");
        sf = a->value;
    }
    if (!sf)
        return hy_bind_error(b, HY_E_BIND, st->table_offset,
                             "dbgen: missing parameter sf (CALL dbgen(sf => 0.1))");
    hy_bctx c;
    memset(&c, 0, sizeof c);
    c.b = b;
    c.mode = HY_BIND_BASE;
    c.clause = "CALL";
    hy_expr *e = hy_bind_expr(&c, sf);
    if (!e) return false;
    if (hy_is_numeric(e->type) || hy_is_const(e)) e = hy_cast_to(b, e, hy_lt(HY_TYPE_DOUBLE), sf->start);
    if (!e) return false;
    if (!hy_is_const(e) || e->type.id != HY_TYPE_DOUBLE || e->value.is_null ||
        !(e->value.v.f > 0) || e->value.v.f > 1e6)
        return hy_bind_error(b, HY_E_RANGE, sf->start,
                             "dbgen: sf must be a positive number (e.g. 0.1)");
    s->dbgen_sf = e->value.v.f;
    return true;
}

static bool bind_stmt(hy_binder *b, const hy_ast_stmt *st, hy_stmt *s) {
    switch (st->kind) {
    case HY_AST_S_SELECT:
        s->kind = HY_STMT_SELECT;
        s->plan = hy_bind_select(b, st->select);
        return s->plan != NULL;
    case HY_AST_S_CREATE: return bind_create(b, st, s);
    case HY_AST_S_CTAS: return bind_ctas(b, st, s);
    case HY_AST_S_DROP:
        s->kind = HY_STMT_DROP_TABLE;
        s->table_name = st->table;
        s->if_exists = st->if_exists;
        if (!st->if_exists && !hy_catalog_find(b->cat, st->table))
            return hy_bind_error(b, HY_E_BIND, st->table_offset, "table \"%s\" does not exist",
                                 HY_ECHO(b, st->table));
        return true;
    case HY_AST_S_INSERT: return bind_insert(b, st, s);
    case HY_AST_S_COPY_FROM:
    case HY_AST_S_COPY_TO: return bind_copy(b, st, s);
    case HY_AST_S_CALL: return bind_call(b, st, s);
    case HY_AST_S_EXPLAIN:
        if (st->inner->kind != HY_AST_S_SELECT)
            return hy_bind_error(b, HY_E_BIND, st->inner->offset,
                                 "EXPLAIN supports only SELECT queries");
        s->kind = st->analyze ? HY_STMT_EXPLAIN_ANALYZE : HY_STMT_EXPLAIN;
        s->explain_json = st->json;
        s->plan = hy_bind_select(b, st->inner->select);
        return s->plan != NULL;
    }
    return hy_bind_error(b, HY_E_INTERNAL, st->offset, "unknown statement");
}

int hy_prepare_next(const char *text, size_t *offset, const hy_catalog *cat, hy_arena *a,
                    hy_stmt **out, hy_error *err) {
    *out = NULL;
    hy_ast_stmt *st = NULL;
    int r = hy_parse_next(text, SIZE_MAX, offset, a, &st, err);
    if (r <= 0) return r;
    hy_binder b = {text, cat, a, err};
    hy_stmt *s = hy_arena_alloc(a, sizeof *s);
    if (!bind_stmt(&b, st, s)) {
        if (!hy_failed(err)) hy_error_set(err, HY_E_INTERNAL, "binding failed");
        return -1;
    }
    *out = s;
    return 1;
}
