#include "jq_common.h"

#include <stdlib.h>
#include <string.h>

void jq_init(struct jq *q) {
    memset(q, 0, sizeof *q);
    const char *s = getenv("HY_SOAK");
    q->soak = s && *s && strcmp(s, "0");
    q->last = getenv("JQ_LAST");
    s = getenv("HY_EMULATED");
    q->emulated = s && *s && strcmp(s, "0");
    setvbuf(stdout, NULL, _IOLBF, 0);
}

static int64_t sat(double d) {
    if (d != d) return 0;
    if (d >= 9223372036854775808.0) return INT64_MAX;
    if (d <= -9223372036854775808.0) return INT64_MIN;
    return (int64_t)d;
}
static int64_t h_mix3(int64_t a, int64_t b, int64_t c) { return (int64_t)(((uint64_t)a * 31u + (uint64_t)b) ^ (uint64_t)c); }
static double h_fmix(double x, int64_t k) { return x * 0.5 + (double)(k & 1023); }
static int32_t h_i32(int32_t a, int32_t b) { return (int32_t)((uint32_t)a - (uint32_t)b * 3u); }
static void h_sink(int64_t x) { (void)x; }
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
static int64_t h_print(int64_t x) { return x ^ 0x5a5a; }

static const struct hy_helper jq_tab[] = {
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
static const struct hy_helpers jq_hs = {jq_tab, sizeof jq_tab / sizeof jq_tab[0]};

const struct hy_helpers *jq_helpers(void) { return &jq_hs; }

uint64_t jq_rnd(uint64_t *s) {
    uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

char *jq_read_file(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 4096, n = 0;
    char *b = malloc(cap + 1);
    while (b) {
        size_t r = fread(b + n, 1, cap - n, f);
        n += r;
        if (r == 0) break;
        if (n == cap) {
            char *nb = realloc(b, cap * 2 + 1);
            if (!nb) {
                free(b);
                b = NULL;
                break;
            }
            b = nb;
            cap *= 2;
        }
    }
    fclose(f);
    if (b) {
        b[n] = 0;
        *len = n;
    }
    return b;
}

int jq_same(int type, uint64_t a, uint64_t b) {
    if (type == HY_T_VOID) return 1;
    if (type == HY_T_I32) return (uint32_t)a == (uint32_t)b;
    if (type == HY_T_F64) {
        double x, y;
        memcpy(&x, &a, 8);
        memcpy(&y, &b, 8);
        if (x != x && y != y) return 1;
    }
    return a == b;
}

void jq_save_last(const struct jq *q, const char *text, size_t len) {
    if (!q->last) return;
    FILE *f = fopen(q->last, "wb");
    if (!f) return;
    fwrite(text, 1, len, f);
    fclose(f);
}
