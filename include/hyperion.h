/*
 * hyperion.h — the public C API of Hyperion, an embeddable in-memory columnar SQL engine.
 *
 * This header is the manual. A minimal session:
 *
 *     hy_db *db;
 *     if (hy_open(&db, NULL) != HY_OK) { ... }           // in-memory database
 *     hy_result *r;
 *     if (hy_exec(db, "SELECT 42 AS answer", &r) != HY_OK) {
 *         fprintf(stderr, "Error: %s\n", hy_errmsg(db));
 *     } else {
 *         printf("%lld\n", (long long)hy_result_int64(r, 0, 0));
 *         hy_result_free(r);
 *     }
 *     hy_close(db);
 *
 * Conventions
 * - Functions that can fail return an hy_status. On failure the database keeps a sticky,
 *   human-readable message, retrieved with hy_errmsg(), until the next call that succeeds
 *   or fails. SQL errors name the position as "line L:C: " (1-based) at the start of that message
 *   and through hy_error_line()/hy_error_column().
 * - A failed statement changes nothing: a bad CSV row, an overflow or a division by zero in
 *   INSERT/COPY/CREATE TABLE AS leaves every table as it was.
 * - Results are fully materialized and owned by the caller until hy_result_free(). They stay
 *   valid while later statements run (even DROP TABLE of their source); free them before
 *   hy_close().
 * - Row and column indexes are 0-based. Getters do not convert between types except where
 *   stated; calling a getter on the wrong type or a NULL value returns 0 / NULL.
 * - A database handle must not be used by two threads at once. Distinct handles are
 *   independent.
 */
#ifndef HYPERION_H
#define HYPERION_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct hy_db hy_db;
typedef struct hy_result hy_result;

typedef enum hy_status {
    HY_OK = 0,
    HY_ERROR = 1, /* the statement failed; see hy_errmsg() */
    HY_DONE = 2   /* hy_exec_next(): no statement left in the text */
} hy_status;

/* Column types. DECIMAL carries a precision and scale (hy_result_column_precision/scale). */
typedef enum hy_type {
    HY_TYPE_NULL = 0, /* the type of a bare NULL literal column */
    HY_TYPE_BOOLEAN,
    HY_TYPE_INTEGER, /* 32-bit signed */
    HY_TYPE_BIGINT,  /* 64-bit signed */
    HY_TYPE_DOUBLE,
    HY_TYPE_DECIMAL, /* exact: precision <= 38; stored columns have precision <= 18 */
    HY_TYPE_DATE,    /* days since 1970-01-01 */
    HY_TYPE_VARCHAR
} hy_type;

/* What a statement produced. */
typedef enum hy_result_kind {
    HY_RESULT_NONE = 0, /* DDL, INSERT, COPY, CALL: no result set */
    HY_RESULT_ROWS,     /* a result set (SELECT) */
    HY_RESULT_TEXT      /* plain text (EXPLAIN, EXPLAIN (ANALYZE, FORMAT JSON)): print verbatim */
} hy_result_kind;

/* The largest useful hy_options.threads; larger values are clamped to it. */
#define HY_MAX_THREADS 256

/* Options for hy_open(). Zero-initialize, then set what you need; NULL means defaults. */
typedef struct hy_options {
    int threads;         /* worker threads for query execution; 0 = 1; at most HY_MAX_THREADS */
    int64_t morsel_rows; /* rows per morsel (zone-map granularity); 0 = 65536 */
} hy_options;

/* Open a new, empty in-memory database. */
hy_status hy_open(hy_db **out, const hy_options *opts);
/* Close the database and free every table. Passing NULL is a no-op. */
void hy_close(hy_db *db);

/* The sticky message of the last failed call on db ("" if none). */
const char *hy_errmsg(const hy_db *db);
/* Position of the last SQL error, 1-based; 0 when the error has no position. */
int hy_error_line(const hy_db *db);
int hy_error_column(const hy_db *db);

/*
 * Execute every statement in sql, separated by ';'. *out (may be NULL) receives the result of
 * the LAST statement; earlier results are discarded. Stops at the first failing statement.
 */
hy_status hy_exec(hy_db *db, const char *sql, hy_result **out);

/*
 * Execute the next statement of sql starting at byte *offset, and advance *offset past it.
 * Returns HY_DONE (with *out = NULL) when only whitespace/comments remain. Error positions
 * are reported relative to the whole sql text, so a shell can feed a whole file through
 * repeated calls and still report the right line. *out receives the statement's result,
 * whose kind tells whether it has rows; on HY_ERROR *offset is advanced past the failing
 * statement so a caller may continue.
 */
hy_status hy_exec_next(hy_db *db, const char *sql, size_t *offset, hy_result **out);

/*
 * Progress callback for long work (COPY of a large file, dbgen at a large sf, long queries):
 * called from the executing thread with done in [0,1] and a short label, at most ~10 times
 * a second. Set NULL to disable. The shell draws a bar only when stderr is a TTY.
 */
typedef void (*hy_progress_fn)(void *ud, double done, const char *label);
void hy_set_progress(hy_db *db, hy_progress_fn fn, void *ud);

/*
 * List the tables of db: *out receives a new HY_RESULT_ROWS result (free it with
 * hy_result_free) with one row per table, ordered by name (byte order), and two VARCHAR
 * columns:
 *   name  the table name;
 *   sql   a CREATE TABLE statement that re-creates the table's schema (not its rows), with
 *         column types and NOT NULL, ending in ';', e.g.
 *         "CREATE TABLE t(a INTEGER NOT NULL, d DECIMAL(15,2), s VARCHAR);".
 *         Names that would not read back unchanged unquoted are double-quoted.
 * An empty database gives zero rows. Fails only for NULL arguments.
 */
hy_status hy_tables(hy_db *db, hy_result **out);

/* Ask a running statement to stop at the next morsel boundary (safe from a signal handler). */
void hy_interrupt(hy_db *db);

/* ---- Results ---------------------------------------------------------------------------- */

hy_result_kind hy_result_kind_of(const hy_result *r);
/* HY_RESULT_TEXT: the text, NUL-terminated, ending in a newline. */
const char *hy_result_text(const hy_result *r);
/* Wall time of the statement in milliseconds. */
double hy_result_elapsed_ms(const hy_result *r);
/* Rows changed by INSERT/COPY/CREATE TABLE AS (0 otherwise). */
int64_t hy_result_changes(const hy_result *r);

int hy_result_column_count(const hy_result *r);
const char *hy_result_column_name(const hy_result *r, int col);
hy_type hy_result_column_type(const hy_result *r, int col);
int hy_result_column_precision(const hy_result *r, int col); /* DECIMAL only, else 0 */
int hy_result_column_scale(const hy_result *r, int col);     /* DECIMAL only, else 0 */
int64_t hy_result_row_count(const hy_result *r);

int hy_result_is_null(const hy_result *r, int col, int64_t row);
/* BOOLEAN (0/1), INTEGER, BIGINT, DATE (days since epoch). */
int64_t hy_result_int64(const hy_result *r, int col, int64_t row);
/* DOUBLE; also converts INTEGER/BIGINT/DECIMAL to double (inexact for large decimals). */
double hy_result_double(const hy_result *r, int col, int64_t row);
/* DECIMAL as the scaled integer (value * 10^scale). Returns HY_ERROR if it does not fit in
 * 64 bits (SUM results can be up to 38 digits: use hy_result_decimal_i128 then). */
hy_status hy_result_decimal_scaled(const hy_result *r, int col, int64_t row, int64_t *out);
/* DECIMAL as a 128-bit two's-complement scaled integer split into hi/lo halves. */
void hy_result_decimal_i128(const hy_result *r, int col, int64_t row, int64_t *hi, uint64_t *lo);
/* DATE as days since 1970-01-01 (same as hy_result_int64) and as y/m/d. */
int32_t hy_result_date(const hy_result *r, int col, int64_t row);
void hy_date_to_ymd(int32_t days, int *year, int *month, int *day);
/* VARCHAR: pointer to bytes valid until hy_result_free(); *len (may be NULL) gets the length.
 * Strings are NUL-terminated as well. */
const char *hy_result_varchar(const hy_result *r, int col, int64_t row, size_t *len);
/*
 * Canonical text of any value, as the shell prints it: decimals with their scale
 * ("37580631.00"), doubles as the shortest text that reads back to the same double, dates as
 * ISO "YYYY-MM-DD", booleans as "true"/"false", NULL as "" (check hy_result_is_null).
 * Writes at most cap bytes including the NUL; returns the full length (snprintf-like).
 */
size_t hy_result_format(const hy_result *r, int col, int64_t row, char *buf, size_t cap);

void hy_result_free(hy_result *r);

/* Library version string, e.g. "0.1.0". */
const char *hy_version(void);

#ifdef __cplusplus
}
#endif
#endif /* HYPERION_H */
