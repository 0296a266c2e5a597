/*
 * Operators: hash aggregation, sort, limit, zone maps, EXPLAIN ANALYZE statistics, and
 * multi-threaded runs against single-threaded ones on random data.
 */
#include <unistd.h>

#include "exec/exec_int.h"
#include "tutil.h"

#define V "VARCHAR"
#define I "INTEGER"
#define B "BIGINT"
#define BO "BOOLEAN"
#define D "DOUBLE"

static hy_agg mkagg(hy_agg_func f, hy_expr *arg, bool distinct, hy_ltype type) {
    hy_agg a = {f, arg, distinct, type};
    return a;
}

static void test_agg_empty(tctx *t) {
    hy_table *tb = tbl(t, "empty", "a INTEGER, s VARCHAR", "");
    hy_expr *a = COL(t, 0, I), *s = COL(t, 1, V);
    hy_agg *ag = hy_arena_alloc(&t->a, sizeof(hy_agg) * 6);
    ag[0] = mkagg(HY_AGG_COUNT_STAR, NULL, false, hy_lt(HY_TYPE_BIGINT));
    ag[1] = mkagg(HY_AGG_COUNT, a, false, hy_lt(HY_TYPE_BIGINT));
    ag[2] = mkagg(HY_AGG_SUM, a, false, hy_lt(HY_TYPE_BIGINT));
    ag[3] = mkagg(HY_AGG_AVG, a, false, hy_lt(HY_TYPE_DOUBLE));
    ag[4] = mkagg(HY_AGG_MIN, s, false, hy_lt(HY_TYPE_VARCHAR));
    ag[5] = mkagg(HY_AGG_MAX, a, false, hy_lt(HY_TYPE_INTEGER));
    /* no GROUP BY: exactly one row even on empty input */
    expect_rows(t, AGG(t, SCAN(t, tb, NULL), 0, NULL, 6, ag), "0|0|NULL|NULL|NULL|NULL\n");
    hy_expr **g = hy_arena_alloc(&t->a, sizeof(hy_expr *));
    g[0] = s;
    expect_rows(t, AGG(t, SCAN(t, tb, NULL), 1, g, 6, ag), "");
    /* every row filtered out */
    hy_table *t2 = tbl(t, "nonempty", "a INTEGER, s VARCHAR", "1,x;2,y");
    expect_rows(t, AGG(t, SCAN(t, t2, FN(t, HY_FN_GT, BO, 2, a, K(t, I, "5"))), 0, NULL, 6, ag), "0|0|NULL|NULL|NULL|NULL\n");
}

static void test_agg_groups(tctx *t) {
    hy_table *tb = tbl(t, "grp", "g VARCHAR, v INTEGER, d DECIMAL(6,2), f DOUBLE",
                       "NULL,NULL,NULL,NULL;x,1,1.50,0.5;NULL,NULL,NULL,NULL;x,NULL,2.25,NULL;y,3,-1.00,-0.0;"
                       "y,3,NULL,nan;x,1,1.50,1e300;,7,0.01,1");
    hy_expr *g = COL(t, 0, V), *v = COL(t, 1, I), *d = COL(t, 2, "DECIMAL(6,2)"), *f = COL(t, 3, D);
    hy_expr **gs = hy_arena_alloc(&t->a, sizeof(hy_expr *));
    gs[0] = g;
    hy_agg *ag = hy_arena_alloc(&t->a, sizeof(hy_agg) * 10);
    ag[0] = mkagg(HY_AGG_COUNT_STAR, NULL, false, hy_lt(HY_TYPE_BIGINT));
    ag[1] = mkagg(HY_AGG_COUNT, v, false, hy_lt(HY_TYPE_BIGINT));
    ag[2] = mkagg(HY_AGG_SUM, v, false, hy_lt(HY_TYPE_BIGINT));
    ag[3] = mkagg(HY_AGG_AVG, d, false, hy_lt(HY_TYPE_DOUBLE));
    ag[4] = mkagg(HY_AGG_MIN, d, false, hy_lt_dec(6, 2));
    ag[5] = mkagg(HY_AGG_MAX, f, false, hy_lt(HY_TYPE_DOUBLE));
    ag[6] = mkagg(HY_AGG_COUNT, v, true, hy_lt(HY_TYPE_BIGINT));
    ag[7] = mkagg(HY_AGG_SUM, d, true, hy_lt_dec(38, 2));
    ag[8] = mkagg(HY_AGG_SUM, d, false, hy_lt_dec(38, 2));
    ag[9] = mkagg(HY_AGG_MIN, f, false, hy_lt(HY_TYPE_DOUBLE));
    /* groups in order of first appearance: NULL, x, y, '' ; NULL is a group of its own.
     * x: v = 1,NULL,1 -> count 2, sum 2, distinct 1; d = 1.50,2.25,1.50 -> avg 1.75,
     *    distinct sum 3.75, sum 5.25; f = 0.5, NULL, 1e300
     * y: v = 3,3; d = -1.00,NULL; f = -0.0, NaN (NaN is the largest double) */
    expect_rows(t, AGG(t, SCAN(t, tb, NULL), 1, gs, 10, ag),
                "NULL|2|0|NULL|NULL|NULL|NULL|0|NULL|NULL|NULL\n"
                "x|3|2|2|1.75|1.50|1e+300|1|3.75|5.25|0.5\n"
                "y|2|2|6|-1.0|-1.00|nan|1|-1.00|-1.00|-0.0\n"
                "|1|1|7|0.01|0.01|1.0|1|0.01|0.01|1.0\n");
    /* double keys: -0.0 and 0.0 are one group, NaN is one group */
    hy_table *tf = tbl(t, "fkeys", "f DOUBLE", "0.0;nan;-0.0;nan;NULL;1");
    hy_expr **fk = hy_arena_alloc(&t->a, sizeof(hy_expr *));
    fk[0] = COL(t, 0, D);
    hy_agg *cnt = hy_arena_alloc(&t->a, sizeof(hy_agg));
    cnt[0] = mkagg(HY_AGG_COUNT_STAR, NULL, false, hy_lt(HY_TYPE_BIGINT));
    expect_rows(t, AGG(t, SCAN(t, tf, NULL), 1, fk, 1, cnt), "0.0|2\nnan|2\nNULL|1\n1.0|1\n");
    /* two keys with NULLs (SELECT DISTINCT shape: keys only) */
    hy_table *t2 = tbl(t, "k2", "a INTEGER, b VARCHAR", "1,a;NULL,a;1,NULL;NULL,NULL;1,a;NULL,a;NULL,NULL;2,a");
    hy_expr **k2 = hy_arena_alloc(&t->a, sizeof(hy_expr *) * 2);
    k2[0] = COL(t, 0, I);
    k2[1] = COL(t, 1, V);
    expect_rows(t, AGG(t, SCAN(t, t2, NULL), 2, k2, 0, NULL), "1|a\nNULL|a\n1|NULL\nNULL|NULL\n2|a\n");
    /* MIN/MAX of strings, dates, booleans */
    hy_table *t3 = tbl(t, "mm", "s VARCHAR, dt DATE, b BOOLEAN", "pear,1998-12-01,true;apple,1992-01-02,NULL;zebra,NULL,false;NULL,1995-06-17,false");
    hy_agg *mm = hy_arena_alloc(&t->a, sizeof(hy_agg) * 6);
    mm[0] = mkagg(HY_AGG_MIN, COL(t, 0, V), false, hy_lt(HY_TYPE_VARCHAR));
    mm[1] = mkagg(HY_AGG_MAX, COL(t, 0, V), false, hy_lt(HY_TYPE_VARCHAR));
    mm[2] = mkagg(HY_AGG_MIN, COL(t, 1, "DATE"), false, hy_lt(HY_TYPE_DATE));
    mm[3] = mkagg(HY_AGG_MAX, COL(t, 1, "DATE"), false, hy_lt(HY_TYPE_DATE));
    mm[4] = mkagg(HY_AGG_MIN, COL(t, 2, BO), false, hy_lt(HY_TYPE_BOOLEAN));
    mm[5] = mkagg(HY_AGG_MAX, COL(t, 2, BO), false, hy_lt(HY_TYPE_BOOLEAN));
    expect_rows(t, AGG(t, SCAN(t, t3, NULL), 0, NULL, 6, mm), "apple|zebra|1992-01-02|1998-12-01|false|true\n");
    /* SUM/AVG of doubles; AVG of integers is exact-sum / count */
    hy_table *t4 = tbl(t, "avgs", "f DOUBLE, i INTEGER", "0.1,1;0.2,2;0.3,2;NULL,NULL");
    hy_agg *av = hy_arena_alloc(&t->a, sizeof(hy_agg) * 4);
    av[0] = mkagg(HY_AGG_SUM, COL(t, 0, D), false, hy_lt(HY_TYPE_DOUBLE));
    av[1] = mkagg(HY_AGG_AVG, COL(t, 1, I), false, hy_lt(HY_TYPE_DOUBLE));
    av[2] = mkagg(HY_AGG_SUM, COL(t, 1, I), true, hy_lt(HY_TYPE_BIGINT));
    av[3] = mkagg(HY_AGG_AVG, COL(t, 1, I), true, hy_lt(HY_TYPE_DOUBLE));
    /* the exact sum of the binary values 0.1, 0.2 and 0.3 is 0.60000000000000000555..., whose
     * nearest double is 0.6 (a naive left-to-right sum would give 0.6000000000000001) */
    expect_rows(t, AGG(t, SCAN(t, t4, NULL), 0, NULL, 4, av), "0.6|1.6666666666666667|3|1.5\n");
    /* HAVING-like filter and ORDER BY over an aggregate output */
    hy_sort_key *sk = hy_arena_alloc(&t->a, sizeof(hy_sort_key));
    sk[0].column = 1;
    sk[0].desc = true;
    sk[0].nulls_first = true;
    hy_plan *ap = AGG(t, SCAN(t, tb, NULL), 1, gs, 3, ag);
    expect_rows(t, SORT(t, FILTER(t, ap, FN(t, HY_FN_GT, BO, 2, COL(t, 1, B), K(t, B, "1"))), 1, sk),
                "x|3|2|2\nNULL|2|0|NULL\ny|2|2|6\n");
}

static void test_sort_limit(tctx *t) {
    hy_table *tb = tbl(t, "srt", "k INTEGER, s VARCHAR, id INTEGER",
                       "3,b,1;NULL,a,2;1,b,3;3,a,4;1,NULL,5;NULL,c,6;2,b,7;3,b,8");
    hy_sort_key *k = hy_arena_alloc(&t->a, sizeof(hy_sort_key) * 2);
    /* ORDER BY k ASC NULLS LAST; ties keep input order (stable) */
    k[0] = (hy_sort_key){0, false, false};
    expect_rows(t, PROJECT(t, SORT(t, SCAN(t, tb, NULL), 1, k), 1, COL(t, 2, I)), "3\n5\n7\n1\n4\n8\n2\n6\n");
    /* ORDER BY k DESC NULLS FIRST */
    k[0] = (hy_sort_key){0, true, true};
    expect_rows(t, PROJECT(t, SORT(t, SCAN(t, tb, NULL), 1, k), 1, COL(t, 2, I)), "2\n6\n1\n4\n8\n7\n3\n5\n");
    /* ORDER BY k ASC NULLS FIRST, s DESC NULLS LAST */
    hy_sort_key *k2 = hy_arena_alloc(&t->a, sizeof(hy_sort_key) * 2);
    k2[0] = (hy_sort_key){0, false, true};
    k2[1] = (hy_sort_key){1, true, false};
    expect_rows(t, PROJECT(t, SORT(t, SCAN(t, tb, NULL), 2, k2), 1, COL(t, 2, I)), "6\n2\n3\n5\n7\n1\n8\n4\n");
    /* LIMIT / OFFSET, with and without ORDER BY (table order) */
    k[0] = (hy_sort_key){2, true, false};
    expect_rows(t, PROJECT(t, LIMIT(t, SORT(t, SCAN(t, tb, NULL), 1, k), 3, 1), 1, COL(t, 2, I)), "7\n6\n5\n");
    expect_rows(t, PROJECT(t, LIMIT(t, SCAN(t, tb, NULL), 2, 3), 1, COL(t, 2, I)), "4\n5\n");
    expect_rows(t, PROJECT(t, LIMIT(t, SCAN(t, tb, NULL), 0, 0), 1, COL(t, 2, I)), "");
    expect_rows(t, PROJECT(t, LIMIT(t, SCAN(t, tb, NULL), -1, 6), 1, COL(t, 2, I)), "7\n8\n");
    expect_rows(t, PROJECT(t, LIMIT(t, SCAN(t, tb, NULL), 5, 100), 1, COL(t, 2, I)), "");
    /* LIMIT over a filter keeps the first matching rows in table order */
    expect_rows(t, LIMIT(t, PROJECT(t, SCAN(t, tb, FN(t, HY_FN_EQ, BO, 2, COL(t, 0, I), K(t, I, "3"))), 1, COL(t, 2, I)), 2, 0),
                "1\n4\n");
}

/* ---- zone maps and EXPLAIN ANALYZE -------------------------------------------------------------- */

static int64_t json_int(const char *text, const char *key, int nth) {
    const char *p = text;
    char pat[64];
    snprintf(pat, sizeof pat, "\"%s\": ", key);
    for (int i = 0; i <= nth; i++) {
        p = strstr(p, pat);
        if (!p) return -1;
        p += strlen(pat);
    }
    return strtoll(p, NULL, 10);
}

static void test_zone_maps(tctx *t) {
    char rows[512] = "";
    for (int i = 1; i <= 20; i++) {
        char b[32];
        snprintf(b, sizeof b, "%s%d,%s", i > 1 ? ";" : "", i, i <= 8 ? "NULL" : "v");
        strcat(rows, b);
    }
    hy_table *tb = tbl_m(t, "zm", "a INTEGER, s VARCHAR", rows, 4); /* 5 morsels */
    hy_expr *a = COL(t, 0, I);
    hy_expr *pred = EX(t, HY_EX_AND, BO, false, 2, FN(t, HY_FN_GE, BO, 2, a, K(t, I, "17")),
                       FN(t, HY_FN_LT, BO, 2, a, K(t, I, "19")));
    hy_plan *p = PROJECT(t, SCAN(t, tb, pred), 1, a);
    expect_rows(t, p, "17\n18\n");
    hy_stmt st;
    memset(&st, 0, sizeof st);
    st.kind = HY_STMT_EXPLAIN_ANALYZE;
    st.explain_json = true;
    st.plan = p;
    hy_result *r = NULL;
    hy_error err;
    hy_error_clear(&err);
    CHECK(t, hy_exec_stmt(&t->env, &st, &r, &err));
    if (!r) return;
    const char *txt = hy_result_text(r);
    CHECK(t, hy_result_kind_of(r) == HY_RESULT_TEXT);
    CHECK(t, txt[0] == '{' && txt[strlen(txt) - 1] == '\n');
    CHECK(t, strstr(txt, "\"tier\": \"interpreter\"") != NULL);
    CHECK(t, strstr(txt, "\"operators\": \"SCAN zm -> FILTER -> PROJECT -> RESULT\"") != NULL);
    CHECK(t, json_int(txt, "rows", 0) == 2);
    CHECK(t, json_int(txt, "morsels", 0) == 1); /* only rows 17..20 can match */
    CHECK(t, json_int(txt, "threads", 0) == t->env.threads);
    hy_result_free(r);
    /* 'a <> 5' cannot skip a morsel holding other values; an all-NULL morsel never matches */
    expect_rows(t, PROJECT(t, SCAN(t, tb, FN(t, HY_FN_NE, BO, 2, a, K(t, I, "5"))), 1, a),
                "1\n2\n3\n4\n6\n7\n8\n9\n10\n11\n12\n13\n14\n15\n16\n17\n18\n19\n20\n");
    expect_rows(t, PROJECT(t, SCAN(t, tb, FN(t, HY_FN_EQ, BO, 2, COL(t, 1, V), K(t, V, "v"))), 1, a),
                "9\n10\n11\n12\n13\n14\n15\n16\n17\n18\n19\n20\n");
    expect_rows(t, PROJECT(t, FILTER(t, SCAN(t, tb, NULL), EX(t, HY_EX_BETWEEN, BO, false, 3, a, K(t, I, "4"), K(t, I, "5"))), 1, a),
                "4\n5\n");
}

/* ---- multi-threaded == single-threaded ------------------------------------------------------------ */

static uint64_t rng = 88172645463325252ULL;
static uint64_t next_rand(void) {
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static char *random_rows(int n) {
    size_t cap = (size_t)n * 96 + 1;
    char *s = malloc(cap);
    size_t len = 0;
    static const char *words[] = {"alpha", "beta", "gamma", "", "delta", "a much longer string value", "b"};
    for (int i = 0; i < n; i++) {
        uint64_t r = next_rand();
        char g[32], v[32], d[32], f[48], w[48];
        if (r % 17 == 0) strcpy(g, "NULL"); else snprintf(g, sizeof g, "%d", (int)(r % 23) - 5);
        r = next_rand();
        if (r % 13 == 0) strcpy(v, "NULL"); else snprintf(v, sizeof v, "%lld", (long long)(r % 2000001) - 1000000);
        r = next_rand();
        if (r % 11 == 0) strcpy(d, "NULL"); else snprintf(d, sizeof d, "%lld.%02d", (long long)(r % 20000) - 10000, (int)(r / 7 % 100));
        r = next_rand();
        if (r % 19 == 0) strcpy(f, "NULL"); else snprintf(f, sizeof f, "%.17g", ((double)(int64_t)(r % 2000000) - 1e6) / 3.0);
        r = next_rand();
        if (r % 7 == 0) strcpy(w, "NULL"); else snprintf(w, sizeof w, "%s", words[r % 7]);
        len += (size_t)snprintf(s + len, cap - len, "%s%s,%s,%s,%s,%s", i ? ";" : "", g, v, d, f, w);
    }
    return s;
}

/* A set of plans over table `rt` (schema g INTEGER, v BIGINT, d DECIMAL(12,2), f DOUBLE, w VARCHAR). */
static int build_plans(tctx *t, hy_table *rt, hy_plan **out) {
    int n = 0;
    hy_expr *g = COL(t, 0, I), *v = COL(t, 1, B), *d = COL(t, 2, "DECIMAL(12,2)"), *f = COL(t, 3, D), *w = COL(t, 4, V);
    hy_expr **k1 = hy_arena_alloc(&t->a, sizeof(hy_expr *) * 2);
    k1[0] = g;
    k1[1] = w;
    hy_agg *ag = hy_arena_alloc(&t->a, sizeof(hy_agg) * 11);
    ag[0] = mkagg(HY_AGG_COUNT_STAR, NULL, false, hy_lt(HY_TYPE_BIGINT));
    ag[1] = mkagg(HY_AGG_SUM, v, false, hy_lt_dec(38, 0));
    ag[2] = mkagg(HY_AGG_AVG, d, false, hy_lt(HY_TYPE_DOUBLE));
    ag[3] = mkagg(HY_AGG_SUM, f, false, hy_lt(HY_TYPE_DOUBLE));
    ag[4] = mkagg(HY_AGG_MIN, w, false, hy_lt(HY_TYPE_VARCHAR));
    ag[5] = mkagg(HY_AGG_MAX, d, false, hy_lt_dec(12, 2));
    ag[6] = mkagg(HY_AGG_COUNT, f, true, hy_lt(HY_TYPE_BIGINT));
    ag[7] = mkagg(HY_AGG_SUM, d, true, hy_lt_dec(38, 2));
    ag[8] = mkagg(HY_AGG_AVG, f, false, hy_lt(HY_TYPE_DOUBLE));
    ag[9] = mkagg(HY_AGG_MIN, f, false, hy_lt(HY_TYPE_DOUBLE));
    ag[10] = mkagg(HY_AGG_SUM, FN(t, HY_FN_MUL, "DECIMAL(24,2)", 2, CAST(t, v, "DECIMAL(19,0)"), d), false, hy_lt_dec(38, 2));
    out[n++] = AGG(t, SCAN(t, rt, NULL), 2, k1, 11, ag);
    out[n++] = AGG(t, SCAN(t, rt, FN(t, HY_FN_GT, BO, 2, v, K(t, B, "0"))), 0, NULL, 11, ag);
    hy_expr **k2 = hy_arena_alloc(&t->a, sizeof(hy_expr *));
    k2[0] = FN(t, HY_FN_MOD, B, 2, v, K(t, B, "1000"));
    out[n++] = AGG(t, SCAN(t, rt, NULL), 1, k2, 4, ag);
    /* filter + project in table order */
    out[n++] = PROJECT(t, FILTER(t, SCAN(t, rt, NULL), EX(t, HY_EX_LIKE, BO, false, 2, w, K(t, V, "%a%"))), 3,
                       FN(t, HY_FN_ADD, "DECIMAL(13,2)", 2, CAST(t, d, "DECIMAL(13,2)"), K(t, "DECIMAL(13,2)", "1.00")),
                       FN(t, HY_FN_CONCAT, V, 2, w, CAST(t, g, V)),
                       EX(t, HY_EX_CASE, D, false, 3, FN(t, HY_FN_LT, BO, 2, f, K(t, D, "0")), FN(t, HY_FN_NEG, D, 1, f), f));
    hy_sort_key *sk = hy_arena_alloc(&t->a, sizeof(hy_sort_key) * 3);
    sk[0] = (hy_sort_key){4, false, false};
    sk[1] = (hy_sort_key){0, true, true};
    sk[2] = (hy_sort_key){3, false, true};
    out[n++] = LIMIT(t, SORT(t, SCAN(t, rt, NULL), 3, sk), 500, 100);
    out[n++] = LIMIT(t, SCAN(t, rt, FN(t, HY_FN_LT, BO, 2, d, K(t, "DECIMAL(12,2)", "-9000.00"))), 50, 10);
    return n;
}

static char *run_text(tctx *t, hy_plan *p) {
    hy_error err;
    hy_result *r = run_plan(t, p, &err);
    if (!r) {
        char *e = malloc(700);
        snprintf(e, 700, "ERROR %s", err.msg);
        return e;
    }
    char *s = rows_text(r);
    hy_result_free(r);
    return s;
}

static void test_threads(void) {
    char *rows = random_rows(30000);
    const struct { int threads; int64_t mr; } cfg[] = {{1, 65536}, {4, 1000}, {3, 777}, {2, 2048}, {8, 100}};
    char *ref[16] = {0};
    int nref = 0;
    int fails = 0, checks = 0;
    for (int c = 0; c < 5; c++) {
        tctx t;
        t_init(&t, cfg[c].threads, cfg[c].mr);
        hy_table *rt = tbl(&t, "rnd", "g INTEGER, v BIGINT, d DECIMAL(12,2), f DOUBLE, w VARCHAR", rows);
        hy_plan *plans[16];
        int np = build_plans(&t, rt, plans);
        for (int i = 0; i < np; i++) {
            char *s = run_text(&t, plans[i]);
            checks++;
            if (c == 0) {
                ref[i] = s;
                nref = np;
                if (!strncmp(s, "ERROR", 5) || strlen(s) < 10) {
                    fails++;
                    fprintf(stderr, "plan %d: unexpected reference output: %.200s\n", i, s);
                }
            } else {
                if (strcmp(s, ref[i]) != 0) {
                    fails++;
                    fprintf(stderr, "plan %d differs with %d threads, morsel %lld\n", i, cfg[c].threads,
                            (long long)cfg[c].mr);
                }
                free(s);
            }
        }
        t_free(&t);
    }
    for (int i = 0; i < nref; i++) free(ref[i]);
    free(rows);
    printf("exec_ops[threads]: %d checks, %d failures\n", checks, fails);
    if (fails) exit(1);
}

/* Sort a large random table; check order and stability independently of the implementation. */
static void test_big_sort(tctx *t) {
    int n = 20000;
    size_t cap = (size_t)n * 32;
    char *rows = malloc(cap);
    size_t len = 0;
    for (int i = 0; i < n; i++) {
        uint64_t r = next_rand();
        char k[16];
        if (r % 10 == 0) strcpy(k, "NULL"); else snprintf(k, sizeof k, "%d", (int)(r % 50));
        len += (size_t)snprintf(rows + len, cap - len, "%s%s,%d", i ? ";" : "", k, i);
    }
    hy_table *tb = tbl(t, "bigsort", "k INTEGER, id INTEGER", rows);
    free(rows);
    hy_sort_key *sk = hy_arena_alloc(&t->a, sizeof(hy_sort_key));
    sk[0] = (hy_sort_key){0, true, false}; /* DESC NULLS LAST */
    hy_error err;
    hy_result *r = run_plan(t, SORT(t, SCAN(t, tb, NULL), 1, sk), &err);
    CHECK(t, r != NULL);
    if (!r) return;
    CHECK(t, hy_result_row_count(r) == n);
    int bad = 0;
    for (int64_t i = 1; i < hy_result_row_count(r); i++) {
        int pn = hy_result_is_null(r, 0, i - 1), cn = hy_result_is_null(r, 0, i);
        int64_t pk = hy_result_int64(r, 0, i - 1), ck = hy_result_int64(r, 0, i);
        int64_t pid = hy_result_int64(r, 1, i - 1), cid = hy_result_int64(r, 1, i);
        if (pn && !cn) bad++;                          /* NULLs last */
        else if (!pn && !cn && pk < ck) bad++;         /* descending */
        else if (pn == cn && (pn || pk == ck) && pid > cid) bad++; /* stable */
    }
    CHECK(t, bad == 0);
    hy_result_free(r);
}

static void test_interrupt(tctx *t) {
    hy_table *tb = tbl(t, "intr", "a INTEGER", "1;2;3");
    atomic_store(&t->intr, 1);
    expect_error(t, over(t, tb, COL(t, 0, I)), "interrupted");
    atomic_store(&t->intr, 0);
    expect_rows(t, over(t, tb, COL(t, 0, I)), "1\n2\n3\n");
    /* COPY FROM polls the same flag: interrupted -> the same error, the table unchanged */
    char path[] = "/tmp/hy_exec_intr_XXXXXX";
    int fd = mkstemp(path);
    CHECK(t, fd >= 0);
    if (fd < 0) return;
    FILE *f = fdopen(fd, "w");
    for (int i = 10; i < 20; i++) fprintf(f, "%d\n", i);
    fclose(f);
    hy_stmt st;
    memset(&st, 0, sizeof st);
    st.kind = HY_STMT_COPY_FROM;
    st.table = tb;
    st.table_name = "intr";
    st.path = path;
    st.csv.delimiter = ',';
    st.csv.quote = '"';
    hy_result *r = NULL;
    hy_error err;
    hy_error_clear(&err);
    atomic_store(&t->intr, 1);
    CHECK(t, !hy_exec_stmt(&t->env, &st, &r, &err) && r == NULL);
    CHECK(t, err.code == HY_E_INTERRUPT && strstr(err.msg, "interrupted") != NULL);
    CHECK(t, tb->rows == 3);
    atomic_store(&t->intr, 0);
    expect_rows(t, over(t, tb, COL(t, 0, I)), "1\n2\n3\n");
    hy_error_clear(&err);
    CHECK(t, hy_exec_stmt(&t->env, &st, &r, &err) && r && hy_result_changes(r) == 10);
    hy_result_free(r);
    CHECK(t, tb->rows == 13);
    unlink(path);
}

int main(void) {
    for (int pass = 0; pass < 2; pass++) {
        tctx t;
        t_init(&t, pass ? 3 : 1, pass ? 3 : 65536);
        test_agg_empty(&t);
        test_agg_groups(&t);
        test_sort_limit(&t);
        test_zone_maps(&t);
        test_big_sort(&t);
        test_interrupt(&t);
        int rc = t_done(&t, pass ? "exec_ops[3 threads, morsel 3]" : "exec_ops[1 thread]");
        t_free(&t);
        if (rc) return rc;
    }
    test_threads();
    return 0;
}
