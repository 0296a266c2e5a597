/*
 * dbgen tests: determinism, row counts near the spec's 6,001,215 * SF, every row's invariants
 * from TPC-H 4.2.3 (checked from the formulas, not from our own output), distributions, a
 * Q1-style aggregation cross-checked two ways, exact zone maps.
 *
 * Benchmark mode (not run by ctest): HY_DBGEN_BENCH_SF=1 test_tpch_dbgen [dir] times dbgen,
 * writes lineitem as CSV into dir (default /tmp) and times loading it back.
 */
#include <math.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include "check.h"
#include "storage/storage.h"
#include "tpch/dbgen.h"

enum {
    L_ORDERKEY, L_PARTKEY, L_SUPPKEY, L_LINENUMBER, L_QUANTITY, L_EXTENDEDPRICE, L_DISCOUNT,
    L_TAX, L_RETURNFLAG, L_LINESTATUS, L_SHIPDATE, L_COMMITDATE, L_RECEIPTDATE,
    L_SHIPINSTRUCT, L_SHIPMODE, L_COMMENT, L_NCOLS
};

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

#define COL(t, c, T) ((const T *)hy_col_data(t, c))

static bool str_is(hy_str s, const char *w) { return s.len == strlen(w) && memcmp(s.ptr, w, s.len) == 0; }

static void test_schema(const hy_table *t) {
    static const char *names[L_NCOLS] = {
        "l_orderkey", "l_partkey", "l_suppkey", "l_linenumber", "l_quantity", "l_extendedprice",
        "l_discount", "l_tax", "l_returnflag", "l_linestatus", "l_shipdate", "l_commitdate",
        "l_receiptdate", "l_shipinstruct", "l_shipmode", "l_comment"};
    hy_type ids[L_NCOLS] = {HY_TYPE_BIGINT, HY_TYPE_BIGINT, HY_TYPE_BIGINT, HY_TYPE_INTEGER,
                            HY_TYPE_DECIMAL, HY_TYPE_DECIMAL, HY_TYPE_DECIMAL, HY_TYPE_DECIMAL,
                            HY_TYPE_VARCHAR, HY_TYPE_VARCHAR, HY_TYPE_DATE, HY_TYPE_DATE,
                            HY_TYPE_DATE, HY_TYPE_VARCHAR, HY_TYPE_VARCHAR, HY_TYPE_VARCHAR};
    CHECK(t->ncols == L_NCOLS);
    CHECK(strcmp(t->name, "lineitem") == 0);
    for (int c = 0; c < L_NCOLS && c < t->ncols; c++) {
        CHECK_STR(t->cols[c].name, names[c]);
        CHECK(t->cols[c].type.id == ids[c]);
        CHECK(t->cols[c].not_null);
        if (ids[c] == HY_TYPE_DECIMAL) CHECK(t->cols[c].type.prec == 15 && t->cols[c].type.scale == 2);
    }
}

/* Every row against the spec's rules. */
static void test_invariants(const hy_table *t, double sf) {
    const int32_t start = hy_date_from_ymd(1992, 1, 1), current = hy_date_from_ymd(1995, 6, 17),
                  end = hy_date_from_ymd(1998, 12, 31);
    /* counts are rounded, at least 1 */
    const int64_t nparts = llround(sf * 200000) > 0 ? llround(sf * 200000) : 1;
    const int64_t nsupps = llround(sf * 10000) > 0 ? llround(sf * 10000) : 1;
    const int64_t norders = llround(sf * 1500000) > 0 ? llround(sf * 1500000) : 1;
    const int64_t *ok = COL(t, L_ORDERKEY, int64_t), *pk = COL(t, L_PARTKEY, int64_t),
                  *sk = COL(t, L_SUPPKEY, int64_t), *qty = COL(t, L_QUANTITY, int64_t),
                  *price = COL(t, L_EXTENDEDPRICE, int64_t), *disc = COL(t, L_DISCOUNT, int64_t),
                  *tax = COL(t, L_TAX, int64_t);
    const int32_t *ln = COL(t, L_LINENUMBER, int32_t), *sd = COL(t, L_SHIPDATE, int32_t),
                  *cd = COL(t, L_COMMITDATE, int32_t), *rd = COL(t, L_RECEIPTDATE, int32_t);
    const hy_str *rf = COL(t, L_RETURNFLAG, hy_str), *ls = COL(t, L_LINESTATUS, hy_str),
                 *si = COL(t, L_SHIPINSTRUCT, hy_str), *sm = COL(t, L_SHIPMODE, hy_str),
                 *cm = COL(t, L_COMMENT, hy_str);
    static const char *instr[] = {"DELIVER IN PERSON", "COLLECT COD", "NONE", "TAKE BACK RETURN"};
    static const char *modes[] = {"REG AIR", "AIR", "RAIL", "SHIP", "TRUCK", "MAIL", "FOB"};
    int64_t orders = 0, bad = 0;
    int64_t lo_odate = INT64_MIN, hi_odate = INT64_MAX; /* order date window of the current order */
    int64_t n_r = 0, n_a = 0, mode_count[7] = {0}, qsum = 0, lines_hist[8] = {0};
    int64_t max_key = 0;
    for (int64_t r = 0; r < t->rows; r++) {
        for (int c = 0; c < L_NCOLS; c++) CHECK(hy_valid_get(hy_col_validity(t, c), r));
        bool first = r == 0 || ok[r] != ok[r - 1];
        if (first) {
            if (r > 0) {
                CHECK_MSG(ok[r] > ok[r - 1], "row %lld: orderkeys not increasing", (long long)r);
                lines_hist[ln[r - 1]]++;
            }
            orders++;
            /* sparse keys: 8 of each 32 key values, in order of the order ordinal */
            int64_t o = orders;
            CHECK(ok[r] == ((o >> 3) << 5 | (o & 7)));
            CHECK(ln[r] == 1);
            lo_odate = start;
            hi_odate = end - 151;
        } else {
            CHECK(ln[r] == ln[r - 1] + 1 && ln[r] <= 7);
        }
        if (ok[r] > max_key) max_key = ok[r];
        /* keys */
        bool row_ok = pk[r] >= 1 && pk[r] <= nparts;
        bool supp_ok = false;
        for (int64_t i = 0; i < 4; i++)
            supp_ok |= sk[r] == (pk[r] + i * (nsupps / 4 + (pk[r] - 1) / nsupps)) % nsupps + 1;
        row_ok &= supp_ok;
        /* money: DECIMAL(15,2) scaled by 100 */
        row_ok &= qty[r] % 100 == 0 && qty[r] >= 100 && qty[r] <= 5000;
        int64_t retail_cents = 90000 + (pk[r] / 10) % 20001 + 100 * (pk[r] % 1000);
        row_ok &= price[r] == qty[r] / 100 * retail_cents;
        row_ok &= disc[r] >= 0 && disc[r] <= 10 && tax[r] >= 0 && tax[r] <= 8;
        /* dates: ship = o+1..121, commit = o+30..90 for one order date per order */
        if (sd[r] - 121 > lo_odate) lo_odate = sd[r] - 121;
        if (sd[r] - 1 < hi_odate) hi_odate = sd[r] - 1;
        if (cd[r] - 90 > lo_odate) lo_odate = cd[r] - 90;
        if (cd[r] - 30 < hi_odate) hi_odate = cd[r] - 30;
        row_ok &= lo_odate <= hi_odate;
        row_ok &= rd[r] - sd[r] >= 1 && rd[r] - sd[r] <= 30;
        /* flags follow the dates */
        if (rd[r] <= current) {
            row_ok &= str_is(rf[r], "R") || str_is(rf[r], "A");
            n_r += str_is(rf[r], "R");
            n_a += str_is(rf[r], "A");
        } else {
            row_ok &= str_is(rf[r], "N");
        }
        row_ok &= str_is(ls[r], sd[r] > current ? "O" : "F");
        bool in_i = false, in_m = false;
        for (int k = 0; k < 4; k++) in_i |= str_is(si[r], instr[k]);
        for (int k = 0; k < 7; k++)
            if (str_is(sm[r], modes[k])) in_m = true, mode_count[k]++;
        row_ok &= in_i && in_m;
        row_ok &= cm[r].len >= 10 && cm[r].len <= 43;
        for (uint32_t k = 0; k < cm[r].len; k++) row_ok &= cm[r].ptr[k] >= 32 && cm[r].ptr[k] < 127;
        qsum += qty[r] / 100;
        if (!row_ok && bad++ < 5) CHECK_MSG(0, "row %lld violates the spec", (long long)r);
    }
    if (t->rows) lines_hist[ln[t->rows - 1]]++;
    CHECK(bad == 0);
    CHECK(orders == norders);
    CHECK(max_key == (((norders >> 3) << 5) | (norders & 7)));
    /* distributions (loose bounds, many standard deviations wide) */
    double n = (double)t->rows;
    if (n < 10000) return;
    CHECK(fabs((double)n_r / (double)(n_r + n_a) - 0.5) < 0.03);
    for (int k = 0; k < 7; k++) CHECK(fabs((double)mode_count[k] / n - 1.0 / 7) < 0.02);
    CHECK(fabs((double)qsum / n - 25.5) < 0.5);
    for (int k = 1; k <= 7; k++) CHECK(fabs((double)lines_hist[k] / (double)orders - 1.0 / 7) < 0.03);
}

/* TPC-H Q1 over the rows, two independent ways: exact 128-bit scaled integers and doubles. */
static void test_q1(const hy_table *t, double sf) {
    /* mean retail price over all parts, straight from the spec's formula */
    int64_t nparts = llround(sf * 200000);
    double mean_retail = 0;
    for (int64_t pk = 1; pk <= nparts; pk++)
        mean_retail += (90000 + (pk / 10) % 20001 + 100 * (pk % 1000)) / 100.0;
    mean_retail /= (double)nparts;
    double want_avg_price = 25.5 * mean_retail; /* SF 1: 38237, as in the reference Q1 answer */
    const int32_t cutoff = hy_date_from_ymd(1998, 12, 1) - 90;
    const int64_t *qty = COL(t, L_QUANTITY, int64_t), *price = COL(t, L_EXTENDEDPRICE, int64_t),
                  *disc = COL(t, L_DISCOUNT, int64_t), *tax = COL(t, L_TAX, int64_t);
    const int32_t *sd = COL(t, L_SHIPDATE, int32_t);
    const hy_str *rf = COL(t, L_RETURNFLAG, hy_str), *ls = COL(t, L_LINESTATUS, hy_str);
    const char *keys[4] = {"AF", "NF", "NO", "RF"};
    __int128 sum_qty[4] = {0}, sum_base[4] = {0}, sum_disc_price[4] = {0}, sum_charge[4] = {0};
    double d_charge[4] = {0}, sum_disc[4] = {0};
    int64_t count[4] = {0}, other = 0;
    for (int64_t r = 0; r < t->rows; r++) {
        if (sd[r] > cutoff) continue;
        char k[3] = {rf[r].ptr[0], ls[r].ptr[0], 0};
        int g = -1;
        for (int i = 0; i < 4; i++)
            if (strcmp(k, keys[i]) == 0) g = i;
        if (g < 0) { other++; continue; }
        sum_qty[g] += qty[r];
        sum_base[g] += price[r];
        sum_disc_price[g] += (__int128)price[r] * (100 - disc[r]);          /* scale 4 */
        sum_charge[g] += (__int128)price[r] * (100 - disc[r]) * (100 + tax[r]); /* scale 6 */
        d_charge[g] += (double)price[r] / 100 * (1 - (double)disc[r] / 100) * (1 + (double)tax[r] / 100);
        sum_disc[g] += (double)disc[r] / 100;
        count[g]++;
    }
    CHECK(other == 0); /* exactly the four groups of TPC-H Q1 */
    for (int g = 0; g < 4; g++) {
        CHECK(count[g] > 0);
        if (!count[g]) continue;
        double exact = (double)sum_charge[g] / 1e6;
        CHECK_MSG(fabs(exact - d_charge[g]) <= 1e-9 * fabs(exact), "group %s", keys[g]);
        double avg_qty = (double)sum_qty[g] / 100 / (double)count[g];
        double avg_price = (double)sum_base[g] / 100 / (double)count[g];
        double avg_disc = sum_disc[g] / (double)count[g];
        /* spec means: quantity 25.5; price = 25.5 * mean retail price (~1500) */
        CHECK_MSG(fabs(avg_qty - 25.5) < 1.0, "%s avg_qty %f", keys[g], avg_qty);
        CHECK_MSG(fabs(avg_price / want_avg_price - 1) < 0.03, "%s avg_price %f want %f", keys[g],
                  avg_price, want_avg_price);
        CHECK_MSG(fabs(avg_disc - 0.05) < 0.005, "%s avg_disc %f", keys[g], avg_disc);
        CHECK(sum_disc_price[g] <= (__int128)sum_base[g] * 100 && sum_charge[g] >= sum_disc_price[g] * 100);
    }
    /* N,F is the small group (receipt after 1995-06-17 but shipped before it) */
    CHECK(count[1] * 20 < count[0] && count[2] > count[0]);
}

static void test_zones(const hy_table *t) {
    for (int64_t m = 0; m < hy_table_morsels(t); m++)
        for (int c = 0; c < t->ncols; c++) {
            const hy_zone *z = hy_col_zone(t, c, m);
            hy_zone f;
            hy_zone_compute(t, c, m, &f);
            CHECK(z->null_count == 0 && f.null_count == 0 && z->has_minmax && f.has_minmax);
            CHECK(hy_value_cmp(&z->min, &f.min) == 0 && hy_value_cmp(&z->max, &f.max) == 0);
        }
}

static bool tables_equal(const hy_table *a, const hy_table *b) {
    if (a->rows != b->rows || a->ncols != b->ncols) return false;
    for (int c = 0; c < a->ncols; c++) {
        if (a->cols[c].type.id == HY_TYPE_VARCHAR) {
            const hy_str *x = hy_col_data(a, c), *y = hy_col_data(b, c);
            for (int64_t r = 0; r < a->rows; r++)
                if (x[r].len != y[r].len || memcmp(x[r].ptr, y[r].ptr, x[r].len) != 0) return false;
        } else if (memcmp(hy_col_data(a, c), hy_col_data(b, c),
                          (size_t)a->rows * hy_lt_width(a->cols[c].type)) != 0) {
            return false;
        }
    }
    return true;
}

typedef struct prog { int calls; double last; bool mono; } prog;
static void on_progress(void *ud, double done) {
    prog *p = ud;
    if (done < p->last || done > 1) p->mono = false;
    p->last = done;
    p->calls++;
}

static int bench(double sf, const char *dir) {
    hy_error e;
    hy_error_clear(&e);
    double t0 = now_s();
    hy_table *t = hy_dbgen_lineitem(sf, 0, NULL, NULL, &e);
    double t1 = now_s();
    if (!t) { fprintf(stderr, "%s\n", e.msg); return 1; }
    printf("dbgen sf=%g: %lld rows in %.3f s\n", sf, (long long)t->rows, t1 - t0);
    char path[512];
    snprintf(path, sizeof path, "%s/lineitem_sf%g.csv", dir, sf);
    hy_csv_options o = {',', true, '"', 0};
    hy_csv_writer *w = hy_csv_writer_open(path, &o, &e);
    if (!w) { fprintf(stderr, "%s\n", e.msg); return 1; }
    const char *names[L_NCOLS];
    hy_vec v[L_NCOLS];
    for (int c = 0; c < L_NCOLS; c++) {
        names[c] = t->cols[c].name;
        v[c].type = t->cols[c].type;
        v[c].validity = NULL;
    }
    hy_csv_write_header(w, L_NCOLS, names);
    t0 = now_s();
    for (int64_t r = 0; r < t->rows; r += 2048) {
        int64_t n = t->rows - r < 2048 ? t->rows - r : 2048;
        for (int c = 0; c < L_NCOLS; c++)
            v[c].data = (char *)t->cols[c].data + (size_t)r * hy_lt_width(t->cols[c].type);
        hy_csv_write_rows(w, L_NCOLS, v, n);
    }
    if (!hy_csv_writer_close(w, &e)) { fprintf(stderr, "%s\n", e.msg); return 1; }
    t1 = now_s();
    FILE *f = fopen(path, "rb");
    fseek(f, 0, SEEK_END);
    double mb = (double)ftell(f) / 1e6;
    fclose(f);
    printf("csv write: %.1f MB in %.3f s (%.1f MB/s)\n", mb, t1 - t0, mb / (t1 - t0));
    hy_coldef defs[L_NCOLS];
    for (int c = 0; c < L_NCOLS; c++) {
        defs[c].name = t->cols[c].name;
        defs[c].type = t->cols[c].type;
        defs[c].not_null = true;
    }
    hy_table *u = hy_table_new("lineitem2", L_NCOLS, defs, 0);
    t0 = now_s();
    int64_t n = hy_csv_load(u, path, &o, NULL, NULL, &e);
    t1 = now_s();
    printf("csv load: %lld rows, %.1f MB in %.3f s (%.1f MB/s)\n", (long long)n, mb, t1 - t0, mb / (t1 - t0));
    if (n != t->rows || !tables_equal(t, u)) { fprintf(stderr, "reload mismatch: %s\n", e.msg); return 1; }
    printf("reloaded table identical\n");
    hy_table_free(u);
    hy_table_free(t);
    remove(path);
    return 0;
}

int main(int argc, char **argv) {
    const char *bsf = getenv("HY_DBGEN_BENCH_SF");
    if (bsf) return bench(atof(bsf), argc > 1 ? argv[1] : "/tmp");

    hy_error e;
    hy_error_clear(&e);
    prog p = {0, 0, true};
    hy_table *a = hy_dbgen_lineitem(0.01, 1000, on_progress, &p, &e);
    hy_table *b = hy_dbgen_lineitem(0.01, 1000, NULL, NULL, &e);
    CHECK(a && b);
    if (!a || !b) return check_done("test_dbgen");
    CHECK(p.calls >= 1 && p.mono && p.last == 1.0);
    CHECK(a->morsel_rows == 1000);
    test_schema(a);
    CHECK(tables_equal(a, b)); /* deterministic */
    /* SF 0.01: 15,000 orders, about 60,000 rows (spec: 6,001,215 * SF) */
    CHECK_MSG(fabs((double)a->rows - 60012.15) < 0.01 * 60012.15, "rows %lld", (long long)a->rows);
    test_invariants(a, 0.01);
    test_q1(a, 0.01);
    test_zones(a);
    hy_table_free(b);

    /* SF 0.1 */
    hy_table *c = hy_dbgen_lineitem(0.1, 0, NULL, NULL, &e);
    CHECK(c != NULL);
    if (c) {
        CHECK(c->morsel_rows == HY_DEFAULT_MORSEL_ROWS);
        CHECK_MSG(fabs((double)c->rows - 600121.5) < 0.005 * 600121.5, "rows %lld", (long long)c->rows);
        test_invariants(c, 0.1);
        test_q1(c, 0.1);
        test_zones(c);
        /* the first orders do not depend on the table's size... but partkeys do (range) */
        const int64_t *oa = hy_col_data(a, L_ORDERKEY), *oc = hy_col_data(c, L_ORDERKEY);
        CHECK(memcmp(oa, oc, 1000 * sizeof(int64_t)) == 0);
        hy_table_free(c);
    }
    /* tiny sf still produces at least one order */
    hy_table *tiny = hy_dbgen_lineitem(1e-7, 0, NULL, NULL, &e);
    CHECK(tiny && tiny->rows >= 1 && tiny->rows <= 7);
    if (tiny) test_invariants(tiny, 1e-7);
    hy_table_free(tiny);
    /* bad scale factors */
    double bad[] = {0, -1, NAN, INFINITY, 1e9};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        hy_error_clear(&e);
        CHECK(hy_dbgen_lineitem(bad[i], 0, NULL, NULL, &e) == NULL && e.code == HY_E_RANGE);
        CHECK_CONTAINS(e.msg, "scale factor");
    }
    hy_table_free(a);
    return check_done("test_dbgen");
}
