/* test/arch/arm64/a64_unit.c — host-independent unit tests of the A64 tables,
 * encoder operand checks, bitmask immediates and the Safe Opcode Filter's
 * buffer rules (forbidden instructions, branch targets, helper calls). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arch/arm64/a64.h"

static int failures;
#define CHECK(cond, ...)                                         \
    do {                                                         \
        if (!(cond)) {                                           \
            failures++;                                          \
            printf("FAIL %s:%d: ", __FILE__, __LINE__);          \
            printf(__VA_ARGS__);                                 \
            printf("\n");                                        \
        }                                                        \
    } while (0)

static uint64_t rs = 0x9E3779B97F4A7C15ull;
static uint64_t rnd64(void) {
    rs ^= rs >> 12;
    rs ^= rs << 25;
    rs ^= rs >> 27;
    return rs * 0x2545F4914F6CDD1DULL;
}

static struct a64_index IX;

/* ---- tables ------------------------------------------------------------------ */
static int linear_matches(uint32_t w, int *which) {
    int n = 0;
    for (int f = 0; f < A64_NFORMS; f++)
        if ((w & a64_forms[f].mask) == a64_forms[f].value) {
            n++;
            *which = f;
        }
    return n;
}

static void test_tables(void) {
    for (int f = 0; f < A64_NFORMS; f++) {
        const struct a64_form *F = &a64_forms[f];
        CHECK((F->value & ~F->mask) == 0, "%s: value has bits outside its mask", F->name);
        CHECK(F->mask == a64_class_mask[F->cls], "%s: mask is not its class mask", F->name);
        CHECK(a64_op_value((enum a64_op)f) == F->value, "%s: inline value differs", F->name);
        CHECK(a64_op_class((enum a64_op)f) == F->cls, "%s: inline class differs", F->name);
        int which = -1;
        CHECK(linear_matches(F->value, &which) == 1 && which == f, "%s: value matches other forms",
              F->name);
        CHECK(a64_match(&IX, F->value) == f, "%s: index lookup fails", F->name);
    }
    /* no word matches two forms; the bucketed index agrees with a linear scan */
    for (int i = 0; i < 2000000; i++) {
        uint32_t w = (uint32_t)(rnd64() >> 32);
        int which = -1, n = linear_matches(w, &which);
        CHECK(n <= 1, "%08x matches %d forms", w, n);
        CHECK(a64_match(&IX, w) == (n ? which : -1), "%08x: index %d, linear %d", w,
              a64_match(&IX, w), n ? which : -1);
        if (failures > 20) return;
    }
}

/* ---- bitmask immediates ------------------------------------------------------- */
static int cmp_u64(const void *a, const void *b) {
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static void test_bitmask(void) {
    static uint64_t vals[8192];
    for (int x = 0; x <= 1; x++) {
        int count = 0;
        for (unsigned field = 0; field < 8192; field++) {
            unsigned n = field >> 12, immr = (field >> 6) & 63, imms = field & 63;
            uint64_t v;
            if (!a64_bitmask_decode(x, n, immr, imms, &v)) continue;
            vals[count++] = v;
            uint32_t back = 0;
            CHECK(a64_bitmask_encode(v, x, &back) && back == field,
                  "x=%d field %04x -> %016" PRIx64 " -> %04x", x, field, v, back);
        }
        /* ARMv8: 5334 distinct 64-bit and 1302 distinct 32-bit logical immediates */
        CHECK(count == (x ? 5334 : 1302), "x=%d: %d valid bitmask immediates", x, count);
        qsort(vals, (size_t)count, sizeof vals[0], cmp_u64);
        for (int i = 1; i < count; i++) CHECK(vals[i] != vals[i - 1], "duplicate value");
        /* encode succeeds exactly on members: random values and near misses */
        for (int i = 0; i < 200000; i++) {
            uint64_t v = (i & 1) ? rnd64() : vals[rnd64() % (uint64_t)count] ^ (1ull << (rnd64() % 64));
            if (!x) v &= 0xffffffffu;
            uint32_t fld;
            int member = bsearch(&v, vals, (size_t)count, sizeof vals[0], cmp_u64) != NULL;
            CHECK(a64_bitmask_encode(v, x, &fld) == member, "x=%d %016" PRIx64 " membership", x, v);
            if (failures > 20) return;
        }
    }
    uint32_t fld;
    CHECK(!a64_bitmask_encode(0, 1, &fld) && !a64_bitmask_encode(~0ull, 1, &fld), "0/~0");
    CHECK(!a64_bitmask_encode(0xffffffffu, 0, &fld), "32-bit all ones");
    CHECK(!a64_bitmask_encode(0x100000000ull, 0, &fld), "value wider than W");
}

/* ---- encoder operand checks --------------------------------------------------- */
static void test_bad_operands(void) {
    struct a64_err err = {0, 0, 0}, *e = &err;
    /* good operands leave no error */
    a64_add_imm(e, 1, 0, 1, 4095);
    a64_ldst_uoff(e, A64_LDR_X, 0, A64_SP, 32760);
    a64_b(e, -134217728);
    CHECK(err.code == 0, "good operands set an error: %s", err.what ? err.what : "");
#define BAD(expr)                                                              \
    do {                                                                       \
        struct a64_err e1 = {0, 0, 0};                                         \
        struct a64_err *e = &e1;                                               \
        uint32_t w_ = (expr);                                                  \
        CHECK(w_ == A64_TRAP_WORD && e1.code != 0 && e1.what, "not rejected: %s", #expr); \
    } while (0)
    BAD(a64_add_imm(e, 1, 0, 1, 4097));
    BAD(a64_add_imm(e, 1, 0, 1, 0x1000001));
    BAD(a64_add_imm(e, 1, 0, A64_ZR, 1));        /* Rn=31 is SP */
    BAD(a64_add_imm(e, 1, A64_ZR, 1, 1));        /* Rd=31 is SP for add */
    BAD(a64_adds_imm(e, 1, A64_SP, 1, 1));       /* Rd=31 is ZR for adds */
    BAD(a64_addsub_imm(e, A64_ADD_X, 0, 1, 1, 0)); /* wrong class */
    BAD(a64_addsub_imm(e, A64_ADD_X_IMM, 0, 1, 1, 2));
    BAD(a64_add(e, 1, A64_SP, 1, 2));
    BAD(a64_addsub_shift(e, A64_ADD_W, 0, 1, 2, A64_LSL, 32));
    BAD(a64_addsub_shift(e, A64_ADD_X, 0, 1, 2, A64_ROR, 1));
    BAD(a64_addsub_ext(e, A64_ADD_X_EXT, 0, 1, 2, A64_SXTW, 5));
    BAD(a64_addsub_ext(e, A64_ADD_X_EXT, 0, 1, A64_SP, A64_SXTW, 0));
    BAD(a64_logic_shift(e, A64_AND_W, 0, 1, 2, A64_LSL, 32));
    BAD(a64_and_imm(e, 1, 0, 1, 0));
    BAD(a64_and_imm(e, 1, 0, 1, ~0ull));
    BAD(a64_and_imm(e, 1, 0, 1, 5));
    BAD(a64_and_imm(e, 0, 0, 1, 0x1ffffffffull));
    BAD(a64_and_imm(e, 1, A64_ZR, 1, 0xff));     /* would write SP */
    BAD(a64_orr_imm(e, 1, A64_SP, 1, 0xff));
    BAD(a64_movz(e, 0, 0, 1, 32));
    BAD(a64_movz(e, 1, 0, 0x10000, 0));
    BAD(a64_movk(e, 1, 0, 1, 8));
    BAD(a64_movn(e, 1, A64_SP, 1, 0));
    BAD(a64_lsl_imm(e, 1, 0, 1, 64));
    BAD(a64_lsr_imm(e, 0, 0, 1, 32));
    BAD(a64_asr_imm(e, 0, 0, 1, 40));
    BAD(a64_sxtw(e, A64_SP, 1));
    BAD(a64_sdiv(e, 1, 0, 1, 33));
    BAD(a64_dp3(e, A64_SMULH, 0, 1, 2, 3));
    BAD(a64_dp3(e, A64_ADD_X, 0, 1, 2, 3));
    BAD(a64_csel(e, 1, 0, 1, 2, A64_AL));
    BAD(a64_cset(e, 1, 0, A64_NV));
    BAD(a64_cinc(e, 1, 0, A64_ZR, A64_EQ));
    BAD(a64_ldst_uoff(e, A64_LDR_X, 0, 1, 4));
    BAD(a64_ldst_uoff(e, A64_LDR_X, 0, 1, -8));
    BAD(a64_ldst_uoff(e, A64_LDR_X, 0, 1, 32768));
    BAD(a64_ldst_uoff(e, A64_LDR_W, 0, 1, 16384));
    BAD(a64_ldst_uoff(e, A64_LDRB, 0, 1, 4096));
    BAD(a64_ldst_uoff(e, A64_LDR_X, 0, A64_ZR, 0));
    BAD(a64_ldst_uoff(e, A64_LDR_X, A64_SP, 1, 0));
    BAD(a64_ldst_uoff(e, A64_LDR_D, 32, 1, 0));
    BAD(a64_ldst_uoff(e, A64_LDR_X_U, 0, 1, 0));
    BAD(a64_ldst_unsc(e, A64_LDR_X_U, 0, 1, 256));
    BAD(a64_ldst_unsc(e, A64_LDR_X_U, 0, 1, -257));
    BAD(a64_ldst(e, A64_LDR_X, 0, 1, -300));
    BAD(a64_ldst(e, A64_LDR_X, 0, 1, 32768));
    BAD(a64_ldst_roff(e, A64_LDR_X_R, 0, 1, A64_ZR, A64_IDX_LSL, 0));
    BAD(a64_ldst_roff(e, A64_LDR_X_R, 0, 1, 2, (enum a64_idxext)7, 0));
    BAD(a64_ldst_roff(e, A64_LDR_X_R, 0, 1, 2, A64_IDX_LSL, 2));
    BAD(a64_ldstp(e, A64_STP_X, 0, 1, A64_SP, 4));
    BAD(a64_ldstp(e, A64_STP_X, 0, 1, A64_SP, 512));
    BAD(a64_ldstp(e, A64_STP_X, 0, 1, A64_SP, -520));
    BAD(a64_ldstp(e, A64_LDP_X, 3, 3, A64_SP, 0));
    BAD(a64_ldstp(e, A64_LDP_D, 3, 3, A64_SP, 0));
    BAD(a64_ldstp(e, A64_STP_X_PRE, 0, 1, 0, -16));
    BAD(a64_ldstp(e, A64_LDP_X_POST, 0, 1, 1, 16));
    BAD(a64_ldstp(e, A64_STP_X, A64_SP, 1, 2, 0));
    BAD(a64_b(e, 2));
    BAD(a64_b(e, 134217728));
    BAD(a64_bl(e, -134217732));
    BAD(a64_bcond(e, A64_NV, 0));
    BAD(a64_bcond(e, A64_EQ, 1048576));
    BAD(a64_cbz(e, 1, 0, -1048580));
    BAD(a64_cbz(e, 1, A64_SP, 0));
    BAD(a64_tbz(e, 0, 64, 0));
    BAD(a64_tbnz(e, 0, 1, 32768));
    BAD(a64_tbnz(e, 0, 1, 6));
    BAD(a64_breg(e, A64_BLR, 0));
    BAD(a64_breg(e, A64_BR, 17));
    BAD(a64_breg(e, A64_RET, 0));
    BAD(a64_breg(e, A64_B, 16));
    BAD(a64_branch_retarget(e, A64_NOP_WORD, 0));
    BAD(a64_branch_retarget(e, a64_tbz(e, 0, 1, 0), 32768));
    BAD(a64_barrier(e, A64_NOP));
    BAD(a64_dc_cvau(e, A64_ZR));
    BAD(a64_ic_ivau(e, 40));
    BAD(a64_sysreg(e, A64_DC_CVAU, 0));
    BAD(a64_fadd(e, 32, 0, 0));
    BAD(a64_fp_dp2(e, A64_FMOV_D, 0, 1, 2));
    BAD(a64_fcsel(e, 0, 1, 2, A64_AL));
    BAD(a64_fp_int(e, A64_SCVTF_D_X, 0, A64_SP));
    BAD(a64_fp_int(e, A64_FADD_D, 0, 1));
    BAD(a64_mov_sp(e, 1, 0, 1));
    BAD(a64_negs(e, 1, A64_ZR, 1));
#undef BAD
    /* the error is sticky: the first message survives later good and bad calls */
    struct a64_err s = {0, 0, 0};
    a64_b(&s, 3);
    const char *first = s.what;
    a64_add_imm(&s, 1, 0, 1, 1);
    a64_movz(&s, 0, 0, 1, 48);
    CHECK(s.code && s.what == first && s.count == 2, "sticky error: %s (%u)", s.what, s.count);
}

/* ---- filter: buffers ------------------------------------------------------------ */
#define XADDR 0x400000000ull
#define H_NEAR (XADDR + 0x100000)
#define H_FAR 0x7f0012345678ull

struct fn {
    uint32_t w[64];
    int n;
};

/* A function using helper calls near and far, loops and forward branches. */
static void build_good(struct fn *f) {
    struct a64_err err = {0, 0, 0}, *e = &err;
    uint32_t *w = f->w;
    int i = 0;
    w[i++] = a64_ldstp(e, A64_STP_X_PRE, 29, 30, A64_SP, -32);       /* 0 */
    w[i++] = a64_mov_sp(e, 1, 29, A64_SP);                           /* 1 */
    w[i++] = a64_ldstp(e, A64_STP_X, 19, 20, A64_SP, 16);            /* 2 */
    w[i++] = a64_mov(e, 1, 19, 0);                                   /* 3 */
    w[i++] = a64_cbz(e, 1, 0, (20 - 4) * 4);                         /* 4 */
    w[i++] = a64_movz(e, 1, A64_IP0, H_FAR & 0xffff, 0);             /* 5 */
    w[i++] = a64_movk(e, 1, A64_IP0, (H_FAR >> 16) & 0xffff, 16);    /* 6 */
    w[i++] = a64_movk(e, 1, A64_IP0, (H_FAR >> 32) & 0xffff, 32);    /* 7 */
    w[i++] = a64_blr_x16(e);                                         /* 8 */
    w[i++] = a64_bl(e, (int64_t)(H_NEAR - (XADDR + 9 * 4)));         /* 9 */
    w[i++] = a64_subs_imm(e, 1, 19, 19, 1);                          /* 10 */
    w[i++] = a64_bcond(e, A64_NE, (10 - 11) * 4);                    /* 11 */
    w[i++] = a64_tbz(e, 19, 3, (14 - 12) * 4);                       /* 12 */
    w[i++] = a64_add_imm(e, 1, 0, 0, 1);                             /* 13 */
    w[i++] = a64_cmp_imm(e, 1, 0, 5);                                /* 14 */
    w[i++] = a64_bcond(e, A64_LE, (17 - 15) * 4);                    /* 15 */
    w[i++] = a64_nop();                                              /* 16 */
    w[i++] = a64_b(e, (20 - 17) * 4);                                /* 17 */
    w[i++] = a64_brk_trap();                                         /* 18 */
    w[i++] = a64_brk_trap();                                         /* 19 */
    w[i++] = a64_ldstp(e, A64_LDP_X, 19, 20, A64_SP, 16);            /* 20 */
    w[i++] = a64_ldstp(e, A64_LDP_X_POST, 29, 30, A64_SP, 32);       /* 21 */
    w[i++] = a64_ret(e);                                             /* 22 */
    f->n = i;
    CHECK(err.code == 0, "building the good function: %s", err.what);
}

static int run_filter(const struct fn *f, int nhelpers, struct a64_filter_result *r) {
    static const uint64_t helpers[] = {H_NEAR, H_FAR};
    uint8_t bytes[sizeof f->w];
    for (int i = 0; i < f->n; i++) a64_store_word(bytes + 4 * i, f->w[i]);
    return a64_filter_check(&IX, bytes, (size_t)f->n * 4, XADDR, helpers, (size_t)nhelpers, r);
}

static const uint32_t forbidden[] = {
    0xD4000001, /* svc #0 */
    0xD4000021, /* svc #1 */
    0xD4000002, /* hvc #0 */
    0xD4000003, /* smc #0 */
    0xD4400000, /* hlt #0 */
    0xD4A00001, /* dcps1 */
    0xD4A00003, /* dcps3 */
    0xD69F03E0, /* eret */
    0xD6BF03E0, /* drps */
    0xD4200000, /* brk #0 */
    0xD4200020, /* brk #1 */
    0xD43E0000, /* brk #0xf000 */
    0x00000000, /* udf #0 */
    0xD61F0000, /* br x0 */
    0xD63F0020, /* blr x1 */
    0xD63F0220, /* blr x17 */
    0xD65F0020, /* ret x1 */
    0xD65F0BFF, /* retaa */
    0xD71F0A1F, /* braaz x16 */
    0xD5380000, /* mrs x0, midr_el1 */
    0xD51BD040, /* msr tpidr_el0, x0 */
    0xD51B4400, /* msr fpcr, x0 */
    0xD53BE040, /* mrs x0, cntvct_el0 */
    0xD5184000, /* msr spsr_el1, x0 */
    0xD50041BF, /* msr spsel, #1 */
    0xD50346DF, /* msr daifset, #6 */
    0xD50B7420, /* dc zva, x0 */
    0xD50B7E20, /* dc civac, x0 */
    0xD508751F, /* ic iallu */
    0xD508871F, /* tlbi vmalle1 */
    0xD5087800, /* at s1e1r, x0 */
    0xD503207F, /* wfi */
    0xD503205F, /* wfe */
    0xD503245F, /* bti c */
    0xD503233F, /* paciasp */
    0xD503305F, /* clrex */
    0xD5033F9F, /* dsb sy */
    0x58000000, /* ldr x0, literal */
    0x10000000, /* adr x0, . */
    0x90000000, /* adrp x0, . */
    0xC85FFC00, /* ldaxr x0, [x0] */
    0xC800FC00, /* stlxr w0, x0, [x0] */
    0xC8A07C00, /* cas x0, x0, [x0] */
    0xF8200020, /* ldadd x0, x0, [x1] */
    0x04200000, /* sve add z0.b, z0.b, z0.b */
    0x4E208400, /* add v0.16b, v0.16b, v0.16b (SIMD) */
    0xF8400C20, /* ldr x0, [x1, #0]! (pre-index) */
    0xF9800020, /* prfm pldl1keep, [x1] */
    0xA9C00420, /* ldp x0, x1, [x1, #0]! (writeback to a data register) */
    0xA9400000, /* ldp x0, x0, [x0] (Rt == Rt2) */
    0x8BC20020, /* add x0, x1, x2, ror #0 (reserved) */
    0x12800000 | (1u << 22), /* movn w0, #0, lsl #32 (reserved hw on W) */
    0xD3400C20, /* ubfx x0, x1, #0, #4 (not one of our bitfield forms) */
    0x92400000 | 0x3F << 10, /* and x0, x0, #~0 (reserved bitmask) */
    0x9200043F, /* and sp, x1, #3 (writes SP) */
    0x9A9F0000 | (14u << 12), /* csel x0, x0, xzr, al */
    0x5400000F, /* b.nv */
};

/* Valid, encodable words the filter must refuse inside a function body. */
static const uint32_t body_forbidden[] = {
    0xD61F0200, /* br x16 */
    0xD51B4420, /* msr fpsr, x0 */
    0xD51B4200, /* msr nzcv, x0 */
    0xD53B0020, /* mrs x0, ctr_el0 */
    0xD53BD040, /* mrs x0, tpidr_el0 */
    0xD50B7B20, /* dc cvau, x0 */
    0xD50B7520, /* ic ivau, x0 */
    0xD5033BBF, /* dmb ish */
    0xD5033B9F, /* dsb ish */
    0xD5033FDF, /* isb */
    0xAA0003FE, /* mov x30, x0 */
    0xF940001E, /* ldr x30, [x0] */
    0x914007BE, /* add x30, x29, #1 */
    0x9E66001E, /* fmov x30, d0 */
    0xA9407BE0, /* ldp x0, x30, [sp] */
    0x9100001F, /* mov sp, x0 */
    0x910023FF, /* add sp, sp, #8 (misaligns sp) */
    0xCB2063FF, /* sub sp, sp, x0 */
    0xA9BF07E0, /* stp x0, x1, [sp, #-16]! */
    0xF90007E0, /* str x0, [sp, #8] (saved-lr slot) */
    0xF90007A0, /* str x0, [x29, #8] */
    0xA9000BE1, /* stp x1, x2, [sp] (covers the saved-lr slot) */
};
/* The frame forms the lowering emits (a64_backend.c prologue/epilogue/probes). */
static const uint32_t body_allowed[] = {
    0xA9BE7BFD, /* stp x29, x30, [sp, #-32]! */
    0xA8C27BFD, /* ldp x29, x30, [sp], #32 */
    0xA9007BFD, /* stp x29, x30, [sp] */
    0xA9407BFD, /* ldp x29, x30, [sp] */
    0xD14007FF, /* sub sp, sp, #1, lsl #12 */
    0x910403FF, /* add sp, sp, #256 */
    0xF90003F0, /* str x16, [sp] (stack probe) */
    0x910003FD, /* mov x29, sp */
    0xF9000BF3, /* str x19, [sp, #16] */
};

static void test_filter_buffers(void) {
    struct fn good, f;
    struct a64_filter_result r;
    build_good(&good);
    CHECK(run_filter(&good, 2, &r) == 0, "good function refused: %s", r.msg);
    CHECK(run_filter(&good, 0, &r) != 0, "unregistered helpers accepted");
    CHECK(run_filter(&good, 1, &r) != 0 && r.offset == 8 * 4, "far helper unregistered: %s", r.msg);

    /* forbidden words, overwritten or inserted at random positions */
    size_t nforb = sizeof forbidden / sizeof forbidden[0];
    for (size_t k = 0; k < nforb; k++) {
        const char *why;
        CHECK(a64_check_word(&IX, forbidden[k], &why) < 0, "forbidden %08x accepted", forbidden[k]);
        for (int rep = 0; rep < 8; rep++) {
            int pos = (int)(rnd64() % (uint64_t)good.n);
            f = good;
            f.w[pos] = forbidden[k];
            CHECK(run_filter(&f, 2, &r) != 0 && r.offset == (size_t)pos * 4 && r.word == forbidden[k],
                  "overwrite %08x at %d: rc/offset %zu %s", forbidden[k], pos, r.offset, r.msg);
            /* insertion (outside the helper sequence so nothing else breaks first) */
            do pos = (int)(rnd64() % (uint64_t)(good.n + 1));
            while (pos >= 6 && pos <= 8);
            f.n = good.n + 1;
            memcpy(f.w, good.w, (size_t)pos * 4);
            f.w[pos] = forbidden[k];
            memcpy(f.w + pos + 1, good.w + pos, (size_t)(good.n - pos) * 4);
            CHECK(run_filter(&f, 2, &r) != 0 && r.offset == (size_t)pos * 4,
                  "insert %08x at %d: %s", forbidden[k], pos, r.msg);
        }
    }

    /* valid forms the lowering never emits, and writes to x30/sp (review R1/R2):
     * a64_check_word accepts them, the filter refuses them in a body */
    size_t nbody = sizeof body_forbidden / sizeof body_forbidden[0];
    for (size_t k = 0; k < nbody; k++) {
        const char *why = NULL;
        CHECK(a64_check_word(&IX, body_forbidden[k], &why) >= 0, "body-forbidden %08x not even valid: %s",
              body_forbidden[k], why);
        CHECK(a64_filter_word(&IX, body_forbidden[k], &why) < 0, "body-forbidden %08x accepted", body_forbidden[k]);
        for (int rep = 0; rep < 8; rep++) {
            int pos = (int)(rnd64() % (uint64_t)good.n);
            f = good;
            f.w[pos] = body_forbidden[k];
            CHECK(run_filter(&f, 2, &r) != 0 && r.offset == (size_t)pos * 4 && r.word == body_forbidden[k],
                  "overwrite %08x at %d: offset %zu %s", body_forbidden[k], pos, r.offset, r.msg);
        }
    }
    for (size_t k = 0; k < sizeof body_allowed / sizeof body_allowed[0]; k++) {
        const char *why = NULL;
        CHECK(a64_filter_word(&IX, body_allowed[k], &why) >= 0, "frame form %08x refused: %s", body_allowed[k], why);
    }

    struct a64_err err = {0, 0, 0}, *e = &err;
    /* direct branch targets */
    static const struct { int at; uint32_t w; int ok; const char *what; } br[] = {
        {15, 0, 0, "b.le one past the end"},
        {15, 0, 0, "b.le before the start"},
        {4, 0, 0, "cbz far outside"},
        {12, 0, 0, "tbz into movk of the helper sequence"},
        {12, 0, 0, "tbz onto the blr x16"},
        {12, 0, 1, "tbz onto the movz (sequence start)"},
        {17, 0, 0, "b out of the function to a registered helper (no tail calls)"},
        {17, 0, 0, "b to an unregistered address"},
        {9, 0, 0, "bl to an unregistered address"},
        {9, 0, 0, "bl inside the function"},
        {17, 0, 1, "b to the last word"},
    };
    uint32_t bw[11];
    bw[0] = a64_bcond(e, A64_LE, (23 - 15) * 4);
    bw[1] = a64_bcond(e, A64_LE, (-1 - 15) * 4);
    bw[2] = a64_cbz(e, 1, 0, 4096);
    bw[3] = a64_tbz(e, 19, 3, (7 - 12) * 4);
    bw[4] = a64_tbz(e, 19, 3, (8 - 12) * 4);
    bw[5] = a64_tbz(e, 19, 3, (5 - 12) * 4);
    bw[6] = a64_b(e, (int64_t)(H_NEAR - (XADDR + 17 * 4)));
    bw[7] = a64_b(e, (int64_t)(H_NEAR + 4 - (XADDR + 17 * 4)));
    bw[8] = a64_bl(e, (int64_t)(H_NEAR + 8 - (XADDR + 9 * 4)));
    bw[9] = a64_bl(e, -8);
    bw[10] = a64_b(e, (22 - 17) * 4);
    CHECK(err.code == 0, "branch cases: %s", err.what);
    for (int k = 0; k < 11; k++) {
        f = good;
        f.w[br[k].at] = bw[k];
        int rc = run_filter(&f, 2, &r);
        CHECK((rc == 0) == br[k].ok, "%s: rc %d %s", br[k].what, rc, r.msg);
        if (!br[k].ok) CHECK(r.offset == (size_t)br[k].at * 4, "%s: offset %zu", br[k].what, r.offset);
    }

    /* helper-call sequence shape */
    f = good;
    f.w[5] = a64_nop();
    CHECK(run_filter(&f, 2, &r) != 0 && r.offset == 8 * 4, "blr without movz: %s", r.msg);
    f = good;
    f.w[5] = a64_movz(e, 1, 17, H_FAR & 0xffff, 0);
    CHECK(run_filter(&f, 2, &r) != 0, "movz to x17 accepted");
    f = good;
    f.w[6] = a64_movk(e, 1, A64_IP0, ((H_FAR >> 16) + 1) & 0xffff, 16);
    CHECK(run_filter(&f, 2, &r) != 0 && strstr(r.msg, "unregistered"), "wrong helper value: %s", r.msg);
    f = good;
    f.w[6] = a64_movk(e, 0, A64_IP0, (H_FAR >> 16) & 0xffff, 16); /* movk w16 */
    CHECK(run_filter(&f, 2, &r) != 0, "movk w16 in the sequence accepted");
    f = good; /* movz + 4 movk: too long */
    memmove(f.w + 6, f.w + 5, (size_t)(f.n - 5) * 4);
    f.n++;
    f.w[5] = a64_movz(e, 1, A64_IP0, 0, 0);
    f.w[6] = a64_movk(e, 1, A64_IP0, H_FAR & 0xffff, 0);
    f.w[8] = a64_movk(e, 1, A64_IP0, (H_FAR >> 32) & 0xffff, 32);
    f.w[7] = a64_movk(e, 1, A64_IP0, (H_FAR >> 16) & 0xffff, 16);
    /* fix the moved branches' offsets is unnecessary for this rejection */
    CHECK(run_filter(&f, 2, &r) != 0, "five-word sequence accepted");
    f = good;
    f.w[8] = a64_br_x16(e); /* br x16 to a helper: the lowering never emits it */
    CHECK(run_filter(&f, 2, &r) != 0 && r.offset == 8 * 4, "br x16 to a helper accepted");

    /* execution must not run off the end; size and alignment */
    f = good;
    f.n--;
    CHECK(run_filter(&f, 2, &r) != 0 && r.offset == (size_t)(f.n - 1) * 4, "falls off the end");
    uint8_t bytes[256];
    for (int i = 0; i < good.n; i++) a64_store_word(bytes + 4 * i, good.w[i]);
    static const uint64_t hs[] = {H_NEAR, H_FAR};
    CHECK(a64_filter_check(&IX, bytes, (size_t)good.n * 4 - 2, XADDR, hs, 2, &r) != 0, "odd length");
    CHECK(a64_filter_check(&IX, bytes, (size_t)good.n * 4, XADDR + 2, hs, 2, &r) != 0, "misaligned");
    CHECK(a64_filter_check(&IX, bytes, 0, XADDR, hs, 2, &r) != 0, "empty");
    CHECK(a64_filter_check(NULL, bytes, (size_t)good.n * 4, XADDR, hs, 2, &r) == 0,
          "NULL index: %s", r.msg);
    CHECK(err.code == 0, "filter cases: %s", err.what);
}

/* Every listed non-branch form the filter allows in a body (a64_filter_word) in one
 * straight-line function is accepted; every
 * listed word passes the per-word check. */
struct list_ctx {
    uint8_t *buf;
    size_t n, refused;
};
static void add_listed(void *ud, uint32_t w, const char *text) {
    struct list_ctx *c = ud;
    const char *why = NULL;
    int f = a64_check_word(&IX, w, &why);
    CHECK(f >= 0, "listed %08x %s refused: %s", w, text, why);
    if (f < 0) return;
    if (a64_filter_word(&IX, w, NULL) < 0) {
        c->refused++; /* encode-only form or an x30/sp write: refused in a body */
        return;
    }
    int cls = a64_forms[f].cls;
    if (cls == A64_C_BIMM || cls == A64_C_BCOND || cls == A64_C_CB || cls == A64_C_TB ||
        cls == A64_C_BREG)
        return;
    a64_store_word(c->buf + 4 * c->n++, w);
}
static void test_listed_forms(void) {
    static uint8_t buf[4 * 1024];
    struct list_ctx c = {buf, 0, 0};
    int n = a64_encodings(add_listed, &c);
    CHECK(n >= 200, "only %d forms listed", n);
    struct a64_err err = {0, 0, 0};
    a64_store_word(buf + 4 * c.n++, a64_ret(&err));
    struct a64_filter_result r;
    CHECK(a64_filter_check(&IX, buf, c.n * 4, XADDR, NULL, 0, &r) == 0, "listed forms: %s", r.msg);
    CHECK(c.refused >= 20 && c.refused < (size_t)n / 4, "%zu listed forms refused in a body", c.refused);
    printf("listed forms: %d (%zu straight-line words accepted, %zu refused in a body)\n", n, c.n, c.refused);
}

int main(void) {
    a64_index_init(&IX);
    test_tables();
    test_bitmask();
    test_bad_operands();
    test_filter_buffers();
    test_listed_forms();
    printf("%s (%d failures)\n", failures ? "FAILED" : "ok", failures);
    return failures ? 1 : 0;
}
