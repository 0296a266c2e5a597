/* IR tables, builder and verifier. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "jit/ir.h"

/* ---- name tables generated from the X-macro lists ---- */
const char *const hy_type_name[HY_T__COUNT] = {
#define X(e, s, n) s,
    HY_TYPES(X)
#undef X
};
const uint8_t hy_type_size[HY_T__COUNT] = {
#define X(e, s, n) n,
    HY_TYPES(X)
#undef X
};
const char *const hy_mem_name[HY_M__COUNT] = {
#define X(e, s, n, sg, f) s,
    HY_MEMS(X)
#undef X
};
const uint8_t hy_mem_size[HY_M__COUNT] = {
#define X(e, s, n, sg, f) n,
    HY_MEMS(X)
#undef X
};
const uint8_t hy_mem_signed[HY_M__COUNT] = {
#define X(e, s, n, sg, f) sg,
    HY_MEMS(X)
#undef X
};
const char *const hy_icond_name[HY_IC__COUNT] = {
#define X(e, s) s,
    HY_ICONDS(X)
#undef X
};
const char *const hy_fcond_name[HY_FC__COUNT] = {
#define X(e, s) s,
    HY_FCONDS(X)
#undef X
};
const char *const hy_guard_kind_name[HY_GK__COUNT] = {
#define X(e, s) s,
    HY_GUARD_KINDS(X)
#undef X
};
const char *const hy_op_name[HY_OP__COUNT] = {
#define X(e, s, c) s,
    HY_OPS(X)
#undef X
};
const uint8_t hy_op_class[HY_OP__COUNT] = {
#define X(e, s, c) HY_OC_##c,
    HY_OPS(X)
#undef X
};

/* ---- builder ---- */
static void fn_fail(struct hy_func *fn, const char *msg) {
    if (!fn->failed) {
        fn->failed = 1;
        snprintf(fn->err, sizeof fn->err, "%s", msg);
    }
}

struct hy_func *hy_func_new(const char *name, int ret_type, int nparams, const uint8_t *param_types) {
    struct hy_func *fn = calloc(1, sizeof *fn);
    if (!fn) return NULL;
    snprintf(fn->name, sizeof fn->name, "%s", name ? name : "f");
    fn->ret = (uint8_t)ret_type;
    if (nparams < 0 || nparams > HY_MAX_ARGS) {
        fn_fail(fn, "too many parameters");
        nparams = 0;
    }
    fn->nparams = (uint8_t)nparams;
    for (int i = 0; i < nparams; i++) hy_vreg_new(fn, param_types[i]);
    return fn;
}

void hy_func_free(struct hy_func *fn) {
    if (!fn) return;
    for (uint32_t b = 0; b < fn->nblocks; b++) free(fn->blocks[b].ins);
    free(fn->blocks);
    free(fn->vtype);
    free(fn);
}

int hy_func_ok(const struct hy_func *fn) { return fn && !fn->failed; }

int hy_vreg_new(struct hy_func *fn, int type) {
    if (fn->failed) return HY_NONE;
    if (fn->nvregs == fn->vcap) {
        uint32_t nc = fn->vcap ? fn->vcap * 2 : 16;
        if (nc > (1u << 30)) {
            fn_fail(fn, "too many vregs");
            return HY_NONE;
        }
        uint8_t *nv = realloc(fn->vtype, nc);
        if (!nv) {
            fn_fail(fn, "out of memory");
            return HY_NONE;
        }
        fn->vtype = nv;
        fn->vcap = nc;
    }
    fn->vtype[fn->nvregs] = (uint8_t)type;
    return (int)fn->nvregs++;
}

int hy_block_new(struct hy_func *fn) {
    if (fn->failed) return HY_NONE;
    if (fn->nblocks == fn->bcap) {
        uint32_t nc = fn->bcap ? fn->bcap * 2 : 8;
        struct hy_block *nb = realloc(fn->blocks, nc * sizeof *nb);
        if (!nb) {
            fn_fail(fn, "out of memory");
            return HY_NONE;
        }
        fn->blocks = nb;
        fn->bcap = nc;
    }
    memset(&fn->blocks[fn->nblocks], 0, sizeof fn->blocks[0]);
    return (int)fn->nblocks++;
}

void hy_ins_init(struct hy_ins *ins, int op) {
    memset(ins, 0, sizeof *ins);
    ins->op = (uint8_t)op;
    ins->dst = ins->a = ins->b = ins->c = HY_NONE;
    for (int i = 0; i < HY_MAX_ARGS; i++) ins->args[i] = HY_NONE;
}

struct hy_ins *hy_append(struct hy_func *fn, uint32_t blk, const struct hy_ins *ins) {
    if (fn->failed) return NULL;
    if (blk >= fn->nblocks) {
        fn_fail(fn, "append to a nonexistent block");
        return NULL;
    }
    struct hy_block *b = &fn->blocks[blk];
    if (b->n == b->cap) {
        uint32_t nc = b->cap ? b->cap * 2 : 8;
        struct hy_ins *ni = realloc(b->ins, nc * sizeof *ni);
        if (!ni) {
            fn_fail(fn, "out of memory");
            return NULL;
        }
        b->ins = ni;
        b->cap = nc;
    }
    b->ins[b->n] = *ins;
    return &b->ins[b->n++];
}

size_t hy_func_ins_count(const struct hy_func *fn) {
    size_t n = 0;
    for (uint32_t b = 0; b < fn->nblocks; b++) n += fn->blocks[b].n;
    return n;
}

struct hy_func *hy_func_clone(const struct hy_func *fn) {
    struct hy_func *c = calloc(1, sizeof *c);
    if (!c) return NULL;
    *c = *fn;
    c->vtype = NULL;
    c->blocks = NULL;
    c->vcap = fn->nvregs ? fn->nvregs : 1;
    c->bcap = fn->nblocks ? fn->nblocks : 1;
    c->vtype = malloc(c->vcap);
    c->blocks = calloc(c->bcap, sizeof *c->blocks);
    if (!c->vtype || !c->blocks) goto oom;
    if (fn->nvregs) memcpy(c->vtype, fn->vtype, fn->nvregs);
    for (uint32_t b = 0; b < fn->nblocks; b++) {
        const struct hy_block *s = &fn->blocks[b];
        struct hy_block *d = &c->blocks[b];
        d->n = d->cap = s->n;
        if (s->n) {
            d->ins = malloc(s->n * sizeof *d->ins);
            if (!d->ins) goto oom;
            memcpy(d->ins, s->ins, s->n * sizeof *d->ins);
        }
    }
    return c;
oom:
    c->nblocks = 0;
    for (uint32_t b = 0; b < fn->nblocks && c->blocks; b++) free(c->blocks[b].ins);
    free(c->blocks);
    free(c->vtype);
    free(c);
    return NULL;
}

/* Compare only the fields an opcode class gives meaning to. */
static int ins_equal(const struct hy_ins *x, const struct hy_ins *y) {
    if (x->op != y->op || x->type != y->type || x->dst != y->dst) return 0;
    switch (hy_op_class[x->op]) {
    case HY_OC_CONST:
        return x->imm == y->imm;
    case HY_OC_UN:
        return x->a == y->a;
    case HY_OC_BIN:
        return x->a == y->a && x->b == y->b;
    case HY_OC_CHK:
        return x->a == y->a && x->b == y->b && x->t1 == y->t1 && x->kind == y->kind &&
               x->guard_id == y->guard_id && x->counter == y->counter;
    case HY_OC_CMP:
        return x->a == y->a && x->b == y->b && x->cc == y->cc;
    case HY_OC_SEL:
        return x->a == y->a && x->b == y->b && x->c == y->c;
    case HY_OC_LOAD:
        return x->a == y->a && x->b == y->b && x->cc == y->cc && x->imm == y->imm &&
               (x->b == HY_NONE || x->scale == y->scale);
    case HY_OC_STORE:
        return x->a == y->a && x->b == y->b && x->c == y->c && x->cc == y->cc && x->imm == y->imm &&
               (x->b == HY_NONE || x->scale == y->scale);
    case HY_OC_CALL:
        if (x->imm != y->imm || x->nargs != y->nargs) return 0;
        for (int i = 0; i < x->nargs; i++)
            if (x->args[i] != y->args[i]) return 0;
        return 1;
    case HY_OC_GUARD:
        return x->a == y->a && x->b == y->b && x->cc == y->cc && x->kind == y->kind && x->t1 == y->t1 &&
               x->guard_id == y->guard_id && x->counter == y->counter;
    case HY_OC_BR:
        return x->t1 == y->t1;
    case HY_OC_CONDBR:
        return x->a == y->a && x->t1 == y->t1 && x->t2 == y->t2;
    case HY_OC_RET:
        return x->a == y->a;
    }
    return 0;
}

int hy_func_equal(const struct hy_func *x, const struct hy_func *y, char *why, size_t cap) {
#define DIFF(...)                                       \
    do {                                                \
        if (why && cap) snprintf(why, cap, __VA_ARGS__); \
        return 1;                                       \
    } while (0)
    if (strcmp(x->name, y->name)) DIFF("name %s vs %s", x->name, y->name);
    if (x->ret != y->ret) DIFF("return type differs");
    if (x->nparams != y->nparams) DIFF("param count %u vs %u", x->nparams, y->nparams);
    if (x->nvregs != y->nvregs) DIFF("vreg count %u vs %u", x->nvregs, y->nvregs);
    if (x->nvregs && memcmp(x->vtype, y->vtype, x->nvregs)) DIFF("vreg types differ");
    if (x->nblocks != y->nblocks) DIFF("block count %u vs %u", x->nblocks, y->nblocks);
    for (uint32_t b = 0; b < x->nblocks; b++) {
        if (x->blocks[b].n != y->blocks[b].n) DIFF("bb%u: %u vs %u instructions", b, x->blocks[b].n, y->blocks[b].n);
        for (uint32_t i = 0; i < x->blocks[b].n; i++)
            if (!ins_equal(&x->blocks[b].ins[i], &y->blocks[b].ins[i]))
                DIFF("bb%u:%u: instruction %s differs", b, i, hy_op_name[x->blocks[b].ins[i].op]);
    }
    return 0;
#undef DIFF
}

/* ---- convenience emitters ---- */
static int emit_def(struct hy_func *fn, uint32_t blk, struct hy_ins *ins, int type) {
    int d = hy_vreg_new(fn, type);
    if (d == HY_NONE) return HY_NONE;
    ins->dst = d;
    ins->type = (uint8_t)type;
    return hy_append(fn, blk, ins) ? d : HY_NONE;
}

int hy_b_const(struct hy_func *fn, uint32_t blk, int type, int64_t bits) {
    struct hy_ins i;
    hy_ins_init(&i, HY_OP_CONST);
    i.imm = bits;
    return emit_def(fn, blk, &i, type);
}

int hy_b_const_f64(struct hy_func *fn, uint32_t blk, double v) {
    int64_t bits;
    memcpy(&bits, &v, 8);
    return hy_b_const(fn, blk, HY_T_F64, bits);
}

int hy_b_un(struct hy_func *fn, uint32_t blk, int op, int type, int a) {
    struct hy_ins i;
    hy_ins_init(&i, op);
    i.a = a;
    return emit_def(fn, blk, &i, type);
}

int hy_b_bin(struct hy_func *fn, uint32_t blk, int op, int type, int a, int b) {
    struct hy_ins i;
    hy_ins_init(&i, op);
    i.a = a;
    i.b = b;
    return emit_def(fn, blk, &i, type);
}

int hy_b_chk(struct hy_func *fn, uint32_t blk, int op, int type, int a, int b, uint32_t exit_blk,
             uint32_t guard_id, uint32_t counter) {
    struct hy_ins i;
    hy_ins_init(&i, op);
    i.a = a;
    i.b = b;
    i.t1 = exit_blk;
    i.kind = HY_GK_OVERFLOW;
    i.guard_id = guard_id;
    i.counter = counter;
    return emit_def(fn, blk, &i, type);
}

int hy_b_icmp(struct hy_func *fn, uint32_t blk, int cc, int a, int b) {
    struct hy_ins i;
    hy_ins_init(&i, HY_OP_ICMP);
    i.a = a;
    i.b = b;
    i.cc = (uint8_t)cc;
    return emit_def(fn, blk, &i, HY_T_I32);
}

int hy_b_fcmp(struct hy_func *fn, uint32_t blk, int cc, int a, int b) {
    struct hy_ins i;
    hy_ins_init(&i, HY_OP_FCMP);
    i.a = a;
    i.b = b;
    i.cc = (uint8_t)cc;
    return emit_def(fn, blk, &i, HY_T_I32);
}

int hy_b_select(struct hy_func *fn, uint32_t blk, int type, int cond, int a, int b) {
    struct hy_ins i;
    hy_ins_init(&i, HY_OP_SELECT);
    i.a = cond;
    i.b = a;
    i.c = b;
    return emit_def(fn, blk, &i, type);
}

/* Address operands shared by loads and stores: base + index*scale + disp. */
static void set_addr(struct hy_ins *i, int mem, int base, int index, int scale, int32_t disp) {
    i->cc = (uint8_t)mem;
    i->a = base;
    i->b = index;
    i->scale = (uint8_t)(index == HY_NONE ? 1 : scale);
    i->imm = disp;
}

int hy_b_load(struct hy_func *fn, uint32_t blk, int type, int mem, int base, int index, int scale, int32_t disp) {
    struct hy_ins i;
    hy_ins_init(&i, HY_OP_LOAD);
    set_addr(&i, mem, base, index, scale, disp);
    return emit_def(fn, blk, &i, type);
}

void hy_b_store(struct hy_func *fn, uint32_t blk, int mem, int base, int index, int scale, int32_t disp, int val) {
    struct hy_ins i;
    hy_ins_init(&i, HY_OP_STORE);
    set_addr(&i, mem, base, index, scale, disp);
    i.c = val;
    i.type = (uint8_t)(val >= 0 && (uint32_t)val < fn->nvregs ? fn->vtype[val] : HY_T_VOID);
    hy_append(fn, blk, &i);
}

int hy_b_call(struct hy_func *fn, uint32_t blk, int ret_type, uint32_t helper, int nargs, const int *args) {
    struct hy_ins i;
    hy_ins_init(&i, HY_OP_CALL);
    i.imm = helper;
    if (nargs < 0 || nargs > HY_MAX_ARGS) {
        fn_fail(fn, "too many call arguments");
        return HY_NONE;
    }
    i.nargs = (uint8_t)nargs;
    for (int k = 0; k < nargs; k++) i.args[k] = args[k];
    if (ret_type == HY_T_VOID) {
        hy_append(fn, blk, &i);
        return HY_NONE;
    }
    return emit_def(fn, blk, &i, ret_type);
}

void hy_b_guard(struct hy_func *fn, uint32_t blk, int kind, int cc, int a, int b, uint32_t exit_blk,
                uint32_t guard_id, uint32_t counter) {
    struct hy_ins i;
    hy_ins_init(&i, HY_OP_GUARD);
    i.kind = (uint8_t)kind;
    i.cc = (uint8_t)cc;
    i.a = a;
    i.b = (cc == HY_IC_EQZ || cc == HY_IC_NEZ) ? HY_NONE : b;
    i.t1 = exit_blk;
    i.guard_id = guard_id;
    i.counter = counter;
    hy_append(fn, blk, &i);
}

void hy_b_br(struct hy_func *fn, uint32_t blk, uint32_t target) {
    struct hy_ins i;
    hy_ins_init(&i, HY_OP_BR);
    i.t1 = target;
    hy_append(fn, blk, &i);
}

void hy_b_condbr(struct hy_func *fn, uint32_t blk, int cond, uint32_t t_true, uint32_t t_false) {
    struct hy_ins i;
    hy_ins_init(&i, HY_OP_CONDBR);
    i.a = cond;
    i.t1 = t_true;
    i.t2 = t_false;
    hy_append(fn, blk, &i);
}

void hy_b_ret(struct hy_func *fn, uint32_t blk, int val) {
    struct hy_ins i;
    hy_ins_init(&i, HY_OP_RET);
    i.a = val;
    hy_append(fn, blk, &i);
}

void hy_b_mov_to(struct hy_func *fn, uint32_t blk, int dst, int a) {
    struct hy_ins i;
    hy_ins_init(&i, HY_OP_MOV);
    i.a = a;
    i.dst = dst;
    i.type = (uint8_t)(dst >= 0 && (uint32_t)dst < fn->nvregs ? fn->vtype[dst] : HY_T_VOID);
    hy_append(fn, blk, &i);
}

/* ---- verifier ---- */
struct vctx {
    const struct hy_func *fn;
    char *err;
    size_t cap;
    int failed;
};

static void verr(struct vctx *v, uint32_t b, int i, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static void verr(struct vctx *v, uint32_t b, int i, const char *fmt, ...) {
    if (v->failed) return;
    v->failed = 1;
    if (!v->err || !v->cap) return;
    int n = i >= 0 ? snprintf(v->err, v->cap, "%s: bb%u:%d: ", v->fn->name, b, i)
                   : snprintf(v->err, v->cap, "%s: bb%u: ", v->fn->name, b);
    if (n < 0 || (size_t)n >= v->cap) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(v->err + n, v->cap - (size_t)n, fmt, ap);
    va_end(ap);
}

/* Type of vreg r, or -1 if r is not a valid vreg. */
static int vty(const struct hy_func *fn, int32_t r) {
    if (r < 0 || (uint32_t)r >= fn->nvregs) return -1;
    return fn->vtype[r];
}

static int is_w64int(int t) { return t == HY_T_I64 || t == HY_T_PTR; }

static void check_ins(struct vctx *v, uint32_t bi, int ii, const struct hy_ins *in, const struct hy_helpers *h) {
    const struct hy_func *fn = v->fn;
    if (in->op >= HY_OP__COUNT) {
        verr(v, bi, ii, "bad opcode %u", in->op);
        return;
    }
    int cls = hy_op_class[in->op];
    const char *nm = hy_op_name[in->op];
    int has_dst = !(cls == HY_OC_STORE || cls == HY_OC_GUARD || cls == HY_OC_BR || cls == HY_OC_CONDBR ||
                    cls == HY_OC_RET || (cls == HY_OC_CALL && in->dst == HY_NONE));
    int td = -1, ta = vty(fn, in->a), tb = vty(fn, in->b), tc = vty(fn, in->c);
    if (has_dst) {
        td = vty(fn, in->dst);
        if (td < 0) {
            verr(v, bi, ii, "%s: bad destination vreg %d", nm, in->dst);
            return;
        }
        if (td != in->type) {
            verr(v, bi, ii, "%s: instruction type %s but %%%d is %s", nm,
                 in->type < HY_T__COUNT ? hy_type_name[in->type] : "?", in->dst, hy_type_name[td]);
            return;
        }
        if (td == HY_T_VOID) {
            verr(v, bi, ii, "%s: destination has type void", nm);
            return;
        }
    } else if (in->dst != HY_NONE) {
        verr(v, bi, ii, "%s takes no destination", nm);
        return;
    }
    /* operand presence */
    int need_a = 0, need_b = 0, need_c = 0;
    switch (cls) {
    case HY_OC_UN: need_a = 1; break;
    case HY_OC_BIN: case HY_OC_CHK: case HY_OC_CMP: need_a = need_b = 1; break;
    case HY_OC_SEL: need_a = need_b = need_c = 1; break;
    case HY_OC_LOAD: need_a = 1; break;
    case HY_OC_STORE: need_a = need_c = 1; break;
    case HY_OC_GUARD: need_a = 1; need_b = !(in->cc == HY_IC_EQZ || in->cc == HY_IC_NEZ); break;
    case HY_OC_CONDBR: need_a = 1; break;
    default: break;
    }
    if (need_a && ta < 0) { verr(v, bi, ii, "%s: bad operand vreg %d", nm, in->a); return; }
    if (need_b && tb < 0) { verr(v, bi, ii, "%s: bad second operand vreg %d", nm, in->b); return; }
    if (need_c && tc < 0) { verr(v, bi, ii, "%s: bad third operand vreg %d", nm, in->c); return; }
    if (!need_a && in->a != HY_NONE && cls != HY_OC_RET && cls != HY_OC_CALL) { verr(v, bi, ii, "%s: unexpected operand", nm); return; }
    if (!need_b && in->b != HY_NONE && cls != HY_OC_LOAD && cls != HY_OC_STORE && cls != HY_OC_CALL) { verr(v, bi, ii, "%s: unexpected second operand", nm); return; }
    if (!need_c && in->c != HY_NONE && cls != HY_OC_CALL) { verr(v, bi, ii, "%s: unexpected third operand", nm); return; }
    uint32_t succ[2];
    int ns = hy_ins_succs(in, succ);
    for (int s = 0; s < ns; s++)
        if (succ[s] >= fn->nblocks) { verr(v, bi, ii, "%s: target bb%u does not exist", nm, succ[s]); return; }

    switch (in->op) {
    case HY_OP_CONST:
        if (td == HY_T_I32 && (in->imm < INT32_MIN || in->imm > UINT32_MAX))
            verr(v, bi, ii, "const: value %lld does not fit i32", (long long)in->imm);
        break;
    case HY_OP_MOV:
        if (!hy_type_compat(td, ta)) verr(v, bi, ii, "mov: %s from %s", hy_type_name[td], hy_type_name[ta]);
        break;
    case HY_OP_ADD: case HY_OP_SUB: case HY_OP_MUL: case HY_OP_SDIV: case HY_OP_SREM: case HY_OP_UDIV:
    case HY_OP_UREM: case HY_OP_AND: case HY_OP_OR: case HY_OP_XOR: case HY_OP_SHL: case HY_OP_LSHR:
    case HY_OP_ASHR:
        if (!hy_type_is_int(td) || !hy_type_compat(td, ta) || !hy_type_compat(td, tb))
            verr(v, bi, ii, "%s: integer operands of the result type (%s) expected, got %s, %s", nm,
                 hy_type_name[td], hy_type_name[ta], hy_type_name[tb]);
        break;
    case HY_OP_NEG: case HY_OP_NOT:
        if (!hy_type_is_int(td) || !hy_type_compat(td, ta)) verr(v, bi, ii, "%s: integer operand of type %s expected", nm, hy_type_name[td]);
        break;
    case HY_OP_FADD: case HY_OP_FSUB: case HY_OP_FMUL: case HY_OP_FDIV:
        if (td != HY_T_F64 || ta != HY_T_F64 || tb != HY_T_F64) verr(v, bi, ii, "%s: f64 operands expected", nm);
        break;
    case HY_OP_FNEG:
        if (td != HY_T_F64 || ta != HY_T_F64) verr(v, bi, ii, "fneg: f64 operand expected");
        break;
    case HY_OP_ADDO: case HY_OP_SUBO: case HY_OP_MULO:
        if ((td != HY_T_I32 && td != HY_T_I64) || !hy_type_compat(td, ta) || !hy_type_compat(td, tb))
            verr(v, bi, ii, "%s: i32 or i64 operands of the result type expected", nm);
        else if (in->kind >= HY_GK__COUNT)
            verr(v, bi, ii, "%s: bad guard kind", nm);
        break;
    case HY_OP_ICMP:
        if (td != HY_T_I32) verr(v, bi, ii, "icmp: result must be i32");
        else if (in->cc >= HY_IC_EQZ) verr(v, bi, ii, "icmp: bad condition %u", in->cc);
        else if (!hy_type_is_int(ta) || !hy_type_compat(ta, tb)) verr(v, bi, ii, "icmp: integer operands of one width expected, got %s, %s", hy_type_name[ta], hy_type_name[tb]);
        break;
    case HY_OP_FCMP:
        if (td != HY_T_I32) verr(v, bi, ii, "fcmp: result must be i32");
        else if (in->cc >= HY_FC__COUNT) verr(v, bi, ii, "fcmp: bad condition %u", in->cc);
        else if (ta != HY_T_F64 || tb != HY_T_F64) verr(v, bi, ii, "fcmp: f64 operands expected");
        break;
    case HY_OP_SELECT:
        if (!hy_type_is_int(ta)) verr(v, bi, ii, "select: condition must be an integer");
        else if (!hy_type_compat(td, tb) || !hy_type_compat(td, tc)) verr(v, bi, ii, "select: values must have the result type %s", hy_type_name[td]);
        break;
    case HY_OP_SEXT: case HY_OP_ZEXT:
        if (td != HY_T_I64 || ta != HY_T_I32) verr(v, bi, ii, "%s: i32 -> i64 expected", nm);
        break;
    case HY_OP_TRUNC:
        if (td != HY_T_I32 || !is_w64int(ta)) verr(v, bi, ii, "trunc: i64 -> i32 expected");
        break;
    case HY_OP_SITOFP:
        if (td != HY_T_F64 || !hy_type_is_int(ta)) verr(v, bi, ii, "sitofp: i32/i64 -> f64 expected");
        break;
    case HY_OP_FPTOSI:
        if (td != HY_T_I64 || ta != HY_T_F64) verr(v, bi, ii, "fptosi: f64 -> i64 expected");
        break;
    case HY_OP_BITCAST:
        if (!((td == HY_T_F64 && is_w64int(ta)) || (is_w64int(td) && ta == HY_T_F64)))
            verr(v, bi, ii, "bitcast: i64 <-> f64 expected");
        break;
    case HY_OP_LOAD:
    case HY_OP_STORE: {
        if (in->cc >= HY_M__COUNT) { verr(v, bi, ii, "%s: bad memory kind", nm); break; }
        if (!is_w64int(ta)) { verr(v, bi, ii, "%s: base must be ptr or i64", nm); break; }
        if (in->b != HY_NONE) {
            if (!is_w64int(tb)) { verr(v, bi, ii, "%s: index must be i64 or ptr", nm); break; }
            if (in->scale != 1 && in->scale != 2 && in->scale != 4 && in->scale != 8) {
                verr(v, bi, ii, "%s: scale %u is not 1, 2, 4 or 8", nm, in->scale);
                break;
            }
        }
        if (in->imm < INT32_MIN || in->imm > INT32_MAX) { verr(v, bi, ii, "%s: displacement out of int32 range", nm); break; }
        int m = in->cc;
        int vt = in->op == HY_OP_LOAD ? td : tc;
        if (in->op == HY_OP_STORE && in->type != tc) { verr(v, bi, ii, "store: type field does not match value"); break; }
        int ok;
        if (m == HY_M_F64) ok = vt == HY_T_F64;
        else if (m == HY_M_I64 || m == HY_M_PTR) ok = is_w64int(vt);
        else if (in->op == HY_OP_STORE) ok = hy_type_is_int(vt);
        else ok = vt == HY_T_I32 || vt == HY_T_I64;
        if (!ok) verr(v, bi, ii, "%s.%s: value type %s not allowed", nm, hy_mem_name[m], hy_type_name[vt]);
        break;
    }
    case HY_OP_CALL: {
        if (!h || in->imm < 0 || (uint64_t)in->imm >= h->n) { verr(v, bi, ii, "call: unknown helper #%lld", (long long)in->imm); break; }
        const struct hy_helper *hp = &h->v[in->imm];
        if (in->nargs != hp->nargs) { verr(v, bi, ii, "call @%s: %u arguments, helper takes %u", hp->name, in->nargs, hp->nargs); break; }
        int ni = 0, nf = 0;
        for (int k = 0; k < in->nargs; k++) {
            int t = vty(fn, in->args[k]);
            if (t < 0) { verr(v, bi, ii, "call @%s: bad argument vreg %d", hp->name, in->args[k]); return; }
            if (!hy_type_compat(t, hp->arg[k])) { verr(v, bi, ii, "call @%s: argument %d is %s, helper wants %s", hp->name, k + 1, hy_type_name[t], hy_type_name[hp->arg[k]]); return; }
            if (t == HY_T_F64) nf++; else ni++;
        }
        if (ni > HY_MAX_INT_ARGS || nf > HY_MAX_F64_ARGS) { verr(v, bi, ii, "call @%s: more than %d int or %d f64 arguments", hp->name, HY_MAX_INT_ARGS, HY_MAX_F64_ARGS); break; }
        if (in->dst == HY_NONE) {
            if (hp->ret != HY_T_VOID) verr(v, bi, ii, "call @%s: result of type %s must be assigned", hp->name, hy_type_name[hp->ret]);
        } else if (!hy_type_compat(td, hp->ret)) {
            verr(v, bi, ii, "call @%s returns %s, not %s", hp->name, hy_type_name[hp->ret], hy_type_name[td]);
        }
        break;
    }
    case HY_OP_GUARD:
        if (in->kind >= HY_GK__COUNT) { verr(v, bi, ii, "guard: bad kind"); break; }
        if (in->cc >= HY_IC__COUNT) { verr(v, bi, ii, "guard: bad condition"); break; }
        if (!hy_type_is_int(ta)) { verr(v, bi, ii, "guard: integer operand expected"); break; }
        if (need_b && !hy_type_compat(ta, tb)) verr(v, bi, ii, "guard: operands of one integer width expected");
        break;
    case HY_OP_CONDBR:
        if (!hy_type_is_int(ta)) verr(v, bi, ii, "condbr: integer condition expected");
        break;
    case HY_OP_RET:
        if (fn->ret == HY_T_VOID) {
            if (in->a != HY_NONE) verr(v, bi, ii, "ret: function returns void");
        } else if (ta < 0) {
            verr(v, bi, ii, "ret: function returns %s, value missing", hy_type_name[fn->ret]);
        } else if (!hy_type_compat(ta, fn->ret)) {
            verr(v, bi, ii, "ret: value is %s, function returns %s", hy_type_name[ta], hy_type_name[fn->ret]);
        }
        break;
    default:
        break;
    }
}

/* Definite assignment: forward "must be assigned" dataflow (intersection over
 * predecessors, iterate to a fixed point). Guard/CHK exits see the state just
 * before the instruction plus, for CHK, its dst (assigned the wrapped value). */
static void check_assigned(struct vctx *v) {
    const struct hy_func *fn = v->fn;
    uint32_t nw = (fn->nvregs + 63) / 64, nb = fn->nblocks;
    if (!nw) nw = 1;
    uint64_t *in = malloc((size_t)nb * nw * 8), *cur = malloc((size_t)nw * 8);
    uint8_t *reached = calloc(nb, 1);
    if (!in || !cur || !reached) {
        verr(v, 0, -1, "out of memory in verifier");
        goto out;
    }
    memset(in, 0xff, (size_t)nb * nw * 8); /* top = all assigned */
    memset(in, 0, (size_t)nw * 8);
    for (uint32_t p = 0; p < fn->nparams; p++) in[p >> 6] |= 1ull << (p & 63);
    reached[0] = 1;
    uint32_t *stack = malloc((size_t)(nb + 1) * sizeof *stack), sp = 0;
    uint8_t *queued = calloc(nb + 1, 1);
    if (!stack || !queued) {
        free(stack);
        free(queued);
        verr(v, 0, -1, "out of memory in verifier");
        goto out;
    }
    stack[sp++] = 0;
    queued[0] = 1;
    while (sp) {
        uint32_t b = stack[--sp];
        queued[b] = 0;
        memcpy(cur, in + (size_t)b * nw, (size_t)nw * 8);
        const struct hy_block *bl = &fn->blocks[b];
        for (uint32_t i = 0; i < bl->n; i++) {
            const struct hy_ins *ins = &bl->ins[i];
            uint32_t succ[2];
            int ns = hy_ins_succs(ins, succ);
            if (hy_op_class[ins->op] == HY_OC_CHK && ins->dst >= 0) cur[ins->dst >> 6] |= 1ull << (ins->dst & 63);
            for (int s = 0; s < ns; s++) {
                uint64_t *t = in + (size_t)succ[s] * nw;
                int changed = 0;
                if (!reached[succ[s]]) {
                    reached[succ[s]] = 1;
                    memcpy(t, cur, (size_t)nw * 8);
                    changed = 1;
                } else {
                    for (uint32_t w = 0; w < nw; w++) {
                        uint64_t nv = t[w] & cur[w];
                        if (nv != t[w]) {
                            t[w] = nv;
                            changed = 1;
                        }
                    }
                }
                if (changed && !queued[succ[s]]) {
                    queued[succ[s]] = 1;
                    stack[sp++] = succ[s];
                }
            }
            if (ins->dst >= 0) cur[ins->dst >> 6] |= 1ull << (ins->dst & 63);
        }
    }
    free(stack);
    free(queued);
    /* final check of uses with the fixed-point state */
    for (uint32_t b = 0; b < nb && !v->failed; b++) {
        if (!reached[b]) continue;
        memcpy(cur, in + (size_t)b * nw, (size_t)nw * 8);
        const struct hy_block *bl = &fn->blocks[b];
        for (uint32_t i = 0; i < bl->n && !v->failed; i++) {
            const struct hy_ins *ins = &bl->ins[i];
            int32_t uses[HY_MAX_ARGS + 3];
            int nu = hy_ins_uses(ins, uses);
            for (int u = 0; u < nu; u++)
                if (!((cur[uses[u] >> 6] >> (uses[u] & 63)) & 1)) {
                    verr(v, b, (int)i, "%s: %%%d may be used before it is assigned", hy_op_name[ins->op], uses[u]);
                    break;
                }
            if (ins->dst >= 0) cur[ins->dst >> 6] |= 1ull << (ins->dst & 63);
        }
    }
out:
    free(in);
    free(cur);
    free(reached);
}

int hy_verify(const struct hy_func *fn, const struct hy_helpers *helpers, char *err, size_t cap) {
    struct vctx v = {fn, err, cap, 0};
    if (err && cap) err[0] = 0;
    if (fn->failed) {
        verr(&v, 0, -1, "builder failed: %s", fn->err);
        return -1;
    }
    if (fn->ret >= HY_T__COUNT) verr(&v, 0, -1, "bad return type");
    if (fn->nblocks == 0) verr(&v, 0, -1, "function has no blocks");
    if (fn->nparams > fn->nvregs) verr(&v, 0, -1, "params exceed vregs");
    if ((uint64_t)fn->nblocks * (((uint64_t)fn->nvregs + 63) / 64 * 64) > HY_MAX_LIVENESS_BITS)
        verr(&v, 0, -1, "function too large for the JIT: %u blocks x %u vregs (limit %llu block-vreg pairs)", fn->nblocks,
             fn->nvregs, (unsigned long long)HY_MAX_LIVENESS_BITS);
    int ni = 0, nf = 0;
    for (uint32_t p = 0; p < fn->nparams && !v.failed; p++) {
        int t = fn->vtype[p];
        if (t == HY_T_F64) nf++;
        else if (hy_type_is_int(t)) ni++;
        else verr(&v, 0, -1, "parameter %u has type %s", p, t < HY_T__COUNT ? hy_type_name[t] : "?");
    }
    if (ni > HY_MAX_INT_ARGS || nf > HY_MAX_F64_ARGS)
        verr(&v, 0, -1, "more than %d int or %d f64 parameters", HY_MAX_INT_ARGS, HY_MAX_F64_ARGS);
    for (uint32_t r = 0; r < fn->nvregs && !v.failed; r++)
        if (fn->vtype[r] == HY_T_VOID || fn->vtype[r] >= HY_T__COUNT) verr(&v, 0, -1, "vreg %%%u has no valid type", r);
    for (uint32_t b = 0; b < fn->nblocks && !v.failed; b++)
        for (uint32_t i = 0; i < fn->blocks[b].n; i++)
            if (fn->blocks[b].ins[i].op >= HY_OP__COUNT) {
                verr(&v, b, (int)i, "bad opcode %u", fn->blocks[b].ins[i].op);
                break;
            }
    for (uint32_t b = 0; b < fn->nblocks && !v.failed; b++) {
        const struct hy_block *bl = &fn->blocks[b];
        if (bl->n == 0 || !hy_ins_is_term(&bl->ins[bl->n - 1])) {
            verr(&v, b, -1, "block does not end with a terminator (br, condbr, ret)");
            break;
        }
        for (uint32_t i = 0; i < bl->n && !v.failed; i++) {
            if (i + 1 < bl->n && hy_ins_is_term(&bl->ins[i])) {
                verr(&v, b, (int)i, "terminator %s in the middle of a block", hy_op_name[bl->ins[i].op]);
                break;
            }
            check_ins(&v, b, (int)i, &bl->ins[i], helpers);
        }
    }
    if (!v.failed) check_assigned(&v);
    return v.failed ? -1 : 0;
}
