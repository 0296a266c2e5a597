/* The encodings list: every form the x86-64 encoder can emit, with
 * representative and boundary operands (rax/r8/r15, the rsp/r12 SIB cases,
 * the rbp/r13 disp8 cases, disp 0/8/32, imm8 and imm32 bounds, imm64).
 *
 * The bytes come from the encoder; the text is composed here from the
 * operands, in LLVM's Intel spelling, independently of our disassembler, so
 * that llvm-mc can check both the encoder (bytes -> this text) and the
 * disassembler (bytes -> its text) on its own. */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "arch/x86_64/x86_dec.h"

static const char *const n64[16] = {"rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
                                    "r8",  "r9",  "r10", "r11", "r12", "r13", "r14", "r15"};
static const char *const n32[16] = {"eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi",
                                    "r8d", "r9d", "r10d", "r11d", "r12d", "r13d", "r14d", "r15d"};
static const char *const n16[16] = {"ax", "cx", "dx", "bx", "sp", "bp", "si", "di",
                                    "r8w", "r9w", "r10w", "r11w", "r12w", "r13w", "r14w", "r15w"};
static const char *const n8[16] = {"al", "cl", "dl", "bl", "spl", "bpl", "sil", "dil",
                                   "r8b", "r9b", "r10b", "r11b", "r12b", "r13b", "r14b", "r15b"};
static const char *const ccs[16] = {"o", "no", "b",  "ae", "e", "ne", "be", "a",
                                    "s", "ns", "p", "np", "l", "ge", "le", "g"};

static const char *gname(int w, int r) {
  return w == 64 ? n64[r] : w == 32 ? n32[r] : w == 16 ? n16[r] : n8[r];
}
static const char *wptr(int w) {
  return w == 64 ? "qword ptr " : w == 32 ? "dword ptr " : w == 16 ? "word ptr " : "byte ptr ";
}

struct lst {
  x86_encoding_cb cb;
  void *ctx;
  int count;
  struct x86_buf b;
  uint8_t bytes[32];
  char mt[96]; /* scratch for memory operand text */
};

static struct x86_buf *B(struct lst *l) {
  x86_buf_init(&l->b, l->bytes, sizeof l->bytes);
  return &l->b;
}

static void T(struct lst *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void T(struct lst *l, const char *fmt, ...) {
  char text[160];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(text, sizeof text, fmt, ap);
  va_end(ap);
  if (l->b.err) snprintf(text, sizeof text, "ENCODER-ERROR %s", l->b.err_what);
  l->cb(l->ctx, l->bytes, l->b.len, text);
  l->count++;
}

/* Memory operand text as LLVM prints it: [base + s*index +/- disp]. */
static const char *M(struct lst *l, const char *kw, struct x86_mem m) {
  char *p = l->mt;
  size_t c = sizeof l->mt;
  int k = snprintf(p, c, "%s[%s", kw, n64[m.base]);
  if (m.index != X86_NOREG) {
    if (m.scale == 1) k += snprintf(p + k, c - k, " + %s", n64[m.index]);
    else k += snprintf(p + k, c - k, " + %d*%s", m.scale, n64[m.index]);
  }
  if (m.disp > 0) k += snprintf(p + k, c - k, " + %" PRId32, m.disp);
  if (m.disp < 0) k += snprintf(p + k, c - k, " - %" PRId64, -(int64_t)m.disp);
  snprintf(p + k, c - k, "]");
  return l->mt;
}

/* Representative memory operands: every ModRM/SIB special case. */
static const struct x86_mem mems[] = {
    {X86_RAX, X86_NOREG, 1, 0},         {X86_RSP, X86_NOREG, 1, 0},
    {X86_RBP, X86_NOREG, 1, 0},         {X86_R12, X86_NOREG, 1, 0},
    {X86_R13, X86_NOREG, 1, 0},         {X86_R15, X86_NOREG, 1, 8},
    {X86_RBX, X86_NOREG, 1, -128},      {X86_RCX, X86_NOREG, 1, 127},
    {X86_RDX, X86_NOREG, 1, 128},       {X86_RSI, X86_NOREG, 1, -129},
    {X86_RDI, X86_NOREG, 1, INT32_MAX}, {X86_R8, X86_NOREG, 1, INT32_MIN},
    {X86_RAX, X86_RCX, 1, 0},           {X86_RBX, X86_R9, 2, 16},
    {X86_RSP, X86_R12, 4, -8},          {X86_RBP, X86_R13, 8, 1024},
    {X86_R13, X86_RAX, 8, 0},           {X86_R12, X86_RBP, 1, 0},
    {X86_R11, X86_R15, 2, -1},          {X86_RSP, X86_RAX, 8, 100000},
};
#define NMEMS ((int)(sizeof mems / sizeof mems[0]))

/* Register pairs (dst, src) mixing low/high, rsp/rbp and r12/r13. */
static const int pairs[][2] = {{X86_RAX, X86_RCX}, {X86_R8, X86_R15}, {X86_RSP, X86_RBP},
                               {X86_R12, X86_R13}, {X86_RDI, X86_R9}};
#define NPAIRS ((int)(sizeof pairs / sizeof pairs[0]))

static const int64_t imm8s[] = {0, 1, -1, 127, -128};
static const int64_t imm32s[] = {128, -129, INT32_MAX, INT32_MIN, 0x12345678};

/* An imm32 of a 32-bit operation prints as unsigned, all others signed. */
static void I32(char *o, size_t c, int w, int64_t v) {
  if (w == 32) snprintf(o, c, "%" PRIu32, (uint32_t)v);
  else snprintf(o, c, "%" PRId64, v);
}

static void list_moves(struct lst *l) {
  char s[32];
  for (int w = 32; w <= 64; w += 32)
    for (int i = 0; i < NPAIRS; i++) {
      x86_mov_rr(B(l), w, pairs[i][0], pairs[i][1]);
      T(l, "mov %s, %s", gname(w, pairs[i][0]), gname(w, pairs[i][1]));
    }
  static const int64_t u32v[] = {0, 1, INT32_MAX, 0x80000000ll, 0xFFFFFFFFll};
  static const int u32r[] = {X86_RAX, X86_R8, X86_R15, X86_RSP, X86_R12};
  for (int i = 0; i < 5; i++) {
    x86_mov_r32_imm32(B(l), u32r[i], u32v[i]);
    T(l, "mov %s, %" PRIu32, n32[u32r[i]], (uint32_t)u32v[i]);
  }
  static const int64_t s32v[] = {-1, INT32_MIN, INT32_MAX, -129};
  for (int i = 0; i < 4; i++) {
    x86_mov_r64_simm32(B(l), u32r[i], s32v[i]);
    T(l, "mov %s, %" PRId64, n64[u32r[i]], s32v[i]);
  }
  static const uint64_t v64[] = {0x8000000000000000ull, 0x7FFFFFFFFFFFFFFFull,
                                 0x123456789ABCDEF0ull, 0x100000000ull};
  static const int r64[] = {X86_RAX, X86_R11, X86_R15, X86_RBP};
  for (int i = 0; i < 4; i++) {
    x86_movabs(B(l), r64[i], v64[i]);
    T(l, "movabs %s, %" PRId64, n64[r64[i]], (int64_t)v64[i]);
  }
  /* loads and stores: every memory operand for 64-bit, a rotation for the rest */
  for (int i = 0; i < NMEMS; i++) {
    int r = pairs[i % NPAIRS][0];
    x86_mov_rm(B(l), 64, r, mems[i]);
    T(l, "mov %s, %s", n64[r], M(l, "qword ptr ", mems[i]));
    r = pairs[i % NPAIRS][1];
    x86_mov_mr(B(l), 64, mems[i], r);
    T(l, "mov %s, %s", M(l, "qword ptr ", mems[i]), n64[r]);
    x86_lea(B(l), 64, r, mems[i]);
    T(l, "lea %s, %s", n64[r], M(l, "", mems[i]));
  }
  static const int st8[] = {X86_RAX, X86_RSI, X86_RDI, X86_RSP, X86_RBP, X86_R8, X86_R15, X86_RBX};
  for (int i = 0; i < 8; i++) {
    struct x86_mem m = mems[(i * 3) % NMEMS];
    x86_mov_mr(B(l), 8, m, st8[i]);
    T(l, "mov %s, %s", M(l, "byte ptr ", m), n8[st8[i]]);
    x86_mov_mr(B(l), 16, m, st8[(i + 1) % 8]);
    T(l, "mov %s, %s", M(l, "word ptr ", m), n16[st8[(i + 1) % 8]]);
    x86_mov_mr(B(l), 32, m, st8[(i + 2) % 8]);
    T(l, "mov %s, %s", M(l, "dword ptr ", m), n32[st8[(i + 2) % 8]]);
    x86_mov_rm(B(l), 32, st8[(i + 3) % 8], m);
    T(l, "mov %s, %s", n32[st8[(i + 3) % 8]], M(l, "dword ptr ", m));
    x86_mov_rm(B(l), 8, st8[(i + 4) % 8], m);
    T(l, "movzx %s, %s", n32[st8[(i + 4) % 8]], M(l, "byte ptr ", m));
    x86_mov_rm(B(l), 16, st8[(i + 5) % 8], m);
    T(l, "movzx %s, %s", n32[st8[(i + 5) % 8]], M(l, "word ptr ", m));
    x86_lea(B(l), 32, st8[(i + 6) % 8], m);
    T(l, "lea %s, %s", n32[st8[(i + 6) % 8]], M(l, "", m));
  }
  /* store immediates */
  for (int i = 0; i < 5; i++) {
    struct x86_mem m = mems[(i * 5 + 1) % NMEMS];
    x86_mov_mi(B(l), 32, m, imm32s[i]);
    I32(s, sizeof s, 32, imm32s[i]);
    T(l, "mov %s, %s", M(l, "dword ptr ", m), s);
    x86_mov_mi(B(l), 64, m, imm32s[i]);
    T(l, "mov %s, %" PRId64, M(l, "qword ptr ", m), imm32s[i]);
  }
  /* zero and sign extension */
  static const int ext[][2] = {{X86_RAX, X86_RCX}, {X86_R15, X86_RSI}, {X86_RDX, X86_RDI},
                               {X86_R12, X86_RSP}, {X86_RBX, X86_RBP}, {X86_R9, X86_R13}};
  for (int i = 0; i < 6; i++) {
    int d = ext[i][0], r = ext[i][1];
    struct x86_mem m = mems[(i * 7 + 2) % NMEMS];
    x86_movzx_rr(B(l), 8, d, r);
    T(l, "movzx %s, %s", n32[d], n8[r]);
    x86_movzx_rr(B(l), 16, d, r);
    T(l, "movzx %s, %s", n32[d], n16[r]);
    x86_movsx_rr(B(l), 32, 8, d, r);
    T(l, "movsx %s, %s", n32[d], n8[r]);
    x86_movsx_rr(B(l), 64, 8, d, r);
    T(l, "movsx %s, %s", n64[d], n8[r]);
    x86_movsx_rr(B(l), 32, 16, d, r);
    T(l, "movsx %s, %s", n32[d], n16[r]);
    x86_movsx_rr(B(l), 64, 16, d, r);
    T(l, "movsx %s, %s", n64[d], n16[r]);
    x86_movsxd_rr(B(l), d, r);
    T(l, "movsxd %s, %s", n64[d], n32[r]);
    x86_movsx_rm(B(l), 32, 8, d, m);
    T(l, "movsx %s, %s", n32[d], M(l, "byte ptr ", m));
    x86_movsx_rm(B(l), 64, 8, d, m);
    T(l, "movsx %s, %s", n64[d], M(l, "byte ptr ", m));
    x86_movsx_rm(B(l), 32, 16, d, m);
    T(l, "movsx %s, %s", n32[d], M(l, "word ptr ", m));
    x86_movsx_rm(B(l), 64, 16, d, m);
    T(l, "movsx %s, %s", n64[d], M(l, "word ptr ", m));
    x86_movsxd_rm(B(l), d, m);
    T(l, "movsxd %s, %s", n64[d], M(l, "dword ptr ", m));
  }
}

typedef void (*alu_rr_fn)(struct x86_buf *, int, int, int);
typedef void (*alu_rm_fn)(struct x86_buf *, int, int, struct x86_mem);
typedef void (*alu_ri_fn)(struct x86_buf *, int, int, int64_t);

static void list_alu(struct lst *l) {
  static const struct {
    const char *name;
    alu_rr_fn rr;
    alu_rm_fn rm;
    alu_ri_fn ri8, ri32;
  } ops[] = {
      {"add", x86_add_rr, x86_add_rm, x86_add_ri8, x86_add_ri32},
      {"or", x86_or_rr, x86_or_rm, x86_or_ri8, x86_or_ri32},
      {"and", x86_and_rr, x86_and_rm, x86_and_ri8, x86_and_ri32},
      {"sub", x86_sub_rr, x86_sub_rm, x86_sub_ri8, x86_sub_ri32},
      {"xor", x86_xor_rr, x86_xor_rm, x86_xor_ri8, x86_xor_ri32},
      {"cmp", x86_cmp_rr, x86_cmp_rm, x86_cmp_ri8, x86_cmp_ri32},
  };
  char s[32];
  for (int o = 0; o < 6; o++)
    for (int w = 32; w <= 64; w += 32) {
      for (int i = 0; i < 2; i++) {
        const int *p = pairs[(o + i + w / 32) % NPAIRS];
        ops[o].rr(B(l), w, p[0], p[1]);
        T(l, "%s %s, %s", ops[o].name, gname(w, p[0]), gname(w, p[1]));
        struct x86_mem m = mems[(o * 3 + i + w) % NMEMS];
        ops[o].rm(B(l), w, p[1], m);
        T(l, "%s %s, %s", ops[o].name, gname(w, p[1]), M(l, wptr(w), m));
      }
      for (int i = 0; i < 2; i++) {
        int r = pairs[(o + i) % NPAIRS][i];
        int64_t v8 = imm8s[(o + i + w) % 5], v32 = imm32s[(o + 2 * i + w) % 5];
        ops[o].ri8(B(l), w, r, v8);
        T(l, "%s %s, %" PRId64, ops[o].name, gname(w, r), v8);
        ops[o].ri32(B(l), w, r, v32);
        I32(s, sizeof s, w, v32);
        T(l, "%s %s, %s", ops[o].name, gname(w, r), s);
      }
    }
  for (int w = 32; w <= 64; w += 32)
    for (int i = 0; i < 3; i++) {
      const int *p = pairs[(i + w / 32) % NPAIRS];
      x86_test_rr(B(l), w, p[0], p[1]);
      T(l, "test %s, %s", gname(w, p[0]), gname(w, p[1]));
      int64_t v = imm32s[(i * 2 + w) % 5];
      x86_test_ri(B(l), w, p[1], v);
      I32(s, sizeof s, w, v);
      T(l, "test %s, %s", gname(w, p[1]), s);
      x86_imul_rr(B(l), w, p[0], p[1]);
      T(l, "imul %s, %s", gname(w, p[0]), gname(w, p[1]));
      struct x86_mem m = mems[(i * 5 + w) % NMEMS];
      x86_imul_rm(B(l), w, p[1], m);
      T(l, "imul %s, %s", gname(w, p[1]), M(l, wptr(w), m));
      int64_t v8 = imm8s[(i + 3) % 5];
      x86_imul_rri8(B(l), w, p[1], p[0], v8);
      T(l, "imul %s, %s, %" PRId64, gname(w, p[1]), gname(w, p[0]), v8);
      x86_imul_rri32(B(l), w, p[0], p[1], v);
      T(l, "imul %s, %s, %s", gname(w, p[0]), gname(w, p[1]), s);
    }
  static const int ur[] = {X86_RAX, X86_RCX, X86_R8, X86_R15, X86_RBP, X86_R12};
  for (int w = 32; w <= 64; w += 32)
    for (int i = 0; i < 2; i++) {
      int r = ur[(i + w / 16) % 6];
      x86_not(B(l), w, r);
      T(l, "not %s", gname(w, r));
      x86_neg(B(l), w, r);
      T(l, "neg %s", gname(w, r));
      x86_div(B(l), w, ur[i * 3]);
      T(l, "div %s", gname(w, ur[i * 3]));
      x86_idiv(B(l), w, ur[i * 3 + 1]);
      T(l, "idiv %s", gname(w, ur[i * 3 + 1]));
    }
  x86_cdq(B(l));
  T(l, "cdq");
  x86_cqo(B(l));
  T(l, "cqo");
  static const struct {
    const char *name;
    void (*ri)(struct x86_buf *, int, int, int);
    void (*rcl)(struct x86_buf *, int, int);
  } sh[] = {{"shl", x86_shl_ri, x86_shl_rcl}, {"shr", x86_shr_ri, x86_shr_rcl},
            {"sar", x86_sar_ri, x86_sar_rcl}};
  for (int o = 0; o < 3; o++)
    for (int w = 32; w <= 64; w += 32) {
      int r = ur[(o + w / 32) % 6];
      int counts[3] = {0, 1, w - 1};
      for (int k = 0; k < 3; k++) {
        sh[o].ri(B(l), w, r, counts[k]);
        T(l, "%s %s, %d", sh[o].name, gname(w, r), counts[k]);
      }
      sh[o].rcl(B(l), w, ur[(o + 3) % 6]);
      T(l, "%s %s, cl", sh[o].name, gname(w, ur[(o + 3) % 6]));
    }
}

static void list_cc(struct lst *l) {
  static const int sr[] = {X86_RAX, X86_RSI, X86_RDI, X86_R15, X86_RSP, X86_RBP, X86_R8, X86_RBX};
  static const int64_t rel8[] = {0, -128, 127, -2, 16, 1, -1, 100};
  static const int64_t rel32[] = {0, INT32_MIN, INT32_MAX, -6, 1024, -129, 128, 65536};
  for (int cc = 0; cc < 16; cc++) {
    int r = sr[cc % 8];
    x86_setcc(B(l), cc, r);
    T(l, "set%s %s", ccs[cc], n8[r]);
    const int *p = pairs[cc % NPAIRS];
    int w = cc & 1 ? 32 : 64;
    x86_cmovcc_rr(B(l), w, cc, p[0], p[1]);
    T(l, "cmov%s %s, %s", ccs[cc], gname(w, p[0]), gname(w, p[1]));
    struct x86_mem m = mems[(cc * 3) % NMEMS];
    x86_cmovcc_rm(B(l), 96 - w, cc, p[1], m);
    T(l, "cmov%s %s, %s", ccs[cc], gname(96 - w, p[1]), M(l, wptr(96 - w), m));
    x86_jcc_rel8(B(l), cc, rel8[cc % 8]);
    T(l, "j%s %" PRId64, ccs[cc], rel8[cc % 8]);
    x86_jcc_rel32(B(l), cc, rel32[cc % 8]);
    T(l, "j%s %" PRId64, ccs[cc], rel32[cc % 8]);
  }
  for (int i = 0; i < 4; i++) {
    x86_jmp_rel8(B(l), rel8[i]);
    T(l, "jmp %" PRId64, rel8[i]);
    x86_jmp_rel32(B(l), rel32[i]);
    T(l, "jmp %" PRId64, rel32[i]);
    x86_call_rel32(B(l), rel32[i + 4]);
    T(l, "call %" PRId64, rel32[i + 4]);
  }
  x86_call_r(B(l), X86_R11);
  T(l, "call r11");
  x86_ret(B(l));
  T(l, "ret");
  static const int pr[] = {X86_RAX, X86_RBX, X86_RSP, X86_RBP, X86_R8, X86_R12, X86_R13, X86_R15};
  for (int i = 0; i < 8; i++) {
    x86_push(B(l), pr[i]);
    T(l, "push %s", n64[pr[i]]);
    x86_pop(B(l), pr[7 - i]);
    T(l, "pop %s", n64[pr[7 - i]]);
  }
  x86_int3(B(l));
  T(l, "int3");
  /* multi-byte NOPs as LLVM prints them */
  static const char *const nops[10] = {NULL,
                                       "nop",
                                       "nop",
                                       "nop dword ptr [rax]",
                                       "nop dword ptr [rax]",
                                       "nop dword ptr [rax + rax]",
                                       "nop word ptr [rax + rax]",
                                       "nop dword ptr [rax]",
                                       "nop dword ptr [rax + rax]",
                                       "nop word ptr [rax + rax]"};
  for (int n = 1; n <= 9; n++) {
    x86_nop(B(l), n);
    T(l, "%s", nops[n]);
  }
}

static void list_sse(struct lst *l) {
  static const int xp[][2] = {{0, 1}, {8, 15}, {15, 0}, {7, 9}};
  static const struct {
    const char *name;
    void (*rr)(struct x86_buf *, int, int);
    void (*rm)(struct x86_buf *, int, struct x86_mem);
  } sd[] = {{"movsd", x86_movsd_rr, x86_movsd_rm},     {"addsd", x86_addsd_rr, x86_addsd_rm},
            {"subsd", x86_subsd_rr, x86_subsd_rm},     {"mulsd", x86_mulsd_rr, x86_mulsd_rm},
            {"divsd", x86_divsd_rr, x86_divsd_rm},     {"minsd", x86_minsd_rr, x86_minsd_rm},
            {"maxsd", x86_maxsd_rr, x86_maxsd_rm},     {"sqrtsd", x86_sqrtsd_rr, x86_sqrtsd_rm},
            {"ucomisd", x86_ucomisd_rr, x86_ucomisd_rm}, {"comisd", x86_comisd_rr, x86_comisd_rm}};
  for (int o = 0; o < 10; o++)
    for (int i = 0; i < 2; i++) {
      const int *p = xp[(o + i) % 4];
      sd[o].rr(B(l), p[0], p[1]);
      T(l, "%s xmm%d, xmm%d", sd[o].name, p[0], p[1]);
      struct x86_mem m = mems[(o * 2 + i * 7) % NMEMS];
      sd[o].rm(B(l), p[1], m);
      T(l, "%s xmm%d, %s", sd[o].name, p[1], M(l, "qword ptr ", m));
    }
  for (int i = 0; i < 4; i++) {
    struct x86_mem m = mems[(i * 5 + 3) % NMEMS];
    x86_movsd_mr(B(l), m, xp[i][0]);
    T(l, "movsd %s, xmm%d", M(l, "qword ptr ", m), xp[i][0]);
  }
  static const struct {
    const char *name;
    void (*rr)(struct x86_buf *, int, int);
  } pd[] = {{"movapd", x86_movapd_rr}, {"xorpd", x86_xorpd_rr}, {"andpd", x86_andpd_rr},
            {"andnpd", x86_andnpd_rr}, {"orpd", x86_orpd_rr}};
  for (int o = 0; o < 5; o++)
    for (int i = 0; i < 2; i++) {
      const int *p = xp[(o + i) % 4];
      pd[o].rr(B(l), p[0], p[1]);
      T(l, "%s xmm%d, xmm%d", pd[o].name, p[0], p[1]);
    }
  static const int gr[] = {X86_RAX, X86_R8, X86_R15, X86_RSP, X86_RBP, X86_R12};
  for (int i = 0; i < 6; i++) {
    int x = xp[i % 4][i / 4], g = gr[i];
    x86_movq_xr(B(l), x, g);
    T(l, "movq xmm%d, %s", x, n64[g]);
    x86_movq_rx(B(l), g, x);
    T(l, "movq %s, xmm%d", n64[g], x);
    for (int w = 32; w <= 64; w += 32) {
      struct x86_mem m = mems[(i * 3 + w / 32) % NMEMS];
      x86_cvtsi2sd_rr(B(l), w, x, g);
      T(l, "cvtsi2sd xmm%d, %s", x, gname(w, g));
      x86_cvtsi2sd_rm(B(l), w, x, m);
      T(l, "cvtsi2sd xmm%d, %s", x, M(l, wptr(w), m));
      x86_cvttsd2si_rr(B(l), w, g, x);
      T(l, "cvttsd2si %s, xmm%d", gname(w, g), x);
      x86_cvttsd2si_rm(B(l), w, g, m);
      T(l, "cvttsd2si %s, %s", gname(w, g), M(l, "qword ptr ", m));
    }
  }
}

int x86_list_encodings(x86_encoding_cb cb, void *ctx) {
  struct lst l;
  memset(&l, 0, sizeof l);
  l.cb = cb;
  l.ctx = ctx;
  list_moves(&l);
  list_alu(&l);
  list_cc(&l);
  list_sse(&l);
  return l.count;
}
