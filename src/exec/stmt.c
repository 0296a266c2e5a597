/*
 * Statement execution. Every statement that changes a table is atomic: INSERT and
 * CREATE TABLE AS run their query to completion first and append under a savepoint that is
 * rolled back on any error; COPY FROM relies on hy_csv_load's all-or-nothing contract;
 * CALL dbgen builds the new table before replacing an existing `lineitem`.
 */
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>

#include "exec/exec_int.h"
#include "tpch/dbgen.h"

hy_result *hy_result_new(hy_result_kind kind) {
    hy_result *r = calloc(1, sizeof *r);
    if (!r) abort();
    r->kind = kind;
    return r;
}

/* ==== Helpers ============================================================================================= */

typedef struct labeled {
    hy_qctx *q;
    const char *label;
} labeled;

static void progress_labeled(void *ud, double done) {
    labeled *l = ud;
    hy_progress_tick(l->q, done, l->label);
}

/* Column c of mat m converted to type `to` (CAST semantics): new data + validity arrays. */
static bool cast_column(hy_qctx *q, const hy_mat *m, int c, hy_ltype to, void **data_out,
                        uint64_t **valid_out, hy_strheap *heap) {
    hy_expr col;
    memset(&col, 0, sizeof col);
    col.kind = HY_EX_COLUMN;
    col.type = m->types[c];
    col.column = 0;
    hy_xstate *s = hy_xstate_build(&col, 1, &m->types[c], q->err);
    if (!s) return false;
    s = hy_xstate_coerce(s, to);
    size_t w = hy_xwidth(to), wi = hy_xwidth(m->types[c]);
    char *data = calloc((size_t)(m->rows ? m->rows : 1), w);
    uint64_t *valid = calloc(hy_valid_words(m->rows ? m->rows : 1), 8);
    uint64_t vb[HY_BATCH_WORDS];
    if (!data || !valid) abort();
    bool ok = true;
    for (int64_t r = 0; r < m->rows && ok; r += HY_BATCH) {
        int n = (int)(m->rows - r < HY_BATCH ? m->rows - r : HY_BATCH);
        hy_xv v = {m->types[c], (char *)m->data[c] + (size_t)r * wi, vb};
        hy_bits_copy(vb, m->valid[c], r, n);
        hy_batch b = {n, NULL, n, 1, &v, r};
        if (!hy_xeval(s, &b, NULL, n, q->err)) {
            ok = false;
            break;
        }
        for (int i = 0; i < n; i++) {
            bool valid_i = hy_valid_get(s->out.valid, i);
            hy_valid_set(valid, r + i, valid_i);
            if (!valid_i) continue;
            if (hy_phys_of(to) == HY_P_STR) {
                hy_str x = ((hy_str *)s->out.data)[i];
                ((hy_str *)data)[r + i] = hy_strheap_add(heap, x.ptr, x.len);
            } else {
                memcpy(data + (size_t)(r + i) * w, (char *)s->out.data + (size_t)i * w, w);
            }
        }
    }
    hy_xstate_free(s);
    if (!ok) {
        free(data);
        free(valid);
        return false;
    }
    *data_out = data;
    *valid_out = valid;
    return true;
}

/*
 * Append the rows of m to t: map[j] = column of m for table column j (-1: NULL), with CAST
 * where types differ. Atomic: on error the table is rolled back.
 */
static bool append_mat(hy_qctx *q, hy_table *t, const hy_mat *m, const int *map) {
    int nc = t->ncols;
    hy_vec *vecs = calloc((size_t)(nc ? nc : 1), sizeof(hy_vec));
    void **owned = calloc((size_t)(nc ? nc : 1) * 2, sizeof(void *));
    hy_strheap tmp;
    hy_strheap_init(&tmp);
    if (!vecs || !owned) abort();
    bool ok = true;
    for (int j = 0; j < nc && ok; j++) {
        hy_ltype tt = t->cols[j].type;
        int c = map ? map[j] : j;
        vecs[j].type = tt;
        vecs[j].n = m->rows;
        if (c < 0 || c >= m->ncols || m->types[c].id == HY_TYPE_NULL) {
            if (c >= m->ncols) {
                ok = hy_error_set(q->err, HY_E_INTERNAL, "INSERT source has too few columns");
                break;
            }
            void *d = calloc((size_t)(m->rows ? m->rows : 1), hy_xwidth(tt));
            uint64_t *v = calloc(hy_valid_words(m->rows ? m->rows : 1), 8);
            if (!d || !v) abort();
            owned[2 * j] = d;
            owned[2 * j + 1] = v;
            vecs[j].data = d;
            vecs[j].validity = v;
        } else if (!hy_lt_eq(m->types[c], tt)) {
            void *d;
            uint64_t *v;
            if (!cast_column(q, m, c, tt, &d, &v, &tmp)) {
                ok = false;
                break;
            }
            owned[2 * j] = d;
            owned[2 * j + 1] = v;
            vecs[j].data = d;
            vecs[j].validity = v;
        } else {
            vecs[j].data = m->data[c];
            vecs[j].validity = m->valid[c];
        }
    }
    if (ok) {
        hy_table_begin(t);
        if (hy_table_append(t, vecs, m->rows, q->err)) {
            hy_table_commit(t);
        } else {
            hy_table_rollback(t);
            ok = false;
        }
    }
    for (int j = 0; j < 2 * nc; j++) free(owned[j]);
    free(owned);
    free(vecs);
    hy_strheap_free(&tmp);
    return ok;
}

static char **copy_names(const hy_plan *p, int n) {
    char **names = calloc((size_t)(n ? n : 1), sizeof(char *));
    if (!names) abort();
    for (int i = 0; i < n; i++) {
        const char *s = p && i < p->ncols && p->names && p->names[i] ? p->names[i] : "?column?";
        names[i] = strdup(s);
        if (!names[i]) abort();
    }
    return names;
}

static char *text_with_newline(const char *s) {
    size_t n = s ? strlen(s) : 0;
    char *t = malloc(n + 2);
    if (!t) abort();
    if (n) memcpy(t, s, n);
    if (n == 0 || t[n - 1] != '\n') t[n++] = '\n';
    t[n] = '\0';
    return t;
}

/* ==== Statements ============================================================================================== */

static hy_result *exec_select(hy_qctx *q, const hy_stmt *st) {
    hy_mat *m = hy_exec_query(q, st->plan);
    if (!m) return NULL;
    hy_result *r = hy_result_new(HY_RESULT_ROWS);
    r->mat = m;
    r->ncols = m->ncols;
    r->names = copy_names(st->plan, m->ncols);
    return r;
}

static bool check_dup_columns(hy_qctx *q, int n, const char *const *names) {
    for (int i = 0; i < n; i++)
        for (int j = 0; j < i; j++)
            if (strcasecmp(names[i], names[j]) == 0)
                return hy_error_set(q->err, HY_E_BIND, "column \"%s\" specified more than once", names[i]);
    return true;
}

static hy_result *exec_create(hy_qctx *q, const hy_stmt *st) {
    hy_catalog *cat = q->env->cat;
    if (hy_catalog_find(cat, st->table_name)) {
        if (st->if_not_exists) return hy_result_new(HY_RESULT_NONE);
        hy_error_set(q->err, HY_E_CONSTRAINT, "table \"%s\" already exists", st->table_name);
        return NULL;
    }
    const char **names = calloc((size_t)(st->ncols ? st->ncols : 1), sizeof(char *));
    if (!names) abort();
    for (int i = 0; i < st->ncols; i++) names[i] = st->cols[i].name;
    bool ok = check_dup_columns(q, st->ncols, names);
    free(names);
    if (!ok) return NULL;
    hy_table *t = hy_table_new(st->table_name, st->ncols, st->cols, q->env->morsel_rows);
    if (!t) {
        hy_error_set(q->err, HY_E_NOMEM, "cannot create table \"%s\"", st->table_name);
        return NULL;
    }
    if (!hy_catalog_add(cat, t, q->err)) {
        hy_table_free(t);
        return NULL;
    }
    return hy_result_new(HY_RESULT_NONE);
}

static hy_result *exec_ctas(hy_qctx *q, const hy_stmt *st) {
    hy_catalog *cat = q->env->cat;
    if (hy_catalog_find(cat, st->table_name)) {
        if (st->if_not_exists) return hy_result_new(HY_RESULT_NONE);
        hy_error_set(q->err, HY_E_CONSTRAINT, "table \"%s\" already exists", st->table_name);
        return NULL;
    }
    hy_mat *m = hy_exec_plan(q, st->plan);
    if (!m) return NULL;
    int nc = m->ncols;
    hy_coldef *defs = calloc((size_t)(nc ? nc : 1), sizeof(hy_coldef));
    if (!defs) abort();
    for (int i = 0; i < nc; i++) {
        if (st->cols && i < st->ncols) {
            defs[i] = st->cols[i];
        } else {
            defs[i].name = st->plan->names && st->plan->names[i] ? st->plan->names[i] : "?column?";
            defs[i].type = m->types[i].id == HY_TYPE_NULL ? hy_lt(HY_TYPE_INTEGER) : m->types[i];
        }
        if (defs[i].type.id == HY_TYPE_NULL) defs[i].type = hy_lt(HY_TYPE_INTEGER);
    }
    const char **names = calloc((size_t)(nc ? nc : 1), sizeof(char *));
    if (!names) abort();
    for (int i = 0; i < nc; i++) names[i] = defs[i].name;
    bool ok = check_dup_columns(q, nc, names);
    free(names);
    hy_table *t = ok ? hy_table_new(st->table_name, nc, defs, q->env->morsel_rows) : NULL;
    free(defs);
    if (ok && !t) hy_error_set(q->err, HY_E_NOMEM, "cannot create table \"%s\"", st->table_name);
    if (t && append_mat(q, t, m, NULL) && hy_catalog_add(cat, t, q->err)) {
        hy_result *r = hy_result_new(HY_RESULT_NONE);
        r->changes = m->rows;
        hy_mat_free(m);
        return r;
    }
    if (t) hy_table_free(t);
    hy_mat_free(m);
    return NULL;
}

static hy_table *target_table(hy_qctx *q, const hy_stmt *st) {
    hy_table *t = st->table ? st->table : hy_catalog_find(q->env->cat, st->table_name);
    if (!t) hy_error_set(q->err, HY_E_BIND, "table \"%s\" does not exist", st->table_name ? st->table_name : "?");
    return t;
}

static hy_result *exec_insert(hy_qctx *q, const hy_stmt *st) {
    hy_table *t = target_table(q, st);
    if (!t) return NULL;
    hy_mat *m = hy_exec_plan(q, st->plan);
    if (!m) return NULL;
    bool ok = append_mat(q, t, m, st->insert_columns);
    int64_t rows = m->rows;
    hy_mat_free(m);
    if (!ok) return NULL;
    hy_result *r = hy_result_new(HY_RESULT_NONE);
    r->changes = rows;
    return r;
}

static hy_result *exec_copy_from(hy_qctx *q, const hy_stmt *st) {
    hy_table *t = target_table(q, st);
    if (!t) return NULL;
    labeled l = {q, "COPY"};
    int64_t rows = hy_csv_load_intr(t, st->path, &st->csv, q->env->interrupt, progress_labeled, &l,
                                    q->err);
    hy_progress_end(q, "COPY");
    if (rows < 0) {
        if (!hy_failed(q->err)) hy_error_set(q->err, HY_E_IO, "COPY from \"%s\" failed", st->path);
        return NULL;
    }
    hy_result *r = hy_result_new(HY_RESULT_NONE);
    r->changes = rows;
    return r;
}

static hy_result *exec_copy_to(hy_qctx *q, const hy_stmt *st) {
    hy_csv_writer *w = hy_csv_writer_open(st->path, &st->csv, q->err);
    if (!w) {
        if (!hy_failed(q->err)) hy_error_set(q->err, HY_E_IO, "cannot open \"%s\" for writing", st->path);
        return NULL;
    }
    const hy_plan *p = st->plan;
    bool ok = true;
    q->label = "COPY";
    if (st->csv.header) ok = hy_csv_write_header(w, p->ncols, (const char *const *)p->names);
    int64_t rows = ok ? hy_exec_plan_csv(q, p, w) : -1;
    if (!ok && !hy_failed(q->err)) hy_error_set(q->err, HY_E_IO, "cannot write \"%s\"", st->path);
    bool closed = hy_csv_writer_close(w, q->err);
    if (rows < 0 || !closed) return NULL;
    hy_result *r = hy_result_new(HY_RESULT_NONE);
    r->changes = rows;
    return r;
}

static hy_result *exec_dbgen(hy_qctx *q, const hy_stmt *st) {
    labeled l = {q, "dbgen"};
    hy_table *t = hy_dbgen_lineitem(st->dbgen_sf, q->env->morsel_rows, progress_labeled, &l, q->err);
    hy_progress_end(q, "dbgen");
    if (!t) {
        if (!hy_failed(q->err)) hy_error_set(q->err, HY_E_INTERNAL, "dbgen failed");
        return NULL;
    }
    /* replace an existing lineitem only once the new one is complete */
    hy_table *old = hy_catalog_detach(q->env->cat, t->name);
    if (!hy_catalog_add(q->env->cat, t, q->err)) {
        if (old) {
            hy_error e;
            hy_error_clear(&e);
            hy_catalog_add(q->env->cat, old, &e);
        }
        hy_table_free(t);
        return NULL;
    }
    hy_table_free(old);
    hy_result *r = hy_result_new(HY_RESULT_NONE);
    r->changes = t->rows;
    return r;
}

static hy_result *exec_drop(hy_qctx *q, const hy_stmt *st) {
    if (!hy_catalog_drop(q->env->cat, st->table_name) && !st->if_exists) {
        hy_error_set(q->err, HY_E_BIND, "table \"%s\" does not exist", st->table_name);
        return NULL;
    }
    return hy_result_new(HY_RESULT_NONE);
}

static hy_result *exec_explain(hy_qctx *q, const hy_stmt *st) {
    hy_arena a;
    hy_arena_init(&a);
    char *text = hy_plan_explain(st->plan, &a);
    hy_result *r = hy_result_new(HY_RESULT_TEXT);
    r->text = text_with_newline(text);
    hy_arena_free(&a);
    return r;
}

static hy_result *exec_explain_analyze(hy_qctx *q, const hy_stmt *st) {
    double t0 = hy_now_ms();
    hy_mat *m = hy_exec_query(q, st->plan);
    if (!m) return NULL;
    double ms = hy_now_ms() - t0;
    hy_mat_free(m);
    hy_result *r = hy_result_new(HY_RESULT_TEXT);
    if (st->explain_json) {
        hy_json j;
        hy_json_init(&j);
        hy_json_begin_obj(&j);
        hy_json_key(&j, "execution_ms");
        hy_json_num(&j, ms, 3);
        hy_json_key(&j, "threads");
        hy_json_int(&j, q->env->threads);
        hy_json_key(&j, "pipelines");
        hy_json_begin_arr(&j);
        for (int i = 0; i < q->nstats; i++) {
            const hy_pstat *s = &q->stats[i];
            hy_json_begin_obj(&j);
            hy_json_key(&j, "id");
            hy_json_int(&j, i + 1);
            hy_json_key(&j, "operators");
            hy_json_str(&j, s->ops);
            hy_json_key(&j, "tier");
            hy_json_str(&j, "interpreter");
            hy_json_key(&j, "rows");
            hy_json_int(&j, s->rows);
            hy_json_key(&j, "morsels");
            hy_json_int(&j, s->morsels);
            hy_json_end_obj(&j);
        }
        hy_json_end_arr(&j);
        hy_json_end_obj(&j);
        char *txt = hy_json_take(&j);
        r->text = text_with_newline(txt);
        free(txt);
        return r;
    }
    hy_arena a;
    hy_arena_init(&a);
    const char *plan = hy_plan_explain(st->plan, &a);
    size_t cap = strlen(plan ? plan : "") + 256 + (size_t)q->nstats * 700;
    char *t = malloc(cap);
    if (!t) abort();
    size_t len = (size_t)snprintf(t, cap, "%s%sexecution: %.3f ms, %d thread%s\n", plan ? plan : "",
                                  plan && *plan && plan[strlen(plan) - 1] != '\n' ? "\n" : "", ms,
                                  q->env->threads, q->env->threads == 1 ? "" : "s");
    for (int i = 0; i < q->nstats && len < cap; i++)
        len += (size_t)snprintf(t + len, cap - len, "pipeline %d: %s (interpreter): %lld rows, %lld morsels\n",
                                i + 1, q->stats[i].ops, (long long)q->stats[i].rows,
                                (long long)q->stats[i].morsels);
    hy_arena_free(&a);
    r->text = t;
    return r;
}

bool hy_exec_stmt(hy_exec_env *env, const hy_stmt *st, hy_result **out, hy_error *err) {
    double t0 = hy_now_ms();
    hy_qctx q;
    hy_qctx_init(&q, env, err);
    hy_result *r = NULL;
    switch (st->kind) {
    case HY_STMT_SELECT: r = exec_select(&q, st); break;
    case HY_STMT_CREATE_TABLE: r = exec_create(&q, st); break;
    case HY_STMT_CREATE_TABLE_AS: r = exec_ctas(&q, st); break;
    case HY_STMT_DROP_TABLE: r = exec_drop(&q, st); break;
    case HY_STMT_INSERT: r = exec_insert(&q, st); break;
    case HY_STMT_COPY_FROM: r = exec_copy_from(&q, st); break;
    case HY_STMT_COPY_TO: r = exec_copy_to(&q, st); break;
    case HY_STMT_CALL_DBGEN: r = exec_dbgen(&q, st); break;
    case HY_STMT_EXPLAIN: r = exec_explain(&q, st); break;
    case HY_STMT_EXPLAIN_ANALYZE: r = exec_explain_analyze(&q, st); break;
    default: hy_error_set(err, HY_E_INTERNAL, "unknown statement kind %d", (int)st->kind); break;
    }
    hy_progress_end(&q, q.label);
    hy_qctx_free(&q);
    if (!r) {
        if (!hy_failed(err)) hy_error_set(err, HY_E_INTERNAL, "statement failed");
        return false;
    }
    r->elapsed_ms = hy_now_ms() - t0;
    *out = r;
    return true;
}
