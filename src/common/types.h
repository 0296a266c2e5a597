/*
 * SQL types, their physical representation, scalar values and vectors.
 *
 * Physical representation (the same in tables, vectors and results):
 *   BOOLEAN  uint8_t (0/1)           INTEGER  int32_t          BIGINT  int64_t
 *   DOUBLE   double                  DATE     int32_t days since 1970-01-01
 *   DECIMAL(p,s)  p <= 18: int64_t value*10^s;  19 <= p <= 38: hy_i128 value*10^s
 *   VARCHAR  hy_str {ptr,len}, bytes owned by the table's / result's string heap
 * Validity: bitmap of uint64_t words, bit i set = row i is NOT NULL; a NULL bitmap
 * pointer means "all valid".
 */
#ifndef HY_COMMON_TYPES_H
#define HY_COMMON_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hyperion.h" /* hy_type */
#include "common/error.h"

typedef __int128 hy_i128;

#define HY_DEC_MAX_STORED_PREC 18
#define HY_DEC_MAX_PREC 38

typedef struct hy_ltype {
    hy_type id;
    uint8_t prec;  /* DECIMAL only */
    uint8_t scale; /* DECIMAL only */
} hy_ltype;

typedef struct hy_str {
    const char *ptr;
    uint32_t len;
} hy_str;
/* [added] Longest string value: one less than UINT32_MAX so that len + 1 (the NUL) still fits
 * a uint32_t. Every producer of a new string (concat, casts, CSV, the heap) keeps to it. */
#define HY_STR_MAX_LEN (UINT32_MAX - 1u)
static inline bool hy_str_len_ok(size_t n) { return n <= HY_STR_MAX_LEN; }

static inline hy_ltype hy_lt(hy_type id) { hy_ltype t = {id, 0, 0}; return t; }
static inline hy_ltype hy_lt_dec(int prec, int scale) {
    hy_ltype t = {HY_TYPE_DECIMAL, (uint8_t)prec, (uint8_t)scale};
    return t;
}
static inline bool hy_lt_eq(hy_ltype a, hy_ltype b) {
    return a.id == b.id && (a.id != HY_TYPE_DECIMAL || (a.prec == b.prec && a.scale == b.scale));
}
static inline bool hy_dec_is_wide(hy_ltype t) { return t.id == HY_TYPE_DECIMAL && t.prec > 18; }
/* Bytes per value in the physical representation (hy_str for VARCHAR). */
size_t hy_lt_width(hy_ltype t);
/* "INTEGER", "DECIMAL(15,2)", ... into buf; returns buf. */
const char *hy_lt_name(hy_ltype t, char *buf, size_t cap);

/* A scalar value (constants, zone-map bounds, single cells). */
typedef struct hy_value {
    hy_ltype type;
    bool is_null;
    union {
        int64_t i;   /* BOOLEAN, INTEGER, BIGINT, DATE, DECIMAL p<=18 */
        double f;    /* DOUBLE */
        hy_i128 d;   /* DECIMAL p>18 */
        hy_str s;    /* VARCHAR */
    } v;
} hy_value;

/* A column vector: n values of one type plus validity. */
typedef struct hy_vec {
    hy_ltype type;
    int64_t n;
    void *data;         /* n * hy_lt_width(type) bytes */
    uint64_t *validity; /* NULL = all valid */
} hy_vec;

static inline bool hy_valid_get(const uint64_t *v, int64_t i) {
    return v == NULL || ((v[i >> 6] >> (i & 63)) & 1);
}
static inline void hy_valid_set(uint64_t *v, int64_t i, bool valid) {
    if (valid) v[i >> 6] |= (uint64_t)1 << (i & 63);
    else v[i >> 6] &= ~((uint64_t)1 << (i & 63));
}
static inline size_t hy_valid_words(int64_t n) { return (size_t)((n + 63) >> 6); }
/* [added] dst bits [doff, doff+n) = src bits [soff, soff+n), a word at a time (src NULL = all
 * valid). Bits of dst outside the range are kept; src words beyond the range are not read. */
void hy_bits_copy_at(uint64_t *dst, int64_t doff, const uint64_t *src, int64_t soff, int64_t n);

/* ---- Dates (proleptic Gregorian) -------------------------------------------------------- */
int32_t hy_date_from_ymd(int y, int m, int d);
/* void hy_date_to_ymd(int32_t days, int *y, int *m, int *d); -- declared in hyperion.h */
/* Strict "YYYY-MM-DD" (also accepts surrounding spaces); false on a bad/nonexistent date. */
bool hy_date_parse(const char *s, size_t len, int32_t *out);
/* Writes "YYYY-MM-DD" (11 bytes with NUL) for years 0..9999; returns length. Years outside
 * that print with more digits / a leading '-' (astronomical numbering, year 0 = 1 BC), up to
 * HY_DATE_FMT_MAX bytes including the NUL for any int32 day number. */
int hy_date_format(int32_t days, char *buf);
/* [added by S] Supported date range (parse, add_months): years -999999 .. 999999. Date
 * arithmetic should reject results outside [HY_DATE_MIN_DAYS, HY_DATE_MAX_DAYS] with
 * "date out of range". */
#define HY_DATE_FMT_MAX 16
#define HY_DATE_MIN_YEAR (-999999)
#define HY_DATE_MAX_YEAR 999999
#define HY_DATE_MIN_DAYS (-365961662) /* -999999-01-01 */
#define HY_DATE_MAX_DAYS 364522971    /* 999999-12-31 */
static inline bool hy_date_in_range(int64_t days) {
    return days >= HY_DATE_MIN_DAYS && days <= HY_DATE_MAX_DAYS;
}
/* date + n months, clamping the day to the month's end (Jan 31 + 1 month = Feb 28/29). */
int32_t hy_date_add_months(int32_t days, int64_t months, bool *overflow);
/* EXTRACT fields. */
int hy_date_year(int32_t days);
int hy_date_month(int32_t days);
int hy_date_day(int32_t days);

/* [added by S] Result of the *_st parsers: distinguishes bad text from out-of-range values so
 * callers can report "invalid input syntax ..." vs "... out of range". */
typedef enum hy_parse_status { HY_PARSE_OK = 0, HY_PARSE_SYNTAX, HY_PARSE_RANGE } hy_parse_status;

/* ---- Decimals ---------------------------------------------------------------------------- */
extern const hy_i128 hy_pow10_i128[39]; /* 10^0 .. 10^38 */
/* Parse "-123.4567" into value*10^scale, rounding half away from zero beyond scale; fails
 * (false) on syntax errors or when the result needs more than prec digits. Accepts an
 * exponent ("1.5e3"). */
bool hy_dec_parse(const char *s, size_t len, int prec, int scale, hy_i128 *out);
hy_parse_status hy_dec_parse_st(const char *s, size_t len, int prec, int scale, hy_i128 *out);
/* Text with exactly `scale` fractional digits ("37580631.00", "-0.05"); returns length. */
int hy_dec_format(hy_i128 v, int scale, char *buf, size_t cap);
/* Change scale; rounding half away from zero when reducing (reducing by more than 38 digits
 * gives 0). Increasing requires the result to fit in 128 bits (callers check first); if it does
 * not, or the increase exceeds 38 digits, 0 is returned rather than invoking UB. Any int
 * scales are accepted without overflow. */
hy_i128 hy_dec_rescale(hy_i128 v, int from_scale, int to_scale);
/* Number of decimal digits of |v| (0 has 1 digit). */
int hy_i128_digits(hy_i128 v);
/* Does |v| fit into prec digits? */
bool hy_dec_fits(hy_i128 v, int prec);

/* ---- Doubles and integers as text ------------------------------------------------------- */
/* Shortest text that reads back to the same double ("0.1", "1e+20", "inf", "nan", "-0.0"
 * style chosen to match DuckDB where possible); returns length. */
int hy_double_format(double v, char *buf, size_t cap);
bool hy_parse_i64(const char *s, size_t len, int64_t *out); /* overflow -> false */
bool hy_parse_double(const char *s, size_t len, double *out);
bool hy_parse_bool(const char *s, size_t len, bool *out); /* true/false/t/f/1/0/yes/no/y/n/on/off */
/* [added by S] Status variants (surrounding spaces are trimmed; no allocation). */
hy_parse_status hy_parse_i64_st(const char *s, size_t len, int64_t *out);
hy_parse_status hy_parse_double_st(const char *s, size_t len, double *out);
/* [added by S] Decimal text of v into buf (>= 21 bytes), NUL-terminated; returns length. */
int hy_i64_format(int64_t v, char *buf);

/* ---- Values -------------------------------------------------------------------------------- */
/* Canonical text of a value (as the shell prints it); NULL prints as "" . Returns the full
 * length; writes at most cap bytes including the NUL (snprintf-like). */
int hy_value_format(const hy_value *v, char *buf, size_t cap);
/* Cast a scalar value (used for constants and for CSV/INSERT conversion); string results are
 * allocated with malloc-free storage provided by the caller via `heap`, may be NULL if the
 * target is not VARCHAR. Errors (overflow, bad text) go to err with HY_E_RANGE/HY_E_DATA.
 * Semantics (S): text -> number/date/bool trims spaces and rejects anything else
 * ('invalid input syntax for type INTEGER: "x"'); DOUBLE -> INTEGER/BIGINT rounds half to
 * even (rint, as PostgreSQL); DECIMAL -> integer and DECIMAL -> DECIMAL round half away from
 * zero; DOUBLE -> DECIMAL goes through the double's shortest text; overflow gives HY_E_RANGE
 * "integer out of range" / "BIGINT out of range" / "DECIMAL(p,s) out of range"; numbers <->
 * BOOLEAN (non-zero = true); DATE only <-> DATE/VARCHAR (else HY_E_TYPE "cannot cast X to
 * Y"); VARCHAR -> VARCHAR returns the input bytes without copying. */
struct hy_strheap;
bool hy_value_cast(const hy_value *in, hy_ltype to, hy_value *out, struct hy_strheap *heap,
                   hy_error *err);
/* Total order for MIN/MAX/ORDER BY/zone maps of two non-NULL values of the same type:
 * <0, 0, >0. Doubles: -0.0 == 0.0, NaN sorts after everything. Strings: bytewise. */
int hy_value_cmp(const hy_value *a, const hy_value *b);

/* ---- String heap: owns VARCHAR bytes of a table or a result ------------------------------ */
typedef struct hy_strheap_block hy_strheap_block;
typedef struct hy_strheap {
    hy_strheap_block *head;
    size_t bytes;
} hy_strheap;
void hy_strheap_init(hy_strheap *h);
void hy_strheap_free(hy_strheap *h);
/* Copy n bytes (plus a NUL terminator) into the heap. Precondition: hy_str_len_ok(n) (callers
 * copy existing hy_str values or check first); a violation aborts with a message rather than
 * truncating the length. */
hy_str hy_strheap_add(hy_strheap *h, const char *p, size_t n);
/* [added by S] Reserve n raw bytes (no NUL added) to fill in place, e.g. for a computed
 * string; aborts only if malloc fails. */
char *hy_strheap_reserve(hy_strheap *h, size_t n);
/* Mark/rollback so a failed bulk load frees what it added. */
typedef struct hy_strheap_mark {
    hy_strheap_block *head;
    size_t used;
    size_t bytes;
} hy_strheap_mark;
hy_strheap_mark hy_strheap_save(const hy_strheap *h);
void hy_strheap_rollback(hy_strheap *h, hy_strheap_mark m);

#endif
