/* Safe Opcode Filter for x86-64: default deny.
 *
 * Pass 1 decodes the buffer linearly from offset 0 with the table-driven
 * decoder; any byte sequence that is not one of our forms (syscall, int n,
 * far transfers, segment moves, privileged and I/O instructions, prefixes we
 * never emit, indirect jumps, ...) fails to decode and is rejected.  It marks
 * instruction starts and checks calls, trap fill and fall-through.
 * Pass 2 checks every direct branch target against the marks. */
#include "arch/x86_64/x86_dec.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { M_START = 1, M_NOTARGET = 2, M_ALL = 4 };

static int failv(struct x86_filter_res *res, size_t off, const char *msg, int has_v, uint64_t v) {
  if (res) {
    res->off = off;
    if (has_v)
      snprintf(res->msg, sizeof res->msg, "x86 filter: offset 0x%zx: %s 0x%" PRIx64, off, msg, v);
    else
      snprintf(res->msg, sizeof res->msg, "x86 filter: offset 0x%zx: %s", off, msg);
  }
  return -1;
}

static int fail(struct x86_filter_res *res, size_t off, const char *msg) {
  return failv(res, off, msg, 0, 0);
}

static int registered(const struct x86_filter_req *q, uint64_t a) {
  for (size_t i = 0; i < q->nhelpers; i++)
    if (q->helpers[i] == a) return 1;
  return 0;
}

static int terminator(int kind) {
  return kind == X86_K_RET || kind == X86_K_JMP || kind == X86_K_TRAP;
}

/* ---- frame rules (review R2): RSP, RBP and the return address ----------------
 * The filter proves that `ret` pops the return address pushed by our caller:
 *  - the function starts with `push rbp; mov rbp, rsp` and RBP is written
 *    nowhere else except the `pop rbp` that directly precedes each `ret`;
 *  - RSP is written only by push/pop (never pop rsp), the prologue's
 *    `sub rsp, imm` (multiple of 8) and the epilogue's `lea rsp, [rbp - 8k]`;
 *  - the stack depth (8-byte words below the return address) is tracked
 *    statically; every direct branch must join its target at the same depth,
 *    `pop rbp` needs depth 1 (RSP == RBP) and `ret` must directly follow it;
 *    pops in the body never reach the saved-RBP slot;
 *  - memory through RBP only below it ([rbp - 8] and down), through RSP only
 *    the stack probe `mov [rsp], r11` right after `sub rsp, imm`;
 *  - RSP/RBP are never used as a value (no copy of a stack address escapes
 *    into a general register).
 * Stores through other registers cannot be tied to the stack by the filter;
 * see x86_dec.h. */
enum { PH_PUSH_RBP, PH_MOV_RBP, PH_SAVES, PH_PROBE_OK, PH_PROBED, PH_BODY };
struct frame_state {
  int phase;
  int64_t depth, body_depth;
  int after_pop_rbp;
};

static int is_stackreg(int cls, int r, const struct x86_insn *d) {
  if (r != X86_RSP && r != X86_RBP) return 0;
  if (cls == X86_C_G8 && !d->rex) return 0; /* ah / ch */
  return cls == X86_C_G8 || cls == X86_C_G16 || cls == X86_C_G32 || cls == X86_C_G64;
}

/* Returns NULL if the instruction keeps the frame rules, else why not. */
static const char *frame_rule(const struct x86_insn *d, struct frame_state *st) {
  const struct x86_form *f = &x86_forms[d->form];
  int id = d->form;
  int was_pop_rbp = st->after_pop_rbp;
  if (was_pop_rbp && f->kind != X86_K_RET) return "pop rbp not directly followed by ret";
  st->after_pop_rbp = 0;
  if (f->kind == X86_K_RET) return was_pop_rbp ? NULL : "ret not directly after pop rbp (epilogue)";
  switch (st->phase) {
  case PH_PUSH_RBP:
    if (id != X86_PUSH || d->reg != X86_RBP) return "function does not start with push rbp";
    st->depth = 1;
    st->phase = PH_MOV_RBP;
    return NULL;
  case PH_MOV_RBP:
    if (id != X86_MOV64_MR || d->has_mem || d->rm != X86_RBP || d->reg != X86_RSP)
      return "push rbp not followed by mov rbp, rsp";
    st->phase = PH_SAVES;
    return NULL;
  default: break;
  }
  /* prologue: callee-saved pushes, then sub rsp (with probes) */
  if (st->phase == PH_SAVES && id == X86_PUSH && d->reg != X86_RSP && d->reg != X86_RBP) {
    st->depth++;
    return NULL;
  }
  if ((st->phase == PH_SAVES || st->phase == PH_PROBE_OK || st->phase == PH_PROBED) &&
      (id == X86_SUB64_MI8 || id == X86_SUB64_MI32) && !d->has_mem &&
      d->rm == X86_RSP) {
    if (d->imm <= 0 || d->imm % 8) return "sub rsp: not a positive multiple of 8";
    st->depth += d->imm / 8;
    st->phase = PH_PROBE_OK;
    return NULL;
  }
  if (st->phase == PH_PROBE_OK && id == X86_MOV64_MR && d->has_mem && d->mem.base == X86_RSP &&
      d->mem.index == X86_NOREG && d->mem.disp == 0 && d->reg == X86_R11) {
    st->phase = PH_PROBED; /* only another sub rsp may follow in the prologue */
    return NULL;
  }
  if (st->phase != PH_BODY) {
    st->phase = PH_BODY;
    st->body_depth = st->depth;
  }
  switch (id) {
  case X86_PUSH:
    if (d->reg == X86_RSP || d->reg == X86_RBP) return "push of rsp/rbp in the body";
    st->depth++;
    return NULL;
  case X86_POP:
    if (d->reg == X86_RSP) return "pop rsp";
    if (d->reg == X86_RBP) {
      if (st->depth != 1) return "pop rbp with rsp != rbp (stack depth not balanced)";
      st->depth = 0;
      st->after_pop_rbp = 1;
      return NULL;
    }
    if (st->depth <= 1) return "pop beyond the frame (would pop the saved rbp)";
    st->depth--;
    return NULL;
  case X86_LEA64:
  case X86_LEA32:
    if (id == X86_LEA64 && d->reg == X86_RSP) {
      if (d->mem.base != X86_RBP || d->mem.index != X86_NOREG || d->mem.disp > 0 || d->mem.disp % 8)
        return "lea rsp: only lea rsp, [rbp - 8k]";
      st->depth = 1 + (-(int64_t)d->mem.disp) / 8;
      return NULL;
    }
    if (d->mem.base == X86_RSP || d->mem.base == X86_RBP)
      return "lea of a stack address (rsp/rbp as a value)";
    break;
  default: break;
  }
  if (f->kind == X86_K_NOP) return NULL;
  /* no other use of rsp/rbp as a register operand */
  int regop = f->shape == X86_S_MR || f->shape == X86_S_RM || f->shape == X86_S_RMI8 ||
              f->shape == X86_S_RMI32 || f->shape == X86_S_O || f->shape == X86_S_OI32 ||
              f->shape == X86_S_OI64;
  if (regop && is_stackreg(f->regc, d->reg, d)) return "rsp/rbp used as a register operand";
  if (!d->has_mem && d->rm >= 0 && is_stackreg(f->rmc, d->rm, d)) return "rsp/rbp used as a register operand";
  if (d->has_mem) {
    if (d->mem.index == X86_RSP || d->mem.index == X86_RBP) return "rsp/rbp as an index register";
    if (d->mem.base == X86_RSP) return "memory through rsp (only the prologue's stack probe)";
    if (d->mem.base == X86_RBP && d->mem.disp > (f->rmc == X86_C_X128 ? -16 : -8))
      return "memory at or above rbp (saved rbp / return address)";
  }
  return NULL;
}

int x86_filter_check(const struct x86_filter_req *q, struct x86_filter_res *res) {
  if (res) {
    res->off = 0;
    res->msg[0] = 0;
  }
  if (!q->code || q->len == 0) return fail(res, 0, "empty function");
  uint8_t *mark = calloc(q->len, 1);
  int32_t *depth = malloc(sizeof *depth * q->len); /* stack depth at each instruction start */
  /* direct branches found in pass 1: (offset, target) */
  struct br {
    size_t off;
    int64_t target;
  } *brs = malloc(sizeof *brs * 64);
  size_t nbr = 0, capbr = 64;
  if (!mark || !brs || !depth) {
    free(mark);
    free(brs);
    free(depth);
    return fail(res, 0, "out of memory");
  }
  int rc = 0;
  size_t off = 0;
  int prev_kind = -1;
  struct frame_state fs = {PH_PUSH_RBP, 0, 0, 0};
  struct x86_insn d, prev;
  memset(&prev, 0, sizeof prev);
  /* pass 1: boundaries, calls, trap fill */
  while (off < q->len) {
    int n = x86_decode(q->code + off, q->len - off, &d);
    if (!n) {
      rc = failv(res, off, "unknown or forbidden instruction, first byte", 1, q->code[off]);
      goto out;
    }
    const struct x86_form *f = &x86_forms[d.form];
    mark[off] |= M_START;
    if (fs.phase <= PH_MOV_RBP) mark[off] |= M_NOTARGET; /* never re-enter the prologue */
    depth[off] = (int32_t)fs.depth;
    const char *why = frame_rule(&d, &fs);
    if (why) {
      rc = fail(res, off, why);
      goto out;
    }
    if (fs.depth > INT32_MAX / 2) {
      rc = fail(res, off, "stack frame too large");
      goto out;
    }
    switch (f->kind) {
    case X86_K_TRAP:
      if (prev_kind < 0 || !terminator(prev_kind)) {
        rc = fail(res, off, "int3 reachable by fall-through (only trap fill is allowed)");
        goto out;
      }
      mark[off] |= M_NOTARGET;
      break;
    case X86_K_CALLR:
      if (d.rm != X86_R11) {
        rc = fail(res, off, "indirect call through a register other than r11");
        goto out;
      }
      if (prev_kind != X86_K_MOVABS || prev.reg != X86_R11) {
        rc = fail(res, off, "call r11 not directly preceded by movabs r11, helper");
        goto out;
      }
      if (!registered(q, (uint64_t)prev.imm)) {
        rc = failv(res, off, "indirect call to unregistered target", 1, (uint64_t)prev.imm);
        goto out;
      }
      mark[off] |= M_NOTARGET; /* entering here would skip the movabs */
      break;
    case X86_K_JCC:
    case X86_K_JMP:
      if (nbr == capbr) {
        struct br *nb = realloc(brs, sizeof *brs * capbr * 2);
        if (!nb) {
          rc = fail(res, off, "out of memory");
          goto out;
        }
        brs = nb;
        capbr *= 2;
      }
      brs[nbr].off = off;
      brs[nbr].target = (int64_t)off + n + d.imm;
      nbr++;
      break;
    case X86_K_CALL: {
      uint64_t t = q->exec_addr + off + (uint64_t)n + (uint64_t)d.imm;
      if (!registered(q, t)) {
        rc = failv(res, off, "call rel32 to unregistered target", 1, t);
        goto out;
      }
      break;
    }
    default: break;
    }
    /* after an unconditional transfer the next instruction is reached only
     * by branches, which must agree with the body depth */
    if (terminator(f->kind) && fs.phase == PH_BODY) fs.depth = fs.body_depth;
    prev = d;
    prev_kind = f->kind;
    off += (size_t)n;
  }
  if (!terminator(prev_kind)) {
    rc = fail(res, q->len, "function can fall off its end");
    goto out;
  }
  /* pass 2: direct branch targets */
  for (size_t i = 0; i < nbr; i++) {
    int64_t t = brs[i].target;
    off = brs[i].off;
    if (t < 0 || (uint64_t)t >= q->len) {
      rc = failv(res, off, "branch target outside the function", 1, (uint64_t)t);
      goto out;
    }
    if (!(mark[t] & M_START)) {
      rc = failv(res, off, "branch into the middle of an instruction at", 1, (uint64_t)t);
      goto out;
    }
    if (mark[t] & M_NOTARGET) {
      rc = failv(res, off, "branch to trap fill or to a call r11 (or into the prologue) at", 1, (uint64_t)t);
      goto out;
    }
    if (depth[off] != depth[t]) {
      rc = failv(res, off, "branch joins a different stack depth at", 1, (uint64_t)t);
      goto out;
    }
  }
out:
  free(mark);
  free(brs);
  free(depth);
  return rc;
}
