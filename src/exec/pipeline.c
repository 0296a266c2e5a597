/*
 * Pipelines and morsel-driven execution.
 *
 *   plan tree ──split at breakers──▶ pipelines, run bottom-up
 *
 *   source (table SCAN [+pushed filter] | materialized output of a breaker | VALUES)
 *     → FILTER / PROJECT ...  (streaming, per batch of <= HY_BATCH rows, selection vectors)
 *     → sink (hash aggregate | materialize for SORT / LIMIT / result | CSV writer)
 *
 * A pipeline's source is cut into morsels of morsel_rows rows. Workers (the calling thread
 * plus threads-1 pthreads) take morsels from an atomic counter; each worker has its own
 * expression states and sink-local state (aggregate table, output buffer), so the morsel
 * loop never locks or allocates once warm. At the end, aggregate tables are merged and
 * output buffers concatenated in morsel order, so results do not depend on the thread count.
 * Zone maps skip table morsels that a pushed-down range conjunct proves empty. The
 * interrupt flag is checked at every morsel boundary.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "exec/agg.h"
#include "exec/exec_int.h"

static void *xcalloc(size_t n, size_t w) {
    void *p = calloc(n ? n : 1, w ? w : 1);
    if (!p) {
        fprintf(stderr, "hyperion: out of memory\n");
        abort();
    }
    return p;
}

/* ==== Query context ======================================================================================= */

double hy_now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

void hy_qctx_init(hy_qctx *q, hy_exec_env *env, hy_error *err) {
    memset(q, 0, sizeof *q);
    q->env = env;
    q->err = err;
    q->t0 = hy_now_ms();
    q->label = "query";
}

void hy_qctx_free(hy_qctx *q) {
    for (int i = 0; i < q->nstats; i++) free(q->stats[i].ops);
    free(q->stats);
    q->stats = NULL;
    q->nstats = 0;
}

void hy_progress_tick(hy_qctx *q, double frac, const char *label) {
    if (!q->env->progress) return;
    double now = hy_now_ms();
    if (now - q->t0 < 200 || now - q->last_progress < 100) return;
    q->last_progress = now;
    q->progress_shown = true;
    if (frac < 0) frac = 0;
    if (frac > 1) frac = 1;
    q->last_frac = frac;
    q->env->progress(q->env->progress_ud, frac, label);
}

void hy_progress_end(hy_qctx *q, const char *label) {
    if (q->env->progress && q->progress_shown && q->last_frac < 1.0)
        q->env->progress(q->env->progress_ud, 1.0, label);
    q->progress_shown = false;
}

/* ==== Pipeline description ================================================================================= */

typedef enum { SINK_MAT, SINK_AGG, SINK_CSV } sink_kind;

typedef struct zconj {
    int tcol; /* table column */
    hy_func op;
    bool between;
    hy_value c, c2;
} zconj;

typedef struct opinfo {
    const hy_plan *plan; /* FILTER or PROJECT */
    int nin;
    const hy_ltype *intypes;
    int nout;
    hy_ltype *outtypes; /* PROJECT: plan types */
} opinfo;

typedef struct seg {
    int64_t m, start, n;
} seg;

typedef struct opstate {
    hy_xstate *pred;
    uint16_t *sel;
    hy_xstate **ex;
    hy_xv *cols;
} opstate;

struct pipe;

typedef struct worker {
    struct pipe *p;
    int id;
    pthread_t th;
    hy_error err;
    hy_xv *srccols;
    uint64_t *vbits;
    hy_xstate *sfilter;
    uint16_t *ssel;
    opstate *os;
    /* sinks */
    hy_mat *mat;
    seg *segs;
    int64_t nsegs, capsegs;
    hy_aggtab *agg;
    hy_xstate **gx, **ax;
    hy_xv *keys, *args;
    hy_vec *cv;
    uint64_t *cvalid;
    void **cbuf;
    int64_t rows_out, morsels, skipped;
    int64_t err_morsel; /* the morsel whose run failed (-1: not a morsel's error) */
} worker;

typedef struct pipe {
    hy_qctx *q;
    const hy_table *table;
    const int *tcols;
    hy_mat *mat;
    const hy_expr *scan_filter;
    int nsrc;
    hy_ltype *srctypes;
    int64_t rows, mrows, nmorsels;
    zconj *zc;
    int nzc;
    int nops;
    opinfo *ops;
    sink_kind sk;
    const hy_plan *sinkplan;
    hy_csv_writer *csv;
    int nsinkin;
    const hy_ltype *sinkin;
    int64_t limit_needed;
    hy_aggspec spec;
    atomic_llong next;
    atomic_int stop;
    atomic_llong done;
    pthread_mutex_t mu;
    int64_t *mrowcnt;
    int64_t prefix, prefix_rows;
    int nworkers;
    worker **w;
    char ops_text[512];
} pipe;

/* ==== Zone maps ============================================================================================== */

static void add_zconj(pipe *p, const hy_xstate *s) {
    if (!p->table) return;
    if (s->kind == HY_XS_AND) {
        for (int i = 0; i < s->nargs; i++) add_zconj(p, s->args[i]);
        return;
    }
    zconj z;
    memset(&z, 0, sizeof z);
    if (s->kind == HY_XS_FUNC && s->func >= HY_FN_EQ && s->func <= HY_FN_GE) {
        const hy_xstate *a = s->args[0], *b = s->args[1];
        hy_func op = s->func;
        if (a->kind == HY_XS_CONST && b->kind == HY_XS_COLUMN) {
            const hy_xstate *t = a;
            a = b;
            b = t;
            op = op == HY_FN_LT ? HY_FN_GT : op == HY_FN_LE ? HY_FN_GE : op == HY_FN_GT ? HY_FN_LT
                 : op == HY_FN_GE ? HY_FN_LE : op;
        }
        if (a->kind != HY_XS_COLUMN || b->kind != HY_XS_CONST || b->cval.is_null) return;
        z.tcol = p->tcols[a->column];
        z.op = op;
        z.c = b->cval;
    } else if (s->kind == HY_XS_BETWEEN && !s->negate) {
        const hy_xstate *x = s->args[0], *lo = s->args[1], *hi = s->args[2];
        if (x->kind != HY_XS_COLUMN || lo->kind != HY_XS_CONST || hi->kind != HY_XS_CONST ||
            lo->cval.is_null || hi->cval.is_null)
            return;
        z.tcol = p->tcols[x->column];
        z.between = true;
        z.c = lo->cval;
        z.c2 = hi->cval;
    } else {
        return;
    }
    hy_ltype ct = p->table->cols[z.tcol].type;
    if (hy_phys_of(ct) != hy_phys_of(z.c.type) ||
        (ct.id == HY_TYPE_DECIMAL && (z.c.type.id != HY_TYPE_DECIMAL || ct.scale != z.c.type.scale)) ||
        (ct.id != HY_TYPE_DECIMAL && ct.id != z.c.type.id))
        return;
    z.c.type = ct; /* zone values carry the column type; same physical layout */
    z.c2.type = ct;
    p->zc = realloc(p->zc, sizeof(zconj) * (size_t)(p->nzc + 1));
    if (!p->zc) abort();
    p->zc[p->nzc++] = z;
}

/* Can no row of morsel m satisfy the pushed-down conjuncts? */
static bool zone_skip(const pipe *p, int64_t m) {
    for (int i = 0; i < p->nzc; i++) {
        const zconj *z = &p->zc[i];
        const hy_zone *zn = hy_col_zone(p->table, z->tcol, m);
        if (!zn->has_minmax) return true; /* all NULL: no comparison is TRUE */
        if (z->between) {
            if (hy_value_cmp(&zn->max, &z->c) < 0 || hy_value_cmp(&zn->min, &z->c2) > 0) return true;
            continue;
        }
        int cmin = hy_value_cmp(&zn->min, &z->c), cmax = hy_value_cmp(&zn->max, &z->c);
        switch (z->op) {
        case HY_FN_EQ: if (cmin > 0 || cmax < 0) return true; break;
        case HY_FN_NE: if (cmin == 0 && cmax == 0) return true; break;
        case HY_FN_LT: if (cmin >= 0) return true; break;
        case HY_FN_LE: if (cmin > 0) return true; break;
        case HY_FN_GT: if (cmax <= 0) return true; break;
        default: if (cmax < 0) return true; break;
        }
    }
    return false;
}

/* ==== Workers ================================================================================================ */

static bool worker_init(worker *w) {
    pipe *p = w->p;
    hy_error *err = &w->err;
    w->srccols = xcalloc((size_t)(p->nsrc ? p->nsrc : 1), sizeof(hy_xv));
    w->vbits = xcalloc((size_t)(p->nsrc ? p->nsrc : 1) * HY_BATCH_WORDS, sizeof(uint64_t));
    if (p->scan_filter) {
        w->sfilter = hy_xstate_build(p->scan_filter, p->nsrc, p->srctypes, err);
        if (!w->sfilter) return false;
        w->ssel = xcalloc(HY_BATCH, sizeof(uint16_t));
    }
    w->os = xcalloc((size_t)(p->nops ? p->nops : 1), sizeof(opstate));
    for (int o = 0; o < p->nops; o++) {
        opinfo *oi = &p->ops[o];
        opstate *os = &w->os[o];
        if (oi->plan->kind == HY_PLAN_FILTER) {
            os->pred = hy_xstate_build(oi->plan->u.filter.predicate, oi->nin, oi->intypes, err);
            if (!os->pred) return false;
            os->sel = xcalloc(HY_BATCH, sizeof(uint16_t));
        } else {
            os->ex = xcalloc((size_t)(oi->nout ? oi->nout : 1), sizeof(hy_xstate *));
            os->cols = xcalloc((size_t)(oi->nout ? oi->nout : 1), sizeof(hy_xv));
            for (int c = 0; c < oi->nout; c++) {
                os->ex[c] = hy_xstate_build(oi->plan->u.project.exprs[c], oi->nin, oi->intypes, err);
                if (!os->ex[c]) return false;
                os->ex[c] = hy_xstate_coerce(os->ex[c], oi->outtypes[c]);
            }
        }
    }
    switch (p->sk) {
    case SINK_MAT: w->mat = hy_mat_new(p->nsinkin, p->sinkin); break;
    case SINK_AGG: {
        const hy_plan *ap = p->sinkplan;
        int ng = ap->u.aggregate.ngroups, na = ap->u.aggregate.naggs;
        w->gx = xcalloc((size_t)(ng ? ng : 1), sizeof(hy_xstate *));
        w->ax = xcalloc((size_t)(na ? na : 1), sizeof(hy_xstate *));
        w->keys = xcalloc((size_t)(ng ? ng : 1), sizeof(hy_xv));
        w->args = xcalloc((size_t)(na ? na : 1), sizeof(hy_xv));
        for (int k = 0; k < ng; k++) {
            w->gx[k] = hy_xstate_build(ap->u.aggregate.groups[k], p->nsinkin, p->sinkin, err);
            if (!w->gx[k]) return false;
            if (k < ap->ncols) w->gx[k] = hy_xstate_coerce(w->gx[k], ap->types[k]);
        }
        for (int a = 0; a < na; a++) {
            const hy_agg *ag = &ap->u.aggregate.aggs[a];
            if (ag->func == HY_AGG_COUNT_STAR || !ag->arg) continue;
            w->ax[a] = hy_xstate_build(ag->arg, p->nsinkin, p->sinkin, err);
            if (!w->ax[a]) return false;
        }
        break;
    }
    case SINK_CSV: {
        int nc = p->nsinkin;
        w->cv = xcalloc((size_t)(nc ? nc : 1), sizeof(hy_vec));
        w->cbuf = xcalloc((size_t)(nc ? nc : 1), sizeof(void *));
        w->cvalid = xcalloc((size_t)(nc ? nc : 1) * HY_BATCH_WORDS, sizeof(uint64_t));
        for (int c = 0; c < nc; c++) w->cbuf[c] = xcalloc(HY_BATCH, hy_xwidth(p->sinkin[c]));
        break;
    }
    }
    return true;
}

static void worker_free(worker *w) {
    if (!w) return;
    pipe *p = w->p;
    free(w->srccols);
    free(w->vbits);
    hy_xstate_free(w->sfilter);
    free(w->ssel);
    if (w->os) {
        for (int o = 0; o < p->nops; o++) {
            opstate *os = &w->os[o];
            hy_xstate_free(os->pred);
            free(os->sel);
            if (os->ex)
                for (int c = 0; c < p->ops[o].nout; c++) hy_xstate_free(os->ex[c]);
            free(os->ex);
            free(os->cols);
        }
        free(w->os);
    }
    hy_mat_free(w->mat);
    free(w->segs);
    hy_aggtab_free(w->agg);
    if (w->gx)
        for (int k = 0; k < p->sinkplan->u.aggregate.ngroups; k++) hy_xstate_free(w->gx[k]);
    if (w->ax)
        for (int a = 0; a < p->sinkplan->u.aggregate.naggs; a++) hy_xstate_free(w->ax[a]);
    free(w->gx);
    free(w->ax);
    free(w->keys);
    free(w->args);
    if (w->cbuf)
        for (int c = 0; c < p->nsinkin; c++) free(w->cbuf[c]);
    free(w->cbuf);
    free(w->cv);
    free(w->cvalid);
    free(w);
}

/* Write the live rows of a batch to the CSV writer (compacting when there is a selection). */
static bool csv_write_batch(worker *w, const hy_batch *b) {
    pipe *p = w->p;
    int n = b->sel ? b->nsel : b->n;
    for (int c = 0; c < p->nsinkin; c++) {
        const hy_xv *v = &b->cols[c];
        hy_vec *o = &w->cv[c];
        o->type = p->sinkin[c];
        o->n = n;
        if (!b->sel) {
            o->data = v->data;
            o->validity = v->valid;
            continue;
        }
        size_t wd = hy_xwidth(o->type);
        char *dst = w->cbuf[c];
        const char *src = v->data;
        uint64_t *vb = w->cvalid + (size_t)c * HY_BATCH_WORDS;
        int k = 0;
        HY_LOOP(b->sel, n, {
            memcpy(dst + (size_t)k * wd, src + (size_t)i * wd, wd);
            hy_valid_set(vb, k, hy_valid_get(v->valid, i));
            k++;
        });
        o->data = dst;
        o->validity = vb;
    }
    if (!hy_csv_write_rows(p->csv, p->nsinkin, w->cv, n))
        return hy_error_set(&w->err, HY_E_IO, "cannot write CSV output");
    return true;
}

static bool sink_consume(worker *w, const hy_batch *b) {
    pipe *p = w->p;
    int n = b->sel ? b->nsel : b->n;
    if (n <= 0) return true;
    w->rows_out += n;
    switch (p->sk) {
    case SINK_MAT: hy_mat_append_batch(w->mat, b); return true;
    case SINK_CSV: return csv_write_batch(w, b);
    case SINK_AGG: {
        const hy_plan *ap = p->sinkplan;
        for (int k = 0; k < ap->u.aggregate.ngroups; k++) {
            if (!hy_xeval(w->gx[k], b, b->sel, n, &w->err)) return false;
            w->keys[k] = w->gx[k]->out;
        }
        for (int a = 0; a < ap->u.aggregate.naggs; a++) {
            if (!w->ax[a]) continue;
            if (!hy_xeval(w->ax[a], b, b->sel, n, &w->err)) return false;
            w->args[a] = w->ax[a]->out;
        }
        return hy_aggtab_consume(w->agg, w->keys, w->args, b, b->sel, n, &w->err);
    }
    }
    return true;
}

/*
 * The streaming operators and the sink over one batch. With consume false the sink only
 * evaluates its expressions (aggregate keys and arguments) and stores nothing.
 */
static bool run_batch(worker *w, hy_batch *bp, bool consume) {
    pipe *p = w->p;
    hy_batch b = *bp;
    int n = b.sel ? b.nsel : b.n;
    if (w->sfilter) {
        int k = hy_xselect(w->sfilter, &b, b.sel, n, w->ssel, &w->err);
        if (k < 0) return false;
        if (k == 0) return true;
        if (b.sel || k < n) {
            b.sel = w->ssel;
            b.nsel = k;
        }
    }
    for (int o = 0; o < p->nops; o++) {
        opinfo *oi = &p->ops[o];
        opstate *os = &w->os[o];
        if (oi->plan->kind == HY_PLAN_FILTER) {
            int k = hy_xselect(os->pred, &b, b.sel, b.nsel, os->sel, &w->err);
            if (k < 0) return false;
            if (k == 0) return true;
            if (b.sel || k < b.n) {
                b.sel = os->sel;
                b.nsel = k;
            }
        } else {
            for (int c = 0; c < oi->nout; c++) {
                if (!hy_xeval(os->ex[c], &b, b.sel, b.nsel, &w->err)) return false;
                os->cols[c] = os->ex[c]->out;
            }
            b.cols = os->cols;
            b.ncols = oi->nout;
        }
    }
    if (consume) return sink_consume(w, &b);
    if (p->sk == SINK_AGG) {
        const hy_plan *ap = p->sinkplan;
        int k = b.sel ? b.nsel : b.n;
        for (int g = 0; g < ap->u.aggregate.ngroups; g++)
            if (!hy_xeval(w->gx[g], &b, b.sel, k, &w->err)) return false;
        for (int a = 0; a < ap->u.aggregate.naggs; a++)
            if (w->ax[a] && !hy_xeval(w->ax[a], &b, b.sel, k, &w->err)) return false;
    }
    return true;
}

/*
 * A batch failed. Expressions run column by column over the whole batch, so which error it
 * hit depends on the batch bounds (morsel size): re-run the rows one at a time, in order, and
 * report the error of the first row that fails on its own (its first failing expression), so
 * the message does not depend on --morsel-rows or --threads. Error path only. If no single
 * row fails (an error of the batch as a whole), the batch's error stands.
 */
static void first_failing_row(worker *w, int64_t bs, int n) {
    hy_error batch_err = w->err;
    uint16_t one[1];
    for (int i = 0; i < n; i++) {
        hy_error_clear(&w->err);
        one[0] = (uint16_t)i;
        hy_batch b;
        b.n = n;
        b.sel = one;
        b.nsel = 1;
        b.ncols = w->p->nsrc;
        b.cols = w->srccols;
        b.row0 = bs;
        if (!run_batch(w, &b, false)) return; /* w->err: this row's error */
    }
    w->err = batch_err;
}

static bool run_morsel(worker *w, int64_t m) {
    pipe *p = w->p;
    int64_t start = m * p->mrows, end = start + p->mrows;
    if (end > p->rows) end = p->rows;
    for (int64_t bs = start; bs < end; bs += HY_BATCH) {
        int n = (int)(end - bs < HY_BATCH ? end - bs : HY_BATCH);
        for (int c = 0; c < p->nsrc; c++) {
            hy_xv *v = &w->srccols[c];
            v->type = p->srctypes[c];
            size_t wd = hy_xwidth(v->type);
            uint64_t *vb = w->vbits + (size_t)c * HY_BATCH_WORDS;
            if (p->table) {
                int tc = p->tcols[c];
                v->data = (char *)hy_col_data(p->table, tc) + (size_t)bs * wd;
                if (hy_col_zone(p->table, tc, m)->null_count == 0) {
                    v->valid = NULL;
                } else {
                    hy_bits_copy(vb, hy_col_validity(p->table, tc), bs, n);
                    v->valid = vb;
                }
            } else {
                v->data = (char *)p->mat->data[c] + (size_t)bs * wd;
                hy_bits_copy(vb, p->mat->valid[c], bs, n);
                v->valid = vb;
            }
        }
        hy_batch b;
        b.n = n;
        b.sel = NULL;
        b.nsel = n;
        b.ncols = p->nsrc;
        b.cols = w->srccols;
        b.row0 = bs;
        if (!run_batch(w, &b, true)) {
            first_failing_row(w, bs, n);
            return false;
        }
    }
    return true;
}

/* After a morsel of a LIMIT pipeline: stop once the completed prefix of morsels holds enough
 * rows (later morsels cannot contribute to the first rows in morsel order). */
static void limit_account(pipe *p, int64_t m, int64_t rows) {
    pthread_mutex_lock(&p->mu);
    p->mrowcnt[m] = rows;
    while (p->prefix < p->nmorsels && p->mrowcnt[p->prefix] >= 0) p->prefix_rows += p->mrowcnt[p->prefix++];
    if (p->prefix_rows >= p->limit_needed) atomic_store(&p->stop, 1);
    pthread_mutex_unlock(&p->mu);
}

/* Do morsels 0..m-1 (all completed) already hold the rows the LIMIT needs? */
static bool limit_satisfied_before(const pipe *p, int64_t m) {
    int64_t rows = 0;
    for (int64_t i = 0; i < m; i++) {
        if (p->mrowcnt[i] < 0) return false;
        rows += p->mrowcnt[i];
        if (rows >= p->limit_needed) return true;
    }
    return rows >= p->limit_needed;
}

static void run_worker(worker *w) {
    pipe *p = w->p;
    hy_exec_env *env = p->q->env;
    for (;;) {
        if (atomic_load(&p->stop)) break;
        if (env->interrupt && atomic_load(env->interrupt)) {
            hy_error_set(&w->err, HY_E_INTERRUPT, "interrupted");
            w->err_morsel = -1;
            atomic_store(&p->stop, 1);
            break;
        }
        int64_t m = atomic_fetch_add(&p->next, 1);
        if (m >= p->nmorsels) break;
        int64_t before = w->rows_out;
        if (p->table && p->nzc && zone_skip(p, m)) {
            w->skipped++;
        } else {
            int64_t segstart = w->mat ? w->mat->rows : 0;
            if (!run_morsel(w, m)) {
                w->err_morsel = m;
                atomic_store(&p->stop, 1);
                break;
            }
            w->morsels++;
            if (w->mat && w->mat->rows > segstart) {
                if (w->nsegs == w->capsegs) {
                    w->capsegs = w->capsegs ? w->capsegs * 2 : 16;
                    w->segs = realloc(w->segs, sizeof(seg) * (size_t)w->capsegs);
                    if (!w->segs) abort();
                }
                w->segs[w->nsegs].m = m;
                w->segs[w->nsegs].start = segstart;
                w->segs[w->nsegs].n = w->mat->rows - segstart;
                w->nsegs++;
            }
        }
        atomic_fetch_add(&p->done, 1);
        if (p->limit_needed >= 0) limit_account(p, m, w->rows_out - before);
        if (w->id == 0 && p->nmorsels > 1)
            hy_progress_tick(p->q, (double)atomic_load(&p->done) / (double)p->nmorsels, p->q->label);
    }
}

static void *worker_main(void *arg) {
    run_worker(arg);
    return NULL;
}

static int cmp_seg(const void *a, const void *b) {
    int64_t x = ((const seg *)a)->m, y = ((const seg *)b)->m;
    return (x > y) - (x < y);
}

/* Concatenate the workers' buffers in morsel order. */
static hy_mat *concat_segments(pipe *p) {
    if (p->nworkers == 1) {
        hy_mat *m = p->w[0]->mat;
        p->w[0]->mat = NULL;
        return m;
    }
    int64_t nseg = 0;
    for (int i = 0; i < p->nworkers; i++) nseg += p->w[i]->nsegs;
    seg *all = xcalloc((size_t)(nseg ? nseg : 1), sizeof(seg));
    int64_t k = 0;
    for (int i = 0; i < p->nworkers; i++)
        for (int64_t s = 0; s < p->w[i]->nsegs; s++) {
            all[k] = p->w[i]->segs[s];
            all[k].m = all[k].m * p->nworkers + i; /* keep the owner recoverable after sorting */
            k++;
        }
    qsort(all, (size_t)nseg, sizeof(seg), cmp_seg);
    hy_mat *out = hy_mat_new(p->nsinkin, p->sinkin);
    int64_t total = 0;
    for (int64_t s = 0; s < nseg; s++) total += all[s].n;
    hy_mat_reserve(out, total);
    for (int64_t s = 0; s < nseg; s++) {
        int i = (int)(all[s].m % p->nworkers);
        hy_mat_append_rows(out, p->w[i]->mat, all[s].start, all[s].n, false);
    }
    for (int i = 0; i < p->nworkers; i++) hy_mat_adopt_heaps(out, p->w[i]->mat);
    free(all);
    return out;
}

static const char *breaker_name(const hy_plan *n) {
    switch (n->kind) {
    case HY_PLAN_AGGREGATE: return "HASH_AGGREGATE";
    case HY_PLAN_SORT: return "SORT";
    case HY_PLAN_LIMIT: return "LIMIT";
    case HY_PLAN_VALUES: return "VALUES";
    default: return "RESULT";
    }
}

static hy_mat *values_mat(hy_qctx *q, const hy_plan *p) {
    hy_mat *m = hy_mat_new(p->ncols, p->types);
    hy_mat_add_rows(m, p->u.values.nrows);
    hy_strheap tmp;
    hy_strheap_init(&tmp);
    for (int64_t r = 0; r < p->u.values.nrows; r++) {
        for (int c = 0; c < p->ncols; c++) {
            hy_value v, cv;
            if (!hy_xeval_const(p->u.values.rows[r][c], &v, &tmp, q->err)) goto fail;
            if (!v.is_null && !hy_lt_eq(v.type, p->types[c]) && p->types[c].id != HY_TYPE_NULL) {
                if (!hy_value_cast(&v, p->types[c], &cv, &tmp, q->err)) goto fail;
                v = cv;
            }
            hy_mat_set_value(m, c, r, &v);
        }
        if (q->env->interrupt && atomic_load(q->env->interrupt)) {
            hy_error_set(q->err, HY_E_INTERRUPT, "interrupted");
            goto fail;
        }
    }
    hy_strheap_free(&tmp);
    return m;
fail:
    hy_strheap_free(&tmp);
    hy_mat_free(m);
    return NULL;
}

static void record_stats(pipe *p) {
    hy_qctx *q = p->q;
    if (q->nstats == q->capstats) {
        q->capstats = q->capstats ? q->capstats * 2 : 8;
        q->stats = realloc(q->stats, sizeof(hy_pstat) * (size_t)q->capstats);
        if (!q->stats) abort();
    }
    hy_pstat *st = &q->stats[q->nstats++];
    memset(st, 0, sizeof *st);
    st->ops = strdup(p->ops_text);
    st->threads = p->nworkers;
    for (int i = 0; i < p->nworkers; i++) {
        st->rows += p->w[i]->rows_out;
        st->morsels += p->w[i]->morsels;
        st->skipped += p->w[i]->skipped;
    }
}

/* The materialized output of the last recorded pipeline goes on through `step` (SORT of the
 * buffer, LIMIT slice, RESULT) without a new pass: say so in that pipeline's operators. */
static void stats_append(hy_qctx *q, const char *step) {
    if (q->nstats == 0) return;
    hy_pstat *st = &q->stats[q->nstats - 1];
    size_t l = strlen(st->ops), n = strlen(step);
    char *ops = realloc(st->ops, l + n + 5);
    if (!ops) abort();
    snprintf(ops + l, n + 5, " -> %s", step);
    st->ops = ops;
}

/* A buffer handed to the next step without a pass (VALUES rows): a pipeline of no morsels. */
static void record_handover(hy_qctx *q, const char *src, const char *sink, int64_t rows) {
    if (q->nstats == q->capstats) {
        q->capstats = q->capstats ? q->capstats * 2 : 8;
        q->stats = realloc(q->stats, sizeof(hy_pstat) * (size_t)q->capstats);
        if (!q->stats) abort();
    }
    hy_pstat *st = &q->stats[q->nstats++];
    memset(st, 0, sizeof *st);
    size_t cap = strlen(src) + strlen(sink) + 5;
    st->ops = malloc(cap);
    if (!st->ops) abort();
    snprintf(st->ops, cap, "%s -> %s", src, sink);
    st->rows = rows;
    st->threads = 1;
}

static void ops_append(pipe *p, const char *s) {
    size_t l = strlen(p->ops_text);
    snprintf(p->ops_text + l, sizeof p->ops_text - l, "%s%s", l ? " -> " : "", s);
}

/*
 * Run the pipeline whose top streaming node is `top` into the given sink. Returns the
 * materialized output (SINK_MAT, SINK_AGG) or a non-NULL dummy for SINK_CSV; NULL on error.
 */
static hy_mat *run_pipeline(hy_qctx *q, const hy_plan *top, sink_kind sk, const hy_plan *sinkplan,
                            const char *sinkname, int64_t limit_needed, hy_csv_writer *csv,
                            int64_t *csv_rows) {
    hy_exec_env *env = q->env;
    /* collect streaming operators top-down, then reverse */
    const hy_plan *chain[64];
    int nchain = 0;
    const hy_plan *src = top;
    while (src && (src->kind == HY_PLAN_FILTER || src->kind == HY_PLAN_PROJECT)) {
        if (nchain == 64) {
            hy_error_set(q->err, HY_E_INTERNAL, "operator chain too long");
            return NULL;
        }
        chain[nchain++] = src;
        src = src->child;
    }
    if (!src) {
        hy_error_set(q->err, HY_E_INTERNAL, "pipeline without a source");
        return NULL;
    }
    pipe *p = xcalloc(1, sizeof *p);
    p->q = q;
    p->sk = sk;
    p->sinkplan = sinkplan;
    p->csv = csv;
    p->limit_needed = limit_needed;
    pthread_mutex_init(&p->mu, NULL);
    hy_mat *srcmat = NULL, *result = NULL;
    char buf[200];
    if (src->kind == HY_PLAN_SCAN) {
        const hy_table *t = src->u.scan.table;
        p->table = t;
        p->tcols = src->u.scan.columns;
        p->nsrc = src->u.scan.ncols;
        p->srctypes = xcalloc((size_t)(p->nsrc ? p->nsrc : 1), sizeof(hy_ltype));
        for (int c = 0; c < p->nsrc; c++) {
            if (p->tcols[c] < 0 || p->tcols[c] >= t->ncols) {
                hy_error_set(q->err, HY_E_INTERNAL, "scan column %d out of range", p->tcols[c]);
                goto out;
            }
            p->srctypes[c] = t->cols[p->tcols[c]].type;
        }
        p->rows = t->rows;
        p->mrows = t->morsel_rows > 0 ? t->morsel_rows : HY_DEFAULT_MORSEL_ROWS;
        p->scan_filter = src->u.scan.filter;
        snprintf(buf, sizeof buf, "SCAN %s", t->name);
        ops_append(p, buf);
        if (p->scan_filter) ops_append(p, "FILTER");
    } else {
        srcmat = src->kind == HY_PLAN_VALUES ? values_mat(q, src) : hy_exec_plan(q, src);
        if (!srcmat) goto out;
        /* nothing to do: hand the buffer over. The output of a SORT/LIMIT continues its own
         * pipeline; an aggregate's output is read by a new pipeline (below) like any other. */
        if (nchain == 0 && sk == SINK_MAT && src->kind != HY_PLAN_AGGREGATE) {
            if (src->kind == HY_PLAN_VALUES) record_handover(q, "VALUES", sinkname, srcmat->rows);
            else stats_append(q, sinkname);
            result = srcmat;
            srcmat = NULL;
            goto out;
        }
        p->mat = srcmat;
        p->nsrc = srcmat->ncols;
        p->srctypes = xcalloc((size_t)(p->nsrc ? p->nsrc : 1), sizeof(hy_ltype));
        memcpy(p->srctypes, srcmat->types, sizeof(hy_ltype) * (size_t)p->nsrc);
        p->rows = srcmat->rows;
        p->mrows = env->morsel_rows > 0 ? env->morsel_rows : HY_DEFAULT_MORSEL_ROWS;
        ops_append(p, breaker_name(src));
    }
    p->nmorsels = (p->rows + p->mrows - 1) / p->mrows;
    /* operator schemas, bottom-up */
    p->nops = nchain;
    p->ops = xcalloc((size_t)(nchain ? nchain : 1), sizeof(opinfo));
    int nin = p->nsrc;
    const hy_ltype *intypes = p->srctypes;
    for (int o = 0; o < nchain; o++) {
        const hy_plan *n = chain[nchain - 1 - o];
        opinfo *oi = &p->ops[o];
        oi->plan = n;
        oi->nin = nin;
        oi->intypes = intypes;
        if (n->kind == HY_PLAN_PROJECT) {
            oi->nout = n->ncols;
            oi->outtypes = xcalloc((size_t)(n->ncols ? n->ncols : 1), sizeof(hy_ltype));
            memcpy(oi->outtypes, n->types, sizeof(hy_ltype) * (size_t)n->ncols);
            nin = oi->nout;
            intypes = oi->outtypes;
        }
        ops_append(p, n->kind == HY_PLAN_FILTER ? "FILTER" : "PROJECT");
    }
    p->nsinkin = nin;
    p->sinkin = intypes;
    ops_append(p, sk == SINK_AGG ? "HASH_AGGREGATE" : sk == SINK_CSV ? "COPY TO" : sinkname);

    /* workers: the calling thread is worker 0 */
    int nw = env->threads > 1 ? env->threads : 1;
    if (sk == SINK_CSV) nw = 1; /* output order is file order */
    if (nw > p->nmorsels) nw = p->nmorsels > 0 ? (int)p->nmorsels : 1;
    p->nworkers = nw;
    p->w = xcalloc((size_t)nw, sizeof(worker *));
    for (int i = 0; i < nw; i++) {
        worker *w = xcalloc(1, sizeof *w);
        w->p = p;
        w->id = i;
        hy_error_clear(&w->err);
        p->w[i] = w;
        if (!worker_init(w)) {
            hy_error_set(q->err, w->err.code, "%s", w->err.msg);
            goto out;
        }
        if (i == 0) {
            /* zone-map conjuncts from the pushed-down filter and FILTERs right above the scan */
            if (p->table) {
                if (w->sfilter) add_zconj(p, w->sfilter);
                for (int o = 0; o < p->nops && p->ops[o].plan->kind == HY_PLAN_FILTER; o++)
                    add_zconj(p, w->os[o].pred);
            }
            if (sk == SINK_AGG) {
                const hy_plan *ap = sinkplan;
                int ng = ap->u.aggregate.ngroups, na = ap->u.aggregate.naggs;
                p->spec.nkeys = ng;
                p->spec.ktypes = xcalloc((size_t)(ng ? ng : 1), sizeof(hy_ltype));
                for (int k = 0; k < ng; k++) p->spec.ktypes[k] = w->gx[k]->type;
                p->spec.naggs = na;
                p->spec.funcs = xcalloc((size_t)(na ? na : 1), sizeof(hy_agg_func));
                p->spec.distinct = xcalloc((size_t)(na ? na : 1), sizeof(bool));
                p->spec.intypes = xcalloc((size_t)(na ? na : 1), sizeof(hy_ltype));
                p->spec.outtypes = xcalloc((size_t)(na ? na : 1), sizeof(hy_ltype));
                for (int a = 0; a < na; a++) {
                    const hy_agg *ag = &ap->u.aggregate.aggs[a];
                    p->spec.funcs[a] = ag->arg ? ag->func : HY_AGG_COUNT_STAR;
                    p->spec.distinct[a] = ag->distinct;
                    p->spec.intypes[a] = w->ax[a] ? w->ax[a]->type : hy_lt(HY_TYPE_BIGINT);
                    p->spec.outtypes[a] = ag->type;
                    if (ag->func != HY_AGG_COUNT_STAR && ag->func != HY_AGG_COUNT && w->ax[a]) {
                        hy_type it = w->ax[a]->type.id;
                        bool num = it == HY_TYPE_INTEGER || it == HY_TYPE_BIGINT ||
                                   it == HY_TYPE_DECIMAL || it == HY_TYPE_DOUBLE;
                        if ((ag->func == HY_AGG_SUM || ag->func == HY_AGG_AVG) && !num) {
                            char tn[32];
                            hy_error_set(q->err, HY_E_TYPE, "%s(%s) is not supported", hy_agg_name(ag->func),
                                         hy_lt_name(w->ax[a]->type, tn, sizeof tn));
                            goto out;
                        }
                    }
                }
            }
        }
        if (sk == SINK_AGG) w->agg = hy_aggtab_new(&p->spec);
    }
    if (limit_needed >= 0) {
        p->mrowcnt = xcalloc((size_t)(p->nmorsels ? p->nmorsels : 1), sizeof(int64_t));
        for (int64_t m = 0; m < p->nmorsels; m++) p->mrowcnt[m] = -1;
        if (limit_needed == 0) atomic_store(&p->stop, 1);
    }
    int started = 0;
    for (int i = 1; i < nw; i++) {
        if (pthread_create(&p->w[i]->th, NULL, worker_main, p->w[i]) != 0) break;
        started = i;
    }
    run_worker(p->w[0]);
    for (int i = 1; i <= started; i++) pthread_join(p->w[i]->th, NULL);
    if (started < nw - 1) {
        /* thread creation failed: finish the remaining morsels inline */
        for (int i = started + 1; i < nw; i++) run_worker(p->w[i]);
    }
    {
        /* Report the error of the lowest failing morsel: every morsel below it was claimed
         * before it (the counter is monotonic) and ran to completion, so this is the error a
         * single thread meets first, whatever the thread count. */
        worker *fw = NULL;
        for (int i = 0; i < nw; i++)
            if (hy_failed(&p->w[i]->err) && (!fw || p->w[i]->err_morsel < fw->err_morsel)) fw = p->w[i];
        if (fw && fw->err_morsel >= 0 && limit_needed >= 0 && limit_satisfied_before(p, fw->err_morsel))
            fw = NULL; /* a single thread would have stopped for the LIMIT before that morsel */
        if (fw) {
            hy_error_set(q->err, fw->err.code, "%s", fw->err.msg);
            goto out;
        }
    }
    if (env->interrupt && atomic_load(env->interrupt)) {
        hy_error_set(q->err, HY_E_INTERRUPT, "interrupted");
        goto out;
    }
    record_stats(p);
    switch (sk) {
    case SINK_MAT: result = concat_segments(p); break;
    case SINK_AGG:
        for (int i = 1; i < nw; i++)
            if (!hy_aggtab_merge(p->w[0]->agg, p->w[i]->agg, q->err)) goto out;
        result = hy_aggtab_finish(p->w[0]->agg, q->err);
        break;
    case SINK_CSV:
        *csv_rows = p->w[0]->rows_out;
        result = hy_mat_new(0, NULL);
        break;
    }
out:
    if (p->w)
        for (int i = 0; i < p->nworkers; i++) worker_free(p->w[i]);
    free(p->w);
    for (int o = 0; o < p->nops; o++) free(p->ops[o].outtypes);
    free(p->ops);
    free(p->srctypes);
    free(p->zc);
    free(p->mrowcnt);
    free(p->spec.ktypes);
    free(p->spec.funcs);
    free(p->spec.distinct);
    free(p->spec.intypes);
    free(p->spec.outtypes);
    pthread_mutex_destroy(&p->mu);
    hy_mat_free(srcmat);
    free(p);
    return result;
}

hy_mat *hy_exec_plan(hy_qctx *q, const hy_plan *p) {
    switch (p->kind) {
    case HY_PLAN_AGGREGATE:
        return run_pipeline(q, p->child, SINK_AGG, p, NULL, -1, NULL, NULL);
    case HY_PLAN_SORT: {
        hy_mat *m = run_pipeline(q, p->child, SINK_MAT, p, "SORT", -1, NULL, NULL);
        if (!m) return NULL;
        hy_mat *s = hy_sort_mat(m, p->u.sort.nkeys, p->u.sort.keys, q->err);
        hy_mat_free(m);
        return s;
    }
    case HY_PLAN_LIMIT: {
        int64_t lim = p->u.limit.limit, off = p->u.limit.offset < 0 ? 0 : p->u.limit.offset;
        int64_t need = lim < 0 ? -1 : (lim > INT64_MAX - off ? INT64_MAX : lim + off);
        hy_mat *m = run_pipeline(q, p->child, SINK_MAT, p, "LIMIT", need, NULL, NULL);
        if (!m) return NULL;
        hy_mat_slice(m, off, lim);
        return m;
    }
    case HY_PLAN_VALUES:
    case HY_PLAN_SCAN:
    case HY_PLAN_FILTER:
    case HY_PLAN_PROJECT:
        return run_pipeline(q, p, SINK_MAT, NULL, "RESULT", -1, NULL, NULL);
    }
    hy_error_set(q->err, HY_E_INTERNAL, "unknown plan node %d", (int)p->kind);
    return NULL;
}

hy_mat *hy_exec_query(hy_qctx *q, const hy_plan *p) {
    switch (p->kind) {
    case HY_PLAN_AGGREGATE: /* the aggregate's output is read by a pipeline into the result */
        return run_pipeline(q, p, SINK_MAT, NULL, "RESULT", -1, NULL, NULL);
    case HY_PLAN_SORT:
    case HY_PLAN_LIMIT: {
        hy_mat *m = hy_exec_plan(q, p);
        if (m) stats_append(q, "RESULT");
        return m;
    }
    default: return hy_exec_plan(q, p);
    }
}

int64_t hy_exec_plan_csv(hy_qctx *q, const hy_plan *p, hy_csv_writer *w) {
    if (p->kind == HY_PLAN_SCAN || p->kind == HY_PLAN_FILTER || p->kind == HY_PLAN_PROJECT) {
        int64_t rows = 0;
        hy_mat *m = run_pipeline(q, p, SINK_CSV, NULL, NULL, -1, w, &rows);
        if (!m) return -1;
        hy_mat_free(m);
        return rows;
    }
    /* a breaker at the top: materialize, then write in batches */
    hy_mat *m = hy_exec_plan(q, p);
    if (!m) return -1;
    hy_vec *cv = xcalloc((size_t)(m->ncols ? m->ncols : 1), sizeof(hy_vec));
    uint64_t *vb = xcalloc((size_t)(m->ncols ? m->ncols : 1) * HY_BATCH_WORDS, sizeof(uint64_t));
    bool ok = true;
    for (int64_t r = 0; r < m->rows && ok; r += HY_BATCH) {
        int64_t n = m->rows - r < HY_BATCH ? m->rows - r : HY_BATCH;
        for (int c = 0; c < m->ncols; c++) {
            cv[c].type = m->types[c];
            cv[c].n = n;
            cv[c].data = (char *)m->data[c] + (size_t)r * hy_xwidth(m->types[c]);
            hy_bits_copy(vb + (size_t)c * HY_BATCH_WORDS, m->valid[c], r, n);
            cv[c].validity = vb + (size_t)c * HY_BATCH_WORDS;
        }
        ok = hy_csv_write_rows(w, m->ncols, cv, n);
    }
    int64_t rows = m->rows;
    free(cv);
    free(vb);
    hy_mat_free(m);
    if (!ok) {
        hy_error_set(q->err, HY_E_IO, "cannot write CSV output");
        return -1;
    }
    return rows;
}
