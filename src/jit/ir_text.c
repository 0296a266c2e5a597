/* Textual IR: printer and parser (.hir files). The grammar is documented in
 * jit/ir.h; every name comes from the X-macro tables there. */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "jit/ir.h"

/* ======================================================================
 * Printer
 * ====================================================================== */

static void print_f64(FILE *out, int64_t bits) {
    double d;
    memcpy(&d, &bits, 8);
    if (isnan(d)) {
        if ((uint64_t)bits == 0x7ff8000000000000ull) fputs("nan", out);
        else fprintf(out, "f64bits 0x%016" PRIx64, (uint64_t)bits);
        return;
    }
    if (isinf(d)) {
        fputs(d < 0 ? "-inf" : "inf", out);
        return;
    }
    char buf[64];
    snprintf(buf, sizeof buf, "%.17g", d);
    double back = strtod(buf, NULL);
    int64_t bb;
    memcpy(&bb, &back, 8);
    if (bb == bits) fputs(buf, out);
    else fprintf(out, "f64bits 0x%016" PRIx64, (uint64_t)bits);
}

static void print_helper(FILE *out, const struct hy_helpers *h, int64_t idx) {
    if (h && idx >= 0 && (uint64_t)idx < h->n && h->v[idx].name) fprintf(out, "@%s", h->v[idx].name);
    else fprintf(out, "@#%lld", (long long)idx);
}

static void print_guard_tail(FILE *out, const struct hy_ins *in) {
    fprintf(out, " -> bb%u id=%u ctr=%u", in->t1, in->guard_id, in->counter);
}

static void print_mem(FILE *out, const struct hy_ins *in) {
    fprintf(out, "[%%%d", in->a);
    if (in->b != HY_NONE) fprintf(out, " + %%%d*%u", in->b, in->scale);
    if (in->imm > 0) fprintf(out, " + %lld", (long long)in->imm);
    else if (in->imm < 0) fprintf(out, " - %lld", -(long long)in->imm);
    fputc(']', out);
}

void hy_print_ins(FILE *out, const struct hy_func *fn, const struct hy_ins *in, const struct hy_helpers *h) {
    if (in->op >= HY_OP__COUNT) {
        fprintf(out, "<bad opcode %u>", in->op);
        return;
    }
    int cls = hy_op_class[in->op];
    const char *tn = in->type < HY_T__COUNT ? hy_type_name[in->type] : "?";
    if (in->dst != HY_NONE) fprintf(out, "%%%d:%s = ", in->dst, tn);
    fputs(hy_op_name[in->op], out);
    switch (cls) {
    case HY_OC_CONST:
        fputc(' ', out);
        if (in->type == HY_T_F64) print_f64(out, in->imm);
        else if (in->type == HY_T_PTR) fprintf(out, "0x%" PRIx64, (uint64_t)in->imm);
        else fprintf(out, "%lld", (long long)in->imm);
        break;
    case HY_OC_UN:
        fprintf(out, " %%%d", in->a);
        break;
    case HY_OC_BIN:
        fprintf(out, " %%%d, %%%d", in->a, in->b);
        break;
    case HY_OC_CHK:
        fprintf(out, " %%%d, %%%d", in->a, in->b);
        print_guard_tail(out, in);
        break;
    case HY_OC_CMP:
        if (in->op == HY_OP_ICMP) fprintf(out, ".%s", in->cc < HY_IC__COUNT ? hy_icond_name[in->cc] : "?");
        else fprintf(out, ".%s", in->cc < HY_FC__COUNT ? hy_fcond_name[in->cc] : "?");
        fprintf(out, " %%%d, %%%d", in->a, in->b);
        break;
    case HY_OC_SEL:
        fprintf(out, " %%%d, %%%d, %%%d", in->a, in->b, in->c);
        break;
    case HY_OC_LOAD:
        fprintf(out, ".%s ", in->cc < HY_M__COUNT ? hy_mem_name[in->cc] : "?");
        print_mem(out, in);
        break;
    case HY_OC_STORE:
        fprintf(out, ".%s ", in->cc < HY_M__COUNT ? hy_mem_name[in->cc] : "?");
        print_mem(out, in);
        fprintf(out, ", %%%d", in->c);
        break;
    case HY_OC_CALL:
        fputc(' ', out);
        print_helper(out, h, in->imm);
        fputc('(', out);
        for (int i = 0; i < in->nargs; i++) fprintf(out, "%s%%%d", i ? ", " : "", in->args[i]);
        fputc(')', out);
        break;
    case HY_OC_GUARD:
        fprintf(out, ".%s %s %%%d", in->kind < HY_GK__COUNT ? hy_guard_kind_name[in->kind] : "?",
                in->cc < HY_IC__COUNT ? hy_icond_name[in->cc] : "?", in->a);
        if (in->b != HY_NONE) fprintf(out, ", %%%d", in->b);
        print_guard_tail(out, in);
        break;
    case HY_OC_BR:
        fprintf(out, " bb%u", in->t1);
        break;
    case HY_OC_CONDBR:
        fprintf(out, " %%%d, bb%u, bb%u", in->a, in->t1, in->t2);
        break;
    case HY_OC_RET:
        if (in->a != HY_NONE) fprintf(out, " %%%d", in->a);
        break;
    }
    (void)fn;
}

int hy_print_func(FILE *out, const struct hy_func *fn, const struct hy_helpers *h) {
    fprintf(out, "func @%s(", fn->name);
    for (uint32_t p = 0; p < fn->nparams; p++)
        fprintf(out, "%s%%%u:%s", p ? ", " : "", p, fn->vtype[p] < HY_T__COUNT ? hy_type_name[fn->vtype[p]] : "?");
    fprintf(out, ") -> %s {\n", fn->ret < HY_T__COUNT ? hy_type_name[fn->ret] : "?");
    /* vregs that are neither params nor ever assigned still have a type */
    uint8_t *seen = calloc(fn->nvregs ? fn->nvregs : 1, 1);
    if (seen) {
        for (uint32_t b = 0; b < fn->nblocks; b++)
            for (uint32_t i = 0; i < fn->blocks[b].n; i++) {
                int d = fn->blocks[b].ins[i].dst;
                if (d >= 0 && (uint32_t)d < fn->nvregs) seen[d] = 1;
            }
        for (uint32_t r = fn->nparams; r < fn->nvregs; r++)
            if (!seen[r]) fprintf(out, "  decl %%%u:%s\n", r, fn->vtype[r] < HY_T__COUNT ? hy_type_name[fn->vtype[r]] : "?");
        free(seen);
    }
    for (uint32_t b = 0; b < fn->nblocks; b++) {
        fprintf(out, "bb%u:\n", b);
        for (uint32_t i = 0; i < fn->blocks[b].n; i++) {
            fputs("  ", out);
            hy_print_ins(out, fn, &fn->blocks[b].ins[i], h);
            fputc('\n', out);
        }
    }
    fputs("}\n", out);
    return ferror(out) ? -1 : 0;
}

char *hy_print_func_str(const struct hy_func *fn, const struct hy_helpers *h) {
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f) return NULL;
    int rc = hy_print_func(f, fn, h);
    if (fclose(f) != 0 || rc) {
        free(buf);
        return NULL;
    }
    return buf;
}

/* ======================================================================
 * Lexer
 * ====================================================================== */

enum tk { TK_EOF, TK_NL, TK_IDENT, TK_VREG, TK_GLOBAL, TK_NUM, TK_PUNCT };

struct tok {
    uint8_t kind;
    char punct;              /* '(' ... or 'A' for "->" */
    uint32_t line, col;
    const char *s;           /* text start */
    uint32_t len;
};

struct parser {
    const char *src;
    size_t len;
    struct tok *t;
    size_t nt, cap, pos;
    char *err;
    size_t errcap;
    int failed;
    const struct hy_helpers *helpers;
    struct hy_func *fn;
    /* labels, with an open-addressing hash of label index + 1 */
    struct { const char *s; uint32_t len; int defined; } *lab;
    uint32_t nlab;
    uint32_t *lhash, lhcap;
    /* vreg bookkeeping */
    uint32_t *first_use_line, *first_use_col; /* per vreg, for "never typed" */
    uint32_t vcap;
};

static void perr(struct parser *p, uint32_t line, uint32_t col, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static void perr(struct parser *p, uint32_t line, uint32_t col, const char *fmt, ...) {
    if (p->failed) return;
    p->failed = 1;
    if (!p->err || !p->errcap) return;
    int n = snprintf(p->err, p->errcap, "%u:%u: ", line, col);
    if (n < 0 || (size_t)n >= p->errcap) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p->err + n, p->errcap - (size_t)n, fmt, ap);
    va_end(ap);
}

static int push_tok(struct parser *p, struct tok t) {
    if (p->nt == p->cap) {
        size_t nc = p->cap ? p->cap * 2 : 256;
        struct tok *n = realloc(p->t, nc * sizeof *n);
        if (!n) {
            perr(p, t.line, t.col, "out of memory");
            return -1;
        }
        p->t = n;
        p->cap = nc;
    }
    p->t[p->nt++] = t;
    return 0;
}

static int is_ident_start(int c) { return isalpha(c) || c == '_'; }
static int is_ident_char(int c) { return isalnum(c) || c == '_' || c == '.'; }

static int lex(struct parser *p) {
    const char *s = p->src;
    size_t i = 0, n = p->len;
    uint32_t line = 1, col = 1;
    while (i < n && !p->failed) {
        unsigned char c = (unsigned char)s[i];
        struct tok t = {0};
        t.line = line;
        t.col = col;
        t.s = s + i;
        if (c == '\n') {
            t.kind = TK_NL;
            t.len = 1;
            i++;
            line++;
            col = 1;
            if (push_tok(p, t)) return -1;
            continue;
        }
        if (c == ' ' || c == '\t' || c == '\r') {
            i++;
            col++;
            continue;
        }
        if (c == ';' || c == '#') {
            while (i < n && s[i] != '\n') i++, col++;
            continue;
        }
        size_t st = i;
        if (c == '%') {
            i++;
            while (i < n && isdigit((unsigned char)s[i])) i++;
            if (i == st + 1) {
                perr(p, line, col, "expected a vreg number after '%%'");
                return -1;
            }
            t.kind = TK_VREG;
        } else if (c == '@') {
            i++;
            if (i < n && s[i] == '#') i++;
            while (i < n && is_ident_char((unsigned char)s[i])) i++;
            if (i == st + 1) {
                perr(p, line, col, "expected a name after '@'");
                return -1;
            }
            t.kind = TK_GLOBAL;
        } else if (isdigit(c)) {
            int hex = c == '0' && i + 1 < n && (s[i + 1] == 'x' || s[i + 1] == 'X');
            i++;
            while (i < n) {
                unsigned char d = (unsigned char)s[i];
                if (isalnum(d) || d == '.' || d == '_') {
                    i++;
                } else if (!hex && (d == '+' || d == '-') && (s[i - 1] == 'e' || s[i - 1] == 'E')) {
                    i++;
                } else {
                    break;
                }
            }
            t.kind = TK_NUM;
        } else if (is_ident_start(c)) {
            while (i < n && is_ident_char((unsigned char)s[i])) i++;
            t.kind = TK_IDENT;
        } else if (c == '-' && i + 1 < n && s[i + 1] == '>') {
            i += 2;
            t.kind = TK_PUNCT;
            t.punct = 'A';
        } else if (strchr("(){}[],:=+-*", c) && c) {
            i++;
            t.kind = TK_PUNCT;
            t.punct = (char)c;
        } else {
            if (c >= 32 && c < 127) perr(p, line, col, "unexpected character '%c'", c);
            else perr(p, line, col, "unexpected byte 0x%02x", c);
            return -1;
        }
        t.len = (uint32_t)(i - st);
        col += t.len;
        if (push_tok(p, t)) return -1;
    }
    struct tok e = {0};
    e.kind = TK_EOF;
    e.line = line;
    e.col = col;
    e.s = s + n;
    return push_tok(p, e);
}

/* ======================================================================
 * Parser
 * ====================================================================== */

static struct tok *peek(struct parser *p) { return &p->t[p->pos]; }
static struct tok *next(struct parser *p) {
    struct tok *t = &p->t[p->pos];
    if (t->kind != TK_EOF) p->pos++;
    return t;
}
static int tok_is(const struct tok *t, const char *w) { return t->kind == TK_IDENT && t->len == strlen(w) && !memcmp(t->s, w, t->len); }
static int is_punct(const struct tok *t, char c) { return t->kind == TK_PUNCT && t->punct == c; }

static const char *tk_desc(const struct tok *t, char *buf, size_t cap) {
    switch (t->kind) {
    case TK_EOF: return "end of input";
    case TK_NL: return "end of line";
    default:
        snprintf(buf, cap, "'%.*s'", (int)(t->len > 40 ? 40 : t->len), t->s);
        return buf;
    }
}

static int expect(struct parser *p, char c, const char *what) {
    struct tok *t = next(p);
    if (!is_punct(t, c)) {
        char b[64];
        perr(p, t->line, t->col, "expected %s, found %s", what, tk_desc(t, b, sizeof b));
        return -1;
    }
    return 0;
}

static int expect_eol(struct parser *p) {
    struct tok *t = peek(p);
    if (t->kind == TK_NL) {
        next(p);
        return 0;
    }
    if (t->kind == TK_EOF) return 0;
    char b[64];
    perr(p, t->line, t->col, "expected end of line, found %s", tk_desc(t, b, sizeof b));
    return -1;
}

static void skip_nl(struct parser *p) {
    while (peek(p)->kind == TK_NL) next(p);
}

static int parse_type(struct parser *p, int allow_void) {
    struct tok *t = next(p);
    if (t->kind == TK_IDENT)
        for (int i = allow_void ? 0 : 1; i < HY_T__COUNT; i++)
            if (t->len == strlen(hy_type_name[i]) && !memcmp(t->s, hy_type_name[i], t->len)) return i;
    char b[64];
    perr(p, t->line, t->col, "expected a type (i32, i64, f64, ptr%s), found %s", allow_void ? ", void" : "", tk_desc(t, b, sizeof b));
    return -1;
}

#define MAX_VREG (1u << 20)

/* Ensure vreg id exists in the function (with unknown type 0xFF). */
static int touch_vreg(struct parser *p, uint32_t id, const struct tok *t) {
    struct hy_func *fn = p->fn;
    if (id >= MAX_VREG) {
        perr(p, t->line, t->col, "vreg number %u too large", id);
        return -1;
    }
    while (fn->nvregs <= id) {
        if (hy_vreg_new(fn, 0xFF) == HY_NONE) {
            perr(p, t->line, t->col, "out of memory");
            return -1;
        }
    }
    if (p->vcap < fn->nvregs) {
        uint32_t nc = fn->nvregs + 64;
        uint32_t *a = realloc(p->first_use_line, nc * sizeof *a), *b;
        if (a) p->first_use_line = a;
        b = realloc(p->first_use_col, nc * sizeof *b);
        if (b) p->first_use_col = b;
        if (!a || !b) {
            perr(p, t->line, t->col, "out of memory");
            return -1;
        }
        for (uint32_t i = p->vcap; i < nc; i++) p->first_use_line[i] = 0;
        p->vcap = nc;
    }
    if (!p->first_use_line[id]) {
        p->first_use_line[id] = t->line;
        p->first_use_col[id] = t->col;
    }
    return 0;
}

static int vreg_num(struct parser *p, const struct tok *t, uint32_t *out) {
    uint64_t v = 0;
    for (uint32_t i = 1; i < t->len; i++) {
        v = v * 10 + (uint64_t)(t->s[i] - '0');
        if (v >= MAX_VREG) {
            perr(p, t->line, t->col, "vreg number too large");
            return -1;
        }
    }
    *out = (uint32_t)v;
    return 0;
}

/* A use of a vreg: returns its id or -1. */
static int parse_use(struct parser *p) {
    struct tok *t = next(p);
    if (t->kind != TK_VREG) {
        char b[64];
        perr(p, t->line, t->col, "expected a vreg (%%N), found %s", tk_desc(t, b, sizeof b));
        return -1;
    }
    uint32_t id;
    if (vreg_num(p, t, &id) || touch_vreg(p, id, t)) return -1;
    return (int)id;
}

static uint32_t label_hash(const char *s, uint32_t len) {
    uint32_t h = 2166136261u;
    for (uint32_t i = 0; i < len; i++) h = (h ^ (uint8_t)s[i]) * 16777619u;
    return h;
}

/* Index of label s, or -1. */
static int64_t label_find(const struct parser *p, const char *s, uint32_t len) {
    if (!p->lhcap) return -1;
    for (uint32_t h = label_hash(s, len) & (p->lhcap - 1);; h = (h + 1) & (p->lhcap - 1)) {
        uint32_t e = p->lhash[h];
        if (!e) return -1;
        if (p->lab[e - 1].len == len && !memcmp(p->lab[e - 1].s, s, len)) return e - 1;
    }
}

static int parse_label_ref(struct parser *p, uint32_t *blk) {
    struct tok *t = next(p);
    if (t->kind == TK_IDENT) {
        int64_t i = label_find(p, t->s, t->len);
        if (i >= 0) {
            *blk = (uint32_t)i;
            return 0;
        }
    }
    char b[64];
    if (t->kind == TK_IDENT) perr(p, t->line, t->col, "unknown block label %s", tk_desc(t, b, sizeof b));
    else perr(p, t->line, t->col, "expected a block label, found %s", tk_desc(t, b, sizeof b));
    return -1;
}

/* Unsigned integer literal (decimal or 0x hex) -> *v; -1 if not one. */
static int num_u64(const struct tok *t, uint64_t *v) {
    char buf[72];
    if (t->kind != TK_NUM || t->len >= sizeof buf) return -1;
    memcpy(buf, t->s, t->len);
    buf[t->len] = 0;
    for (uint32_t i = 0; i < t->len; i++)
        if (buf[i] == '.' || ((buf[i] == 'e' || buf[i] == 'E') && !(t->len > 1 && (buf[1] == 'x' || buf[1] == 'X')))) return -1;
    char *end;
    errno = 0;
    unsigned long long x = strtoull(buf, &end, 0);
    if (errno || *end) return -1;
    *v = x;
    return 0;
}

/* Signed integer: optional '-' then literal, must fit [lo, hi]. */
static int parse_int(struct parser *p, int64_t lo, uint64_t hi, int64_t *out, const char *what) {
    int neg = 0;
    struct tok *t = peek(p), *start = t;
    if (is_punct(t, '-')) {
        neg = 1;
        next(p);
    }
    t = next(p);
    uint64_t u;
    char b[64];
    if (num_u64(t, &u)) {
        perr(p, t->line, t->col, "expected %s, found %s", what, tk_desc(t, b, sizeof b));
        return -1;
    }
    if (neg) {
        if (u > (uint64_t)0 - (uint64_t)lo && lo < 0) goto range;
        if (lo >= 0 && u) goto range;
        *out = (int64_t)(0 - u);
    } else {
        if (u > hi) goto range;
        *out = (int64_t)u;
    }
    return 0;
range:
    perr(p, start->line, start->col, "%s out of range", what);
    return -1;
}

static int parse_f64(struct parser *p, int64_t *bits) {
    struct tok *t = peek(p);
    if (tok_is(t, "f64bits")) {
        next(p);
        t = next(p);
        uint64_t u;
        if (num_u64(t, &u)) {
            perr(p, t->line, t->col, "expected the 64-bit pattern after f64bits");
            return -1;
        }
        *bits = (int64_t)u;
        return 0;
    }
    int neg = 0;
    if (is_punct(t, '-')) {
        neg = 1;
        next(p);
    }
    t = next(p);
    double d;
    if (tok_is(t, "inf")) {
        d = INFINITY;
    } else if (tok_is(t, "nan")) {
        uint64_t q = 0x7ff8000000000000ull;
        memcpy(&d, &q, 8);
    } else if (t->kind == TK_NUM && t->len < 64) {
        char buf[64], *end;
        memcpy(buf, t->s, t->len);
        buf[t->len] = 0;
        d = strtod(buf, &end);
        if (*end) {
            perr(p, t->line, t->col, "bad f64 literal '%s'", buf);
            return -1;
        }
    } else {
        char b[64];
        perr(p, t->line, t->col, "expected an f64 literal, found %s", tk_desc(t, b, sizeof b));
        return -1;
    }
    if (neg) d = -d;
    memcpy(bits, &d, 8);
    return 0;
}

/* [%base (+ %idx[*scale])? ((+|-) disp)?] in any order of the optional parts */
static int parse_mem(struct parser *p, struct hy_ins *in) {
    if (expect(p, '[', "'['")) return -1;
    int base = parse_use(p);
    if (base < 0) return -1;
    in->a = base;
    in->b = HY_NONE;
    in->scale = 1;
    int64_t disp = 0;
    int have_disp = 0;
    for (;;) {
        struct tok *t = next(p);
        if (is_punct(t, ']')) break;
        if (!is_punct(t, '+') && !is_punct(t, '-')) {
            char b[64];
            perr(p, t->line, t->col, "expected '+', '-' or ']' in address, found %s", tk_desc(t, b, sizeof b));
            return -1;
        }
        int neg = is_punct(t, '-');
        struct tok *u = peek(p);
        if (u->kind == TK_VREG) {
            if (neg) {
                perr(p, u->line, u->col, "an index register cannot be subtracted");
                return -1;
            }
            if (in->b != HY_NONE) {
                perr(p, u->line, u->col, "address has two index registers");
                return -1;
            }
            in->b = parse_use(p);
            if (in->b < 0) return -1;
            if (is_punct(peek(p), '*')) {
                next(p);
                struct tok *s = next(p);
                uint64_t sc;
                if (num_u64(s, &sc) || (sc != 1 && sc != 2 && sc != 4 && sc != 8)) {
                    perr(p, s->line, s->col, "scale must be 1, 2, 4 or 8");
                    return -1;
                }
                in->scale = (uint8_t)sc;
            }
        } else {
            if (have_disp) {
                perr(p, u->line, u->col, "address has two displacements");
                return -1;
            }
            uint64_t d;
            if (num_u64(u, &d) || d > (neg ? 2147483648ull : 2147483647ull)) {
                perr(p, u->line, u->col, "displacement must be an integer in int32 range");
                return -1;
            }
            next(p);
            disp = neg ? -(int64_t)d : (int64_t)d;
            have_disp = 1;
        }
    }
    in->imm = disp;
    return 0;
}

/* "-> LABEL id=N ctr=N" (id/ctr optional, default 0) */
static int parse_guard_tail(struct parser *p, struct hy_ins *in) {
    if (!is_punct(peek(p), 'A')) {
        struct tok *t = peek(p);
        char b[64];
        perr(p, t->line, t->col, "expected '-> LABEL' (the exit block), found %s", tk_desc(t, b, sizeof b));
        return -1;
    }
    next(p);
    if (parse_label_ref(p, &in->t1)) return -1;
    for (;;) {
        struct tok *t = peek(p);
        int isid = tok_is(t, "id"), isctr = tok_is(t, "ctr");
        if (!isid && !isctr) break;
        next(p);
        if (expect(p, '=', "'='")) return -1;
        int64_t v;
        if (parse_int(p, 0, UINT32_MAX, &v, isid ? "guard id" : "counter slot")) return -1;
        if (isid) in->guard_id = (uint32_t)v;
        else in->counter = (uint32_t)v;
    }
    return 0;
}

static int lookup_name(const struct tok *t, uint32_t off, const char *const *names, int n) {
    uint32_t len = t->len - off;
    for (int i = 0; i < n; i++)
        if (strlen(names[i]) == len && !memcmp(t->s + off, names[i], len)) return i;
    return -1;
}

static int parse_helper(struct parser *p, int64_t *idx) {
    struct tok *t = next(p);
    if (t->kind != TK_GLOBAL) {
        char b[64];
        perr(p, t->line, t->col, "expected a helper name @NAME, found %s", tk_desc(t, b, sizeof b));
        return -1;
    }
    if (t->len > 2 && t->s[1] == '#') {
        int64_t v = 0;
        for (uint32_t i = 2; i < t->len; i++) {
            if (!isdigit((unsigned char)t->s[i]) || v > 1000000) {
                perr(p, t->line, t->col, "bad helper index");
                return -1;
            }
            v = v * 10 + (t->s[i] - '0');
        }
        *idx = v;
        return 0;
    }
    const struct hy_helpers *h = p->helpers;
    for (uint32_t i = 0; h && i < h->n; i++)
        if (h->v[i].name && strlen(h->v[i].name) == t->len - 1 && !memcmp(h->v[i].name, t->s + 1, t->len - 1)) {
            *idx = i;
            return 0;
        }
    perr(p, t->line, t->col, "unknown helper %.*s", (int)(t->len > 60 ? 60 : t->len), t->s);
    return -1;
}

/* One instruction line (label lines handled by the caller). */
static int parse_ins(struct parser *p, uint32_t blk) {
    struct hy_ins in;
    hy_ins_init(&in, 0);
    struct tok *t = peek(p);
    int dst = HY_NONE, dtype = HY_T_VOID;
    if (t->kind == TK_VREG) {
        struct tok *dt = next(p);
        uint32_t id;
        if (vreg_num(p, dt, &id) || touch_vreg(p, id, dt)) return -1;
        if (expect(p, ':', "':' and the type after the destination")) return -1;
        dtype = parse_type(p, 0);
        if (dtype < 0) return -1;
        uint8_t *vt = &p->fn->vtype[id];
        if (*vt != 0xFF && *vt != dtype) {
            perr(p, dt->line, dt->col, "%%%u was declared %s, here %s", id, hy_type_name[*vt], hy_type_name[dtype]);
            return -1;
        }
        *vt = (uint8_t)dtype;
        if (expect(p, '=', "'='")) return -1;
        dst = (int)id;
    }
    struct tok *ot = next(p);
    if (ot->kind != TK_IDENT) {
        char b[64];
        perr(p, ot->line, ot->col, "expected an opcode, found %s", tk_desc(ot, b, sizeof b));
        return -1;
    }
    uint32_t dot = 0;
    while (dot < ot->len && ot->s[dot] != '.') dot++;
    int op = -1;
    for (int i = 0; i < HY_OP__COUNT; i++)
        if (strlen(hy_op_name[i]) == dot && !memcmp(ot->s, hy_op_name[i], dot)) op = i;
    if (op < 0) {
        perr(p, ot->line, ot->col, "unknown opcode '%.*s'", (int)(dot > 40 ? 40 : dot), ot->s);
        return -1;
    }
    in.op = (uint8_t)op;
    int cls = hy_op_class[op];
    int has_suffix = dot < ot->len;
    int want_suffix = cls == HY_OC_CMP || cls == HY_OC_LOAD || cls == HY_OC_STORE || cls == HY_OC_GUARD;
    if (has_suffix != want_suffix) {
        if (want_suffix) perr(p, ot->line, ot->col, "%s needs a suffix (e.g. %s)", hy_op_name[op],
                              cls == HY_OC_CMP ? "icmp.slt" : cls == HY_OC_GUARD ? "guard.null" : "load.i64");
        else perr(p, ot->line, ot->col, "%s takes no '.' suffix", hy_op_name[op]);
        return -1;
    }
    if (has_suffix) {
        int s = -1;
        if (op == HY_OP_ICMP) s = lookup_name(ot, dot + 1, hy_icond_name, HY_IC_EQZ);
        else if (op == HY_OP_FCMP) s = lookup_name(ot, dot + 1, hy_fcond_name, HY_FC__COUNT);
        else if (cls == HY_OC_GUARD) s = lookup_name(ot, dot + 1, hy_guard_kind_name, HY_GK__COUNT);
        else {
            s = lookup_name(ot, dot + 1, hy_mem_name, HY_M__COUNT);
            if (cls == HY_OC_STORE && s >= 0) {
                if (s == HY_M_U8) s = HY_M_I8;
                else if (s == HY_M_U16) s = HY_M_I16;
                else if (s == HY_M_U32) s = HY_M_I32;
            }
        }
        if (s < 0) {
            perr(p, ot->line, ot->col, "unknown suffix '%.*s' for %s", (int)(ot->len - dot - 1 > 30 ? 30 : ot->len - dot - 1),
                 ot->s + dot + 1, hy_op_name[op]);
            return -1;
        }
        if (cls == HY_OC_GUARD) in.kind = (uint8_t)s;
        else in.cc = (uint8_t)s;
    }
    int needs_dst = !(cls == HY_OC_STORE || cls == HY_OC_GUARD || cls == HY_OC_BR || cls == HY_OC_CONDBR ||
                      cls == HY_OC_RET || cls == HY_OC_CALL);
    if (needs_dst && dst == HY_NONE) {
        perr(p, ot->line, ot->col, "%s needs a destination (%%N:type = %s ...)", hy_op_name[op], hy_op_name[op]);
        return -1;
    }
    if (!needs_dst && cls != HY_OC_CALL && dst != HY_NONE) {
        perr(p, ot->line, ot->col, "%s has no result", hy_op_name[op]);
        return -1;
    }
    in.dst = dst;
    in.type = (uint8_t)dtype;
    switch (cls) {
    case HY_OC_CONST: {
        int64_t v;
        if (dtype == HY_T_F64) {
            if (parse_f64(p, &v)) return -1;
        } else if (dtype == HY_T_I32) {
            if (parse_int(p, INT32_MIN, UINT32_MAX, &v, "i32 constant")) return -1;
        } else {
            if (parse_int(p, INT64_MIN, UINT64_MAX, &v, "64-bit constant")) return -1;
        }
        in.imm = v;
        break;
    }
    case HY_OC_UN:
        if ((in.a = parse_use(p)) < 0) return -1;
        break;
    case HY_OC_BIN:
    case HY_OC_CMP:
    case HY_OC_CHK:
        if ((in.a = parse_use(p)) < 0 || expect(p, ',', "','") || (in.b = parse_use(p)) < 0) return -1;
        if (cls == HY_OC_CHK) {
            in.kind = HY_GK_OVERFLOW;
            if (parse_guard_tail(p, &in)) return -1;
        }
        break;
    case HY_OC_SEL:
        if ((in.a = parse_use(p)) < 0 || expect(p, ',', "','") || (in.b = parse_use(p)) < 0 ||
            expect(p, ',', "','") || (in.c = parse_use(p)) < 0)
            return -1;
        break;
    case HY_OC_LOAD:
        if (parse_mem(p, &in)) return -1;
        break;
    case HY_OC_STORE:
        if (parse_mem(p, &in) || expect(p, ',', "',' and the stored value") || (in.c = parse_use(p)) < 0) return -1;
        break;
    case HY_OC_CALL: {
        if (parse_helper(p, &in.imm) || expect(p, '(', "'('")) return -1;
        if (!is_punct(peek(p), ')')) {
            for (;;) {
                if (in.nargs >= HY_MAX_ARGS) {
                    struct tok *a = peek(p);
                    perr(p, a->line, a->col, "more than %d call arguments", HY_MAX_ARGS);
                    return -1;
                }
                int a = parse_use(p);
                if (a < 0) return -1;
                in.args[in.nargs++] = a;
                if (!is_punct(peek(p), ',')) break;
                next(p);
            }
        }
        if (expect(p, ')', "')'")) return -1;
        break;
    }
    case HY_OC_GUARD: {
        struct tok *c = next(p);
        int cc = c->kind == TK_IDENT ? lookup_name(c, 0, hy_icond_name, HY_IC__COUNT) : -1;
        if (cc < 0) {
            char b[64];
            perr(p, c->line, c->col, "expected a guard condition (eqz, nez, eq, slt, ...), found %s", tk_desc(c, b, sizeof b));
            return -1;
        }
        in.cc = (uint8_t)cc;
        if ((in.a = parse_use(p)) < 0) return -1;
        if (cc != HY_IC_EQZ && cc != HY_IC_NEZ) {
            if (expect(p, ',', "',' and the second operand") || (in.b = parse_use(p)) < 0) return -1;
        }
        if (parse_guard_tail(p, &in)) return -1;
        break;
    }
    case HY_OC_BR:
        if (parse_label_ref(p, &in.t1)) return -1;
        break;
    case HY_OC_CONDBR:
        if ((in.a = parse_use(p)) < 0 || expect(p, ',', "','") || parse_label_ref(p, &in.t1) ||
            expect(p, ',', "','") || parse_label_ref(p, &in.t2))
            return -1;
        break;
    case HY_OC_RET:
        if (peek(p)->kind == TK_VREG && (in.a = parse_use(p)) < 0) return -1;
        break;
    }
    if (expect_eol(p)) return -1;
    if (!hy_append(p->fn, blk, &in)) {
        perr(p, ot->line, ot->col, "out of memory");
        return -1;
    }
    return 0;
}

/* Pre-pass: every "IDENT :" at the start of a line is a block label. */
static int collect_labels(struct parser *p) {
    int line_start = 1;
    for (size_t i = 0; i + 1 < p->nt; i++) {
        struct tok *t = &p->t[i];
        if (line_start && t->kind == TK_IDENT && is_punct(&p->t[i + 1], ':')) {
            if (label_find(p, t->s, t->len) >= 0) {
                perr(p, t->line, t->col, "block label '%.*s' defined twice", (int)(t->len > 40 ? 40 : t->len), t->s);
                return -1;
            }
            if ((size_t)p->nlab * 2 + 2 > p->lhcap) { /* grow and rehash */
                uint32_t nc = p->lhcap ? p->lhcap * 2 : 64;
                uint32_t *nh = calloc(nc, sizeof *nh);
                if (!nh) {
                    perr(p, t->line, t->col, "out of memory");
                    return -1;
                }
                for (uint32_t k = 0; k < p->nlab; k++) {
                    uint32_t h = label_hash(p->lab[k].s, p->lab[k].len) & (nc - 1);
                    while (nh[h]) h = (h + 1) & (nc - 1);
                    nh[h] = k + 1;
                }
                free(p->lhash);
                p->lhash = nh;
                p->lhcap = nc;
            }
            if ((p->nlab & (p->nlab - 1)) == 0) {
                void *n = realloc(p->lab, (p->nlab ? p->nlab * 2 : 8) * sizeof *p->lab);
                if (!n) {
                    perr(p, t->line, t->col, "out of memory");
                    return -1;
                }
                p->lab = n;
            }
            p->lab[p->nlab].s = t->s;
            p->lab[p->nlab].len = t->len;
            p->lab[p->nlab].defined = 0;
            uint32_t h = label_hash(t->s, t->len) & (p->lhcap - 1);
            while (p->lhash[h]) h = (h + 1) & (p->lhcap - 1);
            p->lhash[h] = p->nlab + 1;
            p->nlab++;
        }
        line_start = t->kind == TK_NL;
    }
    return 0;
}

static int parse_header(struct parser *p) {
    skip_nl(p);
    struct tok *t = next(p);
    if (!tok_is(t, "func")) {
        char b[64];
        perr(p, t->line, t->col, "expected 'func', found %s", tk_desc(t, b, sizeof b));
        return -1;
    }
    struct tok *nm = next(p);
    if (nm->kind != TK_GLOBAL || nm->len < 2 || nm->s[1] == '#') {
        perr(p, nm->line, nm->col, "expected the function name @NAME");
        return -1;
    }
    if (expect(p, '(', "'('")) return -1;
    uint8_t pt[HY_MAX_ARGS];
    int np = 0;
    if (!is_punct(peek(p), ')')) {
        for (;;) {
            struct tok *v = next(p);
            uint32_t id;
            if (v->kind != TK_VREG) {
                perr(p, v->line, v->col, "expected parameter %%%d", np);
                return -1;
            }
            if (vreg_num(p, v, &id)) return -1;
            if (id != (uint32_t)np) {
                perr(p, v->line, v->col, "parameters must be %%0, %%1, ... in order (expected %%%d)", np);
                return -1;
            }
            if (np >= HY_MAX_ARGS) {
                perr(p, v->line, v->col, "more than %d parameters", HY_MAX_ARGS);
                return -1;
            }
            if (expect(p, ':', "':' and the parameter type")) return -1;
            int ty = parse_type(p, 0);
            if (ty < 0) return -1;
            pt[np++] = (uint8_t)ty;
            if (!is_punct(peek(p), ',')) break;
            next(p);
        }
    }
    if (expect(p, ')', "')'")) return -1;
    int ret = HY_T_VOID;
    if (is_punct(peek(p), 'A')) {
        next(p);
        ret = parse_type(p, 1);
        if (ret < 0) return -1;
    }
    char name[64];
    uint32_t nl = nm->len - 1 < sizeof name - 1 ? nm->len - 1 : (uint32_t)sizeof name - 1;
    memcpy(name, nm->s + 1, nl);
    name[nl] = 0;
    p->fn = hy_func_new(name, ret, np, pt);
    if (!p->fn || p->fn->failed) {
        perr(p, nm->line, nm->col, "out of memory");
        return -1;
    }
    for (int i = 0; i < np; i++)
        if (touch_vreg(p, (uint32_t)i, nm)) return -1;
    if (expect(p, '{', "'{'")) return -1;
    return expect_eol(p);
}

struct hy_func *hy_parse_func(const char *src, size_t len, const struct hy_helpers *helpers, char *err, size_t cap) {
    struct parser p;
    memset(&p, 0, sizeof p);
    p.src = src;
    p.len = len;
    p.err = err;
    p.errcap = cap;
    p.helpers = helpers;
    if (err && cap) err[0] = 0;
    if (lex(&p) || collect_labels(&p) || parse_header(&p)) goto fail;
    for (uint32_t i = 0; i < p.nlab; i++)
        if (hy_block_new(p.fn) == HY_NONE) {
            perr(&p, 1, 1, "out of memory");
            goto fail;
        }
    int cur = -1;
    struct tok *endtok = NULL;
    for (;;) {
        skip_nl(&p);
        struct tok *t = peek(&p);
        if (t->kind == TK_EOF) {
            perr(&p, t->line, t->col, "missing '}' at the end of the function");
            goto fail;
        }
        if (is_punct(t, '}')) {
            endtok = next(&p);
            break;
        }
        if (t->kind == TK_IDENT && is_punct(&p.t[p.pos + 1], ':')) {
            uint32_t b;
            if (parse_label_ref(&p, &b)) goto fail;
            next(&p);
            p.lab[b].defined = 1;
            if ((int)b != cur + 1) { /* labels are numbered in order of appearance */
                perr(&p, t->line, t->col, "internal: label order");
                goto fail;
            }
            cur = (int)b;
            if (expect_eol(&p)) goto fail;
            continue;
        }
        if (tok_is(t, "decl")) {
            next(&p);
            int v = parse_use(&p);
            if (v < 0 || expect(&p, ':', "':' and the type")) goto fail;
            int ty = parse_type(&p, 0);
            if (ty < 0) goto fail;
            if (p.fn->vtype[v] != 0xFF && p.fn->vtype[v] != ty) {
                perr(&p, t->line, t->col, "%%%d redeclared with another type", v);
                goto fail;
            }
            p.fn->vtype[v] = (uint8_t)ty;
            if (expect_eol(&p)) goto fail;
            continue;
        }
        if (cur < 0) {
            perr(&p, t->line, t->col, "instruction before the first block label");
            goto fail;
        }
        if (parse_ins(&p, (uint32_t)cur)) goto fail;
    }
    skip_nl(&p);
    if (peek(&p)->kind != TK_EOF) {
        struct tok *t = peek(&p);
        perr(&p, t->line, t->col, "unexpected text after the function (one function per file)");
        goto fail;
    }
    if (p.nlab == 0) {
        perr(&p, endtok->line, endtok->col, "function has no blocks");
        goto fail;
    }
    /* every vreg needs a type; stores take the type of their value */
    for (uint32_t r = 0; r < p.fn->nvregs; r++)
        if (p.fn->vtype[r] == 0xFF) {
            if (p.first_use_line && r < p.vcap && p.first_use_line[r])
                perr(&p, p.first_use_line[r], p.first_use_col[r], "%%%u is used but never assigned or declared", r);
            else
                p.fn->vtype[r] = HY_T_I64; /* never mentioned: unused */
            if (p.failed) goto fail;
        }
    for (uint32_t b = 0; b < p.fn->nblocks; b++)
        for (uint32_t i = 0; i < p.fn->blocks[b].n; i++) {
            struct hy_ins *in = &p.fn->blocks[b].ins[i];
            if (in->op == HY_OP_STORE) in->type = p.fn->vtype[in->c];
        }
    free(p.t);
    free(p.lab);
    free(p.lhash);
    free(p.first_use_line);
    free(p.first_use_col);
    return p.fn;
fail:
    if (!p.failed) perr(&p, 1, 1, "parse error");
    hy_func_free(p.fn);
    free(p.t);
    free(p.lab);
    free(p.lhash);
    free(p.first_use_line);
    free(p.first_use_col);
    return NULL;
}
