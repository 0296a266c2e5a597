/* Reference evaluator: the oracle the backends are checked against.
 *
 * It follows the semantics written down in jit/ir.h, with every undefined
 * case turned into an error instead of a guess: division by zero, use of a
 * vreg that was never assigned, a helper index or block out of range, and a
 * step limit against non-terminating programs.
 *
 * Helpers are called through a uniform function-pointer type carrying six
 * integer and four double arguments. On both supported ABIs (System V x86-64
 * and AAPCS64) integer and floating-point arguments travel in separate
 * register files, so a helper declared with fewer parameters of each class
 * receives exactly the ones it expects -- the same registers the JIT's own
 * call sequence fills.
 */
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "jit/ir.h"

typedef uint64_t (*hy_icall_fn)(uint64_t, uint64_t, uint64_t, uint64_t, uint64_t, uint64_t, double, double, double,
                                double);
typedef double (*hy_fcall_fn)(uint64_t, uint64_t, uint64_t, uint64_t, uint64_t, uint64_t, double, double, double,
                              double);

struct ectx {
    const struct hy_func *fn;
    char *err;
    size_t cap;
    uint32_t blk, idx;
};

static int eerr(struct ectx *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int eerr(struct ectx *e, const char *fmt, ...) {
    if (e->err && e->cap) {
        int n = snprintf(e->err, e->cap, "eval %s: bb%u:%u: ", e->fn->name, e->blk, e->idx);
        if (n >= 0 && (size_t)n < e->cap) {
            va_list ap;
            va_start(ap, fmt);
            vsnprintf(e->err + n, e->cap - (size_t)n, fmt, ap);
            va_end(ap);
        }
    }
    return -1;
}

static double as_f64(uint64_t b) {
    double d;
    memcpy(&d, &b, 8);
    return d;
}
static uint64_t from_f64(double d) {
    uint64_t b;
    memcpy(&b, &d, 8);
    return b;
}

static int is32(int t) { return t == HY_T_I32; }
static uint64_t norm(int t, uint64_t v) { return is32(t) ? (uint32_t)v : v; }
static int64_t sval(int t, uint64_t v) { return is32(t) ? (int64_t)(int32_t)(uint32_t)v : (int64_t)v; }

static int icond(int cc, int t, uint64_t a, uint64_t b) {
    uint64_t ua = norm(t, a), ub = norm(t, b);
    int64_t sa = sval(t, a), sb = sval(t, b);
    switch (cc) {
    case HY_IC_EQ: return ua == ub;
    case HY_IC_NE: return ua != ub;
    case HY_IC_SLT: return sa < sb;
    case HY_IC_SLE: return sa <= sb;
    case HY_IC_SGT: return sa > sb;
    case HY_IC_SGE: return sa >= sb;
    case HY_IC_ULT: return ua < ub;
    case HY_IC_ULE: return ua <= ub;
    case HY_IC_UGT: return ua > ub;
    case HY_IC_UGE: return ua >= ub;
    case HY_IC_EQZ: return ua == 0;
    case HY_IC_NEZ: return ua != 0;
    }
    return 0;
}

static int fcond(int cc, double a, double b) {
    int un = isnan(a) || isnan(b);
    switch (cc) {
    case HY_FC_OEQ: return !un && a == b;
    case HY_FC_ONE: return !un && a != b;
    case HY_FC_OLT: return !un && a < b;
    case HY_FC_OLE: return !un && a <= b;
    case HY_FC_OGT: return !un && a > b;
    case HY_FC_OGE: return !un && a >= b;
    case HY_FC_ORD: return !un;
    case HY_FC_UEQ: return un || a == b;
    case HY_FC_UNE: return un || a != b;
    case HY_FC_ULT: return un || a < b;
    case HY_FC_ULE: return un || a <= b;
    case HY_FC_UGT: return un || a > b;
    case HY_FC_UGE: return un || a >= b;
    case HY_FC_UNO: return un;
    }
    return 0;
}

static int64_t fptosi_sat(double d) {
    if (isnan(d)) return 0;
    if (d >= 9223372036854775808.0) return INT64_MAX;
    if (d <= -9223372036854775808.0) return INT64_MIN;
    return (int64_t)d;
}

/* Integer binary op in width of t; -1 on division by zero. */
static int ibin(int op, int t, uint64_t a, uint64_t b, uint64_t *r) {
    int w32 = is32(t);
    unsigned width = w32 ? 32 : 64;
    uint64_t ua = norm(t, a), ub = norm(t, b);
    int64_t sa = sval(t, a), sb = sval(t, b);
    int64_t smin = w32 ? INT32_MIN : INT64_MIN;
    switch (op) {
    case HY_OP_ADD: *r = ua + ub; break;
    case HY_OP_SUB: *r = ua - ub; break;
    case HY_OP_MUL: *r = ua * ub; break;
    case HY_OP_AND: *r = ua & ub; break;
    case HY_OP_OR: *r = ua | ub; break;
    case HY_OP_XOR: *r = ua ^ ub; break;
    case HY_OP_SHL: *r = ua << (ub & (width - 1)); break;
    case HY_OP_LSHR: *r = ua >> (ub & (width - 1)); break;
    case HY_OP_ASHR: *r = (uint64_t)(sa >> (ub & (width - 1))); break;
    case HY_OP_SDIV:
        if (ub == 0) return -1;
        *r = (sa == smin && sb == -1) ? (uint64_t)sa : (uint64_t)(sa / sb);
        break;
    case HY_OP_SREM:
        if (ub == 0) return -1;
        *r = (sb == -1) ? 0 : (uint64_t)(sa % sb);
        break;
    case HY_OP_UDIV:
        if (ub == 0) return -1;
        *r = ua / ub;
        break;
    case HY_OP_UREM:
        if (ub == 0) return -1;
        *r = ua % ub;
        break;
    default: *r = 0; break;
    }
    *r = norm(t, *r);
    return 0;
}

/* Checked op: wrapped result in *r, returns 1 on signed overflow. */
static int ichk(int op, int t, uint64_t a, uint64_t b, uint64_t *r) {
    if (is32(t)) {
        int32_t x = (int32_t)(uint32_t)a, y = (int32_t)(uint32_t)b, z;
        int o = op == HY_OP_ADDO ? __builtin_add_overflow(x, y, &z)
              : op == HY_OP_SUBO ? __builtin_sub_overflow(x, y, &z)
                                 : __builtin_mul_overflow(x, y, &z);
        *r = (uint32_t)z;
        return o;
    }
    int64_t x = (int64_t)a, y = (int64_t)b, z;
    int o = op == HY_OP_ADDO ? __builtin_add_overflow(x, y, &z)
          : op == HY_OP_SUBO ? __builtin_sub_overflow(x, y, &z)
                             : __builtin_mul_overflow(x, y, &z);
    *r = (uint64_t)z;
    return o;
}

static int in_bounds(const struct hy_eval_opts *o, uint64_t addr, uint64_t n) {
    for (uint32_t i = 0; o->mem && i < o->nmem; i++)
        if (addr >= o->mem[i].lo && addr <= o->mem[i].hi && n <= o->mem[i].hi - addr) return 1;
    return 0;
}

static int disabled(const struct hy_eval_opts *o, uint32_t id) {
    if (!o || !o->disabled) return 0;
    for (uint32_t i = 0; i < o->ndisabled; i++)
        if (o->disabled[i] == id) return 1;
    return 0;
}

int hy_eval(const struct hy_func *fn, const struct hy_helpers *helpers, const uint64_t *args, uint64_t *result,
            const struct hy_eval_opts *opts, struct hy_eval_stats *stats, char *err, size_t cap) {
    struct ectx e = {fn, err, cap, 0, 0};
    if (err && cap) err[0] = 0;
    if (result) *result = 0;
    if (stats) memset(stats, 0, sizeof *stats);
    if (fn->nblocks == 0) return eerr(&e, "no blocks");
    uint64_t max_steps = opts && opts->max_steps ? opts->max_steps : 100000000ull;
    uint32_t nv = fn->nvregs ? fn->nvregs : 1;
    uint64_t *r = calloc(nv, 8);
    uint8_t *set = calloc(nv, 1);
    if (!r || !set) {
        free(r);
        free(set);
        return eerr(&e, "out of memory");
    }
    for (uint32_t p = 0; p < fn->nparams; p++) {
        r[p] = norm(fn->vtype[p], args ? args[p] : 0);
        set[p] = 1;
    }
    int rc = -1;
    uint64_t steps = 0;
    uint32_t b = 0;
    for (;;) {
    next_block:
        if (b >= fn->nblocks) {
            eerr(&e, "branch to nonexistent block bb%u", b);
            goto out;
        }
        const struct hy_block *bl = &fn->blocks[b];
        for (uint32_t i = 0; i < bl->n; i++) {
            const struct hy_ins *in = &bl->ins[i];
            e.blk = b;
            e.idx = i;
            if (++steps > max_steps) {
                eerr(&e, "step limit (%llu) exceeded", (unsigned long long)max_steps);
                goto out;
            }
            int32_t uses[HY_MAX_ARGS + 3];
            int nu = hy_ins_uses(in, uses);
            for (int u = 0; u < nu; u++)
                if (uses[u] < 0 || (uint32_t)uses[u] >= fn->nvregs || !set[uses[u]]) {
                    eerr(&e, "%s reads %%%d which is not assigned", hy_op_name[in->op], uses[u]);
                    goto out;
                }
            uint64_t A = in->a >= 0 ? r[in->a] : 0, B = in->b >= 0 ? r[in->b] : 0, C = in->c >= 0 ? r[in->c] : 0;
            int ta = in->a >= 0 ? fn->vtype[in->a] : HY_T_VOID;
            int t = in->type;
            uint64_t v = 0;
            int def = in->dst >= 0;
            switch (in->op) {
            case HY_OP_CONST: v = norm(t, (uint64_t)in->imm); break;
            case HY_OP_MOV: v = A; break;
            case HY_OP_ADD: case HY_OP_SUB: case HY_OP_MUL: case HY_OP_AND: case HY_OP_OR: case HY_OP_XOR:
            case HY_OP_SHL: case HY_OP_LSHR: case HY_OP_ASHR: case HY_OP_SDIV: case HY_OP_SREM: case HY_OP_UDIV:
            case HY_OP_UREM:
                if (ibin(in->op, t, A, B, &v)) {
                    eerr(&e, "%s: division by zero (undefined; guard the divisor)", hy_op_name[in->op]);
                    goto out;
                }
                break;
            case HY_OP_NEG: v = norm(t, 0 - A); break;
            case HY_OP_NOT: v = norm(t, ~A); break;
            case HY_OP_FADD: v = from_f64(as_f64(A) + as_f64(B)); break;
            case HY_OP_FSUB: v = from_f64(as_f64(A) - as_f64(B)); break;
            case HY_OP_FMUL: v = from_f64(as_f64(A) * as_f64(B)); break;
            case HY_OP_FDIV: v = from_f64(as_f64(A) / as_f64(B)); break;
            case HY_OP_FNEG: v = A ^ 0x8000000000000000ull; break;
            case HY_OP_ADDO: case HY_OP_SUBO: case HY_OP_MULO: {
                int ov = ichk(in->op, t, A, B, &v);
                r[in->dst] = v;
                set[in->dst] = 1;
                if (ov && !disabled(opts, in->guard_id)) {
                    if (stats) {
                        stats->exits_taken++;
                        stats->last_exit_guard_id = in->guard_id;
                    }
                    b = in->t1;
                    goto next_block;
                }
                continue;
            }
            case HY_OP_ICMP: v = (uint64_t)icond(in->cc, ta, A, B); break;
            case HY_OP_FCMP: v = (uint64_t)fcond(in->cc, as_f64(A), as_f64(B)); break;
            case HY_OP_SELECT: v = norm(ta, A) ? B : C; break;
            case HY_OP_SEXT: v = (uint64_t)(int64_t)(int32_t)(uint32_t)A; break;
            case HY_OP_ZEXT: v = (uint32_t)A; break;
            case HY_OP_TRUNC: v = (uint32_t)A; break;
            case HY_OP_SITOFP: v = from_f64((double)sval(ta, A)); break;
            case HY_OP_FPTOSI: v = (uint64_t)fptosi_sat(as_f64(A)); break;
            case HY_OP_BITCAST: v = A; break;
            case HY_OP_LOAD: case HY_OP_STORE: {
                uint64_t addr = A + (in->b >= 0 ? B * in->scale : 0) + (uint64_t)in->imm;
                void *pa = (void *)(uintptr_t)addr;
                int m = in->cc;
                if (opts && opts->check_mem && !in_bounds(opts, addr, hy_mem_size[m])) {
                    eerr(&e, "%s of %u bytes at 0x%llx is outside every known buffer",
                         in->op == HY_OP_STORE ? "store" : "load", (unsigned)hy_mem_size[m],
                         (unsigned long long)addr);
                    goto out;
                }
                if (in->op == HY_OP_STORE) {
                    uint8_t b1 = (uint8_t)C;
                    uint16_t b2 = (uint16_t)C;
                    uint32_t b4 = (uint32_t)C;
                    switch (hy_mem_size[m]) {
                    case 1: memcpy(pa, &b1, 1); break;
                    case 2: memcpy(pa, &b2, 2); break;
                    case 4: memcpy(pa, &b4, 4); break;
                    default: memcpy(pa, &C, 8); break;
                    }
                    continue;
                }
                switch (m) {
                case HY_M_I8: { int8_t x; memcpy(&x, pa, 1); v = (uint64_t)(int64_t)x; break; }
                case HY_M_U8: { uint8_t x; memcpy(&x, pa, 1); v = x; break; }
                case HY_M_I16: { int16_t x; memcpy(&x, pa, 2); v = (uint64_t)(int64_t)x; break; }
                case HY_M_U16: { uint16_t x; memcpy(&x, pa, 2); v = x; break; }
                case HY_M_I32: { int32_t x; memcpy(&x, pa, 4); v = (uint64_t)(int64_t)x; break; }
                case HY_M_U32: { uint32_t x; memcpy(&x, pa, 4); v = x; break; }
                default: memcpy(&v, pa, 8); break;
                }
                v = norm(t, v);
                break;
            }
            case HY_OP_CALL: {
                if (!helpers || in->imm < 0 || (uint64_t)in->imm >= helpers->n || !helpers->v[in->imm].addr) {
                    eerr(&e, "call to unknown helper #%lld", (long long)in->imm);
                    goto out;
                }
                const struct hy_helper *h = &helpers->v[in->imm];
                uint64_t ia[HY_MAX_INT_ARGS] = {0};
                double fa[HY_MAX_F64_ARGS] = {0};
                int ni = 0, nf = 0;
                for (int k = 0; k < in->nargs; k++) {
                    int at = fn->vtype[in->args[k]];
                    uint64_t x = r[in->args[k]];
                    if (at == HY_T_F64) {
                        if (nf < HY_MAX_F64_ARGS) fa[nf++] = as_f64(x);
                    } else if (ni < HY_MAX_INT_ARGS) {
                        ia[ni++] = at == HY_T_I32 ? (uint64_t)(int64_t)(int32_t)(uint32_t)x : x;
                    }
                }
                if (h->ret == HY_T_F64) {
                    hy_fcall_fn f = (hy_fcall_fn)h->addr;
                    v = from_f64(f(ia[0], ia[1], ia[2], ia[3], ia[4], ia[5], fa[0], fa[1], fa[2], fa[3]));
                } else {
                    hy_icall_fn f = (hy_icall_fn)h->addr;
                    v = f(ia[0], ia[1], ia[2], ia[3], ia[4], ia[5], fa[0], fa[1], fa[2], fa[3]);
                }
                if (def) v = norm(t, v);
                break;
            }
            case HY_OP_GUARD: {
                int take = icond(in->cc, ta, A, B);
                if (take && !disabled(opts, in->guard_id)) {
                    if (stats) {
                        stats->exits_taken++;
                        stats->last_exit_guard_id = in->guard_id;
                    }
                    b = in->t1;
                    goto next_block;
                }
                continue;
            }
            case HY_OP_BR:
                b = in->t1;
                goto next_block;
            case HY_OP_CONDBR:
                b = norm(ta, A) ? in->t1 : in->t2;
                goto next_block;
            case HY_OP_RET:
                if (result) *result = in->a >= 0 ? norm(fn->ret, A) : 0;
                rc = 0;
                goto out;
            default:
                eerr(&e, "bad opcode %u", in->op);
                goto out;
            }
            if (def) {
                r[in->dst] = v;
                set[in->dst] = 1;
            }
        }
        eerr(&e, "fell off the end of block bb%u", b);
        goto out;
    }
out:
    if (stats) stats->steps = steps;
    free(r);
    free(set);
    return rc;
}
