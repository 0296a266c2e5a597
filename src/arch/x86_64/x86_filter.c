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

int x86_filter_check(const struct x86_filter_req *q, struct x86_filter_res *res) {
  if (res) {
    res->off = 0;
    res->msg[0] = 0;
  }
  if (!q->code || q->len == 0) return fail(res, 0, "empty function");
  uint8_t *mark = calloc(q->len, 1);
  /* direct branches found in pass 1: (offset, target) */
  struct br {
    size_t off;
    int64_t target;
  } *brs = malloc(sizeof *brs * 64);
  size_t nbr = 0, capbr = 64;
  if (!mark || !brs) {
    free(mark);
    free(brs);
    return fail(res, 0, "out of memory");
  }
  int rc = 0;
  size_t off = 0;
  int prev_kind = -1;
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
      rc = failv(res, off, "branch to trap fill or to a call r11 at", 1, (uint64_t)t);
      goto out;
    }
  }
out:
  free(mark);
  free(brs);
  return rc;
}
