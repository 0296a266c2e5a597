/*
 * Expression states: building (type normalization, constant folding), evaluation of the
 * logical forms (AND/OR/NOT, IS NULL, IN, LIKE, CASE, COALESCE, BETWEEN) and filtering into
 * selection vectors. Arithmetic/comparison kernels live in expr_arith.c, other functions in
 * expr_func.c, casts in expr_cast.c.
 */
#include "exec/expr.h"

#include <stdio.h>
#include <stdlib.h>

static void *xcalloc(size_t n, size_t w) {
    void *p = calloc(n ? n : 1, w ? w : 1);
    if (!p) {
        fprintf(stderr, "hyperion: out of memory\n");
        abort();
    }
    return p;
}

/* ==== Allocation ================================================================================ */

static hy_xstate *xs_alloc(hy_xkind k, hy_ltype t, int nargs) {
    hy_xstate *s = xcalloc(1, sizeof *s);
    s->kind = k;
    s->type = t;
    s->nargs = nargs;
    s->args = xcalloc((size_t)(nargs > 0 ? nargs : 1), sizeof(hy_xstate *));
    hy_sbuf_init(&s->sb);
    if (k != HY_XS_COLUMN) {
        s->buf = xcalloc(HY_BATCH, hy_xwidth(t));
        s->vbuf = xcalloc(HY_BATCH_WORDS, sizeof(uint64_t));
    }
    s->out.type = t;
    s->out.data = s->buf;
    s->out.valid = NULL;
    return s;
}

static void xs_scratch(hy_xstate *s) {
    if (!s->sel1) {
        s->sel1 = xcalloc(HY_BATCH, sizeof(uint16_t));
        s->sel2 = xcalloc(HY_BATCH, sizeof(uint16_t));
        s->sel3 = xcalloc(HY_BATCH, sizeof(uint16_t));
        s->flags = xcalloc(HY_BATCH, 1);
    }
}

void hy_xstate_free(hy_xstate *s) {
    if (!s) return;
    for (int i = 0; i < s->nargs; i++) hy_xstate_free(s->args[i]);
    free(s->args);
    free(s->buf);
    free(s->vbuf);
    free(s->sel1);
    free(s->sel2);
    free(s->sel3);
    free(s->flags);
    free(s->cstr);
    hy_sbuf_free(&s->sb);
    hy_like_free(s->like);
    free(s->inlist);
    free(s);
}

/* ==== Constants ================================================================================== */

static void broadcast(hy_xstate *s) {
    if (s->cval.is_null || hy_phys_of(s->type) == HY_P_NULL) {
        memset(s->vbuf, 0, HY_BATCH_WORDS * sizeof(uint64_t));
        s->out.valid = s->vbuf;
        return;
    }
    s->out.valid = NULL;
    for (int i = 0; i < HY_BATCH; i++) hy_xv_put_value(s->buf, s->type, i, &s->cval);
}

/* A constant of type t holding v (already of type t); VARCHAR bytes are copied. */
static hy_xstate *xs_const(hy_ltype t, const hy_value *v) {
    hy_xstate *s = xs_alloc(HY_XS_CONST, t, 0);
    s->cval = *v;
    s->cval.type = t;
    if (!v->is_null && hy_phys_of(t) == HY_P_STR) {
        s->cstr = xcalloc((size_t)v->v.s.len + 1, 1);
        if (v->v.s.len) memcpy(s->cstr, v->v.s.ptr, v->v.s.len);
        s->cval.v.s.ptr = s->cstr;
    }
    broadcast(s);
    return s;
}

static hy_xstate *xs_null(hy_ltype t) {
    hy_value v;
    memset(&v, 0, sizeof v);
    v.type = t;
    v.is_null = true;
    return xs_const(t, &v);
}

static bool all_const(const hy_xstate *s) {
    if (s->nargs == 0) return false;
    for (int i = 0; i < s->nargs; i++)
        if (s->args[i]->kind != HY_XS_CONST) return false;
    return true;
}

/* Digits that bound the values of a DECIMAL expression (<= its precision): constants have
 * their own digit count, arithmetic adds up its operands' bounds. */
static int vprec(const hy_xstate *s) {
    if (s->type.id != HY_TYPE_DECIMAL) return HY_DEC_MAX_PREC;
    int p = s->type.prec, v = p;
    switch (s->kind) {
    case HY_XS_CONST:
        if (s->cval.is_null) return 1;
        v = hy_i128_digits(hy_dec_is_wide(s->type) ? s->cval.v.d : (hy_i128)s->cval.v.i);
        break;
    case HY_XS_CAST: {
        hy_ltype f = s->args[0]->type;
        if (f.id == HY_TYPE_DECIMAL)
            v = s->type.scale >= f.scale ? vprec(s->args[0]) + (s->type.scale - f.scale)
                                         : vprec(s->args[0]) - (f.scale - s->type.scale) + 1;
        else if (f.id == HY_TYPE_INTEGER) v = 10 + s->type.scale;
        else if (f.id == HY_TYPE_BIGINT) v = 19 + s->type.scale;
        break;
    }
    case HY_XS_FUNC:
        switch (s->func) {
        case HY_FN_ADD:
        case HY_FN_SUB: {
            int a = vprec(s->args[0]), b = vprec(s->args[1]);
            v = (a > b ? a : b) + 1;
            break;
        }
        case HY_FN_MUL: v = vprec(s->args[0]) + vprec(s->args[1]); break;
        case HY_FN_NEG:
        case HY_FN_ABS: v = vprec(s->args[0]); break;
        default: break;
        }
        break;
    default: break;
    }
    return v < p ? (v < 1 ? 1 : v) : p;
}

static void set_nocheck(hy_xstate *s) {
    if (s->kind != HY_XS_FUNC || s->type.id != HY_TYPE_DECIMAL) return;
    for (int i = 0; i < s->nargs; i++)
        if (s->args[i]->type.id != HY_TYPE_DECIMAL) return;
    int p = s->type.prec;
    switch (s->func) {
    case HY_FN_ADD:
    case HY_FN_SUB: {
        int a = vprec(s->args[0]), b = vprec(s->args[1]);
        s->nocheck = (a > b ? a : b) + 1 <= p;
        break;
    }
    case HY_FN_MUL: s->nocheck = vprec(s->args[0]) + vprec(s->args[1]) <= p; break;
    case HY_FN_NEG:
    case HY_FN_ABS: s->nocheck = vprec(s->args[0]) <= p; break;
    default: break;
    }
}

/* Replace a node whose arguments are all constants by its value, unless evaluating it
 * fails: then the error must wait for a row that really evaluates it. */
static hy_xstate *fold(hy_xstate *s) {
    set_nocheck(s);
    if (s->kind == HY_XS_CONST || s->kind == HY_XS_COLUMN || !all_const(s)) return s;
    hy_batch fb;
    memset(&fb, 0, sizeof fb);
    fb.n = 1;
    fb.nsel = 1;
    hy_error tmp;
    hy_error_clear(&tmp);
    if (!hy_xeval(s, &fb, NULL, 1, &tmp)) return s;
    hy_value v = hy_xv_get_value(&s->out, 0);
    hy_xstate *c = xs_const(s->type, &v);
    hy_xstate_free(s);
    return c;
}

/* ==== Types ======================================================================================= */

static bool is_num(hy_ltype t) {
    return t.id == HY_TYPE_INTEGER || t.id == HY_TYPE_BIGINT || t.id == HY_TYPE_DECIMAL ||
           t.id == HY_TYPE_DOUBLE;
}

static hy_ltype as_dec(hy_ltype t) {
    if (t.id == HY_TYPE_INTEGER) return hy_lt_dec(10, 0);
    if (t.id == HY_TYPE_BIGINT) return hy_lt_dec(19, 0);
    return t;
}

/* The type both sides of a comparison / IN / BETWEEN / CASE are brought to. */
static hy_ltype common_type(hy_ltype a, hy_ltype b) {
    if (a.id == HY_TYPE_NULL) return b;
    if (b.id == HY_TYPE_NULL) return a;
    if (hy_lt_eq(a, b)) return a;
    if (is_num(a) && is_num(b)) {
        if (a.id == HY_TYPE_DOUBLE || b.id == HY_TYPE_DOUBLE) return hy_lt(HY_TYPE_DOUBLE);
        if (a.id == HY_TYPE_DECIMAL || b.id == HY_TYPE_DECIMAL) {
            hy_ltype x = as_dec(a), y = as_dec(b);
            int s = x.scale > y.scale ? x.scale : y.scale;
            int ix = x.prec - x.scale, iy = y.prec - y.scale;
            int p = (ix > iy ? ix : iy) + s;
            if (p > HY_DEC_MAX_PREC) p = HY_DEC_MAX_PREC;
            return hy_lt_dec(p, s);
        }
        if (a.id == HY_TYPE_BIGINT || b.id == HY_TYPE_BIGINT) return hy_lt(HY_TYPE_BIGINT);
        return hy_lt(HY_TYPE_INTEGER);
    }
    if (a.id == HY_TYPE_VARCHAR) return b;
    return a;
}

/* Make c produce type t (a CAST node, folded when c is constant). */
static hy_xstate *coerce(hy_xstate *c, hy_ltype t) {
    if (hy_lt_eq(c->type, t)) return c;
    if (c->type.id == HY_TYPE_NULL || t.id == HY_TYPE_NULL) {
        hy_xstate_free(c);
        return xs_null(t);
    }
    hy_xstate *s = xs_alloc(HY_XS_CAST, t, 1);
    s->args[0] = c;
    return fold(s);
}

/* Comparison kernels need the same physical class and, for decimals, the same scale. */
static bool cmp_compatible(hy_ltype a, hy_ltype b) {
    if (a.id == HY_TYPE_DECIMAL && b.id == HY_TYPE_DECIMAL)
        return a.scale == b.scale && hy_phys_of(a) == hy_phys_of(b);
    return hy_lt_eq(a, b);
}

static void coerce_all_cmp(hy_xstate *s, int from, int to) {
    hy_ltype t = s->args[from]->type;
    for (int i = from + 1; i < to; i++) t = common_type(t, s->args[i]->type);
    for (int i = from; i < to; i++)
        if (!cmp_compatible(s->args[i]->type, t)) s->args[i] = coerce(s->args[i], t);
}

/* ==== IN lists of constants ========================================================================= */

static int cmp_i32(const void *a, const void *b) { int32_t x = *(const int32_t *)a, y = *(const int32_t *)b; return (x > y) - (x < y); }
static int cmp_i64(const void *a, const void *b) { int64_t x = *(const int64_t *)a, y = *(const int64_t *)b; return (x > y) - (x < y); }
static int cmp_i128(const void *a, const void *b) { hy_i128 x = *(const hy_i128 *)a, y = *(const hy_i128 *)b; return (x > y) - (x < y); }
static int cmp_f64(const void *a, const void *b) { return hy_f64_cmp(*(const double *)a, *(const double *)b); }
static int cmp_str(const void *a, const void *b) { return hy_str_cmp(*(const hy_str *)a, *(const hy_str *)b); }

static int (*in_cmp(hy_phys p))(const void *, const void *) {
    switch (p) {
    case HY_P_I32: return cmp_i32;
    case HY_P_I64: return cmp_i64;
    case HY_P_I128: return cmp_i128;
    case HY_P_F64: return cmp_f64;
    case HY_P_STR: return cmp_str;
    default: return NULL;
    }
}

#define IN_LIST_MIN 8

/* x IN (c1, c2, ...) with many constants: a sorted array searched per row. Strings point
 * into the constants' own storage (owned by the argument states). */
static void build_inlist(hy_xstate *s) {
    hy_phys p = hy_phys_of(s->args[0]->type);
    if (s->nargs - 1 < IN_LIST_MIN || !in_cmp(p)) return;
    for (int i = 1; i < s->nargs; i++)
        if (s->args[i]->kind != HY_XS_CONST || !hy_lt_eq(s->args[i]->type, s->args[0]->type)) return;
    size_t w = hy_xwidth(s->args[0]->type);
    char *arr = xcalloc((size_t)s->nargs, w);
    int n = 0;
    for (int i = 1; i < s->nargs; i++) {
        if (s->args[i]->cval.is_null) {
            s->inlist_null = true;
            continue;
        }
        memcpy(arr + (size_t)n * w, s->args[i]->buf, w); /* position 0 of the broadcast */
        n++;
    }
    qsort(arr, (size_t)n, w, in_cmp(p));
    s->inlist = arr;
    s->ninlist = n;
}

/* ==== Building ===================================================================================== */

static hy_xstate *build(const hy_expr *e, int ncols, const hy_ltype *ct, hy_error *err);

static bool build_args(hy_xstate *s, const hy_expr *e, int ncols, const hy_ltype *ct,
                       hy_error *err) {
    for (int i = 0; i < e->nargs; i++) {
        s->args[i] = build(e->args[i], ncols, ct, err);
        if (!s->args[i]) return false;
    }
    return true;
}

static bool any_null_arg(const hy_xstate *s) {
    for (int i = 0; i < s->nargs; i++)
        if (s->args[i]->type.id == HY_TYPE_NULL) return true;
    return false;
}

/* Bring FUNC arguments to the types the kernels expect; returns the type the kernel will
 * produce (the caller casts to e->type if it differs). */
static bool func_types(hy_xstate *s, hy_ltype want, hy_ltype *nat, hy_error *err) {
    hy_xstate **a = s->args;
    static const hy_ltype B = {HY_TYPE_BIGINT, 0, 0}, D = {HY_TYPE_DOUBLE, 0, 0},
                          V = {HY_TYPE_VARCHAR, 0, 0}, DT = {HY_TYPE_DATE, 0, 0},
                          I = {HY_TYPE_INTEGER, 0, 0}, BO = {HY_TYPE_BOOLEAN, 0, 0};
    switch (s->func) {
    case HY_FN_DIV:
        a[0] = coerce(a[0], D);
        a[1] = coerce(a[1], D);
        *nat = D;
        return true;
    case HY_FN_ADD:
    case HY_FN_SUB:
    case HY_FN_MUL:
    case HY_FN_IDIV:
    case HY_FN_MOD:
    case HY_FN_NEG:
    case HY_FN_ABS:
        if (want.id == HY_TYPE_INTEGER || want.id == HY_TYPE_BIGINT || want.id == HY_TYPE_DOUBLE) {
            for (int i = 0; i < s->nargs; i++) a[i] = coerce(a[i], want);
            *nat = want;
            return true;
        }
        if (want.id != HY_TYPE_DECIMAL) break;
        if (s->func == HY_FN_IDIV) break;
        if (s->func != HY_FN_MUL) {
            for (int i = 0; i < s->nargs; i++) a[i] = coerce(a[i], want);
            *nat = want;
            return true;
        }
        for (int i = 0; i < 2; i++)
            if (a[i]->type.id != HY_TYPE_DECIMAL) a[i] = coerce(a[i], as_dec(a[i]->type));
        if (a[0]->type.id != HY_TYPE_DECIMAL || a[1]->type.id != HY_TYPE_DECIMAL) break;
        {
            int sc = a[0]->type.scale + a[1]->type.scale;
            int p = a[0]->type.prec + a[1]->type.prec;
            if (p > HY_DEC_MAX_PREC) p = HY_DEC_MAX_PREC;
            if (sc > HY_DEC_MAX_PREC) break;
            *nat = want.scale == sc ? want : hy_lt_dec(p < sc ? sc : p, sc);
        }
        return true;
    case HY_FN_EQ:
    case HY_FN_NE:
    case HY_FN_LT:
    case HY_FN_LE:
    case HY_FN_GT:
    case HY_FN_GE:
        coerce_all_cmp(s, 0, 2);
        *nat = BO;
        return true;
    case HY_FN_ROUND:
        a[1] = coerce(a[1], I);
        if (a[0]->type.id == HY_TYPE_INTEGER || a[0]->type.id == HY_TYPE_BIGINT)
            a[0] = coerce(a[0], as_dec(a[0]->type));
        if (a[0]->type.id == HY_TYPE_DOUBLE) *nat = D;
        else if (a[0]->type.id == HY_TYPE_DECIMAL) *nat = want.id == HY_TYPE_DECIMAL ? want : a[0]->type;
        else break;
        return true;
    case HY_FN_LENGTH:
        a[0] = coerce(a[0], V);
        *nat = B;
        return true;
    case HY_FN_UPPER:
    case HY_FN_LOWER:
        a[0] = coerce(a[0], V);
        *nat = V;
        return true;
    case HY_FN_CONCAT:
        a[0] = coerce(a[0], V);
        a[1] = coerce(a[1], V);
        *nat = V;
        return true;
    case HY_FN_SUBSTRING:
        if (s->nargs < 2 || s->nargs > 3) break;
        a[0] = coerce(a[0], V);
        for (int i = 1; i < s->nargs; i++) a[i] = coerce(a[i], B);
        *nat = V;
        return true;
    case HY_FN_YEAR:
    case HY_FN_MONTH:
    case HY_FN_DAY:
        a[0] = coerce(a[0], DT);
        *nat = B;
        return true;
    case HY_FN_DATE_ADD_DAYS:
    case HY_FN_DATE_ADD_MONTHS:
        a[0] = coerce(a[0], DT);
        a[1] = coerce(a[1], B);
        *nat = DT;
        return true;
    case HY_FN_DATE_DIFF:
        a[0] = coerce(a[0], DT);
        a[1] = coerce(a[1], DT);
        *nat = B;
        return true;
    default: break;
    }
    char tn[32];
    return hy_error_set(err, HY_E_TYPE, "function %s is not supported for %s", hy_func_sql(s->func),
                        hy_lt_name(want, tn, sizeof tn));
}

static hy_xstate *build(const hy_expr *e, int ncols, const hy_ltype *ct, hy_error *err) {
    static const hy_ltype BO = {HY_TYPE_BOOLEAN, 0, 0}, V = {HY_TYPE_VARCHAR, 0, 0};
    hy_xstate *s = NULL;
    switch (e->kind) {
    case HY_EX_CONST: {
        hy_value v = e->value;
        if (!v.is_null && e->type.id != HY_TYPE_NULL && !hy_lt_eq(v.type, e->type)) {
            hy_strheap tmp;
            hy_strheap_init(&tmp);
            hy_value r;
            bool ok = hy_value_cast(&e->value, e->type, &r, &tmp, err);
            if (ok) s = xs_const(e->type, &r);
            hy_strheap_free(&tmp);
            return s;
        }
        if (e->type.id == HY_TYPE_NULL) v.is_null = true;
        return xs_const(e->type, &v);
    }
    case HY_EX_COLUMN:
        if (e->column < 0 || e->column >= ncols) {
            hy_error_set(err, HY_E_INTERNAL, "column reference %d out of range (%d columns)",
                         e->column, ncols);
            return NULL;
        }
        s = xs_alloc(HY_XS_COLUMN, ct[e->column], 0);
        s->column = e->column;
        if (e->type.id != HY_TYPE_NULL) s = coerce(s, e->type);
        return s;
    case HY_EX_CAST: {
        if (e->nargs != 1) break;
        hy_xstate *c = build(e->args[0], ncols, ct, err);
        return c ? coerce(c, e->type) : NULL;
    }
    default: break;
    }
    static const hy_xkind kinds[] = {
        [HY_EX_FUNC] = HY_XS_FUNC,         [HY_EX_AND] = HY_XS_AND,
        [HY_EX_OR] = HY_XS_OR,             [HY_EX_NOT] = HY_XS_NOT,
        [HY_EX_IS_NULL] = HY_XS_IS_NULL,   [HY_EX_IN] = HY_XS_IN,
        [HY_EX_LIKE] = HY_XS_LIKE,         [HY_EX_CASE] = HY_XS_CASE,
        [HY_EX_COALESCE] = HY_XS_COALESCE, [HY_EX_BETWEEN] = HY_XS_BETWEEN,
    };
    if ((int)e->kind < 0 || (size_t)e->kind >= sizeof kinds / sizeof kinds[0] ||
        e->kind == HY_EX_CAST || e->kind == HY_EX_CONST || e->kind == HY_EX_COLUMN) {
        hy_error_set(err, HY_E_INTERNAL, "unsupported expression kind %d", (int)e->kind);
        return NULL;
    }
    hy_ltype rt = e->type;
    switch (e->kind) {
    case HY_EX_AND:
    case HY_EX_OR:
    case HY_EX_NOT:
    case HY_EX_IS_NULL:
    case HY_EX_IN:
    case HY_EX_LIKE:
    case HY_EX_BETWEEN: rt = BO; break;
    default: break;
    }
    s = xs_alloc(kinds[e->kind], rt, e->nargs);
    s->func = e->func;
    s->negate = e->negate;
    s->has_else = e->has_else;
    if (!build_args(s, e, ncols, ct, err)) goto fail;
    switch (e->kind) {
    case HY_EX_FUNC: {
        if (any_null_arg(s)) {
            hy_xstate_free(s);
            return xs_null(e->type);
        }
        hy_ltype nat;
        if (!func_types(s, e->type, &nat, err)) goto fail;
        if (!hy_lt_eq(nat, s->type)) {
            /* compute in the kernel's natural type, then cast to what the binder asked for */
            hy_xstate *f = xs_alloc(HY_XS_FUNC, nat, s->nargs);
            f->func = s->func;
            for (int i = 0; i < s->nargs; i++) {
                f->args[i] = s->args[i];
                s->args[i] = NULL;
            }
            s->nargs = 0;
            hy_xstate_free(s);
            return coerce(fold(f), e->type);
        }
        break;
    }
    case HY_EX_AND:
    case HY_EX_OR:
        if (s->nargs < 1) break;
        for (int i = 0; i < s->nargs; i++) s->args[i] = coerce(s->args[i], BO);
        xs_scratch(s);
        break;
    case HY_EX_NOT:
        if (s->nargs != 1) break;
        s->args[0] = coerce(s->args[0], BO);
        break;
    case HY_EX_IS_NULL:
        if (s->nargs != 1) break;
        break;
    case HY_EX_IN:
        if (s->nargs < 2) break;
        coerce_all_cmp(s, 0, s->nargs);
        xs_scratch(s);
        build_inlist(s);
        break;
    case HY_EX_LIKE:
        if (s->nargs != 2) break;
        s->args[0] = coerce(s->args[0], V);
        s->args[1] = coerce(s->args[1], V);
        if (s->args[1]->kind == HY_XS_CONST && !s->args[1]->cval.is_null)
            s->like = hy_like_compile(s->args[1]->cval.v.s.ptr, s->args[1]->cval.v.s.len);
        break;
    case HY_EX_CASE: {
        int npairs = s->nargs / 2;
        if (s->has_else != (s->nargs % 2 == 1)) {
            hy_error_set(err, HY_E_INTERNAL, "CASE with %d arguments and has_else=%d", s->nargs,
                         (int)s->has_else);
            goto fail;
        }
        for (int p = 0; p < npairs; p++) {
            s->args[2 * p] = coerce(s->args[2 * p], BO);
            s->args[2 * p + 1] = coerce(s->args[2 * p + 1], s->type);
        }
        if (s->has_else) s->args[s->nargs - 1] = coerce(s->args[s->nargs - 1], s->type);
        xs_scratch(s);
        break;
    }
    case HY_EX_COALESCE:
        if (s->nargs < 1) break;
        for (int i = 0; i < s->nargs; i++) s->args[i] = coerce(s->args[i], s->type);
        xs_scratch(s);
        break;
    case HY_EX_BETWEEN:
        if (s->nargs != 3) break;
        coerce_all_cmp(s, 0, 3);
        xs_scratch(s);
        break;
    default: break;
    }
    return fold(s);
fail:
    hy_xstate_free(s);
    return NULL;
}

hy_xstate *hy_xstate_coerce(hy_xstate *s, hy_ltype t) { return coerce(s, t); }

hy_xstate *hy_xstate_build(const hy_expr *e, int ncols, const hy_ltype *coltypes, hy_error *err) {
    if (!e) {
        hy_error_set(err, HY_E_INTERNAL, "missing expression");
        return NULL;
    }
    return build(e, ncols, coltypes, err);
}

/* ==== Evaluation ==================================================================================== */

uint64_t *hy_xvalid_and(hy_xstate *s, int nargs, hy_xstate **args, int nwords) {
    const uint64_t *first = NULL;
    int cnt = 0;
    for (int a = 0; a < nargs; a++) {
        const uint64_t *v = args[a]->out.valid;
        if (!v) continue;
        if (cnt == 0) {
            first = v;
        } else {
            if (cnt == 1) memcpy(s->vbuf, first, (size_t)nwords * 8);
            for (int w = 0; w < nwords; w++) s->vbuf[w] &= v[w];
        }
        cnt++;
    }
    if (cnt == 0) return NULL;
    if (cnt == 1) return (uint64_t *)first;
    return s->vbuf;
}

/* Copy positions of sel from src into dst (both of type t), with validity. */
static void copy_pos(hy_xstate *s, const hy_xv *src, const uint16_t *sel, int n) {
    size_t w = hy_xwidth(s->type);
    switch (w) {
    case 1: { const uint8_t *a = src->data; uint8_t *r = s->buf; HY_LOOP(sel, n, r[i] = a[i]); break; }
    case 4: { const uint32_t *a = src->data; uint32_t *r = s->buf; HY_LOOP(sel, n, r[i] = a[i]); break; }
    case 8: { const uint64_t *a = src->data; uint64_t *r = s->buf; HY_LOOP(sel, n, r[i] = a[i]); break; }
    default: {
        const char *a = src->data;
        char *r = s->buf;
        HY_LOOP(sel, n, memcpy(r + (size_t)i * w, a + (size_t)i * w, w));
    }
    }
    HY_LOOP(sel, n, hy_valid_set(s->vbuf, i, hy_valid_get(src->valid, i)));
}

static bool eval_and_or(hy_xstate *s, const hy_batch *b, const uint16_t *sel, int n,
                        hy_error *err) {
    uint8_t isand = s->kind == HY_XS_AND;
    uint8_t *r = s->buf;
    uint64_t *v = s->vbuf;
    HY_LOOP(sel, n, {
        r[i] = isand;
        hy_valid_set(v, i, true);
    });
    const uint16_t *act = sel;
    int na = n;
    uint16_t *bufs[2] = {s->sel1, s->sel2};
    for (int a = 0; a < s->nargs && na > 0; a++) {
        hy_xstate *x = s->args[a];
        if (!hy_xeval(x, b, act, na, err)) return false;
        const uint8_t *xd = x->out.data;
        const uint64_t *xv = x->out.valid;
        uint16_t *next = bufs[a & 1];
        int nn = 0;
        HY_LOOP(act, na, {
            bool valid = hy_valid_get(xv, i);
            if (valid && xd[i] != isand) {
                r[i] = !isand; /* decided: FALSE for AND, TRUE for OR */
                hy_valid_set(v, i, true);
            } else {
                if (!valid) hy_valid_set(v, i, false);
                next[nn++] = (uint16_t)i;
            }
        });
        act = next;
        na = nn;
    }
    s->out.data = s->buf;
    s->out.valid = v;
    return true;
}

#define IN_SEARCH(T, CMPF)                                                                   \
    do {                                                                                     \
        const T *xd_ = x->out.data, *L_ = s->inlist;                                         \
        HY_LOOP(sel, n, {                                                                    \
            bool hit_ = false;                                                               \
            if (hy_valid_get(xv, i)) {                                                       \
                int lo_ = 0, hi_ = s->ninlist;                                               \
                while (lo_ < hi_) {                                                          \
                    int mid_ = (lo_ + hi_) >> 1;                                             \
                    int c_ = CMPF(xd_[i], L_[mid_]);                                         \
                    if (c_ == 0) { hit_ = true; break; }                                     \
                    if (c_ < 0) hi_ = mid_; else lo_ = mid_ + 1;                             \
                }                                                                            \
                hy_valid_set(v, i, hit_ || !s->inlist_null);                                 \
            } else {                                                                         \
                hy_valid_set(v, i, false);                                                   \
            }                                                                                \
            r[i] = (uint8_t)(hit_ ^ s->negate);                                              \
        });                                                                                  \
    } while (0)

#define NUM3(a, b) (((a) > (b)) - ((a) < (b)))

static bool eval_in(hy_xstate *s, const hy_batch *b, const uint16_t *sel, int n, hy_error *err) {
    hy_xstate *x = s->args[0];
    if (!hy_xeval(x, b, sel, n, err)) return false;
    if (s->inlist) {
        uint8_t *r = s->buf;
        uint64_t *v = s->vbuf;
        const uint64_t *xv = x->out.valid;
        switch (hy_phys_of(x->type)) {
        case HY_P_I32: IN_SEARCH(int32_t, NUM3); break;
        case HY_P_I64: IN_SEARCH(int64_t, NUM3); break;
        case HY_P_I128: IN_SEARCH(hy_i128, NUM3); break;
        case HY_P_F64: IN_SEARCH(double, hy_f64_cmp); break;
        default: IN_SEARCH(hy_str, hy_str_cmp); break;
        }
        s->out.data = s->buf;
        s->out.valid = v;
        return true;
    }
    uint8_t *r = s->buf, *sawnull = s->flags;
    uint64_t *v = s->vbuf;
    uint16_t *act = s->sel1;
    int na = 0;
    HY_LOOP(sel, n, {
        r[i] = 0;
        sawnull[i] = 0;
        bool xv = hy_valid_get(x->out.valid, i);
        hy_valid_set(v, i, xv);
        if (xv) act[na++] = (uint16_t)i;
    });
    uint8_t *eq = (uint8_t *)s->sel3; /* HY_BATCH bytes of scratch */
    uint16_t *bufs[2] = {s->sel1, s->sel2};
    for (int a = 1; a < s->nargs && na > 0; a++) {
        hy_xstate *y = s->args[a];
        if (!hy_xeval(y, b, act, na, err)) return false;
        hy_xcmp(HY_FN_EQ, &x->out, &y->out, act, na, eq);
        uint16_t *next = bufs[a & 1];
        int nn = 0;
        HY_LOOP(act, na, {
            if (!hy_valid_get(y->out.valid, i)) {
                sawnull[i] = 1;
                next[nn++] = (uint16_t)i;
            } else if (eq[i]) {
                r[i] = 1;
            } else {
                next[nn++] = (uint16_t)i;
            }
        });
        act = next;
        na = nn;
    }
    HY_LOOP(sel, n, {
        if (!r[i] && sawnull[i]) hy_valid_set(v, i, false);
        if (s->negate) r[i] = !r[i];
    });
    s->out.data = s->buf;
    s->out.valid = v;
    return true;
}

static bool eval_like(hy_xstate *s, const hy_batch *b, const uint16_t *sel, int n, int nw,
                      hy_error *err) {
    for (int a = 0; a < 2; a++)
        if (!hy_xeval(s->args[a], b, sel, n, err)) return false;
    s->out.data = s->buf;
    s->out.valid = hy_xvalid_and(s, 2, s->args, nw);
    const uint64_t *V = s->out.valid;
    const hy_str *x = s->args[0]->out.data, *p = s->args[1]->out.data;
    uint8_t *r = s->buf;
    uint8_t neg = s->negate;
    if (s->like)
        HY_LOOP(sel, n, r[i] = hy_valid_get(V, i) ? hy_like_match(s->like, x[i].ptr, x[i].len) ^ neg : 0);
    else
        HY_LOOP(sel, n, r[i] = hy_valid_get(V, i) ? hy_like_match_raw(p[i].ptr, p[i].len, x[i].ptr, x[i].len) ^ neg : 0);
    return true;
}

static bool eval_case(hy_xstate *s, const hy_batch *b, const uint16_t *sel, int n,
                      hy_error *err) {
    int npairs = s->nargs / 2;
    const uint16_t *act = sel;
    int na = n;
    uint16_t *rest[2] = {s->sel1, s->sel2}, *tsel = s->sel3;
    for (int p = 0; p < npairs && na > 0; p++) {
        hy_xstate *w = s->args[2 * p], *t = s->args[2 * p + 1];
        if (!hy_xeval(w, b, act, na, err)) return false;
        const uint8_t *wd = w->out.data;
        const uint64_t *wv = w->out.valid;
        uint16_t *next = rest[p & 1];
        int nt = 0, nn = 0;
        HY_LOOP(act, na, {
            if (hy_valid_get(wv, i) && wd[i]) tsel[nt++] = (uint16_t)i;
            else next[nn++] = (uint16_t)i;
        });
        if (nt) {
            if (!hy_xeval(t, b, tsel, nt, err)) return false;
            copy_pos(s, &t->out, tsel, nt);
        }
        act = next;
        na = nn;
    }
    if (na > 0) {
        if (s->has_else) {
            hy_xstate *e = s->args[s->nargs - 1];
            if (!hy_xeval(e, b, act, na, err)) return false;
            copy_pos(s, &e->out, act, na);
        } else {
            HY_LOOP(act, na, hy_valid_set(s->vbuf, i, false));
        }
    }
    s->out.data = s->buf;
    s->out.valid = s->vbuf;
    return true;
}

static bool eval_coalesce(hy_xstate *s, const hy_batch *b, const uint16_t *sel, int n,
                          hy_error *err) {
    const uint16_t *act = sel;
    int na = n;
    uint16_t *bufs[2] = {s->sel1, s->sel2};
    for (int a = 0; a < s->nargs && na > 0; a++) {
        hy_xstate *x = s->args[a];
        if (!hy_xeval(x, b, act, na, err)) return false;
        copy_pos(s, &x->out, act, na);
        uint16_t *next = bufs[a & 1];
        int nn = 0;
        HY_LOOP(act, na, if (!hy_valid_get(x->out.valid, i)) next[nn++] = (uint16_t)i);
        act = next;
        na = nn;
    }
    HY_LOOP(act, na, hy_valid_set(s->vbuf, i, false));
    s->out.data = s->buf;
    s->out.valid = s->vbuf;
    return true;
}

/* x BETWEEN lo AND hi == x >= lo AND x <= hi (three-valued; hi only where still open). */
static bool eval_between(hy_xstate *s, const hy_batch *b, const uint16_t *sel, int n,
                         hy_error *err) {
    hy_xstate *x = s->args[0], *lo = s->args[1], *hi = s->args[2];
    if (!hy_xeval(x, b, sel, n, err) || !hy_xeval(lo, b, sel, n, err)) return false;
    uint8_t *r = s->buf, *gnull = s->flags, *cmp = (uint8_t *)s->sel3;
    uint64_t *v = s->vbuf;
    hy_xcmp(HY_FN_GE, &x->out, &lo->out, sel, n, cmp);
    uint16_t *act = s->sel1;
    int na = 0;
    HY_LOOP(sel, n, {
        bool known = hy_valid_get(x->out.valid, i) && hy_valid_get(lo->out.valid, i);
        hy_valid_set(v, i, true);
        if (known && !cmp[i]) {
            r[i] = 0;
        } else {
            gnull[i] = !known;
            act[na++] = (uint16_t)i;
        }
    });
    if (na > 0) {
        if (!hy_xeval(hi, b, act, na, err)) return false;
        hy_xcmp(HY_FN_LE, &x->out, &hi->out, act, na, cmp);
        HY_LOOP(act, na, {
            bool known = hy_valid_get(x->out.valid, i) && hy_valid_get(hi->out.valid, i);
            if (known && !cmp[i]) {
                r[i] = 0;
            } else if (gnull[i] || !known) {
                r[i] = 0;
                hy_valid_set(v, i, false);
            } else {
                r[i] = 1;
            }
        });
    }
    if (s->negate) HY_LOOP(sel, n, r[i] = !r[i]);
    s->out.data = s->buf;
    s->out.valid = v;
    return true;
}

bool hy_xeval(hy_xstate *s, const hy_batch *b, const uint16_t *sel, int n, hy_error *err) {
    int nw = (b->n + 63) >> 6;
    switch (s->kind) {
    case HY_XS_CONST: return true;
    case HY_XS_COLUMN: {
        const hy_xv *c = &b->cols[s->column];
        s->out.data = c->data;
        s->out.valid = c->valid;
        return true;
    }
    case HY_XS_FUNC:
    case HY_XS_CAST: {
        hy_sbuf_reset(&s->sb);
        for (int a = 0; a < s->nargs; a++)
            if (!hy_xeval(s->args[a], b, sel, n, err)) return false;
        s->out.data = s->buf;
        s->out.valid = hy_xvalid_and(s, s->nargs, s->args, nw);
        if (s->kind == HY_XS_CAST) return hy_xcast(s, sel, n, nw, err);
        switch (s->func) {
        case HY_FN_ADD:
        case HY_FN_SUB:
        case HY_FN_MUL:
        case HY_FN_DIV:
        case HY_FN_IDIV:
        case HY_FN_MOD:
        case HY_FN_NEG:
        case HY_FN_ABS:
        case HY_FN_EQ:
        case HY_FN_NE:
        case HY_FN_LT:
        case HY_FN_LE:
        case HY_FN_GT:
        case HY_FN_GE: return hy_xfunc_arith(s, sel, n, nw, err);
        default: return hy_xfunc_other(s, sel, n, nw, err);
        }
    }
    case HY_XS_AND:
    case HY_XS_OR: return eval_and_or(s, b, sel, n, err);
    case HY_XS_NOT: {
        hy_xstate *a = s->args[0];
        if (!hy_xeval(a, b, sel, n, err)) return false;
        const uint8_t *x = a->out.data;
        uint8_t *r = s->buf;
        HY_LOOP(sel, n, r[i] = !x[i]);
        s->out.data = r;
        s->out.valid = a->out.valid;
        return true;
    }
    case HY_XS_IS_NULL: {
        hy_xstate *a = s->args[0];
        if (!hy_xeval(a, b, sel, n, err)) return false;
        uint8_t *r = s->buf;
        const uint64_t *av = a->out.valid;
        uint8_t neg = s->negate;
        HY_LOOP(sel, n, r[i] = (uint8_t)(!hy_valid_get(av, i) ^ neg));
        s->out.data = r;
        s->out.valid = NULL;
        return true;
    }
    case HY_XS_IN: return eval_in(s, b, sel, n, err);
    case HY_XS_LIKE: return eval_like(s, b, sel, n, nw, err);
    case HY_XS_CASE: return eval_case(s, b, sel, n, err);
    case HY_XS_COALESCE: return eval_coalesce(s, b, sel, n, err);
    case HY_XS_BETWEEN: return eval_between(s, b, sel, n, err);
    }
    return hy_error_set(err, HY_E_INTERNAL, "bad expression state");
}

/* ==== Filtering into selections ======================================================================= */

#define SEL_LOOP(COND)                                                                       \
    do {                                                                                     \
        if (V) HY_LOOP(sel, n, { out[k] = (uint16_t)i; k += hy_valid_get(V, i) && (COND); }); \
        else HY_LOOP(sel, n, { out[k] = (uint16_t)i; k += (COND); });                        \
    } while (0)

/* x OP c with NaN-correct forms (NaN sorts last, NaN == NaN handled by the caller). */
#define SEL_OPS(T)                                                                           \
    do {                                                                                     \
        const T *x_ = xv->data;                                                              \
        T c_ = *(const T *)cv->data;                                                         \
        switch (op) {                                                                        \
        case HY_FN_EQ: SEL_LOOP(x_[i] == c_); break;                                         \
        case HY_FN_NE: SEL_LOOP(!(x_[i] == c_)); break;                                      \
        case HY_FN_LT: SEL_LOOP(x_[i] < c_); break;                                          \
        case HY_FN_LE: SEL_LOOP(x_[i] <= c_); break;                                         \
        case HY_FN_GT: SEL_LOOP(!(x_[i] <= c_)); break;                                      \
        default: SEL_LOOP(!(x_[i] < c_)); break;                                             \
        }                                                                                    \
    } while (0)

static hy_func flip(hy_func op) {
    switch (op) {
    case HY_FN_LT: return HY_FN_GT;
    case HY_FN_LE: return HY_FN_GE;
    case HY_FN_GT: return HY_FN_LT;
    case HY_FN_GE: return HY_FN_LE;
    default: return op;
    }
}

static bool usable_const(const hy_xstate *c) {
    if (c->kind != HY_XS_CONST || c->cval.is_null) return false;
    if (c->type.id == HY_TYPE_DOUBLE && c->cval.v.f != c->cval.v.f) return false; /* NaN */
    return true;
}

/* Column-vs-constant comparison straight into a selection; -2 = not applicable. */
static int select_cmp_const(hy_xstate *s, const hy_batch *b, const uint16_t *sel, int n,
                            uint16_t *out, hy_error *err) {
    hy_xstate *x = s->args[0], *c = s->args[1];
    hy_func op = s->func;
    if (usable_const(x) && !usable_const(c)) {
        x = s->args[1];
        c = s->args[0];
        op = flip(op);
    }
    if (!usable_const(c) || x->kind == HY_XS_CONST) return -2;
    if (!hy_xeval(x, b, sel, n, err)) return -1;
    const hy_xv *xv = &x->out, *cv = &c->out;
    const uint64_t *V = xv->valid;
    int k = 0;
    switch (hy_phys_of(x->type)) {
    case HY_P_BOOL: SEL_OPS(uint8_t); break;
    case HY_P_I32: SEL_OPS(int32_t); break;
    case HY_P_I64: SEL_OPS(int64_t); break;
    case HY_P_I128: SEL_OPS(hy_i128); break;
    case HY_P_F64: SEL_OPS(double); break;
    case HY_P_STR: {
        const hy_str *xs = xv->data;
        hy_str cs = c->cval.v.s;
        if (op == HY_FN_EQ) SEL_LOOP(hy_str_eq(xs[i], cs));
        else if (op == HY_FN_NE) SEL_LOOP(!hy_str_eq(xs[i], cs));
        else if (op == HY_FN_LT) SEL_LOOP(hy_str_cmp(xs[i], cs) < 0);
        else if (op == HY_FN_LE) SEL_LOOP(hy_str_cmp(xs[i], cs) <= 0);
        else if (op == HY_FN_GT) SEL_LOOP(hy_str_cmp(xs[i], cs) > 0);
        else SEL_LOOP(hy_str_cmp(xs[i], cs) >= 0);
        break;
    }
    default: return -2;
    }
    return k;
}

#define SEL_BETWEEN(T)                                                                       \
    do {                                                                                     \
        const T *x_ = xs->out.data;                                                          \
        T l_ = *(const T *)lo->out.data, h_ = *(const T *)hi->out.data;                      \
        SEL_LOOP(!(x_[i] < l_) && x_[i] <= h_);                                              \
    } while (0)

static int select_between_const(hy_xstate *s, const hy_batch *b, const uint16_t *sel, int n,
                                uint16_t *out, hy_error *err) {
    hy_xstate *xs = s->args[0], *lo = s->args[1], *hi = s->args[2];
    if (s->negate || !usable_const(lo) || !usable_const(hi) || xs->kind == HY_XS_CONST) return -2;
    hy_phys p = hy_phys_of(xs->type);
    if (p == HY_P_STR || p == HY_P_NULL || p == HY_P_BOOL) return -2;
    if (!hy_xeval(xs, b, sel, n, err)) return -1;
    const uint64_t *V = xs->out.valid;
    int k = 0;
    switch (p) {
    case HY_P_I32: SEL_BETWEEN(int32_t); break;
    case HY_P_I64: SEL_BETWEEN(int64_t); break;
    case HY_P_I128: SEL_BETWEEN(hy_i128); break;
    default: SEL_BETWEEN(double); break;
    }
    return k;
}

int hy_xselect(hy_xstate *s, const hy_batch *b, const uint16_t *sel, int n, uint16_t *out,
               hy_error *err) {
    int k = 0;
    switch (s->kind) {
    case HY_XS_AND: {
        const uint16_t *cur = sel;
        int cn = n;
        for (int a = 0; a < s->nargs; a++) {
            cn = hy_xselect(s->args[a], b, cur, cn, out, err);
            if (cn <= 0) return cn;
            cur = out;
        }
        return cn;
    }
    case HY_XS_CONST: {
        if (s->cval.is_null || !s->cval.v.i) return 0;
        if (sel) {
            if (sel != out) memmove(out, sel, (size_t)n * sizeof *out);
        } else {
            for (int i = 0; i < n; i++) out[i] = (uint16_t)i;
        }
        return n;
    }
    case HY_XS_FUNC:
        if (s->func >= HY_FN_EQ && s->func <= HY_FN_GE) {
            int r = select_cmp_const(s, b, sel, n, out, err);
            if (r != -2) return r;
        }
        break;
    case HY_XS_BETWEEN: {
        int r = select_between_const(s, b, sel, n, out, err);
        if (r != -2) return r;
        break;
    }
    case HY_XS_IS_NULL: {
        if (!hy_xeval(s->args[0], b, sel, n, err)) return -1;
        const uint64_t *V = s->args[0]->out.valid;
        bool want_valid = s->negate;
        HY_LOOP(sel, n, {
            out[k] = (uint16_t)i;
            k += hy_valid_get(V, i) == want_valid;
        });
        return k;
    }
    default: break;
    }
    if (!hy_xeval(s, b, sel, n, err)) return -1;
    const uint8_t *r = s->out.data;
    const uint64_t *V = s->out.valid;
    SEL_LOOP(r[i]);
    return k;
}

/* ==== One-off constant evaluation ====================================================================== */

/* Literals and casts of literals (most INSERT ... VALUES cells) without building states;
 * hy_value_cast is the reference the vectorized casts follow. */
static int const_fast(const hy_expr *e, hy_value *out, hy_strheap *heap, hy_error *err) {
    if (e->kind == HY_EX_CONST) {
        if (e->value.is_null || e->type.id == HY_TYPE_NULL || hy_lt_eq(e->value.type, e->type)) {
            *out = e->value;
            out->type = e->type;
            out->is_null = e->value.is_null || e->type.id == HY_TYPE_NULL;
            if (!out->is_null && e->type.id == HY_TYPE_VARCHAR)
                out->v.s = hy_strheap_add(heap, out->v.s.ptr, out->v.s.len);
            return 1;
        }
        return hy_value_cast(&e->value, e->type, out, heap, err) ? 1 : -1;
    }
    if (e->kind == HY_EX_CAST && e->nargs == 1) {
        hy_value in;
        int r = const_fast(e->args[0], &in, heap, err);
        if (r <= 0) return r;
        if (!hy_value_cast(&in, e->type, out, heap, err)) return -1;
        if (!out->is_null && e->type.id == HY_TYPE_VARCHAR && in.type.id == HY_TYPE_VARCHAR)
            out->v.s = hy_strheap_add(heap, out->v.s.ptr, out->v.s.len);
        return 1;
    }
    return 0;
}

bool hy_xeval_const(const hy_expr *e, hy_value *out, hy_strheap *heap, hy_error *err) {
    int fast = const_fast(e, out, heap, err);
    if (fast != 0) return fast > 0;
    hy_xstate *s = hy_xstate_build(e, 0, NULL, err);
    if (!s) return false;
    hy_batch fb;
    memset(&fb, 0, sizeof fb);
    fb.n = 1;
    fb.nsel = 1;
    bool ok = hy_xeval(s, &fb, NULL, 1, err);
    if (ok) {
        *out = hy_xv_get_value(&s->out, 0);
        out->type = s->type;
        if (!out->is_null && hy_phys_of(s->type) == HY_P_STR)
            out->v.s = hy_strheap_add(heap, out->v.s.ptr, out->v.s.len);
    }
    hy_xstate_free(s);
    return ok;
}
