#include "test_util.h"

#include <math.h>
#include <string.h>

int t_failures;
struct hy_test_state t_state;

/* The frame address of a function that takes it is the stack pointer right
 * after its own frame setup: 16-aligned exactly when the caller called with
 * an aligned SP (x86-64: call pushes 8, push rbp 8; ARM64: SP itself). */
#define ALIGN_CHECK()                                                     \
    do {                                                                  \
        t_state.calls++;                                                  \
        if (((uintptr_t)__builtin_frame_address(0) & 15) != 0) t_state.misaligned++; \
    } while (0)

static int64_t sat(double d) {
    if (isnan(d)) return 0;
    if (d >= 9223372036854775808.0) return INT64_MAX;
    if (d <= -9223372036854775808.0) return INT64_MIN;
    return (int64_t)d;
}

__attribute__((noinline)) static int64_t h_mix3(int64_t a, int64_t b, int64_t c) {
    ALIGN_CHECK();
    return (int64_t)(((uint64_t)a * 31u + (uint64_t)b) ^ (uint64_t)c);
}
__attribute__((noinline)) static double h_fmix(double x, int64_t k) {
    ALIGN_CHECK();
    return x * 0.5 + (double)(k & 1023);
}
__attribute__((noinline)) static int32_t h_i32(int32_t a, int32_t b) {
    ALIGN_CHECK();
    return (int32_t)((uint32_t)a - (uint32_t)b * 3u);
}
__attribute__((noinline)) static void h_void(int64_t x) {
    ALIGN_CHECK();
    t_state.side = t_state.side * 1099511628211ull + (uint64_t)x;
}
__attribute__((noinline)) static int64_t h_many(int64_t a, int64_t b, int64_t c, int64_t d, int64_t e, int64_t f,
                                                double x, double y, double z, double w) {
    ALIGN_CHECK();
    uint64_t r = (uint64_t)a + 2u * (uint64_t)b + 3u * (uint64_t)c + 5u * (uint64_t)d + 7u * (uint64_t)e +
                 11u * (uint64_t)f;
    r ^= (uint64_t)sat(x) * 13u + (uint64_t)sat(y * 2) * 17u + (uint64_t)sat(z * 4) * 19u + (uint64_t)sat(w * 8) * 23u;
    return (int64_t)r;
}
__attribute__((noinline)) static double h_fsub(double x, double y) {
    ALIGN_CHECK();
    return x - y;
}
__attribute__((noinline)) static int64_t h_mixed(int32_t a, double x, int64_t b, double y) {
    ALIGN_CHECK();
    return (int64_t)((uint64_t)a * 1000u + (uint64_t)b + (uint64_t)sat(x) - (uint64_t)sat(y));
}

static const struct hy_helper helpers[] = {
    {"mix3", (void *)h_mix3, HY_T_I64, 3, {HY_T_I64, HY_T_I64, HY_T_I64}},
    {"fmix", (void *)h_fmix, HY_T_F64, 2, {HY_T_F64, HY_T_I64}},
    {"i32op", (void *)h_i32, HY_T_I32, 2, {HY_T_I32, HY_T_I32}},
    {"sink", (void *)h_void, HY_T_VOID, 1, {HY_T_I64}},
    {"many", (void *)h_many, HY_T_I64, 10,
     {HY_T_I64, HY_T_I64, HY_T_I64, HY_T_I64, HY_T_I64, HY_T_I64, HY_T_F64, HY_T_F64, HY_T_F64, HY_T_F64}},
    {"fsub", (void *)h_fsub, HY_T_F64, 2, {HY_T_F64, HY_T_F64}},
    {"mixed", (void *)h_mixed, HY_T_I64, 4, {HY_T_I32, HY_T_F64, HY_T_I64, HY_T_F64}},
};
static const struct hy_helpers helper_table = {helpers, sizeof helpers / sizeof helpers[0]};

const struct hy_helpers *t_helpers(void) { return &helper_table; }

char *t_read_file(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    char *buf = NULL;
    size_t n = 0, cap = 0;
    for (;;) {
        if (n + 4096 + 1 > cap) {
            cap = (cap + 4096) * 2;
            char *nb = realloc(buf, cap);
            if (!nb) {
                free(buf);
                fclose(f);
                return NULL;
            }
            buf = nb;
        }
        size_t r = fread(buf + n, 1, 4096, f);
        n += r;
        if (r < 4096) break;
    }
    fclose(f);
    buf[n] = 0;
    if (len) *len = n;
    return buf;
}

int t_same(int type, uint64_t a, uint64_t b) {
    if (type == HY_T_I32) return (uint32_t)a == (uint32_t)b;
    if (type == HY_T_F64) {
        double x, y;
        memcpy(&x, &a, 8);
        memcpy(&y, &b, 8);
        if (isnan(x) && isnan(y)) return 1;
    }
    return a == b;
}

int t_env_soak(void) {
    const char *s = getenv("HY_SOAK");
    return s && *s && strcmp(s, "0") != 0;
}

#include <dirent.h>
#include <errno.h>

int t_parse_value(const char *s, int type, uint64_t *out) {
    char *end;
    errno = 0;
    if (type == HY_T_F64) {
        double d = strtod(s, &end);
        if (end == s || *end) return -1;
        memcpy(out, &d, 8);
        return 0;
    }
    if (*s == '-') {
        long long v = strtoll(s, &end, 0);
        if (end == s || *end || errno) return -1;
        *out = (uint64_t)v;
    } else {
        unsigned long long v = strtoull(s, &end, 0);
        if (end == s || *end || errno) return -1;
        *out = v;
    }
    if (type == HY_T_I32) *out = (uint32_t)*out;
    return 0;
}

int t_parse_expects(const char *src, const struct hy_func *fn, struct t_expect *ex, int cap) {
    int n = 0;
    const char *p = src;
    while ((p = strstr(p, "; expect:")) != NULL && n < cap) {
        p += 9;
        const char *eol = strchr(p, '\n');
        size_t len = eol ? (size_t)(eol - p) : strlen(p);
        char line[512];
        if (len >= sizeof line) return -1;
        memcpy(line, p, len);
        line[len] = 0;
        struct t_expect *e = &ex[n];
        memset(e, 0, sizeof *e);
        int after_arrow = 0, got_result = 0;
        for (char *tok = strtok(line, " \t"); tok; tok = strtok(NULL, " \t")) {
            if (!strcmp(tok, "->")) {
                after_arrow = 1;
                continue;
            }
            if (after_arrow) {
                if (got_result || t_parse_value(tok, fn->ret, &e->result)) return -1;
                got_result = 1;
            } else {
                if (e->nargs >= fn->nparams) return -1;
                if (t_parse_value(tok, fn->vtype[e->nargs], &e->args[e->nargs])) return -1;
                e->nargs++;
            }
        }
        if (!got_result || e->nargs != fn->nparams) return -1;
        n++;
    }
    return n;
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

int t_list_hir(const char *dir, char ***names) {
    DIR *d = opendir(dir);
    if (!d) return -1;
    int n = 0, cap = 0;
    char **v = NULL;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        size_t l = strlen(de->d_name);
        if (l < 5 || strcmp(de->d_name + l - 4, ".hir")) continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 16;
            char **nv = realloc(v, (size_t)cap * sizeof *nv);
            if (!nv) break;
            v = nv;
        }
        size_t need = strlen(dir) + l + 2;
        v[n] = malloc(need);
        if (!v[n]) break;
        snprintf(v[n], need, "%s/%s", dir, de->d_name);
        n++;
    }
    closedir(d);
    if (n) qsort(v, (size_t)n, sizeof *v, cmp_str);
    *names = v;
    return n;
}
