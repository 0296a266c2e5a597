/* x86-64 instruction form table: the single source of truth for the encoder
 * (x86_enc.h), the decoder/disassembler (x86_disasm.c) and the Safe Opcode
 * Filter (x86_filter.c).
 *
 * Each row is one instruction form our encoder can produce.  A form is fixed
 * by (mandatory/operand-size prefix, REX.W rule, opcode map, opcode byte with
 * the low bits that carry a register or condition code masked out, ModRM.reg
 * extension).  The encoder reads the bytes it places from here; the decoder
 * matches bytes against the same rows.  The filter therefore accepts exactly
 * the rows below, with the operand constraints stated in the row (register
 * only, memory only), and nothing else: default deny.
 */
#ifndef HY_X86_TAB_H
#define HY_X86_TAB_H

#include <stdint.h>

/* REX rule of a form. */
enum x86_wrule {
  X86_W0 = 0, /* REX allowed (to reach r8..r15, sil..dil), REX.W must be 0 */
  X86_W1 = 1, /* REX.W = 1 required (64-bit operand size) */
  X86_NR = 2, /* no REX prefix at all */
};

/* Operand shape: which fields follow the opcode and how they map to the
 * printed operands (Intel order, destination first). */
enum x86_shape {
  X86_S_NONE,   /* no operands */
  X86_S_MR,     /* r/m, reg */
  X86_S_RM,     /* reg, r/m */
  X86_S_M,      /* r/m */
  X86_S_MI8,    /* r/m, imm8 */
  X86_S_MI32,   /* r/m, imm32 */
  X86_S_RMI8,   /* reg, r/m, imm8 */
  X86_S_RMI32,  /* reg, r/m, imm32 */
  X86_S_MCL,    /* r/m, cl */
  X86_S_O,      /* register in the opcode's low 3 bits */
  X86_S_OI32,   /* opcode register, imm32 */
  X86_S_OI64,   /* opcode register, imm64 */
  X86_S_D8,     /* rel8 */
  X86_S_D32,    /* rel32 */
};

/* Operand class of the ModRM.reg (or opcode) operand and of the r/m operand;
 * it fixes register names and the memory size keyword. */
enum x86_cls {
  X86_C_NONE,
  X86_C_G8,
  X86_C_G16,
  X86_C_G32,
  X86_C_G64,
  X86_C_X64,  /* xmm register, or a 64-bit memory operand */
  X86_C_X128, /* xmm register, or a 128-bit memory operand */
  X86_C_M,    /* memory without size (lea) */
};

/* ModRM.mod constraint. */
enum x86_modc { X86_MD_ANY, X86_MD_REG, X86_MD_MEM };

/* Control-flow kind, used by the filter. */
enum x86_kind {
  X86_K_PLAIN,
  X86_K_JCC,
  X86_K_JMP,
  X86_K_CALL,  /* call rel32 */
  X86_K_CALLR, /* call through a register (only `call r11`) */
  X86_K_RET,
  X86_K_TRAP,  /* int3: trap fill only */
  X86_K_NOP,
  X86_K_MOVABS, /* mov r64, imm64: may set up `call r11` */
};

/* Flags. */
#define X86_F_CC 1u   /* opcode low 4 bits are a condition code */
#define X86_F_OREG 2u /* opcode low 3 bits are a register */
#define X86_F_COUNT 4u /* imm8 is a shift count below the operand width */

#define X86_EXT_REG (-1)  /* ModRM.reg is a register operand */
#define X86_EXT_NONE (-2) /* no ModRM byte */

/* clang-format off */
/* X(ID, mnemonic, prefix, wrule, map(0=one byte,1=0F), opcode, ext, shape,
 *   reg class, r/m class, mod constraint, kind, flags) */
#define X86_ALU_FORMS(X, OP, op, mr, rm, ext)                                                    \
  X(OP##32_MR,   op, 0, X86_W0, 0, mr,   X86_EXT_REG, X86_S_MR,   X86_C_G32, X86_C_G32, X86_MD_REG, X86_K_PLAIN, 0) \
  X(OP##64_MR,   op, 0, X86_W1, 0, mr,   X86_EXT_REG, X86_S_MR,   X86_C_G64, X86_C_G64, X86_MD_REG, X86_K_PLAIN, 0) \
  X(OP##32_RM,   op, 0, X86_W0, 0, rm,   X86_EXT_REG, X86_S_RM,   X86_C_G32, X86_C_G32, X86_MD_MEM, X86_K_PLAIN, 0) \
  X(OP##64_RM,   op, 0, X86_W1, 0, rm,   X86_EXT_REG, X86_S_RM,   X86_C_G64, X86_C_G64, X86_MD_MEM, X86_K_PLAIN, 0) \
  X(OP##32_MI8,  op, 0, X86_W0, 0, 0x83, ext,         X86_S_MI8,  X86_C_NONE, X86_C_G32, X86_MD_REG, X86_K_PLAIN, 0) \
  X(OP##64_MI8,  op, 0, X86_W1, 0, 0x83, ext,         X86_S_MI8,  X86_C_NONE, X86_C_G64, X86_MD_REG, X86_K_PLAIN, 0) \
  X(OP##32_MI32, op, 0, X86_W0, 0, 0x81, ext,         X86_S_MI32, X86_C_NONE, X86_C_G32, X86_MD_REG, X86_K_PLAIN, 0) \
  X(OP##64_MI32, op, 0, X86_W1, 0, 0x81, ext,         X86_S_MI32, X86_C_NONE, X86_C_G64, X86_MD_REG, X86_K_PLAIN, 0)

#define X86_UNARY_FORMS(X, OP, op, ext)                                                          \
  X(OP##32, op, 0, X86_W0, 0, 0xF7, ext, X86_S_M, X86_C_NONE, X86_C_G32, X86_MD_REG, X86_K_PLAIN, 0) \
  X(OP##64, op, 0, X86_W1, 0, 0xF7, ext, X86_S_M, X86_C_NONE, X86_C_G64, X86_MD_REG, X86_K_PLAIN, 0)

#define X86_SHIFT_FORMS(X, OP, op, ext)                                                          \
  X(OP##32_MI8, op, 0, X86_W0, 0, 0xC1, ext, X86_S_MI8, X86_C_NONE, X86_C_G32, X86_MD_REG, X86_K_PLAIN, X86_F_COUNT) \
  X(OP##64_MI8, op, 0, X86_W1, 0, 0xC1, ext, X86_S_MI8, X86_C_NONE, X86_C_G64, X86_MD_REG, X86_K_PLAIN, X86_F_COUNT) \
  X(OP##32_MCL, op, 0, X86_W0, 0, 0xD3, ext, X86_S_MCL, X86_C_NONE, X86_C_G32, X86_MD_REG, X86_K_PLAIN, 0) \
  X(OP##64_MCL, op, 0, X86_W1, 0, 0xD3, ext, X86_S_MCL, X86_C_NONE, X86_C_G64, X86_MD_REG, X86_K_PLAIN, 0)

/* Scalar-double SSE2 op: F2 0F xx /r, xmm, xmm/m64. */
#define X86_SD_FORM(X, OP, op, opc) \
  X(OP, op, 0xF2, X86_W0, 1, opc, X86_EXT_REG, X86_S_RM, X86_C_X64, X86_C_X64, X86_MD_ANY, X86_K_PLAIN, 0)
/* Packed-double logic op: 66 0F xx /r, register form only. */
#define X86_PD_FORM(X, OP, op, opc) \
  X(OP, op, 0x66, X86_W0, 1, opc, X86_EXT_REG, X86_S_RM, X86_C_X128, X86_C_X128, X86_MD_REG, X86_K_PLAIN, 0)

#define X86_FORMS(X)                                                                             \
  /* data movement */                                                                            \
  X(MOV32_MR,  "mov",    0,    X86_W0, 0, 0x89, X86_EXT_REG, X86_S_MR,   X86_C_G32, X86_C_G32, X86_MD_ANY, X86_K_PLAIN, 0) \
  X(MOV64_MR,  "mov",    0,    X86_W1, 0, 0x89, X86_EXT_REG, X86_S_MR,   X86_C_G64, X86_C_G64, X86_MD_ANY, X86_K_PLAIN, 0) \
  X(MOV16_MR,  "mov",    0x66, X86_W0, 0, 0x89, X86_EXT_REG, X86_S_MR,   X86_C_G16, X86_C_G16, X86_MD_MEM, X86_K_PLAIN, 0) \
  X(MOV8_MR,   "mov",    0,    X86_W0, 0, 0x88, X86_EXT_REG, X86_S_MR,   X86_C_G8,  X86_C_G8,  X86_MD_MEM, X86_K_PLAIN, 0) \
  X(MOV32_RM,  "mov",    0,    X86_W0, 0, 0x8B, X86_EXT_REG, X86_S_RM,   X86_C_G32, X86_C_G32, X86_MD_MEM, X86_K_PLAIN, 0) \
  X(MOV64_RM,  "mov",    0,    X86_W1, 0, 0x8B, X86_EXT_REG, X86_S_RM,   X86_C_G64, X86_C_G64, X86_MD_MEM, X86_K_PLAIN, 0) \
  X(MOV32_MI,  "mov",    0,    X86_W0, 0, 0xC7, 0,           X86_S_MI32, X86_C_NONE, X86_C_G32, X86_MD_MEM, X86_K_PLAIN, 0) \
  X(MOV64_MI,  "mov",    0,    X86_W1, 0, 0xC7, 0,           X86_S_MI32, X86_C_NONE, X86_C_G64, X86_MD_ANY, X86_K_PLAIN, 0) \
  X(MOV32_OI,  "mov",    0,    X86_W0, 0, 0xB8, X86_EXT_NONE, X86_S_OI32, X86_C_G32, X86_C_NONE, X86_MD_ANY, X86_K_PLAIN, X86_F_OREG) \
  X(MOV64_OI,  "movabs", 0,    X86_W1, 0, 0xB8, X86_EXT_NONE, X86_S_OI64, X86_C_G64, X86_C_NONE, X86_MD_ANY, X86_K_MOVABS, X86_F_OREG) \
  X(MOVZX32_8, "movzx",  0,    X86_W0, 1, 0xB6, X86_EXT_REG, X86_S_RM,   X86_C_G32, X86_C_G8,  X86_MD_ANY, X86_K_PLAIN, 0) \
  X(MOVZX32_16,"movzx",  0,    X86_W0, 1, 0xB7, X86_EXT_REG, X86_S_RM,   X86_C_G32, X86_C_G16, X86_MD_ANY, X86_K_PLAIN, 0) \
  X(MOVSX32_8, "movsx",  0,    X86_W0, 1, 0xBE, X86_EXT_REG, X86_S_RM,   X86_C_G32, X86_C_G8,  X86_MD_ANY, X86_K_PLAIN, 0) \
  X(MOVSX64_8, "movsx",  0,    X86_W1, 1, 0xBE, X86_EXT_REG, X86_S_RM,   X86_C_G64, X86_C_G8,  X86_MD_ANY, X86_K_PLAIN, 0) \
  X(MOVSX32_16,"movsx",  0,    X86_W0, 1, 0xBF, X86_EXT_REG, X86_S_RM,   X86_C_G32, X86_C_G16, X86_MD_ANY, X86_K_PLAIN, 0) \
  X(MOVSX64_16,"movsx",  0,    X86_W1, 1, 0xBF, X86_EXT_REG, X86_S_RM,   X86_C_G64, X86_C_G16, X86_MD_ANY, X86_K_PLAIN, 0) \
  X(MOVSXD64,  "movsxd", 0,    X86_W1, 0, 0x63, X86_EXT_REG, X86_S_RM,   X86_C_G64, X86_C_G32, X86_MD_ANY, X86_K_PLAIN, 0) \
  X(LEA32,     "lea",    0,    X86_W0, 0, 0x8D, X86_EXT_REG, X86_S_RM,   X86_C_G32, X86_C_M,   X86_MD_MEM, X86_K_PLAIN, 0) \
  X(LEA64,     "lea",    0,    X86_W1, 0, 0x8D, X86_EXT_REG, X86_S_RM,   X86_C_G64, X86_C_M,   X86_MD_MEM, X86_K_PLAIN, 0) \
  /* integer arithmetic */                                                                       \
  X86_ALU_FORMS(X, ADD, "add", 0x01, 0x03, 0)                                                    \
  X86_ALU_FORMS(X, OR,  "or",  0x09, 0x0B, 1)                                                    \
  X86_ALU_FORMS(X, AND, "and", 0x21, 0x23, 4)                                                    \
  X86_ALU_FORMS(X, SUB, "sub", 0x29, 0x2B, 5)                                                    \
  X86_ALU_FORMS(X, XOR, "xor", 0x31, 0x33, 6)                                                    \
  X86_ALU_FORMS(X, CMP, "cmp", 0x39, 0x3B, 7)                                                    \
  X(TEST32_MR, "test",   0,    X86_W0, 0, 0x85, X86_EXT_REG, X86_S_MR,   X86_C_G32, X86_C_G32, X86_MD_REG, X86_K_PLAIN, 0) \
  X(TEST64_MR, "test",   0,    X86_W1, 0, 0x85, X86_EXT_REG, X86_S_MR,   X86_C_G64, X86_C_G64, X86_MD_REG, X86_K_PLAIN, 0) \
  X(TEST32_MI, "test",   0,    X86_W0, 0, 0xF7, 0,           X86_S_MI32, X86_C_NONE, X86_C_G32, X86_MD_REG, X86_K_PLAIN, 0) \
  X(TEST64_MI, "test",   0,    X86_W1, 0, 0xF7, 0,           X86_S_MI32, X86_C_NONE, X86_C_G64, X86_MD_REG, X86_K_PLAIN, 0) \
  X(IMUL32_RM, "imul",   0,    X86_W0, 1, 0xAF, X86_EXT_REG, X86_S_RM,   X86_C_G32, X86_C_G32, X86_MD_ANY, X86_K_PLAIN, 0) \
  X(IMUL64_RM, "imul",   0,    X86_W1, 1, 0xAF, X86_EXT_REG, X86_S_RM,   X86_C_G64, X86_C_G64, X86_MD_ANY, X86_K_PLAIN, 0) \
  X(IMUL32_RMI8,  "imul", 0,   X86_W0, 0, 0x6B, X86_EXT_REG, X86_S_RMI8, X86_C_G32, X86_C_G32, X86_MD_REG, X86_K_PLAIN, 0) \
  X(IMUL64_RMI8,  "imul", 0,   X86_W1, 0, 0x6B, X86_EXT_REG, X86_S_RMI8, X86_C_G64, X86_C_G64, X86_MD_REG, X86_K_PLAIN, 0) \
  X(IMUL32_RMI32, "imul", 0,   X86_W0, 0, 0x69, X86_EXT_REG, X86_S_RMI32, X86_C_G32, X86_C_G32, X86_MD_REG, X86_K_PLAIN, 0) \
  X(IMUL64_RMI32, "imul", 0,   X86_W1, 0, 0x69, X86_EXT_REG, X86_S_RMI32, X86_C_G64, X86_C_G64, X86_MD_REG, X86_K_PLAIN, 0) \
  X86_UNARY_FORMS(X, NOT,  "not",  2)                                                            \
  X86_UNARY_FORMS(X, NEG,  "neg",  3)                                                            \
  X86_UNARY_FORMS(X, DIV,  "div",  6)                                                            \
  X86_UNARY_FORMS(X, IDIV, "idiv", 7)                                                            \
  X86_SHIFT_FORMS(X, SHL, "shl", 4)                                                              \
  X86_SHIFT_FORMS(X, SHR, "shr", 5)                                                              \
  X86_SHIFT_FORMS(X, SAR, "sar", 7)                                                              \
  X(CDQ,       "cdq",    0,    X86_NR, 0, 0x99, X86_EXT_NONE, X86_S_NONE, X86_C_NONE, X86_C_NONE, X86_MD_ANY, X86_K_PLAIN, 0) \
  X(CQO,       "cqo",    0,    X86_W1, 0, 0x99, X86_EXT_NONE, X86_S_NONE, X86_C_NONE, X86_C_NONE, X86_MD_ANY, X86_K_PLAIN, 0) \
  X(SETCC,     "set",    0,    X86_W0, 1, 0x90, 0,           X86_S_M,    X86_C_NONE, X86_C_G8,  X86_MD_REG, X86_K_PLAIN, X86_F_CC) \
  X(CMOVCC32,  "cmov",   0,    X86_W0, 1, 0x40, X86_EXT_REG, X86_S_RM,   X86_C_G32, X86_C_G32, X86_MD_ANY, X86_K_PLAIN, X86_F_CC) \
  X(CMOVCC64,  "cmov",   0,    X86_W1, 1, 0x40, X86_EXT_REG, X86_S_RM,   X86_C_G64, X86_C_G64, X86_MD_ANY, X86_K_PLAIN, X86_F_CC) \
  /* control flow */                                                                             \
  X(JCC8,      "j",      0,    X86_NR, 0, 0x70, X86_EXT_NONE, X86_S_D8,  X86_C_NONE, X86_C_NONE, X86_MD_ANY, X86_K_JCC, X86_F_CC) \
  X(JCC32,     "j",      0,    X86_NR, 1, 0x80, X86_EXT_NONE, X86_S_D32, X86_C_NONE, X86_C_NONE, X86_MD_ANY, X86_K_JCC, X86_F_CC) \
  X(JMP8,      "jmp",    0,    X86_NR, 0, 0xEB, X86_EXT_NONE, X86_S_D8,  X86_C_NONE, X86_C_NONE, X86_MD_ANY, X86_K_JMP, 0) \
  X(JMP32,     "jmp",    0,    X86_NR, 0, 0xE9, X86_EXT_NONE, X86_S_D32, X86_C_NONE, X86_C_NONE, X86_MD_ANY, X86_K_JMP, 0) \
  X(CALL32,    "call",   0,    X86_NR, 0, 0xE8, X86_EXT_NONE, X86_S_D32, X86_C_NONE, X86_C_NONE, X86_MD_ANY, X86_K_CALL, 0) \
  X(CALLR,     "call",   0,    X86_W0, 0, 0xFF, 2,           X86_S_M,    X86_C_NONE, X86_C_G64, X86_MD_REG, X86_K_CALLR, 0) \
  X(RET,       "ret",    0,    X86_NR, 0, 0xC3, X86_EXT_NONE, X86_S_NONE, X86_C_NONE, X86_C_NONE, X86_MD_ANY, X86_K_RET, 0) \
  X(PUSH,      "push",   0,    X86_W0, 0, 0x50, X86_EXT_NONE, X86_S_O,   X86_C_G64, X86_C_NONE, X86_MD_ANY, X86_K_PLAIN, X86_F_OREG) \
  X(POP,       "pop",    0,    X86_W0, 0, 0x58, X86_EXT_NONE, X86_S_O,   X86_C_G64, X86_C_NONE, X86_MD_ANY, X86_K_PLAIN, X86_F_OREG) \
  X(INT3,      "int3",   0,    X86_NR, 0, 0xCC, X86_EXT_NONE, X86_S_NONE, X86_C_NONE, X86_C_NONE, X86_MD_ANY, X86_K_TRAP, 0) \
  X(NOP,       "nop",    0,    X86_NR, 0, 0x90, X86_EXT_NONE, X86_S_NONE, X86_C_NONE, X86_C_NONE, X86_MD_ANY, X86_K_NOP, 0) \
  X(NOP66,     "nop",    0x66, X86_NR, 0, 0x90, X86_EXT_NONE, X86_S_NONE, X86_C_NONE, X86_C_NONE, X86_MD_ANY, X86_K_NOP, 0) \
  X(NOPM32,    "nop",    0,    X86_NR, 1, 0x1F, 0,           X86_S_M,    X86_C_NONE, X86_C_G32, X86_MD_MEM, X86_K_NOP, 0) \
  X(NOPM16,    "nop",    0x66, X86_NR, 1, 0x1F, 0,           X86_S_M,    X86_C_NONE, X86_C_G16, X86_MD_MEM, X86_K_NOP, 0) \
  /* SSE2 scalar double */                                                                       \
  X(MOVSD_RM,  "movsd",  0xF2, X86_W0, 1, 0x10, X86_EXT_REG, X86_S_RM,   X86_C_X64, X86_C_X64, X86_MD_ANY, X86_K_PLAIN, 0) \
  X(MOVSD_MR,  "movsd",  0xF2, X86_W0, 1, 0x11, X86_EXT_REG, X86_S_MR,   X86_C_X64, X86_C_X64, X86_MD_MEM, X86_K_PLAIN, 0) \
  X(MOVAPD,    "movapd", 0x66, X86_W0, 1, 0x28, X86_EXT_REG, X86_S_RM,   X86_C_X128, X86_C_X128, X86_MD_REG, X86_K_PLAIN, 0) \
  X(MOVQ_XG,   "movq",   0x66, X86_W1, 1, 0x6E, X86_EXT_REG, X86_S_RM,   X86_C_X64, X86_C_G64, X86_MD_REG, X86_K_PLAIN, 0) \
  X(MOVQ_GX,   "movq",   0x66, X86_W1, 1, 0x7E, X86_EXT_REG, X86_S_MR,   X86_C_X64, X86_C_G64, X86_MD_REG, X86_K_PLAIN, 0) \
  X86_SD_FORM(X, ADDSD,  "addsd",  0x58)                                                         \
  X86_SD_FORM(X, MULSD,  "mulsd",  0x59)                                                         \
  X86_SD_FORM(X, SUBSD,  "subsd",  0x5C)                                                         \
  X86_SD_FORM(X, MINSD,  "minsd",  0x5D)                                                         \
  X86_SD_FORM(X, DIVSD,  "divsd",  0x5E)                                                         \
  X86_SD_FORM(X, MAXSD,  "maxsd",  0x5F)                                                         \
  X86_SD_FORM(X, SQRTSD, "sqrtsd", 0x51)                                                         \
  X(UCOMISD,   "ucomisd", 0x66, X86_W0, 1, 0x2E, X86_EXT_REG, X86_S_RM,  X86_C_X64, X86_C_X64, X86_MD_ANY, X86_K_PLAIN, 0) \
  X(COMISD,    "comisd",  0x66, X86_W0, 1, 0x2F, X86_EXT_REG, X86_S_RM,  X86_C_X64, X86_C_X64, X86_MD_ANY, X86_K_PLAIN, 0) \
  X(CVTSI2SD32,  "cvtsi2sd",  0xF2, X86_W0, 1, 0x2A, X86_EXT_REG, X86_S_RM, X86_C_X64, X86_C_G32, X86_MD_ANY, X86_K_PLAIN, 0) \
  X(CVTSI2SD64,  "cvtsi2sd",  0xF2, X86_W1, 1, 0x2A, X86_EXT_REG, X86_S_RM, X86_C_X64, X86_C_G64, X86_MD_ANY, X86_K_PLAIN, 0) \
  X(CVTTSD2SI32, "cvttsd2si", 0xF2, X86_W0, 1, 0x2C, X86_EXT_REG, X86_S_RM, X86_C_G32, X86_C_X64, X86_MD_ANY, X86_K_PLAIN, 0) \
  X(CVTTSD2SI64, "cvttsd2si", 0xF2, X86_W1, 1, 0x2C, X86_EXT_REG, X86_S_RM, X86_C_G64, X86_C_X64, X86_MD_ANY, X86_K_PLAIN, 0) \
  X86_PD_FORM(X, ANDPD,  "andpd",  0x54)                                                         \
  X86_PD_FORM(X, ANDNPD, "andnpd", 0x55)                                                         \
  X86_PD_FORM(X, ORPD,   "orpd",   0x56)                                                         \
  X86_PD_FORM(X, XORPD,  "xorpd",  0x57)
/* clang-format on */

enum x86_form_id {
#define X86_ENUM_ROW(id, mn, pfx, w, map, opc, ext, shape, rc, mc, modc, kind, fl) X86_##id,
  X86_FORMS(X86_ENUM_ROW)
#undef X86_ENUM_ROW
  X86_NFORMS
};

struct x86_form {
  const char *mnem;
  uint8_t pfx;   /* 0, 0x66, 0xF2 or 0xF3 */
  uint8_t wrule; /* enum x86_wrule */
  uint8_t map;   /* 0: one-byte map, 1: 0F map */
  uint8_t opc;   /* opcode with register / condition bits clear */
  int8_t ext;    /* ModRM.reg extension, X86_EXT_REG or X86_EXT_NONE */
  uint8_t shape, regc, rmc, modc, kind, flags;
};

/* The table itself.  `static const` in a header: every user gets the same
 * constant data and the encoder's field reads fold to constants. */
static const struct x86_form x86_forms[X86_NFORMS] = {
#define X86_TAB_ROW(id, mn, pfx, w, map, opc, ext, shape, rc, mc, modc, kind, fl) \
  {mn, pfx, w, map, opc, ext, shape, rc, mc, modc, kind, fl},
  X86_FORMS(X86_TAB_ROW)
#undef X86_TAB_ROW
};

/* Opcode-byte mask of a form: clears the register / condition-code bits. */
static inline uint8_t x86_form_opmask(const struct x86_form *f) {
  return (f->flags & X86_F_CC) ? 0xF0 : (f->flags & X86_F_OREG) ? 0xF8 : 0xFF;
}

/* Condition codes in encoding order; names as Intel/LLVM print them. */
#define X86_CCS(X) \
  X(O, "o") X(NO, "no") X(B, "b") X(AE, "ae") X(E, "e") X(NE, "ne") X(BE, "be") X(A, "a") \
  X(S, "s") X(NS, "ns") X(P, "p") X(NP, "np") X(L, "l") X(GE, "ge") X(LE, "le") X(G, "g")

enum x86_cc {
#define X86_CC_ENUM(c, s) X86_CC_##c,
  X86_CCS(X86_CC_ENUM)
#undef X86_CC_ENUM
};

#endif
