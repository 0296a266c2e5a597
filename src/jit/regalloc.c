/* Linear-scan register allocation over CFG liveness (see jit/regalloc.h).
 *
 *   positions ─▶ liveness (backward scans to a fixed point) ─▶ one hull
 *   interval per vreg ─▶ linear scan (callee-saved only across calls; spill
 *   the interval that ends last) ─▶ spill slots shared between disjoint
 *   intervals ─▶ used callee-saved masks
 */
#include <stdlib.h>
#include <string.h>

#include "jit/regalloc.h"

/* ======================================================================
 * Liveness
 * ====================================================================== */

static inline void bset(uint64_t *s, int32_t v) { s[(uint32_t)v >> 6] |= 1ull << ((uint32_t)v & 63); }
static inline void bclr(uint64_t *s, int32_t v) { s[(uint32_t)v >> 6] &= ~(1ull << ((uint32_t)v & 63)); }

/* live-before of block b given the current live_in of its successors.
 * Guard and CHK exits join the exit block's live-in at their position; a CHK
 * has assigned its dst on the exit path too. */
static void scan_block(const struct hy_func *fn, const struct hy_liveness *lv, uint32_t b, uint64_t *live) {
    uint32_t nw = lv->nwords;
    const struct hy_block *bl = &fn->blocks[b];
    memset(live, 0, (size_t)nw * 8);
    for (uint32_t i = bl->n; i-- > 0;) {
        const struct hy_ins *in = &bl->ins[i];
        int cls = hy_op_class[in->op];
        uint32_t succ[2];
        int ns = hy_ins_succs(in, succ);
        if (cls == HY_OC_CHK) {
            const uint64_t *x = lv->live_in + (size_t)succ[0] * nw;
            for (uint32_t w = 0; w < nw; w++) live[w] |= x[w];
        } else {
            for (int s = 0; s < ns; s++) {
                const uint64_t *x = lv->live_in + (size_t)succ[s] * nw;
                for (uint32_t w = 0; w < nw; w++) live[w] |= x[w];
            }
        }
        if (in->dst >= 0) bclr(live, in->dst);
        int32_t uses[HY_MAX_ARGS + 3];
        int nu = hy_ins_uses(in, uses);
        for (int u = 0; u < nu; u++) bset(live, uses[u]);
    }
}

int hy_liveness_compute(const struct hy_func *fn, struct hy_liveness *lv) {
    uint32_t nw = (fn->nvregs + 63) / 64;
    if (!nw) nw = 1;
    lv->nwords = nw;
    lv->nblocks = fn->nblocks;
    size_t words = (size_t)fn->nblocks * nw;
    lv->live_in = calloc(words ? words : 1, 8);
    lv->live_out = calloc(words ? words : 1, 8);
    uint64_t *tmp = malloc((size_t)nw * 8);
    if (!lv->live_in || !lv->live_out || !tmp) {
        free(tmp);
        hy_liveness_free(lv);
        return -1;
    }
    /* worklist over blocks: a block is rescanned only when the live-in of
     * one of its successors (incl. guard exits) changed */
    uint32_t nb = fn->nblocks;
    uint32_t *npred = calloc(nb + 1, sizeof *npred), *pred = NULL, *stack = malloc((nb + 1) * sizeof *stack);
    uint8_t *queued = malloc(nb + 1);
    size_t nedges = 0;
    if (npred && stack && queued) {
        for (uint32_t b = 0; b < nb; b++)
            for (uint32_t i = 0; i < fn->blocks[b].n; i++) {
                uint32_t succ[2];
                int ns = hy_ins_succs(&fn->blocks[b].ins[i], succ);
                for (int s = 0; s < ns; s++) npred[succ[s] + 1]++, nedges++;
            }
        for (uint32_t b = 0; b < nb; b++) npred[b + 1] += npred[b]; /* prefix sums: start offsets */
        pred = malloc((nedges + 1) * sizeof *pred);
    }
    if (!npred || !stack || !queued || !pred) {
        free(npred);
        free(pred);
        free(stack);
        free(queued);
        free(tmp);
        hy_liveness_free(lv);
        return -1;
    }
    {
        uint32_t *fill = calloc(nb + 1, sizeof *fill);
        if (!fill) {
            free(npred);
            free(pred);
            free(stack);
            free(queued);
            free(tmp);
            hy_liveness_free(lv);
            return -1;
        }
        for (uint32_t b = 0; b < nb; b++)
            for (uint32_t i = 0; i < fn->blocks[b].n; i++) {
                uint32_t succ[2];
                int ns = hy_ins_succs(&fn->blocks[b].ins[i], succ);
                for (int s = 0; s < ns; s++) pred[npred[succ[s]] + fill[succ[s]]++] = b;
            }
        free(fill);
    }
    uint32_t sp = 0;
    for (uint32_t b = 0; b < nb; b++) {
        stack[sp++] = b; /* popped from the last block backwards */
        queued[b] = 1;
    }
    while (sp) {
        uint32_t b = stack[--sp];
        queued[b] = 0;
        scan_block(fn, lv, b, tmp);
        uint64_t *in = lv->live_in + (size_t)b * nw;
        if (!memcmp(in, tmp, (size_t)nw * 8)) continue;
        memcpy(in, tmp, (size_t)nw * 8);
        for (uint32_t k = npred[b]; k < npred[b + 1]; k++) {
            uint32_t p = pred[k];
            if (!queued[p]) {
                queued[p] = 1;
                stack[sp++] = p;
            }
        }
    }
    free(npred);
    free(pred);
    free(stack);
    free(queued);
    /* live_out = union of the live-in of every successor (incl. guard exits) */
    for (uint32_t b = 0; b < fn->nblocks; b++) {
        uint64_t *out = lv->live_out + (size_t)b * nw;
        const struct hy_block *bl = &fn->blocks[b];
        for (uint32_t i = 0; i < bl->n; i++) {
            uint32_t succ[2];
            int ns = hy_ins_succs(&bl->ins[i], succ);
            for (int s = 0; s < ns; s++) {
                const uint64_t *x = lv->live_in + (size_t)succ[s] * nw;
                for (uint32_t w = 0; w < nw; w++) out[w] |= x[w];
            }
        }
    }
    free(tmp);
    return 0;
}

void hy_liveness_free(struct hy_liveness *lv) {
    free(lv->live_in);
    free(lv->live_out);
    lv->live_in = lv->live_out = NULL;
}

/* ======================================================================
 * Linear scan
 * ====================================================================== */

static uint64_t rng_next(uint64_t *s) {
    uint64_t x = *s;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return *s = x;
}

static void extend(struct hy_interval *iv, int32_t pos) {
    if (iv->start > iv->end) {
        iv->start = iv->end = pos;
        return;
    }
    if (pos < iv->start) iv->start = pos;
    if (pos > iv->end) iv->end = pos;
}

static const struct hy_ra_opts no_opts;

/* Binary min-heaps for spill-slot assignment. */
struct busy_slot {
    int32_t end;
    uint32_t slot;
};
static int busy_less(const struct busy_slot *a, const struct busy_slot *b) {
    return a->end != b->end ? a->end < b->end : a->slot < b->slot;
}
static void busy_push(struct busy_slot *h, uint32_t *n, int32_t end, uint32_t slot) {
    uint32_t i = (*n)++;
    struct busy_slot x = {end, slot};
    while (i && busy_less(&x, &h[(i - 1) / 2])) {
        h[i] = h[(i - 1) / 2];
        i = (i - 1) / 2;
    }
    h[i] = x;
}
static void busy_pop(struct busy_slot *h, uint32_t *n) {
    struct busy_slot x = h[--*n];
    uint32_t i = 0, m = *n;
    for (;;) {
        uint32_t c = 2 * i + 1;
        if (c >= m) break;
        if (c + 1 < m && busy_less(&h[c + 1], &h[c])) c++;
        if (!busy_less(&h[c], &x)) break;
        h[i] = h[c];
        i = c;
    }
    if (m) h[i] = x;
}
static void u32heap_push(uint32_t *h, uint32_t *n, uint32_t x) {
    uint32_t i = (*n)++;
    while (i && x < h[(i - 1) / 2]) {
        h[i] = h[(i - 1) / 2];
        i = (i - 1) / 2;
    }
    h[i] = x;
}
static uint32_t u32heap_pop(uint32_t *h, uint32_t *n) {
    uint32_t top = h[0], x = h[--*n], i = 0, m = *n;
    for (;;) {
        uint32_t c = 2 * i + 1;
        if (c >= m) break;
        if (c + 1 < m && h[c + 1] < h[c]) c++;
        if (h[c] >= x) break;
        h[i] = h[c];
        i = c;
    }
    if (m) h[i] = x;
    return top;
}

struct order {
    int32_t start;
    int32_t v;
};
static int cmp_order(const void *a, const void *b) {
    const struct order *x = a, *y = b;
    if (x->start != y->start) return x->start < y->start ? -1 : 1;
    return x->v < y->v ? -1 : x->v > y->v;
}

int hy_regalloc(const struct hy_func *fn, const struct hy_target *tg, const struct hy_ra_opts *opts,
                struct hy_ra *ra) {
    if (!opts) opts = &no_opts;
    memset(ra, 0, sizeof *ra);
    uint32_t nv = fn->nvregs;
    ra->nvregs = nv;
    ra->loc = calloc(nv ? nv : 1, sizeof *ra->loc);
    ra->iv = calloc(nv ? nv : 1, sizeof *ra->iv);
    struct hy_liveness lv = {0};
    struct order *ord = NULL;
    int32_t *callpos = NULL, *active = NULL, *spilled = NULL;
    uint8_t *defined = NULL;
    int rc = -1;
    if (!ra->loc || !ra->iv) goto oom;
    if (hy_liveness_compute(fn, &lv)) goto oom;
    defined = calloc(nv ? nv : 1, 1);
    size_t nins = hy_func_ins_count(fn);
    callpos = malloc((nins ? nins : 1) * sizeof *callpos);
    if (!defined || !callpos) goto oom;
    for (uint32_t v = 0; v < nv; v++) {
        ra->iv[v].start = 1;
        ra->iv[v].end = 0;
    }
    /* ---- intervals ---- */
    int32_t k = 0;
    uint32_t ncalls = 0;
    for (uint32_t b = 0; b < fn->nblocks; b++) {
        const struct hy_block *bl = &fn->blocks[b];
        if (!bl->n) continue;
        int32_t first = 2 * k, last = 2 * (k + (int32_t)bl->n - 1) + 1;
        for (uint32_t w = 0; w < lv.nwords; w++) {
            uint64_t in = lv.live_in[(size_t)b * lv.nwords + w], out = lv.live_out[(size_t)b * lv.nwords + w];
            while (in) {
                int32_t v = (int32_t)(w * 64 + (uint32_t)__builtin_ctzll(in));
                in &= in - 1;
                extend(&ra->iv[v], b == 0 && (uint32_t)v < fn->nparams ? -1 : first);
            }
            while (out) {
                int32_t v = (int32_t)(w * 64 + (uint32_t)__builtin_ctzll(out));
                out &= out - 1;
                extend(&ra->iv[v], last);
            }
        }
        for (uint32_t i = 0; i < bl->n; i++, k++) {
            const struct hy_ins *in = &bl->ins[i];
            int32_t uses[HY_MAX_ARGS + 3];
            int nu = hy_ins_uses(in, uses);
            for (int u = 0; u < nu; u++) extend(&ra->iv[uses[u]], 2 * k);
            if (in->dst >= 0) {
                extend(&ra->iv[in->dst], 2 * k + 1);
                defined[in->dst] = 1;
            }
            if (in->op == HY_OP_CALL) callpos[ncalls++] = 2 * k;
        }
    }
    /* params live on entry start at -1 (they arrive in argument registers) */
    for (uint32_t p = 0; p < fn->nparams && p < nv; p++)
        if (ra->iv[p].start <= ra->iv[p].end && fn->nblocks && hy_live_test(lv.live_in, lv.nwords, 0, (int32_t)p))
            ra->iv[p].start = -1;
    ra->ncalls = ncalls;
    /* crosses_call: some call position c with start <= c and c+1 <= end */
    for (uint32_t v = 0; v < nv; v++) {
        struct hy_interval *iv = &ra->iv[v];
        if (iv->start > iv->end) continue;
        uint32_t lo = 0, hi = ncalls;
        while (lo < hi) {
            uint32_t mid = (lo + hi) / 2;
            if (callpos[mid] < iv->start) lo = mid + 1;
            else hi = mid;
        }
        iv->crosses_call = lo < ncalls && callpos[lo] + 1 <= iv->end;
    }
    /* ---- linear scan ---- */
    ord = malloc((nv ? nv : 1) * sizeof *ord);
    active = malloc((nv ? nv : 1) * sizeof *active);
    spilled = malloc((nv ? nv : 1) * sizeof *spilled);
    if (!ord || !active || !spilled) goto oom;
    uint32_t nord = 0;
    for (uint32_t v = 0; v < nv; v++) {
        if (ra->iv[v].start > ra->iv[v].end) continue; /* never live, never defined */
        ord[nord].start = ra->iv[v].start;
        ord[nord].v = (int32_t)v;
        nord++;
    }
    /* counting sort by start (positions are -1 .. 2*nins+1; ties keep vreg order) */
    {
        size_t npos = 2 * nins + 3;
        uint32_t *cnt = calloc(npos + 1, sizeof *cnt);
        struct order *tmpo = malloc((nord ? nord : 1) * sizeof *tmpo);
        if (!cnt || !tmpo) {
            free(cnt);
            free(tmpo);
            goto oom;
        }
        for (uint32_t i = 0; i < nord; i++) cnt[ord[i].start + 2]++;
        for (size_t p = 1; p <= npos; p++) cnt[p] += cnt[p - 1];
        for (uint32_t i = 0; i < nord; i++) tmpo[cnt[ord[i].start + 1]++] = ord[i];
        memcpy(ord, tmpo, nord * sizeof *ord);
        free(cnt);
        free(tmpo);
    }
    uint32_t npool[2] = {tg->ngpr, tg->nfpr};
    if (opts->limit_gpr && opts->limit_gpr < npool[0]) npool[0] = opts->limit_gpr;
    if (opts->limit_fpr && opts->limit_fpr < npool[1]) npool[1] = opts->limit_fpr;
    if (npool[0] > 32) npool[0] = 32;
    if (npool[1] > 32) npool[1] = 32;
    const uint8_t *pool[2] = {tg->gpr, tg->fpr};
    uint32_t csmask[2] = {tg->gpr_callee_saved, tg->fpr_callee_saved};
    /* bit sets over pool indices (preference order = bit order) */
    uint32_t freem[2], csp[2] = {0, 0};
    for (int c = 0; c < 2; c++) {
        freem[c] = npool[c] >= 32 ? 0xffffffffu : (1u << npool[c]) - 1;
        for (uint32_t p = 0; p < npool[c]; p++)
            if ((csmask[c] >> pool[c][p]) & 1) csp[c] |= 1u << p;
    }
    uint8_t *vpool = malloc(nv ? nv : 1); /* pool index of a vreg in a register */
    if (!vpool) goto oom;
    uint32_t nact = 0, nspill = 0;
    uint64_t rng = opts->random_seed ? opts->random_seed : 0;
    for (uint32_t oi = 0; oi < nord; oi++) {
        int32_t v = ord[oi].v;
        struct hy_interval *iv = &ra->iv[v];
        int cls = hy_type_class(fn->vtype[v]);
        /* expire */
        uint32_t j = 0;
        for (uint32_t a = 0; a < nact; a++) {
            int32_t w = active[a];
            if (ra->iv[w].end < iv->start) freem[ra->loc[w].cls] |= 1u << vpool[w];
            else active[j++] = w;
        }
        nact = j;
        /* a free register: callee-saved only when crossing a call; otherwise
         * caller-saved first so the prologue saves less */
        uint32_t cand = iv->crosses_call ? freem[cls] & csp[cls] : freem[cls] & ~csp[cls];
        if (!cand && !iv->crosses_call) cand = freem[cls];
        int pick = -1;
        if (cand) {
            if (rng) {
                int k = (int)(rng_next(&rng) % (uint64_t)__builtin_popcount(cand));
                while (k--) cand &= cand - 1;
            }
            pick = __builtin_ctz(cand);
        } else {
            /* steal from the active interval (same class, acceptable reg) that ends last */
            int32_t victim = -1;
            for (uint32_t a = 0; a < nact; a++) {
                int32_t w = active[a];
                if (ra->loc[w].cls != cls) continue;
                if (iv->crosses_call && !((csp[cls] >> vpool[w]) & 1)) continue;
                if (victim < 0 || ra->iv[w].end > ra->iv[victim].end) victim = w;
            }
            if (victim >= 0 && ra->iv[victim].end > iv->end) {
                ra->loc[victim].kind = HY_LOC_SLOT;
                spilled[nspill++] = victim;
                for (uint32_t a = 0; a < nact; a++)
                    if (active[a] == victim) {
                        active[a] = active[--nact];
                        break;
                    }
                pick = vpool[victim];
            }
        }
        ra->loc[v].cls = (uint8_t)cls;
        if (pick >= 0) {
            freem[cls] &= ~(1u << pick);
            vpool[v] = (uint8_t)pick;
            ra->loc[v].kind = HY_LOC_REG;
            ra->loc[v].reg = pool[cls][pick];
            active[nact++] = v;
        } else {
            ra->loc[v].kind = HY_LOC_SLOT;
            spilled[nspill++] = v;
        }
    }
    free(vpool);
    /* ---- spill slots: greedy reuse between disjoint intervals ---- */
    ra->nspilled = nspill;
    if (nspill) {
        uint32_t ns = 0;
        for (uint32_t s = 0; s < nspill; s++) {
            ord[s].start = ra->iv[spilled[s]].start;
            ord[s].v = spilled[s];
        }
        qsort(ord, nspill, sizeof *ord, cmp_order);
        /* first fit in O(n log n): `busy` is a min-heap of slots by the end
         * of their last interval; those ending before the next start move
         * to `freeh`, a min-heap of slot indices, whose smallest is taken
         * (exactly the lowest-index slot that is free, as a linear search
         * would find, without the quadratic search over all slots) */
        struct busy_slot *busy = malloc(nspill * sizeof *busy);
        uint32_t *freeh = malloc(nspill * sizeof *freeh);
        if (!busy || !freeh) {
            free(busy);
            free(freeh);
            goto oom;
        }
        uint32_t nbusy = 0, nfree = 0;
        for (uint32_t s = 0; s < nspill; s++) {
            int32_t v = ord[s].v;
            while (nbusy && busy[0].end < ra->iv[v].start) {
                u32heap_push(freeh, &nfree, busy[0].slot);
                busy_pop(busy, &nbusy);
            }
            uint32_t slot = nfree ? u32heap_pop(freeh, &nfree) : ns++;
            busy_push(busy, &nbusy, ra->iv[v].end, slot);
            ra->loc[v].slot = (int32_t)slot;
        }
        free(busy);
        free(freeh);
        ra->nslots = ns;
    }
    for (uint32_t v = 0; v < nv; v++) {
        const struct hy_loc *l = &ra->loc[v];
        if (l->kind != HY_LOC_REG) continue;
        if (l->cls == HY_RC_GPR && ((tg->gpr_callee_saved >> l->reg) & 1)) ra->used_callee_gpr |= 1u << l->reg;
        if (l->cls == HY_RC_FPR && ((tg->fpr_callee_saved >> l->reg) & 1)) ra->used_callee_fpr |= 1u << l->reg;
    }
    rc = 0;
    goto done;
oom:
    snprintf(ra->err, sizeof ra->err, "register allocation: out of memory");
done:
    hy_liveness_free(&lv);
    free(ord);
    free(callpos);
    free(active);
    free(spilled);
    free(defined);
    if (rc) {
        free(ra->loc);
        free(ra->iv);
        ra->loc = NULL;
        ra->iv = NULL;
    }
    return rc;
}

void hy_ra_free(struct hy_ra *ra) {
    free(ra->loc);
    free(ra->iv);
    ra->loc = NULL;
    ra->iv = NULL;
}

/* ======================================================================
 * Parallel moves
 * ====================================================================== */

int hy_pmove_schedule(const struct hy_move *in, int n, struct hy_loc scratch_gpr, struct hy_loc scratch_fpr,
                      struct hy_move *out) {
    struct hy_move pend[64];
    int np = 0, no = 0;
    if (n > 64) return -1;
    for (int i = 0; i < n; i++)
        if (!hy_loc_eq(in[i].dst, in[i].src)) pend[np++] = in[i];
    while (np) {
        int progress = 0;
        for (int i = 0; i < np; i++) {
            int blocked = 0;
            for (int j = 0; j < np && !blocked; j++)
                if (j != i && hy_loc_eq(pend[j].src, pend[i].dst)) blocked = 1;
            if (blocked) continue;
            out[no++] = pend[i];
            pend[i] = pend[--np];
            progress = 1;
            i--;
        }
        if (progress || !np) continue;
        /* only cycles remain: save one destination in the scratch register */
        struct hy_loc d = pend[0].dst;
        struct hy_loc s = d.cls == HY_RC_FPR ? scratch_fpr : scratch_gpr;
        if (s.kind == HY_LOC_NONE) return -1;
        s.cls = d.cls;
        out[no].dst = s;
        out[no].src = d;
        no++;
        for (int j = 0; j < np; j++)
            if (hy_loc_eq(pend[j].src, d)) pend[j].src = s;
    }
    return no;
}

/* ---- ABI moves ---- */

static int arg_limit(int n, int cap) { return n < cap ? n : cap; }

int hy_param_moves(const struct hy_func *fn, const struct hy_ra *ra, const struct hy_target *tg, struct hy_move *mv) {
    int maxi = arg_limit(tg->ngpr_arg, HY_MAX_INT_ARGS), maxf = arg_limit(tg->nfpr_arg, HY_MAX_F64_ARGS);
    int n = 0, ni = 0, nf = 0;
    memset(mv, 0, HY_MAX_ARGS * sizeof *mv);
    for (uint32_t p = 0; p < fn->nparams; p++) {
        int f = fn->vtype[p] == HY_T_F64;
        int reg = f ? (nf < maxf ? tg->fpr_arg[nf] : -1) : (ni < maxi ? tg->gpr_arg[ni] : -1);
        if (f) nf++;
        else ni++;
        if (reg < 0) return -1;
        if (!hy_ra_param_live(ra, p)) continue;
        mv[n].dst = ra->loc[p];
        mv[n].src = hy_loc_reg(f ? HY_RC_FPR : HY_RC_GPR, reg);
        n++;
    }
    return n;
}

int hy_call_arg_moves(const struct hy_func *fn, const struct hy_ra *ra, const struct hy_target *tg,
                      const struct hy_ins *in, struct hy_move *mv, uint8_t *sext, int *nsext) {
    int maxi = arg_limit(tg->ngpr_arg, HY_MAX_INT_ARGS), maxf = arg_limit(tg->nfpr_arg, HY_MAX_F64_ARGS);
    int n = 0, ni = 0, nf = 0;
    memset(mv, 0, HY_MAX_ARGS * sizeof *mv);
    *nsext = 0;
    for (int k = 0; k < in->nargs; k++) {
        int v = in->args[k];
        int f = fn->vtype[v] == HY_T_F64;
        if (f ? nf >= maxf : ni >= maxi) return -1;
        int reg = f ? tg->fpr_arg[nf++] : tg->gpr_arg[ni++];
        mv[n].dst = hy_loc_reg(f ? HY_RC_FPR : HY_RC_GPR, reg);
        mv[n].src = ra->loc[v];
        n++;
        if (fn->vtype[v] == HY_T_I32) sext[(*nsext)++] = (uint8_t)reg;
    }
    return n;
}
