/*
 * Result printers. Every value's text comes from hy_result_format() (decimals with their
 * scale, shortest round-trip doubles, ISO dates), so all modes agree on the digits.
 *
 *   box    Unicode box, column names and lower-case types in the header, numbers
 *          right-aligned, NULL shown as NULL; long results show the first and last rows.
 *   table  the same layout in plain ASCII (psql-like, no types, never truncated).
 *   csv    RFC 4180 with a header row; NULL is an empty field, the empty string is "";
 *          fields holding the delimiter, a quote, CR or LF are quoted; lines end in LF.
 *   json   one JSON array of objects per result, on one line: numbers as JSON numbers
 *          (decimals keep their scale), booleans as true/false, NULL as null, dates and
 *          strings as JSON strings. Non-finite doubles, which JSON numbers cannot express,
 *          are the strings "inf", "-inf" and "nan" (in the other modes: inf, -inf, nan).
 *          Duplicate column names get "_1", "_2", ... suffixes so keys are unique.
 * HY_RESULT_TEXT results (EXPLAIN) are printed verbatim in every mode; statements without a
 * result set print nothing.
 */
#include <stdlib.h>
#include <string.h>

#include "shell/shell.h"

#define BOX_CELL_MAX 64 /* display columns per cell in box/table mode before "…" */

/* ---- values as text ---------------------------------------------------------------------- */

typedef struct cell {
    char *s;
    size_t len;
    bool null;
} cell;

static char *format_alloc(const hy_result *r, int c, int64_t row, size_t *len) {
    char small[96];
    size_t n = hy_result_format(r, c, row, small, sizeof small);
    char *p = malloc(n + 1);
    if (!p) { fprintf(stderr, "Error: out of memory\n"); exit(1); }
    if (n < sizeof small) memcpy(p, small, n + 1);
    else hy_result_format(r, c, row, p, n + 1);
    *len = n;
    return p;
}

static void cell_get(const hy_result *r, int c, int64_t row, cell *out) {
    out->null = hy_result_is_null(r, c, row) != 0;
    if (out->null) {
        out->s = NULL;
        out->len = 0;
    } else {
        out->s = format_alloc(r, c, row, &out->len);
    }
}

const char *shell_type_name(const hy_result *r, int col, char *buf, size_t cap) {
    const char *n = "unknown";
    switch (hy_result_column_type(r, col)) {
    case HY_TYPE_NULL: n = "null"; break;
    case HY_TYPE_BOOLEAN: n = "boolean"; break;
    case HY_TYPE_INTEGER: n = "integer"; break;
    case HY_TYPE_BIGINT: n = "bigint"; break;
    case HY_TYPE_DOUBLE: n = "double"; break;
    case HY_TYPE_DATE: n = "date"; break;
    case HY_TYPE_VARCHAR: n = "varchar"; break;
    case HY_TYPE_DECIMAL:
        snprintf(buf, cap, "decimal(%d,%d)", hy_result_column_precision(r, col),
                 hy_result_column_scale(r, col));
        return buf;
    }
    snprintf(buf, cap, "%s", n);
    return buf;
}

static bool is_numeric(hy_type t) {
    return t == HY_TYPE_INTEGER || t == HY_TYPE_BIGINT || t == HY_TYPE_DOUBLE ||
           t == HY_TYPE_DECIMAL;
}

/* Display width: one column per UTF-8 code point (good enough for a terminal table). */
static size_t disp_width(const char *s, size_t len) {
    size_t w = 0;
    for (size_t i = 0; i < len; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80) w++;
    return w;
}

/* Byte length of the first `cols` code points of s. */
static size_t prefix_bytes(const char *s, size_t len, size_t cols) {
    size_t w = 0, i = 0;
    for (; i < len; i++) {
        if (((unsigned char)s[i] & 0xC0) != 0x80) {
            if (w == cols) break;
            w++;
        }
    }
    return i;
}

static void put_rep(FILE *out, const char *s, size_t n) {
    for (size_t i = 0; i < n; i++) fputs(s, out);
}

/* Control characters would break the table layout: show them as spaces. */
static void put_clean(FILE *out, const char *s, size_t n) {
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        fputc(ch < 0x20 || ch == 0x7f ? ' ' : ch, out);
    }
}

/* Write s (len bytes) padded to width w; align: 'l', 'r' or 'c'; cut with "…" if longer. */
static void put_padded(FILE *out, const char *s, size_t len, size_t w, char align, bool ascii) {
    size_t dw = disp_width(s, len);
    if (dw > w) {
        size_t keep = prefix_bytes(s, len, w - 1);
        put_clean(out, s, keep);
        fputs(ascii ? "~" : "…", out);
        return;
    }
    size_t pad = w - dw, left = 0;
    if (align == 'r') left = pad;
    else if (align == 'c') left = pad / 2;
    put_rep(out, " ", left);
    put_clean(out, s, len);
    put_rep(out, " ", pad - left);
}

/* ---- box and table ----------------------------------------------------------------------- */

typedef struct grid {
    int ncols;
    int64_t nrows;      /* rows in the result */
    int64_t shown;      /* rows materialized in cells */
    int64_t head;       /* rows before the "…" row (== shown when not truncated) */
    cell *cells;        /* shown * ncols */
    char **types;
    size_t *width;
    bool *right;
} grid;

static void grid_build(grid *g, const hy_result *r, int64_t max_rows, bool with_types) {
    g->ncols = hy_result_column_count(r);
    g->nrows = hy_result_row_count(r);
    int64_t shown = g->nrows;
    g->head = g->nrows;
    if (max_rows > 0 && g->nrows > max_rows) {
        shown = max_rows;
        g->head = max_rows / 2;
    }
    g->shown = shown;
    size_t nc = g->ncols ? (size_t)g->ncols : 1;
    g->cells = calloc((size_t)(shown ? shown : 1) * nc, sizeof(cell));
    g->types = calloc(nc, sizeof(char *));
    g->width = calloc(nc, sizeof(size_t));
    g->right = calloc(nc, sizeof(bool));
    if (!g->cells || !g->types || !g->width || !g->right) {
        fprintf(stderr, "Error: out of memory\n");
        exit(1);
    }
    for (int c = 0; c < g->ncols; c++) {
        char tb[48];
        const char *name = hy_result_column_name(r, c);
        if (!name) name = "";
        g->width[c] = disp_width(name, strlen(name));
        if (with_types) {
            g->types[c] = strdup(shell_type_name(r, c, tb, sizeof tb));
            size_t tw = strlen(g->types[c]);
            if (tw > g->width[c]) g->width[c] = tw;
        }
        g->right[c] = is_numeric(hy_result_column_type(r, c));
    }
    for (int64_t i = 0; i < shown; i++) {
        int64_t row = i < g->head ? i : g->nrows - (shown - i);
        for (int c = 0; c < g->ncols; c++) {
            cell *ce = &g->cells[i * g->ncols + c];
            cell_get(r, c, row, ce);
            size_t w = ce->null ? 4 : disp_width(ce->s, ce->len);
            if (w > BOX_CELL_MAX) w = BOX_CELL_MAX;
            if (w > g->width[c]) g->width[c] = w;
        }
    }
    for (int c = 0; c < g->ncols; c++)
        if (g->width[c] == 0) g->width[c] = 1;
}

static void grid_free(grid *g) {
    for (int64_t i = 0; i < g->shown * g->ncols; i++) free(g->cells[i].s);
    for (int c = 0; c < g->ncols; c++) free(g->types[c]);
    free(g->cells);
    free(g->types);
    free(g->width);
    free(g->right);
}

static void box_rule(FILE *out, const grid *g, const char *l, const char *m, const char *r) {
    fputs(l, out);
    for (int c = 0; c < g->ncols; c++) {
        put_rep(out, "─", g->width[c] + 2);
        fputs(c + 1 < g->ncols ? m : r, out);
    }
    fputc('\n', out);
}

static void grid_row(FILE *out, const grid *g, int64_t i, const char *bar, bool ascii) {
    fputs(bar, out);
    for (int c = 0; c < g->ncols; c++) {
        const cell *ce = &g->cells[i * g->ncols + c];
        fputc(' ', out);
        if (ce->null) put_padded(out, "NULL", 4, g->width[c], g->right[c] ? 'r' : 'l', ascii);
        else put_padded(out, ce->s, ce->len, g->width[c], g->right[c] ? 'r' : 'l', ascii);
        fputc(' ', out);
        fputs(bar, out);
    }
    fputc('\n', out);
}

void render_box(FILE *out, const hy_result *r, int64_t max_rows) {
    grid g = {0};
    grid_build(&g, r, max_rows, true);
    if (g.ncols == 0) {
        fprintf(out, "(no columns)\n");
        grid_free(&g);
        return;
    }
    box_rule(out, &g, "┌", "┬", "┐");
    fputs("│", out);
    for (int c = 0; c < g.ncols; c++) {
        const char *n = hy_result_column_name(r, c);
        if (!n) n = "";
        fputc(' ', out);
        put_padded(out, n, strlen(n), g.width[c], 'c', false);
        fputs(" │", out);
    }
    fputc('\n', out);
    fputs("│", out);
    for (int c = 0; c < g.ncols; c++) {
        fputc(' ', out);
        put_padded(out, g.types[c], strlen(g.types[c]), g.width[c], 'c', false);
        fputs(" │", out);
    }
    fputc('\n', out);
    box_rule(out, &g, "├", "┼", "┤");
    for (int64_t i = 0; i < g.shown; i++) {
        if (i == g.head && g.head < g.shown) {
            fputs("│", out);
            for (int c = 0; c < g.ncols; c++) {
                fputc(' ', out);
                put_padded(out, "·", strlen("·"), g.width[c], 'c', false);
                fputs(" │", out);
            }
            fputc('\n', out);
        }
        grid_row(out, &g, i, "│", false);
    }
    if (g.nrows == 0) {
        /* an empty body row keeps the box readable */
        fputs("│", out);
        for (int c = 0; c < g.ncols; c++) {
            fputc(' ', out);
            put_padded(out, "", 0, g.width[c], 'l', false);
            fputs(" │", out);
        }
        fputc('\n', out);
    }
    box_rule(out, &g, "└", "┴", "┘");
    if (g.shown < g.nrows)
        fprintf(out, "%lld rows (%lld shown)\n", (long long)g.nrows, (long long)g.shown);
    else if (g.nrows == 0)
        fprintf(out, "0 rows\n");
    grid_free(&g);
}

static void render_table(FILE *out, const hy_result *r) {
    grid g = {0};
    grid_build(&g, r, 0, false);
    for (int c = 0; c < g.ncols; c++) {
        const char *n = hy_result_column_name(r, c);
        if (!n) n = "";
        if (c) fputs(" | ", out);
        put_padded(out, n, strlen(n), g.width[c], 'c', true);
    }
    fputc('\n', out);
    for (int c = 0; c < g.ncols; c++) {
        if (c) fputs("-+-", out);
        put_rep(out, "-", g.width[c]);
    }
    fputc('\n', out);
    for (int64_t i = 0; i < g.shown; i++) {
        for (int c = 0; c < g.ncols; c++) {
            const cell *ce = &g.cells[i * g.ncols + c];
            if (c) fputs(" | ", out);
            if (ce->null) put_padded(out, "NULL", 4, g.width[c], g.right[c] ? 'r' : 'l', true);
            else put_padded(out, ce->s, ce->len, g.width[c], g.right[c] ? 'r' : 'l', true);
        }
        fputc('\n', out);
    }
    grid_free(&g);
}

/* ---- csv --------------------------------------------------------------------------------- */

static void csv_field(FILE *out, const char *s, size_t len, bool force_quote) {
    bool q = force_quote || len == 0;
    for (size_t i = 0; i < len && !q; i++)
        if (s[i] == ',' || s[i] == '"' || s[i] == '\n' || s[i] == '\r') q = true;
    if (!q) {
        fwrite(s, 1, len, out);
        return;
    }
    fputc('"', out);
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '"') fputc('"', out);
        fputc(s[i], out);
    }
    fputc('"', out);
}

static void render_csv(FILE *out, const hy_result *r) {
    int nc = hy_result_column_count(r);
    for (int c = 0; c < nc; c++) {
        const char *n = hy_result_column_name(r, c);
        if (!n) n = "";
        if (c) fputc(',', out);
        csv_field(out, n, strlen(n), false);
    }
    fputc('\n', out);
    int64_t nr = hy_result_row_count(r);
    for (int64_t row = 0; row < nr; row++) {
        for (int c = 0; c < nc; c++) {
            if (c) fputc(',', out);
            if (hy_result_is_null(r, c, row)) continue; /* NULL: empty field */
            size_t len;
            char *s = format_alloc(r, c, row, &len);
            csv_field(out, s, len, false); /* the empty string is written as "" */
            free(s);
        }
        fputc('\n', out);
    }
}

/* ---- json -------------------------------------------------------------------------------- */

/* Length of a valid UTF-8 sequence at s (max n bytes), 0 if invalid. */
static size_t utf8_len(const unsigned char *s, size_t n) {
    unsigned char c = s[0];
    size_t need;
    uint32_t cp;
    if (c < 0x80) return 1;
    else if ((c & 0xE0) == 0xC0) { need = 2; cp = c & 0x1F; }
    else if ((c & 0xF0) == 0xE0) { need = 3; cp = c & 0x0F; }
    else if ((c & 0xF8) == 0xF0) { need = 4; cp = c & 0x07; }
    else return 0;
    if (need > n) return 0;
    for (size_t i = 1; i < need; i++) {
        if ((s[i] & 0xC0) != 0x80) return 0;
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    if ((need == 2 && cp < 0x80) || (need == 3 && cp < 0x800) || (need == 4 && cp < 0x10000) ||
        cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return need;
}

static void json_string(FILE *out, const char *s, size_t len) {
    fputc('"', out);
    for (size_t i = 0; i < len;) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\') { fputc('\\', out); fputc(c, out); i++; }
        else if (c == '\n') { fputs("\\n", out); i++; }
        else if (c == '\r') { fputs("\\r", out); i++; }
        else if (c == '\t') { fputs("\\t", out); i++; }
        else if (c < 0x20 || c == 0x7f) { fprintf(out, "\\u%04x", c); i++; }
        else {
            size_t n = utf8_len((const unsigned char *)s + i, len - i);
            if (n == 0) { fputs("\\ufffd", out); i++; } /* invalid byte */
            else { fwrite(s + i, 1, n, out); i += n; }
        }
    }
    fputc('"', out);
}

/* A JSON number per RFC 8259 (inf/nan are not). */
static bool is_json_number(const char *s) {
    const char *p = s;
    if (*p == '-') p++;
    if (*p == '0') p++;
    else if (*p >= '1' && *p <= '9') while (*p >= '0' && *p <= '9') p++;
    else return false;
    if (*p == '.') {
        p++;
        if (!(*p >= '0' && *p <= '9')) return false;
        while (*p >= '0' && *p <= '9') p++;
    }
    if (*p == 'e' || *p == 'E') {
        p++;
        if (*p == '+' || *p == '-') p++;
        if (!(*p >= '0' && *p <= '9')) return false;
        while (*p >= '0' && *p <= '9') p++;
    }
    return *p == 0;
}

/*
 * Object keys for the columns of r, unique so that the output is unambiguous JSON: a name
 * already used by an earlier column gets the first free suffix "_1", "_2", ... (exact,
 * case-sensitive comparison, as JSON keys compare). `SELECT 1 AS a, 2 AS a, 3 AS a_1` gives
 * keys a, a_1 and then a_1_1 for the third (its own name was taken by the second).
 */
static char **json_keys(const hy_result *r, int nc) {
    char **keys = calloc((size_t)(nc ? nc : 1), sizeof(char *));
    if (!keys) { fprintf(stderr, "Error: out of memory\n"); exit(1); }
    for (int c = 0; c < nc; c++) {
        const char *n = hy_result_column_name(r, c);
        if (!n) n = "";
        size_t cap = strlen(n) + 24;
        char *k = malloc(cap);
        if (!k) { fprintf(stderr, "Error: out of memory\n"); exit(1); }
        snprintf(k, cap, "%s", n);
        for (int suffix = 1;; suffix++) {
            bool taken = false;
            for (int j = 0; j < c && !taken; j++) taken = strcmp(keys[j], k) == 0;
            if (!taken) break;
            snprintf(k, cap, "%s_%d", n, suffix);
        }
        keys[c] = k;
    }
    return keys;
}

static void render_json(FILE *out, const hy_result *r) {
    int nc = hy_result_column_count(r);
    int64_t nr = hy_result_row_count(r);
    char **keys = json_keys(r, nc);
    fputc('[', out);
    for (int64_t row = 0; row < nr; row++) {
        fputs(row ? ",{" : "{", out);
        for (int c = 0; c < nc; c++) {
            const char *n = keys[c];
            if (c) fputc(',', out);
            json_string(out, n, strlen(n));
            fputc(':', out);
            if (hy_result_is_null(r, c, row)) { fputs("null", out); continue; }
            hy_type t = hy_result_column_type(r, c);
            if (t == HY_TYPE_BOOLEAN) {
                fputs(hy_result_int64(r, c, row) ? "true" : "false", out);
                continue;
            }
            size_t len;
            char *s = format_alloc(r, c, row, &len);
            if (is_numeric(t) && is_json_number(s)) fputs(s, out);
            else json_string(out, s, len); /* dates, strings, inf/nan */
            free(s);
        }
        fputc('}', out);
    }
    fputs("]\n", out);
    for (int c = 0; c < nc; c++) free(keys[c]);
    free(keys);
}

/* ---- entry ------------------------------------------------------------------------------- */

void render_result(FILE *out, const hy_result *r, shell_mode mode) {
    switch (hy_result_kind_of(r)) {
    case HY_RESULT_NONE:
        return;
    case HY_RESULT_TEXT: {
        const char *t = hy_result_text(r);
        if (t) {
            fputs(t, out);
            size_t n = strlen(t);
            if (n == 0 || t[n - 1] != '\n') fputc('\n', out);
        }
        return;
    }
    case HY_RESULT_ROWS:
        break;
    }
    switch (mode) {
    case MODE_BOX: render_box(out, r, 40); break;
    case MODE_TABLE: render_table(out, r); break;
    case MODE_CSV: render_csv(out, r); break;
    case MODE_JSON: render_json(out, r); break;
    }
}
