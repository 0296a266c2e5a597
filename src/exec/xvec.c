/* Bit helpers, per-batch string space and materialized buffers (see xvec.h). */
#include "exec/xvec.h"

#include <stdio.h>
#include <stdlib.h>

static void *xrealloc(void *p, size_t n) {
    void *q = realloc(p, n ? n : 1);
    if (!q) {
        fprintf(stderr, "hyperion: out of memory (%zu bytes)\n", n);
        abort();
    }
    return q;
}

/* ==== Bits ================================================================================ */

void hy_bits_copy(uint64_t *dst, const uint64_t *src, int64_t off, int64_t n) {
    int64_t nw = (n + 63) >> 6, end = off + n;
    if ((off & 63) == 0) {
        memcpy(dst, src + (off >> 6), (size_t)nw * 8);
        return;
    }
    for (int64_t w = 0; w < nw; w++) {
        int64_t bit = off + w * 64, idx = bit >> 6;
        int sh = (int)(bit & 63);
        uint64_t v = src[idx] >> sh;
        if (bit + (64 - sh) < end) v |= src[idx + 1] << (64 - sh);
        dst[w] = v;
    }
}

int64_t hy_bits_count_zero(const uint64_t *v, int64_t n) {
    if (!v) return 0;
    int64_t ones = 0, full = n >> 6;
    for (int64_t w = 0; w < full; w++) ones += __builtin_popcountll(v[w]);
    if (n & 63) ones += __builtin_popcountll(v[full] & (((uint64_t)1 << (n & 63)) - 1));
    return n - ones;
}

static void bits_set_range(uint64_t *v, int64_t from, int64_t n, bool val) {
    int64_t i = from, end = from + n;
    while (i < end && (i & 63)) hy_valid_set(v, i++, val);
    for (; i + 64 <= end; i += 64) v[i >> 6] = val ? ~(uint64_t)0 : 0;
    while (i < end) hy_valid_set(v, i++, val);
}

/* ==== Per-batch string space ================================================================= */

struct hy_sbuf_chunk {
    hy_sbuf_chunk *next;
    size_t cap, used;
    char data[];
};

void hy_sbuf_init(hy_sbuf *b) { b->head = b->cur = NULL; }

void hy_sbuf_free(hy_sbuf *b) {
    hy_sbuf_chunk *c = b->head;
    while (c) {
        hy_sbuf_chunk *n = c->next;
        free(c);
        c = n;
    }
    b->head = b->cur = NULL;
}

void hy_sbuf_reset(hy_sbuf *b) {
    for (hy_sbuf_chunk *c = b->head; c; c = c->next) c->used = 0;
    b->cur = b->head;
}

char *hy_sbuf_alloc(hy_sbuf *b, size_t n) {
    n = (n + 7) & ~(size_t)7;
    while (b->cur && b->cur->cap - b->cur->used < n) b->cur = b->cur->next;
    if (!b->cur) {
        size_t cap = n > 65536 ? n : 65536;
        hy_sbuf_chunk *c = xrealloc(NULL, sizeof *c + cap);
        c->cap = cap;
        c->used = 0;
        c->next = b->head; /* earlier chunks are full for this batch; order is irrelevant */
        b->head = c;
        b->cur = c;
    }
    char *p = b->cur->data + b->cur->used;
    b->cur->used += n;
    return p;
}

/* ==== Materialized buffers =================================================================== */

hy_mat *hy_mat_new(int ncols, const hy_ltype *types) {
    hy_mat *m = xrealloc(NULL, sizeof *m);
    memset(m, 0, sizeof *m);
    m->ncols = ncols;
    m->types = xrealloc(NULL, sizeof(hy_ltype) * (size_t)(ncols ? ncols : 1));
    if (ncols) memcpy(m->types, types, sizeof(hy_ltype) * (size_t)ncols);
    m->data = xrealloc(NULL, sizeof(void *) * (size_t)(ncols ? ncols : 1));
    m->valid = xrealloc(NULL, sizeof(uint64_t *) * (size_t)(ncols ? ncols : 1));
    for (int c = 0; c < ncols; c++) {
        m->data[c] = NULL;
        m->valid[c] = NULL;
    }
    m->capheaps = 1;
    m->nheaps = 1;
    m->heaps = xrealloc(NULL, sizeof(hy_strheap));
    hy_strheap_init(&m->heaps[0]);
    return m;
}

void hy_mat_free(hy_mat *m) {
    if (!m) return;
    for (int c = 0; c < m->ncols; c++) {
        free(m->data[c]);
        free(m->valid[c]);
    }
    for (int h = 0; h < m->nheaps; h++) hy_strheap_free(&m->heaps[h]);
    free(m->heaps);
    free(m->data);
    free(m->valid);
    free(m->types);
    free(m);
}

void hy_mat_reserve(hy_mat *m, int64_t rows) {
    if (rows <= m->cap) return;
    int64_t cap = m->cap ? m->cap * 2 : 1024;
    if (cap < rows) cap = rows;
    size_t oldw = hy_valid_words(m->cap), neww = hy_valid_words(cap);
    for (int c = 0; c < m->ncols; c++) {
        m->data[c] = xrealloc(m->data[c], (size_t)cap * hy_xwidth(m->types[c]));
        m->valid[c] = xrealloc(m->valid[c], neww * 8);
        memset(m->valid[c] + oldw, 0, (neww - oldw) * 8);
    }
    m->cap = cap;
}

int64_t hy_mat_add_rows(hy_mat *m, int64_t n) {
    int64_t r = m->rows;
    if (n <= 0) return r;
    hy_mat_reserve(m, r + n);
    for (int c = 0; c < m->ncols; c++) {
        bits_set_range(m->valid[c], r, n, false);
        memset((char *)m->data[c] + (size_t)r * hy_xwidth(m->types[c]), 0,
               (size_t)n * hy_xwidth(m->types[c]));
    }
    m->rows += n;
    return r;
}

/* Gather selected fixed-width values. */
#define GATHER(T)                                                                            \
    do {                                                                                     \
        const T *s_ = (const T *)src;                                                        \
        T *d_ = (T *)dst;                                                                    \
        int k = 0;                                                                           \
        HY_LOOP(sel, n, d_[k++] = s_[i]);                                                    \
    } while (0)

static void gather_fixed(void *dst, const void *src, size_t w, const uint16_t *sel, int n) {
    switch (w) {
    case 1: GATHER(uint8_t); break;
    case 4: GATHER(uint32_t); break;
    case 8: GATHER(uint64_t); break;
    case 16: GATHER(hy_i128); break;
    default: {
        int k = 0;
        HY_LOOP(sel, n, memcpy((char *)dst + (size_t)k++ * w, (const char *)src + (size_t)i * w, w));
    }
    }
}

void hy_mat_append_batch(hy_mat *m, const hy_batch *b) {
    int n = b->sel ? b->nsel : b->n;
    if (n <= 0) return;
    hy_mat_reserve(m, m->rows + n);
    int64_t r0 = m->rows;
    for (int c = 0; c < m->ncols; c++) {
        const hy_xv *v = &b->cols[c];
        size_t w = hy_xwidth(m->types[c]);
        uint64_t *mv = m->valid[c];
        hy_phys p = hy_phys_of(m->types[c]);
        if (p == HY_P_NULL) {
            bits_set_range(mv, r0, n, false);
            continue;
        }
        if (p == HY_P_STR) {
            const hy_str *s = v->data;
            hy_str *d = (hy_str *)m->data[c] + r0;
            int k = 0;
            hy_strheap *h = &m->heaps[0];
            HY_LOOP(b->sel, n, {
                if (hy_valid_get(v->valid, i)) {
                    d[k] = hy_strheap_add(h, s[i].ptr, s[i].len);
                    hy_valid_set(mv, r0 + k, true);
                } else {
                    d[k].ptr = "";
                    d[k].len = 0;
                    hy_valid_set(mv, r0 + k, false);
                }
                k++;
            });
            continue;
        }
        gather_fixed((char *)m->data[c] + (size_t)r0 * w, v->data, w, b->sel, n);
        if (!v->valid) {
            bits_set_range(mv, r0, n, true);
        } else {
            int k = 0;
            HY_LOOP(b->sel, n, hy_valid_set(mv, r0 + k++, hy_valid_get(v->valid, i)));
        }
    }
    m->rows += n;
}

void hy_mat_append_rows(hy_mat *m, const hy_mat *src, int64_t from, int64_t n, bool copy_strings) {
    if (n <= 0) return;
    hy_mat_reserve(m, m->rows + n);
    int64_t r0 = m->rows;
    for (int c = 0; c < m->ncols; c++) {
        size_t w = hy_xwidth(m->types[c]);
        memcpy((char *)m->data[c] + (size_t)r0 * w, (const char *)src->data[c] + (size_t)from * w,
               (size_t)n * w);
        hy_bits_copy_at(m->valid[c], r0, src->valid[c], from, n);
        if (copy_strings && hy_phys_of(m->types[c]) == HY_P_STR) {
            hy_str *d = (hy_str *)m->data[c] + r0;
            for (int64_t k = 0; k < n; k++)
                if (hy_valid_get(m->valid[c], r0 + k))
                    d[k] = hy_strheap_add(&m->heaps[0], d[k].ptr, d[k].len);
        }
    }
    m->rows += n;
}

void hy_mat_gather(hy_mat *dst, const hy_mat *src, const int64_t *idx, int64_t n) {
    hy_mat_reserve(dst, dst->rows + n);
    int64_t r0 = dst->rows;
    for (int c = 0; c < dst->ncols; c++) {
        size_t w = hy_xwidth(dst->types[c]);
        char *d = (char *)dst->data[c] + (size_t)r0 * w;
        const char *s = src->data[c];
        switch (w) {
        case 1: for (int64_t k = 0; k < n; k++) ((uint8_t *)d)[k] = ((const uint8_t *)s)[idx[k]]; break;
        case 4: for (int64_t k = 0; k < n; k++) ((uint32_t *)d)[k] = ((const uint32_t *)s)[idx[k]]; break;
        case 8: for (int64_t k = 0; k < n; k++) ((uint64_t *)d)[k] = ((const uint64_t *)s)[idx[k]]; break;
        case 16: for (int64_t k = 0; k < n; k++) ((hy_i128 *)d)[k] = ((const hy_i128 *)s)[idx[k]]; break;
        default:
            for (int64_t k = 0; k < n; k++) memcpy(d + (size_t)k * w, s + (size_t)idx[k] * w, w);
        }
        for (int64_t k = 0; k < n; k++)
            hy_valid_set(dst->valid[c], r0 + k, hy_valid_get(src->valid[c], idx[k]));
    }
    dst->rows += n;
}

void hy_mat_adopt_heaps(hy_mat *dst, hy_mat *src) {
    int need = dst->nheaps + src->nheaps;
    if (need > dst->capheaps) {
        dst->capheaps = need * 2;
        dst->heaps = xrealloc(dst->heaps, sizeof(hy_strheap) * (size_t)dst->capheaps);
    }
    /* keep dst->heaps[0] as the append target */
    for (int h = 0; h < src->nheaps; h++) dst->heaps[dst->nheaps++] = src->heaps[h];
    src->nheaps = 1;
    hy_strheap_init(&src->heaps[0]);
}

void hy_mat_set_null(hy_mat *m, int col, int64_t row) { hy_valid_set(m->valid[col], row, false); }

void hy_mat_set_value(hy_mat *m, int col, int64_t row, const hy_value *v) {
    if (v->is_null || hy_phys_of(m->types[col]) == HY_P_NULL) {
        hy_valid_set(m->valid[col], row, false);
        return;
    }
    hy_valid_set(m->valid[col], row, true);
    void *d = m->data[col];
    switch (hy_phys_of(m->types[col])) {
    case HY_P_BOOL: ((uint8_t *)d)[row] = (uint8_t)(v->v.i != 0); break;
    case HY_P_I32: ((int32_t *)d)[row] = (int32_t)v->v.i; break;
    case HY_P_I64: ((int64_t *)d)[row] = v->v.i; break;
    case HY_P_F64: ((double *)d)[row] = v->v.f; break;
    case HY_P_I128: ((hy_i128 *)d)[row] = v->v.d; break;
    case HY_P_STR: ((hy_str *)d)[row] = hy_strheap_add(&m->heaps[0], v->v.s.ptr, v->v.s.len); break;
    default: break;
    }
}

hy_value hy_mat_get_value(const hy_mat *m, int col, int64_t row) {
    hy_value v;
    memset(&v, 0, sizeof v);
    v.type = m->types[col];
    if (!hy_valid_get(m->valid[col], row) || hy_phys_of(v.type) == HY_P_NULL) {
        v.is_null = true;
        return v;
    }
    const void *d = m->data[col];
    switch (hy_phys_of(v.type)) {
    case HY_P_BOOL: v.v.i = ((const uint8_t *)d)[row]; break;
    case HY_P_I32: v.v.i = ((const int32_t *)d)[row]; break;
    case HY_P_I64: v.v.i = ((const int64_t *)d)[row]; break;
    case HY_P_F64: v.v.f = ((const double *)d)[row]; break;
    case HY_P_I128: v.v.d = ((const hy_i128 *)d)[row]; break;
    case HY_P_STR: v.v.s = ((const hy_str *)d)[row]; break;
    default: v.is_null = true; break;
    }
    return v;
}

void hy_mat_slice(hy_mat *m, int64_t off, int64_t n) {
    if (off < 0) off = 0;
    if (off > m->rows) off = m->rows;
    if (n < 0 || n > m->rows - off) n = m->rows - off;
    if (off > 0 && n > 0) {
        uint64_t *tmp = xrealloc(NULL, hy_valid_words(n) * 8);
        for (int c = 0; c < m->ncols; c++) {
            size_t w = hy_xwidth(m->types[c]);
            memmove(m->data[c], (char *)m->data[c] + (size_t)off * w, (size_t)n * w);
            hy_bits_copy(tmp, m->valid[c], off, n);
            memcpy(m->valid[c], tmp, hy_valid_words(n) * 8);
        }
        free(tmp);
    }
    m->rows = n;
}
