/*
 * SELECT planning. The plan is built bottom-up in this shape (operators only when needed):
 *
 *   SCAN t (only the columns used)          | VALUES (SELECT without FROM)
 *   -> FILTER (WHERE)
 *   -> AGGREGATE (GROUP BY keys, then the aggregates found anywhere in the query)
 *   -> FILTER (HAVING, over the aggregate's output)
 *   -> PROJECT (select list, then hidden ORDER BY expressions not in the select list)
 *   -> AGGREGATE (DISTINCT: every output column as a key, no aggregates)
 *   -> SORT (keys are output columns)
 *   -> PROJECT (drops hidden ORDER BY columns)
 *   -> LIMIT
 *
 * WHERE is always a separate FILTER: the binder never sets scan.filter (a later pass that
 * knows about zone maps may move a FILTER into the scan). An identity PROJECT is omitted.
 * A SCAN always has at least one column (the first one if the query needs none, e.g.
 * count(*)), and the VALUES of a SELECT without FROM that needs an input row (WHERE,
 * aggregates) has one INTEGER column "dummy", so no operator ever has zero columns.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "plan/binder_internal.h"

hy_plan *hy_mk_plan(hy_binder *b, hy_plan_kind kind, hy_plan *child, int ncols) {
    hy_plan *p = hy_arena_alloc(b->a, sizeof *p);
    p->kind = kind;
    p->child = child;
    p->ncols = ncols;
    p->types = hy_arena_alloc(b->a, sizeof(hy_ltype) * (size_t)(ncols ? ncols : 1));
    p->names = hy_arena_alloc(b->a, sizeof(char *) * (size_t)(ncols ? ncols : 1));
    return p;
}

static hy_plan *mk_same(hy_binder *b, hy_plan_kind kind, hy_plan *child) {
    hy_plan *p = hy_mk_plan(b, kind, child, child->ncols);
    memcpy(p->types, child->types, sizeof(hy_ltype) * (size_t)child->ncols);
    memcpy(p->names, child->names, sizeof(char *) * (size_t)child->ncols);
    return p;
}

/* ---- output columns ------------------------------------------------------------------------ */

typedef struct out_list {
    hy_expr **exprs;
    const char **names;
    int n, cap;
} out_list;

static void out_push(hy_binder *b, out_list *o, hy_expr *e, const char *name) {
    if (o->n == o->cap) {
        int cap = o->cap ? o->cap * 2 : 8;
        hy_expr **ne = hy_arena_alloc(b->a, sizeof(hy_expr *) * (size_t)cap);
        const char **nn = hy_arena_alloc(b->a, sizeof(char *) * (size_t)cap);
        if (o->n) {
            memcpy(ne, o->exprs, sizeof(hy_expr *) * (size_t)o->n);
            memcpy(nn, o->names, sizeof(char *) * (size_t)o->n);
        }
        o->exprs = ne;
        o->names = nn;
        o->cap = cap;
    }
    o->exprs[o->n] = e;
    o->names[o->n] = name;
    o->n++;
}

/* ---- column usage and renumbering ---------------------------------------------------------- */

static void mark_used(const hy_expr *e, bool *used) {
    if (!e) return;
    if (e->kind == HY_EX_COLUMN) used[e->column] = true;
    for (int i = 0; i < e->nargs; i++) mark_used(e->args[i], used);
}

static void remap(hy_expr *e, const int *map) {
    if (!e) return;
    if (e->kind == HY_EX_COLUMN) e->column = map[e->column];
    for (int i = 0; i < e->nargs; i++) remap(e->args[i], map);
}

/* ---- pieces -------------------------------------------------------------------------------- */

static bool bind_from(hy_bctx *c, const hy_ast_select *s) {
    hy_binder *b = c->b;
    if (s->nfrom == 0) return true;
    if (s->nfrom > 1)
        return hy_bind_error(b, HY_E_BIND, s->from[1]->offset,
                             "joins are not supported yet (FROM lists one table)");
    const hy_ast_from *f = s->from[0];
    if (f->kind == HY_FROM_JOIN)
        return hy_bind_error(b, HY_E_BIND, f->offset, "JOIN is not supported yet");
    if (f->kind == HY_FROM_SUBQUERY)
        return hy_bind_error(b, HY_E_BIND, f->offset, "subqueries in FROM are not supported yet");
    hy_table *t = hy_catalog_find(b->cat, f->table);
    if (!t) return hy_bind_error(b, HY_E_BIND, f->offset, "table \"%s\" does not exist",
                                   HY_ECHO(b, f->table));
    c->nitems = 1;
    c->items = hy_arena_alloc(b->a, sizeof(hy_scope_item));
    c->items[0].table = t;
    c->items[0].name = f->alias ? f->alias : f->table;
    c->items[0].base = 0;
    c->nbase = t->ncols;
    c->base_types = hy_arena_alloc(b->a, sizeof(hy_ltype) * (size_t)t->ncols);
    c->base_names = hy_arena_alloc(b->a, sizeof(char *) * (size_t)t->ncols);
    for (int i = 0; i < t->ncols; i++) {
        c->base_types[i] = t->cols[i].type;
        c->base_names[i] = t->cols[i].name;
    }
    return true;
}

static bool is_int_literal(const hy_ast *a) {
    return a->kind == HY_AST_CONST && a->lit == HY_LIT_INT;
}

static long literal_pos(const hy_ast *a) {
    if (a->str_len > 9) return a->str[0] == '-' ? -1 : 1000000000L;
    return strtol(a->str, NULL, 10);
}

static bool bind_groups(hy_bctx *c, const hy_ast_select *s) {
    hy_binder *b = c->b;
    c->groups = hy_arena_alloc(b->a, sizeof(hy_expr *) * (size_t)(s->ngroup ? s->ngroup : 1));
    c->group_names = hy_arena_alloc(b->a, sizeof(char *) * (size_t)(s->ngroup ? s->ngroup : 1));
    c->mode = HY_BIND_BASE;
    c->clause = "GROUP BY";
    for (int i = 0; i < s->ngroup; i++) {
        const hy_ast *g = s->group[i];
        if (is_int_literal(g)) {
            long k = literal_pos(g);
            if (k < 1 || k > s->nitems)
                return hy_bind_error(b, HY_E_BIND, g->start,
                                     "GROUP BY position %ld is not in select list", k);
            g = s->items[k - 1].expr;
            if (g->kind == HY_AST_STAR)
                return hy_bind_error(b, HY_E_BIND, s->group[i]->start,
                                     "GROUP BY position %ld refers to *", k);
            if (hy_ast_contains_agg(c, g))
                return hy_bind_error(b, HY_E_BIND, s->group[i]->start,
                                     "aggregate functions are not allowed in GROUP BY");
        }
        c->alias_fallback = true;
        hy_expr *e = hy_bind_expr(c, g);
        c->alias_fallback = false;
        if (!e) return false;
        bool dup = false;
        for (int j = 0; j < c->ngroups && !dup; j++) dup = hy_expr_equal(e, c->groups[j]);
        if (dup) continue;
        c->groups[c->ngroups] = e;
        c->group_names[c->ngroups] = e->kind == HY_EX_COLUMN ? e->name : hy_ast_text(b, g);
        c->ngroups++;
    }
    return true;
}

/* Adds the columns of `*` / `t.*` to the output list. */
static bool expand_star(hy_bctx *c, const hy_ast *star, out_list *outs) {
    hy_binder *b = c->b;
    if (c->nitems == 0)
        return hy_bind_error(b, HY_E_BIND, star->start,
                             "SELECT * with no tables specified is not valid");
    bool any = false;
    for (int i = 0; i < c->nitems; i++) {
        const hy_scope_item *it = &c->items[i];
        if (star->qualifier && strcasecmp(star->qualifier, it->name) != 0) continue;
        any = true;
        for (int col = 0; col < it->table->ncols; col++) {
            int base = it->base + col;
            hy_expr *e = hy_mk_column(b, base, c->base_types[base], c->base_names[base]);
            if (c->mode == HY_BIND_AGG) {
                hy_expr *g = NULL;
                for (int k = 0; k < c->ngroups && !g; k++)
                    if (hy_expr_equal(e, c->groups[k]))
                        g = hy_mk_column(b, k, e->type, c->group_names[k]);
                if (!g)
                    return hy_bind_error(b, HY_E_BIND, star->start,
                                         "column \"%s\" must appear in the GROUP BY clause or be "
                                         "used in an aggregate function",
                                         HY_ECHO(b, c->base_names[base]));
                e = g;
            }
            out_push(b, outs, e, c->base_names[base]);
        }
    }
    if (!any)
        return hy_bind_error(b, HY_E_BIND, star->start,
                             "missing FROM-clause entry for table \"%s\"",
                             HY_ECHO(b, star->qualifier));
    return true;
}

/* LIMIT/OFFSET value: a constant, non-negative integer (NULL = none). */
static bool bind_count(hy_bctx *c, const hy_ast *a, const char *what, int64_t *out) {
    hy_binder *b = c->b;
    hy_bctx k = {0};
    k.b = b;
    k.mode = HY_BIND_BASE;
    k.clause = what;
    hy_expr *e = hy_bind_expr(&k, a);
    if (!e) return false;
    if (hy_is_null_const(e)) return true;
    if (!hy_is_const(e) || (e->type.id != HY_TYPE_INTEGER && e->type.id != HY_TYPE_BIGINT))
        return hy_bind_error(b, HY_E_TYPE, a->start, "%s must be an integer constant", what);
    if (e->value.v.i < 0)
        return hy_bind_error(b, HY_E_RANGE, a->start, "%s must not be negative", what);
    *out = e->value.v.i;
    return true;
}

/* Output name of a select item. */
static const char *item_name(hy_binder *b, const hy_ast_select_item *it, const hy_expr *e) {
    if (it->alias) return it->alias;
    if (it->expr->kind == HY_AST_COLREF && e->kind == HY_EX_COLUMN && e->name) return e->name;
    return hy_ast_text(b, it->expr);
}

/* ---- SELECT -------------------------------------------------------------------------------- */

hy_plan *hy_bind_select(hy_binder *b, const hy_ast_select *s) {
    hy_bctx cc;
    memset(&cc, 0, sizeof cc);
    hy_bctx *c = &cc;
    c->b = b;
    c->sel = s;
    if (!bind_from(c, s)) return NULL;

    /* is this a grouped query? */
    bool has_agg = s->ngroup > 0 || s->having != NULL;
    for (int i = 0; i < s->nitems && !has_agg; i++) has_agg = hy_ast_contains_agg(c, s->items[i].expr);
    c->alias_fallback = true;
    for (int i = 0; i < s->norder && !has_agg; i++) has_agg = hy_ast_contains_agg(c, s->order[i].expr);
    c->alias_fallback = false;

    hy_expr *where = NULL, *having = NULL;
    if (s->where) {
        c->mode = HY_BIND_BASE;
        c->clause = "WHERE";
        if (!(where = hy_bind_bool(c, s->where, "WHERE"))) return NULL;
    }
    if (has_agg) {
        if (!bind_groups(c, s)) return NULL;
        c->mode = HY_BIND_AGG;
        c->clause = NULL;
        if (s->having) {
            c->alias_fallback = true;
            having = hy_bind_bool(c, s->having, "HAVING");
            c->alias_fallback = false;
            if (!having) return NULL;
        }
    } else {
        c->mode = HY_BIND_BASE;
        c->clause = "this context";
    }

    /* select list */
    out_list outs = {0};
    for (int i = 0; i < s->nitems; i++) {
        const hy_ast_select_item *it = &s->items[i];
        if (it->expr->kind == HY_AST_STAR) {
            if (!expand_star(c, it->expr, &outs)) return NULL;
            continue;
        }
        hy_expr *e = hy_bind_expr(c, it->expr);
        if (!e) return NULL;
        out_push(b, &outs, e, item_name(b, it, e));
    }
    int nvisible = outs.n;

    /* ORDER BY: output columns by position or name, else (hidden) expressions */
    hy_sort_key *keys = hy_arena_alloc(b->a, sizeof(hy_sort_key) * (size_t)(s->norder ? s->norder : 1));
    for (int i = 0; i < s->norder; i++) {
        const hy_ast_order *o = &s->order[i];
        int col = -1;
        if (is_int_literal(o->expr)) {
            long k = literal_pos(o->expr);
            if (k < 1 || k > nvisible) {
                hy_bind_error(b, HY_E_BIND, o->expr->start,
                              "ORDER BY position %ld is not in select list", k);
                return NULL;
            }
            col = (int)k - 1;
        } else if (o->expr->kind == HY_AST_COLREF && !o->expr->qualifier) {
            for (int j = 0; j < nvisible; j++) {
                if (strcasecmp(outs.names[j], o->expr->name) != 0) continue;
                if (col >= 0 && !hy_expr_equal(outs.exprs[col], outs.exprs[j])) {
                    hy_bind_error(b, HY_E_BIND, o->expr->start, "ORDER BY \"%s\" is ambiguous",
                                  HY_ECHO(b, o->expr->name));
                    return NULL;
                }
                if (col < 0) col = j;
            }
        }
        if (col < 0) {
            c->alias_fallback = true;
            hy_expr *e = hy_bind_expr(c, o->expr);
            c->alias_fallback = false;
            if (!e) return NULL;
            for (int j = 0; j < outs.n && col < 0; j++)
                if (hy_expr_equal(e, outs.exprs[j])) col = j;
            if (col < 0) {
                if (s->distinct) {
                    hy_bind_error(b, HY_E_BIND, o->expr->start,
                                  "for SELECT DISTINCT, ORDER BY expressions must appear in "
                                  "select list");
                    return NULL;
                }
                col = outs.n;
                out_push(b, &outs, e, hy_ast_text(b, o->expr));
            }
        }
        keys[i].column = col;
        keys[i].desc = o->desc;
        keys[i].nulls_first = o->nulls < 0 ? o->desc : o->nulls == 1;
    }
    int64_t limit = -1, offset = 0;
    if (s->limit && !bind_count(c, s->limit, "LIMIT", &limit)) return NULL;
    if (s->offset_expr && !bind_count(c, s->offset_expr, "OFFSET", &offset)) return NULL;

    /* source */
    hy_plan *plan;
    bool projected = false;
    if (c->nitems == 0) {
        if (!has_agg && !where) {
            plan = hy_mk_plan(b, HY_PLAN_VALUES, NULL, outs.n);
            plan->u.values.nrows = 1;
            plan->u.values.rows = hy_arena_alloc(b->a, sizeof(hy_expr **));
            plan->u.values.rows[0] = outs.exprs;
            for (int i = 0; i < outs.n; i++) {
                plan->types[i] = outs.exprs[i]->type;
                plan->names[i] = outs.names[i];
            }
            projected = true;
        } else {
            plan = hy_mk_plan(b, HY_PLAN_VALUES, NULL, 1);
            plan->u.values.nrows = 1;
            plan->u.values.rows = hy_arena_alloc(b->a, sizeof(hy_expr **));
            plan->u.values.rows[0] = hy_arena_alloc(b->a, sizeof(hy_expr *));
            plan->u.values.rows[0][0] = hy_mk_int(b, hy_lt(HY_TYPE_INTEGER), 0, s->offset);
            plan->types[0] = hy_lt(HY_TYPE_INTEGER);
            plan->names[0] = "dummy";
        }
    } else {
        hy_table *t = c->items[0].table;
        bool *used = hy_arena_alloc(b->a, sizeof(bool) * (size_t)c->nbase);
        mark_used(where, used);
        for (int i = 0; i < c->ngroups; i++) mark_used(c->groups[i], used);
        for (int i = 0; i < c->naggs; i++) mark_used(c->aggs[i].arg, used);
        if (!has_agg)
            for (int i = 0; i < outs.n; i++) mark_used(outs.exprs[i], used);
        int n = 0;
        for (int i = 0; i < c->nbase; i++) n += used[i];
        if (n == 0) {
            used[0] = true;
            n = 1;
        }
        int *map = hy_arena_alloc(b->a, sizeof(int) * (size_t)c->nbase);
        plan = hy_mk_plan(b, HY_PLAN_SCAN, NULL, n);
        plan->u.scan.table = t;
        plan->u.scan.ncols = n;
        plan->u.scan.columns = hy_arena_alloc(b->a, sizeof(int) * (size_t)n);
        for (int i = 0, k = 0; i < c->nbase; i++) {
            map[i] = -1;
            if (!used[i]) continue;
            map[i] = k;
            plan->u.scan.columns[k] = i;
            plan->types[k] = c->base_types[i];
            plan->names[k] = c->base_names[i];
            k++;
        }
        remap(where, map);
        for (int i = 0; i < c->ngroups; i++) remap(c->groups[i], map);
        for (int i = 0; i < c->naggs; i++) remap(c->aggs[i].arg, map);
        if (!has_agg)
            for (int i = 0; i < outs.n; i++) remap(outs.exprs[i], map);
    }
    if (where) {
        plan = mk_same(b, HY_PLAN_FILTER, plan);
        plan->u.filter.predicate = where;
    }
    if (has_agg && c->ngroups == 0 && c->naggs == 0) {
        /* HAVING without groups or aggregates (SELECT 1 FROM t HAVING true): still one row;
         * a count(*) keeps the AGGREGATE from having zero columns */
        hy_agg cs;
        memset(&cs, 0, sizeof cs);
        cs.func = HY_AGG_COUNT_STAR;
        cs.type = hy_lt(HY_TYPE_BIGINT);
        c->aggs = hy_arena_alloc(b->a, sizeof(hy_agg));
        c->agg_names = hy_arena_alloc(b->a, sizeof(char *));
        c->aggs[0] = cs;
        c->agg_names[0] = "count(*)";
        c->naggs = 1;
    }
    if (has_agg) {
        hy_plan *ag = hy_mk_plan(b, HY_PLAN_AGGREGATE, plan, c->ngroups + c->naggs);
        ag->u.aggregate.ngroups = c->ngroups;
        ag->u.aggregate.groups = c->groups;
        ag->u.aggregate.naggs = c->naggs;
        ag->u.aggregate.aggs = c->aggs;
        for (int i = 0; i < c->ngroups; i++) {
            ag->types[i] = c->groups[i]->type;
            ag->names[i] = c->group_names[i];
        }
        for (int i = 0; i < c->naggs; i++) {
            ag->types[c->ngroups + i] = c->aggs[i].type;
            ag->names[c->ngroups + i] = c->agg_names[i];
        }
        plan = ag;
        if (having) {
            plan = mk_same(b, HY_PLAN_FILTER, plan);
            plan->u.filter.predicate = having;
        }
    }
    if (!projected) {
        bool identity = outs.n == plan->ncols;
        for (int i = 0; i < outs.n && identity; i++)
            identity = outs.exprs[i]->kind == HY_EX_COLUMN && outs.exprs[i]->column == i &&
                       strcmp(outs.names[i], plan->names[i]) == 0;
        if (!identity) {
            hy_plan *pr = hy_mk_plan(b, HY_PLAN_PROJECT, plan, outs.n);
            pr->u.project.exprs = outs.exprs;
            for (int i = 0; i < outs.n; i++) {
                pr->types[i] = outs.exprs[i]->type;
                pr->names[i] = outs.names[i];
            }
            plan = pr;
        }
    }
    if (s->distinct) {
        hy_plan *d = mk_same(b, HY_PLAN_AGGREGATE, plan);
        d->u.aggregate.ngroups = plan->ncols;
        d->u.aggregate.groups = hy_arena_alloc(b->a, sizeof(hy_expr *) * (size_t)plan->ncols);
        for (int i = 0; i < plan->ncols; i++)
            d->u.aggregate.groups[i] = hy_mk_column(b, i, plan->types[i], plan->names[i]);
        plan = d;
    }
    if (s->norder) {
        plan = mk_same(b, HY_PLAN_SORT, plan);
        plan->u.sort.nkeys = s->norder;
        plan->u.sort.keys = keys;
    }
    if (outs.n > nvisible) {
        hy_plan *pr = hy_mk_plan(b, HY_PLAN_PROJECT, plan, nvisible);
        pr->u.project.exprs = hy_arena_alloc(b->a, sizeof(hy_expr *) * (size_t)nvisible);
        for (int i = 0; i < nvisible; i++) {
            pr->u.project.exprs[i] = hy_mk_column(b, i, plan->types[i], plan->names[i]);
            pr->types[i] = plan->types[i];
            pr->names[i] = plan->names[i];
        }
        plan = pr;
    }
    if (limit >= 0 || offset > 0) {
        plan = mk_same(b, HY_PLAN_LIMIT, plan);
        plan->u.limit.limit = limit;
        plan->u.limit.offset = offset;
    }
    return plan;
}
