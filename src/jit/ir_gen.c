/* Random valid-IR generator (seedable), for differential tests and soak runs.
 *
 * Programs are generated as structured regions (straight code, if/else,
 * counted loops, guarded exits), which makes three properties hold by
 * construction:
 *   - every vreg use is definitely assigned (a region's new vregs go out of
 *     scope at its end; outer vregs may be re-assigned inside -- non-SSA);
 *   - every program terminates (loop counters and limits are never
 *     re-assigned by the body; trip counts are at most 4, nesting at most 2);
 *   - nothing is undefined: divisors are guarded by div_zero guards, memory
 *     accesses stay inside [p0, p0 + mem_bytes): integers in the lower half,
 *     f64 in the upper half (so a NaN's payload, which differs between
 *     operand orders and ISAs, never reaches integer results).
 * Guard and CHK exits go to small exit blocks that return a value computed
 * from what is live at the exit, so exits test register state too.
 */
#include <stdlib.h>
#include <string.h>

#include "jit/ir.h"

enum { P_I32, P_I64, P_F64, P_PTR, P_N };

struct gen {
    struct hy_func *fn;
    const struct hy_gen_opts *o;
    uint64_t rng;
    int32_t *pool[P_N];
    uint32_t np[P_N], cap[P_N];
    uint32_t cur;
    int budget;
    uint32_t max_blocks;
    uint32_t next_id;
    int loop_depth, depth;
    int mem;           /* vreg of the memory base, or -1 */
    int failed;
};

static uint64_t rnd(struct gen *g) {
    /* splitmix64 */
    uint64_t z = (g->rng += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}
static uint32_t rn(struct gen *g, uint32_t n) { return n ? (uint32_t)(rnd(g) % n) : 0; }
static int chance(struct gen *g, uint32_t pct) { return rn(g, 100) < pct; }

static int pidx(int t) { return t == HY_T_I32 ? P_I32 : t == HY_T_I64 ? P_I64 : t == HY_T_F64 ? P_F64 : P_PTR; }

static void pool_add(struct gen *g, int v) {
    if (v < 0) {
        g->failed = 1;
        return;
    }
    int p = pidx(g->fn->vtype[v]);
    if (g->np[p] == g->cap[p]) {
        uint32_t nc = g->cap[p] ? g->cap[p] * 2 : 32;
        int32_t *n = realloc(g->pool[p], nc * sizeof *n);
        if (!n) {
            g->failed = 1;
            return;
        }
        g->pool[p] = n;
        g->cap[p] = nc;
    }
    g->pool[p][g->np[p]++] = v;
}

static int64_t int_const(struct gen *g, int t) {
    static const int64_t edge64[] = {0, 1, -1, 2, 7, 63, 64, INT64_MAX, INT64_MIN, INT32_MAX, INT32_MIN,
                                     (int64_t)UINT32_MAX, 255, -256, 1000003};
    static const int64_t edge32[] = {0, 1, -1, 2, 31, 32, INT32_MAX, INT32_MIN, 255, -256, 65535};
    int64_t v;
    switch (rn(g, 4)) {
    case 0: v = t == HY_T_I32 ? edge32[rn(g, 11)] : edge64[rn(g, 15)]; break;
    case 1: v = (int64_t)rnd(g); break;
    default: v = (int64_t)rn(g, 200) - 100; break;
    }
    if (t == HY_T_I32) v = (int32_t)v;
    return v;
}

static double f64_const(struct gen *g) {
    static const double edge[] = {0.0, -0.0, 1.0, -1.0, 0.5, 1e300, -1e300, 1e-310, 3.0e18, -9.3e18, 9.3e18, 2.5, -2.5};
    switch (rn(g, 5)) {
    case 0: return edge[rn(g, 13)];
    case 1: return (double)((int64_t)rn(g, 2000) - 1000) / 8.0;
    case 2: {
        if (rn(g, 8) == 0) return __builtin_inf() * (rn(g, 2) ? 1 : -1);
        if (rn(g, 8) == 0) return __builtin_nan("");
        return (double)(int64_t)rnd(g) / 1024.0;
    }
    default: return (double)((int64_t)rn(g, 200) - 100);
    }
}

static int mk_const(struct gen *g, int t) {
    if (t == HY_T_F64) return hy_b_const_f64(g->fn, g->cur, f64_const(g));
    if (t == HY_T_PTR) return g->mem >= 0 ? g->mem : hy_b_const(g->fn, g->cur, HY_T_PTR, 0);
    return hy_b_const(g->fn, g->cur, t, int_const(g, t));
}

/* An assigned vreg of type t (made as a constant if none is in scope). */
static int pick(struct gen *g, int t) {
    int p = pidx(t);
    if (g->np[p] && !chance(g, 8)) return g->pool[p][rn(g, g->np[p])];
    int v = mk_const(g, t);
    if (t != HY_T_PTR) pool_add(g, v);
    return v;
}

static int pick_int_type(struct gen *g) { return chance(g, 50) ? HY_T_I64 : HY_T_I32; }

/* Destination: a fresh vreg, or (non-SSA) an outer one of the same type. */
static int dest(struct gen *g, int t, int *fresh) {
    int p = pidx(t);
    if (t != HY_T_PTR && g->np[p] && chance(g, 25)) {
        *fresh = 0;
        return g->pool[p][rn(g, g->np[p])];
    }
    *fresh = 1;
    return hy_vreg_new(g->fn, t);
}

static void emit_def(struct gen *g, struct hy_ins *in, int t) {
    int fresh;
    int d = dest(g, t, &fresh);
    if (d < 0) {
        g->failed = 1;
        return;
    }
    in->dst = d;
    in->type = (uint8_t)t;
    hy_append(g->fn, g->cur, in);
    if (fresh) pool_add(g, d);
    g->budget--;
}

static uint32_t new_block(struct gen *g) {
    int b = hy_block_new(g->fn);
    if (b < 0) {
        g->failed = 1;
        return 0;
    }
    return (uint32_t)b;
}

/* A cold exit: returns something computed from a live value and a marker. */
static uint32_t make_exit(struct gen *g) {
    uint32_t save = g->cur, savep[P_N];
    memcpy(savep, g->np, sizeof savep);
    uint32_t e = new_block(g);
    if (g->failed) return 0;
    g->cur = e;
    int rt = g->fn->ret;
    int v = pick(g, rt);
    int r;
    if (rt == HY_T_F64) {
        int c = hy_b_const_f64(g->fn, e, (double)(g->next_id + 1) * 1000.0);
        r = hy_b_bin(g->fn, e, HY_OP_FADD, rt, v, c);
    } else {
        int c = hy_b_const(g->fn, e, rt, (int64_t)(g->next_id + 1) * 1000003);
        r = hy_b_bin(g->fn, e, HY_OP_XOR, rt, v, c);
    }
    hy_b_ret(g->fn, e, r);
    g->cur = save;
    /* constants made in the exit block are not assigned on the main path */
    memcpy(g->np, savep, sizeof savep);
    return e;
}

/* ---- statements ---- */

static void st_int_op(struct gen *g) {
    int t = pick_int_type(g);
    static const uint8_t ops[] = {HY_OP_ADD, HY_OP_SUB, HY_OP_MUL, HY_OP_AND, HY_OP_OR, HY_OP_XOR,
                                  HY_OP_SHL, HY_OP_LSHR, HY_OP_ASHR, HY_OP_NEG, HY_OP_NOT, HY_OP_MOV};
    struct hy_ins in;
    int op = ops[rn(g, sizeof ops)];
    hy_ins_init(&in, op);
    in.a = pick(g, t);
    if (hy_op_class[op] == HY_OC_BIN) in.b = pick(g, t);
    emit_def(g, &in, t);
}

static void st_div(struct gen *g) {
    static const uint8_t ops[] = {HY_OP_SDIV, HY_OP_SREM, HY_OP_UDIV, HY_OP_UREM};
    int t = pick_int_type(g);
    int a = pick(g, t), b = pick(g, t);
    if (chance(g, 75)) { /* mostly nonzero divisors, so the code after runs */
        int one = hy_b_const(g->fn, g->cur, t, chance(g, 50) ? 1 : -4);
        b = hy_b_bin(g->fn, g->cur, HY_OP_OR, t, b, one);
    }
    uint32_t id = g->next_id++;
    uint32_t ex = make_exit(g);
    hy_b_guard(g->fn, g->cur, HY_GK_DIV_ZERO, HY_IC_EQZ, b, HY_NONE, ex, id, id);
    struct hy_ins in;
    hy_ins_init(&in, ops[rn(g, 4)]);
    in.a = a;
    in.b = b;
    emit_def(g, &in, t);
}

static void st_chk(struct gen *g) {
    static const uint8_t ops[] = {HY_OP_ADDO, HY_OP_SUBO, HY_OP_MULO};
    int t = pick_int_type(g);
    int a = pick(g, t), b = pick(g, t);
    uint32_t id = g->next_id++;
    uint32_t ex = make_exit(g);
    struct hy_ins in;
    hy_ins_init(&in, ops[rn(g, 3)]);
    in.a = a;
    in.b = b;
    in.t1 = ex;
    in.kind = HY_GK_OVERFLOW;
    in.guard_id = id;
    in.counter = id;
    emit_def(g, &in, t);
}

static void st_cmp(struct gen *g) {
    struct hy_ins in;
    if (g->o->use_f64 && chance(g, 35)) {
        hy_ins_init(&in, HY_OP_FCMP);
        in.cc = (uint8_t)rn(g, HY_FC__COUNT);
        in.a = pick(g, HY_T_F64);
        in.b = chance(g, 15) ? in.a : pick(g, HY_T_F64);
    } else {
        int t = pick_int_type(g);
        hy_ins_init(&in, HY_OP_ICMP);
        in.cc = (uint8_t)rn(g, HY_IC_EQZ);
        in.a = pick(g, t);
        in.b = chance(g, 15) ? in.a : pick(g, t);
    }
    emit_def(g, &in, HY_T_I32);
}

static void st_select(struct gen *g) {
    int t = g->o->use_f64 && chance(g, 30) ? HY_T_F64 : pick_int_type(g);
    struct hy_ins in;
    hy_ins_init(&in, HY_OP_SELECT);
    in.a = pick(g, pick_int_type(g));
    in.b = pick(g, t);
    in.c = pick(g, t);
    emit_def(g, &in, t);
}

static void st_conv(struct gen *g) {
    struct hy_ins in;
    int k = rn(g, g->o->use_f64 ? 6 : 3);
    int t;
    switch (k) {
    case 0: hy_ins_init(&in, HY_OP_SEXT); in.a = pick(g, HY_T_I32); t = HY_T_I64; break;
    case 1: hy_ins_init(&in, HY_OP_ZEXT); in.a = pick(g, HY_T_I32); t = HY_T_I64; break;
    case 2: hy_ins_init(&in, HY_OP_TRUNC); in.a = pick(g, HY_T_I64); t = HY_T_I32; break;
    case 3: hy_ins_init(&in, HY_OP_SITOFP); in.a = pick(g, pick_int_type(g)); t = HY_T_F64; break;
    case 4: hy_ins_init(&in, HY_OP_FPTOSI); in.a = pick(g, HY_T_F64); t = HY_T_I64; break;
    default: hy_ins_init(&in, HY_OP_BITCAST); in.a = pick(g, HY_T_I64); t = HY_T_F64; break;
    }
    emit_def(g, &in, t);
}

static void st_fop(struct gen *g) {
    static const uint8_t ops[] = {HY_OP_FADD, HY_OP_FSUB, HY_OP_FMUL, HY_OP_FDIV, HY_OP_FNEG, HY_OP_MOV};
    struct hy_ins in;
    int op = ops[rn(g, sizeof ops)];
    hy_ins_init(&in, op);
    in.a = pick(g, HY_T_F64);
    if (hy_op_class[op] == HY_OC_BIN) in.b = pick(g, HY_T_F64);
    emit_def(g, &in, HY_T_F64);
}

/* Address inside the integer half [0, half) or the f64 half [half, 2*half). */
static void mk_addr(struct gen *g, struct hy_ins *in, int size, int fhalf) {
    uint32_t half = g->o->mem_bytes / 2;
    uint32_t lo = fhalf ? half : 0;
    in->a = g->mem;
    in->b = HY_NONE;
    in->scale = 1;
    int form = rn(g, 3);
    /* f64 accesses stay 8-byte aligned so that a word of the f64 half is
     * always one whole double (compared NaN-insensitively) */
    uint32_t amask = fhalf ? ~7u : ~0u;
    if (form == 0) {
        in->imm = (lo + rn(g, half - (uint32_t)size + 1)) & amask;
    } else if (form == 1) {
        /* index = x & mask, with mask*scale + size <= half/2 */
        static const uint8_t scales[] = {1, 2, 4, 8};
        int s = fhalf ? 8 : scales[rn(g, 4)];
        uint32_t room = half / 2 - (uint32_t)size;
        uint32_t mask = 1;
        while ((mask * 2 + 1) * (uint32_t)s <= room) mask = mask * 2 + 1;
        int x = pick(g, HY_T_I64);
        int m = hy_b_const(g->fn, g->cur, HY_T_I64, mask);
        int idx = hy_b_bin(g->fn, g->cur, HY_OP_AND, HY_T_I64, x, m);
        in->b = idx;
        in->scale = (uint8_t)s;
        in->imm = (lo + rn(g, half / 2)) & amask;
    } else {
        /* shifted base, negative displacement: base = p0 + lo + off, disp in [-off, 0] */
        uint32_t off = half / 2;
        int c = hy_b_const(g->fn, g->cur, HY_T_I64, lo + off);
        int base = hy_b_bin(g->fn, g->cur, HY_OP_ADD, HY_T_PTR, g->mem, c);
        in->a = base;
        in->imm = -(int64_t)(rn(g, off + 1) & amask);
    }
}

static void st_load(struct gen *g) {
    struct hy_ins in;
    hy_ins_init(&in, HY_OP_LOAD);
    int t;
    if (g->o->use_f64 && chance(g, 25)) {
        in.cc = HY_M_F64;
        t = HY_T_F64;
    } else {
        static const uint8_t ms[] = {HY_M_I8, HY_M_U8, HY_M_I16, HY_M_U16, HY_M_I32, HY_M_U32, HY_M_I64};
        in.cc = ms[rn(g, sizeof ms)];
        t = in.cc == HY_M_I64 ? HY_T_I64 : pick_int_type(g);
    }
    mk_addr(g, &in, hy_mem_size[in.cc], in.cc == HY_M_F64);
    emit_def(g, &in, t);
}

static void st_store(struct gen *g) {
    struct hy_ins in;
    hy_ins_init(&in, HY_OP_STORE);
    if (g->o->use_f64 && chance(g, 25)) {
        in.cc = HY_M_F64;
        in.c = pick(g, HY_T_F64);
    } else {
        static const uint8_t ms[] = {HY_M_I8, HY_M_I16, HY_M_I32, HY_M_I64};
        in.cc = ms[rn(g, sizeof ms)];
        in.c = pick(g, in.cc == HY_M_I64 ? HY_T_I64 : pick_int_type(g));
    }
    in.type = g->fn->vtype[in.c];
    mk_addr(g, &in, hy_mem_size[in.cc], in.cc == HY_M_F64);
    hy_append(g->fn, g->cur, &in);
    g->budget--;
}

static void st_call(struct gen *g) {
    const struct hy_helpers *h = g->o->helpers;
    if (!h || !h->n) return;
    const struct hy_helper *hp = &h->v[rn(g, h->n)];
    uint32_t idx = (uint32_t)(hp - h->v);
    int args[HY_MAX_ARGS];
    for (int i = 0; i < hp->nargs; i++) args[i] = pick(g, hp->arg[i]);
    if (hp->ret == HY_T_VOID) {
        hy_b_call(g->fn, g->cur, HY_T_VOID, idx, hp->nargs, args);
        g->budget--;
        return;
    }
    struct hy_ins in;
    hy_ins_init(&in, HY_OP_CALL);
    in.imm = idx;
    in.nargs = hp->nargs;
    for (int i = 0; i < hp->nargs; i++) in.args[i] = args[i];
    emit_def(g, &in, hp->ret);
}

static void st_guard(struct gen *g) {
    uint32_t id = g->next_id++;
    uint32_t ex = make_exit(g);
    static const uint8_t kinds[] = {HY_GK_BOUNDS, HY_GK_RANGE, HY_GK_TYPE, HY_GK_GENERIC, HY_GK_NULL};
    int kind = kinds[rn(g, sizeof kinds)];
    if (kind == HY_GK_NULL && g->mem >= 0) {
        hy_b_guard(g->fn, g->cur, kind, HY_IC_EQZ, g->mem, HY_NONE, ex, id, id);
        return;
    }
    int t = pick_int_type(g);
    int a = pick(g, t);
    if (chance(g, 60)) {
        /* rarely taken: (a & mask) == mask */
        int m = hy_b_const(g->fn, g->cur, t, (int64_t)((1u << (1 + rn(g, 6))) - 1));
        int x = hy_b_bin(g->fn, g->cur, HY_OP_AND, t, a, m);
        hy_b_guard(g->fn, g->cur, kind, HY_IC_EQ, x, m, ex, id, id);
    } else if (chance(g, 30)) {
        hy_b_guard(g->fn, g->cur, kind, chance(g, 50) ? HY_IC_EQZ : HY_IC_NEZ, a, HY_NONE, ex, id, id);
    } else {
        hy_b_guard(g->fn, g->cur, kind, (int)rn(g, HY_IC_EQZ), a, pick(g, t), ex, id, id);
    }
    g->budget--;
}

static void gen_region(struct gen *g);

static void st_if(struct gen *g) {
    if (g->fn->nblocks + 3 > g->max_blocks) return;
    int c = pick(g, pick_int_type(g));
    uint32_t t = new_block(g), f = new_block(g), j = new_block(g);
    if (g->failed) return;
    hy_b_condbr(g->fn, g->cur, c, t, f);
    uint32_t save[P_N];
    memcpy(save, g->np, sizeof save);
    g->depth++;
    g->cur = t;
    gen_region(g);
    hy_b_br(g->fn, g->cur, j);
    memcpy(g->np, save, sizeof save);
    g->cur = f;
    if (chance(g, 70)) gen_region(g);
    hy_b_br(g->fn, g->cur, j);
    memcpy(g->np, save, sizeof save);
    g->depth--;
    g->cur = j;
}

static void st_loop(struct gen *g) {
    if (g->loop_depth >= 2 || g->fn->nblocks + 3 > g->max_blocks) return;
    /* counter and limit stay out of the pool while the body runs */
    int i = hy_b_const(g->fn, g->cur, HY_T_I64, 0);
    int n;
    if (chance(g, 50)) {
        n = hy_b_const(g->fn, g->cur, HY_T_I64, rn(g, 5));
    } else {
        int x = pick(g, HY_T_I64);
        int m = hy_b_const(g->fn, g->cur, HY_T_I64, 3);
        n = hy_b_bin(g->fn, g->cur, HY_OP_AND, HY_T_I64, x, m);
    }
    uint32_t hd = new_block(g), body = new_block(g), out = new_block(g);
    if (g->failed) return;
    hy_b_br(g->fn, g->cur, hd);
    int c = hy_b_icmp(g->fn, hd, HY_IC_SLT, i, n);
    hy_b_condbr(g->fn, hd, c, body, out);
    uint32_t save[P_N];
    memcpy(save, g->np, sizeof save);
    g->loop_depth++;
    g->depth++;
    g->cur = body;
    gen_region(g);
    int one = hy_b_const(g->fn, g->cur, HY_T_I64, 1);
    struct hy_ins inc;
    hy_ins_init(&inc, HY_OP_ADD);
    inc.a = i;
    inc.b = one;
    inc.dst = i;
    inc.type = HY_T_I64;
    hy_append(g->fn, g->cur, &inc);
    hy_b_br(g->fn, g->cur, hd);
    memcpy(g->np, save, sizeof save);
    g->loop_depth--;
    g->depth--;
    g->cur = out;
    pool_add(g, c);
    pool_add(g, i);
}

static void statement(struct gen *g) {
    const struct hy_gen_opts *o = g->o;
    g->budget--; /* every statement costs, even one that declines */
    for (;;) {
        uint32_t k = rn(g, 100);
        if (k < 22) { st_int_op(g); return; }
        if (k < 30) { st_cmp(g); return; }
        if (k < 35) { st_select(g); return; }
        if (k < 41) { st_conv(g); return; }
        if (k < 46 && o->use_f64) { st_fop(g); return; }
        if (k < 52 && o->use_guards) { st_div(g); return; }
        if (k < 57 && o->use_guards) { st_chk(g); return; }
        if (k < 61 && o->use_guards) { st_guard(g); return; }
        if (k < 68 && g->mem >= 0) { st_load(g); return; }
        if (k < 74 && g->mem >= 0) { st_store(g); return; }
        if (k < 79 && o->use_calls && o->helpers && o->helpers->n) { st_call(g); return; }
        if (k < 86 && g->depth < 3) { st_if(g); return; }
        if (k < 91 && o->use_loops && g->depth < 3) { st_loop(g); return; }
        if (k >= 91) { st_int_op(g); return; }
    }
}

static void gen_region(struct gen *g) {
    int n = 1 + (int)rn(g, g->o->max_ins_per_block ? g->o->max_ins_per_block : 8);
    for (int i = 0; i < n && g->budget > 0 && !g->failed && !g->fn->failed; i++) statement(g);
}

struct hy_func *hy_gen_func(const struct hy_gen_opts *o) {
    struct gen g;
    memset(&g, 0, sizeof g);
    g.o = o;
    g.rng = o->seed * 0x2545f4914f6cdd1dull + 1;
    g.max_blocks = o->max_blocks ? o->max_blocks : 24;
    g.mem = -1;
    uint8_t pt[HY_MAX_ARGS];
    int np = 0, nint = 0;
    if (o->mem_bytes >= 64) {
        pt[np++] = HY_T_PTR;
        nint++;
    }
    int ni64 = 1 + (int)rn(&g, 3), ni32 = (int)rn(&g, 3), nf = o->use_f64 ? (int)rn(&g, 5) : 0;
    for (int i = 0; i < ni64 && nint < HY_MAX_INT_ARGS; i++, nint++) pt[np++] = HY_T_I64;
    for (int i = 0; i < ni32 && nint < HY_MAX_INT_ARGS; i++, nint++) pt[np++] = HY_T_I32;
    for (int i = 0; i < nf; i++) pt[np++] = HY_T_F64;
    /* shuffle the non-pointer params so argument registers get mixed types */
    int first = o->mem_bytes >= 64;
    for (int i = np - 1; i > first; i--) {
        int j = first + (int)rn(&g, (uint32_t)(i - first + 1));
        uint8_t tt = pt[i];
        pt[i] = pt[j];
        pt[j] = tt;
    }
    static const uint8_t rets[] = {HY_T_I64, HY_T_I32, HY_T_F64};
    int ret = rets[rn(&g, o->use_f64 ? 3 : 2)];
    char name[32];
    snprintf(name, sizeof name, "gen%llu", (unsigned long long)o->seed);
    g.fn = hy_func_new(name, ret, np, pt);
    if (!g.fn) return NULL;
    if (first) g.mem = 0;
    for (int p = first; p < np; p++) pool_add(&g, p);
    g.cur = new_block(&g);
    g.budget = (int)(g.max_blocks * (o->max_ins_per_block ? o->max_ins_per_block : 8)) / 3;
    if (g.budget > 1000) g.budget = 1000;
    while (g.budget > 0 && !g.failed && !g.fn->failed) gen_region(&g);
    if (!g.failed) hy_b_ret(g.fn, g.cur, pick(&g, ret));
    for (int p = 0; p < P_N; p++) free(g.pool[p]);
    if (g.failed || g.fn->failed) {
        hy_func_free(g.fn);
        return NULL;
    }
    return g.fn;
}
