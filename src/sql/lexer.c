/* SQL lexer (see lexer.h). */
#include "sql/lexer.h"

#include <stdio.h>
#include <string.h>

static const struct {
    const char *text;
    bool reserved;
} kw_table[HY_KW__COUNT] = {
    [HY_KW_NONE] = {"", false},
#define R true
#define U false
#define HY_KW_ROW(id, s, cls) [HY_KW_##id] = {s, cls},
    HY_KEYWORDS(HY_KW_ROW)
#undef HY_KW_ROW
#undef R
#undef U
};

static const char *const op_table[HY_OP__COUNT] = {
    [HY_OP_NONE] = "",
#define HY_OP_ROW(id, s) [HY_OP_##id] = s,
    HY_SQL_OPS(HY_OP_ROW)
#undef HY_OP_ROW
};

const char *hy_keyword_text(hy_keyword kw) {
    return kw > HY_KW_NONE && kw < HY_KW__COUNT ? kw_table[kw].text : "";
}
bool hy_keyword_reserved(hy_keyword kw) {
    return kw > HY_KW_NONE && kw < HY_KW__COUNT && kw_table[kw].reserved;
}
const char *hy_sql_op_text(hy_sql_op op) {
    return op > HY_OP_NONE && op < HY_OP__COUNT ? op_table[op] : "";
}

static hy_keyword keyword_lookup(const char *lower, size_t n) {
    for (int k = 1; k < HY_KW__COUNT; k++) {
        const char *t = kw_table[k].text;
        if (strlen(t) == n && memcmp(t, lower, n) == 0) return (hy_keyword)k;
    }
    return HY_KW_NONE;
}

void hy_lexer_init(hy_lexer *lx, const char *src, size_t len, size_t start, hy_arena *a) {
    lx->src = src;
    lx->len = len;
    lx->pos = start;
    lx->arena = a;
}

static bool is_ident_start(unsigned char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
}
static bool is_ident_char(unsigned char c) {
    return is_ident_start(c) || (c >= '0' && c <= '9') || c == '$';
}
static bool is_digit(unsigned char c) { return c >= '0' && c <= '9'; }

int hy_sql_echo_len(const char *s, size_t len) {
    if (len <= HY_SQL_ECHO_MAX) return (int)len;
    size_t n = HY_SQL_ECHO_MAX;
    while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80) n--; /* s[n] starts the cut */
    return (int)n;
}

const char *hy_sql_echo(hy_arena *a, const char *s) {
    size_t len = strlen(s);
    int n = hy_sql_echo_len(s, len);
    if ((size_t)n == len) return s;
    char *out = hy_arena_alloc(a, (size_t)n + 4);
    memcpy(out, s, (size_t)n);
    memcpy(out + n, "...", 4);
    return out;
}

/* Character at i, or 0 at the end (the text ends at len or, when len is SIZE_MAX, at its
 * NUL). With an explicit length a NUL byte before it reads as 0 too: see at_end/nul_at. */
static inline unsigned char ch(const hy_lexer *lx, size_t i) {
    return i < lx->len ? (unsigned char)lx->src[i] : 0;
}
static inline bool at_end(const hy_lexer *lx, size_t i) {
    return i >= lx->len || (lx->len == SIZE_MAX && lx->src[i] == '\0');
}
/* A NUL byte inside a text of explicit length: a lexical error, never the end. */
static inline bool nul_at(const hy_lexer *lx, size_t i) {
    return i < lx->len && lx->len != SIZE_MAX && lx->src[i] == '\0';
}

static hy_token message_token(size_t start, size_t end, const char *msg) {
    hy_token t;
    memset(&t, 0, sizeof t);
    t.kind = HY_TK_ERROR;
    t.offset = (uint32_t)start;
    t.len = (uint32_t)(end - start);
    t.text = msg;
    t.text_len = (uint32_t)strlen(msg);
    return t;
}

#define NUL_MSG "invalid NUL byte"

/* Error token; the message quotes the offending source text (shortened). */
static hy_token error_token(hy_lexer *lx, size_t start, size_t end, const char *what) {
    size_t len = end - start;
    int n = hy_sql_echo_len(lx->src + start, len);
    char buf[256];
    snprintf(buf, sizeof buf, "%s at or near \"%.*s%s\"", what, n, lx->src + start,
             hy_sql_echo_more(len, n));
    return message_token(start, end, hy_arena_strdup(lx->arena, buf));
}

/* Skips whitespace and comments; returns false (with *err_tok set) on an unterminated
 * block comment or a NUL byte inside a comment (the comment is skipped all the same). */
static bool skip_space(hy_lexer *lx, hy_token *err_tok) {
    for (;;) {
        unsigned char c;
        while ((c = ch(lx, lx->pos)) == ' ' || c == '\t' || c == '\n' || c == '\r' ||
               c == '\f' || c == '\v')
            lx->pos++;
        size_t nul = SIZE_MAX;
        if (c == '-' && ch(lx, lx->pos + 1) == '-') {
            for (; !at_end(lx, lx->pos) && lx->src[lx->pos] != '\n'; lx->pos++)
                if (nul == SIZE_MAX && nul_at(lx, lx->pos)) nul = lx->pos;
        } else if (c == '/' && ch(lx, lx->pos + 1) == '*') {
            size_t start = lx->pos;
            size_t p = lx->pos + 2;
            for (; !at_end(lx, p) && !(ch(lx, p) == '*' && ch(lx, p + 1) == '/'); p++)
                if (nul == SIZE_MAX && nul_at(lx, p)) nul = p;
            if (at_end(lx, p)) {
                lx->pos = p;
                *err_tok = nul != SIZE_MAX ? message_token(nul, nul + 1, NUL_MSG)
                                           : message_token(start, p, "unterminated /* comment");
                return false;
            }
            lx->pos = p + 2;
        } else {
            return true;
        }
        if (nul != SIZE_MAX) {
            *err_tok = message_token(nul, nul + 1, NUL_MSG);
            return false;
        }
    }
}

/* Quoted text ('...' or "..."): a doubled quote is one quote character. */
static hy_token lex_quoted(hy_lexer *lx, char q, hy_token_kind kind) {
    const char *s = lx->src;
    size_t start = lx->pos;
    size_t p = start + 1;
    size_t n = 0;
    size_t nul = SIZE_MAX;
    /* first pass: find the end and the unescaped length */
    for (;;) {
        if (at_end(lx, p)) {
            lx->pos = p;
            if (nul != SIZE_MAX) return message_token(nul, nul + 1, NUL_MSG);
            return error_token(lx, start, p,
                               q == '\'' ? "unterminated quoted string"
                                         : "unterminated quoted identifier");
        }
        if (nul == SIZE_MAX && nul_at(lx, p)) nul = p;
        if (s[p] == q) {
            if (ch(lx, p + 1) == (unsigned char)q) {
                n++;
                p += 2;
                continue;
            }
            break;
        }
        n++;
        p++;
    }
    size_t end = p + 1;
    if (nul != SIZE_MAX) {
        lx->pos = end;
        return message_token(nul, nul + 1, NUL_MSG);
    }
    char *out = hy_arena_alloc(lx->arena, n + 1);
    size_t o = 0;
    for (size_t i = start + 1; i < p; i++) {
        out[o++] = s[i];
        if (s[i] == q) i++; /* skip the second quote of a pair */
    }
    out[o] = 0;
    lx->pos = end;
    if (kind == HY_TK_QIDENT && n == 0)
        return error_token(lx, start, end, "zero-length delimited identifier");
    hy_token t;
    memset(&t, 0, sizeof t);
    t.kind = kind;
    t.offset = (uint32_t)start;
    t.len = (uint32_t)(end - start);
    t.text = out;
    t.text_len = (uint32_t)n;
    return t;
}

static hy_token lex_number(hy_lexer *lx) {
    const char *s = lx->src;
    size_t start = lx->pos, p = start;
    bool is_num = false;
    while (is_digit(ch(lx, p))) p++;
    if (ch(lx, p) == '.' && ch(lx, p + 1) != '.') {
        is_num = true;
        p++;
        while (is_digit(ch(lx, p))) p++;
    }
    if (ch(lx, p) == 'e' || ch(lx, p) == 'E') {
        size_t q = p + 1;
        if (ch(lx, q) == '+' || ch(lx, q) == '-') q++;
        if (is_digit(ch(lx, q))) {
            while (is_digit(ch(lx, q))) q++;
            p = q;
            is_num = true;
        }
    }
    if (is_ident_start(ch(lx, p))) {
        size_t e = p;
        while (is_ident_char(ch(lx, e))) e++;
        lx->pos = e;
        return error_token(lx, start, e, "trailing junk after numeric literal");
    }
    lx->pos = p;
    hy_token t;
    memset(&t, 0, sizeof t);
    t.kind = is_num ? HY_TK_NUM : HY_TK_INT;
    t.offset = (uint32_t)start;
    t.len = (uint32_t)(p - start);
    t.text = hy_arena_strndup(lx->arena, s + start, p - start);
    t.text_len = t.len;
    return t;
}

hy_token hy_lexer_next(hy_lexer *lx) {
    hy_token t;
    memset(&t, 0, sizeof t);
    if (!skip_space(lx, &t)) return t;
    const char *s = lx->src;
    if (nul_at(lx, lx->pos)) {
        lx->pos++;
        return message_token(lx->pos - 1, lx->pos, NUL_MSG);
    }
    if (!ch(lx, lx->pos)) {
        t.kind = HY_TK_EOF;
        t.offset = (uint32_t)lx->pos;
        t.text = "";
        return t;
    }
    size_t start = lx->pos;
    unsigned char c = ch(lx, start);
    if (is_ident_start(c)) {
        size_t p = start;
        while (is_ident_char(ch(lx, p))) p++;
        char *low = hy_arena_strndup(lx->arena, s + start, p - start);
        for (char *q = low; *q; q++)
            if (*q >= 'A' && *q <= 'Z') *q = (char)(*q - 'A' + 'a');
        lx->pos = p;
        t.kind = HY_TK_IDENT;
        t.kw = keyword_lookup(low, p - start);
        t.offset = (uint32_t)start;
        t.len = (uint32_t)(p - start);
        t.text = low;
        t.text_len = t.len;
        return t;
    }
    if (is_digit(c) || (c == '.' && is_digit(ch(lx, start + 1))))
        return lex_number(lx);
    if (c == '\'') return lex_quoted(lx, '\'', HY_TK_STRING);
    if (c == '"') return lex_quoted(lx, '"', HY_TK_QIDENT);

    /* operators: longest match first */
    hy_sql_op best = HY_OP_NONE;
    size_t best_len = 0;
    for (int o = 1; o < HY_OP__COUNT; o++) {
        size_t n = strlen(op_table[o]);
        size_t k = 0;
        while (k < n && ch(lx, start + k) == (unsigned char)op_table[o][k]) k++;
        if (n > best_len && k == n) {
            best = (hy_sql_op)o;
            best_len = n;
        }
    }
    if (best == HY_OP_NONE) {
        /* one UTF-8 character (or byte) */
        size_t e = start + 1;
        while ((ch(lx, e) & 0xC0) == 0x80) e++;
        lx->pos = e;
        return error_token(lx, start, e, "syntax error");
    }
    lx->pos = start + best_len;
    t.kind = HY_TK_OP;
    t.op = best;
    t.offset = (uint32_t)start;
    t.len = (uint32_t)best_len;
    t.text = op_table[best];
    t.text_len = (uint32_t)best_len;
    return t;
}
