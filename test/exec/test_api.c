/*
 * The C API end to end (SQL through the parser/binder into the executor): sticky errors,
 * hy_exec / hy_exec_next statement handling and offsets, result lifetime, getters, and the
 * atomicity of INSERT / CREATE TABLE AS / COPY.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hyperion.h"

static int checks, failures;
#define CHECK(cond)                                                                          \
    do {                                                                                     \
        checks++;                                                                            \
        if (!(cond)) {                                                                       \
            failures++;                                                                      \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond);         \
        }                                                                                    \
    } while (0)

static hy_result *q(hy_db *db, const char *sql) {
    hy_result *r = NULL;
    if (hy_exec(db, sql, &r) != HY_OK) {
        fprintf(stderr, "unexpected error for %s: %s\n", sql, hy_errmsg(db));
        failures++;
        return NULL;
    }
    return r;
}

static int64_t scalar(hy_db *db, const char *sql) {
    hy_result *r = q(db, sql);
    int64_t v = r ? hy_result_int64(r, 0, 0) : -999;
    hy_result_free(r);
    return v;
}

static void test_errors(hy_db *db) {
    hy_result *r = (hy_result *)1;
    CHECK(hy_exec(db, "SELECT 1 FROM nowhere", &r) == HY_ERROR);
    CHECK(r == NULL);
    CHECK(strstr(hy_errmsg(db), "nowhere") != NULL);
    CHECK(hy_error_line(db) == 1 && hy_error_column(db) > 1);
    /* still there until the next call */
    CHECK(strstr(hy_errmsg(db), "nowhere") != NULL);
    r = q(db, "SELECT 1");
    CHECK(r && strcmp(hy_errmsg(db), "") == 0);
    CHECK(hy_error_line(db) == 0);
    hy_result_free(r);
    /* runtime errors have PostgreSQL wording and no position */
    CHECK(hy_exec(db, "SELECT 1 // 0", &r) == HY_ERROR);
    CHECK(strstr(hy_errmsg(db), "division by zero") != NULL);
    CHECK(hy_error_line(db) == 0);
    CHECK(hy_exec(db, "SELECT 2147483647 + 1", &r) == HY_ERROR);
    CHECK(strstr(hy_errmsg(db), "integer out of range") != NULL);
    /* a later failure replaces the message */
    CHECK(hy_exec(db, "SELEC 1", &r) == HY_ERROR);
    CHECK(strstr(hy_errmsg(db), "line 1:1") != NULL);
    CHECK(hy_exec(db, "", &r) == HY_OK);
    CHECK(r == NULL && strcmp(hy_errmsg(db), "") == 0);
}

static void test_exec_next(hy_db *db) {
    const char *sql = "SELECT 1;  SELECT 'two' AS t;\n  SELECT x FROM nope; SELECT 3 -- end\n ; -- trailing\n";
    size_t off = 0;
    hy_result *r = NULL;
    CHECK(hy_exec_next(db, sql, &off, &r) == HY_OK);
    CHECK(off == 9); /* just past the first ';' */
    CHECK(r && hy_result_int64(r, 0, 0) == 1);
    hy_result_free(r);
    CHECK(hy_exec_next(db, sql, &off, &r) == HY_OK);
    CHECK(r && strcmp(hy_result_varchar(r, 0, 0, NULL), "two") == 0);
    CHECK(r && strcmp(hy_result_column_name(r, 0), "t") == 0);
    hy_result_free(r);
    size_t before = off;
    CHECK(hy_exec_next(db, sql, &off, &r) == HY_ERROR);
    CHECK(r == NULL && off > before);
    /* the position is relative to the whole text: line 2, column 17 ("nope") */
    CHECK(hy_error_line(db) == 2 && hy_error_column(db) == 17);
    CHECK(strstr(hy_errmsg(db), "line 2:17") != NULL);
    CHECK(hy_exec_next(db, sql, &off, &r) == HY_OK);
    CHECK(r && hy_result_int64(r, 0, 0) == 3);
    hy_result_free(r);
    CHECK(hy_exec_next(db, sql, &off, &r) == HY_DONE);
    CHECK(r == NULL && strcmp(hy_errmsg(db), "") == 0);
    CHECK(hy_exec_next(db, sql, &off, &r) == HY_DONE);
}

static void test_exec_last_and_stop(hy_db *db) {
    hy_result *r = NULL;
    CHECK(hy_exec(db, "CREATE TABLE s1(x INTEGER); INSERT INTO s1 VALUES (1); SELECT 1 // 0; "
                      "INSERT INTO s1 VALUES (2)", &r) == HY_ERROR);
    CHECK(scalar(db, "SELECT count(*) FROM s1") == 1);
    r = q(db, "INSERT INTO s1 VALUES (5), (6); SELECT sum(x) AS s FROM s1");
    CHECK(r && hy_result_kind_of(r) == HY_RESULT_ROWS && hy_result_int64(r, 0, 0) == 12);
    hy_result_free(r);
    r = q(db, "INSERT INTO s1 VALUES (7), (8), (9)");
    CHECK(r && hy_result_kind_of(r) == HY_RESULT_NONE && hy_result_changes(r) == 3);
    hy_result_free(r);
    hy_result_free(q(db, "DROP TABLE s1"));
}

static void test_lifetime(hy_db *db) {
    hy_result *r = q(db, "CREATE TABLE life(s VARCHAR, d DECIMAL(10,2)); "
                         "INSERT INTO life VALUES ('first string', 1.25), (NULL, NULL), ('', -3.50); "
                         "SELECT s, d, upper(s) AS u FROM life");
    CHECK(r && hy_result_row_count(r) == 3);
    hy_result_free(q(db, "DROP TABLE life; CREATE TABLE other(s VARCHAR); "
                         "INSERT INTO other VALUES ('xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx')"));
    if (!r) return;
    size_t len = 99;
    CHECK(strcmp(hy_result_varchar(r, 0, 0, &len), "first string") == 0 && len == 12);
    CHECK(strcmp(hy_result_varchar(r, 2, 0, NULL), "FIRST STRING") == 0);
    CHECK(hy_result_is_null(r, 0, 1) && hy_result_varchar(r, 0, 1, NULL) == NULL);
    CHECK(!hy_result_is_null(r, 0, 2) && strcmp(hy_result_varchar(r, 0, 2, &len), "") == 0 && len == 0);
    int64_t sc = 0;
    CHECK(hy_result_decimal_scaled(r, 1, 0, &sc) == HY_OK && sc == 125);
    CHECK(hy_result_decimal_scaled(r, 1, 2, &sc) == HY_OK && sc == -350);
    CHECK(hy_result_column_type(r, 1) == HY_TYPE_DECIMAL);
    CHECK(hy_result_column_precision(r, 1) == 10 && hy_result_column_scale(r, 1) == 2);
    char buf[64];
    CHECK(hy_result_format(r, 1, 2, buf, sizeof buf) == 5 && strcmp(buf, "-3.50") == 0);
    CHECK(hy_result_format(r, 1, 2, buf, 3) == 5 && strcmp(buf, "-3") == 0); /* snprintf-like */
    CHECK(hy_result_double(r, 1, 0) == 1.25);
    /* wrong type / NULL / out of range: 0 or NULL */
    CHECK(hy_result_int64(r, 0, 0) == 0 && hy_result_varchar(r, 1, 0, NULL) == NULL);
    CHECK(hy_result_int64(r, 7, 0) == 0 && hy_result_is_null(r, 0, 99));
    CHECK(hy_result_decimal_scaled(r, 0, 0, &sc) == HY_ERROR);
    hy_result_free(r);
    hy_result_free(q(db, "DROP TABLE other"));
}

static void test_getters(hy_db *db) {
    hy_result *r = q(db, "SELECT DATE '1994-02-28' AS d, true AS b, 7 AS i, CAST(9 AS BIGINT) AS big, "
                         "2.5e0 AS f, NULL AS n");
    if (!r) return;
    CHECK(hy_result_column_type(r, 0) == HY_TYPE_DATE);
    int y, m, d;
    hy_date_to_ymd(hy_result_date(r, 0, 0), &y, &m, &d);
    CHECK(y == 1994 && m == 2 && d == 28);
    CHECK(hy_result_int64(r, 0, 0) == hy_result_date(r, 0, 0));
    CHECK(hy_result_column_type(r, 1) == HY_TYPE_BOOLEAN && hy_result_int64(r, 1, 0) == 1);
    char buf[64];
    hy_result_format(r, 1, 0, buf, sizeof buf);
    CHECK(strcmp(buf, "true") == 0);
    CHECK(hy_result_column_type(r, 2) == HY_TYPE_INTEGER && hy_result_int64(r, 2, 0) == 7);
    CHECK(hy_result_column_type(r, 3) == HY_TYPE_BIGINT && hy_result_double(r, 3, 0) == 9.0);
    CHECK(hy_result_column_type(r, 4) == HY_TYPE_DOUBLE && hy_result_double(r, 4, 0) == 2.5);
    CHECK(hy_result_is_null(r, 5, 0));
    hy_result_free(r);
    /* a 38-digit SUM only fits the 128-bit getter */
    r = q(db, "CREATE TABLE w(x BIGINT); INSERT INTO w VALUES (9223372036854775807), (9223372036854775807), (5); "
              "SELECT sum(x) FROM w");
    if (r) {
        int64_t sc, hi;
        uint64_t lo;
        CHECK(hy_result_decimal_scaled(r, 0, 0, &sc) == HY_ERROR);
        hy_result_decimal_i128(r, 0, 0, &hi, &lo);
        /* 2*(2^63-1)+5 = 2^64 + 3 */
        CHECK(hi == 1 && lo == 3);
        hy_result_format(r, 0, 0, buf, sizeof buf);
        CHECK(strcmp(buf, "18446744073709551619") == 0);
        hy_result_free(r);
    }
    hy_result_free(q(db, "DROP TABLE w"));
}

static void test_atomic(hy_db *db) {
    hy_result *r = NULL;
    hy_result_free(q(db, "CREATE TABLE a(x INTEGER NOT NULL, s VARCHAR); INSERT INTO a VALUES (1, 'one'), (0, 'zero')"));
    /* a failing row anywhere undoes the whole INSERT */
    CHECK(hy_exec(db, "INSERT INTO a VALUES (2, 'two'), (1 // 0, 'bad')", &r) == HY_ERROR);
    CHECK(hy_exec(db, "INSERT INTO a SELECT 10 // x, s FROM a", &r) == HY_ERROR);
    CHECK(strstr(hy_errmsg(db), "division by zero") != NULL);
    CHECK(hy_exec(db, "INSERT INTO a VALUES (3, 'three'), (NULL, 'null')", &r) == HY_ERROR);
    CHECK(strstr(hy_errmsg(db), "not-null") != NULL || strstr(hy_errmsg(db), "NOT NULL") != NULL);
    CHECK(scalar(db, "SELECT count(*) FROM a") == 2);
    /* CREATE TABLE AS either fully exists or not at all */
    CHECK(hy_exec(db, "CREATE TABLE c AS SELECT 10 // x AS y FROM a", &r) == HY_ERROR);
    CHECK(hy_exec(db, "SELECT * FROM c", &r) == HY_ERROR);
    CHECK(strstr(hy_errmsg(db), "c") != NULL);
    r = q(db, "CREATE TABLE c AS SELECT x * 2 AS y, s FROM a WHERE x > 0");
    CHECK(r && hy_result_changes(r) == 1);
    hy_result_free(r);
    CHECK(scalar(db, "SELECT y FROM c") == 2);
    CHECK(hy_exec(db, "CREATE TABLE c(z INTEGER)", &r) == HY_ERROR);
    CHECK(strstr(hy_errmsg(db), "already exists") != NULL);
    hy_result_free(q(db, "CREATE TABLE IF NOT EXISTS c(z INTEGER)"));
    CHECK(scalar(db, "SELECT count(*) FROM c") == 1);
    hy_result_free(q(db, "DROP TABLE c; DROP TABLE IF EXISTS c"));
    CHECK(hy_exec(db, "DROP TABLE c", &r) == HY_ERROR);
    CHECK(strstr(hy_errmsg(db), "does not exist") != NULL);
}

static void test_copy(hy_db *db) {
    char path[] = "/tmp/hy_exec_api_XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    if (fd < 0) return;
    close(fd);
    char sql[512];
    hy_result *r = NULL;
    hy_result_free(q(db, "CREATE TABLE src(i INTEGER, s VARCHAR, d DECIMAL(8,3), dt DATE); "
                         "INSERT INTO src VALUES (1, 'a,b', 1.5, DATE '2000-01-01'), (NULL, '', NULL, NULL), "
                         "(3, 'q\"uote', -0.001, DATE '1969-12-31')"));
    snprintf(sql, sizeof sql, "COPY (SELECT * FROM src ORDER BY i DESC) TO '%s' (HEADER)", path);
    r = q(db, sql);
    CHECK(r && hy_result_changes(r) == 3);
    hy_result_free(r);
    snprintf(sql, sizeof sql, "CREATE TABLE dst(i INTEGER, s VARCHAR, d DECIMAL(8,3), dt DATE); COPY dst FROM '%s' (HEADER)", path);
    r = q(db, sql);
    CHECK(r && hy_result_changes(r) == 3);
    hy_result_free(r);
    /* the copy reads back identically (ORDER BY ... DESC puts NULL first) */
    r = q(db, "SELECT i, s, d, dt FROM dst");
    if (r) {
        char buf[64];
        CHECK(hy_result_row_count(r) == 3);
        CHECK(hy_result_is_null(r, 0, 0) && !hy_result_is_null(r, 1, 0));
        hy_result_format(r, 1, 1, buf, sizeof buf);
        CHECK(strcmp(buf, "q\"uote") == 0);
        hy_result_format(r, 2, 1, buf, sizeof buf);
        CHECK(strcmp(buf, "-0.001") == 0);
        hy_result_format(r, 1, 2, buf, sizeof buf);
        CHECK(strcmp(buf, "a,b") == 0);
        hy_result_format(r, 3, 2, buf, sizeof buf);
        CHECK(strcmp(buf, "2000-01-01") == 0);
        hy_result_free(r);
    }
    /* a bad row leaves the table as it was */
    FILE *f = fopen(path, "w");
    fputs("i,s,d,dt\n5,x,1.0,2001-01-01\n6,y,notanumber,2001-01-02\n", f);
    fclose(f);
    snprintf(sql, sizeof sql, "COPY dst FROM '%s' (HEADER)", path);
    CHECK(hy_exec(db, sql, &r) == HY_ERROR);
    CHECK(strstr(hy_errmsg(db), ":3:") != NULL);
    CHECK(scalar(db, "SELECT count(*) FROM dst") == 3);
    unlink(path);
    CHECK(hy_exec(db, sql, &r) == HY_ERROR); /* missing file */
    CHECK(scalar(db, "SELECT count(*) FROM dst") == 3);
    hy_result_free(q(db, "DROP TABLE src; DROP TABLE dst"));
}

static void test_dbgen_explain(hy_db *db) {
    hy_result *r = q(db, "CALL dbgen(sf => 0.002)");
    int64_t n = r ? hy_result_changes(r) : -1;
    CHECK(n > 10000 && n < 14000);
    hy_result_free(r);
    CHECK(scalar(db, "SELECT count(*) FROM lineitem") == n);
    hy_result_free(q(db, "CALL dbgen(sf => 0.002)")); /* replaces lineitem */
    CHECK(scalar(db, "SELECT count(*) FROM lineitem") == n);
    r = q(db, "EXPLAIN SELECT l_returnflag, count(*) FROM lineitem GROUP BY l_returnflag");
    CHECK(r && hy_result_kind_of(r) == HY_RESULT_TEXT && strlen(hy_result_text(r)) > 10);
    CHECK(r && hy_result_text(r)[strlen(hy_result_text(r)) - 1] == '\n');
    hy_result_free(r);
    r = q(db, "EXPLAIN (ANALYZE, FORMAT JSON) SELECT l_returnflag, count(*) FROM lineitem GROUP BY l_returnflag ORDER BY 1");
    if (r) {
        const char *t = hy_result_text(r);
        CHECK(hy_result_kind_of(r) == HY_RESULT_TEXT);
        CHECK(t[0] == '{' && strstr(t, "\"execution_ms\": ") && strstr(t, "\"pipelines\": [{\"id\": 1"));
        CHECK(strstr(t, "\"operators\": \"SCAN lineitem") != NULL);
        CHECK(strstr(t, "\"tier\": \"interpreter\"") != NULL);
        char want[64];
        snprintf(want, sizeof want, "\"rows\": %lld", (long long)n);
        CHECK(strstr(t, want) != NULL); /* the scan pipeline feeds every row to the aggregate */
        hy_result_free(r);
    }
}

/*
 * Which error a failing query reports, and whether a LIMIT query fails at all, must not
 * depend on the thread count or morsel size: the first failing row (table order) wins, and a
 * LIMIT satisfied by the rows before it succeeds (a single thread would never reach it).
 */
static void test_deterministic_errors(void) {
    static const struct { int threads; int64_t mrows; } cfg[] = {
        {1, 0}, {1, 1}, {2, 1}, {4, 1}, {3, 2}, {4, 5}, {2, 1000}};
    for (size_t k = 0; k < sizeof cfg / sizeof cfg[0]; k++) {
        hy_db *db = NULL;
        hy_options o = {cfg[k].threads, cfg[k].mrows};
        if (hy_open(&db, &o) != HY_OK) { failures++; continue; }
        hy_result_free(q(db, "CREATE TABLE e(i INTEGER, b BIGINT)"));
        /* rows 0..39 fine; row 40: i * 2 overflows INTEGER; row 41: b + 1 overflows BIGINT;
         * row 42: 100 // b divides by zero */
        char sql[4096];
        size_t n = (size_t)snprintf(sql, sizeof sql, "INSERT INTO e VALUES ");
        for (int r = 0; r < 40; r++) n += (size_t)snprintf(sql + n, sizeof sql - n, "(%d, %d), ", r, r + 1);
        snprintf(sql + n, sizeof sql - n,
                 "(2000000000, 1), (1, 9223372036854775807), (1, 0)");
        hy_result_free(q(db, sql));
        hy_result *r = NULL;
        CHECK(hy_exec(db, "SELECT 100 // b, b + 1, i * 2 FROM e", &r) == HY_ERROR);
        CHECK(strcmp(hy_errmsg(db), "integer out of range") == 0);
        CHECK(hy_exec(db, "SELECT b + 1 FROM e WHERE i < 2000000000", &r) == HY_ERROR);
        CHECK(strcmp(hy_errmsg(db), "BIGINT out of range") == 0);
        CHECK(hy_exec(db, "SELECT sum(100 // b + i * 2) FROM e", &r) == HY_ERROR);
        CHECK(strcmp(hy_errmsg(db), "integer out of range") == 0);
        CHECK(scalar(db, "SELECT count(*) FROM e") == 43);
        /* A LIMIT stops at morsel boundaries: with morsels of <= 5 rows the first morsels
         * satisfy LIMIT 5 before row 40 is reached, so there is no error with any number of
         * threads (another thread may have reached row 40: its error must be dropped). With
         * one big morsel, row 40 is in the first batch, as with a single thread (DuckDB
         * likewise evaluates whole vectors). */
        if (cfg[k].mrows >= 1 && cfg[k].mrows <= 5) {
            r = q(db, "SELECT i * 2 FROM e LIMIT 5");
            CHECK(r && hy_result_row_count(r) == 5 && hy_result_int64(r, 0, 4) == 8);
            hy_result_free(r);
        } else {
            CHECK(hy_exec(db, "SELECT i * 2 FROM e LIMIT 5", &r) == HY_ERROR);
            CHECK(strcmp(hy_errmsg(db), "integer out of range") == 0);
        }
        r = NULL;
        CHECK(hy_exec(db, "SELECT i * 2 FROM e LIMIT 41", &r) == HY_ERROR);
        CHECK(strcmp(hy_errmsg(db), "integer out of range") == 0);
        hy_close(db);
    }
}

int main(void) {
    CHECK(strlen(hy_version()) >= 5);
    for (int threads = 1; threads <= 3; threads += 2) {
        hy_db *db = NULL;
        hy_options o = {threads, threads == 1 ? 0 : 1000};
        CHECK(hy_open(&db, &o) == HY_OK && db);
        CHECK(strcmp(hy_errmsg(db), "") == 0);
        test_errors(db);
        test_exec_next(db);
        test_exec_last_and_stop(db);
        test_lifetime(db);
        test_getters(db);
        test_atomic(db);
        test_copy(db);
        test_dbgen_explain(db);
        hy_close(db);
    }
    hy_close(NULL);
    test_deterministic_errors();
    printf("exec_api: %d checks, %d failures\n", checks, failures);
    return failures ? 1 : 0;
}
