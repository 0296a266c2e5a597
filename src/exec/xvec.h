/*
 * Batches, vectors and materialized buffers of the vectorized interpreter (private to exec/).
 *
 * A batch holds up to HY_BATCH positions. Every vector in it is "flat": value i lives at
 * data[i] (the physical representation of common/types.h) and validity bit i says whether it
 * is non-NULL (valid == NULL: all valid). Which positions are live is given by a selection:
 * (sel, n) lists n positions in increasing order; sel == NULL means the dense range 0..n-1.
 * Kernels compute only the selected positions; other positions are "don't care".
 * Values at NULL positions may be garbage (table data under a NULL bit is undefined):
 * kernels that can fail or dereference (overflow checks, division, strings) consult validity.
 */
#ifndef HY_EXEC_XVEC_H
#define HY_EXEC_XVEC_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "common/error.h"
#include "common/types.h"

#define HY_BATCH 2048
#define HY_BATCH_WORDS (HY_BATCH / 64)

/* Loop over a selection; BODY sees the position as `i`. */
#define HY_LOOP(sel, n, ...)                                                                 \
    do {                                                                                     \
        const uint16_t *sel_ = (sel);                                                        \
        int n_ = (n);                                                                        \
        if (sel_) {                                                                          \
            for (int k_ = 0; k_ < n_; k_++) {                                                \
                int i = sel_[k_];                                                            \
                __VA_ARGS__;                                                                 \
            }                                                                                \
        } else {                                                                             \
            for (int i = 0; i < n_; i++) {                                                   \
                __VA_ARGS__;                                                                 \
            }                                                                                \
        }                                                                                    \
    } while (0)

/* Physical classes: what kernels specialize on. */
typedef enum hy_phys {
    HY_P_NULL, /* a bare NULL column: data unused */
    HY_P_BOOL, /* uint8_t */
    HY_P_I32,  /* INTEGER, DATE */
    HY_P_I64,  /* BIGINT, DECIMAL p<=18 */
    HY_P_F64,
    HY_P_I128, /* DECIMAL p>18 */
    HY_P_STR
} hy_phys;

static inline hy_phys hy_phys_of(hy_ltype t) {
    switch (t.id) {
    case HY_TYPE_BOOLEAN: return HY_P_BOOL;
    case HY_TYPE_INTEGER:
    case HY_TYPE_DATE: return HY_P_I32;
    case HY_TYPE_BIGINT: return HY_P_I64;
    case HY_TYPE_DOUBLE: return HY_P_F64;
    case HY_TYPE_DECIMAL: return t.prec > HY_DEC_MAX_STORED_PREC ? HY_P_I128 : HY_P_I64;
    case HY_TYPE_VARCHAR: return HY_P_STR;
    default: return HY_P_NULL;
    }
}

/* Bytes per value in exec buffers (a NULL column still gets 1 byte per row). */
static inline size_t hy_xwidth(hy_ltype t) {
    switch (hy_phys_of(t)) {
    case HY_P_BOOL: return 1;
    case HY_P_I32: return 4;
    case HY_P_I64:
    case HY_P_F64: return 8;
    case HY_P_I128: return 16;
    case HY_P_STR: return sizeof(hy_str);
    default: return 1;
    }
}

typedef struct hy_xv {
    hy_ltype type;
    void *data;
    uint64_t *valid; /* NULL = all valid */
} hy_xv;

typedef struct hy_batch {
    int n;                /* positions 0..n-1 exist */
    const uint16_t *sel;  /* live positions (NULL = all n) */
    int nsel;
    int ncols;
    hy_xv *cols;
    int64_t row0;         /* source row number of position 0 (first-appearance order) */
} hy_batch;

static inline bool hy_xv_valid(const hy_xv *v, int i) { return hy_valid_get(v->valid, i); }

/* Copy n bits starting at bit `off` of src into dst[0..]. */
void hy_bits_copy(uint64_t *dst, const uint64_t *src, int64_t off, int64_t n);
/* Count zero bits among the first n (NULLs). */
int64_t hy_bits_count_zero(const uint64_t *v, int64_t n);

/* Bytewise string order (shorter prefix first). */
static inline int hy_str_cmp(hy_str a, hy_str b) {
    uint32_t n = a.len < b.len ? a.len : b.len;
    int c = n ? memcmp(a.ptr, b.ptr, n) : 0;
    if (c) return c < 0 ? -1 : 1;
    return (a.len > b.len) - (a.len < b.len);
}
static inline bool hy_str_eq(hy_str a, hy_str b) {
    if (a.len != b.len) return false;
    if (a.len <= 8) { /* short keys (flags, codes): no library call */
        for (uint32_t i = 0; i < a.len; i++)
            if (a.ptr[i] != b.ptr[i]) return false;
        return true;
    }
    return memcmp(a.ptr, b.ptr, a.len) == 0;
}

/* Doubles in the total order of hy_value_cmp: -0.0 == 0.0, NaN == NaN and NaN > all. */
static inline int hy_f64_cmp(double x, double y) {
    bool xn = x != x, yn = y != y;
    if (xn || yn) return (int)xn - (int)yn;
    return (x > y) - (x < y);
}

/* ---- Per-batch string space: chunks reused batch after batch (no malloc once warm) ------ */
typedef struct hy_sbuf_chunk hy_sbuf_chunk;
typedef struct hy_sbuf {
    hy_sbuf_chunk *head, *cur;
} hy_sbuf;
void hy_sbuf_init(hy_sbuf *b);
void hy_sbuf_free(hy_sbuf *b);
void hy_sbuf_reset(hy_sbuf *b);
char *hy_sbuf_alloc(hy_sbuf *b, size_t n);

/* ---- Materialized columnar buffer: breaker outputs, results, sort input ----------------- */
typedef struct hy_mat {
    int ncols;
    hy_ltype *types;
    int64_t rows, cap;
    void **data;        /* cap * hy_xwidth */
    uint64_t **valid;   /* cap bits, always allocated */
    hy_strheap *heaps;  /* owned string heaps; appends go to heaps[0] */
    int nheaps, capheaps;
} hy_mat;

hy_mat *hy_mat_new(int ncols, const hy_ltype *types);
void hy_mat_free(hy_mat *m);
void hy_mat_reserve(hy_mat *m, int64_t rows);
/* Append the live rows of a batch (its first m->ncols columns); strings are copied. */
void hy_mat_append_batch(hy_mat *m, const hy_batch *b);
/* Append rows [from, from+n) of src (same column types); strings are copied unless
 * copy_strings is false (then dst must adopt src's heaps). */
void hy_mat_append_rows(hy_mat *m, const hy_mat *src, int64_t from, int64_t n, bool copy_strings);
/* Append rows of src in the order of idx (no string copy: dst must adopt src's heaps). */
void hy_mat_gather(hy_mat *dst, const hy_mat *src, const int64_t *idx, int64_t n);
/* Move src's string heaps into dst (src keeps none). */
void hy_mat_adopt_heaps(hy_mat *dst, hy_mat *src);
/* Add n rows, all NULL; returns the index of the first. */
int64_t hy_mat_add_rows(hy_mat *m, int64_t n);
/* Set one cell (strings copied). */
void hy_mat_set_null(hy_mat *m, int col, int64_t row);
void hy_mat_set_value(hy_mat *m, int col, int64_t row, const hy_value *v);
hy_value hy_mat_get_value(const hy_mat *m, int col, int64_t row);
/* Keep rows [off, off+n) only. */
void hy_mat_slice(hy_mat *m, int64_t off, int64_t n);

#endif
