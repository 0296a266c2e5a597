/* CSV writer (COPY ... TO): buffered, RFC 4180 quoting only where needed, NULL as an empty
 * field, empty strings as "", values in canonical text, LF line ends. */
#include "storage/storage.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CSVW_BUF (1u << 20)

struct hy_csv_writer {
    int fd;
    char *path;
    char *buf;
    size_t len;
    char delim, quote;
    int io_errno; /* first write error, 0 if none */
};

static void w_flush(hy_csv_writer *w) {
    size_t off = 0;
    while (off < w->len && !w->io_errno) {
        ssize_t k = write(w->fd, w->buf + off, w->len - off);
        if (k < 0) {
            if (errno == EINTR) continue;
            w->io_errno = errno;
        } else {
            off += (size_t)k;
        }
    }
    w->len = 0;
}

static inline void w_room(hy_csv_writer *w, size_t n) {
    if (w->len + n > CSVW_BUF) w_flush(w);
}

static void w_bytes(hy_csv_writer *w, const char *p, size_t n) {
    while (n) {
        w_room(w, 1);
        size_t k = CSVW_BUF - w->len;
        if (k > n) k = n;
        memcpy(w->buf + w->len, p, k);
        w->len += k;
        p += k;
        n -= k;
    }
}

/* A text field: quoted when empty or when it holds the delimiter, the quote or a line break. */
static void w_text(hy_csv_writer *w, const char *p, size_t n) {
    bool q = n == 0;
    for (size_t i = 0; i < n && !q; i++)
        q = p[i] == w->delim || p[i] == w->quote || p[i] == '\n' || p[i] == '\r';
    if (!q) {
        w_bytes(w, p, n);
        return;
    }
    w_bytes(w, &w->quote, 1);
    size_t st = 0;
    for (size_t i = 0; i < n; i++) {
        if (p[i] == w->quote) {
            w_bytes(w, p + st, i + 1 - st); /* includes the quote, then doubles it */
            w_bytes(w, &w->quote, 1);
            st = i + 1;
        }
    }
    w_bytes(w, p + st, n - st);
    w_bytes(w, &w->quote, 1);
}

hy_csv_writer *hy_csv_writer_open(const char *path, const hy_csv_options *opt, hy_error *err) {
    char delim = opt && opt->delimiter ? opt->delimiter : ',';
    char quote = opt && opt->quote ? opt->quote : '"';
    if (delim == quote || delim == '\n' || delim == '\r' || quote == '\n' || quote == '\r') {
        hy_error_set(err, HY_E_DATA, "invalid CSV options: delimiter and quote must be distinct "
                                     "and not line breaks");
        return NULL;
    }
    hy_csv_writer *w = calloc(1, sizeof *w);
    if (!w || !(w->buf = malloc(CSVW_BUF)) || !(w->path = malloc(strlen(path) + 1))) {
        if (w) free(w->buf);
        free(w);
        hy_error_set(err, HY_E_NOMEM, "out of memory");
        return NULL;
    }
    strcpy(w->path, path);
    w->fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (w->fd < 0) {
        hy_error_set(err, HY_E_IO, "could not open file \"%s\" for writing: %s", path,
                     strerror(errno));
        free(w->path);
        free(w->buf);
        free(w);
        return NULL;
    }
    w->delim = delim;
    w->quote = quote;
    return w;
}

bool hy_csv_write_header(hy_csv_writer *w, int ncols, const char *const *names) {
    for (int c = 0; c < ncols; c++) {
        if (c) w_bytes(w, &w->delim, 1);
        const char *n = names[c] ? names[c] : "";
        w_text(w, n, strlen(n));
    }
    w_bytes(w, "\n", 1);
    return w->io_errno == 0;
}

bool hy_csv_write_rows(hy_csv_writer *w, int ncols, const hy_vec *cols, int64_t n) {
    char tmp[64];
    for (int64_t r = 0; r < n && !w->io_errno; r++) {
        for (int c = 0; c < ncols; c++) {
            if (c) {
                w_room(w, 1);
                w->buf[w->len++] = w->delim;
            }
            const hy_vec *v = &cols[c];
            if (!hy_valid_get(v->validity, r)) continue;
            int k = 0;
            switch (v->type.id) {
            case HY_TYPE_BOOLEAN:
                k = ((const uint8_t *)v->data)[r] ? 4 : 5;
                memcpy(tmp, k == 4 ? "true" : "false", (size_t)k);
                break;
            case HY_TYPE_INTEGER: k = hy_i64_format(((const int32_t *)v->data)[r], tmp); break;
            case HY_TYPE_BIGINT: k = hy_i64_format(((const int64_t *)v->data)[r], tmp); break;
            case HY_TYPE_DOUBLE:
                k = hy_double_format(((const double *)v->data)[r], tmp, sizeof tmp);
                break;
            case HY_TYPE_DATE: k = hy_date_format(((const int32_t *)v->data)[r], tmp); break;
            case HY_TYPE_DECIMAL:
                k = hy_dec_format(hy_dec_is_wide(v->type) ? ((const hy_i128 *)v->data)[r]
                                                          : (hy_i128)((const int64_t *)v->data)[r],
                                  v->type.scale, tmp, sizeof tmp);
                break;
            case HY_TYPE_VARCHAR: {
                hy_str s = ((const hy_str *)v->data)[r];
                w_text(w, s.ptr, s.len);
                continue;
            }
            default: continue;
            }
            w_room(w, (size_t)k + 1);
            memcpy(w->buf + w->len, tmp, (size_t)k);
            w->len += (size_t)k;
        }
        w_room(w, 1);
        w->buf[w->len++] = '\n';
    }
    return w->io_errno == 0;
}

bool hy_csv_writer_close(hy_csv_writer *w, hy_error *err) {
    if (!w) return true;
    w_flush(w);
    if (close(w->fd) != 0 && !w->io_errno) w->io_errno = errno;
    bool ok = w->io_errno == 0;
    if (!ok)
        hy_error_set(err, HY_E_IO, "could not write to file \"%s\": %s", w->path,
                     strerror(w->io_errno));
    free(w->path);
    free(w->buf);
    free(w);
    return ok;
}
