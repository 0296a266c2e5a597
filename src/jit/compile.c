/* The JIT driver.
 *
 *   hy_func (IR)
 *      │ hy_verify            types, terminators, definite assignment, helpers
 *      ▼
 *   liveness + hy_regalloc    CFG liveness → one interval per vreg → linear
 *      │                      scan → registers / spill slots, callee-saved set
 *      ▼
 *   hy_code_reserve           W^X code memory: a writable view t.w (never
 *      │                      executable) and the final address t.x
 *      ▼
 *   backend->emit_function    lower into t.w for address t.x; records guard
 *      │                      patch sites and call sites; NOSPACE → abort,
 *      │                      reserve more, emit again
 *      ▼
 *   hy_code_commit ──▶ verify callback: backend->filter (Safe Opcode Filter)
 *      │                      over the bytes as they will execute; refusal
 *      │                      frees the span, nothing becomes executable
 *      ▼
 *   executable, icache flushed, cores synced → struct hy_jit_code
 *
 *   patching (patch.c): portable site check → hy_code_patch → filter again
 *   over the patched block → executable again (code no thread runs).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "jit/jit_internal.h"

void hy_lower_fail(struct hy_lower *lw, const char *fmt, ...) {
    if (lw->failed) return;
    lw->failed = 1;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(lw->err, sizeof lw->err, fmt, ap);
    va_end(ap);
}

void hy_jit_fail(struct hy_jit *j, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(j->err, sizeof j->err, fmt, ap);
    va_end(ap);
}

/* Phase timings use the thread's CPU clock: on a shared, loaded machine
 * wall time would mostly measure the scheduler. */
uint64_t hy_now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* ---- context ---- */

static int helper_addrs(const struct hy_helpers *h, uint64_t **out, uint32_t *n) {
    *out = NULL;
    *n = 0;
    if (!h || !h->n) return 0;
    *out = malloc(h->n * sizeof **out);
    if (!*out) return -1;
    for (uint32_t i = 0; i < h->n; i++) (*out)[i] = (uint64_t)(uintptr_t)h->v[i].addr;
    *n = h->n;
    return 0;
}

struct hy_jit *hy_jit_new(const struct hy_jit_config *cfg) {
    struct hy_jit *j = calloc(1, sizeof *j);
    if (!j) return NULL;
    const char *e0;
    j->be = cfg && cfg->backend ? cfg->backend : hy_backend_native();
    j->helpers = cfg ? cfg->helpers : NULL;
    if (cfg) j->ra = cfg->ra;
    j->blind = cfg && cfg->blind_constants;
    if (!j->blind && (e0 = getenv("HY_JIT_BLIND")) && *e0 && strcmp(e0, "0")) j->blind = 1;
    if (getentropy(&j->blind_state, sizeof j->blind_state)) j->blind_state = hy_now_ns() ^ (uint64_t)(uintptr_t)j;
    /* fault injection for whole-suite runs (LuaJIT's RANDOM_RA idea) */
    const char *e;
    if (!j->ra.random_seed && (e = getenv("HY_RA_RANDOM")) && *e) j->ra.random_seed = strtoull(e, NULL, 0) | 1;
    if (!j->ra.limit_gpr && (e = getenv("HY_RA_GPRS")) && *e) j->ra.limit_gpr = (uint32_t)strtoul(e, NULL, 0);
    if (!j->ra.limit_fpr && (e = getenv("HY_RA_FPRS")) && *e) j->ra.limit_fpr = (uint32_t)strtoul(e, NULL, 0);
    if (helper_addrs(j->helpers, &j->helper_addr, &j->nhelpers)) {
        free(j);
        return NULL;
    }
    if (cfg && cfg->cm) {
        j->cm = cfg->cm;
    } else {
        struct hy_codemem_config cc;
        memset(&cc, 0, sizeof cc);
        cc.trap = j->be->trap;
        cc.trap_len = j->be->trap_len;
        cc.align = 16;
        j->cm = hy_codemem_new(&cc);
        if (!j->cm) {
            free(j->helper_addr);
            free(j);
            return NULL;
        }
        j->own_cm = 1;
        if (hy_codemem_errmsg(j->cm)[0]) hy_jit_fail(j, "%s", hy_codemem_errmsg(j->cm));
    }
    return j;
}

void hy_jit_free(struct hy_jit *j) {
    if (!j) return;
    if (j->own_cm) hy_codemem_free(j->cm);
    free(j->helper_addr);
    free(j);
}

const char *hy_jit_error(const struct hy_jit *j) { return j ? j->err : "no JIT context"; }
const struct hy_backend *hy_jit_backend(const struct hy_jit *j) { return j->be; }
struct hy_codemem *hy_jit_codemem(struct hy_jit *j) { return j->cm; }

/* ---- filter callback ---- */

int hy_verify_cb(void *ud, const uint8_t *bytes, size_t len, uintptr_t xaddr) {
    struct hy_verify_ctx *v = ud;
    uint64_t t0 = hy_now_ns();
    int rc = 0;
    if (xaddr != v->expect_base || len != v->expect_len) {
        snprintf(v->why, sizeof v->why, "code memory handed the verifier %zu bytes at %#lx, expected %zu at %#lx", len,
                 (unsigned long)xaddr, v->expect_len, (unsigned long)v->expect_base);
        rc = 1;
    }
    if (!rc && v->is_patch && hy_patch_check(v->code, bytes, len, v->why, sizeof v->why)) rc = 2;
    if (!rc) {
        struct hy_filter_in in;
        struct hy_filter_out out;
        memset(&in, 0, sizeof in);
        memset(&out, 0, sizeof out);
        in.code = bytes;
        in.len = len;
        in.base = xaddr;
        in.helpers = v->helper_addr;
        in.nhelpers = v->nhelpers;
        if (v->code) {
            in.sites = v->code->sites;
            in.nsites = v->code->nsites;
        }
        in.range_off = v->range_off;
        in.range_len = v->range_len;
        if (v->be->filter(&in, &out)) {
            snprintf(v->why, sizeof v->why, "filter (%s) rejected offset %#zx: %s", v->be->name, out.off, out.reason);
            rc = 3;
        }
    }
    v->ns += hy_now_ns() - t0;
    return rc;
}

int hy_jit_filter(const struct hy_backend *be, const struct hy_jit_code *c, const struct hy_helpers *helpers,
                  struct hy_filter_out *out) {
    uint64_t *ha;
    uint32_t nh;
    if (helper_addrs(helpers, &ha, &nh)) {
        snprintf(out->reason, sizeof out->reason, "out of memory");
        return -1;
    }
    struct hy_filter_in in;
    memset(&in, 0, sizeof in);
    in.code = c->image;
    in.len = c->size;
    in.base = c->base;
    in.helpers = ha;
    in.nhelpers = nh;
    in.sites = c->sites;
    in.nsites = c->nsites;
    in.range_len = c->size;
    int rc = be->filter(&in, out);
    free(ha);
    return rc;
}

/* ---- lowering ---- */

static void code_free_meta(struct hy_jit_code *c) {
    if (!c) return;
    free(c->image);
    free(c->orig_image);
    free(c->sites);
    free(c->site_alt);
    free(c->calls);
    free(c->block_off);
    free(c);
}

/* Allocate the result object with the arrays the backend fills. */
static struct hy_jit_code *code_alloc(const struct hy_func *fn) {
    struct hy_jit_code *c = calloc(1, sizeof *c);
    if (!c) return NULL;
    uint32_t nsites = 0, ncalls = 0;
    for (uint32_t b = 0; b < fn->nblocks; b++)
        for (uint32_t i = 0; i < fn->blocks[b].n; i++) {
            int cls = hy_op_class[fn->blocks[b].ins[i].op];
            if (cls == HY_OC_GUARD || cls == HY_OC_CHK) nsites++;
            if (cls == HY_OC_CALL) ncalls++;
        }
    c->sites = calloc(nsites ? nsites : 1, sizeof *c->sites);
    c->site_alt = calloc(nsites ? nsites : 1, 1);
    c->calls = calloc(ncalls ? ncalls : 1, sizeof *c->calls);
    c->block_off = calloc(fn->nblocks ? fn->nblocks : 1, sizeof *c->block_off);
    if (!c->sites || !c->site_alt || !c->calls || !c->block_off) {
        code_free_meta(c);
        return NULL;
    }
    c->nsites = nsites; /* capacities until emit fills the real counts */
    c->ncalls = ncalls;
    c->nblocks = fn->nblocks;
    c->nparams = fn->nparams;
    for (uint32_t p = 0; p < fn->nparams && p < HY_MAX_ARGS; p++) c->param_type[p] = fn->vtype[p];
    c->ret = fn->ret;
    c->stats.nins = (uint32_t)hy_func_ins_count(fn);
    c->stats.nvregs = fn->nvregs;
    return c;
}

/* One emit attempt into buf (cap bytes) for address base. */
static int emit_once(const struct hy_backend *be, const struct hy_func *fn, const struct hy_ra *ra,
                     const struct hy_helpers *h, uint64_t base, uint8_t *buf, size_t cap, struct hy_jit_code *c,
                     uint32_t sites_cap, uint32_t calls_cap, struct hy_lower *lw) {
    memset(lw, 0, sizeof *lw);
    lw->fn = fn;
    lw->ra = ra;
    lw->tg = be->target;
    lw->helpers = h;
    lw->exec_base = base;
    lw->buf = buf;
    lw->cap = cap;
    lw->block_off = c->block_off;
    lw->sites = c->sites;
    lw->sites_cap = sites_cap;
    lw->calls = c->calls;
    lw->calls_cap = calls_cap;
    int rc = be->emit_function(lw);
    if (rc == HY_EMIT_OK && lw->failed) rc = HY_EMIT_ERROR;
    if (rc == HY_EMIT_OK && (lw->size == 0 || lw->size > cap || lw->nsites > sites_cap || lw->ncalls > calls_cap)) {
        hy_lower_fail(lw, "backend %s returned inconsistent sizes (size %zu of %zu, %u/%u sites, %u/%u calls)", be->name,
                      lw->size, cap, lw->nsites, sites_cap, lw->ncalls, calls_cap);
        rc = HY_EMIT_ERROR;
    }
    if (rc == HY_EMIT_OK && lw->nsites != sites_cap) {
        hy_lower_fail(lw, "backend %s recorded %u guard sites, the function has %u", be->name, lw->nsites, sites_cap);
        rc = HY_EMIT_ERROR;
    }
    if (rc == HY_EMIT_ERROR && !lw->err[0]) snprintf(lw->err, sizeof lw->err, "backend %s failed", be->name);
    return rc;
}

static size_t size_estimate(const struct hy_func *fn) { return 256 + hy_func_ins_count(fn) * 40; }

/* Shared front half: verify + regalloc. */
static int front(const struct hy_backend *be, const struct hy_func *fn, const struct hy_helpers *h,
                 const struct hy_ra_opts *ro, struct hy_ra *ra, struct hy_compile_stats *st, char *err, size_t cap) {
    uint64_t t0 = hy_now_ns();
    char verr[256];
    if (hy_verify(fn, h, verr, sizeof verr)) {
        snprintf(err, cap, "invalid IR: %s", verr);
        return -1;
    }
    uint64_t t1 = hy_now_ns();
    if (hy_regalloc(fn, be->target, ro, ra)) {
        snprintf(err, cap, "%s", ra->err);
        return -1;
    }
    uint64_t t2 = hy_now_ns();
    st->ns_verify = t1 - t0;
    st->ns_regalloc = t2 - t1;
    st->nspilled = ra->nspilled;
    st->nslots = ra->nslots;
    return 0;
}

struct hy_jit_code *hy_jit_lower(const struct hy_backend *be, const struct hy_func *fn, const struct hy_helpers *h,
                                 uint64_t base, const struct hy_ra_opts *ro, char *err, size_t cap) {
    char dummy[8];
    if (!err) {
        err = dummy;
        cap = sizeof dummy;
    }
    err[0] = 0;
    if (!be || !be->emit_function) {
        snprintf(err, cap, "no backend");
        return NULL;
    }
    uint64_t t0 = hy_now_ns();
    struct hy_jit_code *c = code_alloc(fn);
    if (!c) {
        snprintf(err, cap, "out of memory");
        return NULL;
    }
    struct hy_ra ra;
    if (front(be, fn, h, ro, &ra, &c->stats, err, cap)) {
        code_free_meta(c);
        return NULL;
    }
    uint32_t sites_cap = c->nsites, calls_cap = c->ncalls;
    size_t want = size_estimate(fn);
    struct hy_lower lw;
    int rc = HY_EMIT_ERROR;
    uint64_t t1 = hy_now_ns();
    for (int attempt = 0; attempt < 4; attempt++) {
        free(c->image);
        c->image = malloc(want);
        if (!c->image) {
            snprintf(err, cap, "out of memory");
            break;
        }
        c->stats.emit_attempts++;
        rc = emit_once(be, fn, &ra, h, base, c->image, want, c, sites_cap, calls_cap, &lw);
        if (rc != HY_EMIT_NOSPACE) break;
        want = (lw.size > want ? lw.size : want * 2) + 256;
    }
    uint64_t t2 = hy_now_ns();
    c->stats.ns_emit = t2 - t1;
    hy_ra_free(&ra);
    if (rc != HY_EMIT_OK) {
        if (!err[0]) snprintf(err, cap, "%s", rc == HY_EMIT_NOSPACE ? "backend keeps running out of space" : lw.err);
        code_free_meta(c);
        return NULL;
    }
    c->size = lw.size;
    c->base = base;
    c->nsites = lw.nsites;
    c->ncalls = lw.ncalls;
    c->frame_size = lw.frame_size;
    c->stats.code_bytes = lw.size;
    c->orig_image = malloc(lw.size);
    if (!c->orig_image) {
        snprintf(err, cap, "out of memory");
        code_free_meta(c);
        return NULL;
    }
    memcpy(c->orig_image, c->image, lw.size);
    struct hy_filter_out out;
    memset(&out, 0, sizeof out);
    if (hy_jit_filter(be, c, h, &out)) {
        snprintf(err, cap, "filter (%s) rejected offset %#zx: %s", be->name, out.off, out.reason);
        code_free_meta(c);
        return NULL;
    }
    uint64_t t3 = hy_now_ns();
    c->stats.ns_filter = t3 - t2;
    c->stats.ns_total = t3 - t0;
    return c;
}

static struct hy_jit_code *compile_fn(struct hy_jit *j, const struct hy_func *fn, uint64_t t0, uint32_t nblinded);

/* A backend may commit into executable memory only if it emits the host ISA and
 * its bytes are checked by the host ISA's filter: the native backend itself or
 * a wrapper of it (same target description, same filter). A foreign backend's
 * bytes would be executable host memory checked by the wrong filter. */
static int be_is_native(const struct hy_backend *be) {
    const struct hy_backend *n = hy_backend_native();
    return be == n || (be && be->target == n->target && be->filter == n->filter);
}

struct hy_jit_code *hy_jit_compile(struct hy_jit *j, const struct hy_func *fn) {
    j->err[0] = 0;
    if (!be_is_native(j->be)) {
        hy_jit_fail(j, "backend %s is not the native backend (%s): its code cannot be committed to "
                       "executable memory here; use hy_jit_lower for a lowering-only run",
                    j->be ? j->be->name : "(null)", hy_backend_native()->name);
        return NULL;
    }
    uint64_t t0 = hy_now_ns();
    if (!j->blind || fn->failed) return compile_fn(j, fn, t0, 0);
    j->blind_state = j->blind_state * 6364136223846793005ull + 1442695040888963407ull;
    uint32_t nb = 0;
    struct hy_func *bf = hy_blind_constants(fn, j->blind_state, &nb);
    if (!bf) {
        hy_jit_fail(j, "constant blinding: out of memory");
        return NULL;
    }
    struct hy_jit_code *c = compile_fn(j, bf, t0, nb);
    hy_func_free(bf);
    return c;
}

static struct hy_jit_code *compile_fn(struct hy_jit *j, const struct hy_func *fn, uint64_t t0, uint32_t nblinded) {
    struct hy_jit_code *c = code_alloc(fn);
    if (!c) {
        hy_jit_fail(j, "out of memory");
        return NULL;
    }
    c->stats.nblinded = nblinded;
    struct hy_ra ra;
    if (front(j->be, fn, j->helpers, &j->ra, &ra, &c->stats, j->err, sizeof j->err)) {
        code_free_meta(c);
        return NULL;
    }
    uint32_t sites_cap = c->nsites, calls_cap = c->ncalls;
    size_t want = size_estimate(fn);
    struct hy_lower lw;
    struct hy_code_txn t;
    int rc = HY_EMIT_ERROR;
    uint64_t t1 = hy_now_ns();
    for (int attempt = 0; attempt < 4; attempt++) {
        memset(&t, 0, sizeof t);
        t.name = fn->name;
        int r = hy_code_reserve(j->cm, want, &t);
        if (r) {
            hy_jit_fail(j, "code memory: %s", hy_codemem_errmsg(j->cm));
            hy_ra_free(&ra);
            code_free_meta(c);
            return NULL;
        }
        c->stats.emit_attempts++;
        rc = emit_once(j->be, fn, &ra, j->helpers, (uint64_t)t.x, t.w, t.size, c, sites_cap, calls_cap, &lw);
        if (rc == HY_EMIT_OK) break;
        hy_code_abort(j->cm, &t);
        if (rc != HY_EMIT_NOSPACE) break;
        want = (lw.size > want ? lw.size : want * 2) + 256;
    }
    uint64_t t2 = hy_now_ns();
    c->stats.ns_emit = t2 - t1;
    hy_ra_free(&ra);
    if (rc != HY_EMIT_OK) {
        hy_jit_fail(j, "%s", rc == HY_EMIT_NOSPACE ? "backend keeps running out of space" : lw.err);
        code_free_meta(c);
        return NULL;
    }
    c->size = lw.size;
    c->base = (uint64_t)t.x;
    c->nsites = lw.nsites;
    c->ncalls = lw.ncalls;
    c->frame_size = lw.frame_size;
    c->stats.code_bytes = lw.size;
    c->image = malloc(lw.size);
    c->orig_image = malloc(lw.size);
    if (!c->image || !c->orig_image) {
        hy_code_abort(j->cm, &t);
        hy_jit_fail(j, "out of memory");
        code_free_meta(c);
        return NULL;
    }
    memcpy(c->image, t.w, lw.size);
    memcpy(c->orig_image, t.w, lw.size);
    struct hy_verify_ctx v;
    memset(&v, 0, sizeof v);
    v.be = j->be;
    v.helper_addr = j->helper_addr;
    v.nhelpers = j->nhelpers;
    v.code = c;
    v.expect_base = c->base;
    v.expect_len = c->size;
    v.range_len = c->size;
    void *entry = NULL;
    uint64_t t3 = hy_now_ns();
    int r = hy_code_commit(j->cm, &t, lw.size, hy_verify_cb, &v, &entry);
    uint64_t t4 = hy_now_ns();
    c->stats.ns_filter = v.ns;
    c->stats.ns_commit = t4 - t3 - v.ns;
    if (r) {
        if (v.why[0]) hy_jit_fail(j, "%s", v.why);
        else hy_jit_fail(j, "code memory: %s", hy_codemem_errmsg(j->cm));
        code_free_meta(c);
        return NULL;
    }
    if ((uint64_t)(uintptr_t)entry != c->base) {
        hy_code_release(j->cm, entry);
        hy_jit_fail(j, "code memory committed at %p, emitted for %#lx", entry, (unsigned long)c->base);
        code_free_meta(c);
        return NULL;
    }
    c->entry = entry;
    c->runnable = be_is_native(j->be);
    c->stats.ns_total = hy_now_ns() - t0;
    return c;
}

void hy_jit_code_free(struct hy_jit *j, struct hy_jit_code *c) {
    if (!c) return;
    if (c->entry && j) hy_code_release(j->cm, c->entry);
    code_free_meta(c);
}

/* Uniform call: integer and f64 parameters travel in separate register
 * files on both ABIs, so filling six integer and four f64 argument slots
 * reaches exactly the registers the callee reads (see ir_eval.c). */
typedef uint64_t (*hy_icall_fn)(uint64_t, uint64_t, uint64_t, uint64_t, uint64_t, uint64_t, double, double, double,
                                double);
typedef double (*hy_fcall_fn)(uint64_t, uint64_t, uint64_t, uint64_t, uint64_t, uint64_t, double, double, double,
                              double);

uint64_t hy_jit_invoke(const struct hy_jit_code *c, const uint64_t *args) {
    uint64_t ia[HY_MAX_INT_ARGS] = {0};
    double fa[HY_MAX_F64_ARGS] = {0};
    int ni = 0, nf = 0;
    for (uint32_t p = 0; p < c->nparams; p++) {
        if (c->param_type[p] == HY_T_F64) {
            if (nf < HY_MAX_F64_ARGS) memcpy(&fa[nf++], &args[p], 8);
        } else if (ni < HY_MAX_INT_ARGS) {
            ia[ni++] = args[p];
        }
    }
    if (!c->entry || !c->runnable) return 0;
    if (c->ret == HY_T_F64) {
        hy_fcall_fn f = (hy_fcall_fn)c->entry;
        double d = f(ia[0], ia[1], ia[2], ia[3], ia[4], ia[5], fa[0], fa[1], fa[2], fa[3]);
        uint64_t r;
        memcpy(&r, &d, 8);
        return r;
    }
    hy_icall_fn f = (hy_icall_fn)c->entry;
    return f(ia[0], ia[1], ia[2], ia[3], ia[4], ia[5], fa[0], fa[1], fa[2], fa[3]);
}
