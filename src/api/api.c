/* The public C API (include/hyperion.h): database handles and statement execution. */
#include <stdlib.h>
#include <string.h>

#include "api/api_int.h"

hy_status hy_open(hy_db **out, const hy_options *opts) {
    if (!out) return HY_ERROR;
    *out = NULL;
    hy_db *db = calloc(1, sizeof *db);
    if (!db) return HY_ERROR;
    hy_catalog_init(&db->cat);
    if (opts) db->opts = *opts;
    if (db->opts.threads <= 0) db->opts.threads = 1;
    if (db->opts.threads > HY_MAX_THREADS) db->opts.threads = HY_MAX_THREADS;
    if (db->opts.morsel_rows <= 0) db->opts.morsel_rows = HY_DEFAULT_MORSEL_ROWS;
    hy_error_clear(&db->err);
    atomic_init(&db->interrupt, 0);
    *out = db;
    return HY_OK;
}

void hy_close(hy_db *db) {
    if (!db) return;
    hy_catalog_free(&db->cat);
    free(db);
}

const char *hy_errmsg(const hy_db *db) { return db ? db->err.msg : ""; }
int hy_error_line(const hy_db *db) { return db ? db->err.line : 0; }
int hy_error_column(const hy_db *db) { return db ? db->err.col : 0; }

void hy_set_progress(hy_db *db, hy_progress_fn fn, void *ud) {
    if (!db) return;
    db->progress = fn;
    db->progress_ud = ud;
}

void hy_interrupt(hy_db *db) {
    if (db) atomic_store(&db->interrupt, 1); /* lock-free store: async-signal-safe */
}

/* One statement; the sticky error is already cleared by the public entry points. */
static hy_status exec_one(hy_db *db, const char *sql, size_t *offset, hy_result **out) {
    *out = NULL;
    hy_arena a;
    hy_arena_init(&a);
    hy_stmt *st = NULL;
    int rc = hy_prepare_next(sql, offset, &db->cat, &a, &st, &db->err);
    if (rc == 0) {
        hy_arena_free(&a);
        return HY_DONE;
    }
    if (rc < 0 || !st) {
        if (!hy_failed(&db->err)) hy_error_set(&db->err, HY_E_INTERNAL, "statement preparation failed");
        hy_arena_free(&a);
        return HY_ERROR;
    }
    hy_exec_env env;
    env.cat = &db->cat;
    env.threads = db->opts.threads;
    env.morsel_rows = db->opts.morsel_rows;
    env.progress = db->progress;
    env.progress_ud = db->progress_ud;
    env.interrupt = &db->interrupt;
    bool ok = hy_exec_stmt(&env, st, out, &db->err);
    hy_arena_free(&a);
    return ok ? HY_OK : HY_ERROR;
}

static bool begin_call(hy_db *db, const char *sql) {
    hy_error_clear(&db->err);
    atomic_store(&db->interrupt, 0);
    if (!sql) return hy_error_set(&db->err, HY_E_INTERNAL, "SQL text is NULL");
    return true;
}

hy_status hy_exec_next(hy_db *db, const char *sql, size_t *offset, hy_result **out) {
    if (out) *out = NULL;
    if (!db) return HY_ERROR;
    if (!begin_call(db, sql)) return HY_ERROR;
    if (!offset) {
        hy_error_set(&db->err, HY_E_INTERNAL, "offset is NULL");
        return HY_ERROR;
    }
    /* Clamp an offset past the end of the text. Only an offset we did not hand out for this
     * text needs the check, and strnlen bounds it by the offset, never the whole script. */
    if (!(sql == db->next_sql && *offset == db->next_end)) {
        size_t n = strnlen(sql, *offset);
        if (n < *offset) *offset = n;
    }
    hy_result *r = NULL;
    hy_status s = exec_one(db, sql, offset, &r);
    db->next_sql = sql;
    db->next_end = *offset;
    if (out) *out = r;
    else hy_result_free(r);
    return s;
}

hy_status hy_exec(hy_db *db, const char *sql, hy_result **out) {
    if (out) *out = NULL;
    if (!db) return HY_ERROR;
    if (!begin_call(db, sql)) return HY_ERROR;
    size_t off = 0;
    hy_result *last = NULL;
    for (;;) {
        hy_result *r = NULL;
        hy_status s = exec_one(db, sql, &off, &r);
        if (s == HY_DONE) break;
        if (s == HY_ERROR) {
            hy_result_free(last);
            return HY_ERROR;
        }
        hy_result_free(last);
        last = r;
    }
    if (out) *out = last;
    else hy_result_free(last);
    return HY_OK;
}

hy_status hy_tables(hy_db *db, hy_result **out) {
    if (out) *out = NULL;
    if (!db) return HY_ERROR;
    hy_error_clear(&db->err);
    if (!out) {
        hy_error_set(&db->err, HY_E_INTERNAL, "hy_tables: out is NULL");
        return HY_ERROR;
    }
    *out = hy_tables_result(&db->cat);
    return HY_OK;
}

const char *hy_version(void) { return "0.1.0"; }
