/* The JIT driver: IR function -> verified native code in W^X code memory.
 *
 *   hy_jit_new(cfg)            one context per engine (backend, helpers, code memory)
 *   hy_jit_compile(j, fn)      verify -> regalloc -> emit -> filter -> commit
 *   hy_jit_invoke(code, args)  call it (raw 64-bit argument/result patterns)
 *   hy_jit_set_guard(...)      NOP / restore guard sites (code no thread runs)
 *   hy_jit_lower(...)          the same pipeline without code memory (any ISA,
 *                              for dumps and filter tests; never executed)
 *
 * Errors: functions return NULL / nonzero and leave a message in the context
 * (hy_jit_error), sticky until the next failing call. A failure never leaves
 * executable memory behind; callers fall back to the interpreter.
 *
 * Threads: a context is used by one thread at a time (one per worker is
 * cheap); several contexts may share one struct hy_codemem, which is locked.
 */
#ifndef HY_JIT_JIT_H
#define HY_JIT_JIT_H

#include <stddef.h>
#include <stdint.h>

#include "arch/backend.h"
#include "jit/ir.h"
#include "jit/regalloc.h"
#include "os/codemem.h"

struct hy_jit_config {
    const struct hy_backend *backend;  /* NULL = hy_backend_native(); hy_jit_compile refuses any
                                          backend that is not the native one (or a wrapper with its
                                          target and filter): lowering-only runs use hy_jit_lower */
    const struct hy_helpers *helpers;  /* helper table calls index into */
    struct hy_codemem *cm;             /* NULL = the context creates (and owns) one */
    int blind_constants;               /* 1: hy_blind_constants before compiling
                                          (env HY_JIT_BLIND=1 turns it on too) */
    struct hy_ra_opts ra;              /* fault injection: register limits, random RA;
                                          env HY_RA_RANDOM=seed, HY_RA_GPRS=n,
                                          HY_RA_FPRS=n fill fields left 0 */
};

/* Thread CPU time spent per phase, nanoseconds, and sizes (for throughput numbers). */
struct hy_compile_stats {
    uint64_t ns_verify, ns_regalloc, ns_emit, ns_filter, ns_commit, ns_total;
    uint32_t nins, nvregs, nspilled, nslots, emit_attempts, nblinded;
    size_t code_bytes;
};

/* One compiled function (committed, or lowered only when entry == NULL). */
struct hy_jit_code {
    void *entry;                       /* executable address; NULL for hy_jit_lower */
    uint64_t base;                     /* address the code was laid out for */
    size_t size;
    uint8_t *image;                    /* private copy of the current bytes */
    uint8_t *orig_image;               /* the bytes as first committed */
    struct hy_patch_site *sites;
    uint32_t nsites;
    uint8_t *site_alt;                 /* per site: 1 when it holds its alternative */
    struct hy_call_site *calls;
    uint32_t ncalls;
    uint32_t *block_off;
    uint32_t nblocks;
    uint32_t frame_size;
    uint8_t nparams;
    uint8_t param_type[HY_MAX_ARGS];
    uint8_t ret;
    uint8_t runnable;                  /* committed code of the native backend */
    struct hy_compile_stats stats;
};

struct hy_jit;

/* NULL only when out of memory; otherwise check hy_jit_error() (a context
 * whose code memory failed refuses every compile with that message). */
struct hy_jit *hy_jit_new(const struct hy_jit_config *cfg);
void hy_jit_free(struct hy_jit *j);
const char *hy_jit_error(const struct hy_jit *j);   /* "" when none */
const struct hy_backend *hy_jit_backend(const struct hy_jit *j);
struct hy_codemem *hy_jit_codemem(struct hy_jit *j);

struct hy_jit_code *hy_jit_compile(struct hy_jit *j, const struct hy_func *fn);
/* Releases the code memory too; no thread may still be running it. */
void hy_jit_code_free(struct hy_jit *j, struct hy_jit_code *c);

/* Call compiled NATIVE code: args are raw patterns in parameter order (f64 as
 * IEEE bits), the result likewise (i32 in the low half, upper half unspecified).
 * Code that is not runnable (lowered only, or another ISA) is never called:
 * the result is then 0. */
uint64_t hy_jit_invoke(const struct hy_jit_code *c, const uint64_t *args);

/* ---- patching (only code that no thread is executing) ----
 * Set site `site` to its alternative (use_alt = 1, the NOP: the guard never
 * exits) or back to its original bytes. Goes through code memory's patch
 * protocol; the portable check and the backend filter re-verify the block. */
int hy_jit_patch_site(struct hy_jit *j, struct hy_jit_code *c, uint32_t site, int use_alt);
/* All sites of guard id `guard_id` (enabled = 0 -> NOP). Returns the number
 * of sites changed, or -1. */
int hy_jit_set_guard(struct hy_jit *j, struct hy_jit_code *c, uint32_t guard_id, int enabled);
/* Raw patch request (tests / tools): refused unless [off, off+len) is exactly
 * one registered site and bytes are its orig or alt. */
int hy_jit_patch_bytes(struct hy_jit *j, struct hy_jit_code *c, size_t off, const uint8_t *bytes, size_t len);

/* ---- lowering without code memory ----
 * Runs verify -> regalloc -> emit -> filter for any backend at a pretend
 * address `base`; the result (c->image) is never executable. */
struct hy_jit_code *hy_jit_lower(const struct hy_backend *be, const struct hy_func *fn,
                                 const struct hy_helpers *helpers, uint64_t base,
                                 const struct hy_ra_opts *ra, char *err, size_t cap);

/* Patch a LOWERED (never executable) image: same checks as a live patch
 * (portable site check + backend filter over the whole image). */
int hy_lowered_patch_site(const struct hy_backend *be, const struct hy_helpers *helpers, struct hy_jit_code *c,
                          uint32_t site, int use_alt, char *err, size_t cap);

/* Run the backend filter over c->image (e.g. for `verify`). 0 accept. */
int hy_jit_filter(const struct hy_backend *be, const struct hy_jit_code *c, const struct hy_helpers *helpers,
                  struct hy_filter_out *out);

/* Portable half of the patch check (patch.c): may `next` replace `cur` in c?
 * Every byte outside registered sites must equal the committed original;
 * every site must hold exactly its orig or its alt. 0 ok, else -1 + reason. */
int hy_patch_check(const struct hy_jit_code *c, const uint8_t *next, size_t len, char *why, size_t cap);

#endif
