/* Size-first emission with labels; see x86_asm.h. */
#include "arch/x86_64/x86_asm.h"

#include <stdlib.h>
#include <string.h>

static void asm_fail(struct x86_asm *a, const char *msg) {
  if (!a->err) {
    a->err = -1;
    a->msg = msg;
  }
}

int x86_asm_init(struct x86_asm *a, uint32_t nlabels) {
  memset(a, 0, sizeof *a);
  a->nlab = nlabels;
  a->lab = malloc(sizeof(uint32_t) * (nlabels ? nlabels : 1));
  a->prev = malloc(sizeof(uint32_t) * (nlabels ? nlabels : 1));
  if (!a->lab || !a->prev) {
    asm_fail(a, "out of memory");
    return -1;
  }
  for (uint32_t i = 0; i < nlabels; i++) a->lab[i] = a->prev[i] = X86_LABEL_NONE;
  return 0;
}

void x86_asm_free(struct x86_asm *a) {
  free(a->lab);
  free(a->prev);
  free(a->fix);
  free(a->pfix);
  a->lab = a->prev = NULL;
  a->fix = a->pfix = NULL;
}

void x86_asm_begin(struct x86_asm *a, uint8_t *out, size_t cap) {
  if (a->pass > 0) {
    memcpy(a->prev, a->lab, sizeof(uint32_t) * a->nlab);
    a->prev_len = a->b.len;
  }
  for (uint32_t i = 0; i < a->nlab; i++) a->lab[i] = X86_LABEL_NONE;
  if (!out && a->pass >= X86_ASM_MAX_PASSES) a->all_long = 1;
  a->pass++;
  a->final = out != NULL;
  struct x86_fix *t = a->pfix;
  size_t tc = a->cappfix;
  a->pfix = a->fix;
  a->cappfix = a->capfix;
  a->npfix = a->nfix;
  a->fix = t;
  a->capfix = tc;
  a->nfix = 0;
  x86_buf_init(&a->b, out, cap);
}

int x86_asm_sized(struct x86_asm *a) {
  if (a->err || a->b.err) return 1; /* stop iterating; finish reports it */
  if (a->pass < 2) return 0;
  if (a->b.len != a->prev_len) return 0;
  return memcmp(a->lab, a->prev, sizeof(uint32_t) * a->nlab) == 0;
}

void x86_asm_bind(struct x86_asm *a, uint32_t label) {
  if (label >= a->nlab) {
    asm_fail(a, "label out of range");
    return;
  }
  if (a->lab[label] != X86_LABEL_NONE) {
    asm_fail(a, "label bound twice");
    return;
  }
  a->lab[label] = (uint32_t)a->b.len;
}

static void add_fix(struct x86_asm *a, uint32_t at, uint32_t label) {
  if (a->nfix == a->capfix) {
    size_t nc = a->capfix ? a->capfix * 2 : 64;
    struct x86_fix *nf = realloc(a->fix, nc * sizeof *nf);
    if (!nf) {
      asm_fail(a, "out of memory");
      return;
    }
    a->fix = nf;
    a->capfix = nc;
  }
  a->fix[a->nfix].at = at;
  a->fix[a->nfix].end = (uint32_t)a->b.len;
  a->fix[a->nfix].label = label;
  a->nfix++;
}

/* kind: 0 = jcc, 1 = jmp; force_long for fixed-size sites. */
static void branch(struct x86_asm *a, int kind, int cc, uint32_t label, int force_long) {
  if (label >= a->nlab) {
    asm_fail(a, "label out of range");
    x86_int3(&a->b);
    return;
  }
  uint32_t at = (uint32_t)a->b.len;
  int64_t rel8 = 0, rel32 = 0;
  int known = 1;
  if (a->lab[label] != X86_LABEL_NONE) {
    /* backward: exact in this pass */
    rel8 = (int64_t)a->lab[label] - ((int64_t)at + 2);
    rel32 = (int64_t)a->lab[label] - ((int64_t)at + (kind == 0 ? 6 : 5));
  } else if (a->prev[label] != X86_LABEL_NONE && a->nfix < a->npfix &&
             a->pfix[a->nfix].label == label) {
    /* forward: the distance from this branch's end to the label in the
     * previous layout; exact once the layout is stable */
    rel8 = rel32 = (int64_t)a->prev[label] - (int64_t)a->pfix[a->nfix].end;
  } else {
    known = 0;
  }
  if (known && !force_long && !a->all_long && rel8 >= -128 && rel8 <= 127) {
    if (kind == 0) x86_jcc_rel8(&a->b, cc, rel8);
    else x86_jmp_rel8(&a->b, rel8);
  } else {
    if (kind == 0) x86_jcc_rel32(&a->b, cc, rel32);
    else x86_jmp_rel32(&a->b, rel32);
  }
  add_fix(a, at, label);
}

void x86_asm_jcc(struct x86_asm *a, int cc, uint32_t label) { branch(a, 0, cc, label, 0); }
void x86_asm_jmp(struct x86_asm *a, uint32_t label) { branch(a, 1, 0, label, 0); }
void x86_asm_jcc_long(struct x86_asm *a, int cc, uint32_t label) { branch(a, 0, cc, label, 1); }

int x86_asm_finish(struct x86_asm *a) {
  if (a->err) return -1;
  if (a->b.err) {
    asm_fail(a, a->b.err_what ? a->b.err_what : "encoder error");
    return -1;
  }
  if (!a->final) {
    asm_fail(a, "finish without a final pass");
    return -1;
  }
  /* the final pass must reproduce the sized layout exactly */
  if (a->b.len != a->prev_len || memcmp(a->lab, a->prev, sizeof(uint32_t) * a->nlab) != 0) {
    asm_fail(a, "final pass differs from the sized layout");
    return -1;
  }
  if (a->nfix != a->npfix) {
    asm_fail(a, "final pass has a different number of branches");
    return -1;
  }
  for (size_t i = 0; i < a->nfix; i++) {
    const struct x86_fix *f = &a->fix[i];
    uint32_t t = a->lab[f->label];
    if (t == X86_LABEL_NONE) {
      asm_fail(a, "branch to an unbound label");
      return -1;
    }
    const uint8_t *p = a->b.p + f->at;
    int64_t rel;
    uint32_t n = f->end - f->at;
    if (n == 2) rel = (int8_t)p[1];
    else rel = (int32_t)((uint32_t)p[n - 4] | (uint32_t)p[n - 3] << 8 | (uint32_t)p[n - 2] << 16 |
                         (uint32_t)p[n - 1] << 24);
    if ((int64_t)f->end + rel != (int64_t)t) {
      asm_fail(a, "branch displacement does not hit its label");
      return -1;
    }
  }
  return 0;
}
