/* Types, dates, decimals and the string heap (see types.h). Numbers as text live in
 * numtext.c, scalar values (format/cast/compare) in value.c. */
#include "common/types.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ==== Logical types ======================================================================== */

size_t hy_lt_width(hy_ltype t) {
    switch (t.id) {
    case HY_TYPE_BOOLEAN: return 1;
    case HY_TYPE_INTEGER: return 4;
    case HY_TYPE_BIGINT: return 8;
    case HY_TYPE_DOUBLE: return 8;
    case HY_TYPE_DECIMAL: return t.prec > HY_DEC_MAX_STORED_PREC ? 16 : 8;
    case HY_TYPE_DATE: return 4;
    case HY_TYPE_VARCHAR: return sizeof(hy_str);
    case HY_TYPE_NULL: return 1;
    }
    return 8;
}

const char *hy_lt_name(hy_ltype t, char *buf, size_t cap) {
    const char *s;
    switch (t.id) {
    case HY_TYPE_NULL: s = "NULL"; break;
    case HY_TYPE_BOOLEAN: s = "BOOLEAN"; break;
    case HY_TYPE_INTEGER: s = "INTEGER"; break;
    case HY_TYPE_BIGINT: s = "BIGINT"; break;
    case HY_TYPE_DOUBLE: s = "DOUBLE"; break;
    case HY_TYPE_DATE: s = "DATE"; break;
    case HY_TYPE_VARCHAR: s = "VARCHAR"; break;
    case HY_TYPE_DECIMAL:
        snprintf(buf, cap, "DECIMAL(%d,%d)", t.prec, t.scale);
        return buf;
    default: s = "?"; break;
    }
    snprintf(buf, cap, "%s", s);
    return buf;
}

/* ==== Dates ================================================================================= */
/* Day numbers are computed in 400-year eras (146097 days each) counted from 0000-03-01, so
 * that the leap day is the last day of the "year" and month lengths follow a fixed pattern
 * from March. 719468 is the day number of 1970-01-01 in that reckoning. */

static int64_t days_from_civil(int64_t y, int m, int d) {
    if (m <= 2) y -= 1;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;                                   /* [0, 399] */
    int64_t mp = m > 2 ? m - 3 : m + 9;                            /* March = 0 */
    int64_t doy = (153 * mp + 2) / 5 + d - 1;                      /* [0, 365] */
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;           /* [0, 146096] */
    return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *yy, int *mm, int *dd) {
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int d = (int)(doy - (153 * mp + 2) / 5 + 1);
    int m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *yy = yoe + era * 400 + (m <= 2);
    *mm = m;
    *dd = d;
}

static bool is_leap(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

static int days_in_month(int64_t y, int m) {
    static const unsigned char dm[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : dm[m - 1];
}

int32_t hy_date_from_ymd(int y, int m, int d) { return (int32_t)days_from_civil(y, m, d); }

void hy_date_to_ymd(int32_t days, int *year, int *month, int *day) {
    int64_t y;
    civil_from_days(days, &y, month, day);
    *year = (int)y;
}

int hy_date_year(int32_t days) {
    int64_t y;
    int m, d;
    civil_from_days(days, &y, &m, &d);
    return (int)y;
}
int hy_date_month(int32_t days) {
    int64_t y;
    int m, d;
    civil_from_days(days, &y, &m, &d);
    return m;
}
int hy_date_day(int32_t days) {
    int64_t y;
    int m, d;
    civil_from_days(days, &y, &m, &d);
    return d;
}

static inline bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

bool hy_date_parse(const char *s, size_t len, int32_t *out) {
    size_t i = 0, n = len;
    while (i < n && is_space(s[i])) i++;
    while (n > i && is_space(s[n - 1])) n--;
    bool neg = false;
    if (i < n && s[i] == '-') {
        neg = true;
        i++;
    }
    int64_t y = 0;
    size_t st = i;
    while (i < n && s[i] >= '0' && s[i] <= '9' && i - st < 7) y = y * 10 + (s[i++] - '0');
    if (i - st < 1 || i >= n || s[i] != '-') return false;
    i++;
    int m = 0, d = 0;
    st = i;
    while (i < n && s[i] >= '0' && s[i] <= '9' && i - st < 2) m = m * 10 + (s[i++] - '0');
    if (i == st || i >= n || s[i] != '-') return false;
    i++;
    st = i;
    while (i < n && s[i] >= '0' && s[i] <= '9' && i - st < 2) d = d * 10 + (s[i++] - '0');
    if (i == st || i != n) return false;
    if (neg) y = -y;
    if (y < HY_DATE_MIN_YEAR || y > HY_DATE_MAX_YEAR) return false;
    if (m < 1 || m > 12 || d < 1 || d > days_in_month(y, m)) return false;
    *out = (int32_t)days_from_civil(y, m, d);
    return true;
}

static char *put_uint_pad(char *p, uint64_t v, int width) {
    char tmp[24];
    int k = 0;
    do {
        tmp[k++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (k < width) tmp[k++] = '0';
    while (k) *p++ = tmp[--k];
    return p;
}

int hy_date_format(int32_t days, char *buf) {
    int64_t y;
    int m, d;
    civil_from_days(days, &y, &m, &d);
    char *p = buf;
    if (y >= 0 && y <= 9999) {
        /* fast path: fixed layout */
        unsigned uy = (unsigned)y;
        p[0] = (char)('0' + uy / 1000);
        p[1] = (char)('0' + uy / 100 % 10);
        p[2] = (char)('0' + uy / 10 % 10);
        p[3] = (char)('0' + uy % 10);
        p[4] = '-';
        p[5] = (char)('0' + m / 10);
        p[6] = (char)('0' + m % 10);
        p[7] = '-';
        p[8] = (char)('0' + d / 10);
        p[9] = (char)('0' + d % 10);
        p[10] = '\0';
        return 10;
    }
    if (y < 0) {
        *p++ = '-';
        y = -y;
    }
    p = put_uint_pad(p, (uint64_t)y, 4);
    *p++ = '-';
    p = put_uint_pad(p, (uint64_t)m, 2);
    *p++ = '-';
    p = put_uint_pad(p, (uint64_t)d, 2);
    *p = '\0';
    return (int)(p - buf);
}

int32_t hy_date_add_months(int32_t days, int64_t months, bool *overflow) {
    int64_t y;
    int m, d;
    civil_from_days(days, &y, &m, &d);
    const int64_t lim = (int64_t)12 * 4000000;
    if (months > lim || months < -lim) {
        if (overflow) *overflow = true;
        return 0;
    }
    int64_t total = y * 12 + (m - 1) + months;
    int64_t ny = total >= 0 ? total / 12 : -((-total + 11) / 12);
    int nm = (int)(total - ny * 12) + 1;
    if (ny < HY_DATE_MIN_YEAR || ny > HY_DATE_MAX_YEAR) {
        if (overflow) *overflow = true;
        return 0;
    }
    int dim = days_in_month(ny, nm);
    if (d > dim) d = dim;
    if (overflow) *overflow = false;
    return (int32_t)days_from_civil(ny, nm, d);
}

/* ==== Decimals ============================================================================== */

#define P10_64(n) ((hy_i128)n##ULL)
#define E19 10000000000000000000ULL
const hy_i128 hy_pow10_i128[39] = {
    P10_64(1), P10_64(10), P10_64(100), P10_64(1000), P10_64(10000), P10_64(100000),
    P10_64(1000000), P10_64(10000000), P10_64(100000000), P10_64(1000000000),
    P10_64(10000000000), P10_64(100000000000), P10_64(1000000000000),
    P10_64(10000000000000), P10_64(100000000000000), P10_64(1000000000000000),
    P10_64(10000000000000000), P10_64(100000000000000000), P10_64(1000000000000000000),
    (hy_i128)E19, (hy_i128)E19 * 10, (hy_i128)E19 * 100, (hy_i128)E19 * 1000,
    (hy_i128)E19 * 10000, (hy_i128)E19 * 100000, (hy_i128)E19 * 1000000,
    (hy_i128)E19 * 10000000, (hy_i128)E19 * 100000000, (hy_i128)E19 * 1000000000,
    (hy_i128)E19 * 10000000000ULL, (hy_i128)E19 * 100000000000ULL,
    (hy_i128)E19 * 1000000000000ULL, (hy_i128)E19 * 10000000000000ULL,
    (hy_i128)E19 * 100000000000000ULL, (hy_i128)E19 * 1000000000000000ULL,
    (hy_i128)E19 * 10000000000000000ULL, (hy_i128)E19 * 100000000000000000ULL,
    (hy_i128)E19 * 1000000000000000000ULL, (hy_i128)E19 * E19,
};

static const uint64_t pow10_u64[20] = {
    1ULL, 10ULL, 100ULL, 1000ULL, 10000ULL, 100000ULL, 1000000ULL, 10000000ULL,
    100000000ULL, 1000000000ULL, 10000000000ULL, 100000000000ULL, 1000000000000ULL,
    10000000000000ULL, 100000000000000ULL, 1000000000000000ULL, 10000000000000000ULL,
    100000000000000000ULL, 1000000000000000000ULL, 10000000000000000000ULL};

typedef unsigned __int128 hy_u128;

static inline hy_u128 u128_abs(hy_i128 v) { return v < 0 ? -(hy_u128)v : (hy_u128)v; }

int hy_i128_digits(hy_i128 v) {
    hy_u128 a = u128_abs(v);
    if (a <= UINT64_MAX) {
        uint64_t x = (uint64_t)a;
        int d = 1;
        while (d < 20 && x >= pow10_u64[d]) d++;
        return d;
    }
    int d = 20;
    while (d < 39 && a >= (hy_u128)hy_pow10_i128[d]) d++;
    return d;
}

bool hy_dec_fits(hy_i128 v, int prec) {
    if (prec >= 39) return true;
    if (prec <= 0) return v == 0;
    return u128_abs(v) < (hy_u128)hy_pow10_i128[prec];
}

/* ---- Bitmaps ------------------------------------------------------------------------------ */

/* The k (1..64) low bits of w into dst bits [pos, pos+k). */
static inline void bits_put(uint64_t *dst, int64_t pos, uint64_t w, int k) {
    uint64_t mask = k == 64 ? ~(uint64_t)0 : (((uint64_t)1 << k) - 1);
    w &= mask;
    int64_t word = pos >> 6;
    int sh = (int)(pos & 63);
    dst[word] = (dst[word] & ~(mask << sh)) | (w << sh);
    if (sh && sh + k > 64) {
        int rem = sh + k - 64;
        uint64_t m2 = ((uint64_t)1 << rem) - 1;
        dst[word + 1] = (dst[word + 1] & ~m2) | (w >> (64 - sh));
    }
}

/* src bits [pos, pos+k) (k in 1..64) as the low bits of a word; reads no word past them. */
static inline uint64_t bits_get(const uint64_t *src, int64_t pos, int k) {
    int64_t word = pos >> 6;
    int sh = (int)(pos & 63);
    uint64_t w = src[word] >> sh;
    if (sh && sh + k > 64) w |= src[word + 1] << (64 - sh);
    return w;
}

void hy_bits_copy_at(uint64_t *dst, int64_t doff, const uint64_t *src, int64_t soff, int64_t n) {
    for (int64_t i = 0; i < n; i += 64) {
        int k = n - i < 64 ? (int)(n - i) : 64;
        bits_put(dst, doff + i, src ? bits_get(src, soff + i, k) : ~(uint64_t)0, k);
    }
}

hy_i128 hy_dec_rescale(hy_i128 v, int from_scale, int to_scale) {
    if (to_scale == from_scale) return v;
    /* The difference is computed in 64 bits: int scales far apart must not overflow. */
    long long diff = (long long)to_scale - from_scale;
    if (diff > 0) {
        /* Precondition: the result fits (callers check hy_dec_fits / overflow first). Defensive:
         * a shift beyond 10^38 or an overflowing product returns 0 instead of indexing past
         * hy_pow10_i128 or multiplying with undefined behaviour. */
        hy_i128 r;
        if (diff > 38 || __builtin_mul_overflow(v, hy_pow10_i128[diff], &r)) return 0;
        return r;
    }
    if (diff < -38) return 0; /* |v| < 2^127 < 10^39 / 2: dropping 39+ digits rounds to 0 */
    int k = (int)-diff;
    if (k <= 18 && v >= INT64_MIN && v <= INT64_MAX) {
        int64_t x = (int64_t)v, d = (int64_t)pow10_u64[k];
        int64_t q = x / d, r = x % d;
        if (r < 0) r = -r;
        if (r >= d - r) q += x < 0 ? -1 : 1;
        return q;
    }
    hy_i128 d = hy_pow10_i128[k];
    hy_i128 q = v / d, r = v % d;
    if (r < 0) r = -r;
    if (r >= d - r) q += v < 0 ? -1 : 1;
    return q;
}

hy_parse_status hy_dec_parse_st(const char *s, size_t len, int prec, int scale, hy_i128 *out) {
    size_t i = 0, n = len;
    while (i < n && is_space(s[i])) i++;
    while (n > i && is_space(s[n - 1])) n--;
    bool neg = false;
    if (i < n && (s[i] == '-' || s[i] == '+')) neg = s[i++] == '-';
    if (prec < 1 || prec > HY_DEC_MAX_PREC) prec = HY_DEC_MAX_PREC;

    /* Fast path: plain digits with an optional fraction no longer than `scale`, small enough
     * for 64-bit arithmetic (the common case of CSV and literals). */
    {
        size_t j = i;
        uint64_t ip = 0, fp = 0;
        int nd = 0, fd = 0;
        while (j < n && (unsigned)(s[j] - '0') < 10 && nd < 19) ip = ip * 10 + (uint64_t)(s[j++] - '0'), nd++;
        bool ok = nd > 0 || (j < n && s[j] == '.');
        if (j < n && s[j] == '.') {
            j++;
            while (j < n && (unsigned)(s[j] - '0') < 10 && fd <= scale) fp = fp * 10 + (uint64_t)(s[j++] - '0'), fd++;
        }
        if (ok && j == n && nd + fd > 0 && fd <= scale && nd + scale <= 18) {
            uint64_t v = ip * pow10_u64[scale] + fp * pow10_u64[scale - fd];
            if (prec <= 18 && v >= pow10_u64[prec]) return HY_PARSE_RANGE;
            *out = neg ? -(hy_i128)v : (hy_i128)v;
            return HY_PARSE_OK;
        }
    }

    /* General path: significant digits D (leading zeros dropped), value = 0.D * 10^point. */
    char dig[40];
    int nsig = 0, ndigits = 0;
    int64_t point = 0;
    bool seen_point = false;
    for (; i < n; i++) {
        char c = s[i];
        if (c >= '0' && c <= '9') {
            ndigits++;
            if (nsig == 0 && c == '0') {
                if (seen_point) point--;
                continue;
            }
            if (nsig < (int)sizeof dig) dig[nsig] = c;
            nsig++;
            if (!seen_point) point++;
        } else if (c == '.' && !seen_point) {
            seen_point = true;
        } else {
            break;
        }
    }
    if (ndigits == 0) return HY_PARSE_SYNTAX;
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        bool eneg = false;
        if (i < n && (s[i] == '-' || s[i] == '+')) eneg = s[i++] == '-';
        size_t st = i;
        int64_t e = 0;
        while (i < n && s[i] >= '0' && s[i] <= '9') {
            if (e < 1000000) e = e * 10 + (s[i] - '0');
            i++;
        }
        if (i == st) return HY_PARSE_SYNTAX;
        point += eneg ? -e : e;
    }
    if (i != n) return HY_PARSE_SYNTAX;
    if (nsig == 0) {
        *out = 0;
        return HY_PARSE_OK;
    }
    int64_t kept = point + scale; /* digits of D left of the scaled decimal point */
    if (kept > prec) return HY_PARSE_RANGE;
    hy_i128 r = 0;
    if (kept >= 0) {
        for (int64_t k = 0; k < kept; k++) r = r * 10 + (k < nsig ? dig[k] - '0' : 0);
        if (kept < nsig && kept < (int64_t)sizeof dig && dig[kept] >= '5') r++;
    }
    if (!hy_dec_fits(r, prec)) return HY_PARSE_RANGE;
    *out = neg ? -r : r;
    return HY_PARSE_OK;
}

bool hy_dec_parse(const char *s, size_t len, int prec, int scale, hy_i128 *out) {
    return hy_dec_parse_st(s, len, prec, scale, out) == HY_PARSE_OK;
}

int hy_dec_format(hy_i128 v, int scale, char *buf, size_t cap) {
    char tmp[48];
    char *e = tmp + sizeof tmp, *p = e;
    hy_u128 a = u128_abs(v);
    int nd = 0;
    if (a <= UINT64_MAX) {
        uint64_t x = (uint64_t)a;
        do {
            *--p = (char)('0' + x % 10);
            x /= 10;
            if (++nd == scale) *--p = '.';
        } while (x || nd <= scale);
    } else {
        do {
            *--p = (char)('0' + (int)(a % 10));
            a /= 10;
            if (++nd == scale) *--p = '.';
        } while (a || nd <= scale);
    }
    if (v < 0) *--p = '-';
    int len = (int)(e - p);
    if (cap) {
        size_t k = (size_t)len < cap ? (size_t)len : cap - 1;
        memcpy(buf, p, k);
        buf[k] = '\0';
    }
    return len;
}

/* ==== String heap =========================================================================== */

struct hy_strheap_block {
    hy_strheap_block *next;
    size_t cap, used;
    char data[];
};

#define STRHEAP_FIRST_BLOCK 1024
#define STRHEAP_MAX_BLOCK (4u << 20)

void hy_strheap_init(hy_strheap *h) {
    h->head = NULL;
    h->bytes = 0;
}

void hy_strheap_free(hy_strheap *h) {
    hy_strheap_block *b = h->head;
    while (b) {
        hy_strheap_block *n = b->next;
        free(b);
        b = n;
    }
    h->head = NULL;
    h->bytes = 0;
}

static hy_strheap_block *strheap_grow(hy_strheap *h, size_t need) {
    size_t cap = h->head ? h->head->cap * 2 : STRHEAP_FIRST_BLOCK;
    if (cap > STRHEAP_MAX_BLOCK) cap = STRHEAP_MAX_BLOCK;
    if (cap < need) cap = need;
    hy_strheap_block *b = malloc(sizeof *b + cap);
    if (!b) {
        fprintf(stderr, "hyperion: out of memory (string heap block of %zu bytes)\n", cap);
        abort();
    }
    b->cap = cap;
    b->used = 0;
    b->next = h->head; /* always the new head: mark/rollback relies on it */
    h->head = b;
    return b;
}

char *hy_strheap_reserve(hy_strheap *h, size_t n) {
    hy_strheap_block *b = h->head;
    if (!b || b->cap - b->used < n) b = strheap_grow(h, n);
    char *p = b->data + b->used;
    b->used += n;
    h->bytes += n;
    return p;
}

hy_str hy_strheap_add(hy_strheap *h, const char *p, size_t n) {
    if (!hy_str_len_ok(n)) { /* internal invariant (see types.h): never truncate silently */
        fprintf(stderr, "hyperion: internal error: string of %zu bytes exceeds the %u-byte limit\n",
                n, (unsigned)HY_STR_MAX_LEN);
        abort();
    }
    char *d = hy_strheap_reserve(h, n + 1);
    if (n) memcpy(d, p, n);
    d[n] = '\0';
    hy_str s = {d, (uint32_t)n};
    return s;
}

hy_strheap_mark hy_strheap_save(const hy_strheap *h) {
    hy_strheap_mark m = {h->head, h->head ? h->head->used : 0, h->bytes};
    return m;
}

void hy_strheap_rollback(hy_strheap *h, hy_strheap_mark m) {
    while (h->head && h->head != m.head) {
        hy_strheap_block *n = h->head->next;
        free(h->head);
        h->head = n;
    }
    if (h->head) h->head->used = m.used;
    h->bytes = m.bytes;
}
