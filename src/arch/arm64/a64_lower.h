/* Private to the ARM64 backend: the lowering context shared by a64_backend.c
 * (driver, frame, calls, fix-ups, filter glue) and a64_lower.c (one IR
 * instruction at a time). */
#ifndef HY_ARCH_A64_LOWER_H
#define HY_ARCH_A64_LOWER_H

#include "arch/arm64/a64.h"
#include "arch/backend.h"

/* Registers the backend keeps for itself (never allocated). X16 also carries
 * the target of a far helper call (movz/movk x16; blr x16). */
#define AL_S0 A64_X16
#define AL_S1 A64_X17
#define AL_S2 A64_X15
#define AL_F0 31 /* d31 */
#define AL_F1 30 /* d30 */

struct al_fix {
    uint32_t at;   /* word index of the branch */
    uint32_t blk;  /* target block */
};

struct al {
    struct hy_lower *lw;
    const struct hy_func *fn;
    const struct hy_ra *ra;
    struct a64_err err;      /* sticky encoder error */
    uint32_t n;              /* words emitted (also counted past lw->cap) */
    /* frame */
    uint8_t csx[10], csd[8]; /* saved callee-saved X / D registers, ascending */
    uint32_t ncsx, ncsd;
    uint32_t frame;          /* bytes, multiple of 16 */
    uint32_t slot_base;      /* offset of spill slot 0 from SP */
    /* branch fix-ups */
    struct al_fix *fix;
    uint32_t nfix, fixcap;
    uint32_t *site_at;       /* word index of each recorded guard site */
};

/* a64_backend.c */
void al_put(struct al *a, uint32_t w);
void al_fail(struct al *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void al_branch_to_block(struct al *a, uint32_t word_with_zero_offset, uint32_t blk);
void al_site(struct al *a, const struct hy_ins *in, uint32_t at);
void al_move(struct al *a, struct hy_loc dst, struct hy_loc src);
void al_mov_imm(struct al *a, int x, unsigned rd, uint64_t v);
void al_slot_access(struct al *a, int load, int fp, unsigned reg, int32_t slot);
void al_epilogue(struct al *a);
void al_call(struct al *a, const struct hy_ins *in);

/* a64_lower.c */
void al_lower_ins(struct al *a, uint32_t blk, uint32_t idx);

#endif
