/* Size-first emission with labels for x86-64 (eBPF style).
 *
 * The caller emits the whole function once per pass, in the same order each
 * time.  The first pass assumes every forward branch is long; later passes
 * measure a forward branch's distance in the previous pass's layout (from
 * that branch's end to its label, which does not depend on the branch's own
 * size) and pick rel8 wherever it fits, so sizes only shrink.  Backward
 * branches use this pass's exact label offsets.  Sizing
 * passes write no bytes.  When a pass reproduces the previous pass's label
 * offsets exactly, sizes are stable: the caller runs one final pass into the
 * real buffer, and x86_asm_finish() asserts that it matches (same length,
 * same labels, every branch displacement hits its label).  Should sizes not
 * settle within X86_ASM_MAX_PASSES, every branch becomes rel32, which
 * settles in one more pass.
 *
 *   x86_asm_init(&a, nlabels);
 *   do { x86_asm_begin(&a, NULL, 0); emit(&a); } while (!x86_asm_sized(&a));
 *   size = a.b.len;  ... allocate ...
 *   x86_asm_begin(&a, out, size); emit(&a);
 *   if (x86_asm_finish(&a)) error;
 *   x86_asm_free(&a);
 */
#ifndef HY_X86_ASM_H
#define HY_X86_ASM_H

#include "arch/x86_64/x86_enc.h"

#define X86_ASM_MAX_PASSES 16
#define X86_LABEL_NONE UINT32_MAX

struct x86_fix {
  uint32_t at;    /* offset of the branch instruction */
  uint32_t end;   /* offset after it */
  uint32_t label;
};

struct x86_asm {
  struct x86_buf b;
  uint32_t nlab;
  uint32_t *lab;      /* label offsets bound in this pass */
  uint32_t *prev;     /* label offsets of the previous pass */
  size_t prev_len;    /* code length of the previous pass */
  struct x86_fix *fix;  /* branches of this pass, by ordinal */
  struct x86_fix *pfix; /* branches of the previous pass */
  size_t nfix, capfix, npfix, cappfix;
  int pass;           /* passes begun */
  int all_long;       /* fallback: every branch rel32 */
  int final;          /* this pass writes bytes */
  int err;            /* sticky: 0, or -1 with msg */
  const char *msg;
};

int x86_asm_init(struct x86_asm *a, uint32_t nlabels);
void x86_asm_free(struct x86_asm *a);
/* Start a pass; out == NULL for a sizing pass. */
void x86_asm_begin(struct x86_asm *a, uint8_t *out, size_t cap);
/* After a sizing pass: 1 when sizes are stable (run the final pass next),
 * 0 when another sizing pass is needed. */
int x86_asm_sized(struct x86_asm *a);
/* After the final pass: 0 when it matches the sized layout, -1 otherwise. */
int x86_asm_finish(struct x86_asm *a);

void x86_asm_bind(struct x86_asm *a, uint32_t label);
/* Conditional / unconditional branch to a label, rel8 when it fits. */
void x86_asm_jcc(struct x86_asm *a, int cc, uint32_t label);
void x86_asm_jmp(struct x86_asm *a, uint32_t label);
/* Always rel32 (guard sites that need a fixed 6-byte form). */
void x86_asm_jcc_long(struct x86_asm *a, int cc, uint32_t label);
/* Offset of a label in the final layout (valid after x86_asm_finish). */
static inline uint32_t x86_asm_label(const struct x86_asm *a, uint32_t label) {
  return label < a->nlab ? a->lab[label] : X86_LABEL_NONE;
}

#endif
