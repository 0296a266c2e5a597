/* Unit tests for src/common: errors, arena, dates, decimals, number text, casts, compare,
 * string heap. Expected values come from independent sources (Python's datetime for day
 * numbers, hand computation, a naive calendar walker, strtod for round trips). */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "check.h"
#include "common/arena.h"
#include "common/error.h"
#include "common/types.h"

/* ---- errors and arena ---------------------------------------------------------------------- */

static void test_error(void) {
    hy_error e;
    hy_error_clear(&e);
    CHECK(!hy_failed(&e));
    CHECK(!hy_error_set(&e, HY_E_DIVZERO, "division by zero"));
    CHECK(e.code == HY_E_DIVZERO);
    hy_error_set(&e, HY_E_RANGE, "second");
    CHECK(e.code == HY_E_DIVZERO); /* sticky: first wins */
    CHECK_STR(e.msg, "division by zero");
    hy_error_clear(&e);
    const char *sql = "SELECT 1\n  FROM\tx";
    hy_error_at(&e, HY_E_SYNTAX, sql, 11, "syntax error at or near \"%s\"", "FROM");
    CHECK(e.line == 2 && e.col == 3);
    CHECK_STR(e.msg, "line 2:3: syntax error at or near \"FROM\"");
    int l, c;
    hy_text_position(sql, 0, &l, &c);
    CHECK(l == 1 && c == 1);
    hy_text_position(sql, 1000, &l, &c); /* clamped to the end */
    CHECK(l == 2 && c == (int)strlen("  FROM\tx") + 1);
    hy_text_position(sql, 8, &l, &c); /* the newline itself belongs to line 1 */
    CHECK(l == 1 && c == 9);
}

static void test_arena(void) {
    hy_arena a;
    hy_arena_init(&a);
    for (int i = 1; i < 3000; i += 7) {
        unsigned char *p = hy_arena_alloc(&a, (size_t)i);
        CHECK(((uintptr_t)p & 15) == 0);
        for (int k = 0; k < i; k++) CHECK(p[k] == 0);
        memset(p, 0xAB, (size_t)i);
    }
    char *big = hy_arena_alloc(&a, 5u << 20);
    CHECK(big && big[0] == 0 && big[(5u << 20) - 1] == 0);
    char *s = hy_arena_strndup(&a, "hello world", 5);
    CHECK_STR(s, "hello");
    CHECK_STR(hy_arena_strdup(&a, "x y"), "x y");
    hy_arena_free(&a);
    CHECK(a.head == NULL);
}

/* ---- dates --------------------------------------------------------------------------------- */

static int naive_dim(int y, int m) {
    static const int d[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : d[m - 1];
}

static void test_dates(void) {
    /* anchors computed with Python: (date(y,m,d) - date(1970,1,1)).days */
    struct { int y, m, d; int32_t days; } anchors[] = {
        {1970, 1, 1, 0},          {1969, 12, 31, -1},      {1992, 1, 1, 8035},
        {1995, 6, 17, 9298},      {1998, 12, 31, 10591},   {2000, 2, 29, 11016},
        {1, 1, 1, -719162},       {9999, 12, 31, 2932896}, {1600, 2, 29, -135081},
        {2024, 2, 29, 19782}};
    char buf[HY_DATE_FMT_MAX];
    for (size_t i = 0; i < sizeof anchors / sizeof anchors[0]; i++) {
        CHECK(hy_date_from_ymd(anchors[i].y, anchors[i].m, anchors[i].d) == anchors[i].days);
        char want[16];
        snprintf(want, sizeof want, "%04d-%02d-%02d", anchors[i].y, anchors[i].m, anchors[i].d);
        CHECK(hy_date_format(anchors[i].days, buf) == 10);
        CHECK_STR(buf, want);
        int32_t p;
        CHECK(hy_date_parse(want, strlen(want), &p) && p == anchors[i].days);
    }
    /* walk the calendar day by day from 1970-01-01 forward to 9999-12-31 and backward to
     * 0001-01-01 with a naive counter; every day must agree with the closed form */
    int y = 1970, m = 1, d = 1;
    for (int32_t days = 0; days <= 2932896; days++) {
        int yy, mm, dd;
        hy_date_to_ymd(days, &yy, &mm, &dd);
        if (yy != y || mm != m || dd != d) {
            CHECK_MSG(0, "day %d: got %d-%d-%d want %d-%d-%d", days, yy, mm, dd, y, m, d);
            break;
        }
        if (days % 97 == 0) {
            CHECK(hy_date_from_ymd(y, m, d) == days);
            CHECK(hy_date_year(days) == y && hy_date_month(days) == m && hy_date_day(days) == d);
            int n = hy_date_format(days, buf);
            int32_t back;
            CHECK(hy_date_parse(buf, (size_t)n, &back) && back == days);
        }
        if (++d > naive_dim(y, m)) {
            d = 1;
            if (++m > 12) m = 1, y++;
        }
    }
    y = 1969, m = 12, d = 31;
    for (int32_t days = -1; days >= -719162; days--) {
        int yy, mm, dd;
        hy_date_to_ymd(days, &yy, &mm, &dd);
        if (yy != y || mm != m || dd != d) {
            CHECK_MSG(0, "day %d: got %d-%d-%d want %d-%d-%d", days, yy, mm, dd, y, m, d);
            break;
        }
        if (days % 89 == 0) CHECK(hy_date_from_ymd(y, m, d) == days);
        if (--d == 0) {
            if (--m == 0) m = 12, y--;
            d = naive_dim(y, m);
        }
    }
    /* leap-year validity */
    int32_t out;
    CHECK(hy_date_parse("2000-02-29", 10, &out));
    CHECK(!hy_date_parse("1900-02-29", 10, &out));
    CHECK(!hy_date_parse("2100-02-29", 10, &out));
    CHECK(hy_date_parse("2400-02-29", 10, &out));
    CHECK(!hy_date_parse("2023-02-29", 10, &out));
    CHECK(hy_date_parse("2024-02-29", 10, &out) && out == 19782);
    const char *bad[] = {"1992-13-01", "1992-00-10", "1992-02-30", "1992-04-31", "abc", "1992-1",
                         "", "1992-01-01x", "1992/01/01", "19920101", "1992-01-001", "-",
                         "1992--01-01", "1992-01-00"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        CHECK_MSG(!hy_date_parse(bad[i], strlen(bad[i]), &out), "accepted \"%s\"", bad[i]);
    CHECK(hy_date_parse("  1992-01-01 ", 13, &out) && out == 8035);
    CHECK(hy_date_parse("1992-1-1", 8, &out) && out == 8035);
    /* non-4-digit years round trip */
    int32_t far[] = {hy_date_from_ymd(12345, 6, 7), hy_date_from_ymd(0, 1, 1),
                     hy_date_from_ymd(-44, 3, 15), HY_DATE_MIN_DAYS, HY_DATE_MAX_DAYS};
    for (size_t i = 0; i < sizeof far / sizeof far[0]; i++) {
        int n = hy_date_format(far[i], buf);
        CHECK(n < HY_DATE_FMT_MAX);
        CHECK_MSG(hy_date_parse(buf, (size_t)n, &out) && out == far[i], "%s", buf);
    }
    hy_date_format(hy_date_from_ymd(12345, 6, 7), buf);
    CHECK_STR(buf, "12345-06-07");
    hy_date_format(hy_date_from_ymd(-44, 3, 15), buf);
    CHECK_STR(buf, "-0044-03-15");
    hy_date_format(INT32_MIN, buf); /* any int32 fits the buffer */
    CHECK(strlen(buf) < HY_DATE_FMT_MAX);
    hy_date_format(INT32_MAX, buf);
    CHECK(strlen(buf) < HY_DATE_FMT_MAX);
}

static void test_add_months(void) {
    bool ovf;
    struct { int y, m, d; int64_t k; int ry, rm, rd; } c[] = {
        {2000, 1, 31, 1, 2000, 2, 29},  {1999, 1, 31, 1, 1999, 2, 28},
        {2000, 3, 31, -1, 2000, 2, 29}, {2001, 3, 31, -1, 2001, 2, 28},
        {2000, 2, 29, 12, 2001, 2, 28}, {2000, 2, 29, 48, 2004, 2, 29},
        {1995, 12, 15, 1, 1996, 1, 15}, {1996, 1, 15, -1, 1995, 12, 15},
        {1998, 12, 1, -3, 1998, 9, 1},  {2000, 5, 31, -14, 1999, 3, 31},
        {2000, 5, 31, -15, 1999, 2, 28}, {1970, 1, 1, -12 * 1971, -1, 1, 1},
        {1994, 1, 1, 0, 1994, 1, 1},    {2023, 8, 31, 1, 2023, 9, 30}};
    for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
        int32_t r = hy_date_add_months(hy_date_from_ymd(c[i].y, c[i].m, c[i].d), c[i].k, &ovf);
        CHECK(!ovf);
        CHECK_MSG(r == hy_date_from_ymd(c[i].ry, c[i].rm, c[i].rd), "case %zu", i);
    }
    hy_date_add_months(0, INT64_MAX, &ovf);
    CHECK(ovf);
    hy_date_add_months(0, INT64_MIN, &ovf);
    CHECK(ovf);
    hy_date_add_months(HY_DATE_MAX_DAYS, 1, &ovf);
    CHECK(ovf);
    hy_date_add_months(HY_DATE_MAX_DAYS, -1, &ovf);
    CHECK(!ovf);
    /* random cases against a naive month stepper */
    unsigned long long s = 12345;
    for (int i = 0; i < 4000; i++) {
        int y = 1 + (int)(test_rand(&s) % 9000), m = 1 + (int)(test_rand(&s) % 12);
        int d = 1 + (int)(test_rand(&s) % naive_dim(y, m));
        int k = (int)(test_rand(&s) % 1201) - 600;
        int ny = y, nm = m;
        for (int j = 0; j < (k < 0 ? -k : k); j++) {
            if (k > 0) { if (++nm > 12) nm = 1, ny++; }
            else { if (--nm < 1) nm = 12, ny--; }
        }
        int nd = d > naive_dim(ny, nm) ? naive_dim(ny, nm) : d;
        int32_t r = hy_date_add_months(hy_date_from_ymd(y, m, d), k, &ovf);
        if (ny < 1) continue;
        CHECK_MSG(!ovf && r == hy_date_from_ymd(ny, nm, nd), "%d-%d-%d + %d", y, m, d, k);
    }
}

/* ---- decimals ------------------------------------------------------------------------------- */

static hy_i128 i128_from_str(const char *s) {
    bool neg = *s == '-';
    if (neg) s++;
    hy_i128 v = 0;
    for (; *s; s++) v = v * 10 + (*s - '0');
    return neg ? -v : v;
}

static void test_decimals(void) {
    /* powers of ten */
    hy_i128 p = 1;
    for (int k = 0; k <= 38; k++) {
        CHECK(hy_pow10_i128[k] == p);
        if (k < 38) p *= 10;
    }
    struct { const char *s; int prec, scale; int st; const char *want; } c[] = {
        {"123.456", 15, 2, HY_PARSE_OK, "12346"},
        {"123.454", 15, 2, HY_PARSE_OK, "12345"},
        {"-123.455", 15, 2, HY_PARSE_OK, "-12346"},
        {"-0.005", 15, 2, HY_PARSE_OK, "-1"},
        {"0.005", 15, 2, HY_PARSE_OK, "1"},
        {"0.0049999", 15, 2, HY_PARSE_OK, "0"},
        {"-0.004", 15, 2, HY_PARSE_OK, "0"},
        {"1e3", 15, 2, HY_PARSE_OK, "100000"},
        {"1.5e-1", 15, 2, HY_PARSE_OK, "15"},
        {"1.5E+2", 15, 0, HY_PARSE_OK, "150"},
        {"25e-1", 15, 0, HY_PARSE_OK, "3"},
        {"-25e-1", 15, 0, HY_PARSE_OK, "-3"},
        {" 42 ", 5, 0, HY_PARSE_OK, "42"},
        {"+5", 5, 1, HY_PARSE_OK, "50"},
        {".5", 5, 2, HY_PARSE_OK, "50"},
        {"5.", 5, 2, HY_PARSE_OK, "500"},
        {"000000000000000000000000000000000000000000012.5", 4, 1, HY_PARSE_OK, "125"},
        {"0.00000000000000000000000000000000000000000000001", 38, 10, HY_PARSE_OK, "0"},
        {"12345678901234567890123456789012345678", 38, 0, HY_PARSE_OK,
         "12345678901234567890123456789012345678"},
        {"-99999999999999999999999999999999999999", 38, 0, HY_PARSE_OK,
         "-99999999999999999999999999999999999999"},
        {"123456789012345678901234567890123456789", 38, 0, HY_PARSE_RANGE, NULL},
        {"99999999999999999999999999999999999999.5", 38, 0, HY_PARSE_RANGE, NULL},
        {"9999999999999.995", 15, 2, HY_PARSE_RANGE, NULL},
        {"9999999999999.994", 15, 2, HY_PARSE_OK, "999999999999999"},
        {"1234567890123.45", 15, 2, HY_PARSE_OK, "123456789012345"},
        {"12345678901234.5", 15, 2, HY_PARSE_RANGE, NULL},
        {"100", 2, 0, HY_PARSE_RANGE, NULL},
        {"99.99", 4, 2, HY_PARSE_OK, "9999"},
        {"99.995", 4, 2, HY_PARSE_RANGE, NULL},
        {"1e-400", 10, 2, HY_PARSE_OK, "0"},
        {"1e400", 10, 2, HY_PARSE_RANGE, NULL},
        {"0e999999999", 10, 2, HY_PARSE_OK, "0"},
        {"0.000", 10, 2, HY_PARSE_OK, "0"},
        {"-0", 10, 2, HY_PARSE_OK, "0"},
        {"", 10, 2, HY_PARSE_SYNTAX, NULL},
        {".", 10, 2, HY_PARSE_SYNTAX, NULL},
        {"-", 10, 2, HY_PARSE_SYNTAX, NULL},
        {"1.2.3", 10, 2, HY_PARSE_SYNTAX, NULL},
        {"1e", 10, 2, HY_PARSE_SYNTAX, NULL},
        {"1e+", 10, 2, HY_PARSE_SYNTAX, NULL},
        {"abc", 10, 2, HY_PARSE_SYNTAX, NULL},
        {"1 2", 10, 2, HY_PARSE_SYNTAX, NULL},
        {"0x10", 10, 2, HY_PARSE_SYNTAX, NULL},
        {"--1", 10, 2, HY_PARSE_SYNTAX, NULL},
        {"1,5", 10, 2, HY_PARSE_SYNTAX, NULL},
    };
    for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
        hy_i128 v = 7;
        int st = hy_dec_parse_st(c[i].s, strlen(c[i].s), c[i].prec, c[i].scale, &v);
        CHECK_MSG(st == c[i].st, "\"%s\" (%d,%d): status %d want %d", c[i].s, c[i].prec,
                  c[i].scale, st, c[i].st);
        if (st == HY_PARSE_OK && c[i].want)
            CHECK_MSG(v == i128_from_str(c[i].want), "\"%s\" (%d,%d)", c[i].s, c[i].prec,
                      c[i].scale);
        CHECK(hy_dec_parse(c[i].s, strlen(c[i].s), c[i].prec, c[i].scale, &v) ==
              (c[i].st == HY_PARSE_OK));
    }
    /* format */
    char buf[64];
    struct { const char *v; int scale; const char *want; } f[] = {
        {"12345", 2, "123.45"}, {"-5", 2, "-0.05"}, {"0", 2, "0.00"}, {"0", 0, "0"},
        {"-1", 0, "-1"}, {"3758063100", 2, "37580631.00"}, {"1", 5, "0.00001"},
        {"-99999999999999999999999999999999999999", 0, "-99999999999999999999999999999999999999"},
        {"99999999999999999999999999999999999999", 38, "0.99999999999999999999999999999999999999"},
        {"-12345678901234567890123456789", 10, "-1234567890123456789.0123456789"},
        {"18446744073709551616", 1, "1844674407370955161.6"}};
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++) {
        int n = hy_dec_format(i128_from_str(f[i].v), f[i].scale, buf, sizeof buf);
        CHECK_STR(buf, f[i].want);
        CHECK(n == (int)strlen(f[i].want));
    }
    CHECK(hy_dec_format(12345, 2, buf, 4) == 6 && strcmp(buf, "123") == 0); /* truncated */
    /* rescale: half away from zero */
    CHECK(hy_dec_rescale(12345, 2, 0) == 123);
    CHECK(hy_dec_rescale(12350, 2, 0) == 124);
    CHECK(hy_dec_rescale(-12350, 2, 0) == -124);
    CHECK(hy_dec_rescale(-12349, 2, 0) == -123);
    CHECK(hy_dec_rescale(5, 1, 0) == 1 && hy_dec_rescale(-5, 1, 0) == -1);
    CHECK(hy_dec_rescale(4, 1, 0) == 0);
    CHECK(hy_dec_rescale(123, 0, 3) == 123000);
    CHECK(hy_dec_rescale(hy_pow10_i128[38] - 1, 38, 0) == 1);
    CHECK(hy_dec_rescale(-(hy_pow10_i128[37] * 5), 38, 0) == -1);
    CHECK(hy_dec_rescale(hy_pow10_i128[37] * 5 - 1, 38, 0) == 0);
    /* Extreme scale differences: no int overflow in to-from, no index past 10^38. Reducing by
     * 39+ digits rounds any 128-bit value to 0; an increase that cannot fit returns 0. */
    hy_i128 i128max = (hy_i128)(((unsigned __int128)1 << 127) - 1);
    CHECK(hy_dec_rescale(15, 1, -2147483647 - 1) == 0);
    CHECK(hy_dec_rescale(-15, 2147483647, -2147483647 - 1) == 0);
    CHECK(hy_dec_rescale(i128max, 39, 0) == 0);
    CHECK(hy_dec_rescale(-i128max, 39, 0) == 0);
    CHECK(hy_dec_rescale(i128max, 38, 0) == 2); /* 1.70141...e38 / 1e38 -> 2 */
    CHECK(hy_dec_rescale(1, 0, 38) == hy_pow10_i128[38]);
    CHECK(hy_dec_rescale(1, 0, 39) == 0);
    CHECK(hy_dec_rescale(2, -2147483647 - 1, 2147483647) == 0);
    CHECK(hy_dec_rescale(i128max, 0, 1) == 0); /* overflowing product: defined result */
    /* digits / fits */
    CHECK(hy_i128_digits(0) == 1 && hy_i128_digits(9) == 1 && hy_i128_digits(-10) == 2);
    for (int k = 1; k <= 38; k++) {
        CHECK(hy_i128_digits(hy_pow10_i128[k]) == k + 1);
        CHECK(hy_i128_digits(hy_pow10_i128[k] - 1) == k);
        CHECK(hy_i128_digits(-(hy_pow10_i128[k] - 1)) == k);
        CHECK(hy_dec_fits(hy_pow10_i128[k] - 1, k) && !hy_dec_fits(hy_pow10_i128[k], k));
        CHECK(hy_dec_fits(-(hy_pow10_i128[k] - 1), k) && !hy_dec_fits(-hy_pow10_i128[k], k));
    }
    /* random: format -> parse is exact; parse of extra digits rounds half away from zero,
     * checked against a reference that rounds via the digit string itself */
    unsigned long long s = 99;
    for (int i = 0; i < 10000; i++) {
        int nd = 1 + (int)(test_rand(&s) % 38);
        char digits[64];
        for (int k = 0; k < nd; k++) digits[k] = (char)('0' + test_rand(&s) % 10);
        digits[nd] = 0;
        hy_i128 v = i128_from_str(digits);
        if (test_rand(&s) & 1) v = -v;
        int scale = (int)(test_rand(&s) % (nd + 1));
        int n = hy_dec_format(v, scale, buf, sizeof buf);
        hy_i128 back;
        CHECK_MSG(hy_dec_parse(buf, (size_t)n, 38, scale, &back) && back == v, "%s", buf);
        /* drop k digits by parsing at a smaller scale */
        if (scale > 0) {
            int k = 1 + (int)(test_rand(&s) % scale);
            CHECK(hy_dec_parse(buf, (size_t)n, 38, scale - k, &back));
            /* reference: truncate the text, look at the first dropped digit */
            const char *dot = strchr(buf, '.');
            char first_dropped = dot[1 + scale - k];
            hy_i128 mag = 0;
            for (const char *q = buf + (buf[0] == '-'); q < dot + 1 + scale - k; q++)
                if (*q != '.') mag = mag * 10 + (*q - '0');
            if (first_dropped >= '5') mag++;
            CHECK_MSG(back == (buf[0] == '-' ? -mag : mag), "%s at scale %d", buf, scale - k);
            CHECK(hy_dec_rescale(v, scale, scale - k) == back);
        }
    }
}

/* ---- numbers as text ------------------------------------------------------------------------ */

/* significant digits of a number's text: mantissa digits without leading/trailing zeros */
static int sig_digits(const char *s) {
    char d[64];
    int n = 0;
    for (; *s && *s != 'e'; s++)
        if (*s >= '0' && *s <= '9') d[n++] = *s;
    int b = 0;
    while (b < n && d[b] == '0') b++;
    while (n > b && d[n - 1] == '0') n--;
    return n - b;
}

static void test_doubles(void) {
    struct { double v; const char *want; } c[] = {
        {2.0, "2.0"}, {1e20, "1e+20"}, {0.1, "0.1"}, {-0.0, "-0.0"}, {0.0, "0.0"},
        {1.5e-7, "1.5e-07"}, {100.0, "100.0"}, {123456.789, "123456.789"}, {-2.5, "-2.5"},
        {5e-324, "5e-324"}, {1.7976931348623157e308, "1.7976931348623157e+308"},
        {0.30000000000000004, "0.30000000000000004"}, {1e15, "1e+15"},
        {123456789012345.0, "123456789012345.0"}, {0.0001, "0.0001"}, {0.00001, "1e-05"},
        {1.0 / 3, "0.3333333333333333"}, {2.0 / 3, "0.6666666666666666"},
        {INFINITY, "inf"}, {-INFINITY, "-inf"}, {NAN, "nan"}, {1e100, "1e+100"},
        {-1.25e-300, "-1.25e-300"}, {9007199254740993.0, "9.007199254740992e+15"},
        {99999999999999.9, "99999999999999.9"}, {1e-320, "1e-320"}, {-2.5e-315, "-2.5e-315"},
        {2.2250738585072014e-308, "2.2250738585072014e-308"}, {0.3, "0.3"}, {2.675, "2.675"},
        {1e-7, "1e-07"}, {1.2e-7, "1.2e-07"}, {999999999999999.0, "999999999999999.0"},
        {0.1 + 0.7, "0.7999999999999999"}, {123.456e5, "12345600.0"}, {-7e-5, "-7e-05"},
        {4.35, "4.35"}, {1234567.891, "1234567.891"}, {0.000123, "0.000123"}};
    char buf[64];
    for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
        int n = hy_double_format(c[i].v, buf, sizeof buf);
        CHECK_STR(buf, c[i].want);
        CHECK(n == (int)strlen(c[i].want));
    }
    /* random bit patterns: format then strtod gives the same bits */
    unsigned long long s = 7;
    int iters = getenv("HY_SOAK") ? 20000000 : 50000;
    for (int i = 0; i < iters; i++) {
        uint64_t bits = test_rand(&s);
        double v;
        if (i & 1) { /* also plenty of "ordinary" magnitudes */
            v = (double)(int64_t)(test_rand(&s) % 2000000000000ULL) / pow(10, (double)(test_rand(&s) % 12));
        } else {
            memcpy(&v, &bits, sizeof v);
        }
        if (isnan(v)) continue;
        int n = hy_double_format(v, buf, sizeof buf);
        CHECK(n > 0 && n < 40);
        double back = strtod(buf, NULL);
        CHECK_MSG(memcmp(&back, &v, sizeof v) == 0, "%.17g -> %s", v, buf);
        /* shortest: %.15g digits would have been enough whenever they round-trip */
        char g[40];
        snprintf(g, sizeof g, "%.15g", v);
        if (strtod(g, NULL) == v && fabs(v) < DBL_MIN) {
            /* subnormals: fewer bits, possibly fewer digits than %.15g */
            CHECK_MSG(sig_digits(buf) <= sig_digits(g), "%s vs %s", buf, g);
        } else if (strtod(g, NULL) == v) {
            CHECK_MSG(sig_digits(buf) == sig_digits(g), "%s vs %s", buf, g);
            /* same digits as printf's correctly rounded 15-digit text */
            char m1[40], m2[40];
            snprintf(m1, sizeof m1, "%.14e", v);
            snprintf(m2, sizeof m2, "%.14e", strtod(buf, NULL));
            CHECK_STR(m1, m2);
        }
    }
    /* integers */
    struct { const char *s; int st; int64_t v; } ic[] = {
        {"9223372036854775807", HY_PARSE_OK, INT64_MAX},
        {"-9223372036854775808", HY_PARSE_OK, INT64_MIN},
        {"9223372036854775808", HY_PARSE_RANGE, 0},
        {"-9223372036854775809", HY_PARSE_RANGE, 0},
        {"99999999999999999999999", HY_PARSE_RANGE, 0},
        {"18446744073709551616", HY_PARSE_RANGE, 0},
        {"  12 ", HY_PARSE_OK, 12}, {"+7", HY_PARSE_OK, 7}, {"-0", HY_PARSE_OK, 0},
        {"007", HY_PARSE_OK, 7}, {"1.0", HY_PARSE_SYNTAX, 0}, {"", HY_PARSE_SYNTAX, 0},
        {"+", HY_PARSE_SYNTAX, 0}, {" ", HY_PARSE_SYNTAX, 0}, {"1 2", HY_PARSE_SYNTAX, 0},
        {"12a", HY_PARSE_SYNTAX, 0}, {"1e3", HY_PARSE_SYNTAX, 0}};
    for (size_t i = 0; i < sizeof ic / sizeof ic[0]; i++) {
        int64_t v = 0;
        int st = hy_parse_i64_st(ic[i].s, strlen(ic[i].s), &v);
        CHECK_MSG(st == ic[i].st, "\"%s\"", ic[i].s);
        if (st == HY_PARSE_OK) CHECK(v == ic[i].v);
    }
    for (int64_t x = -100000; x <= 100000; x += 7) {
        char b[24];
        int n = hy_i64_format(x, b);
        int64_t y;
        CHECK(hy_parse_i64(b, (size_t)n, &y) && y == x);
        char ref[24];
        snprintf(ref, sizeof ref, "%lld", (long long)x);
        CHECK_STR(b, ref);
    }
    char b[24];
    hy_i64_format(INT64_MIN, b);
    CHECK_STR(b, "-9223372036854775808");
    /* doubles */
    double d;
    CHECK(hy_parse_double_st("1e400", 5, &d) == HY_PARSE_RANGE);
    CHECK(hy_parse_double_st("abc", 3, &d) == HY_PARSE_SYNTAX);
    CHECK(hy_parse_double_st("", 0, &d) == HY_PARSE_SYNTAX);
    CHECK(hy_parse_double_st("0x10", 4, &d) == HY_PARSE_SYNTAX);
    CHECK(hy_parse_double_st("1.5f", 4, &d) == HY_PARSE_SYNTAX);
    CHECK(hy_parse_double_st("nan(1)", 6, &d) == HY_PARSE_SYNTAX);
    CHECK(hy_parse_double_st("1,5", 3, &d) == HY_PARSE_SYNTAX);
    CHECK(hy_parse_double(" 1.5 ", 5, &d) && d == 1.5);
    CHECK(hy_parse_double("inf", 3, &d) && isinf(d) && d > 0);
    CHECK(hy_parse_double("-Infinity", 9, &d) && isinf(d) && d < 0);
    CHECK(hy_parse_double("NaN", 3, &d) && isnan(d));
    CHECK(hy_parse_double("1e-400", 6, &d) && d == 0);
    CHECK(hy_parse_double("-.5e1", 5, &d) && d == -5);
    /* a long literal (heap path) */
    char longlit[600];
    memset(longlit, '0', sizeof longlit);
    longlit[0] = '1';
    longlit[1] = '.';
    longlit[2] = '5';
    longlit[599] = 0;
    CHECK(hy_parse_double(longlit, strlen(longlit), &d) && d == 1.5);
    longlit[10] = 'x';
    CHECK(hy_parse_double_st(longlit, strlen(longlit), &d) == HY_PARSE_SYNTAX);
    /* booleans */
    bool bv;
    const char *yes[] = {"true", "TRUE", " t ", "1", "yes", "Y", "on"};
    const char *no[] = {"false", "F", "0", "no", "n", "OFF"};
    const char *neither[] = {"", "tru", "2", "yess", "nope", "o"};
    for (size_t i = 0; i < sizeof yes / sizeof *yes; i++) CHECK(hy_parse_bool(yes[i], strlen(yes[i]), &bv) && bv);
    for (size_t i = 0; i < sizeof no / sizeof *no; i++) CHECK(hy_parse_bool(no[i], strlen(no[i]), &bv) && !bv);
    for (size_t i = 0; i < sizeof neither / sizeof *neither; i++)
        CHECK(!hy_parse_bool(neither[i], strlen(neither[i]), &bv));
}

/* ---- values -------------------------------------------------------------------------------- */

static hy_value vint(hy_type t, int64_t i) {
    hy_value v;
    memset(&v, 0, sizeof v);
    v.type = hy_lt(t);
    v.v.i = i;
    return v;
}
static hy_value vdbl(double f) {
    hy_value v = vint(HY_TYPE_DOUBLE, 0);
    v.v.f = f;
    return v;
}
static hy_value vdec(int p, int s, hy_i128 x) {
    hy_value v = vint(HY_TYPE_DECIMAL, 0);
    v.type = hy_lt_dec(p, s);
    if (p > 18) v.v.d = x;
    else v.v.i = (int64_t)x;
    return v;
}
static hy_value vstr(const char *s) {
    hy_value v = vint(HY_TYPE_VARCHAR, 0);
    v.v.s.ptr = s;
    v.v.s.len = (uint32_t)strlen(s);
    return v;
}

/* cast and return the canonical text of the result, or "ERR:<message>" */
static const char *cast_text(hy_value in, hy_ltype to, hy_strheap *h, char *buf, size_t cap) {
    hy_error e;
    hy_error_clear(&e);
    hy_value out;
    if (!hy_value_cast(&in, to, &out, h, &e)) {
        snprintf(buf, cap, "ERR:%s", e.msg);
        return buf;
    }
    if (out.is_null) return "NULL";
    if (!hy_lt_eq(out.type, to)) return "WRONGTYPE";
    hy_value_format(&out, buf, cap);
    return buf;
}

static void test_values(void) {
    hy_strheap h;
    hy_strheap_init(&h);
    char b[700];
    const hy_ltype I = hy_lt(HY_TYPE_INTEGER), BI = hy_lt(HY_TYPE_BIGINT),
                   D = hy_lt(HY_TYPE_DOUBLE), V = hy_lt(HY_TYPE_VARCHAR),
                   DT = hy_lt(HY_TYPE_DATE), B = hy_lt(HY_TYPE_BOOLEAN);
    /* text -> numbers */
    CHECK_STR(cast_text(vstr(" 42 "), I, &h, b, sizeof b), "42");
    CHECK_STR(cast_text(vstr("abc"), I, &h, b, sizeof b),
              "ERR:invalid input syntax for type INTEGER: \"abc\"");
    CHECK_STR(cast_text(vstr("3000000000"), I, &h, b, sizeof b), "ERR:integer out of range");
    CHECK_STR(cast_text(vstr("3000000000"), BI, &h, b, sizeof b), "3000000000");
    CHECK_STR(cast_text(vstr("99999999999999999999"), BI, &h, b, sizeof b), "ERR:BIGINT out of range");
    CHECK_STR(cast_text(vstr("1.5"), I, &h, b, sizeof b), "ERR:invalid input syntax for type INTEGER: \"1.5\"");
    CHECK_STR(cast_text(vstr(" 1.005 "), hy_lt_dec(5, 2), &h, b, sizeof b), "1.01");
    CHECK_STR(cast_text(vstr("1000"), hy_lt_dec(5, 2), &h, b, sizeof b), "ERR:DECIMAL(5,2) out of range");
    CHECK_STR(cast_text(vstr("x1"), hy_lt_dec(5, 2), &h, b, sizeof b),
              "ERR:invalid input syntax for type DECIMAL(5,2): \"x1\"");
    CHECK_STR(cast_text(vstr("12345678901234567890.5"), hy_lt_dec(38, 1), &h, b, sizeof b),
              "12345678901234567890.5");
    CHECK_STR(cast_text(vstr("2.5e0"), D, &h, b, sizeof b), "2.5");
    CHECK_STR(cast_text(vstr("1e999"), D, &h, b, sizeof b), "ERR:DOUBLE out of range");
    CHECK_STR(cast_text(vstr("yes"), B, &h, b, sizeof b), "true");
    CHECK_STR(cast_text(vstr("maybe"), B, &h, b, sizeof b),
              "ERR:invalid input syntax for type BOOLEAN: \"maybe\"");
    CHECK_STR(cast_text(vstr("1992-02-29"), DT, &h, b, sizeof b), "1992-02-29");
    CHECK_STR(cast_text(vstr("2021-02-30"), DT, &h, b, sizeof b),
              "ERR:invalid input syntax for type DATE: \"2021-02-30\"");
    /* double -> integer: round half to even; out of range */
    CHECK_STR(cast_text(vdbl(2.5), I, &h, b, sizeof b), "2");
    CHECK_STR(cast_text(vdbl(3.5), I, &h, b, sizeof b), "4");
    CHECK_STR(cast_text(vdbl(-2.5), I, &h, b, sizeof b), "-2");
    CHECK_STR(cast_text(vdbl(-2.6), BI, &h, b, sizeof b), "-3");
    CHECK_STR(cast_text(vdbl(2147483647.4), I, &h, b, sizeof b), "2147483647");
    CHECK_STR(cast_text(vdbl(2147483647.5), I, &h, b, sizeof b), "ERR:integer out of range");
    CHECK_STR(cast_text(vdbl(-2147483648.4), I, &h, b, sizeof b), "-2147483648");
    CHECK_STR(cast_text(vdbl(1e10), I, &h, b, sizeof b), "ERR:integer out of range");
    CHECK_STR(cast_text(vdbl(NAN), I, &h, b, sizeof b), "ERR:integer out of range");
    CHECK_STR(cast_text(vdbl(9.3e18), BI, &h, b, sizeof b), "ERR:BIGINT out of range");
    CHECK_STR(cast_text(vdbl(-9223372036854775808.0), BI, &h, b, sizeof b), "-9223372036854775808");
    CHECK_STR(cast_text(vdbl(INFINITY), BI, &h, b, sizeof b), "ERR:BIGINT out of range");
    /* double -> decimal via the shortest text */
    CHECK_STR(cast_text(vdbl(0.285), hy_lt_dec(10, 2), &h, b, sizeof b), "0.29");
    CHECK_STR(cast_text(vdbl(-0.125), hy_lt_dec(10, 2), &h, b, sizeof b), "-0.13");
    CHECK_STR(cast_text(vdbl(1e20), hy_lt_dec(30, 2), &h, b, sizeof b), "100000000000000000000.00");
    CHECK_STR(cast_text(vdbl(1e20), hy_lt_dec(18, 2), &h, b, sizeof b), "ERR:DECIMAL(18,2) out of range");
    CHECK_STR(cast_text(vdbl(NAN), hy_lt_dec(18, 2), &h, b, sizeof b), "ERR:DECIMAL(18,2) out of range");
    /* decimal -> integer: half away from zero */
    CHECK_STR(cast_text(vdec(5, 1, 25), I, &h, b, sizeof b), "3");
    CHECK_STR(cast_text(vdec(5, 1, -25), I, &h, b, sizeof b), "-3");
    CHECK_STR(cast_text(vdec(5, 1, -24), I, &h, b, sizeof b), "-2");
    CHECK_STR(cast_text(vdec(38, 0, hy_pow10_i128[30]), BI, &h, b, sizeof b), "ERR:BIGINT out of range");
    CHECK_STR(cast_text(vdec(12, 0, 3000000000LL), I, &h, b, sizeof b), "ERR:integer out of range");
    /* decimal -> decimal */
    CHECK_STR(cast_text(vdec(5, 2, 12345), hy_lt_dec(3, 1), &h, b, sizeof b), "ERR:DECIMAL(3,1) out of range");
    CHECK_STR(cast_text(vdec(5, 2, 12345), hy_lt_dec(4, 1), &h, b, sizeof b), "123.5");
    CHECK_STR(cast_text(vdec(5, 2, -12345), hy_lt_dec(4, 1), &h, b, sizeof b), "-123.5");
    CHECK_STR(cast_text(vdec(5, 2, 12345), hy_lt_dec(30, 10), &h, b, sizeof b), "123.4500000000");
    CHECK_STR(cast_text(vdec(38, 0, hy_pow10_i128[37]), hy_lt_dec(38, 2), &h, b, sizeof b),
              "ERR:DECIMAL(38,2) out of range");
    CHECK_STR(cast_text(vdec(38, 38, 1), hy_lt_dec(18, 2), &h, b, sizeof b), "0.00");
    /* integers -> decimal / integer */
    CHECK_STR(cast_text(vint(HY_TYPE_INTEGER, 1000), hy_lt_dec(4, 1), &h, b, sizeof b),
              "ERR:DECIMAL(4,1) out of range");
    CHECK_STR(cast_text(vint(HY_TYPE_INTEGER, 999), hy_lt_dec(4, 1), &h, b, sizeof b), "999.0");
    CHECK_STR(cast_text(vint(HY_TYPE_BIGINT, INT64_MIN), hy_lt_dec(38, 18), &h, b, sizeof b),
              "-9223372036854775808.000000000000000000");
    CHECK_STR(cast_text(vint(HY_TYPE_BIGINT, INT64_MIN), hy_lt_dec(38, 20), &h, b, sizeof b),
              "ERR:DECIMAL(38,20) out of range");
    CHECK_STR(cast_text(vint(HY_TYPE_BIGINT, 1LL << 40), I, &h, b, sizeof b), "ERR:integer out of range");
    CHECK_STR(cast_text(vint(HY_TYPE_BIGINT, -5), I, &h, b, sizeof b), "-5");
    CHECK_STR(cast_text(vint(HY_TYPE_BIGINT, -5), D, &h, b, sizeof b), "-5.0");
    /* decimal -> double is correctly rounded for exact operands */
    hy_value dv = vdec(10, 1, 1), out;
    hy_error e;
    hy_error_clear(&e);
    CHECK(hy_value_cast(&dv, D, &out, NULL, &e) && out.v.f == 0.1);
    dv = vdec(15, 2, 3758063100LL);
    CHECK(hy_value_cast(&dv, D, &out, NULL, &e) && out.v.f == 37580631.0);
    /* booleans */
    CHECK_STR(cast_text(vint(HY_TYPE_BOOLEAN, 1), I, &h, b, sizeof b), "1");
    CHECK_STR(cast_text(vint(HY_TYPE_INTEGER, -3), B, &h, b, sizeof b), "true");
    CHECK_STR(cast_text(vint(HY_TYPE_INTEGER, 0), B, &h, b, sizeof b), "false");
    CHECK_STR(cast_text(vdbl(0.0), B, &h, b, sizeof b), "false");
    CHECK_STR(cast_text(vint(HY_TYPE_BOOLEAN, 0), V, &h, b, sizeof b), "false");
    /* dates */
    CHECK_STR(cast_text(vint(HY_TYPE_DATE, 8035), V, &h, b, sizeof b), "1992-01-01");
    CHECK_STR(cast_text(vint(HY_TYPE_DATE, 8035), I, &h, b, sizeof b), "ERR:cannot cast DATE to INTEGER");
    CHECK_STR(cast_text(vint(HY_TYPE_INTEGER, 1), DT, &h, b, sizeof b), "ERR:cannot cast INTEGER to DATE");
    CHECK_STR(cast_text(vdbl(1), DT, &h, b, sizeof b), "ERR:cannot cast DOUBLE to DATE");
    /* to text */
    CHECK_STR(cast_text(vint(HY_TYPE_INTEGER, 42), V, &h, b, sizeof b), "42");
    CHECK_STR(cast_text(vdec(15, 2, -5), V, &h, b, sizeof b), "-0.05");
    CHECK_STR(cast_text(vdbl(2.0), V, &h, b, sizeof b), "2.0");
    CHECK_STR(cast_text(vdec(38, 2, -hy_pow10_i128[37]), V, &h, b, sizeof b),
              "-100000000000000000000000000000000000.00");
    hy_value sv = vstr("same"), so;
    CHECK(hy_value_cast(&sv, V, &so, NULL, &e) && so.v.s.ptr == sv.v.s.ptr);
    hy_value iv = vint(HY_TYPE_INTEGER, 1);
    CHECK(!hy_value_cast(&iv, V, &so, NULL, &e)); /* no heap for the text */
    hy_error_clear(&e);
    /* NULL in, NULL out with the target type */
    hy_value nv = vint(HY_TYPE_INTEGER, 0);
    nv.is_null = true;
    CHECK(hy_value_cast(&nv, hy_lt_dec(5, 2), &out, NULL, &e) && out.is_null &&
          hy_lt_eq(out.type, hy_lt_dec(5, 2)));
    char fb[8];
    CHECK(hy_value_format(&nv, fb, sizeof fb) == 0 && fb[0] == 0);
    /* format truncation is snprintf-like */
    hy_value lv = vstr("abcdefghij");
    CHECK(hy_value_format(&lv, fb, sizeof fb) == 10 && strcmp(fb, "abcdefg") == 0);
    hy_value bi = vint(HY_TYPE_BIGINT, -1234567890123LL);
    CHECK(hy_value_format(&bi, fb, sizeof fb) == 14 && strcmp(fb, "-123456") == 0);

    /* compare */
    hy_value a = vdbl(-0.0), c = vdbl(0.0);
    CHECK(hy_value_cmp(&a, &c) == 0);
    a = vdbl(NAN), c = vdbl(INFINITY);
    CHECK(hy_value_cmp(&a, &c) > 0 && hy_value_cmp(&c, &a) < 0 && hy_value_cmp(&a, &a) == 0);
    a = vdbl(-INFINITY), c = vdbl(-1e308);
    CHECK(hy_value_cmp(&a, &c) < 0);
    a = vstr("ab"), c = vstr("abc");
    CHECK(hy_value_cmp(&a, &c) < 0 && hy_value_cmp(&c, &a) > 0);
    c = vstr("b");
    CHECK(hy_value_cmp(&a, &c) < 0);
    a = vstr("\xc3\xa9"), c = vstr("z"); /* bytewise: UTF-8 lead byte sorts after ASCII */
    CHECK(hy_value_cmp(&a, &c) > 0);
    a = vstr(""), c = vstr("");
    CHECK(hy_value_cmp(&a, &c) == 0);
    a = vdec(38, 0, -hy_pow10_i128[37]), c = vdec(38, 0, 5);
    CHECK(hy_value_cmp(&a, &c) < 0);
    a = vint(HY_TYPE_BIGINT, INT64_MIN), c = vint(HY_TYPE_BIGINT, INT64_MAX);
    CHECK(hy_value_cmp(&a, &c) < 0);
    a = vint(HY_TYPE_DATE, -5), c = vint(HY_TYPE_DATE, 3);
    CHECK(hy_value_cmp(&a, &c) < 0);

    /* type names and widths */
    CHECK_STR(hy_lt_name(hy_lt_dec(15, 2), b, sizeof b), "DECIMAL(15,2)");
    CHECK_STR(hy_lt_name(BI, b, sizeof b), "BIGINT");
    CHECK(hy_lt_width(hy_lt_dec(18, 2)) == 8 && hy_lt_width(hy_lt_dec(19, 2)) == 16);
    CHECK(hy_lt_width(V) == sizeof(hy_str) && hy_lt_width(DT) == 4 && hy_lt_width(B) == 1);
    hy_strheap_free(&h);
}

/* ---- string heap ---------------------------------------------------------------------------- */

static void test_strheap(void) {
    hy_strheap h;
    hy_strheap_init(&h);
    hy_str keep[2000];
    char tmp[64];
    for (int i = 0; i < 2000; i++) {
        int n = snprintf(tmp, sizeof tmp, "keep-%d-%0*d", i, i % 40, 0);
        keep[i] = hy_strheap_add(&h, tmp, (size_t)n);
    }
    hy_strheap_mark m = hy_strheap_save(&h);
    size_t bytes = h.bytes;
    for (int round = 0; round < 3; round++) {
        for (int i = 0; i < 5000; i++) hy_strheap_add(&h, tmp, (size_t)(i % 60));
        hy_str big = hy_strheap_add(&h, NULL, 0);
        CHECK(big.len == 0 && big.ptr[0] == 0);
        char *r = hy_strheap_reserve(&h, 10u << 20); /* a dedicated block */
        memset(r, 'x', 10u << 20);
        hy_strheap_rollback(&h, m);
        CHECK(h.bytes == bytes);
    }
    for (int i = 0; i < 2000; i++) {
        int n = snprintf(tmp, sizeof tmp, "keep-%d-%0*d", i, i % 40, 0);
        CHECK(keep[i].len == (uint32_t)n && memcmp(keep[i].ptr, tmp, (size_t)n) == 0 &&
              keep[i].ptr[n] == 0);
    }
    hy_str after = hy_strheap_add(&h, "after", 5);
    CHECK(memcmp(after.ptr, "after", 6) == 0);
    /* rollback to an empty heap */
    hy_strheap e;
    hy_strheap_init(&e);
    hy_strheap_mark m0 = hy_strheap_save(&e);
    hy_strheap_add(&e, "abc", 3);
    hy_strheap_rollback(&e, m0);
    CHECK(e.head == NULL && e.bytes == 0);
    hy_strheap_free(&e);
    hy_strheap_free(&h);
}

/* hy_bits_copy_at against a bit-by-bit reference: every dst/src alignment, lengths around word
 * boundaries, bits outside the range untouched, NULL src = all valid. The source is copied
 * into an exactly-sized heap buffer so reading a word past the range shows under ASan. */
static void test_bits_copy_at(void) {
    uint64_t seed = 0x9E3779B97F4A7C15ull;
    for (int doff = 0; doff < 130; doff += 1 + (doff > 70) * 6) {
        for (int soff = 0; soff < 130; soff += 1 + (soff > 70) * 6) {
            static const int lens[] = {0, 1, 2, 63, 64, 65, 127, 128, 129, 200};
            for (size_t li = 0; li < sizeof lens / sizeof lens[0]; li++) {
                int n = lens[li];
                uint64_t dst[8], ref[8], srcw[8];
                for (int w = 0; w < 8; w++) {
                    seed = seed * 6364136223846793005ull + 1442695040888963407ull;
                    dst[w] = ref[w] = seed;
                    seed = seed * 6364136223846793005ull + 1442695040888963407ull;
                    srcw[w] = seed ^ (seed >> 29);
                }
                size_t sw = n ? hy_valid_words(soff + n) : 1;
                uint64_t *src = malloc(sw * sizeof *src);
                memcpy(src, srcw, sw * sizeof *src);
                for (int k = 0; k < n; k++) hy_valid_set(ref, doff + k, hy_valid_get(src, soff + k));
                hy_bits_copy_at(dst, doff, src, soff, n);
                CHECK_MSG(memcmp(dst, ref, sizeof dst) == 0, "doff %d soff %d n %d", doff, soff, n);
                memcpy(dst, srcw, sizeof dst);
                memcpy(ref, srcw, sizeof ref);
                for (int k = 0; k < n; k++) hy_valid_set(ref, doff + k, true);
                hy_bits_copy_at(dst, doff, NULL, soff, n);
                CHECK_MSG(memcmp(dst, ref, sizeof dst) == 0, "NULL src: doff %d n %d", doff, n);
                free(src);
            }
        }
    }
}

int main(void) {
    test_error();
    test_bits_copy_at();
    test_arena();
    test_dates();
    test_add_months();
    test_decimals();
    test_doubles();
    test_values();
    test_strheap();
    return check_done("test_types");
}
