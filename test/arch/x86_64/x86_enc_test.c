/* x86-64 encoder / decoder / filter tests (host independent: bytes only).
 *
 *   hy-x86-enc-test selftest        C-level checks (see below)
 *   hy-x86-enc-test list            the encodings list, HEX<TAB>ASSEMBLY
 *   hy-x86-enc-test disasm          HEX<TAB>our disassembly of each list entry
 *   hy-x86-enc-test corpus          HEX<TAB>llvm name of each forbidden entry
 *   hy-x86-enc-test offsets SEED N  HEX<TAB>text for every offset of N random
 *                                   functions where our decoder accepts, plus
 *                                   accepted one-byte mutations of list forms
 * check_llvm.py feeds the printed lists to llvm-mc-14. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "x86_corpus.h"
#include "x86_gen.h"

struct t {
  int fails, checks, refused;
};

#define CHECK(T, cond, ...)                                  \
  do {                                                       \
    (T)->checks++;                                           \
    if (!(cond)) {                                           \
      (T)->fails++;                                          \
      fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__);   \
      fprintf(stderr, __VA_ARGS__);                          \
      fputc('\n', stderr);                                   \
    }                                                        \
  } while (0)

static void hex(FILE *o, const uint8_t *b, size_t n) {
  for (size_t i = 0; i < n; i++) fprintf(o, "%02x", b[i]);
}

/* ---------------------------------------------------------------- selftest */

/* Every list entry: no encoder error, decodes as exactly one instruction of
 * the entry's length, our printer gives the listed text, and the filter
 * accepts it inside a function. */
static void test_list(struct t *T, const struct xforms *F) {
  CHECK(T, F->n >= 200, "only %d forms listed", F->n);
  for (int i = 0; i < F->n; i++) {
    const struct xform *f = &F->v[i];
    CHECK(T, strncmp(f->text, "ENCODER-ERROR", 13) != 0, "form %d: %s", i, f->text);
    struct x86_insn d;
    int n = x86_decode(f->b, f->n, &d);
    CHECK(T, n == f->n, "form %d (%s): decoded length %d, encoded %d", i, f->text, n, f->n);
    if (n != f->n) continue;
    /* a truncated copy must never decode */
    for (int k = 0; k < f->n; k++)
      CHECK(T, x86_decode(f->b, (size_t)k, &d) == 0, "form %d (%s) decodes truncated to %d", i,
            f->text, k);
    x86_decode(f->b, f->n, &d);
    char txt[160];
    x86_format(&d, 0, X86_DIS_RELRAW, txt, sizeof txt);
    CHECK(T, strcmp(txt, f->text) == 0, "form %d: disasm '%s' != list '%s'", i, txt, f->text);
    /* filter: the form inside `push rbp; mov rbp, rsp; FORM; pop rbp; ret` */
    int kind = x86_forms[d.form].kind;
    uint8_t code[48];
    static const uint8_t pro[4] = {0x55, 0x48, 0x89, 0xe5};
    memcpy(code, pro, 4);
    size_t len = 4;
    uint64_t exec = 0x7f0000100000ull, helper = 0;
    if (kind == X86_K_JCC || kind == X86_K_JMP || kind == X86_K_TRAP) continue; /* below */
    if (kind == X86_K_CALLR) {
      uint8_t mov[10] = {0x49, 0xbb, 1, 2, 3, 4, 5, 6, 7, 8};
      memcpy(code + len, mov, 10);
      len += 10;
      helper = 0x0807060504030201ull;
    }
    if (kind == X86_K_CALL) helper = exec + len + f->n + (uint64_t)d.imm;
    if (kind == X86_K_MOVABS && d.reg == X86_R11) helper = (uint64_t)d.imm;
    if (kind != X86_K_RET) {
      memcpy(code + len, f->b, f->n);
      len += f->n;
    }
    code[len++] = 0x5d; /* pop rbp */
    code[len++] = 0xc3;
    struct x86_filter_req q = {code, len, exec, &helper, 1};
    struct x86_filter_res res;
    int rc = x86_filter_check(&q, &res);
    int want = !frame_refused(f->text);
    if (want) CHECK(T, rc == 0, "filter rejects form %d (%s): %s", i, f->text, res.msg);
    else CHECK(T, rc != 0 && res.off >= 4, "filter accepts frame-breaking form %d (%s) in a body", i, f->text);
    if (!want) T->refused++;
  }
  CHECK(T, T->refused >= 10, "only %d listed forms refused by the frame rules", T->refused);
}

/* Branch forms inside functions: a jcc/jmp of every size to a real target. */
static void test_branch_forms(struct t *T) {
  for (int cc = 0; cc < 16; cc++) {
    uint8_t code[64];
    struct x86_buf b;
    x86_buf_init(&b, code, sizeof code);
    x86_push(&b, X86_RBP);
    x86_mov_rr(&b, 64, X86_RBP, X86_RSP);
    x86_jcc_rel8(&b, cc, 6);   /* -> pop rbp at 12 */
    x86_jcc_rel32(&b, cc, -8); /* -> jcc_rel8 at 4 */
    x86_pop(&b, X86_RBP);
    x86_ret(&b);
    x86_jmp_rel32(&b, -15); /* -> 4 */
    x86_jmp_rel8(&b, -17);  /* -> 4 */
    x86_int3(&b);
    CHECK(T, b.err == 0, "branch encode error");
    struct x86_filter_req q = {code, b.len, 0, NULL, 0};
    struct x86_filter_res res;
    CHECK(T, x86_filter_check(&q, &res) == 0, "cc %d: %s", cc, res.msg);
  }
}

/* A bad operand emits exactly one INT3 and sets the sticky error. */
static void test_bad_operands(struct t *T) {
  struct x86_mem ok = x86_mem(X86_RAX, 0);
#define BAD(stmt)                                                                     \
  do {                                                                                \
    uint8_t buf[32];                                                                  \
    struct x86_buf bb, *b = &bb;                                                      \
    x86_buf_init(b, buf, sizeof buf);                                                 \
    stmt;                                                                             \
    CHECK(T, b->len == 1 && buf[0] == 0xcc && b->err == X86_ERR_OPERAND,              \
          "bad operand not trapped: %s (len %zu err %d)", #stmt, b->len, b->err);     \
    x86_ret(b);                                                                       \
    CHECK(T, b->err == X86_ERR_OPERAND && b->err_at == 0, "error not sticky: %s", #stmt); \
  } while (0)
  BAD(x86_mov_rr(b, 64, 16, 0));
  BAD(x86_mov_rr(b, 64, 0, -1));
  BAD(x86_mov_rr(b, 16, 0, 1));
  BAD(x86_add_ri8(b, 64, X86_RAX, 128));
  BAD(x86_add_ri8(b, 64, X86_RAX, -129));
  BAD(x86_sub_ri32(b, 64, X86_RAX, 0x80000000ll));
  BAD(x86_cmp_ri32(b, 32, X86_RAX, INT64_MIN));
  BAD(x86_mov_r32_imm32(b, X86_RAX, 0x100000000ll));
  BAD(x86_mov_r64_simm32(b, X86_RAX, 0x80000000ll));
  BAD(x86_mov_mi(b, 64, ok, 0x80000000ll));
  BAD(x86_mov_rm(b, 64, X86_RAX, x86_memx(X86_RAX, X86_RSP, 1, 0)));
  BAD(x86_mov_rm(b, 64, X86_RAX, x86_memx(X86_RAX, X86_RCX, 3, 0)));
  BAD(x86_mov_rm(b, 64, X86_RAX, x86_memx(X86_RAX, X86_RCX, 16, 0)));
  BAD(x86_mov_rm(b, 64, X86_RAX, x86_memx(-1, X86_RCX, 1, 0)));
  BAD(x86_mov_rm(b, 64, X86_RAX, x86_memx(X86_RAX, 16, 1, 0)));
  BAD(x86_mov_rm(b, 64, -1, ok));
  BAD(x86_mov_rm(b, 24, X86_RAX, ok));
  BAD(x86_lea(b, 16, X86_RAX, ok));
  BAD(x86_movsx_rr(b, 32, 32, X86_RAX, X86_RCX));
  BAD(x86_movzx_rr(b, 32, X86_RAX, X86_RCX));
  BAD(x86_shl_ri(b, 64, X86_RAX, 64));
  BAD(x86_sar_ri(b, 32, X86_RAX, 32));
  BAD(x86_shr_ri(b, 32, X86_RAX, -1));
  BAD(x86_setcc(b, 16, X86_RAX));
  BAD(x86_setcc(b, X86_CC_E, 16));
  BAD(x86_cmovcc_rr(b, 64, -1, X86_RAX, X86_RCX));
  BAD(x86_jcc_rel8(b, X86_CC_E, 128));
  BAD(x86_jcc_rel8(b, X86_CC_E, -129));
  BAD(x86_jcc_rel32(b, X86_CC_E, 0x80000000ll));
  BAD(x86_jmp_rel8(b, 200));
  BAD(x86_call_rel32(b, -0x80000001ll));
  BAD(x86_call_r(b, X86_RAX));
  BAD(x86_push(b, 16));
  BAD(x86_pop(b, -1));
  BAD(x86_nop(b, 0));
  BAD(x86_nop(b, 10));
  BAD(x86_imul_rri8(b, 64, X86_RAX, X86_RCX, 200));
  BAD(x86_addsd_rr(b, 16, 0));
  BAD(x86_movq_xr(b, 0, 20));
  BAD(x86_cvtsi2sd_rr(b, 16, 0, 0));
  BAD(x86_cvttsd2si_rm(b, 8, 0, ok));
  BAD(x86_test_ri(b, 64, X86_RAX, 0x80000000ll));
  BAD(x86_movabs(b, 99, 1));
#undef BAD
  /* the buffer never overflows: a full buffer sets X86_ERR_FULL */
  uint8_t small[4];
  struct x86_buf b;
  x86_buf_init(&b, small, sizeof small);
  x86_movabs(&b, X86_RAX, 1);
  CHECK(T, b.err == X86_ERR_FULL && b.len == 10, "overflow not reported");
  /* sizing mode counts without writing */
  x86_buf_init(&b, NULL, 0);
  x86_movabs(&b, X86_RAX, 1);
  x86_ret(&b);
  CHECK(T, b.err == 0 && b.len == 11, "sizing mode");
}

/* Random functions: size-first emission converges, the final pass matches,
 * the filter accepts, and its decoding boundaries are the encoder's. */
static void test_random_functions(struct t *T, const struct xforms *F, int count, uint64_t seed) {
  struct rng r = {seed};
  int maxpass = 0;
  for (int i = 0; i < count; i++) {
    struct gen g;
    gen_build(&g, F, &r, 20 + (int)rng_below(&r, 300));
    int passes = 0;
    const char *err = NULL;
    int rc = gen_assemble(&g, F, &passes, &err);
    CHECK(T, rc == 0, "function %d: assemble failed: %s", i, err ? err : "?");
    if (passes > maxpass) maxpass = passes;
    struct x86_filter_res res;
    rc = gen_filter(&g, g.code, g.len, &res);
    CHECK(T, rc == 0, "function %d: filter rejects own code: %s", i, res.msg);
    /* decoding boundaries == encoder boundaries */
    size_t off = 0;
    int k = 0, same = 1;
    while (off < g.len) {
      struct x86_insn d;
      int n = x86_decode(g.code + off, g.len - off, &d);
      if (!n || k >= g.nstarts || g.starts[k] != off) {
        same = 0;
        break;
      }
      off += (size_t)n;
      k++;
    }
    CHECK(T, same && k == g.nstarts, "function %d: decoder boundaries differ from encoder", i);
    gen_free(&g);
  }
  CHECK(T, maxpass <= X86_ASM_MAX_PASSES + 3, "size-first emission took %d passes", maxpass);
}

/* Size-first emission at the rel8 boundary: a branch over exactly 127 bytes
 * is short, over 128 bytes long, backward -128 short, -129 long. */
static void test_rel8_boundary(struct t *T) {
  for (int pad = 120; pad <= 135; pad++)
    for (int back = 0; back < 2; back++) {
      struct x86_asm a;
      uint8_t out[512];
      x86_asm_init(&a, 1);
      for (int final = 0; final < 2; final++) {
        do {
          x86_asm_begin(&a, final ? out : NULL, final ? sizeof out : 0);
          if (back) x86_asm_bind(&a, 0);
          if (!back) x86_asm_jcc(&a, X86_CC_E, 0);
          for (int k = 0; k < pad; k++) x86_nop(&a.b, 1);
          if (back) x86_asm_jcc(&a, X86_CC_E, 0);
          if (!back) x86_asm_bind(&a, 0);
          x86_ret(&a.b);
        } while (!final && !x86_asm_sized(&a));
      }
      CHECK(T, x86_asm_finish(&a) == 0, "pad %d back %d: %s", pad, back, a.msg);
      size_t expect_short = back ? (pad + 2 <= 128) : (pad <= 127);
      size_t blen = a.b.len - (size_t)pad - 1;
      CHECK(T, blen == (expect_short ? 2u : 6u), "pad %d back %d: branch of %zu bytes", pad, back, blen);
      x86_asm_free(&a);
    }
  /* a final pass that differs from the sized layout is caught */
  struct x86_asm a;
  uint8_t out[64];
  x86_asm_init(&a, 1);
  do {
    x86_asm_begin(&a, NULL, 0);
    x86_asm_jmp(&a, 0);
    x86_nop(&a.b, 3);
    x86_asm_bind(&a, 0);
    x86_ret(&a.b);
  } while (!x86_asm_sized(&a));
  x86_asm_begin(&a, out, sizeof out);
  x86_asm_jmp(&a, 0);
  x86_nop(&a.b, 4);
  x86_asm_bind(&a, 0);
  x86_ret(&a.b);
  CHECK(T, x86_asm_finish(&a) != 0, "final-pass mismatch not detected");
  x86_asm_free(&a);
}

static size_t insert(uint8_t *dst, const uint8_t *code, size_t len, size_t at, const uint8_t *ins,
                     size_t n) {
  memcpy(dst, code, at);
  memcpy(dst + at, ins, n);
  memcpy(dst + at + n, code + at, len - at);
  return len + n;
}

/* Forbidden instructions inserted at random instruction boundaries of valid
 * code are rejected, at the insertion point. */
static void test_corpus(struct t *T, const struct xforms *F, uint64_t seed) {
  struct rng r = {seed};
  for (int rep = 0; rep < 12; rep++) {
    struct gen g;
    gen_build(&g, F, &r, 60 + (int)rng_below(&r, 100));
    if (gen_assemble(&g, F, NULL, NULL)) {
      CHECK(T, 0, "assemble");
      gen_free(&g);
      continue;
    }
    uint8_t *buf = malloc(g.len + 32);
    for (int c = 0; c < X86_NBAD; c++) {
      const struct x86_bad *bad = &x86_bad_corpus[c];
      for (int tries = 0; tries < 4; tries++) {
        int si = (int)rng_below(&r, (uint32_t)g.nstarts + 1);
        size_t at = si == g.nstarts ? g.len : g.starts[si];
        /* what precedes the insertion point */
        int prev_kind = -1, prev_r11 = 0;
        if (si > 0) {
          struct x86_insn d;
          x86_decode(g.code + g.starts[si - 1], g.len - g.starts[si - 1], &d);
          prev_kind = x86_forms[d.form].kind;
          prev_r11 = prev_kind == X86_K_MOVABS && d.reg == X86_R11;
        }
        int is_int3 = bad->n == 1 && bad->b[0] == 0xcc;
        if (is_int3 && (prev_kind == X86_K_RET || prev_kind == X86_K_JMP || prev_kind == X86_K_TRAP))
          continue; /* that is legitimate trap fill */
        if (prev_r11) continue;
        size_t len = insert(buf, g.code, g.len, at, bad->b, bad->n);
        struct x86_filter_res res;
        int rc = gen_filter(&g, buf, len, &res);
        CHECK(T, rc != 0 && res.off == at, "corpus '%s' (#%d) at 0x%zx not rejected there: rc %d off 0x%zx %s",
              bad->name, c, at, rc, res.off, res.msg);
      }
    }
    /* int3 in reachable code, call r11 without its movabs */
    for (int si = 1; si < g.nstarts; si++) {
      struct x86_insn d;
      x86_decode(g.code + g.starts[si - 1], g.len - g.starts[si - 1], &d);
      int k = x86_forms[d.form].kind;
      if (k == X86_K_RET || k == X86_K_JMP || k == X86_K_TRAP || k == X86_K_MOVABS) continue;
      static const uint8_t cc3[1] = {0xcc}, cr11[3] = {0x41, 0xff, 0xd3};
      struct x86_filter_res res;
      size_t len = insert(buf, g.code, g.len, g.starts[si], cc3, 1);
      CHECK(T, gen_filter(&g, buf, len, &res) != 0 && res.off == g.starts[si], "reachable int3 accepted");
      len = insert(buf, g.code, g.len, g.starts[si], cr11, 3);
      CHECK(T, gen_filter(&g, buf, len, &res) != 0 && res.off == g.starts[si], "lone call r11 accepted");
      break;
    }
    free(buf);
    gen_free(&g);
  }
}

static void put32(uint8_t *p, int64_t v) {
  for (int i = 0; i < 4; i++) p[i] = (uint8_t)((uint64_t)v >> (8 * i));
}

/* Branch and call target rules. */
static void test_targets(struct t *T, const struct xforms *F, uint64_t seed) {
  struct rng r = {seed};
  int tested_mid = 0, tested_out = 0, tested_call = 0, tested_callr = 0, tested_fill = 0,
      tested_end = 0;
  for (int rep = 0; rep < 40; rep++) {
    struct gen g;
    gen_build(&g, F, &r, 40 + (int)rng_below(&r, 200));
    if (gen_assemble(&g, F, NULL, NULL)) {
      CHECK(T, 0, "assemble");
      gen_free(&g);
      continue;
    }
    uint8_t *c = malloc(g.len + 16);
    struct x86_filter_res res;
    uint8_t *isstart = calloc(g.len + 1, 1);
    for (int i = 0; i < g.nstarts; i++) isstart[g.starts[i]] = 1;
    for (int i = 0; i < g.nstarts; i++) {
      size_t at = g.starts[i];
      struct x86_insn d;
      int n = x86_decode(g.code + at, g.len - at, &d);
      int kind = x86_forms[d.form].kind;
      memcpy(c, g.code, g.len);
      if ((kind == X86_K_JCC || kind == X86_K_JMP) && n >= 5) {
        /* into the middle of a multi-byte instruction */
        for (int j = 0; j < g.nstarts; j++) {
          size_t t = g.starts[j] + 1;
          if (t < g.len && !isstart[t]) {
            put32(c + at + n - 4, (int64_t)t - (int64_t)(at + n));
            CHECK(T, gen_filter(&g, c, g.len, &res) != 0 && strstr(res.msg, "middle"),
                  "branch into the middle accepted: %s", res.msg);
            tested_mid++;
            break;
          }
        }
        /* outside: one past the end, before the start, far away */
        int64_t outs[3] = {(int64_t)g.len, -1, 0x10000000};
        for (int k = 0; k < 3; k++) {
          put32(c + at + n - 4, outs[k] - (int64_t)(at + n));
          CHECK(T, gen_filter(&g, c, g.len, &res) != 0 && strstr(res.msg, "outside"),
                "branch outside accepted: %s", res.msg);
          tested_out++;
        }
      }
      if (kind == X86_K_CALL) {
        put32(c + at + 1, d.imm + 1);
        CHECK(T, gen_filter(&g, c, g.len, &res) != 0 && strstr(res.msg, "unregistered"),
              "call to unregistered target accepted: %s", res.msg);
        tested_call++;
      }
      if (kind == X86_K_CALLR) {
        c[at - 8] ^= 0x10; /* low byte of the movabs immediate */
        CHECK(T, gen_filter(&g, c, g.len, &res) != 0 && strstr(res.msg, "unregistered"),
              "indirect call to unregistered target accepted: %s", res.msg);
        tested_callr++;
      }
      if (kind == X86_K_TRAP || kind == X86_K_CALLR) {
        /* redirect the first rel32 branch there */
        for (int j = 0; j < g.nstarts; j++) {
          struct x86_insn e;
          size_t bj = g.starts[j];
          int m = x86_decode(g.code + bj, g.len - bj, &e);
          int ek = x86_forms[e.form].kind;
          if ((ek == X86_K_JCC || ek == X86_K_JMP) && m >= 5) {
            memcpy(c, g.code, g.len);
            put32(c + bj + m - 4, (int64_t)at - (int64_t)(bj + m));
            CHECK(T, gen_filter(&g, c, g.len, &res) != 0 && strstr(res.msg, "trap fill or to a call r11"),
                  "branch to trap fill / call r11 accepted: %s", res.msg);
            tested_fill++;
            break;
          }
        }
      }
    }
    /* drop the final ret (and fill): falls off the end */
    size_t last = 0;
    for (int i = 0; i < g.nstarts; i++)
      if (g.code[g.starts[i]] == 0xc3) last = g.starts[i];
    int only_fill_after = 1;
    for (size_t k = last + 1; k < g.len; k++) only_fill_after &= g.code[k] == 0xcc;
    if (only_fill_after && last > 0 && isstart[last]) {
      struct x86_insn d;
      size_t p = 0, prevp = 0;
      while (p < last) {
        prevp = p;
        p += (size_t)x86_decode(g.code + p, g.len - p, &d);
      }
      x86_decode(g.code + prevp, g.len - prevp, &d);
      int k = x86_forms[d.form].kind;
      if (k != X86_K_RET && k != X86_K_JMP && k != X86_K_TRAP) {
        CHECK(T, gen_filter(&g, g.code, last, &res) != 0 && strstr(res.msg, "fall off"),
              "fall-through off the end accepted: %s", res.msg);
        tested_end++;
      }
    }
    /* unregister every helper: every call is then rejected */
    struct x86_filter_req q = {g.code, g.len, g.exec, g.helpers, 0};
    int has_call = 0;
    for (int i = 0; i < g.nit; i++) has_call |= g.it[i].kind == IT_CALL || g.it[i].kind == IT_CALLR;
    if (has_call) CHECK(T, x86_filter_check(&q, &res) != 0, "calls accepted with no helpers");
    /* the same code at another address: direct calls miss their helpers */
    q.nhelpers = GEN_NHELP;
    q.exec_addr = g.exec + 16;
    int has_direct = 0;
    for (int i = 0; i < g.nit; i++) has_direct |= g.it[i].kind == IT_CALL;
    if (has_direct) CHECK(T, x86_filter_check(&q, &res) != 0, "moved code accepted");
    free(isstart);
    free(c);
    gen_free(&g);
  }
  CHECK(T, tested_mid > 10 && tested_out > 10 && tested_call > 10 && tested_callr > 10 &&
               tested_fill > 5 && tested_end > 0,
        "target tests did not run enough: %d %d %d %d %d %d", tested_mid, tested_out, tested_call,
        tested_callr, tested_fill, tested_end);
}

/* A patch site: jcc rel8 <-> 66 90 and jcc rel32 <-> 66 0F 1F 44 00 00. */
static void test_patch_nops(struct t *T) {
  uint8_t code[32], n2[2], n6[6];
  struct x86_buf b;
  x86_buf_init(&b, n2, 2);
  x86_nop(&b, 2);
  x86_buf_init(&b, n6, 6);
  x86_nop(&b, 6);
  x86_buf_init(&b, code, sizeof code);
  x86_push(&b, X86_RBP);
  x86_mov_rr(&b, 64, X86_RBP, X86_RSP);
  x86_jcc_rel8(&b, X86_CC_O, 6);  /* 4 -> 12 */
  x86_jcc_rel32(&b, X86_CC_NE, 0); /* 6 -> 12 */
  x86_pop(&b, X86_RBP);           /* 12 */
  x86_ret(&b);
  size_t len = b.len;
  struct x86_filter_req q = {code, len, 0, NULL, 0};
  struct x86_filter_res res;
  CHECK(T, x86_filter_check(&q, &res) == 0, "patch base: %s", res.msg);
  uint8_t orig[8];
  memcpy(orig, code + 4, 8);
  memcpy(code + 4, n2, 2);
  memcpy(code + 6, n6, 6);
  CHECK(T, x86_filter_check(&q, &res) == 0, "patched: %s", res.msg);
  CHECK(T, n2[0] == 0x66 && n2[1] == 0x90, "2-byte nop");
  static const uint8_t want6[6] = {0x66, 0x0f, 0x1f, 0x44, 0x00, 0x00};
  CHECK(T, memcmp(n6, want6, 6) == 0, "6-byte nop");
  memcpy(code + 4, orig, 8);
  CHECK(T, x86_filter_check(&q, &res) == 0, "restored: %s", res.msg);
}

static int selftest(void) {
  struct t T = {0, 0, 0};
  struct xforms F;
  xforms_load(&F);
  test_list(&T, &F);
  test_branch_forms(&T);
  test_bad_operands(&T);
  test_rel8_boundary(&T);
  const char *soak = getenv("HY_SOAK");
  test_random_functions(&T, &F, soak && *soak == '1' ? 20000 : 400, 0x9e3779b97f4a7c15ull);
  test_corpus(&T, &F, 0x1234567ull);
  test_targets(&T, &F, 0xabcdefull);
  test_patch_nops(&T);
  printf("x86 selftest: %d forms, %d checks, %d failures\n", F.n, T.checks, T.fails);
  free(F.v);
  return T.fails ? 1 : 0;
}

/* ------------------------------------------------------------- list modes */

static int cmd_list(int disasm) {
  struct xforms F;
  xforms_load(&F);
  for (int i = 0; i < F.n; i++) {
    hex(stdout, F.v[i].b, F.v[i].n);
    if (disasm) {
      char txt[160];
      x86_disasm_one(F.v[i].b, F.v[i].n, 0, X86_DIS_RELRAW, txt, sizeof txt);
      printf("\t%s\n", txt);
    } else {
      printf("\t%s\n", F.v[i].text);
    }
  }
  free(F.v);
  return 0;
}

static int cmd_corpus(void) {
  for (int i = 0; i < X86_NBAD; i++) {
    hex(stdout, x86_bad_corpus[i].b, x86_bad_corpus[i].n);
    printf("\t%s\n", x86_bad_corpus[i].name);
  }
  return 0;
}

static void print_accepted(const uint8_t *p, size_t n) {
  char txt[160];
  int len = x86_disasm_one(p, n, 0, X86_DIS_RELRAW, txt, sizeof txt);
  if (!len) return;
  hex(stdout, p, (size_t)len);
  printf("\t%s\n", txt);
}

static int cmd_offsets(uint64_t seed, int nfun) {
  struct xforms F;
  xforms_load(&F);
  struct rng r = {seed ? seed : 1};
  for (int i = 0; i < nfun; i++) {
    struct gen g;
    gen_build(&g, &F, &r, 30 + (int)rng_below(&r, 60));
    if (gen_assemble(&g, &F, NULL, NULL)) return 1;
    for (size_t off = 0; off < g.len; off++) print_accepted(g.code + off, g.len - off);
    gen_free(&g);
  }
  /* every single-bit flip of every list form (random tail bytes after it),
   * every byte value at a random position under HY_SOAK, and the suffixes */
  const char *soak = getenv("HY_SOAK");
  int full = soak && *soak == '1';
  for (int i = 0; i < F.n; i++) {
    uint8_t m[16];
    int n = F.v[i].n;
    for (int k = 0; k < n * 8 + (full ? 256 : 0); k++) {
      memcpy(m, F.v[i].b, (size_t)n);
      for (int j = n; j < 16; j++) m[j] = (uint8_t)rng_next(&r);
      if (k < n * 8) m[k / 8] ^= (uint8_t)(1u << (k % 8));
      else m[rng_below(&r, (uint32_t)n)] = (uint8_t)(k - n * 8);
      print_accepted(m, 15);
    }
    for (int k = 1; k < n; k++) print_accepted(F.v[i].b + k, (size_t)(n - k));
  }
  /* random byte strings */
  for (int i = 0; i < (full ? 1000000 : 20000); i++) {
    uint8_t m[16];
    for (int j = 0; j < 16; j++) m[j] = (uint8_t)rng_next(&r);
    print_accepted(m, 15);
  }
  free(F.v);
  return 0;
}

int main(int argc, char **argv) {
  if (argc >= 2 && !strcmp(argv[1], "selftest")) return selftest();
  if (argc >= 2 && !strcmp(argv[1], "list")) return cmd_list(0);
  if (argc >= 2 && !strcmp(argv[1], "disasm")) return cmd_list(1);
  if (argc >= 2 && !strcmp(argv[1], "corpus")) return cmd_corpus();
  if (argc >= 2 && !strcmp(argv[1], "offsets"))
    return cmd_offsets(argc > 2 ? strtoull(argv[2], NULL, 0) : 1, argc > 3 ? atoi(argv[3]) : 20);
  fprintf(stderr, "usage: %s selftest|list|disasm|corpus|offsets [SEED N]\n", argv[0]);
  return 2;
}
