/* Test support: the encodings list as data, and a generator of random valid
 * x86-64 functions (size-first emission with labels, direct and indirect
 * helper calls, trap fill).  Shared by the x86 test binaries. */
#ifndef HY_X86_GEN_H
#define HY_X86_GEN_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arch/x86_64/x86_asm.h"
#include "arch/x86_64/x86_dec.h"

struct xform {
  uint8_t b[16];
  uint8_t n;
  char text[160];
};

struct xforms {
  struct xform *v;
  int n, cap;
};

static void xforms_cb(void *ctx, const uint8_t *bytes, size_t n, const char *text) {
  struct xforms *F = ctx;
  if (F->n == F->cap) {
    F->cap = F->cap ? 2 * F->cap : 256;
    F->v = realloc(F->v, sizeof *F->v * (size_t)F->cap);
    if (!F->v) abort();
  }
  struct xform *f = &F->v[F->n++];
  memset(f, 0, sizeof *f);
  f->n = (uint8_t)(n > 16 ? 16 : n);
  memcpy(f->b, bytes, f->n);
  snprintf(f->text, sizeof f->text, "%s", text);
}

static inline void xforms_load(struct xforms *F) {
  memset(F, 0, sizeof *F);
  x86_list_encodings(xforms_cb, F);
}

struct rng {
  uint64_t s;
};
static inline uint64_t rng_next(struct rng *r) {
  uint64_t x = r->s;
  x ^= x << 13;
  x ^= x >> 7;
  x ^= x << 17;
  return r->s = x;
}
static inline uint32_t rng_below(struct rng *r, uint32_t n) { return (uint32_t)(rng_next(r) % n); }

/* ------------------------------------------------------- random functions */

enum { IT_PLAIN, IT_JCC, IT_JCC_LONG, IT_JMP, IT_CALL, IT_CALLR, IT_RET, IT_FILL };

struct item {
  int kind;
  int arg;           /* form index, helper index, fill length */
  int cc;
  int label;         /* branch target label */
  int bind;          /* label bound before this item, or -1 */
};

#define GEN_NHELP 4

struct gen {
  struct item *it;
  int nit;
  int nlab;
  uint64_t exec;                 /* exec address of the function */
  uint64_t helpers[GEN_NHELP];   /* 0,1: near (call rel32); 2,3: far (movabs) */
  uint32_t *starts;              /* instruction starts of the final pass */
  int nstarts;
  uint8_t *code;
  size_t len;
};

/* Independent statement of the frame rules (review R2), from the listed
 * Intel text: a form is refused inside a function body when it names rsp/rbp
 * (or their 8/16/32-bit parts) other than as the base of a memory operand
 * [rbp - N] with N >= 8 (not for lea), or when it is a push or pop (the body
 * in this test has no room: a pop would take the saved rbp, a push would
 * leave `pop rbp` at the wrong depth). */
static int is_word_char(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; }
static int frame_refused(const char *text) {
  if (!strncmp(text, "push ", 5) || !strncmp(text, "pop ", 4)) return 1;
  static const char *const regs[] = {"rsp", "esp", "sp", "spl", "rbp", "ebp", "bp", "bpl"};
  for (const char *p = text; *p; p++) {
    if (p != text && is_word_char(p[-1])) continue;
    for (size_t k = 0; k < sizeof regs / sizeof regs[0]; k++) {
      size_t l = strlen(regs[k]);
      if (strncmp(p, regs[k], l) || is_word_char(p[l])) continue;
      /* [rbp - N], N >= 8, outside lea */
      if (!strncmp(p, "rbp - ", 6) && p != text && p[-1] == '[' && strncmp(text, "lea", 3)) {
        long n = strtol(p + 6, NULL, 0);
        if (n >= 8) continue;
      }
      return 1;
    }
  }
  return 0;
}

static int is_plain_form(const struct xform *f) {
  if (frame_refused(f->text)) return 0; /* the frame rules refuse it in a body */
  struct x86_insn d;
  if (x86_decode(f->b, f->n, &d) != f->n) return 0;
  int k = x86_forms[d.form].kind;
  return k == X86_K_PLAIN || k == X86_K_NOP || k == X86_K_MOVABS;
}

static void gen_emit(struct gen *g, struct x86_asm *a, const struct xforms *F, int record) {
  g->nstarts = 0;
#define START() do { if (record) g->starts[g->nstarts++] = (uint32_t)a->b.len; } while (0)
  /* every function starts with the frame the filter requires (review R2) */
  START();
  x86_push(&a->b, X86_RBP);
  START();
  x86_mov_rr(&a->b, 64, X86_RBP, X86_RSP);
  for (int i = 0; i < g->nit; i++) {
    const struct item *t = &g->it[i];
    if (t->bind >= 0) x86_asm_bind(a, (uint32_t)t->bind);
    switch (t->kind) {
    case IT_PLAIN: START(); x86__put(&a->b, F->v[t->arg].b, F->v[t->arg].n); break;
    case IT_JCC: START(); x86_asm_jcc(a, t->cc, (uint32_t)t->label); break;
    case IT_JCC_LONG: START(); x86_asm_jcc_long(a, t->cc, (uint32_t)t->label); break;
    case IT_JMP: START(); x86_asm_jmp(a, (uint32_t)t->label); break;
    case IT_CALL: {
      START();
      int64_t rel = (int64_t)(g->helpers[t->arg] - (g->exec + a->b.len + 5));
      x86_call_rel32(&a->b, rel);
      break;
    }
    case IT_CALLR:
      START();
      x86_movabs(&a->b, X86_R11, g->helpers[t->arg]);
      START();
      x86_call_r(&a->b, X86_R11);
      break;
    case IT_RET:
      START();
      x86_pop(&a->b, X86_RBP);
      START();
      x86_ret(&a->b);
      break;
    case IT_FILL:
      for (int k = 0; k < t->arg; k++) {
        START();
        x86_int3(&a->b);
      }
      break;
    }
  }
#undef START
}

/* Build a random function of about n items from the plain forms of F. */
static int gen_build(struct gen *g, const struct xforms *F, struct rng *r, int n) {
  memset(g, 0, sizeof *g);
  g->exec = 0x7f0012340000ull + ((uint64_t)rng_below(r, 1u << 20) << 4);
  g->helpers[0] = g->exec - 0x30000000ull + rng_below(r, 4096);
  g->helpers[1] = g->exec + 0x20000000ull + rng_below(r, 4096);
  g->helpers[2] = 0x0000555512345678ull + rng_below(r, 4096);
  g->helpers[3] = 0xffffffff81000000ull - rng_below(r, 4096);
  g->it = calloc((size_t)n + 4, sizeof *g->it);
  if (!g->it) return -1;
  int prev_term = 0;
  for (int i = 0; i < n; i++) {
    struct item *t = &g->it[g->nit++];
    t->bind = -1;
    uint32_t k = rng_below(r, 100);
    if (prev_term && k < 30) {
      t->kind = IT_FILL;
      t->arg = 1 + (int)rng_below(r, 7);
      prev_term = 1;
      continue;
    }
    if (rng_below(r, 4) == 0) t->bind = g->nlab++;
    if (k < 60) {
      do t->arg = (int)rng_below(r, (uint32_t)F->n);
      while (!is_plain_form(&F->v[t->arg]));
      t->kind = IT_PLAIN;
    } else if (k < 72) t->kind = IT_JCC;
    else if (k < 76) t->kind = IT_JCC_LONG;
    else if (k < 81) t->kind = IT_JMP;
    else if (k < 88) { t->kind = IT_CALL; t->arg = (int)rng_below(r, 2); }
    else if (k < 95) { t->kind = IT_CALLR; t->arg = (int)rng_below(r, GEN_NHELP); }
    else t->kind = IT_RET;
    t->cc = (int)rng_below(r, 16);
    prev_term = t->kind == IT_JMP || t->kind == IT_RET;
  }
  struct item *t = &g->it[g->nit++];
  t->bind = g->nlab++;
  t->kind = IT_RET;
  if (rng_below(r, 2)) {
    t = &g->it[g->nit++];
    t->bind = -1;
    t->kind = IT_FILL;
    t->arg = 1 + (int)rng_below(r, 15);
  }
  for (int i = 0; i < g->nit; i++)
    if (g->it[i].kind == IT_JCC || g->it[i].kind == IT_JCC_LONG || g->it[i].kind == IT_JMP)
      g->it[i].label = (int)rng_below(r, (uint32_t)g->nlab);
  return 0;
}

/* Size-first emission; returns 0 and fills code/len/starts, or -1. */
static int gen_assemble(struct gen *g, const struct xforms *F, int *passes, const char **err) {
  struct x86_asm a;
  if (x86_asm_init(&a, (uint32_t)g->nlab)) return -1;
  do {
    x86_asm_begin(&a, NULL, 0);
    gen_emit(g, &a, F, 0);
  } while (!x86_asm_sized(&a));
  size_t size = a.b.len;
  g->code = malloc(size ? size : 1);
  g->starts = malloc(sizeof(uint32_t) * (size + 1));
  if (!g->code || !g->starts) return -1;
  x86_asm_begin(&a, g->code, size);
  gen_emit(g, &a, F, 1);
  int rc = x86_asm_finish(&a);
  if (passes) *passes = a.pass;
  if (rc && err) *err = a.msg;
  g->len = a.b.len;
  x86_asm_free(&a);
  return rc;
}

static void gen_free(struct gen *g) {
  free(g->it);
  free(g->code);
  free(g->starts);
  memset(g, 0, sizeof *g);
}

static int gen_filter(const struct gen *g, const uint8_t *code, size_t len,
                      struct x86_filter_res *res) {
  struct x86_filter_req q = {code, len, g->exec, g->helpers, GEN_NHELP};
  return x86_filter_check(&q, res);
}

#endif
