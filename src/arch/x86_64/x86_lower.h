/* Private to the x86-64 backend: the lowering context shared by
 * x86_backend.c (driver, frame, calls) and x86_lower.c (one IR op at a
 * time). */
#ifndef HY_X86_LOWER_H
#define HY_X86_LOWER_H

#include "arch/backend.h"
#include "arch/x86_64/x86_asm.h"

/* Registers the backend keeps for itself (never allocated).  r11 also
 * carries the target of an indirect helper call. */
#define XL_S0 X86_R10 /* GPR scratch */
#define XL_S1 X86_R11 /* GPR scratch, call target */
#define XL_F0 15      /* xmm15: FPR scratch */
#define XL_F1 14      /* xmm14: FPR scratch */

/* A helper is called directly when it is within this distance of the
 * function start in both directions (leaves room for code up to 16 MiB). */
#define XL_CALL_REACH ((int64_t)0x7FFFFFFF - (int64_t)(16 << 20))
#define XL_MAX_CODE ((size_t)16 << 20)

struct xl {
  struct hy_lower *lw;
  const struct hy_func *fn;
  const struct hy_ra *ra;
  struct x86_asm a;
  uint8_t saved[8]; /* callee-saved GPRs pushed by the prologue, in order */
  uint32_t nsaved;
  uint32_t spill;   /* bytes reserved below the saved registers */
  uint32_t next_label; /* internal labels, numbered after the blocks */
  int final;           /* final pass: record block offsets, sites, calls */
};

/* x86_backend.c */
struct x86_mem xl_slot(const struct xl *x, int32_t slot);
void xl_epilogue(struct xl *x);
void xl_call(struct xl *x, const struct hy_ins *in);
void xl_move(struct xl *x, struct hy_loc dst, struct hy_loc src);
uint32_t xl_new_label(struct xl *x);
void xl_site(struct xl *x, const struct hy_ins *in, uint32_t at);

/* x86_lower.c */
uint32_t xl_internal_labels(const struct hy_ins *in);
void xl_lower_ins(struct xl *x, uint32_t blk, uint32_t idx);

#endif
