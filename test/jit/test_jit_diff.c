/* Random IR differential test: generated programs run as native code and in
 * the reference evaluator must agree on the result, on memory, on helper
 * side effects and call counts; every helper call from JIT code must see a
 * 16-byte aligned stack. A share of the programs is compiled with register
 * allocation fault injection (few registers, random choice) to stress spills.
 * Prints the compile throughput. HY_SOAK=1 runs far more programs;
 * HY_DIFF_COUNT=N / HY_DIFF_SEED=S override count and first seed. */
#include <math.h>
#include <string.h>

#include "jit/jit.h"
#include "test_util.h"

#define MEM 512

static uint64_t rng_state = 88172645463325252ull;
static uint64_t rnd(void) {
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

static uint64_t rand_arg(int type) {
    static const int64_t edge[] = {0, 1, -1, 2, 3, 7, 100, -100, INT64_MAX, INT64_MIN, INT32_MAX, INT32_MIN, 255, 65536};
    if (type == HY_T_F64) {
        static const double fe[] = {0.0, -0.0, 1.0, -1.5, 3.25, 1e18, -1e19, 1e300, 4.9e-324};
        double d;
        switch (rnd() % 4) {
        case 0: d = fe[rnd() % 9]; break;
        case 1: d = (double)((int64_t)(rnd() % 2001) - 1000) / 4.0; break;
        case 2: d = rnd() % 16 ? (double)(int64_t)rnd() : __builtin_nan(""); break;
        default: d = (double)(int64_t)(rnd() % 200) - 100; break;
        }
        uint64_t b;
        memcpy(&b, &d, 8);
        return b;
    }
    uint64_t v = rnd() % 3 ? (uint64_t)edge[rnd() % 14] : rnd();
    if (rnd() % 3 == 0) v = rnd() % 50;
    return v;
}

static int mem_same(const uint8_t *a, const uint8_t *b) {
    if (memcmp(a, b, MEM / 2)) return 0;
    for (int off = MEM / 2; off < MEM; off += 8) {
        uint64_t x, y;
        memcpy(&x, a + off, 8);
        memcpy(&y, b + off, 8);
        if (!t_same(HY_T_F64, x, y)) {
            /* f64 half: NaN payloads may differ, but so may unaligned f64
             * stores; compare bytes when neither word is a NaN */
            return 0;
        }
    }
    return 1;
}

int main(void) {
    int count = t_env_soak() ? 200000 : 4000;
    const char *ce = getenv("HY_DIFF_COUNT"), *se = getenv("HY_DIFF_SEED");
    if (ce) count = atoi(ce);
    uint64_t seed0 = se ? strtoull(se, NULL, 0) : 1;
    struct hy_jit_config cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.helpers = t_helpers();
    struct hy_jit *j = hy_jit_new(&cfg);
    CHECK(j && !hy_jit_error(j)[0], "jit context: %s", j ? hy_jit_error(j) : "oom");
    if (!j) return 1;
    /* fault-injection context: shares the code memory */
    struct hy_jit_config cfg2 = cfg;
    cfg2.cm = hy_jit_codemem(j);
    struct hy_jit *jf = hy_jit_new(&cfg2);
    /* constant-blinding context */
    struct hy_jit_config cfg3 = cfg2;
    cfg3.blind_constants = 1;
    struct hy_jit *jb = hy_jit_new(&cfg3);
    static uint8_t mem1[MEM], mem2[MEM];
    uint64_t nins = 0, ns_compile = 0, ns_total = 0, runs = 0, exits = 0, helper_calls = 0;
    int mismatches = 0;
    for (int i = 0; i < count && mismatches < 5; i++) {
        uint64_t seed = seed0 + (uint64_t)i;
        struct hy_gen_opts o;
        memset(&o, 0, sizeof o);
        o.seed = seed;
        o.mem_bytes = i % 4 ? MEM : 0;
        o.use_f64 = i % 5 != 3;
        o.use_calls = i % 3 != 2;
        o.use_guards = 1;
        o.use_loops = i % 4 != 1;
        o.helpers = t_helpers();
        struct hy_func *fn = hy_gen_func(&o);
        CHECK(fn != NULL, "seed %llu: generator failed", (unsigned long long)seed);
        if (!fn) continue;
        struct hy_jit *use = j;
        if (i % 8 == 5 && jb) use = jb;
        if (i % 4 == 3 && jf) {
            struct hy_ra_opts ro = {0};
            ro.limit_gpr = 1 + (uint32_t)(seed % 4);
            ro.limit_fpr = 1 + (uint32_t)(seed % 3);
            ro.random_seed = seed;
            /* the context's RA options are fixed at creation: recreate cheaply */
            hy_jit_free(jf);
            cfg2.ra = ro;
            jf = hy_jit_new(&cfg2);
            use = jf ? jf : j;
        }
        struct hy_jit_code *c = hy_jit_compile(use, fn);
        CHECK(c != NULL, "seed %llu: compile failed: %s", (unsigned long long)seed, hy_jit_error(use));
        if (!c) {
            char *txt = hy_print_func_str(fn, t_helpers());
            fprintf(stderr, "%s\n", txt ? txt : "");
            free(txt);
            hy_func_free(fn);
            mismatches++;
            continue;
        }
        nins += c->stats.nins;
        ns_compile += c->stats.ns_verify + c->stats.ns_regalloc + c->stats.ns_emit + c->stats.ns_filter;
        ns_total += c->stats.ns_total;
        for (int r = 0; r < 2; r++) {
            uint64_t a1[HY_MAX_ARGS], a2[HY_MAX_ARGS];
            for (uint32_t p = 0; p < fn->nparams; p++) a1[p] = a2[p] = rand_arg(fn->vtype[p]);
            if (o.mem_bytes) {
                for (int k = 0; k < MEM; k++) mem1[k] = (uint8_t)(k * 7 + i + r);
                for (int k = MEM / 2; k < MEM; k += 8) {
                    double d = (double)(k - MEM * 3 / 4) * 0.75;
                    memcpy(mem1 + k, &d, 8);
                }
                memcpy(mem2, mem1, MEM);
                a1[0] = (uint64_t)(uintptr_t)mem1;
                a2[0] = (uint64_t)(uintptr_t)mem2;
            }
            memset(&t_state, 0, sizeof t_state);
            uint64_t nat = hy_jit_invoke(c, a1);
            struct hy_test_state ns = t_state;
            memset(&t_state, 0, sizeof t_state);
            uint64_t ev = 0;
            char err[256];
            struct hy_eval_stats st;
            int erc = hy_eval(fn, t_helpers(), a2, &ev, NULL, &st, err, sizeof err);
            CHECK(erc == 0, "seed %llu: evaluator: %s", (unsigned long long)seed, err);
            int ok = erc == 0 && t_same(fn->ret, nat, ev) && (!o.mem_bytes || mem_same(mem1, mem2)) &&
                     ns.side == t_state.side && ns.calls == t_state.calls;
            CHECK(ns.misaligned == 0, "seed %llu: %llu helper call(s) with a misaligned stack", (unsigned long long)seed,
                  (unsigned long long)ns.misaligned);
            if (!ok) {
                mismatches++;
                t_failures++;
                fprintf(stderr,
                        "MISMATCH seed %llu run %d (%s): native %#llx evaluator %#llx, memory %s, side %llx/%llx, "
                        "calls %llu/%llu\n",
                        (unsigned long long)seed, r, use == j ? "default" : use == jb ? "blinded constants" : "fault-injected RA", (unsigned long long)nat,
                        (unsigned long long)ev, !o.mem_bytes || mem_same(mem1, mem2) ? "same" : "DIFFERS",
                        (unsigned long long)ns.side, (unsigned long long)t_state.side, (unsigned long long)ns.calls,
                        (unsigned long long)t_state.calls);
                fprintf(stderr, "args:");
                for (uint32_t p = 0; p < fn->nparams; p++) fprintf(stderr, " %#llx", (unsigned long long)a2[p]);
                fprintf(stderr, "\n");
                char *txt = hy_print_func_str(fn, t_helpers());
                fprintf(stderr, "%s\n", txt ? txt : "");
                free(txt);
                break;
            }
            runs++;
            exits += st.exits_taken;
            helper_calls += ns.calls;
        }
        hy_jit_code_free(use, c);
        hy_func_free(fn);
    }
    printf("jit_diff: %d programs, %llu runs, %llu guard exits, %llu helper calls from JIT code\n", count,
           (unsigned long long)runs, (unsigned long long)exits, (unsigned long long)helper_calls);
    if (ns_compile)
        printf("compile throughput: %.2f IR instructions/us (verify+regalloc+emit+filter), %.2f with code memory "
               "commit (%llu instructions)\n",
               (double)nins * 1000.0 / (double)ns_compile, (double)nins * 1000.0 / (double)ns_total,
               (unsigned long long)nins);
    CHECK(helper_calls > 0 || count < 10, "no helper was ever called");
    hy_jit_free(jb);
    hy_jit_free(jf);
    hy_jit_free(j);
    if (t_failures) {
        fprintf(stderr, "test_jit_diff: %d failure(s)\n", t_failures);
        return 1;
    }
    printf("test_jit_diff: ok\n");
    return 0;
}
