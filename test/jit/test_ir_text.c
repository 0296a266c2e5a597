/* IR text form: parse(print(x)) == x over hand-written and generated
 * programs; parse errors carry line:column; mutated input never crashes. */
#include <string.h>

#include "jit/ir.h"
#include "test_util.h"

static void roundtrip(const struct hy_func *fn, const char *what) {
    const struct hy_helpers *h = t_helpers();
    char *txt = hy_print_func_str(fn, h);
    CHECK(txt != NULL, "%s: print failed", what);
    if (!txt) return;
    char err[256];
    struct hy_func *back = hy_parse_func(txt, strlen(txt), h, err, sizeof err);
    CHECK(back != NULL, "%s: reparse failed: %s\n%s", what, err, txt);
    if (back) {
        char why[200];
        CHECK(hy_func_equal(fn, back, why, sizeof why) == 0, "%s: round trip differs: %s\n%s", what, why, txt);
        char *txt2 = hy_print_func_str(back, h);
        CHECK(txt2 && strcmp(txt, txt2) == 0, "%s: second print differs", what);
        free(txt2);
        hy_func_free(back);
    }
    free(txt);
}

static void test_files(const char *dir) {
    char **names;
    int n = t_list_hir(dir, &names);
    CHECK(n >= 8, "expected hand-written .hir files in %s (found %d)", dir, n);
    for (int i = 0; i < n; i++) {
        size_t len;
        char *src = t_read_file(names[i], &len);
        CHECK(src != NULL, "cannot read %s", names[i]);
        if (src) {
            char err[256];
            struct hy_func *fn = hy_parse_func(src, len, t_helpers(), err, sizeof err);
            CHECK(fn != NULL, "%s: %s", names[i], err);
            if (fn) {
                CHECK(hy_verify(fn, t_helpers(), err, sizeof err) == 0, "%s: verify: %s", names[i], err);
                roundtrip(fn, names[i]);
                hy_func_free(fn);
            }
            free(src);
        }
        free(names[i]);
    }
    free(names);
}

static void test_generated(int count) {
    for (int i = 0; i < count; i++) {
        struct hy_gen_opts o = {0};
        o.seed = (uint64_t)i + 1;
        o.mem_bytes = (i % 3) ? 256 : 0;
        o.use_f64 = i % 4 != 1;
        o.use_calls = i % 2;
        o.use_guards = i % 5 != 2;
        o.use_loops = i % 3 != 1;
        o.helpers = t_helpers();
        struct hy_func *fn = hy_gen_func(&o);
        CHECK(fn != NULL, "seed %d: generator failed", i);
        if (!fn) continue;
        char err[256], what[32];
        CHECK(hy_verify(fn, t_helpers(), err, sizeof err) == 0, "seed %d: generated IR invalid: %s", i, err);
        snprintf(what, sizeof what, "seed %d", i);
        roundtrip(fn, what);
        hy_func_free(fn);
    }
}

/* Each bad input must fail at the given line:column with text mentioning needle. */
static void test_errors(void) {
    static const struct {
        const char *src, *pos, *needle;
    } cases[] = {
        {"", "1:1", "expected 'func'"},
        {"func @f() -> i64 {\nbb0:\n  %1:i64 = bogus %0\n}\n", "3:12", "unknown opcode"},
        {"func @f(%0:i64) -> i64 {\nbb0:\n  %1:i64 = add %0\n  ret %1\n}\n", "3:18", "expected ','"},
        {"func @f(%0:i64) -> i64 {\nbb0:\n  br nowhere\n}\n", "3:6", "unknown block label"},
        {"func @f(%0:i64) -> i64 {\nbb0:\n  ret %7\n}\n", "3:7", "never assigned"},
        {"func @f(%0:i64) -> i64 {\nbb0:\n  %1:i32 = const 5000000000\n  ret %0\n}\n", "3:18", "out of range"},
        {"func @f(%0:i64) -> i64 {\nbb0:\n  %1:i64 = load.i64 [%0 + %0*3]\n  ret %1\n}\n", "3:30", "scale"},
        {"func @f(%0:i64) -> i64 {\nbb0:\n  %1:i64 = icmp %0, %0\n  ret %1\n}\n", "3:12", "suffix"},
        {"func @f(%0:i64) -> i64 {\nbb0:\n  %1:i64 = call @nosuch(%0)\n  ret %1\n}\n", "3:17", "unknown helper"},
        {"func @f(%1:i64) -> i64 {\n", "1:9", "in order"},
        {"func @f(%0:i64) -> i64 {\nbb0:\n  ret %0\n", "4:1", "missing '}'"},
        {"func @f(%0:i64) -> i64 {\nbb0:\n  ret %0 $\n}\n", "3:10", "unexpected character"},
        {"func @f(%0:i64) -> i64 {\nbb0:\n  %0:f64 = const 1.0\n  ret %0\n}\n", "3:3", "declared i64"},
        {"func @f(%0:i64) -> i64 {\nbb0:\n  guard.null eqz %0 -> bb0 id=-1\n  ret %0\n}\n", "3:31", "out of range"},
        {"func @f(%0:i64) -> i64 {\nbb0:\nbb0:\n  ret %0\n}\n", "3:1", "defined twice"},
        {"func @f(%0:i64) -> i64 {\n  ret %0\n}\n", "2:3", "before the first block"},
        {"func @f(%0:i64) -> i64 {\nbb0:\n  guard.nope eqz %0 -> bb0\n  ret %0\n}\n", "3:3", "unknown suffix"},
        {"func @f(%0:i64) -> i64 {\nbb0:\n  %1:i64 = load.i64 [%0 + 99999999999]\n  ret %1\n}\n", "3:27", "int32"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char err[256] = "";
        struct hy_func *fn = hy_parse_func(cases[i].src, strlen(cases[i].src), t_helpers(), err, sizeof err);
        CHECK(fn == NULL, "case %zu: bad input accepted", i);
        hy_func_free(fn);
        size_t pl = strlen(cases[i].pos);
        CHECK(strncmp(err, cases[i].pos, pl) == 0 && err[pl] == ':', "case %zu: error '%s' not at %s", i, err, cases[i].pos);
        CHECK(strstr(err, cases[i].needle) != NULL, "case %zu: error '%s' lacks '%s'", i, err, cases[i].needle);
    }
}

/* Verifier errors for IR that parses but is ill-formed. */
static void test_verify_errors(void) {
    static const struct {
        const char *src, *needle;
    } cases[] = {
        {"func @f(%0:i64) -> i64 {\nbb0:\n  %1:f64 = add %0, %0\n  ret %0\n}\n", "integer operands"},
        {"func @f(%0:i64) -> i64 {\nbb0:\n  %1:i64 = const 1\n}\n", "terminator"},
        {"func @f(%0:i64) -> i64 {\nbb0:\n  ret %0\n  ret %0\n}\n", "middle of a block"},
        {"func @f(%0:i32) -> i64 {\nbb0:\n  condbr %0, a, b\na:\n  %1:i64 = const 1\n  br b\nb:\n  ret %1\n}\n",
         "used before it is assigned"},
        {"func @f(%0:i64) -> f64 {\nbb0:\n  ret %0\n}\n", "function returns f64"},
        {"func @f(%0:f64) -> i64 {\nbb0:\n  %1:i64 = sext %0\n  ret %1\n}\n", "i32 -> i64"},
        {"func @f(%0:i64) -> i64 {\nbb0:\n  %1:i64 = call @mix3(%0, %0)\n  ret %1\n}\n", "arguments"},
        {"func @f(%0:i32) -> i64 {\nbb0:\n  %1:i64 = load.i8 [%0]\n  ret %1\n}\n", "base must be"},
        {"func @f(%0:ptr) -> i64 {\nbb0:\n  %1:f64 = load.i32 [%0]\n  ret %0\n}\n", "not allowed"},
        {"func @f(%0:f64) -> i64 {\nbb0:\n  guard.null eqz %0 -> bb0\n  ret %0\n}\n", "integer operand"},
        {"func @f(%0:i64, %1:i64, %2:i64, %3:i64, %4:i64, %5:i64, %6:i64) -> i64 {\nbb0:\n  ret %0\n}\n", "parameters"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char err[256] = "";
        struct hy_func *fn = hy_parse_func(cases[i].src, strlen(cases[i].src), t_helpers(), err, sizeof err);
        CHECK(fn != NULL, "verify case %zu: parse failed: %s", i, err);
        if (!fn) continue;
        CHECK(hy_verify(fn, t_helpers(), err, sizeof err) != 0, "verify case %zu: accepted", i);
        CHECK(strstr(err, cases[i].needle) != NULL, "verify case %zu: '%s' lacks '%s'", i, err, cases[i].needle);
        hy_func_free(fn);
    }
}

/* Mutated programs: the parser and verifier must fail cleanly or accept. */
static void test_mutations(int count) {
    uint64_t s = 12345;
    for (int i = 0; i < count; i++) {
        struct hy_gen_opts o = {0};
        o.seed = 1000 + (uint64_t)i;
        o.mem_bytes = 128;
        o.use_f64 = o.use_calls = o.use_guards = o.use_loops = 1;
        o.helpers = t_helpers();
        struct hy_func *fn = hy_gen_func(&o);
        if (!fn) continue;
        char *txt = hy_print_func_str(fn, t_helpers());
        hy_func_free(fn);
        if (!txt) continue;
        size_t len = strlen(txt);
        for (int m = 0; m < 8; m++) {
            char *mut = malloc(len + 1);
            memcpy(mut, txt, len + 1);
            size_t mlen = len;
            for (int k = 0; k < 3; k++) {
                s = s * 6364136223846793005ull + 1442695040888963407ull;
                size_t at = (size_t)(s >> 33) % (mlen ? mlen : 1);
                int kind = (int)((s >> 20) % 4);
                if (kind == 0) mut[at] = (char)(s >> 40);
                else if (kind == 1) mlen = at;
                else if (kind == 2) mut[at] = "%@:=,[]()+-*0123456789\n bfai"[(s >> 44) % 29];
                else mut[at] = ' ';
            }
            char err[256];
            struct hy_func *f2 = hy_parse_func(mut, mlen, t_helpers(), err, sizeof err);
            if (f2) {
                hy_verify(f2, t_helpers(), err, sizeof err);
                hy_func_free(f2);
            } else {
                unsigned l, c;
                CHECK(sscanf(err, "%u:%u:", &l, &c) == 2, "error without line:col: %s", err);
            }
            free(mut);
        }
        free(txt);
    }
}

int main(int argc, char **argv) {
    const char *dir = argc > 1 ? argv[1] : "hir";
    int soak = t_env_soak();
    test_files(dir);
    test_generated(soak ? 50000 : 3000);
    test_errors();
    test_verify_errors();
    test_mutations(soak ? 20000 : 300);
    if (t_failures) {
        fprintf(stderr, "test_ir_text: %d failure(s)\n", t_failures);
        return 1;
    }
    printf("test_ir_text: ok\n");
    return 0;
}
