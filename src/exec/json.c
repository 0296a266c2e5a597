/* A tiny JSON writer: enough for EXPLAIN (ANALYZE, FORMAT JSON), easy to extend with fields. */
#include <stdio.h>
#include <stdlib.h>

#include "exec/exec_int.h"

void hy_json_init(hy_json *j) {
    memset(j, 0, sizeof *j);
    j->first[0] = true;
}

void hy_json_free(hy_json *j) {
    free(j->buf);
    hy_json_init(j);
}

static void put(hy_json *j, const char *s, size_t n) {
    if (j->len + n + 1 > j->cap) {
        size_t cap = j->cap ? j->cap * 2 : 256;
        while (cap < j->len + n + 1) cap *= 2;
        char *b = realloc(j->buf, cap);
        if (!b) abort();
        j->buf = b;
        j->cap = cap;
    }
    memcpy(j->buf + j->len, s, n);
    j->len += n;
    j->buf[j->len] = '\0';
}

static void puts_(hy_json *j, const char *s) { put(j, s, strlen(s)); }

/* Separator before a value or key inside a container. */
static void before_value(hy_json *j) {
    if (j->after_key) {
        j->after_key = false;
        return;
    }
    if (!j->first[j->depth]) put(j, ", ", 2);
    j->first[j->depth] = false;
}

static void open_(hy_json *j, const char *c) {
    before_value(j);
    puts_(j, c);
    if (j->depth < 31) j->depth++;
    j->first[j->depth] = true;
}

static void close_(hy_json *j, const char *c) {
    if (j->depth > 0) j->depth--;
    puts_(j, c);
}

void hy_json_begin_obj(hy_json *j) { open_(j, "{"); }
void hy_json_end_obj(hy_json *j) { close_(j, "}"); }
void hy_json_begin_arr(hy_json *j) { open_(j, "["); }
void hy_json_end_arr(hy_json *j) { close_(j, "]"); }

static void put_string(hy_json *j, const char *s) {
    put(j, "\"", 1);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        char tmp[8];
        switch (*p) {
        case '"': puts_(j, "\\\""); break;
        case '\\': puts_(j, "\\\\"); break;
        case '\n': puts_(j, "\\n"); break;
        case '\r': puts_(j, "\\r"); break;
        case '\t': puts_(j, "\\t"); break;
        default:
            if (*p < 0x20) {
                snprintf(tmp, sizeof tmp, "\\u%04x", *p);
                puts_(j, tmp);
            } else {
                put(j, (const char *)p, 1);
            }
        }
    }
    put(j, "\"", 1);
}

void hy_json_key(hy_json *j, const char *k) {
    before_value(j);
    put_string(j, k);
    put(j, ": ", 2);
    j->after_key = true;
}

void hy_json_str(hy_json *j, const char *s) {
    before_value(j);
    put_string(j, s ? s : "");
}

void hy_json_int(hy_json *j, int64_t v) {
    char tmp[32];
    before_value(j);
    snprintf(tmp, sizeof tmp, "%lld", (long long)v);
    puts_(j, tmp);
}

void hy_json_num(hy_json *j, double v, int decimals) {
    char tmp[64];
    before_value(j);
    if (v != v || v > 1e300 || v < -1e300) v = 0; /* JSON has no NaN/inf */
    snprintf(tmp, sizeof tmp, "%.*f", decimals, v);
    puts_(j, tmp);
}

void hy_json_raw(hy_json *j, const char *text) {
    before_value(j);
    puts_(j, text);
}

char *hy_json_take(hy_json *j) {
    char *b = j->buf ? j->buf : strdup("");
    j->buf = NULL;
    hy_json_free(j);
    return b;
}
