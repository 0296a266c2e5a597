/* arch/arm64/a64_enc.h — the one A64 (ARM64) encoding header.
 *
 * Everything the ARM64 side of Hyperion knows about instruction words comes
 * from the tables in this file:
 *
 *   A64_CLASSES(X)  instruction classes: name and the MASK of the bits that are
 *                   fixed for every form of the class (the rest are fields);
 *   A64_FORMS(X)    base opcodes ("forms"), named after mnemonic and width
 *                   (A64_ADD_X_IMM, A64_LDR_W, ...): class, fixed VALUE,
 *                   auxiliary data and the mnemonic printed by the disassembler.
 *
 * A word w is an instance of form f iff (w & mask(class(f))) == value(f).
 * The encoder (below), the decoder/disassembler (a64_disasm.c) and the Safe
 * Opcode Filter (a64_filter.c) all use these tables, so they cannot drift. The
 * filter shares the tables but none of the encoder logic: it re-derives field
 * validity itself (e.g. it decodes bitmask immediates, it does not encode them).
 *
 * Encoders
 * --------
 * Small static inline functions that place fields. Every function checks its
 * operands; a bad operand (register out of range or of the wrong kind, an
 * immediate that cannot be encoded, a misaligned offset, a branch out of range,
 * an opcode of the wrong class) returns A64_TRAP_WORD and records the first
 * such error in the caller's sticky `struct a64_err`. Nothing bad is ever
 * emitted silently: at worst the code traps.
 *
 * Trap word: BRK #0x3e8 (0xD4207D00). It is the only BRK the filter accepts;
 * code memory fills slack with it and bad operands produce it.
 *
 * Register operands
 *   0..30      X0..X30 / W0..W30 (or D0..D30 for FP operands; FP takes 0..31)
 *   A64_ZR 31  the zero register, accepted only where the encoding means ZR
 *   A64_SP 32  the stack pointer, accepted only where the encoding means SP
 * so `add x0, xzr, #1` (Rn=31 means SP there) is rejected, not mis-encoded.
 *
 * Widths: `x` = 1 for 64-bit (X registers, sf=1), 0 for 32-bit (W registers).
 * Offsets of branches are BYTE offsets from the branch itself.
 */
#ifndef HY_ARCH_A64_ENC_H
#define HY_ARCH_A64_ENC_H

#include <stdint.h>
#include <stddef.h>

#define A64_TRAP_IMM 0x3e8u
#define A64_TRAP_WORD (0xD4200000u | (A64_TRAP_IMM << 5)) /* brk #0x3e8 */
#define A64_NOP_WORD 0xD503201Fu

/* ---- register numbers ---------------------------------------------------- */
enum {
    A64_X0 = 0, A64_X1, A64_X2, A64_X3, A64_X4, A64_X5, A64_X6, A64_X7,
    A64_X8, A64_X9, A64_X10, A64_X11, A64_X12, A64_X13, A64_X14, A64_X15,
    A64_X16, A64_X17, A64_X18, A64_X19, A64_X20, A64_X21, A64_X22, A64_X23,
    A64_X24, A64_X25, A64_X26, A64_X27, A64_X28, A64_X29, A64_X30,
    A64_ZR = 31,
    A64_SP = 32,
    A64_FP = 29,
    A64_LR = 30,
    A64_IP0 = 16, /* scratch for far helper calls: movz/movk x16; blr x16 */
    A64_IP1 = 17,
};

/* ---- condition codes, shifts, extends ------------------------------------ */
enum a64_cond {
    A64_EQ = 0, A64_NE, A64_HS, A64_LO, A64_MI, A64_PL, A64_VS, A64_VC,
    A64_HI, A64_LS, A64_GE, A64_LT, A64_GT, A64_LE, A64_AL, A64_NV
};
#define A64_CS A64_HS
#define A64_CC A64_LO
static inline enum a64_cond a64_cond_invert(enum a64_cond c) { return (enum a64_cond)(c ^ 1); }

enum a64_shift { A64_LSL = 0, A64_LSR = 1, A64_ASR = 2, A64_ROR = 3 };
enum a64_extend {
    A64_UXTB = 0, A64_UXTH, A64_UXTW, A64_UXTX, A64_SXTB, A64_SXTH, A64_SXTW, A64_SXTX
};
/* Register-offset addressing: [Xn, Xm{, lsl #s}], [Xn, Wm, uxtw|sxtw {#s}] */
enum a64_idxext { A64_IDX_LSL = 3, A64_IDX_UXTW = 2, A64_IDX_SXTW = 6 };

/* Register kinds carried in a form's aux byte. */
enum a64_kind { A64_K_W = 0, A64_K_X = 1, A64_K_D = 2 };
#define A64_AUX(kind, scale) ((uint8_t)((kind) | ((scale) << 4)))
#define A64_AUX2(dst, src) ((uint8_t)((dst) | ((src) << 4)))

/* ---- classes: X(NAME, MASK) ----------------------------------------------- */
#define A64_CLASSES(X)                                                        \
    X(ADDSUB_IMM, 0xFF800000u)   /* sf op S 100010 sh imm12 Rn Rd          */ \
    X(ADDSUB_SHIFT, 0xFF200000u) /* sf op S 01011 sh 0 Rm imm6 Rn Rd       */ \
    X(ADDSUB_EXT, 0xFFE00000u)   /* sf op S 01011 00 1 Rm opt imm3 Rn Rd   */ \
    X(LOGIC_SHIFT, 0xFF200000u)  /* sf opc 01010 sh N Rm imm6 Rn Rd        */ \
    X(LOGIC_IMM, 0xFF800000u)    /* sf opc 100100 N immr imms Rn Rd        */ \
    X(MOVEWIDE, 0xFF800000u)     /* sf opc 100101 hw imm16 Rd              */ \
    X(BITFIELD, 0xFFC00000u)     /* sf opc 100110 N immr imms Rn Rd        */ \
    X(DP2, 0xFFE0FC00u)          /* sf 0 0 11010110 Rm opcode Rn Rd        */ \
    X(DP3, 0xFFE08000u)          /* sf 00 11011 op31 Rm o0 Ra Rn Rd        */ \
    X(DP3H, 0xFFE0FC00u)         /* smulh/umulh: Ra fixed to 11111         */ \
    X(CONDSEL, 0xFFE00C00u)      /* sf op 0 11010100 Rm cond op2 Rn Rd     */ \
    X(LDST_UOFF, 0xFFC00000u)    /* size 111 V 01 opc imm12 Rn Rt          */ \
    X(LDST_ROFF, 0xFFE00C00u)    /* size 111 V 00 opc 1 Rm opt S 10 Rn Rt  */ \
    X(LDST_UNSC, 0xFFE00C00u)    /* size 111 V 00 opc 0 imm9 00 Rn Rt      */ \
    X(LDSTP, 0xFFC00000u)        /* opc 101 V idx L imm7 Rt2 Rn Rt         */ \
    X(BIMM, 0xFC000000u)         /* op 00101 imm26                         */ \
    X(BCOND, 0xFF000010u)        /* 0101010 0 imm19 0 cond                 */ \
    X(CB, 0xFF000000u)           /* sf 011010 op imm19 Rt                  */ \
    X(TB, 0x7F000000u)           /* b5 011011 op b40 imm14 Rt              */ \
    X(BREG, 0xFFFFFC1Fu)         /* 1101011 opc 11111 000000 Rn 00000      */ \
    X(EXACT, 0xFFFFFFFFu)        /* nop, our brk, barriers                 */ \
    X(SYS_RT, 0xFFFFFFE0u)       /* dc cvau / ic ivau, Xt                  */ \
    X(SYSREG, 0xFFFFFFE0u)       /* mrs/msr of an allowed register, Xt     */ \
    X(FP_DP2, 0xFFE0FC00u)       /* 00011110 01 1 Rm opcode 10 Rn Rd       */ \
    X(FP_DP1, 0xFFFFFC00u)       /* 00011110 01 1 opcode 10000 Rn Rd       */ \
    X(FP_CMP, 0xFFE0FC1Fu)       /* fcmp Dn, Dm                            */ \
    X(FP_CMP0, 0xFFFFFC1Fu)      /* fcmp Dn, #0.0                          */ \
    X(FP_CSEL, 0xFFE00C00u)      /* 00011110 01 1 Rm cond 11 Rn Rd         */ \
    X(FP_INT, 0xFFFFFC00u)       /* fmov/scvtf/ucvtf/fcvtz[su] gpr<->fpr   */

/* ---- loads/stores of one register: X(Y, NAME, size, V, opc, kind, ldr, ldur)
 * Each expands to three forms: NAME (unsigned scaled offset), NAME_R
 * (register offset) and NAME_U (unscaled 9-bit signed offset). */
#define A64_MEMOPS(Y, X)                                     \
    Y(X, STRB, 0, 0, 0, A64_K_W, "strb", "sturb")            \
    Y(X, LDRB, 0, 0, 1, A64_K_W, "ldrb", "ldurb")            \
    Y(X, LDRSB_X, 0, 0, 2, A64_K_X, "ldrsb", "ldursb")       \
    Y(X, LDRSB_W, 0, 0, 3, A64_K_W, "ldrsb", "ldursb")       \
    Y(X, STRH, 1, 0, 0, A64_K_W, "strh", "sturh")            \
    Y(X, LDRH, 1, 0, 1, A64_K_W, "ldrh", "ldurh")            \
    Y(X, LDRSH_X, 1, 0, 2, A64_K_X, "ldrsh", "ldursh")       \
    Y(X, LDRSH_W, 1, 0, 3, A64_K_W, "ldrsh", "ldursh")       \
    Y(X, STR_W, 2, 0, 0, A64_K_W, "str", "stur")             \
    Y(X, LDR_W, 2, 0, 1, A64_K_W, "ldr", "ldur")             \
    Y(X, LDRSW, 2, 0, 2, A64_K_X, "ldrsw", "ldursw")         \
    Y(X, STR_X, 3, 0, 0, A64_K_X, "str", "stur")             \
    Y(X, LDR_X, 3, 0, 1, A64_K_X, "ldr", "ldur")             \
    Y(X, STR_D, 3, 1, 0, A64_K_D, "str", "stur")             \
    Y(X, LDR_D, 3, 1, 1, A64_K_D, "ldr", "ldur")

#define A64__MEMV(base, sz, v, opc) \
    ((base) | ((uint32_t)(sz) << 30) | ((uint32_t)(v) << 26) | ((uint32_t)(opc) << 22))
#define A64__MEM_UOFF(X, N, SZ, V, OPC, K, M, MU) \
    X(N, LDST_UOFF, A64__MEMV(0x39000000u, SZ, V, OPC), A64_AUX(K, SZ), M, "")
#define A64__MEM_ROFF(X, N, SZ, V, OPC, K, M, MU) \
    X(N##_R, LDST_ROFF, A64__MEMV(0x38200800u, SZ, V, OPC), A64_AUX(K, SZ), M, "")
#define A64__MEM_UNSC(X, N, SZ, V, OPC, K, M, MU) \
    X(N##_U, LDST_UNSC, A64__MEMV(0x38000000u, SZ, V, OPC), A64_AUX(K, SZ), MU, "")

/* ---- forms: X(NAME, CLASS, VALUE, AUX, "mnemonic", "operand text") -------- */
#define A64_FORMS(X)                                                              \
    X(ADD_W_IMM, ADDSUB_IMM, 0x11000000u, 0, "add", "")                           \
    X(ADDS_W_IMM, ADDSUB_IMM, 0x31000000u, 0, "adds", "")                         \
    X(SUB_W_IMM, ADDSUB_IMM, 0x51000000u, 0, "sub", "")                           \
    X(SUBS_W_IMM, ADDSUB_IMM, 0x71000000u, 0, "subs", "")                         \
    X(ADD_X_IMM, ADDSUB_IMM, 0x91000000u, 0, "add", "")                           \
    X(ADDS_X_IMM, ADDSUB_IMM, 0xB1000000u, 0, "adds", "")                         \
    X(SUB_X_IMM, ADDSUB_IMM, 0xD1000000u, 0, "sub", "")                           \
    X(SUBS_X_IMM, ADDSUB_IMM, 0xF1000000u, 0, "subs", "")                         \
    X(ADD_W, ADDSUB_SHIFT, 0x0B000000u, 0, "add", "")                             \
    X(ADDS_W, ADDSUB_SHIFT, 0x2B000000u, 0, "adds", "")                           \
    X(SUB_W, ADDSUB_SHIFT, 0x4B000000u, 0, "sub", "")                             \
    X(SUBS_W, ADDSUB_SHIFT, 0x6B000000u, 0, "subs", "")                           \
    X(ADD_X, ADDSUB_SHIFT, 0x8B000000u, 0, "add", "")                             \
    X(ADDS_X, ADDSUB_SHIFT, 0xAB000000u, 0, "adds", "")                           \
    X(SUB_X, ADDSUB_SHIFT, 0xCB000000u, 0, "sub", "")                             \
    X(SUBS_X, ADDSUB_SHIFT, 0xEB000000u, 0, "subs", "")                           \
    X(ADD_W_EXT, ADDSUB_EXT, 0x0B200000u, 0, "add", "")                           \
    X(ADDS_W_EXT, ADDSUB_EXT, 0x2B200000u, 0, "adds", "")                         \
    X(SUB_W_EXT, ADDSUB_EXT, 0x4B200000u, 0, "sub", "")                           \
    X(SUBS_W_EXT, ADDSUB_EXT, 0x6B200000u, 0, "subs", "")                         \
    X(ADD_X_EXT, ADDSUB_EXT, 0x8B200000u, 0, "add", "")                           \
    X(ADDS_X_EXT, ADDSUB_EXT, 0xAB200000u, 0, "adds", "")                         \
    X(SUB_X_EXT, ADDSUB_EXT, 0xCB200000u, 0, "sub", "")                           \
    X(SUBS_X_EXT, ADDSUB_EXT, 0xEB200000u, 0, "subs", "")                         \
    X(AND_W, LOGIC_SHIFT, 0x0A000000u, 0, "and", "")                              \
    X(BIC_W, LOGIC_SHIFT, 0x0A200000u, 0, "bic", "")                              \
    X(ORR_W, LOGIC_SHIFT, 0x2A000000u, 0, "orr", "")                              \
    X(ORN_W, LOGIC_SHIFT, 0x2A200000u, 0, "orn", "")                              \
    X(EOR_W, LOGIC_SHIFT, 0x4A000000u, 0, "eor", "")                              \
    X(ANDS_W, LOGIC_SHIFT, 0x6A000000u, 0, "ands", "")                            \
    X(AND_X, LOGIC_SHIFT, 0x8A000000u, 0, "and", "")                              \
    X(BIC_X, LOGIC_SHIFT, 0x8A200000u, 0, "bic", "")                              \
    X(ORR_X, LOGIC_SHIFT, 0xAA000000u, 0, "orr", "")                              \
    X(ORN_X, LOGIC_SHIFT, 0xAA200000u, 0, "orn", "")                              \
    X(EOR_X, LOGIC_SHIFT, 0xCA000000u, 0, "eor", "")                              \
    X(ANDS_X, LOGIC_SHIFT, 0xEA000000u, 0, "ands", "")                            \
    X(AND_W_IMM, LOGIC_IMM, 0x12000000u, 0, "and", "")                            \
    X(ORR_W_IMM, LOGIC_IMM, 0x32000000u, 0, "orr", "")                            \
    X(EOR_W_IMM, LOGIC_IMM, 0x52000000u, 0, "eor", "")                            \
    X(ANDS_W_IMM, LOGIC_IMM, 0x72000000u, 0, "ands", "")                          \
    X(AND_X_IMM, LOGIC_IMM, 0x92000000u, 0, "and", "")                            \
    X(ORR_X_IMM, LOGIC_IMM, 0xB2000000u, 0, "orr", "")                            \
    X(EOR_X_IMM, LOGIC_IMM, 0xD2000000u, 0, "eor", "")                            \
    X(ANDS_X_IMM, LOGIC_IMM, 0xF2000000u, 0, "ands", "")                          \
    X(MOVN_W, MOVEWIDE, 0x12800000u, 0, "movn", "")                               \
    X(MOVZ_W, MOVEWIDE, 0x52800000u, 0, "movz", "")                               \
    X(MOVK_W, MOVEWIDE, 0x72800000u, 0, "movk", "")                               \
    X(MOVN_X, MOVEWIDE, 0x92800000u, 0, "movn", "")                               \
    X(MOVZ_X, MOVEWIDE, 0xD2800000u, 0, "movz", "")                               \
    X(MOVK_X, MOVEWIDE, 0xF2800000u, 0, "movk", "")                               \
    X(SBFM_W, BITFIELD, 0x13000000u, 0, "sbfm", "")                               \
    X(UBFM_W, BITFIELD, 0x53000000u, 0, "ubfm", "")                               \
    X(SBFM_X, BITFIELD, 0x93400000u, 0, "sbfm", "")                               \
    X(UBFM_X, BITFIELD, 0xD3400000u, 0, "ubfm", "")                               \
    X(UDIV_W, DP2, 0x1AC00800u, 0, "udiv", "")                                    \
    X(SDIV_W, DP2, 0x1AC00C00u, 0, "sdiv", "")                                    \
    X(LSLV_W, DP2, 0x1AC02000u, 0, "lsl", "")                                     \
    X(LSRV_W, DP2, 0x1AC02400u, 0, "lsr", "")                                     \
    X(ASRV_W, DP2, 0x1AC02800u, 0, "asr", "")                                     \
    X(UDIV_X, DP2, 0x9AC00800u, 0, "udiv", "")                                    \
    X(SDIV_X, DP2, 0x9AC00C00u, 0, "sdiv", "")                                    \
    X(LSLV_X, DP2, 0x9AC02000u, 0, "lsl", "")                                     \
    X(LSRV_X, DP2, 0x9AC02400u, 0, "lsr", "")                                     \
    X(ASRV_X, DP2, 0x9AC02800u, 0, "asr", "")                                     \
    X(MADD_W, DP3, 0x1B000000u, A64_AUX2(A64_K_W, A64_K_W), "madd", "")           \
    X(MSUB_W, DP3, 0x1B008000u, A64_AUX2(A64_K_W, A64_K_W), "msub", "")           \
    X(MADD_X, DP3, 0x9B000000u, A64_AUX2(A64_K_X, A64_K_X), "madd", "")           \
    X(MSUB_X, DP3, 0x9B008000u, A64_AUX2(A64_K_X, A64_K_X), "msub", "")           \
    X(SMADDL, DP3, 0x9B200000u, A64_AUX2(A64_K_X, A64_K_W), "smaddl", "")         \
    X(UMADDL, DP3, 0x9BA00000u, A64_AUX2(A64_K_X, A64_K_W), "umaddl", "")         \
    X(SMULH, DP3H, 0x9B407C00u, 0, "smulh", "")                                   \
    X(UMULH, DP3H, 0x9BC07C00u, 0, "umulh", "")                                   \
    X(CSEL_W, CONDSEL, 0x1A800000u, 0, "csel", "")                                \
    X(CSINC_W, CONDSEL, 0x1A800400u, 0, "csinc", "")                              \
    X(CSINV_W, CONDSEL, 0x5A800000u, 0, "csinv", "")                              \
    X(CSNEG_W, CONDSEL, 0x5A800400u, 0, "csneg", "")                              \
    X(CSEL_X, CONDSEL, 0x9A800000u, 0, "csel", "")                                \
    X(CSINC_X, CONDSEL, 0x9A800400u, 0, "csinc", "")                              \
    X(CSINV_X, CONDSEL, 0xDA800000u, 0, "csinv", "")                              \
    X(CSNEG_X, CONDSEL, 0xDA800400u, 0, "csneg", "")                              \
    A64_MEMOPS(A64__MEM_UOFF, X)                                                  \
    A64_MEMOPS(A64__MEM_ROFF, X)                                                  \
    A64_MEMOPS(A64__MEM_UNSC, X)                                                  \
    X(STP_X, LDSTP, 0xA9000000u, A64_AUX(A64_K_X, 3), "stp", "")                  \
    X(LDP_X, LDSTP, 0xA9400000u, A64_AUX(A64_K_X, 3), "ldp", "")                  \
    X(STP_X_PRE, LDSTP, 0xA9800000u, A64_AUX(A64_K_X, 3), "stp", "")              \
    X(LDP_X_PRE, LDSTP, 0xA9C00000u, A64_AUX(A64_K_X, 3), "ldp", "")              \
    X(STP_X_POST, LDSTP, 0xA8800000u, A64_AUX(A64_K_X, 3), "stp", "")             \
    X(LDP_X_POST, LDSTP, 0xA8C00000u, A64_AUX(A64_K_X, 3), "ldp", "")             \
    X(STP_D, LDSTP, 0x6D000000u, A64_AUX(A64_K_D, 3), "stp", "")                  \
    X(LDP_D, LDSTP, 0x6D400000u, A64_AUX(A64_K_D, 3), "ldp", "")                  \
    X(STP_D_PRE, LDSTP, 0x6D800000u, A64_AUX(A64_K_D, 3), "stp", "")              \
    X(LDP_D_PRE, LDSTP, 0x6DC00000u, A64_AUX(A64_K_D, 3), "ldp", "")              \
    X(STP_D_POST, LDSTP, 0x6C800000u, A64_AUX(A64_K_D, 3), "stp", "")             \
    X(LDP_D_POST, LDSTP, 0x6CC00000u, A64_AUX(A64_K_D, 3), "ldp", "")             \
    X(B, BIMM, 0x14000000u, 0, "b", "")                                           \
    X(BL, BIMM, 0x94000000u, 0, "bl", "")                                         \
    X(B_COND, BCOND, 0x54000000u, 0, "b", "")                                     \
    X(CBZ_W, CB, 0x34000000u, 0, "cbz", "")                                       \
    X(CBNZ_W, CB, 0x35000000u, 0, "cbnz", "")                                     \
    X(CBZ_X, CB, 0xB4000000u, 0, "cbz", "")                                       \
    X(CBNZ_X, CB, 0xB5000000u, 0, "cbnz", "")                                     \
    X(TBZ, TB, 0x36000000u, 0, "tbz", "")                                         \
    X(TBNZ, TB, 0x37000000u, 0, "tbnz", "")                                       \
    X(BR, BREG, 0xD61F0000u, 0, "br", "")                                         \
    X(BLR, BREG, 0xD63F0000u, 0, "blr", "")                                       \
    X(RET, BREG, 0xD65F0000u, 0, "ret", "")                                       \
    X(NOP, EXACT, A64_NOP_WORD, 0, "nop", "")                                     \
    X(BRK_TRAP, EXACT, A64_TRAP_WORD, 0, "brk", "#0x3e8")                         \
    X(DMB_ISH, EXACT, 0xD5033BBFu, 0, "dmb", "ish")                               \
    X(DMB_ISHLD, EXACT, 0xD50339BFu, 0, "dmb", "ishld")                           \
    X(DMB_ISHST, EXACT, 0xD5033ABFu, 0, "dmb", "ishst")                           \
    X(DSB_ISH, EXACT, 0xD5033B9Fu, 0, "dsb", "ish")                               \
    X(ISB, EXACT, 0xD5033FDFu, 0, "isb", "")                                      \
    X(DC_CVAU, SYS_RT, 0xD50B7B20u, 0, "dc", "cvau")                              \
    X(IC_IVAU, SYS_RT, 0xD50B7520u, 0, "ic", "ivau")                              \
    X(MRS_NZCV, SYSREG, 0xD53B4200u, 0, "mrs", "NZCV")                            \
    X(MRS_FPCR, SYSREG, 0xD53B4400u, 0, "mrs", "FPCR")                            \
    X(MRS_FPSR, SYSREG, 0xD53B4420u, 0, "mrs", "FPSR")                            \
    X(MRS_TPIDR_EL0, SYSREG, 0xD53BD040u, 0, "mrs", "TPIDR_EL0")                  \
    X(MRS_CTR_EL0, SYSREG, 0xD53B0020u, 0, "mrs", "CTR_EL0")                      \
    X(MSR_NZCV, SYSREG, 0xD51B4200u, 0, "msr", "NZCV")                            \
    X(MSR_FPSR, SYSREG, 0xD51B4420u, 0, "msr", "FPSR")                            \
    X(FMUL_D, FP_DP2, 0x1E600800u, 0, "fmul", "")                                 \
    X(FDIV_D, FP_DP2, 0x1E601800u, 0, "fdiv", "")                                 \
    X(FADD_D, FP_DP2, 0x1E602800u, 0, "fadd", "")                                 \
    X(FSUB_D, FP_DP2, 0x1E603800u, 0, "fsub", "")                                 \
    X(FMAX_D, FP_DP2, 0x1E604800u, 0, "fmax", "")                                 \
    X(FMIN_D, FP_DP2, 0x1E605800u, 0, "fmin", "")                                 \
    X(FMAXNM_D, FP_DP2, 0x1E606800u, 0, "fmaxnm", "")                             \
    X(FMINNM_D, FP_DP2, 0x1E607800u, 0, "fminnm", "")                             \
    X(FMOV_D, FP_DP1, 0x1E604000u, 0, "fmov", "")                                 \
    X(FABS_D, FP_DP1, 0x1E60C000u, 0, "fabs", "")                                 \
    X(FNEG_D, FP_DP1, 0x1E614000u, 0, "fneg", "")                                 \
    X(FSQRT_D, FP_DP1, 0x1E61C000u, 0, "fsqrt", "")                               \
    X(FRINTN_D, FP_DP1, 0x1E644000u, 0, "frintn", "")                             \
    X(FRINTP_D, FP_DP1, 0x1E64C000u, 0, "frintp", "")                             \
    X(FRINTM_D, FP_DP1, 0x1E654000u, 0, "frintm", "")                             \
    X(FRINTZ_D, FP_DP1, 0x1E65C000u, 0, "frintz", "")                             \
    X(FRINTA_D, FP_DP1, 0x1E664000u, 0, "frinta", "")                             \
    X(FCMP_D, FP_CMP, 0x1E602000u, 0, "fcmp", "")                                 \
    X(FCMP_D_ZERO, FP_CMP0, 0x1E602008u, 0, "fcmp", "#0.0")                       \
    X(FCSEL_D, FP_CSEL, 0x1E600C00u, 0, "fcsel", "")                              \
    X(FMOV_X_D, FP_INT, 0x9E660000u, A64_AUX2(A64_K_X, A64_K_D), "fmov", "")      \
    X(FMOV_D_X, FP_INT, 0x9E670000u, A64_AUX2(A64_K_D, A64_K_X), "fmov", "")      \
    X(SCVTF_D_W, FP_INT, 0x1E620000u, A64_AUX2(A64_K_D, A64_K_W), "scvtf", "")    \
    X(SCVTF_D_X, FP_INT, 0x9E620000u, A64_AUX2(A64_K_D, A64_K_X), "scvtf", "")    \
    X(UCVTF_D_W, FP_INT, 0x1E630000u, A64_AUX2(A64_K_D, A64_K_W), "ucvtf", "")    \
    X(UCVTF_D_X, FP_INT, 0x9E630000u, A64_AUX2(A64_K_D, A64_K_X), "ucvtf", "")    \
    X(FCVTZS_W_D, FP_INT, 0x1E780000u, A64_AUX2(A64_K_W, A64_K_D), "fcvtzs", "")  \
    X(FCVTZS_X_D, FP_INT, 0x9E780000u, A64_AUX2(A64_K_X, A64_K_D), "fcvtzs", "")  \
    X(FCVTZU_W_D, FP_INT, 0x1E790000u, A64_AUX2(A64_K_W, A64_K_D), "fcvtzu", "")  \
    X(FCVTZU_X_D, FP_INT, 0x9E790000u, A64_AUX2(A64_K_X, A64_K_D), "fcvtzu", "")

/* ---- forms the encoder can produce but the lowering never emits ----------
 * X(NAME). They stay encodable (the `encodings` list, llvm-mc tests, the
 * disassembler), but the Safe Opcode Filter (a64_filter_word) refuses them in
 * function bodies: no BR, no barriers, no cache maintenance, no system
 * registers, no writeback pair forms other than the frame's
 * `stp x29, x30, [sp, #-N]!` / `ldp x29, x30, [sp], #N`. Keep this list in sync
 * with a64_backend.c / a64_lower.c: a form the lowering starts to emit must be
 * removed from it (the lowering tests run every generated word through the
 * filter and fail otherwise). */
#define A64_ENCODE_ONLY(X)                                                        \
    X(BR) X(DMB_ISH) X(DMB_ISHLD) X(DMB_ISHST) X(DSB_ISH) X(ISB)                  \
    X(DC_CVAU) X(IC_IVAU)                                                         \
    X(MRS_NZCV) X(MRS_FPCR) X(MRS_FPSR) X(MRS_TPIDR_EL0) X(MRS_CTR_EL0)           \
    X(MSR_NZCV) X(MSR_FPSR)                                                       \
    X(LDP_X_PRE) X(STP_X_POST) X(STP_D_PRE) X(LDP_D_PRE) X(STP_D_POST) X(LDP_D_POST)

/* ---- generated enums and lookups ------------------------------------------ */
enum a64_class {
#define A64__CLS_ENUM(N, M) A64_C_##N,
    A64_CLASSES(A64__CLS_ENUM)
#undef A64__CLS_ENUM
    A64_NCLASSES
};

enum a64_op {
#define A64__OP_ENUM(N, C, V, A, M, E) A64_##N,
    A64_FORMS(A64__OP_ENUM)
#undef A64__OP_ENUM
    A64_NFORMS
};

struct a64_form {
    uint32_t value;      /* fixed bits */
    uint32_t mask;       /* which bits are fixed (the class mask) */
    uint8_t cls;         /* enum a64_class */
    uint8_t aux;         /* kinds / scale, see A64_AUX, A64_AUX2 */
    const char *name;    /* enum name without A64_ ("ADD_X_IMM") */
    const char *mnem;    /* mnemonic as the disassembler prints it */
    const char *extra;   /* fixed operand text (barriers, system registers) */
};

/* The table itself (a64_tables.c), indexed by enum a64_op. */
extern const struct a64_form a64_forms[A64_NFORMS];
extern const uint32_t a64_class_mask[A64_NCLASSES];
extern const char *const a64_class_names[A64_NCLASSES];

/* Inline views of the same lists, so constant opcodes fold at compile time. */
static inline uint32_t a64_op_value(enum a64_op op) {
    switch (op) {
#define A64__OP_VAL(N, C, V, A, M, E) case A64_##N: return (V);
        A64_FORMS(A64__OP_VAL)
#undef A64__OP_VAL
    default: return 0;
    }
}
static inline int a64_op_class(enum a64_op op) {
    switch (op) {
#define A64__OP_CLS(N, C, V, A, M, E) case A64_##N: return A64_C_##C;
        A64_FORMS(A64__OP_CLS)
#undef A64__OP_CLS
    default: return -1;
    }
}
static inline unsigned a64_op_aux(enum a64_op op) {
    switch (op) {
#define A64__OP_AUX(N, C, V, A, M, E) case A64_##N: return (A);
        A64_FORMS(A64__OP_AUX)
#undef A64__OP_AUX
    default: return 0;
    }
}

/* ---- sticky error ---------------------------------------------------------- */
struct a64_err {
    int code;            /* 0 = no error yet */
    const char *what;    /* first error: which encoder, what was wrong */
    unsigned count;      /* number of bad operands seen */
};

static inline uint32_t a64_fail(struct a64_err *e, const char *what) {
    if (e) {
        if (!e->code) {
            e->code = 1;
            e->what = what;
        }
        e->count++;
    }
    return A64_TRAP_WORD;
}

/* Operand checks: return 1 if ok and store the 5-bit field. */
static inline int a64__rz(unsigned r, uint32_t *f) { /* X0..X30 or ZR */
    if (r > 31) return 0;
    *f = r;
    return 1;
}
static inline int a64__rs(unsigned r, uint32_t *f) { /* X0..X30 or SP */
    if (r == A64_SP) { *f = 31; return 1; }
    if (r > 30) return 0;
    *f = r;
    return 1;
}
static inline int a64__rv(unsigned r, uint32_t *f) { /* D0..D31 */
    if (r > 31) return 0;
    *f = r;
    return 1;
}
#define A64__OPCHK(op, C, e, name)                                 \
    do {                                                           \
        if (a64_op_class(op) != A64_C_##C)                         \
            return a64_fail((e), name ": opcode of the wrong class"); \
    } while (0)

/* ==== data processing, immediate ========================================== */

/* ADD/ADDS/SUB/SUBS #imm12{, lsl #12}. Rd is SP-or-reg for ADD/SUB and
 * ZR-or-reg for ADDS/SUBS; Rn is SP-or-reg. */
static inline uint32_t a64_addsub_imm(struct a64_err *e, enum a64_op op, unsigned rd,
                                      unsigned rn, uint32_t imm12, int lsl12) {
    uint32_t d, n;
    A64__OPCHK(op, ADDSUB_IMM, e, "addsub imm");
    int setflags = (a64_op_value(op) >> 29) & 1;
    if (!(setflags ? a64__rz(rd, &d) : a64__rs(rd, &d)))
        return a64_fail(e, "addsub imm: bad Rd");
    if (!a64__rs(rn, &n)) return a64_fail(e, "addsub imm: bad Rn (ZR not encodable)");
    if (imm12 > 4095) return a64_fail(e, "addsub imm: immediate above 4095");
    if (lsl12 != 0 && lsl12 != 1) return a64_fail(e, "addsub imm: bad shift");
    return a64_op_value(op) | ((uint32_t)lsl12 << 22) | (imm12 << 10) | (n << 5) | d;
}

/* Picks the plain or the "lsl #12" form; fails if neither fits. */
static inline uint32_t a64__addsub_imm_any(struct a64_err *e, enum a64_op op, unsigned rd,
                                           unsigned rn, uint64_t imm) {
    if (imm <= 4095) return a64_addsub_imm(e, op, rd, rn, (uint32_t)imm, 0);
    if ((imm & 0xfff) == 0 && (imm >> 12) <= 4095)
        return a64_addsub_imm(e, op, rd, rn, (uint32_t)(imm >> 12), 1);
    return a64_fail(e, "addsub imm: immediate not encodable");
}
static inline uint32_t a64_add_imm(struct a64_err *e, int x, unsigned rd, unsigned rn, uint64_t imm) {
    return a64__addsub_imm_any(e, x ? A64_ADD_X_IMM : A64_ADD_W_IMM, rd, rn, imm);
}
static inline uint32_t a64_adds_imm(struct a64_err *e, int x, unsigned rd, unsigned rn, uint64_t imm) {
    return a64__addsub_imm_any(e, x ? A64_ADDS_X_IMM : A64_ADDS_W_IMM, rd, rn, imm);
}
static inline uint32_t a64_sub_imm(struct a64_err *e, int x, unsigned rd, unsigned rn, uint64_t imm) {
    return a64__addsub_imm_any(e, x ? A64_SUB_X_IMM : A64_SUB_W_IMM, rd, rn, imm);
}
static inline uint32_t a64_subs_imm(struct a64_err *e, int x, unsigned rd, unsigned rn, uint64_t imm) {
    return a64__addsub_imm_any(e, x ? A64_SUBS_X_IMM : A64_SUBS_W_IMM, rd, rn, imm);
}
static inline uint32_t a64_cmp_imm(struct a64_err *e, int x, unsigned rn, uint64_t imm) {
    return a64_subs_imm(e, x, A64_ZR, rn, imm);
}
static inline uint32_t a64_cmn_imm(struct a64_err *e, int x, unsigned rn, uint64_t imm) {
    return a64_adds_imm(e, x, A64_ZR, rn, imm);
}
/* mov to/from SP (add rd, rn, #0); at least one side must be SP. */
static inline uint32_t a64_mov_sp(struct a64_err *e, int x, unsigned rd, unsigned rn) {
    if (rd != A64_SP && rn != A64_SP) return a64_fail(e, "mov sp: neither operand is SP");
    return a64_add_imm(e, x, rd, rn, 0);
}

/* ---- logical immediate (bitmask immediates) ------------------------------- */

/* Encode v as an N:immr:imms bitmask immediate for a register of 32 or 64 bits.
 * Returns 1 and the 13-bit field value N<<12|immr<<6|imms, or 0 when v is not
 * a rotated, replicated run of ones (0 and all-ones never are). */
static inline int a64_bitmask_encode(uint64_t v, int x, uint32_t *field) {
    if (!x) {
        if (v >> 32) return 0;
        v |= v << 32;
    }
    if (v == 0 || v == ~(uint64_t)0) return 0;
    unsigned size = 64;
    while (size > 2) {
        unsigned h = size / 2;
        uint64_t m = ((uint64_t)1 << h) - 1;
        if ((v & m) != ((v >> h) & m)) break;
        size = h;
    }
    uint64_t emask = size == 64 ? ~(uint64_t)0 : (((uint64_t)1 << size) - 1);
    uint64_t elt = v & emask;
    unsigned ones = (unsigned)__builtin_popcountll(elt);
    uint64_t run = ((uint64_t)1 << ones) - 1; /* ones < size here */
    for (unsigned r = 0; r < size; r++) {
        uint64_t rol = r ? (((elt << r) | (elt >> (size - r))) & emask) : elt;
        if (rol == run) {
            uint32_t n = size == 64;
            uint32_t imms = ((~(2u * size - 1)) & 0x3f) | (ones - 1);
            *field = (n << 12) | (r << 6) | imms;
            return 1;
        }
    }
    return 0;
}

static inline uint32_t a64_logic_imm(struct a64_err *e, enum a64_op op, unsigned rd,
                                     unsigned rn, uint64_t imm) {
    uint32_t d, n, f;
    A64__OPCHK(op, LOGIC_IMM, e, "logical imm");
    int x = a64_op_value(op) >> 31;
    /* Rd=31 is ZR for ands (tst) but SP for and/orr/eor: our code never writes
     * SP that way, so only ands accepts 31. */
    if (!a64__rz(rd, &d)) return a64_fail(e, "logical imm: bad Rd");
    if (d == 31 && op != A64_ANDS_W_IMM && op != A64_ANDS_X_IMM)
        return a64_fail(e, "logical imm: Rd=31 means SP here, not allowed");
    if (!a64__rz(rn, &n)) return a64_fail(e, "logical imm: bad Rn");
    if (!a64_bitmask_encode(imm, x, &f)) return a64_fail(e, "logical imm: not a bitmask immediate");
    return a64_op_value(op) | (f << 10) | (n << 5) | d;
}
static inline uint32_t a64_and_imm(struct a64_err *e, int x, unsigned rd, unsigned rn, uint64_t imm) {
    return a64_logic_imm(e, x ? A64_AND_X_IMM : A64_AND_W_IMM, rd, rn, imm);
}
static inline uint32_t a64_orr_imm(struct a64_err *e, int x, unsigned rd, unsigned rn, uint64_t imm) {
    return a64_logic_imm(e, x ? A64_ORR_X_IMM : A64_ORR_W_IMM, rd, rn, imm);
}
static inline uint32_t a64_eor_imm(struct a64_err *e, int x, unsigned rd, unsigned rn, uint64_t imm) {
    return a64_logic_imm(e, x ? A64_EOR_X_IMM : A64_EOR_W_IMM, rd, rn, imm);
}
static inline uint32_t a64_ands_imm(struct a64_err *e, int x, unsigned rd, unsigned rn, uint64_t imm) {
    return a64_logic_imm(e, x ? A64_ANDS_X_IMM : A64_ANDS_W_IMM, rd, rn, imm);
}
static inline uint32_t a64_tst_imm(struct a64_err *e, int x, unsigned rn, uint64_t imm) {
    return a64_ands_imm(e, x, A64_ZR, rn, imm);
}

/* ---- move wide ------------------------------------------------------------ */

/* MOVZ/MOVN/MOVK Rd, #imm16, lsl #shift (shift 0/16, and 32/48 for X). */
static inline uint32_t a64_movewide(struct a64_err *e, enum a64_op op, unsigned rd,
                                    uint32_t imm16, unsigned shift) {
    uint32_t d;
    A64__OPCHK(op, MOVEWIDE, e, "move wide");
    int x = a64_op_value(op) >> 31;
    if (!a64__rz(rd, &d)) return a64_fail(e, "move wide: bad Rd");
    if (imm16 > 0xffff) return a64_fail(e, "move wide: immediate above 0xffff");
    if ((shift & 15) || shift > (x ? 48u : 16u)) return a64_fail(e, "move wide: bad shift");
    return a64_op_value(op) | ((shift / 16) << 21) | (imm16 << 5) | d;
}
static inline uint32_t a64_movz(struct a64_err *e, int x, unsigned rd, uint32_t imm16, unsigned shift) {
    return a64_movewide(e, x ? A64_MOVZ_X : A64_MOVZ_W, rd, imm16, shift);
}
static inline uint32_t a64_movn(struct a64_err *e, int x, unsigned rd, uint32_t imm16, unsigned shift) {
    return a64_movewide(e, x ? A64_MOVN_X : A64_MOVN_W, rd, imm16, shift);
}
static inline uint32_t a64_movk(struct a64_err *e, int x, unsigned rd, uint32_t imm16, unsigned shift) {
    return a64_movewide(e, x ? A64_MOVK_X : A64_MOVK_W, rd, imm16, shift);
}

/* ---- bitfield: only the alias forms we use (the filter accepts only these) -- */
static inline uint32_t a64__bitfield(struct a64_err *e, enum a64_op op, unsigned rd,
                                     unsigned rn, unsigned immr, unsigned imms) {
    uint32_t d, n;
    if (!a64__rz(rd, &d) || !a64__rz(rn, &n)) return a64_fail(e, "bitfield: bad register");
    return a64_op_value(op) | (immr << 16) | (imms << 10) | (n << 5) | d;
}
static inline uint32_t a64_lsl_imm(struct a64_err *e, int x, unsigned rd, unsigned rn, unsigned sh) {
    unsigned w = x ? 64 : 32;
    if (sh >= w) return a64_fail(e, "lsl imm: shift out of range");
    /* lsl #0 is the same word as lsr #0 (ubfm rd, rn, #0, #w-1) */
    return a64__bitfield(e, x ? A64_UBFM_X : A64_UBFM_W, rd, rn, (w - sh) & (w - 1), w - 1 - sh);
}
static inline uint32_t a64_lsr_imm(struct a64_err *e, int x, unsigned rd, unsigned rn, unsigned sh) {
    unsigned w = x ? 64 : 32;
    if (sh >= w) return a64_fail(e, "lsr imm: shift out of range");
    return a64__bitfield(e, x ? A64_UBFM_X : A64_UBFM_W, rd, rn, sh, w - 1);
}
static inline uint32_t a64_asr_imm(struct a64_err *e, int x, unsigned rd, unsigned rn, unsigned sh) {
    unsigned w = x ? 64 : 32;
    if (sh >= w) return a64_fail(e, "asr imm: shift out of range");
    return a64__bitfield(e, x ? A64_SBFM_X : A64_SBFM_W, rd, rn, sh, w - 1);
}
/* sxtb/sxth: x selects the destination width; sxtw always writes an X reg. */
static inline uint32_t a64_sxtb(struct a64_err *e, int x, unsigned rd, unsigned rn) {
    return a64__bitfield(e, x ? A64_SBFM_X : A64_SBFM_W, rd, rn, 0, 7);
}
static inline uint32_t a64_sxth(struct a64_err *e, int x, unsigned rd, unsigned rn) {
    return a64__bitfield(e, x ? A64_SBFM_X : A64_SBFM_W, rd, rn, 0, 15);
}
static inline uint32_t a64_sxtw(struct a64_err *e, unsigned rd, unsigned rn) {
    return a64__bitfield(e, A64_SBFM_X, rd, rn, 0, 31);
}
/* uxtb/uxth write a W register (the upper half of the X register becomes 0). */
static inline uint32_t a64_uxtb(struct a64_err *e, unsigned rd, unsigned rn) {
    return a64__bitfield(e, A64_UBFM_W, rd, rn, 0, 7);
}
static inline uint32_t a64_uxth(struct a64_err *e, unsigned rd, unsigned rn) {
    return a64__bitfield(e, A64_UBFM_W, rd, rn, 0, 15);
}

/* ==== data processing, register ============================================ */

/* ADD/ADDS/SUB/SUBS Rd, Rn, Rm{, shift #amount}: all registers ZR-or-reg. */
static inline uint32_t a64_addsub_shift(struct a64_err *e, enum a64_op op, unsigned rd,
                                        unsigned rn, unsigned rm, enum a64_shift sh,
                                        unsigned amount) {
    uint32_t d, n, m;
    A64__OPCHK(op, ADDSUB_SHIFT, e, "addsub reg");
    unsigned w = (a64_op_value(op) >> 31) ? 64 : 32;
    if (!a64__rz(rd, &d) || !a64__rz(rn, &n) || !a64__rz(rm, &m))
        return a64_fail(e, "addsub reg: bad register (SP not encodable)");
    if ((unsigned)sh > A64_ASR) return a64_fail(e, "addsub reg: bad shift type");
    if (amount >= w) return a64_fail(e, "addsub reg: shift amount out of range");
    return a64_op_value(op) | ((uint32_t)sh << 22) | (m << 16) | (amount << 10) | (n << 5) | d;
}
static inline uint32_t a64_add(struct a64_err *e, int x, unsigned rd, unsigned rn, unsigned rm) {
    return a64_addsub_shift(e, x ? A64_ADD_X : A64_ADD_W, rd, rn, rm, A64_LSL, 0);
}
static inline uint32_t a64_adds(struct a64_err *e, int x, unsigned rd, unsigned rn, unsigned rm) {
    return a64_addsub_shift(e, x ? A64_ADDS_X : A64_ADDS_W, rd, rn, rm, A64_LSL, 0);
}
static inline uint32_t a64_sub(struct a64_err *e, int x, unsigned rd, unsigned rn, unsigned rm) {
    return a64_addsub_shift(e, x ? A64_SUB_X : A64_SUB_W, rd, rn, rm, A64_LSL, 0);
}
static inline uint32_t a64_subs(struct a64_err *e, int x, unsigned rd, unsigned rn, unsigned rm) {
    return a64_addsub_shift(e, x ? A64_SUBS_X : A64_SUBS_W, rd, rn, rm, A64_LSL, 0);
}
static inline uint32_t a64_cmp(struct a64_err *e, int x, unsigned rn, unsigned rm) {
    return a64_subs(e, x, A64_ZR, rn, rm);
}
static inline uint32_t a64_cmn(struct a64_err *e, int x, unsigned rn, unsigned rm) {
    return a64_adds(e, x, A64_ZR, rn, rm);
}
static inline uint32_t a64_neg(struct a64_err *e, int x, unsigned rd, unsigned rm) {
    return a64_sub(e, x, rd, A64_ZR, rm);
}
static inline uint32_t a64_negs(struct a64_err *e, int x, unsigned rd, unsigned rm) {
    if (rd == A64_ZR) return a64_fail(e, "negs: Rd=ZR is cmp");
    return a64_subs(e, x, rd, A64_ZR, rm);
}

/* ADD/ADDS/SUB/SUBS Rd, Rn, Rm, extend #amount (amount 0..4). Rd is SP-or-reg
 * for ADD/SUB, ZR-or-reg for ADDS/SUBS; Rn SP-or-reg; Rm ZR-or-reg (a W register
 * unless the extend is uxtx/sxtx). */
static inline uint32_t a64_addsub_ext(struct a64_err *e, enum a64_op op, unsigned rd,
                                      unsigned rn, unsigned rm, enum a64_extend ext,
                                      unsigned amount) {
    uint32_t d, n, m;
    A64__OPCHK(op, ADDSUB_EXT, e, "addsub ext");
    int setflags = (a64_op_value(op) >> 29) & 1;
    if (!(setflags ? a64__rz(rd, &d) : a64__rs(rd, &d))) return a64_fail(e, "addsub ext: bad Rd");
    if (!a64__rs(rn, &n)) return a64_fail(e, "addsub ext: bad Rn");
    if (!a64__rz(rm, &m)) return a64_fail(e, "addsub ext: bad Rm");
    if ((unsigned)ext > 7) return a64_fail(e, "addsub ext: bad extend");
    if (amount > 4) return a64_fail(e, "addsub ext: shift above 4");
    return a64_op_value(op) | (m << 16) | ((uint32_t)ext << 13) | (amount << 10) | (n << 5) | d;
}

/* AND/BIC/ORR/ORN/EOR/ANDS Rd, Rn, Rm{, shift #amount} (all shift types). */
static inline uint32_t a64_logic_shift(struct a64_err *e, enum a64_op op, unsigned rd,
                                       unsigned rn, unsigned rm, enum a64_shift sh,
                                       unsigned amount) {
    uint32_t d, n, m;
    A64__OPCHK(op, LOGIC_SHIFT, e, "logical reg");
    unsigned w = (a64_op_value(op) >> 31) ? 64 : 32;
    if (!a64__rz(rd, &d) || !a64__rz(rn, &n) || !a64__rz(rm, &m))
        return a64_fail(e, "logical reg: bad register (SP not encodable)");
    if ((unsigned)sh > A64_ROR) return a64_fail(e, "logical reg: bad shift type");
    if (amount >= w) return a64_fail(e, "logical reg: shift amount out of range");
    return a64_op_value(op) | ((uint32_t)sh << 22) | (m << 16) | (amount << 10) | (n << 5) | d;
}
static inline uint32_t a64_and(struct a64_err *e, int x, unsigned rd, unsigned rn, unsigned rm) {
    return a64_logic_shift(e, x ? A64_AND_X : A64_AND_W, rd, rn, rm, A64_LSL, 0);
}
static inline uint32_t a64_orr(struct a64_err *e, int x, unsigned rd, unsigned rn, unsigned rm) {
    return a64_logic_shift(e, x ? A64_ORR_X : A64_ORR_W, rd, rn, rm, A64_LSL, 0);
}
static inline uint32_t a64_eor(struct a64_err *e, int x, unsigned rd, unsigned rn, unsigned rm) {
    return a64_logic_shift(e, x ? A64_EOR_X : A64_EOR_W, rd, rn, rm, A64_LSL, 0);
}
static inline uint32_t a64_ands(struct a64_err *e, int x, unsigned rd, unsigned rn, unsigned rm) {
    return a64_logic_shift(e, x ? A64_ANDS_X : A64_ANDS_W, rd, rn, rm, A64_LSL, 0);
}
static inline uint32_t a64_bic(struct a64_err *e, int x, unsigned rd, unsigned rn, unsigned rm) {
    return a64_logic_shift(e, x ? A64_BIC_X : A64_BIC_W, rd, rn, rm, A64_LSL, 0);
}
static inline uint32_t a64_tst(struct a64_err *e, int x, unsigned rn, unsigned rm) {
    return a64_ands(e, x, A64_ZR, rn, rm);
}
/* mov Rd, Rm (orr Rd, zr, Rm): register to register, not SP. */
static inline uint32_t a64_mov(struct a64_err *e, int x, unsigned rd, unsigned rm) {
    return a64_orr(e, x, rd, A64_ZR, rm);
}
static inline uint32_t a64_mvn(struct a64_err *e, int x, unsigned rd, unsigned rm) {
    return a64_logic_shift(e, x ? A64_ORN_X : A64_ORN_W, rd, A64_ZR, rm, A64_LSL, 0);
}

/* UDIV/SDIV/LSLV/LSRV/ASRV Rd, Rn, Rm */
static inline uint32_t a64_dp2(struct a64_err *e, enum a64_op op, unsigned rd, unsigned rn,
                               unsigned rm) {
    uint32_t d, n, m;
    A64__OPCHK(op, DP2, e, "dp2");
    if (!a64__rz(rd, &d) || !a64__rz(rn, &n) || !a64__rz(rm, &m))
        return a64_fail(e, "dp2: bad register");
    return a64_op_value(op) | (m << 16) | (n << 5) | d;
}
static inline uint32_t a64_sdiv(struct a64_err *e, int x, unsigned rd, unsigned rn, unsigned rm) {
    return a64_dp2(e, x ? A64_SDIV_X : A64_SDIV_W, rd, rn, rm);
}
static inline uint32_t a64_udiv(struct a64_err *e, int x, unsigned rd, unsigned rn, unsigned rm) {
    return a64_dp2(e, x ? A64_UDIV_X : A64_UDIV_W, rd, rn, rm);
}
static inline uint32_t a64_lsl(struct a64_err *e, int x, unsigned rd, unsigned rn, unsigned rm) {
    return a64_dp2(e, x ? A64_LSLV_X : A64_LSLV_W, rd, rn, rm);
}
static inline uint32_t a64_lsr(struct a64_err *e, int x, unsigned rd, unsigned rn, unsigned rm) {
    return a64_dp2(e, x ? A64_LSRV_X : A64_LSRV_W, rd, rn, rm);
}
static inline uint32_t a64_asr(struct a64_err *e, int x, unsigned rd, unsigned rn, unsigned rm) {
    return a64_dp2(e, x ? A64_ASRV_X : A64_ASRV_W, rd, rn, rm);
}

/* MADD/MSUB/SMADDL/UMADDL Rd, Rn, Rm, Ra; SMULH/UMULH Rd, Rn, Rm. */
static inline uint32_t a64_dp3(struct a64_err *e, enum a64_op op, unsigned rd, unsigned rn,
                               unsigned rm, unsigned ra) {
    uint32_t d, n, m, a;
    int c = a64_op_class(op);
    if (c != A64_C_DP3 && c != A64_C_DP3H) return a64_fail(e, "dp3: opcode of the wrong class");
    if (!a64__rz(rd, &d) || !a64__rz(rn, &n) || !a64__rz(rm, &m) || !a64__rz(ra, &a))
        return a64_fail(e, "dp3: bad register");
    if (c == A64_C_DP3H) {
        if (ra != A64_ZR) return a64_fail(e, "smulh/umulh: Ra must be ZR");
        a = 0; /* already in the fixed bits */
    }
    return a64_op_value(op) | (m << 16) | (a << 10) | (n << 5) | d;
}
static inline uint32_t a64_madd(struct a64_err *e, int x, unsigned rd, unsigned rn, unsigned rm, unsigned ra) {
    return a64_dp3(e, x ? A64_MADD_X : A64_MADD_W, rd, rn, rm, ra);
}
static inline uint32_t a64_msub(struct a64_err *e, int x, unsigned rd, unsigned rn, unsigned rm, unsigned ra) {
    return a64_dp3(e, x ? A64_MSUB_X : A64_MSUB_W, rd, rn, rm, ra);
}
static inline uint32_t a64_mul(struct a64_err *e, int x, unsigned rd, unsigned rn, unsigned rm) {
    return a64_madd(e, x, rd, rn, rm, A64_ZR);
}
static inline uint32_t a64_smulh(struct a64_err *e, unsigned rd, unsigned rn, unsigned rm) {
    return a64_dp3(e, A64_SMULH, rd, rn, rm, A64_ZR);
}
static inline uint32_t a64_umulh(struct a64_err *e, unsigned rd, unsigned rn, unsigned rm) {
    return a64_dp3(e, A64_UMULH, rd, rn, rm, A64_ZR);
}
/* smull Xd, Wn, Wm: 32x32 -> 64 signed (checked i32 multiply). */
static inline uint32_t a64_smull(struct a64_err *e, unsigned rd, unsigned rn, unsigned rm) {
    return a64_dp3(e, A64_SMADDL, rd, rn, rm, A64_ZR);
}
static inline uint32_t a64_umull(struct a64_err *e, unsigned rd, unsigned rn, unsigned rm) {
    return a64_dp3(e, A64_UMADDL, rd, rn, rm, A64_ZR);
}

/* CSEL/CSINC/CSINV/CSNEG Rd, Rn, Rm, cond (cond AL/NV are not used). */
static inline uint32_t a64_condsel(struct a64_err *e, enum a64_op op, unsigned rd, unsigned rn,
                                   unsigned rm, enum a64_cond cond) {
    uint32_t d, n, m;
    A64__OPCHK(op, CONDSEL, e, "condsel");
    if (!a64__rz(rd, &d) || !a64__rz(rn, &n) || !a64__rz(rm, &m))
        return a64_fail(e, "condsel: bad register");
    if ((unsigned)cond >= A64_AL) return a64_fail(e, "condsel: condition must not be al/nv");
    return a64_op_value(op) | (m << 16) | ((uint32_t)cond << 12) | (n << 5) | d;
}
static inline uint32_t a64_csel(struct a64_err *e, int x, unsigned rd, unsigned rn, unsigned rm, enum a64_cond c) {
    return a64_condsel(e, x ? A64_CSEL_X : A64_CSEL_W, rd, rn, rm, c);
}
static inline uint32_t a64_csinc(struct a64_err *e, int x, unsigned rd, unsigned rn, unsigned rm, enum a64_cond c) {
    return a64_condsel(e, x ? A64_CSINC_X : A64_CSINC_W, rd, rn, rm, c);
}
static inline uint32_t a64_csinv(struct a64_err *e, int x, unsigned rd, unsigned rn, unsigned rm, enum a64_cond c) {
    return a64_condsel(e, x ? A64_CSINV_X : A64_CSINV_W, rd, rn, rm, c);
}
static inline uint32_t a64_csneg(struct a64_err *e, int x, unsigned rd, unsigned rn, unsigned rm, enum a64_cond c) {
    return a64_condsel(e, x ? A64_CSNEG_X : A64_CSNEG_W, rd, rn, rm, c);
}
/* cset Rd, c: Rd = c ? 1 : 0 */
static inline uint32_t a64_cset(struct a64_err *e, int x, unsigned rd, enum a64_cond c) {
    if ((unsigned)c >= A64_AL) return a64_fail(e, "cset: condition must not be al/nv");
    return a64_csinc(e, x, rd, A64_ZR, A64_ZR, a64_cond_invert(c));
}
/* csetm Rd, c: Rd = c ? -1 : 0 */
static inline uint32_t a64_csetm(struct a64_err *e, int x, unsigned rd, enum a64_cond c) {
    if ((unsigned)c >= A64_AL) return a64_fail(e, "csetm: condition must not be al/nv");
    return a64_csinv(e, x, rd, A64_ZR, A64_ZR, a64_cond_invert(c));
}
/* cinc Rd, Rn, c: Rd = c ? Rn + 1 : Rn;  cneg Rd, Rn, c: Rd = c ? -Rn : Rn */
static inline uint32_t a64_cinc(struct a64_err *e, int x, unsigned rd, unsigned rn, enum a64_cond c) {
    if ((unsigned)c >= A64_AL || rn == A64_ZR) return a64_fail(e, "cinc: bad operand");
    return a64_csinc(e, x, rd, rn, rn, a64_cond_invert(c));
}
static inline uint32_t a64_cneg(struct a64_err *e, int x, unsigned rd, unsigned rn, enum a64_cond c) {
    if ((unsigned)c >= A64_AL) return a64_fail(e, "cneg: bad condition");
    return a64_csneg(e, x, rd, rn, rn, a64_cond_invert(c));
}

/* ==== loads and stores ====================================================== */

static inline int a64__rt_ok(unsigned kind, unsigned rt, uint32_t *f) {
    return kind == A64_K_D ? a64__rv(rt, f) : a64__rz(rt, f);
}

/* [Xn|SP, #off]: off a multiple of the access size, 0 .. 4095*size. */
static inline uint32_t a64_ldst_uoff(struct a64_err *e, enum a64_op op, unsigned rt, unsigned rn,
                                     int64_t off) {
    uint32_t t, n;
    A64__OPCHK(op, LDST_UOFF, e, "ldst");
    unsigned aux = a64_op_aux(op), scale = aux >> 4;
    if (!a64__rt_ok(aux & 15, rt, &t)) return a64_fail(e, "ldst: bad Rt");
    if (!a64__rs(rn, &n)) return a64_fail(e, "ldst: bad base (ZR not encodable)");
    if (off < 0 || (off & ((1 << scale) - 1))) return a64_fail(e, "ldst: offset negative or misaligned");
    if ((off >> scale) > 4095) return a64_fail(e, "ldst: offset too large");
    return a64_op_value(op) | ((uint32_t)(off >> scale) << 10) | (n << 5) | t;
}

/* [Xn|SP, #simm9] unscaled (ldur/stur family): off in -256..255. */
static inline uint32_t a64_ldst_unsc(struct a64_err *e, enum a64_op op, unsigned rt, unsigned rn,
                                     int64_t off) {
    uint32_t t, n;
    A64__OPCHK(op, LDST_UNSC, e, "ldur/stur");
    unsigned aux = a64_op_aux(op);
    if (!a64__rt_ok(aux & 15, rt, &t)) return a64_fail(e, "ldur/stur: bad Rt");
    if (!a64__rs(rn, &n)) return a64_fail(e, "ldur/stur: bad base");
    if (off < -256 || off > 255) return a64_fail(e, "ldur/stur: offset out of -256..255");
    return a64_op_value(op) | (((uint32_t)off & 0x1ff) << 12) | (n << 5) | t;
}

/* [Xn|SP, Xm{, lsl #s}] or [Xn|SP, Wm, uxtw|sxtw {#s}]; s is 0 or log2(size),
 * shifted = 1 selects the scaled index. */
static inline uint32_t a64_ldst_roff(struct a64_err *e, enum a64_op op, unsigned rt, unsigned rn,
                                     unsigned rm, enum a64_idxext ext, int shifted) {
    uint32_t t, n, m;
    A64__OPCHK(op, LDST_ROFF, e, "ldst reg");
    unsigned aux = a64_op_aux(op);
    if (!a64__rt_ok(aux & 15, rt, &t)) return a64_fail(e, "ldst reg: bad Rt");
    if (!a64__rs(rn, &n)) return a64_fail(e, "ldst reg: bad base");
    if (!a64__rz(rm, &m) || rm == A64_ZR) return a64_fail(e, "ldst reg: bad index register");
    if (ext != A64_IDX_LSL && ext != A64_IDX_UXTW && ext != A64_IDX_SXTW)
        return a64_fail(e, "ldst reg: bad index extend");
    if (shifted != 0 && shifted != 1) return a64_fail(e, "ldst reg: bad shift flag");
    return a64_op_value(op) | (m << 16) | ((uint32_t)ext << 13) | ((uint32_t)shifted << 12) |
           (n << 5) | t;
}

/* The three addressing forms of a memop are laid out as three blocks. */
_Static_assert(A64_STRB_R - A64_STRB == A64_LDR_D - A64_STRB + 1, "memop table layout");
_Static_assert(A64_STRB_U - A64_STRB == 2 * (A64_LDR_D - A64_STRB + 1), "memop table layout");
#define A64_NMEMOPS (A64_LDR_D - A64_STRB + 1)

/* Convenience: pick the scaled form when the offset fits, else the unscaled
 * one; `op` names the scaled form (A64_LDR_X, A64_STRB, ...). */
static inline uint32_t a64_ldst(struct a64_err *e, enum a64_op op, unsigned rt, unsigned rn,
                                int64_t off) {
    if (a64_op_class(op) != A64_C_LDST_UOFF) return a64_fail(e, "ldst: opcode of the wrong class");
    unsigned scale = a64_op_aux(op) >> 4;
    if (off >= 0 && !(off & ((1 << scale) - 1)) && (off >> scale) <= 4095)
        return a64_ldst_uoff(e, op, rt, rn, off);
    /* the unscaled form is 2*NMEMOPS forms later in the table */
    return a64_ldst_unsc(e, (enum a64_op)(op + 2 * A64_NMEMOPS), rt, rn, off);
}

/* LDP/STP of X or D registers: off a multiple of 8 in -512..504. */
static inline uint32_t a64_ldstp(struct a64_err *e, enum a64_op op, unsigned rt, unsigned rt2,
                                 unsigned rn, int64_t off) {
    uint32_t t, t2, n;
    A64__OPCHK(op, LDSTP, e, "ldp/stp");
    uint32_t v = a64_op_value(op);
    unsigned kind = a64_op_aux(op) & 15;
    int load = (v >> 22) & 1, wback = ((v >> 23) & 3) != 2;
    if (!a64__rt_ok(kind, rt, &t) || !a64__rt_ok(kind, rt2, &t2)) return a64_fail(e, "ldp/stp: bad Rt");
    if (!a64__rs(rn, &n)) return a64_fail(e, "ldp/stp: bad base");
    if (off & 7) return a64_fail(e, "ldp/stp: offset not a multiple of 8");
    if (off < -512 || off > 504) return a64_fail(e, "ldp/stp: offset out of -512..504");
    if (load && t == t2) return a64_fail(e, "ldp: Rt == Rt2 is unpredictable");
    if (kind != A64_K_D && wback && n != 31 && (t == n || t2 == n))
        return a64_fail(e, "ldp/stp: writeback base overlaps a data register");
    return v | ((((uint32_t)(off / 8)) & 0x7f) << 15) | (t2 << 10) | (n << 5) | t;
}

/* ==== branches =============================================================== */

static inline int a64__brange(int64_t off, unsigned bits) {
    int64_t lim = (int64_t)1 << (bits + 1); /* bytes: imm * 4 */
    return !(off & 3) && off >= -lim && off < lim;
}
/* B / BL: ±128 MiB */
static inline uint32_t a64_b_imm(struct a64_err *e, enum a64_op op, int64_t off) {
    A64__OPCHK(op, BIMM, e, "b/bl");
    if (!a64__brange(off, 26)) return a64_fail(e, "b/bl: offset misaligned or beyond 128 MiB");
    return a64_op_value(op) | (((uint32_t)(off >> 2)) & 0x03ffffff);
}
static inline uint32_t a64_b(struct a64_err *e, int64_t off) { return a64_b_imm(e, A64_B, off); }
static inline uint32_t a64_bl(struct a64_err *e, int64_t off) { return a64_b_imm(e, A64_BL, off); }
/* B.cond: ±1 MiB, cond not NV */
static inline uint32_t a64_bcond(struct a64_err *e, enum a64_cond c, int64_t off) {
    if ((unsigned)c >= A64_NV) return a64_fail(e, "b.cond: bad condition");
    if (!a64__brange(off, 19)) return a64_fail(e, "b.cond: offset misaligned or beyond 1 MiB");
    return a64_op_value(A64_B_COND) | ((((uint32_t)(off >> 2)) & 0x7ffff) << 5) | (uint32_t)c;
}
/* CBZ/CBNZ (W or X per opcode): ±1 MiB */
static inline uint32_t a64_cb(struct a64_err *e, enum a64_op op, unsigned rt, int64_t off) {
    uint32_t t;
    A64__OPCHK(op, CB, e, "cbz/cbnz");
    if (!a64__rz(rt, &t)) return a64_fail(e, "cbz/cbnz: bad register");
    if (!a64__brange(off, 19)) return a64_fail(e, "cbz/cbnz: offset misaligned or beyond 1 MiB");
    return a64_op_value(op) | ((((uint32_t)(off >> 2)) & 0x7ffff) << 5) | t;
}
static inline uint32_t a64_cbz(struct a64_err *e, int x, unsigned rt, int64_t off) {
    return a64_cb(e, x ? A64_CBZ_X : A64_CBZ_W, rt, off);
}
static inline uint32_t a64_cbnz(struct a64_err *e, int x, unsigned rt, int64_t off) {
    return a64_cb(e, x ? A64_CBNZ_X : A64_CBNZ_W, rt, off);
}
/* TBZ/TBNZ Rt, #bit: ±32 KiB. The register prints as W for bit < 32. */
static inline uint32_t a64_tb(struct a64_err *e, enum a64_op op, unsigned rt, unsigned bit, int64_t off) {
    uint32_t t;
    A64__OPCHK(op, TB, e, "tbz/tbnz");
    if (!a64__rz(rt, &t)) return a64_fail(e, "tbz/tbnz: bad register");
    if (bit > 63) return a64_fail(e, "tbz/tbnz: bit above 63");
    if (!a64__brange(off, 14)) return a64_fail(e, "tbz/tbnz: offset misaligned or beyond 32 KiB");
    return a64_op_value(op) | ((uint32_t)(bit >> 5) << 31) | ((uint32_t)(bit & 31) << 19) |
           ((((uint32_t)(off >> 2)) & 0x3fff) << 5) | t;
}
static inline uint32_t a64_tbz(struct a64_err *e, unsigned rt, unsigned bit, int64_t off) {
    return a64_tb(e, A64_TBZ, rt, bit, off);
}
static inline uint32_t a64_tbnz(struct a64_err *e, unsigned rt, unsigned bit, int64_t off) {
    return a64_tb(e, A64_TBNZ, rt, bit, off);
}
/* Only the allowed forms: BR/BLR x16 (the helper-call form: movz/movk x16
 * just before) and RET (x30). */
static inline uint32_t a64_breg(struct a64_err *e, enum a64_op op, unsigned rn) {
    A64__OPCHK(op, BREG, e, "br/blr/ret");
    if (rn != (op == A64_RET ? (unsigned)A64_LR : (unsigned)A64_IP0))
        return a64_fail(e, "br/blr/ret: only blr/br x16 and ret x30 are allowed");
    return a64_op_value(op) | (rn << 5);
}
static inline uint32_t a64_blr_x16(struct a64_err *e) { return a64_breg(e, A64_BLR, A64_IP0); }
static inline uint32_t a64_br_x16(struct a64_err *e) { return a64_breg(e, A64_BR, A64_IP0); }
static inline uint32_t a64_ret(struct a64_err *e) { return a64_breg(e, A64_RET, A64_LR); }

/* Re-target an already encoded B/BL/B.cond/CBZ/CBNZ/TBZ/TBNZ word (fix-ups). */
static inline uint32_t a64_branch_retarget(struct a64_err *e, uint32_t w, int64_t off) {
    if ((w & 0x7C000000u) == 0x14000000u) {
        if (!a64__brange(off, 26)) return a64_fail(e, "fixup: b/bl out of range");
        return (w & 0xFC000000u) | (((uint32_t)(off >> 2)) & 0x03ffffff);
    }
    if ((w & 0xFF000010u) == 0x54000000u || (w & 0x7E000000u) == 0x34000000u) {
        if (!a64__brange(off, 19)) return a64_fail(e, "fixup: b.cond/cbz out of range");
        return (w & 0xFF00001Fu) | ((((uint32_t)(off >> 2)) & 0x7ffff) << 5);
    }
    if ((w & 0x7E000000u) == 0x36000000u) {
        if (!a64__brange(off, 14)) return a64_fail(e, "fixup: tbz/tbnz out of range");
        return (w & 0xFFF8001Fu) | ((((uint32_t)(off >> 2)) & 0x3fff) << 5);
    }
    return a64_fail(e, "fixup: not a direct branch");
}

/* ==== system ================================================================= */
static inline uint32_t a64_nop(void) { return A64_NOP_WORD; }
static inline uint32_t a64_brk_trap(void) { return A64_TRAP_WORD; }
/* DMB ISH/ISHLD/ISHST, DSB ISH, ISB */
static inline uint32_t a64_barrier(struct a64_err *e, enum a64_op op) {
    if (op != A64_DMB_ISH && op != A64_DMB_ISHLD && op != A64_DMB_ISHST && op != A64_DSB_ISH &&
        op != A64_ISB)
        return a64_fail(e, "barrier: not a barrier opcode");
    return a64_op_value(op);
}
static inline uint32_t a64_dc_cvau(struct a64_err *e, unsigned rt) {
    uint32_t t;
    if (!a64__rz(rt, &t) || rt == A64_ZR) return a64_fail(e, "dc cvau: bad register");
    return a64_op_value(A64_DC_CVAU) | t;
}
static inline uint32_t a64_ic_ivau(struct a64_err *e, unsigned rt) {
    uint32_t t;
    if (!a64__rz(rt, &t) || rt == A64_ZR) return a64_fail(e, "ic ivau: bad register");
    return a64_op_value(A64_IC_IVAU) | t;
}
/* MRS Xt, <reg> / MSR <reg>, Xt for the allowed registers (op = A64_MRS_*, A64_MSR_*). */
static inline uint32_t a64_sysreg(struct a64_err *e, enum a64_op op, unsigned rt) {
    uint32_t t;
    A64__OPCHK(op, SYSREG, e, "mrs/msr");
    if (!a64__rz(rt, &t)) return a64_fail(e, "mrs/msr: bad register");
    return a64_op_value(op) | t;
}

/* ==== floating point (double) ================================================= */

/* FMUL/FDIV/FADD/FSUB/FMAX/FMIN/FMAXNM/FMINNM Dd, Dn, Dm */
static inline uint32_t a64_fp_dp2(struct a64_err *e, enum a64_op op, unsigned dd, unsigned dn,
                                  unsigned dm) {
    uint32_t d, n, m;
    A64__OPCHK(op, FP_DP2, e, "fp dp2");
    if (!a64__rv(dd, &d) || !a64__rv(dn, &n) || !a64__rv(dm, &m)) return a64_fail(e, "fp dp2: bad register");
    return a64_op_value(op) | (m << 16) | (n << 5) | d;
}
/* FMOV/FABS/FNEG/FSQRT/FRINT* Dd, Dn */
static inline uint32_t a64_fp_dp1(struct a64_err *e, enum a64_op op, unsigned dd, unsigned dn) {
    uint32_t d, n;
    A64__OPCHK(op, FP_DP1, e, "fp dp1");
    if (!a64__rv(dd, &d) || !a64__rv(dn, &n)) return a64_fail(e, "fp dp1: bad register");
    return a64_op_value(op) | (n << 5) | d;
}
static inline uint32_t a64_fadd(struct a64_err *e, unsigned d, unsigned n, unsigned m) { return a64_fp_dp2(e, A64_FADD_D, d, n, m); }
static inline uint32_t a64_fsub(struct a64_err *e, unsigned d, unsigned n, unsigned m) { return a64_fp_dp2(e, A64_FSUB_D, d, n, m); }
static inline uint32_t a64_fmul(struct a64_err *e, unsigned d, unsigned n, unsigned m) { return a64_fp_dp2(e, A64_FMUL_D, d, n, m); }
static inline uint32_t a64_fdiv(struct a64_err *e, unsigned d, unsigned n, unsigned m) { return a64_fp_dp2(e, A64_FDIV_D, d, n, m); }
static inline uint32_t a64_fmov(struct a64_err *e, unsigned d, unsigned n) { return a64_fp_dp1(e, A64_FMOV_D, d, n); }
static inline uint32_t a64_fneg(struct a64_err *e, unsigned d, unsigned n) { return a64_fp_dp1(e, A64_FNEG_D, d, n); }
static inline uint32_t a64_fabs(struct a64_err *e, unsigned d, unsigned n) { return a64_fp_dp1(e, A64_FABS_D, d, n); }
static inline uint32_t a64_fsqrt(struct a64_err *e, unsigned d, unsigned n) { return a64_fp_dp1(e, A64_FSQRT_D, d, n); }

static inline uint32_t a64_fcmp(struct a64_err *e, unsigned dn, unsigned dm) {
    uint32_t n, m;
    if (!a64__rv(dn, &n) || !a64__rv(dm, &m)) return a64_fail(e, "fcmp: bad register");
    return a64_op_value(A64_FCMP_D) | (m << 16) | (n << 5);
}
static inline uint32_t a64_fcmp_zero(struct a64_err *e, unsigned dn) {
    uint32_t n;
    if (!a64__rv(dn, &n)) return a64_fail(e, "fcmp #0.0: bad register");
    return a64_op_value(A64_FCMP_D_ZERO) | (n << 5);
}
static inline uint32_t a64_fcsel(struct a64_err *e, unsigned dd, unsigned dn, unsigned dm,
                                 enum a64_cond c) {
    uint32_t d, n, m;
    if (!a64__rv(dd, &d) || !a64__rv(dn, &n) || !a64__rv(dm, &m)) return a64_fail(e, "fcsel: bad register");
    if ((unsigned)c >= A64_AL) return a64_fail(e, "fcsel: condition must not be al/nv");
    return a64_op_value(A64_FCSEL_D) | (m << 16) | ((uint32_t)c << 12) | (n << 5) | d;
}
/* FMOV Xd,Dn / FMOV Dd,Xn / SCVTF / UCVTF / FCVTZS / FCVTZU: register kinds per opcode. */
static inline uint32_t a64_fp_int(struct a64_err *e, enum a64_op op, unsigned rd, unsigned rn) {
    uint32_t d, n;
    A64__OPCHK(op, FP_INT, e, "fp<->int");
    unsigned aux = a64_op_aux(op);
    if (!a64__rt_ok(aux & 15, rd, &d) || !a64__rt_ok(aux >> 4, rn, &n))
        return a64_fail(e, "fp<->int: bad register");
    return a64_op_value(op) | (n << 5) | d;
}

#endif /* HY_ARCH_A64_ENC_H */
