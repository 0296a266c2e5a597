/* jq_fuzz_ir: robustness of the IR front end and both backends against
 * mutated, random and pathological .hir text, in process (fast, and runs under
 * qemu in the ARM64 build).
 *
 * For every input: parse -> (clear "L:C: message" error | function);
 * verify -> (clear "bbN:I: message" error | ok); for verified functions:
 * print/parse round trip is identical; lowering for BOTH ISAs either fails
 * with a message or yields code the filter accepts, our disassembler decodes
 * completely, and whose patch sites toggle NOP <-> branch byte-exactly; and,
 * when the bounds-checked reference evaluator finishes (memory ops only
 * inside our scratch buffer, no UB, within the step limit), it and the
 * native code agree (result and memory). A crash
 * or sanitizer report is a failure by itself (the ASan build runs this too).
 *
 * Usage: jq_fuzz_ir HIRDIR [N]   (N mutants; default 1500, HY_SOAK=1: 60000)
 * Env JQ_LAST=file: every input is written there first (crash reproducer);
 * JQ_SEED=n: starting seed. */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "jit/jit.h"
#include "jq_common.h"

#define MEMSZ 4096

struct corpus {
    char **text;
    size_t *len;
    int n, cap;
};

static void corpus_add(struct corpus *c, char *t, size_t len) {
    if (c->n == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 64;
        c->text = realloc(c->text, sizeof *c->text * (size_t)c->cap);
        c->len = realloc(c->len, sizeof *c->len * (size_t)c->cap);
        if (!c->text || !c->len) abort();
    }
    c->text[c->n] = t;
    c->len[c->n++] = len;
}

struct stats {
    long inputs, parsed, verified, lowered[2], evaluated, native, sites_toggled;
};

struct fz {
    struct jq *q;
    struct hy_jit *jit;
    uint64_t rng;
    struct stats st;
    const struct hy_backend *be[2];
};

/* ---------------------------------------------------------------- checks */

static int has_loc_prefix(const char *e) {
    /* "LINE:COL: message" */
    const char *p = e;
    if (*p < '0' || *p > '9') return 0;
    while (*p >= '0' && *p <= '9') p++;
    if (*p++ != ':') return 0;
    if (*p < '0' || *p > '9') return 0;
    while (*p >= '0' && *p <= '9') p++;
    return p[0] == ':' && p[1] == ' ' && p[2];
}

static uint64_t rand_arg(struct fz *z, int t) {
    static const int64_t edge[] = {0, 1, -1, 2, 3, 7, 8, 63, 64, 100, -100, INT64_MAX, INT64_MIN, INT32_MAX,
                                   INT32_MIN, (int64_t)UINT32_MAX, 4096};
    uint64_t r = jq_rnd(&z->rng);
    if (t == HY_T_F64) {
        static const double fe[] = {0.0, -0.0, 1.5, -2.25, 1e300, -1e300, 9.3e18, -9.3e18, 3.0};
        double d = fe[r % 9];
        if ((r >> 8) % 5 == 0) {
            uint64_t bits = 0x7ff8000000000000ull;
            memcpy(&d, &bits, 8);
        }
        uint64_t o;
        memcpy(&o, &d, 8);
        return o;
    }
    uint64_t v = (r >> 8) % 3 ? (uint64_t)edge[r % 17] : jq_rnd(&z->rng);
    return t == HY_T_I32 ? (uint64_t)(uint32_t)v : v;
}

static void check_lowered(struct fz *z, int k, const struct hy_func *fn, const char *tag) {
    const struct hy_backend *be = z->be[k];
    char err[300];
    err[0] = 0;
    struct hy_jit_code *c = hy_jit_lower(be, fn, jq_helpers(), 0x7f0000100000ull, NULL, err, sizeof err);
    if (!c) {
        JQ_CHECK(z->q, err[0], "%s: %s lowering failed without a message", tag, be->name);
        return;
    }
    z->st.lowered[k]++;
    /* the disassembler decodes every accepted byte */
    for (size_t off = 0; off < c->size;) {
        char text[200];
        int n = be->disasm(c->image + off, c->size - off, c->base + off, text, sizeof text);
        if (n <= 0) {
            JQ_CHECK(z->q, 0, "%s: %s: accepted code does not disassemble at +%#zx", tag, be->name, off);
            break;
        }
        off += (size_t)n;
    }
    /* every site toggles to its NOP and back, byte-exactly */
    uint8_t *orig = malloc(c->size ? c->size : 1);
    if (!orig) abort();
    memcpy(orig, c->image, c->size);
    for (uint32_t s = 0; s < c->nsites; s++) {
        int r1 = hy_lowered_patch_site(be, jq_helpers(), c, s, 1, err, sizeof err);
        JQ_CHECK(z->q, r1 == 0, "%s: %s: site %u -> NOP refused: %s", tag, be->name, s, err);
        if (!r1)
            JQ_CHECK(z->q, !memcmp(c->image + c->sites[s].off, c->sites[s].alt, c->sites[s].len),
                     "%s: %s: site %u does not hold its NOP", tag, be->name, s);
        z->st.sites_toggled++;
    }
    for (uint32_t s = 0; s < c->nsites; s++) {
        int r0 = hy_lowered_patch_site(be, jq_helpers(), c, s, 0, err, sizeof err);
        JQ_CHECK(z->q, r0 == 0, "%s: %s: site %u restore refused: %s", tag, be->name, s, err);
    }
    JQ_CHECK(z->q, !memcmp(orig, c->image, c->size), "%s: %s: NOP->restore cycle is not byte-exact", tag, be->name);
    free(orig);
    hy_jit_code_free(NULL, c);
}

static void check_native(struct fz *z, const struct hy_func *fn, const char *tag) {
    /* one buffer (pointer results must compare equal), reset between runs */
    static uint8_t mem[MEMSZ], after_eval[MEMSZ];
    uint64_t a[HY_MAX_ARGS] = {0};
    for (size_t i = 0; i < MEMSZ; i++) mem[i] = (uint8_t)(i * 7 + 1);
    for (int p = 0; p < fn->nparams; p++)
        a[p] = fn->vtype[p] == HY_T_PTR ? (uint64_t)(uintptr_t)mem : rand_arg(z, fn->vtype[p]);
    struct hy_eval_opts eo;
    memset(&eo, 0, sizeof eo);
    eo.max_steps = 200000;
    /* bounds-checked evaluator (JQ-3 fixed): every mutant runs; one whose
     * memory ops leave the buffer is an evaluator error, never run natively */
    struct hy_mem_range range = {(uint64_t)(uintptr_t)mem, (uint64_t)(uintptr_t)mem + MEMSZ};
    eo.check_mem = 1;
    eo.mem = &range;
    eo.nmem = 1;
    char err[300];
    err[0] = 0;
    uint64_t ev = 0;
    if (hy_eval(fn, jq_helpers(), a, &ev, &eo, NULL, err, sizeof err)) {
        JQ_CHECK(z->q, err[0], "%s: evaluator failed without a message", tag);
        return; /* undefined behaviour or too long: native run not comparable */
    }
    z->st.evaluated++;
    memcpy(after_eval, mem, MEMSZ);
    for (size_t i = 0; i < MEMSZ; i++) mem[i] = (uint8_t)(i * 7 + 1);
    struct hy_jit_code *c = hy_jit_compile(z->jit, fn);
    if (!c) {
        JQ_CHECK(z->q, hy_jit_error(z->jit)[0], "%s: native compile failed without a message", tag);
        return;
    }
    uint64_t r = hy_jit_invoke(c, a);
    z->st.native++;
    JQ_CHECK(z->q, jq_same(fn->ret, r, ev), "%s: native %#llx != evaluator %#llx", tag, (unsigned long long)r,
             (unsigned long long)ev);
    JQ_CHECK(z->q, !memcmp(mem, after_eval, MEMSZ), "%s: memory differs between native and evaluator", tag);
    hy_jit_code_free(z->jit, c);
}

static void run_input(struct fz *z, const char *text, size_t len, const char *tag, int native) {
    jq_save_last(z->q, text, len);
    z->st.inputs++;
    char err[300];
    err[0] = 0;
    struct hy_func *fn = hy_parse_func(text, len, jq_helpers(), err, sizeof err);
    if (!fn) {
        JQ_CHECK(z->q, has_loc_prefix(err), "%s: parse error without LINE:COL: '%s'", tag, err);
        return;
    }
    z->st.parsed++;
    if (hy_verify(fn, jq_helpers(), err, sizeof err)) {
        JQ_CHECK(z->q, err[0], "%s: verify failed without a message", tag);
        hy_func_free(fn);
        return;
    }
    z->st.verified++;
    /* round trip */
    char *s = hy_print_func_str(fn, jq_helpers());
    JQ_CHECK(z->q, s != NULL, "%s: print failed", tag);
    if (s) {
        struct hy_func *g = hy_parse_func(s, strlen(s), jq_helpers(), err, sizeof err);
        JQ_CHECK(z->q, g != NULL, "%s: printed form does not parse: %s", tag, err);
        if (g) {
            char why[200];
            /* incl. functions without vregs (JQ-4: memcmp of NULL, fixed) */
            JQ_CHECK(z->q, hy_func_equal(fn, g, why, sizeof why) == 0, "%s: round trip differs: %s", tag, why);
            hy_func_free(g);
        }
        free(s);
    }
    for (int k = 0; k < 2; k++) check_lowered(z, k, fn, tag);
    if (native) check_native(z, fn, tag);
    hy_func_free(fn);
}

/* ---------------------------------------------------------------- mutation */

struct buf {
    char *p;
    size_t n, cap;
};
static void bput(struct buf *b, const char *s, size_t n) {
    if (b->n + n + 1 > b->cap) {
        b->cap = (b->n + n + 1) * 2;
        b->p = realloc(b->p, b->cap);
        if (!b->p) abort();
    }
    memcpy(b->p + b->n, s, n);
    b->n += n;
    b->p[b->n] = 0;
}
static void bputs(struct buf *b, const char *s) { bput(b, s, strlen(s)); }

static const char *const interesting[] = {
    "99999999999999999999", "-9223372036854775809", "18446744073709551616", "0x10000000000000000", "2147483648",
    "4294967296", "-0", "1e400", "nan", "inf", "-inf", "f64bits 0x7ff8000000000001", "%4294967295", "%2147483647",
    "%-1", "%99999", "bb99999", "%", "%%", "->", "id=4294967296", "ctr=-1", "[", "]", "(", ")", "{", "}", ",",
    ":", ":i65", ":void", ":ptr", ":f64", ":i32", "@nosuch", "@mix3", "\n", " ", "\t", "\r", ";", "\"", "\\",
    "\x01", "\xff", "guard.nosuch", "guard.null", "load.u32", "store.f64", "*3", "*8", "*0", "+ -2147483649",
    "+ 2147483647", "icmp.foo", "fcmp.uno", "id=0", "ret", "br", "condbr",
};
static const char *const lines[] = {
    "  ret\n", "  ret %0\n", "  br bb0\n", "  br bb1\n", "  %1:i64 = const 0\n", "  %1:i64 = sdiv %0, %0\n",
    "  %1:i64 = srem %0, %0\n", "  %50:i64 = udiv %0, %0\n", "  guard.div_zero eqz %0 -> bb0 id=1 ctr=0\n",
    "  guard.generic nez %0 -> bb1 id=7 ctr=3\n", "  %2:i64 = addo %0, %0 -> bb0 id=2 ctr=0\n",
    "bbx:\n", "bb1:\n", "bb0:\n", "  condbr %0, bb0, bb0\n", "  %3:f64 = fdiv %0, %0\n", "  %3:i32 = trunc %0\n",
    "  %3:i64 = call @mix3(%0, %0, %0)\n", "  call @sink(%0)\n", "  %3:i64 = call @many(%0)\n",
    "  store.i64 [%0 + 8], %0\n", "  %4:i64 = load.i64 [%0 + %0*8 + 8]\n", "}\n", "func @x() {\n",
    "func @y(%0:i64, %1:i64, %2:i64, %3:i64, %4:i64, %5:i64, %6:i64) -> i64 {\n", "  %9:f64 = const 1.5\n",
    "  %9:i64 = select %0, %0, %0\n", "  %9:i64 = fptosi %0\n", "  %9:i64 = bitcast %0\n",
};
#define NI (sizeof interesting / sizeof interesting[0])
#define NL (sizeof lines / sizeof lines[0])

/* Byte offsets of line starts. */
static size_t line_starts(const char *t, size_t n, size_t *ls, size_t cap) {
    size_t k = 0;
    if (cap) ls[k++] = 0;
    for (size_t i = 0; i < n && k < cap; i++)
        if (t[i] == '\n' && i + 1 < n) ls[k++] = i + 1;
    return k;
}

static char *mutate(struct fz *z, const char *t, size_t n, size_t *outn) {
    struct buf b = {0};
    uint64_t r = jq_rnd(&z->rng);
    size_t pos = n ? (size_t)(jq_rnd(&z->rng) % n) : 0;
    size_t ls[4096];
    size_t nls = line_starts(t, n, ls, 4096);
    switch (r % 12) {
    case 0: /* truncate */
        bput(&b, t, pos);
        break;
    case 1: /* byte flip */
        bput(&b, t, n);
        if (n) b.p[pos] = (char)(b.p[pos] ^ (1 << (jq_rnd(&z->rng) % 8)));
        break;
    case 2: /* random byte */
        bput(&b, t, n);
        if (n) b.p[pos] = (char)(jq_rnd(&z->rng) & 0xff);
        break;
    case 3: /* insert an interesting token */
        bput(&b, t, pos);
        bputs(&b, interesting[jq_rnd(&z->rng) % NI]);
        bput(&b, t + pos, n - pos);
        break;
    case 4: { /* replace a number with a huge / odd one */
        size_t i = pos;
        while (i < n && !(t[i] >= '0' && t[i] <= '9')) i++;
        size_t j = i;
        while (j < n && ((t[j] >= '0' && t[j] <= '9') || t[j] == 'x')) j++;
        bput(&b, t, i);
        static const char *const nums[] = {"99999999999999999999", "4294967295", "4294967296", "2147483648", "65536",
                                           "100000", "0", "1", "255", "256", "18446744073709551615", "1e999"};
        bputs(&b, nums[jq_rnd(&z->rng) % 12]);
        bput(&b, t + j, n - j);
        break;
    }
    case 5: { /* change a vreg number */
        size_t i = pos;
        while (i < n && t[i] != '%') i++;
        if (i == n) {
            bput(&b, t, n);
            break;
        }
        i++;
        size_t j = i;
        while (j < n && t[j] >= '0' && t[j] <= '9') j++;
        bput(&b, t, i);
        char num[32];
        snprintf(num, sizeof num, "%u", (unsigned)(jq_rnd(&z->rng) % (jq_rnd(&z->rng) % 3 ? 12 : 200000)));
        bputs(&b, num);
        bput(&b, t + j, n - j);
        break;
    }
    case 6: { /* delete a line */
        size_t li = jq_rnd(&z->rng) % (nls ? nls : 1);
        size_t s = nls ? ls[li] : 0, e = li + 1 < nls ? ls[li + 1] : n;
        bput(&b, t, s);
        bput(&b, t + e, n - e);
        break;
    }
    case 7: { /* duplicate a line elsewhere */
        size_t li = jq_rnd(&z->rng) % (nls ? nls : 1), lj = jq_rnd(&z->rng) % (nls ? nls : 1);
        size_t s = nls ? ls[li] : 0, e = li + 1 < nls ? ls[li + 1] : n, at = nls ? ls[lj] : 0;
        bput(&b, t, at);
        bput(&b, t + s, e - s);
        if (e == n && (e == s || t[e - 1] != '\n')) bputs(&b, "\n");
        bput(&b, t + at, n - at);
        break;
    }
    case 8: { /* insert an interesting line */
        size_t lj = jq_rnd(&z->rng) % (nls ? nls : 1), at = nls ? ls[lj] : 0;
        bput(&b, t, at);
        bputs(&b, lines[jq_rnd(&z->rng) % NL]);
        bput(&b, t + at, n - at);
        break;
    }
    case 9: { /* swap a type / opcode word with another of the same kind */
        static const char *const w1[] = {"i32", "i64", "f64", "ptr", "void"};
        static const char *const w2[] = {"add", "sdiv", "udiv", "srem", "urem", "fadd", "fdiv", "shl", "mul",
                                         "addo", "mulo", "icmp.eq", "fcmp.oeq", "select", "mov", "neg"};
        bput(&b, t, n);
        for (int tries = 0; tries < 8; tries++) {
            size_t i = (size_t)(jq_rnd(&z->rng) % (n ? n : 1));
            int which = (int)(jq_rnd(&z->rng) % 2);
            const char *const *tab = which ? w2 : w1;
            size_t nt = which ? 16 : 5;
            for (size_t k = 0; k < nt; k++) {
                size_t l = strlen(tab[k]);
                if (i + l <= n && !memcmp(t + i, tab[k], l)) {
                    struct buf c = {0};
                    bput(&c, t, i);
                    bputs(&c, tab[jq_rnd(&z->rng) % nt]);
                    bput(&c, t + i + l, n - i - l);
                    free(b.p);
                    b = c;
                    tries = 8;
                    break;
                }
            }
        }
        break;
    }
    case 10: { /* change a block reference */
        size_t i = pos;
        while (i + 2 < n && !(t[i] == 'b' && t[i + 1] == 'b' && t[i + 2] >= '0' && t[i + 2] <= '9')) i++;
        if (i + 2 >= n) {
            bput(&b, t, n);
            break;
        }
        size_t j = i + 2;
        while (j < n && t[j] >= '0' && t[j] <= '9') j++;
        bput(&b, t, i);
        char lab[32];
        snprintf(lab, sizeof lab, "bb%u", (unsigned)(jq_rnd(&z->rng) % 8));
        bputs(&b, lab);
        bput(&b, t + j, n - j);
        break;
    }
    default: { /* splice two positions (swap halves) */
        bput(&b, t + pos, n - pos);
        bput(&b, t, pos);
        break;
    }
    }
    if (!b.p) bput(&b, "", 0);
    *outn = b.n;
    return b.p;
}

/* ---------------------------------------------------------------- pathological programs */

static char *gen_chain(uint32_t nv, size_t *len) {
    struct buf b = {0};
    bputs(&b, "func @chain(%0:i64) -> i64 {\nbb0:\n");
    char line[96];
    for (uint32_t v = 1; v < nv; v++) {
        snprintf(line, sizeof line, "  %%%u:i64 = add %%%u, %%%u\n", v, v - 1, v > 1 ? v - 2 : 0);
        bputs(&b, line);
    }
    snprintf(line, sizeof line, "  ret %%%u\n}\n", nv - 1);
    bputs(&b, line);
    *len = b.n;
    return b.p;
}

/* nv values all live at once (forces massive spilling), then summed. */
static char *gen_wide(uint32_t nv, size_t *len) {
    struct buf b = {0};
    bputs(&b, "func @wide(%0:i64) -> i64 {\nbb0:\n");
    char line[96];
    for (uint32_t v = 1; v <= nv; v++) {
        snprintf(line, sizeof line, "  %%%u:i64 = add %%0, %%0\n", v);
        bputs(&b, line);
    }
    uint32_t acc = nv + 1;
    snprintf(line, sizeof line, "  %%%u:i64 = const 0\n", acc);
    bputs(&b, line);
    for (uint32_t v = 1; v <= nv; v++) {
        snprintf(line, sizeof line, "  %%%u:i64 = add %%%u, %%%u\n", acc, acc, v);
        bputs(&b, line);
    }
    snprintf(line, sizeof line, "  ret %%%u\n}\n", acc);
    bputs(&b, line);
    *len = b.n;
    return b.p;
}

/* nb blocks in a line, each branching to the next (or back: a loop nest). */
static char *gen_blocks(uint32_t nb, size_t *len) {
    struct buf b = {0};
    bputs(&b, "func @blocks(%0:i64) -> i64 {\nbb0:\n  %1:i64 = const 1\n  br bb1\n");
    char line[128];
    for (uint32_t k = 1; k < nb; k++) {
        snprintf(line, sizeof line, "bb%u:\n  %%0:i64 = add %%0, %%1\n  br bb%u\n", k, k + 1);
        bputs(&b, line);
    }
    snprintf(line, sizeof line, "bb%u:\n  ret %%0\n}\n", nb);
    bputs(&b, line);
    *len = b.n;
    return b.p;
}

/* deep "nesting" of the only bracketed syntax we have, and very long lines */
static char *gen_brackets(uint32_t depth, char open, size_t *len) {
    struct buf b = {0};
    bputs(&b, "func @n(%0:ptr) -> i64 {\nbb0:\n  %1:i64 = load.i64 ");
    for (uint32_t i = 0; i < depth; i++) bput(&b, &open, 1);
    bputs(&b, "%0\n  ret %1\n}\n");
    *len = b.n;
    return b.p;
}

static char *gen_guard_chain(uint32_t ng, size_t *len) {
    struct buf b = {0};
    bputs(&b, "func @g(%0:i64) -> i64 {\nbb0:\n");
    char line[128];
    for (uint32_t k = 0; k < ng; k++) {
        snprintf(line, sizeof line, "  %%%u:i64 = const %u\n  guard.range eq %%0, %%%u -> bb1 id=%u ctr=%u\n", k + 1,
                 k, k + 1, k, k);
        bputs(&b, line);
    }
    bputs(&b, "  ret %0\nbb1:\n  %0:i64 = neg %0\n  ret %0\n}\n");
    *len = b.n;
    return b.p;
}

static void pathological(struct fz *z) {
    size_t n;
    char *t;
    uint32_t big = z->q->soak ? 100000 : z->q->emulated ? 5000 : 20000;
    t = gen_chain(big, &n);
    run_input(z, t, n, "chain", 1);
    free(t);
    t = gen_chain(100000, &n); /* 10^5 vregs: front end + lowering */
    {
        char err[300];
        struct hy_func *fn = hy_parse_func(t, n, jq_helpers(), err, sizeof err);
        JQ_CHECK(z->q, fn != NULL, "chain 1e5: %s", err);
        if (fn) {
            JQ_CHECK(z->q, hy_verify(fn, jq_helpers(), err, sizeof err) == 0, "chain 1e5 verify: %s", err);
            check_lowered(z, 0, fn, "chain1e5");
            hy_func_free(fn);
        }
    }
    free(t);
    t = gen_wide(z->q->soak ? 5000 : 600, &n);
    run_input(z, t, n, "wide", 1);
    free(t);
    t = gen_blocks(z->q->soak ? 20000 : 3000, &n);
    run_input(z, t, n, "blocks", 1);
    free(t);
    t = gen_guard_chain(z->q->soak ? 5000 : 1000, &n);
    run_input(z, t, n, "guards", 1);
    free(t);
    for (int k = 0; k < 4; k++) {
        t = gen_brackets(100000, "[(+{"[k], &n);
        run_input(z, t, n, "brackets", 0);
        free(t);
    }
    /* a line of 10^6 spaces and a 10^5-character identifier */
    {
        struct buf b = {0};
        bputs(&b, "func @");
        for (int i = 0; i < 100000; i++) bputs(&b, "a");
        bputs(&b, "() {\nbb0:\n  ret\n}\n");
        run_input(z, b.p, b.n, "longname", 1);
        free(b.p);
        b = (struct buf){0};
        bputs(&b, "func @s() {\nbb0:\n");
        for (int i = 0; i < 1000000; i++) bputs(&b, " ");
        bputs(&b, "ret\n}\n");
        run_input(z, b.p, b.n, "spaces", 1);
        free(b.p);
    }
    run_input(z, "", 0, "empty", 1);
    run_input(z, "\0\0\0", 3, "nuls", 1);
}

/* ---------------------------------------------------------------- main */

static void load_corpus(struct corpus *c, const char *dir) {
    DIR *d = opendir(dir);
    if (!d) return;
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t l = strlen(e->d_name);
        if (l < 5 || strcmp(e->d_name + l - 4, ".hir")) continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        size_t n;
        char *t = jq_read_file(path, &n);
        if (t) corpus_add(c, t, n);
    }
    closedir(d);
}

int main(int argc, char **argv) {
    struct jq q;
    jq_init(&q);
    if (argc < 2) {
        fprintf(stderr, "usage: jq_fuzz_ir HIRDIR [N]\n");
        return 2;
    }
    long nmut = argc > 2 ? atol(argv[2]) : (q.soak ? 60000 : q.emulated ? 400 : 800);
    struct fz z;
    memset(&z, 0, sizeof z);
    z.q = &q;
    const char *seed = getenv("JQ_SEED");
    z.rng = seed ? strtoull(seed, NULL, 0) : 0x51ed5eedull;
    z.be[0] = hy_backend_x86_64();
    z.be[1] = hy_backend_arm64();
    struct hy_jit_config cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.helpers = jq_helpers();
    z.jit = hy_jit_new(&cfg);
    if (!z.jit || hy_jit_error(z.jit)[0]) {
        fprintf(stderr, "jit context: %s\n", z.jit ? hy_jit_error(z.jit) : "oom");
        return 1;
    }
    struct corpus c = {0};
    load_corpus(&c, argv[1]);
    JQ_CHECK(&q, c.n > 0, "no .hir files in %s", argv[1]);
    /* generated programs (valid; no memory so mutants stay memory safe) */
    for (int i = 0; i < 40; i++) {
        struct hy_gen_opts o;
        memset(&o, 0, sizeof o);
        o.seed = 1000 + (uint64_t)i;
        o.use_f64 = o.use_calls = o.use_guards = o.use_loops = 1;
        o.helpers = jq_helpers();
        struct hy_func *fn = hy_gen_func(&o);
        if (!fn) continue;
        char *s = hy_print_func_str(fn, jq_helpers());
        hy_func_free(fn);
        if (s) corpus_add(&c, s, strlen(s));
    }
    /* the unmutated corpus first: all of it must go through */
    long ok0 = z.st.verified;
    int base_n = c.n;
    for (int i = 0; i < base_n; i++) run_input(&z, c.text[i], c.len[i], "corpus", 1);
    JQ_CHECK(&q, z.st.verified - ok0 == base_n, "only %ld of %d corpus programs verify", z.st.verified - ok0, base_n);
    pathological(&z);
    for (long m = 0; m < nmut && c.n; m++) {
        int src = (int)(jq_rnd(&z.rng) % (uint64_t)c.n);
        size_t n;
        char *t = mutate(&z, c.text[src], c.len[src], &n);
        /* stack up to three mutations */
        for (int k = (int)(jq_rnd(&z.rng) % 3); k > 0; k--) {
            size_t n2;
            char *t2 = mutate(&z, t, n, &n2);
            free(t);
            t = t2;
            n = n2;
        }
        char tag[64];
        snprintf(tag, sizeof tag, "mutant %ld (seed %#llx)", m, (unsigned long long)z.rng);
        long before = z.st.verified;
        run_input(&z, t, n, tag, 1);
        /* keep interesting verified mutants as new seeds (bounded) */
        if (z.st.verified > before && c.n < 2000) corpus_add(&c, t, n);
        else free(t);
    }
    printf("jq_fuzz_ir: %ld inputs, %ld parsed, %ld verified, lowered x86-64 %ld / arm64 %ld, %ld sites toggled, "
           "%ld evaluated, %ld native runs compared\n",
           z.st.inputs, z.st.parsed, z.st.verified, z.st.lowered[0], z.st.lowered[1], z.st.sites_toggled,
           z.st.evaluated, z.st.native);
    for (int i = 0; i < c.n; i++) free(c.text[i]);
    free(c.text);
    free(c.len);
    hy_jit_free(z.jit);
    if (q.failures) {
        printf("jq_fuzz_ir: %d failure(s)\n", q.failures);
        return 1;
    }
    printf("jq_fuzz_ir: OK\n");
    return 0;
}
