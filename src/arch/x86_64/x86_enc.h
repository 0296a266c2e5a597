/* x86-64 encoder: small typed functions named after the mnemonic that append
 * one instruction to a byte buffer.
 *
 * Every byte placed here comes from the form table (x86_tab.h), which the
 * decoder and the Safe Opcode Filter share.  Operands are checked first; a
 * bad operand (register out of range, scale not 1/2/4/8, index = rsp,
 * immediate out of range, a form we do not allow) emits a single INT3 and
 * sets the buffer's sticky error instead of anything else.
 *
 * A buffer with p == NULL only counts bytes: the size-first passes use it.
 */
#ifndef HY_X86_ENC_H
#define HY_X86_ENC_H

#include <stddef.h>
#include <stdint.h>

#include "arch/x86_64/x86_tab.h"

enum x86_gpr {
  X86_RAX, X86_RCX, X86_RDX, X86_RBX, X86_RSP, X86_RBP, X86_RSI, X86_RDI,
  X86_R8, X86_R9, X86_R10, X86_R11, X86_R12, X86_R13, X86_R14, X86_R15,
  X86_NOREG = -1,
};

enum x86_err { X86_OK = 0, X86_ERR_OPERAND, X86_ERR_FULL };

struct x86_buf {
  uint8_t *p;   /* NULL: sizing only */
  size_t cap;
  size_t len;
  int err;            /* sticky enum x86_err */
  size_t err_at;      /* offset of the first error */
  const char *err_what;
};

/* base + index*scale + disp.  A base is required (no absolute or RIP forms);
 * index may be X86_NOREG. */
struct x86_mem {
  int8_t base, index;
  uint8_t scale;
  int32_t disp;
};

static inline void x86_buf_init(struct x86_buf *b, uint8_t *p, size_t cap) {
  b->p = p;
  b->cap = cap;
  b->len = 0;
  b->err = X86_OK;
  b->err_at = 0;
  b->err_what = NULL;
}

static inline struct x86_mem x86_mem(int base, int32_t disp) {
  struct x86_mem m = {(int8_t)base, X86_NOREG, 1, disp};
  return m;
}

static inline struct x86_mem x86_memx(int base, int index, int scale, int32_t disp) {
  struct x86_mem m = {(int8_t)base, (int8_t)index, (uint8_t)scale, disp};
  return m;
}

/* ---------------------------------------------------------------- internals */

static inline void x86__put(struct x86_buf *b, const uint8_t *s, size_t n) {
  if (b->p) {
    if (b->len + n > b->cap) {
      if (!b->err) {
        b->err = X86_ERR_FULL;
        b->err_at = b->len;
        b->err_what = "code buffer full";
      }
    } else {
      for (size_t i = 0; i < n; i++) b->p[b->len + i] = s[i];
    }
  }
  b->len += n;
}

/* A bad operand: one INT3 and a sticky error. */
static inline void x86__bad(struct x86_buf *b, const char *what) {
  uint8_t t = x86_forms[X86_INT3].opc;
  if (!b->err) {
    b->err = X86_ERR_OPERAND;
    b->err_at = b->len;
    b->err_what = what;
  }
  x86__put(b, &t, 1);
}

static inline int x86__reg_ok(int r) { return r >= 0 && r <= 15; }
static inline int x86__fits8(int64_t v) { return v >= -128 && v <= 127; }
static inline int x86__fits32(int64_t v) { return v >= INT32_MIN && v <= INT32_MAX; }

static inline const char *x86__mem_check(const struct x86_mem *m) {
  if (!x86__reg_ok(m->base)) return "memory operand: bad base register";
  if (m->index != X86_NOREG) {
    if (!x86__reg_ok(m->index)) return "memory operand: bad index register";
    if (m->index == X86_RSP) return "memory operand: rsp cannot be an index";
    if (m->scale != 1 && m->scale != 2 && m->scale != 4 && m->scale != 8)
      return "memory operand: scale must be 1, 2, 4 or 8";
  }
  return NULL;
}

/* Displacement size policy: X86_DISP_MIN picks the shortest encoding, the
 * forced ones exist for the multi-byte NOPs. */
enum { X86_DISP_MIN, X86_DISP_8, X86_DISP_32 };

/* Emit form `f`.  `reg` is the ModRM.reg or opcode-register operand (-1 when
 * the form has an extension or none), `rmreg` the r/m register (-1 when `m`
 * is used), `cc` a condition code for X86_F_CC forms, `imm` the immediate
 * or displacement.  Operands are already validated by the caller. */
static inline void x86__emit(struct x86_buf *b, enum x86_form_id id, int cc, int reg, int rmreg,
                             const struct x86_mem *m, int64_t imm, int dispmode) {
  const struct x86_form *f = &x86_forms[id];
  uint8_t o[16];
  size_t n = 0;
  int rex = 0, need_rex = 0;
  if (f->wrule == X86_W1) rex |= 8;
  if (reg >= 0) {
    if (reg & 8) rex |= 4;
    if (f->regc == X86_C_G8 && reg >= 4 && reg <= 7) need_rex = 1;
  }
  if (f->ext != X86_EXT_NONE) {
    if (rmreg >= 0) {
      if (rmreg & 8) rex |= 1;
      if (f->rmc == X86_C_G8 && rmreg >= 4 && rmreg <= 7) need_rex = 1;
    } else {
      if (m->base & 8) rex |= 1;
      if (m->index != X86_NOREG && (m->index & 8)) rex |= 2;
    }
  } else if (f->flags & X86_F_OREG) {
    /* register lives in the opcode: REX.B extends it */
    rex = (rex & ~4) | ((reg & 8) ? 1 : 0);
  }
  if (f->pfx) o[n++] = f->pfx;
  if (rex || need_rex) o[n++] = (uint8_t)(0x40 | rex);
  if (f->map == 1) o[n++] = 0x0F;
  uint8_t opc = f->opc;
  if (f->flags & X86_F_CC) opc |= (uint8_t)(cc & 15);
  if (f->flags & X86_F_OREG) opc |= (uint8_t)(reg & 7);
  o[n++] = opc;
  if (f->ext != X86_EXT_NONE) {
    int r3 = (f->ext == X86_EXT_REG ? reg : f->ext) & 7;
    if (rmreg >= 0) {
      o[n++] = (uint8_t)(0xC0 | (r3 << 3) | (rmreg & 7));
    } else {
      int b3 = m->base & 7;
      int mod;
      int32_t d = m->disp;
      if (dispmode == X86_DISP_32 || !x86__fits8(d)) mod = 2;
      else if (dispmode == X86_DISP_8 || d != 0 || b3 == 5) mod = 1;
      else mod = 0;
      if (m->index != X86_NOREG || b3 == 4) {
        int ss = m->index == X86_NOREG ? 0 : m->scale == 8 ? 3 : m->scale == 4 ? 2 : m->scale == 2 ? 1 : 0;
        int i3 = m->index == X86_NOREG ? 4 : (m->index & 7);
        o[n++] = (uint8_t)((mod << 6) | (r3 << 3) | 4);
        o[n++] = (uint8_t)((ss << 6) | (i3 << 3) | b3);
      } else {
        o[n++] = (uint8_t)((mod << 6) | (r3 << 3) | b3);
      }
      if (mod == 1) o[n++] = (uint8_t)(int8_t)d;
      if (mod == 2)
        for (int i = 0; i < 4; i++) o[n++] = (uint8_t)((uint32_t)d >> (8 * i));
    }
  }
  int isz = 0;
  switch (f->shape) {
  case X86_S_MI8: case X86_S_RMI8: case X86_S_D8: isz = 1; break;
  case X86_S_MI32: case X86_S_RMI32: case X86_S_OI32: case X86_S_D32: isz = 4; break;
  case X86_S_OI64: isz = 8; break;
  default: break;
  }
  for (int i = 0; i < isz; i++) o[n++] = (uint8_t)((uint64_t)imm >> (8 * i));
  x86__put(b, o, n);
}

static inline int x86__wsel(int w, enum x86_form_id f32, enum x86_form_id f64) {
  return w == 32 ? (int)f32 : w == 64 ? (int)f64 : -1;
}

/* reg, reg (ModRM reg = `reg`, r/m = `rm`). */
static inline void x86__rr(struct x86_buf *b, int id, int cc, int reg, int rm, const char *what) {
  if (id < 0) { x86__bad(b, what); return; }
  int reg_is_ext = reg == -1 && x86_forms[id].ext >= 0;
  if ((!reg_is_ext && !x86__reg_ok(reg)) || !x86__reg_ok(rm)) { x86__bad(b, "bad register"); return; }
  x86__emit(b, (enum x86_form_id)id, cc, reg, rm, NULL, 0, X86_DISP_MIN);
}

static inline void x86__rmem(struct x86_buf *b, int id, int cc, int reg, struct x86_mem m,
                             const char *what) {
  if (id < 0) { x86__bad(b, what); return; }
  const char *e = x86__mem_check(&m);
  if (e) { x86__bad(b, e); return; }
  if (!(reg == -1 && x86_forms[id].ext >= 0) && !x86__reg_ok(reg)) { x86__bad(b, "bad register"); return; }
  x86__emit(b, (enum x86_form_id)id, cc, reg, -1, &m, 0, X86_DISP_MIN);
}

/* ------------------------------------------------------------- data movement */

/* mov r, r (32-bit form zero-extends into the full register). */
static inline void x86_mov_rr(struct x86_buf *b, int w, int dst, int src) {
  x86__rr(b, x86__wsel(w, X86_MOV32_MR, X86_MOV64_MR), 0, src, dst, "mov: width must be 32 or 64");
}

/* mov r32, imm32 (zero-extends; imm may be given as int32 or uint32). */
static inline void x86_mov_r32_imm32(struct x86_buf *b, int dst, int64_t imm) {
  if (!x86__reg_ok(dst)) { x86__bad(b, "bad register"); return; }
  if (imm < INT32_MIN || imm > (int64_t)UINT32_MAX) { x86__bad(b, "mov r32: immediate out of range"); return; }
  x86__emit(b, X86_MOV32_OI, 0, dst, -1, NULL, imm, X86_DISP_MIN);
}

/* mov r64, simm32 (sign-extended). */
static inline void x86_mov_r64_simm32(struct x86_buf *b, int dst, int64_t imm) {
  if (!x86__reg_ok(dst)) { x86__bad(b, "bad register"); return; }
  if (!x86__fits32(imm)) { x86__bad(b, "mov r64: immediate not a signed 32-bit value"); return; }
  x86__emit(b, X86_MOV64_MI, 0, -1, dst, NULL, imm, X86_DISP_MIN);
}

/* movabs r64, imm64 (always the 10-byte form). */
static inline void x86_movabs(struct x86_buf *b, int dst, uint64_t imm) {
  if (!x86__reg_ok(dst)) { x86__bad(b, "bad register"); return; }
  x86__emit(b, X86_MOV64_OI, 0, dst, -1, NULL, (int64_t)imm, X86_DISP_MIN);
}

/* mov r, imm: shortest form for the value (w = 32 or 64). */
static inline void x86_mov_ri(struct x86_buf *b, int w, int dst, int64_t imm) {
  if (w == 32) x86_mov_r32_imm32(b, dst, imm);
  else if (w != 64) x86__bad(b, "mov: width must be 32 or 64");
  else if (imm >= 0 && imm <= (int64_t)UINT32_MAX) x86_mov_r32_imm32(b, dst, imm);
  else if (x86__fits32(imm)) x86_mov_r64_simm32(b, dst, imm);
  else x86_movabs(b, dst, (uint64_t)imm);
}

/* Load: mov r, [m] for w = 32/64; movzx r32, [m] for w = 8/16 (zero-extending). */
static inline void x86_mov_rm(struct x86_buf *b, int w, int dst, struct x86_mem m) {
  int id = w == 8 ? X86_MOVZX32_8 : w == 16 ? X86_MOVZX32_16 : x86__wsel(w, X86_MOV32_RM, X86_MOV64_RM);
  x86__rmem(b, id, 0, dst, m, "load: width must be 8, 16, 32 or 64");
}

/* Store: mov [m], r for w = 8/16/32/64. */
static inline void x86_mov_mr(struct x86_buf *b, int w, struct x86_mem m, int src) {
  int id = w == 8 ? X86_MOV8_MR : w == 16 ? X86_MOV16_MR : x86__wsel(w, X86_MOV32_MR, X86_MOV64_MR);
  x86__rmem(b, id, 0, src, m, "store: width must be 8, 16, 32 or 64");
}

/* Store immediate: mov dword/qword ptr [m], simm32. */
static inline void x86_mov_mi(struct x86_buf *b, int w, struct x86_mem m, int64_t imm) {
  int id = x86__wsel(w, X86_MOV32_MI, X86_MOV64_MI);
  if (id < 0) { x86__bad(b, "mov [m], imm: width must be 32 or 64"); return; }
  const char *e = x86__mem_check(&m);
  if (e) { x86__bad(b, e); return; }
  if (w == 32 ? (imm < INT32_MIN || imm > (int64_t)UINT32_MAX) : !x86__fits32(imm)) {
    x86__bad(b, "mov [m], imm: immediate out of range");
    return;
  }
  x86__emit(b, (enum x86_form_id)id, 0, -1, -1, &m, imm, X86_DISP_MIN);
}

/* movzx r32, r8/r16 (srcw = 8 or 16); the result is zero-extended to 64. */
static inline void x86_movzx_rr(struct x86_buf *b, int srcw, int dst, int src) {
  int id = srcw == 8 ? X86_MOVZX32_8 : srcw == 16 ? X86_MOVZX32_16 : -1;
  x86__rr(b, id, 0, dst, src, "movzx: source width must be 8 or 16");
}
static inline void x86_movzx_rm(struct x86_buf *b, int srcw, int dst, struct x86_mem m) {
  int id = srcw == 8 ? X86_MOVZX32_8 : srcw == 16 ? X86_MOVZX32_16 : -1;
  x86__rmem(b, id, 0, dst, m, "movzx: source width must be 8 or 16");
}

static inline int x86__movsx_id(int dstw, int srcw) {
  if (srcw == 8) return x86__wsel(dstw, X86_MOVSX32_8, X86_MOVSX64_8);
  if (srcw == 16) return x86__wsel(dstw, X86_MOVSX32_16, X86_MOVSX64_16);
  if (srcw == 32 && dstw == 64) return X86_MOVSXD64;
  return -1;
}
/* movsx/movsxd: sign-extend an 8/16/32-bit source into 32/64 bits. */
static inline void x86_movsx_rr(struct x86_buf *b, int dstw, int srcw, int dst, int src) {
  x86__rr(b, x86__movsx_id(dstw, srcw), 0, dst, src, "movsx: bad widths");
}
static inline void x86_movsx_rm(struct x86_buf *b, int dstw, int srcw, int dst, struct x86_mem m) {
  x86__rmem(b, x86__movsx_id(dstw, srcw), 0, dst, m, "movsx: bad widths");
}
static inline void x86_movsxd_rr(struct x86_buf *b, int dst, int src) { x86_movsx_rr(b, 64, 32, dst, src); }
static inline void x86_movsxd_rm(struct x86_buf *b, int dst, struct x86_mem m) { x86_movsx_rm(b, 64, 32, dst, m); }

static inline void x86_lea(struct x86_buf *b, int w, int dst, struct x86_mem m) {
  x86__rmem(b, x86__wsel(w, X86_LEA32, X86_LEA64), 0, dst, m, "lea: width must be 32 or 64");
}

/* ---------------------------------------------------------- integer ALU ops */

static inline void x86__ri(struct x86_buf *b, int id, int rm, int64_t imm, int isz) {
  if (id < 0) { x86__bad(b, "width must be 32 or 64"); return; }
  if (!x86__reg_ok(rm)) { x86__bad(b, "bad register"); return; }
  if (isz == 1 ? !x86__fits8(imm) : !x86__fits32(imm)) {
    x86__bad(b, isz == 1 ? "immediate does not fit in imm8" : "immediate does not fit in imm32");
    return;
  }
  x86__emit(b, (enum x86_form_id)id, 0, -1, rm, NULL, imm, X86_DISP_MIN);
}

/* For each of add/or/and/sub/xor/cmp:
 *   x86_OP_rr(b, w, dst, src)      OP dst, src
 *   x86_OP_rm(b, w, dst, mem)      OP dst, [mem]
 *   x86_OP_ri8 / x86_OP_ri32       OP dst, imm (forced size)
 *   x86_OP_ri(b, w, dst, imm)      OP dst, imm (shortest)
 * Immediates are sign-extended by the CPU; out-of-range ones are errors. */
#define X86_DEF_ALU(op, OP)                                                                          \
  static inline void x86_##op##_rr(struct x86_buf *b, int w, int dst, int src) {                     \
    x86__rr(b, x86__wsel(w, X86_##OP##32_MR, X86_##OP##64_MR), 0, src, dst, #op ": width must be 32 or 64"); \
  }                                                                                                  \
  static inline void x86_##op##_rm(struct x86_buf *b, int w, int dst, struct x86_mem m) {            \
    x86__rmem(b, x86__wsel(w, X86_##OP##32_RM, X86_##OP##64_RM), 0, dst, m, #op ": width must be 32 or 64"); \
  }                                                                                                  \
  static inline void x86_##op##_ri8(struct x86_buf *b, int w, int dst, int64_t imm) {                \
    x86__ri(b, x86__wsel(w, X86_##OP##32_MI8, X86_##OP##64_MI8), dst, imm, 1);                       \
  }                                                                                                  \
  static inline void x86_##op##_ri32(struct x86_buf *b, int w, int dst, int64_t imm) {               \
    x86__ri(b, x86__wsel(w, X86_##OP##32_MI32, X86_##OP##64_MI32), dst, imm, 4);                     \
  }                                                                                                  \
  static inline void x86_##op##_ri(struct x86_buf *b, int w, int dst, int64_t imm) {                 \
    if (x86__fits8(imm)) x86_##op##_ri8(b, w, dst, imm);                                             \
    else x86_##op##_ri32(b, w, dst, imm);                                                            \
  }
X86_DEF_ALU(add, ADD)
X86_DEF_ALU(or, OR)
X86_DEF_ALU(and, AND)
X86_DEF_ALU(sub, SUB)
X86_DEF_ALU(xor, XOR)
X86_DEF_ALU(cmp, CMP)
#undef X86_DEF_ALU

static inline void x86_test_rr(struct x86_buf *b, int w, int a, int c) {
  x86__rr(b, x86__wsel(w, X86_TEST32_MR, X86_TEST64_MR), 0, c, a, "test: width must be 32 or 64");
}
static inline void x86_test_ri(struct x86_buf *b, int w, int a, int64_t imm) {
  x86__ri(b, x86__wsel(w, X86_TEST32_MI, X86_TEST64_MI), a, imm, 4);
}

/* imul dst, src / imul dst, [m] / imul dst, src, imm (3-operand). */
static inline void x86_imul_rr(struct x86_buf *b, int w, int dst, int src) {
  x86__rr(b, x86__wsel(w, X86_IMUL32_RM, X86_IMUL64_RM), 0, dst, src, "imul: width must be 32 or 64");
}
static inline void x86_imul_rm(struct x86_buf *b, int w, int dst, struct x86_mem m) {
  x86__rmem(b, x86__wsel(w, X86_IMUL32_RM, X86_IMUL64_RM), 0, dst, m, "imul: width must be 32 or 64");
}
static inline void x86__imul3(struct x86_buf *b, int id, int dst, int src, int64_t imm, int isz) {
  if (id < 0) { x86__bad(b, "imul: width must be 32 or 64"); return; }
  if (!x86__reg_ok(dst) || !x86__reg_ok(src)) { x86__bad(b, "bad register"); return; }
  if (isz == 1 ? !x86__fits8(imm) : !x86__fits32(imm)) { x86__bad(b, "imul: immediate out of range"); return; }
  x86__emit(b, (enum x86_form_id)id, 0, dst, src, NULL, imm, X86_DISP_MIN);
}
static inline void x86_imul_rri8(struct x86_buf *b, int w, int dst, int src, int64_t imm) {
  x86__imul3(b, x86__wsel(w, X86_IMUL32_RMI8, X86_IMUL64_RMI8), dst, src, imm, 1);
}
static inline void x86_imul_rri32(struct x86_buf *b, int w, int dst, int src, int64_t imm) {
  x86__imul3(b, x86__wsel(w, X86_IMUL32_RMI32, X86_IMUL64_RMI32), dst, src, imm, 4);
}
static inline void x86_imul_rri(struct x86_buf *b, int w, int dst, int src, int64_t imm) {
  if (x86__fits8(imm)) x86_imul_rri8(b, w, dst, src, imm);
  else x86_imul_rri32(b, w, dst, src, imm);
}

static inline void x86__unary(struct x86_buf *b, int id, int r) {
  if (id < 0) { x86__bad(b, "width must be 32 or 64"); return; }
  if (!x86__reg_ok(r)) { x86__bad(b, "bad register"); return; }
  x86__emit(b, (enum x86_form_id)id, 0, -1, r, NULL, 0, X86_DISP_MIN);
}
static inline void x86_not(struct x86_buf *b, int w, int r) { x86__unary(b, x86__wsel(w, X86_NOT32, X86_NOT64), r); }
static inline void x86_neg(struct x86_buf *b, int w, int r) { x86__unary(b, x86__wsel(w, X86_NEG32, X86_NEG64), r); }
/* div/idiv r: rdx:rax / r (edx:eax for 32).  The caller guarantees r != 0
 * and, for idiv, not MIN / -1. */
static inline void x86_div(struct x86_buf *b, int w, int r) { x86__unary(b, x86__wsel(w, X86_DIV32, X86_DIV64), r); }
static inline void x86_idiv(struct x86_buf *b, int w, int r) { x86__unary(b, x86__wsel(w, X86_IDIV32, X86_IDIV64), r); }
static inline void x86_cdq(struct x86_buf *b) { x86__emit(b, X86_CDQ, 0, -1, -1, NULL, 0, X86_DISP_MIN); }
static inline void x86_cqo(struct x86_buf *b) { x86__emit(b, X86_CQO, 0, -1, -1, NULL, 0, X86_DISP_MIN); }

/* Shifts by an immediate (0 .. w-1) or by cl. */
#define X86_DEF_SHIFT(op, OP)                                                                  \
  static inline void x86_##op##_ri(struct x86_buf *b, int w, int r, int n) {                   \
    int id = x86__wsel(w, X86_##OP##32_MI8, X86_##OP##64_MI8);                                 \
    if (id >= 0 && (n < 0 || n >= w)) { x86__bad(b, #op ": shift count out of range"); return; } \
    x86__ri(b, id, r, n, 1);                                                                   \
  }                                                                                            \
  static inline void x86_##op##_rcl(struct x86_buf *b, int w, int r) {                         \
    x86__unary(b, x86__wsel(w, X86_##OP##32_MCL, X86_##OP##64_MCL), r);                        \
  }
X86_DEF_SHIFT(shl, SHL)
X86_DEF_SHIFT(shr, SHR)
X86_DEF_SHIFT(sar, SAR)
#undef X86_DEF_SHIFT

static inline int x86__cc_ok(int cc) { return cc >= 0 && cc <= 15; }

/* setcc r8 (sil/dil/spl/bpl get a REX prefix, never ah..bh). */
static inline void x86_setcc(struct x86_buf *b, int cc, int r) {
  if (!x86__cc_ok(cc)) { x86__bad(b, "setcc: bad condition"); return; }
  x86__rr(b, X86_SETCC, cc, -1, r, "");
}
static inline void x86_cmovcc_rr(struct x86_buf *b, int w, int cc, int dst, int src) {
  if (!x86__cc_ok(cc)) { x86__bad(b, "cmovcc: bad condition"); return; }
  x86__rr(b, x86__wsel(w, X86_CMOVCC32, X86_CMOVCC64), cc, dst, src, "cmov: width must be 32 or 64");
}
static inline void x86_cmovcc_rm(struct x86_buf *b, int w, int cc, int dst, struct x86_mem m) {
  if (!x86__cc_ok(cc)) { x86__bad(b, "cmovcc: bad condition"); return; }
  x86__rmem(b, x86__wsel(w, X86_CMOVCC32, X86_CMOVCC64), cc, dst, m, "cmov: width must be 32 or 64");
}

/* ------------------------------------------------------------- control flow */

/* Displacements are relative to the end of the instruction. */
static inline void x86_jcc_rel8(struct x86_buf *b, int cc, int64_t rel) {
  if (!x86__cc_ok(cc)) { x86__bad(b, "jcc: bad condition"); return; }
  if (!x86__fits8(rel)) { x86__bad(b, "jcc: rel8 out of range"); return; }
  x86__emit(b, X86_JCC8, cc, -1, -1, NULL, rel, X86_DISP_MIN);
}
static inline void x86_jcc_rel32(struct x86_buf *b, int cc, int64_t rel) {
  if (!x86__cc_ok(cc)) { x86__bad(b, "jcc: bad condition"); return; }
  if (!x86__fits32(rel)) { x86__bad(b, "jcc: rel32 out of range"); return; }
  x86__emit(b, X86_JCC32, cc, -1, -1, NULL, rel, X86_DISP_MIN);
}
static inline void x86_jmp_rel8(struct x86_buf *b, int64_t rel) {
  if (!x86__fits8(rel)) { x86__bad(b, "jmp: rel8 out of range"); return; }
  x86__emit(b, X86_JMP8, 0, -1, -1, NULL, rel, X86_DISP_MIN);
}
static inline void x86_jmp_rel32(struct x86_buf *b, int64_t rel) {
  if (!x86__fits32(rel)) { x86__bad(b, "jmp: rel32 out of range"); return; }
  x86__emit(b, X86_JMP32, 0, -1, -1, NULL, rel, X86_DISP_MIN);
}
static inline void x86_call_rel32(struct x86_buf *b, int64_t rel) {
  if (!x86__fits32(rel)) { x86__bad(b, "call: rel32 out of range"); return; }
  x86__emit(b, X86_CALL32, 0, -1, -1, NULL, rel, X86_DISP_MIN);
}
/* Indirect call: the only allowed form is `call r11` right after
 * `movabs r11, helper` (the filter checks the pair). */
static inline void x86_call_r(struct x86_buf *b, int r) {
  if (r != X86_R11) { x86__bad(b, "call: only `call r11` is allowed"); return; }
  x86__emit(b, X86_CALLR, 0, -1, r, NULL, 0, X86_DISP_MIN);
}
static inline void x86_ret(struct x86_buf *b) { x86__emit(b, X86_RET, 0, -1, -1, NULL, 0, X86_DISP_MIN); }
static inline void x86_push(struct x86_buf *b, int r) {
  if (!x86__reg_ok(r)) { x86__bad(b, "push: bad register"); return; }
  x86__emit(b, X86_PUSH, 0, r, -1, NULL, 0, X86_DISP_MIN);
}
static inline void x86_pop(struct x86_buf *b, int r) {
  if (!x86__reg_ok(r)) { x86__bad(b, "pop: bad register"); return; }
  x86__emit(b, X86_POP, 0, r, -1, NULL, 0, X86_DISP_MIN);
}
/* Trap fill only. */
static inline void x86_int3(struct x86_buf *b) { x86__emit(b, X86_INT3, 0, -1, -1, NULL, 0, X86_DISP_MIN); }

/* Intel's recommended multi-byte NOPs, n = 1..9 bytes. */
static inline void x86_nop(struct x86_buf *b, int n) {
  struct x86_mem m0 = x86_mem(X86_RAX, 0), mi = x86_memx(X86_RAX, X86_RAX, 1, 0);
  switch (n) {
  case 1: x86__emit(b, X86_NOP, 0, -1, -1, NULL, 0, X86_DISP_MIN); break;
  case 2: x86__emit(b, X86_NOP66, 0, -1, -1, NULL, 0, X86_DISP_MIN); break;
  case 3: x86__emit(b, X86_NOPM32, 0, -1, -1, &m0, 0, X86_DISP_MIN); break;
  case 4: x86__emit(b, X86_NOPM32, 0, -1, -1, &m0, 0, X86_DISP_8); break;
  case 5: x86__emit(b, X86_NOPM32, 0, -1, -1, &mi, 0, X86_DISP_8); break;
  case 6: x86__emit(b, X86_NOPM16, 0, -1, -1, &mi, 0, X86_DISP_8); break;
  case 7: x86__emit(b, X86_NOPM32, 0, -1, -1, &m0, 0, X86_DISP_32); break;
  case 8: x86__emit(b, X86_NOPM32, 0, -1, -1, &mi, 0, X86_DISP_32); break;
  case 9: x86__emit(b, X86_NOPM16, 0, -1, -1, &mi, 0, X86_DISP_32); break;
  default: x86__bad(b, "nop: length must be 1..9"); break;
  }
}

/* ------------------------------------------------------ SSE2 scalar double */

/* xmm, xmm forms and xmm, [m64] forms. */
static inline void x86__xx(struct x86_buf *b, enum x86_form_id id, int d, int s) {
  x86__rr(b, id, 0, d, s, "");
}
#define X86_DEF_SD(op, OP)                                                                  \
  static inline void x86_##op##_rr(struct x86_buf *b, int d, int s) { x86__xx(b, X86_##OP, d, s); } \
  static inline void x86_##op##_rm(struct x86_buf *b, int d, struct x86_mem m) {              \
    x86__rmem(b, X86_##OP, 0, d, m, "");                                                     \
  }
X86_DEF_SD(addsd, ADDSD)
X86_DEF_SD(subsd, SUBSD)
X86_DEF_SD(mulsd, MULSD)
X86_DEF_SD(divsd, DIVSD)
X86_DEF_SD(minsd, MINSD)
X86_DEF_SD(maxsd, MAXSD)
X86_DEF_SD(sqrtsd, SQRTSD)
X86_DEF_SD(ucomisd, UCOMISD)
X86_DEF_SD(comisd, COMISD)
#undef X86_DEF_SD

/* movsd xmm, xmm (merges the low lane); movapd is the full register copy. */
static inline void x86_movsd_rr(struct x86_buf *b, int d, int s) { x86__xx(b, X86_MOVSD_RM, d, s); }
static inline void x86_movsd_rm(struct x86_buf *b, int d, struct x86_mem m) { x86__rmem(b, X86_MOVSD_RM, 0, d, m, ""); }
static inline void x86_movsd_mr(struct x86_buf *b, struct x86_mem m, int s) { x86__rmem(b, X86_MOVSD_MR, 0, s, m, ""); }
static inline void x86_movapd_rr(struct x86_buf *b, int d, int s) { x86__xx(b, X86_MOVAPD, d, s); }
static inline void x86_xorpd_rr(struct x86_buf *b, int d, int s) { x86__xx(b, X86_XORPD, d, s); }
static inline void x86_andpd_rr(struct x86_buf *b, int d, int s) { x86__xx(b, X86_ANDPD, d, s); }
static inline void x86_andnpd_rr(struct x86_buf *b, int d, int s) { x86__xx(b, X86_ANDNPD, d, s); }
static inline void x86_orpd_rr(struct x86_buf *b, int d, int s) { x86__xx(b, X86_ORPD, d, s); }
/* movq xmm, r64 and movq r64, xmm. */
static inline void x86_movq_xr(struct x86_buf *b, int xd, int gs) { x86__rr(b, X86_MOVQ_XG, 0, xd, gs, ""); }
static inline void x86_movq_rx(struct x86_buf *b, int gd, int xs) { x86__rr(b, X86_MOVQ_GX, 0, xs, gd, ""); }
/* cvtsi2sd xmm, r32/r64 (w = source width); cvttsd2si r32/r64, xmm (w = dest width). */
static inline void x86_cvtsi2sd_rr(struct x86_buf *b, int w, int xd, int gs) {
  x86__rr(b, x86__wsel(w, X86_CVTSI2SD32, X86_CVTSI2SD64), 0, xd, gs, "cvtsi2sd: width must be 32 or 64");
}
static inline void x86_cvtsi2sd_rm(struct x86_buf *b, int w, int xd, struct x86_mem m) {
  x86__rmem(b, x86__wsel(w, X86_CVTSI2SD32, X86_CVTSI2SD64), 0, xd, m, "cvtsi2sd: width must be 32 or 64");
}
static inline void x86_cvttsd2si_rr(struct x86_buf *b, int w, int gd, int xs) {
  x86__rr(b, x86__wsel(w, X86_CVTTSD2SI32, X86_CVTTSD2SI64), 0, gd, xs, "cvttsd2si: width must be 32 or 64");
}
static inline void x86_cvttsd2si_rm(struct x86_buf *b, int w, int gd, struct x86_mem m) {
  x86__rmem(b, x86__wsel(w, X86_CVTTSD2SI32, X86_CVTTSD2SI64), 0, gd, m, "cvttsd2si: width must be 32 or 64");
}

#endif
