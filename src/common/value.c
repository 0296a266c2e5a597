/* Scalar values: canonical text, casts (PostgreSQL/DuckDB semantics) and total order. */
#include "common/types.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static int copy_out(const char *src, size_t len, char *buf, size_t cap) {
    if (cap) {
        size_t k = len < cap ? len : cap - 1;
        memcpy(buf, src, k);
        buf[k] = '\0';
    }
    return (int)len;
}

int hy_value_format(const hy_value *v, char *buf, size_t cap) {
    char tmp[64];
    int n;
    if (v->is_null) return copy_out("", 0, buf, cap);
    switch (v->type.id) {
    case HY_TYPE_NULL: return copy_out("", 0, buf, cap);
    case HY_TYPE_BOOLEAN: return v->v.i ? copy_out("true", 4, buf, cap) : copy_out("false", 5, buf, cap);
    case HY_TYPE_INTEGER:
    case HY_TYPE_BIGINT: n = hy_i64_format(v->v.i, tmp); break;
    case HY_TYPE_DOUBLE: n = hy_double_format(v->v.f, tmp, sizeof tmp); break;
    case HY_TYPE_DATE: n = hy_date_format((int32_t)v->v.i, tmp); break;
    case HY_TYPE_DECIMAL:
        n = hy_dec_format(hy_dec_is_wide(v->type) ? v->v.d : (hy_i128)v->v.i, v->type.scale, tmp,
                          sizeof tmp);
        break;
    case HY_TYPE_VARCHAR: return copy_out(v->v.s.ptr, v->v.s.len, buf, cap);
    default: return copy_out("", 0, buf, cap);
    }
    return copy_out(tmp, (size_t)n, buf, cap);
}

/* ---- Casts ----------------------------------------------------------------------------------- */

static hy_i128 dec_get(const hy_value *v) {
    return hy_dec_is_wide(v->type) ? v->v.d : (hy_i128)v->v.i;
}

static void dec_put(hy_value *out, hy_ltype to, hy_i128 x) {
    if (hy_dec_is_wide(to)) out->v.d = x;
    else out->v.i = (int64_t)x;
}

static bool err_range(hy_error *err, hy_ltype to) {
    char tn[32];
    if (to.id == HY_TYPE_INTEGER) return hy_error_set(err, HY_E_RANGE, "integer out of range");
    return hy_error_set(err, HY_E_RANGE, "%s out of range", hy_lt_name(to, tn, sizeof tn));
}

static bool err_text(hy_error *err, hy_ltype to, hy_str s) {
    char tn[32];
    int n = s.len > 200 ? 200 : (int)s.len;
    return hy_error_set(err, HY_E_DATA, "invalid input syntax for type %s: \"%.*s%s\"",
                        hy_lt_name(to, tn, sizeof tn), n, s.ptr, s.len > 200 ? "..." : "");
}

static bool err_cast(hy_error *err, hy_ltype from, hy_ltype to) {
    char a[32], b[32];
    return hy_error_set(err, HY_E_TYPE, "cannot cast %s to %s", hy_lt_name(from, a, sizeof a),
                        hy_lt_name(to, b, sizeof b));
}

/* An exact integer (or scaled decimal) into an integer/decimal target. */
static bool put_exact(hy_i128 x, int xscale, hy_ltype to, hy_value *out, hy_error *err) {
    switch (to.id) {
    case HY_TYPE_INTEGER:
    case HY_TYPE_BIGINT: {
        hy_i128 r = hy_dec_rescale(x, xscale, 0);
        int64_t lo = to.id == HY_TYPE_INTEGER ? INT32_MIN : INT64_MIN;
        int64_t hi = to.id == HY_TYPE_INTEGER ? INT32_MAX : INT64_MAX;
        if (r < lo || r > hi) return err_range(err, to);
        out->v.i = (int64_t)r;
        return true;
    }
    case HY_TYPE_DECIMAL: {
        int digits = hy_i128_digits(x);
        /* guard the multiplication of rescale against 128-bit overflow */
        if (to.scale > xscale && x != 0 && digits + (to.scale - xscale) > HY_DEC_MAX_PREC)
            return err_range(err, to);
        hy_i128 r = hy_dec_rescale(x, xscale, to.scale);
        if (!hy_dec_fits(r, to.prec)) return err_range(err, to);
        dec_put(out, to, r);
        return true;
    }
    case HY_TYPE_BOOLEAN: out->v.i = x != 0; return true;
    case HY_TYPE_DOUBLE:
        if (xscale == 0) out->v.f = (double)x;
        else out->v.f = (double)x / (double)hy_pow10_i128[xscale];
        return true;
    default: return false;
    }
}

static bool cast_from_text(hy_str s, hy_ltype to, hy_value *out, hy_error *err) {
    switch (to.id) {
    case HY_TYPE_BOOLEAN: {
        bool b;
        if (!hy_parse_bool(s.ptr, s.len, &b)) return err_text(err, to, s);
        out->v.i = b;
        return true;
    }
    case HY_TYPE_INTEGER:
    case HY_TYPE_BIGINT: {
        int64_t x;
        hy_parse_status st = hy_parse_i64_st(s.ptr, s.len, &x);
        if (st == HY_PARSE_SYNTAX) return err_text(err, to, s);
        if (st == HY_PARSE_RANGE || (to.id == HY_TYPE_INTEGER && (x < INT32_MIN || x > INT32_MAX)))
            return err_range(err, to);
        out->v.i = x;
        return true;
    }
    case HY_TYPE_DOUBLE: {
        double d;
        hy_parse_status st = hy_parse_double_st(s.ptr, s.len, &d);
        if (st == HY_PARSE_SYNTAX) return err_text(err, to, s);
        if (st == HY_PARSE_RANGE) return err_range(err, to);
        out->v.f = d;
        return true;
    }
    case HY_TYPE_DECIMAL: {
        hy_i128 x;
        hy_parse_status st = hy_dec_parse_st(s.ptr, s.len, to.prec, to.scale, &x);
        if (st == HY_PARSE_SYNTAX) return err_text(err, to, s);
        if (st == HY_PARSE_RANGE) return err_range(err, to);
        dec_put(out, to, x);
        return true;
    }
    case HY_TYPE_DATE: {
        int32_t d;
        if (!hy_date_parse(s.ptr, s.len, &d)) return err_text(err, to, s);
        out->v.i = d;
        return true;
    }
    default: return false;
    }
}

bool hy_value_cast(const hy_value *in, hy_ltype to, hy_value *out, struct hy_strheap *heap,
                   hy_error *err) {
    hy_value r;
    memset(&r, 0, sizeof r);
    r.type = to;
    if (in->is_null || in->type.id == HY_TYPE_NULL || to.id == HY_TYPE_NULL) {
        r.is_null = true;
        *out = r;
        return true;
    }
    hy_type from = in->type.id;
    bool ok = true;
    if (to.id == HY_TYPE_VARCHAR) {
        if (from == HY_TYPE_VARCHAR) {
            r.v.s = in->v.s; /* no copy: the caller owns the input bytes */
        } else {
            char tmp[64];
            int n = hy_value_format(in, tmp, sizeof tmp);
            if (!heap) return hy_error_set(err, HY_E_INTERNAL, "cast to VARCHAR without a string heap");
            r.v.s = hy_strheap_add(heap, tmp, (size_t)n);
        }
        *out = r;
        return true;
    }
    switch (from) {
    case HY_TYPE_VARCHAR:
        if (!cast_from_text(in->v.s, to, &r, err)) {
            if (!hy_failed(err)) err_cast(err, in->type, to);
            return false;
        }
        break;
    case HY_TYPE_BOOLEAN:
    case HY_TYPE_INTEGER:
    case HY_TYPE_BIGINT:
        if (to.id == HY_TYPE_DATE) return err_cast(err, in->type, to);
        ok = put_exact(in->v.i, 0, to, &r, err);
        break;
    case HY_TYPE_DECIMAL:
        if (to.id == HY_TYPE_DATE) return err_cast(err, in->type, to);
        ok = put_exact(dec_get(in), in->type.scale, to, &r, err);
        break;
    case HY_TYPE_DOUBLE: {
        double f = in->v.f;
        switch (to.id) {
        case HY_TYPE_DOUBLE: r.v.f = f; break;
        case HY_TYPE_BOOLEAN: r.v.i = f != 0; break;
        case HY_TYPE_INTEGER:
        case HY_TYPE_BIGINT: {
            /* round half to even (rint), like PostgreSQL's float8 -> int casts */
            if (isnan(f)) return err_range(err, to);
            double x = rint(f);
            double lo = to.id == HY_TYPE_INTEGER ? -2147483648.0 : -9223372036854775808.0;
            double hi = to.id == HY_TYPE_INTEGER ? 2147483648.0 : 9223372036854775808.0;
            if (!(x >= lo && x < hi)) return err_range(err, to);
            r.v.i = (int64_t)x;
            break;
        }
        case HY_TYPE_DECIMAL: {
            /* via the shortest text, so 0.285 -> 0.29 as the user wrote it */
            if (!isfinite(f)) return err_range(err, to);
            char tmp[64];
            int n = hy_double_format(f, tmp, sizeof tmp);
            hy_i128 x;
            if (hy_dec_parse_st(tmp, (size_t)n, to.prec, to.scale, &x) != HY_PARSE_OK)
                return err_range(err, to);
            dec_put(&r, to, x);
            break;
        }
        default: return err_cast(err, in->type, to);
        }
        break;
    }
    case HY_TYPE_DATE:
        if (to.id != HY_TYPE_DATE) return err_cast(err, in->type, to);
        r.v.i = in->v.i;
        break;
    default: return err_cast(err, in->type, to);
    }
    if (!ok) {
        if (!hy_failed(err)) err_cast(err, in->type, to);
        return false;
    }
    *out = r;
    return true;
}

int hy_value_cmp(const hy_value *a, const hy_value *b) {
    switch (a->type.id) {
    case HY_TYPE_DOUBLE: {
        double x = a->v.f, y = b->v.f;
        bool xn = isnan(x), yn = isnan(y);
        if (xn || yn) return xn - yn;
        return (x > y) - (x < y);
    }
    case HY_TYPE_DECIMAL:
        if (hy_dec_is_wide(a->type)) return (a->v.d > b->v.d) - (a->v.d < b->v.d);
        return (a->v.i > b->v.i) - (a->v.i < b->v.i);
    case HY_TYPE_VARCHAR: {
        uint32_t n = a->v.s.len < b->v.s.len ? a->v.s.len : b->v.s.len;
        int c = n ? memcmp(a->v.s.ptr, b->v.s.ptr, n) : 0;
        if (c) return c < 0 ? -1 : 1;
        return (a->v.s.len > b->v.s.len) - (a->v.s.len < b->v.s.len);
    }
    default: return (a->v.i > b->v.i) - (a->v.i < b->v.i);
    }
}
