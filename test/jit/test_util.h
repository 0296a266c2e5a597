/* Shared test support for test/jit: helper table whose helpers check stack
 * alignment, checks, file loading, NaN-aware comparison. */
#ifndef HY_TEST_JIT_UTIL_H
#define HY_TEST_JIT_UTIL_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "jit/ir.h"

extern int t_failures;
#define CHECK(c, ...)                                                   \
    do {                                                                \
        if (!(c)) {                                                     \
            t_failures++;                                               \
            fprintf(stderr, "%s:%d: CHECK(%s) failed: ", __FILE__, __LINE__, #c); \
            fprintf(stderr, __VA_ARGS__);                               \
            fputc('\n', stderr);                                        \
        }                                                               \
    } while (0)

/* Test helpers: each one counts its calls and checks that the stack pointer
 * of its own frame is 16-byte aligned (which it is only if the caller had
 * SP aligned at the call). */
struct hy_test_state {
    uint64_t calls;
    uint64_t misaligned;
    uint64_t side;        /* side-effect accumulator of h_void */
};
extern struct hy_test_state t_state;
const struct hy_helpers *t_helpers(void);

char *t_read_file(const char *path, size_t *len);
/* Equal as the IR result of type t: i32 compares low halves, f64 treats all
 * NaNs as equal. */
int t_same(int type, uint64_t a, uint64_t b);
int t_env_soak(void);

#endif

/* "; expect: ARGS -> RESULT" lines of a .hir file, values typed by fn. */
struct t_expect {
    int nargs;
    uint64_t args[HY_MAX_ARGS];
    uint64_t result;
};
/* Returns the number of expectations parsed into ex (max cap), -1 on a bad line. */
int t_parse_expects(const char *src, const struct hy_func *fn, struct t_expect *ex, int cap);
/* Parse one value of the given type ("1.5", "nan", "-3", "0x10"). */
int t_parse_value(const char *s, int type, uint64_t *out);
/* List *.hir files in dir (sorted); returns count, names malloc'ed. */
int t_list_hir(const char *dir, char ***names);
