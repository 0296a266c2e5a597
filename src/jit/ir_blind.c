/* Constant blinding (an IR pass run by the driver when asked to).
 *
 * Constants from SQL text are attacker-controlled; emitted as immediates they
 * would let an attacker place chosen bytes in executable memory (JIT spray).
 * Like eBPF's bpf_jit_harden, every constant that does not fit in a signed
 * byte is rewritten as two random-looking halves joined by xor:
 *     %d:T = const K   ==>   %t:T = const K^R ; %r:T = const R ; %d:T = xor %t, %r
 * f64 constants go through i64 and a bitcast. R is fresh per constant. */
#include <stdlib.h>
#include <string.h>

#include "jit/ir.h"

static uint64_t mix(uint64_t *s) {
    uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static int needs_blinding(const struct hy_ins *in) {
    if (in->op != HY_OP_CONST) return 0;
    if (in->type == HY_T_F64) return in->imm != 0;
    int64_t v = in->type == HY_T_I32 ? (int64_t)(int32_t)(uint32_t)in->imm : in->imm;
    return v < -128 || v > 127;
}

struct hy_func *hy_blind_constants(const struct hy_func *fn, uint64_t seed, uint32_t *nblinded) {
    struct hy_func *out = hy_func_clone(fn);
    if (!out) return NULL;
    uint32_t count = 0;
    uint64_t s = seed;
    for (uint32_t b = 0; b < out->nblocks; b++) {
        const struct hy_block *src = &fn->blocks[b];
        uint32_t extra = 0;
        for (uint32_t i = 0; i < src->n; i++) extra += needs_blinding(&src->ins[i]) ? 3 : 0;
        if (!extra) continue;
        struct hy_ins *ni = malloc((src->n + extra) * sizeof *ni);
        if (!ni) goto oom;
        uint32_t n = 0;
        for (uint32_t i = 0; i < src->n; i++) {
            const struct hy_ins *in = &src->ins[i];
            if (!needs_blinding(in)) {
                ni[n++] = *in;
                continue;
            }
            int it = in->type == HY_T_F64 ? HY_T_I64 : in->type;
            uint64_t r = mix(&s), k = (uint64_t)in->imm;
            if (it == HY_T_I32) {
                r = (uint32_t)r;
                k = (uint32_t)k;
            }
            int t = hy_vreg_new(out, it), rr = hy_vreg_new(out, it);
            int x = in->type == HY_T_F64 ? hy_vreg_new(out, HY_T_I64) : in->dst;
            if (t < 0 || rr < 0 || x < 0) {
                free(ni);
                goto oom;
            }
            hy_ins_init(&ni[n], HY_OP_CONST);
            ni[n].dst = t;
            ni[n].type = (uint8_t)it;
            ni[n].imm = it == HY_T_I32 ? (int64_t)(int32_t)(uint32_t)(k ^ r) : (int64_t)(k ^ r);
            n++;
            hy_ins_init(&ni[n], HY_OP_CONST);
            ni[n].dst = rr;
            ni[n].type = (uint8_t)it;
            ni[n].imm = it == HY_T_I32 ? (int64_t)(int32_t)(uint32_t)r : (int64_t)r;
            n++;
            hy_ins_init(&ni[n], HY_OP_XOR);
            ni[n].dst = x;
            ni[n].type = (uint8_t)it;
            ni[n].a = t;
            ni[n].b = rr;
            n++;
            if (in->type == HY_T_F64) {
                hy_ins_init(&ni[n], HY_OP_BITCAST);
                ni[n].dst = in->dst;
                ni[n].type = HY_T_F64;
                ni[n].a = x;
                n++;
            }
            count++;
        }
        free(out->blocks[b].ins);
        out->blocks[b].ins = ni;
        out->blocks[b].n = out->blocks[b].cap = n;
    }
    if (out->failed) goto oom;
    if (nblinded) *nblinded = count;
    return out;
oom:
    hy_func_free(out);
    return NULL;
}
