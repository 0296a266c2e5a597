/*
 * CAST kernels. Semantics are those of hy_value_cast (common/value.c): the frequent numeric
 * conversions get vectorized loops that implement exactly the same rules (integer widening,
 * range checks, decimal rescale half away from zero, decimal -> double as x / 10^s); every
 * other pair goes through hy_value_cast row by row, and X -> VARCHAR through
 * hy_value_format, so the text is the canonical one the shell prints.
 */
#include "exec/expr.h"

hy_value hy_xv_get_value(const hy_xv *v, int i) {
    hy_value r;
    memset(&r, 0, sizeof r);
    r.type = v->type;
    if (!hy_valid_get(v->valid, i)) {
        r.is_null = true;
        return r;
    }
    switch (hy_phys_of(v->type)) {
    case HY_P_BOOL: r.v.i = ((const uint8_t *)v->data)[i]; break;
    case HY_P_I32: r.v.i = ((const int32_t *)v->data)[i]; break;
    case HY_P_I64: r.v.i = ((const int64_t *)v->data)[i]; break;
    case HY_P_F64: r.v.f = ((const double *)v->data)[i]; break;
    case HY_P_I128: r.v.d = ((const hy_i128 *)v->data)[i]; break;
    case HY_P_STR: r.v.s = ((const hy_str *)v->data)[i]; break;
    default: r.is_null = true; break;
    }
    return r;
}

void hy_xv_put_value(void *data, hy_ltype t, int i, const hy_value *val) {
    if (val->is_null) return;
    switch (hy_phys_of(t)) {
    case HY_P_BOOL: ((uint8_t *)data)[i] = val->v.i != 0; break;
    case HY_P_I32: ((int32_t *)data)[i] = (int32_t)val->v.i; break;
    case HY_P_I64: ((int64_t *)data)[i] = val->v.i; break;
    case HY_P_F64: ((double *)data)[i] = val->v.f; break;
    case HY_P_I128: ((hy_i128 *)data)[i] = val->v.d; break;
    case HY_P_STR: ((hy_str *)data)[i] = val->v.s; break;
    default: break;
    }
}

/* Integer (scale 0) or decimal input read as a 128-bit scaled value. */
static inline hy_i128 exact_at(const hy_xv *v, hy_phys p, int i) {
    switch (p) {
    case HY_P_I32: return ((const int32_t *)v->data)[i];
    case HY_P_I64: return ((const int64_t *)v->data)[i];
    case HY_P_I128: return ((const hy_i128 *)v->data)[i];
    default: return 0;
    }
}

static bool is_exact_num(hy_ltype t) {
    return t.id == HY_TYPE_INTEGER || t.id == HY_TYPE_BIGINT || t.id == HY_TYPE_DECIMAL;
}

/* Exact number -> INTEGER/BIGINT/DECIMAL (half away from zero when the scale shrinks). */
static bool cast_exact(hy_xstate *s, const hy_xv *in, const uint16_t *sel, int n, hy_error *err) {
    const uint64_t *V = s->out.valid;
    hy_phys pi = hy_phys_of(in->type), po = hy_phys_of(s->type);
    int fs = in->type.id == HY_TYPE_DECIMAL ? in->type.scale : 0;
    int ts = s->type.id == HY_TYPE_DECIMAL ? s->type.scale : 0;
    hy_i128 lo, hi;
    if (s->type.id == HY_TYPE_INTEGER) {
        lo = INT32_MIN;
        hi = INT32_MAX;
    } else if (s->type.id == HY_TYPE_BIGINT) {
        lo = INT64_MIN;
        hi = INT64_MAX;
    } else {
        hi = hy_pow10_i128[s->type.prec] - 1;
        lo = -hi;
    }
    /* fast path: integer widening */
    if (fs == 0 && ts == 0 && pi == HY_P_I32 && po == HY_P_I64) {
        const int32_t *a = in->data;
        int64_t *r = s->buf;
        HY_LOOP(sel, n, r[i] = a[i]);
        if (s->type.id == HY_TYPE_DECIMAL && s->type.prec < 10)
            HY_LOOP(sel, n, if (hy_valid_get(V, i) && (r[i] > hi || r[i] < lo)) return hy_xerr_range(err, s->type));
        return true;
    }
    if (ts >= fs && ts - fs <= 18 && pi != HY_P_I128 && po == HY_P_I64) {
        /* upscale within 64 bits: x * 10^k, checked */
        int64_t m = (int64_t)hy_pow10_i128[ts - fs];
        int64_t *r = s->buf;
        bool bad = false;
        int64_t l64 = (int64_t)lo, h64 = (int64_t)hi;
        if (pi == HY_P_I32) {
            const int32_t *a = in->data;
            HY_LOOP(sel, n, { bad |= __builtin_mul_overflow((int64_t)a[i], m, &r[i]); bad |= r[i] < l64 || r[i] > h64; });
        } else {
            const int64_t *a = in->data;
            HY_LOOP(sel, n, { bad |= __builtin_mul_overflow(a[i], m, &r[i]); bad |= r[i] < l64 || r[i] > h64; });
        }
        if (bad)
            HY_LOOP(sel, n, {
                int64_t t;
                int64_t x = pi == HY_P_I32 ? ((const int32_t *)in->data)[i] : ((const int64_t *)in->data)[i];
                if (hy_valid_get(V, i) && (__builtin_mul_overflow(x, m, &t) || t < l64 || t > h64))
                    return hy_xerr_range(err, s->type);
            });
        return true;
    }
    /* generic: 128-bit rescale per row */
    HY_LOOP(sel, n, {
        if (hy_valid_get(V, i)) {
            hy_i128 x = exact_at(in, pi, i), r;
            if (ts >= fs) {
                int k = ts - fs;
                if (x != 0 && (k > HY_DEC_MAX_PREC || __builtin_mul_overflow(x, hy_pow10_i128[k], &r)))
                    return hy_xerr_range(err, s->type);
                if (x == 0) r = 0;
            } else {
                r = hy_dec_rescale(x, fs, ts);
            }
            if (r < lo || r > hi) return hy_xerr_range(err, s->type);
            switch (po) {
            case HY_P_I32: ((int32_t *)s->buf)[i] = (int32_t)r; break;
            case HY_P_I64: ((int64_t *)s->buf)[i] = (int64_t)r; break;
            default: ((hy_i128 *)s->buf)[i] = r; break;
            }
        }
    });
    return true;
}

static bool cast_to_double(hy_xstate *s, const hy_xv *in, const uint16_t *sel, int n) {
    double *r = s->buf;
    hy_phys pi = hy_phys_of(in->type);
    int fs = in->type.id == HY_TYPE_DECIMAL ? in->type.scale : 0;
    if (fs == 0) {
        switch (pi) {
        case HY_P_I32: { const int32_t *a = in->data; HY_LOOP(sel, n, r[i] = a[i]); return true; }
        case HY_P_I64: { const int64_t *a = in->data; HY_LOOP(sel, n, r[i] = (double)a[i]); return true; }
        default: { HY_LOOP(sel, n, r[i] = (double)exact_at(in, pi, i)); return true; }
        }
    }
    double d = (double)hy_pow10_i128[fs];
    if (pi == HY_P_I64) {
        const int64_t *a = in->data;
        HY_LOOP(sel, n, r[i] = (double)a[i] / d);
    } else {
        HY_LOOP(sel, n, r[i] = (double)exact_at(in, pi, i) / d);
    }
    return true;
}

static bool cast_to_text(hy_xstate *s, const hy_xv *in, const uint16_t *sel, int n) {
    const uint64_t *V = s->out.valid;
    hy_str *r = s->buf;
    char tmp[80];
    HY_LOOP(sel, n, {
        if (hy_valid_get(V, i)) {
            hy_value v = hy_xv_get_value(in, i);
            int len = hy_value_format(&v, tmp, sizeof tmp);
            const char *src = tmp;
            if ((size_t)len >= sizeof tmp) { /* cannot happen for non-strings; be safe */
                len = (int)sizeof tmp - 1;
            }
            char *d = hy_sbuf_alloc(&s->sb, (size_t)len + 1);
            memcpy(d, src, (size_t)len);
            d[len] = '\0';
            r[i].ptr = d;
            r[i].len = (uint32_t)len;
        }
    });
    return true;
}

bool hy_xcast(hy_xstate *s, const uint16_t *sel, int n, int nwords, hy_error *err) {
    const hy_xv *in = &s->args[0]->out;
    hy_ltype from = in->type, to = s->type;
    if (from.id == HY_TYPE_DECIMAL && to.id == HY_TYPE_DECIMAL && from.scale == to.scale &&
        from.prec <= to.prec && hy_phys_of(from) == hy_phys_of(to)) {
        s->out.data = in->data; /* a wider precision of the same layout: nothing to do */
        return true;
    }
    if (is_exact_num(from) && is_exact_num(to)) return cast_exact(s, in, sel, n, err);
    if (is_exact_num(from) && to.id == HY_TYPE_DOUBLE) return cast_to_double(s, in, sel, n);
    if (to.id == HY_TYPE_VARCHAR && from.id != HY_TYPE_VARCHAR) return cast_to_text(s, in, sel, n);
    /* everything else: the scalar rules, row by row */
    const uint64_t *V = s->out.valid;
    HY_LOOP(sel, n, {
        if (hy_valid_get(V, i)) {
            hy_value v = hy_xv_get_value(in, i), r;
            if (!hy_value_cast(&v, to, &r, NULL, err)) return false;
            if (r.is_null) {
                if (s->out.valid != s->vbuf) { /* first NULL from a non-NULL: own the bitmap */
                    if (V) memcpy(s->vbuf, V, (size_t)nwords * 8);
                    else memset(s->vbuf, 0xff, (size_t)nwords * 8);
                    s->out.valid = s->vbuf;
                    V = s->vbuf;
                }
                hy_valid_set(s->vbuf, i, false);
            } else {
                hy_xv_put_value(s->buf, to, i, &r);
            }
        }
    });
    return true;
}
