/* test/arch/arm64/a64_lower_test.c — ARM64 lowering checks that need no ARM
 * CPU (run natively and under qemu): random programs lowered at chosen
 * addresses (hy_jit_lower) and inspected word by word.
 *
 *  - the Safe Opcode Filter accepts every lowered function (hy_jit_lower
 *    refuses otherwise) and every word is an allowed form;
 *  - the prologue is stp x29, x30, [sp, #-N]! (or sub sp + stp) with
 *    N == frame_size, then mov x29, sp;
 *  - every guard site is ONE conditional branch to its exit block, its NOP
 *    alternative patches in and out, and a foreign word at a site is refused;
 *  - helper calls are BL exactly when the helper is within +-128 MiB of the
 *    BL (checked at the exact boundary), else a movz/movk x16 sequence that
 *    loads exactly the helper address, then blr x16;
 *  - resource limits fail cleanly (spill slots beyond the addressable frame).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arch/arm64/a64.h"
#include "jit/jit.h"

static int failures;
#define CHECK(c, ...)                                                          \
    do {                                                                       \
        if (!(c)) {                                                            \
            failures++;                                                        \
            printf("FAIL %s:%d: %s: ", __FILE__, __LINE__, #c);                \
            printf(__VA_ARGS__);                                               \
            printf("\n");                                                      \
        }                                                                      \
    } while (0)

static struct a64_index IX;

static uint64_t h_i(uint64_t a) { return a; }
static double h_f(double x, uint64_t n) { return x + (double)n; }
static struct hy_helper hv[] = {
    {"probe", (void *)h_i, HY_T_I64, 1, {HY_T_I64}},
    {"fprobe", (void *)h_f, HY_T_F64, 2, {HY_T_F64, HY_T_I64}},
};
static struct hy_helpers helpers = {hv, 2};

static uint32_t word(const struct hy_jit_code *c, size_t off) { return a64_load_word(c->image + off); }

static int64_t bdisp(uint32_t w, int f) {
    int cls = a64_forms[f].cls;
    if (cls == A64_C_BIMM) return (int64_t)((int32_t)(w << 6) >> 6) * 4;
    if (cls == A64_C_TB) return (int64_t)((int32_t)(w << 13) >> 18) * 4;
    return (int64_t)((int32_t)(w << 8) >> 13) * 4;
}

static void check_code(const struct hy_jit_code *c, const char *what) {
    const struct hy_backend *be = hy_backend_arm64();
    /* every word allowed */
    for (size_t off = 0; off < c->size; off += 4) {
        const char *why = NULL;
        CHECK(a64_check_word(&IX, word(c, off), &why) >= 0, "%s: +%#zx %08x: %s", what, off, word(c, off), why);
    }
    /* prologue */
    struct a64_err e = {0, 0, 0};
    size_t p = 0;
    if (c->frame_size <= 504) {
        CHECK(word(c, 0) == a64_ldstp(&e, A64_STP_X_PRE, 29, 30, A64_SP, -(int64_t)c->frame_size),
              "%s: first word %08x is not stp x29, x30, [sp, #-%u]!", what, word(c, 0), c->frame_size);
        p = 4;
    } else {
        /* stack probing above one page (JQ-7): one 4 KiB step at a time from
         * the top, each followed by a store at the new SP, then the rest */
        uint32_t left = c->frame_size;
        while (left > 4096) {
            CHECK(word(c, p) == a64_addsub_imm(&e, A64_SUB_X_IMM, A64_SP, A64_SP, 1, 1), "%s: probe sub sp, 4096", what);
            CHECK(word(c, p + 4) == a64_ldst_uoff(&e, A64_STR_X, 16, A64_SP, 0), "%s: probe str x16, [sp]", what);
            p += 8;
            left -= 4096;
        }
        uint32_t hi = left & 0xFFF000u, lo = left & 0xFFFu;
        if (hi) {
            CHECK(word(c, p) == a64_addsub_imm(&e, A64_SUB_X_IMM, A64_SP, A64_SP, hi >> 12, 1), "%s: sub sp hi", what);
            p += 4;
        }
        if (lo) {
            CHECK(word(c, p) == a64_addsub_imm(&e, A64_SUB_X_IMM, A64_SP, A64_SP, lo, 0), "%s: sub sp lo", what);
            p += 4;
        }
        CHECK(word(c, p) == a64_ldstp(&e, A64_STP_X, 29, 30, A64_SP, 0), "%s: stp x29, x30, [sp]", what);
        p += 4;
    }
    CHECK(word(c, p) == a64_mov_sp(&e, 1, 29, A64_SP), "%s: mov x29, sp missing", what);
    CHECK(c->frame_size % 16 == 0, "%s: frame %u", what, c->frame_size);
    /* guard sites */
    for (uint32_t s = 0; s < c->nsites; s++) {
        const struct hy_patch_site *ps = &c->sites[s];
        uint32_t w = word(c, ps->off);
        int f = a64_match(&IX, w);
        int cls = f >= 0 ? a64_forms[f].cls : -1;
        CHECK(ps->len == 4 && (cls == A64_C_BCOND || cls == A64_C_CB), "%s: site %u is %08x", what, s, w);
        CHECK(!memcmp(ps->orig, c->image + ps->off, 4), "%s: site %u orig differs", what, s);
        CHECK(a64_load_word(ps->alt) == A64_NOP_WORD, "%s: site %u alt is not NOP", what, s);
        if (f >= 0)
            CHECK(ps->off + bdisp(w, f) == c->block_off[ps->exit_blk], "%s: site %u does not go to bb%u", what, s,
                  ps->exit_blk);
    }
    /* calls */
    for (uint32_t k = 0; k < c->ncalls; k++) {
        const struct hy_call_site *cs = &c->calls[k];
        uint32_t last = word(c, cs->off + cs->len - 4);
        if (!cs->indirect) {
            CHECK(cs->len == 4 && a64_match(&IX, last) == A64_BL, "%s: direct call %u not a bl", what, k);
            CHECK(c->base + cs->off + (uint64_t)bdisp(last, A64_BL) == cs->target, "%s: bl %u target", what, k);
        } else {
            CHECK(a64_match(&IX, last) == A64_BLR, "%s: indirect call %u does not end in blr", what, k);
            /* simulate the movz/movk x16 sequence */
            uint64_t x16 = 0;
            int ok = cs->len >= 8 && cs->len <= 20;
            for (uint32_t o = 0; ok && o + 4 < cs->len; o += 4) {
                uint32_t w = word(c, cs->off + o);
                int f = a64_match(&IX, w);
                unsigned sh = ((w >> 21) & 3) * 16;
                uint64_t imm = (uint64_t)((w >> 5) & 0xffff) << sh;
                if ((w & 31) != 16) ok = 0;
                else if (o == 0 && f == A64_MOVZ_X) x16 = imm;
                else if (o > 0 && f == A64_MOVK_X) x16 = (x16 & ~((uint64_t)0xffff << sh)) | imm;
                else ok = 0;
            }
            CHECK(ok && x16 == cs->target, "%s: call %u loads %#" PRIx64 " not %#" PRIx64, what, k, x16, cs->target);
        }
    }
    /* a site holding something other than its branch or NOP is refused */
    if (c->nsites) {
        uint8_t *img = malloc(c->size);
        memcpy(img, c->image, c->size);
        const struct hy_patch_site *ps = &c->sites[0];
        a64_store_word(img + ps->off, a64_cbz(&e, 1, 0, 4)); /* an allowed word, wrong site content */
        struct hy_filter_in in;
        struct hy_filter_out out;
        memset(&in, 0, sizeof in);
        memset(&out, 0, sizeof out);
        in.code = img;
        in.len = c->size;
        in.base = c->base;
        uint64_t ha[2] = {(uint64_t)(uintptr_t)hv[0].addr, (uint64_t)(uintptr_t)hv[1].addr};
        in.helpers = ha;
        in.nhelpers = 2;
        in.sites = c->sites;
        in.nsites = c->nsites;
        in.range_off = ps->off;
        in.range_len = 4;
        CHECK(be->filter(&in, &out) != 0 && out.off == ps->off, "%s: foreign word at a site accepted", what);
        free(img);
    }
    CHECK(e.code == 0, "%s: test encoder error %s", what, e.what);
}

static void patch_roundtrip(struct hy_jit_code *c, const char *what) {
    const struct hy_backend *be = hy_backend_arm64();
    char err[256];
    uint8_t *before = malloc(c->size);
    memcpy(before, c->image, c->size);
    for (uint32_t s = 0; s < c->nsites; s++) {
        CHECK(hy_lowered_patch_site(be, &helpers, c, s, 1, err, sizeof err) == 0, "%s: NOP site %u: %s", what, s, err);
        CHECK(a64_load_word(c->image + c->sites[s].off) == A64_NOP_WORD, "%s: site %u not NOP", what, s);
    }
    for (uint32_t s = 0; s < c->nsites; s++)
        CHECK(hy_lowered_patch_site(be, &helpers, c, s, 0, err, sizeof err) == 0, "%s: restore %u: %s", what, s, err);
    CHECK(!memcmp(before, c->image, c->size), "%s: NOP and back is not byte-exact", what);
    free(before);
}

/* IR text: n i64 values live across one helper call, then summed. */
static char *live_values_src(int n) {
    size_t cap = (size_t)n * 128 + 256, len = 0;
    char *s = malloc(cap);
    len += (size_t)snprintf(s + len, cap - len, "func @live(%%0:i64) -> i64 {\nbb0:\n");
    for (int i = 0; i < n; i++) {
        len += (size_t)snprintf(s + len, cap - len, "  %%%d:i64 = const %d\n", 2 * i + 1, i * 7 + 1);
        len += (size_t)snprintf(s + len, cap - len, "  %%%d:i64 = mul %%0, %%%d\n", 2 * i + 2, 2 * i + 1);
    }
    int acc = 2 * n + 1;
    len += (size_t)snprintf(s + len, cap - len, "  %%%d:i64 = call @probe(%%0)\n", acc);
    for (int i = 0; i < n; i++, acc++)
        len += (size_t)snprintf(s + len, cap - len, "  %%%d:i64 = add %%%d, %%%d\n", acc + 1, acc, 2 * i + 2);
    snprintf(s + len, cap - len, "  ret %%%d\n}\n", acc);
    return s;
}

static uint64_t rs = 42;
static uint64_t rnd(void) {
    rs ^= rs << 13;
    rs ^= rs >> 7;
    rs ^= rs << 17;
    return rs;
}

int main(int argc, char **argv) {
    a64_index_init(&IX);
    const struct hy_backend *be = hy_backend_arm64();
    int count = argc > 1 ? atoi(argv[1]) : 400;
    if (getenv("HY_SOAK") && !strcmp(getenv("HY_SOAK"), "1")) count *= 25;
    uint64_t hbase = (uint64_t)(uintptr_t)hv[0].addr;
    int lowered = 0, direct = 0, indirect = 0, sites = 0, big = 0;
    size_t words = 0;
    for (int k = 0; k < count; k++) {
        struct hy_gen_opts go;
        memset(&go, 0, sizeof go);
        go.seed = 0x10E7 + (uint64_t)k;
        go.use_f64 = 1;
        go.use_calls = 1;
        go.use_guards = 1;
        go.use_loops = k & 1;
        go.mem_bytes = k % 3 ? 128 : 0;
        go.helpers = &helpers;
        struct hy_func *fn = hy_gen_func(&go);
        if (!fn) continue;
        /* bases: near the helpers (BL), far away (blr x16), random */
        uint64_t base;
        switch (k % 3) {
        case 0: base = (hbase & ~0xFFFull) - ((rnd() % 0x4000) << 12); break;
        case 1: base = (hbase ^ ((uint64_t)1 << 40)) & ~0xFFFull; break;
        default: base = (rnd() & 0x0000FFFFFFFFF000ull); break;
        }
        struct hy_ra_opts ro;
        memset(&ro, 0, sizeof ro);
        if (k % 4 == 3) {
            ro.limit_gpr = 3 + (uint32_t)(rnd() % 4);
            ro.limit_fpr = 2 + (uint32_t)(rnd() % 3);
            ro.random_seed = rnd() | 1;
        }
        char err[256];
        struct hy_jit_code *c = hy_jit_lower(be, fn, &helpers, base, &ro, err, sizeof err);
        CHECK(c != NULL, "program %d at %#" PRIx64 ": %s", k, base, err);
        if (c) {
            char what[48];
            snprintf(what, sizeof what, "program %d", k);
            check_code(c, what);
            patch_roundtrip(c, what);
            for (uint32_t i = 0; i < c->ncalls; i++) c->calls[i].indirect ? indirect++ : direct++;
            sites += (int)c->nsites;
            words += c->size / 4;
            big += c->frame_size > 504;
            lowered++;
            free(c->image);
            free(c->orig_image);
            free(c->sites);
            free(c->site_alt);
            free(c->calls);
            free(c->block_off);
            free(c);
        }
        hy_func_free(fn);
        if (failures > 20) break;
    }
    printf("lowered %d random programs (%zu words): %d guard sites, %d direct + %d indirect calls, %d frames > 504 bytes\n",
           lowered, words, sites, direct, indirect, big);
    CHECK(direct > 0 && indirect > 0 && sites > 0, "coverage");

    /* BL reach boundary: +(2^27 - 4) and -2^27 are direct; one word further is not */
    const char *src = "func @f(%0:i64) -> i64 {\nbb0:\n  %1:i64 = call @probe(%0)\n  ret %1\n}\n";
    char err[256];
    struct hy_func *fn = hy_parse_func(src, strlen(src), &helpers, err, sizeof err);
    CHECK(fn != NULL, "parse: %s", err);
    uint64_t base = 0x400000000ull;
    struct hy_jit_code *c = fn ? hy_jit_lower(be, fn, &helpers, base, NULL, err, sizeof err) : NULL;
    if (c) {
        uint64_t at = base + c->calls[0].off;
        static const struct { int64_t d; int direct; } cases[] = {
            {((int64_t)1 << 27) - 4, 1}, {(int64_t)1 << 27, 0}, {-((int64_t)1 << 27), 1}, {-((int64_t)1 << 27) - 4, 0},
            {0, 1}, {((int64_t)1 << 27) + 2, 0},
        };
        for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
            struct hy_helper h1 = hv[0];
            h1.addr = (void *)(uintptr_t)(at + (uint64_t)cases[i].d);
            struct hy_helpers hs = {&h1, 1};
            struct hy_jit_code *c2 = hy_jit_lower(be, fn, &hs, base, NULL, err, sizeof err);
            CHECK(c2 != NULL, "boundary %zu: %s", i, err);
            if (c2) {
                CHECK(c2->calls[0].off == c->calls[0].off, "boundary %zu: layout moved", i);
                CHECK(c2->calls[0].indirect == !cases[i].direct, "boundary %zu (%+" PRId64 "): indirect=%d", i,
                      cases[i].d, c2->calls[0].indirect);
                check_code(c2, "boundary");
                free(c2->image); free(c2->orig_image); free(c2->sites); free(c2->site_alt);
                free(c2->calls); free(c2->block_off); free(c2);
            }
        }
        free(c->image); free(c->orig_image); free(c->sites); free(c->site_alt);
        free(c->calls); free(c->block_off); free(c);
    }
    hy_func_free(fn);

    /* n values live across a call: frames past the stp reach (504 bytes) and
     * past 4 KiB (sub sp, sp, #hi, lsl #12), then more slots than the frame
     * can address: a clean error, no crash */
    static const int sizes[] = {100, 600, 4200};
    for (int z = 0; z < 3; z++) {
        int n = sizes[z];
        char *s = live_values_src(n);
        struct hy_func *h = hy_parse_func(s, strlen(s), &helpers, err, sizeof err);
        CHECK(h != NULL, "live %d parse: %s", n, err);
        if (h) {
            struct hy_jit_code *c3 = hy_jit_lower(be, h, &helpers, 0x400000000ull, NULL, err, sizeof err);
            if (n < 4000) {
                CHECK(c3 != NULL, "live %d: %s", n, err);
                if (c3) {
                    CHECK(c3->frame_size > (n > 500 ? 4096u : 504u), "live %d: frame %u", n, c3->frame_size);
                    check_code(c3, "live values");
                    printf("%d values live across a call: frame %u bytes\n", n, c3->frame_size);
                    free(c3->image); free(c3->orig_image); free(c3->sites); free(c3->site_alt);
                    free(c3->calls); free(c3->block_off); free(c3);
                }
            } else {
                CHECK(c3 == NULL && strstr(err, "arm64"), "huge frame: expected a clean arm64 error, got %s",
                      c3 ? "code" : err);
                printf("%d values live across a call: %s\n", n, err);
            }
            hy_func_free(h);
        }
        free(s);
    }
    printf("%s (%d failures)\n", failures ? "FAILED" : "ok", failures);
    return failures ? 1 : 0;
}
