/* jq_live: native (committed, executable) JIT code under attack and under
 * observation. Runs natively and under qemu in the ARM64 build.
 *
 *   patch    a patch outside a registered site, of the wrong length, to bytes
 *            that are neither the original nor the alternative, of a site that
 *            does not exist, or of uncommitted code is refused through every
 *            API of src/jit/patch.c; the executable bytes are unchanged after
 *            every refusal; the allowed NOP <-> branch patches work and are
 *            byte-exact.
 *   guards   a guard that fires gives the evaluator's result in native code;
 *            a NOP-ed guard behaves like the evaluator with that guard
 *            disabled; both still hold after several NOP -> restore cycles
 *            (the .hir corpus and generated programs with guards).
 *   wx       while a second thread scans /proc/self/maps, the main thread
 *            compiles, runs, patches and frees many functions: no mapping is
 *            ever writable and executable at once.
 *
 * Usage: jq_live patch|guards|wx HIRDIR   (HY_SOAK=1: longer). */
#include <dirent.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "jit/jit.h"
#include "jq_common.h"

static struct jq Q;

static struct hy_func *load(const char *dir, const char *name) {
    char path[4096], err[300];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    size_t n;
    char *t = jq_read_file(path, &n);
    JQ_CHECK(&Q, t != NULL, "cannot read %s", path);
    if (!t) return NULL;
    struct hy_func *fn = hy_parse_func(t, n, jq_helpers(), err, sizeof err);
    free(t);
    JQ_CHECK(&Q, fn != NULL, "%s: %s", name, err);
    return fn;
}

static struct hy_jit *new_jit(void) {
    struct hy_jit_config cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.helpers = jq_helpers();
    struct hy_jit *j = hy_jit_new(&cfg);
    if (!j || hy_jit_error(j)[0]) {
        fprintf(stderr, "jit context: %s\n", j ? hy_jit_error(j) : "oom");
        exit(1);
    }
    return j;
}

/* The bytes that actually execute equal our private image. */
static int live_equals_image(const struct hy_jit_code *c) {
    return !memcmp(c->entry, c->image, c->size);
}

/* ------------------------------------------------------------------ patch */

static void patch_one(struct hy_jit *j, struct hy_jit_code *c, const char *name) {
    const struct hy_backend *be = hy_jit_backend(j);
    uint8_t *orig = malloc(c->size);
    if (!orig) abort();
    memcpy(orig, c->image, c->size);
    JQ_CHECK(&Q, live_equals_image(c), "%s: executable bytes differ from the image after commit", name);
    for (uint32_t s = 0; s < c->nsites; s++) {
        const struct hy_patch_site *ps = &c->sites[s];
        uint8_t bytes[HY_SITE_MAX_BYTES + 8];
        /* refused: one byte before / after the site, with the site's own alt */
        for (int d = -2; d <= 2; d++) {
            if (d == 0 || (int64_t)ps->off + d < 0 || ps->off + d + ps->len > c->size) continue;
            int other = 0;
            for (uint32_t t = 0; t < c->nsites; t++) other |= (int64_t)c->sites[t].off == (int64_t)ps->off + d;
            if (other) continue;
            int r = hy_jit_patch_bytes(j, c, ps->off + d, ps->alt, ps->len);
            JQ_CHECK(&Q, r != 0, "%s: site %u: patch at +%d from the site accepted", name, s, d);
            JQ_CHECK(&Q, r == 0 || hy_jit_error(j)[0], "%s: refusal without a message", name);
        }
        /* refused: wrong length */
        memcpy(bytes, ps->alt, ps->len);
        memset(bytes + ps->len, be->nop[0], 4);
        JQ_CHECK(&Q, hy_jit_patch_bytes(j, c, ps->off, bytes, ps->len + (be->insn_align > 1 ? 4u : 1u)) != 0,
                 "%s: site %u: longer patch accepted", name, s);
        if (ps->len > 1)
            JQ_CHECK(&Q, hy_jit_patch_bytes(j, c, ps->off, ps->alt, ps->len - 1) != 0,
                     "%s: site %u: shorter patch accepted", name, s);
        /* refused: other bytes of the right length (a trap, an inverted branch,
         * an allowed-elsewhere NOP form, the site's bytes with one bit flipped) */
        uint8_t cand[6][HY_SITE_MAX_BYTES];
        int nc = 0;
        for (int k = 0; k < ps->len; k++) cand[nc][k] = be->trap[k % be->trap_len];
        nc++;
        memcpy(cand[nc], ps->orig, ps->len);
        cand[nc][be->insn_align > 1 ? 0 : (ps->len == 2 ? 0 : 1)] ^= 1; /* inverted condition */
        nc++;
        memcpy(cand[nc], ps->orig, ps->len);
        cand[nc][ps->len - 1] ^= 0x80; /* another target */
        nc++;
        memcpy(cand[nc], ps->alt, ps->len);
        cand[nc][ps->len - 1] ^= 1;
        nc++;
        for (int k = 0; k < ps->len; k++) cand[nc][k] = be->nop[k % be->nop_len]; /* plain NOPs */
        nc++;
        for (int k = 0; k < nc; k++) {
            if (!memcmp(cand[k], ps->orig, ps->len) || !memcmp(cand[k], ps->alt, ps->len)) continue;
            JQ_CHECK(&Q, hy_jit_patch_bytes(j, c, ps->off, cand[k], ps->len) != 0,
                     "%s: site %u: foreign bytes (candidate %d) accepted", name, s, k);
        }
        JQ_CHECK(&Q, live_equals_image(c) && !memcmp(c->image, orig, c->size),
                 "%s: site %u: bytes changed by a refused patch", name, s);
        /* allowed: NOP, then restore, through the raw API */
        JQ_CHECK(&Q, hy_jit_patch_bytes(j, c, ps->off, ps->alt, ps->len) == 0, "%s: site %u: NOP refused: %s", name,
                 s, hy_jit_error(j));
        JQ_CHECK(&Q, !memcmp((uint8_t *)c->entry + ps->off, ps->alt, ps->len) && live_equals_image(c),
                 "%s: site %u: NOP not in the executable bytes", name, s);
        JQ_CHECK(&Q, hy_jit_patch_bytes(j, c, ps->off, ps->orig, ps->len) == 0, "%s: site %u: restore refused: %s",
                 name, s, hy_jit_error(j));
        JQ_CHECK(&Q, !memcmp(c->entry, orig, c->size), "%s: site %u: NOP -> restore not byte-exact", name, s);
    }
    /* refused: a site index / guard id that does not exist */
    JQ_CHECK(&Q, hy_jit_patch_site(j, c, c->nsites, 1) != 0, "%s: patch of site %u (one past the end) accepted", name,
             c->nsites);
    JQ_CHECK(&Q, hy_jit_patch_site(j, c, 0xffffffffu, 1) != 0, "%s: patch of site 0xffffffff accepted", name);
    JQ_CHECK(&Q, hy_jit_set_guard(j, c, 0xfffffff0u, 0) < 0, "%s: unknown guard id accepted", name);
    /* refused everywhere outside sites: a raw patch at every non-site offset */
    for (size_t off = 0; off < c->size; off++) {
        int site = 0;
        for (uint32_t t = 0; t < c->nsites; t++) site |= c->sites[t].off == off;
        if (site) continue;
        uint8_t b[4];
        for (int k = 0; k < 4; k++) b[k] = be->nop[k % be->nop_len];
        size_t len = be->insn_align > 1 ? 4 : 1;
        if (off + len > c->size) break;
        JQ_CHECK(&Q, hy_jit_patch_bytes(j, c, off, b, len) != 0, "%s: raw NOP patch at non-site +%#zx accepted", name,
                 off);
    }
    /* the portable check on composed images */
    if (c->size) {
        uint8_t *next = malloc(c->size);
        char why[200];
        if (!next) abort();
        memcpy(next, orig, c->size);
        JQ_CHECK(&Q, hy_patch_check(c, next, c->size, why, sizeof why) == 0, "%s: unchanged image refused: %s", name,
                 why);
        JQ_CHECK(&Q, hy_patch_check(c, next, c->size - 1, why, sizeof why) != 0, "%s: shorter image accepted", name);
        for (size_t off = 0; off < c->size; off += 1 + c->size / 64) {
            int site = 0;
            for (uint32_t t = 0; t < c->nsites; t++)
                site |= off >= c->sites[t].off && off < (size_t)c->sites[t].off + c->sites[t].len;
            memcpy(next, orig, c->size);
            next[off] ^= 0x10;
            if (!site)
                JQ_CHECK(&Q, hy_patch_check(c, next, c->size, why, sizeof why) != 0,
                         "%s: byte change at +%#zx outside sites accepted", name, off);
        }
        free(next);
    }
    JQ_CHECK(&Q, !memcmp(c->entry, orig, c->size), "%s: executable bytes changed by the refused patches", name);
    free(orig);
}

static int cmd_patch(const char *dir) {
    struct hy_jit *j = new_jit();
    static const char *const files[] = {"guards.hir", "divguard.hir", "checked.hir", "calls.hir", "sum_loop.hir"};
    int nsites = 0;
    for (size_t f = 0; f < sizeof files / sizeof files[0]; f++) {
        struct hy_func *fn = load(dir, files[f]);
        if (!fn) continue;
        struct hy_jit_code *c = hy_jit_compile(j, fn);
        JQ_CHECK(&Q, c != NULL, "%s: compile: %s", files[f], hy_jit_error(j));
        if (c) {
            nsites += (int)c->nsites;
            patch_one(j, c, files[f]);
            /* lowered (never executable) code refuses live patching */
            char err[300];
            struct hy_jit_code *l = hy_jit_lower(hy_jit_backend(j), fn, jq_helpers(), 0x7f0000100000ull, NULL, err,
                                                 sizeof err);
            JQ_CHECK(&Q, l != NULL, "%s: lower: %s", files[f], err);
            if (l && l->nsites) {
                JQ_CHECK(&Q, hy_jit_patch_site(j, l, 0, 1) != 0, "%s: live patch of lowered code accepted", files[f]);
                JQ_CHECK(&Q, hy_lowered_patch_site(hy_jit_backend(j), jq_helpers(), l, l->nsites, 1, err, sizeof err) != 0,
                         "%s: lowered patch of a missing site accepted", files[f]);
            }
            hy_jit_code_free(NULL, l);
            hy_jit_code_free(j, c);
        }
        hy_func_free(fn);
    }
    /* generated programs with guards (both short and long branch forms) */
    int long_sites = 0;
    for (int i = 0; i < (Q.soak ? 200 : 25); i++) {
        struct hy_gen_opts o;
        memset(&o, 0, sizeof o);
        o.seed = 900 + (uint64_t)i;
        o.use_guards = o.use_loops = 1;
        o.use_f64 = i % 2;
        o.max_ins_per_block = i % 5 == 0 ? 60 : 0;
        o.helpers = jq_helpers();
        struct hy_func *fn = hy_gen_func(&o);
        if (!fn) continue;
        struct hy_jit_code *c = hy_jit_compile(j, fn);
        JQ_CHECK(&Q, c != NULL, "gen %d: compile: %s", i, hy_jit_error(j));
        if (c) {
            char name[32];
            snprintf(name, sizeof name, "gen seed %d", 900 + i);
            nsites += (int)c->nsites;
            for (uint32_t s = 0; s < c->nsites; s++) long_sites += c->sites[s].len == 6;
            patch_one(j, c, name);
            hy_jit_code_free(j, c);
        }
        hy_func_free(fn);
    }
    JQ_CHECK(&Q, nsites >= 20, "only %d patch sites exercised", nsites);
    printf("jq_live patch: %d x86 rel32 (6-byte) sites among them\n", long_sites);
    hy_jit_free(j);
    printf("jq_live patch: %d sites attacked\n", nsites);
    return 0;
}

/* ------------------------------------------------------------------ guards */

struct gstats {
    long runs, fired, disabled_runs, cycles;
};

static uint64_t arg_for(uint64_t *rng, int t, uint8_t *mem, int deref) {
    static const int64_t edge[] = {0, 1, -1, 2, 5, 7, 8, 9, 100, INT64_MAX, INT64_MIN, INT32_MAX, INT32_MIN, -7};
    uint64_t r = jq_rnd(rng);
    if (t == HY_T_PTR) return (r % 4 == 0 && !deref) ? 0 : (uint64_t)(uintptr_t)mem;
    if (t == HY_T_F64) {
        static const double fe[] = {0.0, 1.5, -2.5, 1e300, -1e18, 3.0};
        double d = fe[r % 6];
        uint64_t o;
        memcpy(&o, &d, 8);
        return o;
    }
    uint64_t v = (r >> 8) % 4 ? (uint64_t)edge[r % 14] : jq_rnd(rng);
    return t == HY_T_I32 ? (uint64_t)(uint32_t)v : v;
}

/* Run fn natively and in the evaluator with `disabled` guard ids; compare. */
static void compare(struct hy_jit *j, struct hy_jit_code *c, const struct hy_func *fn, const uint64_t *args,
                    const uint32_t *disabled, uint32_t ndis, const char *name, struct gstats *st) {
    struct hy_eval_opts eo;
    memset(&eo, 0, sizeof eo);
    eo.max_steps = 1000000;
    eo.disabled = disabled;
    eo.ndisabled = ndis;
    struct hy_eval_stats es;
    memset(&es, 0, sizeof es);
    char err[300];
    uint64_t ev = 0;
    if (hy_eval(fn, jq_helpers(), args, &ev, &eo, &es, err, sizeof err)) return; /* UB: not comparable */
    uint64_t r = hy_jit_invoke(c, args);
    (void)j;
    st->runs++;
    if (es.exits_taken) st->fired++;
    if (ndis) st->disabled_runs++;
    JQ_CHECK(&Q, jq_same(fn->ret, r, ev), "%s: native %#llx != evaluator %#llx (%u guard(s) NOP-ed, %u exit(s) taken)",
             name, (unsigned long long)r, (unsigned long long)ev, ndis, es.exits_taken);
}

/* Guards whose NOP-ing cannot make the program touch memory it must not:
 * only programs without loads/stores are run with guards disabled. */
static int has_mem(const struct hy_func *fn) {
    for (uint32_t b = 0; b < fn->nblocks; b++)
        for (uint32_t i = 0; i < fn->blocks[b].n; i++)
            if (fn->blocks[b].ins[i].op == HY_OP_LOAD || fn->blocks[b].ins[i].op == HY_OP_STORE) return 1;
    return 0;
}

static void guard_func(struct hy_jit *j, const struct hy_func *fn, const char *name, uint64_t seed, int trials,
                       struct gstats *st) {
    struct hy_jit_code *c = hy_jit_compile(j, fn);
    JQ_CHECK(&Q, c != NULL, "%s: compile: %s", name, hy_jit_error(j));
    if (!c) return;
    static uint8_t mem[4096];
    uint64_t rng = seed;
    uint32_t ids[64];
    uint32_t nid = 0;
    for (uint32_t s = 0; s < c->nsites && nid < 64; s++) {
        int dup = 0;
        for (uint32_t k = 0; k < nid; k++) dup |= ids[k] == c->sites[s].guard_id;
        if (!dup) ids[nid++] = c->sites[s].guard_id;
    }
    uint8_t *orig = malloc(c->size);
    if (!orig) abort();
    memcpy(orig, c->entry, c->size);
    int cycles = Q.soak ? 6 : 3;
    int hm = has_mem(fn);
    for (int cyc = 0; cyc < cycles; cyc++) {
        /* all guards armed */
        for (int t = 0; t < trials; t++) {
            uint64_t a[HY_MAX_ARGS] = {0};
            for (int p = 0; p < fn->nparams; p++) a[p] = arg_for(&rng, fn->vtype[p], mem, hm);
            memset(mem, 0, sizeof mem);
            compare(j, c, fn, a, NULL, 0, name, st);
        }
        if (!nid || hm) break;
        /* one guard id NOP-ed at a time, then all of them */
        for (uint32_t g = 0; g <= nid; g++) {
            uint32_t *dis = g < nid ? &ids[g] : ids;
            uint32_t nd = g < nid ? 1 : nid;
            int ok = 1;
            for (uint32_t k = 0; k < nd; k++) ok &= hy_jit_set_guard(j, c, dis[k], 0) > 0;
            JQ_CHECK(&Q, ok, "%s: NOP of guard(s) refused: %s", name, hy_jit_error(j));
            for (int t = 0; t < trials && ok; t++) {
                uint64_t a[HY_MAX_ARGS] = {0};
                for (int p = 0; p < fn->nparams; p++) a[p] = arg_for(&rng, fn->vtype[p], mem, hm);
                compare(j, c, fn, a, dis, nd, name, st);
            }
            for (uint32_t k = 0; k < nd; k++)
                JQ_CHECK(&Q, hy_jit_set_guard(j, c, dis[k], 1) > 0, "%s: restore refused: %s", name, hy_jit_error(j));
            JQ_CHECK(&Q, !memcmp(orig, c->entry, c->size), "%s: restore not byte-exact (cycle %d)", name, cyc);
        }
        st->cycles++;
    }
    free(orig);
    hy_jit_code_free(j, c);
}

static int cmd_guards(const char *dir) {
    struct hy_jit *j = new_jit();
    struct gstats st = {0};
    DIR *d = opendir(dir);
    JQ_CHECK(&Q, d != NULL, "cannot open %s", dir);
    struct dirent *e;
    while (d && (e = readdir(d))) {
        size_t l = strlen(e->d_name);
        if (l < 5 || strcmp(e->d_name + l - 4, ".hir")) continue;
        struct hy_func *fn = load(dir, e->d_name);
        if (!fn) continue;
        guard_func(j, fn, e->d_name, 77 + l, 40, &st);
        hy_func_free(fn);
    }
    if (d) closedir(d);
    int ngen = Q.soak ? 2000 : Q.emulated ? 60 : 100;
    for (int i = 0; i < ngen; i++) {
        struct hy_gen_opts o;
        memset(&o, 0, sizeof o);
        o.seed = 5000 + (uint64_t)i;
        o.use_guards = 1;
        o.use_f64 = i % 2;
        o.use_loops = i % 3 != 0;
        o.use_calls = i % 4 == 0;
        o.helpers = jq_helpers();
        struct hy_func *fn = hy_gen_func(&o);
        if (!fn) continue;
        char name[32];
        snprintf(name, sizeof name, "gen seed %d", 5000 + i);
        guard_func(j, fn, name, (uint64_t)i, 8, &st);
        hy_func_free(fn);
    }
    hy_jit_free(j);
    printf("jq_live guards: %ld comparisons, %ld with a guard exit taken, %ld with guards NOP-ed, %ld NOP->restore "
           "cycles\n",
           st.runs, st.fired, st.disabled_runs, st.cycles);
    JQ_CHECK(&Q, st.fired >= 50, "only %ld runs took a guard exit: the test does not exercise guards", st.fired);
    JQ_CHECK(&Q, st.disabled_runs >= 50, "only %ld runs with NOP-ed guards", st.disabled_runs);
    return 0;
}

/* ------------------------------------------------------------------ W^X */

struct scan {
    atomic_int stop;
    long scans, bad;
    char first_bad[300];
};

static void *scanner(void *arg) {
    struct scan *s = arg;
    char line[512];
    while (!atomic_load(&s->stop)) {
        FILE *f = fopen("/proc/self/maps", "r");
        if (!f) break;
        while (fgets(line, sizeof line, f)) {
            char perm[8] = {0};
            if (sscanf(line, "%*s %7s", perm) != 1) continue;
            if (strchr(perm, 'w') && strchr(perm, 'x')) {
                if (!s->bad) snprintf(s->first_bad, sizeof s->first_bad, "%.290s", line);
                s->bad++;
            }
        }
        fclose(f);
        s->scans++;
    }
    return NULL;
}

static int cmd_wx(const char *dir) {
    if (access("/proc/self/maps", R_OK)) {
        printf("jq_live wx: NOT CHECKED: no /proc/self/maps\n");
        return 0;
    }
    /* mappings that are W+X before we start are not ours (e.g. an emulator's
     * code cache); the suite must not have any in a native process */
    struct scan s0;
    memset(&s0, 0, sizeof s0);
    atomic_store(&s0.stop, 1);
    {
        FILE *f = fopen("/proc/self/maps", "r");
        char line[512];
        while (f && fgets(line, sizeof line, f)) {
            char perm[8] = {0};
            if (sscanf(line, "%*s %7s", perm) == 1 && strchr(perm, 'w') && strchr(perm, 'x')) s0.bad++;
        }
        if (f) fclose(f);
    }
    JQ_CHECK(&Q, s0.bad == 0, "W+X mapping present before the test started");
    struct scan s;
    memset(&s, 0, sizeof s);
    pthread_t th;
    if (pthread_create(&th, NULL, scanner, &s)) {
        JQ_CHECK(&Q, 0, "pthread_create failed");
        return 0;
    }
    struct hy_jit *j = new_jit();
    static const char *const files[] = {"guards.hir", "divguard.hir", "checked.hir", "calls.hir", "fcalls.hir",
                                        "many_args.hir", "sum_loop.hir"};
    struct hy_func *fns[16];
    int nf = 0;
    for (size_t f = 0; f < sizeof files / sizeof files[0]; f++)
        if ((fns[nf] = load(dir, files[f]))) nf++;
    int rounds = Q.soak ? 3000 : 300;
    long compiled = 0, patched = 0;
    struct hy_jit_code *live[8] = {0};
    for (int r = 0; r < rounds && nf; r++) {
        int slot = r % 8;
        if (live[slot]) hy_jit_code_free(j, live[slot]);
        live[slot] = hy_jit_compile(j, fns[r % nf]);
        JQ_CHECK(&Q, live[slot] != NULL, "compile: %s", hy_jit_error(j));
        if (!live[slot]) continue;
        compiled++;
        uint64_t a[HY_MAX_ARGS] = {0};
        static uint8_t mem[64];
        for (int p = 0; p < fns[r % nf]->nparams; p++)
            a[p] = fns[r % nf]->vtype[p] == HY_T_PTR ? (uint64_t)(uintptr_t)mem : (uint64_t)(r % 7);
        (void)hy_jit_invoke(live[slot], a);
        for (uint32_t k = 0; k < live[slot]->nsites; k++) {
            JQ_CHECK(&Q, hy_jit_patch_site(j, live[slot], k, 1) == 0, "patch: %s", hy_jit_error(j));
            JQ_CHECK(&Q, hy_jit_patch_site(j, live[slot], k, 0) == 0, "restore: %s", hy_jit_error(j));
            patched += 2;
        }
    }
    for (int k = 0; k < 8; k++) hy_jit_code_free(j, live[k]);
    hy_jit_free(j);
    /* let the scanner finish at least a few passes after the storm */
    long before = s.scans;
    for (int w = 0; w < 2000 && s.scans < before + 3; w++) usleep(1000);
    atomic_store(&s.stop, 1);
    pthread_join(th, NULL);
    for (int k = 0; k < nf; k++) hy_func_free(fns[k]);
    printf("jq_live wx: %ld compiles, %ld patches, %ld scans of /proc/self/maps, %ld W+X sightings\n", compiled,
           patched, s.scans, s.bad);
    JQ_CHECK(&Q, s.bad == 0, "W+X mapping seen: %s", s.first_bad);
    JQ_CHECK(&Q, s.scans >= 3, "scanner ran only %ld times", s.scans);
    return 0;
}

int main(int argc, char **argv) {
    jq_init(&Q);
    if (argc < 3) {
        fprintf(stderr, "usage: jq_live patch|guards|wx HIRDIR\n");
        return 2;
    }
    if (!strcmp(argv[1], "patch")) cmd_patch(argv[2]);
    else if (!strcmp(argv[1], "guards")) cmd_guards(argv[2]);
    else if (!strcmp(argv[1], "wx")) cmd_wx(argv[2]);
    else return 2;
    if (Q.failures) {
        printf("jq_live %s: %d failure(s)\n", argv[1], Q.failures);
        return 1;
    }
    printf("jq_live %s: OK\n", argv[1]);
    return 0;
}
