/* ORDER BY: stable merge sort of a materialized buffer by several keys. */
#include <stdio.h>
#include <stdlib.h>

#include "exec/exec_int.h"

typedef struct skey {
    hy_phys p;
    const void *data;
    const uint64_t *valid;
    bool desc, nulls_first;
} skey;

static inline int cmp_val(const skey *k, int64_t a, int64_t b) {
    switch (k->p) {
    case HY_P_BOOL: { uint8_t x = ((const uint8_t *)k->data)[a], y = ((const uint8_t *)k->data)[b]; return (x > y) - (x < y); }
    case HY_P_I32: { int32_t x = ((const int32_t *)k->data)[a], y = ((const int32_t *)k->data)[b]; return (x > y) - (x < y); }
    case HY_P_I64: { int64_t x = ((const int64_t *)k->data)[a], y = ((const int64_t *)k->data)[b]; return (x > y) - (x < y); }
    case HY_P_I128: { hy_i128 x = ((const hy_i128 *)k->data)[a], y = ((const hy_i128 *)k->data)[b]; return (x > y) - (x < y); }
    case HY_P_F64: return hy_f64_cmp(((const double *)k->data)[a], ((const double *)k->data)[b]);
    case HY_P_STR: return hy_str_cmp(((const hy_str *)k->data)[a], ((const hy_str *)k->data)[b]);
    default: return 0;
    }
}

static inline int cmp_row(const skey *keys, int nk, int64_t a, int64_t b) {
    for (int j = 0; j < nk; j++) {
        const skey *k = &keys[j];
        bool va = hy_valid_get(k->valid, a), vb = hy_valid_get(k->valid, b);
        if (!va || !vb) {
            if (!va && !vb) continue;
            int c = !va ? -1 : 1; /* NULL before value */
            return k->nulls_first ? c : -c;
        }
        int c = cmp_val(k, a, b);
        if (c) return k->desc ? -c : c;
    }
    return 0;
}

#define RUN 32

static void merge_sort(int64_t *a, int64_t n, const skey *keys, int nk) {
    for (int64_t lo = 0; lo < n; lo += RUN) {
        int64_t hi = lo + RUN < n ? lo + RUN : n;
        for (int64_t i = lo + 1; i < hi; i++) {
            int64_t x = a[i], j = i;
            while (j > lo && cmp_row(keys, nk, a[j - 1], x) > 0) {
                a[j] = a[j - 1];
                j--;
            }
            a[j] = x;
        }
    }
    if (n <= RUN) return;
    int64_t *tmp = malloc(sizeof(int64_t) * (size_t)n);
    if (!tmp) abort();
    int64_t *src = a, *dst = tmp;
    for (int64_t w = RUN; w < n; w *= 2) {
        for (int64_t lo = 0; lo < n; lo += 2 * w) {
            int64_t mid = lo + w < n ? lo + w : n, hi = lo + 2 * w < n ? lo + 2 * w : n;
            int64_t i = lo, j = mid, k = lo;
            if (mid >= hi || cmp_row(keys, nk, src[mid - 1], src[mid]) <= 0) {
                memcpy(dst + lo, src + lo, sizeof(int64_t) * (size_t)(hi - lo)); /* already ordered */
                continue;
            }
            while (i < mid && j < hi) dst[k++] = cmp_row(keys, nk, src[i], src[j]) <= 0 ? src[i++] : src[j++];
            while (i < mid) dst[k++] = src[i++];
            while (j < hi) dst[k++] = src[j++];
        }
        int64_t *t = src;
        src = dst;
        dst = t;
    }
    if (src != a) memcpy(a, src, sizeof(int64_t) * (size_t)n);
    free(tmp);
}

hy_mat *hy_sort_mat(hy_mat *in, int nkeys, const hy_sort_key *keys, hy_error *err) {
    skey *sk = malloc(sizeof(skey) * (size_t)(nkeys ? nkeys : 1));
    if (!sk) abort();
    for (int j = 0; j < nkeys; j++) {
        int c = keys[j].column;
        if (c < 0 || c >= in->ncols) {
            free(sk);
            hy_error_set(err, HY_E_INTERNAL, "sort key %d out of range", c);
            return NULL;
        }
        sk[j].p = hy_phys_of(in->types[c]);
        sk[j].data = in->data[c];
        sk[j].valid = in->valid[c];
        sk[j].desc = keys[j].desc;
        sk[j].nulls_first = keys[j].nulls_first;
    }
    int64_t n = in->rows;
    int64_t *idx = malloc(sizeof(int64_t) * (size_t)(n ? n : 1));
    if (!idx) abort();
    for (int64_t i = 0; i < n; i++) idx[i] = i;
    merge_sort(idx, n, sk, nkeys);
    hy_mat *out = hy_mat_new(in->ncols, in->types);
    hy_mat_gather(out, in, idx, n);
    hy_mat_adopt_heaps(out, in);
    free(idx);
    free(sk);
    return out;
}
