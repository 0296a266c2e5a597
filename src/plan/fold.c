/*
 * Constant folding at bind time. Only operations whose semantics are exact and settled are
 * folded (casts through hy_value_cast, integer/decimal/double arithmetic, date arithmetic,
 * concatenation); everything else is left to exec. A fold that would fail (overflow,
 * division by zero, date out of range) is NOT reported here: the node stays as it is and
 * execution raises the error if the expression is ever evaluated (e.g. not in a CASE branch
 * that is never taken).
 */
#include <math.h>
#include <string.h>

#include "plan/binder_internal.h"

bool hy_fold_cast(hy_binder *b, const hy_value *in, hy_ltype to, hy_value *out, hy_error *err) {
    hy_strheap heap;
    hy_strheap_init(&heap);
    bool ok = hy_value_cast(in, to, out, &heap, err);
    if (ok && to.id == HY_TYPE_VARCHAR && !out->is_null) {
        /* constants own their bytes in the statement arena */
        char *s = hy_arena_strndup(b->a, out->v.s.ptr, out->v.s.len);
        out->v.s.ptr = s;
    }
    hy_strheap_free(&heap);
    return ok;
}

static hy_i128 dec_get(const hy_value *v) {
    return hy_dec_is_wide(v->type) ? v->v.d : (hy_i128)v->v.i;
}

static bool dec_put(hy_value *v, hy_ltype t, hy_i128 x) {
    if (!hy_dec_fits(x, t.prec)) return false;
    if (hy_dec_is_wide(t)) v->v.d = x;
    else v->v.i = (int64_t)x;
    return true;
}

static bool fold_int_arith(hy_func f, hy_type t, int64_t x, int64_t y, int64_t *r) {
    int64_t v;
    switch (f) {
    case HY_FN_ADD:
        if (__builtin_add_overflow(x, y, &v)) return false;
        break;
    case HY_FN_SUB:
        if (__builtin_sub_overflow(x, y, &v)) return false;
        break;
    case HY_FN_MUL:
        if (__builtin_mul_overflow(x, y, &v)) return false;
        break;
    case HY_FN_IDIV:
    case HY_FN_MOD:
        if (y == 0 || (y == -1 && x == INT64_MIN)) return false;
        v = f == HY_FN_IDIV ? x / y : x % y;
        break;
    default: return false;
    }
    if (t == HY_TYPE_INTEGER && (v < INT32_MIN || v > INT32_MAX)) return false;
    *r = v;
    return true;
}

static bool fold_arith(hy_func f, const hy_value *x, const hy_value *y, hy_ltype rt, hy_value *out) {
    switch (rt.id) {
    case HY_TYPE_INTEGER:
    case HY_TYPE_BIGINT:
        return fold_int_arith(f, rt.id, x->v.i, y->v.i, &out->v.i);
    case HY_TYPE_DOUBLE: {
        double a = x->v.f, c = y->v.f, r;
        switch (f) {
        case HY_FN_ADD: r = a + c; break;
        case HY_FN_SUB: r = a - c; break;
        case HY_FN_MUL: r = a * c; break;
        case HY_FN_DIV:
            if (c == 0) return false;
            r = a / c;
            break;
        default: return false; /* IDIV/MOD on doubles: exec's business */
        }
        if (!isfinite(r)) return false;
        out->v.f = r;
        return true;
    }
    case HY_TYPE_DECIMAL: {
        hy_i128 a = dec_get(x), c = dec_get(y), r;
        switch (f) {
        case HY_FN_ADD:
            if (__builtin_add_overflow(a, c, &r)) return false;
            break;
        case HY_FN_SUB:
            if (__builtin_sub_overflow(a, c, &r)) return false;
            break;
        case HY_FN_MUL:
            if (__builtin_mul_overflow(a, c, &r)) return false;
            break;
        case HY_FN_MOD: /* both operands are already at the result's scale */
            if (c == 0) return false;
            r = a % c;
            break;
        default: return false;
        }
        return dec_put(out, rt, r);
    }
    default: return false;
    }
}

static bool fold_func(hy_binder *b, const hy_expr *e, hy_value *out) {
    const hy_value *x = &e->args[0]->value;
    const hy_value *y = e->nargs > 1 ? &e->args[1]->value : NULL;
    memset(out, 0, sizeof *out);
    out->type = e->type;
    switch (e->func) {
    case HY_FN_ADD:
    case HY_FN_SUB:
    case HY_FN_MUL:
    case HY_FN_DIV:
    case HY_FN_IDIV:
    case HY_FN_MOD:
        /* operands already have the types the function needs (MUL on DECIMAL: their own) */
        return fold_arith(e->func, x, y, e->type, out);
    case HY_FN_NEG:
        switch (e->type.id) {
        case HY_TYPE_INTEGER:
            if (x->v.i == INT32_MIN) return false;
            out->v.i = -x->v.i;
            return true;
        case HY_TYPE_BIGINT:
            if (x->v.i == INT64_MIN) return false;
            out->v.i = -x->v.i;
            return true;
        case HY_TYPE_DOUBLE: out->v.f = -x->v.f; return true;
        case HY_TYPE_DECIMAL: return dec_put(out, e->type, -dec_get(x));
        default: return false;
        }
    case HY_FN_DATE_ADD_DAYS: {
        int64_t d = x->v.i + y->v.i;
        if (y->v.i > INT32_MAX || y->v.i < INT32_MIN || !hy_date_in_range(d)) return false;
        out->v.i = d;
        return true;
    }
    case HY_FN_DATE_ADD_MONTHS: {
        bool overflow = false;
        int32_t d = hy_date_add_months((int32_t)x->v.i, y->v.i, &overflow);
        if (overflow || !hy_date_in_range(d)) return false;
        out->v.i = d;
        return true;
    }
    case HY_FN_DATE_DIFF: out->v.i = x->v.i - y->v.i; return true;
    case HY_FN_YEAR: out->v.i = hy_date_year((int32_t)x->v.i); return true;
    case HY_FN_MONTH: out->v.i = hy_date_month((int32_t)x->v.i); return true;
    case HY_FN_DAY: out->v.i = hy_date_day((int32_t)x->v.i); return true;
    case HY_FN_CONCAT: {
        size_t n = (size_t)x->v.s.len + y->v.s.len;
        if (n > UINT32_MAX) return false;
        char *s = hy_arena_alloc(b->a, n + 1);
        memcpy(s, x->v.s.ptr, x->v.s.len);
        memcpy(s + x->v.s.len, y->v.s.ptr, y->v.s.len);
        out->v.s.ptr = s;
        out->v.s.len = (uint32_t)n;
        return true;
    }
    default: return false;
    }
}

hy_expr *hy_fold(hy_binder *b, hy_expr *e) {
    if (e->kind != HY_EX_FUNC) return e;
    bool all_const = true;
    for (int i = 0; i < e->nargs; i++) {
        if (hy_is_null_const(e->args[i])) {
            /* every scalar function is NULL in, NULL out */
            return hy_mk_null(b, e->type, e->src_offset);
        }
        if (!hy_is_const(e->args[i])) all_const = false;
    }
    if (!all_const) return e;
    hy_value v;
    if (!fold_func(b, e, &v)) return e;
    return hy_mk_const(b, v, e->src_offset);
}
