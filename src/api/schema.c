/*
 * Catalog listing for hy_tables(): one row per table, ordered by name, with a CREATE TABLE
 * statement that re-creates the table's schema:
 *
 *     CREATE TABLE lineitem(l_orderkey BIGINT NOT NULL, ..., l_quantity DECIMAL(15,2) NOT NULL);
 *
 * Names are written bare when the lexer would read them back unchanged (lower-case letters,
 * digits, '_', not starting with a digit, not a reserved keyword), else double-quoted with
 * embedded quotes doubled, so the text always parses back to the same names.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api_int.h"
#include "sql/keywords.h"

/* ---- a growable string ------------------------------------------------------------------- */

typedef struct sbuf {
    char *p;
    size_t len, cap;
} sbuf;

static void sb_put(sbuf *b, const char *s, size_t n) {
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 128;
        while (cap < b->len + n + 1) cap *= 2;
        char *q = realloc(b->p, cap);
        if (!q) abort();
        b->p = q;
        b->cap = cap;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

static void sb_puts(sbuf *b, const char *s) { sb_put(b, s, strlen(s)); }

/* ---- identifiers --------------------------------------------------------------------------- */

enum { KW_CLASS_R = 1, KW_CLASS_U = 0 };
typedef struct kw_entry {
    const char *text;
    int reserved;
} kw_entry;
#define KW_ENTRY(id, text, cls) {text, KW_CLASS_##cls},
static const kw_entry KEYWORDS[] = {HY_KEYWORDS(KW_ENTRY)};
#undef KW_ENTRY

static bool reserved_word(const char *s) {
    for (size_t i = 0; i < sizeof KEYWORDS / sizeof KEYWORDS[0]; i++)
        if (KEYWORDS[i].reserved && strcmp(KEYWORDS[i].text, s) == 0) return true;
    return false;
}

static bool bare_ok(const char *s) {
    if (!*s || (*s >= '0' && *s <= '9')) return false;
    for (const char *p = s; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_')) return false;
    return !reserved_word(s);
}

static void put_ident(sbuf *b, const char *s) {
    if (bare_ok(s)) {
        sb_puts(b, s);
        return;
    }
    sb_put(b, "\"", 1);
    for (const char *p = s; *p; p++) {
        if (*p == '"') sb_put(b, "\"", 1);
        sb_put(b, p, 1);
    }
    sb_put(b, "\"", 1);
}

char *hy_table_ddl(const hy_table *t) {
    sbuf b = {0};
    sb_puts(&b, "CREATE TABLE ");
    put_ident(&b, t->name);
    sb_put(&b, "(", 1);
    for (int c = 0; c < t->ncols; c++) {
        char tn[48];
        if (c) sb_puts(&b, ", ");
        put_ident(&b, t->cols[c].name);
        sb_put(&b, " ", 1);
        sb_puts(&b, hy_lt_name(t->cols[c].type, tn, sizeof tn));
        if (t->cols[c].not_null) sb_puts(&b, " NOT NULL");
    }
    sb_puts(&b, ");");
    return b.p;
}

static int cmp_table_name(const void *a, const void *b) {
    const hy_table *x = *(const hy_table *const *)a, *y = *(const hy_table *const *)b;
    return strcmp(x->name, y->name);
}

hy_result *hy_tables_result(const hy_catalog *cat) {
    int n = cat->ntables;
    const hy_table **ts = calloc((size_t)(n ? n : 1), sizeof *ts);
    if (!ts) abort();
    for (int i = 0; i < n; i++) ts[i] = cat->tables[i];
    qsort(ts, (size_t)n, sizeof *ts, cmp_table_name);

    hy_ltype types[2] = {hy_lt(HY_TYPE_VARCHAR), hy_lt(HY_TYPE_VARCHAR)};
    hy_mat *m = hy_mat_new(2, types);
    hy_mat_add_rows(m, n);
    for (int i = 0; i < n; i++) {
        char *ddl = hy_table_ddl(ts[i]);
        hy_value v;
        memset(&v, 0, sizeof v);
        v.type = types[0];
        v.v.s.ptr = ts[i]->name;
        v.v.s.len = (uint32_t)strlen(ts[i]->name);
        hy_mat_set_value(m, 0, i, &v);
        v.v.s.ptr = ddl;
        v.v.s.len = (uint32_t)strlen(ddl);
        hy_mat_set_value(m, 1, i, &v);
        free(ddl);
    }
    free(ts);

    hy_result *r = hy_result_new(HY_RESULT_ROWS);
    r->mat = m;
    r->ncols = 2;
    r->names = calloc(2, sizeof(char *));
    if (!r->names) abort();
    r->names[0] = strdup("name");
    r->names[1] = strdup("sql");
    if (!r->names[0] || !r->names[1]) abort();
    return r;
}
