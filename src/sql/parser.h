/*
 * Recursive-descent SQL parser (statements in parser.c, expressions with precedence climbing
 * in parser_expr.c). Parses only: no catalog access, no typing.
 */
#ifndef HY_SQL_PARSER_H
#define HY_SQL_PARSER_H

#include <stddef.h>

#include "common/arena.h"
#include "common/error.h"
#include "sql/ast.h"

/*
 * Parse the next statement of `text` starting at *offset. The text ends at `len` bytes (pass
 * SIZE_MAX for a NUL-terminated string); a NUL byte before an explicit `len` is the error
 * "line L:C: invalid NUL byte", and the statements after it can still be parsed.
 * Returns 1 with *out set, 0 if only whitespace/comments/empty statements remain, -1 on a
 * syntax error (err set, "line L:C: ..." relative to the whole text). In every case *offset
 * moves past the statement's ';' (or to the end of the text).
 */
int hy_parse_next(const char *text, size_t len, size_t *offset, hy_arena *a, hy_ast_stmt **out,
                  hy_error *err);

#endif
