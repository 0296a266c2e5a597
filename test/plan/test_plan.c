/*
 * Unit tests for sql/ (lexer, parser) and plan/ (binder, folding, EXPLAIN) against a small
 * catalog, without the executor. Expected types follow plan.h's rules worked out by hand
 * (DuckDB decimal rules); expected EXPLAIN texts are written by hand from the format
 * documented in plan/explain.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/error.h"
#include "plan/plan.h"
#include "sql/lexer.h"
#include "sql/parser.h"

static int failures, checks;

#define CHECK(cond, ...)                                                 \
    do {                                                                 \
        checks++;                                                        \
        if (!(cond)) {                                                   \
            failures++;                                                  \
            fprintf(stderr, "%s:%d: FAILED: ", __FILE__, __LINE__);      \
            fprintf(stderr, __VA_ARGS__);                                \
            fprintf(stderr, "\n");                                       \
        }                                                                \
    } while (0)

static hy_catalog cat;
static hy_arena arena;

static void add_table(const char *name, int n, const hy_coldef *defs) {
    hy_error err;
    hy_error_clear(&err);
    hy_table *t = hy_table_new(name, n, defs, HY_DEFAULT_MORSEL_ROWS);
    if (!t || !hy_catalog_add(&cat, t, &err)) {
        fprintf(stderr, "cannot create table %s: %s\n", name, err.msg);
        exit(2);
    }
}

static void setup(void) {
    hy_catalog_init(&cat);
    hy_ltype money = hy_lt_dec(15, 2);
    hy_coldef li[] = {
        {"l_orderkey", hy_lt(HY_TYPE_BIGINT), true},    {"l_partkey", hy_lt(HY_TYPE_BIGINT), true},
        {"l_suppkey", hy_lt(HY_TYPE_BIGINT), true},     {"l_linenumber", hy_lt(HY_TYPE_INTEGER), true},
        {"l_quantity", money, true},                    {"l_extendedprice", money, true},
        {"l_discount", money, true},                    {"l_tax", money, true},
        {"l_returnflag", hy_lt(HY_TYPE_VARCHAR), true}, {"l_linestatus", hy_lt(HY_TYPE_VARCHAR), true},
        {"l_shipdate", hy_lt(HY_TYPE_DATE), true},      {"l_commitdate", hy_lt(HY_TYPE_DATE), true},
        {"l_receiptdate", hy_lt(HY_TYPE_DATE), true},   {"l_shipinstruct", hy_lt(HY_TYPE_VARCHAR), true},
        {"l_shipmode", hy_lt(HY_TYPE_VARCHAR), true},   {"l_comment", hy_lt(HY_TYPE_VARCHAR), true},
    };
    add_table("lineitem", 16, li);
    hy_coldef t[] = {{"a", hy_lt(HY_TYPE_INTEGER), true}, {"b", hy_lt(HY_TYPE_VARCHAR), false}};
    add_table("t", 2, t);
    hy_coldef t2[] = {{"a", hy_lt(HY_TYPE_INTEGER), false},
                      {"b", hy_lt(HY_TYPE_VARCHAR), false},
                      {"c", hy_lt_dec(5, 2), false},
                      {"d", hy_lt(HY_TYPE_DATE), false},
                      {"e", hy_lt(HY_TYPE_DOUBLE), false},
                      {"f", hy_lt(HY_TYPE_BIGINT), false},
                      {"g", hy_lt(HY_TYPE_BOOLEAN), false}};
    add_table("t2", 7, t2);
}

/* Prepare exactly one statement; NULL on error (message in *err). */
static hy_stmt *prep(const char *sql, hy_error *err) {
    size_t off = 0;
    hy_stmt *s = NULL;
    hy_error_clear(err);
    int r = hy_prepare_next(sql, &off, &cat, &arena, &s, err);
    if (r != 1) return NULL;
    return s;
}

static const char *tname(hy_ltype t, char *buf) {
    if (t.id == HY_TYPE_NULL) return "NULL";
    return hy_lt_name(t, buf, 40);
}

/* Result type of column `col` of a SELECT. */
static void expect_type_at(int line, const char *sql, int col, const char *want) {
    hy_error err;
    hy_stmt *s = prep(sql, &err);
    checks++;
    if (!s) {
        failures++;
        fprintf(stderr, "test_plan.c:%d: FAILED: %s\n  error: %s\n", line, sql, err.msg);
        return;
    }
    char buf[40];
    const char *got = col < s->plan->ncols ? tname(s->plan->types[col], buf) : "(no column)";
    if (strcmp(got, want) != 0) {
        failures++;
        fprintf(stderr, "test_plan.c:%d: FAILED: %s\n  type of column %d: got %s, want %s\n",
                line, sql, col, got, want);
    }
}
#define EXPECT_TYPE(sql, want) expect_type_at(__LINE__, sql, 0, want)

static void expect_error_at(int line, const char *sql, const char *want, bool prefix) {
    hy_error err;
    hy_stmt *s = prep(sql, &err);
    checks++;
    bool ok = !s && (prefix ? strncmp(err.msg, want, strlen(want)) == 0 : strcmp(err.msg, want) == 0);
    if (!ok) {
        failures++;
        fprintf(stderr, "test_plan.c:%d: FAILED: %s\n  got:  %s\n  want: %s%s\n", line, sql,
                s ? "(no error)" : err.msg, want, prefix ? "..." : "");
    }
}
#define EXPECT_ERROR(sql, want) expect_error_at(__LINE__, sql, want, false)
#define EXPECT_ERROR_PREFIX(sql, want) expect_error_at(__LINE__, sql, want, true)

static void expect_explain_at(int line, const char *sql, const char *want) {
    hy_error err;
    hy_stmt *s = prep(sql, &err);
    checks++;
    if (!s) {
        failures++;
        fprintf(stderr, "test_plan.c:%d: FAILED: %s\n  error: %s\n", line, sql, err.msg);
        return;
    }
    const char *got = hy_plan_explain(s->plan, &arena);
    if (strcmp(got, want) != 0) {
        failures++;
        fprintf(stderr, "test_plan.c:%d: FAILED: %s\n--- got:\n%s--- want:\n%s", line, sql, got,
                want);
    }
}
#define EXPECT_EXPLAIN(sql, want) expect_explain_at(__LINE__, sql, want)

/* ---- lexer ------------------------------------------------------------------------------- */

static void test_lexer(void) {
    const char *src = "SELECT \"My Col\", 'it''s', 1.5e3, .5, 42 -- c\n /* x */ <> != :: || // => x.y";
    hy_lexer lx;
    hy_lexer_init(&lx, src, strlen(src), 0, &arena);
    hy_token t = hy_lexer_next(&lx);
    CHECK(t.kind == HY_TK_IDENT && t.kw == HY_KW_SELECT, "SELECT keyword");
    t = hy_lexer_next(&lx);
    CHECK(t.kind == HY_TK_QIDENT && strcmp(t.text, "My Col") == 0, "quoted ident keeps case");
    hy_lexer_next(&lx);
    t = hy_lexer_next(&lx);
    CHECK(t.kind == HY_TK_STRING && strcmp(t.text, "it's") == 0 && t.len == 7, "string escape");
    hy_lexer_next(&lx);
    t = hy_lexer_next(&lx);
    CHECK(t.kind == HY_TK_NUM && strcmp(t.text, "1.5e3") == 0, "exponent number");
    hy_lexer_next(&lx);
    t = hy_lexer_next(&lx);
    CHECK(t.kind == HY_TK_NUM && strcmp(t.text, ".5") == 0, "leading-dot number");
    hy_lexer_next(&lx);
    t = hy_lexer_next(&lx);
    CHECK(t.kind == HY_TK_INT && strcmp(t.text, "42") == 0, "integer");
    hy_sql_op ops[] = {HY_OP_NE, HY_OP_NE2, HY_OP_DCOLON, HY_OP_CONCAT, HY_OP_DSLASH, HY_OP_ARROW};
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) {
        t = hy_lexer_next(&lx);
        CHECK(t.kind == HY_TK_OP && t.op == ops[i], "operator %zu (%s)", i, hy_sql_op_text(ops[i]));
    }
    t = hy_lexer_next(&lx);
    CHECK(t.kind == HY_TK_IDENT && strcmp(t.text, "x") == 0, "x");
    t = hy_lexer_next(&lx);
    CHECK(t.kind == HY_TK_OP && t.op == HY_OP_DOT, "dot");
    t = hy_lexer_next(&lx);
    CHECK(t.kind == HY_TK_IDENT && strcmp(t.text, "y") == 0, "y");
    t = hy_lexer_next(&lx);
    CHECK(t.kind == HY_TK_EOF && t.offset == strlen(src), "EOF at end");
    CHECK(hy_keyword_reserved(HY_KW_FROM) && !hy_keyword_reserved(HY_KW_DATE), "reserved classes");
    CHECK(strcmp(hy_keyword_text(HY_KW_INTERVAL), "interval") == 0, "keyword text");
}

/* ---- statement splitting and offsets ----------------------------------------------------- */

static void test_offsets(void) {
    const char *sql = "SELECT 1; ;SELECT FROM;\n SELECT 'a;b' -- tail ;\n; -- only a comment\n";
    size_t off = 0;
    hy_stmt *s;
    hy_error err;
    hy_error_clear(&err);
    int r = hy_prepare_next(sql, &off, &cat, &arena, &s, &err);
    CHECK(r == 1 && off == 9, "first statement ends after ';' (r=%d off=%zu)", r, off);
    r = hy_prepare_next(sql, &off, &cat, &arena, &s, &err);
    CHECK(r == -1 && off == 23, "error statement skipped to its ';' (r=%d off=%zu)", r, off);
    CHECK(strcmp(err.msg, "line 1:19: syntax error at or near \"FROM\"") == 0, "msg: %s", err.msg);
    hy_error_clear(&err);
    r = hy_prepare_next(sql, &off, &cat, &arena, &s, &err);
    CHECK(r == 1 && s->plan->kind == HY_PLAN_VALUES, "third statement (r=%d)", r);
    if (r == 1) {
        const hy_expr *e = s->plan->u.values.rows[0][0];
        CHECK(e->kind == HY_EX_CONST && e->value.v.s.len == 3 && memcmp(e->value.v.s.ptr, "a;b", 3) == 0,
              "';' inside a string");
    }
    r = hy_prepare_next(sql, &off, &cat, &arena, &s, &err);
    CHECK(r == 0 && off == strlen(sql), "only comments remain (r=%d off=%zu)", r, off);
    r = hy_prepare_next(sql, &off, &cat, &arena, &s, &err);
    CHECK(r == 0, "stays at end");
    /* unterminated string: the rest of the text is consumed */
    off = 0;
    hy_error_clear(&err);
    r = hy_prepare_next("SELECT 'abc; SELECT 1", &off, &cat, &arena, &s, &err);
    CHECK(r == -1 && off == 21, "unterminated string consumes the text");
    CHECK(strcmp(err.msg, "line 1:8: unterminated quoted string at or near \"'abc; SELECT 1\"") == 0,
          "msg: %s", err.msg);
}

/* ---- literal and expression typing ------------------------------------------------------- */

static void test_types(void) {
    EXPECT_TYPE("SELECT 1", "INTEGER");
    EXPECT_TYPE("SELECT 2147483647", "INTEGER");
    EXPECT_TYPE("SELECT 2147483648", "BIGINT");
    /* DuckDB types the digits, then folds the sign in: -2147483648 is a BIGINT */
    EXPECT_TYPE("SELECT -2147483648", "BIGINT");
    EXPECT_TYPE("SELECT -2147483647", "INTEGER");
    EXPECT_TYPE("SELECT -(-2147483648)", "BIGINT");
    EXPECT_TYPE("SELECT - -2147483648", "BIGINT");
    EXPECT_TYPE("SELECT -9223372036854775808", "BIGINT");
    EXPECT_TYPE("SELECT 9223372036854775807", "BIGINT");
    /* DuckDB: HUGEINT, which takes part in decimal arithmetic as DECIMAL(38,0) */
    EXPECT_TYPE("SELECT 9223372036854775808", "DECIMAL(38,0)");
    EXPECT_TYPE("SELECT -9223372036854775809", "DECIMAL(38,0)");
    EXPECT_TYPE("SELECT 123456789012345678901234567890123456789", "DOUBLE");
    EXPECT_TYPE("SELECT 0.06", "DECIMAL(3,2)");
    EXPECT_TYPE("SELECT 1.5", "DECIMAL(2,1)");
    EXPECT_TYPE("SELECT -12.345", "DECIMAL(5,3)");
    EXPECT_TYPE("SELECT .5", "DECIMAL(1,1)");
    EXPECT_TYPE("SELECT 1e3", "DOUBLE");
    EXPECT_TYPE("SELECT 'x'", "VARCHAR");
    EXPECT_TYPE("SELECT TRUE", "BOOLEAN");
    EXPECT_TYPE("SELECT NULL", "NULL");
    EXPECT_TYPE("SELECT DATE '2020-01-01'", "DATE");
    /* arithmetic */
    EXPECT_TYPE("SELECT 1 / 2", "DOUBLE");
    EXPECT_TYPE("SELECT 7 // 2", "INTEGER");
    EXPECT_TYPE("SELECT 7 % 2::BIGINT", "BIGINT");
    EXPECT_TYPE("SELECT 1 + 2::BIGINT", "BIGINT");
    EXPECT_TYPE("SELECT 1 + 1e0", "DOUBLE");
    EXPECT_TYPE("SELECT 0.06 + 0.01", "DECIMAL(4,2)");
    EXPECT_TYPE("SELECT 1.5 * 1.25", "DECIMAL(5,3)");
    EXPECT_TYPE("SELECT 1.5 / 0.5", "DOUBLE");
    EXPECT_TYPE("SELECT -l_quantity FROM lineitem", "DECIMAL(15,2)");
    /* MUL of two <= 18-digit decimals stays at 18 digits (DuckDB; overflow checked at run time) */
    EXPECT_TYPE("SELECT l_extendedprice * l_discount FROM lineitem", "DECIMAL(18,4)");
    EXPECT_TYPE("SELECT l_extendedprice + l_discount FROM lineitem", "DECIMAL(16,2)");
    /* 1 -> DECIMAL(10,0); 1 - DECIMAL(15,2) -> DECIMAL(max(10,13)+2+1, 2) = DECIMAL(16,2) */
    EXPECT_TYPE("SELECT 1 - l_discount FROM lineitem", "DECIMAL(16,2)");
    EXPECT_TYPE("SELECT l_extendedprice * (1 - l_discount) FROM lineitem", "DECIMAL(18,4)");
    EXPECT_TYPE("SELECT l_extendedprice * (1 - l_discount) * (1 + l_tax) FROM lineitem",
                "DECIMAL(18,6)");
    /* INTEGER column -> DECIMAL(10,0): s=1, p = max(10,1)+1+1 */
    EXPECT_TYPE("SELECT l_linenumber + 1.5 FROM lineitem", "DECIMAL(12,1)");
    /* BIGINT column -> DECIMAL(19,0) */
    EXPECT_TYPE("SELECT l_orderkey + l_tax FROM lineitem", "DECIMAL(22,2)");
    EXPECT_TYPE("SELECT l_orderkey * l_tax FROM lineitem", "DECIMAL(34,2)");
    EXPECT_TYPE("SELECT l_quantity / l_tax FROM lineitem", "DOUBLE");
    EXPECT_TYPE("SELECT l_quantity % 2 FROM lineitem", "DECIMAL(15,2)");
    EXPECT_TYPE("SELECT l_quantity + 1e0 FROM lineitem", "DOUBLE");
    EXPECT_TYPE("SELECT l_linenumber + l_orderkey FROM lineitem", "BIGINT");
    EXPECT_TYPE("SELECT '5' + 1", "INTEGER");
    /* aggregates */
    EXPECT_TYPE("SELECT sum(l_quantity) FROM lineitem", "DECIMAL(38,2)");
    EXPECT_TYPE("SELECT sum(l_extendedprice * (1 - l_discount) * (1 + l_tax)) FROM lineitem",
                "DECIMAL(38,6)");
    EXPECT_TYPE("SELECT sum(l_linenumber) FROM lineitem", "BIGINT");
    EXPECT_TYPE("SELECT sum(l_orderkey) FROM lineitem", "DECIMAL(38,0)");
    EXPECT_TYPE("SELECT sum(e) FROM t2", "DOUBLE");
    EXPECT_TYPE("SELECT avg(l_quantity) FROM lineitem", "DOUBLE");
    EXPECT_TYPE("SELECT avg(l_linenumber) FROM lineitem", "DOUBLE");
    EXPECT_TYPE("SELECT count(*) FROM lineitem", "BIGINT");
    EXPECT_TYPE("SELECT count(DISTINCT l_returnflag) FROM lineitem", "BIGINT");
    EXPECT_TYPE("SELECT min(l_shipdate) FROM lineitem", "DATE");
    EXPECT_TYPE("SELECT max(l_comment) FROM lineitem", "VARCHAR");
    EXPECT_TYPE("SELECT sum(l_quantity) / count(*) FROM lineitem", "DOUBLE");
    /* dates */
    EXPECT_TYPE("SELECT extract(year FROM l_shipdate) FROM lineitem", "BIGINT");
    EXPECT_TYPE("SELECT l_receiptdate - l_shipdate FROM lineitem", "BIGINT");
    EXPECT_TYPE("SELECT l_shipdate + 1 FROM lineitem", "DATE");
    EXPECT_TYPE("SELECT l_shipdate - INTERVAL '1' MONTH FROM lineitem", "DATE");
    EXPECT_TYPE("SELECT DATE '1998-12-01' - INTERVAL '90' DAY", "DATE");
    /* functions, CASE, COALESCE, casts */
    EXPECT_TYPE("SELECT length('abc')", "BIGINT");
    EXPECT_TYPE("SELECT upper(l_comment) FROM lineitem", "VARCHAR");
    EXPECT_TYPE("SELECT substring(l_comment, 1, 2) FROM lineitem", "VARCHAR");
    EXPECT_TYPE("SELECT substring(l_comment FROM 2 FOR 3) FROM lineitem", "VARCHAR");
    EXPECT_TYPE("SELECT 'a' || 1", "VARCHAR");
    EXPECT_TYPE("SELECT abs(l_linenumber) FROM lineitem", "INTEGER");
    EXPECT_TYPE("SELECT round(l_extendedprice, 1) FROM lineitem", "DECIMAL(15,1)");
    EXPECT_TYPE("SELECT round(l_extendedprice) FROM lineitem", "DECIMAL(15,0)");
    EXPECT_TYPE("SELECT round(l_extendedprice, 5) FROM lineitem", "DECIMAL(15,2)");
    EXPECT_TYPE("SELECT round(e, 2) FROM t2", "DOUBLE");
    EXPECT_TYPE("SELECT CASE WHEN true THEN 1 ELSE 2.5 END", "DECIMAL(11,1)");
    EXPECT_TYPE("SELECT CASE l_linenumber WHEN 1 THEN 'a' END FROM lineitem", "VARCHAR");
    EXPECT_TYPE("SELECT coalesce(l_linenumber, l_orderkey) FROM lineitem", "BIGINT");
    EXPECT_TYPE("SELECT CAST(l_quantity AS INTEGER) FROM lineitem", "INTEGER");
    EXPECT_TYPE("SELECT l_quantity::DECIMAL(10,1) FROM lineitem", "DECIMAL(10,1)");
    EXPECT_TYPE("SELECT CAST(1 AS NUMERIC)", "DECIMAL(18,3)");
    EXPECT_TYPE("SELECT CAST('1.5' AS DOUBLE PRECISION)", "DOUBLE");
    EXPECT_TYPE("SELECT a IS NULL FROM t", "BOOLEAN");
    EXPECT_TYPE("SELECT l_shipdate BETWEEN '1994-01-01' AND DATE '1995-01-01' FROM lineitem",
                "BOOLEAN");
    EXPECT_TYPE("SELECT b LIKE 'a%' FROM t", "BOOLEAN");
    EXPECT_TYPE("SELECT a IN (1, 2, 3) FROM t", "BOOLEAN");
}

/* DuckDB's DECIMAL result types (B6). Every expected type below was checked with DuckDB 1.5
 * (`SELECT typeof(...)` / DESCRIBE through libduckdb); the t2 column c is DECIMAL(5,2). */
static void test_decimal_types(void) {
    /* ADD/SUB: max integer digits + max scale + 1, capped at 18 when both sides have <= 18
     * digits, at 38 otherwise */
    EXPECT_TYPE("SELECT 1::DECIMAL(18,2) + 1::DECIMAL(18,2)", "DECIMAL(18,2)");
    EXPECT_TYPE("SELECT 1::DECIMAL(18,2) - 1::DECIMAL(18,2)", "DECIMAL(18,2)");
    EXPECT_TYPE("SELECT 1::DECIMAL(17,2) + 1::DECIMAL(17,2)", "DECIMAL(18,2)");
    EXPECT_TYPE("SELECT 1::DECIMAL(17,2) + 1::DECIMAL(18,2)", "DECIMAL(18,2)");
    EXPECT_TYPE("SELECT 1::DECIMAL(18,2) + 1::DECIMAL(19,2)", "DECIMAL(20,2)");
    EXPECT_TYPE("SELECT 1::DECIMAL(38,2) + 1::DECIMAL(38,2)", "DECIMAL(38,2)");
    EXPECT_TYPE("SELECT 0::DECIMAL(18,0) + 0.5::DECIMAL(18,18)", "DECIMAL(18,18)");
    EXPECT_TYPE("SELECT 2147483647::DECIMAL(10,0) + 1::DECIMAL(10,0)", "DECIMAL(11,0)");
    /* integers count as DECIMAL(10,0) / DECIMAL(19,0): literals, casts and folded constants */
    EXPECT_TYPE("SELECT 1.5::DECIMAL(4,1) + 2", "DECIMAL(12,1)");
    EXPECT_TYPE("SELECT 1.5::DECIMAL(4,1) + 2::INTEGER", "DECIMAL(12,1)");
    EXPECT_TYPE("SELECT 1.5::DECIMAL(4,1) + (1 + 1)", "DECIMAL(12,1)");
    EXPECT_TYPE("SELECT 1.5::DECIMAL(4,1) + -2", "DECIMAL(12,1)");
    EXPECT_TYPE("SELECT 2 - 1.5::DECIMAL(4,1)", "DECIMAL(12,1)");
    EXPECT_TYPE("SELECT 1.5::DECIMAL(4,1) + 1234567890", "DECIMAL(12,1)");
    EXPECT_TYPE("SELECT 1.5::DECIMAL(4,1) + 12345678901", "DECIMAL(21,1)");
    EXPECT_TYPE("SELECT 1.5::DECIMAL(4,1) + 2::BIGINT", "DECIMAL(21,1)");
    EXPECT_TYPE("SELECT 1.5::DECIMAL(4,1) + 9223372036854775808", "DECIMAL(38,1)");
    EXPECT_TYPE("SELECT 1.5 + 2", "DECIMAL(12,1)");
    EXPECT_TYPE("SELECT 1::DECIMAL(18,2) + 1", "DECIMAL(18,2)");
    EXPECT_TYPE("SELECT 1::DECIMAL(18,2) + 1::BIGINT", "DECIMAL(22,2)");
    EXPECT_TYPE("SELECT 1::DECIMAL(17,2) + 1::BIGINT", "DECIMAL(22,2)");
    EXPECT_TYPE("SELECT c + a FROM t2", "DECIMAL(13,2)");
    EXPECT_TYPE("SELECT c + f FROM t2", "DECIMAL(22,2)");
    /* MUL: p1+p2 digits, s1+s2 scale; 18 when both have <= 18 digits and the scale < 18 */
    EXPECT_TYPE("SELECT 1::DECIMAL(18,2) * 2", "DECIMAL(18,2)");
    EXPECT_TYPE("SELECT 1.5::DECIMAL(10,1) * 2.5::DECIMAL(10,2)", "DECIMAL(18,3)");
    EXPECT_TYPE("SELECT 1.5::DECIMAL(4,1) * 2", "DECIMAL(14,1)");
    EXPECT_TYPE("SELECT 1.5::DECIMAL(4,1) * 2::INTEGER", "DECIMAL(14,1)");
    EXPECT_TYPE("SELECT 1.5::DECIMAL(4,1) * 2::BIGINT", "DECIMAL(23,1)");
    EXPECT_TYPE("SELECT 1.5 * 2", "DECIMAL(12,1)");
    EXPECT_TYPE("SELECT 1::DECIMAL(9,2) * 1::DECIMAL(9,2)", "DECIMAL(18,4)");
    EXPECT_TYPE("SELECT 1::DECIMAL(9,2) * 1::DECIMAL(10,2)", "DECIMAL(18,4)");
    EXPECT_TYPE("SELECT 1::DECIMAL(9,2) * 1::INTEGER", "DECIMAL(18,2)");
    EXPECT_TYPE("SELECT 1::DECIMAL(9,2) * 1::BIGINT", "DECIMAL(28,2)");
    EXPECT_TYPE("SELECT 1::DECIMAL(18,2) * 1::BIGINT", "DECIMAL(37,2)");
    EXPECT_TYPE("SELECT 1::DECIMAL(18,2) * 1::DECIMAL(19,2)", "DECIMAL(37,4)");
    EXPECT_TYPE("SELECT 1.5::DECIMAL(4,1) * 2.5::DECIMAL(19,2)", "DECIMAL(23,3)");
    EXPECT_TYPE("SELECT 1::DECIMAL(18,10) * 1::DECIMAL(18,7)", "DECIMAL(18,17)");
    EXPECT_TYPE("SELECT 1::DECIMAL(18,10) * 1::DECIMAL(18,8)", "DECIMAL(36,18)");
    EXPECT_TYPE("SELECT 1::DECIMAL(18,9) * 1::DECIMAL(18,9)", "DECIMAL(36,18)");
    EXPECT_TYPE("SELECT 1::DECIMAL(18,17) * 1::DECIMAL(1,0)", "DECIMAL(18,17)");
    EXPECT_TYPE("SELECT 0.1::DECIMAL(18,18) * 1::DECIMAL(20,0)", "DECIMAL(38,18)");
    EXPECT_TYPE("SELECT 1::DECIMAL(20,2) * 1::DECIMAL(20,2)", "DECIMAL(38,4)");
    EXPECT_TYPE("SELECT 1::DECIMAL(38,2) * 1::DECIMAL(38,2)", "DECIMAL(38,4)");
    EXPECT_TYPE("SELECT 1::DECIMAL(10,5) * 1::DECIMAL(10,5)", "DECIMAL(18,10)");
    EXPECT_TYPE("SELECT c * c FROM t2", "DECIMAL(10,4)");
    EXPECT_TYPE("SELECT c * f FROM t2", "DECIMAL(24,2)");
    /* %: the common DECIMAL of both sides (no carry digit), DOUBLE past 38 digits */
    EXPECT_TYPE("SELECT 2.5::DECIMAL(4,1) % 2", "DECIMAL(11,1)");
    EXPECT_TYPE("SELECT 2.5::DECIMAL(4,1) % 2::BIGINT", "DECIMAL(20,1)");
    EXPECT_TYPE("SELECT 2.5::DECIMAL(18,2) % 2::BIGINT", "DECIMAL(21,2)");
    EXPECT_TYPE("SELECT 2.5::DECIMAL(18,2) % 0.7::DECIMAL(18,2)", "DECIMAL(18,2)");
    EXPECT_TYPE("SELECT 2.5::DECIMAL(18,2) % 0.7::DECIMAL(5,3)", "DECIMAL(19,3)");
    EXPECT_TYPE("SELECT 2 % 0.7::DECIMAL(5,3)", "DECIMAL(13,3)");
    EXPECT_TYPE("SELECT 1234567890123.45::DECIMAL(15,2) % 7", "DECIMAL(15,2)");
    EXPECT_TYPE("SELECT 12345678901234567.89 % 10", "DECIMAL(19,2)");
    EXPECT_TYPE("SELECT 1.5::DECIMAL(38,2) % 1.5::DECIMAL(38,2)", "DECIMAL(38,2)");
    EXPECT_TYPE("SELECT 1.5::DECIMAL(37,2) % 1.5::DECIMAL(37,3)", "DECIMAL(38,3)");
    EXPECT_TYPE("SELECT 2.5::DECIMAL(38,2) % 0.7::DECIMAL(38,3)", "DOUBLE");
    EXPECT_TYPE("SELECT 1.5::DECIMAL(36,2) % 1.5::DECIMAL(30,10)", "DOUBLE");
    EXPECT_TYPE("SELECT 2.5::DECIMAL(4,1) % 2.5::DOUBLE", "DOUBLE");
    /* // and / on decimals are DOUBLE */
    EXPECT_TYPE("SELECT 2.5::DECIMAL(4,1) // 2", "DOUBLE");
    EXPECT_TYPE("SELECT 2.5::DECIMAL(4,1) / 2", "DOUBLE");
    /* NEG / ABS keep the type */
    EXPECT_TYPE("SELECT -(1.5::DECIMAL(4,1))", "DECIMAL(4,1)");
    EXPECT_TYPE("SELECT abs(1.5::DECIMAL(4,1))", "DECIMAL(4,1)");
    EXPECT_TYPE("SELECT abs(-2147483648)", "BIGINT");
    EXPECT_TYPE("SELECT abs(-2147483647)", "INTEGER");
    EXPECT_TYPE("SELECT abs(a) FROM t2", "INTEGER");
    EXPECT_TYPE("SELECT -a FROM t2", "INTEGER");
    /* CASE / COALESCE: integers count as DECIMAL(10,0) / (19,0); past 38 digits the scale
     * shrinks to keep the integer digits */
    EXPECT_TYPE("SELECT CASE WHEN true THEN 1.5::DECIMAL(4,1) ELSE 2 END", "DECIMAL(11,1)");
    EXPECT_TYPE("SELECT CASE WHEN true THEN 1.5::DECIMAL(4,1) ELSE 2::INTEGER END", "DECIMAL(11,1)");
    EXPECT_TYPE("SELECT CASE WHEN true THEN 1.5::DECIMAL(4,1) ELSE 2::BIGINT END", "DECIMAL(20,1)");
    EXPECT_TYPE("SELECT CASE WHEN true THEN 1.5::DECIMAL(4,1) ELSE 12345678901 END", "DECIMAL(20,1)");
    EXPECT_TYPE("SELECT CASE WHEN true THEN 0::DECIMAL(18,0) ELSE 0.5::DECIMAL(18,18) END",
                "DECIMAL(36,18)");
    EXPECT_TYPE("SELECT coalesce(1.5::DECIMAL(4,1), 2)", "DECIMAL(11,1)");
    EXPECT_TYPE("SELECT coalesce(1.5::DECIMAL(18,1), 2::BIGINT)", "DECIMAL(20,1)");
    EXPECT_TYPE("SELECT coalesce(1.5::DECIMAL(18,10), 2::BIGINT)", "DECIMAL(29,10)");
    EXPECT_TYPE("SELECT coalesce(1.5::DECIMAL(18,10), 2)", "DECIMAL(20,10)");
    EXPECT_TYPE("SELECT coalesce(1.5::DECIMAL(10,2), 1.5::DECIMAL(18,10))", "DECIMAL(18,10)");
    EXPECT_TYPE("SELECT coalesce(1.5::DECIMAL(10,2), 1.5::DECIMAL(30,10))", "DECIMAL(30,10)");
    EXPECT_TYPE("SELECT coalesce(1.5::DECIMAL(36,2), 1.5::DECIMAL(30,10))", "DECIMAL(38,4)");
    /* decimal literals: every digit written counts */
    EXPECT_TYPE("SELECT 0.5", "DECIMAL(2,1)");
    EXPECT_TYPE("SELECT 00.50", "DECIMAL(4,2)");
    EXPECT_TYPE("SELECT 1.", "DECIMAL(1,0)");
    EXPECT_TYPE("SELECT 123456789012345678901.5", "DECIMAL(22,1)");
    EXPECT_TYPE("SELECT 1234567890123456789012345678901234567.5", "DECIMAL(38,1)");
    EXPECT_TYPE("SELECT 12345678901234567890123456789012345678.5", "DOUBLE");
    /* typeof() folds to DuckDB's spelling of the argument's type */
    EXPECT_TYPE("SELECT typeof(1)", "VARCHAR");
    EXPECT_EXPLAIN("SELECT typeof(1.5::DECIMAL(10,1) * 2.5::DECIMAL(10,2)) AS t",
                   "VALUES 1 row [t VARCHAR = 'DECIMAL(18,3)']\n");
    /* MUL whose scale is beyond 38 */
    EXPECT_ERROR("SELECT 1::DECIMAL(20,20) * 1::DECIMAL(20,19)",
                 "line 1:26: DECIMAL multiplication needs scale 39, more than the maximum 38");
}

/* ---- QA bugs B2 B5 B7 B8 B15 (parser, literals, positions, messages) ------------------------- */

/* Parse (no binding) the statements of text[0..len) in turn; the result of the k-th call. */
static int parse_nth(const char *text, size_t len, int k, size_t *off, hy_error *err) {
    *off = 0;
    int r = 0;
    for (int i = 0; i <= k; i++) {
        hy_ast_stmt *st;
        hy_error_clear(err);
        r = hy_parse_next(text, len, off, &arena, &st, err);
    }
    return r;
}

static void test_qa_front_end(void) {
    hy_error err;
    size_t off;
    /* B15: comparisons are non-associative (PostgreSQL, DuckDB: syntax error at the second
     * operator); IS binds looser and may be compared again; BETWEEN/LIKE are non-associative,
     * IN is not (DuckDB accepts 1 IN (1) IN (true)) */
    EXPECT_ERROR("SELECT 1 = 1 = TRUE", "line 1:14: syntax error at or near \"=\"");
    EXPECT_ERROR("SELECT 1 < 2 = TRUE", "line 1:14: syntax error at or near \"=\"");
    EXPECT_ERROR("SELECT 1 <> 2 <> 3", "line 1:15: syntax error at or near \"<>\"");
    EXPECT_ERROR("SELECT NOT 1 = 1 = true", "line 1:18: syntax error at or near \"=\"");
    EXPECT_ERROR("SELECT a FROM t WHERE a = 1 = (a = 1)", "line 1:29: syntax error at or near \"=\"");
    EXPECT_ERROR("SELECT 'a' LIKE 'a' LIKE 'true'", "line 1:21: syntax error at or near \"LIKE\"");
    EXPECT_ERROR("SELECT 'a' NOT LIKE 'a' NOT LIKE 'x'", "line 1:25: syntax error at or near \"NOT\"");
    EXPECT_ERROR("SELECT 2 BETWEEN 1 AND 3 BETWEEN false AND true",
                 "line 1:26: syntax error at or near \"BETWEEN\"");
    EXPECT_ERROR("SELECT 2 BETWEEN 1 AND 3 IN (true)", "line 1:26: syntax error at or near \"IN\"");
    EXPECT_ERROR("SELECT 'a' LIKE 'a' IN (true)", "line 1:21: syntax error at or near \"IN\"");
    EXPECT_TYPE("SELECT (1 = 1) = TRUE", "BOOLEAN");
    EXPECT_TYPE("SELECT 1 = 1 IS TRUE", "BOOLEAN");
    EXPECT_TYPE("SELECT 1 < 2 IS TRUE = TRUE", "BOOLEAN");
    EXPECT_TYPE("SELECT 1 IS NULL = false", "BOOLEAN");
    EXPECT_TYPE("SELECT 1 IN (1) IN (true)", "BOOLEAN");
    EXPECT_TYPE("SELECT 1 IN (1) BETWEEN false AND true", "BOOLEAN");
    EXPECT_TYPE("SELECT 'a' LIKE 'a' = true", "BOOLEAN");
    /* (x IS TRUE) is coalesce(x, false): the comparison applies to the IS test */
    EXPECT_EXPLAIN("SELECT 1 < 2 IS TRUE = FALSE AS x",
                   "VALUES 1 row [x BOOLEAN = (coalesce((1 < 2), false) = false)]\n");
    /* ((1 IS NULL) = 1) IS NULL, as PostgreSQL's grammar reads it */
    EXPECT_ERROR("SELECT 1 IS NULL = 1 IS NULL", "line 1:18: cannot compare BOOLEAN and INTEGER");

    /* B5: -2147483648 is one BIGINT literal (DuckDB), so abs() and negation widen alike */
    EXPECT_EXPLAIN("SELECT abs(-2147483648) AS a, -(-2147483648) AS b, -2147483648 AS c",
                   "VALUES 1 row [a BIGINT = abs(-2147483648), b BIGINT = 2147483648, c BIGINT = "
                   "-2147483648]\n");
    EXPECT_EXPLAIN("SELECT abs(-2147483647) AS a", "VALUES 1 row [a INTEGER = abs(-2147483647)]\n");

    /* B7: columns count characters (UTF-8 code points), not bytes */
    EXPECT_ERROR("SELECT 'é', nosuch", "line 1:13: column \"nosuch\" does not exist");
    EXPECT_ERROR("SELECT '日本語', 'x' || zz", "line 1:22: column \"zz\" does not exist");
    EXPECT_ERROR("SELECT '😀'\n, 'é' , zz", "line 2:9: column \"zz\" does not exist");
    EXPECT_ERROR("SELECT 'é' +", "line 1:13: syntax error at end of input");
    {
        int line, col;
        hy_text_position("ab\xc3\xa9" "cd", 4, &line, &col); /* "abé|cd" */
        CHECK(line == 1 && col == 4, "after a 2-byte char: %d:%d", line, col);
        hy_text_position("\xff\xfe" "x", 2, &line, &col); /* invalid bytes count one each */
        CHECK(line == 1 && col == 3, "invalid bytes: %d:%d", line, col);
        hy_text_position("\xe6\x97\xa5\n\xe6\x97\xa5z", 7, &line, &col);
        CHECK(line == 2 && col == 2, "second line: %d:%d", line, col);
        hy_text_position("x\xc3", 99, &line, &col); /* truncated char at the end, clamped */
        CHECK(line == 1 && col == 3, "clamped: %d:%d", line, col);
    }

    /* B8: echoed tokens are cut to 64 bytes + "..."; a literal beyond every type is out of
     * range */
    {
        char sql[500], want[200];
        char digits[401];
        memset(digits, '9', 400);
        digits[400] = 0;
        snprintf(sql, sizeof sql, "SELECT %s", digits);
        snprintf(want, sizeof want, "line 1:8: number \"%.64s...\" is out of range", digits);
        EXPECT_ERROR(sql, want);
        snprintf(sql, sizeof sql, "SELECT 1%s", "e400");
        EXPECT_ERROR(sql, "line 1:8: number \"1e400\" is out of range");
        EXPECT_TYPE("SELECT 99999999999999999999999999999999999999999", "DOUBLE");
        char name[101];
        memset(name, 'n', 100);
        name[100] = 0;
        snprintf(sql, sizeof sql, "SELECT %s FROM t", name);
        snprintf(want, sizeof want, "line 1:8: column \"%.64s...\" does not exist", name);
        EXPECT_ERROR(sql, want);
        snprintf(sql, sizeof sql, "SELECT * FROM %s", name);
        snprintf(want, sizeof want, "line 1:15: table \"%.64s...\" does not exist", name);
        EXPECT_ERROR(sql, want);
        snprintf(sql, sizeof sql, "SELECT %s(1)", name);
        snprintf(want, sizeof want, "line 1:8: function %.64s...(INTEGER) does not exist", name);
        EXPECT_ERROR(sql, want);
        snprintf(sql, sizeof sql, "SELECT 1 AS x %s", name);
        snprintf(want, sizeof want, "line 1:15: syntax error at or near \"%.64s...\"", name);
        EXPECT_ERROR(sql, want);
        snprintf(sql, sizeof sql, "SELECT 12%s", name);
        snprintf(want, sizeof want,
                 "line 1:8: trailing junk after numeric literal at or near \"12%.62s...\"", name);
        EXPECT_ERROR(sql, want);
        /* exactly 64 bytes: no "..." */
        snprintf(sql, sizeof sql, "SELECT %.64s FROM t", name);
        snprintf(want, sizeof want, "line 1:8: column \"%.64s\" does not exist", name);
        EXPECT_ERROR(sql, want);
        /* the cut never splits a UTF-8 character: 63 ASCII bytes then a 2-byte char */
        snprintf(sql, sizeof sql, "SELECT %.63s\xc3\xa9xyz FROM t", name);
        snprintf(want, sizeof want, "line 1:8: column \"%.63s...\" does not exist", name);
        EXPECT_ERROR(sql, want);
        snprintf(sql, sizeof sql, "SELECT DATE '%s'", name);
        snprintf(want, sizeof want, "line 1:8: invalid DATE '%.64s...'", name);
        EXPECT_ERROR(sql, want);
    }

    /* B2: with an explicit length a NUL byte is an error at its position, never the end of
     * the text; the statements after it still parse. NUL-terminated texts end at the NUL. */
    {
        static const char t1[] = "SELECT 1;\0SELECT 2;";
        size_t n1 = sizeof t1 - 1;
        int r = parse_nth(t1, n1, 0, &off, &err);
        CHECK(r == 1 && off == 9, "first statement (r=%d off=%zu)", r, off);
        r = parse_nth(t1, n1, 1, &off, &err);
        CHECK(r == -1 && strcmp(err.msg, "line 1:10: invalid NUL byte") == 0, "NUL: r=%d %s", r,
              err.msg);
        CHECK(off == n1, "offset moves past the statement after the NUL (%zu)", off);
        r = parse_nth(t1, n1, 2, &off, &err);
        CHECK(r == 0, "then the end (r=%d)", r);
        r = parse_nth(t1, SIZE_MAX, 1, &off, &err);
        CHECK(r == 0 && off == 9, "NUL-terminated text ends at the NUL (r=%d off=%zu)", r, off);

        static const char t2[] = "SELECT 'a\0b'; SELECT 2;";
        r = parse_nth(t2, sizeof t2 - 1, 0, &off, &err);
        CHECK(r == -1 && strcmp(err.msg, "line 1:10: invalid NUL byte") == 0,
              "NUL in a string: r=%d %s", r, err.msg);
        CHECK(off == 13, "the string is skipped as a whole (%zu)", off);
        r = parse_nth(t2, sizeof t2 - 1, 1, &off, &err);
        CHECK(r == 1, "statement after it (r=%d %s)", r, err.msg);

        static const char t3[] = "SELECT 1 /* a\0; */ + 1; SELECT 2 -- x\0y\n;";
        r = parse_nth(t3, sizeof t3 - 1, 0, &off, &err);
        CHECK(r == -1 && strcmp(err.msg, "line 1:14: invalid NUL byte") == 0,
              "NUL in a block comment: r=%d %s", r, err.msg);
        CHECK(off == 23, "comment skipped as a whole (%zu)", off);
        r = parse_nth(t3, sizeof t3 - 1, 1, &off, &err);
        CHECK(r == -1 && strcmp(err.msg, "line 1:38: invalid NUL byte") == 0,
              "NUL in a line comment: r=%d %s", r, err.msg);
        static const char t4[] = "SELECT 1 /* a\0";
        r = parse_nth(t4, sizeof t4 - 1, 0, &off, &err);
        CHECK(r == -1 && strcmp(err.msg, "line 1:14: invalid NUL byte") == 0,
              "NUL in an unterminated comment: r=%d %s", r, err.msg);
        static const char t5[] = "SELECT 'a\0";
        r = parse_nth(t5, sizeof t5 - 1, 0, &off, &err);
        CHECK(r == -1 && strcmp(err.msg, "line 1:10: invalid NUL byte") == 0,
              "NUL in an unterminated string: r=%d %s", r, err.msg);
        /* positions after a NUL count it as one character */
        static const char t7[] = "SELECT 1;\0;\n SELECT +;\0 x";
        r = parse_nth(t7, sizeof t7 - 1, 2, &off, &err);
        CHECK(r == -1 && strcmp(err.msg, "line 2:10: syntax error at or near \";\"") == 0,
              "after a NUL: r=%d %s", r, err.msg);
        r = parse_nth(t7, sizeof t7 - 1, 3, &off, &err);
        CHECK(r == -1 && strcmp(err.msg, "line 2:11: invalid NUL byte") == 0,
              "second NUL: r=%d %s", r, err.msg);
        static const char t6[] = "SELECT 1\0";
        r = parse_nth(t6, sizeof t6 - 1, 0, &off, &err);
        CHECK(r == -1 && strcmp(err.msg, "line 1:9: invalid NUL byte") == 0,
              "trailing NUL inside the length: r=%d %s", r, err.msg);
    }
}

/* ---- constants are folded (and typed) at bind time ---------------------------------------- */

static void test_folding(void) {
    EXPECT_EXPLAIN("SELECT DATE '1998-12-01' - INTERVAL '90' DAY AS d",
                   "VALUES 1 row [d DATE = DATE '1998-09-02']\n");
    EXPECT_EXPLAIN("SELECT DATE '1994-01-31' + INTERVAL 1 MONTH AS d",
                   "VALUES 1 row [d DATE = DATE '1994-02-28']\n");
    EXPECT_EXPLAIN("SELECT DATE '1994-01-01' + INTERVAL '1 year 2 days' AS d",
                   "VALUES 1 row [d DATE = DATE '1995-01-03']\n");
    EXPECT_EXPLAIN("SELECT 0.06 - 0.01 AS x, -(2) AS y, 1 + 2 * 3 AS z",
                   "VALUES 1 row [x DECIMAL(4,2) = 0.05, y INTEGER = -2, z INTEGER = 7]\n");
    EXPECT_EXPLAIN("SELECT 'a' || 'b' AS s, 'it''s' AS q", "VALUES 1 row [s VARCHAR = 'ab', q VARCHAR = 'it''s']\n");
    EXPECT_EXPLAIN("SELECT DATE '2000-03-01' - DATE '2000-02-01' AS n",
                   "VALUES 1 row [n BIGINT = 29]\n");
    /* errors during folding are left to execution: the expression stays */
    EXPECT_EXPLAIN("SELECT 1 / 0 AS x",
                   "VALUES 1 row [x DOUBLE = (1.0 / 0.0)]\n");
    EXPECT_EXPLAIN("SELECT 2147483647 + 1 AS x",
                   "VALUES 1 row [x INTEGER = (2147483647 + 1)]\n");
    /* NULL in, NULL out */
    EXPECT_EXPLAIN("SELECT 1 + NULL AS x", "VALUES 1 row [x INTEGER = NULL]\n");
}

/* ---- errors with positions ---------------------------------------------------------------- */

static void test_errors(void) {
    EXPECT_ERROR("SELECT FROM t", "line 1:8: syntax error at or near \"FROM\"");
    EXPECT_ERROR("SELECT a,\n       a +\nFROM t", "line 3:1: syntax error at or near \"FROM\"");
    EXPECT_ERROR("SELECT 1 +", "line 1:11: syntax error at end of input");
    EXPECT_ERROR("SELECT 1 +;", "line 1:11: syntax error at or near \";\"");
    EXPECT_ERROR("SELEC 1", "line 1:1: syntax error at or near \"SELEC\"");
    EXPECT_ERROR("SELECT 1 @ 2", "line 1:10: syntax error at or near \"@\"");
    EXPECT_ERROR("SELECT 12abc", "line 1:8: trailing junk after numeric literal at or near \"12abc\"");
    EXPECT_ERROR("SELECT 1 /* open", "line 1:10: unterminated /* comment");
    EXPECT_ERROR("SELECT \"\" FROM t", "line 1:8: zero-length delimited identifier at or near \"\"\"\"");
    EXPECT_ERROR("SELECT * FROM nope", "line 1:15: table \"nope\" does not exist");
    EXPECT_ERROR("SELECT\n  zz\nFROM t", "line 2:3: column \"zz\" does not exist");
    EXPECT_ERROR("SELECT x.a FROM t", "line 1:8: missing FROM-clause entry for table \"x\"");
    EXPECT_ERROR("SELECT t.zz FROM t", "line 1:8: column \"t.zz\" does not exist");
    EXPECT_ERROR("SELECT a FROM t, t2", "line 1:18: joins are not supported yet (FROM lists one table)");
    EXPECT_ERROR("SELECT a FROM t JOIN t2 ON t.a = t2.a", "line 1:17: JOIN is not supported yet");
    EXPECT_ERROR("SELECT l_returnflag, count(*) FROM lineitem",
                 "line 1:8: column \"l_returnflag\" must appear in the GROUP BY clause or be used "
                 "in an aggregate function");
    EXPECT_ERROR("SELECT l_linestatus || 'x' FROM lineitem GROUP BY l_returnflag",
                 "line 1:8: column \"l_linestatus\" must appear in the GROUP BY clause or be used "
                 "in an aggregate function");
    EXPECT_ERROR("SELECT * FROM t GROUP BY a",
                 "line 1:8: column \"b\" must appear in the GROUP BY clause or be used in an "
                 "aggregate function");
    EXPECT_ERROR("SELECT sum(sum(l_quantity)) FROM lineitem",
                 "line 1:12: aggregate function calls cannot be nested");
    EXPECT_ERROR("SELECT 1 FROM lineitem WHERE sum(l_quantity) > 1",
                 "line 1:30: aggregate functions are not allowed in WHERE");
    EXPECT_ERROR("SELECT a FROM t GROUP BY sum(a)",
                 "line 1:26: aggregate functions are not allowed in GROUP BY");
    EXPECT_ERROR("SELECT l_returnflag = 1 FROM lineitem", "line 1:21: cannot compare VARCHAR and INTEGER");
    EXPECT_ERROR("SELECT a FROM t WHERE a = DATE '2020-01-01'", "line 1:25: cannot compare INTEGER and DATE");
    EXPECT_ERROR("SELECT a FROM t WHERE a", "line 1:23: argument of WHERE must be type BOOLEAN, not type INTEGER");
    EXPECT_ERROR("SELECT b + 1 FROM t",
                 "line 1:10: No function matches the given name and argument types '+(VARCHAR, INTEGER)'");
    EXPECT_ERROR("SELECT abs(b) FROM t",
                 "line 1:8: No function matches the given name and argument types 'abs(VARCHAR)'");
    EXPECT_ERROR("SELECT sum(b) FROM t",
                 "line 1:8: No function matches the given name and argument types 'sum(VARCHAR)'");
    EXPECT_ERROR("SELECT nosuch(1)", "line 1:8: function nosuch(INTEGER) does not exist");
    EXPECT_ERROR("SELECT CAST(DATE '2020-01-01' AS INTEGER)", "line 1:8: cannot cast DATE to INTEGER");
    EXPECT_ERROR("SELECT DATE '2020-13-45'", "line 1:8: invalid DATE '2020-13-45'");
    EXPECT_ERROR("SELECT d FROM t2 WHERE d < '1998-02-30'", "line 1:28: invalid DATE '1998-02-30'");
    EXPECT_ERROR_PREFIX("SELECT a FROM t WHERE a = 'x1'", "line 1:27: ");
    EXPECT_ERROR("SELECT INTERVAL '1' DAY", "line 1:8: INTERVAL values are only supported in date arithmetic (date +/- INTERVAL)");
    EXPECT_ERROR("SELECT d + INTERVAL '1' HOUR FROM t2",
                 "line 1:25: interval unit \"hour\" is not supported (only DAY, WEEK, MONTH and YEAR)");
    EXPECT_ERROR("SELECT d + INTERVAL 'x' DAY FROM t2", "line 1:21: invalid INTERVAL 'x'");
    EXPECT_ERROR("SELECT extract(hour FROM d) FROM t2",
                 "line 1:16: EXTRACT field \"hour\" is not supported (only YEAR, MONTH, DAY)");
    EXPECT_ERROR("SELECT 1 ORDER BY 2", "line 1:19: ORDER BY position 2 is not in select list");
    EXPECT_ERROR("SELECT a FROM t GROUP BY 3", "line 1:26: GROUP BY position 3 is not in select list");
    EXPECT_ERROR("SELECT DISTINCT a FROM t ORDER BY b",
                 "line 1:35: for SELECT DISTINCT, ORDER BY expressions must appear in select list");
    EXPECT_ERROR("SELECT a FROM t LIMIT -1", "line 1:23: LIMIT must not be negative");
    EXPECT_ERROR("SELECT a FROM t LIMIT a", "line 1:23: column \"a\" does not exist");
    EXPECT_ERROR("SELECT *", "line 1:8: SELECT * with no tables specified is not valid");
    EXPECT_ERROR("SELECT a FROM t WHERE a IN (SELECT 1)", "line 1:28: subqueries are not supported yet");
    EXPECT_ERROR("SELECT 1 UNION SELECT 2", "line 1:10: UNION/INTERSECT/EXCEPT are not supported yet");
    /* DDL / DML */
    EXPECT_ERROR("CREATE TABLE x (a DECIMAL(20,2))",
                 "line 1:19: DECIMAL precision 20 is not supported for table columns (maximum 18)");
    EXPECT_ERROR("CREATE TABLE x (a DECIMAL(40,2))", "line 1:27: DECIMAL precision 40 must be between 1 and 38");
    EXPECT_ERROR("CREATE TABLE x (a DECIMAL(5,6))", "line 1:29: DECIMAL scale 6 must be between 0 and precision 5");
    EXPECT_ERROR("CREATE TABLE x (a TIMESTAMP)", "line 1:19: type \"timestamp\" does not exist");
    EXPECT_ERROR("CREATE TABLE x (a INTEGER, A INTEGER)", "line 1:28: column \"a\" specified more than once");
    EXPECT_ERROR("CREATE TABLE t (a INTEGER)", "line 1:14: table \"t\" already exists");
    EXPECT_ERROR("DROP TABLE nope", "line 1:12: table \"nope\" does not exist");
    EXPECT_ERROR("INSERT INTO t (b) VALUES ('x')",
                 "line 1:13: null value in column \"a\" of table \"t\" violates not-null constraint");
    EXPECT_ERROR("INSERT INTO t VALUES (1)", "line 1:22: INSERT has more target columns than expressions");
    EXPECT_ERROR("INSERT INTO t VALUES (1, 'a'),\n (2, 'b', 3)",
                 "line 2:2: INSERT has more expressions than target columns");
    EXPECT_ERROR("INSERT INTO t (a, zz) VALUES (1, 2)", "line 1:19: column \"zz\" of table \"t\" does not exist");
    EXPECT_ERROR("INSERT INTO t (a, a) VALUES (1, 2)", "line 1:19: column \"a\" specified more than once");
    EXPECT_ERROR("INSERT INTO t2 (d) VALUES (1)",
                 "line 1:28: column \"d\" is of type DATE but expression is of type INTEGER");
    EXPECT_ERROR("INSERT INTO t SELECT a FROM t", "line 1:15: INSERT has more target columns than expressions");
    EXPECT_ERROR("COPY t FROM 'x.csv' (DELIMITER 'ab')", "line 1:32: COPY delimiter must be a single one-byte character");
    EXPECT_ERROR("COPY t FROM 'x.csv' (BOGUS 1)", "line 1:22: option \"bogus\" not recognized");
    EXPECT_ERROR("COPY nope FROM 'x.csv'", "line 1:6: table \"nope\" does not exist");
    EXPECT_ERROR("CALL dbgen(sf => -1)", "line 1:18: dbgen: sf must be a positive number (e.g. 0.1)");
    EXPECT_ERROR("CALL nosuch()", "line 1:6: procedure \"nosuch\" does not exist");
    EXPECT_ERROR("EXPLAIN (BOGUS) SELECT 1", "line 1:10: unrecognized EXPLAIN option \"bogus\"");
    EXPECT_ERROR("EXPLAIN DROP TABLE t", "line 1:9: EXPLAIN supports only SELECT queries");

    /* deep nesting gives an error, not a crash */
    {
        size_t n = 1000;
        char *sql = malloc(2 * n + 16);
        strcpy(sql, "SELECT ");
        size_t o = strlen(sql);
        for (size_t i = 0; i < n; i++) sql[o++] = '(';
        sql[o++] = '1';
        for (size_t i = 0; i < n; i++) sql[o++] = ')';
        sql[o] = 0;
        EXPECT_ERROR_PREFIX(sql, "line 1:");
        hy_error err;
        CHECK(!prep(sql, &err) && strstr(err.msg, "expression too deeply nested"), "deep parens: %s", err.msg);
        /* a long flat chain of a + a + ... is deep in the AST too */
        char *chain = malloc(8 * 5000 + 32);
        strcpy(chain, "SELECT 1");
        for (int i = 0; i < 5000; i++) strcat(chain, " + 1");
        CHECK(!prep(chain, &err) && strstr(err.msg, "expression too deeply nested"), "long chain: %s", err.msg);
        /* nested subqueries and parenthesized queries are limited the same way */
        chain[0] = 0;
        for (int i = 0; i < 3000; i++) strcat(chain, "(");
        strcat(chain, "SELECT 1");
        for (int i = 0; i < 3000; i++) strcat(chain, ")");
        CHECK(!prep(chain, &err) && strstr(err.msg, "expression too deeply nested"), "nested query parens: %s", err.msg);
        strcpy(chain, "SELECT 1 FROM ");
        for (int i = 0; i < 1500; i++) strcat(chain, "(SELECT * FROM ");
        CHECK(!prep(chain, &err) && strstr(err.msg, "expression too deeply nested"), "nested FROM subqueries: %s", err.msg);
        /* ... but long AND/OR lists are flat */
        strcpy(chain, "SELECT a FROM t WHERE a = 1");
        for (int i = 0; i < 2000; i++) strcat(chain, " OR a = 1");
        CHECK(prep(chain, &err) != NULL, "long OR list: %s", err.msg);
        /* moderate nesting is fine */
        strcpy(sql, "SELECT ");
        o = strlen(sql);
        for (size_t i = 0; i < 100; i++) sql[o++] = '(';
        sql[o++] = '1';
        for (size_t i = 0; i < 100; i++) sql[o++] = ')';
        sql[o] = 0;
        CHECK(prep(sql, &err) != NULL, "100 parens: %s", err.msg);
        free(sql);
        free(chain);
    }
}

/* ---- statements --------------------------------------------------------------------------- */

static void test_statements(void) {
    hy_error err;
    hy_stmt *s = prep("CREATE TABLE IF NOT EXISTS \"New\" (x INT NOT NULL, y DECIMAL, z VARCHAR(10), "
                      "w DOUBLE PRECISION, v BOOL, u DATE, q BIGINT, r REAL, n NUMERIC(12))",
                      &err);
    CHECK(s && s->kind == HY_STMT_CREATE_TABLE && s->ncols == 9, "CREATE TABLE: %s", err.msg);
    if (s) {
        char buf[40];
        const char *want[] = {"INTEGER", "DECIMAL(18,3)", "VARCHAR", "DOUBLE", "BOOLEAN",
                              "DATE", "BIGINT", "DOUBLE", "DECIMAL(12,0)"};
        CHECK(strcmp(s->table_name, "New") == 0 && s->if_not_exists, "name/if not exists");
        CHECK(s->cols[0].not_null && !s->cols[1].not_null, "NOT NULL");
        for (int i = 0; i < 9; i++)
            CHECK(strcmp(hy_lt_name(s->cols[i].type, buf, 40), want[i]) == 0, "col %d: %s", i, buf);
    }
    s = prep("CREATE TABLE IF NOT EXISTS t (a INTEGER)", &err);
    CHECK(s && s->if_not_exists, "IF NOT EXISTS on an existing table binds: %s", err.msg);
    s = prep("DROP TABLE IF EXISTS nope", &err);
    CHECK(s && s->kind == HY_STMT_DROP_TABLE && s->if_exists, "DROP IF EXISTS: %s", err.msg);

    s = prep("INSERT INTO t2 (c, a) VALUES (1.5, 2), (NULL, '7')", &err);
    CHECK(s && s->kind == HY_STMT_INSERT, "INSERT VALUES: %s", err.msg);
    if (s) {
        CHECK(s->insert_columns[0] == 1 && s->insert_columns[1] == -1 && s->insert_columns[2] == 0 &&
                  s->insert_columns[6] == -1,
              "insert_columns mapping");
        const hy_plan *p = s->plan;
        CHECK(p->kind == HY_PLAN_VALUES && p->ncols == 2 && p->u.values.nrows == 2, "values shape");
        CHECK(hy_lt_eq(p->types[0], hy_lt_dec(5, 2)) && p->types[1].id == HY_TYPE_INTEGER, "target types");
        const hy_expr *c0 = p->u.values.rows[0][0], *a1 = p->u.values.rows[1][1];
        CHECK(c0->kind == HY_EX_CONST && hy_lt_eq(c0->type, hy_lt_dec(5, 2)) && c0->value.v.i == 150,
              "1.5 as DECIMAL(5,2) = 150");
        CHECK(a1->kind == HY_EX_CONST && a1->type.id == HY_TYPE_INTEGER && a1->value.v.i == 7,
              "'7' assigned to INTEGER");
        CHECK(p->u.values.rows[1][0]->value.is_null && hy_lt_eq(p->u.values.rows[1][0]->type, hy_lt_dec(5, 2)),
              "NULL typed as the target");
    }
    s = prep("INSERT INTO t2 SELECT a, b, a, d, a, a, g FROM t2", &err);
    CHECK(s && s->plan->kind == HY_PLAN_PROJECT, "INSERT SELECT casts in a PROJECT: %s", err.msg);
    if (s) {
        char buf[40];
        CHECK(strcmp(hy_lt_name(s->plan->types[2], buf, 40), "DECIMAL(5,2)") == 0 &&
                  s->plan->types[4].id == HY_TYPE_DOUBLE && s->plan->types[5].id == HY_TYPE_BIGINT,
              "INSERT SELECT output types");
        CHECK(s->plan->u.project.exprs[2]->kind == HY_EX_CAST && s->plan->u.project.exprs[0]->kind == HY_EX_COLUMN,
              "casts only where needed");
    }
    s = prep("CREATE TABLE s AS SELECT l_returnflag, sum(l_quantity) AS q, NULL AS n FROM lineitem GROUP BY 1", &err);
    CHECK(s && s->kind == HY_STMT_CREATE_TABLE_AS && s->ncols == 3, "CTAS: %s", err.msg);
    if (s) {
        char buf[40];
        CHECK(strcmp(s->cols[0].name, "l_returnflag") == 0 && strcmp(s->cols[1].name, "q") == 0, "CTAS names");
        CHECK(strcmp(hy_lt_name(s->cols[1].type, buf, 40), "DECIMAL(18,2)") == 0, "CTAS stores DECIMAL(18,2): %s", buf);
        CHECK(s->cols[2].type.id == HY_TYPE_INTEGER, "CTAS NULL column is INTEGER");
        CHECK(hy_lt_eq(s->plan->types[1], s->cols[1].type), "CTAS plan cast to the stored type");
    }
    s = prep("COPY t FROM 'data.csv' (HEADER, DELIMITER '|')", &err);
    CHECK(s && s->kind == HY_STMT_COPY_FROM && s->csv.header && s->csv.delimiter == '|' &&
              s->csv.quote == '"' && strcmp(s->path, "data.csv") == 0 && s->table,
          "COPY FROM options: %s", err.msg);
    s = prep("COPY t FROM 'data.csv' WITH (FORMAT csv, HEADER false, DELIM '\\t')", &err);
    CHECK(s && !s->csv.header && s->csv.delimiter == '\t', "COPY FROM DuckDB spellings: %s", err.msg);
    s = prep("COPY t FROM 'data.csv' WITH DELIMITER ';' CSV HEADER", &err);
    CHECK(s && s->csv.header && s->csv.delimiter == ';', "COPY FROM PostgreSQL spelling: %s", err.msg);
    s = prep("COPY t FROM 'data.csv'", &err);
    CHECK(s && !s->csv.header && s->csv.delimiter == ',', "COPY defaults: %s", err.msg);
    s = prep("COPY t TO 'out.csv' (HEADER)", &err);
    CHECK(s && s->kind == HY_STMT_COPY_TO && s->csv.header && s->plan->kind == HY_PLAN_SCAN &&
              s->plan->ncols == 2,
          "COPY table TO: %s", err.msg);
    s = prep("COPY (SELECT a FROM t WHERE a > 1) TO 'out.csv' (HEADER true)", &err);
    CHECK(s && s->kind == HY_STMT_COPY_TO && s->plan->ncols == 1 && s->csv.header, "COPY query TO: %s", err.msg);
    s = prep("CALL dbgen(sf => 0.1)", &err);
    CHECK(s && s->kind == HY_STMT_CALL_DBGEN && s->dbgen_sf == 0.1, "CALL dbgen: %s", err.msg);
    s = prep("CALL dbgen(sf := 1)", &err);
    CHECK(s && s->dbgen_sf == 1.0, "CALL dbgen := : %s", err.msg);
    s = prep("EXPLAIN SELECT a FROM t", &err);
    CHECK(s && s->kind == HY_STMT_EXPLAIN && !s->explain_json && s->plan, "EXPLAIN: %s", err.msg);
    s = prep("EXPLAIN ANALYZE SELECT a FROM t", &err);
    CHECK(s && s->kind == HY_STMT_EXPLAIN_ANALYZE, "EXPLAIN ANALYZE: %s", err.msg);
    s = prep("explain (analyze, format json) select a from t", &err);
    CHECK(s && s->kind == HY_STMT_EXPLAIN_ANALYZE && s->explain_json, "EXPLAIN (ANALYZE, FORMAT JSON): %s", err.msg);
    /* keywords that are not reserved work as names */
    s = prep("CREATE TABLE k (date DATE, year INTEGER, month INTEGER, day INTEGER, header VARCHAR)", &err);
    CHECK(s && s->ncols == 5, "unreserved keywords as column names: %s", err.msg);
    /* case-insensitive names, quoted identifiers, comments */
    s = prep("SeLeCt \"A\", T.B /* c */ FROM T -- x\n WHERE a>1", &err);
    CHECK(s && s->plan->ncols == 2 && strcmp(s->plan->names[0], "a") == 0, "case-insensitive: %s", err.msg);
}

/* ---- plans --------------------------------------------------------------------------------- */

static const char *Q1 =
    "SELECT\n"
    "    l_returnflag,\n"
    "    l_linestatus,\n"
    "    sum(l_quantity) AS sum_qty,\n"
    "    sum(l_extendedprice) AS sum_base_price,\n"
    "    sum(l_extendedprice * (1 - l_discount)) AS sum_disc_price,\n"
    "    sum(l_extendedprice * (1 - l_discount) * (1 + l_tax)) AS sum_charge,\n"
    "    avg(l_quantity) AS avg_qty,\n"
    "    avg(l_extendedprice) AS avg_price,\n"
    "    avg(l_discount) AS avg_disc,\n"
    "    count(*) AS count_order\n"
    "FROM\n"
    "    lineitem\n"
    "WHERE\n"
    "    l_shipdate <= DATE '1998-12-01' - INTERVAL '90' DAY\n"
    "GROUP BY\n"
    "    l_returnflag,\n"
    "    l_linestatus\n"
    "ORDER BY\n"
    "    l_returnflag,\n"
    "    l_linestatus;\n";

static const char *Q1_PLAN =
    "SORT [l_returnflag ASC, l_linestatus ASC]\n"
    "  PROJECT [l_returnflag VARCHAR, l_linestatus VARCHAR, "
    "sum_qty DECIMAL(38,2) = sum(l_quantity), "
    "sum_base_price DECIMAL(38,2) = sum(l_extendedprice), "
    "sum_disc_price DECIMAL(38,4) = sum(l_extendedprice * (1 - l_discount)), "
    "sum_charge DECIMAL(38,6) = sum(l_extendedprice * (1 - l_discount) * (1 + l_tax)), "
    "avg_qty DOUBLE = avg(l_quantity), avg_price DOUBLE = avg(l_extendedprice), "
    "avg_disc DOUBLE = avg(l_discount), count_order BIGINT = count(*)]\n"
    "    HASH_AGGREGATE groups [l_returnflag VARCHAR, l_linestatus VARCHAR] aggs ["
    "sum(l_quantity) DECIMAL(38,2), sum(l_extendedprice) DECIMAL(38,2), "
    "sum(l_extendedprice * (1 - l_discount)) DECIMAL(38,4) = "
    "sum((l_extendedprice * (1.00 - CAST(l_discount AS DECIMAL(16,2))))), "
    "sum(l_extendedprice * (1 - l_discount) * (1 + l_tax)) DECIMAL(38,6) = "
    "sum(((l_extendedprice * (1.00 - CAST(l_discount AS DECIMAL(16,2)))) * "
    "(1.00 + CAST(l_tax AS DECIMAL(16,2))))), "
    "avg(l_quantity) DOUBLE, avg(l_extendedprice) DOUBLE, avg(l_discount) DOUBLE, "
    "count(*) BIGINT]\n"
    "      FILTER (l_shipdate <= DATE '1998-09-02')\n"
    "        SCAN lineitem [l_quantity DECIMAL(15,2), l_extendedprice DECIMAL(15,2), "
    "l_discount DECIMAL(15,2), l_tax DECIMAL(15,2), l_returnflag VARCHAR, l_linestatus VARCHAR, "
    "l_shipdate DATE]\n";

static const char *Q6 =
    "SELECT\n"
    "    sum(l_extendedprice * l_discount) AS revenue\n"
    "FROM\n"
    "    lineitem\n"
    "WHERE\n"
    "    l_shipdate >= DATE '1994-01-01'\n"
    "    AND l_shipdate < DATE '1994-01-01' + INTERVAL '1' YEAR\n"
    "    AND l_discount BETWEEN 0.06 - 0.01 AND 0.06 + 0.01\n"
    "    AND l_quantity < 24;\n";

static const char *Q6_PLAN =
    "PROJECT [revenue DECIMAL(38,4) = sum(l_extendedprice * l_discount)]\n"
    "  AGGREGATE aggs [sum(l_extendedprice * l_discount) DECIMAL(38,4) = "
    "sum((l_extendedprice * l_discount))]\n"
    "    FILTER ((l_shipdate >= DATE '1994-01-01') AND (l_shipdate < DATE '1995-01-01') AND "
    "(l_discount BETWEEN 0.05 AND 0.07) AND (l_quantity < 24.00))\n"
    "      SCAN lineitem [l_quantity DECIMAL(15,2), l_extendedprice DECIMAL(15,2), "
    "l_discount DECIMAL(15,2), l_shipdate DATE]\n";

static void test_plans(void) {
    EXPECT_EXPLAIN(Q1, Q1_PLAN);
    EXPECT_EXPLAIN(Q6, Q6_PLAN);
    hy_error err;
    hy_stmt *s = prep(Q1, &err);
    if (s) {
        CHECK(strcmp(hy_plan_pipeline_text(s->plan, &arena), "HASH_AGGREGATE -> PROJECT -> SORT") == 0,
              "Q1 result pipeline: %s", hy_plan_pipeline_text(s->plan, &arena));
        const hy_plan *agg = s->plan->child->child;
        CHECK(strcmp(hy_plan_pipeline_text(agg, &arena), "SCAN lineitem -> FILTER -> HASH_AGGREGATE") == 0,
              "Q1 scan pipeline: %s", hy_plan_pipeline_text(agg, &arena));
        /* column references are positional in the child's output */
        const hy_expr *f = agg->child->u.filter.predicate;
        CHECK(f->kind == HY_EX_FUNC && f->func == HY_FN_LE && f->args[0]->column == 6 &&
                  f->args[1]->kind == HY_EX_CONST && f->args[1]->value.v.i == 10471,
              "Q1 filter: l_shipdate is scan column 6, 1998-09-02 is day 10471");
        CHECK(agg->u.aggregate.groups[0]->column == 4 && agg->u.aggregate.groups[1]->column == 5,
              "Q1 group keys");
        CHECK(agg->u.aggregate.aggs[7].func == HY_AGG_COUNT_STAR && !agg->u.aggregate.aggs[7].arg,
              "count(*)");
        CHECK(s->plan->child->u.project.exprs[9]->column == 9, "PROJECT reads aggregate column 9");
    }
    /* identity projections disappear; only used columns are scanned */
    EXPECT_EXPLAIN("SELECT * FROM t", "SCAN t [a INTEGER, b VARCHAR]\n");
    EXPECT_EXPLAIN("SELECT count(*) FROM lineitem",
                   "AGGREGATE aggs [count(*) BIGINT]\n"
                   "  SCAN lineitem [l_orderkey BIGINT]\n");
    EXPECT_EXPLAIN("SELECT l_tax FROM lineitem WHERE l_quantity > 1",
                   "PROJECT [l_tax DECIMAL(15,2)]\n"
                   "  FILTER (l_quantity > 1.00)\n"
                   "    SCAN lineitem [l_quantity DECIMAL(15,2), l_tax DECIMAL(15,2)]\n");
    /* ORDER BY a column not selected: hidden column, dropped after the sort */
    EXPECT_EXPLAIN("SELECT l_tax FROM lineitem ORDER BY l_quantity DESC NULLS LAST LIMIT 5 OFFSET 2",
                   "LIMIT 5 OFFSET 2\n"
                   "  PROJECT [l_tax DECIMAL(15,2)]\n"
                   "    SORT [l_quantity DESC NULLS LAST]\n"
                   "      PROJECT [l_tax DECIMAL(15,2), l_quantity DECIMAL(15,2)]\n"
                   "        SCAN lineitem [l_quantity DECIMAL(15,2), l_tax DECIMAL(15,2)]\n");
    /* GROUP BY ordinal and alias, HAVING with an alias and a new aggregate, ORDER BY aggregate */
    EXPECT_EXPLAIN("SELECT a + 1 AS k, count(*) AS n FROM t GROUP BY k HAVING n > 1 AND max(b) <> 'z' "
                   "ORDER BY sum(a)",
                   "PROJECT [k INTEGER, n BIGINT]\n"
                   "  SORT [sum(a) ASC]\n"
                   "    PROJECT [k INTEGER, n BIGINT = count(*), sum(a) BIGINT]\n"
                   "      FILTER ((count(*) > 1) AND (max(b) <> 'z'))\n"
                   "        HASH_AGGREGATE groups [k INTEGER = (a + 1)] aggs [count(*) BIGINT, "
                   "max(b) VARCHAR, sum(a) BIGINT]\n"
                   "          SCAN t [a INTEGER, b VARCHAR]\n");
    EXPECT_EXPLAIN("SELECT b, a FROM t GROUP BY 2, 1",
                   "PROJECT [b VARCHAR, a INTEGER]\n"
                   "  HASH_AGGREGATE groups [a INTEGER, b VARCHAR]\n"
                   "    SCAN t [a INTEGER, b VARCHAR]\n");
    /* expressions over group keys are rebuilt above the aggregate */
    EXPECT_EXPLAIN("SELECT a * 2 + 1 FROM t GROUP BY a",
                   "PROJECT [a * 2 + 1 INTEGER = ((a * 2) + 1)]\n"
                   "  HASH_AGGREGATE groups [a INTEGER]\n"
                   "    SCAN t [a INTEGER]\n");
    /* DISTINCT */
    EXPECT_EXPLAIN("SELECT DISTINCT b FROM t ORDER BY 1 DESC",
                   "SORT [b DESC]\n"
                   "  HASH_AGGREGATE groups [b VARCHAR]\n"
                   "    SCAN t [b VARCHAR]\n");
    /* SELECT without FROM with WHERE / aggregates reads one dummy row */
    EXPECT_EXPLAIN("SELECT count(*) WHERE 1 = 1",
                   "AGGREGATE aggs [count(*) BIGINT]\n"
                   "  FILTER (1 = 1)\n"
                   "    VALUES 1 row [dummy INTEGER = 0]\n");
    EXPECT_EXPLAIN("SELECT 1 AS one FROM t HAVING true",
                   "PROJECT [one INTEGER = 1]\n"
                   "  FILTER true\n"
                   "    AGGREGATE aggs [count(*) BIGINT]\n"
                   "      SCAN t [a INTEGER]\n");
    /* simple CASE becomes a searched CASE; IN, LIKE, IS NULL, BETWEEN, COALESCE */
    EXPECT_EXPLAIN("SELECT CASE a WHEN 1 THEN 'one' ELSE b END AS c FROM t",
                   "PROJECT [c VARCHAR = CASE WHEN (a = 1) THEN 'one' ELSE b END]\n"
                   "  SCAN t [a INTEGER, b VARCHAR]\n");
    EXPECT_EXPLAIN("SELECT a FROM t WHERE a NOT IN (1, 2) AND b NOT LIKE 'x%' AND b IS NOT NULL "
                   "AND a NOT BETWEEN 5 AND 6 OR coalesce(a, 0) = 3",
                   "PROJECT [a INTEGER]\n"
                   "  FILTER (((a NOT IN (1, 2)) AND (b NOT LIKE 'x%') AND (b IS NOT NULL) AND "
                   "(a NOT BETWEEN 5 AND 6)) OR (coalesce(a, 0) = 3))\n"
                   "    SCAN t [a INTEGER, b VARCHAR]\n");
    /* string literal compared with a DATE column binds as a DATE; with decimals, integers widen */
    EXPECT_EXPLAIN("SELECT c FROM t2 WHERE d <= '1998-09-02' AND c > 1 AND f = 2.5",
                   "PROJECT [c DECIMAL(5,2)]\n"
                   "  FILTER ((d <= DATE '1998-09-02') AND (c > 1.00) AND "
                   "(CAST(f AS DECIMAL(20,1)) = 2.5))\n"
                   "    SCAN t2 [c DECIMAL(5,2), d DATE, f BIGINT]\n");
    /* date arithmetic */
    EXPECT_EXPLAIN("SELECT d + 1 AS x, d - 2 AS y, d - d AS z, d + INTERVAL '3' MONTH AS w FROM t2",
                   "PROJECT [x DATE = date_add_days(d, 1), y DATE = date_add_days(d, -2), "
                   "z BIGINT = date_diff(d, d), w DATE = date_add_months(d, 3)]\n"
                   "  SCAN t2 [d DATE]\n");
    EXPECT_EXPLAIN("SELECT extract(month FROM d) AS m, a::VARCHAR || '!' AS s FROM t2",
                   "PROJECT [m BIGINT = month(d), s VARCHAR = (CAST(a AS VARCHAR) || '!')]\n"
                   "  SCAN t2 [a INTEGER, d DATE]\n");
}

/* ---- robustness: mutated statements never crash, always make progress, and every error
 * names a position. HY_SOAK=1 runs many more cases. ------------------------------------------ */

static uint64_t rng_state = 0x9E3779B97F4A7C15ull;
static uint64_t rnd(void) {
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

static void test_fuzz(void) {
    static const char *const seeds[] = {
        NULL, /* Q1 */
        NULL, /* Q6 */
        "SELECT a + 1 AS k, count(*) AS n FROM t GROUP BY k HAVING n > 1 ORDER BY sum(a) DESC LIMIT 3",
        "SELECT CASE a WHEN 1 THEN 'x' ELSE b END, coalesce(a, 2) FROM t WHERE b LIKE 'a%' OR a IN (1,2)",
        "INSERT INTO t2 (c, a) VALUES (1.5, 2), (NULL, '7'); COPY t TO 'x.csv' (HEADER, DELIMITER '|')",
        "CREATE TABLE x (a INT NOT NULL, b DECIMAL(10,2)); DROP TABLE IF EXISTS x; CALL dbgen(sf => 0.1)",
        "SELECT d + INTERVAL '1 month', extract(year FROM d), substring(b FROM 1 FOR 2) FROM t2 WHERE d BETWEEN '1994-01-01' AND DATE '1995-01-01'",
        "EXPLAIN (ANALYZE, FORMAT JSON) SELECT DISTINCT b FROM t ORDER BY 1 NULLS FIRST OFFSET 1",
    };
    static const char *const toks[] = {
        "(", ")", ",", ";", "'", "\"", "*", "-", "::", "||", "SELECT", "FROM", "WHERE", "GROUP BY",
        "ORDER BY", "CASE", "END", "NULL", "INTERVAL", "DATE", "sum(", "count(*)", "1e", "99999999999999999999999",
        "/*", "--", "\n", "NOT", "AND", "IN (", "BETWEEN", "AS", "t.", "l_quantity", "0.06", "%",
    };
    int n = getenv("HY_SOAK") ? 200000 : 4000;
    char buf[4096];
    for (int it = 0; it < n; it++) {
        int si = (int)(rnd() % (sizeof seeds / sizeof seeds[0]));
        const char *seed = si == 0 ? Q1 : si == 1 ? Q6 : seeds[si];
        size_t len = strlen(seed);
        if (len >= sizeof buf / 2) len = sizeof buf / 2 - 1;
        memcpy(buf, seed, len);
        buf[len] = 0;
        int muts = 1 + (int)(rnd() % 4);
        for (int m = 0; m < muts; m++) {
            size_t cur = strlen(buf);
            size_t pos = cur ? rnd() % cur : 0;
            switch (rnd() % 4) {
            case 0: { /* delete a range */
                size_t k = 1 + rnd() % 8;
                if (pos + k > cur) k = cur - pos;
                memmove(buf + pos, buf + pos + k, cur - pos - k + 1);
                break;
            }
            case 1: { /* insert a token */
                const char *tk = toks[rnd() % (sizeof toks / sizeof toks[0])];
                size_t k = strlen(tk);
                if (cur + k + 2 >= sizeof buf) break;
                memmove(buf + pos + k, buf + pos, cur - pos + 1);
                memcpy(buf + pos, tk, k);
                break;
            }
            case 2: /* replace a byte */
                if (cur) buf[pos] = (char)(1 + rnd() % 255);
                break;
            default: /* truncate */
                buf[pos] = 0;
                break;
            }
        }
        size_t off = 0, total = strlen(buf);
        for (int guard = 0; guard < 1000; guard++) {
            hy_stmt *s = NULL;
            hy_error err;
            hy_error_clear(&err);
            size_t before = off;
            int r = hy_prepare_next(buf, &off, &cat, &arena, &s, &err);
            if (r == 0) break;
            checks++;
            if (off <= before || off > total) {
                failures++;
                fprintf(stderr, "fuzz: no progress (%zu -> %zu) on: %s\n", before, off, buf);
                break;
            }
            if (r < 0 && strncmp(err.msg, "line ", 5) != 0) {
                failures++;
                fprintf(stderr, "fuzz: error without a position: %s\n  on: %s\n", err.msg, buf);
            }
            if (r > 0 && s->plan) (void)hy_plan_explain(s->plan, &arena);
        }
        if (it % 256 == 255) {
            hy_arena_free(&arena);
            hy_arena_init(&arena);
        }
    }
}

int main(void) {
    hy_arena_init(&arena);
    setup();
    test_fuzz();
    test_lexer();
    test_offsets();
    test_types();
    test_decimal_types();
    test_qa_front_end();
    test_folding();
    test_errors();
    test_statements();
    test_plans();
    hy_arena_free(&arena);
    hy_catalog_free(&cat);
    if (failures) {
        fprintf(stderr, "%d of %d checks failed\n", failures, checks);
        return 1;
    }
    printf("plan tests: %d checks passed\n", checks);
    return 0;
}
