/*
 * hyperion — the interactive shell and script runner.
 *
 *   hyperion [OPTIONS]                 interactive prompt on a TTY, else runs stdin
 *   hyperion demo [--sf X] [...]       TPC-H demo (see demo.c)
 *
 * Options (executed in the order given; with any -c/-f, stdin is not read):
 *   -c SQL           run SQL (statements and dot commands); repeatable
 *   -f FILE          run the statements of FILE
 *   --box            Unicode box with names and types (default when stdout is a TTY)
 *   --table          plain ASCII aligned table (default when stdout is not a TTY)
 *   --csv            RFC 4180 CSV with a header row, NULL = empty field
 *   --json           one JSON array of objects per result (one line each)
 *   --threads N      worker threads, 1..HY_MAX_THREADS (256)
 *   --morsel-rows N  rows per morsel, >= 1
 *   --keep-going     continue a script after a failing statement (still exits 1)
 *
 * Errors go to stderr as "Error: <message>". Scripts (-c, -f, stdin) stop at the first failing
 * statement (like sqlite3 -bail) unless --keep-going; the exit status is 1 if any statement
 * failed, 2 on a usage error. In --csv/--json modes stdout carries only query results (and
 * EXPLAIN text, and the output of .tables/.schema); timings and everything else go to stderr.
 * A -f file or stdin script holding a NUL byte is refused as a whole with
 * "line L:C: invalid NUL byte in input" (SQL texts are C strings: it would end the script).
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "shell/shell.h"

/* ---- time and progress ------------------------------------------------------------------- */

double shell_now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

#define BAR_CELLS 50
#define BAR_DELAY_S 0.3 /* do not flash a bar for work that ends right away */

/* Progress callback: a DuckDB-style bar on stderr, redrawn in place. Installed only when
 * stderr is a TTY. */
void shell_progress(void *ud, double done, const char *label) {
    shell *sh = ud;
    if (!sh->stderr_tty) return;
    if (shell_now() - sh->stmt_start < BAR_DELAY_S) return;
    if (done < 0) done = 0;
    if (done > 1) done = 1;
    int pct = (int)(done * 100.0);
    if (sh->bar_drawn && pct == sh->bar_last_pct) return;
    int full = (int)(done * BAR_CELLS + 0.5);
    fprintf(stderr, "\r%s%s%3d%% ▕", label ? label : "", label && *label ? " " : "", pct);
    for (int i = 0; i < BAR_CELLS; i++) fputs(i < full ? "█" : " ", stderr);
    fputs("▏", stderr);
    fflush(stderr);
    sh->bar_drawn = true;
    sh->bar_last_pct = pct;
}

void shell_progress_clear(shell *sh) {
    if (sh->bar_drawn) {
        fputs("\r\033[2K", stderr);
        fflush(stderr);
    }
    sh->bar_drawn = false;
    sh->bar_last_pct = -1;
}

/* ---- Ctrl-C ------------------------------------------------------------------------------ */

/* The one process-wide pointer: a signal handler has no context argument. It only ever
 * calls hy_interrupt(), which is documented as async-signal-safe. */
static hy_db *volatile g_interrupt_db;

static void on_sigint(int sig) {
    (void)sig;
    hy_db *db = g_interrupt_db;
    if (db) hy_interrupt(db);
}

/* ---- statements -------------------------------------------------------------------------- */

static FILE *info_stream(const shell *sh) {
    /* csv/json stdout must stay machine-readable */
    return (sh->mode == MODE_CSV || sh->mode == MODE_JSON) ? stderr : stdout;
}

static void report_error(shell *sh, const char *fallback) {
    const char *m = hy_errmsg(sh->db);
    fprintf(stderr, "Error: %s\n", m && *m ? m : fallback);
    fflush(stderr);
    sh->errors++;
}

static const char *skip_space_comments(const char *p) {
    for (;;) {
        while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '\f' || *p == '\v') p++;
        if (p[0] == '-' && p[1] == '-') {
            while (*p && *p != '\n') p++;
        } else if (p[0] == '/' && p[1] == '*') {
            const char *e = strstr(p + 2, "*/");
            if (!e) return p; /* unterminated: let the engine report it */
            p = e + 2;
        } else {
            return p;
        }
    }
}

static bool do_dot(shell *sh, const char *line, size_t len);

/*
 * Run a script text: SQL statements via hy_exec_next (so error positions are relative to the
 * whole text) and dot commands at statement boundaries. Returns false if it stopped on an
 * error (bail) or .quit.
 */
static bool run_text(shell *sh, const char *text) {
    size_t off = 0, len = strlen(text);
    while (off < len && !sh->quit) {
        const char *p = skip_space_comments(text + off);
        if (*p == 0) break;
        if (*p == '.') {
            const char *e = strchr(p, '\n');
            size_t n = e ? (size_t)(e - p) : strlen(p);
            off = (size_t)(p - text) + n;
            if (!do_dot(sh, p, n) && sh->bail) return false;
            continue;
        }
        hy_result *r = NULL;
        size_t before = off;
        sh->stmt_start = shell_now();
        shell_progress_clear(sh);
        g_interrupt_db = sh->interactive ? sh->db : NULL;
        hy_status st = hy_exec_next(sh->db, text, &off, &r);
        g_interrupt_db = NULL;
        double ms = (shell_now() - sh->stmt_start) * 1e3;
        shell_progress_clear(sh);
        if (st == HY_DONE) break;
        if (st != HY_OK) {
            if (r) hy_result_free(r);
            fflush(stdout);
            report_error(sh, "statement failed");
            if (sh->bail) return false;
            if (off <= before) break; /* no progress: nothing sensible left to run */
            continue;
        }
        if (r) {
            render_result(stdout, r, sh->mode);
            hy_result_free(r);
        }
        if (sh->timer) fprintf(info_stream(sh), "Run Time: %.3f ms\n", ms);
        fflush(stdout);
    }
    return !sh->quit;
}

/* ---- dot commands ------------------------------------------------------------------------ */

static const char *HELP_TEXT =
    ".help                  show this message\n"
    ".mode box|table|csv|json  output mode (box: Unicode table with types; table: plain ASCII;\n"
    "                       csv: RFC 4180 with header; json: one array of objects per result)\n"
    ".quit                  exit (also .exit)\n"
    ".schema [TABLE]        show the CREATE TABLE statement of every table, or of TABLE\n"
    ".tables                list the tables, one name per line, ordered by name\n"
    ".timer on|off          print the run time of each statement\n"
    "SQL statements end with ';'. Errors are printed as \"Error: <message>\".\n";

static int split_args(char *s, char **argv, int max) {
    int n = 0;
    while (*s && n < max) {
        while (*s == ' ' || *s == '\t' || *s == '\r') s++;
        if (!*s) break;
        char q = 0;
        if (*s == '\'' || *s == '"') q = *s++;
        argv[n++] = s;
        while (*s && (q ? *s != q : (*s != ' ' && *s != '\t' && *s != '\r'))) s++;
        if (*s) *s++ = 0;
    }
    return n;
}

static bool dot_error(shell *sh, const char *fmt, const char *arg) {
    fputs("Error: ", stderr);
    fprintf(stderr, fmt, arg);
    fputc('\n', stderr);
    sh->errors++;
    return false;
}

/*
 * .tables: the table names, one per line, ordered by name (easy to read from scripts).
 * .schema [TABLE]: the CREATE TABLE statement of every table, or of one table (the name is
 * matched case-insensitively, as SQL does for unquoted names). Both print to stdout in every
 * mode: it is the output the user asked for. An unknown table is an error.
 */
static bool dot_catalog(shell *sh, bool schema, const char *table) {
    hy_result *r = NULL;
    if (hy_tables(sh->db, &r) != HY_OK) {
        report_error(sh, "cannot list the tables");
        return false;
    }
    int64_t n = hy_result_row_count(r);
    bool found = false;
    for (int64_t i = 0; i < n; i++) {
        const char *name = hy_result_varchar(r, 0, i, NULL);
        if (!name) continue;
        if (!schema) {
            printf("%s\n", name);
            continue;
        }
        if (table && strcasecmp(name, table) != 0) continue;
        const char *sql = hy_result_varchar(r, 1, i, NULL);
        printf("%s\n", sql ? sql : "");
        found = true;
    }
    hy_result_free(r);
    if (schema && table && !found) return dot_error(sh, "table \"%s\" does not exist", table);
    return true;
}

static bool do_dot(shell *sh, const char *line, size_t len) {
    char *copy = strndup(line, len);
    char *argv[8];
    int argc = split_args(copy, argv, 8);
    bool ok = true;
    const char *cmd = argc ? argv[0] : ".";
    if (strcmp(cmd, ".help") == 0) {
        fputs(HELP_TEXT, info_stream(sh));
    } else if (strcmp(cmd, ".quit") == 0 || strcmp(cmd, ".exit") == 0 || strcmp(cmd, ".q") == 0) {
        sh->quit = true;
    } else if (strcmp(cmd, ".timer") == 0) {
        if (argc == 2 && strcmp(argv[1], "on") == 0) sh->timer = true;
        else if (argc == 2 && strcmp(argv[1], "off") == 0) sh->timer = false;
        else ok = dot_error(sh, "usage: .timer on|off%s", "");
    } else if (strcmp(cmd, ".mode") == 0) {
        if (argc != 2) ok = dot_error(sh, "usage: .mode box|table|csv|json%s", "");
        else if (strcmp(argv[1], "box") == 0) sh->mode = MODE_BOX;
        else if (strcmp(argv[1], "table") == 0) sh->mode = MODE_TABLE;
        else if (strcmp(argv[1], "csv") == 0) sh->mode = MODE_CSV;
        else if (strcmp(argv[1], "json") == 0) sh->mode = MODE_JSON;
        else ok = dot_error(sh, "unknown mode \"%s\" (box, table, csv, json)", argv[1]);
    } else if (strcmp(cmd, ".tables") == 0) {
        ok = argc == 1 ? dot_catalog(sh, false, NULL) : dot_error(sh, "usage: .tables%s", "");
    } else if (strcmp(cmd, ".schema") == 0) {
        if (argc > 2) ok = dot_error(sh, "usage: .schema [TABLE]%s", "");
        else ok = dot_catalog(sh, true, argc > 1 ? argv[1] : NULL);
    } else {
        ok = dot_error(sh, "unknown command \"%s\"; enter .help for the list", cmd);
    }
    free(copy);
    fflush(stdout);
    return ok;
}

/* ---- input ------------------------------------------------------------------------------- */

static char *read_all(FILE *f, size_t *len_out) {
    size_t cap = 1 << 16, len = 0;
    char *p = malloc(cap);
    if (!p) return NULL;
    for (;;) {
        if (len + 4096 + 1 > cap) {
            cap *= 2;
            char *np = realloc(p, cap);
            if (!np) { free(p); return NULL; }
            p = np;
        }
        size_t n = fread(p + len, 1, cap - len - 1, f);
        len += n;
        if (n == 0) break;
    }
    if (ferror(f)) { free(p); return NULL; }
    p[len] = 0;
    if (len_out) *len_out = len;
    return p;
}

/*
 * A NUL byte cannot be passed on to the engine (SQL texts are C strings) and must not end a
 * script silently: refuse the whole input, naming the NUL's position as line:column (1-based,
 * columns counted in characters like the engine's errors). True if text has no NUL.
 */
static bool check_no_nul(shell *sh, const char *text, size_t len) {
    const char *nul = memchr(text, 0, len);
    if (!nul) return true;
    int line = 1, col = 1;
    for (const char *p = text; p < nul; p++) {
        if (*p == '\n') {
            line++;
            col = 1;
        } else if (((unsigned char)*p & 0xC0) != 0x80) {
            col++;
        }
    }
    fprintf(stderr, "Error: line %d:%d: invalid NUL byte in input\n", line, col);
    fflush(stderr);
    sh->errors++;
    return false;
}

static bool run_file(shell *sh, const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "Error: cannot open \"%s\": %s\n", path, strerror(errno));
        sh->errors++;
        return false;
    }
    size_t len = 0;
    char *text = read_all(f, &len);
    fclose(f);
    if (!text) {
        fprintf(stderr, "Error: cannot read \"%s\"\n", path);
        sh->errors++;
        return false;
    }
    if (!check_no_nul(sh, text, len)) {
        free(text);
        return false;
    }
    size_t e0 = (size_t)sh->errors;
    bool ok = run_text(sh, text);
    free(text);
    return ok && (!sh->bail || (size_t)sh->errors == e0);
}

/* Is buf a complete statement: does its last significant token (outside quotes and
 * comments) be ';'? */
static bool statement_complete(const char *s) {
    bool semi = false;
    while (*s) {
        if (s[0] == '-' && s[1] == '-') {
            while (*s && *s != '\n') s++;
        } else if (s[0] == '/' && s[1] == '*') {
            const char *e = strstr(s + 2, "*/");
            if (!e) return false;
            s = e + 2;
        } else if (*s == '\'' || *s == '"') {
            char q = *s++;
            while (*s && *s != q) s++;
            if (!*s) return false;
            s++;
            semi = false;
        } else if (*s == ';') {
            semi = true;
            s++;
        } else {
            if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r') semi = false;
            s++;
        }
    }
    return semi;
}

static void interactive_loop(shell *sh) {
    printf("Hyperion %s — in-memory columnar SQL. Enter \".help\" for usage hints.\n",
           hy_version());
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sigint;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL); /* no SA_RESTART: Ctrl-C at the prompt drops the input */
    size_t cap = 0, blen = 0;
    char *bufp = NULL, *line = NULL;
    size_t lcap = 0;
    while (!sh->quit) {
        fputs(blen ? "     ...> " : "hyperion> ", stdout);
        fflush(stdout);
        errno = 0;
        ssize_t n = getline(&line, &lcap, stdin);
        if (n < 0) {
            if (errno == EINTR) {
                clearerr(stdin);
                fputc('\n', stdout);
                blen = 0;
                continue;
            }
            fputc('\n', stdout);
            break;
        }
        if (memchr(line, 0, (size_t)n)) {
            fprintf(stderr, "Error: invalid NUL byte in input; line ignored\n");
            continue;
        }
        if (blen == 0) {
            const char *p = skip_space_comments(line);
            if (*p == 0) continue;
            if (*p == '.') {
                size_t l = strcspn(p, "\r\n");
                do_dot(sh, p, l);
                continue;
            }
        }
        if (blen + (size_t)n + 1 > cap) {
            cap = (blen + (size_t)n + 1) * 2;
            char *nb = realloc(bufp, cap);
            if (!nb) { fprintf(stderr, "Error: out of memory\n"); break; }
            bufp = nb;
        }
        memcpy(bufp + blen, line, (size_t)n + 1);
        blen += (size_t)n;
        if (statement_complete(bufp)) {
            run_text(sh, bufp);
            blen = 0;
        }
    }
    if (blen) {
        bufp[blen] = 0;
        run_text(sh, bufp); /* EOF after an unterminated statement: run it anyway */
    }
    free(bufp);
    free(line);
}

/* ---- main -------------------------------------------------------------------------------- */

static void usage(FILE *f) {
    fprintf(f,
            "usage: hyperion [OPTIONS]\n"
            "       hyperion demo [--sf X] [--threads N] [--morsel-rows N]\n"
            "  -c SQL           run SQL (repeatable, in order)\n"
            "  -f FILE          run the statements in FILE\n"
            "  --box            Unicode table with column types (default on a TTY)\n"
            "  --table          plain ASCII table (default when stdout is not a TTY)\n"
            "  --csv            CSV with a header row (RFC 4180, NULL = empty field)\n"
            "  --json           one JSON array of objects per result\n"
            "  --threads N      worker threads, 1 to %d (default 1)\n"
            "  --morsel-rows N  rows per morsel, >= 1 (default 65536)\n"
            "  --keep-going     do not stop a script at the first error\n"
            "  --version        print the version\n"
            "Without -c/-f, reads statements from stdin (interactive prompt on a TTY).\n"
            "Dot commands: .tables, .schema [TABLE], .mode box|table|csv|json, .timer on|off,\n"
            "  .help, .quit (enter .help for details).\n"
            "Output: decimals keep their scale, doubles print as the shortest text that reads\n"
            "  back exactly; non-finite doubles print as inf, -inf and nan, and in --json as the\n"
            "  strings \"inf\", \"-inf\", \"nan\" (JSON has no such numbers). In --json, duplicate\n"
            "  column names get suffixes so keys stay unique: a, a_1, a_2, ...\n"
            "Exit status: 0 ok, 1 if a statement failed, 2 on a usage error. A NUL byte in a\n"
            "  script is an error (\"line L:C: invalid NUL byte in input\"); nothing is run.\n",
            HY_MAX_THREADS);
}

static bool parse_count(const char *s, int64_t *out) {
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || *end || end == s || v < 1) return false;
    *out = v;
    return true;
}

int main(int argc, char **argv) {
    if (argc >= 2 && strcmp(argv[1], "demo") == 0) return shell_demo(argc - 1, argv + 1);

    shell sh;
    memset(&sh, 0, sizeof sh);
    sh.bail = true;
    sh.stderr_tty = isatty(STDERR_FILENO) != 0;
    sh.bar_last_pct = -1;
    bool mode_set = false;
    int rc = 0;
    hy_options opts = {0};
    /* -c/-f in order: kind 'c' or 'f' */
    char *kinds = calloc((size_t)argc, 1);
    const char **vals = calloc((size_t)argc, sizeof *vals);
    int nitems = 0;
    if (!kinds || !vals) { fprintf(stderr, "Error: out of memory\n"); return 1; }
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        bool has_next = i + 1 < argc;
        if ((strcmp(a, "-c") == 0 || strcmp(a, "-f") == 0) && has_next) {
            kinds[nitems] = a[1];
            vals[nitems++] = argv[++i];
        } else if (strcmp(a, "--box") == 0) { sh.mode = MODE_BOX; mode_set = true; }
        else if (strcmp(a, "--table") == 0) { sh.mode = MODE_TABLE; mode_set = true; }
        else if (strcmp(a, "--csv") == 0) { sh.mode = MODE_CSV; mode_set = true; }
        else if (strcmp(a, "--json") == 0) { sh.mode = MODE_JSON; mode_set = true; }
        else if (strcmp(a, "--keep-going") == 0) sh.bail = false;
        else if ((strcmp(a, "--threads") == 0 || strcmp(a, "--morsel-rows") == 0) && has_next) {
            int64_t v;
            bool threads = a[2] == 't';
            if (!parse_count(argv[i + 1], &v) || (threads && v > HY_MAX_THREADS)) {
                if (threads)
                    fprintf(stderr, "Error: --threads must be a whole number from 1 to %d, got \"%s\"\n",
                            HY_MAX_THREADS, argv[i + 1]);
                else
                    fprintf(stderr, "Error: --morsel-rows must be a whole number from 1 to %lld, got \"%s\"\n",
                            (long long)INT64_MAX, argv[i + 1]);
                rc = 2;
                goto done;
            }
            if (threads) opts.threads = (int)v;
            else opts.morsel_rows = v;
            i++;
        } else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            usage(stdout);
            goto done;
        } else if (strcmp(a, "--version") == 0) {
            printf("hyperion %s\n", hy_version());
            goto done;
        } else {
            fprintf(stderr, "Error: unknown or incomplete option \"%s\"\n", a);
            usage(stderr);
            rc = 2;
            goto done;
        }
    }
    bool stdin_tty = isatty(STDIN_FILENO) != 0;
    if (!mode_set) sh.mode = isatty(STDOUT_FILENO) ? MODE_BOX : MODE_TABLE;
    if (hy_open(&sh.db, &opts) != HY_OK) {
        fprintf(stderr, "Error: cannot open the database\n");
        rc = 1;
        goto done;
    }
    if (sh.stderr_tty) hy_set_progress(sh.db, shell_progress, &sh);

    if (nitems > 0) {
        for (int i = 0; i < nitems && !sh.quit; i++) {
            bool ok = kinds[i] == 'c' ? run_text(&sh, vals[i]) : run_file(&sh, vals[i]);
            if (!ok && sh.errors && sh.bail) break;
        }
    } else if (stdin_tty) {
        sh.interactive = true;
        sh.bail = false;
        interactive_loop(&sh);
    } else {
        size_t len = 0;
        char *text = read_all(stdin, &len);
        if (!text) {
            fprintf(stderr, "Error: cannot read stdin\n");
            sh.errors++;
        } else if (!check_no_nul(&sh, text, len)) {
            free(text);
        } else {
            run_text(&sh, text);
            free(text);
        }
    }
    fflush(stdout);
    hy_close(sh.db);
    /* an interactive session's errors were shown as they happened: exit 0 like psql */
    rc = sh.errors && !sh.interactive ? 1 : 0;
done:
    free(kinds);
    free(vals);
    return rc;
}
