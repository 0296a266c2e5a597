/* Numbers as text: shortest round-trip doubles, strict integer/double/boolean parsing. These
 * run per value inside loops (CSV load, casts, result formatting): no allocation except for
 * pathological double literals longer than the stack buffer. */
#include "common/types.h"

#include <errno.h>
#include <float.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static inline bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

static inline void trim(const char *s, size_t len, size_t *b, size_t *e) {
    size_t i = 0, n = len;
    while (i < n && is_space(s[i])) i++;
    while (n > i && is_space(s[n - 1])) n--;
    *b = i;
    *e = n;
}

static int copy_out(const char *src, int len, char *buf, size_t cap) {
    if (cap) {
        size_t k = (size_t)len < cap ? (size_t)len : cap - 1;
        memcpy(buf, src, k);
        buf[k] = '\0';
    }
    return len;
}

/*
 * Fast path for "short" doubles (most data: prices, ratios, counts): if v * 10^k is an
 * integer u < 10^15 for some k <= 8 and u / 10^k reads back as v, then "u e-k" round-trips
 * (both divisions are correctly rounded from exact operands), and since two different
 * decimals of at most 15 significant digits never round to the same normal double, it is
 * also the unique shortest one, i.e. exactly what the printf path below would find.
 * Returns false when it does not apply.
 */
static bool short_digits(double a, char *dig, int *nd, int *x) {
    if (!(a >= 1e-7 && a < 1e15)) return false;
    double p = 1;
    for (int k = 0; k <= 8; k++, p *= 10) {
        double m = a * p;
        if (m >= 1e15) return false;
        if (m != floor(m)) continue;
        if (m / p != a) continue;
        uint64_t u = (uint64_t)m;
        char tmp[24];
        int n = 0;
        do {
            tmp[n++] = (char)('0' + u % 10);
            u /= 10;
        } while (u);
        /* tmp holds the digits reversed; drop trailing zeros (leading in tmp) */
        int z = 0;
        while (z < n - 1 && tmp[z] == '0') z++;
        for (int i = 0; i < n - z; i++) dig[i] = tmp[n - 1 - i];
        *nd = n - z;
        *x = n - 1 - k;
        return true;
    }
    return false;
}

/*
 * Shortest round-trip text of a double.
 *
 * Digits: short_digits() when it applies; otherwise the first of 15, 16, 17 significant
 * digits (1..17 for subnormals) printed by printf %.*e (correctly rounded by glibc) whose
 * text reads back (strtod) to the identical double, trailing zeros dropped. Up to 15 digits
 * this is always the shortest; at 16/17 a shorter non-correctly-rounded string may exist in
 * rare cases, we still print a correct round-trip string.
 * Layout (chosen to look like DuckDB): with X the decimal exponent of the first digit,
 *   -5 < X < 15  -> positional notation, and integral values keep ".0": 2.0 -> "2.0",
 *                   100 -> "100.0", 0.0001 -> "0.0001", 123456789012345 -> "123456789012345.0"
 *   otherwise    -> "d[.ddd]e+XX" with a sign and at least two exponent digits:
 *                   1e20 -> "1e+20", 1.5e-7 -> "1.5e-07", 1e15 -> "1e+15"
 *   zero -> "0.0" / "-0.0", infinities -> "inf" / "-inf", NaN -> "nan".
 */
int hy_double_format(double v, char *buf, size_t cap) {
    char out[48];
    if (isnan(v)) return copy_out("nan", 3, buf, cap);
    if (isinf(v)) return v < 0 ? copy_out("-inf", 4, buf, cap) : copy_out("inf", 3, buf, cap);
    if (v == 0) return signbit(v) ? copy_out("-0.0", 4, buf, cap) : copy_out("0.0", 3, buf, cap);

    bool neg = v < 0;
    char dig[24];
    int nd = 0, x = 0;
    if (!short_digits(fabs(v), dig, &nd, &x)) {
        char e[40];
        /* Subnormals carry fewer significant bits, so shorter strings may round-trip there:
         * search from one digit up (rare, so the extra snprintf calls do not matter). */
        for (int p = fabs(v) < DBL_MIN ? 1 : 15; p <= 17; p++) {
            snprintf(e, sizeof e, "%.*e", p - 1, v);
            if (p == 17 || strtod(e, NULL) == v) break;
        }
        /* e = "[-]d.ddddde[+-]XX" */
        const char *q = e + neg;
        for (; *q && *q != 'e'; q++)
            if (*q >= '0' && *q <= '9') dig[nd++] = *q;
        x = atoi(q + 1);
        while (nd > 1 && dig[nd - 1] == '0') nd--;
    }

    char *o = out;
    if (neg) *o++ = '-';
    if (x < -4 || x >= 15) {
        *o++ = dig[0];
        if (nd > 1) {
            *o++ = '.';
            memcpy(o, dig + 1, (size_t)nd - 1);
            o += nd - 1;
        }
        *o++ = 'e';
        *o++ = x < 0 ? '-' : '+';
        int ax = x < 0 ? -x : x;
        if (ax >= 100) *o++ = (char)('0' + ax / 100);
        *o++ = (char)('0' + ax / 10 % 10);
        *o++ = (char)('0' + ax % 10);
    } else if (x >= 0) {
        for (int k = 0; k <= x; k++) *o++ = k < nd ? dig[k] : '0';
        *o++ = '.';
        if (nd > x + 1) {
            memcpy(o, dig + x + 1, (size_t)(nd - x - 1));
            o += nd - x - 1;
        } else {
            *o++ = '0';
        }
    } else {
        *o++ = '0';
        *o++ = '.';
        for (int k = 0; k < -x - 1; k++) *o++ = '0';
        memcpy(o, dig, (size_t)nd);
        o += nd;
    }
    return copy_out(out, (int)(o - out), buf, cap);
}

hy_parse_status hy_parse_i64_st(const char *s, size_t len, int64_t *out) {
    size_t i, n;
    trim(s, len, &i, &n);
    bool neg = false;
    if (i < n && (s[i] == '-' || s[i] == '+')) neg = s[i++] == '-';
    if (i == n) return HY_PARSE_SYNTAX;
    uint64_t acc = 0;
    bool range = false;
    for (; i < n; i++) {
        unsigned d = (unsigned)(s[i] - '0');
        if (d > 9) return HY_PARSE_SYNTAX;
        if (acc > (UINT64_MAX - d) / 10) range = true;
        else acc = acc * 10 + d;
    }
    if (range) return HY_PARSE_RANGE;
    if (neg) {
        if (acc > (uint64_t)INT64_MAX + 1) return HY_PARSE_RANGE;
        *out = (int64_t)(0 - acc);
    } else {
        if (acc > (uint64_t)INT64_MAX) return HY_PARSE_RANGE;
        *out = (int64_t)acc;
    }
    return HY_PARSE_OK;
}

bool hy_parse_i64(const char *s, size_t len, int64_t *out) {
    return hy_parse_i64_st(s, len, out) == HY_PARSE_OK;
}

/* Decimal text only (no hex floats): digits with an optional point and exponent, or
 * inf/infinity/nan in any case. Overflow to infinity is a range error; underflow to zero or a
 * subnormal is accepted. */
hy_parse_status hy_parse_double_st(const char *s, size_t len, double *out) {
    size_t i, n;
    trim(s, len, &i, &n);
    if (i == n) return HY_PARSE_SYNTAX;
    size_t m = n - i;
    char stackbuf[128];
    char *b = m < sizeof stackbuf ? stackbuf : malloc(m + 1);
    if (!b) return HY_PARSE_SYNTAX;
    memcpy(b, s + i, m);
    b[m] = '\0';
    hy_parse_status st = HY_PARSE_OK;
    bool alpha = false, digit = false;
    for (size_t k = 0; k < m; k++) {
        char c = b[k];
        if (c >= '0' && c <= '9') digit = true;
        else if (c == 'x' || c == 'X' || c == '(' || c == 'p' || c == 'P' || c == ',')
            st = HY_PARSE_SYNTAX;
        else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) alpha = alpha || (c != 'e' && c != 'E');
    }
    if (st == HY_PARSE_OK && alpha && digit) st = HY_PARSE_SYNTAX;
    if (st == HY_PARSE_OK) {
        /* strtod follows LC_NUMERIC: if an embedding program switched to a locale with a
         * decimal comma, hand it the locale's decimal point (SQL text always uses '.') */
        const char *dp = localeconv()->decimal_point;
        if (dp[0] != '.' && dp[0] && !dp[1])
            for (size_t k = 0; k < m; k++)
                if (b[k] == '.') b[k] = dp[0];
        char *end;
        errno = 0;
        double v = strtod(b, &end);
        if (end != b + m || end == b) st = HY_PARSE_SYNTAX;
        else if (errno == ERANGE && isinf(v)) st = HY_PARSE_RANGE;
        else *out = v;
    }
    if (b != stackbuf) free(b);
    return st;
}

bool hy_parse_double(const char *s, size_t len, double *out) {
    return hy_parse_double_st(s, len, out) == HY_PARSE_OK;
}

static bool word_eq(const char *s, size_t n, const char *w) {
    size_t k = 0;
    for (; k < n && w[k]; k++) {
        char c = s[k];
        if (c >= 'A' && c <= 'Z') c = (char)(c - 'A' + 'a');
        if (c != w[k]) return false;
    }
    return k == n && w[k] == '\0';
}

bool hy_parse_bool(const char *s, size_t len, bool *out) {
    size_t i, n;
    trim(s, len, &i, &n);
    const char *p = s + i;
    size_t m = n - i;
    static const char *const yes[] = {"true", "t", "1", "yes", "y", "on"};
    static const char *const no[] = {"false", "f", "0", "no", "n", "off"};
    for (size_t k = 0; k < sizeof yes / sizeof yes[0]; k++) {
        if (word_eq(p, m, yes[k])) {
            *out = true;
            return true;
        }
        if (word_eq(p, m, no[k])) {
            *out = false;
            return true;
        }
    }
    return false;
}

int hy_i64_format(int64_t v, char *buf) {
    char tmp[24];
    char *e = tmp + sizeof tmp, *p = e;
    uint64_t a = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
    do {
        *--p = (char)('0' + a % 10);
        a /= 10;
    } while (a);
    if (v < 0) *--p = '-';
    int len = (int)(e - p);
    memcpy(buf, p, (size_t)len);
    buf[len] = '\0';
    return len;
}
