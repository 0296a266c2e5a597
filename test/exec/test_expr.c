/*
 * Expression semantics of the vectorized interpreter, through hand-built plans over small
 * tables. Every expected value is worked out by hand (decimal products and sums were checked
 * with Python's decimal module); comments give the reasoning where it is not obvious.
 */
#include "tutil.h"

#define V "VARCHAR"
#define I "INTEGER"
#define B "BIGINT"
#define BO "BOOLEAN"
#define D "DOUBLE"

static void test_logic(tctx *t) {
    hy_table *tb = tbl(t, "logic", "a BOOLEAN, b BOOLEAN",
                       "true,true;true,false;true,NULL;false,true;false,false;false,NULL;"
                       "NULL,true;NULL,false;NULL,NULL");
    hy_expr *a = COL(t, 0, BO), *b = COL(t, 1, BO);
    /* SQL three-valued truth tables */
    expect_rows(t, over(t, tb, EX(t, HY_EX_AND, BO, false, 2, a, b)),
                "true\nfalse\nNULL\nfalse\nfalse\nfalse\nNULL\nfalse\nNULL\n");
    expect_rows(t, over(t, tb, EX(t, HY_EX_OR, BO, false, 2, a, b)),
                "true\ntrue\ntrue\ntrue\nfalse\nNULL\ntrue\nNULL\nNULL\n");
    expect_rows(t, over(t, tb, EX(t, HY_EX_NOT, BO, false, 1, a)),
                "false\nfalse\nfalse\ntrue\ntrue\ntrue\nNULL\nNULL\nNULL\n");
    expect_rows(t, over(t, tb, EX(t, HY_EX_IS_NULL, BO, false, 1, b)),
                "false\nfalse\ntrue\nfalse\nfalse\ntrue\nfalse\nfalse\ntrue\n");
    expect_rows(t, over(t, tb, EX(t, HY_EX_IS_NULL, BO, true, 1, b)),
                "true\ntrue\nfalse\ntrue\ntrue\nfalse\ntrue\ntrue\nfalse\n");
    /* three-way AND: NULL only if no FALSE */
    expect_rows(t, over(t, tb, EX(t, HY_EX_AND, BO, false, 3, a, b, K(t, BO, "true"))),
                "true\nfalse\nNULL\nfalse\nfalse\nfalse\nNULL\nfalse\nNULL\n");
    /* WHERE keeps only TRUE rows */
    expect_rows(t, PROJECT(t, FILTER(t, SCAN(t, tb, NULL), EX(t, HY_EX_OR, BO, false, 2, a, b)), 2, a, b),
                "true|true\ntrue|false\ntrue|NULL\nfalse|true\nNULL|true\n");
    expect_rows(t, PROJECT(t, SCAN(t, tb, EX(t, HY_EX_NOT, BO, false, 1, EX(t, HY_EX_AND, BO, false, 2, a, b))), 2, a, b),
                "true|false\nfalse|true\nfalse|false\nfalse|NULL\nNULL|false\n");
}

static void test_in(tctx *t) {
    hy_table *tb = tbl(t, "ins", "x INTEGER", "1;2;NULL");
    hy_expr *x = COL(t, 0, I);
    /* x IN (1, NULL): 1 -> true; 2 -> NULL (unknown vs NULL); NULL -> NULL */
    expect_rows(t, over(t, tb, EX(t, HY_EX_IN, BO, false, 3, x, K(t, I, "1"), K(t, I, NULL))),
                "true\nNULL\nNULL\n");
    expect_rows(t, over(t, tb, EX(t, HY_EX_IN, BO, true, 3, x, K(t, I, "1"), K(t, I, NULL))),
                "false\nNULL\nNULL\n");
    expect_rows(t, over(t, tb, EX(t, HY_EX_IN, BO, false, 3, x, K(t, I, "2"), K(t, I, "3"))),
                "false\ntrue\nNULL\n");
    expect_rows(t, over(t, tb, EX(t, HY_EX_IN, BO, true, 3, x, K(t, I, "2"), K(t, I, "3"))),
                "true\nfalse\nNULL\n");
    /* long constant lists are searched in a sorted array: same NULL rules */
    hy_expr *l9 = EX(t, HY_EX_IN, BO, false, 10, x, K(t, I, "9"), K(t, I, "8"), K(t, I, "7"), K(t, I, "6"),
                     K(t, I, "5"), K(t, I, "4"), K(t, I, "3"), K(t, I, "2"), K(t, I, "-1"));
    expect_rows(t, over(t, tb, l9), "false\ntrue\nNULL\n");
    hy_expr *l9n = EX(t, HY_EX_IN, BO, true, 10, x, K(t, I, "9"), K(t, I, "8"), K(t, I, NULL), K(t, I, "6"),
                      K(t, I, "5"), K(t, I, "4"), K(t, I, "3"), K(t, I, "2"), K(t, I, "-1"));
    expect_rows(t, over(t, tb, l9n), "NULL\nfalse\nNULL\n");
    hy_table *tf = tbl(t, "ins3", "f DOUBLE, w VARCHAR", "-0.0,kiwi;nan,fig;2.5,x;NULL,NULL");
    hy_expr *lf = EX(t, HY_EX_IN, BO, false, 9, COL(t, 0, D), K(t, D, "1"), K(t, D, "0"), K(t, D, "nan"), K(t, D, "3"),
                     K(t, D, "4"), K(t, D, "5"), K(t, D, "6"), K(t, D, "7"));
    expect_rows(t, over(t, tf, lf), "true\ntrue\nfalse\nNULL\n");
    hy_expr *lw = EX(t, HY_EX_IN, BO, false, 9, COL(t, 1, V), K(t, V, "apple"), K(t, V, "fig"), K(t, V, "kiwi"),
                     K(t, V, "pear"), K(t, V, ""), K(t, V, "plum"), K(t, V, "a much longer string"), K(t, V, "x1"));
    expect_rows(t, over(t, tf, lw), "true\ntrue\nfalse\nNULL\n");
    hy_table *ts = tbl(t, "ins2", "s VARCHAR", "ab;;NULL;b");
    hy_expr *s = COL(t, 0, V);
    expect_rows(t, over(t, ts, EX(t, HY_EX_IN, BO, false, 3, s, K(t, V, "b"), K(t, V, ""))),
                "false\ntrue\nNULL\ntrue\n");
}

static void test_int_overflow(tctx *t) {
    hy_table *ti = tbl(t, "ov32", "a INTEGER, k INTEGER", "2147483647,1;-2147483648,2;2147483646,3;NULL,4");
    hy_expr *a = COL(t, 0, I), *k = COL(t, 1, I);
#define ROWK(n) FILTER(t, SCAN(t, ti, NULL), FN(t, HY_FN_EQ, BO, 2, k, K(t, I, n)))
    expect_error(t, PROJECT(t, ROWK("1"), 1, FN(t, HY_FN_ADD, I, 2, a, K(t, I, "1"))), "integer out of range");
    expect_error(t, PROJECT(t, ROWK("2"), 1, FN(t, HY_FN_SUB, I, 2, a, K(t, I, "1"))), "integer out of range");
    expect_error(t, PROJECT(t, ROWK("1"), 1, FN(t, HY_FN_MUL, I, 2, a, K(t, I, "2"))), "integer out of range");
    expect_error(t, PROJECT(t, ROWK("2"), 1, FN(t, HY_FN_NEG, I, 1, a)), "integer out of range");
    expect_error(t, PROJECT(t, ROWK("2"), 1, FN(t, HY_FN_ABS, I, 1, a)), "integer out of range");
    expect_error(t, PROJECT(t, ROWK("2"), 1, FN(t, HY_FN_IDIV, I, 2, a, K(t, I, "-1"))), "integer out of range");
    /* the boundary itself is fine; MIN % -1 is 0 */
    expect_rows(t, PROJECT(t, ROWK("3"), 1, FN(t, HY_FN_ADD, I, 2, a, K(t, I, "1"))), "2147483647\n");
    expect_rows(t, PROJECT(t, ROWK("2"), 1, FN(t, HY_FN_MOD, I, 2, a, K(t, I, "-1"))), "0\n");
    expect_rows(t, PROJECT(t, ROWK("2"), 1, FN(t, HY_FN_ADD, I, 2, a, K(t, I, "2147483647"))), "-1\n");
    /* a row filtered out, or NULL, never overflows */
    expect_rows(t, PROJECT(t, FILTER(t, SCAN(t, ti, NULL), FN(t, HY_FN_GT, BO, 2, k, K(t, I, "2"))), 1,
                           FN(t, HY_FN_ADD, I, 2, a, K(t, I, "1"))),
                "2147483647\nNULL\n");
#undef ROWK
    hy_table *tb = tbl(t, "ov64", "a BIGINT, k INTEGER",
                       "9223372036854775807,1;-9223372036854775808,2;9223372036854775806,3");
    hy_expr *a8 = COL(t, 0, B), *k8 = COL(t, 1, I);
#define ROWK(n) FILTER(t, SCAN(t, tb, NULL), FN(t, HY_FN_EQ, BO, 2, k8, K(t, I, n)))
    expect_error(t, PROJECT(t, ROWK("1"), 1, FN(t, HY_FN_ADD, B, 2, a8, K(t, B, "1"))), "BIGINT out of range");
    expect_error(t, PROJECT(t, ROWK("2"), 1, FN(t, HY_FN_SUB, B, 2, a8, K(t, B, "1"))), "BIGINT out of range");
    expect_error(t, PROJECT(t, ROWK("1"), 1, FN(t, HY_FN_MUL, B, 2, a8, K(t, B, "-2"))), "BIGINT out of range");
    expect_error(t, PROJECT(t, ROWK("2"), 1, FN(t, HY_FN_NEG, B, 1, a8)), "BIGINT out of range");
    expect_error(t, PROJECT(t, ROWK("2"), 1, FN(t, HY_FN_IDIV, B, 2, a8, K(t, B, "-1"))), "BIGINT out of range");
    expect_rows(t, PROJECT(t, ROWK("3"), 1, FN(t, HY_FN_ADD, B, 2, a8, K(t, B, "1"))), "9223372036854775807\n");
    expect_rows(t, PROJECT(t, ROWK("2"), 1, FN(t, HY_FN_MOD, B, 2, a8, K(t, B, "-1"))), "0\n");
    /* INTEGER widened to BIGINT does not overflow */
    expect_rows(t, PROJECT(t, ROWK("1"), 1, FN(t, HY_FN_ADD, B, 2, CAST(t, k8, B), K(t, B, "2147483647"))),
                "2147483648\n");
#undef ROWK
}

static void test_divzero(tctx *t) {
    hy_table *tb = tbl(t, "dz", "a INTEGER, b INTEGER, f DOUBLE", "1,0,0;4,2,2;NULL,0,0");
    hy_expr *a = COL(t, 0, I), *b = COL(t, 1, I), *f = COL(t, 2, D);
    hy_expr *q = FN(t, HY_FN_IDIV, I, 2, a, b);
    expect_error(t, over(t, tb, q), "division by zero");
    expect_error(t, over(t, tb, FN(t, HY_FN_MOD, I, 2, a, b)), "division by zero");
    expect_error(t, over(t, tb, FN(t, HY_FN_DIV, D, 2, CAST(t, a, D), f)), "division by zero");
    /* rows removed by WHERE are never evaluated */
    expect_rows(t, PROJECT(t, FILTER(t, SCAN(t, tb, NULL), FN(t, HY_FN_NE, BO, 2, b, K(t, I, "0"))), 1, q), "2\n");
    expect_rows(t, PROJECT(t, SCAN(t, tb, FN(t, HY_FN_NE, BO, 2, b, K(t, I, "0"))), 1, q), "2\n");
    /* NULL // 0 is NULL: a strict function is not applied to a NULL */
    expect_rows(t, PROJECT(t, FILTER(t, SCAN(t, tb, NULL), EX(t, HY_EX_IS_NULL, BO, false, 1, a)), 1, q), "NULL\n");
    /* CASE branches not taken are not evaluated */
    expect_rows(t, over(t, tb, EX(t, HY_EX_CASE, I, false, 3, FN(t, HY_FN_EQ, BO, 2, b, K(t, I, "0")), K(t, I, NULL), q)),
                "NULL\n2\nNULL\n");
    expect_rows(t, over(t, tb, EX(t, HY_EX_CASE, I, false, 3, FN(t, HY_FN_NE, BO, 2, b, K(t, I, "0")), q, K(t, I, "-1"))),
                "-1\n2\n-1\n");
    /* AND does not evaluate its right side where the left side is FALSE */
    expect_rows(t, over(t, tb, EX(t, HY_EX_AND, BO, false, 2, FN(t, HY_FN_NE, BO, 2, b, K(t, I, "0")),
                                  FN(t, HY_FN_GT, BO, 2, q, K(t, I, "1")))),
                "false\ntrue\nfalse\n");
    /* COALESCE stops at the first non-NULL argument (7 // 0 is never computed) */
    expect_rows(t, PROJECT(t, FILTER(t, SCAN(t, tb, NULL), EX(t, HY_EX_IS_NULL, BO, true, 1, a)), 1,
                           EX(t, HY_EX_COALESCE, I, false, 2, a, FN(t, HY_FN_IDIV, I, 2, K(t, I, "7"), b))),
                "1\n4\n");
    expect_error(t, over(t, tb, EX(t, HY_EX_COALESCE, I, false, 2, a, FN(t, HY_FN_IDIV, I, 2, K(t, I, "7"), b))),
                 "division by zero");
    /* a constant 1/0 in a branch that is never taken must not fail at plan time */
    expect_rows(t, over(t, tb, EX(t, HY_EX_CASE, I, false, 3, FN(t, HY_FN_LT, BO, 2, b, K(t, I, "0")),
                                  FN(t, HY_FN_IDIV, I, 2, K(t, I, "1"), K(t, I, "0")), b)),
                "0\n2\n0\n");
}

static void test_decimal(tctx *t) {
    hy_table *tb = tbl(t, "dec", "p DECIMAL(15,2), d DECIMAL(15,2), q DECIMAL(16,2)",
                       "99999999999.99,0.07,99999999999999.99;-0.05,1.00,0.01;NULL,2.50,-1.00");
    hy_expr *p = COL(t, 0, "DECIMAL(15,2)"), *d = COL(t, 1, "DECIMAL(15,2)"), *q = COL(t, 2, "DECIMAL(16,2)");
    /* DECIMAL(15,2)*DECIMAL(15,2) -> DECIMAL(30,4): exact in 128 bits */
    expect_rows(t, over(t, tb, FN(t, HY_FN_MUL, "DECIMAL(30,4)", 2, p, d)), "6999999999.9993\n-0.0500\nNULL\n");
    /* 9999999999999.99 * 99999999999999.99 = 999999999999998900000000000.0001 */
    hy_table *tw = tbl(t, "decw", "p DECIMAL(15,2), q DECIMAL(16,2)", "9999999999999.99,99999999999999.99");
    expect_rows(t, over(t, tw, FN(t, HY_FN_MUL, "DECIMAL(31,4)", 2, COL(t, 0, "DECIMAL(15,2)"), COL(t, 1, "DECIMAL(16,2)"))),
                "999999999999998900000000000.0001\n");
    /* ADD/SUB at the result type the binder chooses (DECIMAL(17,2) here) */
    expect_rows(t, over(t, tb, FN(t, HY_FN_SUB, "DECIMAL(17,2)", 2, CAST(t, p, "DECIMAL(17,2)"), CAST(t, q, "DECIMAL(17,2)"))),
                "-99900000000000.00\n-0.06\nNULL\n");
    /* a result that leaves its precision is an error naming the type */
    expect_error(t, over(t, tb, FN(t, HY_FN_ADD, "DECIMAL(13,2)", 2, p, p)), "DECIMAL(13,2) out of range");
    /* NEG and ABS */
    expect_rows(t, over(t, tb, FN(t, HY_FN_ABS, "DECIMAL(15,2)", 1, p)), "99999999999.99\n0.05\nNULL\n");
    /* decimal compare with a constant of another precision but the same scale */
    expect_rows(t, PROJECT(t, SCAN(t, tb, FN(t, HY_FN_LT, BO, 2, d, K(t, "DECIMAL(3,2)", "1.00"))), 1, d), "0.07\n");
    /* BETWEEN on decimals (Q6 shape) */
    expect_rows(t, PROJECT(t, SCAN(t, tb, EX(t, HY_EX_BETWEEN, BO, false, 3, d, K(t, "DECIMAL(3,2)", "0.05"), K(t, "DECIMAL(3,2)", "1.00"))), 1, d),
                "0.07\n1.00\n");
}

static void test_decimal_sums(tctx *t) {
    /* 10 * INT64_MAX = 92233720368547758070 (DECIMAL(38,0)) */
    char rows[4096] = "";
    for (int i = 0; i < 10; i++) strcat(rows, i ? ";9223372036854775807" : "9223372036854775807");
    hy_table *tb = tbl(t, "bigsum", "a BIGINT", rows);
    hy_agg ag[2] = {{HY_AGG_SUM, COL(t, 0, B), false, hy_lt_dec(38, 0)}, {HY_AGG_AVG, COL(t, 0, B), false, hy_lt(HY_TYPE_DOUBLE)}};
    expect_rows(t, AGG(t, SCAN(t, tb, NULL), 0, NULL, 2, ag), "92233720368547758070|9.223372036854776e+18\n");
    /* 1000 * 9999999999999999.99 = 9999999999999999990.00 (DECIMAL(38,2)) */
    char *r2 = malloc(1000 * 22);
    r2[0] = '\0';
    for (int i = 0; i < 1000; i++) strcat(r2, i ? ";9999999999999999.99" : "9999999999999999.99");
    hy_table *td = tbl(t, "decsum", "a DECIMAL(18,2)", r2);
    free(r2);
    hy_agg ag2[1] = {{HY_AGG_SUM, COL(t, 0, "DECIMAL(18,2)"), false, hy_lt_dec(38, 2)}};
    expect_rows(t, AGG(t, SCAN(t, td, NULL), 0, NULL, 1, ag2), "9999999999999999990.00\n");
    /* wide inputs: x*x with x = 10^18-1 is 36 digits; 100 of them still fit 38 digits,
     * 101 do not: 100*(10^18-1)^2 = 99999999999999999800000000000000000100 */
    char *r3 = malloc(101 * 22);
    r3[0] = '\0';
    for (int i = 0; i < 101; i++) strcat(r3, i < 100 ? (i ? ";999999999999999999,1" : "999999999999999999,1") : ";999999999999999999,2");
    hy_table *tw = tbl(t, "widesum", "x DECIMAL(18,0), k INTEGER", r3);
    free(r3);
    hy_expr *x = COL(t, 0, "DECIMAL(18,0)");
    hy_agg ag3[1] = {{HY_AGG_SUM, FN(t, HY_FN_MUL, "DECIMAL(36,0)", 2, x, x), false, hy_lt_dec(38, 0)}};
    expect_rows(t, AGG(t, SCAN(t, tw, FN(t, HY_FN_EQ, BO, 2, COL(t, 1, I), K(t, I, "1"))), 0, NULL, 1, ag3),
                "99999999999999999800000000000000000100\n");
    expect_error(t, AGG(t, SCAN(t, tw, NULL), 0, NULL, 1, ag3), "DECIMAL(38,0) out of range");
    /* SUM(INTEGER) -> BIGINT overflow is an error at the end, not a wrap */
    char r4[256] = "";
    for (int i = 0; i < 3; i++) strcat(r4, i ? ";9223372036854775807" : "9223372036854775807");
    hy_table *t4 = tbl(t, "sumbig", "a BIGINT", r4);
    hy_agg ag4[1] = {{HY_AGG_SUM, COL(t, 0, B), false, hy_lt(HY_TYPE_BIGINT)}};
    expect_error(t, AGG(t, SCAN(t, t4, NULL), 0, NULL, 1, ag4), "BIGINT out of range");
}

static void test_casts(tctx *t) {
    hy_table *tb = tbl(t, "casts", "s VARCHAR, f DOUBLE, d DECIMAL(4,3), b BIGINT, dt DATE",
                       "12,2.5,1.005,3000000000,1994-01-01;abc,3.5,-2.5,-7,2000-02-29;NULL,-2.5,NULL,NULL,NULL");
    hy_expr *s = COL(t, 0, V), *f = COL(t, 1, D), *d = COL(t, 2, "DECIMAL(4,3)"), *b = COL(t, 3, B), *dt = COL(t, 4, "DATE");
    expect_error(t, over(t, tb, CAST(t, s, I)), "invalid input syntax for type INTEGER: \"abc\"");
    expect_rows(t, PROJECT(t, SCAN(t, tb, FN(t, HY_FN_EQ, BO, 2, s, K(t, V, "12"))), 1, CAST(t, s, I)), "12\n");
    /* DOUBLE -> INTEGER rounds half to even (PostgreSQL rint) */
    expect_rows(t, over(t, tb, CAST(t, f, I)), "2\n4\n-2\n");
    /* DECIMAL -> INTEGER / narrower DECIMAL round half away from zero */
    expect_rows(t, over(t, tb, CAST(t, d, I)), "1\n-3\nNULL\n");
    expect_rows(t, over(t, tb, CAST(t, d, "DECIMAL(3,2)")), "1.01\n-2.50\nNULL\n");
    expect_rows(t, over(t, tb, CAST(t, d, "DECIMAL(10,4)")), "1.0050\n-2.5000\nNULL\n");
    expect_rows(t, over(t, tb, CAST(t, d, D)), "1.005\n-2.5\nNULL\n");
    expect_error(t, over(t, tb, CAST(t, b, I)), "integer out of range");
    expect_error(t, over(t, tb, CAST(t, b, "DECIMAL(9,0)")), "DECIMAL(9,0) out of range");
    expect_rows(t, over(t, tb, CAST(t, b, "DECIMAL(12,2)")), "3000000000.00\n-7.00\nNULL\n");
    expect_rows(t, over(t, tb, CAST(t, dt, V)), "1994-01-01\n2000-02-29\nNULL\n");
    expect_rows(t, over(t, tb, CAST(t, d, V)), "1.005\n-2.500\nNULL\n");
    expect_rows(t, over(t, tb, CAST(t, K(t, V, "1994-02-28"), "DATE")), "1994-02-28\n1994-02-28\n1994-02-28\n");
    expect_error(t, over(t, tb, CAST(t, FN(t, HY_FN_CONCAT, V, 2, s, K(t, V, "-02-30")), "DATE")), "invalid input syntax for type DATE");
    expect_rows(t, over(t, tb, CAST(t, b, D)), "3000000000.0\n-7.0\nNULL\n");
}

static void test_round(tctx *t) {
    hy_table *tb = tbl(t, "rnd", "d DECIMAL(10,3), f DOUBLE", "2.345,2.5;-2.345,-2.5;2.344,2.675;15.000,0.5;NULL,NULL");
    hy_expr *d = COL(t, 0, "DECIMAL(10,3)"), *f = COL(t, 1, D);
    expect_rows(t, over(t, tb, FN(t, HY_FN_ROUND, "DECIMAL(10,2)", 2, d, K(t, I, "2"))), "2.35\n-2.35\n2.34\n15.00\nNULL\n");
    expect_rows(t, over(t, tb, FN(t, HY_FN_ROUND, "DECIMAL(10,3)", 2, d, K(t, I, "2"))), "2.350\n-2.350\n2.340\n15.000\nNULL\n");
    expect_rows(t, over(t, tb, FN(t, HY_FN_ROUND, "DECIMAL(10,3)", 2, d, K(t, I, "-1"))), "0.000\n0.000\n0.000\n20.000\nNULL\n");
    expect_rows(t, over(t, tb, FN(t, HY_FN_ROUND, "DECIMAL(10,0)", 2, d, K(t, I, "0"))), "2\n-2\n2\n15\nNULL\n");
    /* C round() of x*10^d: 2.675*100 rounds (in binary) to exactly 267.5, so 2.68 */
    expect_rows(t, over(t, tb, FN(t, HY_FN_ROUND, D, 2, f, K(t, I, "0"))), "3.0\n-3.0\n3.0\n1.0\nNULL\n");
    expect_rows(t, over(t, tb, FN(t, HY_FN_ROUND, D, 2, f, K(t, I, "2"))), "2.5\n-2.5\n2.68\n0.5\nNULL\n");
}

static void test_strings(tctx *t) {
    hy_table *tb = tbl(t, "str", "s VARCHAR", "hello;h\xc3\xa9llo;;NULL;abC1");
    hy_expr *s = COL(t, 0, V);
    expect_rows(t, over(t, tb, FN(t, HY_FN_LENGTH, B, 1, s)), "5\n5\n0\nNULL\n4\n");
    expect_rows(t, over(t, tb, FN(t, HY_FN_SUBSTRING, V, 3, s, K(t, B, "2"), K(t, B, "3"))), "ell\n\xc3\xa9ll\n\nNULL\nbC1\n");
    /* PostgreSQL: positions before 1 count toward the length */
    expect_rows(t, over(t, tb, FN(t, HY_FN_SUBSTRING, V, 3, s, K(t, B, "0"), K(t, B, "3"))), "he\nh\xc3\xa9\n\nNULL\nab\n");
    expect_rows(t, over(t, tb, FN(t, HY_FN_SUBSTRING, V, 3, s, K(t, B, "-5"), K(t, B, "3"))), "\n\n\nNULL\n\n");
    expect_rows(t, over(t, tb, FN(t, HY_FN_SUBSTRING, V, 2, s, K(t, B, "4"))), "lo\nlo\n\nNULL\n1\n");
    expect_error(t, over(t, tb, FN(t, HY_FN_SUBSTRING, V, 3, s, K(t, B, "1"), K(t, B, "-1"))), "negative substring length");
    expect_rows(t, over(t, tb, FN(t, HY_FN_UPPER, V, 1, s)), "HELLO\nH\xc3\xa9LLO\n\nNULL\nABC1\n");
    expect_rows(t, over(t, tb, FN(t, HY_FN_LOWER, V, 1, s)), "hello\nh\xc3\xa9llo\n\nNULL\nabc1\n");
    expect_rows(t, over(t, tb, FN(t, HY_FN_CONCAT, V, 2, s, K(t, V, "!"))), "hello!\nh\xc3\xa9llo!\n!\nNULL\nabC1!\n");
    /* string comparison is bytewise; the empty string sorts first */
    expect_rows(t, PROJECT(t, SCAN(t, tb, FN(t, HY_FN_LT, BO, 2, s, K(t, V, "hello"))), 1, s), "\nabC1\n");
    expect_rows(t, PROJECT(t, SCAN(t, tb, FN(t, HY_FN_GE, BO, 2, K(t, V, "hello"), s)), 1, s), "hello\n\nabC1\n");
}

/* Length limits near 4 GiB without allocating them: the stored lengths are patched (the
 * bytes are never read because the limit check comes first). concat of 2^31 + (2^31 - 1)
 * bytes = UINT32_MAX used to pass the check and then copy from the short buffers. */
static void test_string_limits(tctx *t) {
    hy_table *tb = tbl(t, "huge", "a VARCHAR, b VARCHAR", "x,y");
    hy_expr *a = COL(t, 0, V), *b = COL(t, 1, V);
    hy_str *sa = tb->cols[0].data, *sb = tb->cols[1].data;
    sa[0].len = 0x80000000u;
    sb[0].len = 0x7FFFFFFFu; /* sum == UINT32_MAX: one over HY_STR_MAX_LEN */
    expect_error(t, over(t, tb, FN(t, HY_FN_CONCAT, V, 2, a, b)), "string too long");
    sb[0].len = 0xFFFFFFFFu; /* sum far beyond */
    expect_error(t, over(t, tb, FN(t, HY_FN_CONCAT, V, 2, a, b)), "string too long");
    sa[0].len = 1;
    sb[0].len = 1;
    expect_rows(t, over(t, tb, FN(t, HY_FN_CONCAT, V, 2, a, b)), "xy\n");
    CHECK(t, hy_str_len_ok(0) && hy_str_len_ok(UINT32_MAX - 1u));
    CHECK(t, !hy_str_len_ok(UINT32_MAX) && !hy_str_len_ok((size_t)UINT32_MAX + 1));
}

static void test_like(tctx *t) {
    hy_table *tb = tbl(t, "lk", "s VARCHAR, p VARCHAR",
                       "abc,a%;abc,%c;abc,%b%;abc,a_c;\xc3\xa9,_;abc,abc;abcd,abc;,%;NULL,a;aXbYc,a%b%c;aXcYb,a%b%c;a%c,a\\%c;ab,__;ab,___");
    hy_expr *s = COL(t, 0, V), *p = COL(t, 1, V);
    /* pattern from a column (general matcher) */
    expect_rows(t, over(t, tb, EX(t, HY_EX_LIKE, BO, false, 2, s, p)),
                "true\ntrue\ntrue\ntrue\ntrue\ntrue\nfalse\ntrue\nNULL\ntrue\nfalse\nfalse\ntrue\nfalse\n");
    expect_rows(t, over(t, tb, EX(t, HY_EX_LIKE, BO, true, 2, s, p)),
                "false\nfalse\nfalse\nfalse\nfalse\nfalse\ntrue\nfalse\nNULL\nfalse\ntrue\ntrue\nfalse\ntrue\n");
    /* constant patterns (compiled fast paths) */
    const char *pats[] = {"a%", "%c", "%b%", "abc", "%", "a%b%c", "_b%"};
    const char *want[] = {
        "true\ntrue\ntrue\ntrue\nfalse\ntrue\ntrue\nfalse\nNULL\ntrue\ntrue\ntrue\ntrue\ntrue\n",
        "true\ntrue\ntrue\ntrue\nfalse\ntrue\nfalse\nfalse\nNULL\ntrue\nfalse\ntrue\nfalse\nfalse\n",
        "true\ntrue\ntrue\ntrue\nfalse\ntrue\ntrue\nfalse\nNULL\ntrue\ntrue\nfalse\ntrue\ntrue\n",
        "true\ntrue\ntrue\ntrue\nfalse\ntrue\nfalse\nfalse\nNULL\nfalse\nfalse\nfalse\nfalse\nfalse\n",
        "true\ntrue\ntrue\ntrue\ntrue\ntrue\ntrue\ntrue\nNULL\ntrue\ntrue\ntrue\ntrue\ntrue\n",
        "true\ntrue\ntrue\ntrue\nfalse\ntrue\nfalse\nfalse\nNULL\ntrue\nfalse\nfalse\nfalse\nfalse\n",
        "true\ntrue\ntrue\ntrue\nfalse\ntrue\ntrue\nfalse\nNULL\nfalse\nfalse\nfalse\ntrue\ntrue\n",
    };
    for (int i = 0; i < 7; i++) expect_rows(t, over(t, tb, EX(t, HY_EX_LIKE, BO, false, 2, s, K(t, V, pats[i]))), want[i]);
}

static void test_case_coalesce_between(tctx *t) {
    hy_table *tb = tbl(t, "cb", "x INTEGER, lo INTEGER, hi INTEGER", "5,1,10;5,NULL,3;5,NULL,10;NULL,1,2;5,6,NULL;5,1,3");
    hy_expr *x = COL(t, 0, I), *lo = COL(t, 1, I), *hi = COL(t, 2, I);
    /* x >= lo AND x <= hi in three-valued logic */
    expect_rows(t, over(t, tb, EX(t, HY_EX_BETWEEN, BO, false, 3, x, lo, hi)), "true\nfalse\nNULL\nNULL\nfalse\nfalse\n");
    expect_rows(t, over(t, tb, EX(t, HY_EX_BETWEEN, BO, true, 3, x, lo, hi)), "false\ntrue\nNULL\nNULL\ntrue\ntrue\n");
    expect_rows(t, over(t, tb, EX(t, HY_EX_COALESCE, I, false, 3, lo, hi, K(t, I, "-1"))), "1\n3\n10\n1\n6\n1\n");
    expect_rows(t, over(t, tb, EX(t, HY_EX_COALESCE, I, false, 2, hi, lo)), "10\n3\n10\n2\n6\n3\n");
    /* CASE WHEN lo > 3 THEN 'big' WHEN lo IS NULL THEN 'none' END (no ELSE -> NULL) */
    expect_rows(t, over(t, tb, EX(t, HY_EX_CASE, V, false, 4, FN(t, HY_FN_GT, BO, 2, lo, K(t, I, "3")), K(t, V, "big"),
                                  EX(t, HY_EX_IS_NULL, BO, false, 1, lo), K(t, V, "none"))),
                "NULL\nnone\nnone\nNULL\nbig\nNULL\n");
    /* WHEN with a NULL condition falls through to ELSE */
    expect_rows(t, over(t, tb, EX(t, HY_EX_CASE, I, false, 3, FN(t, HY_FN_LT, BO, 2, lo, hi), x, K(t, I, "0"))),
                "5\n0\n0\nNULL\n0\n5\n");
}

static void test_dates(tctx *t) {
    hy_table *tb = tbl(t, "dt", "d DATE, n BIGINT", "2020-01-31,1;2019-01-31,1;2020-02-29,12;1970-01-01,-1;NULL,1");
    hy_expr *d = COL(t, 0, "DATE"), *n = COL(t, 1, B);
    expect_rows(t, over(t, tb, FN(t, HY_FN_DATE_ADD_MONTHS, "DATE", 2, d, n)),
                "2020-02-29\n2019-02-28\n2021-02-28\n1969-12-01\nNULL\n");
    expect_rows(t, over(t, tb, FN(t, HY_FN_DATE_ADD_DAYS, "DATE", 2, d, n)),
                "2020-02-01\n2019-02-01\n2020-03-12\n1969-12-31\nNULL\n");
    expect_rows(t, over(t, tb, FN(t, HY_FN_YEAR, B, 1, d)), "2020\n2019\n2020\n1970\nNULL\n");
    expect_rows(t, over(t, tb, FN(t, HY_FN_MONTH, B, 1, d)), "1\n1\n2\n1\nNULL\n");
    expect_rows(t, over(t, tb, FN(t, HY_FN_DAY, B, 1, d)), "31\n31\n29\n1\nNULL\n");
    /* 2020-01-31 - 2019-01-31 = 365 days */
    expect_rows(t, over(t, tb, FN(t, HY_FN_DATE_DIFF, B, 2, d, K(t, "DATE", "2019-01-31"))), "365\n0\n394\n-17927\nNULL\n");
    expect_error(t, over(t, tb, FN(t, HY_FN_DATE_ADD_DAYS, "DATE", 2, d, K(t, B, "9000000000"))), "date out of range");
    /* Q1 shape: date - 90 days compared with a column */
    expect_rows(t, PROJECT(t, SCAN(t, tb, FN(t, HY_FN_LE, BO, 2, d, FN(t, HY_FN_DATE_ADD_DAYS, "DATE", 2, K(t, "DATE", "2020-04-30"), K(t, B, "-90")))), 1, d),
                "2020-01-31\n2019-01-31\n1970-01-01\n");
}

static void test_doubles(tctx *t) {
    hy_table *tb = tbl(t, "dbl", "f DOUBLE", "nan;-0.0;0.0;1e308;-inf;NULL");
    hy_expr *f = COL(t, 0, D);
    /* total order: NaN = NaN and NaN sorts above every number; -0.0 = 0.0 */
    expect_rows(t, over(t, tb, FN(t, HY_FN_EQ, BO, 2, f, K(t, D, "nan"))), "true\nfalse\nfalse\nfalse\nfalse\nNULL\n");
    expect_rows(t, over(t, tb, FN(t, HY_FN_GT, BO, 2, f, K(t, D, "1e300"))), "true\nfalse\nfalse\ntrue\nfalse\nNULL\n");
    expect_rows(t, over(t, tb, FN(t, HY_FN_EQ, BO, 2, f, K(t, D, "0"))), "false\ntrue\ntrue\nfalse\nfalse\nNULL\n");
    expect_rows(t, PROJECT(t, SCAN(t, tb, FN(t, HY_FN_GE, BO, 2, f, K(t, D, "1e300"))), 1, f), "nan\n1e+308\n");
    expect_rows(t, PROJECT(t, SCAN(t, tb, FN(t, HY_FN_NE, BO, 2, f, K(t, D, "0"))), 1, f), "nan\n1e+308\n-inf\n");
}

int main(void) {
    tctx t;
    for (int pass = 0; pass < 3; pass++) {
        /* 1 thread; 2 threads with tiny morsels; 3 threads with 1-row morsels */
        int threads = pass + 1;
        int64_t mr = pass == 0 ? 65536 : pass == 1 ? 2 : 1;
        t_init(&t, threads, mr);
        test_logic(&t);
        test_in(&t);
        test_int_overflow(&t);
        test_divzero(&t);
        test_decimal(&t);
        test_decimal_sums(&t);
        test_casts(&t);
        test_round(&t);
        test_strings(&t);
        test_string_limits(&t);
        test_like(&t);
        test_case_coalesce_between(&t);
        test_dates(&t);
        test_doubles(&t);
        int rc = t_done(&t, pass == 0 ? "exec_expr[1 thread]" : pass == 1 ? "exec_expr[2 threads, morsel 2]" : "exec_expr[3 threads, morsel 1]");
        t_free(&t);
        if (rc) return rc;
    }
    return 0;
}
