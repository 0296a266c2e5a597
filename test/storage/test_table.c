/* Unit tests for tables: appends, exact zone maps after random appends and rollbacks (against
 * hy_zone_compute AND against a shadow model kept by the test), NOT NULL rejection, savepoints,
 * catalog. */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "check.h"
#include "storage/storage.h"

enum { C_BOOL, C_INT, C_BIG, C_DBL, C_DEC, C_WIDE, C_DATE, C_STR, NCOLS };

/* shadow model: one hy_value per cell, strings malloc'ed */
typedef struct shadow {
    int64_t rows, cap;
    hy_value *cells; /* rows * NCOLS */
} shadow;

static hy_coldef defs[NCOLS] = {
    {"b", {HY_TYPE_BOOLEAN, 0, 0}, false},  {"i", {HY_TYPE_INTEGER, 0, 0}, false},
    {"big", {HY_TYPE_BIGINT, 0, 0}, false}, {"d", {HY_TYPE_DOUBLE, 0, 0}, false},
    {"dec", {HY_TYPE_DECIMAL, 10, 2}, false}, {"wide", {HY_TYPE_DECIMAL, 30, 3}, false},
    {"dt", {HY_TYPE_DATE, 0, 0}, false},    {"s", {HY_TYPE_VARCHAR, 0, 0}, false}};

static void shadow_truncate(shadow *s, int64_t rows) {
    for (int64_t r = rows; r < s->rows; r++) {
        hy_value *v = &s->cells[r * NCOLS + C_STR];
        if (!v->is_null) free((void *)v->v.s.ptr);
    }
    s->rows = rows;
}

static void gen_value(unsigned long long *rng, int c, hy_value *v, int null_pct) {
    memset(v, 0, sizeof *v);
    v->type = defs[c].type;
    if ((int)(test_rand(rng) % 100) < null_pct) {
        v->is_null = true;
        return;
    }
    uint64_t x = test_rand(rng);
    int small = (int)(x % 7) - 3;
    switch (c) {
    case C_BOOL: v->v.i = (int64_t)(x & 1); break;
    case C_INT: v->v.i = (x >> 8) % 5 == 0 ? (x & 2 ? INT32_MIN : INT32_MAX) : (int32_t)(x >> 20) % 1000; break;
    case C_BIG: v->v.i = (x >> 8) % 9 == 0 ? (x & 2 ? INT64_MIN : INT64_MAX) : (int64_t)(x >> 3) - (int64_t)(1ULL << 59); break;
    case C_DBL: {
        static const double sp[] = {-0.0, 0.0, INFINITY, -INFINITY, 1e308, -1e-308};
        uint64_t k = (x >> 4) % 12;
        if (k < 6) v->v.f = sp[k];
        else if (k == 6) v->v.f = NAN;
        else v->v.f = (double)small * 1.5 + (double)((x >> 32) % 1000) / 7;
        break;
    }
    case C_DEC: v->v.i = (int64_t)((x >> 5) % 19999999999ULL) - 9999999999LL; break;
    case C_WIDE: {
        hy_i128 w = (hy_i128)(int64_t)x * (hy_i128)(int64_t)(test_rand(rng) >> 4);
        w %= hy_pow10_i128[30];
        v->v.d = w;
        break;
    }
    case C_DATE: v->v.i = (int32_t)((x >> 7) % 40000) - 20000; break;
    case C_STR: {
        int len = (int)((x >> 3) % 9);
        char *p = malloc((size_t)len + 1);
        for (int k = 0; k < len; k++) p[k] = (char)("abz\xff\x01"[(x >> (8 + k * 3)) % 5]);
        p[len] = 0;
        v->v.s.ptr = p;
        v->v.s.len = (uint32_t)len;
        break;
    }
    }
}

static int cmp_cell(const hy_value *a, const hy_value *b) {
    if (a->is_null || b->is_null) return a->is_null != b->is_null;
    return hy_value_cmp(a, b);
}

static hy_value table_cell(const hy_table *t, int c, int64_t r) {
    hy_value v;
    memset(&v, 0, sizeof v);
    v.type = t->cols[c].type;
    v.is_null = !hy_valid_get(t->cols[c].validity, r);
    const void *d = t->cols[c].data;
    switch (c) {
    case C_BOOL: v.v.i = ((const uint8_t *)d)[r]; break;
    case C_INT: case C_DATE: v.v.i = ((const int32_t *)d)[r]; break;
    case C_BIG: case C_DEC: v.v.i = ((const int64_t *)d)[r]; break;
    case C_DBL: v.v.f = ((const double *)d)[r]; break;
    case C_WIDE: v.v.d = ((const hy_i128 *)d)[r]; break;
    case C_STR: v.v.s = ((const hy_str *)d)[r]; break;
    }
    return v;
}

/* Compare the table against the shadow: every cell, and every zone both against
 * hy_zone_compute and against min/max/null counts recomputed here from the shadow. */
static void verify(const hy_table *t, const shadow *s, const char *when) {
    CHECK_MSG(t->rows == s->rows, "%s: rows %lld vs %lld", when, (long long)t->rows, (long long)s->rows);
    if (t->rows != s->rows) return;
    for (int64_t r = 0; r < t->rows; r++)
        for (int c = 0; c < NCOLS; c++) {
            hy_value tv = table_cell(t, c, r);
            const hy_value *sv = &s->cells[r * NCOLS + c];
            bool same = cmp_cell(&tv, sv) == 0;
            if (same && c == C_DBL && !tv.is_null) same = signbit(tv.v.f) == signbit(sv->v.f);
            CHECK_MSG(same, "%s: cell r%lld c%d", when, (long long)r, c);
        }
    int64_t nm = hy_table_morsels(t);
    for (int64_t m = 0; m < nm; m++) {
        int64_t from = m * t->morsel_rows, to = from + t->morsel_rows;
        if (to > t->rows) to = t->rows;
        for (int c = 0; c < NCOLS; c++) {
            const hy_zone *z = hy_col_zone(t, c, m);
            hy_zone fresh;
            hy_zone_compute(t, c, m, &fresh);
            int64_t nulls = 0;
            const hy_value *mn = NULL, *mx = NULL;
            for (int64_t r = from; r < to; r++) {
                const hy_value *v = &s->cells[r * NCOLS + c];
                if (v->is_null) { nulls++; continue; }
                if (!mn || hy_value_cmp(v, mn) < 0) mn = v;
                if (!mx || hy_value_cmp(v, mx) > 0) mx = v;
            }
            CHECK_MSG(z->null_count == nulls && fresh.null_count == nulls,
                      "%s: morsel %lld col %d nulls %lld/%lld want %lld", when, (long long)m, c,
                      (long long)z->null_count, (long long)fresh.null_count, (long long)nulls);
            CHECK_MSG(z->has_minmax == (mn != NULL) && fresh.has_minmax == (mn != NULL),
                      "%s: morsel %lld col %d has_minmax", when, (long long)m, c);
            if (mn && z->has_minmax && fresh.has_minmax) {
                CHECK_MSG(hy_value_cmp(&z->min, mn) == 0 && hy_value_cmp(&z->max, mx) == 0,
                          "%s: morsel %lld col %d min/max", when, (long long)m, c);
                CHECK(hy_value_cmp(&fresh.min, mn) == 0 && hy_value_cmp(&fresh.max, mx) == 0);
                CHECK(!z->min.is_null && !z->max.is_null && hy_lt_eq(z->min.type, defs[c].type));
            }
        }
    }
}

static void build_batch(unsigned long long *rng, int64_t n, int null_pct, hy_vec *vecs,
                        hy_value *vals) {
    for (int c = 0; c < NCOLS; c++) {
        size_t w = hy_lt_width(defs[c].type);
        vecs[c].type = defs[c].type;
        vecs[c].n = n;
        vecs[c].data = calloc((size_t)(n ? n : 1), w);
        bool use_validity = (test_rand(rng) % 4) != 0 || null_pct > 0;
        vecs[c].validity = use_validity ? calloc(hy_valid_words(n) + 1, 8) : NULL;
        if (vecs[c].validity) vecs[c].validity[hy_valid_words(n)] = ~0ULL; /* junk past n */
        for (int64_t r = 0; r < n; r++) {
            hy_value *v = &vals[r * NCOLS + c];
            gen_value(rng, c, v, use_validity ? null_pct : 0);
            if (vecs[c].validity) hy_valid_set(vecs[c].validity, r, !v->is_null);
            char *d = (char *)vecs[c].data + (size_t)r * w;
            if (v->is_null) {
                memset(d, 0x5A, w); /* garbage in NULL slots must not leak into zones */
                continue;
            }
            switch (c) {
            case C_BOOL: *(uint8_t *)d = (uint8_t)v->v.i; break;
            case C_INT: case C_DATE: *(int32_t *)d = (int32_t)v->v.i; break;
            case C_BIG: case C_DEC: *(int64_t *)d = v->v.i; break;
            case C_DBL: *(double *)d = v->v.f; break;
            case C_WIDE: *(hy_i128 *)d = v->v.d; break;
            case C_STR: *(hy_str *)d = v->v.s; break;
            }
        }
    }
}

static void free_batch(hy_vec *vecs) {
    for (int c = 0; c < NCOLS; c++) {
        free(vecs[c].data);
        free(vecs[c].validity);
    }
}

static void test_random_zones(int64_t morsel_rows, unsigned long long seed, int steps) {
    unsigned long long rng = seed;
    hy_table *t = hy_table_new("Zones", NCOLS, defs, morsel_rows);
    CHECK(t != NULL);
    shadow s = {0, 0, NULL};
    hy_error e;
    char when[64];
    for (int step = 0; step < steps; step++) {
        snprintf(when, sizeof when, "mr=%lld step %d", (long long)morsel_rows, step);
        int op = (int)(test_rand(&rng) % 10);
        if (op < 2 && !t->in_txn) {
            hy_table_begin(t);
            continue;
        }
        if (op == 2 && t->in_txn) {
            int64_t keep = t->txn_rows;
            hy_table_rollback(t);
            shadow_truncate(&s, keep);
            CHECK(!t->in_txn);
            verify(t, &s, when);
            continue;
        }
        if (op == 3 && t->in_txn) {
            hy_table_commit(t);
            continue;
        }
        int64_t n = (int64_t)(test_rand(&rng) % 3 == 0 ? test_rand(&rng) % 4 : test_rand(&rng) % 260);
        int null_pct = (int)(test_rand(&rng) % 5 == 0 ? 100 : test_rand(&rng) % 50);
        hy_vec vecs[NCOLS];
        hy_value *vals = calloc((size_t)(n ? n : 1) * NCOLS, sizeof(hy_value));
        build_batch(&rng, n, null_pct, vecs, vals);
        hy_error_clear(&e);
        CHECK(hy_table_append(t, vecs, n, &e));
        if (s.rows + n > s.cap) {
            s.cap = (s.rows + n) * 2;
            s.cells = realloc(s.cells, (size_t)s.cap * NCOLS * sizeof(hy_value));
        }
        for (int64_t r = 0; r < n; r++)
            for (int c = 0; c < NCOLS; c++) {
                hy_value v = vals[r * NCOLS + c];
                if (c == C_STR && !v.is_null) { /* shadow keeps its own copy */
                    char *p = malloc(v.v.s.len + 1);
                    memcpy(p, v.v.s.ptr, v.v.s.len + 1);
                    v.v.s.ptr = p;
                }
                s.cells[(s.rows + r) * NCOLS + c] = v;
            }
        s.rows += n;
        /* the table copied the strings: free the batch's originals */
        for (int64_t r = 0; r < n; r++)
            if (!vals[r * NCOLS + C_STR].is_null) free((void *)vals[r * NCOLS + C_STR].v.s.ptr);
        free(vals);
        free_batch(vecs);
        verify(t, &s, when);
    }
    /* table marks (used by the CSV loader) nest inside a savepoint */
    hy_table_begin(t);
    hy_table_mark mk = hy_table_save(t);
    int64_t before = t->rows;
    {
        hy_vec vecs[NCOLS];
        hy_value *vals = calloc(50 * NCOLS, sizeof(hy_value));
        build_batch(&rng, 50, 10, vecs, vals);
        CHECK(hy_table_append(t, vecs, 50, &e));
        for (int r = 0; r < 50; r++)
            if (!vals[r * NCOLS + C_STR].is_null) free((void *)vals[r * NCOLS + C_STR].v.s.ptr);
        free(vals);
        free_batch(vecs);
    }
    hy_table_restore(t, mk);
    CHECK(t->rows == before && t->in_txn);
    verify(t, &s, "after restore");
    hy_table_commit(t);
    shadow_truncate(&s, 0);
    free(s.cells);
    hy_table_free(t);
}

static void test_not_null(void) {
    hy_coldef d[3] = {{"id", {HY_TYPE_INTEGER, 0, 0}, true},
                      {"name", {HY_TYPE_VARCHAR, 0, 0}, true},
                      {"x", {HY_TYPE_DOUBLE, 0, 0}, false}};
    hy_table *t = hy_table_new("People", 3, d, 4);
    int32_t ids[130];
    hy_str names[130];
    double xs[130];
    uint64_t val_all[3] = {~0ULL, ~0ULL, ~0ULL};
    for (int i = 0; i < 130; i++) {
        ids[i] = i;
        names[i].ptr = "nm";
        names[i].len = 2;
        xs[i] = i * 0.5;
    }
    hy_vec v[3] = {{d[0].type, 5, ids, NULL}, {d[1].type, 5, names, val_all}, {d[2].type, 5, xs, NULL}};
    hy_error e;
    hy_error_clear(&e);
    CHECK(hy_table_append(t, v, 5, &e));
    CHECK(t->rows == 5);
    size_t heap_bytes = t->heap.bytes;
    hy_zone z0 = *hy_col_zone(t, 0, 1);
    /* a NULL in row 129 of a NOT NULL column, in the last partial word */
    uint64_t nulls[3] = {~0ULL, ~0ULL, ~0ULL};
    nulls[2] &= ~(1ULL << (129 - 128));
    hy_vec bad[3] = {{d[0].type, 130, ids, NULL}, {d[1].type, 130, names, nulls}, {d[2].type, 130, xs, NULL}};
    CHECK(!hy_table_append(t, bad, 130, &e));
    CHECK(e.code == HY_E_CONSTRAINT);
    CHECK_CONTAINS(e.msg, "\"name\"");
    CHECK_CONTAINS(e.msg, "\"People\"");
    CHECK_CONTAINS(e.msg, "not-null");
    CHECK(t->rows == 5 && t->heap.bytes == heap_bytes);
    const hy_zone *z1 = hy_col_zone(t, 0, 1);
    CHECK(z1->null_count == z0.null_count && z1->min.v.i == z0.min.v.i && z1->max.v.i == z0.max.v.i);
    /* NULL in the first full word */
    hy_error_clear(&e);
    nulls[2] = ~0ULL;
    nulls[0] &= ~(1ULL << 3);
    CHECK(!hy_table_append(t, bad, 130, &e) && e.code == HY_E_CONSTRAINT);
    /* bits past n do not count */
    hy_error_clear(&e);
    uint64_t partial[1] = {0x7FULL};
    hy_vec ok3[3] = {{d[0].type, 7, ids, NULL}, {d[1].type, 7, names, partial}, {d[2].type, 7, xs, partial}};
    CHECK(hy_table_append(t, ok3, 7, &e));
    CHECK(t->rows == 12);
    /* wrong vector type */
    hy_error_clear(&e);
    hy_vec wrong[3] = {{hy_lt(HY_TYPE_BIGINT), 1, ids, NULL}, {d[1].type, 1, names, NULL}, {d[2].type, 1, xs, NULL}};
    CHECK(!hy_table_append(t, wrong, 1, &e) && t->rows == 12);
    CHECK_CONTAINS(e.msg, "BIGINT");
    /* n == 0 is a no-op */
    hy_error_clear(&e);
    CHECK(hy_table_append(t, v, 0, &e) && t->rows == 12);
    /* NULL slots hold zeros / empty strings */
    hy_error_clear(&e);
    uint64_t xnull[1] = {0x5ULL}; /* rows 1 and 3 of 4 are NULL */
    hy_vec nv[3] = {{d[0].type, 4, ids, NULL}, {d[1].type, 4, names, NULL}, {d[2].type, 4, xs, xnull}};
    CHECK(hy_table_append(t, nv, 4, &e));
    const double *xd = hy_col_data(t, 2);
    CHECK(xd[13] == 0.0 && xd[15] == 0.0 && xd[14] == 1.0);
    CHECK(!hy_valid_get(hy_col_validity(t, 2), 13) && hy_valid_get(hy_col_validity(t, 2), 14));
    CHECK(hy_table_find_column(t, "NAME") == 1 && hy_table_find_column(t, "Id") == 0 &&
          hy_table_find_column(t, "nope") == -1);
    hy_table_free(t);
}

static void test_savepoint(void) {
    hy_coldef d[1] = {{"v", {HY_TYPE_VARCHAR, 0, 0}, false}};
    hy_table *t = hy_table_new("sp", 1, d, 3);
    hy_str s[5] = {{"e", 1}, {"d", 1}, {"c", 1}, {"b", 1}, {"a", 1}};
    hy_vec v = {d[0].type, 5, s, NULL};
    hy_error e;
    hy_error_clear(&e);
    CHECK(hy_table_append(t, &v, 2, &e)); /* e d */
    hy_table_begin(t);
    CHECK(hy_table_append(t, &v, 5, &e)); /* e d | e d c b a */
    hy_table_begin(t);                    /* no nesting: keeps the first savepoint */
    CHECK(hy_table_append(t, &v, 5, &e));
    CHECK(t->rows == 12);
    hy_table_rollback(t);
    CHECK(t->rows == 2 && !t->in_txn);
    const hy_zone *z = hy_col_zone(t, 0, 0);
    CHECK(z->has_minmax && z->min.v.s.len == 1 && z->min.v.s.ptr[0] == 'd' && z->max.v.s.ptr[0] == 'e');
    hy_table_rollback(t); /* without a savepoint: nothing */
    CHECK(t->rows == 2);
    hy_table_begin(t);
    CHECK(hy_table_append(t, &v, 5, &e));
    hy_table_commit(t);
    hy_table_rollback(t);
    CHECK(t->rows == 7);
    /* reserve keeps data */
    CHECK(hy_table_reserve(t, 100000, &e) && t->capacity >= 100000 && t->rows == 7);
    const hy_str *sd = hy_col_data(t, 0);
    CHECK(sd[6].ptr[0] == 'a' && sd[0].ptr[0] == 'e');
    hy_table_free(t);
}

static void test_catalog(void) {
    hy_catalog c;
    hy_catalog_init(&c);
    hy_coldef d[1] = {{"a", {HY_TYPE_INTEGER, 0, 0}, false}};
    hy_error e;
    hy_error_clear(&e);
    CHECK(hy_catalog_add(&c, hy_table_new("LineItem", 1, d, 0), &e));
    for (int i = 0; i < 20; i++) {
        char n[16];
        snprintf(n, sizeof n, "t%d", i);
        CHECK(hy_catalog_add(&c, hy_table_new(n, 1, d, 0), &e));
    }
    CHECK(hy_catalog_find(&c, "lineitem") != NULL && hy_catalog_find(&c, "LINEITEM") != NULL);
    CHECK(hy_catalog_find(&c, "lineitem")->morsel_rows == HY_DEFAULT_MORSEL_ROWS);
    CHECK(hy_catalog_find(&c, "T7") != NULL && hy_catalog_find(&c, "t77") == NULL);
    hy_table *dup = hy_table_new("lineITEM", 1, d, 0);
    CHECK(!hy_catalog_add(&c, dup, &e) && e.code == HY_E_CONSTRAINT);
    CHECK_STR(e.msg, "table \"lineITEM\" already exists");
    hy_table_free(dup);
    CHECK(hy_catalog_drop(&c, "T3") && hy_catalog_find(&c, "t3") == NULL);
    CHECK(!hy_catalog_drop(&c, "t3"));
    hy_table *det = hy_catalog_detach(&c, "t4");
    CHECK(det && hy_catalog_find(&c, "t4") == NULL && c.ntables == 19);
    hy_error_clear(&e);
    CHECK(hy_catalog_add(&c, det, &e) && hy_catalog_find(&c, "t4") == det);
    hy_catalog_free(&c);
    CHECK(c.ntables == 0);
}

int main(void) {
    test_random_zones(7, 1, 200);
    test_random_zones(100, 2, 200);
    test_random_zones(64, 3, 120);
    test_random_zones(1, 4, 50);
    test_not_null();
    test_savepoint();
    test_catalog();
    return check_done("test_table");
}
