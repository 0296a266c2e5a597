/* Scalar functions other than arithmetic: ROUND, strings, dates, LIKE. */
#define _GNU_SOURCE /* memmem */
#include <math.h>
#include <stdlib.h>

#include "exec/expr.h"

/* ==== ROUND ======================================================================================= */

/* round(v at scale s, d digits), expressed at scale rs; false if it does not fit rprec. */
static bool round_dec(hy_i128 v, int s, int d, int rs, int rprec, hy_i128 *out) {
    hy_i128 t;
    int ts;
    /* Clamp the digit count so s - d cannot overflow int: rounding to more than
     * HY_DEC_MAX_PREC fractional digits keeps v unchanged, rounding to more than
     * HY_DEC_MAX_PREC + 1 integer digits gives 0 -- exactly what the clamped values give. */
    if (d > HY_DEC_MAX_PREC) d = HY_DEC_MAX_PREC;
    if (d < -(HY_DEC_MAX_PREC + 1)) d = -(HY_DEC_MAX_PREC + 1);
    if (d >= s) {
        t = v;
        ts = s;
    } else if (s - d > HY_DEC_MAX_PREC) {
        t = 0;
        ts = s;
    } else {
        t = hy_dec_rescale(v, s, d); /* half away from zero */
        ts = d;
    }
    hy_i128 r;
    if (rs >= ts) {
        int k = rs - ts;
        if (t == 0) r = 0;
        else if (k > HY_DEC_MAX_PREC || __builtin_mul_overflow(t, hy_pow10_i128[k], &r)) return false;
    } else {
        r = ts - rs > HY_DEC_MAX_PREC ? 0 : hy_dec_rescale(t, ts, rs);
    }
    *out = r;
    return hy_dec_fits(r, rprec);
}

static double round_f64(double x, int d) {
    if (!isfinite(x)) return x;
    if (d == 0) return round(x);
    if (d > 330) return x;
    /* |x| <= DBL_MAX < 10^309 / 2, so rounding to 10^309 or coarser gives (signed) zero; doing
     * it here also avoids pow(10, d) underflowing to 0 and 0/0 below. */
    if (d < -308) return x < 0 ? -0.0 : 0.0;
    double m = pow(10.0, d);
    double y = round(x * m) / m;
    if (!isfinite(y)) return x;
    return y;
}

static bool fn_round(hy_xstate *s, const uint16_t *sel, int n, hy_error *err) {
    const hy_xv *a = &s->args[0]->out;
    const int32_t *dg = s->args[1]->out.data;
    const uint64_t *V = s->out.valid;
    if (s->type.id == HY_TYPE_DOUBLE) {
        const double *x = a->data;
        double *r = s->buf;
        HY_LOOP(sel, n, r[i] = round_f64(x[i], dg[i]));
        return true;
    }
    bool wide_in = hy_phys_of(a->type) == HY_P_I128, wide_out = hy_phys_of(s->type) == HY_P_I128;
    HY_LOOP(sel, n, {
        if (hy_valid_get(V, i)) {
            hy_i128 v = wide_in ? ((const hy_i128 *)a->data)[i] : ((const int64_t *)a->data)[i];
            hy_i128 r;
            if (!round_dec(v, a->type.scale, dg[i], s->type.scale, s->type.prec, &r))
                return hy_xerr_range(err, s->type);
            if (wide_out) ((hy_i128 *)s->buf)[i] = r;
            else ((int64_t *)s->buf)[i] = (int64_t)r;
        }
    });
    return true;
}

/* ==== Strings ====================================================================================== */

static inline bool is_cont(unsigned char c) { return (c & 0xC0) == 0x80; }

static int64_t utf8_len(hy_str s) {
    int64_t n = 0;
    for (uint32_t i = 0; i < s.len; i++) n += !is_cont((unsigned char)s.ptr[i]);
    return n;
}

/* Byte offset of the character with 0-based index ci (or len if past the end). */
static uint32_t utf8_offset(hy_str s, int64_t ci) {
    uint32_t i = 0;
    while (i < s.len && ci > 0) {
        i++;
        while (i < s.len && is_cont((unsigned char)s.ptr[i])) i++;
        ci--;
    }
    return i;
}

/* PostgreSQL substring(s FROM start [FOR len]): characters at 1-based positions
 * [start, start+len), clipped to the string. */
static hy_str substr(hy_str s, int64_t start, bool has_len, int64_t len) {
    int64_t first = start, end;
    if (has_len) {
        if (__builtin_add_overflow(start, len, &end)) end = INT64_MAX;
    } else {
        end = INT64_MAX;
    }
    if (first < 1) first = 1;
    hy_str r = {s.ptr, 0};
    if (end <= first) return r;
    uint32_t b = utf8_offset(s, first - 1);
    uint32_t e = end == INT64_MAX ? s.len : utf8_offset(s, end - 1);
    if (e < b) e = b;
    r.ptr = s.ptr + b;
    r.len = e - b;
    return r;
}

static bool fn_string(hy_xstate *s, const uint16_t *sel, int n, hy_error *err) {
    const uint64_t *V = s->out.valid;
    const hy_str *a = s->args[0]->out.data;
    switch (s->func) {
    case HY_FN_LENGTH: {
        int64_t *r = s->buf;
        HY_LOOP(sel, n, r[i] = hy_valid_get(V, i) ? utf8_len(a[i]) : 0);
        return true;
    }
    case HY_FN_UPPER:
    case HY_FN_LOWER: {
        hy_str *r = s->buf;
        bool up = s->func == HY_FN_UPPER;
        HY_LOOP(sel, n, {
            if (hy_valid_get(V, i)) {
                char *d = hy_sbuf_alloc(&s->sb, (size_t)a[i].len + 1);
                for (uint32_t j = 0; j < a[i].len; j++) {
                    char c = a[i].ptr[j];
                    if (up && c >= 'a' && c <= 'z') c = (char)(c - 32);
                    else if (!up && c >= 'A' && c <= 'Z') c = (char)(c + 32);
                    d[j] = c;
                }
                d[a[i].len] = '\0';
                r[i].ptr = d;
                r[i].len = a[i].len;
            }
        });
        return true;
    }
    case HY_FN_CONCAT: {
        const hy_str *b = s->args[1]->out.data;
        hy_str *r = s->buf;
        HY_LOOP(sel, n, {
            if (hy_valid_get(V, i)) {
                size_t len = (size_t)a[i].len + b[i].len;
                if (!hy_str_len_ok(len)) return hy_error_set(err, HY_E_RANGE, "string too long");
                char *d = hy_sbuf_alloc(&s->sb, len + 1);
                if (a[i].len) memcpy(d, a[i].ptr, a[i].len);
                if (b[i].len) memcpy(d + a[i].len, b[i].ptr, b[i].len);
                d[len] = '\0';
                r[i].ptr = d;
                r[i].len = (uint32_t)len;
            }
        });
        return true;
    }
    case HY_FN_SUBSTRING: {
        const int64_t *st = s->args[1]->out.data;
        const int64_t *ln = s->nargs > 2 ? s->args[2]->out.data : NULL;
        hy_str *r = s->buf;
        HY_LOOP(sel, n, {
            if (hy_valid_get(V, i)) {
                if (ln && ln[i] < 0)
                    return hy_error_set(err, HY_E_RANGE, "negative substring length not allowed");
                r[i] = substr(a[i], st[i], ln != NULL, ln ? ln[i] : 0);
            }
        });
        return true;
    }
    default: return hy_error_set(err, HY_E_INTERNAL, "unsupported string function");
    }
}

/* ==== Dates ========================================================================================= */

static bool fn_date(hy_xstate *s, const uint16_t *sel, int n, hy_error *err) {
    const uint64_t *V = s->out.valid;
    const int32_t *a = s->args[0]->out.data;
    switch (s->func) {
    case HY_FN_YEAR: {
        int64_t *r = s->buf;
        HY_LOOP(sel, n, r[i] = hy_date_year(a[i]));
        return true;
    }
    case HY_FN_MONTH: {
        int64_t *r = s->buf;
        HY_LOOP(sel, n, r[i] = hy_date_month(a[i]));
        return true;
    }
    case HY_FN_DAY: {
        int64_t *r = s->buf;
        HY_LOOP(sel, n, r[i] = hy_date_day(a[i]));
        return true;
    }
    case HY_FN_DATE_DIFF: {
        const int32_t *b = s->args[1]->out.data;
        int64_t *r = s->buf;
        HY_LOOP(sel, n, r[i] = (int64_t)a[i] - b[i]);
        return true;
    }
    case HY_FN_DATE_ADD_DAYS: {
        const int64_t *b = s->args[1]->out.data;
        int32_t *r = s->buf;
        bool bad = false;
        HY_LOOP(sel, n, {
            int64_t x;
            bool o = __builtin_add_overflow((int64_t)a[i], b[i], &x) || !hy_date_in_range(x);
            bad |= o;
            r[i] = o ? 0 : (int32_t)x;
        });
        if (bad)
            HY_LOOP(sel, n, {
                int64_t x;
                if (hy_valid_get(V, i) &&
                    (__builtin_add_overflow((int64_t)a[i], b[i], &x) || !hy_date_in_range(x)))
                    return hy_error_set(err, HY_E_RANGE, "date out of range");
            });
        return true;
    }
    case HY_FN_DATE_ADD_MONTHS: {
        const int64_t *b = s->args[1]->out.data;
        int32_t *r = s->buf;
        HY_LOOP(sel, n, {
            if (hy_valid_get(V, i)) {
                bool o = false;
                int32_t x = hy_date_add_months(a[i], b[i], &o);
                if (o || !hy_date_in_range(x)) return hy_error_set(err, HY_E_RANGE, "date out of range");
                r[i] = x;
            }
        });
        return true;
    }
    default: return hy_error_set(err, HY_E_INTERNAL, "unsupported date function");
    }
}

bool hy_xfunc_other(hy_xstate *s, const uint16_t *sel, int n, int nwords, hy_error *err) {
    (void)nwords;
    switch (s->func) {
    case HY_FN_ROUND: return fn_round(s, sel, n, err);
    case HY_FN_LENGTH:
    case HY_FN_SUBSTRING:
    case HY_FN_UPPER:
    case HY_FN_LOWER:
    case HY_FN_CONCAT: return fn_string(s, sel, n, err);
    case HY_FN_YEAR:
    case HY_FN_MONTH:
    case HY_FN_DAY:
    case HY_FN_DATE_ADD_DAYS:
    case HY_FN_DATE_ADD_MONTHS:
    case HY_FN_DATE_DIFF: return fn_date(s, sel, n, err);
    default:
        return hy_error_set(err, HY_E_INTERNAL, "unsupported function %s", hy_func_sql(s->func));
    }
}

/* ==== LIKE ============================================================================================ */
/* Only % (any run of characters) and _ (one character, UTF-8 aware) are special. */

typedef enum { LK_ALL, LK_EXACT, LK_PREFIX, LK_SUFFIX, LK_CONTAINS, LK_GENERAL } like_kind;

struct hy_like_pat {
    like_kind kind;
    char *lit; /* the literal part (simple kinds) or the whole pattern */
    size_t n;
};

hy_like_pat *hy_like_compile(const char *p, size_t n) {
    hy_like_pat *lp = calloc(1, sizeof *lp);
    if (!lp) abort();
    lp->lit = malloc(n + 1);
    if (!lp->lit) abort();
    bool has_us = memchr(p, '_', n) != NULL;
    size_t lead = 0, trail = 0;
    while (lead < n && p[lead] == '%') lead++;
    while (trail < n - lead && p[n - 1 - trail] == '%') trail++;
    const char *mid = p + lead;
    size_t mn = n - lead - trail;
    if (!has_us && memchr(mid, '%', mn) == NULL) {
        memcpy(lp->lit, mid, mn);
        lp->n = mn;
        if (mn == 0) lp->kind = lead || trail ? LK_ALL : LK_EXACT;
        else if (!lead && !trail) lp->kind = LK_EXACT;
        else if (!lead) lp->kind = LK_PREFIX;
        else if (!trail) lp->kind = LK_SUFFIX;
        else lp->kind = LK_CONTAINS;
        return lp;
    }
    memcpy(lp->lit, p, n);
    lp->n = n;
    lp->kind = LK_GENERAL;
    return lp;
}

void hy_like_free(hy_like_pat *p) {
    if (!p) return;
    free(p->lit);
    free(p);
}

static inline size_t next_char(const char *s, size_t n, size_t i) {
    i++;
    while (i < n && is_cont((unsigned char)s[i])) i++;
    return i;
}

bool hy_like_match_raw(const char *pat, size_t pn, const char *s, size_t sn) {
    size_t p = 0, i = 0, star_p = (size_t)-1, star_i = 0;
    while (i < sn) {
        if (p < pn && pat[p] == '%') {
            star_p = ++p;
            star_i = i;
        } else if (p < pn && pat[p] == '_') {
            i = next_char(s, sn, i);
            p++;
        } else if (p < pn && pat[p] == s[i]) {
            p++;
            i++;
        } else if (star_p != (size_t)-1) {
            p = star_p;
            star_i = next_char(s, sn, star_i);
            i = star_i;
        } else {
            return false;
        }
    }
    while (p < pn && pat[p] == '%') p++;
    return p == pn;
}

bool hy_like_match(const hy_like_pat *lp, const char *s, size_t n) {
    switch (lp->kind) {
    case LK_ALL: return true;
    case LK_EXACT: return n == lp->n && (n == 0 || memcmp(s, lp->lit, n) == 0);
    case LK_PREFIX: return n >= lp->n && memcmp(s, lp->lit, lp->n) == 0;
    case LK_SUFFIX: return n >= lp->n && memcmp(s + n - lp->n, lp->lit, lp->n) == 0;
    case LK_CONTAINS: return n >= lp->n && memmem(s, n, lp->lit, lp->n) != NULL;
    default: return hy_like_match_raw(lp->lit, lp->n, s, n);
    }
}
