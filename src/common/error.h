/* Sticky errors: every context object embeds one hy_error. The first error wins until the
 * owner clears it (statement boundary); later errors are ignored so the root cause survives. */
#ifndef HY_COMMON_ERROR_H
#define HY_COMMON_ERROR_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

typedef enum hy_errcode {
    HY_E_OK = 0,
    HY_E_SYNTAX,    /* malformed SQL */
    HY_E_BIND,      /* unknown table/column/function, ambiguous name */
    HY_E_TYPE,      /* type mismatch, bad cast */
    HY_E_RANGE,     /* overflow, value out of range for its type */
    HY_E_DIVZERO,   /* division by zero */
    HY_E_IO,        /* file missing/unreadable/unwritable */
    HY_E_DATA,      /* bad CSV row, bad literal in data */
    HY_E_CONSTRAINT,/* NOT NULL violated, table exists */
    HY_E_NOMEM,
    HY_E_INTERRUPT,
    HY_E_INTERNAL
} hy_errcode;

typedef struct hy_error {
    hy_errcode code;
    int line, col;  /* 1-based SQL position, 0 if none */
    char msg[600];  /* full message, already prefixed with "line L:C: " when positioned */
} hy_error;

static inline bool hy_failed(const hy_error *e) { return e->code != HY_E_OK; }
void hy_error_clear(hy_error *e);
/* Set the error unless one is already set. Returns false (so `return hy_error_set(...)` works
 * in bool functions). */
bool hy_error_set(hy_error *e, hy_errcode code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Same, with a source position computed from a byte offset into the statement text. */
bool hy_error_at(hy_error *e, hy_errcode code, const char *text, size_t offset, const char *fmt,
                 ...) __attribute__((format(printf, 5, 6)));
/* Byte offset -> 1-based line and column. Columns count characters (UTF-8 code points,
 * PostgreSQL semantics), not bytes; a byte that is not valid UTF-8 counts as one character. */
void hy_text_position(const char *text, size_t offset, int *line, int *col);

#endif
