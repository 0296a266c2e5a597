/* Sticky error object (see error.h). */
#include "common/error.h"

#include <stdio.h>
#include <string.h>

void hy_error_clear(hy_error *e) {
    e->code = HY_E_OK;
    e->line = 0;
    e->col = 0;
    e->msg[0] = '\0';
}

static void error_vset(hy_error *e, hy_errcode code, int line, int col, const char *fmt,
                       va_list ap) {
    size_t off = 0;
    e->code = code == HY_E_OK ? HY_E_INTERNAL : code;
    e->line = line;
    e->col = col;
    if (line > 0) {
        int k = snprintf(e->msg, sizeof e->msg, "line %d:%d: ", line, col);
        off = k > 0 && (size_t)k < sizeof e->msg ? (size_t)k : 0;
    }
    vsnprintf(e->msg + off, sizeof e->msg - off, fmt, ap);
}

bool hy_error_set(hy_error *e, hy_errcode code, const char *fmt, ...) {
    if (hy_failed(e)) return false;
    va_list ap;
    va_start(ap, fmt);
    error_vset(e, code, 0, 0, fmt, ap);
    va_end(ap);
    return false;
}

bool hy_error_at(hy_error *e, hy_errcode code, const char *text, size_t offset, const char *fmt,
                 ...) {
    if (hy_failed(e)) return false;
    int line = 1, col = 1;
    if (text) hy_text_position(text, offset, &line, &col);
    va_list ap;
    va_start(ap, fmt);
    error_vset(e, code, line, col, fmt, ap);
    va_end(ap);
    return false;
}

/* Columns count characters (UTF-8 code points, as PostgreSQL does): a lead byte and the
 * continuation bytes it announces are one character; any other byte (a stray continuation
 * byte, an invalid lead byte) counts as one character of its own. Offsets past the end of
 * the text are clamped to the terminating NUL, so a position "at end of input" is still
 * reported on the last line. */
void hy_text_position(const char *text, size_t offset, int *line, int *col) {
    int l = 1, c = 1;
    size_t i = 0;
    while (i < offset && text[i] != '\0') {
        unsigned char b = (unsigned char)text[i];
        if (b == '\n') {
            l++;
            c = 1;
            i++;
            continue;
        }
        size_t n = b >= 0xC0 && b < 0xE0 ? 2 : b >= 0xE0 && b < 0xF0 ? 3 : b >= 0xF0 && b < 0xF8 ? 4 : 1;
        size_t k = 1;
        while (k < n && i + k < offset && ((unsigned char)text[i + k] & 0xC0) == 0x80) k++;
        i += k;
        c++;
    }
    *line = l;
    *col = c;
}
