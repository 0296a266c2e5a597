/*
 * CSV reader (RFC 4180): COPY t FROM 'file'.
 *
 * The file is read in big blocks into one buffer. Rows are parsed in two steps: first the
 * field boundaries of one complete record are found (without modifying the buffer, so a
 * record cut by the end of the buffer is simply parsed again after a refill), then each field
 * is converted straight into the column vectors of the current batch. VARCHAR values point
 * into the buffer (quoted fields with doubled quotes are unescaped in place), so the batch is
 * appended to the table (which copies the strings) before the buffer is refilled, and
 * whenever it is full. A table mark taken at the start makes the load all-or-nothing.
 *
 * Rules: empty unquoted field = NULL; "" = empty string (an error for non-text columns);
 * records end at LF, CRLF or a lone CR; a quote inside an unquoted field is a literal
 * character; a UTF-8 BOM at the start is skipped; an empty line is a NULL row for a
 * one-column table and is ignored otherwise; line numbers in errors are physical lines (the
 * line where the record starts; the header is line 1).
 */
#include "storage/storage.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define CSV_BLOCK (4u << 20)
#define CSV_BATCH 32768

typedef struct csv_field {
    uint32_t start, len; /* offsets into the buffer */
    bool quoted, escaped;
} csv_field;

typedef struct csv_state {
    hy_table *t;
    const char *path;
    int fd;
    char *buf;        /* cap + 1 bytes; buf[len] is a '\n' sentinel */
    size_t cap, len, pos;
    bool eof;
    uint64_t file_size, file_read;
    int64_t line;     /* physical line at pos */
    char delim, quote;
    uint8_t special[256]; /* unquoted field ends: delimiter, LF, CR */
    csv_field *fields;
    int nfields;      /* fields of the current record (counted past ncols too) */
    /* batch */
    hy_vec *vecs;
    int64_t nb;
    int64_t loaded;
    hy_error *err;
    const atomic_int *interrupt; /* may be NULL */
} csv_state;

enum { ROW_OK, ROW_END, ROW_MORE, ROW_ERR };

static bool csv_fail(csv_state *s, int64_t line, hy_errcode code, const char *fmt, const char *a,
                     const char *b) {
    char what[400];
    snprintf(what, sizeof what, fmt, a, b);
    return hy_error_set(s->err, code, "%s:%lld: %s", s->path, (long long)line, what);
}

/* Find the fields of the record at s->pos. ROW_MORE: the record is cut by the end of the
 * buffer (nothing consumed). On ROW_OK, *next is the offset after the record terminator and
 * *lines the number of line breaks consumed. */
static int csv_scan_record(csv_state *s, size_t *next, int64_t *lines) {
    const char *b = s->buf;
    size_t p = s->pos, end = s->len;
    int ncols = s->t->ncols;
    int64_t nl = 0;
    s->nfields = 0;
    if (p == end) return s->eof ? ROW_END : ROW_MORE;
    for (;;) {
        csv_field f = {0, 0, false, false};
        if (p < end && b[p] == s->quote) {
            f.quoted = true;
            p++;
            f.start = (uint32_t)p;
            for (;;) {
                while (b[p] != s->quote && b[p] != '\n') p++; /* sentinel at b[end] */
                if (p == end) {
                    if (!s->eof) return ROW_MORE;
                    csv_fail(s, s->line, HY_E_DATA, "unterminated quoted field%s%s", "", "");
                    return ROW_ERR;
                }
                if (b[p] == '\n') {
                    nl++;
                    p++;
                    continue;
                }
                /* a quote: doubled (escaped) or closing */
                if (p + 1 == end && !s->eof) return ROW_MORE;
                if (p + 1 < end && b[p + 1] == s->quote) {
                    f.escaped = true;
                    p += 2;
                    continue;
                }
                break;
            }
            f.len = (uint32_t)(p - f.start);
            p++;
            if (p < end && b[p] != s->delim && b[p] != '\n' && b[p] != '\r') {
                const char *cname = s->nfields < ncols ? s->t->cols[s->nfields].name : "?";
                csv_fail(s, s->line + nl, HY_E_DATA,
                         "column %s: unexpected character after closing quote%s", cname, "");
                return ROW_ERR;
            }
        } else {
            f.start = (uint32_t)p;
            while (!s->special[(uint8_t)b[p]]) p++; /* sentinel '\n' at b[end] */
            f.len = (uint32_t)(p - f.start);
        }
        if (s->nfields < ncols + 1) s->fields[s->nfields] = f;
        s->nfields++;
        if (p == end) {
            if (!s->eof) return ROW_MORE;
            break;
        }
        char c = b[p];
        if (c == s->delim) {
            p++;
            continue;
        }
        if (c == '\n') {
            p++;
        } else { /* '\r' */
            if (p + 1 == end && !s->eof) return ROW_MORE;
            p += (p + 1 < end && b[p + 1] == '\n') ? 2 : 1;
        }
        nl++;
        break;
    }
    *next = p;
    *lines = nl;
    return ROW_OK;
}

/* Remove doubled quotes in place; returns the new length. */
static uint32_t csv_unescape(char *p, uint32_t n, char q) {
    uint32_t o = 0;
    for (uint32_t i = 0; i < n; i++) {
        p[o++] = p[i];
        if (p[i] == q && i + 1 < n && p[i + 1] == q) i++;
    }
    return o;
}

static bool csv_convert(csv_state *s, int c, const csv_field *f) {
    hy_column *col = &s->t->cols[c];
    hy_vec *v = &s->vecs[c];
    int64_t r = s->nb;
    char *p = s->buf + f->start;
    uint32_t n = f->len;
    if (!f->quoted && n == 0) {
        if (col->not_null) {
            char msg[300];
            snprintf(msg, sizeof msg,
                     "null value in column \"%s\" of table \"%s\" violates not-null constraint",
                     col->name, s->t->name);
            return csv_fail(s, s->line, HY_E_CONSTRAINT, "%s%s", msg, "");
        }
        hy_valid_set(v->validity, r, false);
        if (col->type.id == HY_TYPE_VARCHAR) {
            hy_str e = {"", 0};
            ((hy_str *)v->data)[r] = e;
        }
        return true;
    }
    if (f->escaped) n = csv_unescape(p, n, s->quote);
    hy_valid_set(v->validity, r, true);
    hy_parse_status st = HY_PARSE_OK;
    switch (col->type.id) {
    case HY_TYPE_VARCHAR: {
        hy_str x = {p, n};
        ((hy_str *)v->data)[r] = x;
        return true;
    }
    case HY_TYPE_INTEGER: {
        int64_t x = 0;
        st = hy_parse_i64_st(p, n, &x);
        if (st == HY_PARSE_OK && (x < INT32_MIN || x > INT32_MAX)) st = HY_PARSE_RANGE;
        ((int32_t *)v->data)[r] = (int32_t)x;
        break;
    }
    case HY_TYPE_BIGINT: st = hy_parse_i64_st(p, n, &((int64_t *)v->data)[r]); break;
    case HY_TYPE_DECIMAL: {
        hy_i128 x = 0;
        st = hy_dec_parse_st(p, n, col->type.prec, col->type.scale, &x);
        if (hy_dec_is_wide(col->type)) ((hy_i128 *)v->data)[r] = x;
        else ((int64_t *)v->data)[r] = (int64_t)x;
        break;
    }
    case HY_TYPE_DATE:
        if (!hy_date_parse(p, n, &((int32_t *)v->data)[r])) st = HY_PARSE_SYNTAX;
        break;
    case HY_TYPE_DOUBLE: st = hy_parse_double_st(p, n, &((double *)v->data)[r]); break;
    case HY_TYPE_BOOLEAN: {
        bool x = false;
        if (!hy_parse_bool(p, n, &x)) st = HY_PARSE_SYNTAX;
        ((uint8_t *)v->data)[r] = x;
        break;
    }
    default: st = HY_PARSE_SYNTAX; break;
    }
    if (st == HY_PARSE_OK) return true;
    char tn[32], val[120], what[320];
    if (n > 100) snprintf(val, sizeof val, "%.100s...", p);
    else snprintf(val, sizeof val, "%.*s", (int)n, p);
    snprintf(what, sizeof what, "column %s: cannot convert \"%s\" to %s%s", col->name, val,
             hy_lt_name(col->type, tn, sizeof tn), st == HY_PARSE_RANGE ? " (out of range)" : "");
    return csv_fail(s, s->line, HY_E_DATA, "%s%s", what, "");
}

/* Polled once per block and once per batch; the caller's restore undoes what was loaded. */
static bool csv_check_interrupt(csv_state *s) {
    if (s->interrupt && atomic_load(s->interrupt))
        return hy_error_set(s->err, HY_E_INTERRUPT, "interrupted");
    return true;
}

static bool csv_flush(csv_state *s) {
    if (!csv_check_interrupt(s)) return false;
    if (s->nb == 0) return true;
    for (int c = 0; c < s->t->ncols; c++) s->vecs[c].n = s->nb;
    if (!hy_table_append(s->t, s->vecs, s->nb, s->err)) return false;
    s->loaded += s->nb;
    s->nb = 0;
    return true;
}

/* Move the unparsed tail to the front and read more. Appends the batch first, since its
 * strings point into the buffer. */
static bool csv_refill(csv_state *s) {
    if (!csv_flush(s)) return false;
    if (s->pos > 0) {
        memmove(s->buf, s->buf + s->pos, s->len - s->pos);
        s->len -= s->pos;
        s->pos = 0;
    }
    if (s->len == s->cap) {
        if (s->cap >= ((size_t)1 << 31))
            return hy_error_set(s->err, HY_E_DATA, "%s:%lld: record longer than 2 GB", s->path,
                                (long long)s->line);
        size_t ncap = s->cap * 2;
        char *nb = realloc(s->buf, ncap + 1);
        if (!nb) return hy_error_set(s->err, HY_E_NOMEM, "out of memory reading %s", s->path);
        s->buf = nb;
        s->cap = ncap;
    }
    while (s->len < s->cap) {
        ssize_t k = read(s->fd, s->buf + s->len, s->cap - s->len);
        if (k < 0) {
            if (errno == EINTR) continue;
            s->buf[s->len] = '\n';
            return hy_error_set(s->err, HY_E_IO, "could not read file \"%s\": %s", s->path,
                                strerror(errno));
        }
        if (k == 0) {
            s->eof = true;
            break;
        }
        s->len += (size_t)k;
        s->file_read += (uint64_t)k;
    }
    s->buf[s->len] = '\n';
    return true;
}

int64_t hy_csv_load(hy_table *t, const char *path, const hy_csv_options *opt,
                    hy_csv_progress_fn progress, void *ud, hy_error *err) {
    return hy_csv_load_intr(t, path, opt, NULL, progress, ud, err);
}

int64_t hy_csv_load_intr(hy_table *t, const char *path, const hy_csv_options *opt,
                         const atomic_int *interrupt, hy_csv_progress_fn progress, void *ud,
                         hy_error *err) {
    hy_csv_options o = {',', false, '"', 0};
    if (opt) o = *opt;
    if (!o.delimiter) o.delimiter = ',';
    if (!o.quote) o.quote = '"';
    if (o.delimiter == o.quote || o.delimiter == '\n' || o.delimiter == '\r' ||
        o.quote == '\n' || o.quote == '\r') {
        hy_error_set(err, HY_E_DATA, "invalid CSV options: delimiter and quote must be distinct "
                                     "and not line breaks");
        return -1;
    }
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        hy_error_set(err, HY_E_IO, "could not open file \"%s\" for reading: %s", path,
                     strerror(errno));
        return -1;
    }
    csv_state s;
    memset(&s, 0, sizeof s);
    s.t = t;
    s.path = path;
    s.fd = fd;
    s.err = err;
    s.interrupt = interrupt;
    s.line = 1;
    s.delim = o.delimiter;
    s.quote = o.quote;
    s.special[(uint8_t)s.delim] = s.special['\n'] = s.special['\r'] = 1;
    struct stat sb;
    if (fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode)) s.file_size = (uint64_t)sb.st_size;
    s.cap = o.block_bytes ? o.block_bytes : CSV_BLOCK;
    if (s.file_size && s.file_size < s.cap) s.cap = (size_t)s.file_size + 16;
    s.buf = malloc(s.cap + 1);
    s.fields = malloc(sizeof(csv_field) * (size_t)(t->ncols + 1));
    s.vecs = calloc((size_t)t->ncols, sizeof(hy_vec));
    hy_table_mark mark = hy_table_save(t);
    bool ok = s.buf && s.fields && s.vecs;
    for (int c = 0; ok && c < t->ncols; c++) {
        s.vecs[c].type = t->cols[c].type;
        s.vecs[c].data = malloc(CSV_BATCH * hy_lt_width(t->cols[c].type));
        s.vecs[c].validity = malloc(hy_valid_words(CSV_BATCH) * sizeof(uint64_t));
        ok = s.vecs[c].data && s.vecs[c].validity;
    }
    if (!ok) {
        hy_error_set(err, HY_E_NOMEM, "out of memory loading %s", path);
        goto done;
    }
    s.buf[0] = '\n';
    ok = csv_refill(&s);
    while (ok && s.len < 3 && !s.eof) ok = csv_refill(&s); /* tiny blocks: see the whole BOM */
    if (ok && s.len >= 3 && memcmp(s.buf, "\xEF\xBB\xBF", 3) == 0) s.pos = 3;
    bool header = o.header;
    double last_progress = 0;
    while (ok) {
        size_t next = 0;
        int64_t lines = 0;
        int rc = csv_scan_record(&s, &next, &lines);
        if (rc == ROW_MORE) {
            ok = csv_refill(&s);
            if (ok && progress && s.file_size) {
                double done = (double)s.file_read / (double)s.file_size;
                if (done - last_progress >= 0.01) {
                    progress(ud, done);
                    last_progress = done;
                }
            }
            continue;
        }
        if (rc == ROW_END) break;
        if (rc == ROW_ERR) {
            ok = false;
            break;
        }
        if (header) {
            header = false;
        } else if (s.nfields == 1 && !s.fields[0].quoted && s.fields[0].len == 0 && t->ncols > 1) {
            /* empty line: ignored for multi-column tables */
        } else if (s.nfields != t->ncols) {
            char a[32], b[32];
            snprintf(a, sizeof a, "%d", t->ncols);
            snprintf(b, sizeof b, "%d", s.nfields);
            ok = csv_fail(&s, s.line, HY_E_DATA, "expected %s fields, found %s", a, b);
            break;
        } else {
            for (int c = 0; c < t->ncols && ok; c++) ok = csv_convert(&s, c, &s.fields[c]);
            if (!ok) break;
            if (++s.nb == CSV_BATCH) ok = csv_flush(&s);
        }
        s.pos = next;
        s.line += lines;
    }
    if (ok) ok = csv_flush(&s);
    if (ok && progress) progress(ud, 1.0);
done:
    if (!ok) hy_table_restore(t, mark);
    if (s.vecs) {
        for (int c = 0; c < t->ncols; c++) {
            free(s.vecs[c].data);
            free(s.vecs[c].validity);
        }
    }
    free(s.vecs);
    free(s.fields);
    free(s.buf);
    close(fd);
    return ok ? s.loaded : -1;
}
