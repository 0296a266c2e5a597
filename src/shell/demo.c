/*
 * `hyperion demo [--sf X] [--threads N] [--morsel-rows N]`: generate TPC-H lineitem with
 * CALL dbgen, run Q1 and Q6, print their results in box form with execution times, and a
 * plan summary read from EXPLAIN (ANALYZE, FORMAT JSON) (tier, pipelines, rows, morsels).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "shell/shell.h"
#include "shell/tpch_queries.h"

static int demo_usage(void) {
    fprintf(stderr, "usage: hyperion demo [--sf X] [--threads N] [--morsel-rows N]\n"
                    "  --sf X  TPC-H scale factor (default 0.1; SF 1 = 6,001,215 lineitem rows)\n");
    return 2;
}

/* Thousands separators for row counts. */
static const char *group3(int64_t v, char *buf, size_t cap) {
    char tmp[32];
    snprintf(tmp, sizeof tmp, "%lld", (long long)(v < 0 ? -v : v));
    size_t n = strlen(tmp), o = 0;
    if (v < 0 && o + 1 < cap) buf[o++] = '-';
    for (size_t i = 0; i < n && o + 2 < cap; i++) {
        if (i && (n - i) % 3 == 0) buf[o++] = ',';
        buf[o++] = tmp[i];
    }
    buf[o] = 0;
    return buf;
}

static bool run(shell *sh, const char *sql, hy_result **out) {
    sh->stmt_start = shell_now();
    shell_progress_clear(sh);
    hy_status st = hy_exec(sh->db, sql, out);
    shell_progress_clear(sh);
    if (st != HY_OK) {
        fprintf(stderr, "Error: %s\n", hy_errmsg(sh->db));
        if (out && *out) { hy_result_free(*out); *out = NULL; }
        return false;
    }
    return true;
}

static void print_scalar_fields(const mj_value *o, const char *const *skip) {
    for (int i = 0; i < o->n; i++) {
        bool s = false;
        for (const char *const *k = skip; *k; k++)
            if (strcmp(*k, o->keys[i]) == 0) s = true;
        const mj_value *v = o->items[i];
        if (s || v->kind == MJ_ARR || v->kind == MJ_OBJ) continue;
        if (v->kind == MJ_STR || v->kind == MJ_NUM) printf(", %s %s", o->keys[i], v->str);
        else if (v->kind == MJ_BOOL) printf(", %s %s", o->keys[i], v->b ? "true" : "false");
    }
}

/* Print the pipelines of an EXPLAIN (ANALYZE, FORMAT JSON) object. */
static bool plan_summary(shell *sh, const char *query) {
    size_t n = strlen(query) + 64;
    char *sql = malloc(n);
    if (!sql) return false;
    snprintf(sql, n, "EXPLAIN (ANALYZE, FORMAT JSON) %s", query);
    hy_result *r = NULL;
    bool ok = run(sh, sql, &r);
    free(sql);
    if (!ok) return false;
    if (hy_result_kind_of(r) != HY_RESULT_TEXT) {
        fprintf(stderr, "Error: EXPLAIN (ANALYZE, FORMAT JSON) returned no text\n");
        hy_result_free(r);
        return false;
    }
    const char *err = NULL;
    mj_value *j = mj_parse(hy_result_text(r), &err);
    if (!j || j->kind != MJ_OBJ) {
        fprintf(stderr, "Error: cannot parse the EXPLAIN ANALYZE JSON: %s\n", err ? err : "not an object");
        mj_free(j);
        hy_result_free(r);
        return false;
    }
    const mj_value *ms = mj_get(j, "execution_ms"), *th = mj_get(j, "threads");
    const mj_value *pl = mj_get(j, "pipelines");
    if (!ms || ms->kind != MJ_NUM || !th || th->kind != MJ_NUM || !pl || pl->kind != MJ_ARR) {
        fprintf(stderr, "Error: EXPLAIN ANALYZE JSON lacks execution_ms/threads/pipelines\n");
        mj_free(j);
        hy_result_free(r);
        return false;
    }
    printf("Plan (EXPLAIN ANALYZE): %d pipeline%s, %s thread%s, %.2f ms\n", pl->n,
           pl->n == 1 ? "" : "s", th->str, th->num == 1 ? "" : "s", ms->num);
    static const char *const skip[] = {"id", "operators", "tier", "rows", "morsels", NULL};
    for (int i = 0; i < pl->n; i++) {
        const mj_value *p = pl->items[i];
        if (p->kind != MJ_OBJ) continue;
        const mj_value *id = mj_get(p, "id"), *op = mj_get(p, "operators");
        const mj_value *tier = mj_get(p, "tier"), *rows = mj_get(p, "rows");
        const mj_value *mo = mj_get(p, "morsels");
        char b1[32];
        printf("  pipeline %s: %s\n", id && id->str ? id->str : "?",
               op && op->kind == MJ_STR ? op->str : "?");
        printf("      tier %s, rows %s, morsels %s", tier && tier->kind == MJ_STR ? tier->str : "?",
               rows && rows->kind == MJ_NUM ? group3((int64_t)rows->num, b1, sizeof b1) : "?",
               mo && mo->str ? mo->str : "?");
        print_scalar_fields(p, skip);
        printf("\n");
    }
    mj_free(j);
    hy_result_free(r);
    return true;
}

static bool run_query(shell *sh, const char *title, const char *query) {
    printf("\n%s\n", title);
    hy_result *r = NULL;
    double t0 = shell_now();
    if (!run(sh, query, &r)) return false;
    double wall = (shell_now() - t0) * 1e3;
    render_box(stdout, r, 0);
    printf("%lld row%s, executed in %.2f ms (%.2f ms including result transfer)\n",
           (long long)hy_result_row_count(r), hy_result_row_count(r) == 1 ? "" : "s",
           hy_result_elapsed_ms(r), wall);
    hy_result_free(r);
    bool ok = plan_summary(sh, query);
    fflush(stdout);
    return ok;
}

int shell_demo(int argc, char **argv) {
    const char *sf = "0.1";
    hy_options opts = {0};
    for (int i = 1; i < argc; i++) {
        bool has = i + 1 < argc;
        if (strcmp(argv[i], "--sf") == 0 && has) {
            sf = argv[++i];
            char *end;
            errno = 0;
            double v = strtod(sf, &end);
            if (errno || *end || end == sf || !(v > 0) || v > 1000) {
                fprintf(stderr, "Error: --sf needs a number in (0, 1000], got \"%s\"\n", sf);
                return 2;
            }
        } else if ((strcmp(argv[i], "--threads") == 0 || strcmp(argv[i], "--morsel-rows") == 0) && has) {
            char *end;
            errno = 0;
            long long v = strtoll(argv[i + 1], &end, 10);
            if (errno || *end || v < 1 || (argv[i][2] == 't' && v > 1024)) {
                fprintf(stderr, "Error: %s needs a positive number, got \"%s\"\n", argv[i], argv[i + 1]);
                return 2;
            }
            if (argv[i][2] == 't') opts.threads = (int)v;
            else opts.morsel_rows = v;
            i++;
        } else if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
            demo_usage();
            return 0;
        } else {
            fprintf(stderr, "Error: unknown demo option \"%s\"\n", argv[i]);
            return demo_usage();
        }
    }
    shell sh;
    memset(&sh, 0, sizeof sh);
    sh.stderr_tty = isatty(STDERR_FILENO) != 0;
    sh.bar_last_pct = -1;
    if (hy_open(&sh.db, &opts) != HY_OK) {
        fprintf(stderr, "Error: cannot open the database\n");
        return 1;
    }
    if (sh.stderr_tty) hy_set_progress(sh.db, shell_progress, &sh);

    printf("Hyperion %s demo: TPC-H at scale factor %s\n", hy_version(), sf);
    char sql[128];
    snprintf(sql, sizeof sql, "CALL dbgen(sf => %s)", sf);
    printf("%s ...\n", sql);
    fflush(stdout);
    hy_result *r = NULL;
    int rc = 1;
    double t0 = shell_now();
    if (!run(&sh, sql, &r)) goto out;
    double gen_ms = (shell_now() - t0) * 1e3;
    if (r) hy_result_free(r);
    r = NULL;
    if (!run(&sh, "SELECT count(*) FROM lineitem", &r)) goto out;
    char b1[32];
    printf("lineitem: %s rows generated in %.1f ms\n",
           group3(hy_result_int64(r, 0, 0), b1, sizeof b1), gen_ms);
    hy_result_free(r);
    r = NULL;
    if (!run_query(&sh, "TPC-H Q1 (pricing summary report)", HY_TPCH_Q1)) goto out;
    if (!run_query(&sh, "TPC-H Q6 (forecasting revenue change)", HY_TPCH_Q6)) goto out;
    rc = 0;
out:
    hy_close(sh.db);
    return rc;
}
