/* Native-code tests of the JIT core on the machine it runs on:
 *  - every .hir expectation (worked out by hand) holds for native code;
 *  - spilling: 40 live i64 and 20 live f64 across helper calls give the
 *    evaluator's result and a C reimplementation's result;
 *  - guard patching: NOP and back byte-exactly, patched code runs like the
 *    evaluator with that guard disabled, patches outside registered sites
 *    (or with foreign bytes) are refused and leave the code unchanged. */
#include <string.h>

#include "jit/jit.h"
#include "jit/jit_internal.h"
#include "test_util.h"

static struct hy_jit *J;

static struct hy_func *parse(const char *src) {
    char err[256];
    struct hy_func *fn = hy_parse_func(src, strlen(src), t_helpers(), err, sizeof err);
    CHECK(fn != NULL, "parse: %s", err);
    if (fn) CHECK(hy_verify(fn, t_helpers(), err, sizeof err) == 0, "verify: %s", err);
    return fn;
}

static void test_hir_files(const char *dir) {
    char **names;
    int n = t_list_hir(dir, &names), total = 0;
    for (int i = 0; i < n; i++) {
        size_t len;
        char *src = t_read_file(names[i], &len);
        struct hy_func *fn = src ? parse(src) : NULL;
        if (fn) {
            struct hy_jit_code *c = hy_jit_compile(J, fn);
            CHECK(c != NULL, "%s: %s", names[i], hy_jit_error(J));
            struct t_expect ex[16];
            int ne = c ? t_parse_expects(src, fn, ex, 16) : 0;
            for (int k = 0; k < ne; k++) {
                memset(&t_state, 0, sizeof t_state);
                uint64_t r = hy_jit_invoke(c, ex[k].args);
                CHECK(t_same(fn->ret, r, ex[k].result), "%s expect #%d: native %#llx want %#llx", names[i], k + 1,
                      (unsigned long long)r, (unsigned long long)ex[k].result);
                CHECK(t_state.misaligned == 0, "%s: misaligned helper call", names[i]);
                total++;
            }
            hy_jit_code_free(J, c);
            hy_func_free(fn);
        }
        free(src);
        free(names[i]);
    }
    free(names);
    CHECK(total >= 20, "only %d native expectations ran", total);
}

/* ---- spilling ---- */

#define NI 40
#define NF 20

static int64_t c_mix3(int64_t a, int64_t b, int64_t c) { return (int64_t)(((uint64_t)a * 31u + (uint64_t)b) ^ (uint64_t)c); }

/* The same computation as spill_func, written in C. */
static int64_t spill_ref(int64_t seed, double x) {
    int64_t v[NI];
    double f[NF];
    for (int i = 0; i < NI; i++) v[i] = (int64_t)((uint64_t)seed * (uint64_t)(i + 3) + (uint64_t)i);
    for (int k = 0; k < NF; k++) f[k] = x * ((double)k + 1.5);
    int64_t acc = c_mix3(v[0], v[1], v[2]);
    double facc = f[0] * 0.5 + (double)(v[3] & 1023);
    for (int i = 0; i < NI; i++) {
        acc = (int64_t)(((uint64_t)acc ^ (uint64_t)v[i]) + (uint64_t)i);
        if (i % 10 == 9) acc = c_mix3(acc, v[i], v[NI - 1 - i]);
    }
    for (int k = 0; k < NF; k++) {
        facc = facc + f[k];
        if (k % 5 == 4) facc = facc * 0.5 + (double)(acc & 1023);
    }
    int64_t fi = facc != facc ? 0 : facc >= 9.2e18 ? INT64_MAX : facc <= -9.2e18 ? INT64_MIN : (int64_t)facc;
    return (int64_t)((uint64_t)acc + (uint64_t)fi);
}

static struct hy_func *spill_func(void) {
    uint8_t pt[2] = {HY_T_I64, HY_T_F64};
    struct hy_func *fn = hy_func_new("spill", HY_T_I64, 2, pt);
    hy_block_new(fn);
    int v[NI], f[NF];
    for (int i = 0; i < NI; i++) {
        int m = hy_b_const(fn, 0, HY_T_I64, i + 3), a = hy_b_const(fn, 0, HY_T_I64, i);
        v[i] = hy_b_bin(fn, 0, HY_OP_ADD, HY_T_I64, hy_b_bin(fn, 0, HY_OP_MUL, HY_T_I64, 0, m), a);
    }
    for (int k = 0; k < NF; k++) f[k] = hy_b_bin(fn, 0, HY_OP_FMUL, HY_T_F64, 1, hy_b_const_f64(fn, 0, (double)k + 1.5));
    /* helper calls while all 60 values are live */
    int args[3] = {v[0], v[1], v[2]};
    int acc = hy_b_call(fn, 0, HY_T_I64, 0, 3, args); /* mix3 */
    int fa[2] = {f[0], v[3]};
    int facc = hy_b_call(fn, 0, HY_T_F64, 1, 2, fa); /* fmix */
    for (int i = 0; i < NI; i++) {
        int x = hy_b_bin(fn, 0, HY_OP_XOR, HY_T_I64, acc, v[i]);
        acc = hy_b_bin(fn, 0, HY_OP_ADD, HY_T_I64, x, hy_b_const(fn, 0, HY_T_I64, i));
        if (i % 10 == 9) {
            int a3[3] = {acc, v[i], v[NI - 1 - i]};
            acc = hy_b_call(fn, 0, HY_T_I64, 0, 3, a3);
        }
    }
    for (int k = 0; k < NF; k++) {
        facc = hy_b_bin(fn, 0, HY_OP_FADD, HY_T_F64, facc, f[k]);
        if (k % 5 == 4) {
            int a2[2] = {facc, acc};
            facc = hy_b_call(fn, 0, HY_T_F64, 1, 2, a2);
        }
    }
    int fi = hy_b_un(fn, 0, HY_OP_FPTOSI, HY_T_I64, facc);
    hy_b_ret(fn, 0, hy_b_bin(fn, 0, HY_OP_ADD, HY_T_I64, acc, fi));
    return fn;
}

static void test_spill(void) {
    struct hy_func *fn = spill_func();
    char err[256];
    CHECK(hy_verify(fn, t_helpers(), err, sizeof err) == 0, "spill IR: %s", err);
    struct hy_jit_code *c = hy_jit_compile(J, fn);
    CHECK(c != NULL, "spill compile: %s", hy_jit_error(J));
    if (!c) {
        hy_func_free(fn);
        return;
    }
    CHECK(c->stats.nspilled > 0, "60 simultaneously live values but nothing spilled");
    printf("spill: %u vregs, %u spilled into %u slots, %zu bytes of code\n", c->stats.nvregs, c->stats.nspilled,
           c->stats.nslots, c->size);
    static const int64_t seeds[] = {0, 1, -7, 123456789, INT64_MAX, INT64_MIN};
    static const double xs[] = {0.0, 1.25, -3.5, 1e10, -1e300};
    for (int s = 0; s < 6; s++)
        for (int k = 0; k < 5; k++) {
            uint64_t args[2];
            args[0] = (uint64_t)seeds[s];
            memcpy(&args[1], &xs[k], 8);
            memset(&t_state, 0, sizeof t_state);
            uint64_t nat = hy_jit_invoke(c, args);
            CHECK(t_state.misaligned == 0 && t_state.calls == 4 + 4 + 1 + 1, "spill: calls %llu misaligned %llu",
                  (unsigned long long)t_state.calls, (unsigned long long)t_state.misaligned);
            uint64_t ev;
            CHECK(hy_eval(fn, t_helpers(), args, &ev, NULL, NULL, err, sizeof err) == 0, "%s", err);
            int64_t want = spill_ref(seeds[s], xs[k]);
            CHECK(ev == (uint64_t)want, "evaluator %lld vs C %lld", (long long)ev, (long long)want);
            CHECK(nat == ev, "spill seed %lld x %g: native %lld evaluator %lld", (long long)seeds[s], xs[k], (long long)nat,
                  (long long)ev);
        }
    hy_jit_code_free(J, c);
    hy_func_free(fn);
}

/* ---- patching ---- */

static const char *guard_src =
    "func @g(%0:ptr, %1:i64, %2:i64) -> i64 {\n"
    "bb0:\n"
    "  guard.null eqz %0 -> isnull id=1 ctr=0\n"
    "  %3:i64 = const 8\n"
    "  guard.bounds uge %1, %3 -> oob id=2 ctr=1\n"
    "  %4:i64 = addo %1, %2 -> ovf id=3 ctr=2\n"
    "  ret %4\n"
    "isnull:\n  %5:i64 = const 100\n  ret %5\n"
    "oob:\n  %6:i64 = const 200\n  ret %6\n"
    "ovf:\n  %7:i64 = const 300\n  ret %7\n"
    "}\n";

static int exec_equals(const struct hy_jit_code *c, const uint8_t *img) { return memcmp(c->entry, img, c->size) == 0; }

static uint64_t run3(const struct hy_jit_code *c, uint64_t a, uint64_t b, uint64_t d) {
    uint64_t args[3] = {a, b, d};
    return hy_jit_invoke(c, args);
}

static void test_patch_basic(void) {
    struct hy_func *fn = parse(guard_src);
    if (!fn) return;
    struct hy_jit_code *c = hy_jit_compile(J, fn);
    CHECK(c != NULL, "%s", hy_jit_error(J));
    if (!c) {
        hy_func_free(fn);
        return;
    }
    CHECK(c->nsites == 3, "expected 3 patch sites, got %u", c->nsites);
    CHECK(exec_equals(c, c->orig_image), "executable bytes differ from the emitted image");
    uint64_t big = (uint64_t)INT64_MAX;
    CHECK(run3(c, 0, 1, 1) == 100 && run3(c, 8, 9, 1) == 200 && run3(c, 8, 3, big) == 300 && run3(c, 8, 3, 4) == 7,
          "guards do not exit as written");
    /* NOP the bounds guard: out-of-range index falls through to the add */
    CHECK(hy_jit_set_guard(J, c, 2, 0) == 1, "set_guard: %s", hy_jit_error(J));
    const struct hy_patch_site *s2 = NULL;
    for (uint32_t s = 0; s < c->nsites; s++)
        if (c->sites[s].guard_id == 2) s2 = &c->sites[s];
    CHECK(s2 && memcmp((uint8_t *)c->entry + s2->off, s2->alt, s2->len) == 0, "site does not hold its NOP");
    for (size_t k = 0; s2 && k < c->size; k++)
        if (k < s2->off || k >= s2->off + s2->len)
            CHECK(((uint8_t *)c->entry)[k] == c->orig_image[k], "byte +%zu changed outside the site", k);
    CHECK(run3(c, 8, 9, 1) == 10, "NOP-ed bounds guard still exits (got %llu)", (unsigned long long)run3(c, 8, 9, 1));
    CHECK(run3(c, 0, 9, 1) == 100, "other guards must still work");
    /* and back, byte-exactly */
    CHECK(hy_jit_set_guard(J, c, 2, 1) == 1, "restore: %s", hy_jit_error(J));
    CHECK(exec_equals(c, c->orig_image), "restored code is not byte-identical to the original");
    CHECK(run3(c, 8, 9, 1) == 200, "restored guard does not exit");
    /* all sites off, then on */
    for (uint32_t s = 0; s < c->nsites; s++) CHECK(hy_jit_patch_site(J, c, s, 1) == 0, "%s", hy_jit_error(J));
    CHECK(run3(c, 8, 3, big) == (uint64_t)INT64_MIN + 2, "NOP-ed overflow exit: wrapped sum expected");
    for (uint32_t s = 0; s < c->nsites; s++) CHECK(hy_jit_patch_site(J, c, s, 0) == 0, "%s", hy_jit_error(J));
    CHECK(exec_equals(c, c->orig_image), "not byte-identical after NOP/restore of all sites");

    /* refusals: nothing may change */
    const struct hy_patch_site *s0 = &c->sites[0];
    CHECK(hy_jit_patch_bytes(J, c, s0->off + 1, s0->alt, s0->len) != 0, "patch off a site boundary accepted");
    uint8_t junk[HY_SITE_MAX_BYTES];
    memset(junk, 0x90, sizeof junk);
    junk[0] ^= s0->alt[0] == 0x90 ? 1 : 0;
    CHECK(hy_jit_patch_bytes(J, c, s0->off, junk, s0->len) != 0, "foreign bytes at a site accepted");
    CHECK(hy_jit_patch_bytes(J, c, 0, s0->alt, s0->len) != 0 || s0->off == 0, "patch at offset 0 (no site) accepted");
    CHECK(hy_jit_patch_bytes(J, c, s0->off, s0->alt, s0->len) == 0, "registered patch refused: %s", hy_jit_error(J));
    CHECK(hy_jit_patch_bytes(J, c, s0->off, s0->orig, s0->len) == 0, "restore refused: %s", hy_jit_error(J));
    /* bypass the portable front door: code memory's verifier callback must
     * refuse a byte change outside any site, and a changed branch at a site */
    struct hy_verify_ctx v;
    memset(&v, 0, sizeof v);
    v.be = hy_jit_backend(J);
    v.code = c;
    v.expect_base = c->base;
    v.expect_len = c->size;
    v.is_patch = 1;
    size_t outside = 0;
    while (outside < c->size) {
        int in_site = 0;
        for (uint32_t s = 0; s < c->nsites; s++) in_site |= outside >= c->sites[s].off && outside < c->sites[s].off + c->sites[s].len;
        if (!in_site) break;
        outside++;
    }
    uint8_t b = (uint8_t)(c->orig_image[outside] ^ 0x01);
    CHECK(hy_code_patch(hy_jit_codemem(J), (uint8_t *)c->entry + outside, &b, 1, hy_verify_cb, &v) != 0,
          "code memory accepted a patch outside every site");
    uint8_t other[HY_SITE_MAX_BYTES];
    memcpy(other, s0->orig, s0->len);
    other[s0->len - 1] ^= 0x04; /* a different branch target / register */
    memset(&v.why, 0, sizeof v.why);
    CHECK(hy_code_patch(hy_jit_codemem(J), (uint8_t *)c->entry + s0->off, other, s0->len, hy_verify_cb, &v) != 0,
          "code memory accepted foreign bytes at a site");
    CHECK(exec_equals(c, c->orig_image), "refused patches changed the code");
    CHECK(run3(c, 8, 9, 1) == 200 && run3(c, 8, 3, 4) == 7, "code broken after refused patches");
    hy_jit_code_free(J, c);
    hy_func_free(fn);
}

/* Generated programs with random guards NOP-ed run like the evaluator with
 * those guard ids disabled. */
static void test_patch_generated(int count) {
    static uint8_t m1[256], m2[256];
    int patched_runs = 0;
    for (int i = 0; i < count; i++) {
        struct hy_gen_opts o;
        memset(&o, 0, sizeof o);
        o.seed = 90000 + (uint64_t)i;
        o.mem_bytes = sizeof m1;
        o.use_f64 = o.use_calls = o.use_guards = o.use_loops = 1;
        o.helpers = t_helpers();
        struct hy_func *fn = hy_gen_func(&o);
        if (!fn) continue;
        struct hy_jit_code *c = hy_jit_compile(J, fn);
        CHECK(c != NULL, "seed %d: %s", i, hy_jit_error(J));
        if (!c) {
            hy_func_free(fn);
            continue;
        }
        /* disable guards whose ids are odd-ish, but never div_zero guards
         * (their NOP would make the division undefined) */
        uint32_t dis[256];
        uint32_t nd = 0;
        for (uint32_t s = 0; s < c->nsites; s++) {
            const struct hy_patch_site *ps = &c->sites[s];
            if (ps->kind == HY_GK_DIV_ZERO || (ps->guard_id * 2654435761u + (uint32_t)i) % 3 == 0) continue;
            CHECK(hy_jit_patch_site(J, c, s, 1) == 0, "seed %d site %u: %s", i, s, hy_jit_error(J));
            if (nd < 256) dis[nd++] = ps->guard_id;
        }
        uint64_t args[HY_MAX_ARGS] = {0};
        for (uint32_t p = 1; p < fn->nparams; p++) args[p] = (uint64_t)(i * 37 + (int)p) * 0x9e3779b97f4a7c15ull;
        for (uint32_t p = 1; p < fn->nparams; p++)
            if (fn->vtype[p] == HY_T_F64) {
                double d = (double)(int64_t)(args[p] >> 40) / 16.0;
                memcpy(&args[p], &d, 8);
            }
        memset(m1, 7, sizeof m1);
        memset(m2, 7, sizeof m2);
        args[0] = (uint64_t)(uintptr_t)m1;
        memset(&t_state, 0, sizeof t_state);
        uint64_t nat = hy_jit_invoke(c, args);
        args[0] = (uint64_t)(uintptr_t)m2;
        struct hy_eval_opts eo;
        memset(&eo, 0, sizeof eo);
        eo.disabled = dis;
        eo.ndisabled = nd;
        uint64_t ev;
        char err[256];
        int erc = hy_eval(fn, t_helpers(), args, &ev, &eo, NULL, err, sizeof err);
        CHECK(erc == 0, "seed %d: evaluator: %s", i, err);
        CHECK(erc || (t_same(fn->ret, nat, ev) && !memcmp(m1, m2, 128)), "seed %d: patched native %#llx vs evaluator %#llx", i,
              (unsigned long long)nat, (unsigned long long)ev);
        if (nd) patched_runs++;
        for (uint32_t s = 0; s < c->nsites; s++) CHECK(hy_jit_patch_site(J, c, s, 0) == 0, "%s", hy_jit_error(J));
        CHECK(exec_equals(c, c->orig_image), "seed %d: not byte-identical after restoring", i);
        hy_jit_code_free(J, c);
        hy_func_free(fn);
        if (t_failures > 10) break;
    }
    CHECK(patched_runs > count / 4, "only %d programs had a patched guard", patched_runs);
}

/* Blinded constants never appear in the executable bytes, and the code
 * still computes the same thing. */
static int contains(const uint8_t *hay, size_t n, const void *needle, size_t k) {
    for (size_t i = 0; i + k <= n; i++)
        if (!memcmp(hay + i, needle, k)) return 1;
    return 0;
}

static void test_blinding(void) {
    const char *src = "func @b(%0:i64) -> i64 {\nbb0:\n  %1:i64 = const 0x1234567890abcdef\n"
                      "  %2:i32 = const 0x7eadbeef\n  %3:f64 = const 3.14159\n  %4:i64 = xor %0, %1\n"
                      "  %5:i64 = sext %2\n  %6:i64 = add %4, %5\n  %7:i64 = fptosi %3\n  %8:i64 = add %6, %7\n"
                      "  ret %8\n}\n";
    struct hy_func *fn = parse(src);
    if (!fn) return;
    uint64_t k64 = 0x1234567890abcdefull, want = (5 ^ k64) + 0x7eadbeefull + 3;
    uint32_t k32 = 0x7eadbeef;
    double pi = 3.14159;
    /* without blinding the 64-bit constant is an immediate (sanity check of the test) */
    struct hy_jit_code *plain = hy_jit_compile(J, fn);
    if (!strcmp(hy_jit_backend(J)->name, "x86-64")) /* movabs carries all 8 bytes; ARM64 splits into movz/movk */
        CHECK(plain && contains(plain->entry, plain->size, &k64, 8), "unblinded code should hold the constant");
    hy_jit_code_free(J, plain);
    struct hy_jit_config cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.helpers = t_helpers();
    cfg.cm = hy_jit_codemem(J);
    cfg.blind_constants = 1;
    struct hy_jit *jb = hy_jit_new(&cfg);
    for (int rep = 0; jb && rep < 20; rep++) {
        struct hy_jit_code *c = hy_jit_compile(jb, fn);
        CHECK(c != NULL, "blinded compile: %s", hy_jit_error(jb));
        if (!c) break;
        CHECK(c->stats.nblinded == 3, "blinded %u constants, want 3", c->stats.nblinded);
        CHECK(!contains(c->entry, c->size, &k64, 8) && !contains(c->entry, c->size, &k32, 4) &&
                  !contains(c->entry, c->size, &pi, 8),
              "a blinded constant appears in the code");
        uint64_t a = 5;
        CHECK(hy_jit_invoke(c, &a) == want, "blinded code computes %llx", (unsigned long long)hy_jit_invoke(c, &a));
        hy_jit_code_free(jb, c);
    }
    hy_jit_free(jb);
    hy_func_free(fn);
}

/* The driver's safety net: a backend that emits a forbidden instruction is
 * stopped by the filter at commit (nothing becomes executable), and code
 * memory failures come back as clean errors. */
static int (*real_emit)(struct hy_lower *);
static int evil_emit(struct hy_lower *lw) {
    int rc = real_emit(lw);
    static const uint8_t x86_syscall[] = {0x0f, 0x05}, a64_svc[] = {0x01, 0x00, 0x00, 0xd4};
    int a64 = lw->tg == hy_backend_arm64()->target;
    if (rc == HY_EMIT_OK && lw->size >= 4) memcpy(lw->buf, a64 ? a64_svc : x86_syscall, a64 ? 4 : 2);
    return rc;
}

static void test_refusals(void) {
    struct hy_func *fn = parse("func @r(%0:i64) -> i64 {\nbb0:\n  %1:i64 = add %0, %0\n  ret %1\n}\n");
    if (!fn) return;
    struct hy_backend evil = *hy_jit_backend(J);
    real_emit = evil.emit_function;
    evil.emit_function = evil_emit;
    struct hy_jit_config cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.backend = &evil;
    cfg.cm = hy_jit_codemem(J);
    struct hy_jit *je = hy_jit_new(&cfg);
    struct hy_codemem_stats before, after;
    hy_codemem_stats(hy_jit_codemem(J), &before);
    struct hy_jit_code *c = je ? hy_jit_compile(je, fn) : NULL;
    hy_codemem_stats(hy_jit_codemem(J), &after);
    CHECK(c == NULL, "code with a forbidden instruction was committed");
    CHECK(je && strstr(hy_jit_error(je), "filter"), "refusal message: %s", je ? hy_jit_error(je) : "");
    CHECK(after.live_blocks == before.live_blocks && after.verify_refusals == before.verify_refusals + 1,
          "refused code left a live block (%zu -> %zu) or was not counted", before.live_blocks, after.live_blocks);
    hy_jit_code_free(je, c);
    hy_jit_free(je);
    /* a foreign-ISA backend never commits into executable memory (review R4) */
    const struct hy_backend *foreign =
        hy_backend_native() == hy_backend_x86_64() ? hy_backend_arm64() : hy_backend_x86_64();
    memset(&cfg, 0, sizeof cfg);
    cfg.backend = foreign;
    cfg.cm = hy_jit_codemem(J);
    struct hy_jit *jx = hy_jit_new(&cfg);
    hy_codemem_stats(hy_jit_codemem(J), &before);
    c = jx ? hy_jit_compile(jx, fn) : NULL;
    hy_codemem_stats(hy_jit_codemem(J), &after);
    CHECK(jx && c == NULL, "foreign backend %s: code committed", foreign->name);
    CHECK(jx && strstr(hy_jit_error(jx), "not the native backend"), "foreign refusal message: %s",
          jx ? hy_jit_error(jx) : "");
    CHECK(after.live_blocks == before.live_blocks, "foreign refusal left a live block");
    hy_jit_code_free(jx, c);
    hy_jit_free(jx);
    /* code memory that fails every reservation */
    struct hy_codemem_config cc;
    memset(&cc, 0, sizeof cc);
    cc.trap = hy_jit_backend(J)->trap;
    cc.trap_len = hy_jit_backend(J)->trap_len;
    cc.fail_after = 1;
    struct hy_codemem *cm = hy_codemem_new(&cc);
    memset(&cfg, 0, sizeof cfg);
    cfg.cm = cm;
    struct hy_jit *jf = cm ? hy_jit_new(&cfg) : NULL;
    /* fail_after = 1: one reservation succeeds, every later one fails */
    c = jf ? hy_jit_compile(jf, fn) : NULL;
    CHECK(c != NULL, "first compile under fail_after=1: %s", jf ? hy_jit_error(jf) : "");
    hy_jit_code_free(jf, c);
    c = jf ? hy_jit_compile(jf, fn) : NULL;
    CHECK(c == NULL && jf && strstr(hy_jit_error(jf), "code memory"), "injected failure: %s", jf ? hy_jit_error(jf) : "");
    hy_jit_code_free(jf, c);
    hy_jit_free(jf);
    hy_codemem_free(cm);
    hy_func_free(fn);
}

/* Review R5: an unguarded division by zero never traps natively; both ISAs
 * give x / 0 = 0 and x % 0 = x (ir.h). Expected values from that rule. */
static void test_div_zero(void) {
    static const char *const ops[] = {"sdiv", "srem", "udiv", "urem"};
    static const char *const tys[] = {"i32", "i64"};
    static const int64_t as[] = {7, -7, INT32_MIN, INT64_MIN, 0};
    for (int o = 0; o < 4; o++)
        for (int t = 0; t < 2; t++) {
            char src[256];
            snprintf(src, sizeof src, "func @dz(%%0:%s, %%1:%s) -> %s {\nbb0:\n  %%2:%s = %s %%0, %%1\n  ret %%2\n}\n",
                     tys[t], tys[t], tys[t], tys[t], ops[o]);
            struct hy_func *fn = parse(src);
            if (!fn) continue;
            struct hy_jit_code *c = hy_jit_compile(J, fn);
            CHECK(c != NULL, "%s %s: %s", ops[o], tys[t], hy_jit_error(J));
            for (size_t k = 0; c && k < sizeof as / sizeof as[0]; k++) {
                int64_t a = t == 0 ? (int64_t)(int32_t)as[k] : as[k];
                uint64_t args[2] = {(uint64_t)a, 0};
                uint64_t r = hy_jit_invoke(c, args);
                int rem = o == 1 || o == 3;
                uint64_t want = rem ? (uint64_t)a : 0;
                if (t == 0) {
                    r = (uint32_t)r;
                    want = (uint32_t)want;
                }
                CHECK(r == want, "%s %s %lld / 0 = %llx, want %llx", ops[o], tys[t], (long long)a,
                      (unsigned long long)r, (unsigned long long)want);
                /* and a normal division still works */
                args[1] = (uint64_t)(t == 0 ? (int64_t)(int32_t)-3 : -3);
                if (o == 0 && a == 7) CHECK((int64_t)(t == 0 ? (int32_t)hy_jit_invoke(c, args) : (int64_t)hy_jit_invoke(c, args)) == -2, "sdiv 7/-3");
            }
            hy_jit_code_free(J, c);
            hy_func_free(fn);
        }
}

int main(int argc, char **argv) {
    const char *dir = argc > 1 ? argv[1] : "hir";
    struct hy_jit_config cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.helpers = t_helpers();
    J = hy_jit_new(&cfg);
    CHECK(J && !hy_jit_error(J)[0], "context: %s", J ? hy_jit_error(J) : "oom");
    if (!J) return 1;
    test_hir_files(dir);
    test_spill();
    test_patch_basic();
    test_blinding();
    test_refusals();
    test_div_zero();
    test_patch_generated(t_env_soak() ? 5000 : 300);
    hy_jit_free(J);
    if (t_failures) {
        fprintf(stderr, "test_jit_native: %d failure(s)\n", t_failures);
        return 1;
    }
    printf("test_jit_native: ok\n");
    return 0;
}
