/* Hash aggregation (see agg.h). */
#define _GNU_SOURCE /* qsort_r */
#include "exec/agg.h"

#include <math.h>
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

/* ==== Hashing ======================================================================================= */

static inline uint64_t mix64(uint64_t x) {
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ULL;
    x ^= x >> 33;
    return x;
}

static inline uint64_t hash_bytes(const char *p, uint32_t n) {
    if (n <= 8) { /* one word: the common case for flags and codes */
        uint64_t w = 0;
        for (uint32_t i = 0; i < n; i++) w |= (uint64_t)(unsigned char)p[i] << (8 * i);
        return mix64(w ^ ((uint64_t)n << 59) ^ 0x243f6a8885a308d3ULL);
    }
    uint64_t h = 0x9e3779b97f4a7c15ULL ^ n;
    uint32_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, p + i, 8);
        h = (h ^ mix64(w)) * 0x100000001b3ULL;
    }
    if (i < n) {
        uint64_t w = 0;
        memcpy(&w, p + i, n - i);
        h = (h ^ mix64(w ^ 0xabcdef)) * 0x100000001b3ULL;
    }
    return mix64(h);
}

static inline uint64_t hash_f64(double d) {
    if (d == 0) d = 0; /* -0.0 groups with 0.0 */
    if (d != d) return 0x7ff8000000000001ULL;
    uint64_t u;
    memcpy(&u, &d, 8);
    return mix64(u);
}

static inline uint64_t hash_i128(hy_i128 v) {
    return mix64((uint64_t)v ^ mix64((uint64_t)(v >> 64) + 0x51));
}

#define NULL_HASH 0x2545f4914f6cdd1dULL
/* v is already well mixed: a rotate and xor keep every bit of both. */
static inline uint64_t combine(uint64_t h, uint64_t v) { return ((h << 23) | (h >> 41)) ^ v; }

/* ==== Table layout ==================================================================================== */

typedef enum { K_COUNT, K_SUM_EXACT, K_SUM_F64, K_AVG_EXACT, K_AVG_F64, K_MIN, K_MAX } agg_kind;

typedef struct dentry {
    uint64_t hash;
    int64_t gid; /* -1 = empty */
    hy_value v;
} dentry;

typedef struct dset {
    dentry *e;
    int64_t n, cap; /* cap: power of two */
} dset;

typedef struct aggcol {
    agg_kind kind;
    bool star, distinct;
    hy_ltype in, out;
    hy_phys pin;
    int64_t *cnt;
    hy_i128 *isum;
    double *fhi, *flo;
    void *mm;       /* MIN/MAX values (input width) */
    size_t *mcap;   /* MIN/MAX VARCHAR: capacity of the owned buffer */
    dset set;
} aggcol;

typedef struct slot {
    uint64_t hash;
    int64_t gid; /* -1 = empty */
} slot;

struct hy_aggtab {
    const hy_aggspec *sp;
    int64_t ngroups, cap;
    void **kdata;
    uint8_t **knull;
    uint64_t *ghash;
    int64_t *first;
    slot *slots;
    int64_t nslots;
    hy_strheap heap; /* VARCHAR keys and distinct values */
    aggcol *ac;
    uint64_t hashes[HY_BATCH];
    int64_t gids[HY_BATCH];
    uint16_t psel[HY_BATCH]; /* rows of a batch partitioned by group */
    /* Packed keys: with at most two keys of BOOLEAN/INTEGER/DATE/VARCHAR type, each key is one
     * 64-bit word (strings of <= 7 bytes inline; longer ones as a marked hash) and groups are
     * found by comparing two words instead of typed values. */
    bool packed;
    uint64_t *pk0, *pk1;
    uint64_t w0[HY_BATCH], w1[HY_BATCH];
};

#define AGG_PART_MAX 64

static void grow_groups(hy_aggtab *t, int64_t need) {
    if (need <= t->cap) return;
    int64_t cap = t->cap ? t->cap * 2 : 64;
    if (cap < need) cap = need;
    const hy_aggspec *sp = t->sp;
    for (int k = 0; k < sp->nkeys; k++) {
        t->kdata[k] = xrealloc(t->kdata[k], (size_t)cap * hy_xwidth(sp->ktypes[k]));
        t->knull[k] = xrealloc(t->knull[k], (size_t)cap);
    }
    t->ghash = xrealloc(t->ghash, (size_t)cap * 8);
    if (t->packed) {
        t->pk0 = xrealloc(t->pk0, (size_t)cap * 8);
        t->pk1 = xrealloc(t->pk1, (size_t)cap * 8);
    }
    t->first = xrealloc(t->first, (size_t)cap * 8);
    for (int a = 0; a < sp->naggs; a++) {
        aggcol *c = &t->ac[a];
        c->cnt = xrealloc(c->cnt, (size_t)cap * 8);
        switch (c->kind) {
        case K_SUM_EXACT:
        case K_AVG_EXACT: c->isum = xrealloc(c->isum, (size_t)cap * 16); break;
        case K_SUM_F64:
        case K_AVG_F64:
            c->fhi = xrealloc(c->fhi, (size_t)cap * 8);
            c->flo = xrealloc(c->flo, (size_t)cap * 8);
            break;
        case K_MIN:
        case K_MAX:
            c->mm = xrealloc(c->mm, (size_t)cap * hy_xwidth(c->in));
            if (c->pin == HY_P_STR) c->mcap = xrealloc(c->mcap, (size_t)cap * sizeof *c->mcap);
            break;
        default: break;
        }
    }
    t->cap = cap;
}

static void init_group_states(hy_aggtab *t, int64_t g) {
    for (int a = 0; a < t->sp->naggs; a++) {
        aggcol *c = &t->ac[a];
        c->cnt[g] = 0;
        if (c->isum) c->isum[g] = 0;
        if (c->fhi) {
            c->fhi[g] = 0;
            c->flo[g] = 0;
        }
        if (c->mm) memset((char *)c->mm + (size_t)g * hy_xwidth(c->in), 0, hy_xwidth(c->in));
        if (c->mcap) c->mcap[g] = 0;
    }
}

static void rehash(hy_aggtab *t, int64_t nslots) {
    free(t->slots);
    t->slots = xrealloc(NULL, (size_t)nslots * sizeof(slot));
    for (int64_t i = 0; i < nslots; i++) t->slots[i].gid = -1;
    t->nslots = nslots;
    uint64_t mask = (uint64_t)nslots - 1;
    for (int64_t g = 0; g < t->ngroups; g++) {
        uint64_t p = t->ghash[g] & mask;
        while (t->slots[p].gid >= 0) p = (p + 1) & mask;
        t->slots[p].hash = t->ghash[g];
        t->slots[p].gid = g;
    }
}

/* Append a group; its keys are filled by the caller. */
static int64_t new_group(hy_aggtab *t, uint64_t hash, int64_t first) {
    int64_t g = t->ngroups;
    grow_groups(t, g + 1);
    t->ghash[g] = hash;
    t->first[g] = first;
    init_group_states(t, g);
    t->ngroups++;
    return g;
}

hy_aggtab *hy_aggtab_new(const hy_aggspec *sp) {
    hy_aggtab *t = xrealloc(NULL, sizeof *t);
    memset(t, 0, sizeof *t);
    t->sp = sp;
    int nk = sp->nkeys ? sp->nkeys : 1, na = sp->naggs ? sp->naggs : 1;
    t->kdata = xrealloc(NULL, sizeof(void *) * (size_t)nk);
    t->knull = xrealloc(NULL, sizeof(uint8_t *) * (size_t)nk);
    for (int k = 0; k < nk; k++) {
        t->kdata[k] = NULL;
        t->knull[k] = NULL;
    }
    t->ac = xrealloc(NULL, sizeof(aggcol) * (size_t)na);
    memset(t->ac, 0, sizeof(aggcol) * (size_t)na);
    for (int a = 0; a < sp->naggs; a++) {
        aggcol *c = &t->ac[a];
        c->in = sp->intypes[a];
        c->out = sp->outtypes[a];
        c->pin = hy_phys_of(c->in);
        c->distinct = sp->distinct[a];
        bool isf = c->in.id == HY_TYPE_DOUBLE;
        switch (sp->funcs[a]) {
        case HY_AGG_COUNT_STAR: c->kind = K_COUNT; c->star = true; c->distinct = false; break;
        case HY_AGG_COUNT: c->kind = K_COUNT; break;
        case HY_AGG_SUM: c->kind = isf ? K_SUM_F64 : K_SUM_EXACT; break;
        case HY_AGG_AVG: c->kind = isf ? K_AVG_F64 : K_AVG_EXACT; break;
        case HY_AGG_MIN: c->kind = K_MIN; c->distinct = false; break;
        default: c->kind = K_MAX; c->distinct = false; break;
        }
    }
    t->packed = sp->nkeys >= 1 && sp->nkeys <= 2;
    for (int k = 0; k < sp->nkeys; k++) {
        hy_phys p = hy_phys_of(sp->ktypes[k]);
        if (p != HY_P_BOOL && p != HY_P_I32 && p != HY_P_STR) t->packed = false;
    }
    hy_strheap_init(&t->heap);
    grow_groups(t, 64);
    rehash(t, 128);
    if (sp->nkeys == 0) new_group(t, 0, 0);
    return t;
}

void hy_aggtab_free(hy_aggtab *t) {
    if (!t) return;
    const hy_aggspec *sp = t->sp;
    for (int k = 0; k < (sp->nkeys ? sp->nkeys : 1); k++) {
        free(t->kdata[k]);
        free(t->knull[k]);
    }
    free(t->kdata);
    free(t->knull);
    free(t->ghash);
    free(t->first);
    free(t->pk0);
    free(t->pk1);
    free(t->slots);
    for (int a = 0; a < sp->naggs; a++) {
        aggcol *c = &t->ac[a];
        if (c->mcap) {
            hy_str *s = c->mm;
            for (int64_t g = 0; g < t->ngroups; g++)
                if (c->mcap[g]) free((void *)s[g].ptr);
        }
        free(c->cnt);
        free(c->isum);
        free(c->fhi);
        free(c->flo);
        free(c->mm);
        free(c->mcap);
        free(c->set.e);
    }
    free(t->ac);
    hy_strheap_free(&t->heap);
    free(t);
}

int64_t hy_aggtab_groups(const hy_aggtab *t) { return t->ngroups; }

/* ==== Keys ============================================================================================= */

static void hash_keys(hy_aggtab *t, const hy_xv *keys, const uint16_t *sel, int n) {
    uint64_t *h = t->hashes;
    for (int k = 0; k < t->sp->nkeys; k++) {
        const hy_xv *v = &keys[k];
        const uint64_t *V = v->valid;
        bool first = k == 0;
#define HK(EXPR)                                                                              \
    HY_LOOP(sel, n, {                                                                         \
        uint64_t x_ = hy_valid_get(V, i) ? (EXPR) : NULL_HASH;                                \
        h[i] = first ? x_ : combine(h[i], x_);                                                \
    })
        switch (hy_phys_of(v->type)) {
        case HY_P_BOOL: { const uint8_t *d = v->data; HK(mix64(d[i] + 7)); break; }
        case HY_P_I32: { const int32_t *d = v->data; HK(mix64((uint64_t)(int64_t)d[i])); break; }
        case HY_P_I64: { const int64_t *d = v->data; HK(mix64((uint64_t)d[i])); break; }
        case HY_P_F64: { const double *d = v->data; HK(hash_f64(d[i])); break; }
        case HY_P_I128: { const hy_i128 *d = v->data; HK(hash_i128(d[i])); break; }
        case HY_P_STR: { const hy_str *d = v->data; HK(hash_bytes(d[i].ptr, d[i].len)); break; }
        default: HK(NULL_HASH); break;
        }
#undef HK
    }
}

static inline bool val_eq(hy_phys p, const void *a, int64_t ia, const void *b, int64_t ib) {
    switch (p) {
    case HY_P_BOOL: return ((const uint8_t *)a)[ia] == ((const uint8_t *)b)[ib];
    case HY_P_I32: return ((const int32_t *)a)[ia] == ((const int32_t *)b)[ib];
    case HY_P_I64: return ((const int64_t *)a)[ia] == ((const int64_t *)b)[ib];
    case HY_P_F64: return hy_f64_cmp(((const double *)a)[ia], ((const double *)b)[ib]) == 0;
    case HY_P_I128: return ((const hy_i128 *)a)[ia] == ((const hy_i128 *)b)[ib];
    case HY_P_STR: return hy_str_eq(((const hy_str *)a)[ia], ((const hy_str *)b)[ib]);
    default: return true;
    }
}

/* Group g's keys == row i's keys? */
static inline bool keys_eq_row(const hy_aggtab *t, int64_t g, const hy_xv *keys, int i) {
    for (int k = 0; k < t->sp->nkeys; k++) {
        bool rn = !hy_valid_get(keys[k].valid, i), gn = t->knull[k][g];
        if (rn || gn) {
            if (rn != gn) return false;
            continue;
        }
        if (!val_eq(hy_phys_of(t->sp->ktypes[k]), t->kdata[k], g, keys[k].data, i)) return false;
    }
    return true;
}

static void set_key(hy_aggtab *t, int k, int64_t g, bool isnull, const void *src, int64_t si) {
    hy_ltype kt = t->sp->ktypes[k];
    size_t w = hy_xwidth(kt);
    t->knull[k][g] = isnull;
    char *dst = (char *)t->kdata[k] + (size_t)g * w;
    if (isnull) {
        memset(dst, 0, w);
        return;
    }
    if (hy_phys_of(kt) == HY_P_STR) {
        hy_str s = ((const hy_str *)src)[si];
        hy_str c = hy_strheap_add(&t->heap, s.ptr, s.len);
        memcpy(dst, &c, sizeof c);
    } else {
        memcpy(dst, (const char *)src + (size_t)si * w, w);
    }
}

#define PK_LONG 0xFF00000000000000ULL /* marker: a string longer than 7 bytes (word = hash) */

/* One packed word per row for key k (0 = NULL). */
static void pack_key(const hy_xv *v, const uint16_t *sel, int n, uint64_t *w) {
    const uint64_t *V = v->valid;
    switch (hy_phys_of(v->type)) {
    case HY_P_STR: {
        const hy_str *d = v->data;
        HY_LOOP(sel, n, {
            uint64_t x = 0;
            if (hy_valid_get(V, i)) {
                uint32_t len = d[i].len;
                if (len <= 7) {
                    for (uint32_t j = 0; j < len; j++) x |= (uint64_t)(unsigned char)d[i].ptr[j] << (8 * j);
                    x |= (uint64_t)(len + 1) << 56;
                } else {
                    x = PK_LONG | (hash_bytes(d[i].ptr, len) >> 8);
                }
            }
            w[i] = x;
        });
        break;
    }
    case HY_P_I32: {
        const int32_t *d = v->data;
        HY_LOOP(sel, n, w[i] = hy_valid_get(V, i) ? (uint64_t)(uint32_t)d[i] | ((uint64_t)1 << 32) : 0);
        break;
    }
    default: {
        const uint8_t *d = v->data;
        HY_LOOP(sel, n, w[i] = hy_valid_get(V, i) ? (uint64_t)d[i] | ((uint64_t)1 << 32) : 0);
        break;
    }
    }
}

static inline uint64_t pk_hash(uint64_t a, uint64_t b) { return mix64(a ^ mix64(b ^ 0x9e3779b97f4a7c15ULL)); }
static inline bool pk_long(uint64_t a, uint64_t b) { return (a >> 56) == 0xFF || (b >> 56) == 0xFF; }

static void find_groups(hy_aggtab *t, const hy_xv *keys, const hy_batch *b, const uint16_t *sel,
                        int n) {
    int nk = t->sp->nkeys;
    bool packed = t->packed;
    if (packed) {
        pack_key(&keys[0], sel, n, t->w0);
        if (nk > 1) pack_key(&keys[1], sel, n, t->w1);
        else HY_LOOP(sel, n, t->w1[i] = 0);
        HY_LOOP(sel, n, t->hashes[i] = pk_hash(t->w0[i], t->w1[i]));
    } else {
        hash_keys(t, keys, sel, n);
    }
    HY_LOOP(sel, n, {
        uint64_t h = t->hashes[i];
        uint64_t mask = (uint64_t)t->nslots - 1, p = h & mask;
        int64_t g;
        for (;;) {
            slot *s = &t->slots[p];
            if (s->gid < 0) {
                g = new_group(t, h, b->row0 + i);
                for (int k = 0; k < nk; k++)
                    set_key(t, k, g, !hy_valid_get(keys[k].valid, i), keys[k].data, i);
                if (packed) {
                    t->pk0[g] = t->w0[i];
                    t->pk1[g] = t->w1[i];
                }
                s->hash = h;
                s->gid = g;
                if (t->ngroups * 2 > t->nslots) rehash(t, t->nslots * 2);
                break;
            }
            if (s->hash == h) {
                if (packed) {
                    int64_t c = s->gid;
                    if (t->pk0[c] == t->w0[i] && t->pk1[c] == t->w1[i] &&
                        (!pk_long(t->w0[i], t->w1[i]) || keys_eq_row(t, c, keys, i))) {
                        g = c;
                        break;
                    }
                } else if (keys_eq_row(t, s->gid, keys, i)) {
                    g = s->gid;
                    break;
                }
            }
            p = (p + 1) & mask;
        }
        t->gids[i] = g;
    });
}

/* ==== Aggregate updates =================================================================================== */

static inline void dd_add(double *hi, double *lo, double x) {
    double s = *hi + x;
    double bp = s - *hi;
    double e = (*hi - (s - bp)) + (x - bp);
    *hi = s;
    *lo += e;
}

static bool sum_overflow(hy_error *err, const aggcol *c) {
    char tn[32];
    return hy_error_set(err, HY_E_RANGE, "%s out of range", hy_lt_name(c->out, tn, sizeof tn));
}

static void mm_set_str(aggcol *c, int64_t g, hy_str v) {
    hy_str *d = (hy_str *)c->mm + g;
    size_t need = (size_t)v.len + 1; /* size_t: no wrap even at len == UINT32_MAX */
    if (c->mcap[g] < need) {
        size_t cap = need < 16 ? 16 : need;
        char *p = xrealloc(c->mcap[g] ? (void *)d->ptr : NULL, cap);
        d->ptr = p;
        c->mcap[g] = cap;
    }
    if (v.len) memcpy((char *)d->ptr, v.ptr, v.len);
    ((char *)d->ptr)[v.len] = '\0';
    d->len = v.len;
}

/* One value into group g (distinct finishing, merges). */
static bool apply_value(aggcol *c, int64_t g, const hy_value *v, hy_error *err) {
    switch (c->kind) {
    case K_COUNT: c->cnt[g]++; return true;
    case K_SUM_EXACT:
    case K_AVG_EXACT: {
        hy_i128 x = c->pin == HY_P_I128 ? v->v.d : (hy_i128)v->v.i;
        if (__builtin_add_overflow(c->isum[g], x, &c->isum[g])) return sum_overflow(err, c);
        c->cnt[g]++;
        return true;
    }
    case K_SUM_F64:
    case K_AVG_F64:
        dd_add(&c->fhi[g], &c->flo[g], v->v.f);
        c->cnt[g]++;
        return true;
    default: {
        int cmp = 0;
        if (c->cnt[g]) {
            switch (c->pin) {
            case HY_P_F64: cmp = hy_f64_cmp(v->v.f, ((double *)c->mm)[g]); break;
            case HY_P_I128: { hy_i128 o = ((hy_i128 *)c->mm)[g]; cmp = (v->v.d > o) - (v->v.d < o); break; }
            case HY_P_STR: cmp = hy_str_cmp(v->v.s, ((hy_str *)c->mm)[g]); break;
            case HY_P_I32: { int64_t o = ((int32_t *)c->mm)[g]; cmp = (v->v.i > o) - (v->v.i < o); break; }
            case HY_P_BOOL: { int64_t o = ((uint8_t *)c->mm)[g]; cmp = (v->v.i > o) - (v->v.i < o); break; }
            default: { int64_t o = ((int64_t *)c->mm)[g]; cmp = (v->v.i > o) - (v->v.i < o); break; }
            }
        }
        if (!c->cnt[g] || (c->kind == K_MIN ? cmp < 0 : cmp > 0)) {
            if (c->pin == HY_P_STR) mm_set_str(c, g, v->v.s);
            else
                switch (c->pin) {
                case HY_P_F64: ((double *)c->mm)[g] = v->v.f; break;
                case HY_P_I128: ((hy_i128 *)c->mm)[g] = v->v.d; break;
                case HY_P_I32: ((int32_t *)c->mm)[g] = (int32_t)v->v.i; break;
                case HY_P_BOOL: ((uint8_t *)c->mm)[g] = (uint8_t)v->v.i; break;
                default: ((int64_t *)c->mm)[g] = v->v.i; break;
                }
        }
        c->cnt[g]++;
        return true;
    }
    }
}

#define MINMAX_LOOP(T, LESS)                                                                 \
    do {                                                                                     \
        const T *x = v->data;                                                                \
        T *m = c->mm;                                                                        \
        bool ismin = c->kind == K_MIN;                                                       \
        HY_LOOP(sel, n, {                                                                    \
            if (hy_valid_get(V, i)) {                                                        \
                int64_t g_ = gids ? gids[i] : g0;                                             \
                if (!c->cnt[g_] || (ismin ? LESS(x[i], m[g_]) : LESS(m[g_], x[i])))          \
                    m[g_] = x[i];                                                            \
                c->cnt[g_]++;                                                                \
            }                                                                                \
        });                                                                                  \
    } while (0)

#define LT_NUM(a, b) ((a) < (b))
#define LT_F64(a, b) (hy_f64_cmp((a), (b)) < 0)

/* Feed the live rows into the aggregate: row i goes to group gids[i], or every row to group
 * g0 when gids is NULL (then sums accumulate in registers and touch memory once). */
static bool update(aggcol *c, const hy_xv *v, const int64_t *gids, int64_t g0, const uint16_t *sel,
                   int n, hy_error *err) {
    const uint64_t *V = c->star ? NULL : v->valid;
    int64_t *cnt = c->cnt;
    switch (c->kind) {
    case K_COUNT:
        if (!gids) {
            int64_t k = 0;
            if (V) HY_LOOP(sel, n, k += hy_valid_get(V, i));
            else k = n;
            cnt[g0] += k;
        } else if (V) {
            HY_LOOP(sel, n, cnt[gids[i]] += hy_valid_get(V, i));
        } else {
            HY_LOOP(sel, n, cnt[gids[i]]++);
        }
        return true;
    case K_SUM_EXACT:
    case K_AVG_EXACT: {
        hy_i128 *sum = c->isum;
        if (c->pin == HY_P_I128) {
            const hy_i128 *x = v->data;
            bool ovf = false;
            if (!gids) {
                hy_i128 acc = sum[g0];
                int64_t k = 0;
                HY_LOOP(sel, n, if (hy_valid_get(V, i)) { ovf |= __builtin_add_overflow(acc, x[i], &acc); k++; });
                sum[g0] = acc;
                cnt[g0] += k;
            } else {
                HY_LOOP(sel, n, if (hy_valid_get(V, i)) { ovf |= __builtin_add_overflow(sum[gids[i]], x[i], &sum[gids[i]]); cnt[gids[i]]++; });
            }
            if (ovf) return sum_overflow(err, c);
            return true;
        }
        if (!gids) {
            hy_i128 acc = 0;
            int64_t k = 0;
            if (c->pin == HY_P_I32) {
                const int32_t *x = v->data;
                int64_t a64 = 0; /* < 2^31 * 2048: fits */
                if (V) HY_LOOP(sel, n, if (hy_valid_get(V, i)) { a64 += x[i]; k++; });
                else { HY_LOOP(sel, n, a64 += x[i]); k = n; }
                acc = a64;
            } else {
                const int64_t *x = v->data;
                if (V) HY_LOOP(sel, n, if (hy_valid_get(V, i)) { acc += x[i]; k++; });
                else { HY_LOOP(sel, n, acc += x[i]); k = n; }
            }
            sum[g0] += acc;
            cnt[g0] += k;
            return true;
        }
        if (c->pin == HY_P_I32) {
            const int32_t *x = v->data;
            HY_LOOP(sel, n, if (hy_valid_get(V, i)) { sum[gids[i]] += x[i]; cnt[gids[i]]++; });
        } else {
            const int64_t *x = v->data;
            HY_LOOP(sel, n, if (hy_valid_get(V, i)) { sum[gids[i]] += x[i]; cnt[gids[i]]++; });
        }
        return true;
    }
    case K_SUM_F64:
    case K_AVG_F64: {
        const double *x = v->data;
        if (!gids) {
            double hi = c->fhi[g0], lo = c->flo[g0];
            int64_t k = 0;
            HY_LOOP(sel, n, if (hy_valid_get(V, i)) { dd_add(&hi, &lo, x[i]); k++; });
            c->fhi[g0] = hi;
            c->flo[g0] = lo;
            cnt[g0] += k;
        } else {
            HY_LOOP(sel, n, if (hy_valid_get(V, i)) { dd_add(&c->fhi[gids[i]], &c->flo[gids[i]], x[i]); cnt[gids[i]]++; });
        }
        return true;
    }
    default:
        switch (c->pin) {
        case HY_P_BOOL: MINMAX_LOOP(uint8_t, LT_NUM); break;
        case HY_P_I32: MINMAX_LOOP(int32_t, LT_NUM); break;
        case HY_P_I64: MINMAX_LOOP(int64_t, LT_NUM); break;
        case HY_P_I128: MINMAX_LOOP(hy_i128, LT_NUM); break;
        case HY_P_F64: MINMAX_LOOP(double, LT_F64); break;
        case HY_P_STR: {
            const hy_str *x = v->data;
            hy_str *m = c->mm;
            bool ismin = c->kind == K_MIN;
            HY_LOOP(sel, n, {
                if (hy_valid_get(V, i)) {
                    int64_t g = gids ? gids[i] : g0;
                    if (!cnt[g] || (ismin ? hy_str_cmp(x[i], m[g]) < 0 : hy_str_cmp(x[i], m[g]) > 0))
                        mm_set_str(c, g, x[i]);
                    cnt[g]++;
                }
            });
            break;
        }
        default: break;
        }
        return true;
    }
}

/* ==== DISTINCT sets ======================================================================================= */

static uint64_t value_hash(hy_phys p, const hy_value *v) {
    switch (p) {
    case HY_P_F64: return hash_f64(v->v.f);
    case HY_P_I128: return hash_i128(v->v.d);
    case HY_P_STR: return hash_bytes(v->v.s.ptr, v->v.s.len);
    default: return mix64((uint64_t)v->v.i);
    }
}

static bool value_eq(hy_phys p, const hy_value *a, const hy_value *b) {
    switch (p) {
    case HY_P_F64: return hy_f64_cmp(a->v.f, b->v.f) == 0;
    case HY_P_I128: return a->v.d == b->v.d;
    case HY_P_STR: return hy_str_eq(a->v.s, b->v.s);
    default: return a->v.i == b->v.i;
    }
}

static void dset_grow(dset *s) {
    int64_t ncap = s->cap ? s->cap * 2 : 256;
    dentry *ne = xrealloc(NULL, sizeof(dentry) * (size_t)ncap);
    for (int64_t i = 0; i < ncap; i++) ne[i].gid = -1;
    for (int64_t i = 0; i < s->cap; i++) {
        if (s->e[i].gid < 0) continue;
        uint64_t p = s->e[i].hash & (uint64_t)(ncap - 1);
        while (ne[p].gid >= 0) p = (p + 1) & (uint64_t)(ncap - 1);
        ne[p] = s->e[i];
    }
    free(s->e);
    s->e = ne;
    s->cap = ncap;
}

/* Insert (g, v); strings are copied into heap. */
static void dset_add(dset *s, hy_phys p, int64_t g, const hy_value *v, hy_strheap *heap) {
    if ((s->n + 1) * 2 > s->cap) dset_grow(s);
    uint64_t h = combine(value_hash(p, v), (uint64_t)g);
    uint64_t mask = (uint64_t)s->cap - 1, i = h & mask;
    while (s->e[i].gid >= 0) {
        if (s->e[i].hash == h && s->e[i].gid == g && value_eq(p, &s->e[i].v, v)) return;
        i = (i + 1) & mask;
    }
    s->e[i].hash = h;
    s->e[i].gid = g;
    s->e[i].v = *v;
    if (p == HY_P_STR) s->e[i].v.v.s = hy_strheap_add(heap, v->v.s.ptr, v->v.s.len);
    s->n++;
}

static hy_value xv_value(const hy_xv *v, hy_phys p, int i) {
    hy_value r;
    memset(&r, 0, sizeof r);
    r.type = v->type;
    switch (p) {
    case HY_P_BOOL: r.v.i = ((const uint8_t *)v->data)[i]; break;
    case HY_P_I32: r.v.i = ((const int32_t *)v->data)[i]; break;
    case HY_P_I64: r.v.i = ((const int64_t *)v->data)[i]; break;
    case HY_P_F64: r.v.f = ((const double *)v->data)[i]; break;
    case HY_P_I128: r.v.d = ((const hy_i128 *)v->data)[i]; break;
    case HY_P_STR: r.v.s = ((const hy_str *)v->data)[i]; break;
    default: break;
    }
    return r;
}

/* ==== Consume / merge / finish ============================================================================== */

bool hy_aggtab_consume(hy_aggtab *t, const hy_xv *keys, const hy_xv *args, const hy_batch *b,
                       const uint16_t *sel, int n, hy_error *err) {
    if (n <= 0) return true;
    const int64_t *gids = NULL;
    if (t->sp->nkeys > 0) {
        find_groups(t, keys, b, sel, n);
        gids = t->gids;
    }
    /* Few groups (Q1 has 4): partition the batch's rows by group with a counting sort, then
     * aggregate each group's rows in registers. Scattered read-modify-writes to a handful of
     * hot counters would serialize on store forwarding. */
    bool part = gids && t->ngroups <= AGG_PART_MAX;
    int off[AGG_PART_MAX + 1];
    if (part) {
        int64_t ng = t->ngroups;
        memset(off, 0, sizeof(int) * (size_t)(ng + 1));
        HY_LOOP(sel, n, off[gids[i] + 1]++);
        for (int64_t g = 0; g < ng; g++) off[g + 1] += off[g];
        int pos[AGG_PART_MAX];
        memcpy(pos, off, sizeof(int) * (size_t)ng);
        HY_LOOP(sel, n, t->psel[pos[gids[i]]++] = (uint16_t)i);
    }
    for (int a = 0; a < t->sp->naggs; a++) {
        aggcol *c = &t->ac[a];
        if (c->distinct) {
            const hy_xv *v = &args[a];
            HY_LOOP(sel, n, {
                if (hy_valid_get(v->valid, i)) {
                    hy_value x = xv_value(v, c->pin, i);
                    dset_add(&c->set, c->pin, gids ? gids[i] : 0, &x, &t->heap);
                }
            });
            continue;
        }
        if (!part) {
            if (!update(c, &args[a], gids, 0, sel, n, err)) return false;
            continue;
        }
        for (int64_t g = 0; g < t->ngroups; g++) {
            int cn = off[g + 1] - off[g];
            if (cn && !update(c, &args[a], NULL, g, t->psel + off[g], cn, err)) return false;
        }
    }
    return true;
}

static bool keys_eq_tab(const hy_aggtab *a, int64_t ga, const hy_aggtab *b, int64_t gb) {
    for (int k = 0; k < a->sp->nkeys; k++) {
        bool an = a->knull[k][ga], bn = b->knull[k][gb];
        if (an || bn) {
            if (an != bn) return false;
            continue;
        }
        if (!val_eq(hy_phys_of(a->sp->ktypes[k]), a->kdata[k], ga, b->kdata[k], gb)) return false;
    }
    return true;
}

static hy_value mm_value(const aggcol *c, int64_t g) {
    hy_value r;
    memset(&r, 0, sizeof r);
    r.type = c->in;
    switch (c->pin) {
    case HY_P_BOOL: r.v.i = ((const uint8_t *)c->mm)[g]; break;
    case HY_P_I32: r.v.i = ((const int32_t *)c->mm)[g]; break;
    case HY_P_I64: r.v.i = ((const int64_t *)c->mm)[g]; break;
    case HY_P_F64: r.v.f = ((const double *)c->mm)[g]; break;
    case HY_P_I128: r.v.d = ((const hy_i128 *)c->mm)[g]; break;
    case HY_P_STR: r.v.s = ((const hy_str *)c->mm)[g]; break;
    default: break;
    }
    return r;
}

bool hy_aggtab_merge(hy_aggtab *dst, hy_aggtab *src, hy_error *err) {
    const hy_aggspec *sp = dst->sp;
    int64_t *map = xrealloc(NULL, sizeof(int64_t) * (size_t)(src->ngroups ? src->ngroups : 1));
    for (int64_t l = 0; l < src->ngroups; l++) {
        int64_t g = -1;
        if (sp->nkeys == 0) {
            g = 0;
        } else {
            uint64_t h = src->ghash[l], mask = (uint64_t)dst->nslots - 1, p = h & mask;
            for (;;) {
                slot *s = &dst->slots[p];
                if (s->gid < 0) {
                    g = new_group(dst, h, src->first[l]);
                    for (int k = 0; k < sp->nkeys; k++)
                        set_key(dst, k, g, src->knull[k][l], src->kdata[k], l);
                    if (dst->packed) {
                        dst->pk0[g] = src->pk0[l];
                        dst->pk1[g] = src->pk1[l];
                    }
                    s->hash = h;
                    s->gid = g;
                    if (dst->ngroups * 2 > dst->nslots) rehash(dst, dst->nslots * 2);
                    break;
                }
                if (s->hash == h && keys_eq_tab(dst, s->gid, src, l)) {
                    g = s->gid;
                    break;
                }
                p = (p + 1) & mask;
            }
        }
        if (src->first[l] < dst->first[g]) dst->first[g] = src->first[l];
        map[l] = g;
        for (int a = 0; a < sp->naggs; a++) {
            aggcol *c = &dst->ac[a], *o = &src->ac[a];
            if (c->distinct || !o->cnt[l]) continue;
            switch (c->kind) {
            case K_COUNT: c->cnt[g] += o->cnt[l]; break;
            case K_SUM_EXACT:
            case K_AVG_EXACT:
                if (__builtin_add_overflow(c->isum[g], o->isum[l], &c->isum[g])) {
                    free(map);
                    return sum_overflow(err, c);
                }
                c->cnt[g] += o->cnt[l];
                break;
            case K_SUM_F64:
            case K_AVG_F64:
                dd_add(&c->fhi[g], &c->flo[g], o->fhi[l]);
                c->flo[g] += o->flo[l];
                c->cnt[g] += o->cnt[l];
                break;
            default: {
                hy_value v = mm_value(o, l);
                int64_t before = c->cnt[g];
                apply_value(c, g, &v, err);
                c->cnt[g] = before + o->cnt[l];
                break;
            }
            }
        }
    }
    for (int a = 0; a < sp->naggs; a++) {
        aggcol *c = &dst->ac[a], *o = &src->ac[a];
        if (!c->distinct) continue;
        for (int64_t i = 0; i < o->set.cap; i++)
            if (o->set.e[i].gid >= 0) dset_add(&c->set, c->pin, map[o->set.e[i].gid], &o->set.e[i].v, &dst->heap);
    }
    free(map);
    return true;
}

static int cmp_first(const void *a, const void *b, void *ctx) {
    const int64_t *first = ctx;
    int64_t x = first[*(const int64_t *)a], y = first[*(const int64_t *)b];
    return (x > y) - (x < y);
}

/* Final value of aggregate c for group g, converted to the output type. */
static bool final_value(const aggcol *c, int64_t g, hy_value *out, hy_error *err) {
    hy_value v;
    memset(&v, 0, sizeof v);
    switch (c->kind) {
    case K_COUNT:
        v.type = hy_lt(HY_TYPE_BIGINT);
        v.v.i = c->cnt[g];
        break;
    case K_SUM_EXACT:
        if (!c->cnt[g]) goto null;
        v.type = hy_lt_dec(HY_DEC_MAX_PREC, c->in.id == HY_TYPE_DECIMAL ? c->in.scale : 0);
        v.v.d = c->isum[g];
        if (!hy_dec_fits(v.v.d, HY_DEC_MAX_PREC)) return sum_overflow(err, c);
        break;
    case K_SUM_F64:
        if (!c->cnt[g]) goto null;
        v.type = hy_lt(HY_TYPE_DOUBLE);
        v.v.f = isfinite(c->fhi[g]) ? c->fhi[g] + c->flo[g] : c->fhi[g];
        break;
    case K_AVG_EXACT: {
        if (!c->cnt[g]) goto null;
        /* sum / (count * 10^scale): one correctly rounded division while both fit 53 bits */
        const hy_i128 lim = (hy_i128)1 << 53;
        int sc = c->in.id == HY_TYPE_DECIMAL ? c->in.scale : 0;
        hy_i128 s = c->isum[g], den;
        double d;
        if (__builtin_mul_overflow((hy_i128)c->cnt[g], hy_pow10_i128[sc], &den)) {
            d = (double)s / (double)c->cnt[g] / (double)hy_pow10_i128[sc];
        } else if (s < lim && s > -lim && den < lim) {
            d = (double)s / (double)den;
        } else {
            hy_i128 q = s / den, r = s % den;
            d = (double)q + (double)r / (double)den;
        }
        v.type = hy_lt(HY_TYPE_DOUBLE);
        v.v.f = d;
        break;
    }
    case K_AVG_F64:
        if (!c->cnt[g]) goto null;
        v.type = hy_lt(HY_TYPE_DOUBLE);
        v.v.f = (isfinite(c->fhi[g]) ? c->fhi[g] + c->flo[g] : c->fhi[g]) / (double)c->cnt[g];
        break;
    default:
        if (!c->cnt[g]) goto null;
        v = mm_value(c, g);
        break;
    }
    if (hy_lt_eq(v.type, c->out) || c->out.id == HY_TYPE_NULL) {
        *out = v;
        return true;
    }
    return hy_value_cast(&v, c->out, out, NULL, err);
null:
    memset(out, 0, sizeof *out);
    out->type = c->out;
    out->is_null = true;
    return true;
}

hy_mat *hy_aggtab_finish(hy_aggtab *t, hy_error *err) {
    const hy_aggspec *sp = t->sp;
    /* DISTINCT: feed the surviving values now */
    for (int a = 0; a < sp->naggs; a++) {
        aggcol *c = &t->ac[a];
        if (!c->distinct) continue;
        for (int64_t i = 0; i < c->set.cap; i++)
            if (c->set.e[i].gid >= 0 && !apply_value(c, c->set.e[i].gid, &c->set.e[i].v, err))
                return NULL;
    }
    int nc = sp->nkeys + sp->naggs;
    hy_ltype *types = xrealloc(NULL, sizeof(hy_ltype) * (size_t)(nc ? nc : 1));
    for (int k = 0; k < sp->nkeys; k++) types[k] = sp->ktypes[k];
    for (int a = 0; a < sp->naggs; a++) types[sp->nkeys + a] = sp->outtypes[a];
    hy_mat *m = hy_mat_new(nc, types);
    free(types);
    int64_t ng = t->ngroups;
    int64_t *order = xrealloc(NULL, sizeof(int64_t) * (size_t)(ng ? ng : 1));
    bool sorted = true;
    for (int64_t g = 0; g < ng; g++) {
        order[g] = g;
        if (g && t->first[g] < t->first[g - 1]) sorted = false;
    }
    if (!sorted) qsort_r(order, (size_t)ng, sizeof(int64_t), cmp_first, t->first);
    hy_mat_add_rows(m, ng);
    for (int64_t r = 0; r < ng; r++) {
        int64_t g = order[r];
        for (int k = 0; k < sp->nkeys; k++) {
            if (t->knull[k][g]) continue;
            /* point a one-value vector at the group's key */
            hy_xv kv = {sp->ktypes[k], (char *)t->kdata[k] + (size_t)g * hy_xwidth(sp->ktypes[k]), NULL};
            hy_value v = xv_value(&kv, hy_phys_of(sp->ktypes[k]), 0);
            hy_mat_set_value(m, k, r, &v);
        }
        for (int a = 0; a < sp->naggs; a++) {
            hy_value v;
            if (!final_value(&t->ac[a], g, &v, err)) {
                free(order);
                hy_mat_free(m);
                return NULL;
            }
            hy_mat_set_value(m, sp->nkeys + a, r, &v);
        }
    }
    free(order);
    return m;
}
