/* Bump allocator: a list of chunks, newest first. Requests larger than a quarter of the
 * current chunk size get a chunk of their own so a big allocation does not waste the tail of
 * the running chunk. */
#include "common/arena.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct hy_arena_chunk {
    hy_arena_chunk *next;
    size_t cap, used;
    _Alignas(16) unsigned char data[];
};

#define ARENA_FIRST_CHUNK 4096
#define ARENA_MAX_CHUNK (1u << 20)

void hy_arena_init(hy_arena *a) {
    a->head = NULL;
    a->total = 0;
}

void hy_arena_free(hy_arena *a) {
    hy_arena_chunk *c = a->head;
    while (c) {
        hy_arena_chunk *n = c->next;
        free(c);
        c = n;
    }
    a->head = NULL;
    a->total = 0;
}

static hy_arena_chunk *arena_chunk_new(size_t cap) {
    hy_arena_chunk *c = malloc(sizeof *c + cap);
    if (!c) {
        fprintf(stderr, "hyperion: out of memory (arena chunk of %zu bytes)\n", cap);
        abort();
    }
    c->cap = cap;
    c->used = 0;
    c->next = NULL;
    return c;
}

void *hy_arena_alloc(hy_arena *a, size_t n) {
    size_t need = (n + 15) & ~(size_t)15;
    if (need == 0) need = 16;
    hy_arena_chunk *h = a->head;
    if (!h || h->cap - h->used < need) {
        size_t next = h ? h->cap * 2 : ARENA_FIRST_CHUNK;
        if (next > ARENA_MAX_CHUNK) next = ARENA_MAX_CHUNK;
        if (need > next / 4) {
            /* dedicated chunk, linked behind the running one so its tail stays usable */
            hy_arena_chunk *c = arena_chunk_new(need);
            c->used = need;
            a->total += need;
            if (h) {
                c->next = h->next;
                h->next = c;
            } else {
                a->head = c;
            }
            memset(c->data, 0, need);
            return c->data;
        }
        hy_arena_chunk *c = arena_chunk_new(next);
        c->next = h;
        a->head = h = c;
    }
    void *p = h->data + h->used;
    h->used += need;
    a->total += need;
    memset(p, 0, need);
    return p;
}

char *hy_arena_strndup(hy_arena *a, const char *s, size_t n) {
    char *p = hy_arena_alloc(a, n + 1);
    if (n) memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *hy_arena_strdup(hy_arena *a, const char *s) { return hy_arena_strndup(a, s, strlen(s)); }
