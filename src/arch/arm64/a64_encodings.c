/* arch/arm64/a64_encodings.c — every instruction form the A64 encoder can emit,
 * with representative and boundary operands.
 *
 * Each entry pairs an encoder call with the assembly text we INTEND it to
 * produce, written by hand in standard ARM syntax (the preferred alias, as
 * llvm-mc prints it). The text is not produced by our disassembler: the tests
 * check every pair against llvm-mc-14 (disassemble the word, and assemble the
 * text back to the same word), and separately compare our disassembler with
 * llvm-mc.
 */
#include <stdio.h>

#include "arch/arm64/a64.h"

#define X 1
#define W 0
#define SP A64_SP
#define ZR A64_ZR

int a64_encodings(a64_encodings_cb cb, void *ud) {
    struct a64_err err = {0, 0, 0};
    struct a64_err *e = &err;
    int n = 0;
#define E(expr, text)            \
    do {                         \
        uint32_t w_ = (expr);    \
        if (cb) cb(ud, w_, text); \
        n++;                     \
    } while (0)

    /* ---- add/sub immediate ---- */
    E(a64_add_imm(e, X, 0, 1, 0), "add x0, x1, #0");
    E(a64_add_imm(e, X, 0, 1, 4095), "add x0, x1, #4095");
    E(a64_add_imm(e, X, 30, 29, 4096), "add x30, x29, #1, lsl #12");
    E(a64_add_imm(e, X, 0, 1, 4095u << 12), "add x0, x1, #4095, lsl #12");
    E(a64_add_imm(e, X, SP, SP, 16), "add sp, sp, #16");
    E(a64_add_imm(e, W, 0, 1, 1), "add w0, w1, #1");
    E(a64_add_imm(e, W, SP, SP, 4095), "add wsp, wsp, #4095");
    E(a64_mov_sp(e, X, 29, SP), "mov x29, sp");
    E(a64_mov_sp(e, X, SP, 0), "mov sp, x0");
    E(a64_mov_sp(e, W, 0, SP), "mov w0, wsp");
    E(a64_adds_imm(e, X, 0, 1, 1), "adds x0, x1, #1");
    E(a64_adds_imm(e, W, 30, 0, 4095), "adds w30, w0, #4095");
    E(a64_adds_imm(e, X, 0, SP, 8), "adds x0, sp, #8");
    E(a64_sub_imm(e, X, SP, SP, 4095u << 12), "sub sp, sp, #4095, lsl #12");
    E(a64_sub_imm(e, X, 0, 1, 7), "sub x0, x1, #7");
    E(a64_sub_imm(e, W, 2, 3, 0), "sub w2, w3, #0");
    E(a64_sub_imm(e, X, SP, SP, 32), "sub sp, sp, #32");
    E(a64_subs_imm(e, X, 0, 1, 1), "subs x0, x1, #1");
    E(a64_subs_imm(e, W, 0, 1, 4095u << 12), "subs w0, w1, #4095, lsl #12");
    E(a64_cmp_imm(e, X, 1, 3), "cmp x1, #3");
    E(a64_cmp_imm(e, W, 30, 4095), "cmp w30, #4095");
    E(a64_cmp_imm(e, X, SP, 0), "cmp sp, #0");
    E(a64_cmn_imm(e, X, 1, 1), "cmn x1, #1");
    E(a64_cmn_imm(e, W, 0, 4096), "cmn w0, #1, lsl #12");

    /* ---- add/sub shifted register ---- */
    E(a64_add(e, X, 0, 1, 2), "add x0, x1, x2");
    E(a64_addsub_shift(e, A64_ADD_X, 0, 1, 2, A64_LSL, 63), "add x0, x1, x2, lsl #63");
    E(a64_addsub_shift(e, A64_ADD_W, 0, 1, 2, A64_LSR, 31), "add w0, w1, w2, lsr #31");
    E(a64_addsub_shift(e, A64_ADD_X, 30, ZR, 30, A64_ASR, 7), "add x30, xzr, x30, asr #7");
    E(a64_adds(e, X, 0, 1, 2), "adds x0, x1, x2");
    E(a64_addsub_shift(e, A64_ADDS_W, 0, 1, 2, A64_ASR, 3), "adds w0, w1, w2, asr #3");
    E(a64_sub(e, X, 0, 1, 2), "sub x0, x1, x2");
    E(a64_addsub_shift(e, A64_SUB_W, 0, 1, 2, A64_LSL, 1), "sub w0, w1, w2, lsl #1");
    E(a64_subs(e, X, 0, 1, 2), "subs x0, x1, x2");
    E(a64_subs(e, W, 3, 4, 5), "subs w3, w4, w5");
    E(a64_cmp(e, X, 0, 1), "cmp x0, x1");
    E(a64_addsub_shift(e, A64_SUBS_W, ZR, 0, 1, A64_LSL, 2), "cmp w0, w1, lsl #2");
    E(a64_cmn(e, X, 0, 1), "cmn x0, x1");
    E(a64_cmn(e, W, 30, ZR), "cmn w30, wzr");
    E(a64_neg(e, X, 0, 1), "neg x0, x1");
    E(a64_addsub_shift(e, A64_SUB_W, 0, ZR, 1, A64_LSL, 3), "neg w0, w1, lsl #3");
    E(a64_negs(e, X, 0, 1), "negs x0, x1");

    /* ---- add/sub extended register ---- */
    E(a64_addsub_ext(e, A64_ADD_X_EXT, 0, 1, 2, A64_SXTW, 0), "add x0, x1, w2, sxtw");
    E(a64_addsub_ext(e, A64_ADD_X_EXT, 0, 1, 2, A64_SXTW, 3), "add x0, x1, w2, sxtw #3");
    E(a64_addsub_ext(e, A64_ADD_X_EXT, 0, 1, 2, A64_UXTW, 2), "add x0, x1, w2, uxtw #2");
    E(a64_addsub_ext(e, A64_ADD_X_EXT, 0, 1, 2, A64_UXTX, 4), "add x0, x1, x2, uxtx #4");
    E(a64_addsub_ext(e, A64_ADD_X_EXT, 0, 1, 2, A64_SXTX, 0), "add x0, x1, x2, sxtx");
    E(a64_addsub_ext(e, A64_ADD_X_EXT, 0, 1, 2, A64_UXTB, 0), "add x0, x1, w2, uxtb");
    E(a64_addsub_ext(e, A64_ADD_X_EXT, 0, 1, 2, A64_UXTH, 1), "add x0, x1, w2, uxth #1");
    E(a64_addsub_ext(e, A64_ADD_X_EXT, 0, 1, 2, A64_SXTB, 0), "add x0, x1, w2, sxtb");
    E(a64_addsub_ext(e, A64_ADD_X_EXT, 0, 1, 2, A64_SXTH, 1), "add x0, x1, w2, sxth #1");
    E(a64_addsub_ext(e, A64_ADD_X_EXT, 0, SP, 1, A64_UXTX, 0), "add x0, sp, x1");
    E(a64_addsub_ext(e, A64_ADD_X_EXT, SP, SP, 1, A64_UXTX, 3), "add sp, sp, x1, lsl #3");
    E(a64_addsub_ext(e, A64_ADD_X_EXT, 0, SP, 1, A64_SXTW, 0), "add x0, sp, w1, sxtw");
    E(a64_addsub_ext(e, A64_ADD_W_EXT, 0, 1, 2, A64_UXTB, 0), "add w0, w1, w2, uxtb");
    E(a64_addsub_ext(e, A64_ADD_W_EXT, 0, SP, 1, A64_UXTW, 0), "add w0, wsp, w1");
    E(a64_addsub_ext(e, A64_ADDS_X_EXT, 0, 1, 2, A64_SXTW, 0), "adds x0, x1, w2, sxtw");
    E(a64_addsub_ext(e, A64_ADDS_W_EXT, 0, 1, 2, A64_SXTH, 0), "adds w0, w1, w2, sxth");
    E(a64_addsub_ext(e, A64_SUB_X_EXT, 0, SP, 1, A64_UXTW, 2), "sub x0, sp, w1, uxtw #2");
    E(a64_addsub_ext(e, A64_SUB_W_EXT, 0, 1, 2, A64_SXTB, 4), "sub w0, w1, w2, sxtb #4");
    E(a64_addsub_ext(e, A64_SUBS_X_EXT, 0, 1, 2, A64_SXTB, 0), "subs x0, x1, w2, sxtb");
    E(a64_addsub_ext(e, A64_SUBS_W_EXT, 0, 1, 2, A64_UXTW, 0), "subs w0, w1, w2, uxtw");
    E(a64_addsub_ext(e, A64_SUBS_X_EXT, ZR, 1, 2, A64_SXTW, 0), "cmp x1, w2, sxtw");
    E(a64_addsub_ext(e, A64_SUBS_X_EXT, ZR, SP, 1, A64_UXTX, 0), "cmp sp, x1");
    E(a64_addsub_ext(e, A64_ADDS_X_EXT, ZR, 0, 1, A64_UXTH, 0), "cmn x0, w1, uxth");

    /* ---- logical shifted register ---- */
    E(a64_and(e, X, 0, 1, 2), "and x0, x1, x2");
    E(a64_logic_shift(e, A64_AND_W, 0, 1, 2, A64_LSL, 31), "and w0, w1, w2, lsl #31");
    E(a64_logic_shift(e, A64_AND_X, 0, 1, 2, A64_ROR, 63), "and x0, x1, x2, ror #63");
    E(a64_bic(e, X, 0, 1, 2), "bic x0, x1, x2");
    E(a64_logic_shift(e, A64_BIC_W, 0, 1, 2, A64_ASR, 4), "bic w0, w1, w2, asr #4");
    E(a64_logic_shift(e, A64_ORR_X, 0, 1, 2, A64_LSR, 1), "orr x0, x1, x2, lsr #1");
    E(a64_orr(e, W, 0, 1, 2), "orr w0, w1, w2");
    E(a64_logic_shift(e, A64_ORR_X, 0, ZR, 1, A64_LSL, 3), "orr x0, xzr, x1, lsl #3");
    E(a64_mov(e, X, 0, 1), "mov x0, x1");
    E(a64_mov(e, X, 30, 29), "mov x30, x29");
    E(a64_mov(e, W, 30, ZR), "mov w30, wzr");
    E(a64_mov(e, X, 0, ZR), "mov x0, xzr");
    E(a64_logic_shift(e, A64_ORN_X, 0, 1, 2, A64_LSL, 0), "orn x0, x1, x2");
    E(a64_mvn(e, X, 0, 1), "mvn x0, x1");
    E(a64_logic_shift(e, A64_ORN_W, 0, ZR, 1, A64_LSL, 4), "mvn w0, w1, lsl #4");
    E(a64_eor(e, X, 0, 1, 2), "eor x0, x1, x2");
    E(a64_logic_shift(e, A64_EOR_W, 0, 1, 2, A64_ROR, 5), "eor w0, w1, w2, ror #5");
    E(a64_ands(e, X, 0, 1, 2), "ands x0, x1, x2");
    E(a64_ands(e, W, 0, 1, 2), "ands w0, w1, w2");
    E(a64_tst(e, X, 0, 1), "tst x0, x1");
    E(a64_logic_shift(e, A64_ANDS_W, ZR, 0, 1, A64_LSL, 2), "tst w0, w1, lsl #2");

    /* ---- logical immediate (bitmask immediates) ---- */
    E(a64_and_imm(e, X, 0, 1, 0xff), "and x0, x1, #0xff");
    E(a64_and_imm(e, W, 0, 1, 0xff), "and w0, w1, #0xff");
    E(a64_and_imm(e, X, 0, 1, 1), "and x0, x1, #0x1");
    E(a64_and_imm(e, X, 0, 1, 0x8000000000000000ull), "and x0, x1, #0x8000000000000000");
    E(a64_and_imm(e, X, 0, 1, 0x7fffffffffffffffull), "and x0, x1, #0x7fffffffffffffff");
    E(a64_and_imm(e, X, 0, 1, 0xfffffffffffffffeull), "and x0, x1, #0xfffffffffffffffe");
    E(a64_and_imm(e, W, 0, 1, 0x80000000u), "and w0, w1, #0x80000000");
    E(a64_and_imm(e, W, 0, 1, 0x7fffffffu), "and w0, w1, #0x7fffffff");
    E(a64_and_imm(e, X, 0, 1, 0x5555555555555555ull), "and x0, x1, #0x5555555555555555");
    E(a64_and_imm(e, X, 0, 1, 0xaaaaaaaaaaaaaaaaull), "and x0, x1, #0xaaaaaaaaaaaaaaaa");
    E(a64_and_imm(e, X, 0, 1, 0x0f0f0f0f0f0f0f0full), "and x0, x1, #0xf0f0f0f0f0f0f0f");
    E(a64_and_imm(e, X, 0, 1, 0xffff0000ffff0000ull), "and x0, x1, #0xffff0000ffff0000");
    E(a64_and_imm(e, X, 0, 1, 0x00000000ffffffffull), "and x0, x1, #0xffffffff");
    E(a64_and_imm(e, X, 0, 1, 0xffffffff00000000ull), "and x0, x1, #0xffffffff00000000");
    E(a64_and_imm(e, X, 0, 1, 0x8000000000000001ull), "and x0, x1, #0x8000000000000001");
    E(a64_and_imm(e, W, 0, 1, 0x3c3c3c3cu), "and w0, w1, #0x3c3c3c3c");
    E(a64_and_imm(e, W, 0, 1, 0x55555555u), "and w0, w1, #0x55555555");
    E(a64_and_imm(e, W, 30, ZR, 0x80000001u), "and w30, wzr, #0x80000001");
    E(a64_orr_imm(e, X, 0, 1, 0xff00), "orr x0, x1, #0xff00");
    E(a64_orr_imm(e, W, 0, 1, 1), "orr w0, w1, #0x1");
    E(a64_orr_imm(e, X, 0, ZR, 0xff), "orr x0, xzr, #0xff");
    E(a64_orr_imm(e, W, 0, ZR, 0xffff0000u), "orr w0, wzr, #0xffff0000");
    E(a64_orr_imm(e, X, 0, ZR, 0xfffffffffffffffeull), "orr x0, xzr, #0xfffffffffffffffe");
    E(a64_orr_imm(e, X, 0, ZR, 0x5555555555555555ull), "mov x0, #6148914691236517205");
    E(a64_orr_imm(e, X, 0, ZR, 0xaaaaaaaaaaaaaaaaull), "mov x0, #-6148914691236517206");
    E(a64_orr_imm(e, W, 0, ZR, 0x55555555u), "mov w0, #1431655765");
    E(a64_orr_imm(e, W, 0, ZR, 0xf0f0f0f0u), "mov w0, #-252645136");
    E(a64_eor_imm(e, X, 0, 1, 1), "eor x0, x1, #0x1");
    E(a64_eor_imm(e, W, 0, 1, 0xfffffffeu), "eor w0, w1, #0xfffffffe");
    E(a64_ands_imm(e, X, 0, 1, 0xf0), "ands x0, x1, #0xf0");
    E(a64_ands_imm(e, W, 0, 1, 7), "ands w0, w1, #0x7");
    E(a64_tst_imm(e, X, 0, 1), "tst x0, #0x1");
    E(a64_tst_imm(e, W, 0, 0x80000000u), "tst w0, #0x80000000");
    E(a64_tst_imm(e, X, 30, 0xffffffffull), "tst x30, #0xffffffff");

    /* ---- move wide ---- */
    E(a64_movz(e, X, 0, 0, 0), "mov x0, #0");
    E(a64_movz(e, X, 0, 0xffff, 0), "mov x0, #65535");
    E(a64_movz(e, X, 0, 1, 16), "mov x0, #65536");
    E(a64_movz(e, X, 0, 1, 32), "mov x0, #4294967296");
    E(a64_movz(e, X, 16, 0xffff, 48), "mov x16, #-281474976710656");
    E(a64_movz(e, X, 0, 0, 16), "movz x0, #0, lsl #16");
    E(a64_movz(e, X, 0, 0, 48), "movz x0, #0, lsl #48");
    E(a64_movz(e, W, 0, 0xffff, 0), "mov w0, #65535");
    E(a64_movz(e, W, 0, 0xffff, 16), "mov w0, #-65536");
    E(a64_movz(e, W, 0, 0, 16), "movz w0, #0, lsl #16");
    E(a64_movz(e, X, ZR, 5, 0), "mov xzr, #5");
    E(a64_movn(e, X, 0, 0, 0), "mov x0, #-1");
    E(a64_movn(e, X, 0, 0xffff, 0), "mov x0, #-65536");
    E(a64_movn(e, X, 0, 0xffff, 16), "mov x0, #-4294901761");
    E(a64_movn(e, X, 0, 0, 16), "movn x0, #0, lsl #16");
    E(a64_movn(e, X, 0, 0x1234, 48), "mov x0, #-1311673391471656961");
    E(a64_movn(e, W, 0, 0, 0), "mov w0, #-1");
    E(a64_movn(e, W, 0, 1, 0), "mov w0, #-2");
    E(a64_movn(e, W, 0, 0xffff, 0), "movn w0, #65535");
    E(a64_movn(e, W, 0, 0, 16), "movn w0, #0, lsl #16");
    E(a64_movk(e, X, 0, 0x1234, 0), "movk x0, #4660");
    E(a64_movk(e, X, 0, 0xffff, 48), "movk x0, #65535, lsl #48");
    E(a64_movk(e, X, 16, 0xbeef, 32), "movk x16, #48879, lsl #32");
    E(a64_movk(e, X, 16, 0, 16), "movk x16, #0, lsl #16");
    E(a64_movk(e, W, 0, 1, 16), "movk w0, #1, lsl #16");
    E(a64_movk(e, W, 30, 0xffff, 0), "movk w30, #65535");

    /* ---- shifts and extends by immediate (UBFM/SBFM aliases) ---- */
    E(a64_lsl_imm(e, X, 0, 1, 1), "lsl x0, x1, #1");
    E(a64_lsl_imm(e, X, 0, 1, 63), "lsl x0, x1, #63");
    E(a64_lsl_imm(e, X, 0, 1, 3), "lsl x0, x1, #3");
    E(a64_lsl_imm(e, W, 0, 1, 31), "lsl w0, w1, #31");
    E(a64_lsl_imm(e, W, 0, 1, 1), "lsl w0, w1, #1");
    E(a64_lsl_imm(e, X, 0, 1, 0), "lsr x0, x1, #0");
    E(a64_lsr_imm(e, X, 0, 1, 1), "lsr x0, x1, #1");
    E(a64_lsr_imm(e, X, 0, 1, 63), "lsr x0, x1, #63");
    E(a64_lsr_imm(e, W, 0, 1, 31), "lsr w0, w1, #31");
    E(a64_lsr_imm(e, W, 0, 1, 0), "lsr w0, w1, #0");
    E(a64_asr_imm(e, X, 0, 1, 1), "asr x0, x1, #1");
    E(a64_asr_imm(e, X, 0, 1, 63), "asr x0, x1, #63");
    E(a64_asr_imm(e, W, 0, 1, 31), "asr w0, w1, #31");
    E(a64_asr_imm(e, W, 0, 1, 0), "asr w0, w1, #0");
    E(a64_sxtb(e, X, 0, 1), "sxtb x0, w1");
    E(a64_sxtb(e, W, 0, 1), "sxtb w0, w1");
    E(a64_sxth(e, X, 0, 1), "sxth x0, w1");
    E(a64_sxth(e, W, 0, 1), "sxth w0, w1");
    E(a64_sxtw(e, 0, 1), "sxtw x0, w1");
    E(a64_sxtw(e, 30, ZR), "sxtw x30, wzr");
    E(a64_uxtb(e, 0, 1), "uxtb w0, w1");
    E(a64_uxth(e, 0, 1), "uxth w0, w1");
    E(a64_uxth(e, 30, 30), "uxth w30, w30");

    /* ---- two-source: division and variable shifts ---- */
    E(a64_udiv(e, X, 0, 1, 2), "udiv x0, x1, x2");
    E(a64_udiv(e, W, 0, 1, 2), "udiv w0, w1, w2");
    E(a64_sdiv(e, X, 0, 1, 2), "sdiv x0, x1, x2");
    E(a64_sdiv(e, W, 30, ZR, 29), "sdiv w30, wzr, w29");
    E(a64_lsl(e, X, 0, 1, 2), "lsl x0, x1, x2");
    E(a64_lsl(e, W, 0, 1, 2), "lsl w0, w1, w2");
    E(a64_lsr(e, X, 0, 1, 2), "lsr x0, x1, x2");
    E(a64_lsr(e, W, 0, 1, 2), "lsr w0, w1, w2");
    E(a64_asr(e, X, 0, 1, 2), "asr x0, x1, x2");
    E(a64_asr(e, W, 0, 1, 2), "asr w0, w1, w2");

    /* ---- multiply ---- */
    E(a64_mul(e, X, 0, 1, 2), "mul x0, x1, x2");
    E(a64_mul(e, W, 0, 1, 2), "mul w0, w1, w2");
    E(a64_madd(e, X, 0, 1, 2, 3), "madd x0, x1, x2, x3");
    E(a64_madd(e, W, 0, 1, 2, 3), "madd w0, w1, w2, w3");
    E(a64_msub(e, X, 0, 1, 2, 3), "msub x0, x1, x2, x3");
    E(a64_msub(e, W, 30, 29, 28, 27), "msub w30, w29, w28, w27");
    E(a64_msub(e, X, 0, 1, 2, ZR), "mneg x0, x1, x2");
    E(a64_smull(e, 0, 1, 2), "smull x0, w1, w2");
    E(a64_dp3(e, A64_SMADDL, 0, 1, 2, 3), "smaddl x0, w1, w2, x3");
    E(a64_umull(e, 0, 1, 2), "umull x0, w1, w2");
    E(a64_dp3(e, A64_UMADDL, 0, 1, 2, 3), "umaddl x0, w1, w2, x3");
    E(a64_smulh(e, 0, 1, 2), "smulh x0, x1, x2");
    E(a64_umulh(e, 30, 29, 28), "umulh x30, x29, x28");

    /* ---- conditional select ---- */
    E(a64_csel(e, X, 0, 1, 2, A64_EQ), "csel x0, x1, x2, eq");
    E(a64_csel(e, W, 0, 1, 2, A64_LE), "csel w0, w1, w2, le");
    E(a64_csel(e, X, 0, ZR, 1, A64_HS), "csel x0, xzr, x1, hs");
    E(a64_csinc(e, X, 0, 1, 2, A64_NE), "csinc x0, x1, x2, ne");
    E(a64_csinc(e, W, 0, 1, ZR, A64_LO), "csinc w0, w1, wzr, lo");
    E(a64_csinv(e, X, 0, 1, 2, A64_LT), "csinv x0, x1, x2, lt");
    E(a64_csneg(e, X, 0, 1, 2, A64_GT), "csneg x0, x1, x2, gt");
    E(a64_csneg(e, W, 0, 1, 2, A64_VC), "csneg w0, w1, w2, vc");
    E(a64_cset(e, W, 0, A64_EQ), "cset w0, eq");
    E(a64_cset(e, X, 0, A64_HI), "cset x0, hi");
    E(a64_cset(e, W, 30, A64_LE), "cset w30, le");
    E(a64_csetm(e, X, 0, A64_LT), "csetm x0, lt");
    E(a64_csetm(e, W, 0, A64_VS), "csetm w0, vs");
    E(a64_cinc(e, X, 0, 1, A64_NE), "cinc x0, x1, ne");
    E(a64_cneg(e, X, 0, 1, A64_MI), "cneg x0, x1, mi");
    E(a64_cneg(e, W, 0, 1, A64_PL), "cneg w0, w1, pl");

    /* ---- loads/stores, unsigned scaled offset ---- */
    E(a64_ldst_uoff(e, A64_STRB, 0, 1, 0), "strb w0, [x1]");
    E(a64_ldst_uoff(e, A64_STRB, 0, SP, 4095), "strb w0, [sp, #4095]");
    E(a64_ldst_uoff(e, A64_LDRB, 0, 1, 1), "ldrb w0, [x1, #1]");
    E(a64_ldst_uoff(e, A64_LDRSB_X, 0, 1, 4095), "ldrsb x0, [x1, #4095]");
    E(a64_ldst_uoff(e, A64_LDRSB_W, 0, 1, 0), "ldrsb w0, [x1]");
    E(a64_ldst_uoff(e, A64_STRH, 0, 1, 8190), "strh w0, [x1, #8190]");
    E(a64_ldst_uoff(e, A64_LDRH, 0, 1, 2), "ldrh w0, [x1, #2]");
    E(a64_ldst_uoff(e, A64_LDRSH_X, 0, 1, 4), "ldrsh x0, [x1, #4]");
    E(a64_ldst_uoff(e, A64_LDRSH_W, 0, 1, 8190), "ldrsh w0, [x1, #8190]");
    E(a64_ldst_uoff(e, A64_STR_W, 0, 1, 16380), "str w0, [x1, #16380]");
    E(a64_ldst_uoff(e, A64_LDR_W, 0, SP, 4), "ldr w0, [sp, #4]");
    E(a64_ldst_uoff(e, A64_LDRSW, 0, 1, 16380), "ldrsw x0, [x1, #16380]");
    E(a64_ldst_uoff(e, A64_STR_X, 0, 1, 32760), "str x0, [x1, #32760]");
    E(a64_ldst_uoff(e, A64_STR_X, ZR, 0, 8), "str xzr, [x0, #8]");
    E(a64_ldst_uoff(e, A64_LDR_X, 30, SP, 0), "ldr x30, [sp]");
    E(a64_ldst_uoff(e, A64_LDR_X, 0, 1, 32760), "ldr x0, [x1, #32760]");
    E(a64_ldst_uoff(e, A64_STR_D, 0, SP, 8), "str d0, [sp, #8]");
    E(a64_ldst_uoff(e, A64_LDR_D, 31, 1, 32760), "ldr d31, [x1, #32760]");
    E(a64_ldst_uoff(e, A64_LDR_D, 8, 30, 0), "ldr d8, [x30]");

    /* ---- loads/stores, register offset ---- */
    E(a64_ldst_roff(e, A64_LDR_X_R, 0, 1, 2, A64_IDX_LSL, 0), "ldr x0, [x1, x2]");
    E(a64_ldst_roff(e, A64_LDR_X_R, 0, 1, 2, A64_IDX_LSL, 1), "ldr x0, [x1, x2, lsl #3]");
    E(a64_ldst_roff(e, A64_LDR_X_R, 0, 1, 2, A64_IDX_SXTW, 0), "ldr x0, [x1, w2, sxtw]");
    E(a64_ldst_roff(e, A64_LDR_X_R, 0, 1, 2, A64_IDX_SXTW, 1), "ldr x0, [x1, w2, sxtw #3]");
    E(a64_ldst_roff(e, A64_LDR_X_R, 0, 1, 2, A64_IDX_UXTW, 0), "ldr x0, [x1, w2, uxtw]");
    E(a64_ldst_roff(e, A64_LDR_X_R, 0, 1, 2, A64_IDX_UXTW, 1), "ldr x0, [x1, w2, uxtw #3]");
    E(a64_ldst_roff(e, A64_STR_X_R, 0, SP, 2, A64_IDX_LSL, 1), "str x0, [sp, x2, lsl #3]");
    E(a64_ldst_roff(e, A64_STR_X_R, 30, 29, 28, A64_IDX_LSL, 0), "str x30, [x29, x28]");
    E(a64_ldst_roff(e, A64_LDR_W_R, 0, 1, 2, A64_IDX_LSL, 1), "ldr w0, [x1, x2, lsl #2]");
    E(a64_ldst_roff(e, A64_STR_W_R, 0, 1, 2, A64_IDX_SXTW, 1), "str w0, [x1, w2, sxtw #2]");
    E(a64_ldst_roff(e, A64_LDRB_R, 0, 1, 2, A64_IDX_LSL, 0), "ldrb w0, [x1, x2]");
    E(a64_ldst_roff(e, A64_LDRB_R, 0, 1, 2, A64_IDX_LSL, 1), "ldrb w0, [x1, x2, lsl #0]");
    E(a64_ldst_roff(e, A64_LDRB_R, 0, 1, 2, A64_IDX_SXTW, 0), "ldrb w0, [x1, w2, sxtw]");
    E(a64_ldst_roff(e, A64_STRB_R, 0, 1, 2, A64_IDX_UXTW, 1), "strb w0, [x1, w2, uxtw #0]");
    E(a64_ldst_roff(e, A64_LDRSB_X_R, 0, 1, 2, A64_IDX_LSL, 0), "ldrsb x0, [x1, x2]");
    E(a64_ldst_roff(e, A64_LDRSB_W_R, 0, 1, 2, A64_IDX_SXTW, 0), "ldrsb w0, [x1, w2, sxtw]");
    E(a64_ldst_roff(e, A64_LDRH_R, 0, 1, 2, A64_IDX_LSL, 1), "ldrh w0, [x1, x2, lsl #1]");
    E(a64_ldst_roff(e, A64_STRH_R, 0, 1, 2, A64_IDX_SXTW, 1), "strh w0, [x1, w2, sxtw #1]");
    E(a64_ldst_roff(e, A64_LDRSH_X_R, 0, 1, 2, A64_IDX_LSL, 1), "ldrsh x0, [x1, x2, lsl #1]");
    E(a64_ldst_roff(e, A64_LDRSH_W_R, 0, 1, 2, A64_IDX_LSL, 0), "ldrsh w0, [x1, x2]");
    E(a64_ldst_roff(e, A64_LDRSW_R, 0, 1, 2, A64_IDX_LSL, 1), "ldrsw x0, [x1, x2, lsl #2]");
    E(a64_ldst_roff(e, A64_LDRSW_R, 0, 1, 2, A64_IDX_SXTW, 1), "ldrsw x0, [x1, w2, sxtw #2]");
    E(a64_ldst_roff(e, A64_LDR_D_R, 0, 1, 2, A64_IDX_LSL, 1), "ldr d0, [x1, x2, lsl #3]");
    E(a64_ldst_roff(e, A64_STR_D_R, 0, 1, 2, A64_IDX_SXTW, 1), "str d0, [x1, w2, sxtw #3]");
    E(a64_ldst_roff(e, A64_LDR_D_R, 31, SP, 30, A64_IDX_LSL, 0), "ldr d31, [sp, x30]");

    /* ---- loads/stores, unscaled signed offset ---- */
    E(a64_ldst_unsc(e, A64_LDR_X_U, 0, 1, -256), "ldur x0, [x1, #-256]");
    E(a64_ldst_unsc(e, A64_LDR_X_U, 0, 1, 255), "ldur x0, [x1, #255]");
    E(a64_ldst_unsc(e, A64_LDR_X_U, 0, 1, 0), "ldur x0, [x1]");
    E(a64_ldst_unsc(e, A64_STR_X_U, 0, SP, -8), "stur x0, [sp, #-8]");
    E(a64_ldst_unsc(e, A64_LDR_W_U, 0, 1, -1), "ldur w0, [x1, #-1]");
    E(a64_ldst_unsc(e, A64_STR_W_U, 0, 1, 1), "stur w0, [x1, #1]");
    E(a64_ldst_unsc(e, A64_LDRSW_U, 0, 1, -4), "ldursw x0, [x1, #-4]");
    E(a64_ldst_unsc(e, A64_LDRB_U, 0, 1, -1), "ldurb w0, [x1, #-1]");
    E(a64_ldst_unsc(e, A64_STRB_U, 0, 1, -256), "sturb w0, [x1, #-256]");
    E(a64_ldst_unsc(e, A64_LDRSB_X_U, 0, 1, 3), "ldursb x0, [x1, #3]");
    E(a64_ldst_unsc(e, A64_LDRSB_W_U, 0, 1, -3), "ldursb w0, [x1, #-3]");
    E(a64_ldst_unsc(e, A64_LDRH_U, 0, 1, 1), "ldurh w0, [x1, #1]");
    E(a64_ldst_unsc(e, A64_STRH_U, 0, 1, 255), "sturh w0, [x1, #255]");
    E(a64_ldst_unsc(e, A64_LDRSH_X_U, 0, 1, -2), "ldursh x0, [x1, #-2]");
    E(a64_ldst_unsc(e, A64_LDRSH_W_U, 0, 1, 5), "ldursh w0, [x1, #5]");
    E(a64_ldst_unsc(e, A64_LDR_D_U, 0, 1, -8), "ldur d0, [x1, #-8]");
    E(a64_ldst_unsc(e, A64_STR_D_U, 0, 1, 255), "stur d0, [x1, #255]");
    /* the convenience selector picks the unscaled form when needed */
    E(a64_ldst(e, A64_LDR_X, 0, 1, -8), "ldur x0, [x1, #-8]");
    E(a64_ldst(e, A64_LDR_X, 0, 1, 12), "ldur x0, [x1, #12]");
    E(a64_ldst(e, A64_STR_D, 0, 29, 24), "str d0, [x29, #24]");

    /* ---- load/store pair ---- */
    E(a64_ldstp(e, A64_STP_X_PRE, 29, 30, SP, -16), "stp x29, x30, [sp, #-16]!");
    E(a64_ldstp(e, A64_LDP_X_POST, 29, 30, SP, 16), "ldp x29, x30, [sp], #16");
    E(a64_ldstp(e, A64_STP_X, 19, 20, SP, 16), "stp x19, x20, [sp, #16]");
    E(a64_ldstp(e, A64_LDP_X, 19, 20, SP, 16), "ldp x19, x20, [sp, #16]");
    E(a64_ldstp(e, A64_STP_X_PRE, 0, 1, SP, -512), "stp x0, x1, [sp, #-512]!");
    E(a64_ldstp(e, A64_LDP_X_POST, 0, 1, SP, 504), "ldp x0, x1, [sp], #504");
    E(a64_ldstp(e, A64_STP_X, 0, 1, 2, 504), "stp x0, x1, [x2, #504]");
    E(a64_ldstp(e, A64_LDP_X, 0, 1, 2, -512), "ldp x0, x1, [x2, #-512]");
    E(a64_ldstp(e, A64_STP_X, 0, 1, 2, 0), "stp x0, x1, [x2]");
    E(a64_ldstp(e, A64_STP_X, ZR, ZR, SP, 0), "stp xzr, xzr, [sp]");
    E(a64_ldstp(e, A64_LDP_X_PRE, 0, 1, SP, 0), "ldp x0, x1, [sp, #0]!");
    E(a64_ldstp(e, A64_STP_X_POST, 0, 1, 2, -8), "stp x0, x1, [x2], #-8");
    E(a64_ldstp(e, A64_STP_D_PRE, 8, 9, SP, -16), "stp d8, d9, [sp, #-16]!");
    E(a64_ldstp(e, A64_LDP_D_POST, 8, 9, SP, 16), "ldp d8, d9, [sp], #16");
    E(a64_ldstp(e, A64_STP_D, 14, 15, SP, 112), "stp d14, d15, [sp, #112]");
    E(a64_ldstp(e, A64_LDP_D, 0, 31, 0, -512), "ldp d0, d31, [x0, #-512]");
    E(a64_ldstp(e, A64_STP_D, 0, 1, 0, 0), "stp d0, d1, [x0]");
    E(a64_ldstp(e, A64_LDP_D_PRE, 0, 1, 2, 504), "ldp d0, d1, [x2, #504]!");
    E(a64_ldstp(e, A64_STP_D_POST, 0, 0, 2, -512), "stp d0, d0, [x2], #-512");

    /* ---- branches ---- */
    E(a64_b(e, 0), "b #0");
    E(a64_b(e, 4), "b #4");
    E(a64_b(e, -4), "b #-4");
    E(a64_b(e, 134217724), "b #134217724");
    E(a64_b(e, -134217728), "b #-134217728");
    E(a64_bl(e, 8), "bl #8");
    E(a64_bl(e, -134217728), "bl #-134217728");
    E(a64_bl(e, 134217724), "bl #134217724");
    E(a64_bcond(e, A64_EQ, 0), "b.eq #0");
    E(a64_bcond(e, A64_NE, 1048572), "b.ne #1048572");
    E(a64_bcond(e, A64_HS, -1048576), "b.hs #-1048576");
    E(a64_bcond(e, A64_LO, 8), "b.lo #8");
    E(a64_bcond(e, A64_MI, -8), "b.mi #-8");
    E(a64_bcond(e, A64_PL, 12), "b.pl #12");
    E(a64_bcond(e, A64_VS, 16), "b.vs #16");
    E(a64_bcond(e, A64_VC, -16), "b.vc #-16");
    E(a64_bcond(e, A64_HI, 20), "b.hi #20");
    E(a64_bcond(e, A64_LS, 24), "b.ls #24");
    E(a64_bcond(e, A64_GE, 28), "b.ge #28");
    E(a64_bcond(e, A64_LT, 32), "b.lt #32");
    E(a64_bcond(e, A64_GT, -32), "b.gt #-32");
    E(a64_bcond(e, A64_LE, 36), "b.le #36");
    E(a64_bcond(e, A64_AL, 40), "b.al #40");
    E(a64_cbz(e, W, 0, 4), "cbz w0, #4");
    E(a64_cbz(e, X, 30, -1048576), "cbz x30, #-1048576");
    E(a64_cbnz(e, X, 0, 1048572), "cbnz x0, #1048572");
    E(a64_cbnz(e, W, ZR, 8), "cbnz wzr, #8");
    E(a64_tbz(e, 0, 0, 4), "tbz w0, #0, #4");
    E(a64_tbz(e, 0, 63, -32768), "tbz x0, #63, #-32768");
    E(a64_tbnz(e, 1, 31, 32764), "tbnz w1, #31, #32764");
    E(a64_tbnz(e, 2, 32, 8), "tbnz x2, #32, #8");
    E(a64_branch_retarget(e, a64_b(e, 0), -64), "b #-64");
    E(a64_branch_retarget(e, a64_cbnz(e, X, 3, 0), 4096), "cbnz x3, #4096");
    E(a64_branch_retarget(e, a64_tbz(e, 5, 40, 0), -12), "tbz x5, #40, #-12");
    E(a64_branch_retarget(e, a64_bcond(e, A64_VS, 0), 44), "b.vs #44");
    E(a64_blr_x16(e), "blr x16");
    E(a64_br_x16(e), "br x16");
    E(a64_ret(e), "ret");

    /* ---- system ---- */
    E(a64_nop(), "nop");
    E(a64_brk_trap(), "brk #0x3e8");
    E(a64_barrier(e, A64_DMB_ISH), "dmb ish");
    E(a64_barrier(e, A64_DMB_ISHLD), "dmb ishld");
    E(a64_barrier(e, A64_DMB_ISHST), "dmb ishst");
    E(a64_barrier(e, A64_DSB_ISH), "dsb ish");
    E(a64_barrier(e, A64_ISB), "isb");
    E(a64_dc_cvau(e, 0), "dc cvau, x0");
    E(a64_ic_ivau(e, 30), "ic ivau, x30");
    E(a64_sysreg(e, A64_MRS_NZCV, 0), "mrs x0, NZCV");
    E(a64_sysreg(e, A64_MRS_FPCR, 1), "mrs x1, FPCR");
    E(a64_sysreg(e, A64_MRS_FPSR, 2), "mrs x2, FPSR");
    E(a64_sysreg(e, A64_MRS_TPIDR_EL0, 3), "mrs x3, TPIDR_EL0");
    E(a64_sysreg(e, A64_MRS_CTR_EL0, 30), "mrs x30, CTR_EL0");
    E(a64_sysreg(e, A64_MSR_NZCV, 5), "msr NZCV, x5");
    E(a64_sysreg(e, A64_MSR_FPSR, 6), "msr FPSR, x6");

    /* ---- floating point, double ---- */
    E(a64_fadd(e, 0, 1, 2), "fadd d0, d1, d2");
    E(a64_fadd(e, 31, 30, 29), "fadd d31, d30, d29");
    E(a64_fsub(e, 0, 1, 2), "fsub d0, d1, d2");
    E(a64_fmul(e, 8, 9, 10), "fmul d8, d9, d10");
    E(a64_fdiv(e, 0, 1, 2), "fdiv d0, d1, d2");
    E(a64_fp_dp2(e, A64_FMAX_D, 0, 1, 2), "fmax d0, d1, d2");
    E(a64_fp_dp2(e, A64_FMIN_D, 0, 1, 2), "fmin d0, d1, d2");
    E(a64_fp_dp2(e, A64_FMAXNM_D, 0, 1, 2), "fmaxnm d0, d1, d2");
    E(a64_fp_dp2(e, A64_FMINNM_D, 0, 1, 2), "fminnm d0, d1, d2");
    E(a64_fmov(e, 0, 1), "fmov d0, d1");
    E(a64_fmov(e, 31, 15), "fmov d31, d15");
    E(a64_fabs(e, 0, 1), "fabs d0, d1");
    E(a64_fneg(e, 0, 1), "fneg d0, d1");
    E(a64_fsqrt(e, 0, 1), "fsqrt d0, d1");
    E(a64_fp_dp1(e, A64_FRINTN_D, 0, 1), "frintn d0, d1");
    E(a64_fp_dp1(e, A64_FRINTP_D, 0, 1), "frintp d0, d1");
    E(a64_fp_dp1(e, A64_FRINTM_D, 0, 1), "frintm d0, d1");
    E(a64_fp_dp1(e, A64_FRINTZ_D, 0, 1), "frintz d0, d1");
    E(a64_fp_dp1(e, A64_FRINTA_D, 0, 1), "frinta d0, d1");
    E(a64_fcmp(e, 0, 1), "fcmp d0, d1");
    E(a64_fcmp(e, 31, 30), "fcmp d31, d30");
    E(a64_fcmp_zero(e, 31), "fcmp d31, #0.0");
    E(a64_fcmp_zero(e, 0), "fcmp d0, #0.0");
    E(a64_fcsel(e, 0, 1, 2, A64_EQ), "fcsel d0, d1, d2, eq");
    E(a64_fcsel(e, 0, 1, 2, A64_LE), "fcsel d0, d1, d2, le");
    E(a64_fp_int(e, A64_FMOV_X_D, 0, 1), "fmov x0, d1");
    E(a64_fp_int(e, A64_FMOV_D_X, 0, 1), "fmov d0, x1");
    E(a64_fp_int(e, A64_FMOV_D_X, 0, ZR), "fmov d0, xzr");
    E(a64_fp_int(e, A64_FMOV_X_D, 30, 31), "fmov x30, d31");
    E(a64_fp_int(e, A64_SCVTF_D_W, 0, 1), "scvtf d0, w1");
    E(a64_fp_int(e, A64_SCVTF_D_X, 0, 1), "scvtf d0, x1");
    E(a64_fp_int(e, A64_UCVTF_D_W, 0, 1), "ucvtf d0, w1");
    E(a64_fp_int(e, A64_UCVTF_D_X, 31, 30), "ucvtf d31, x30");
    E(a64_fp_int(e, A64_FCVTZS_W_D, 0, 1), "fcvtzs w0, d1");
    E(a64_fp_int(e, A64_FCVTZS_X_D, 0, 1), "fcvtzs x0, d1");
    E(a64_fp_int(e, A64_FCVTZU_W_D, 0, 1), "fcvtzu w0, d1");
    E(a64_fp_int(e, A64_FCVTZU_X_D, 0, 31), "fcvtzu x0, d31");
#undef E
    return err.code ? -1 : n;
}

/* One line per form: the four bytes in memory order (little-endian, "20fc3f91"
 * for add x0, x1, #4095), a tab, the assembly text. Returns the count, or -1 on an encoder error. */
struct print_ctx {
    FILE *out;
};
static void print_one(void *ud, uint32_t w, const char *text) {
    struct print_ctx *p = ud;
    fprintf(p->out, "%02x%02x%02x%02x\t%s\n", w & 0xff, (w >> 8) & 0xff, (w >> 16) & 0xff,
            w >> 24, text);
}
int a64_print_encodings(FILE *out) {
    struct print_ctx p = {out};
    return a64_encodings(print_one, &p);
}
