/* Intel-syntax printer for decoded x86-64 instructions, spelled the way
 * LLVM prints them (so the tests can compare text with llvm-mc). */
#include "arch/x86_64/x86_dec.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const char *const gpr64[16] = {"rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
                                      "r8",  "r9",  "r10", "r11", "r12", "r13", "r14", "r15"};
static const char *const gpr32[16] = {"eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi",
                                      "r8d", "r9d", "r10d", "r11d", "r12d", "r13d", "r14d", "r15d"};
static const char *const gpr16[16] = {"ax", "cx", "dx", "bx", "sp", "bp", "si", "di",
                                      "r8w", "r9w", "r10w", "r11w", "r12w", "r13w", "r14w", "r15w"};
static const char *const gpr8[16] = {"al", "cl", "dl", "bl", "spl", "bpl", "sil", "dil",
                                     "r8b", "r9b", "r10b", "r11b", "r12b", "r13b", "r14b", "r15b"};
static const char *const xmm[16] = {"xmm0", "xmm1", "xmm2",  "xmm3",  "xmm4",  "xmm5",
                                    "xmm6", "xmm7", "xmm8",  "xmm9",  "xmm10", "xmm11",
                                    "xmm12", "xmm13", "xmm14", "xmm15"};
static const char *const ccname[16] = {
#define X86_CC_NAME(c, s) s,
    X86_CCS(X86_CC_NAME)
#undef X86_CC_NAME
};

static const char *reg_name(int cls, int r) {
  if (r < 0 || r > 15) return "?";
  switch (cls) {
  case X86_C_G8: return gpr8[r];
  case X86_C_G16: return gpr16[r];
  case X86_C_G32: return gpr32[r];
  case X86_C_G64: return gpr64[r];
  case X86_C_X64: case X86_C_X128: return xmm[r];
  default: return "?";
  }
}

static const char *mem_size(int cls) {
  switch (cls) {
  case X86_C_G8: return "byte ptr ";
  case X86_C_G16: return "word ptr ";
  case X86_C_G32: return "dword ptr ";
  case X86_C_G64: case X86_C_X64: return "qword ptr ";
  case X86_C_X128: return "xmmword ptr ";
  default: return "";
  }
}

struct out {
  char *p;
  size_t cap, len;
};

static void put(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(struct out *o, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  size_t room = o->len < o->cap ? o->cap - o->len : 0;
  int k = vsnprintf(o->p + (o->len < o->cap ? o->len : o->cap - 1), room ? room : 1, fmt, ap);
  va_end(ap);
  if (k > 0) o->len += (size_t)k;
}

static void put_rm(struct out *o, const struct x86_insn *d, int cls) {
  if (!d->has_mem) {
    put(o, "%s", reg_name(cls, d->rm));
    return;
  }
  put(o, "%s[%s", mem_size(cls), gpr64[d->mem.base & 15]);
  if (d->mem.index != X86_NOREG) {
    if (d->mem.scale == 1) put(o, " + %s", gpr64[d->mem.index & 15]);
    else put(o, " + %d*%s", d->mem.scale, gpr64[d->mem.index & 15]);
  }
  if (d->mem.disp > 0) put(o, " + %" PRId32, d->mem.disp);
  else if (d->mem.disp < 0) put(o, " - %" PRId64, -(int64_t)d->mem.disp);
  put(o, "]");
}

/* LLVM prints a 32-bit immediate of a 32-bit operation as unsigned, every
 * other immediate as the sign-extended value. */
static void put_imm(struct out *o, const struct x86_insn *d, int opcls, int isz) {
  if (isz == 4 && opcls == X86_C_G32) put(o, "%" PRIu32, (uint32_t)d->imm);
  else put(o, "%" PRId64, d->imm);
}

void x86_format(const struct x86_insn *d, uint64_t addr, unsigned flags, char *buf, size_t cap) {
  struct out o = {buf, cap, 0};
  const struct x86_form *f = &x86_forms[d->form];
  if (cap == 0) return;
  buf[0] = 0;
  put(&o, "%s", f->mnem);
  if (f->flags & X86_F_CC) put(&o, "%s", ccname[d->cc & 15]);
  switch (f->shape) {
  case X86_S_NONE: break;
  case X86_S_MR:
    put(&o, " ");
    put_rm(&o, d, f->rmc);
    put(&o, ", %s", reg_name(f->regc, d->reg));
    break;
  case X86_S_RM:
    put(&o, " %s, ", reg_name(f->regc, d->reg));
    put_rm(&o, d, f->rmc);
    break;
  case X86_S_M:
    put(&o, " ");
    put_rm(&o, d, f->rmc);
    break;
  case X86_S_MI8: case X86_S_MI32:
    put(&o, " ");
    put_rm(&o, d, f->rmc);
    put(&o, ", ");
    put_imm(&o, d, f->rmc, f->shape == X86_S_MI8 ? 1 : 4);
    break;
  case X86_S_RMI8: case X86_S_RMI32:
    put(&o, " %s, ", reg_name(f->regc, d->reg));
    put_rm(&o, d, f->rmc);
    put(&o, ", ");
    put_imm(&o, d, f->regc, f->shape == X86_S_RMI8 ? 1 : 4);
    break;
  case X86_S_MCL:
    put(&o, " ");
    put_rm(&o, d, f->rmc);
    put(&o, ", cl");
    break;
  case X86_S_O: put(&o, " %s", reg_name(f->regc, d->reg)); break;
  case X86_S_OI32: case X86_S_OI64:
    put(&o, " %s, ", reg_name(f->regc, d->reg));
    put_imm(&o, d, f->regc, f->shape == X86_S_OI32 ? 4 : 8);
    break;
  case X86_S_D8: case X86_S_D32:
    if (flags & X86_DIS_RELRAW) put(&o, " %" PRId64, d->imm);
    else put(&o, " 0x%" PRIx64, addr + d->len + (uint64_t)d->imm);
    break;
  }
}

int x86_disasm_one(const uint8_t *p, size_t n, uint64_t addr, unsigned flags, char *out,
                   size_t outsz) {
  struct x86_insn d;
  int len = x86_decode(p, n, &d);
  if (!len) {
    if (outsz) snprintf(out, outsz, "(bad)");
    return 0;
  }
  x86_format(&d, addr, flags, out, outsz);
  return len;
}
