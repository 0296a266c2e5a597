/* Columnar tables: growable column arrays, validity bitmaps, exact per-morsel zone maps,
 * statement savepoints; and the catalog. */
#include "storage/storage.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static char *xstrdup(const char *s) {
    size_t n = strlen(s);
    char *p = malloc(n + 1);
    if (p) memcpy(p, s, n + 1);
    return p;
}

static int64_t zone_slots(const hy_table *t, int64_t capacity) {
    return capacity / t->morsel_rows + 2;
}

/* Grow every column to hold at least `need` rows. On allocation failure the table keeps
 * its rows and data (some columns may already have grown, which is harmless). */
static bool table_grow(hy_table *t, int64_t need, hy_error *err) {
    if (need <= t->capacity) return true;
    int64_t cap = t->capacity * 2;
    if (cap < need) cap = need;
    if (cap < 64) cap = 64;
    size_t old_words = hy_valid_words(t->capacity), words = hy_valid_words(cap);
    int64_t zs = zone_slots(t, cap);
    for (int c = 0; c < t->ncols; c++) {
        hy_column *col = &t->cols[c];
        size_t w = hy_lt_width(col->type);
        void *d = realloc(col->data, (size_t)cap * w);
        if (!d) goto oom;
        col->data = d;
        uint64_t *v = realloc(col->validity, words * sizeof(uint64_t));
        if (!v) goto oom;
        memset(v + old_words, 0, (words - old_words) * sizeof(uint64_t));
        col->validity = v;
        hy_zone *z = realloc(col->zones, (size_t)zs * sizeof(hy_zone));
        if (!z) goto oom;
        col->zones = z;
    }
    /* Every column now has room for cap rows; validity words past old_words were zeroed in each
     * column, and a later failed attempt never shrinks them. */
    t->capacity = cap;
    return true;
oom:
    return hy_error_set(err, HY_E_NOMEM, "out of memory growing table \"%s\" to %lld rows",
                        t->name, (long long)cap);
}

hy_table *hy_table_new(const char *name, int ncols, const hy_coldef *defs, int64_t morsel_rows) {
    hy_table *t = calloc(1, sizeof *t);
    if (!t) return NULL;
    t->name = xstrdup(name ? name : "");
    t->ncols = ncols;
    t->cols = calloc((size_t)(ncols > 0 ? ncols : 1), sizeof(hy_column));
    t->morsel_rows = morsel_rows > 0 ? morsel_rows : HY_DEFAULT_MORSEL_ROWS;
    hy_strheap_init(&t->heap);
    if (!t->name || !t->cols) goto fail;
    for (int c = 0; c < ncols; c++) {
        t->cols[c].name = xstrdup(defs[c].name);
        if (!t->cols[c].name) goto fail;
        t->cols[c].type = defs[c].type;
        t->cols[c].not_null = defs[c].not_null;
    }
    hy_error e;
    hy_error_clear(&e);
    if (!table_grow(t, 64, &e)) goto fail;
    return t;
fail:
    hy_table_free(t);
    return NULL;
}

void hy_table_free(hy_table *t) {
    if (!t) return;
    if (t->cols) {
        for (int c = 0; c < t->ncols; c++) {
            free(t->cols[c].name);
            free(t->cols[c].data);
            free(t->cols[c].validity);
            free(t->cols[c].zones);
        }
    }
    free(t->cols);
    free(t->name);
    hy_strheap_free(&t->heap);
    free(t);
}

int hy_table_find_column(const hy_table *t, const char *name) {
    for (int c = 0; c < t->ncols; c++)
        if (strcasecmp(t->cols[c].name, name) == 0) return c;
    return -1;
}

bool hy_table_reserve(hy_table *t, int64_t rows, hy_error *err) {
    return table_grow(t, rows, err);
}

/* ==== Validity bits ========================================================================= */

/* Shifted copies of validity words: hy_bits_copy_at (common/types.c, shared with exec/). */

/* ==== Zone maps ============================================================================= */
/* Folding rows [from, to) of a column into a zone. Identity elements stand in for "no value
 * yet" for numbers; has_minmax is derived from the count of valid rows. The double order is
 * the one of hy_value_cmp: NaN above everything, -0.0 equal to 0.0 (the first one seen is
 * kept). */

static inline bool dbl_lt(double a, double b) { return !isnan(a) && (isnan(b) || a < b); }

static inline int str_cmp(hy_str a, hy_str b) {
    uint32_t n = a.len < b.len ? a.len : b.len;
    int c = n ? memcmp(a.ptr, b.ptr, n) : 0;
    if (c) return c;
    return (a.len > b.len) - (a.len < b.len);
}

/* Calls BODY(r) for each valid row r in [from, to), counting NULLs into `nulls`. Runs of
 * all-valid words go through a loop without bit tests. */
#define FOR_VALID(vb, from, to, nulls, BODY)                                         \
    do {                                                                              \
        int64_t r_ = (from);                                                          \
        while (r_ < (to)) {                                                           \
            int sh_ = (int)(r_ & 63);                                                 \
            int64_t span_ = 64 - sh_;                                                 \
            if (span_ > (to)-r_) span_ = (to)-r_;                                     \
            uint64_t w_ = (vb)[r_ >> 6] >> sh_;                                       \
            uint64_t full_ = span_ == 64 ? ~(uint64_t)0 : (((uint64_t)1 << span_) - 1); \
            w_ &= full_;                                                              \
            if (w_ == full_) {                                                        \
                for (int64_t q_ = r_; q_ < r_ + span_; q_++) BODY(q_);                \
            } else {                                                                  \
                (nulls) += span_ - __builtin_popcountll(w_);                          \
                for (int64_t q_ = 0; q_ < span_; q_++)                                \
                    if ((w_ >> q_) & 1) BODY(r_ + q_);                                \
            }                                                                         \
            r_ += span_;                                                              \
        }                                                                             \
    } while (0)

#define FOLD_INT(T, LO, HI)                                                            \
    do {                                                                               \
        const T *d_ = (const T *)col->data;                                            \
        int64_t mn_ = z->has_minmax ? z->min.v.i : (HI), mx_ = z->has_minmax ? z->max.v.i : (LO); \
        int64_t nul_ = 0;                                                              \
        bool any_ = false;                                                             \
        FOR_VALID(col->validity, from, to, nul_, ROW_INT);                             \
        z->null_count += nul_;                                                         \
        if (any_ || z->has_minmax) {                                                   \
            z->has_minmax = true;                                                      \
            z->min.v.i = mn_;                                                          \
            z->max.v.i = mx_;                                                          \
        }                                                                              \
    } while (0)
#define ROW_INT(r)                          \
    do {                                    \
        int64_t x_ = (int64_t)d_[r];        \
        any_ = true;                        \
        if (x_ < mn_) mn_ = x_;             \
        if (x_ > mx_) mx_ = x_;             \
    } while (0)

static void zone_fold(const hy_column *col, hy_zone *z, int64_t from, int64_t to) {
    switch (col->type.id) {
    case HY_TYPE_BOOLEAN: FOLD_INT(uint8_t, 0, 1); break;
    case HY_TYPE_INTEGER:
    case HY_TYPE_DATE: FOLD_INT(int32_t, INT32_MIN, INT32_MAX); break;
    case HY_TYPE_BIGINT: FOLD_INT(int64_t, INT64_MIN, INT64_MAX); break;
    case HY_TYPE_DECIMAL:
        if (!hy_dec_is_wide(col->type)) {
            FOLD_INT(int64_t, INT64_MIN, INT64_MAX);
        } else {
            const hy_i128 *d = col->data;
            hy_i128 mn = z->has_minmax ? z->min.v.d : 0, mx = z->has_minmax ? z->max.v.d : 0;
            bool has = z->has_minmax;
            int64_t nul = 0;
#define ROW_WIDE(r)                                       \
    do {                                                  \
        hy_i128 x = d[r];                                 \
        if (!has) mn = mx = x, has = true;                \
        else if (x < mn) mn = x;                          \
        else if (x > mx) mx = x;                          \
    } while (0)
            FOR_VALID(col->validity, from, to, nul, ROW_WIDE);
#undef ROW_WIDE
            z->null_count += nul;
            z->has_minmax = has;
            z->min.v.d = mn;
            z->max.v.d = mx;
        }
        break;
    case HY_TYPE_DOUBLE: {
        const double *d = col->data;
        double mn = z->has_minmax ? z->min.v.f : NAN, mx = z->has_minmax ? z->max.v.f : -INFINITY;
        bool any = false;
        int64_t nul = 0;
#define ROW_DBL(r)                    \
    do {                              \
        double x = d[r];              \
        any = true;                   \
        if (dbl_lt(x, mn)) mn = x;    \
        if (dbl_lt(mx, x)) mx = x;    \
    } while (0)
        FOR_VALID(col->validity, from, to, nul, ROW_DBL);
#undef ROW_DBL
        z->null_count += nul;
        if (any || z->has_minmax) {
            z->has_minmax = true;
            z->min.v.f = mn;
            z->max.v.f = mx;
        }
        break;
    }
    case HY_TYPE_VARCHAR: {
        const hy_str *d = col->data;
        hy_str mn = z->min.v.s, mx = z->max.v.s;
        bool has = z->has_minmax;
        int64_t nul = 0;
#define ROW_STR(r)                                          \
    do {                                                    \
        hy_str x = d[r];                                    \
        if (!has) mn = mx = x, has = true;                  \
        else if (str_cmp(x, mn) < 0) mn = x;                \
        else if (str_cmp(x, mx) > 0) mx = x;                \
    } while (0)
        FOR_VALID(col->validity, from, to, nul, ROW_STR);
#undef ROW_STR
        z->null_count += nul;
        z->has_minmax = has;
        if (has) {
            z->min.v.s = mn;
            z->max.v.s = mx;
        }
        break;
    }
    default: {
        /* HY_TYPE_NULL columns: everything is NULL */
        int64_t nul = 0;
#define ROW_NONE(r) ((void)(r))
        FOR_VALID(col->validity, from, to, nul, ROW_NONE);
#undef ROW_NONE
        z->null_count += nul;
        break;
    }
    }
    z->min.type = z->max.type = col->type;
    z->min.is_null = z->max.is_null = !z->has_minmax;
}

static void zone_empty(const hy_column *col, hy_zone *z) {
    memset(z, 0, sizeof *z);
    z->min.type = z->max.type = col->type;
    z->min.is_null = z->max.is_null = true;
}

void hy_zone_compute(const hy_table *t, int c, int64_t morsel, hy_zone *out) {
    const hy_column *col = &t->cols[c];
    zone_empty(col, out);
    int64_t from = morsel * t->morsel_rows, to = from + t->morsel_rows;
    if (to > t->rows) to = t->rows;
    if (from < to) zone_fold(col, out, from, to);
}

/* Fold rows [from, to) (already stored) into the zones of the morsels they touch. */
static void zones_update(hy_table *t, int64_t from, int64_t to) {
    int64_t mr = t->morsel_rows;
    for (int c = 0; c < t->ncols; c++) {
        hy_column *col = &t->cols[c];
        for (int64_t r = from; r < to;) {
            int64_t m = r / mr, end = (m + 1) * mr;
            if (end > to) end = to;
            if (r == m * mr) zone_empty(col, &col->zones[m]);
            zone_fold(col, &col->zones[m], r, end);
            r = end;
        }
    }
}

/* ==== Savepoints ============================================================================ */

/* Cut the table back to `rows` rows and the heap back to `mark`; the zone of a morsel cut in
 * the middle is recomputed from the surviving data so it stays exact. */
static void table_truncate(hy_table *t, int64_t rows, hy_strheap_mark mark) {
    if (rows >= t->rows) {
        hy_strheap_rollback(&t->heap, mark);
        return;
    }
    t->rows = rows;
    hy_strheap_rollback(&t->heap, mark);
    if (rows % t->morsel_rows != 0) {
        int64_t m = rows / t->morsel_rows;
        for (int c = 0; c < t->ncols; c++) hy_zone_compute(t, c, m, &t->cols[c].zones[m]);
    }
}

void hy_table_begin(hy_table *t) {
    if (t->in_txn) return; /* savepoints do not nest: the outer one stays */
    t->in_txn = true;
    t->txn_rows = t->rows;
    t->txn_mark = hy_strheap_save(&t->heap);
}

void hy_table_commit(hy_table *t) { t->in_txn = false; }

void hy_table_rollback(hy_table *t) {
    if (!t->in_txn) return;
    table_truncate(t, t->txn_rows, t->txn_mark);
    t->in_txn = false;
}

hy_table_mark hy_table_save(const hy_table *t) {
    hy_table_mark m = {t->rows, hy_strheap_save(&t->heap)};
    return m;
}

void hy_table_restore(hy_table *t, hy_table_mark m) { table_truncate(t, m.rows, m.heap); }

/* ==== Append ================================================================================ */

static const char empty_str[1] = "";

bool hy_table_append_ex(hy_table *t, const hy_vec *cols, int64_t n, unsigned flags,
                        hy_error *err) {
    if (n <= 0) return true;
    for (int c = 0; c < t->ncols; c++) {
        const hy_column *col = &t->cols[c];
        if (!hy_lt_eq(cols[c].type, col->type)) {
            char a[32], b[32];
            return hy_error_set(err, HY_E_INTERNAL,
                                "append to \"%s\".\"%s\": vector type %s, column type %s",
                                t->name, col->name, hy_lt_name(cols[c].type, a, sizeof a),
                                hy_lt_name(col->type, b, sizeof b));
        }
        if (col->not_null && cols[c].validity) {
            const uint64_t *v = cols[c].validity;
            int64_t full = n >> 6;
            bool bad = false;
            for (int64_t w = 0; w < full && !bad; w++) bad = v[w] != ~(uint64_t)0;
            if (!bad && (n & 63)) {
                uint64_t m = ((uint64_t)1 << (n & 63)) - 1;
                bad = (v[full] & m) != m;
            }
            if (bad)
                return hy_error_set(err, HY_E_CONSTRAINT,
                                    "null value in column \"%s\" of table \"%s\" violates "
                                    "not-null constraint",
                                    col->name, t->name);
        }
    }
    if (!table_grow(t, t->rows + n, err)) return false;

    int64_t base = t->rows;
    for (int c = 0; c < t->ncols; c++) {
        hy_column *col = &t->cols[c];
        const hy_vec *src = &cols[c];
        size_t w = hy_lt_width(col->type);
        char *dst = (char *)col->data + (size_t)base * w;
        const uint64_t *sv = src->validity;
        if (col->type.id == HY_TYPE_VARCHAR) {
            const hy_str *s = src->data;
            hy_str *d = (hy_str *)dst;
            bool borrow = (flags & HY_APPEND_BORROW_STRINGS) != 0;
            for (int64_t i = 0; i < n; i++) {
                if (!hy_valid_get(sv, i)) {
                    d[i].ptr = empty_str;
                    d[i].len = 0;
                } else if (borrow) {
                    d[i] = s[i];
                } else {
                    d[i] = hy_strheap_add(&t->heap, s[i].ptr, s[i].len);
                }
            }
        } else {
            memcpy(dst, src->data, (size_t)n * w);
            if (sv) /* NULL slots hold zeros, so scans may compute on them harmlessly */
                for (int64_t i = 0; i < n; i++)
                    if (!hy_valid_get(sv, i)) memset(dst + (size_t)i * w, 0, w);
        }
        hy_bits_copy_at(col->validity, base, sv, 0, n);
    }
    t->rows = base + n;
    zones_update(t, base, t->rows);
    return true;
}

bool hy_table_append(hy_table *t, const hy_vec *cols, int64_t n, hy_error *err) {
    return hy_table_append_ex(t, cols, n, 0, err);
}

/* ==== Catalog =============================================================================== */

void hy_catalog_init(hy_catalog *c) {
    c->tables = NULL;
    c->ntables = c->cap = 0;
}

void hy_catalog_free(hy_catalog *c) {
    for (int i = 0; i < c->ntables; i++) hy_table_free(c->tables[i]);
    free(c->tables);
    hy_catalog_init(c);
}

static int catalog_index(const hy_catalog *c, const char *name) {
    for (int i = 0; i < c->ntables; i++)
        if (strcasecmp(c->tables[i]->name, name) == 0) return i;
    return -1;
}

hy_table *hy_catalog_find(const hy_catalog *c, const char *name) {
    int i = catalog_index(c, name);
    return i < 0 ? NULL : c->tables[i];
}

bool hy_catalog_add(hy_catalog *c, hy_table *t, hy_error *err) {
    if (catalog_index(c, t->name) >= 0)
        return hy_error_set(err, HY_E_CONSTRAINT, "table \"%s\" already exists", t->name);
    if (c->ntables == c->cap) {
        int cap = c->cap ? c->cap * 2 : 8;
        hy_table **n = realloc(c->tables, (size_t)cap * sizeof *n);
        if (!n) return hy_error_set(err, HY_E_NOMEM, "out of memory");
        c->tables = n;
        c->cap = cap;
    }
    c->tables[c->ntables++] = t;
    return true;
}

hy_table *hy_catalog_detach(hy_catalog *c, const char *name) {
    int i = catalog_index(c, name);
    if (i < 0) return NULL;
    hy_table *t = c->tables[i];
    memmove(&c->tables[i], &c->tables[i + 1], (size_t)(c->ntables - i - 1) * sizeof *c->tables);
    c->ntables--;
    return t;
}

bool hy_catalog_drop(hy_catalog *c, const char *name) {
    hy_table *t = hy_catalog_detach(c, name);
    if (!t) return false;
    hy_table_free(t);
    return true;
}
