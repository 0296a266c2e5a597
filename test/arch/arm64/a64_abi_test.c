/* test/arch/arm64/a64_abi_test.c — AAPCS64 checks of JIT code (arm64 only).
 *
 * Every JIT function is entered through the asm harness (a64_abi.S), which
 * fills X19-X28, D8-D15 and X29 with canaries and checks them on return. The
 * helpers called from JIT code go through asm stubs that record SP, X29 and
 * X30 at entry and count misaligned stacks; the probe helper snapshots the
 * caller's frame through X29 so the layout is checked word by word:
 *   [X29+0x00] saved X29 (the harness canary), [X29+0x08] saved X30 (the
 *   harness return address), [X29+0x10...] the used X19-X28 ascending, then
 *   the used D8-D15 ascending; SP == X29 in the body; X29 + frame == SP of
 *   the caller; SP 16-byte aligned at every helper entry.
 * Results are compared with the reference evaluator.
 *
 *   A  12 i64 + 9 f64 live across a call: all of X19-X28 and D8-D15 in use
 *   B  40 i64 + 20 f64 live across three calls (one with 6 int + 4 f64 args)
 *   C  random generated programs with helper calls (hy_gen_func)
 *   D  near calls (BL, executed): a JIT function calling another JIT function
 *      in the same code region; far calls use movz/movk x16 + blr x16.
 */
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jit/jit.h"

/* ---- harness interface (a64_abi.S) ---- */
struct hy_a64t_st {
    uint64_t iargs[6];
    double fargs[4];
    uint64_t cx[10], cd[8], cfp;
    uint64_t ox[10], od[8], ofp;
    uint64_t spb, spa, rx;
    double rd;
    uint64_t ra;
};
_Static_assert(offsetof(struct hy_a64t_st, cx) == 80, "layout");
_Static_assert(offsetof(struct hy_a64t_st, cd) == 160, "layout");
_Static_assert(offsetof(struct hy_a64t_st, cfp) == 224, "layout");
_Static_assert(offsetof(struct hy_a64t_st, ox) == 232, "layout");
_Static_assert(offsetof(struct hy_a64t_st, od) == 312, "layout");
_Static_assert(offsetof(struct hy_a64t_st, ofp) == 376, "layout");
_Static_assert(offsetof(struct hy_a64t_st, spb) == 384, "layout");
_Static_assert(offsetof(struct hy_a64t_st, rd) == 408, "layout");
_Static_assert(offsetof(struct hy_a64t_st, ra) == 416, "layout");

struct hy_a64t_rec {
    uint64_t sp, x29, x30, misaligned, calls;
    uint64_t snap;       /* 1: the next probe call snapshots the caller's frame */
    uint64_t snap_sp, snap_x29, snap_x30;
    uint64_t frame[96];
};
struct hy_a64t_rec hy_a64t_rec;

uint64_t hy_a64t_call(void *fn, struct hy_a64t_st *st);
int64_t hy_a64t_probe(int64_t a);
double hy_a64t_fprobe(double x, int64_t n);
int64_t hy_a64t_many(int64_t a, int64_t b, int64_t c, int64_t d, int64_t e, int64_t f, double p, double q,
                     double r, double s);

int64_t hy_a64t_probe_c(int64_t a);
int64_t hy_a64t_probe_c(int64_t a) {
    if (hy_a64t_rec.snap) {
        hy_a64t_rec.snap = 0;
        hy_a64t_rec.snap_sp = hy_a64t_rec.sp;
        hy_a64t_rec.snap_x29 = hy_a64t_rec.x29;
        hy_a64t_rec.snap_x30 = hy_a64t_rec.x30;
        memcpy(hy_a64t_rec.frame, (const void *)(uintptr_t)hy_a64t_rec.x29, sizeof hy_a64t_rec.frame);
    }
    return (int64_t)((uint64_t)a * 3 + 1);
}
double hy_a64t_fprobe_c(double x, int64_t n);
double hy_a64t_fprobe_c(double x, int64_t n) { return x * 2 + (double)(n & 0xffff); }
int64_t hy_a64t_many_c(int64_t a, int64_t b, int64_t c, int64_t d, int64_t e, int64_t f, double p, double q,
                       double r, double s);
int64_t hy_a64t_many_c(int64_t a, int64_t b, int64_t c, int64_t d, int64_t e, int64_t f, double p, double q,
                       double r, double s) {
    uint64_t bits[4];
    memcpy(&bits[0], &p, 8);
    memcpy(&bits[1], &q, 8);
    memcpy(&bits[2], &r, 8);
    memcpy(&bits[3], &s, 8);
    uint64_t v = (uint64_t)a + 2 * (uint64_t)b + 3 * (uint64_t)c + 5 * (uint64_t)d + 7 * (uint64_t)e +
                 11 * (uint64_t)f;
    return (int64_t)(v ^ (bits[0] * 13) ^ (bits[1] * 17) ^ (bits[2] * 19) ^ (bits[3] * 23));
}

static const struct hy_helper helper_v[] = {
    {"probe", (void *)hy_a64t_probe, HY_T_I64, 1, {HY_T_I64}},
    {"fprobe", (void *)hy_a64t_fprobe, HY_T_F64, 2, {HY_T_F64, HY_T_I64}},
    {"many", (void *)hy_a64t_many, HY_T_I64, 10,
     {HY_T_I64, HY_T_I64, HY_T_I64, HY_T_I64, HY_T_I64, HY_T_I64, HY_T_F64, HY_T_F64, HY_T_F64, HY_T_F64}},
};
static const struct hy_helpers helpers = {helper_v, 3};

static int failures;
#define CHECK(c, ...)                                                          \
    do {                                                                       \
        if (!(c)) {                                                            \
            failures++;                                                        \
            printf("FAIL %s:%d: %s: ", __FILE__, __LINE__, #c);                \
            printf(__VA_ARGS__);                                               \
            printf("\n");                                                      \
        }                                                                      \
    } while (0)

static uint64_t rs = 0x1234567887654321ull;
static uint64_t rnd(void) {
    rs ^= rs << 13;
    rs ^= rs >> 7;
    rs ^= rs << 17;
    return rs;
}

/* ---- text builder for IR ---- */
struct sb {
    char *p;
    size_t n, cap;
};
static void sbf(struct sb *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sbf(struct sb *s, const char *fmt, ...) {
    va_list ap;
    for (;;) {
        va_start(ap, fmt);
        int k = vsnprintf(s->p ? s->p + s->n : NULL, s->p ? s->cap - s->n : 0, fmt, ap);
        va_end(ap);
        if (s->p && s->n + (size_t)k < s->cap) {
            s->n += (size_t)k;
            return;
        }
        s->cap = (s->cap + (size_t)k + 1) * 2;
        s->p = realloc(s->p, s->cap);
        if (!s->p) abort();
    }
}

static struct hy_func *parse(const char *src) {
    char err[256];
    struct hy_func *fn = hy_parse_func(src, strlen(src), &helpers, err, sizeof err);
    if (!fn) printf("parse error: %s\n%s\n", err, src);
    return fn;
}

/* ---- canaries ---- */
#define CX_TAG 0xC0FFEE0000000000ull
#define CD_TAG 0xD0D0D00000000000ull
static void canaries(struct hy_a64t_st *st, uint16_t salt) {
    for (int i = 0; i < 10; i++) st->cx[i] = CX_TAG | ((uint64_t)(19 + i) << 16) | salt;
    for (int i = 0; i < 8; i++) st->cd[i] = CD_TAG | ((uint64_t)(8 + i) << 16) | salt;
    st->cfp = 0x2929292900000000ull | salt;
}

/* Run code through the harness; check callee-saved registers, X29, SP. */
static uint64_t run(const struct hy_jit_code *c, const uint64_t *args, const char *what) {
    struct hy_a64t_st st;
    memset(&st, 0, sizeof st);
    canaries(&st, (uint16_t)rnd());
    int ni = 0, nf = 0;
    for (int p = 0; p < c->nparams; p++) {
        if (c->param_type[p] == HY_T_F64) memcpy(&st.fargs[nf++], &args[p], 8);
        else st.iargs[ni++] = args[p];
    }
    hy_a64t_call(c->entry, &st);
    for (int i = 0; i < 10; i++) CHECK(st.ox[i] == st.cx[i], "%s: x%d clobbered (%#" PRIx64 ")", what, 19 + i, st.ox[i]);
    for (int i = 0; i < 8; i++) CHECK(st.od[i] == st.cd[i], "%s: d%d clobbered (%#" PRIx64 ")", what, 8 + i, st.od[i]);
    CHECK(st.ofp == st.cfp, "%s: x29 clobbered", what);
    CHECK(st.spa == st.spb, "%s: sp moved by %" PRId64, what, (int64_t)(st.spa - st.spb));
    if (c->ret == HY_T_F64) {
        uint64_t b;
        memcpy(&b, &st.rd, 8);
        return b;
    }
    return st.rx;
}

/* The probe's snapshot of the JIT frame against the specified layout.
 * Returns the number of saved X and D registers found. */
static void check_frame(const struct hy_jit_code *c, const struct hy_a64t_st *st0, uint64_t cfp, uint64_t ra,
                        uint64_t spb, int want_x, int want_d, const char *what) {
    (void)st0;
    const uint64_t *w = hy_a64t_rec.frame;
    CHECK(hy_a64t_rec.snap_sp == hy_a64t_rec.snap_x29, "%s: SP %#" PRIx64 " != X29 %#" PRIx64 " in the body", what,
          hy_a64t_rec.snap_sp, hy_a64t_rec.snap_x29);
    CHECK(w[0] == cfp, "%s: [SP+0x00] = %#" PRIx64 ", want the caller's X29 %#" PRIx64, what, w[0], cfp);
    CHECK(w[1] == ra, "%s: [SP+0x08] = %#" PRIx64 ", want the return address %#" PRIx64, what, w[1], ra);
    int i = 2, nx = 0, nd = 0, prev = 0;
    while (i < 96 && (w[i] & 0xFFFFFF0000000000ull) == CX_TAG) {
        int r = (int)((w[i] >> 16) & 0xff);
        CHECK(r > prev && r >= 19 && r <= 28, "%s: [SP+%#x] holds x%d after x%d", what, 8 * i, r, prev);
        prev = r;
        nx++;
        i++;
    }
    prev = 0;
    while (i < 96 && (w[i] & 0xFFFFFF0000000000ull) == CD_TAG) {
        int r = (int)((w[i] >> 16) & 0xff);
        CHECK(r > prev && r >= 8 && r <= 15, "%s: [SP+%#x] holds d%d after d%d", what, 8 * i, r, prev);
        prev = r;
        nd++;
        i++;
    }
    if (want_x >= 0) CHECK(nx == want_x, "%s: %d saved X registers at [SP+0x10...], want %d", what, nx, want_x);
    if (want_d >= 0) CHECK(nd == want_d, "%s: %d saved D registers after them, want %d", what, nd, want_d);
    for (int k = i; k < 96 && k < (int)(c->frame_size / 8); k++) {
        uint64_t t = w[k] & 0xFFFFFF0000000000ull;
        CHECK(t != CX_TAG && t != CD_TAG, "%s: a callee-saved canary at [SP+%#x], outside the save area", what, 8 * k);
    }
    CHECK(c->frame_size % 16 == 0, "%s: frame %u not a multiple of 16", what, c->frame_size);
    CHECK(c->frame_size >= 16 + 8u * (unsigned)(nx + nd), "%s: frame %u too small", what, c->frame_size);
    CHECK(hy_a64t_rec.snap_x29 + c->frame_size == spb, "%s: X29 + frame (%u) != caller SP (off by %" PRId64 ")",
          what, c->frame_size, (int64_t)(spb - hy_a64t_rec.snap_x29 - c->frame_size));
    printf("%s: frame %u bytes, %d X + %d D saved\n", what, c->frame_size, nx, nd);
}

/* Calls must be BL exactly when the helper is within +-128 MiB of the BL. */
static void check_calls(const struct hy_jit_code *c, const char *what, int *direct, int *indirect) {
    for (uint32_t k = 0; k < c->ncalls; k++) {
        const struct hy_call_site *cs = &c->calls[k];
        uint64_t bl_at = c->base + cs->off;
        int64_t d = (int64_t)(cs->target - bl_at);
        int reach = d >= -(1ll << 27) && d < (1ll << 27);
        CHECK(cs->indirect == !reach, "%s: call %u to %#" PRIx64 " from %#" PRIx64 ": indirect=%d", what, k,
              cs->target, bl_at, cs->indirect);
        if (cs->indirect) (*indirect)++;
        else (*direct)++;
    }
}

static struct hy_jit *new_jit(const struct hy_helpers *h, struct hy_codemem *cm) {
    struct hy_jit_config cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.backend = hy_backend_arm64();
    cfg.helpers = h;
    cfg.cm = cm;
    struct hy_jit *j = hy_jit_new(&cfg);
    if (!j || hy_jit_error(j)[0]) {
        printf("hy_jit_new: %s\n", j ? hy_jit_error(j) : "out of memory");
        exit(1);
    }
    return j;
}

static int calls_direct, calls_indirect;

/* Compile, run through the harness with a frame snapshot, compare with eval. */
static void run_checked(struct hy_jit *j, const char *src, const uint64_t *args, int want_x, int want_d,
                        const char *what) {
    struct hy_func *fn = parse(src);
    CHECK(fn != NULL, "%s: parse", what);
    if (!fn) return;
    uint64_t expect = 0;
    char err[256];
    hy_a64t_rec.snap = 0;
    CHECK(hy_eval(fn, &helpers, args, &expect, NULL, NULL, err, sizeof err) == 0, "%s: eval: %s", what, err);
    struct hy_jit_code *c = hy_jit_compile(j, fn);
    CHECK(c != NULL, "%s: compile: %s", what, hy_jit_error(j));
    if (c) {
        check_calls(c, what, &calls_direct, &calls_indirect);
        memset(&hy_a64t_rec, 0, sizeof hy_a64t_rec);
        hy_a64t_rec.snap = 1;
        struct hy_a64t_st st;
        memset(&st, 0, sizeof st);
        /* same as run(), but keep the state for the frame check */
        canaries(&st, (uint16_t)rnd());
        int ni = 0, nf = 0;
        for (int p = 0; p < c->nparams; p++) {
            if (c->param_type[p] == HY_T_F64) memcpy(&st.fargs[nf++], &args[p], 8);
            else st.iargs[ni++] = args[p];
        }
        hy_a64t_call(c->entry, &st);
        for (int i = 0; i < 10; i++) CHECK(st.ox[i] == st.cx[i], "%s: x%d clobbered", what, 19 + i);
        for (int i = 0; i < 8; i++) CHECK(st.od[i] == st.cd[i], "%s: d%d clobbered", what, 8 + i);
        CHECK(st.ofp == st.cfp && st.spa == st.spb, "%s: x29/sp not restored", what);
        uint64_t got = st.rx;
        if (c->ret == HY_T_F64) memcpy(&got, &st.rd, 8);
        CHECK(got == expect, "%s: result %#" PRIx64 ", evaluator %#" PRIx64, what, got, expect);
        CHECK(hy_a64t_rec.misaligned == 0, "%s: %" PRIu64 " helper calls with SP not 16-byte aligned", what,
              hy_a64t_rec.misaligned);
        CHECK(hy_a64t_rec.calls > 0, "%s: no helper was called", what);
        CHECK(hy_a64t_rec.snap == 0, "%s: probe did not snapshot", what);
        if (!hy_a64t_rec.snap) check_frame(c, &st, st.cfp, st.ra, st.spb, want_x, want_d, what);
        hy_jit_code_free(j, c);
    }
    hy_func_free(fn);
}

/* A: values live across one call, enough to use every callee-saved register. */
static void test_a(struct hy_jit *j) {
    struct sb s = {0};
    int v = 2;
    sbf(&s, "func @a(%%0:i64, %%1:f64) -> i64 {\nbb0:\n");
    int iv[12], fv[9];
    for (int i = 0; i < 12; i++) {
        sbf(&s, "  %%%d:i64 = const %d\n", v, 1000003 * (i + 1));
        sbf(&s, "  %%%d:i64 = mul %%0, %%%d\n", v + 1, v);
        iv[i] = v + 1;
        v += 2;
    }
    for (int i = 0; i < 9; i++) {
        sbf(&s, "  %%%d:f64 = const %d.25\n", v, i + 1);
        sbf(&s, "  %%%d:f64 = fmul %%1, %%%d\n", v + 1, v);
        fv[i] = v + 1;
        v += 2;
    }
    int acc = v++;
    sbf(&s, "  %%%d:i64 = call @probe(%%0)\n", acc);
    for (int i = 0; i < 12; i++, v++) sbf(&s, "  %%%d:i64 = add %%%d, %%%d\n", v, i ? v - 1 : acc, iv[i]);
    int isum = v - 1, facc = fv[0];
    for (int i = 1; i < 9; i++, v++) {
        sbf(&s, "  %%%d:f64 = fadd %%%d, %%%d\n", v, facc, fv[i]);
        facc = v;
    }
    sbf(&s, "  %%%d:i64 = fptosi %%%d\n", v, facc);
    sbf(&s, "  %%%d:i64 = add %%%d, %%%d\n  ret %%%d\n}\n", v + 1, isum, v, v + 1);
    double x = 1.5;
    uint64_t args[2] = {77, 0};
    memcpy(&args[1], &x, 8);
    run_checked(j, s.p, args, 10, 8, "A (all callee-saved in use)");
    free(s.p);
}

/* B: 40 i64 and 20 f64 live across three helper calls. */
static void test_b(struct hy_jit *j, int seed) {
    struct sb s = {0};
    int v = 3;
    sbf(&s, "func @b(%%0:i64, %%1:f64, %%2:i64) -> i64 {\nbb0:\n");
    int iv[40], fv[20];
    for (int i = 0; i < 40; i++) {
        sbf(&s, "  %%%d:i64 = const %d\n", v, (seed + 1) * 7919 * (i + 3) - 50000);
        sbf(&s, "  %%%d:i64 = %s %%%d, %%%d\n", v + 1, i % 3 == 0 ? "mul" : i % 3 == 1 ? "add" : "xor",
            i % 2 ? 0 : 2, v);
        iv[i] = v + 1;
        v += 2;
    }
    for (int i = 0; i < 20; i++) {
        sbf(&s, "  %%%d:f64 = const %d.5\n", v, i - 7 + seed);
        sbf(&s, "  %%%d:f64 = %s %%1, %%%d\n", v + 1, i % 2 ? "fadd" : "fmul", v);
        fv[i] = v + 1;
        v += 2;
    }
    int r1 = v++, r2 = v++, r3 = v++;
    sbf(&s, "  %%%d:i64 = call @probe(%%%d)\n", r1, iv[5]);
    sbf(&s, "  %%%d:f64 = call @fprobe(%%%d, %%%d)\n", r2, fv[3], iv[7]);
    sbf(&s, "  %%%d:i64 = call @many(%%%d, %%%d, %%%d, %%%d, %%%d, %%%d, %%%d, %%%d, %%%d, %%%d)\n", r3, iv[0],
        iv[11], iv[22], iv[33], iv[39], r1, fv[0], fv[19], r2, fv[10]);
    int acc = r3;
    for (int i = 0; i < 40; i++, v++) {
        sbf(&s, "  %%%d:i64 = %s %%%d, %%%d\n", v, i % 4 == 3 ? "xor" : "add", acc, iv[i]);
        acc = v;
    }
    int facc = r2;
    for (int i = 0; i < 20; i++, v++) {
        sbf(&s, "  %%%d:f64 = fadd %%%d, %%%d\n", v, facc, fv[i]);
        facc = v;
    }
    sbf(&s, "  %%%d:i64 = bitcast %%%d\n", v, facc);
    sbf(&s, "  %%%d:i64 = xor %%%d, %%%d\n  ret %%%d\n}\n", v + 1, acc, v, v + 1);
    double x = 0.75 + seed;
    uint64_t args[3] = {(uint64_t)(seed * 1234567 - 99), 0, (uint64_t)seed};
    memcpy(&args[1], &x, 8);
    char what[64];
    snprintf(what, sizeof what, "B (40 i64 + 20 f64 live across calls) #%d", seed);
    run_checked(j, s.p, args, 10, 8, what);
    free(s.p);
}

/* E: n values live across a call: frames beyond the stp reach (504 bytes)
 * and beyond 4 KiB (sub sp, sp, #hi, lsl #12) executed. */
static void test_e(struct hy_jit *j, int n) {
    struct sb s = {0};
    sbf(&s, "func @e(%%0:i64) -> i64 {\nbb0:\n");
    for (int i = 0; i < n; i++) {
        sbf(&s, "  %%%d:i64 = const %d\n", 2 * i + 1, i * 7 + 1);
        sbf(&s, "  %%%d:i64 = mul %%0, %%%d\n", 2 * i + 2, 2 * i + 1);
    }
    int acc = 2 * n + 1;
    sbf(&s, "  %%%d:i64 = call @probe(%%0)\n", acc);
    for (int i = 0; i < n; i++, acc++) sbf(&s, "  %%%d:i64 = add %%%d, %%%d\n", acc + 1, acc, 2 * i + 2);
    sbf(&s, "  ret %%%d\n}\n", acc);
    uint64_t arg = 0x123456789ull;
    char what[64];
    snprintf(what, sizeof what, "E (%d values live across a call)", n);
    run_checked(j, s.p, &arg, 10, 0, what);
    free(s.p);
}

/* C: random programs with helper calls. */
static void test_c(struct hy_jit *j, int count) {
    int ran = 0, exits = 0;
    for (int k = 0; k < count; k++) {
        struct hy_gen_opts go;
        memset(&go, 0, sizeof go);
        go.seed = 0xA64000 + (uint64_t)k;
        go.use_f64 = 1;
        go.use_calls = 1;
        go.use_guards = 1;
        go.use_loops = k % 2;
        go.mem_bytes = k % 3 ? 256 : 0;
        go.helpers = &helpers;
        struct hy_func *fn = hy_gen_func(&go);
        if (!fn) continue;
        uint64_t args[HY_MAX_ARGS] = {0};
        static uint8_t mem_e[256], mem_j[256];
        for (int i = 0; i < 256; i++) mem_e[i] = mem_j[i] = (uint8_t)(i * 37 + k);
        for (uint32_t p = 0; p < fn->nparams; p++) {
            if (fn->vtype[p] == HY_T_PTR && p == 0 && go.mem_bytes) args[p] = (uint64_t)(uintptr_t)mem_e;
            else if (fn->vtype[p] == HY_T_F64) {
                double d = (double)((int64_t)(rnd() % 2001) - 1000) / 8.0;
                memcpy(&args[p], &d, 8);
            } else args[p] = rnd() % 4 ? rnd() % 100 : rnd();
        }
        uint64_t expect = 0;
        char err[256];
        struct hy_eval_stats es;
        hy_a64t_rec.snap = 0;
        if (hy_eval(fn, &helpers, args, &expect, NULL, &es, err, sizeof err)) {
            hy_func_free(fn);
            continue; /* e.g. step limit: not a backend question */
        }
        struct hy_jit_code *c = hy_jit_compile(j, fn);
        CHECK(c != NULL, "C #%d: compile: %s", k, hy_jit_error(j));
        if (c) {
            if (go.mem_bytes) args[0] = (uint64_t)(uintptr_t)mem_j;
            check_calls(c, "C", &calls_direct, &calls_indirect);
            hy_a64t_rec.misaligned = 0;
            char what[32];
            snprintf(what, sizeof what, "C #%d", k);
            uint64_t got = run(c, args, what);
            int t = fn->ret;
            int same = t == HY_T_I32 ? (uint32_t)got == (uint32_t)expect : got == expect;
            if (t == HY_T_F64) {
                double a, b;
                memcpy(&a, &got, 8);
                memcpy(&b, &expect, 8);
                same = got == expect || (isnan(a) && isnan(b));
            }
            CHECK(same, "C #%d: result %#" PRIx64 ", evaluator %#" PRIx64, k, got, expect);
            CHECK(!go.mem_bytes || !memcmp(mem_e, mem_j, sizeof mem_e), "C #%d: memory differs", k);
            CHECK(hy_a64t_rec.misaligned == 0, "C #%d: misaligned SP at a helper call", k);
            exits += es.exits_taken > 0;
            ran++;
            hy_jit_code_free(j, c);
        }
        hy_func_free(fn);
        if (failures > 10) break;
    }
    printf("C: %d random programs run through the harness (%d took a guard/overflow exit)\n", ran, exits);
    CHECK(ran > count / 2, "only %d of %d random programs ran", ran, count);
}

/* D: a JIT function calling another JIT function in the same code region is
 * a BL that really executes; far helpers are movz/movk x16 + blr x16. */
static void test_d(void) {
    const struct hy_backend *be = hy_backend_arm64();
    struct hy_codemem_config cc;
    memset(&cc, 0, sizeof cc);
    cc.trap = be->trap;
    cc.trap_len = be->trap_len;
    struct hy_codemem *cm = hy_codemem_new(&cc);
    CHECK(cm && !hy_codemem_errmsg(cm)[0], "codemem: %s", cm ? hy_codemem_errmsg(cm) : "oom");
    if (!cm) return;
    struct hy_jit *j1 = new_jit(NULL, cm);
    struct hy_func *f1 = parse("func @inc(%0:i64) -> i64 {\nbb0:\n  %1:i64 = const 5\n  %2:i64 = add %0, %1\n  ret %2\n}\n");
    struct hy_jit_code *c1 = f1 ? hy_jit_compile(j1, f1) : NULL;
    CHECK(c1 != NULL, "D: compile inc: %s", hy_jit_error(j1));
    if (c1) {
        struct hy_helper hv[1] = {{"inc", c1->entry, HY_T_I64, 1, {HY_T_I64}}};
        struct hy_helpers h2 = {hv, 1};
        struct hy_jit *j2 = new_jit(&h2, cm);
        char err[256];
        const char *src = "func @g(%0:i64) -> i64 {\nbb0:\n  %1:i64 = call @inc(%0)\n  %2:i64 = call @inc(%1)\n  ret %2\n}\n";
        struct hy_func *f2 = hy_parse_func(src, strlen(src), &h2, err, sizeof err);
        struct hy_jit_code *c2 = f2 ? hy_jit_compile(j2, f2) : NULL;
        CHECK(c2 != NULL, "D: compile g: %s", f2 ? hy_jit_error(j2) : err);
        if (c2) {
            int d = 0, i = 0;
            check_calls(c2, "D", &d, &i);
            calls_direct += d;
            calls_indirect += i;
            CHECK(d == 2, "D: %d direct calls between neighbouring JIT functions (want 2)", d);
            uint64_t arg = 1000;
            uint64_t r = run(c2, &arg, "D");
            CHECK(r == 1010, "D: g(1000) = %" PRIu64, r);
            hy_jit_code_free(j2, c2);
        }
        hy_func_free(f2);
        hy_jit_free(j2);
        hy_jit_code_free(j1, c1);
    }
    hy_func_free(f1);
    hy_jit_free(j1);
    hy_codemem_free(cm);
}

int main(int argc, char **argv) {
    int count = argc > 1 ? atoi(argv[1]) : 300;
    if (getenv("HY_SOAK") && !strcmp(getenv("HY_SOAK"), "1")) count *= 30;
    struct hy_jit *j = new_jit(&helpers, NULL);
    test_a(j);
    for (int s = 0; s < 4; s++) test_b(j, s);
    test_e(j, 100);
    test_e(j, 600);
    test_c(j, count);
    test_d();
    hy_jit_free(j);
    printf("helper calls emitted: %d direct (BL), %d indirect (movz/movk x16 + blr x16)\n", calls_direct,
           calls_indirect);
    CHECK(calls_direct > 0 && calls_indirect > 0, "both call forms must be exercised");
    printf("%s (%d failures)\n", failures ? "FAILED" : "ok", failures);
    return failures ? 1 : 0;
}
