/*
 * A small recursive-descent JSON reader (RFC 8259), enough for the shell to summarize the
 * EXPLAIN (ANALYZE, FORMAT JSON) object. Depth is bounded so hostile input cannot overflow
 * the stack.
 */
#include <stdlib.h>
#include <string.h>

#include "shell/shell.h"

#define MJ_MAX_DEPTH 64

typedef struct mj_parser {
    const char *p;
    const char *err;
} mj_parser;

static void ws(mj_parser *ps) {
    while (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' || *ps->p == '\r') ps->p++;
}

static mj_value *mk(mj_kind k) {
    mj_value *v = calloc(1, sizeof *v);
    if (v) v->kind = k;
    return v;
}

static void put_utf8(char *out, size_t *n, unsigned cp) {
    if (cp < 0x80) out[(*n)++] = (char)cp;
    else if (cp < 0x800) {
        out[(*n)++] = (char)(0xC0 | (cp >> 6));
        out[(*n)++] = (char)(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out[(*n)++] = (char)(0xE0 | (cp >> 12));
        out[(*n)++] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[(*n)++] = (char)(0x80 | (cp & 0x3F));
    } else {
        out[(*n)++] = (char)(0xF0 | (cp >> 18));
        out[(*n)++] = (char)(0x80 | ((cp >> 12) & 0x3F));
        out[(*n)++] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[(*n)++] = (char)(0x80 | (cp & 0x3F));
    }
}

static int hex4(const char *s, unsigned *out) {
    unsigned v = 0;
    for (int i = 0; i < 4; i++) {
        char c = s[i];
        v <<= 4;
        if (c >= '0' && c <= '9') v |= (unsigned)(c - '0');
        else if (c >= 'a' && c <= 'f') v |= (unsigned)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F') v |= (unsigned)(c - 'A' + 10);
        else return 0;
    }
    *out = v;
    return 1;
}

static char *parse_str(mj_parser *ps) {
    if (*ps->p != '"') { ps->err = "expected a string"; return NULL; }
    const char *s = ++ps->p;
    size_t cap = 0;
    while (s[cap] && s[cap] != '"') cap += (s[cap] == '\\' && s[cap + 1]) ? 2 : 1;
    char *out = malloc(cap * 2 + 4);
    if (!out) { ps->err = "out of memory"; return NULL; }
    size_t n = 0;
    while (*ps->p != '"') {
        char c = *ps->p;
        if (c == 0 || (unsigned char)c < 0x20) { ps->err = "bad string"; free(out); return NULL; }
        if (c != '\\') { out[n++] = c; ps->p++; continue; }
        ps->p++;
        char e = *ps->p++;
        switch (e) {
        case '"': out[n++] = '"'; break;
        case '\\': out[n++] = '\\'; break;
        case '/': out[n++] = '/'; break;
        case 'b': out[n++] = '\b'; break;
        case 'f': out[n++] = '\f'; break;
        case 'n': out[n++] = '\n'; break;
        case 'r': out[n++] = '\r'; break;
        case 't': out[n++] = '\t'; break;
        case 'u': {
            unsigned cp;
            if (!hex4(ps->p, &cp)) { ps->err = "bad \\u escape"; free(out); return NULL; }
            ps->p += 4;
            if (cp >= 0xD800 && cp < 0xDC00 && ps->p[0] == '\\' && ps->p[1] == 'u') {
                unsigned lo;
                if (hex4(ps->p + 2, &lo) && lo >= 0xDC00 && lo < 0xE000) {
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                    ps->p += 6;
                }
            }
            put_utf8(out, &n, cp);
            break;
        }
        default: ps->err = "bad escape"; free(out); return NULL;
        }
    }
    ps->p++;
    out[n] = 0;
    return out;
}

static mj_value *parse_val(mj_parser *ps, int depth);

static bool push(mj_value *v, char *key, mj_value *item) {
    char **nk = v->kind == MJ_OBJ ? realloc(v->keys, (size_t)(v->n + 1) * sizeof *nk) : NULL;
    if (v->kind == MJ_OBJ) {
        if (!nk) return false;
        v->keys = nk;
    }
    mj_value **ni = realloc(v->items, (size_t)(v->n + 1) * sizeof *ni);
    if (!ni) return false;
    v->items = ni;
    if (v->kind == MJ_OBJ) v->keys[v->n] = key;
    v->items[v->n++] = item;
    return true;
}

static mj_value *parse_container(mj_parser *ps, int depth, bool obj) {
    mj_value *v = mk(obj ? MJ_OBJ : MJ_ARR);
    if (!v) { ps->err = "out of memory"; return NULL; }
    ps->p++;
    ws(ps);
    if (*ps->p == (obj ? '}' : ']')) { ps->p++; return v; }
    for (;;) {
        char *key = NULL;
        ws(ps);
        if (obj) {
            key = parse_str(ps);
            if (!key) { mj_free(v); return NULL; }
            ws(ps);
            if (*ps->p != ':') { ps->err = "expected ':'"; free(key); mj_free(v); return NULL; }
            ps->p++;
        }
        mj_value *item = parse_val(ps, depth + 1);
        if (!item || !push(v, key, item)) {
            if (!ps->err) ps->err = "out of memory";
            free(key);
            mj_free(item);
            mj_free(v);
            return NULL;
        }
        ws(ps);
        if (*ps->p == ',') { ps->p++; continue; }
        if (*ps->p == (obj ? '}' : ']')) { ps->p++; return v; }
        ps->err = obj ? "expected ',' or '}'" : "expected ',' or ']'";
        mj_free(v);
        return NULL;
    }
}

static mj_value *parse_val(mj_parser *ps, int depth) {
    if (depth > MJ_MAX_DEPTH) { ps->err = "nested too deeply"; return NULL; }
    ws(ps);
    char c = *ps->p;
    if (c == '{' || c == '[') return parse_container(ps, depth, c == '{');
    if (c == '"') {
        char *s = parse_str(ps);
        if (!s) return NULL;
        mj_value *v = mk(MJ_STR);
        if (!v) { free(s); ps->err = "out of memory"; return NULL; }
        v->str = s;
        return v;
    }
    if (strncmp(ps->p, "true", 4) == 0 || strncmp(ps->p, "false", 5) == 0) {
        mj_value *v = mk(MJ_BOOL);
        if (!v) { ps->err = "out of memory"; return NULL; }
        v->b = c == 't';
        ps->p += v->b ? 4 : 5;
        return v;
    }
    if (strncmp(ps->p, "null", 4) == 0) {
        ps->p += 4;
        mj_value *v = mk(MJ_NULL);
        if (!v) ps->err = "out of memory";
        return v;
    }
    if (c == '-' || (c >= '0' && c <= '9')) {
        char *end;
        double d = strtod(ps->p, &end);
        if (end == ps->p) { ps->err = "bad number"; return NULL; }
        mj_value *v = mk(MJ_NUM);
        if (!v) { ps->err = "out of memory"; return NULL; }
        v->num = d;
        v->str = strndup(ps->p, (size_t)(end - ps->p));
        ps->p = end;
        return v;
    }
    ps->err = "unexpected character";
    return NULL;
}

mj_value *mj_parse(const char *text, const char **err) {
    mj_parser ps = {text, NULL};
    mj_value *v = parse_val(&ps, 0);
    if (v) {
        ws(&ps);
        if (*ps.p) {
            ps.err = "trailing characters";
            mj_free(v);
            v = NULL;
        }
    }
    if (err) *err = ps.err;
    return v;
}

void mj_free(mj_value *v) {
    if (!v) return;
    for (int i = 0; i < v->n; i++) {
        if (v->keys) free(v->keys[i]);
        mj_free(v->items[i]);
    }
    free(v->keys);
    free(v->items);
    free(v->str);
    free(v);
}

const mj_value *mj_get(const mj_value *obj, const char *key) {
    if (!obj || obj->kind != MJ_OBJ) return NULL;
    for (int i = 0; i < obj->n; i++)
        if (strcmp(obj->keys[i], key) == 0) return obj->items[i];
    return NULL;
}
