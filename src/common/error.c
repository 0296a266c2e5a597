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

/* Offsets past the end of the text are clamped to the terminating NUL, so a position "at end
 * of input" is still reported on the last line. */
void hy_text_position(const char *text, size_t offset, int *line, int *col) {
    int l = 1;
    size_t line_start = 0, i = 0;
    for (; i < offset && text[i] != '\0'; i++) {
        if (text[i] == '\n') {
            l++;
            line_start = i + 1;
        }
    }
    *line = l;
    *col = (int)(i - line_start) + 1;
}
