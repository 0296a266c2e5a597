/* x86-64 backend tests that run native code (x86-64 hosts only).
 *
 * ABI harness: an assembly entry stub loads canaries into rbx, rbp and
 * r12-r15, calls JIT code and records those registers and RSP afterwards;
 * every helper is reached through an assembly stub that counts calls made
 * with a misaligned RSP and clobbers every caller-saved register on return.
 * All JIT code in this file runs through that harness.
 *
 *   - spilling: 40 live i64 and 20 live f64 across helper calls, against the
 *     reference evaluator;
 *   - edge semantics: division (MIN / -1), shifts, fptosi saturation, every
 *     fcmp condition with NaN, conversions;
 *   - random IR programs (hy_gen_func) against the evaluator, with memory,
 *     f64, calls, guards and loops, both with guards live and NOP-ed;
 *   - helper calls both direct (helper compiled into the same code memory)
 *     and indirect (movabs r11; call r11);
 *   - guard sites: NOP and back, byte-exact, and the filter refusing a patch
 *     outside a site.
 */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arch/x86_64/x86_dec.h"
#include "jit/jit.h"

/* ------------------------------------------------------------ harness */

#define CAN_RBX 0x1b1b1b1b1b1b1b1bull
#define CAN_RBP 0x2b2b2b2b2b2b2b2bull
#define CAN_R12 0x3c3c3c3c3c3c3c3cull
#define CAN_R13 0x4d4d4d4d4d4d4d4dull
#define CAN_R14 0x5e5e5e5e5e5e5e5eull
#define CAN_R15 0x6f6f6f6f6f6f6f6full

/* uint64_t x86t_enter(void *fn, const uint64_t *iargs, const double *fargs, uint64_t *out)
 * out[0..5] = rbx rbp r12 r13 r14 r15 after the call, out[6] = RSP change,
 * out[7] = xmm0 bits. */
__asm__(".text\n"
        ".globl x86t_enter\n"
        ".type x86t_enter, @function\n"
        "x86t_enter:\n"
        "  push %rbx\n  push %rbp\n  push %r12\n  push %r13\n  push %r14\n  push %r15\n"
        "  push %rcx\n" /* out; 7 pushes: RSP is 16-byte aligned at the call */
        "  mov %rsp, 48(%rcx)\n"
        "  mov %rdi, %rax\n"
        "  movsd (%rdx), %xmm0\n  movsd 8(%rdx), %xmm1\n  movsd 16(%rdx), %xmm2\n  movsd 24(%rdx), %xmm3\n"
        "  mov %rsi, %r11\n"
        "  mov (%r11), %rdi\n  mov 8(%r11), %rsi\n  mov 16(%r11), %rdx\n  mov 24(%r11), %rcx\n"
        "  mov 32(%r11), %r8\n  mov 40(%r11), %r9\n"
        "  movabs $0x1b1b1b1b1b1b1b1b, %rbx\n  movabs $0x2b2b2b2b2b2b2b2b, %rbp\n"
        "  movabs $0x3c3c3c3c3c3c3c3c, %r12\n  movabs $0x4d4d4d4d4d4d4d4d, %r13\n"
        "  movabs $0x5e5e5e5e5e5e5e5e, %r14\n  movabs $0x6f6f6f6f6f6f6f6f, %r15\n"
        "  call *%rax\n"
        "  mov (%rsp), %r11\n"
        "  mov %rbx, (%r11)\n  mov %rbp, 8(%r11)\n  mov %r12, 16(%r11)\n  mov %r13, 24(%r11)\n"
        "  mov %r14, 32(%r11)\n  mov %r15, 40(%r11)\n"
        "  mov %rsp, %r10\n  sub 48(%r11), %r10\n  mov %r10, 48(%r11)\n"
        "  movsd %xmm0, 56(%r11)\n"
        "  pop %rcx\n  pop %r15\n  pop %r14\n  pop %r13\n  pop %r12\n  pop %rbp\n  pop %rbx\n"
        "  ret\n"
        ".size x86t_enter, .-x86t_enter\n");
uint64_t x86t_enter(void *fn, const uint64_t *iargs, const double *fargs, uint64_t *out);

/* Helper stubs: count misaligned entries (RSP + 8 must be 16-aligned at
 * entry), call the C implementation, then clobber every caller-saved
 * register except the result register. */
long x86t_misaligned, x86t_helper_calls;
#define CLOBBER_GPR                                                                       \
  "  movabs $0x0badc0de0badc0de, %rcx\n  mov %rcx, %rdx\n  mov %rcx, %rsi\n"              \
  "  mov %rcx, %rdi\n  mov %rcx, %r8\n  mov %rcx, %r9\n  mov %rcx, %r10\n  mov %rcx, %r11\n"
#define CLOBBER_XMM                                                                       \
  "  movq %rcx, %xmm1\n  movq %rcx, %xmm2\n  movq %rcx, %xmm3\n"                          \
  "  movq %rcx, %xmm4\n  movq %rcx, %xmm5\n  movq %rcx, %xmm6\n  movq %rcx, %xmm7\n"       \
  "  movq %rcx, %xmm8\n  movq %rcx, %xmm9\n  movq %rcx, %xmm10\n  movq %rcx, %xmm11\n"     \
  "  movq %rcx, %xmm12\n  movq %rcx, %xmm13\n  movq %rcx, %xmm14\n  movq %rcx, %xmm15\n"
/* result_clobber: the result register of the other class */
#define STUB(name, impl, result_clobber)                                                  \
  __asm__(".text\n.globl " #name "\n.type " #name ", @function\n" #name ":\n"            \
          "  lea 8(%rsp), %r11\n  test $15, %r11\n  jz 1f\n"                              \
          "  lock incq x86t_misaligned(%rip)\n"                                           \
          "1:\n  lock incq x86t_helper_calls(%rip)\n"                                     \
          "  sub $8, %rsp\n  call " #impl "\n  add $8, %rsp\n" CLOBBER_GPR CLOBBER_XMM      \
          result_clobber "  ret\n"                                                         \
          ".size " #name ", .-" #name "\n")
#define INT_RESULT "  movq %rcx, %xmm0\n"
#define F64_RESULT "  mov %rcx, %rax\n"

/* Helper bodies (wrapping arithmetic: arguments can be anything). */
int64_t x86t_sum3_impl(int64_t a, int64_t b, int64_t c) {
  return (int64_t)((uint64_t)a + 2 * (uint64_t)b + 3 * (uint64_t)c);
}
double x86t_fmix_impl(int64_t a, double x, double y) { return (double)a * 0.5 + x - y; }
int64_t x86t_six_impl(int64_t a, int64_t b, int64_t c, int64_t d, int64_t e, int64_t f) {
  return (int64_t)((uint64_t)a - (uint64_t)b * 3 + (uint64_t)c * 5 - (uint64_t)d * 7 + (uint64_t)e * 11 -
                   (uint64_t)f * 13);
}
double x86t_f4_impl(double a, double b, double c, double d) { return a * 2 + b * 3 - c * 5 + d; }
/* sees its i32 arguments sign-extended to 64 bits */
int64_t x86t_i32_impl(int64_t a, int64_t b) { return (int64_t)((uint64_t)a * 1000 + (uint64_t)b); }
STUB(x86t_sum3, x86t_sum3_impl, INT_RESULT);
STUB(x86t_fmix, x86t_fmix_impl, F64_RESULT);
STUB(x86t_six, x86t_six_impl, INT_RESULT);
STUB(x86t_f4, x86t_f4_impl, F64_RESULT);
STUB(x86t_i32, x86t_i32_impl, INT_RESULT);
int64_t x86t_sum3(int64_t, int64_t, int64_t);
double x86t_fmix(int64_t, double, double);
int64_t x86t_six(int64_t, int64_t, int64_t, int64_t, int64_t, int64_t);
double x86t_f4(double, double, double, double);
int64_t x86t_i32(int64_t, int64_t);

static const struct hy_helper helper_v[] = {
    {"sum3", (void *)x86t_sum3, HY_T_I64, 3, {HY_T_I64, HY_T_I64, HY_T_I64}},
    {"fmix", (void *)x86t_fmix, HY_T_F64, 3, {HY_T_I64, HY_T_F64, HY_T_F64}},
    {"six", (void *)x86t_six, HY_T_I64, 6, {HY_T_I64, HY_T_I64, HY_T_I64, HY_T_I64, HY_T_I64, HY_T_I64}},
    {"f4", (void *)x86t_f4, HY_T_F64, 4, {HY_T_F64, HY_T_F64, HY_T_F64, HY_T_F64}},
    {"i32", (void *)x86t_i32, HY_T_I64, 2, {HY_T_I32, HY_T_I32}},
};
static const struct hy_helpers helpers = {helper_v, sizeof helper_v / sizeof helper_v[0]};

struct t {
  int fails, checks;
  struct hy_jit *j;
};

#define CHECK(T, cond, ...)                                \
  do {                                                     \
    (T)->checks++;                                         \
    if (!(cond)) {                                         \
      (T)->fails++;                                        \
      fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__); \
      fprintf(stderr, __VA_ARGS__);                        \
      fputc('\n', stderr);                                 \
    }                                                      \
  } while (0)

/* Run compiled code through the canary harness; checks the callee-saved
 * registers, RSP and helper alignment. */
static uint64_t run(struct t *T, const struct hy_jit_code *c, const uint64_t *args) {
  uint64_t ia[6] = {0}, out[8] = {0};
  double fa[4] = {0};
  int ni = 0, nf = 0;
  for (uint32_t p = 0; p < c->nparams; p++) {
    if (c->param_type[p] == HY_T_F64) memcpy(&fa[nf++], &args[p], 8);
    else ia[ni++] = args[p];
  }
  long mis0 = x86t_misaligned;
  uint64_t r = x86t_enter(c->entry, ia, fa, out);
  static const uint64_t can[6] = {CAN_RBX, CAN_RBP, CAN_R12, CAN_R13, CAN_R14, CAN_R15};
  static const char *const nm[6] = {"rbx", "rbp", "r12", "r13", "r14", "r15"};
  for (int i = 0; i < 6; i++)
    CHECK(T, out[i] == can[i], "%s clobbered: %#" PRIx64 " (frame %u bytes)", nm[i], out[i], c->frame_size);
  CHECK(T, out[6] == 0, "RSP changed by %" PRId64, (int64_t)out[6]);
  CHECK(T, x86t_misaligned == mis0, "helper entered with misaligned RSP");
  if (c->ret == HY_T_F64) r = out[7];
  if (c->ret == HY_T_I32) r = (uint32_t)r;
  return r;
}

static struct hy_jit_code *compile(struct t *T, struct hy_func *fn) {
  char err[256];
  if (hy_verify(fn, &helpers, err, sizeof err)) {
    CHECK(T, 0, "IR does not verify: %s", err);
    return NULL;
  }
  struct hy_jit_code *c = hy_jit_compile(T->j, fn);
  CHECK(T, c != NULL, "compile %s: %s", fn->name, hy_jit_error(T->j));
  return c;
}

static uint64_t eval(struct t *T, struct hy_func *fn, const uint64_t *args, const uint32_t *dis, uint32_t ndis) {
  uint64_t r = 0;
  char err[256];
  struct hy_eval_opts o = {.max_steps = 0, .disabled = dis, .ndisabled = ndis};
  int rc = hy_eval(fn, &helpers, args, &r, &o, NULL, err, sizeof err);
  CHECK(T, rc == 0, "eval %s: %s", fn->name, err);
  return r;
}

static uint64_t f2b(double d) {
  uint64_t b;
  memcpy(&b, &d, 8);
  return b;
}

/* ------------------------------------------------------------- spilling */

/* 40 live i64 and 20 live f64 across four helper calls. */
static void test_spill(struct t *T) {
  uint8_t pt[3] = {HY_T_I64, HY_T_F64, HY_T_I32};
  struct hy_func *fn = hy_func_new("spill", HY_T_I64, 3, pt);
  hy_block_new(fn);
  int iv[40], fv[20];
  for (int i = 0; i < 40; i++) {
    int k = hy_b_const(fn, 0, HY_T_I64, i * 7919 + 13);
    iv[i] = hy_b_bin(fn, 0, i % 3 == 0 ? HY_OP_MUL : i % 3 == 1 ? HY_OP_ADD : HY_OP_XOR, HY_T_I64, 0, k);
  }
  for (int i = 0; i < 20; i++) {
    int k = hy_b_const_f64(fn, 0, 1.25 + i);
    fv[i] = hy_b_bin(fn, 0, i & 1 ? HY_OP_FMUL : HY_OP_FADD, HY_T_F64, 1, k);
  }
  int a3[3] = {iv[0], iv[17], iv[39]};
  int r1 = hy_b_call(fn, 0, HY_T_I64, 0, 3, a3);
  int a6[6] = {iv[5], iv[4], iv[3], iv[2], iv[1], r1};
  int r2 = hy_b_call(fn, 0, HY_T_I64, 2, 6, a6);
  int af[3] = {iv[20], fv[3], fv[19]};
  int r3 = hy_b_call(fn, 0, HY_T_F64, 1, 3, af);
  int a4[4] = {fv[0], r3, fv[7], fv[8]};
  int r4 = hy_b_call(fn, 0, HY_T_F64, 3, 4, a4);
  int c5 = hy_b_const(fn, 0, HY_T_I32, -5);
  int a2[2] = {2, c5};
  int r5 = hy_b_call(fn, 0, HY_T_I64, 4, 2, a2);
  int acc = hy_b_bin(fn, 0, HY_OP_ADD, HY_T_I64, r1, r2);
  acc = hy_b_bin(fn, 0, HY_OP_ADD, HY_T_I64, acc, r5);
  for (int i = 0; i < 40; i++) acc = hy_b_bin(fn, 0, (i & 1) ? HY_OP_SUB : HY_OP_ADD, HY_T_I64, acc, iv[i]);
  int facc = r4;
  for (int i = 0; i < 20; i++) facc = hy_b_bin(fn, 0, (i & 1) ? HY_OP_FSUB : HY_OP_FADD, HY_T_F64, facc, fv[i]);
  int fi = hy_b_un(fn, 0, HY_OP_FPTOSI, HY_T_I64, facc);
  acc = hy_b_bin(fn, 0, HY_OP_XOR, HY_T_I64, acc, fi);
  hy_b_ret(fn, 0, acc);
  struct hy_jit_code *c = compile(T, fn);
  if (c) {
    CHECK(T, c->stats.nspilled > 0, "spill test spilled nothing");
    static const int64_t ins[] = {0, 1, -1, 123456789, INT64_MIN, INT64_MAX};
    static const double fins[] = {0.0, -2.5, 1e10, 3.75};
    static const int32_t i32s[] = {0, -1, 7, INT32_MIN};
    for (int i = 0; i < 6; i++)
      for (int k = 0; k < 4; k++) {
        uint64_t args[3] = {(uint64_t)ins[i], f2b(fins[k]), (uint32_t)i32s[(i + k) % 4]};
        long calls0 = x86t_helper_calls;
        uint64_t want = eval(T, fn, args, NULL, 0);
        long calls_eval = x86t_helper_calls - calls0;
        uint64_t got = run(T, c, args);
        CHECK(T, got == want, "spill(%" PRId64 ", %g): jit %#" PRIx64 " eval %#" PRIx64, ins[i], fins[k], got, want);
        CHECK(T, x86t_helper_calls - calls0 == 2 * calls_eval, "helper call count");
      }
    hy_jit_code_free(T->j, c);
  }
  hy_func_free(fn);
}

/* ------------------------------------------------------- edge semantics */

static struct hy_func *parse(struct t *T, const char *src) {
  char err[256];
  struct hy_func *fn = hy_parse_func(src, strlen(src), &helpers, err, sizeof err);
  CHECK(T, fn != NULL, "parse: %s\n%s", err, src);
  return fn;
}

/* Compile src and compare against the evaluator on every argument row. */
static void diff_rows(struct t *T, const char *src, const uint64_t *rows, int nrows, int nargs) {
  struct hy_func *fn = parse(T, src);
  if (!fn) return;
  struct hy_jit_code *c = compile(T, fn);
  if (c) {
    for (int r = 0; r < nrows; r++) {
      const uint64_t *a = rows + (size_t)r * nargs;
      uint64_t want = eval(T, fn, a, NULL, 0), got = run(T, c, a);
      if (fn->ret == HY_T_I32) want = (uint32_t)want;
      CHECK(T, got == want, "%s row %d (%#" PRIx64 ", %#" PRIx64 "): jit %#" PRIx64 " eval %#" PRIx64,
            fn->name, r, a[0], nargs > 1 ? a[1] : 0, got, want);
    }
    hy_jit_code_free(T->j, c);
  }
  hy_func_free(fn);
}

static void test_edges(struct t *T) {
  static const int64_t iv[] = {0, 1, -1, 2, -2, 7, -7, 31, 32, 63, 64, 65, -64, INT32_MIN, INT32_MAX,
                               (int64_t)0xFFFFFFFFll, INT64_MIN, INT64_MAX, 0x123456789abcdefll};
  enum { NI = sizeof iv / sizeof iv[0] };
  uint64_t rows[NI * NI * 2];
  int n = 0;
  for (int i = 0; i < NI; i++)
    for (int k = 0; k < NI; k++) {
      rows[2 * n] = (uint64_t)iv[i];
      rows[2 * n + 1] = (uint64_t)iv[k];
      n++;
    }
  static const char *const ops64[] = {"add", "sub", "mul", "and", "or", "xor", "shl", "lshr", "ashr"};
  char src[512];
  for (int w = 0; w < 2; w++) {
    const char *ty = w ? "i64" : "i32";
    for (size_t o = 0; o < sizeof ops64 / sizeof ops64[0]; o++) {
      snprintf(src, sizeof src, "func @%s_%s(%%0:%s, %%1:%s) -> %s {\nbb0:\n  %%2:%s = %s %%0, %%1\n  ret %%2\n}\n",
               ops64[o], ty, ty, ty, ty, ty, ops64[o]);
      diff_rows(T, src, rows, n, 2);
    }
    static const char *const divs[] = {"sdiv", "srem", "udiv", "urem"};
    for (int o = 0; o < 4; o++) {
      snprintf(src, sizeof src,
               "func @%s_%s(%%0:%s, %%1:%s) -> %s {\nbb0:\n  guard.div_zero eqz %%1 -> bb1 id=1 ctr=0\n"
               "  %%2:%s = %s %%0, %%1\n  ret %%2\nbb1:\n  %%3:%s = const 12345\n  ret %%3\n}\n",
               divs[o], ty, ty, ty, ty, ty, divs[o], ty);
      diff_rows(T, src, rows, n, 2);
    }
    static const char *const chk[] = {"addo", "subo", "mulo"};
    for (int o = 0; o < 3; o++) {
      snprintf(src, sizeof src,
               "func @%s_%s(%%0:%s, %%1:%s) -> i64 {\nbb0:\n  %%2:%s = %s %%0, %%1 -> bb1 id=1 ctr=0\n"
               "  %%3:i64 = zext %%2\n  ret %%3\nbb1:\n  %%4:i64 = const -99\n  %%5:i64 = zext %%2\n"
               "  %%6:i64 = xor %%4, %%5\n  ret %%6\n}\n",
               chk[o], ty, ty, ty, ty, chk[o]);
      if (w) {
        snprintf(src, sizeof src,
                 "func @%s_%s(%%0:i64, %%1:i64) -> i64 {\nbb0:\n  %%2:i64 = %s %%0, %%1 -> bb1 id=1 ctr=0\n"
                 "  ret %%2\nbb1:\n  %%4:i64 = const -99\n  %%6:i64 = xor %%4, %%2\n  ret %%6\n}\n",
                 chk[o], ty, chk[o]);
      }
      diff_rows(T, src, rows, n, 2);
    }
    static const char *const icc[] = {"eq", "ne", "slt", "sle", "sgt", "sge", "ult", "ule", "ugt", "uge"};
    for (int o = 0; o < 10; o++) {
      snprintf(src, sizeof src,
               "func @icmp_%s_%s(%%0:%s, %%1:%s) -> i64 {\nbb0:\n  %%2:i32 = icmp.%s %%0, %%1\n"
               "  guard.bounds %s %%0, %%1 -> bb1 id=1 ctr=0\n  %%3:i64 = zext %%2\n  ret %%3\nbb1:\n"
               "  %%4:i64 = zext %%2\n  %%5:i64 = const 100\n  %%6:i64 = add %%4, %%5\n  ret %%6\n}\n",
               icc[o], ty, ty, ty, icc[o], icc[9 - o]);
      diff_rows(T, src, rows, n, 2);
    }
    snprintf(src, sizeof src,
             "func @conv_%s(%%0:%s, %%1:%s) -> i64 {\nbb0:\n  %%2:f64 = sitofp %%0\n  %%3:f64 = sitofp %%1\n"
             "  %%4:f64 = fdiv %%2, %%3\n  %%5:i64 = fptosi %%4\n  %%6:i64 = bitcast %%2\n"
             "  %%7:i64 = xor %%5, %%6\n  ret %%7\n}\n",
             ty, ty, ty);
    diff_rows(T, src, rows, n, 2);
  }
  diff_rows(T,
            "func @ext(%0:i64, %1:i64) -> i64 {\nbb0:\n  %2:i32 = trunc %0\n  %3:i64 = sext %2\n"
            "  %4:i64 = zext %2\n  %5:i64 = mul %3, %4\n  %6:i32 = trunc %1\n  %7:i64 = call @i32(%2, %6)\n"
            "  %8:i64 = add %5, %7\n  %9:i32 = select %2, %2, %6\n  %10:i64 = sext %9\n  %11:i64 = add %8, %10\n"
            "  ret %11\n}\n",
            rows, n, 2);
  /* doubles: fptosi saturation, fcmp on NaN, select, fneg */
  static const double dv[] = {0.0, -0.0, 1.5, -1.5, 2.5, 1e300, -1e300, 9.2233720368547758e18, -9.2233720368547758e18,
                              9.2233720368547748e18, -9.2233720368547758e18 - 4096.0, INFINITY, -INFINITY, NAN, 4.9e-324};
  enum { ND = sizeof dv / sizeof dv[0] };
  uint64_t frows[ND * ND * 2];
  int fn_ = 0;
  for (int i = 0; i < ND; i++)
    for (int k = 0; k < ND; k++) {
      frows[2 * fn_] = f2b(dv[i]);
      frows[2 * fn_ + 1] = f2b(dv[k]);
      fn_++;
    }
  static const char *const fcc[] = {"oeq", "one", "olt", "ole", "ogt", "oge", "ord",
                                    "ueq", "une", "ult", "ule", "ugt", "uge", "uno"};
  for (int o = 0; o < 14; o++) {
    snprintf(src, sizeof src,
             "func @fcmp_%s(%%0:f64, %%1:f64) -> i32 {\nbb0:\n  %%2:i32 = fcmp.%s %%0, %%1\n  ret %%2\n}\n", fcc[o],
             fcc[o]);
    diff_rows(T, src, frows, fn_, 2);
  }
  diff_rows(T,
            "func @fops(%0:f64, %1:f64) -> i64 {\nbb0:\n  %2:i64 = fptosi %0\n  %3:f64 = fneg %1\n"
            "  %4:f64 = fsub %3, %0\n  %5:i32 = fcmp.olt %0, %1\n  %6:f64 = select %5, %4, %3\n"
            "  %7:i64 = bitcast %6\n  %8:i64 = xor %2, %7\n  %9:f64 = fmul %0, %1\n  %10:i64 = fptosi %9\n"
            "  %11:i64 = add %8, %10\n  ret %11\n}\n",
            frows, fn_, 2);
}

/* ------------------------------------------------------------ random IR */

static void test_random(struct t *T, int count) {
  int ran = 0, exits = 0;
  uint64_t nins = 0, ns_emit = 0, ns_filter = 0, ns_total = 0, bytes = 0;
  for (int s = 1; s <= count; s++) {
    struct hy_gen_opts o;
    memset(&o, 0, sizeof o);
    o.seed = (uint64_t)s * 7777 + 1;
    o.mem_bytes = (s % 3) ? 256 : 0;
    o.use_f64 = s % 2;
    o.use_calls = s % 4 != 0;
    o.use_guards = 1;
    o.use_loops = s % 5 != 0;
    o.helpers = &helpers;
    struct hy_func *fn = hy_gen_func(&o);
    if (!fn) {
      CHECK(T, 0, "generator failed for seed %d", s);
      continue;
    }
    struct hy_jit_code *c = compile(T, fn);
    if (!c) {
      hy_func_free(fn);
      continue;
    }
    nins += c->stats.nins;
    ns_emit += c->stats.ns_emit;
    ns_filter += c->stats.ns_filter;
    ns_total += c->stats.ns_total;
    bytes += c->stats.code_bytes;
    for (int k = 0; k < 4; k++) {
      uint64_t args[HY_MAX_ARGS];
      uint64_t mem_e[32], mem_j[32];
      uint64_t z = (uint64_t)s * 0x9e3779b97f4a7c15ull + (uint64_t)k;
      for (int i = 0; i < 32; i++) {
        z ^= z << 13, z ^= z >> 7, z ^= z << 17;
        mem_e[i] = mem_j[i] = i >= 16 ? f2b((double)(int64_t)(z % 2001) / 8.0 - 100) : z >> (k * 16);
      }
      for (uint32_t p = 0; p < fn->nparams; p++) {
        z ^= z << 13, z ^= z >> 7, z ^= z << 17;
        int t = fn->vtype[p];
        args[p] = t == HY_T_F64 ? f2b((double)(int64_t)(z % 4001) / 4.0 - 500) : (k & 1) ? z : z % 200 - 100;
        if (t == HY_T_I32) args[p] = (uint32_t)args[p];
      }
      uint32_t dis[64];
      uint32_t ndis = 0;
      /* runs 2 and 3: NOP every guard except the div_zero ones (those keep
       * undefined divisions away), in the evaluator and in the code */
      for (uint32_t i = 0; i < c->nsites; i++) {
        int nop = k >= 2 && c->sites[i].kind != HY_GK_DIV_ZERO && ndis < 64;
        if (nop) dis[ndis++] = c->sites[i].guard_id;
        if (hy_jit_patch_site(T->j, c, i, nop)) CHECK(T, 0, "patch site %u: %s", i, hy_jit_error(T->j));
      }
      if (o.mem_bytes) args[0] = (uint64_t)(uintptr_t)mem_e;
      struct hy_eval_stats st;
      uint64_t want = 0;
      char err[256];
      struct hy_eval_opts eo = {.max_steps = 0, .disabled = dis, .ndisabled = ndis};
      int rc = hy_eval(fn, &helpers, args, &want, &eo, &st, err, sizeof err);
      CHECK(T, rc == 0, "eval seed %d: %s", s, err);
      exits += st.exits_taken > 0;
      if (o.mem_bytes) args[0] = (uint64_t)(uintptr_t)mem_j;
      uint64_t got = run(T, c, args);
      if (fn->ret == HY_T_I32) want = (uint32_t)want;
      CHECK(T, got == want, "random seed %d run %d: jit %#" PRIx64 " eval %#" PRIx64, s, k, got, want);
      if (o.mem_bytes) CHECK(T, !memcmp(mem_e, mem_j, sizeof mem_e), "random seed %d run %d: memory differs", s, k);
      ran++;
      if (got != want && getenv("HY_X86_DUMP")) hy_print_func(stderr, fn, &helpers);
    }
    hy_jit_code_free(T->j, c);
    hy_func_free(fn);
  }
  CHECK(T, exits > count / 10, "too few guard exits exercised (%d)", exits);
  printf("random IR: %d programs, %d runs, %d with exits\n", count, ran, exits);
  printf("x86-64 compile: %" PRIu64 " IR instructions, %" PRIu64 " bytes; emit %.1f ins/us, filter %.1f ins/us, "
         "whole pipeline incl. commit %.1f ins/us\n",
         nins, bytes, ns_emit ? nins * 1000.0 / ns_emit : 0, ns_filter ? nins * 1000.0 / ns_filter : 0,
         ns_total ? nins * 1000.0 / ns_total : 0);
}

/* -------------------------------------------- direct and indirect calls */

/* A helper compiled into the same code memory is within rel32 reach: the
 * call is direct; helpers in the test binary are usually far: indirect. */
static void test_call_forms(struct t *T) {
  struct hy_func *h = parse(T, "func @jh(%0:i64, %1:i64) -> i64 {\nbb0:\n  %2:i64 = mul %0, %1\n"
                               "  %3:i64 = const 5\n  %4:i64 = sub %2, %3\n  ret %4\n}\n");
  if (!h) return;
  struct hy_jit_code *hc = compile(T, h);
  if (!hc) {
    hy_func_free(h);
    return;
  }
  struct hy_helper hv[2] = {helper_v[0], {"jh", hc->entry, HY_T_I64, 2, {HY_T_I64, HY_T_I64}}};
  struct hy_helpers hs = {hv, 2};
  struct hy_jit_config cfg;
  memset(&cfg, 0, sizeof cfg);
  cfg.helpers = &hs;
  cfg.cm = hy_jit_codemem(T->j);
  struct hy_jit *j2 = hy_jit_new(&cfg);
  const char *src = "func @caller(%0:i64, %1:i64) -> i64 {\nbb0:\n  %2:i64 = call @jh(%0, %1)\n"
                    "  %3:i64 = call @sum3(%0, %1, %2)\n  %4:i64 = call @jh(%3, %2)\n  ret %4\n}\n";
  char err[256];
  struct hy_func *fn = hy_parse_func(src, strlen(src), &hs, err, sizeof err);
  CHECK(T, fn != NULL, "parse caller: %s", err);
  struct hy_jit_code *c = fn && j2 ? hy_jit_compile(j2, fn) : NULL;
  CHECK(T, c != NULL, "compile caller: %s", j2 ? hy_jit_error(j2) : "no context");
  if (c) {
    int direct = 0, indirect = 0;
    for (uint32_t i = 0; i < c->ncalls; i++) {
      int64_t d = (int64_t)(c->calls[i].target - c->base);
      int near = d > -((int64_t)1 << 30) && d < ((int64_t)1 << 30);
      if (near) CHECK(T, !c->calls[i].indirect && c->calls[i].len == 5, "near helper not called directly");
      if (!near && (d < INT32_MIN || d > INT32_MAX)) CHECK(T, c->calls[i].indirect && c->calls[i].len == 13, "far helper called directly");
      direct += !c->calls[i].indirect;
      indirect += c->calls[i].indirect;
      struct x86_insn di;
      int n = x86_decode(c->image + c->calls[i].off, c->size - c->calls[i].off, &di);
      CHECK(T, n > 0 && x86_forms[di.form].kind == (c->calls[i].indirect ? X86_K_MOVABS : X86_K_CALL),
            "call site %u does not start with its call sequence", i);
    }
    CHECK(T, direct >= 1, "no direct call emitted (jit helper at %p, code at %#" PRIx64 ")", hc->entry, c->base);
    printf("call forms: %d direct, %d indirect\n", direct, indirect);
    static const int64_t a[][2] = {{3, 4}, {-5, 7}, {INT64_MAX, 2}, {0, 0}};
    for (int i = 0; i < 4; i++) {
      uint64_t args[2] = {(uint64_t)a[i][0], (uint64_t)a[i][1]};
      uint64_t want = 0;
      hy_eval(fn, &hs, args, &want, NULL, NULL, err, sizeof err);
      uint64_t got = run(T, c, args);
      CHECK(T, got == want, "caller(%" PRId64 ", %" PRId64 "): jit %#" PRIx64 " eval %#" PRIx64, a[i][0], a[i][1],
            got, want);
    }
    hy_jit_code_free(j2, c);
  }
  if (fn) hy_func_free(fn);
  hy_jit_free(j2);
  hy_jit_code_free(T->j, hc);
  hy_func_free(h);
}

/* ---------------------------------------------------------- patch sites */

static void test_patch(struct t *T) {
  struct hy_func *fn = parse(T, "func @g(%0:i64, %1:i64) -> i64 {\nbb0:\n"
                                "  guard.bounds uge %0, %1 -> bb1 id=7 ctr=0\n"
                                "  %2:i64 = mulo %0, %1 -> bb1 id=8 ctr=1\n  ret %2\nbb1:\n"
                                "  %3:i64 = const -1\n  ret %3\n}\n");
  if (!fn) return;
  struct hy_jit_code *c = compile(T, fn);
  if (c) {
    CHECK(T, c->nsites == 2, "expected 2 sites, got %u", c->nsites);
    uint64_t args[2] = {10, 3};
    CHECK(T, run(T, c, args) == (uint64_t)-1, "guard should exit");
    uint8_t before[4096];
    size_t n = c->size < sizeof before ? c->size : sizeof before;
    memcpy(before, c->entry, n);
    for (uint32_t i = 0; i < c->nsites; i++) {
      const struct hy_patch_site *s = &c->sites[i];
      struct x86_insn d;
      int len = x86_decode(c->image + s->off, s->len, &d);
      CHECK(T, len == s->len && x86_forms[d.form].kind == X86_K_JCC, "site %u is not one jcc", i);
      CHECK(T, !memcmp(s->orig, before + s->off, s->len), "site %u orig bytes differ", i);
      CHECK(T, s->len == 2 ? !memcmp(s->alt, "\x66\x90", 2) : !memcmp(s->alt, "\x66\x0f\x1f\x44\x00\x00", 6),
            "site %u alt is not the %u-byte nop", i, s->len);
      CHECK(T, hy_jit_patch_site(T->j, c, i, 1) == 0, "patch to nop: %s", hy_jit_error(T->j));
      CHECK(T, !memcmp((uint8_t *)c->entry + s->off, s->alt, s->len), "site %u not nop-ed", i);
    }
    CHECK(T, run(T, c, args) == 30, "nop-ed guard still exits");
    uint64_t big[2] = {(uint64_t)1 << 40, (uint64_t)1 << 40};
    CHECK(T, run(T, c, big) == 0, "nop-ed overflow guard: wrapped product expected");
    for (uint32_t i = 0; i < c->nsites; i++)
      CHECK(T, hy_jit_patch_site(T->j, c, i, 0) == 0, "restore: %s", hy_jit_error(T->j));
    CHECK(T, !memcmp(c->entry, before, n), "restored code is not byte-identical");
    CHECK(T, run(T, c, args) == (uint64_t)-1, "restored guard does not exit");
    /* a patch outside a registered site is refused, and nothing changes */
    uint8_t nop2[2] = {0x66, 0x90};
    uint32_t off = c->sites[0].off + c->sites[0].len;
    CHECK(T, hy_jit_patch_bytes(T->j, c, off, nop2, 2) != 0, "patch outside a site accepted");
    uint8_t ud[2] = {0x0f, 0x0b};
    CHECK(T, hy_jit_patch_bytes(T->j, c, c->sites[0].off, ud, 2) != 0, "foreign bytes accepted at a site");
    CHECK(T, !memcmp(c->entry, before, n), "refused patch changed the code");
    /* the backend filter on its own: a site holding foreign bytes */
    struct hy_filter_in fi;
    struct hy_filter_out fo;
    memset(&fi, 0, sizeof fi);
    uint8_t *img = malloc(c->size);
    memcpy(img, c->image, c->size);
    memcpy(img + c->sites[0].off, "\x90\x90", 2);
    fi.code = img;
    fi.len = c->size;
    fi.base = c->base;
    fi.sites = c->sites;
    fi.nsites = c->nsites;
    fi.range_off = c->sites[0].off;
    fi.range_len = 2;
    CHECK(T, hy_backend_x86_64()->filter(&fi, &fo) != 0, "filter accepted a site holding foreign bytes");
    free(img);
    hy_jit_code_free(T->j, c);
  }
  hy_func_free(fn);
}

int main(int argc, char **argv) {
  struct t T = {0, 0, NULL};
  struct hy_jit_config cfg;
  memset(&cfg, 0, sizeof cfg);
  cfg.backend = hy_backend_x86_64();
  cfg.helpers = &helpers;
  T.j = hy_jit_new(&cfg);
  if (!T.j || hy_jit_error(T.j)[0]) {
    fprintf(stderr, "jit context: %s\n", T.j ? hy_jit_error(T.j) : "out of memory");
    return 1;
  }
  const char *soak = getenv("HY_SOAK");
  int nrandom = argc > 1 ? atoi(argv[1]) : soak && *soak == '1' ? 20000 : 2000;
  test_spill(&T);
  test_edges(&T);
  test_call_forms(&T);
  test_patch(&T);
  test_random(&T, nrandom);
  printf("x86 abi/backend: %d checks, %d failures, %ld helper calls\n", T.checks, T.fails, x86t_helper_calls);
  hy_jit_free(T.j);
  return T.fails ? 1 : 0;
}
