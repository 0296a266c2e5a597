/* Private to src/jit/compile.c and src/jit/patch.c. */
#ifndef HY_JIT_INTERNAL_H
#define HY_JIT_INTERNAL_H

#include "jit/jit.h"

struct hy_jit {
    const struct hy_backend *be;
    const struct hy_helpers *helpers;
    struct hy_codemem *cm;
    int own_cm;
    struct hy_ra_opts ra;
    int blind;
    uint64_t blind_state;             /* seeds per-constant masks */
    uint64_t *helper_addr;            /* registered call targets for the filter */
    uint32_t nhelpers;
    char err[320];
};

/* Context handed to code memory's verify callback (commit and patch). */
struct hy_verify_ctx {
    const struct hy_backend *be;
    const uint64_t *helper_addr;
    uint32_t nhelpers;
    const struct hy_jit_code *code;   /* for patches: sites + original image */
    uint64_t expect_base;
    size_t expect_len;
    size_t range_off, range_len;
    int is_patch;
    uint64_t ns;                      /* time spent in the filter */
    char why[200];
};

int hy_verify_cb(void *ud, const uint8_t *bytes, size_t len, uintptr_t xaddr);
void hy_jit_fail(struct hy_jit *j, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
uint64_t hy_now_ns(void);

#endif
