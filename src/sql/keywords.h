/*
 * SQL keywords: the one list the lexer, parser and error printers are generated from.
 *
 * _(ID, "spelling", class)
 *   R = reserved: never an unquoted column/table name or alias (FROM, WHERE, AND, ...).
 *   U = unreserved: a keyword only where the grammar expects it, an identifier elsewhere
 *       (DATE, YEAR, HEADER, ... so `CREATE TABLE t(date DATE, year INTEGER)` works).
 * Type names (INTEGER, VARCHAR, ...) are not keywords at all: they are identifiers that the
 * type parser looks up (sql/parser.c).
 */
#ifndef HY_SQL_KEYWORDS_H
#define HY_SQL_KEYWORDS_H

#define HY_KEYWORDS(_)            \
    _(ALL, "all", R)              \
    _(ANALYZE, "analyze", U)      \
    _(AND, "and", R)              \
    _(ANY, "any", R)              \
    _(AS, "as", R)                \
    _(ASC, "asc", R)              \
    _(BETWEEN, "between", R)      \
    _(BY, "by", R)                \
    _(CALL, "call", U)            \
    _(CASE, "case", R)            \
    _(CAST, "cast", R)            \
    _(COPY, "copy", U)            \
    _(CREATE, "create", R)        \
    _(CROSS, "cross", R)          \
    _(DATE, "date", U)            \
    _(DAY, "day", U)              \
    _(DAYS, "days", U)            \
    _(DEFAULT, "default", R)      \
    _(DESC, "desc", R)            \
    _(DISTINCT, "distinct", R)    \
    _(DROP, "drop", U)            \
    _(ELSE, "else", R)            \
    _(END, "end", R)              \
    _(EXCEPT, "except", R)        \
    _(EXISTS, "exists", U)        \
    _(EXPLAIN, "explain", U)      \
    _(EXTRACT, "extract", U)      \
    _(FALSE, "false", R)          \
    _(FETCH, "fetch", R)          \
    _(FIRST, "first", U)          \
    _(FOR, "for", R)              \
    _(FORMAT, "format", U)        \
    _(FROM, "from", R)            \
    _(FULL, "full", R)            \
    _(GROUP, "group", R)          \
    _(HAVING, "having", R)        \
    _(IF, "if", U)                \
    _(ILIKE, "ilike", R)          \
    _(IN, "in", R)                \
    _(INNER, "inner", R)          \
    _(INSERT, "insert", U)        \
    _(INTERSECT, "intersect", R)  \
    _(INTERVAL, "interval", U)    \
    _(INTO, "into", R)            \
    _(IS, "is", R)                \
    _(ISNULL, "isnull", R)        \
    _(JOIN, "join", R)            \
    _(LAST, "last", U)            \
    _(LEFT, "left", R)            \
    _(LIKE, "like", R)            \
    _(LIMIT, "limit", R)          \
    _(MONTH, "month", U)          \
    _(MONTHS, "months", U)        \
    _(NATURAL, "natural", R)      \
    _(NOT, "not", R)              \
    _(NOTNULL, "notnull", R)      \
    _(NULL, "null", R)            \
    _(NULLS, "nulls", U)          \
    _(OFFSET, "offset", R)        \
    _(ON, "on", R)                \
    _(OR, "or", R)                \
    _(ORDER, "order", R)          \
    _(OUTER, "outer", R)          \
    _(PRIMARY, "primary", R)      \
    _(RIGHT, "right", R)          \
    _(ROW, "row", U)              \
    _(ROWS, "rows", U)            \
    _(SELECT, "select", R)        \
    _(SUBSTRING, "substring", U)  \
    _(TABLE, "table", R)          \
    _(THEN, "then", R)            \
    _(TO, "to", R)                \
    _(TRUE, "true", R)            \
    _(UNION, "union", R)          \
    _(USING, "using", R)          \
    _(VALUES, "values", U)        \
    _(WHEN, "when", R)            \
    _(WHERE, "where", R)          \
    _(WINDOW, "window", R)        \
    _(WITH, "with", R)            \
    _(YEAR, "year", U)            \
    _(YEARS, "years", U)

typedef enum hy_keyword {
    HY_KW_NONE = 0,
#define HY_KW_ENUM(id, s, cls) HY_KW_##id,
    HY_KEYWORDS(HY_KW_ENUM)
#undef HY_KW_ENUM
    HY_KW__COUNT
} hy_keyword;

#endif
