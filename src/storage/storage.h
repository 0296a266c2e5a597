/*
 * In-memory columnar tables with per-morsel zone maps, and the catalog.
 *
 * A table is a set of columns, each ONE contiguous array (the physical representation of
 * common/types.h) plus a validity bitmap. Rows are split into morsels of `morsel_rows`
 * rows: morsel m covers rows [m*morsel_rows, min((m+1)*morsel_rows, rows)). Every column
 * keeps an exact zone map per morsel (null_count, min, max over non-NULL values). The JIT
 * later relies on these to PROVE speculation, so they must be exact after every append and
 * every rollback.
 *
 * Appends are atomic at the statement level: hy_table_begin() remembers the row count and
 * string-heap mark, hy_table_rollback() restores the table exactly (rows, validity, zone
 * maps, strings), hy_table_commit() forgets the savepoint. INSERT, COPY and CREATE TABLE AS
 * use this so a failing statement leaves nothing half-loaded.
 *
 * storage/ knows nothing of SQL text, plans or the JIT.
 */
#ifndef HY_STORAGE_H
#define HY_STORAGE_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "common/error.h"
#include "common/types.h"

#define HY_DEFAULT_MORSEL_ROWS 65536

typedef struct hy_zone {
    int64_t null_count;
    bool has_minmax;  /* false when every row of the morsel is NULL */
    hy_value min, max; /* VARCHAR bounds point into the table's string heap */
} hy_zone;

typedef struct hy_column {
    char *name;
    hy_ltype type;
    bool not_null;
    void *data;         /* capacity * width bytes */
    uint64_t *validity; /* capacity bits; always allocated */
    hy_zone *zones;     /* one per morsel (n_morsels entries) */
} hy_column;

typedef struct hy_table {
    char *name;
    int ncols;
    hy_column *cols;
    int64_t rows;
    int64_t capacity;
    int64_t morsel_rows;
    hy_strheap heap; /* VARCHAR bytes of every column */
    /* savepoint */
    bool in_txn;
    int64_t txn_rows;
    hy_strheap_mark txn_mark;
} hy_table;

typedef struct hy_coldef {
    const char *name;
    hy_ltype type;
    bool not_null;
} hy_coldef;

hy_table *hy_table_new(const char *name, int ncols, const hy_coldef *defs, int64_t morsel_rows);
void hy_table_free(hy_table *t);

static inline int64_t hy_table_morsels(const hy_table *t) {
    return (t->rows + t->morsel_rows - 1) / t->morsel_rows;
}
int hy_table_find_column(const hy_table *t, const char *name); /* case-insensitive; -1 */

/* Savepoints do not nest: begin while a savepoint is open keeps the earlier one. */
void hy_table_begin(hy_table *t);
void hy_table_commit(hy_table *t);
void hy_table_rollback(hy_table *t);

/* [added by S] Lightweight, nestable marks independent of the begin/commit savepoint (the CSV
 * loader uses them so it works inside or outside a caller's savepoint): restore cuts the table
 * back to the marked row count and string heap, with zone maps exact. Only valid while no
 * rows before the mark were removed. */
typedef struct hy_table_mark {
    int64_t rows;
    hy_strheap_mark heap;
} hy_table_mark;
hy_table_mark hy_table_save(const hy_table *t);
void hy_table_restore(hy_table *t, hy_table_mark m);

/* [added by S] Pre-size the column arrays for `rows` rows in total (optional). */
bool hy_table_reserve(hy_table *t, int64_t rows, hy_error *err);

/*
 * Append n rows given as one vector per column (cols[i].type must equal the column type
 * exactly; the caller casts). VARCHAR bytes are copied into the table's heap. Fails with
 * HY_E_CONSTRAINT on a NULL in a NOT NULL column (message names table and column); the
 * table is then unchanged (the caller also rolls back the statement's savepoint).
 */
bool hy_table_append(hy_table *t, const hy_vec *cols, int64_t n, hy_error *err);
/* [added by S] Same, with flags. HY_APPEND_BORROW_STRINGS: VARCHAR bytes already live in
 * t->heap (or in static storage that outlives the table) and are referenced, not copied
 * (dbgen uses this for its flag values and its comment text pool). */
#define HY_APPEND_BORROW_STRINGS 1u
bool hy_table_append_ex(hy_table *t, const hy_vec *cols, int64_t n, unsigned flags,
                        hy_error *err);

/* Read access for scans: pointer to row `row` of column c, and its validity bitmap.
 * Note: VARCHAR bytes stored in a table are NOT necessarily NUL-terminated (dbgen's comments
 * are substrings of a shared text pool); always use hy_str.len. NULL rows of fixed-width
 * columns hold zeros; NULL VARCHAR rows hold an empty string. */
static inline const void *hy_col_data(const hy_table *t, int c) { return t->cols[c].data; }
static inline const uint64_t *hy_col_validity(const hy_table *t, int c) {
    return t->cols[c].validity;
}
static inline const hy_zone *hy_col_zone(const hy_table *t, int c, int64_t morsel) {
    return &t->cols[c].zones[morsel];
}
/* Recompute a zone map from the data (tests compare it with the maintained one). */
void hy_zone_compute(const hy_table *t, int c, int64_t morsel, hy_zone *out);

/* ---- Catalog ------------------------------------------------------------------------------ */
typedef struct hy_catalog {
    hy_table **tables;
    int ntables, cap;
} hy_catalog;

void hy_catalog_init(hy_catalog *c);
void hy_catalog_free(hy_catalog *c); /* frees every table */
hy_table *hy_catalog_find(const hy_catalog *c, const char *name); /* case-insensitive */
/* Takes ownership. Fails (HY_E_CONSTRAINT "table \"x\" already exists") on a duplicate. */
bool hy_catalog_add(hy_catalog *c, hy_table *t, hy_error *err);
/* Removes and frees; false if missing. */
bool hy_catalog_drop(hy_catalog *c, const char *name);
/* [added by S] Removes without freeing and returns the table (NULL if missing), e.g. to put it
 * back if a replacing statement fails. */
hy_table *hy_catalog_detach(hy_catalog *c, const char *name);

/* ---- CSV (RFC 4180) ------------------------------------------------------------------------ */
typedef struct hy_csv_options {
    char delimiter; /* default ',' */
    bool header;    /* first line is a header (skipped on read, written on write) */
    char quote;     /* default '"' */
    uint32_t block_bytes; /* [added by S] reader block size; 0 = default (4 MB). Tests use
                             tiny blocks to hit every buffer boundary. */
} hy_csv_options;

/* Progress: called with the fraction of the file consumed (may be NULL). */
typedef void (*hy_csv_progress_fn)(void *ud, double done);

/*
 * Load a CSV file into t, all or nothing: empty unquoted fields are NULL; quoted empty
 * fields are empty strings; values are converted to the column types. Errors name the file
 * and 1-based line number (and the column name and value), e.g.
 *   "data.csv:17: column l_quantity: cannot convert \"abc\" to DECIMAL(15,2)".
 * On error the table is left exactly as it was. Returns rows loaded or -1.
 */
int64_t hy_csv_load(hy_table *t, const char *path, const hy_csv_options *opt,
                    hy_csv_progress_fn progress, void *ud, hy_error *err);
/* [added] hy_csv_load that can be interrupted: *interrupt (may be NULL) is polled once per
 * block read and once per batch of rows; when it is non-zero the load stops with
 * HY_E_INTERRUPT "interrupted" and the table is left exactly as it was. (A separate entry
 * point rather than a field in hy_csv_options so positional initializers stay complete.) */
int64_t hy_csv_load_intr(hy_table *t, const char *path, const hy_csv_options *opt,
                         const atomic_int *interrupt, hy_csv_progress_fn progress, void *ud,
                         hy_error *err);

/* Streaming CSV writer used by COPY ... TO: write header, then rows from vectors. */
typedef struct hy_csv_writer hy_csv_writer;
hy_csv_writer *hy_csv_writer_open(const char *path, const hy_csv_options *opt, hy_error *err);
bool hy_csv_write_header(hy_csv_writer *w, int ncols, const char *const *names);
/* Writes n rows of ncols vectors: NULL as empty field, strings quoted when needed (and empty
 * strings as ""), decimals/dates/doubles in canonical text. */
bool hy_csv_write_rows(hy_csv_writer *w, int ncols, const hy_vec *cols, int64_t n);
bool hy_csv_writer_close(hy_csv_writer *w, hy_error *err); /* flush+close, reports I/O errors */

#endif
