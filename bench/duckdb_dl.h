/*
 * DuckDB's stable C API, loaded at run time with dlopen (no duckdb.h ships with the npm
 * package, and we keep no link-time dependency). Only the few functions we call are declared,
 * with the C API's documented signatures. duckdb_result is a caller-allocated struct of 48
 * bytes in DuckDB 1.x that we only ever pass by pointer: we reserve more than enough room.
 *
 * Header-only (static functions) so both bench/hy_bench.c and the host-compiled
 * bench/duckdb_run.c can use it.
 */
#ifndef HY_BENCH_DUCKDB_DL_H
#define HY_BENCH_DUCKDB_DL_H

#include <dlfcn.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

typedef uint64_t duckdb_idx;
typedef void *duckdb_database_h;   /* duckdb_database: pointer to an opaque struct */
typedef void *duckdb_connection_h; /* duckdb_connection: likewise */
typedef struct duckdb_result_buf {
    uint64_t opaque[16]; /* real size: 48 bytes */
} duckdb_result_buf;

/* X-macro: return type, name, parameters. duckdb_state is an enum: 0 = success. */
#define DUCKDB_FUNCS(_)                                                                     \
    _(int, duckdb_open, (const char *path, duckdb_database_h *out))                          \
    _(void, duckdb_close, (duckdb_database_h *db))                                            \
    _(int, duckdb_connect, (duckdb_database_h db, duckdb_connection_h *out))                  \
    _(void, duckdb_disconnect, (duckdb_connection_h *con))                                    \
    _(int, duckdb_query, (duckdb_connection_h con, const char *sql, duckdb_result_buf *out))  \
    _(void, duckdb_destroy_result, (duckdb_result_buf *r))                                    \
    _(const char *, duckdb_result_error, (duckdb_result_buf *r))                              \
    _(duckdb_idx, duckdb_row_count, (duckdb_result_buf *r))                                   \
    _(duckdb_idx, duckdb_column_count, (duckdb_result_buf *r))                                \
    _(const char *, duckdb_column_name, (duckdb_result_buf *r, duckdb_idx col))               \
    _(bool, duckdb_value_is_null, (duckdb_result_buf *r, duckdb_idx col, duckdb_idx row))     \
    _(char *, duckdb_value_varchar, (duckdb_result_buf *r, duckdb_idx col, duckdb_idx row))   \
    _(void, duckdb_free, (void *p))                                                           \
    _(const char *, duckdb_library_version, (void))

typedef struct duckdb_api {
    void *handle;
#define DUCKDB_FIELD(ret, name, params) ret(*name) params;
    DUCKDB_FUNCS(DUCKDB_FIELD)
#undef DUCKDB_FIELD
} duckdb_api;

/* Load libduckdb.so from path; on failure print why to stderr and return false. */
static inline bool duckdb_api_load(duckdb_api *api, const char *path) {
    api->handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!api->handle) {
        fprintf(stderr, "Error: cannot load DuckDB from %s: %s\n", path, dlerror());
        return false;
    }
#define DUCKDB_LOAD(ret, name, params)                                                     \
    *(void **)(&api->name) = dlsym(api->handle, #name);                                    \
    if (!api->name) {                                                                      \
        fprintf(stderr, "Error: %s lacks the C API function %s\n", path, #name);           \
        dlclose(api->handle);                                                              \
        return false;                                                                      \
    }
    DUCKDB_FUNCS(DUCKDB_LOAD)
#undef DUCKDB_LOAD
    return true;
}

/* Run sql; on error print it and return false (the result is destroyed). */
static inline bool duckdb_api_run(duckdb_api *api, duckdb_connection_h con, const char *sql,
                                  duckdb_result_buf *res) {
    if (api->duckdb_query(con, sql, res) != 0) {
        const char *e = api->duckdb_result_error(res);
        fprintf(stderr, "Error: DuckDB: %s\n  in: %.200s\n", e ? e : "query failed", sql);
        api->duckdb_destroy_result(res);
        return false;
    }
    return true;
}

/* DuckDB's lineitem with the spec types; COPY from our CSV export (header row). */
#define DUCKDB_LINEITEM_DDL                                                              \
    "CREATE TABLE lineitem(l_orderkey BIGINT, l_partkey BIGINT, l_suppkey BIGINT, "      \
    "l_linenumber INTEGER, l_quantity DECIMAL(15,2), l_extendedprice DECIMAL(15,2), "    \
    "l_discount DECIMAL(15,2), l_tax DECIMAL(15,2), l_returnflag VARCHAR, "              \
    "l_linestatus VARCHAR, l_shipdate DATE, l_commitdate DATE, l_receiptdate DATE, "     \
    "l_shipinstruct VARCHAR, l_shipmode VARCHAR, l_comment VARCHAR)"
#define DUCKDB_LINEITEM_COPY_FMT \
    "COPY lineitem FROM '%s' (HEADER true, DELIMITER ',', QUOTE '\"', ESCAPE '\"')"

#endif
