/*
 * C API tests (include/hyperion.h only). Expected values are computed by hand or
 * independently in this file (e.g. 128-bit sums with __int128, day numbers from a civil-date
 * formula), never copied from the engine's output.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hyperion.h"

static int g_checks, g_failed;

#define CHECK(cond, ...)                                                                    \
    do {                                                                                    \
        g_checks++;                                                                         \
        if (!(cond)) {                                                                      \
            g_failed++;                                                                     \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n    ", __FILE__, __LINE__, #cond);    \
            fprintf(stderr, __VA_ARGS__);                                                   \
            fputc('\n', stderr);                                                            \
        }                                                                                   \
    } while (0)

/* Execute, expecting success; returns the result (may be NULL for no-result statements). */
static hy_result *ok_exec(hy_db *db, const char *sql) {
    hy_result *r = NULL;
    hy_status st = hy_exec(db, sql, &r);
    CHECK(st == HY_OK, "hy_exec(%s) failed: %s", sql, hy_errmsg(db));
    return r;
}

/* Execute, expecting success, and free the result. */
static void run_ok(hy_db *db, const char *sql) {
    hy_result *r = ok_exec(db, sql);
    if (r) hy_result_free(r);
}

static const char *fmt(const hy_result *r, int c, int64_t row) {
    static char buf[256];
    hy_result_format(r, c, row, buf, sizeof buf);
    return buf;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (independent of the engine). */
static int64_t days_from_civil(int64_t y, int m, int d) {
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/* Decimal text of a scaled 128-bit integer (independent formatter). */
static void i128_text(__int128 v, int scale, char *out) {
    char tmp[64];
    int n = 0;
    int neg = v < 0;
    unsigned __int128 u = neg ? -(unsigned __int128)v : (unsigned __int128)v;
    do {
        tmp[n++] = (char)('0' + (int)(u % 10));
        u /= 10;
        if (n == scale) tmp[n++] = '.';
    } while (u || n <= scale);
    if (tmp[n - 1] == '.') tmp[n++] = '0';
    int o = 0;
    if (neg) out[o++] = '-';
    while (n) out[o++] = tmp[--n];
    out[o] = 0;
}

static void test_basics(void) {
    CHECK(hy_version() && *hy_version(), "empty version");
    hy_close(NULL); /* documented no-op */
    hy_db *db = NULL;
    CHECK(hy_open(&db, NULL) == HY_OK && db, "hy_open failed");
    hy_result *r = ok_exec(db, "SELECT 42 AS answer, 'x' AS s");
    if (r) {
        CHECK(hy_result_kind_of(r) == HY_RESULT_ROWS, "kind");
        CHECK(hy_result_column_count(r) == 2, "ncols %d", hy_result_column_count(r));
        CHECK(strcmp(hy_result_column_name(r, 0), "answer") == 0, "name0 %s", hy_result_column_name(r, 0));
        CHECK(strcmp(hy_result_column_name(r, 1), "s") == 0, "name1");
        CHECK(hy_result_column_type(r, 0) == HY_TYPE_INTEGER, "type0 %d", hy_result_column_type(r, 0));
        CHECK(hy_result_column_type(r, 1) == HY_TYPE_VARCHAR, "type1");
        CHECK(hy_result_row_count(r) == 1, "rows");
        CHECK(hy_result_int64(r, 0, 0) == 42, "value");
        CHECK(hy_result_double(r, 0, 0) == 42.0, "int as double");
        CHECK(hy_result_elapsed_ms(r) >= 0, "elapsed");
        CHECK(hy_result_varchar(r, 0, 0, NULL) == NULL, "varchar getter on an INTEGER gives NULL");
        hy_result_free(r);
    }
    CHECK(strcmp(hy_errmsg(db), "") == 0, "errmsg after success: %s", hy_errmsg(db));
    /* NULL out pointer is allowed */
    CHECK(hy_exec(db, "CREATE TABLE t(a INTEGER)", NULL) == HY_OK, "%s", hy_errmsg(db));
    hy_close(db);

    hy_options o = {0};
    o.threads = 2;
    o.morsel_rows = 3;
    CHECK(hy_open(&db, &o) == HY_OK, "hy_open with options");
    r = ok_exec(db, "CREATE TABLE m(a INTEGER); INSERT INTO m VALUES (1),(2),(3),(4),(5),(6),(7),(8);"
                    "SELECT sum(a) AS s, count(*) AS n FROM m WHERE a % 2 = 0");
    if (r) {
        CHECK(hy_result_int64(r, 0, 0) == 20 && hy_result_int64(r, 1, 0) == 4,
              "sum/count over tiny morsels: %s %s", fmt(r, 0, 0), fmt(r, 1, 0));
        hy_result_free(r);
    }
    hy_close(db);
}

static void test_errors(void) {
    hy_db *db;
    hy_open(&db, NULL);
    hy_result *r = (hy_result *)1;
    CHECK(hy_exec(db, "SELECT 1;\nSELECT FROM t", &r) == HY_ERROR, "syntax error expected");
    CHECK(hy_error_line(db) == 2 && hy_error_column(db) == 8, "position %d:%d (%s)",
          hy_error_line(db), hy_error_column(db), hy_errmsg(db));
    CHECK(strncmp(hy_errmsg(db), "line 2:8: ", 10) == 0, "message: %s", hy_errmsg(db));
    CHECK(r == NULL, "*out is NULL after a failure");

    run_ok(db, "CREATE TABLE t(a INTEGER, b VARCHAR)");
    CHECK(hy_error_line(db) == 0, "success clears the position");
    const char *q = "SELECT a,\n       zz\nFROM t";
    CHECK(hy_exec(db, q, NULL) == HY_ERROR, "unknown column");
    CHECK(strstr(hy_errmsg(db), "column \"zz\" does not exist") != NULL, "msg: %s", hy_errmsg(db));
    CHECK(hy_error_line(db) == 2 && hy_error_column(db) == 8, "position %d:%d",
          hy_error_line(db), hy_error_column(db));
    CHECK(hy_exec(db, "SELECT * FROM nope", NULL) == HY_ERROR, "unknown table");
    CHECK(strstr(hy_errmsg(db), "table \"nope\" does not exist") != NULL, "msg: %s", hy_errmsg(db));
    CHECK(hy_exec(db, "SELECT 1 // 0", NULL) == HY_ERROR && strstr(hy_errmsg(db), "division by zero"),
          "msg: %s", hy_errmsg(db));

    /* a failing statement changes nothing */
    run_ok(db, "INSERT INTO t VALUES (2147483647, 'a'), (1, 'b')");
    CHECK(hy_exec(db, "INSERT INTO t SELECT a + 1, b FROM t", NULL) == HY_ERROR, "overflow expected");
    CHECK(strstr(hy_errmsg(db), "out of range") != NULL, "msg: %s", hy_errmsg(db));
    hy_result *c = ok_exec(db, "SELECT count(*) FROM t");
    if (c) {
        CHECK(hy_result_int64(c, 0, 0) == 2, "rows after failed INSERT: %s", fmt(c, 0, 0));
        hy_result_free(c);
    }
    /* hy_exec stops at the first failing statement */
    CHECK(hy_exec(db, "INSERT INTO t VALUES (5, 'c'); SELECT nope FROM t; INSERT INTO t VALUES (6, 'd')",
                  NULL) == HY_ERROR, "multi-statement failure");
    c = ok_exec(db, "SELECT count(*), max(a) FROM t WHERE a < 100");
    if (c) {
        CHECK(hy_result_int64(c, 0, 0) == 2 && hy_result_int64(c, 1, 0) == 5,
              "first statement ran, third did not: %s %s", fmt(c, 0, 0), fmt(c, 1, 0));
        hy_result_free(c);
    }
    hy_close(db);
}

static void test_exec_next(void) {
    hy_db *db;
    hy_open(&db, NULL);
    const char *text =
        "CREATE TABLE t(a INTEGER);\n"
        "INSERT INTO t VALUES (3), (1), (2);\n"
        "  SELECT a FROM t ORDER BY a;  -- comment\n"
        "SELECT nope FROM t;\n"
        "SELECT count(*) FROM t;\n"
        "/* trailing */ -- only comments remain\n";
    size_t off = 0;
    hy_result *r = NULL;
    hy_status st = hy_exec_next(db, text, &off, &r);
    CHECK(st == HY_OK && r && hy_result_kind_of(r) == HY_RESULT_NONE, "CREATE: %d", st);
    size_t prev = off;
    CHECK(off > 0 && off <= strlen(text), "offset advanced");
    hy_result_free(r);
    st = hy_exec_next(db, text, &off, &r);
    CHECK(st == HY_OK && r && hy_result_changes(r) == 3, "INSERT changes");
    CHECK(off > prev, "offset advanced");
    hy_result_free(r);
    st = hy_exec_next(db, text, &off, &r);
    CHECK(st == HY_OK && r && hy_result_kind_of(r) == HY_RESULT_ROWS && hy_result_row_count(r) == 3,
          "SELECT");
    if (r && hy_result_row_count(r) == 3)
        CHECK(hy_result_int64(r, 0, 0) == 1 && hy_result_int64(r, 0, 2) == 3, "order");
    hy_result_free(r);
    prev = off;
    st = hy_exec_next(db, text, &off, &r);
    CHECK(st == HY_ERROR && r == NULL, "error statement");
    CHECK(hy_error_line(db) == 4 && hy_error_column(db) == 8, "position relative to the whole text: %d:%d",
          hy_error_line(db), hy_error_column(db));
    CHECK(strncmp(hy_errmsg(db), "line 4:8: ", 10) == 0, "msg: %s", hy_errmsg(db));
    CHECK(off > prev, "offset moves past the failing statement");
    st = hy_exec_next(db, text, &off, &r);
    CHECK(st == HY_OK && r && hy_result_int64(r, 0, 0) == 3, "continues after the error");
    hy_result_free(r);
    st = hy_exec_next(db, text, &off, &r);
    CHECK(st == HY_DONE && r == NULL, "HY_DONE when only comments remain: %d", st);
    hy_close(db);
}

/* A long script fed statement by statement (regression: every call used to strlen the whole
 * script, O(N^2) overall). No timing is asserted: the statements must all run, in order. */
static void test_exec_next_large(void) {
    enum { N = 50000 };
    hy_db *db;
    hy_open(&db, NULL);
    size_t cap = (size_t)N * 48 + 256, len = 0;
    char *text = malloc(cap);
    len += (size_t)snprintf(text + len, cap - len, "CREATE TABLE big(a INTEGER);\n");
    for (int i = 1; i <= N; i++)
        len += (size_t)snprintf(text + len, cap - len, "INSERT INTO big VALUES (%d);\n", i);
    size_t off = 0, prev = 0;
    int ok = 0, other = 0;
    for (;;) {
        hy_result *r = NULL;
        hy_status st = hy_exec_next(db, text, &off, &r);
        if (st == HY_DONE) break;
        if (st == HY_OK) ok++;
        else other++;
        hy_result_free(r);
        if (off <= prev) { /* no progress: stop instead of looping */
            other++;
            break;
        }
        prev = off;
    }
    CHECK(ok == N + 1 && other == 0, "statements run: %d ok, %d failed", ok, other);
    CHECK(off <= len, "offset %zu within the text (%zu)", off, len);
    hy_result *r = ok_exec(db, "SELECT count(*), sum(a) FROM big");
    /* 1 + ... + N = N(N+1)/2 */
    if (r) {
        CHECK(hy_result_int64(r, 0, 0) == N, "count %lld", (long long)hy_result_int64(r, 0, 0));
        CHECK(hy_result_int64(r, 1, 0) == (int64_t)N * (N + 1) / 2, "sum");
        hy_result_free(r);
    }
    /* An offset handed out for one text, passed with a shorter text (or past the end of the
     * same text), is clamped to its end: HY_DONE, never a read past the NUL. */
    off = 0;
    hy_result *q = NULL;
    CHECK(hy_exec_next(db, text, &off, &q) == HY_ERROR, "CREATE again fails"); /* table exists */
    hy_result_free(q);
    char *shorter = malloc(16);
    memcpy(shorter, "SELECT 1;", 10);
    size_t off2 = off; /* > strlen(shorter) */
    CHECK(off2 > strlen(shorter), "setup");
    CHECK(hy_exec_next(db, shorter, &off2, &q) == HY_DONE && q == NULL, "clamped to the end");
    CHECK(off2 == strlen(shorter), "offset clamped: %zu", off2);
    size_t huge = (size_t)-1 / 2;
    CHECK(hy_exec_next(db, shorter, &huge, &q) == HY_DONE && huge == strlen(shorter), "huge offset");
    size_t zero = 0;
    CHECK(hy_exec_next(db, shorter, &zero, &q) == HY_OK && q && hy_result_int64(q, 0, 0) == 1, "from 0");
    hy_result_free(q);
    free(shorter);
    free(text);
    hy_close(db);
}

static void test_decimals(void) {
    hy_db *db;
    hy_open(&db, NULL);
    hy_result *r = ok_exec(db, "SELECT CAST(12.34 AS DECIMAL(10,2)) AS a, CAST(-0.05 AS DECIMAL(4,2)) AS b,"
                               " CAST(37580631 AS DECIMAL(15,2)) AS c");
    if (r) {
        int64_t v = 0;
        CHECK(hy_result_column_type(r, 0) == HY_TYPE_DECIMAL, "type");
        CHECK(hy_result_column_precision(r, 0) == 10 && hy_result_column_scale(r, 0) == 2, "p/s %d,%d",
              hy_result_column_precision(r, 0), hy_result_column_scale(r, 0));
        CHECK(hy_result_decimal_scaled(r, 0, 0, &v) == HY_OK && v == 1234, "scaled %lld", (long long)v);
        CHECK(fabs(hy_result_double(r, 0, 0) - 12.34) < 1e-12, "double");
        CHECK(strcmp(fmt(r, 0, 0), "12.34") == 0, "fmt %s", fmt(r, 0, 0));
        CHECK(hy_result_decimal_scaled(r, 1, 0, &v) == HY_OK && v == -5, "neg scaled %lld", (long long)v);
        CHECK(strcmp(fmt(r, 1, 0), "-0.05") == 0, "fmt %s", fmt(r, 1, 0));
        CHECK(strcmp(fmt(r, 2, 0), "37580631.00") == 0, "fmt %s", fmt(r, 2, 0));
        int64_t hi;
        uint64_t lo;
        hy_result_decimal_i128(r, 1, 0, &hi, &lo);
        CHECK(hi == -1 && lo == (uint64_t)-5, "i128 of -5: %lld %llu", (long long)hi, (unsigned long long)lo);
        hy_result_free(r);
    }
    /* 128-bit sums: 10240 rows of the largest DECIMAL(18,2) value, and negatives */
    run_ok(db, "CREATE TABLE d(x DECIMAL(18,2))");
    run_ok(db, "INSERT INTO d VALUES (9999999999999999.99), (9999999999999999.99), (9999999999999999.99),"
                "(9999999999999999.99), (9999999999999999.99), (9999999999999999.99), (9999999999999999.99),"
                "(9999999999999999.99), (9999999999999999.99), (9999999999999999.99)");
    for (int i = 0; i < 10; i++) run_ok(db, "INSERT INTO d SELECT x FROM d");
    r = ok_exec(db, "SELECT sum(x) AS s, -sum(x) AS n, count(*) AS c FROM d");
    if (r) {
        __int128 unit = (__int128)999999999999999999LL;
        __int128 want = unit * 10240;
        char wtxt[64], ntxt[64];
        i128_text(want, 2, wtxt);
        i128_text(-want, 2, ntxt);
        CHECK(hy_result_int64(r, 2, 0) == 10240, "count %s", fmt(r, 2, 0));
        CHECK(hy_result_column_type(r, 0) == HY_TYPE_DECIMAL && hy_result_column_precision(r, 0) == 38 &&
                  hy_result_column_scale(r, 0) == 2,
              "sum type DECIMAL(38,2), got %d (%d,%d)", hy_result_column_type(r, 0),
              hy_result_column_precision(r, 0), hy_result_column_scale(r, 0));
        int64_t v;
        CHECK(hy_result_decimal_scaled(r, 0, 0, &v) == HY_ERROR, "does not fit 64 bits");
        int64_t hi;
        uint64_t lo;
        hy_result_decimal_i128(r, 0, 0, &hi, &lo);
        __int128 got = (__int128)(((unsigned __int128)(uint64_t)hi << 64) | lo);
        CHECK(got == want, "i128 sum hi=%lld lo=%llu", (long long)hi, (unsigned long long)lo);
        CHECK(strcmp(fmt(r, 0, 0), wtxt) == 0, "fmt %s want %s", fmt(r, 0, 0), wtxt);
        hy_result_decimal_i128(r, 1, 0, &hi, &lo);
        got = (__int128)(((unsigned __int128)(uint64_t)hi << 64) | lo);
        CHECK(got == -want && hi < 0, "negated i128");
        CHECK(strcmp(fmt(r, 1, 0), ntxt) == 0, "fmt %s want %s", fmt(r, 1, 0), ntxt);
        CHECK(fabs(hy_result_double(r, 0, 0) - 1.023999999999999998976e20) / 1e20 < 1e-12, "double %g",
              hy_result_double(r, 0, 0));
        hy_result_free(r);
    }
    /* arithmetic keeps DuckDB's precision/scale rules */
    r = ok_exec(db, "SELECT CAST(1.5 AS DECIMAL(15,2)) * CAST(0.25 AS DECIMAL(15,2)) AS m,"
                    " CAST(1.5 AS DECIMAL(15,2)) + CAST(0.125 AS DECIMAL(10,3)) AS a");
    if (r) {
        CHECK(hy_result_column_precision(r, 0) == 18 && hy_result_column_scale(r, 0) == 4, "mul type %d,%d",
              hy_result_column_precision(r, 0), hy_result_column_scale(r, 0));
        CHECK(strcmp(fmt(r, 0, 0), "0.3750") == 0, "mul %s", fmt(r, 0, 0));
        CHECK(hy_result_column_precision(r, 1) == 17 && hy_result_column_scale(r, 1) == 3, "add type %d,%d",
              hy_result_column_precision(r, 1), hy_result_column_scale(r, 1));
        CHECK(strcmp(fmt(r, 1, 0), "1.625") == 0, "add %s", fmt(r, 1, 0));
        hy_result_free(r);
    }
    hy_close(db);
}

static void test_dates(void) {
    hy_db *db;
    hy_open(&db, NULL);
    static const struct { const char *iso; int y, m, d; } dates[] = {
        {"1970-01-01", 1970, 1, 1}, {"2000-03-01", 2000, 3, 1}, {"2024-02-29", 2024, 2, 29},
        {"1969-12-31", 1969, 12, 31}, {"1900-03-01", 1900, 3, 1}, {"9999-12-31", 9999, 12, 31},
        {"1998-09-02", 1998, 9, 2}};
    for (size_t i = 0; i < sizeof dates / sizeof dates[0]; i++) {
        char sql[96];
        snprintf(sql, sizeof sql, "SELECT DATE '%s' AS d", dates[i].iso);
        hy_result *r = ok_exec(db, sql);
        if (!r) continue;
        int64_t want = days_from_civil(dates[i].y, dates[i].m, dates[i].d);
        CHECK(hy_result_column_type(r, 0) == HY_TYPE_DATE, "type");
        CHECK(hy_result_date(r, 0, 0) == want, "%s: %d want %lld", dates[i].iso, hy_result_date(r, 0, 0),
              (long long)want);
        CHECK(hy_result_int64(r, 0, 0) == want, "int64 getter on a DATE");
        CHECK(strcmp(fmt(r, 0, 0), dates[i].iso) == 0, "fmt %s", fmt(r, 0, 0));
        int y, m, d;
        hy_date_to_ymd((int32_t)want, &y, &m, &d);
        CHECK(y == dates[i].y && m == dates[i].m && d == dates[i].d, "ymd %d-%d-%d", y, m, d);
        hy_result_free(r);
    }
    hy_result *r = ok_exec(db, "SELECT DATE '1998-12-01' - INTERVAL '90' DAY AS a,"
                               " DATE '1994-01-31' + INTERVAL '1' MONTH AS b,"
                               " EXTRACT(YEAR FROM DATE '1995-06-17') AS y");
    if (r) {
        CHECK(hy_result_date(r, 0, 0) == days_from_civil(1998, 9, 2), "minus 90 days: %s", fmt(r, 0, 0));
        /* PostgreSQL/DuckDB clamp to the month's last day */
        CHECK(hy_result_date(r, 1, 0) == days_from_civil(1994, 2, 28), "plus a month: %s", fmt(r, 1, 0));
        CHECK(hy_result_int64(r, 2, 0) == 1995, "extract year: %s", fmt(r, 2, 0));
        hy_result_free(r);
    }
    hy_close(db);
}

static void test_varchar_nulls(void) {
    hy_db *db;
    hy_open(&db, NULL);
    run_ok(db, "CREATE TABLE v(i INTEGER, b BIGINT, f DOUBLE, s VARCHAR, d DATE, x DECIMAL(9,3), l BOOLEAN)");
    hy_result *ins = ok_exec(db, "INSERT INTO v VALUES (-2147483647, 9223372036854775807, 0.1, 'h\xc3\xa9llo',"
                                 " DATE '2001-02-03', -1.5, true),"
                                 "(NULL, NULL, NULL, NULL, NULL, NULL, NULL), (0, -9223372036854775807, -0.0,"
                                 " '', DATE '1970-01-01', 0, false)");
    if (ins) {
        CHECK(hy_result_kind_of(ins) == HY_RESULT_NONE && hy_result_changes(ins) == 3, "changes %lld",
              (long long)hy_result_changes(ins));
        hy_result_free(ins);
    }
    hy_result *r = ok_exec(db, "SELECT * FROM v");
    if (!r) { hy_close(db); return; }
    run_ok(db, "DROP TABLE v"); /* results outlive their table */
    CHECK(hy_result_row_count(r) == 3 && hy_result_column_count(r) == 7, "shape");
    static const hy_type types[] = {HY_TYPE_INTEGER, HY_TYPE_BIGINT, HY_TYPE_DOUBLE, HY_TYPE_VARCHAR,
                                    HY_TYPE_DATE, HY_TYPE_DECIMAL, HY_TYPE_BOOLEAN};
    for (int c = 0; c < 7; c++) CHECK(hy_result_column_type(r, c) == types[c], "type of %d", c);
    CHECK(hy_result_int64(r, 0, 0) == -2147483647, "int");
    CHECK(hy_result_int64(r, 1, 0) == INT64_MAX, "bigint max");
    CHECK(hy_result_int64(r, 1, 2) == -INT64_MAX, "bigint min+1");
    CHECK(hy_result_double(r, 2, 0) == 0.1, "double");
    CHECK(strcmp(fmt(r, 2, 0), "0.1") == 0, "shortest double %s", fmt(r, 2, 0));
    size_t len = 0;
    const char *s = hy_result_varchar(r, 3, 0, &len);
    CHECK(s && len == 6 && memcmp(s, "h\xc3\xa9llo", 6) == 0 && s[6] == 0, "utf-8 varchar");
    s = hy_result_varchar(r, 3, 2, &len);
    CHECK(s && len == 0 && !hy_result_is_null(r, 3, 2), "empty string is not NULL");
    char tiny[4];
    size_t full = hy_result_format(r, 3, 0, tiny, sizeof tiny);
    CHECK(full == 6 && strlen(tiny) == 3, "snprintf-like truncation: %zu '%s'", full, tiny);
    CHECK(hy_result_format(r, 3, 2, tiny, sizeof tiny) == 0 && tiny[0] == 0, "empty format");
    CHECK(strcmp(fmt(r, 4, 0), "2001-02-03") == 0, "date fmt");
    int64_t v = 0;
    CHECK(hy_result_decimal_scaled(r, 5, 0, &v) == HY_OK && v == -1500, "decimal(9,3) %lld", (long long)v);
    CHECK(strcmp(fmt(r, 5, 0), "-1.500") == 0, "fmt %s", fmt(r, 5, 0));
    CHECK(strcmp(fmt(r, 5, 2), "0.000") == 0, "zero with scale %s", fmt(r, 5, 2));
    CHECK(hy_result_int64(r, 6, 0) == 1 && strcmp(fmt(r, 6, 0), "true") == 0, "bool true");
    CHECK(hy_result_int64(r, 6, 2) == 0 && strcmp(fmt(r, 6, 2), "false") == 0, "bool false");
    for (int c = 0; c < 7; c++) {
        CHECK(hy_result_is_null(r, c, 1), "NULL in column %d", c);
        CHECK(!hy_result_is_null(r, c, 0), "non-NULL in column %d", c);
        CHECK(hy_result_int64(r, c, 1) == 0 && hy_result_double(r, c, 1) == 0.0, "NULL getters give 0");
        CHECK(hy_result_varchar(r, c, 1, NULL) == NULL, "NULL varchar getter");
        char b[8] = "zz";
        hy_result_format(r, c, 1, b, sizeof b);
        CHECK(b[0] == 0, "NULL formats as empty");
    }
    hy_result_free(r);
    hy_close(db);
}

static void test_text_results(void) {
    hy_db *db;
    hy_open(&db, NULL);
    run_ok(db, "CREATE TABLE e(a INTEGER); INSERT INTO e VALUES (1), (2)");
    hy_result *r = ok_exec(db, "EXPLAIN SELECT a FROM e WHERE a > 1");
    if (r) {
        CHECK(hy_result_kind_of(r) == HY_RESULT_TEXT, "EXPLAIN is text");
        const char *t = hy_result_text(r);
        CHECK(t && *t && t[strlen(t) - 1] == '\n', "text ends with a newline");
        hy_result_free(r);
    }
    r = ok_exec(db, "EXPLAIN (ANALYZE, FORMAT JSON) SELECT count(*) FROM e");
    if (r) {
        const char *t = hy_result_text(r);
        CHECK(hy_result_kind_of(r) == HY_RESULT_TEXT && t && t[0] == '{' && strstr(t, "\"pipelines\"") &&
                  strstr(t, "\"execution_ms\"") && strstr(t, "\"tier\""),
              "EXPLAIN ANALYZE JSON: %s", t ? t : "(null)");
        hy_result_free(r);
    }
    hy_close(db);
}

static void on_progress(void *ud, double done, const char *label) {
    int *bad = ud;
    if (!(done >= 0 && done <= 1) || !label) (*bad)++;
}

static void test_progress(void) {
    hy_db *db;
    hy_open(&db, NULL);
    int bad = 0;
    hy_set_progress(db, on_progress, &bad);
    run_ok(db, "CALL dbgen(sf => 0.01)");
    CHECK(bad == 0, "progress values within [0,1] with a label");
    hy_set_progress(db, NULL, NULL);
    hy_result *r = ok_exec(db, "SELECT count(*) FROM lineitem");
    if (r) {
        /* TPC-H: about 6,000,000 * sf lineitem rows (1..7 lines for each of 15,000 orders) */
        int64_t n = hy_result_int64(r, 0, 0);
        CHECK(n > 50000 && n < 70000, "lineitem rows at sf 0.01: %lld", (long long)n);
        hy_result_free(r);
    }
    hy_close(db);
}

/* hy_tables(): names ordered by name, CREATE TABLE text written by hand, and a round trip. */
static void check_tables(hy_db *db, int n, const char *const *names, const char *const *ddl) {
    hy_result *r = (hy_result *)1;
    CHECK(hy_tables(db, &r) == HY_OK && r, "hy_tables: %s", hy_errmsg(db));
    if (!r || r == (hy_result *)1) return;
    CHECK(hy_result_kind_of(r) == HY_RESULT_ROWS, "rows result");
    CHECK(hy_result_column_count(r) == 2 && strcmp(hy_result_column_name(r, 0), "name") == 0 &&
              strcmp(hy_result_column_name(r, 1), "sql") == 0,
          "columns name, sql");
    CHECK(hy_result_column_type(r, 0) == HY_TYPE_VARCHAR && hy_result_column_type(r, 1) == HY_TYPE_VARCHAR,
          "VARCHAR columns");
    CHECK(hy_result_row_count(r) == n, "%lld tables, want %d", (long long)hy_result_row_count(r), n);
    for (int i = 0; i < n && i < hy_result_row_count(r); i++) {
        const char *nm = hy_result_varchar(r, 0, i, NULL), *sql = hy_result_varchar(r, 1, i, NULL);
        CHECK(nm && strcmp(nm, names[i]) == 0, "row %d name %s, want %s", i, nm ? nm : "(null)", names[i]);
        CHECK(sql && strcmp(sql, ddl[i]) == 0, "row %d sql\n    got  %s\n    want %s", i, sql ? sql : "(null)",
              ddl[i]);
    }
    hy_result_free(r);
}

static void test_tables(void) {
    hy_db *db;
    if (hy_open(&db, NULL) != HY_OK) return;
    check_tables(db, 0, NULL, NULL);
    CHECK(hy_tables(db, NULL) == HY_ERROR && *hy_errmsg(db), "NULL out is an error");
    CHECK(hy_tables(NULL, NULL) == HY_ERROR, "NULL db is an error");
    run_ok(db, "CREATE TABLE orders(o_id BIGINT NOT NULL, o_total DECIMAL(15,2), o_date DATE NOT NULL)");
    run_ok(db, "CREATE TABLE Alpha(x DOUBLE, ok BOOLEAN, s VARCHAR, i INTEGER NOT NULL, w DECIMAL(18,0))");
    run_ok(db, "CREATE TABLE \"Weird \"\"Name\"\"\"(\"from\" INTEGER, \"Upper\" VARCHAR, _u9 BIGINT)");
    run_ok(db, "CREATE TABLE c AS SELECT 1 AS one, 'x' AS two, CAST(2.50 AS DECIMAL(4,2)) AS three");
    /* unquoted names fold to lower case; byte order puts the upper-case 'W' first */
    const char *names[] = {"Weird \"Name\"", "alpha", "c", "orders"};
    const char *ddl[] = {
        "CREATE TABLE \"Weird \"\"Name\"\"\"(\"from\" INTEGER, \"Upper\" VARCHAR, _u9 BIGINT);",
        "CREATE TABLE alpha(x DOUBLE, ok BOOLEAN, s VARCHAR, i INTEGER NOT NULL, w DECIMAL(18,0));",
        "CREATE TABLE c(one INTEGER, two VARCHAR, three DECIMAL(4,2));",
        "CREATE TABLE orders(o_id BIGINT NOT NULL, o_total DECIMAL(15,2), o_date DATE NOT NULL);",
    };
    check_tables(db, 4, names, ddl);
    /* the error of a failed call is cleared by hy_tables */
    hy_result *r = NULL;
    CHECK(hy_exec(db, "SELECT * FROM nosuch", &r) == HY_ERROR, "error first");
    hy_result *t = NULL;
    CHECK(hy_tables(db, &t) == HY_OK && *hy_errmsg(db) == 0, "hy_tables clears the sticky error");
    /* round trip: each statement re-creates the same schema in a new database */
    hy_db *db2;
    if (t && hy_open(&db2, NULL) == HY_OK) {
        for (int64_t i = 0; i < hy_result_row_count(t); i++) run_ok(db2, hy_result_varchar(t, 1, i, NULL));
        check_tables(db2, 4, names, ddl);
        run_ok(db2, "INSERT INTO orders VALUES (1, 2.50, DATE '2020-01-01')");
        CHECK(hy_exec(db2, "INSERT INTO orders VALUES (NULL, 1, DATE '2020-01-01')", NULL) == HY_ERROR,
              "NOT NULL survives the round trip");
        hy_close(db2);
    }
    hy_result_free(t);
    run_ok(db, "DROP TABLE c");
    const char *names2[] = {names[0], names[1], names[3]};
    const char *ddl2[] = {ddl[0], ddl[1], ddl[3]};
    check_tables(db, 3, names2, ddl2);
    hy_close(db);
}

int main(void) {
    test_basics();
    test_errors();
    test_exec_next();
    test_exec_next_large();
    test_decimals();
    test_dates();
    test_varchar_nulls();
    test_text_results();
    test_progress();
    test_tables();
    printf("%d/%d API checks passed\n", g_checks - g_failed, g_checks);
    return g_failed ? 1 : 0;
}
