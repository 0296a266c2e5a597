/* test/jitqa: shared support for the JIT QA tests (robustness, filter bypass
 * attempts, patching, W^X, guard soundness). Independent of test/jit's util so
 * that the QA suite does not move when the JIT core tests change. */
#ifndef HY_TEST_JITQA_COMMON_H
#define HY_TEST_JITQA_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "jit/ir.h"

struct jq {
    int failures;
    int soak;           /* HY_SOAK=1 */
    int emulated;       /* HY_EMULATED=1 (under qemu): smaller default runs */
    const char *last;   /* env JQ_LAST: write every fuzz input there first */
};

#define JQ_CHECK(q, c, ...)                                                  \
    do {                                                                     \
        if (!(c)) {                                                          \
            (q)->failures++;                                                 \
            fprintf(stderr, "%s:%d: CHECK(%s) failed: ", __FILE__, __LINE__, #c); \
            fprintf(stderr, __VA_ARGS__);                                    \
            fputc('\n', stderr);                                             \
        }                                                                    \
    } while (0)

void jq_init(struct jq *q);
/* The helper table of hyperion-jit (same names and signatures), so that the
 * .hir corpus of test/jit parses. */
const struct hy_helpers *jq_helpers(void);
/* splitmix64 */
uint64_t jq_rnd(uint64_t *s);
char *jq_read_file(const char *path, size_t *len);
/* NaN-aware compare as IR result of type t. */
int jq_same(int type, uint64_t a, uint64_t b);
/* Save the current fuzz input (for reproducing a crash). */
void jq_save_last(const struct jq *q, const char *text, size_t len);

#endif
