/* ARM64 backend: lowering of one IR instruction.
 *
 * Operands in spill slots are loaded into scratch registers (X16/X17/X15,
 * D31/D30); a result whose location is a slot is computed into a scratch and
 * stored. Every sequence reads all of its operands before it writes the
 * destination register (the allocator may give dst the register of an
 * operand that dies here). i32 values use W-register forms: they read only
 * the low 32 bits, as the IR requires.
 */
#include <string.h>

#include "arch/arm64/a64_lower.h"

static int is_x(int t) { return t != HY_T_I32; }

/* ---- operand access -------------------------------------------------------- */

static unsigned gsrc(struct al *a, int v, unsigned scratch) {
    struct hy_loc l = a->ra->loc[v];
    if (l.kind == HY_LOC_REG) return l.reg;
    if (l.kind == HY_LOC_SLOT) al_slot_access(a, 1, 0, scratch, l.slot);
    else al_fail(a, "use of %%%d, which has no location", v);
    return scratch;
}
static unsigned fsrc(struct al *a, int v, unsigned scratch) {
    struct hy_loc l = a->ra->loc[v];
    if (l.kind == HY_LOC_REG) return l.reg;
    if (l.kind == HY_LOC_SLOT) al_slot_access(a, 1, 1, scratch, l.slot);
    else al_fail(a, "use of %%%d, which has no location", v);
    return scratch;
}
/* Where to compute dst: its register, or a scratch (then stored by *fin). */
static unsigned xdst(struct al *a, int v, unsigned scratch) {
    struct hy_loc l = a->ra->loc[v];
    return l.kind == HY_LOC_REG ? l.reg : scratch;
}
static void gfin(struct al *a, int v, unsigned r) {
    struct hy_loc l = a->ra->loc[v];
    if (l.kind == HY_LOC_SLOT) al_slot_access(a, 0, 0, r, l.slot);
}
static void ffin(struct al *a, int v, unsigned r) {
    struct hy_loc l = a->ra->loc[v];
    if (l.kind == HY_LOC_SLOT) al_slot_access(a, 0, 1, r, l.slot);
}

static enum a64_cond icc(int cc) {
    switch (cc) {
    case HY_IC_EQ: return A64_EQ;
    case HY_IC_NE: return A64_NE;
    case HY_IC_SLT: return A64_LT;
    case HY_IC_SLE: return A64_LE;
    case HY_IC_SGT: return A64_GT;
    case HY_IC_SGE: return A64_GE;
    case HY_IC_ULT: return A64_LO;
    case HY_IC_ULE: return A64_LS;
    case HY_IC_UGT: return A64_HI;
    case HY_IC_UGE: return A64_HS;
    default: return A64_NV; /* the encoder refuses it */
    }
}

/* ---- groups of operations ---------------------------------------------------- */

static void lower_const(struct al *a, const struct hy_ins *in) {
    if (in->type == HY_T_F64) {
        unsigned fd = xdst(a, in->dst, AL_F0);
        if (in->imm == 0) {
            al_put(a, a64_fp_int(&a->err, A64_FMOV_D_X, fd, A64_ZR));
        } else {
            al_mov_imm(a, 1, AL_S0, (uint64_t)in->imm);
            al_put(a, a64_fp_int(&a->err, A64_FMOV_D_X, fd, AL_S0));
        }
        ffin(a, in->dst, fd);
        return;
    }
    unsigned rd = xdst(a, in->dst, AL_S0);
    al_mov_imm(a, is_x(in->type), rd, (uint64_t)in->imm);
    gfin(a, in->dst, rd);
}

static void lower_int_bin(struct al *a, const struct hy_ins *in) {
    int x = is_x(in->type);
    struct a64_err *e = &a->err;
    unsigned ra = gsrc(a, in->a, AL_S0), rb = gsrc(a, in->b, AL_S1);
    unsigned rd = xdst(a, in->dst, AL_S0);
    switch (in->op) {
    case HY_OP_ADD: al_put(a, a64_add(e, x, rd, ra, rb)); break;
    case HY_OP_SUB: al_put(a, a64_sub(e, x, rd, ra, rb)); break;
    case HY_OP_MUL: al_put(a, a64_mul(e, x, rd, ra, rb)); break;
    case HY_OP_AND: al_put(a, a64_and(e, x, rd, ra, rb)); break;
    case HY_OP_OR: al_put(a, a64_orr(e, x, rd, ra, rb)); break;
    case HY_OP_XOR: al_put(a, a64_eor(e, x, rd, ra, rb)); break;
    /* AArch64 division never traps: x/0 = 0 (the IR guards it anyway) and
     * MIN/-1 = MIN, exactly the IR's sdiv. */
    case HY_OP_SDIV: al_put(a, a64_sdiv(e, x, rd, ra, rb)); break;
    case HY_OP_UDIV: al_put(a, a64_udiv(e, x, rd, ra, rb)); break;
    /* rem = a - (a / b) * b; MIN % -1 = MIN - MIN*(-1) = 0 (wrapping) */
    case HY_OP_SREM:
        al_put(a, a64_sdiv(e, x, AL_S2, ra, rb));
        al_put(a, a64_msub(e, x, rd, AL_S2, rb, ra));
        break;
    case HY_OP_UREM:
        al_put(a, a64_udiv(e, x, AL_S2, ra, rb));
        al_put(a, a64_msub(e, x, rd, AL_S2, rb, ra));
        break;
    /* variable shifts take the amount modulo the width, like the IR */
    case HY_OP_SHL: al_put(a, a64_lsl(e, x, rd, ra, rb)); break;
    case HY_OP_LSHR: al_put(a, a64_lsr(e, x, rd, ra, rb)); break;
    case HY_OP_ASHR: al_put(a, a64_asr(e, x, rd, ra, rb)); break;
    default: al_fail(a, "unexpected integer op %s", hy_op_name[in->op]); return;
    }
    gfin(a, in->dst, rd);
}

static void lower_fp_bin(struct al *a, const struct hy_ins *in) {
    unsigned fa = fsrc(a, in->a, AL_F0), fb = fsrc(a, in->b, AL_F1);
    unsigned fd = xdst(a, in->dst, AL_F0);
    enum a64_op op = in->op == HY_OP_FADD   ? A64_FADD_D
                     : in->op == HY_OP_FSUB ? A64_FSUB_D
                     : in->op == HY_OP_FMUL ? A64_FMUL_D
                                            : A64_FDIV_D;
    al_put(a, a64_fp_dp2(&a->err, op, fd, fa, fb));
    ffin(a, in->dst, fd);
}

/* addo/subo/mulo: dst gets the wrapped result, then ONE conditional branch
 * (the patch site) leaves for the exit block on signed overflow. */
static void lower_chk(struct al *a, const struct hy_ins *in) {
    struct a64_err *e = &a->err;
    int x = is_x(in->type);
    unsigned ra = gsrc(a, in->a, AL_S0), rb = gsrc(a, in->b, AL_S1);
    enum a64_cond exit_cc = A64_VS;
    if (in->op == HY_OP_ADDO || in->op == HY_OP_SUBO) {
        unsigned rd = xdst(a, in->dst, AL_S0);
        al_put(a, in->op == HY_OP_ADDO ? a64_adds(e, x, rd, ra, rb) : a64_subs(e, x, rd, ra, rb));
        gfin(a, in->dst, rd); /* a store leaves the flags alone */
    } else if (x) {
        /* 64-bit: overflow iff the high half is not the sign of the low half */
        al_put(a, a64_mul(e, 1, AL_S2, ra, rb));
        al_put(a, a64_smulh(e, AL_S0, ra, rb));
        al_put(a, a64_addsub_shift(e, A64_SUBS_X, A64_ZR, AL_S0, AL_S2, A64_ASR, 63));
        exit_cc = A64_NE;
        struct hy_loc l = a->ra->loc[in->dst];
        if (l.kind == HY_LOC_REG) al_put(a, a64_mov(e, 1, l.reg, AL_S2));
        else gfin(a, in->dst, AL_S2);
    } else {
        /* 32-bit: the exact 64-bit product must equal its own low half sign-extended */
        al_put(a, a64_smull(e, AL_S2, ra, rb));
        al_put(a, a64_addsub_ext(e, A64_SUBS_X_EXT, A64_ZR, AL_S2, AL_S2, A64_SXTW, 0));
        exit_cc = A64_NE;
        struct hy_loc l = a->ra->loc[in->dst];
        if (l.kind == HY_LOC_REG) al_put(a, a64_mov(e, 1, l.reg, AL_S2));
        else gfin(a, in->dst, AL_S2);
    }
    uint32_t at = a->n;
    al_branch_to_block(a, a64_bcond(e, exit_cc, 0), in->t1);
    al_site(a, in, at);
}

/* fcmp leaves: less N=1; equal Z=1 C=1; greater C=1; unordered C=1 V=1. */
static void lower_fcmp(struct al *a, const struct hy_ins *in) {
    struct a64_err *e = &a->err;
    unsigned fa = fsrc(a, in->a, AL_F0), fb = fsrc(a, in->b, AL_F1);
    al_put(a, a64_fcmp(e, fa, fb));
    unsigned rd = xdst(a, in->dst, AL_S0);
    enum a64_cond c = A64_EQ, or_cc = A64_AL; /* rd = c || or_cc */
    switch (in->cc) {
    case HY_FC_OEQ: c = A64_EQ; break;
    case HY_FC_ONE: c = A64_MI; or_cc = A64_GT; break;
    case HY_FC_OLT: c = A64_MI; break;
    case HY_FC_OLE: c = A64_LS; break;
    case HY_FC_OGT: c = A64_GT; break;
    case HY_FC_OGE: c = A64_GE; break;
    case HY_FC_ORD: c = A64_VC; break;
    case HY_FC_UEQ: c = A64_EQ; or_cc = A64_VS; break;
    case HY_FC_UNE: c = A64_NE; break;
    case HY_FC_ULT: c = A64_LT; break;
    case HY_FC_ULE: c = A64_LE; break;
    case HY_FC_UGT: c = A64_HI; break;
    case HY_FC_UGE: c = A64_HS; break;
    case HY_FC_UNO: c = A64_VS; break;
    default: al_fail(a, "bad fcmp condition %u", in->cc); return;
    }
    al_put(a, a64_cset(e, 0, rd, c));
    /* rd = or_cc ? 1 : rd  (csinc rd, rd, wzr, !or_cc) */
    if (or_cc != A64_AL) al_put(a, a64_csinc(e, 0, rd, rd, A64_ZR, a64_cond_invert(or_cc)));
    gfin(a, in->dst, rd);
}

static void lower_select(struct al *a, const struct hy_ins *in) {
    struct a64_err *e = &a->err;
    unsigned rc = gsrc(a, in->a, AL_S0);
    al_put(a, a64_cmp_imm(e, is_x(a->fn->vtype[in->a]), rc, 0));
    if (in->type == HY_T_F64) {
        unsigned fb = fsrc(a, in->b, AL_F0), fc = fsrc(a, in->c, AL_F1);
        unsigned fd = xdst(a, in->dst, AL_F0);
        al_put(a, a64_fcsel(e, fd, fb, fc, A64_NE));
        ffin(a, in->dst, fd);
    } else {
        unsigned rb = gsrc(a, in->b, AL_S1), rc2 = gsrc(a, in->c, AL_S2);
        unsigned rd = xdst(a, in->dst, AL_S0);
        al_put(a, a64_csel(e, 1, rd, rb, rc2, A64_NE));
        gfin(a, in->dst, rd);
    }
}

static void lower_unary(struct al *a, const struct hy_ins *in) {
    struct a64_err *e = &a->err;
    int ta = a->fn->vtype[in->a];
    int x = is_x(in->type);
    switch (in->op) {
    case HY_OP_MOV: al_move(a, a->ra->loc[in->dst], a->ra->loc[in->a]); return;
    case HY_OP_NEG:
    case HY_OP_NOT:
    case HY_OP_SEXT:
    case HY_OP_ZEXT:
    case HY_OP_TRUNC: {
        unsigned ra = gsrc(a, in->a, AL_S0), rd = xdst(a, in->dst, AL_S0);
        if (in->op == HY_OP_NEG) al_put(a, a64_neg(e, x, rd, ra));
        else if (in->op == HY_OP_NOT) al_put(a, a64_mvn(e, x, rd, ra));
        else if (in->op == HY_OP_SEXT) al_put(a, a64_sxtw(e, rd, ra));
        else al_put(a, a64_mov(e, 0, rd, ra)); /* W move zero-extends */
        gfin(a, in->dst, rd);
        return;
    }
    case HY_OP_FNEG: {
        unsigned fa = fsrc(a, in->a, AL_F0), fd = xdst(a, in->dst, AL_F0);
        al_put(a, a64_fneg(e, fd, fa));
        ffin(a, in->dst, fd);
        return;
    }
    case HY_OP_SITOFP: {
        unsigned ra = gsrc(a, in->a, AL_S0), fd = xdst(a, in->dst, AL_F0);
        al_put(a, a64_fp_int(e, is_x(ta) ? A64_SCVTF_D_X : A64_SCVTF_D_W, fd, ra));
        ffin(a, in->dst, fd);
        return;
    }
    case HY_OP_FPTOSI: {
        /* fcvtzs saturates and maps NaN to 0: exactly the IR's fptosi */
        unsigned fa = fsrc(a, in->a, AL_F0), rd = xdst(a, in->dst, AL_S0);
        al_put(a, a64_fp_int(e, A64_FCVTZS_X_D, rd, fa));
        gfin(a, in->dst, rd);
        return;
    }
    case HY_OP_BITCAST:
        if (in->type == HY_T_F64) {
            unsigned ra = gsrc(a, in->a, AL_S0), fd = xdst(a, in->dst, AL_F0);
            al_put(a, a64_fp_int(e, A64_FMOV_D_X, fd, ra));
            ffin(a, in->dst, fd);
        } else {
            unsigned fa = fsrc(a, in->a, AL_F0), rd = xdst(a, in->dst, AL_S0);
            al_put(a, a64_fp_int(e, A64_FMOV_X_D, rd, fa));
            gfin(a, in->dst, rd);
        }
        return;
    default: al_fail(a, "unexpected unary op %s", hy_op_name[in->op]); return;
    }
}

/* ---- memory ---------------------------------------------------------------- */

static enum a64_op mem_op(const struct hy_ins *in) {
    int load = in->op == HY_OP_LOAD, wide = in->type != HY_T_I32;
    switch (in->cc) {
    case HY_M_I8: return load ? (wide ? A64_LDRSB_X : A64_LDRSB_W) : A64_STRB;
    case HY_M_U8: return load ? A64_LDRB : A64_STRB;
    case HY_M_I16: return load ? (wide ? A64_LDRSH_X : A64_LDRSH_W) : A64_STRH;
    case HY_M_U16: return load ? A64_LDRH : A64_STRH;
    case HY_M_I32: return load ? (wide ? A64_LDRSW : A64_LDR_W) : A64_STR_W;
    case HY_M_U32: return load ? A64_LDR_W : A64_STR_W;
    case HY_M_I64:
    case HY_M_PTR: return load ? A64_LDR_X : A64_STR_X;
    case HY_M_F64: return load ? A64_LDR_D : A64_STR_D;
    default: return A64_NFORMS;
    }
}

static unsigned log2u(unsigned v) { return v >= 8 ? 3 : v >= 4 ? 2 : v >= 2 ? 1 : 0; }

/* [base + index*scale + disp]: register-offset form when it fits directly,
 * else base+index*scale into X17 first; displacements the immediate forms
 * cannot hold are materialized into a scratch and used as a register offset. */
static void lower_mem(struct al *a, const struct hy_ins *in) {
    struct a64_err *e = &a->err;
    enum a64_op op = mem_op(in);
    if (op == A64_NFORMS) {
        al_fail(a, "bad memory kind %u", in->cc);
        return;
    }
    unsigned size = hy_mem_size[in->cc], k = log2u(size);
    int64_t disp = in->imm;
    unsigned rb = gsrc(a, in->a, AL_S0), ri = 0;
    int use_reg = 0, shifted = 0;
    if (in->b >= 0) {
        ri = gsrc(a, in->b, AL_S1);
        if (disp == 0 && (in->scale == 1 || in->scale == size)) {
            use_reg = 1;
            shifted = in->scale == size && size > 1;
        } else {
            al_put(a, a64_addsub_shift(e, A64_ADD_X, AL_S1, rb, ri, A64_LSL, log2u(in->scale)));
            rb = AL_S1;
        }
    }
    if (!use_reg) {
        int fits = (disp >= 0 && !(disp & (int64_t)(size - 1)) && (disp >> k) <= 4095) ||
                   (disp >= -256 && disp <= 255);
        if (!fits) {
            unsigned t = rb == AL_S1 ? AL_S0 : AL_S1;
            al_mov_imm(a, 1, t, (uint64_t)disp);
            ri = t;
            use_reg = 1;
            shifted = 0;
        }
    }
    int fp = in->cc == HY_M_F64, load = in->op == HY_OP_LOAD;
    unsigned rv;
    if (load) rv = xdst(a, in->dst, fp ? AL_F0 : AL_S2);
    else rv = fp ? fsrc(a, in->c, AL_F0) : gsrc(a, in->c, AL_S2);
    if (use_reg)
        al_put(a, a64_ldst_roff(e, (enum a64_op)(op + A64_NMEMOPS), rv, rb, ri, A64_IDX_LSL, shifted));
    else
        al_put(a, a64_ldst(e, op, rv, rb, disp));
    if (load) {
        if (fp) ffin(a, in->dst, rv);
        else gfin(a, in->dst, rv);
    }
}

/* ---- control flow ------------------------------------------------------------- */

static void lower_guard(struct al *a, const struct hy_ins *in) {
    struct a64_err *e = &a->err;
    int x = is_x(a->fn->vtype[in->a]);
    unsigned ra = gsrc(a, in->a, AL_S0);
    uint32_t w;
    if (in->cc == HY_IC_EQZ || in->cc == HY_IC_NEZ) {
        w = in->cc == HY_IC_EQZ ? a64_cbz(e, x, ra, 0) : a64_cbnz(e, x, ra, 0);
    } else {
        unsigned rb = gsrc(a, in->b, AL_S1);
        al_put(a, a64_cmp(e, x, ra, rb));
        w = a64_bcond(e, icc(in->cc), 0);
    }
    uint32_t at = a->n;
    al_branch_to_block(a, w, in->t1);
    al_site(a, in, at);
}

static void lower_condbr(struct al *a, const struct hy_ins *in, uint32_t blk) {
    struct a64_err *e = &a->err;
    int x = is_x(a->fn->vtype[in->a]);
    unsigned ra = gsrc(a, in->a, AL_S0);
    if (in->t1 == blk + 1) {
        al_branch_to_block(a, a64_cbz(e, x, ra, 0), in->t2);
        return;
    }
    al_branch_to_block(a, a64_cbnz(e, x, ra, 0), in->t1);
    if (in->t2 != blk + 1) al_branch_to_block(a, a64_b(e, 0), in->t2);
}

static void lower_ret(struct al *a, const struct hy_ins *in) {
    if (in->a >= 0) {
        int f = a->fn->vtype[in->a] == HY_T_F64;
        al_move(a, hy_loc_reg(f ? HY_RC_FPR : HY_RC_GPR, 0), a->ra->loc[in->a]);
    }
    al_epilogue(a);
}

void al_lower_ins(struct al *a, uint32_t blk, uint32_t idx) {
    const struct hy_ins *in = &a->fn->blocks[blk].ins[idx];
    switch (in->op) {
    case HY_OP_CONST: lower_const(a, in); break;
    case HY_OP_ADD: case HY_OP_SUB: case HY_OP_MUL: case HY_OP_SDIV: case HY_OP_SREM:
    case HY_OP_UDIV: case HY_OP_UREM: case HY_OP_AND: case HY_OP_OR: case HY_OP_XOR:
    case HY_OP_SHL: case HY_OP_LSHR: case HY_OP_ASHR:
        lower_int_bin(a, in);
        break;
    case HY_OP_FADD: case HY_OP_FSUB: case HY_OP_FMUL: case HY_OP_FDIV: lower_fp_bin(a, in); break;
    case HY_OP_ADDO: case HY_OP_SUBO: case HY_OP_MULO: lower_chk(a, in); break;
    case HY_OP_ICMP: {
        unsigned ra = gsrc(a, in->a, AL_S0), rb = gsrc(a, in->b, AL_S1);
        al_put(a, a64_cmp(&a->err, is_x(a->fn->vtype[in->a]), ra, rb));
        unsigned rd = xdst(a, in->dst, AL_S0);
        al_put(a, a64_cset(&a->err, 0, rd, icc(in->cc)));
        gfin(a, in->dst, rd);
        break;
    }
    case HY_OP_FCMP: lower_fcmp(a, in); break;
    case HY_OP_SELECT: lower_select(a, in); break;
    case HY_OP_MOV: case HY_OP_NEG: case HY_OP_NOT: case HY_OP_FNEG: case HY_OP_SEXT:
    case HY_OP_ZEXT: case HY_OP_TRUNC: case HY_OP_SITOFP: case HY_OP_FPTOSI: case HY_OP_BITCAST:
        lower_unary(a, in);
        break;
    case HY_OP_LOAD: case HY_OP_STORE: lower_mem(a, in); break;
    case HY_OP_CALL: al_call(a, in); break;
    case HY_OP_GUARD: lower_guard(a, in); break;
    case HY_OP_BR:
        if (in->t1 != blk + 1) al_branch_to_block(a, a64_b(&a->err, 0), in->t1);
        break;
    case HY_OP_CONDBR: lower_condbr(a, in, blk); break;
    case HY_OP_RET: lower_ret(a, in); break;
    default: al_fail(a, "unknown opcode %u", in->op); break;
    }
}
