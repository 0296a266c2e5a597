/* hyperion-jit: compile, run, dump and check JIT code from textual IR.
 *
 *   hyperion-jit run FILE.hir [ARGS...]        compile natively, run, print the
 *                                              result; cross-check with the evaluator
 *   hyperion-jit eval FILE.hir [ARGS...]       reference evaluator only
 *   hyperion-jit dump [--arch A] [--bin OUT] FILE.hir
 *                                              address, bytes, disassembly, sites;
 *                                              --bin writes the raw bytes (for verify)
 *   hyperion-jit verify --arch A FILE.bin      Safe Opcode Filter on raw bytes
 *   hyperion-jit encodings --arch A            every encoder form, HEX<TAB>ASM
 *   hyperion-jit throughput [--arch A] [--count N] [FILE.hir...]
 *                                              compile throughput (IR ins per us)
 *
 * ARGS are typed by the function's parameters: integers (decimal or 0x hex),
 * f64 literals (1.5, -inf, nan), and for ptr parameters either a number or
 * `mem`, a zeroed 4 KiB scratch buffer. The reference evaluator runs first,
 * bounds-checked against that buffer; `run` then runs the native code on the
 * same buffer reset to zero, and compares result and final contents.
 * Exit status: 0 ok; 1 failure (invalid IR, evaluator error such as division
 * by zero / step limit / access outside the buffer -- native code is then
 * never run --, compile error, filter rejection, mismatch); 2 usage error.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arch/backend.h"
#include "jit/ir.h"
#include "jit/jit.h"

#define MEM_BYTES 4096

/* ---- built-in helpers callable from .hir files ---- */
static int64_t sat(double d) {
    if (d != d) return 0;
    if (d >= 9223372036854775808.0) return INT64_MAX;
    if (d <= -9223372036854775808.0) return INT64_MIN;
    return (int64_t)d;
}
static int64_t h_mix3(int64_t a, int64_t b, int64_t c) { return (int64_t)(((uint64_t)a * 31u + (uint64_t)b) ^ (uint64_t)c); }
static double h_fmix(double x, int64_t k) { return x * 0.5 + (double)(k & 1023); }
static int32_t h_i32(int32_t a, int32_t b) { return (int32_t)((uint32_t)a - (uint32_t)b * 3u); }
static uint64_t sink_acc;
static void h_sink(int64_t x) { sink_acc = sink_acc * 1099511628211ull + (uint64_t)x; }
static int64_t h_many(int64_t a, int64_t b, int64_t c, int64_t d, int64_t e, int64_t f, double x, double y, double z,
                      double w) {
    uint64_t r = (uint64_t)a + 2u * (uint64_t)b + 3u * (uint64_t)c + 5u * (uint64_t)d + 7u * (uint64_t)e + 11u * (uint64_t)f;
    return (int64_t)(r ^ ((uint64_t)sat(x) * 13u + (uint64_t)sat(y * 2) * 17u + (uint64_t)sat(z * 4) * 19u +
                          (uint64_t)sat(w * 8) * 23u));
}
static double h_fsub(double x, double y) { return x - y; }
static int64_t h_mixed(int32_t a, double x, int64_t b, double y) {
    return (int64_t)((uint64_t)(int64_t)a * 1000u + (uint64_t)b + (uint64_t)sat(x) - (uint64_t)sat(y));
}
static int64_t h_print(int64_t x) {
    printf("print: %" PRId64 "\n", x);
    return x;
}

static const struct hy_helper tool_helpers[] = {
    {"mix3", (void *)h_mix3, HY_T_I64, 3, {HY_T_I64, HY_T_I64, HY_T_I64}},
    {"fmix", (void *)h_fmix, HY_T_F64, 2, {HY_T_F64, HY_T_I64}},
    {"i32op", (void *)h_i32, HY_T_I32, 2, {HY_T_I32, HY_T_I32}},
    {"sink", (void *)h_sink, HY_T_VOID, 1, {HY_T_I64}},
    {"many", (void *)h_many, HY_T_I64, 10,
     {HY_T_I64, HY_T_I64, HY_T_I64, HY_T_I64, HY_T_I64, HY_T_I64, HY_T_F64, HY_T_F64, HY_T_F64, HY_T_F64}},
    {"fsub", (void *)h_fsub, HY_T_F64, 2, {HY_T_F64, HY_T_F64}},
    {"mixed", (void *)h_mixed, HY_T_I64, 4, {HY_T_I32, HY_T_F64, HY_T_I64, HY_T_F64}},
    {"print", (void *)h_print, HY_T_I64, 1, {HY_T_I64}},
};
static const struct hy_helpers helpers = {tool_helpers, sizeof tool_helpers / sizeof tool_helpers[0]};

static int usage_to(FILE *f, int rc) {
    fprintf(f,
            "usage: hyperion-jit run FILE.hir [ARGS...]\n"
            "       hyperion-jit eval FILE.hir [ARGS...]\n"
            "       hyperion-jit dump [--arch x86-64|arm64] [--bin OUT.bin] FILE.hir\n"
            "       hyperion-jit verify --arch x86-64|arm64 [--base ADDR] [--helper ADDR]... FILE.bin\n"
            "       hyperion-jit encodings --arch x86-64|arm64\n"
            "       hyperion-jit throughput [--arch x86-64|arm64] [--count N] [FILE.hir...]\n"
            "       hyperion-jit --help\n"
            "ARGS: integers, f64 literals, and for ptr parameters a number or `mem` (a zeroed\n"
            "4 KiB scratch buffer). eval/run check every load and store against that buffer.\n"
            "run executes native code only after the reference evaluator finished without\n"
            "error, on the same buffer reset to zero, and compares result and memory.\n"
            "Env HYPERION_JIT_MAX_STEPS=N sets the evaluator's step limit (default 10^8).\n"
            "Exit status: 0 success (run: native and evaluator agree; verify: accepted)\n"
            "             1 failure: unreadable file, parse/verify error, evaluator error\n"
            "               (division by zero, step limit, access outside the buffer,\n"
            "               unassigned value), compile error, filter rejection, MISMATCH\n"
            "             2 usage error (bad command line or arguments)\n");
    return rc;
}

static int usage(void) { return usage_to(stderr, 2); }

static char *read_file(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "hyperion-jit: cannot open %s: %s\n", path, strerror(errno));
        return NULL;
    }
    size_t cap = 8192, n = 0;
    char *buf = malloc(cap + 1);
    while (buf) {
        size_t r = fread(buf + n, 1, cap - n, f);
        n += r;
        if (n < cap) break;
        cap *= 2;
        if (cap > (256u << 20)) {
            fprintf(stderr, "hyperion-jit: %s is too large\n", path);
            free(buf);
            buf = NULL;
            break;
        }
        char *nb = realloc(buf, cap + 1);
        if (!nb) free(buf);
        buf = nb;
    }
    if (!buf) fprintf(stderr, "hyperion-jit: cannot read %s\n", path);
    else if (ferror(f)) {
        fprintf(stderr, "hyperion-jit: error reading %s\n", path);
        free(buf);
        buf = NULL;
    }
    fclose(f);
    if (buf) {
        buf[n] = 0;
        *len = n;
    }
    return buf;
}

static struct hy_func *load_hir(const char *path) {
    size_t len;
    char *src = read_file(path, &len);
    if (!src) return NULL;
    char err[300];
    struct hy_func *fn = hy_parse_func(src, len, &helpers, err, sizeof err);
    free(src);
    if (!fn) {
        fprintf(stderr, "%s:%s\n", path, err);
        return NULL;
    }
    if (hy_verify(fn, &helpers, err, sizeof err)) {
        fprintf(stderr, "%s: invalid IR: %s\n", path, err);
        hy_func_free(fn);
        return NULL;
    }
    return fn;
}

static const struct hy_backend *arch_arg(const char *name) {
    const struct hy_backend *be = hy_backend_by_name(name);
    if (!be) fprintf(stderr, "hyperion-jit: unknown arch '%s' (x86-64 or arm64)\n", name);
    return be;
}

/* Parse ARGS typed by the params; `mem` gives a ptr to the scratch buffer. */
static int parse_args(const struct hy_func *fn, int argc, char **argv, uint64_t *a, uint8_t *mem) {
    if (argc != fn->nparams) {
        fprintf(stderr, "hyperion-jit: @%s takes %u argument(s), %d given\n", fn->name, fn->nparams, argc);
        return -1;
    }
    for (int i = 0; i < argc; i++) {
        int t = fn->vtype[i];
        const char *s = argv[i];
        char *end;
        errno = 0;
        if (t == HY_T_PTR && !strcmp(s, "mem")) {
            a[i] = (uint64_t)(uintptr_t)mem;
            continue;
        }
        if (t == HY_T_F64) {
            double d = strtod(s, &end);
            if (end == s || *end) goto bad;
            memcpy(&a[i], &d, 8);
        } else if (*s == '-') {
            long long v = strtoll(s, &end, 0);
            if (end == s || *end || errno) goto bad;
            a[i] = (uint64_t)v;
        } else {
            unsigned long long v = strtoull(s, &end, 0);
            if (end == s || *end || errno) goto bad;
            a[i] = v;
        }
        if (t == HY_T_I32 && (*s == '-' ? (int64_t)a[i] < INT32_MIN : a[i] > UINT32_MAX)) goto bad;
        continue;
    bad:
        fprintf(stderr, "hyperion-jit: argument %d ('%s') is not a valid %s\n", i + 1, s, hy_type_name[t]);
        return -1;
    }
    return 0;
}

static void format_value(int type, uint64_t v, char *out, size_t cap) {
    switch (type) {
    case HY_T_VOID: snprintf(out, cap, "void"); break;
    case HY_T_I32: snprintf(out, cap, "%" PRId32, (int32_t)(uint32_t)v); break;
    case HY_T_I64: snprintf(out, cap, "%" PRId64, (int64_t)v); break;
    case HY_T_PTR: snprintf(out, cap, "0x%" PRIx64, v); break;
    default: {
        double d;
        memcpy(&d, &v, 8);
        snprintf(out, cap, "%.17g", d);
    }
    }
}

static void print_value(int type, uint64_t v) {
    char buf[64];
    format_value(type, v, buf, sizeof buf);
    printf("%s\n", buf);
}

static int same(int type, uint64_t a, uint64_t b) {
    if (type == HY_T_VOID) return 1;
    if (type == HY_T_I32) return (uint32_t)a == (uint32_t)b;
    if (type == HY_T_F64) {
        double x, y;
        memcpy(&x, &a, 8);
        memcpy(&y, &b, 8);
        if (x != x && y != y) return 1; /* NaN sign/payload are unspecified (ir.h): isnan only */
    }
    return a == b;
}

/* eval and run. The evaluator always runs first, bounds-checked against the
 * one scratch buffer `mem` (loads/stores anywhere else, e.g. through a
 * numeric ptr argument, are a clear error). If it reports an error (undefined
 * behaviour such as division by zero, the step limit, an out-of-bounds
 * access), `run` stops there: native code only ever runs programs the
 * evaluator finished. The native run gets the same buffer back with the same
 * initial contents, so address-derived results and memory are comparable. */
static int cmd_eval(int argc, char **argv, int native) {
    if (argc < 1) return usage();
    struct hy_func *fn = load_hir(argv[0]);
    if (!fn) return 1;
    static uint8_t mem[MEM_BYTES], mem_eval[MEM_BYTES];
    memset(mem, 0, sizeof mem);
    uint64_t a[HY_MAX_ARGS] = {0};
    if (parse_args(fn, argc - 1, argv + 1, a, mem)) {
        hy_func_free(fn);
        return 2;
    }
    char err[300];
    uint64_t ev = 0;
    struct hy_mem_range range = {(uint64_t)(uintptr_t)mem, (uint64_t)(uintptr_t)mem + MEM_BYTES};
    struct hy_eval_opts eo;
    memset(&eo, 0, sizeof eo);
    eo.check_mem = 1;
    const char *steps = getenv("HYPERION_JIT_MAX_STEPS");
    if (steps && *steps) eo.max_steps = strtoull(steps, NULL, 0);
    eo.mem = &range;
    eo.nmem = 1;
    int erc = hy_eval(fn, &helpers, a, &ev, &eo, NULL, err, sizeof err);
    if (erc) {
        fprintf(stderr, "%s\n", err);
        if (native) fprintf(stderr, "hyperion-jit: not running native code: the reference evaluator failed\n");
        hy_func_free(fn);
        return 1;
    }
    if (!native) {
        print_value(fn->ret, ev);
        hy_func_free(fn);
        return 0;
    }
    memcpy(mem_eval, mem, MEM_BYTES);
    memset(mem, 0, sizeof mem); /* the same initial contents for the native run */
    struct hy_jit_config cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.helpers = &helpers;
    struct hy_jit *j = hy_jit_new(&cfg);
    if (!j) {
        fprintf(stderr, "hyperion-jit: out of memory\n");
        hy_func_free(fn);
        return 1;
    }
    struct hy_jit_code *c = hy_jit_compile(j, fn);
    if (!c) {
        fprintf(stderr, "hyperion-jit: compile failed: %s\n", hy_jit_error(j));
        hy_jit_free(j);
        hy_func_free(fn);
        return 1;
    }
    uint64_t r = hy_jit_invoke(c, a);
    print_value(fn->ret, r);
    int rc = 0;
    int memdiff = memcmp(mem, mem_eval, MEM_BYTES) != 0;
    if (!same(fn->ret, r, ev) || memdiff) {
        char want[64];
        format_value(fn->ret, ev, want, sizeof want);
        fprintf(stderr, "hyperion-jit: MISMATCH: native and reference evaluator differ (evaluator: %s%s)\n", want,
                memdiff ? "; memory contents differ" : "");
        rc = 1;
    }
    hy_jit_code_free(j, c);
    hy_jit_free(j);
    hy_func_free(fn);
    return rc;
}

static void print_bytes(const uint8_t *p, size_t n, int width) {
    int w = 0;
    for (size_t i = 0; i < n; i++) w += printf("%02x ", p[i]);
    for (; w < width; w++) putchar(' ');
}

static int cmd_dump(int argc, char **argv) {
    const struct hy_backend *be = hy_backend_native();
    const char *file = NULL, *bin = NULL;
    for (int i = 0; i < argc; i++) {
        if (!strcmp(argv[i], "--arch") && i + 1 < argc) {
            if (!(be = arch_arg(argv[++i]))) return 2;
        } else if (!strcmp(argv[i], "--bin") && i + 1 < argc) {
            bin = argv[++i];
        } else if (!file && argv[i][0] != '-') {
            file = argv[i];
        } else {
            return usage();
        }
    }
    if (!file) return usage();
    struct hy_func *fn = load_hir(file);
    if (!fn) return 1;
    char err[300];
    struct hy_jit *j = NULL;
    struct hy_jit_code *c;
    if (be == hy_backend_native()) {
        /* the real thing: committed at its random address (never called here) */
        struct hy_jit_config cfg;
        memset(&cfg, 0, sizeof cfg);
        cfg.helpers = &helpers;
        j = hy_jit_new(&cfg);
        c = j ? hy_jit_compile(j, fn) : NULL;
        snprintf(err, sizeof err, "%s", j ? hy_jit_error(j) : "out of memory");
    } else {
        c = hy_jit_lower(be, fn, &helpers, 0x7f0000100000ull, NULL, err, sizeof err);
    }
    if (!c) {
        fprintf(stderr, "hyperion-jit: %s\n", err);
        hy_jit_free(j);
        hy_func_free(fn);
        return 1;
    }
    if (bin) {
        FILE *bf = fopen(bin, "wb");
        if (!bf || fwrite(c->image, 1, c->size, bf) != c->size || fclose(bf) != 0) {
            fprintf(stderr, "hyperion-jit: cannot write %s\n", bin);
            hy_jit_code_free(j, c);
            hy_jit_free(j);
            hy_func_free(fn);
            return 1;
        }
    }
    printf("; @%s  arch %s  base 0x%" PRIx64 "%s  %zu bytes  frame %u  %u patch site(s)  %u call(s)\n", fn->name,
           be->name, c->base, c->entry ? "" : " (not executable)", c->size, c->frame_size, c->nsites, c->ncalls);
    size_t off = 0;
    while (off < c->size) {
        for (uint32_t b = 0; b < c->nblocks; b++)
            if (c->block_off[b] == off) printf("bb%u:\n", b);
        char text[160];
        int n = be->disasm(c->image + off, c->size - off, c->base + off, text, sizeof text);
        if (n <= 0) {
            n = be->insn_align > 1 && c->size - off >= be->insn_align ? be->insn_align : 1;
            snprintf(text, sizeof text, ".byte (unknown)");
        }
        printf("  %016" PRIx64 "  ", c->base + off);
        print_bytes(c->image + off, (size_t)n, 33);
        printf("%s", text);
        for (uint32_t s = 0; s < c->nsites; s++)
            if (c->sites[s].off == off) {
                printf("    ; <== patch site #%u guard.%s id=%u ctr=%u -> bb%u, alt:", s,
                       c->sites[s].kind < HY_GK__COUNT ? hy_guard_kind_name[c->sites[s].kind] : "?", c->sites[s].guard_id,
                       c->sites[s].counter, c->sites[s].exit_blk);
                for (int k = 0; k < c->sites[s].len; k++) printf(" %02x", c->sites[s].alt[k]);
            }
        for (uint32_t k = 0; k < c->ncalls; k++)
            if (c->calls[k].off == off) {
                uint32_t h = c->calls[k].helper;
                printf("    ; call @%s (%s)", h < helpers.n ? helpers.v[h].name : "?", c->calls[k].indirect ? "indirect" : "direct");
            }
        putchar('\n');
        off += (size_t)n;
    }
    hy_jit_code_free(j, c);
    hy_jit_free(j);
    hy_func_free(fn);
    return 0;
}

static int cmd_verify(int argc, char **argv) {
    const struct hy_backend *be = NULL;
    const char *file = NULL;
    uint64_t base = 0x7f0000100000ull;
    uint64_t helper_addr[64];
    uint32_t nh = 0;
    for (int i = 0; i < argc; i++) {
        if (!strcmp(argv[i], "--arch") && i + 1 < argc) {
            if (!(be = arch_arg(argv[++i]))) return 2;
        } else if ((!strcmp(argv[i], "--base") || !strcmp(argv[i], "--helper")) && i + 1 < argc) {
            char *end;
            errno = 0;
            unsigned long long v = strtoull(argv[i + 1], &end, 0);
            if (*end || errno || end == argv[i + 1]) {
                fprintf(stderr, "hyperion-jit: bad address '%s'\n", argv[i + 1]);
                return 2;
            }
            if (argv[i][2] == 'b') base = v;
            else if (nh < 64) helper_addr[nh++] = v;
            i++;
        } else if (!file && argv[i][0] != '-') {
            file = argv[i];
        } else {
            return usage();
        }
    }
    if (!be || !file) return usage();
    size_t len;
    char *buf = read_file(file, &len);
    if (!buf) return 1;
    struct hy_filter_in in;
    struct hy_filter_out out;
    memset(&in, 0, sizeof in);
    memset(&out, 0, sizeof out);
    in.code = (const uint8_t *)buf;
    in.len = len;
    in.base = base;
    in.helpers = helper_addr;
    in.nhelpers = nh;
    in.range_len = len;
    int rc = len ? be->filter(&in, &out) : 1;
    if (!len) snprintf(out.reason, sizeof out.reason, "empty input");
    free(buf);
    if (rc) {
        printf("reject %s offset 0x%zx: %s\n", file, out.off, out.reason);
        return 1;
    }
    printf("accept %s (%zu bytes, %s)\n", file, len, be->name);
    return 0;
}

static int cmd_encodings(int argc, char **argv) {
    const struct hy_backend *be = NULL;
    for (int i = 0; i < argc; i++) {
        if (!strcmp(argv[i], "--arch") && i + 1 < argc) {
            if (!(be = arch_arg(argv[++i]))) return 2;
        } else {
            return usage();
        }
    }
    if (!be) return usage();
    be->list_encodings(stdout);
    return ferror(stdout) ? 1 : 0;
}

/* Compile throughput: IR instructions per microsecond of backend work
 * (verify + regalloc + emit + filter, no code memory), over generated
 * programs or the given files. */
static int cmd_throughput(int argc, char **argv) {
    const struct hy_backend *be = hy_backend_native();
    int count = 2000, nfiles = 0;
    char **files = calloc((size_t)argc + 1, sizeof *files);
    if (!files) return 1;
    for (int i = 0; i < argc; i++) {
        if (!strcmp(argv[i], "--arch") && i + 1 < argc) {
            if (!(be = arch_arg(argv[++i]))) {
                free(files);
                return 2;
            }
        } else if (!strcmp(argv[i], "--count") && i + 1 < argc) {
            count = atoi(argv[++i]);
            if (count <= 0) count = 1;
        } else if (argv[i][0] != '-') {
            files[nfiles++] = argv[i];
        } else {
            free(files);
            return usage();
        }
    }
    uint64_t nins = 0, ns_front = 0, ns_emit = 0, ns_filter = 0, ns_total = 0, bytes = 0;
    int done = 0;
    for (int i = 0; i < (nfiles ? nfiles : count); i++) {
        struct hy_func *fn;
        if (nfiles) {
            fn = load_hir(files[i]);
        } else {
            struct hy_gen_opts o;
            memset(&o, 0, sizeof o);
            o.seed = (uint64_t)i + 1;
            o.mem_bytes = 256;
            o.use_f64 = o.use_calls = o.use_guards = o.use_loops = 1;
            o.helpers = &helpers;
            fn = hy_gen_func(&o);
        }
        if (!fn) continue;
        char err[300];
        struct hy_jit_code *c = hy_jit_lower(be, fn, &helpers, 0x7f0000100000ull, NULL, err, sizeof err);
        if (!c) {
            fprintf(stderr, "hyperion-jit: %s: %s\n", fn->name, err);
            hy_func_free(fn);
            free(files);
            return 1;
        }
        nins += c->stats.nins;
        ns_front += c->stats.ns_verify + c->stats.ns_regalloc;
        ns_emit += c->stats.ns_emit;
        ns_filter += c->stats.ns_filter;
        ns_total += c->stats.ns_total;
        bytes += c->size;
        done++;
        hy_jit_code_free(NULL, c);
        hy_func_free(fn);
    }
    free(files);
    if (!done || !ns_total) return 1;
    printf("arch %s: %d functions, %" PRIu64 " IR instructions, %" PRIu64 " code bytes\n", be->name, done, nins, bytes);
    printf("  verify+regalloc %.1f us, emit %.1f us, filter %.1f us, total %.1f us\n", ns_front / 1e3, ns_emit / 1e3,
           ns_filter / 1e3, ns_total / 1e3);
    printf("  throughput: %.2f IR instructions per us (whole pipeline without code memory)\n",
           (double)nins * 1000.0 / (double)ns_total);
    printf("  backend only (emit): %.2f IR instructions per us\n", ns_emit ? (double)nins * 1000.0 / (double)ns_emit : 0.0);
    return 0;
}

int main(int argc, char **argv) {
    if (argc < 2) return usage();
    const char *cmd = argv[1];
    if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) return usage_to(stdout, 0);
    if (!strcmp(cmd, "run")) return cmd_eval(argc - 2, argv + 2, 1);
    if (!strcmp(cmd, "eval")) return cmd_eval(argc - 2, argv + 2, 0);
    if (!strcmp(cmd, "dump")) return cmd_dump(argc - 2, argv + 2);
    if (!strcmp(cmd, "verify")) return cmd_verify(argc - 2, argv + 2);
    if (!strcmp(cmd, "encodings")) return cmd_encodings(argc - 2, argv + 2);
    if (!strcmp(cmd, "throughput")) return cmd_throughput(argc - 2, argv + 2);
    fprintf(stderr, "hyperion-jit: unknown command '%s'\n", cmd);
    return usage();
}
