/* Unit tests for the CSV reader and writer: RFC 4180 edge cases at every buffer boundary
 * (tiny read blocks), error messages naming file:line/column/value, all-or-nothing loads,
 * writer output checked against hand-written text, and writer -> reader round trips. */
#include <math.h>
#include <stdatomic.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "storage/storage.h"

static char tmpdir[64];
static int file_seq;

static const char *write_file(const char *content, size_t len, char *path, size_t cap) {
    snprintf(path, cap, "%s/f%d.csv", tmpdir, file_seq++);
    FILE *f = fopen(path, "wb");
    CHECK(f != NULL);
    if (!f) return path;
    fwrite(content, 1, len, f);
    fclose(f);
    return path;
}

static char *read_all(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *b = malloc((size_t)n + 1);
    *len = fread(b, 1, (size_t)n, f);
    b[*len] = 0;
    fclose(f);
    return b;
}

static hy_value cell(const hy_table *t, int c, int64_t r) {
    hy_value v;
    memset(&v, 0, sizeof v);
    hy_ltype ty = t->cols[c].type;
    v.type = ty;
    v.is_null = !hy_valid_get(t->cols[c].validity, r);
    const void *d = t->cols[c].data;
    switch (ty.id) {
    case HY_TYPE_BOOLEAN: v.v.i = ((const uint8_t *)d)[r]; break;
    case HY_TYPE_INTEGER: case HY_TYPE_DATE: v.v.i = ((const int32_t *)d)[r]; break;
    case HY_TYPE_BIGINT: v.v.i = ((const int64_t *)d)[r]; break;
    case HY_TYPE_DECIMAL:
        if (hy_dec_is_wide(ty)) v.v.d = ((const hy_i128 *)d)[r];
        else v.v.i = ((const int64_t *)d)[r];
        break;
    case HY_TYPE_DOUBLE: v.v.f = ((const double *)d)[r]; break;
    case HY_TYPE_VARCHAR: v.v.s = ((const hy_str *)d)[r]; break;
    default: break;
    }
    return v;
}

/* "NULL" for NULL, "<>" around strings so empty strings are visible */
static const char *cell_text(const hy_table *t, int c, int64_t r, char *buf, size_t cap) {
    hy_value v = cell(t, c, r);
    if (v.is_null) return "NULL";
    if (v.type.id == HY_TYPE_VARCHAR) {
        snprintf(buf, cap, "<%.*s>", (int)v.v.s.len, v.v.s.ptr);
        return buf;
    }
    hy_value_format(&v, buf, cap);
    return buf;
}

/* rows joined with '|' between cells and '\n' after rows */
static char *table_text(const hy_table *t) {
    size_t cap = 1 << 16, len = 0;
    char *out = malloc(cap);
    out[0] = 0;
    char b[512];
    for (int64_t r = 0; r < t->rows; r++)
        for (int c = 0; c < t->ncols; c++) {
            const char *s = cell_text(t, c, r, b, sizeof b);
            size_t n = strlen(s);
            if (len + n + 2 >= cap) out = realloc(out, cap *= 2);
            memcpy(out + len, s, n);
            len += n;
            out[len++] = c + 1 == t->ncols ? '\n' : '|';
            out[len] = 0;
        }
    return out;
}

typedef struct snapshot {
    int64_t rows;
    size_t heap;
    char *text;
    hy_zone *zones; /* ncols * morsels */
} snapshot;

static snapshot snap(const hy_table *t) {
    snapshot s = {t->rows, t->heap.bytes, table_text(t), NULL};
    int64_t nm = hy_table_morsels(t);
    s.zones = malloc(sizeof(hy_zone) * (size_t)(nm * t->ncols + 1));
    for (int64_t m = 0; m < nm; m++)
        for (int c = 0; c < t->ncols; c++) s.zones[m * t->ncols + c] = *hy_col_zone(t, c, m);
    return s;
}

static void check_unchanged(const hy_table *t, snapshot *s, const char *what) {
    CHECK_MSG(t->rows == s->rows, "%s: rows %lld -> %lld", what, (long long)s->rows, (long long)t->rows);
    CHECK_MSG(t->heap.bytes == s->heap, "%s: heap bytes changed", what);
    char *now = table_text(t);
    CHECK_MSG(strcmp(now, s->text) == 0, "%s: contents changed", what);
    free(now);
    int64_t nm = hy_table_morsels(t);
    for (int64_t m = 0; m < nm && t->rows == s->rows; m++)
        for (int c = 0; c < t->ncols; c++) {
            const hy_zone *a = hy_col_zone(t, c, m), *b = &s->zones[m * t->ncols + c];
            hy_zone fresh;
            hy_zone_compute(t, c, m, &fresh);
            CHECK(a->null_count == b->null_count && a->has_minmax == b->has_minmax);
            CHECK(a->null_count == fresh.null_count && a->has_minmax == fresh.has_minmax);
            if (a->has_minmax && b->has_minmax) {
                CHECK(hy_value_cmp(&a->min, &b->min) == 0 && hy_value_cmp(&a->max, &b->max) == 0);
                CHECK(hy_value_cmp(&a->min, &fresh.min) == 0 && hy_value_cmp(&a->max, &fresh.max) == 0);
            }
        }
    free(s->text);
    free(s->zones);
}

static void check_zones_exact(const hy_table *t) {
    for (int64_t m = 0; m < hy_table_morsels(t); m++)
        for (int c = 0; c < t->ncols; c++) {
            const hy_zone *a = hy_col_zone(t, c, m);
            hy_zone f;
            hy_zone_compute(t, c, m, &f);
            CHECK(a->null_count == f.null_count && a->has_minmax == f.has_minmax);
            if (a->has_minmax && f.has_minmax)
                CHECK(hy_value_cmp(&a->min, &f.min) == 0 && hy_value_cmp(&a->max, &f.max) == 0);
        }
}

/* Load `content` into a fresh table with every block size from 1 to 70 bytes plus the default;
 * all must produce `want` (table_text format). */
static void expect_load(const hy_coldef *defs, int ncols, const char *content, size_t len,
                        hy_csv_options opt, const char *want, int64_t want_rows) {
    char path[128];
    write_file(content, len, path, sizeof path);
    for (uint32_t bs = 0; bs <= 70; bs++) {
        hy_table *t = hy_table_new("t", ncols, defs, 2);
        opt.block_bytes = bs;
        hy_error e;
        hy_error_clear(&e);
        int64_t n = hy_csv_load(t, path, &opt, NULL, NULL, &e);
        CHECK_MSG(n == want_rows, "block %u: loaded %lld, want %lld (%s)", bs, (long long)n,
                  (long long)want_rows, e.msg);
        char *got = table_text(t);
        CHECK_MSG(strcmp(got, want) == 0, "block %u:\n got:\n%s want:\n%s", bs, got, want);
        free(got);
        check_zones_exact(t);
        hy_table_free(t);
        if (check_failures) break;
    }
}

static void test_reader_edges(void) {
    hy_coldef d3[3] = {{"a", {HY_TYPE_INTEGER, 0, 0}, false},
                       {"b", {HY_TYPE_VARCHAR, 0, 0}, false},
                       {"c", {HY_TYPE_DECIMAL, 15, 2}, false}};
    hy_csv_options o = {',', false, '"', 0};
    hy_csv_options oh = {',', true, '"', 0};
    const char *f1 = "a,b,c\n1,plain,1.5\n2,\"quoted, comma\",-0.05\n3,\"say \"\"hi\"\"\",7\n"
                     "4,\"two\nlines\",\n,,\n5,\"\",0\n6, spaced ,  2.345  \n";
    const char *w1 = "1|<plain>|1.50\n2|<quoted, comma>|-0.05\n3|<say \"hi\">|7.00\n"
                     "4|<two\nlines>|NULL\nNULL|NULL|NULL\n5|<>|0.00\n6|< spaced >|2.35\n";
    expect_load(d3, 3, f1, strlen(f1), oh, w1, 7);
    /* CRLF, no final newline, quoted field with CRLF inside */
    const char *f2 = "a,b,c\r\n1,x,1\r\n2,\"p\r\nq\",2\r\n3,\"\"\"\",3";
    const char *w2 = "1|<x>|1.00\n2|<p\r\nq>|2.00\n3|<\">|3.00\n";
    expect_load(d3, 3, f2, strlen(f2), oh, w2, 3);
    /* lone CR line ends, trailing CR at EOF */
    const char *f3 = "1,a,1\r2,b,2\r";
    expect_load(d3, 3, f3, strlen(f3), o, "1|<a>|1.00\n2|<b>|2.00\n", 2);
    /* custom delimiters; the comma is then plain data */
    hy_csv_options op = {'|', false, '"', 0};
    const char *f4 = "1|a,b|1\n2|\"x|y\"|2\n";
    expect_load(d3, 3, f4, strlen(f4), op, "1|<a,b>|1.00\n2|<x|y>|2.00\n", 2);
    hy_csv_options ot = {'\t', false, '"', 0};
    const char *f5 = "1\tq\t1\n2\t\t\n";
    expect_load(d3, 3, f5, strlen(f5), ot, "1|<q>|1.00\n2|NULL|NULL\n", 2);
    /* custom quote */
    hy_csv_options oq = {',', false, '\'', 0};
    const char *f6 = "1,'it''s, ok',1\n";
    expect_load(d3, 3, f6, strlen(f6), oq, "1|<it's, ok>|1.00\n", 1);
    /* UTF-8 BOM; blank lines ignored for multi-column tables; empty file; header only */
    const char *f7 = "\xEF\xBB\xBF" "1,\xc3\xa9,1\n\n2,b,2\n\n";
    expect_load(d3, 3, f7, strlen(f7), o, "1|<\xc3\xa9>|1.00\n2|<b>|2.00\n", 2);
    expect_load(d3, 3, "", 0, o, "", 0);
    expect_load(d3, 3, "a,b,c\n", 6, oh, "", 0);
    expect_load(d3, 3, "a,b,c", 5, oh, "", 0);
    /* a quote inside an unquoted field is data */
    const char *f8 = "1,ab\"c,1\n";
    expect_load(d3, 3, f8, strlen(f8), o, "1|<ab\"c>|1.00\n", 1);
    /* one-column table: an empty line is a NULL row, "" an empty string */
    hy_coldef d1[1] = {{"s", {HY_TYPE_VARCHAR, 0, 0}, false}};
    const char *f9 = "x\n\n\"\"\ny\n";
    expect_load(d1, 1, f9, strlen(f9), o, "<x>\nNULL\n<>\n<y>\n", 4);
    /* every type */
    hy_coldef dall[7] = {{"b", {HY_TYPE_BOOLEAN, 0, 0}, false}, {"i", {HY_TYPE_INTEGER, 0, 0}, false},
                         {"g", {HY_TYPE_BIGINT, 0, 0}, false},  {"f", {HY_TYPE_DOUBLE, 0, 0}, false},
                         {"w", {HY_TYPE_DECIMAL, 30, 4}, false}, {"d", {HY_TYPE_DATE, 0, 0}, false},
                         {"s", {HY_TYPE_VARCHAR, 0, 0}, false}};
    const char *f10 = "true,-2147483648,9223372036854775807,1e20,12345678901234567890.12345,1992-02-29,x\n"
                      "f, 7 ,-9223372036854775808,-0.0,\"-1\",\"0001-01-01\",\"\"\n"
                      ",,,,,,\n";
    const char *w10 = "true|-2147483648|9223372036854775807|1e+20|12345678901234567890.1235|1992-02-29|<x>\n"
                      "false|7|-9223372036854775808|-0.0|-1.0000|0001-01-01|<>\n"
                      "NULL|NULL|NULL|NULL|NULL|NULL|NULL\n";
    expect_load(dall, 7, f10, strlen(f10), o, w10, 3);
}

/* Load that must fail with a message containing `want`, leaving a preloaded table as it was. */
static void expect_fail(const char *content, hy_csv_options opt, hy_errcode code,
                        const char *want_suffix, int want_line) {
    hy_coldef d[3] = {{"a", {HY_TYPE_INTEGER, 0, 0}, true},
                      {"b", {HY_TYPE_VARCHAR, 0, 0}, false},
                      {"c", {HY_TYPE_DECIMAL, 15, 2}, false}};
    char path[128];
    write_file(content, strlen(content), path, sizeof path);
    const char *pre = "10,pre,1\n11,pre2,2\n12,,3\n13,zz,\n14,a,-5\n";
    char prepath[128];
    write_file(pre, strlen(pre), prepath, sizeof prepath);
    for (uint32_t bs = 0; bs <= 40; bs += (bs < 5 ? 1 : 7)) {
        hy_table *t = hy_table_new("tab", 3, d, 3); /* morsel of 3: the failed load starts mid-morsel */
        hy_error e;
        hy_error_clear(&e);
        CHECK(hy_csv_load(t, prepath, NULL, NULL, NULL, &e) == 5);
        snapshot s = snap(t);
        opt.block_bytes = bs;
        hy_error_clear(&e);
        CHECK(hy_csv_load(t, path, &opt, NULL, NULL, &e) == -1);
        CHECK_MSG(e.code == code, "code %d want %d (%s)", e.code, code, e.msg);
        char want[512];
        snprintf(want, sizeof want, "%s:%d: %s", path, want_line, want_suffix);
        CHECK_STR(e.msg, want);
        check_unchanged(t, &s, want_suffix);
        /* the table still accepts a good load afterwards */
        hy_error_clear(&e);
        CHECK(hy_csv_load(t, prepath, NULL, NULL, NULL, &e) == 5 && t->rows == 10);
        check_zones_exact(t);
        hy_table_free(t);
        if (check_failures) break;
    }
}

static void test_reader_errors(void) {
    hy_csv_options o = {',', false, '"', 0}, oh = {',', true, '"', 0};
    expect_fail("1,a,1\n2,b\n", o, HY_E_DATA, "expected 3 fields, found 2", 2);
    expect_fail("1,a,1\n2,b,3,4\n", o, HY_E_DATA, "expected 3 fields, found 4", 2);
    expect_fail("h,h,h\n1,\"x\ny\",1\n3,\"z\",4\n5,q,x\n", oh, HY_E_DATA,
                "column c: cannot convert \"x\" to DECIMAL(15,2)", 5);
    expect_fail("1,a,1\nabc,b,2\n", o, HY_E_DATA, "column a: cannot convert \"abc\" to INTEGER", 2);
    expect_fail("1,a,1\n99999999999,b,2\n", o, HY_E_DATA,
                "column a: cannot convert \"99999999999\" to INTEGER (out of range)", 2);
    expect_fail("1,a,1\n2,b,1e20\n", o, HY_E_DATA,
                "column c: cannot convert \"1e20\" to DECIMAL(15,2) (out of range)", 2);
    expect_fail("1,a,1\n\"\",b,2\n", o, HY_E_DATA, "column a: cannot convert \"\" to INTEGER", 2);
    expect_fail("1,a,1\n,b,2\n", o, HY_E_CONSTRAINT,
                "null value in column \"a\" of table \"tab\" violates not-null constraint", 2);
    expect_fail("1,a,1\n2,\"unterminated,3\n4,b,5\n", o, HY_E_DATA, "unterminated quoted field", 2);
    expect_fail("1,a,1\n2,\"q\"x,3\n", o, HY_E_DATA,
                "column b: unexpected character after closing quote", 2);
    expect_fail("1,a,1\r\n2,\"multi\r\nline\",3\r\n\r\n4,b,zz\r\n", o, HY_E_DATA,
                "column c: cannot convert \"zz\" to DECIMAL(15,2)", 5);

    /* a bad row after several flushed batches: nothing of the file stays */
    size_t cap = 50 * 40000 + 100, len = 0;
    char *big = malloc(cap);
    for (int i = 0; i < 40000; i++) len += (size_t)snprintf(big + len, cap - len, "%d,row%d,%d.25\n", i, i, i % 1000);
    char good[128];
    write_file(big, len, good, sizeof good);
    len += (size_t)snprintf(big + len, cap - len, "40000,x,notanumber\n");
    char bad[128];
    write_file(big, len, bad, sizeof bad);
    free(big);
    hy_coldef d[3] = {{"a", {HY_TYPE_INTEGER, 0, 0}, true},
                      {"b", {HY_TYPE_VARCHAR, 0, 0}, false},
                      {"c", {HY_TYPE_DECIMAL, 15, 2}, false}};
    hy_table *t = hy_table_new("big", 3, d, 1000);
    hy_error e;
    hy_error_clear(&e);
    hy_csv_options small = {',', false, '"', 65536};
    CHECK(hy_csv_load(t, bad, &small, NULL, NULL, &e) == -1);
    CHECK(t->rows == 0 && t->heap.bytes == 0);
    char want[256];
    snprintf(want, sizeof want, "%s:40001: column c: cannot convert \"notanumber\" to DECIMAL(15,2)", bad);
    CHECK_STR(e.msg, want);
    hy_error_clear(&e);
    CHECK(hy_csv_load(t, good, &small, NULL, NULL, &e) == 40000);
    CHECK(t->rows == 40000);
    char b[64];
    CHECK_STR(cell_text(t, 1, 39999, b, sizeof b), "<row39999>");
    CHECK_STR(cell_text(t, 2, 12345, b, sizeof b), "345.25");
    check_zones_exact(t);
    hy_table_free(t);

    /* missing file, directory */
    t = hy_table_new("m", 3, d, 0);
    hy_error_clear(&e);
    CHECK(hy_csv_load(t, "/nonexistent-dir/missing.csv", NULL, NULL, NULL, &e) == -1);
    CHECK(e.code == HY_E_IO);
    CHECK_STR(e.msg, "could not open file \"/nonexistent-dir/missing.csv\" for reading: No such file or directory");
    hy_error_clear(&e);
    CHECK(hy_csv_load(t, tmpdir, NULL, NULL, NULL, &e) == -1 && e.code == HY_E_IO);
    CHECK_CONTAINS(e.msg, tmpdir);
    hy_error_clear(&e);
    hy_csv_options same = {',', false, ',', 0};
    CHECK(hy_csv_load(t, good, &same, NULL, NULL, &e) == -1);
    CHECK_CONTAINS(e.msg, "invalid CSV options");
    CHECK(t->rows == 0);
    hy_table_free(t);
}

typedef struct prog { int calls; double last; bool monotonic; } prog;
static void on_progress(void *ud, double done) {
    prog *p = ud;
    if (done < p->last || done > 1.0) p->monotonic = false;
    p->last = done;
    p->calls++;
}

static void test_long_records_and_progress(void) {
    hy_coldef d[2] = {{"i", {HY_TYPE_BIGINT, 0, 0}, false}, {"s", {HY_TYPE_VARCHAR, 0, 0}, false}};
    size_t big = 300000;
    char *content = malloc(big * 2 + 100);
    size_t len = (size_t)sprintf(content, "1,\"");
    for (size_t i = 0; i < big; i++) content[len++] = (char)(i % 97 == 0 ? '\n' : 'a' + i % 26);
    len += (size_t)sprintf(content + len, "\"\n2,");
    for (size_t i = 0; i < big; i++) content[len++] = 'z';
    content[len++] = '\n';
    char path[128];
    write_file(content, len, path, sizeof path);
    hy_table *t = hy_table_new("long", 2, d, 0);
    hy_csv_options o = {',', false, '"', 16};
    prog p = {0, 0, true};
    hy_error e;
    hy_error_clear(&e);
    CHECK(hy_csv_load(t, path, &o, on_progress, &p, &e) == 2);
    const hy_str *s = hy_col_data(t, 1);
    CHECK(s[0].len == big && s[1].len == big && memcmp(s[0].ptr, content + 3, big) == 0);
    CHECK(p.calls >= 2 && p.monotonic && p.last == 1.0);
    hy_table_free(t);
    free(content);
}

/* ---- interrupt ------------------------------------------------------------------------------ */

typedef struct intr_prog {
    atomic_int *flag;
    int calls, fire_at;
} intr_prog;

static void intr_on_progress(void *ud, double done) {
    intr_prog *p = ud;
    if (++p->calls == p->fire_at) atomic_store(p->flag, 1);
}

/* hy_interrupt() during COPY: the flag is polled per block and per batch; an interrupted load
 * fails with HY_E_INTERRUPT "interrupted" and leaves the table exactly as it was. */
static void test_interrupt(void) {
    hy_coldef d[2] = {{"i", {HY_TYPE_BIGINT, 0, 0}, false}, {"s", {HY_TYPE_VARCHAR, 0, 0}, false}};
    const char *pre = "1,one\n2,two\n3,\n";
    char prepath[128], path[128];
    write_file(pre, strlen(pre), prepath, sizeof prepath);
    enum { N = 100000 }; /* > 3 batches of 32768 rows */
    char *content = malloc((size_t)N * 32);
    size_t len = 0;
    for (int i = 0; i < N; i++) len += (size_t)sprintf(content + len, "%d,row%d\n", i, i);
    write_file(content, len, path, sizeof path);
    free(content);
    atomic_int flag;
    hy_csv_options small = {',', false, '"', 4096};
    for (int mode = 0; mode < 3; mode++) {
        /* 0: set before the load; 1: set after the first block; 2: set after many blocks
         * (several batches already appended to the table) */
        hy_table *t = hy_table_new("intr", 2, d, 7);
        hy_error e;
        hy_error_clear(&e);
        CHECK(hy_csv_load(t, prepath, NULL, NULL, NULL, &e) == 3);
        snapshot s = snap(t);
        atomic_init(&flag, mode == 0);
        intr_prog p = {&flag, 0, mode == 0 ? -1 : mode == 1 ? 1 : 80};
        hy_error_clear(&e);
        CHECK(hy_csv_load_intr(t, path, &small, &flag, intr_on_progress, &p, &e) == -1);
        CHECK_MSG(e.code == HY_E_INTERRUPT, "mode %d: code %d (%s)", mode, e.code, e.msg);
        CHECK_STR(e.msg, "interrupted");
        if (mode == 2) CHECK_MSG(p.calls >= 80, "progress calls %d", p.calls);
        check_unchanged(t, &s, "interrupted COPY");
        /* a cleared flag (or none) loads everything */
        atomic_store(&flag, 0);
        hy_error_clear(&e);
        CHECK(hy_csv_load_intr(t, path, NULL, &flag, NULL, NULL, &e) == N && t->rows == 3 + N);
        check_zones_exact(t);
        hy_table_free(t);
    }
}

/* ---- writer --------------------------------------------------------------------------------- */

static void test_writer_exact(void) {
    int32_t iv[6] = {1, 0, -7, 3, 4, 5};
    hy_str sv[6] = {{"plain", 5}, {"a,b", 3}, {"", 0}, {"say \"hi\"", 8}, {"", 0}, {"two\nlines", 9}};
    int64_t dv[6] = {150, -5, 0, 0, 1000, -100};
    int32_t tv[6] = {8035, 0, 10591, 11016, 0, -1};
    double fv[6] = {2.0, 0.1, 0, 1e20, -0.0, INFINITY};
    uint8_t bv[6] = {1, 0, 0, 1, 0, 1};
    uint64_t vi = 0x3D, vs = 0x2F, vd = 0x3B, vt = 0x3D, vf = 0x3B, vb = 0x3B;
    hy_vec cols[6] = {{hy_lt(HY_TYPE_INTEGER), 6, iv, &vi}, {hy_lt(HY_TYPE_VARCHAR), 6, sv, &vs},
                      {hy_lt_dec(15, 2), 6, dv, &vd},      {hy_lt(HY_TYPE_DATE), 6, tv, &vt},
                      {hy_lt(HY_TYPE_DOUBLE), 6, fv, &vf}, {hy_lt(HY_TYPE_BOOLEAN), 6, bv, &vb}};
    const char *names[6] = {"i", "s,x", "d", "dt", "f \"q\"", "b"};
    char path[128];
    snprintf(path, sizeof path, "%s/w_exact.csv", tmpdir);
    hy_error e;
    hy_error_clear(&e);
    hy_csv_options oh = {',', true, '"', 0};
    hy_csv_writer *w = hy_csv_writer_open(path, &oh, &e);
    CHECK(w != NULL);
    CHECK(hy_csv_write_header(w, 6, names));
    CHECK(hy_csv_write_rows(w, 6, cols, 3));
    hy_vec tail[6];
    for (int c = 0; c < 6; c++) tail[c] = cols[c];
    /* second call: rows 3..5 through shifted pointers (validity shifted by hand) */
    int32_t iv2[3] = {3, 4, 5};
    hy_str sv2[3] = {sv[3], sv[4], sv[5]};
    int64_t dv2[3] = {0, 1000, -100};
    int32_t tv2[3] = {11016, 0, -1};
    double fv2[3] = {1e20, -0.0, INFINITY};
    uint8_t bv2[3] = {1, 0, 1};
    uint64_t all = 0x7, s2 = 0x5; /* row 4's string is NULL */
    tail[0].data = iv2; tail[0].validity = &all;
    tail[1].data = sv2; tail[1].validity = &s2;
    tail[2].data = dv2; tail[2].validity = NULL;
    tail[3].data = tv2; tail[3].validity = NULL;
    tail[4].data = fv2; tail[4].validity = NULL;
    tail[5].data = bv2; tail[5].validity = NULL;
    CHECK(hy_csv_write_rows(w, 6, tail, 3));
    CHECK(hy_csv_writer_close(w, &e));
    size_t len;
    char *got = read_all(path, &len);
    const char *want = "i,\"s,x\",d,dt,\"f \"\"q\"\"\",b\n"
                       "1,plain,1.50,1992-01-01,2.0,true\n"
                       ",\"a,b\",-0.05,,0.1,false\n"
                       "-7,\"\",,1998-12-31,,\n"
                       "3,\"say \"\"hi\"\"\",0.00,2000-02-29,1e+20,true\n"
                       "4,,10.00,1970-01-01,-0.0,false\n"
                       "5,\"two\nlines\",-1.00,1969-12-31,inf,true\n";
    CHECK_STR(got ? got : "", want);
    free(got);
    /* open failures and write failures */
    hy_error_clear(&e);
    CHECK(hy_csv_writer_open("/nonexistent-dir/out.csv", NULL, &e) == NULL && e.code == HY_E_IO);
    CHECK_STR(e.msg, "could not open file \"/nonexistent-dir/out.csv\" for writing: No such file or directory");
    if (access("/dev/full", W_OK) == 0) {
        hy_error_clear(&e);
        w = hy_csv_writer_open("/dev/full", NULL, &e);
        CHECK(w != NULL);
        for (int i = 0; i < 100000 && w; i++) hy_csv_write_rows(w, 6, cols, 1);
        CHECK(!hy_csv_writer_close(w, &e) && e.code == HY_E_IO);
        CHECK_CONTAINS(e.msg, "could not write to file \"/dev/full\"");
    }
}

/* Random table with every type and hostile strings: write, read back, compare exactly. */
static void test_roundtrip(char delim, int ncols_mode, unsigned long long seed) {
    hy_coldef dall[8] = {{"b", {HY_TYPE_BOOLEAN, 0, 0}, false}, {"i", {HY_TYPE_INTEGER, 0, 0}, false},
                         {"g", {HY_TYPE_BIGINT, 0, 0}, false},  {"f", {HY_TYPE_DOUBLE, 0, 0}, false},
                         {"n", {HY_TYPE_DECIMAL, 15, 2}, false}, {"w", {HY_TYPE_DECIMAL, 38, 10}, false},
                         {"d", {HY_TYPE_DATE, 0, 0}, false},    {"s", {HY_TYPE_VARCHAR, 0, 0}, false}};
    hy_coldef *defs = ncols_mode == 1 ? &dall[7] : dall;
    int ncols = ncols_mode == 1 ? 1 : 8;
    const int64_t n = 3000;
    unsigned long long rng = seed;
    hy_table *src = hy_table_new("src", ncols, defs, 100);
    hy_vec v[8];
    static const char *strs[] = {"", "plain", "a,b", "a|b", "q\"q", "\"", "\n", "\r\n", "x\ry",
                                 " lead", "trail ", "\t", "NULL", "\xc3\xa9t\xc3\xa9", ",", "\"\""};
    for (int c = 0; c < ncols; c++) {
        v[c].type = defs[c].type;
        v[c].n = n;
        v[c].data = calloc((size_t)n, hy_lt_width(defs[c].type));
        v[c].validity = calloc(hy_valid_words(n), 8);
        for (int64_t r = 0; r < n; r++) {
            uint64_t x = test_rand(&rng);
            hy_valid_set(v[c].validity, r, x % 9 != 0);
            switch (defs[c].type.id) {
            case HY_TYPE_BOOLEAN: ((uint8_t *)v[c].data)[r] = x >> 9 & 1; break;
            case HY_TYPE_INTEGER: ((int32_t *)v[c].data)[r] = (int32_t)(x >> 16); break;
            case HY_TYPE_BIGINT: ((int64_t *)v[c].data)[r] = (int64_t)test_rand(&rng); break;
            case HY_TYPE_DOUBLE: {
                uint64_t bits = test_rand(&rng);
                double f;
                memcpy(&f, &bits, 8);
                if (x % 5 == 0) f = (double)(int32_t)(x >> 20) / 100;
                ((double *)v[c].data)[r] = f;
                break;
            }
            case HY_TYPE_DECIMAL:
                if (hy_dec_is_wide(defs[c].type))
                    ((hy_i128 *)v[c].data)[r] = ((hy_i128)(int64_t)test_rand(&rng) * (int64_t)(x >> 2)) % hy_pow10_i128[38];
                else
                    ((int64_t *)v[c].data)[r] = (int64_t)(test_rand(&rng) % 1999999999999999ULL) - 999999999999999LL;
                break;
            case HY_TYPE_DATE: ((int32_t *)v[c].data)[r] = (int32_t)(x >> 12) % 3000000 - 700000; break;
            case HY_TYPE_VARCHAR: {
                const char *s = strs[(x >> 8) % (sizeof strs / sizeof *strs)];
                ((hy_str *)v[c].data)[r].ptr = s;
                ((hy_str *)v[c].data)[r].len = (uint32_t)strlen(s);
                break;
            }
            default: break;
            }
        }
    }
    hy_error e;
    hy_error_clear(&e);
    CHECK(hy_table_append(src, v, n, &e));
    for (int c = 0; c < ncols; c++) {
        free(v[c].data);
        free(v[c].validity);
    }
    /* write the table's own columns as vectors */
    char path[128];
    snprintf(path, sizeof path, "%s/rt_%d.csv", tmpdir, file_seq++);
    hy_csv_options o = {delim, true, '"', 0};
    hy_csv_writer *w = hy_csv_writer_open(path, &o, &e);
    const char *names[8];
    for (int c = 0; c < ncols; c++) {
        names[c] = defs[c].name;
        v[c].type = src->cols[c].type;
        v[c].data = src->cols[c].data;
        v[c].validity = src->cols[c].validity;
        v[c].n = n;
    }
    CHECK(w && hy_csv_write_header(w, ncols, names));
    CHECK(hy_csv_write_rows(w, ncols, v, n));
    CHECK(hy_csv_writer_close(w, &e));
    hy_table *dst = hy_table_new("dst", ncols, defs, 100);
    hy_error_clear(&e);
    for (uint32_t bs = 0; bs <= 256; bs += 128) {
        o.block_bytes = bs;
        hy_table_mark m0 = hy_table_save(dst);
        int64_t got = hy_csv_load(dst, path, &o, NULL, NULL, &e);
        CHECK_MSG(got == n, "loaded %lld: %s", (long long)got, e.msg);
        for (int64_t r = 0; r < n && got == n; r++)
            for (int c = 0; c < ncols; c++) {
                hy_value a = cell(src, c, r), b = cell(dst, c, r);
                bool same = a.is_null == b.is_null;
                if (same && !a.is_null) {
                    if (a.type.id == HY_TYPE_DOUBLE)
                        same = memcmp(&a.v.f, &b.v.f, 8) == 0 || (isnan(a.v.f) && isnan(b.v.f));
                    else
                        same = hy_value_cmp(&a, &b) == 0;
                }
                CHECK_MSG(same, "delim '%c' row %lld col %d", delim, (long long)r, c);
            }
        check_zones_exact(dst);
        hy_table_restore(dst, m0);
        CHECK(dst->rows == 0);
    }
    hy_table_free(dst);
    hy_table_free(src);
}

int main(void) {
    snprintf(tmpdir, sizeof tmpdir, "/tmp/hy_csv_test_XXXXXX");
    if (!mkdtemp(tmpdir)) {
        perror("mkdtemp");
        return 1;
    }
    test_reader_edges();
    test_reader_errors();
    test_long_records_and_progress();
    test_interrupt();
    test_writer_exact();
    test_roundtrip(',', 0, 11);
    test_roundtrip('|', 0, 12);
    test_roundtrip('\t', 0, 13);
    test_roundtrip(',', 1, 14);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", tmpdir);
    return check_done("test_csv");
}
