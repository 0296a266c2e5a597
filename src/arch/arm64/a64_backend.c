/* ARM64 (AAPCS64) backend: driver, frame, calls, fix-ups and the glue to the
 * Safe Opcode Filter, disassembler and encodings list.
 *
 *   IR + allocation ─▶ one pass, fixed 4-byte words, branches to blocks
 *   emitted with offset 0 and recorded ─▶ fix-ups once every block offset is
 *   known ─▶ guard sites copy their final words.
 *
 * Frame (exactly as the spec, SP 16-byte aligned at every instruction):
 *   [SP+0x00] saved X29   [SP+0x08] saved X30
 *   [SP+0x10] lowest-numbered used callee-saved X, [SP+0x18] the next, ...
 *   then the used D8-D15 (ascending), then the spill slots (8 bytes each),
 *   then padding to a multiple of 16. X29 = SP after the prologue; SP never
 *   moves in the body, so every BL/BLR sees an aligned SP.
 *   Prologue: stp x29, x30, [sp, #-N]! (or sub sp + stp for N > 504;
 *   above 4096 bytes, `sub sp, sp, #1, lsl #12; str x16, [sp]` per 4 KiB
 *   step from the top first -- stack probing, see backend.h);
 *   mov x29, sp; stp/str of the callee-saved registers.
 *
 * Registers: X16, X17, X15 and D31, D30 are the backend's scratch; X18 (the
 * platform register), X29 and X30 are never allocated.
 */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arch/arm64/a64_lower.h"

/* ---------------------------------------------------------------- target */

static const struct hy_target a64_target = {
    .ngpr = 25,
    .nfpr = 30,
    /* caller-saved temporaries first, then the argument registers, then the
     * callee-saved ones (which cost a save in the prologue) */
    .gpr = {9, 10, 11, 12, 13, 14, 0, 1, 2, 3, 4, 5, 6, 7, 8,
            19, 20, 21, 22, 23, 24, 25, 26, 27, 28},
    .fpr = {16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 0, 1, 2, 3, 4, 5, 6, 7,
            8, 9, 10, 11, 12, 13, 14, 15},
    .gpr_callee_saved = 0x1FF80000u, /* x19..x28 */
    .fpr_callee_saved = 0x0000FF00u, /* d8..d15 */
    .ngpr_arg = 8,
    .nfpr_arg = 8,
    .gpr_arg = {0, 1, 2, 3, 4, 5, 6, 7},
    .fpr_arg = {0, 1, 2, 3, 4, 5, 6, 7},
    .gpr_ret = 0,
    .fpr_ret = 0,
    .ngpr_scratch = 3,
    .nfpr_scratch = 2,
    .gpr_scratch = {AL_S0, AL_S1, AL_S2},
    .fpr_scratch = {AL_F0, AL_F1},
};

/* ------------------------------------------------------------- emitting */

void al_put(struct al *a, uint32_t w) {
    size_t off = (size_t)a->n * 4;
    if (off + 4 <= a->lw->cap) a64_store_word(a->lw->buf + off, w);
    a->n++;
}

void al_fail(struct al *a, const char *fmt, ...) {
    char msg[160];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    hy_lower_fail(a->lw, "arm64: %s", msg);
}

void al_branch_to_block(struct al *a, uint32_t w, uint32_t blk) {
    if (a->nfix >= a->fixcap) {
        uint32_t cap = a->fixcap ? a->fixcap * 2 : 64;
        struct al_fix *f = realloc(a->fix, cap * sizeof *f);
        if (!f) {
            al_fail(a, "out of memory (branch fix-ups)");
            return;
        }
        a->fix = f;
        a->fixcap = cap;
    }
    a->fix[a->nfix].at = a->n;
    a->fix[a->nfix].blk = blk;
    a->nfix++;
    al_put(a, w);
}

/* The guard branch just emitted at word `at` is a patch site; its final
 * bytes are copied after the fix-ups. */
void al_site(struct al *a, const struct hy_ins *in, uint32_t at) {
    struct hy_lower *lw = a->lw;
    if (lw->nsites >= lw->sites_cap) {
        al_fail(a, "more guard sites than sites_cap (%u)", lw->sites_cap);
        return;
    }
    struct hy_patch_site *s = &lw->sites[lw->nsites];
    memset(s, 0, sizeof *s);
    s->off = at * 4;
    s->len = 4;
    s->kind = in->kind;
    s->guard_id = in->guard_id;
    s->counter = in->counter;
    s->exit_blk = in->t1;
    a64_store_word(s->alt, A64_NOP_WORD);
    a->site_at[lw->nsites] = at;
    lw->nsites++;
}

/* ----------------------------------------------------------- constants */

/* Shortest of: one orr with a bitmask immediate, movz + movk*, movn + movk*. */
void al_mov_imm(struct al *a, int x, unsigned rd, uint64_t v) {
    unsigned nh = x ? 4 : 2, zeros = 0, ones = 0;
    if (!x) v &= 0xffffffffu;
    for (unsigned i = 0; i < nh; i++) {
        unsigned h = (unsigned)(v >> (16 * i)) & 0xffff;
        zeros += h == 0;
        ones += h == 0xffff;
    }
    unsigned best = nh - (zeros > ones ? zeros : ones);
    uint32_t field;
    if (best > 1 && a64_bitmask_encode(v, x, &field)) {
        al_put(a, a64_orr_imm(&a->err, x, rd, A64_ZR, v));
        return;
    }
    int inverted = ones > zeros;
    int first = 1;
    for (unsigned i = 0; i < nh; i++) {
        unsigned h = (unsigned)(v >> (16 * i)) & 0xffff;
        if (h == (inverted ? 0xffffu : 0u)) continue;
        if (first)
            al_put(a, inverted ? a64_movn(&a->err, x, rd, ~h & 0xffff, 16 * i)
                               : a64_movz(&a->err, x, rd, h, 16 * i));
        else
            al_put(a, a64_movk(&a->err, x, rd, h, 16 * i));
        first = 0;
    }
    if (first) al_put(a, inverted ? a64_movn(&a->err, x, rd, 0, 0) : a64_movz(&a->err, x, rd, 0, 0));
}

/* ------------------------------------------------------------- moves */

void al_slot_access(struct al *a, int load, int fp, unsigned reg, int32_t slot) {
    int64_t off = (int64_t)a->slot_base + 8 * (int64_t)slot;
    enum a64_op op = fp ? (load ? A64_LDR_D : A64_STR_D) : (load ? A64_LDR_X : A64_STR_X);
    if (slot < 0 || off > 32760) {
        al_fail(a, "spill slot %d out of reach", slot);
        return;
    }
    al_put(a, a64_ldst_uoff(&a->err, op, reg, A64_SP, off));
}

/* dst <- src, same class; either may be a spill slot. */
void al_move(struct al *a, struct hy_loc d, struct hy_loc s) {
    if (d.kind == HY_LOC_NONE || s.kind == HY_LOC_NONE || hy_loc_eq(d, s)) return;
    if (d.cls != s.cls) {
        al_fail(a, "move between register classes");
        return;
    }
    int fp = d.cls == HY_RC_FPR;
    if (d.kind == HY_LOC_REG && s.kind == HY_LOC_REG) {
        al_put(a, fp ? a64_fmov(&a->err, d.reg, s.reg) : a64_mov(&a->err, 1, d.reg, s.reg));
    } else if (d.kind == HY_LOC_REG) {
        al_slot_access(a, 1, fp, d.reg, s.slot);
    } else if (s.kind == HY_LOC_REG) {
        al_slot_access(a, 0, fp, s.reg, d.slot);
    } else { /* slot to slot: 64 raw bits through a GPR scratch */
        al_slot_access(a, 1, 0, AL_S1, s.slot);
        al_slot_access(a, 0, 0, AL_S1, d.slot);
    }
}

static void pmoves(struct al *a, const struct hy_move *mv, int n) {
    struct hy_move out[2 * HY_MAX_ARGS + 2];
    int k = hy_pmove_schedule(mv, n, hy_loc_reg(HY_RC_GPR, AL_S0), hy_loc_reg(HY_RC_FPR, AL_F0), out);
    if (k < 0) {
        al_fail(a, "cannot schedule %d parallel moves", n);
        return;
    }
    for (int i = 0; i < k; i++) al_move(a, out[i].dst, out[i].src);
}

/* ------------------------------------------------------------- frame */

static void frame_layout(struct al *a) {
    a->ncsx = a->ncsd = 0;
    for (unsigned r = 19; r <= 28; r++)
        if (a->ra->used_callee_gpr & (1u << r)) a->csx[a->ncsx++] = (uint8_t)r;
    for (unsigned r = 8; r <= 15; r++)
        if (a->ra->used_callee_fpr & (1u << r)) a->csd[a->ncsd++] = (uint8_t)r;
    a->slot_base = 16 + 8 * (a->ncsx + a->ncsd);
    uint64_t bytes = (uint64_t)a->slot_base + 8 * (uint64_t)a->ra->nslots;
    bytes = (bytes + 15) & ~(uint64_t)15;
    if (bytes > HY_MAX_FRAME) {
        al_fail(a, "frame of %llu bytes exceeds the limit of %u bytes (too many spilled values)",
                (unsigned long long)bytes, HY_MAX_FRAME);
        bytes = 16;
    }
    a->frame = (uint32_t)bytes;
}

/* Save (store = 1) or restore the callee-saved registers at [SP+0x10...]:
 * X registers ascending, then D registers ascending, pairs where possible. */
static void callee_saved(struct al *a, int store) {
    for (uint32_t i = 0; i < a->ncsx; i += 2) {
        uint32_t off = 16 + 8 * i;
        if (i + 1 < a->ncsx)
            al_put(a, a64_ldstp(&a->err, store ? A64_STP_X : A64_LDP_X, a->csx[i], a->csx[i + 1], A64_SP, off));
        else
            al_put(a, a64_ldst_uoff(&a->err, store ? A64_STR_X : A64_LDR_X, a->csx[i], A64_SP, off));
    }
    for (uint32_t i = 0; i < a->ncsd; i += 2) {
        uint32_t off = 16 + 8 * (a->ncsx + i);
        if (i + 1 < a->ncsd)
            al_put(a, a64_ldstp(&a->err, store ? A64_STP_D : A64_LDP_D, a->csd[i], a->csd[i + 1], A64_SP, off));
        else
            al_put(a, a64_ldst_uoff(&a->err, store ? A64_STR_D : A64_LDR_D, a->csd[i], A64_SP, off));
    }
}

static void sp_adjust(struct al *a, int sub, uint32_t bytes) {
    uint32_t hi = bytes & 0xFFF000u, lo = bytes & 0xFFFu;
    enum a64_op op = sub ? A64_SUB_X_IMM : A64_ADD_X_IMM;
    if (hi) al_put(a, a64_addsub_imm(&a->err, op, A64_SP, A64_SP, hi >> 12, 1));
    if (lo) al_put(a, a64_addsub_imm(&a->err, op, A64_SP, A64_SP, lo, 0));
}

static void prologue(struct al *a) {
    if (a->frame <= 504) {
        al_put(a, a64_ldstp(&a->err, A64_STP_X_PRE, A64_FP, A64_LR, A64_SP, -(int64_t)a->frame));
    } else {
        /* stack probing: above one page, lower SP one 4 KiB step at a time
         * from the top and touch each new page; the stp of FP/LR at the
         * bottom is the last probe (it lies at most 4 KiB below the
         * previous one). SP stays a multiple of 16 after every step. */
        uint32_t left = a->frame;
        while (left > HY_STACK_PROBE) {
            sp_adjust(a, 1, HY_STACK_PROBE);
            al_put(a, a64_ldst_uoff(&a->err, A64_STR_X, AL_S0, A64_SP, 0));
            left -= HY_STACK_PROBE;
        }
        sp_adjust(a, 1, left);
        al_put(a, a64_ldstp(&a->err, A64_STP_X, A64_FP, A64_LR, A64_SP, 0));
    }
    al_put(a, a64_mov_sp(&a->err, 1, A64_FP, A64_SP));
    callee_saved(a, 1);
    /* parameters: from their ABI registers to their allocated locations */
    const struct hy_func *fn = a->fn;
    struct hy_move mv[HY_MAX_ARGS];
    int n = hy_param_moves(fn, a->ra, &a64_target, mv);
    if (n < 0) {
        al_fail(a, "too many parameters");
        return;
    }
    pmoves(a, mv, n);
}

void al_epilogue(struct al *a) {
    callee_saved(a, 0);
    if (a->frame <= 504) {
        al_put(a, a64_ldstp(&a->err, A64_LDP_X_POST, A64_FP, A64_LR, A64_SP, a->frame));
    } else {
        al_put(a, a64_ldstp(&a->err, A64_LDP_X, A64_FP, A64_LR, A64_SP, 0));
        sp_adjust(a, 0, a->frame);
    }
    al_put(a, a64_ret(&a->err));
}

/* -------------------------------------------------------------- calls */

/* BL when the helper is within ±128 MiB of this very instruction's final
 * address, else movz/movk x16 + blr x16 (the one indirect form the filter
 * allows). */
void al_call(struct al *a, const struct hy_ins *in) {
    struct hy_lower *lw = a->lw;
    const struct hy_helpers *hs = lw->helpers;
    if (!hs || in->imm < 0 || (uint64_t)in->imm >= hs->n) {
        al_fail(a, "call to unknown helper #%lld", (long long)in->imm);
        return;
    }
    struct hy_move mv[HY_MAX_ARGS];
    uint8_t sext[HY_MAX_INT_ARGS];
    int nsext;
    int n = hy_call_arg_moves(a->fn, a->ra, &a64_target, in, mv, sext, &nsext);
    if (n < 0) {
        al_fail(a, "too many call arguments");
        return;
    }
    pmoves(a, mv, n);
    /* i32 arguments travel sign-extended, as the reference evaluator passes them */
    for (int k = 0; k < nsext; k++) al_put(a, a64_sxtw(&a->err, sext[k], sext[k]));
    uint64_t target = (uint64_t)(uintptr_t)hs->v[in->imm].addr;
    uint32_t at = a->n;
    uint64_t pc = lw->exec_base + 4 * (uint64_t)at;
    int64_t dist = (int64_t)(target - pc);
    int indirect = (target & 3) || dist < -((int64_t)1 << 27) || dist >= ((int64_t)1 << 27);
    if (!indirect) {
        al_put(a, a64_bl(&a->err, dist));
    } else {
        int first = 1;
        for (unsigned i = 0; i < 4; i++) {
            unsigned h = (unsigned)(target >> (16 * i)) & 0xffff;
            if (!h && !(first && i == 3)) continue;
            al_put(a, first ? a64_movz(&a->err, 1, A64_IP0, h, 16 * i) : a64_movk(&a->err, 1, A64_IP0, h, 16 * i));
            first = 0;
        }
        al_put(a, a64_blr_x16(&a->err));
    }
    if (lw->ncalls >= lw->calls_cap) {
        al_fail(a, "more calls than calls_cap (%u)", lw->calls_cap);
    } else {
        struct hy_call_site *c = &lw->calls[lw->ncalls++];
        c->off = at * 4;
        c->len = (a->n - at) * 4;
        c->target = target;
        c->helper = (uint32_t)in->imm;
        c->indirect = (uint8_t)indirect;
    }
    if (in->dst >= 0) {
        int f = a->fn->vtype[in->dst] == HY_T_F64;
        al_move(a, a->ra->loc[in->dst], hy_loc_reg(f ? HY_RC_FPR : HY_RC_GPR, 0));
    }
}

/* ------------------------------------------------------------- driver */

static int a64_emit_function(struct hy_lower *lw) {
    struct al a;
    memset(&a, 0, sizeof a);
    a.lw = lw;
    a.fn = lw->fn;
    a.ra = lw->ra;
    lw->nsites = lw->ncalls = 0;
    lw->size = 0;
    if (lw->exec_base & 3) {
        hy_lower_fail(lw, "arm64: executable address %#llx not 4-byte aligned", (unsigned long long)lw->exec_base);
        return HY_EMIT_ERROR;
    }
    a.site_at = calloc(lw->sites_cap ? lw->sites_cap : 1, sizeof *a.site_at);
    if (!a.site_at) {
        hy_lower_fail(lw, "arm64: out of memory");
        return HY_EMIT_ERROR;
    }
    frame_layout(&a);
    lw->frame_size = a.frame;
    prologue(&a);
    for (uint32_t b = 0; b < a.fn->nblocks && !lw->failed; b++) {
        lw->block_off[b] = a.n * 4;
        const struct hy_block *bl = &a.fn->blocks[b];
        for (uint32_t i = 0; i < bl->n && !lw->failed; i++) al_lower_ins(&a, b, i);
    }
    size_t bytes = (size_t)a.n * 4;
    lw->size = bytes;
    int rc = HY_EMIT_OK;
    if (a.err.code) {
        hy_lower_fail(lw, "arm64 encoder: %s", a.err.what);
    }
    if (lw->failed) {
        rc = HY_EMIT_ERROR;
    } else if (bytes > lw->cap) {
        rc = HY_EMIT_NOSPACE;
    } else {
        /* fix-ups: every branch to a block now that all offsets are known */
        for (uint32_t k = 0; k < a.nfix; k++) {
            uint32_t at = a.fix[k].at;
            uint8_t *p = lw->buf + 4 * (size_t)at;
            int64_t off = (int64_t)lw->block_off[a.fix[k].blk] - (int64_t)at * 4;
            struct a64_err e = {0, 0, 0};
            uint32_t w = a64_branch_retarget(&e, a64_load_word(p), off);
            if (e.code) {
                hy_lower_fail(lw, "arm64: branch at +%#x to bb%u (%lld bytes): %s", at * 4, a.fix[k].blk,
                              (long long)off, e.what);
                rc = HY_EMIT_ERROR;
                break;
            }
            a64_store_word(p, w);
        }
        for (uint32_t s = 0; s < lw->nsites && rc == HY_EMIT_OK; s++)
            memcpy(lw->sites[s].orig, lw->buf + 4 * (size_t)a.site_at[s], 4);
    }
    free(a.fix);
    free(a.site_at);
    return rc;
}

/* ------------------------------------------------------------- glue */

static struct a64_index g_index; /* immutable after a64_index_once() */
static pthread_once_t g_index_once = PTHREAD_ONCE_INIT;
static void index_init(void) { a64_index_init(&g_index); }
static const struct a64_index *a64_index_once(void) {
    pthread_once(&g_index_once, index_init);
    return &g_index;
}

/* The ARM64 site rule: one aligned word whose original is a single
 * conditional branch (B.cond/CBZ/CBNZ/TBZ/TBNZ) and whose alternative is NOP. */
static const char *a64_site_why(const struct hy_patch_site *ps) {
    if (ps->len != 4 || (ps->off & 3)) return "malformed";
    uint32_t ow = a64_load_word(ps->orig), aw = a64_load_word(ps->alt);
    int f = a64_match(a64_index_once(), ow);
    int cls = f >= 0 ? a64_forms[f].cls : -1;
    if (aw != A64_NOP_WORD || (cls != A64_C_BCOND && cls != A64_C_CB && cls != A64_C_TB))
        return "is not a conditional branch / NOP pair";
    return NULL;
}

static int a64_backend_filter(const struct hy_filter_in *in, struct hy_filter_out *out) {
    const struct a64_index *ix = a64_index_once();
    struct a64_filter_result r;
    if (a64_filter_check(ix, in->code, in->len, in->base, in->helpers, in->nhelpers, &r)) {
        out->off = r.offset;
        snprintf(out->reason, sizeof out->reason, "%.*s", (int)sizeof out->reason - 1, r.msg);
        return -1;
    }
    /* registered sites and the patch range (portable rule, src/jit/patch.c) */
    return hy_filter_sites(in, "arm64", a64_site_why, out);
}

static int a64_backend_disasm(const uint8_t *p, size_t n, uint64_t addr, char *text, size_t cap) {
    if (n < 4) return 0;
    const struct a64_index *ix = a64_index_once();
    uint32_t w = a64_load_word(p);
    if (a64_check_word(ix, w, NULL) < 0) return 0;
    a64_disasm(ix, w, addr, A64_DIS_TARGET, text, cap);
    return 4;
}

static void a64_backend_list(FILE *out) { a64_print_encodings(out); }

static const struct hy_backend a64_backend = {
    .name = "arm64",
    .target = &a64_target,
    .trap = {A64_TRAP_WORD & 0xff, (A64_TRAP_WORD >> 8) & 0xff, (A64_TRAP_WORD >> 16) & 0xff,
             A64_TRAP_WORD >> 24},
    .trap_len = 4,
    .nop = {A64_NOP_WORD & 0xff, (A64_NOP_WORD >> 8) & 0xff, (A64_NOP_WORD >> 16) & 0xff, A64_NOP_WORD >> 24},
    .nop_len = 4,
    .insn_align = 4,
    .emit_function = a64_emit_function,
    .filter = a64_backend_filter,
    .disasm = a64_backend_disasm,
    .list_encodings = a64_backend_list,
};

const struct hy_backend *hy_backend_arm64(void) { return &a64_backend; }
