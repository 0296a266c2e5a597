/* Register allocation: linear scan over live intervals.
 *
 * Liveness is computed on the CFG (live-in/live-out per block, iterated to a
 * fixed point, so loops are handled). Each vreg gets ONE interval: the hull
 * [first, last] of all positions where it is live. Positions: instruction k in
 * layout order (blocks in index order) has use position 2k and def position
 * 2k+1. A block's live-in extends the interval to the block's first use
 * position, its live-out to the block's last def position. Parameters live on
 * entry start at -1 (they arrive in argument registers before block 0).
 * Guard and CHK exits are edges leaving mid-block (a CHK's dst is assigned on
 * its exit edge too).
 *
 * Each vreg gets one location for the whole function (a register or a spill
 * slot), so no moves are ever needed on CFG edges.
 *
 * Guarantees to the backend:
 *  - two vregs whose intervals overlap never share a register;
 *  - an instruction's dst MAY share a register with an operand whose interval
 *    ends at that instruction (so lowering must read all operands before
 *    writing dst, or go through a scratch register);
 *  - a vreg live across a call (interval covers both the call's use and def
 *    positions) is in a callee-saved register or a spill slot;
 *  - reserved scratch registers and registers not listed as allocatable are
 *    never assigned;
 *  - used_callee_{gpr,fpr} is exactly the set of callee-saved registers
 *    assigned to some vreg (the prologue saves exactly those).
 */
#ifndef HY_JIT_REGALLOC_H
#define HY_JIT_REGALLOC_H

#include <stdint.h>

#include "jit/ir.h"

enum hy_regclass { HY_RC_GPR = 0, HY_RC_FPR = 1 };

static inline int hy_type_class(int t) { return t == HY_T_F64 ? HY_RC_FPR : HY_RC_GPR; }

/* Target register description (one per backend). Register numbers are the
 * ISA's hardware numbers (x86-64: rax=0..r15=15, xmm0..15; ARM64: x0..x30,
 * d0..d31). Masks are bit (1u << hwnum). */
struct hy_target {
    uint8_t ngpr, nfpr;
    uint8_t gpr[32];              /* allocatable GPRs, preference order */
    uint8_t fpr[32];              /* allocatable FPRs, preference order */
    uint32_t gpr_callee_saved;    /* preserved across calls by the ABI */
    uint32_t fpr_callee_saved;    /* ARM64: d8-d15 (low 64 bits); x86-64: none */
    uint8_t ngpr_arg, nfpr_arg;
    uint8_t gpr_arg[8];           /* integer argument registers in order */
    uint8_t fpr_arg[8];           /* f64 argument registers in order */
    uint8_t gpr_ret, fpr_ret;     /* result registers */
    uint8_t ngpr_scratch, nfpr_scratch;
    uint8_t gpr_scratch[4];       /* reserved for the backend, never allocated */
    uint8_t fpr_scratch[4];
};

enum hy_loc_kind { HY_LOC_NONE = 0, HY_LOC_REG = 1, HY_LOC_SLOT = 2 };

struct hy_loc {
    uint8_t kind;                 /* enum hy_loc_kind; NONE = vreg never live */
    uint8_t cls;                  /* enum hy_regclass */
    uint8_t reg;                  /* hardware number when kind == REG */
    uint8_t pad;
    int32_t slot;                 /* spill slot index when kind == SLOT */
};

struct hy_interval {
    int32_t start, end;           /* positions, inclusive; start > end: empty */
    uint8_t crosses_call;
};

struct hy_ra {
    uint32_t nvregs;
    struct hy_loc *loc;           /* per vreg */
    struct hy_interval *iv;       /* per vreg */
    uint32_t nslots;              /* 8-byte spill slots, indices 0..nslots-1 */
    uint32_t used_callee_gpr;     /* mask of callee-saved GPRs assigned */
    uint32_t used_callee_fpr;     /* mask of callee-saved FPRs assigned */
    uint32_t ncalls;              /* number of call instructions */
    uint32_t nspilled;            /* vregs that got a slot (statistics) */
    char err[160];
};

/* Options for tests / fault injection. */
struct hy_ra_opts {
    uint32_t limit_gpr, limit_fpr;  /* 0 = all; else use at most N of each */
    uint64_t random_seed;           /* nonzero: randomize register choice */
};

/* Allocate registers for a VERIFIED function. Returns 0, or -1 with ra->err
 * (out of memory). Free with hy_ra_free. opts may be NULL. */
/* A parameter arrives live (the prologue must move it from its argument
 * register to loc[p]) iff this is true; other params are dead on entry and
 * their location may be shared with a live one. */
static inline int hy_ra_param_live(const struct hy_ra *ra, uint32_t p) {
    return p < ra->nvregs && ra->iv[p].start == -1 && ra->loc[p].kind != HY_LOC_NONE;
}

int hy_regalloc(const struct hy_func *fn, const struct hy_target *tg, const struct hy_ra_opts *opts,
                struct hy_ra *ra);
void hy_ra_free(struct hy_ra *ra);

/* ---- liveness (exposed for tests and backends) ----
 * Per-block live-in/live-out bit sets over vregs, words of 64 bits,
 * nwords = (nvregs + 63) / 64; block b's set starts at b * nwords. */
struct hy_liveness {
    uint32_t nwords, nblocks;
    uint64_t *live_in, *live_out;
};
int hy_liveness_compute(const struct hy_func *fn, struct hy_liveness *lv);
void hy_liveness_free(struct hy_liveness *lv);
static inline int hy_live_test(const uint64_t *set, uint32_t nwords, uint32_t blk, int32_t v) {
    return (int)((set[(size_t)blk * nwords + ((uint32_t)v >> 6)] >> ((uint32_t)v & 63)) & 1);
}

/* ---- parallel moves (for backends: entry params, call arguments) ----
 * Given moves dst <- src that must happen "at once" (no dst repeated; a src
 * may feed several dsts), produce a sequence of ordinary moves that has the
 * same effect, breaking cycles through the class's scratch register.
 * Locations are registers or slots; a move whose src equals dst is dropped.
 * n <= 64; out must hold 2*n + 2 entries. Returns the number of moves written, or -1
 * if a cycle needs a scratch and none is given (scratch.kind == NONE). */
struct hy_move {
    struct hy_loc dst, src;
};
int hy_pmove_schedule(const struct hy_move *in, int n, struct hy_loc scratch_gpr,
                      struct hy_loc scratch_fpr, struct hy_move *out);

/* ---- ABI moves (for backends; both build on the target description) ----
 * Argument registers are tg->gpr_arg / tg->fpr_arg in order, ints and f64s
 * counted separately, at most min(tg->ngpr_arg, HY_MAX_INT_ARGS) ints and
 * min(tg->nfpr_arg, HY_MAX_F64_ARGS) f64s.
 * hy_param_moves: the parallel moves (for hy_pmove_schedule) that bring fn's
 *   live parameters from their argument registers to their ra locations.
 * hy_call_arg_moves: the parallel moves that bring call `in`'s arguments from
 *   their ra locations to their argument registers; sext (room for
 *   HY_MAX_INT_ARGS) receives, in order, the argument registers of the i32
 *   arguments, which the backend sign-extends after the moves (*nsext).
 * mv must hold HY_MAX_ARGS entries. Both return the number of moves, or -1
 * when a parameter / argument has no argument register (backend reports it). */
int hy_param_moves(const struct hy_func *fn, const struct hy_ra *ra, const struct hy_target *tg, struct hy_move *mv);
int hy_call_arg_moves(const struct hy_func *fn, const struct hy_ra *ra, const struct hy_target *tg,
                      const struct hy_ins *in, struct hy_move *mv, uint8_t *sext, int *nsext);

static inline int hy_loc_eq(struct hy_loc a, struct hy_loc b) {
    if (a.kind != b.kind || a.cls != b.cls) return 0;
    return a.kind == HY_LOC_REG ? a.reg == b.reg : a.kind == HY_LOC_SLOT ? a.slot == b.slot : 1;
}
static inline struct hy_loc hy_loc_reg(int cls, int reg) {
    struct hy_loc l = {HY_LOC_REG, (uint8_t)cls, (uint8_t)reg, 0, 0};
    return l;
}

#endif
