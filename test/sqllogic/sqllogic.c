/*
 * hy-sqllogic: runs SQL logic test files (test/sql/<name>.test) through the public C API.
 *
 *   hy-sqllogic [--threads N] [--morsel-rows N] [-v] FILE...
 *
 * Each file gets a fresh in-memory database. Records (separated by blank lines):
 *
 *   # comment
 *   statement ok                 SQL must succeed
 *   statement error              SQL must fail; the optional lines after `----` are a
 *   ----                         substring the error message must contain (joined by '\n')
 *   query <letters> [rowsort|nosort]
 *   SQL...                       one letter per result column; rows after `----` are
 *   ----                         tab-separated canonical text: NULL for NULL, (empty) for ''
 *   expected rows...
 *
 * A record may be preceded by `skipif variant` or `onlyif variant`: "variant" is true when
 * --threads or --morsel-rows was given (the second ctest run of every file). Skipped records
 * are counted and printed, never silently dropped. `halt` stops the file (counted too).
 *
 * Columns typed R are compared exactly first and then, if both sides parse as numbers, to a
 * relative tolerance of 1e-9 (so expected doubles computed by another engine still match).
 * Failures print file:line, the SQL, expected and actual; the exit status is 1 on any failure.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hyperion.h"

/* ---- small growable string / line list ------------------------------------------------- */

typedef struct buf {
    char *p;
    size_t len, cap;
} buf;

static void buf_add(buf *b, const char *s, size_t n) {
    if (b->len + n + 1 > b->cap) {
        size_t nc = b->cap ? b->cap * 2 : 256;
        while (nc < b->len + n + 1) nc *= 2;
        char *np = realloc(b->p, nc);
        if (!np) { fprintf(stderr, "hy-sqllogic: out of memory\n"); exit(2); }
        b->p = np;
        b->cap = nc;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = 0;
}
static void buf_adds(buf *b, const char *s) { buf_add(b, s, strlen(s)); }
static void buf_clear(buf *b) { b->len = 0; if (b->p) b->p[0] = 0; }

typedef struct lines {
    char **v;
    int n, cap;
} lines;

static void lines_push(lines *l, const char *s) {
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 16;
        l->v = realloc(l->v, (size_t)l->cap * sizeof *l->v);
        if (!l->v) { fprintf(stderr, "hy-sqllogic: out of memory\n"); exit(2); }
    }
    l->v[l->n++] = strdup(s);
}
static void lines_free(lines *l) {
    for (int i = 0; i < l->n; i++) free(l->v[i]);
    free(l->v);
    l->v = NULL;
    l->n = l->cap = 0;
}
static int cmp_str(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* ---- file reading ------------------------------------------------------------------------ */

typedef struct src {
    const char *path;
    lines all; /* every line of the file, without '\n' / '\r' */
    int pos;   /* next line index (0-based) */
} src;

static bool src_load(src *s, const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "%s: cannot open: %s\n", path, strerror(errno));
        return false;
    }
    s->path = path;
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    while ((n = getline(&line, &cap, f)) >= 0) {
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r')) line[--n] = 0;
        lines_push(&s->all, line);
    }
    free(line);
    fclose(f);
    return true;
}

static bool is_blank(const char *l) {
    for (; *l; l++)
        if (!isspace((unsigned char)*l)) return false;
    return true;
}

/* ---- one run ----------------------------------------------------------------------------- */

typedef struct runner {
    hy_options opts;
    bool variant; /* --threads/--morsel-rows given */
    bool verbose;
    int failures, passed, skipped;
} runner;

/* The canonical text of one cell as the test format spells it. */
static void cell_text(const hy_result *r, int c, int64_t row, buf *out) {
    if (hy_result_is_null(r, c, row)) { buf_adds(out, "NULL"); return; }
    char small[128];
    size_t n = hy_result_format(r, c, row, small, sizeof small);
    if (n == 0) { buf_adds(out, "(empty)"); return; }
    if (n < sizeof small) { buf_add(out, small, n); return; }
    char *big = malloc(n + 1);
    if (!big) { fprintf(stderr, "hy-sqllogic: out of memory\n"); exit(2); }
    hy_result_format(r, c, row, big, n + 1);
    buf_add(out, big, n);
    free(big);
}

static bool parse_num(const char *s, double *out) {
    char *end;
    errno = 0;
    if (!*s) return false;
    double v = strtod(s, &end);
    if (*end) return false;
    *out = v;
    return true;
}

static bool cell_equal(const char *exp, const char *act, char letter) {
    if (strcmp(exp, act) == 0) return true;
    if (letter != 'R') return false;
    double a, b;
    if (!parse_num(exp, &a) || !parse_num(act, &b)) return false;
    if (isnan(a) && isnan(b)) return true;
    if (a == b) return true;
    double scale = fmax(fabs(a), fabs(b));
    return fabs(a - b) <= 1e-9 * scale;
}

/* Compare one row given as tab-separated text with per-column letters. */
static bool row_equal(const char *exp, const char *act, const char *letters) {
    if (strcmp(exp, act) == 0) return true;
    int ncol = (int)strlen(letters);
    const char *e = exp, *a = act;
    for (int c = 0; c < ncol; c++) {
        const char *et = strchr(e, '\t'), *at = strchr(a, '\t');
        size_t el = et ? (size_t)(et - e) : strlen(e);
        size_t al = at ? (size_t)(at - a) : strlen(a);
        char *es = strndup(e, el), *as = strndup(a, al);
        bool ok = cell_equal(es, as, letters[c]);
        free(es);
        free(as);
        if (!ok) return false;
        if (c + 1 < ncol) {
            if (!et || !at) return false; /* fewer cells than letters */
            e = et + 1;
            a = at + 1;
        } else if (et || at) {
            return false; /* more cells than letters */
        }
    }
    return true;
}

static void fail_header(runner *R, const src *s, int line, const char *what, const char *sql) {
    R->failures++;
    fprintf(stderr, "%s:%d: FAIL: %s\n", s->path, line, what);
    fprintf(stderr, "  SQL: ");
    for (const char *p = sql; *p; p++) {
        fputc(*p, stderr);
        if (*p == '\n') fprintf(stderr, "       ");
    }
    fputc('\n', stderr);
}

static void print_rows(const char *title, char **v, int n) {
    fprintf(stderr, "  %s (%d row%s):\n", title, n, n == 1 ? "" : "s");
    for (int i = 0; i < n; i++) fprintf(stderr, "    %s\n", v[i]);
}

/* Run a `statement ok|error` record. */
static void run_statement(runner *R, hy_db *db, const src *s, int line, bool want_ok,
                          const char *sql, const char *expect_msg) {
    hy_result *res = NULL;
    hy_status st = hy_exec(db, sql, &res);
    if (res) hy_result_free(res);
    if (want_ok) {
        if (st != HY_OK) {
            fail_header(R, s, line, "statement should succeed", sql);
            fprintf(stderr, "  error: %s\n", hy_errmsg(db));
            return;
        }
    } else {
        if (st == HY_OK) {
            fail_header(R, s, line, "statement should fail", sql);
            if (expect_msg && *expect_msg) fprintf(stderr, "  expected error containing: %s\n", expect_msg);
            return;
        }
        const char *msg = hy_errmsg(db);
        if (!msg || !*msg) {
            fail_header(R, s, line, "statement failed with an empty error message", sql);
            return;
        }
        if (expect_msg && *expect_msg && !strstr(msg, expect_msg)) {
            fail_header(R, s, line, "wrong error message", sql);
            fprintf(stderr, "  expected substring: %s\n  actual error:       %s\n", expect_msg, msg);
            return;
        }
    }
    R->passed++;
}

static void run_query(runner *R, hy_db *db, const src *s, int line, const char *letters,
                      bool rowsort, const char *sql, lines *expected) {
    hy_result *res = NULL;
    if (hy_exec(db, sql, &res) != HY_OK) {
        fail_header(R, s, line, "query failed", sql);
        fprintf(stderr, "  error: %s\n", hy_errmsg(db));
        return;
    }
    if (!res) {
        fail_header(R, s, line, "query returned no result", sql);
        return;
    }
    lines actual = {0};
    buf b = {0};
    hy_result_kind kind = hy_result_kind_of(res);
    int ncol = (int)strlen(letters);
    if (kind == HY_RESULT_TEXT) {
        /* EXPLAIN: each line of the text is a one-column row. */
        const char *t = hy_result_text(res);
        while (t && *t) {
            const char *nl = strchr(t, '\n');
            size_t n = nl ? (size_t)(nl - t) : strlen(t);
            buf_clear(&b);
            buf_add(&b, t, n);
            lines_push(&actual, b.p);
            t = nl ? nl + 1 : t + n;
        }
    } else if (kind == HY_RESULT_ROWS) {
        int rc = hy_result_column_count(res);
        if (rc != ncol) {
            fail_header(R, s, line, "wrong column count", sql);
            fprintf(stderr, "  expected %d column(s) (query %s), got %d\n", ncol, letters, rc);
            hy_result_free(res);
            free(b.p);
            return;
        }
        int64_t nrows = hy_result_row_count(res);
        for (int64_t r = 0; r < nrows; r++) {
            buf_clear(&b);
            for (int c = 0; c < rc; c++) {
                if (c) buf_add(&b, "\t", 1);
                cell_text(res, c, r, &b);
            }
            lines_push(&actual, b.p ? b.p : "");
        }
    } else {
        fail_header(R, s, line, "query produced no result set", sql);
        hy_result_free(res);
        free(b.p);
        return;
    }
    hy_result_free(res);
    free(b.p);

    if (rowsort) {
        qsort(actual.v, (size_t)actual.n, sizeof *actual.v, cmp_str);
        qsort(expected->v, (size_t)expected->n, sizeof *expected->v, cmp_str);
    }
    bool ok = actual.n == expected->n;
    int first_bad = -1;
    for (int i = 0; ok && i < actual.n; i++) {
        if (!row_equal(expected->v[i], actual.v[i], kind == HY_RESULT_TEXT ? "T" : letters)) {
            ok = false;
            first_bad = i;
        }
    }
    if (!ok) {
        fail_header(R, s, line, "wrong result", sql);
        if (first_bad >= 0)
            fprintf(stderr, "  first difference at row %d%s:\n    expected: %s\n    actual:   %s\n",
                    first_bad + 1, rowsort ? " (after rowsort)" : "", expected->v[first_bad],
                    actual.v[first_bad]);
        print_rows("expected", expected->v, expected->n);
        print_rows("actual", actual.v, actual.n);
    } else {
        R->passed++;
    }
    lines_free(&actual);
}

/* Parse and run one file. */
static void run_file(runner *R, const char *path) {
    src s = {0};
    if (!src_load(&s, path)) { R->failures++; return; }
    hy_db *db = NULL;
    if (hy_open(&db, &R->opts) != HY_OK) {
        fprintf(stderr, "%s: hy_open failed\n", path);
        R->failures++;
        lines_free(&s.all);
        return;
    }
    int fail0 = R->failures, pass0 = R->passed, skip0 = R->skipped;
    buf sql = {0}, msg = {0};
    lines expected = {0};
    int skip_next = 0; /* 1: skip the next record */
    bool halted = false;
    while (s.pos < s.all.n && !halted) {
        const char *l = s.all.v[s.pos];
        int line = s.pos + 1;
        if (is_blank(l) || l[0] == '#') { s.pos++; continue; }
        if (strncmp(l, "skipif ", 7) == 0 || strncmp(l, "onlyif ", 7) == 0) {
            const char *cond = l + 7;
            while (*cond == ' ') cond++;
            bool val;
            if (strcmp(cond, "variant") == 0) val = R->variant;
            else {
                fprintf(stderr, "%s:%d: unknown condition '%s' (known: variant)\n", path, line, cond);
                R->failures++;
                halted = true;
                break;
            }
            if ((l[0] == 's' && val) || (l[0] == 'o' && !val)) skip_next = 1;
            s.pos++;
            continue;
        }
        if (strcmp(l, "halt") == 0) {
            int rest = 0;
            for (int i = s.pos + 1; i < s.all.n; i++)
                if (strncmp(s.all.v[i], "statement", 9) == 0 || strncmp(s.all.v[i], "query", 5) == 0) rest++;
            fprintf(stderr, "%s:%d: halt: %d remaining record(s) not run\n", path, line, rest);
            R->skipped += rest;
            halted = true;
            break;
        }
        bool is_stmt = strncmp(l, "statement ", 10) == 0;
        bool is_query = strncmp(l, "query ", 6) == 0;
        if (!is_stmt && !is_query) {
            fprintf(stderr, "%s:%d: cannot parse record header: %s\n", path, line, l);
            R->failures++;
            halted = true;
            break;
        }
        /* header */
        bool want_ok = false, rowsort = false;
        char letters[64] = {0};
        if (is_stmt) {
            const char *k = l + 10;
            while (*k == ' ') k++;
            if (strncmp(k, "ok", 2) == 0 && (k[2] == 0 || isspace((unsigned char)k[2]))) want_ok = true;
            else if (strncmp(k, "error", 5) == 0 && (k[5] == 0 || isspace((unsigned char)k[5]))) want_ok = false;
            else {
                fprintf(stderr, "%s:%d: expected 'statement ok' or 'statement error'\n", path, line);
                R->failures++;
                halted = true;
                break;
            }
        } else {
            const char *k = l + 6;
            while (*k == ' ') k++;
            size_t n = 0;
            while (k[n] && !isspace((unsigned char)k[n])) n++;
            if (n == 0 || n >= sizeof letters) {
                fprintf(stderr, "%s:%d: query needs column letters\n", path, line);
                R->failures++;
                halted = true;
                break;
            }
            memcpy(letters, k, n);
            k += n;
            while (*k == ' ') k++;
            if (strncmp(k, "rowsort", 7) == 0) rowsort = true;
            else if (*k && strncmp(k, "nosort", 6) != 0) {
                fprintf(stderr, "%s:%d: unknown query option '%s' (rowsort|nosort)\n", path, line, k);
                R->failures++;
                halted = true;
                break;
            }
        }
        s.pos++;
        /* SQL lines until blank line or ---- */
        buf_clear(&sql);
        bool sep = false;
        while (s.pos < s.all.n) {
            const char *t = s.all.v[s.pos];
            if (is_blank(t)) break;
            if (strcmp(t, "----") == 0) { sep = true; s.pos++; break; }
            if (sql.len) buf_add(&sql, "\n", 1);
            buf_adds(&sql, t);
            s.pos++;
        }
        if (sql.len == 0) {
            fprintf(stderr, "%s:%d: record without SQL\n", path, line);
            R->failures++;
            continue;
        }
        /* payload after ---- until blank line */
        lines_free(&expected);
        buf_clear(&msg);
        if (sep) {
            while (s.pos < s.all.n && !is_blank(s.all.v[s.pos])) {
                if (is_query) lines_push(&expected, s.all.v[s.pos]);
                else {
                    if (msg.len) buf_add(&msg, "\n", 1);
                    buf_adds(&msg, s.all.v[s.pos]);
                }
                s.pos++;
            }
        } else if (is_query) {
            fprintf(stderr, "%s:%d: query record needs a ---- line\n", path, line);
            R->failures++;
            continue;
        }
        if (skip_next) {
            skip_next = 0;
            R->skipped++;
            continue;
        }
        if (R->verbose) fprintf(stderr, "%s:%d: %s\n", path, line, l);
        if (is_stmt) run_statement(R, db, &s, line, want_ok, sql.p, msg.p);
        else run_query(R, db, &s, line, letters, rowsort, sql.p, &expected);
    }
    hy_close(db);
    lines_free(&expected);
    free(sql.p);
    free(msg.p);
    lines_free(&s.all);
    printf("%s: %d passed, %d failed, %d skipped%s\n", path, R->passed - pass0,
           R->failures - fail0, R->skipped - skip0, R->variant ? " (variant run)" : "");
}

static void usage(void) {
    fprintf(stderr, "usage: hy-sqllogic [--threads N] [--morsel-rows N] [-v] FILE...\n");
    exit(2);
}

int main(int argc, char **argv) {
    runner R = {0};
    int nfiles = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--threads") == 0 && i + 1 < argc) {
            R.opts.threads = atoi(argv[++i]);
            R.variant = true;
            if (R.opts.threads < 1) usage();
        } else if (strcmp(argv[i], "--morsel-rows") == 0 && i + 1 < argc) {
            R.opts.morsel_rows = strtoll(argv[++i], NULL, 10);
            R.variant = true;
            if (R.opts.morsel_rows < 1) usage();
        } else if (strcmp(argv[i], "-v") == 0) {
            R.verbose = true;
        } else if (argv[i][0] == '-') {
            usage();
        } else {
            nfiles++;
        }
    }
    if (nfiles == 0) usage();
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--threads") == 0 || strcmp(argv[i], "--morsel-rows") == 0) { i++; continue; }
        if (argv[i][0] == '-') continue;
        run_file(&R, argv[i]);
    }
    if (R.passed == 0 && R.failures == 0 && R.skipped == 0) {
        fprintf(stderr, "hy-sqllogic: no records ran\n");
        return 1;
    }
    return R.failures ? 1 : 0;
}
