/*
 * Scalar functions, aggregates, casts and the implicit-type rules (PostgreSQL/DuckDB, as
 * specified in plan.h).
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "plan/binder_internal.h"

bool hy_is_numeric(hy_ltype t) {
    return t.id == HY_TYPE_INTEGER || t.id == HY_TYPE_BIGINT || t.id == HY_TYPE_DECIMAL ||
           t.id == HY_TYPE_DOUBLE;
}

static bool is_str_const(const hy_expr *e) {
    return hy_is_const(e) && e->type.id == HY_TYPE_VARCHAR;
}

static bool is_int(hy_ltype t) { return t.id == HY_TYPE_INTEGER || t.id == HY_TYPE_BIGINT; }

void hy_decimal_props(const hy_expr *e, bool narrow_const, int *prec, int *scale) {
    hy_ltype t = e->type;
    *scale = 0;
    if (t.id == HY_TYPE_DECIMAL) {
        *prec = t.prec;
        *scale = t.scale;
    } else if (narrow_const && is_int(t) && hy_is_const(e) && !e->value.is_null) {
        *prec = hy_i128_digits((hy_i128)e->value.v.i);
    } else if (t.id == HY_TYPE_INTEGER) {
        *prec = 10;
    } else if (t.id == HY_TYPE_BIGINT) {
        *prec = 19;
    } else {
        *prec = HY_DEC_MAX_PREC;
    }
}

void hy_decimal_max(int p1, int s1, int p2, int s2, int *prec, int *scale) {
    int sc = s1 > s2 ? s1 : s2;
    int intd = p1 - s1 > p2 - s2 ? p1 - s1 : p2 - s2;
    if (intd + sc > HY_DEC_MAX_PREC) sc = HY_DEC_MAX_PREC - intd; /* keep the integer digits */
    *prec = intd + sc;
    *scale = sc;
}

/* ---- casts --------------------------------------------------------------------------------- */

bool hy_cast_allowed(hy_ltype from, hy_ltype to) {
    if (hy_lt_eq(from, to) || from.id == HY_TYPE_NULL) return true;
    if (to.id == HY_TYPE_NULL) return false;
    if (from.id == HY_TYPE_VARCHAR || to.id == HY_TYPE_VARCHAR) return true;
    bool fn = hy_is_numeric(from) || from.id == HY_TYPE_BOOLEAN;
    bool tn = hy_is_numeric(to) || to.id == HY_TYPE_BOOLEAN;
    return fn && tn;
}

hy_expr *hy_cast_to(hy_binder *b, hy_expr *e, hy_ltype to, uint32_t off) {
    if (!e) return NULL;
    if (hy_lt_eq(e->type, to)) return e;
    if (hy_is_const(e)) {
        hy_value out;
        hy_error err;
        hy_error_clear(&err);
        if (e->value.is_null || e->type.id == HY_TYPE_NULL) return hy_mk_null(b, to, e->src_offset);
        if (e->type.id == HY_TYPE_VARCHAR && to.id == HY_TYPE_DATE) {
            /* literal text as a DATE: our own message, positioned at the literal */
            int32_t d;
            if (!hy_date_parse(e->value.v.s.ptr, e->value.v.s.len, &d)) {
                int n = hy_sql_echo_len(e->value.v.s.ptr, e->value.v.s.len);
                hy_bind_error(b, HY_E_DATA, e->src_offset, "invalid DATE '%.*s%s'", n,
                              e->value.v.s.ptr, hy_sql_echo_more(e->value.v.s.len, n));
                return NULL;
            }
            memset(&out, 0, sizeof out);
            out.type = to;
            out.v.i = d;
            return hy_mk_const(b, out, e->src_offset);
        }
        if (hy_fold_cast(b, &e->value, to, &out, &err)) return hy_mk_const(b, out, e->src_offset);
        if (e->type.id == HY_TYPE_VARCHAR) {
            /* bad literal text: a bind error with the literal's position */
            hy_bind_error(b, err.code == HY_E_OK ? HY_E_DATA : err.code, e->src_offset, "%s",
                          err.msg);
            return NULL;
        }
        /* overflow etc.: keep the CAST so execution reports it (if it is ever evaluated) */
    }
    hy_expr *c = hy_mk_expr(b, HY_EX_CAST, to, 1, off);
    c->args[0] = e;
    return c;
}

hy_expr *hy_cast_explicit(hy_binder *b, hy_expr *e, hy_ltype to, uint32_t off) {
    if (!hy_cast_allowed(e->type, to)) {
        char t1[HY_TNAME_CAP], t2[HY_TNAME_CAP];
        hy_bind_error(b, HY_E_TYPE, off, "cannot cast %s to %s", hy_tname(e->type, t1),
                      hy_tname(to, t2));
        return NULL;
    }
    return hy_cast_to(b, e, to, off);
}

hy_expr *hy_cast_assign(hy_binder *b, hy_expr *e, hy_ltype to, const char *colname,
                        uint32_t off) {
    hy_ltype from = e->type;
    if (hy_lt_eq(from, to) || from.id == HY_TYPE_NULL || is_str_const(e) ||
        (hy_is_numeric(from) && hy_is_numeric(to)) || to.id == HY_TYPE_VARCHAR)
        return hy_cast_to(b, e, to, off);
    char t1[HY_TNAME_CAP], t2[HY_TNAME_CAP];
    hy_bind_error(b, HY_E_TYPE, off, "column \"%s\" is of type %s but expression is of type %s",
                  colname, hy_tname(to, t1), hy_tname(from, t2));
    return NULL;
}

/* ---- type unification ---------------------------------------------------------------------- */

typedef struct type_acc {
    bool have;
    hy_type id;
    int p, s;
    const hy_expr *rep; /* an expression of the accumulated type, for messages */
} type_acc;

static bool acc_add(type_acc *a, const hy_expr *e, bool cmp) {
    hy_ltype t = e->type;
    int p, s;
    hy_decimal_props(e, cmp, &p, &s);
    if (!a->have) {
        a->have = true;
        a->id = t.id;
        a->p = p;
        a->s = s;
        a->rep = e;
        return true;
    }
    if (hy_is_numeric(t) && (a->id == HY_TYPE_INTEGER || a->id == HY_TYPE_BIGINT ||
                             a->id == HY_TYPE_DECIMAL || a->id == HY_TYPE_DOUBLE)) {
        if (a->id == HY_TYPE_DOUBLE || t.id == HY_TYPE_DOUBLE) {
            a->id = HY_TYPE_DOUBLE;
        } else if (a->id == HY_TYPE_DECIMAL || t.id == HY_TYPE_DECIMAL) {
            a->id = HY_TYPE_DECIMAL;
            hy_decimal_max(a->p, a->s, p, s, &a->p, &a->s);
        } else {
            if (t.id == HY_TYPE_BIGINT) a->id = HY_TYPE_BIGINT;
            if (p > a->p) a->p = p;
        }
        return true;
    }
    return a->id == t.id;
}

static hy_ltype acc_type(const type_acc *a) {
    if (a->id == HY_TYPE_DECIMAL) return hy_lt_dec(a->p, a->s);
    return hy_lt(a->id);
}

/* Type of the list, or false with *bad (the element that did not fit) set. */
static bool unify_type(hy_expr *const *v, int n, bool cmp, hy_ltype *out, int *bad,
                       const hy_expr **rep) {
    type_acc a = {0};
    bool any_str = false;
    for (int i = 0; i < n; i++) {
        const hy_expr *e = v[i];
        if (e->type.id == HY_TYPE_NULL) continue;
        if (is_str_const(e)) {
            any_str = true;
            continue;
        }
        if (!acc_add(&a, e, cmp)) {
            *bad = i;
            *rep = a.rep;
            return false;
        }
    }
    if (a.have) *out = acc_type(&a);
    else *out = hy_lt(any_str ? HY_TYPE_VARCHAR : HY_TYPE_NULL);
    return true;
}

bool hy_common_type(const hy_expr *x, const hy_expr *y, hy_ltype *out) {
    hy_expr *v[2] = {(hy_expr *)x, (hy_expr *)y};
    int bad;
    const hy_expr *rep;
    return unify_type(v, 2, false, out, &bad, &rep);
}

bool hy_unify(hy_binder *b, hy_expr **v, int n, uint32_t off, const char *what, bool cmp) {
    hy_ltype t;
    int bad = 0;
    const hy_expr *rep = NULL;
    if (!unify_type(v, n, cmp, &t, &bad, &rep)) {
        char t1[HY_TNAME_CAP], t2[HY_TNAME_CAP];
        if (cmp)
            hy_bind_error(b, HY_E_TYPE, off, "cannot compare %s and %s", hy_tname(rep->type, t1),
                          hy_tname(v[bad]->type, t2));
        else
            hy_bind_error(b, HY_E_TYPE, off, "%s types %s and %s cannot be matched", what,
                          hy_tname(rep->type, t1), hy_tname(v[bad]->type, t2));
        return false;
    }
    for (int i = 0; i < n; i++) {
        v[i] = hy_cast_to(b, v[i], t, v[i]->src_offset ? v[i]->src_offset : off);
        if (!v[i]) return false;
    }
    return true;
}

/* ---- scalar functions ---------------------------------------------------------------------- */

static hy_expr *no_match(hy_binder *b, const hy_ast *ast, hy_expr **args, int n) {
    char buf[400];
    size_t o = (size_t)snprintf(buf, sizeof buf, "%s(", HY_ECHO(b, ast->name));
    for (int i = 0; i < n && o < sizeof buf; i++) {
        char tn[HY_TNAME_CAP];
        o += (size_t)snprintf(buf + o, sizeof buf - o, "%s%s", i ? ", " : "",
                              hy_tname(args[i]->type, tn));
    }
    if (o < sizeof buf) snprintf(buf + o, sizeof buf - o, ")");
    hy_bind_error(b, HY_E_TYPE, ast->start,
                  "No function matches the given name and argument types '%s'", buf);
    return NULL;
}

static bool name_is(const char *n, const char *a) { return strcasecmp(n, a) == 0; }

/* VARCHAR argument: string literals and NULL are fine, other types are not. */
static bool want_varchar(hy_binder *b, hy_expr **e) {
    if ((*e)->type.id == HY_TYPE_NULL) *e = hy_cast_to(b, *e, hy_lt(HY_TYPE_VARCHAR), (*e)->src_offset);
    return *e && (*e)->type.id == HY_TYPE_VARCHAR;
}

/* Integer argument as BIGINT (string literals parse as numbers). */
static bool want_bigint(hy_binder *b, hy_expr **e) {
    hy_expr *x = *e;
    if (is_str_const(x) || x->type.id == HY_TYPE_NULL) x = hy_cast_to(b, x, hy_lt(HY_TYPE_BIGINT), x->src_offset);
    if (!x || !is_int(x->type)) return false;
    *e = hy_cast_to(b, x, hy_lt(HY_TYPE_BIGINT), x->src_offset);
    return *e != NULL;
}

static hy_expr *bind_round(hy_binder *b, const hy_ast *ast, hy_expr **args, int n) {
    hy_ltype integer = hy_lt(HY_TYPE_INTEGER);
    hy_expr *x = args[0];
    hy_expr *d = n > 1 ? args[1] : hy_mk_int(b, integer, 0, ast->start);
    if (x->type.id == HY_TYPE_NULL) x = hy_cast_to(b, x, hy_lt(HY_TYPE_DOUBLE), ast->start);
    if (is_str_const(d) || d->type.id == HY_TYPE_NULL) d = hy_cast_to(b, d, integer, d->src_offset);
    if (!x || !d) return NULL;
    if (!hy_is_numeric(x->type) || !is_int(d->type)) return no_match(b, ast, args, n);
    d = hy_cast_to(b, d, integer, d->src_offset);
    if (!d) return NULL;
    bool dconst = hy_is_const(d) && !d->value.is_null;
    int64_t dv = dconst ? d->value.v.i : 0;
    if (is_int(x->type)) {
        if (dconst && dv >= 0) return x; /* nothing to round */
        if (!dconst) x = hy_cast_to(b, x, hy_lt(HY_TYPE_DOUBLE), ast->start);
        else x = hy_cast_to(b, x, hy_lt_dec(x->type.id == HY_TYPE_INTEGER ? 10 : 19, 0), ast->start);
    }
    if (x->type.id == HY_TYPE_DOUBLE)
        return hy_mk_func2(b, HY_FN_ROUND, x->type, x, d, ast->start);
    /* DECIMAL: the result type depends on the digits, which must be a constant */
    if (!dconst) {
        if (hy_is_null_const(d)) return hy_mk_null(b, x->type, ast->start);
        hy_bind_error(b, HY_E_TYPE, ast->start,
                      "round(DECIMAL, n): the number of digits must be a constant");
        return NULL;
    }
    int p = x->type.prec, s = x->type.scale;
    if (dv >= s) return x;
    hy_ltype rt = dv >= 0 ? hy_lt_dec(p, (int)dv) : hy_lt_dec(p + 1 > HY_DEC_MAX_PREC ? HY_DEC_MAX_PREC : p + 1, 0);
    return hy_mk_func2(b, HY_FN_ROUND, rt, x, d, ast->start);
}

hy_expr *hy_bind_func(hy_bctx *c, const hy_ast *ast) {
    hy_binder *b = c->b;
    const char *name = ast->name;
    if (ast->distinct) {
        hy_bind_error(b, HY_E_BIND, ast->start,
                      "DISTINCT specified, but %s is not an aggregate function",
                      HY_ECHO(b, name));
        return NULL;
    }
    if (ast->star) {
        hy_bind_error(b, HY_E_BIND, ast->start, "%s(*) is not an aggregate function",
                      HY_ECHO(b, name));
        return NULL;
    }
    int n = ast->nargs;
    hy_expr **args = hy_arena_alloc(b->a, sizeof(hy_expr *) * (size_t)(n ? n : 1));
    for (int i = 0; i < n; i++)
        if (!(args[i] = hy_bind_expr(c, ast->args[i]))) return NULL;
    hy_ltype vc = hy_lt(HY_TYPE_VARCHAR), big = hy_lt(HY_TYPE_BIGINT);

    if (name_is(name, "coalesce")) {
        if (n < 1) return no_match(b, ast, args, n);
        if (!hy_unify(b, args, n, ast->start, "COALESCE", false)) return NULL;
        hy_expr *e = hy_mk_expr(b, HY_EX_COALESCE, args[0]->type, n, ast->start);
        for (int i = 0; i < n; i++) e->args[i] = args[i];
        return e;
    }
    if (name_is(name, "typeof")) {
        /* DuckDB's typeof: the argument's type name, known at bind time (never evaluated) */
        if (n != 1) return no_match(b, ast, args, n);
        char tn[HY_TNAME_CAP];
        const char *s = args[0]->type.id == HY_TYPE_NULL ? "\"NULL\"" : hy_tname(args[0]->type, tn);
        hy_value v;
        memset(&v, 0, sizeof v);
        v.type = vc;
        v.v.s.ptr = hy_arena_strdup(b->a, s);
        v.v.s.len = (uint32_t)strlen(s);
        return hy_mk_const(b, v, ast->start);
    }
    if (name_is(name, "abs")) {
        if (n != 1) return no_match(b, ast, args, n);
        hy_expr *x = args[0];
        if (x->type.id == HY_TYPE_NULL) x = hy_cast_to(b, x, hy_lt(HY_TYPE_INTEGER), ast->start);
        if (!hy_is_numeric(x->type)) return no_match(b, ast, args, n);
        return hy_mk_func1(b, HY_FN_ABS, x->type, x, ast->start);
    }
    if (name_is(name, "round")) {
        if (n < 1 || n > 2) return no_match(b, ast, args, n);
        return bind_round(b, ast, args, n);
    }
    if (name_is(name, "length") || name_is(name, "char_length") ||
        name_is(name, "character_length") || name_is(name, "len")) {
        if (n != 1 || !want_varchar(b, &args[0])) return no_match(b, ast, args, n);
        return hy_mk_func1(b, HY_FN_LENGTH, big, args[0], ast->start);
    }
    if (name_is(name, "upper") || name_is(name, "lower") || name_is(name, "ucase") ||
        name_is(name, "lcase")) {
        if (n != 1 || !want_varchar(b, &args[0])) return no_match(b, ast, args, n);
        hy_func f = name_is(name, "upper") || name_is(name, "ucase") ? HY_FN_UPPER : HY_FN_LOWER;
        return hy_mk_func1(b, f, vc, args[0], ast->start);
    }
    if (name_is(name, "substring") || name_is(name, "substr")) {
        if (n == 3 && !args[2]) n = 2; /* SUBSTRING(s FROM a) */
        if (n < 2 || n > 3 || !want_varchar(b, &args[0]) || !want_bigint(b, &args[1]) ||
            (n == 3 && !want_bigint(b, &args[2])))
            return hy_failed(b->err) ? NULL : no_match(b, ast, args, n);
        return hy_mk_func(b, HY_FN_SUBSTRING, vc, n, args, ast->start);
    }
    if (name_is(name, "year") || name_is(name, "month") || name_is(name, "day")) {
        if (n != 1) return no_match(b, ast, args, n);
        hy_expr *x = args[0];
        if (is_str_const(x) || x->type.id == HY_TYPE_NULL)
            x = hy_cast_to(b, x, hy_lt(HY_TYPE_DATE), x->src_offset);
        if (!x) return NULL;
        if (x->type.id != HY_TYPE_DATE) return no_match(b, ast, args, n);
        hy_func f = name_is(name, "year") ? HY_FN_YEAR : name_is(name, "month") ? HY_FN_MONTH : HY_FN_DAY;
        return hy_mk_func1(b, f, big, x, ast->start);
    }
    char buf[400];
    size_t o = 0;
    buf[0] = 0;
    for (int i = 0; i < n && o < sizeof buf; i++) {
        char tn[HY_TNAME_CAP];
        o += (size_t)snprintf(buf + o, sizeof buf - o, "%s%s", i ? ", " : "",
                              hy_tname(args[i]->type, tn));
    }
    hy_bind_error(b, HY_E_BIND, ast->start, "function %s(%s) does not exist", HY_ECHO(b, name),
                  buf);
    return NULL;
}

/* ---- aggregates ---------------------------------------------------------------------------- */

hy_expr *hy_bind_aggregate(hy_bctx *c, const hy_ast *ast) {
    hy_binder *b = c->b;
    const char *name = ast->name;
    hy_agg ag;
    memset(&ag, 0, sizeof ag);
    ag.distinct = ast->distinct;
    if (ast->star) {
        if (!name_is(name, "count")) {
            hy_bind_error(b, HY_E_BIND, ast->start, "%s(*) is not supported", HY_ECHO(b, name));
            return NULL;
        }
        ag.func = HY_AGG_COUNT_STAR;
        ag.type = hy_lt(HY_TYPE_BIGINT);
    } else {
        if (ast->nargs != 1) {
            hy_bind_error(b, HY_E_BIND, ast->start,
                          "No function matches the given name and argument types '%s' with %d "
                          "arguments", HY_ECHO(b, name), ast->nargs);
            return NULL;
        }
        hy_bind_mode saved_mode = c->mode;
        c->mode = HY_BIND_BASE;
        c->in_agg_arg = true;
        hy_expr *x = hy_bind_expr(c, ast->args[0]);
        c->in_agg_arg = false;
        c->mode = saved_mode;
        if (!x) return NULL;
        if (x->type.id == HY_TYPE_NULL) x = hy_cast_to(b, x, hy_lt(HY_TYPE_INTEGER), ast->start);
        hy_ltype t = x->type;
        bool ok = true;
        if (name_is(name, "count")) {
            ag.func = HY_AGG_COUNT;
            ag.type = hy_lt(HY_TYPE_BIGINT);
        } else if (name_is(name, "sum")) {
            ag.func = HY_AGG_SUM;
            if (t.id == HY_TYPE_INTEGER) ag.type = hy_lt(HY_TYPE_BIGINT);
            else if (t.id == HY_TYPE_BIGINT) ag.type = hy_lt_dec(HY_DEC_MAX_PREC, 0);
            else if (t.id == HY_TYPE_DECIMAL) ag.type = hy_lt_dec(HY_DEC_MAX_PREC, t.scale);
            else if (t.id == HY_TYPE_DOUBLE) ag.type = t;
            else ok = false;
        } else if (name_is(name, "avg") || name_is(name, "mean")) {
            ag.func = HY_AGG_AVG;
            ag.type = hy_lt(HY_TYPE_DOUBLE);
            ok = hy_is_numeric(t);
        } else {
            ag.func = name_is(name, "min") ? HY_AGG_MIN : HY_AGG_MAX;
            ag.type = t;
        }
        if (!ok) {
            char tn[HY_TNAME_CAP];
            hy_bind_error(b, HY_E_TYPE, ast->start,
                          "No function matches the given name and argument types '%s(%s)'", name,
                          hy_tname(t, tn));
            return NULL;
        }
        if (ag.func == HY_AGG_MIN || ag.func == HY_AGG_MAX) ag.distinct = false; /* same result */
        ag.arg = x;
    }
    int idx = -1;
    for (int i = 0; i < c->naggs && idx < 0; i++) {
        const hy_agg *o = &c->aggs[i];
        if (o->func == ag.func && o->distinct == ag.distinct &&
            ((!o->arg && !ag.arg) || (o->arg && ag.arg && hy_expr_equal(o->arg, ag.arg))))
            idx = i;
    }
    if (idx < 0) {
        if (c->naggs == c->cap_aggs) {
            int cap = c->cap_aggs ? c->cap_aggs * 2 : 8;
            hy_agg *na = hy_arena_alloc(b->a, sizeof(hy_agg) * (size_t)cap);
            const char **nn = hy_arena_alloc(b->a, sizeof(char *) * (size_t)cap);
            if (c->naggs) {
                memcpy(na, c->aggs, sizeof(hy_agg) * (size_t)c->naggs);
                memcpy(nn, c->agg_names, sizeof(char *) * (size_t)c->naggs);
            }
            c->aggs = na;
            c->agg_names = nn;
            c->cap_aggs = cap;
        }
        idx = c->naggs++;
        c->aggs[idx] = ag;
        c->agg_names[idx] = hy_ast_text(b, ast);
    }
    hy_expr *e = hy_mk_column(b, c->ngroups + idx, c->aggs[idx].type, c->agg_names[idx]);
    e->src_offset = ast->start;
    return e;
}
