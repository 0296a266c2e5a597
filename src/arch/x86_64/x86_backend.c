/* x86-64 System V backend: driver, frame, calls, filter glue.
 *
 *   IR + allocation ─▶ passes (x86_asm) until the layout is stable ─▶ the
 *   stable pass's bytes, asserted equal to the previous pass's layout, with
 *   every branch hitting its label; block offsets, guard sites and call
 *   sites are recorded by each writing pass.  Passes write into lw->buf
 *   while it is big enough and only count once it overflows (then a final
 *   pass writes, or HY_EMIT_NOSPACE reports the size).
 *
 * Frame (rbp-based, so temporary pushes inside an op never move a slot):
 *   [rbp+8]  return address
 *   [rbp+0]  saved rbp
 *   [rbp-8]  first saved callee-saved GPR (rbx, r12..r15 as used) ...
 *   below    spill slots, 8 bytes each, then padding so that RSP is 16-byte
 *            aligned after the prologue; no call is ever made with anything
 *            else pushed, so RSP is aligned at every call.
 * Stack probing: a slot area of HY_STACK_PROBE (4096) bytes or more is
 *   reserved as `sub rsp, 4096; mov [rsp], r11` per page from the top, then
 *   `sub rsp, rest; mov [rsp], r11` (see backend.h); larger than
 *   HY_MAX_FRAME is refused.
 */
#include <stdio.h>
#include <string.h>

#include "arch/x86_64/x86_dec.h"
#include "arch/x86_64/x86_lower.h"

/* ---------------------------------------------------------------- target */

static const struct hy_target x86_target = {
    .ngpr = 12,
    .nfpr = 14,
    /* caller-saved first: short values need no save in the prologue */
    .gpr = {X86_RAX, X86_RCX, X86_RDX, X86_RSI, X86_RDI, X86_R8, X86_R9, X86_RBX, X86_R12, X86_R13,
            X86_R14, X86_R15},
    .fpr = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13},
    .gpr_callee_saved = (1u << X86_RBX) | (1u << X86_RBP) | (1u << X86_R12) | (1u << X86_R13) |
                        (1u << X86_R14) | (1u << X86_R15),
    .fpr_callee_saved = 0,
    .ngpr_arg = 6,
    .nfpr_arg = 8,
    .gpr_arg = {X86_RDI, X86_RSI, X86_RDX, X86_RCX, X86_R8, X86_R9},
    .fpr_arg = {0, 1, 2, 3, 4, 5, 6, 7},
    .gpr_ret = X86_RAX,
    .fpr_ret = 0,
    .ngpr_scratch = 2,
    .nfpr_scratch = 2,
    .gpr_scratch = {XL_S0, XL_S1},
    .fpr_scratch = {XL_F0, XL_F1},
};

/* ------------------------------------------------------------ utilities */

struct x86_mem xl_slot(const struct xl *x, int32_t slot) {
  return x86_mem(X86_RBP, -(int32_t)(8 * x->nsaved) - 8 * (slot + 1));
}

uint32_t xl_new_label(struct xl *x) { return x->next_label++; }

/* Move between two locations of the same class (either may be a slot). */
void xl_move(struct xl *x, struct hy_loc d, struct hy_loc s) {
  struct x86_buf *b = &x->a.b;
  if (hy_loc_eq(d, s) || d.kind == HY_LOC_NONE || s.kind == HY_LOC_NONE) return;
  if (d.cls == HY_RC_GPR) {
    if (d.kind == HY_LOC_REG && s.kind == HY_LOC_REG) x86_mov_rr(b, 64, d.reg, s.reg);
    else if (d.kind == HY_LOC_REG) x86_mov_rm(b, 64, d.reg, xl_slot(x, s.slot));
    else if (s.kind == HY_LOC_REG) x86_mov_mr(b, 64, xl_slot(x, d.slot), s.reg);
    else {
      x86_mov_rm(b, 64, XL_S1, xl_slot(x, s.slot));
      x86_mov_mr(b, 64, xl_slot(x, d.slot), XL_S1);
    }
  } else {
    if (d.kind == HY_LOC_REG && s.kind == HY_LOC_REG) x86_movapd_rr(b, d.reg, s.reg);
    else if (d.kind == HY_LOC_REG) x86_movsd_rm(b, d.reg, xl_slot(x, s.slot));
    else if (s.kind == HY_LOC_REG) x86_movsd_mr(b, xl_slot(x, d.slot), s.reg);
    else {
      x86_movsd_rm(b, XL_F1, xl_slot(x, s.slot));
      x86_movsd_mr(b, xl_slot(x, d.slot), XL_F1);
    }
  }
}

/* Run a parallel move (params on entry, call arguments). */
static void pmoves(struct xl *x, const struct hy_move *mv, int n) {
  struct hy_move out[2 * HY_MAX_ARGS + 2];
  int k = hy_pmove_schedule(mv, n, hy_loc_reg(HY_RC_GPR, XL_S0), hy_loc_reg(HY_RC_FPR, XL_F0), out);
  if (k < 0) {
    hy_lower_fail(x->lw, "x86-64: cannot schedule %d parallel moves", n);
    return;
  }
  for (int i = 0; i < k; i++) xl_move(x, out[i].dst, out[i].src);
}

/* ----------------------------------------------------------- prologue */

static void prologue(struct xl *x) {
  struct x86_buf *b = &x->a.b;
  const struct hy_func *fn = x->fn;
  x86_push(b, X86_RBP);
  x86_mov_rr(b, 64, X86_RBP, X86_RSP);
  for (uint32_t i = 0; i < x->nsaved; i++) x86_push(b, x->saved[i]);
  if (x->spill >= HY_STACK_PROBE) {
    /* stack probing: one page at a time from the top, touching each */
    uint32_t left = x->spill;
    while (left >= HY_STACK_PROBE) {
      x86_sub_ri(b, 64, X86_RSP, HY_STACK_PROBE);
      x86_mov_mr(b, 64, x86_mem(X86_RSP, 0), XL_S1);
      left -= HY_STACK_PROBE;
    }
    if (left) {
      x86_sub_ri(b, 64, X86_RSP, left);
      x86_mov_mr(b, 64, x86_mem(X86_RSP, 0), XL_S1);
    }
  } else if (x->spill) {
    x86_sub_ri(b, 64, X86_RSP, x->spill);
  }
  /* parameters: from their ABI registers to their allocated locations */
  struct hy_move mv[HY_MAX_ARGS];
  int n = hy_param_moves(fn, x->ra, &x86_target, mv);
  if (n < 0) {
    hy_lower_fail(x->lw, "x86-64: too many parameters");
    return;
  }
  pmoves(x, mv, n);
}

void xl_epilogue(struct xl *x) {
  struct x86_buf *b = &x->a.b;
  if (x->spill) x86_lea(b, 64, X86_RSP, x86_mem(X86_RBP, -(int32_t)(8 * x->nsaved)));
  for (uint32_t i = x->nsaved; i-- > 0;) x86_pop(b, x->saved[i]);
  x86_pop(b, X86_RBP);
  x86_ret(b);
}

/* -------------------------------------------------------------- calls */

void xl_call(struct xl *x, const struct hy_ins *in) {
  struct x86_buf *b = &x->a.b;
  const struct hy_helpers *hs = x->lw->helpers;
  if (!hs || in->imm < 0 || (uint64_t)in->imm >= hs->n) {
    hy_lower_fail(x->lw, "x86-64: call to unknown helper #%lld", (long long)in->imm);
    return;
  }
  struct hy_move mv[HY_MAX_ARGS];
  uint8_t sext[HY_MAX_INT_ARGS];
  int nsext;
  int n = hy_call_arg_moves(x->fn, x->ra, &x86_target, in, mv, sext, &nsext);
  if (n < 0) {
    hy_lower_fail(x->lw, "x86-64: too many call arguments");
    return;
  }
  pmoves(x, mv, n);
  /* i32 arguments travel sign-extended, as the reference evaluator passes them */
  for (int k = 0; k < nsext; k++) x86_movsxd_rr(b, sext[k], sext[k]);
  uint64_t target = (uint64_t)(uintptr_t)hs->v[in->imm].addr;
  int64_t dist = (int64_t)(target - x->lw->exec_base);
  uint32_t at = (uint32_t)b->len;
  int indirect = !(dist >= -XL_CALL_REACH && dist <= XL_CALL_REACH);
  if (!indirect) {
    x86_call_rel32(b, (int64_t)(target - (x->lw->exec_base + at + 5)));
  } else {
    x86_movabs(b, XL_S1, target);
    x86_call_r(b, XL_S1);
  }
  if (x->final) {
    struct hy_lower *lw = x->lw;
    if (lw->ncalls >= lw->calls_cap) {
      hy_lower_fail(lw, "x86-64: more calls than calls_cap (%u)", lw->calls_cap);
    } else {
      struct hy_call_site *c = &lw->calls[lw->ncalls++];
      c->off = at;
      c->len = (uint32_t)b->len - at;
      c->target = target;
      c->helper = (uint32_t)in->imm;
      c->indirect = (uint8_t)indirect;
    }
  }
  if (in->dst >= 0) {
    int f = x->fn->vtype[in->dst] == HY_T_F64;
    xl_move(x, x->ra->loc[in->dst], hy_loc_reg(f ? HY_RC_FPR : HY_RC_GPR, f ? 0 : X86_RAX));
  }
}

/* Record the guard branch that was just emitted at `at` as a patch site. */
void xl_site(struct xl *x, const struct hy_ins *in, uint32_t at) {
  if (!x->final) return;
  struct hy_lower *lw = x->lw;
  struct x86_buf *b = &x->a.b;
  uint32_t len = (uint32_t)b->len - at;
  if (lw->nsites >= lw->sites_cap) {
    hy_lower_fail(lw, "x86-64: more guard sites than sites_cap (%u)", lw->sites_cap);
    return;
  }
  if ((len != 2 && len != 6) || b->err || b->len > b->cap) {
    hy_lower_fail(lw, "x86-64: guard site of %u bytes", len);
    return;
  }
  struct hy_patch_site *s = &lw->sites[lw->nsites++];
  memset(s, 0, sizeof *s);
  s->off = at;
  s->len = (uint8_t)len;
  s->kind = in->kind;
  s->guard_id = in->guard_id;
  s->counter = in->counter;
  s->exit_blk = in->t1;
  memcpy(s->orig, b->p + at, len);
  struct x86_buf nb;
  x86_buf_init(&nb, s->alt, sizeof s->alt);
  x86_nop(&nb, (int)len);
}

/* -------------------------------------------------------------- driver */

static void emit_pass(struct xl *x) {
  const struct hy_func *fn = x->fn;
  x->next_label = fn->nblocks;
  prologue(x);
  for (uint32_t bi = 0; bi < fn->nblocks; bi++) {
    if (x->final && x->lw->block_off) x->lw->block_off[bi] = (uint32_t)x->a.b.len;
    x86_asm_bind(&x->a, bi);
    for (uint32_t i = 0; i < fn->blocks[bi].n; i++) xl_lower_ins(x, bi, i);
  }
}

static int x86_emit_function(struct hy_lower *lw) {
  struct xl x;
  memset(&x, 0, sizeof x);
  x.lw = lw;
  x.fn = lw->fn;
  x.ra = lw->ra;
  lw->size = 0;
  lw->nsites = lw->ncalls = 0;
  if (lw->failed) return HY_EMIT_ERROR;
  static const uint8_t order[5] = {X86_RBX, X86_R12, X86_R13, X86_R14, X86_R15};
  for (int i = 0; i < 5; i++)
    if (lw->ra->used_callee_gpr & (1u << order[i])) x.saved[x.nsaved++] = order[i];
  if (lw->ra->used_callee_gpr & ~((1u << X86_RBX) | (1u << X86_R12) | (1u << X86_R13) |
                                  (1u << X86_R14) | (1u << X86_R15))) {
    hy_lower_fail(lw, "x86-64: allocator used an unexpected callee-saved register");
    return HY_EMIT_ERROR;
  }
  /* after push rbp + pushes, RSP = entry - 8 - 8*(1 + nsaved); make the
   * slot area end on a 16-byte boundary */
  uint32_t below = 8 * x.nsaved + 8 * lw->ra->nslots;
  uint32_t total = (below + 15u) & ~15u;
  x.spill = total - 8 * x.nsaved;
  lw->frame_size = 8 + total; /* saved rbp + saved regs + slots (+pad) */
  if ((uint64_t)8 * lw->ra->nslots + 8 * x.nsaved + 8 > HY_MAX_FRAME) {
    hy_lower_fail(lw, "x86-64: frame of %llu bytes exceeds the limit of %u bytes (too many spilled values)",
                  (unsigned long long)8 * lw->ra->nslots + 8 * x.nsaved + 8, HY_MAX_FRAME);
    return HY_EMIT_ERROR;
  }
  uint32_t nlab = lw->fn->nblocks;
  for (uint32_t bi = 0; bi < lw->fn->nblocks; bi++)
    for (uint32_t i = 0; i < lw->fn->blocks[bi].n; i++) nlab += xl_internal_labels(&lw->fn->blocks[bi].ins[i]);
  if (x86_asm_init(&x.a, nlab)) {
    hy_lower_fail(lw, "x86-64: out of memory");
    return HY_EMIT_ERROR;
  }
  /* Passes write into lw->buf while it is big enough, so the pass that
   * finds the layout stable already holds the final bytes; once the buffer
   * overflows, passes only count, and a final pass writes when it fits. */
  int writing = lw->buf && lw->cap > 0;
  for (;;) {
    x.final = writing;
    lw->nsites = lw->ncalls = 0;
    x86_asm_begin(&x.a, writing ? lw->buf : NULL, writing ? lw->cap : 0);
    emit_pass(&x);
    if (lw->failed) break;
    if (x.a.b.err == X86_ERR_FULL) {
      writing = 0;
      continue;
    }
    if (x86_asm_sized(&x.a)) break;
  }
  int rc = HY_EMIT_OK;
  size_t size = x.a.b.len;
  if (lw->failed) {
    rc = HY_EMIT_ERROR;
  } else if (x.a.err || x.a.b.err) {
    hy_lower_fail(lw, "x86-64: %s", x.a.msg ? x.a.msg : x.a.b.err_what ? x.a.b.err_what : "encoder error");
    rc = HY_EMIT_ERROR;
  } else if (size > XL_MAX_CODE) {
    hy_lower_fail(lw, "x86-64: function too large (%zu bytes)", size);
    rc = HY_EMIT_ERROR;
  } else if (!writing && (size > lw->cap || !lw->buf)) {
    lw->size = size;
    rc = HY_EMIT_NOSPACE;
  } else {
    if (!writing) {
      x.final = 1;
      lw->nsites = lw->ncalls = 0;
      x86_asm_begin(&x.a, lw->buf, lw->cap);
      emit_pass(&x);
    }
    /* the bytes must reproduce the stable layout exactly */
    if (!lw->failed && x86_asm_finish(&x.a))
      hy_lower_fail(lw, "x86-64: %s", x.a.msg ? x.a.msg : "emission failed");
    if (lw->failed) rc = HY_EMIT_ERROR;
    else lw->size = x.a.b.len;
  }
  x86_asm_free(&x.a);
  return rc;
}

/* --------------------------------------------------------- filter glue */

static int x86_backend_filter(const struct hy_filter_in *in, struct hy_filter_out *out) {
  out->off = 0;
  out->reason[0] = 0;
  /* registered sites and the patch range (portable rule, src/jit/patch.c) */
  if (hy_filter_sites(in, "x86", NULL, out)) return -1;
  struct x86_filter_req q = {in->code, in->len, in->base, in->helpers, in->nhelpers};
  struct x86_filter_res r;
  if (x86_filter_check(&q, &r)) {
    out->off = r.off;
    snprintf(out->reason, sizeof out->reason, "%.159s", r.msg);
    return -1;
  }
  return 0;
}

static int x86_backend_disasm(const uint8_t *p, size_t n, uint64_t addr, char *text, size_t cap) {
  return x86_disasm_one(p, n, addr, 0, text, cap);
}

static void list_cb(void *ctx, const uint8_t *bytes, size_t n, const char *text) {
  FILE *out = ctx;
  for (size_t i = 0; i < n; i++) fprintf(out, "%02x", bytes[i]);
  fprintf(out, "\t%s\n", text);
}

static void x86_backend_list(FILE *out) { x86_list_encodings(list_cb, out); }

static const struct hy_backend x86_backend = {
    .name = "x86-64",
    .target = &x86_target,
    .trap = {0xCC},
    .trap_len = 1,
    .nop = {0x90},
    .nop_len = 1,
    .insn_align = 1,
    .emit_function = x86_emit_function,
    .filter = x86_backend_filter,
    .disasm = x86_backend_disasm,
    .list_encodings = x86_backend_list,
};

const struct hy_backend *hy_backend_x86_64(void) { return &x86_backend; }
