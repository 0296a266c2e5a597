/* x86-64 lowering of one IR instruction (semantics: jit/ir.h, ir_eval.c).
 *
 * Operands live in registers or rbp-relative spill slots.  The rule for
 * every op: read all operands before writing dst (the allocator may give dst
 * the register of an operand that dies here); r10/r11 and xmm14/xmm15 are
 * ours for temporaries.  Instructions between a compare and its branch or
 * setcc/cmov never touch the flags (mov, movzx, lea and loads do not). */
#include "arch/x86_64/x86_lower.h"

static const uint8_t icc_map[HY_IC__COUNT] = {
    [HY_IC_EQ] = X86_CC_E,   [HY_IC_NE] = X86_CC_NE, [HY_IC_SLT] = X86_CC_L,  [HY_IC_SLE] = X86_CC_LE,
    [HY_IC_SGT] = X86_CC_G,  [HY_IC_SGE] = X86_CC_GE, [HY_IC_ULT] = X86_CC_B, [HY_IC_ULE] = X86_CC_BE,
    [HY_IC_UGT] = X86_CC_A,  [HY_IC_UGE] = X86_CC_AE, [HY_IC_EQZ] = X86_CC_E, [HY_IC_NEZ] = X86_CC_NE,
};

static int wid(int t) { return t == HY_T_I32 ? 32 : 64; }
static struct hy_loc L(const struct xl *x, int v) { return x->ra->loc[v]; }
static int isreg(struct hy_loc l) { return l.kind == HY_LOC_REG; }

/* A GPR operand in a register: its own, or loaded into `scratch`. */
static int gread(struct xl *x, int v, int scratch) {
  struct hy_loc l = L(x, v);
  if (isreg(l)) return l.reg;
  x86_mov_rm(&x->a.b, 64, scratch, xl_slot(x, l.slot));
  return scratch;
}

static int fread_(struct xl *x, int v, int scratch) {
  struct hy_loc l = L(x, v);
  if (isreg(l)) return l.reg;
  x86_movsd_rm(&x->a.b, scratch, xl_slot(x, l.slot));
  return scratch;
}

/* Write register r (of dst's class) to dst's location. */
static void put(struct xl *x, int dst, int r) {
  struct hy_loc l = L(x, dst);
  if (l.kind == HY_LOC_NONE) return;
  xl_move(x, l, hy_loc_reg(l.cls, r));
}

/* The register to compute dst in: dst's own register unless that would
 * clobber `keep` (an operand still to be read), else the scratch. */
static int target(struct xl *x, int dst, int keep, int scratch) {
  struct hy_loc d = L(x, dst);
  if (!isreg(d)) return scratch;
  if (keep >= 0) {
    struct hy_loc k = L(x, keep);
    if (isreg(k) && k.reg == d.reg) return scratch;
  }
  return d.reg;
}

/* Copy GPR operand v into register t. */
static void gload(struct xl *x, int t, int v) {
  struct hy_loc l = L(x, v);
  if (isreg(l)) {
    if (l.reg != t) x86_mov_rr(&x->a.b, 64, t, l.reg);
  } else {
    x86_mov_rm(&x->a.b, 64, t, xl_slot(x, l.slot));
  }
}

static void fload(struct xl *x, int t, int v) {
  struct hy_loc l = L(x, v);
  if (isreg(l)) {
    if (l.reg != t) x86_movapd_rr(&x->a.b, t, l.reg);
  } else {
    x86_movsd_rm(&x->a.b, t, xl_slot(x, l.slot));
  }
}

uint32_t xl_internal_labels(const struct hy_ins *in) {
  switch (in->op) {
  case HY_OP_SDIV: case HY_OP_SREM: return 3; /* divisor -1, divisor 0, done */
  case HY_OP_UDIV: case HY_OP_UREM: return 2;  /* divisor 0, done */
  case HY_OP_FPTOSI: return 1;
  case HY_OP_SELECT: return in->type == HY_T_F64 ? 1 : 0;
  default: return 0;
  }
}

/* ------------------------------------------------------------ integer ops */

typedef void (*alu_rr)(struct x86_buf *, int, int, int);
typedef void (*alu_rm)(struct x86_buf *, int, int, struct x86_mem);

static void binop(struct xl *x, const struct hy_ins *in, alu_rr rr, alu_rm rm) {
  int w = wid(in->type);
  int t = target(x, in->dst, in->b, XL_S0);
  gload(x, t, in->a);
  struct hy_loc lb = L(x, in->b);
  if (isreg(lb)) rr(&x->a.b, w, t, lb.reg);
  else rm(&x->a.b, w, t, xl_slot(x, lb.slot));
  put(x, in->dst, t);
}

/* shl/lshr/ashr: the count goes through cl; rcx is preserved around it. */
static void shift(struct xl *x, const struct hy_ins *in) {
  struct x86_buf *b = &x->a.b;
  int w = wid(in->type);
  gload(x, XL_S0, in->a);
  gload(x, XL_S1, in->b);
  x86_push(b, X86_RCX);
  x86_mov_rr(b, 64, X86_RCX, XL_S1);
  if (in->op == HY_OP_SHL) x86_shl_rcl(b, w, XL_S0);
  else if (in->op == HY_OP_LSHR) x86_shr_rcl(b, w, XL_S0);
  else x86_sar_rcl(b, w, XL_S0);
  x86_pop(b, X86_RCX);
  put(x, in->dst, XL_S0);
}

/* sdiv/srem/udiv/urem through rdx:rax, both preserved.  A zero divisor is
 * undefined in the IR (guarded by div_zero) but must not trap (#DE) when the
 * guard is missing: like AArch64, x / 0 = 0 and x % 0 = x (ir.h).  MIN / -1
 * is defined (MIN, and remainder 0) and must not reach idiv, which would
 * trap: divisor -1 takes the negate path. */
static void divide(struct xl *x, const struct hy_ins *in) {
  struct x86_buf *b = &x->a.b;
  int w = wid(in->type);
  int sgn = in->op == HY_OP_SDIV || in->op == HY_OP_SREM;
  int rem = in->op == HY_OP_SREM || in->op == HY_OP_UREM;
  uint32_t lm1 = 0, lzero = xl_new_label(x), ldone = xl_new_label(x);
  if (sgn) lm1 = xl_new_label(x);
  gload(x, XL_S1, in->b);
  gload(x, XL_S0, in->a);
  x86_test_rr(b, w, XL_S1, XL_S1);
  x86_asm_jcc(&x->a, X86_CC_E, lzero);
  if (sgn) {
    x86_cmp_ri8(b, w, XL_S1, -1);
    x86_asm_jcc(&x->a, X86_CC_E, lm1);
  }
  x86_push(b, X86_RAX);
  x86_push(b, X86_RDX);
  x86_mov_rr(b, 64, X86_RAX, XL_S0);
  if (sgn) {
    if (w == 64) x86_cqo(b);
    else x86_cdq(b);
    x86_idiv(b, w, XL_S1);
  } else {
    x86_xor_rr(b, 32, X86_RDX, X86_RDX);
    x86_div(b, w, XL_S1);
  }
  x86_mov_rr(b, 64, XL_S0, rem ? X86_RDX : X86_RAX);
  x86_pop(b, X86_RDX);
  x86_pop(b, X86_RAX);
  x86_asm_jmp(&x->a, ldone);
  if (sgn) {
    x86_asm_bind(&x->a, lm1);
    if (rem) x86_xor_rr(b, 32, XL_S0, XL_S0);
    else x86_neg(b, w, XL_S0);
    x86_asm_jmp(&x->a, ldone);
  }
  x86_asm_bind(&x->a, lzero);
  if (!rem) x86_xor_rr(b, 32, XL_S0, XL_S0); /* x / 0 = 0; x % 0 = x (S0 holds a) */
  x86_asm_bind(&x->a, ldone);
  put(x, in->dst, XL_S0);
}

static void unary(struct xl *x, const struct hy_ins *in) {
  int w = wid(in->type);
  int t = target(x, in->dst, -1, XL_S0);
  gload(x, t, in->a);
  if (in->op == HY_OP_NEG) x86_neg(&x->a.b, w, t);
  else x86_not(&x->a.b, w, t);
  put(x, in->dst, t);
}

/* addo/subo/mulo: dst gets the wrapped result, then `jo exit` (the site). */
static void checked(struct xl *x, const struct hy_ins *in) {
  struct x86_buf *b = &x->a.b;
  int w = wid(in->type);
  int t = target(x, in->dst, in->b, XL_S0);
  gload(x, t, in->a);
  struct hy_loc lb = L(x, in->b);
  if (in->op == HY_OP_ADDO) {
    if (isreg(lb)) x86_add_rr(b, w, t, lb.reg);
    else x86_add_rm(b, w, t, xl_slot(x, lb.slot));
  } else if (in->op == HY_OP_SUBO) {
    if (isreg(lb)) x86_sub_rr(b, w, t, lb.reg);
    else x86_sub_rm(b, w, t, xl_slot(x, lb.slot));
  } else {
    if (isreg(lb)) x86_imul_rr(b, w, t, lb.reg);
    else x86_imul_rm(b, w, t, xl_slot(x, lb.slot));
  }
  put(x, in->dst, t); /* mov and stores leave OF alone */
  uint32_t at = (uint32_t)b->len;
  x86_asm_jcc(&x->a, X86_CC_O, in->t1);
  xl_site(x, in, at);
}

/* cmp a, b in a's width (flags for icmp, guards). */
static void icompare(struct xl *x, int a, int bv) {
  struct x86_buf *b = &x->a.b;
  int w = wid(x->fn->vtype[a]);
  int ra = gread(x, a, XL_S0);
  struct hy_loc lb = L(x, bv);
  if (isreg(lb)) x86_cmp_rr(b, w, ra, lb.reg);
  else x86_cmp_rm(b, w, ra, xl_slot(x, lb.slot));
}

static void test_zero(struct xl *x, int a) {
  int w = wid(x->fn->vtype[a]);
  int ra = gread(x, a, XL_S0);
  x86_test_rr(&x->a.b, w, ra, ra);
}

/* dst (i32) = flags condition cc as 0/1. */
static void setbool(struct xl *x, int dst, int cc) {
  struct x86_buf *b = &x->a.b;
  int t = target(x, dst, -1, XL_S1);
  x86_setcc(b, cc, t);
  x86_movzx_rr(b, 8, t, t);
  put(x, dst, t);
}

/* ucomisd a, b with a in a register; swap exchanges the operands. */
static void fcompare(struct xl *x, int a, int bv, int swap) {
  if (swap) {
    int t = a;
    a = bv;
    bv = t;
  }
  int ra = fread_(x, a, XL_F0);
  struct hy_loc lb = L(x, bv);
  if (isreg(lb)) x86_ucomisd_rr(&x->a.b, ra, lb.reg);
  else x86_ucomisd_rm(&x->a.b, ra, xl_slot(x, lb.slot));
}

/* fcmp: after ucomisd, unordered sets ZF=PF=CF=1; a<b sets CF; a==b ZF. */
static void fcmp(struct xl *x, const struct hy_ins *in) {
  struct x86_buf *b = &x->a.b;
  int cc = -1, swap = 0, fix = -1; /* fix: value forced when PF (unordered) */
  switch (in->cc) {
  case HY_FC_OGT: cc = X86_CC_A; break;
  case HY_FC_OGE: cc = X86_CC_AE; break;
  case HY_FC_OLT: cc = X86_CC_A; swap = 1; break;
  case HY_FC_OLE: cc = X86_CC_AE; swap = 1; break;
  case HY_FC_OEQ: cc = X86_CC_E; fix = 0; break;
  case HY_FC_ONE: cc = X86_CC_NE; break;
  case HY_FC_ORD: cc = X86_CC_NP; break;
  case HY_FC_UNO: cc = X86_CC_P; break;
  case HY_FC_UEQ: cc = X86_CC_E; break;
  case HY_FC_UNE: cc = X86_CC_NE; fix = 1; break;
  case HY_FC_ULT: cc = X86_CC_B; break;
  case HY_FC_ULE: cc = X86_CC_BE; break;
  case HY_FC_UGT: cc = X86_CC_B; swap = 1; break;
  case HY_FC_UGE: cc = X86_CC_BE; swap = 1; break;
  default: hy_lower_fail(x->lw, "x86-64: bad fcmp condition %d", in->cc); return;
  }
  fcompare(x, in->a, in->b, swap);
  int t = target(x, in->dst, -1, XL_S1);
  x86_setcc(b, cc, t);
  x86_movzx_rr(b, 8, t, t);
  if (fix >= 0) {
    x86_mov_r32_imm32(b, XL_S0, fix);
    x86_cmovcc_rr(b, 32, X86_CC_P, t, XL_S0);
  }
  put(x, in->dst, t);
}

static void select_(struct xl *x, const struct hy_ins *in) {
  struct x86_buf *b = &x->a.b;
  test_zero(x, in->a);
  if (in->type != HY_T_F64) {
    int w = wid(in->type);
    gload(x, XL_S1, in->c);
    struct hy_loc lb = L(x, in->b);
    if (isreg(lb)) x86_cmovcc_rr(b, w, X86_CC_NE, XL_S1, lb.reg);
    else x86_cmovcc_rm(b, w, X86_CC_NE, XL_S1, xl_slot(x, lb.slot));
    put(x, in->dst, XL_S1);
  } else {
    uint32_t l = xl_new_label(x);
    fload(x, XL_F0, in->c);
    x86_asm_jcc(&x->a, X86_CC_E, l);
    fload(x, XL_F0, in->b);
    x86_asm_bind(&x->a, l);
    put(x, in->dst, XL_F0);
  }
}

/* ------------------------------------------------------------ float ops */

typedef void (*sd_rr)(struct x86_buf *, int, int);
typedef void (*sd_rm)(struct x86_buf *, int, struct x86_mem);

static void fbinop(struct xl *x, const struct hy_ins *in, sd_rr rr, sd_rm rm) {
  int t = target(x, in->dst, in->b, XL_F0);
  fload(x, t, in->a);
  struct hy_loc lb = L(x, in->b);
  if (isreg(lb)) rr(&x->a.b, t, lb.reg);
  else rm(&x->a.b, t, xl_slot(x, lb.slot));
  put(x, in->dst, t);
}

static void fneg(struct xl *x, const struct hy_ins *in) {
  struct x86_buf *b = &x->a.b;
  x86_movabs(b, XL_S0, 0x8000000000000000ull);
  x86_movq_xr(b, XL_F1, XL_S0);
  int t = target(x, in->dst, -1, XL_F0);
  fload(x, t, in->a);
  x86_xorpd_rr(b, t, XL_F1);
  put(x, in->dst, t);
}

/* fptosi, saturating: cvttsd2si gives 0x8000000000000000 for NaN and out
 * of range; `cmp r, 1` overflows exactly for that value, and then the sign
 * of the input decides: NaN -> 0, positive -> INT64_MAX, else INT64_MIN. */
static void fptosi(struct xl *x, const struct hy_ins *in) {
  struct x86_buf *b = &x->a.b;
  uint32_t ok = xl_new_label(x);
  int xa = fread_(x, in->a, XL_F0);
  int t = target(x, in->dst, -1, XL_S0);
  x86_cvttsd2si_rr(b, 64, t, xa);
  x86_cmp_ri8(b, 64, t, 1);
  x86_asm_jcc(&x->a, X86_CC_NO, ok);
  x86_xorpd_rr(b, XL_F1, XL_F1);
  x86_ucomisd_rr(b, xa, XL_F1);
  x86_movabs(b, XL_S1, 0x7FFFFFFFFFFFFFFFull);
  x86_cmovcc_rr(b, 64, X86_CC_A, t, XL_S1);
  x86_mov_r32_imm32(b, XL_S1, 0);
  x86_cmovcc_rr(b, 64, X86_CC_P, t, XL_S1);
  x86_asm_bind(&x->a, ok);
  put(x, in->dst, t);
}

static void sitofp(struct xl *x, const struct hy_ins *in) {
  int w = wid(x->fn->vtype[in->a]);
  int t = target(x, in->dst, -1, XL_F0);
  struct hy_loc la = L(x, in->a);
  if (isreg(la)) x86_cvtsi2sd_rr(&x->a.b, w, t, la.reg);
  else x86_cvtsi2sd_rm(&x->a.b, w, t, xl_slot(x, la.slot));
  put(x, in->dst, t);
}

static void bitcast(struct xl *x, const struct hy_ins *in) {
  struct x86_buf *b = &x->a.b;
  struct hy_loc la = L(x, in->a);
  if (in->type == HY_T_F64) {
    int t = target(x, in->dst, -1, XL_F0);
    if (isreg(la)) x86_movq_xr(b, t, la.reg);
    else x86_movsd_rm(b, t, xl_slot(x, la.slot));
    put(x, in->dst, t);
  } else {
    int t = target(x, in->dst, -1, XL_S0);
    if (isreg(la)) x86_movq_rx(b, t, la.reg);
    else x86_mov_rm(b, 64, t, xl_slot(x, la.slot));
    put(x, in->dst, t);
  }
}

/* sext/zext/trunc between i32 and i64. */
static void convert(struct xl *x, const struct hy_ins *in) {
  struct x86_buf *b = &x->a.b;
  int t = target(x, in->dst, -1, XL_S0);
  struct hy_loc la = L(x, in->a);
  if (in->op == HY_OP_SEXT) {
    if (isreg(la)) x86_movsxd_rr(b, t, la.reg);
    else x86_movsxd_rm(b, t, xl_slot(x, la.slot));
  } else {
    if (isreg(la)) x86_mov_rr(b, 32, t, la.reg);
    else x86_mov_rm(b, 32, t, xl_slot(x, la.slot));
  }
  put(x, in->dst, t);
}

static void constant(struct xl *x, const struct hy_ins *in) {
  struct x86_buf *b = &x->a.b;
  struct hy_loc d = L(x, in->dst);
  if (d.kind == HY_LOC_NONE) return;
  if (in->type == HY_T_F64) {
    uint64_t bits = (uint64_t)in->imm;
    if (isreg(d)) {
      if (bits == 0) {
        x86_xorpd_rr(b, d.reg, d.reg);
      } else {
        x86_mov_ri(b, 64, XL_S0, (int64_t)bits);
        x86_movq_xr(b, d.reg, XL_S0);
      }
    } else if ((int64_t)bits >= INT32_MIN && (int64_t)bits <= INT32_MAX) {
      x86_mov_mi(b, 64, xl_slot(x, d.slot), (int64_t)bits);
    } else {
      x86_movabs(b, XL_S0, bits);
      x86_mov_mr(b, 64, xl_slot(x, d.slot), XL_S0);
    }
    return;
  }
  int64_t v = in->type == HY_T_I32 ? (int64_t)(uint32_t)in->imm : in->imm;
  if (isreg(d)) {
    x86_mov_ri(b, 64, d.reg, v);
  } else if (v >= INT32_MIN && v <= INT32_MAX) {
    x86_mov_mi(b, 64, xl_slot(x, d.slot), v);
  } else {
    x86_mov_ri(b, 64, XL_S0, v);
    x86_mov_mr(b, 64, xl_slot(x, d.slot), XL_S0);
  }
}

/* ---------------------------------------------------------- memory */

static struct x86_mem address(struct xl *x, const struct hy_ins *in) {
  int base = gread(x, in->a, XL_S0);
  int index = in->b >= 0 ? gread(x, in->b, XL_S1) : X86_NOREG;
  if (in->imm < INT32_MIN || in->imm > INT32_MAX) {
    hy_lower_fail(x->lw, "x86-64: displacement %lld out of range", (long long)in->imm);
    return x86_mem(base, 0);
  }
  return x86_memx(base, index, index == X86_NOREG ? 1 : in->scale, (int32_t)in->imm);
}

static void load(struct xl *x, const struct hy_ins *in) {
  struct x86_buf *b = &x->a.b;
  struct x86_mem m = address(x, in);
  if (in->type == HY_T_F64) {
    int t = target(x, in->dst, -1, XL_F0);
    x86_movsd_rm(b, t, m);
    put(x, in->dst, t);
    return;
  }
  int w = wid(in->type);
  int t = target(x, in->dst, -1, XL_S0);
  switch (in->cc) {
  case HY_M_I8: x86_movsx_rm(b, w, 8, t, m); break;
  case HY_M_U8: x86_movzx_rm(b, 8, t, m); break;
  case HY_M_I16: x86_movsx_rm(b, w, 16, t, m); break;
  case HY_M_U16: x86_movzx_rm(b, 16, t, m); break;
  case HY_M_I32:
    if (w == 64) x86_movsxd_rm(b, t, m);
    else x86_mov_rm(b, 32, t, m);
    break;
  case HY_M_U32: x86_mov_rm(b, 32, t, m); break;
  default: x86_mov_rm(b, 64, t, m); break;
  }
  put(x, in->dst, t);
}

static void store(struct xl *x, const struct hy_ins *in) {
  struct x86_buf *b = &x->a.b;
  struct x86_mem m = address(x, in);
  struct hy_loc lc = L(x, in->c);
  int f = x->fn->vtype[in->c] == HY_T_F64;
  int vr;
  if (isreg(lc)) {
    vr = lc.reg;
  } else {
    /* a free scratch for the value; if the address took both, fold it */
    int used0 = m.base == XL_S0 || m.index == XL_S0, used1 = m.base == XL_S1 || m.index == XL_S1;
    int s;
    if (f) {
      s = XL_F0;
    } else if (!used1) {
      s = XL_S1;
    } else if (!used0) {
      s = XL_S0;
    } else {
      x86_lea(b, 64, XL_S0, m);
      m = x86_mem(XL_S0, 0);
      s = XL_S1;
    }
    if (f) x86_movsd_rm(b, s, xl_slot(x, lc.slot));
    else x86_mov_rm(b, 64, s, xl_slot(x, lc.slot));
    vr = s;
  }
  if (f) x86_movsd_mr(b, m, vr);
  else x86_mov_mr(b, 8 * hy_mem_size[in->cc], m, vr);
}

/* ---------------------------------------------------------- control */

static void ret(struct xl *x, const struct hy_ins *in) {
  struct x86_buf *b = &x->a.b;
  if (in->a >= 0) {
    int t = x->fn->vtype[in->a];
    if (t == HY_T_F64) {
      fload(x, 0, in->a);
    } else {
      gload(x, X86_RAX, in->a);
      if (t == HY_T_I32) x86_mov_rr(b, 32, X86_RAX, X86_RAX); /* clean upper half */
    }
  }
  xl_epilogue(x);
}

static void branch_to(struct xl *x, uint32_t blk, uint32_t target) {
  if (target != blk + 1) x86_asm_jmp(&x->a, target);
}

static void condbr(struct xl *x, uint32_t blk, const struct hy_ins *in) {
  test_zero(x, in->a);
  if (in->t2 == blk + 1) {
    x86_asm_jcc(&x->a, X86_CC_NE, in->t1);
  } else if (in->t1 == blk + 1) {
    x86_asm_jcc(&x->a, X86_CC_E, in->t2);
  } else {
    x86_asm_jcc(&x->a, X86_CC_NE, in->t1);
    x86_asm_jmp(&x->a, in->t2);
  }
}

static void guard(struct xl *x, const struct hy_ins *in) {
  if (in->cc == HY_IC_EQZ || in->cc == HY_IC_NEZ) test_zero(x, in->a);
  else icompare(x, in->a, in->b);
  uint32_t at = (uint32_t)x->a.b.len;
  x86_asm_jcc(&x->a, icc_map[in->cc], in->t1);
  xl_site(x, in, at);
}

void xl_lower_ins(struct xl *x, uint32_t blk, uint32_t idx) {
  const struct hy_ins *in = &x->fn->blocks[blk].ins[idx];
  if (x->lw->failed) return;
  switch (in->op) {
  case HY_OP_CONST: constant(x, in); break;
  case HY_OP_MOV: xl_move(x, L(x, in->dst), L(x, in->a)); break;
  case HY_OP_ADD: binop(x, in, x86_add_rr, x86_add_rm); break;
  case HY_OP_SUB: binop(x, in, x86_sub_rr, x86_sub_rm); break;
  case HY_OP_MUL: binop(x, in, x86_imul_rr, x86_imul_rm); break;
  case HY_OP_AND: binop(x, in, x86_and_rr, x86_and_rm); break;
  case HY_OP_OR: binop(x, in, x86_or_rr, x86_or_rm); break;
  case HY_OP_XOR: binop(x, in, x86_xor_rr, x86_xor_rm); break;
  case HY_OP_SDIV: case HY_OP_SREM: case HY_OP_UDIV: case HY_OP_UREM: divide(x, in); break;
  case HY_OP_SHL: case HY_OP_LSHR: case HY_OP_ASHR: shift(x, in); break;
  case HY_OP_NEG: case HY_OP_NOT: unary(x, in); break;
  case HY_OP_FADD: fbinop(x, in, x86_addsd_rr, x86_addsd_rm); break;
  case HY_OP_FSUB: fbinop(x, in, x86_subsd_rr, x86_subsd_rm); break;
  case HY_OP_FMUL: fbinop(x, in, x86_mulsd_rr, x86_mulsd_rm); break;
  case HY_OP_FDIV: fbinop(x, in, x86_divsd_rr, x86_divsd_rm); break;
  case HY_OP_FNEG: fneg(x, in); break;
  case HY_OP_ADDO: case HY_OP_SUBO: case HY_OP_MULO: checked(x, in); break;
  case HY_OP_ICMP:
    icompare(x, in->a, in->b);
    setbool(x, in->dst, icc_map[in->cc]);
    break;
  case HY_OP_FCMP: fcmp(x, in); break;
  case HY_OP_SELECT: select_(x, in); break;
  case HY_OP_SEXT: case HY_OP_ZEXT: case HY_OP_TRUNC: convert(x, in); break;
  case HY_OP_SITOFP: sitofp(x, in); break;
  case HY_OP_FPTOSI: fptosi(x, in); break;
  case HY_OP_BITCAST: bitcast(x, in); break;
  case HY_OP_LOAD: load(x, in); break;
  case HY_OP_STORE: store(x, in); break;
  case HY_OP_CALL: xl_call(x, in); break;
  case HY_OP_GUARD: guard(x, in); break;
  case HY_OP_BR: branch_to(x, blk, in->t1); break;
  case HY_OP_CONDBR: condbr(x, blk, in); break;
  case HY_OP_RET: ret(x, in); break;
  default: hy_lower_fail(x->lw, "x86-64: cannot lower opcode %u", in->op); break;
  }
}
