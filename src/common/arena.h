/* Bump allocator for per-statement data (AST, plans, constant strings). Freed as a whole. */
#ifndef HY_COMMON_ARENA_H
#define HY_COMMON_ARENA_H

#include <stddef.h>

typedef struct hy_arena_chunk hy_arena_chunk;
typedef struct hy_arena {
    hy_arena_chunk *head;
    size_t total;
} hy_arena;

void hy_arena_init(hy_arena *a);
void hy_arena_free(hy_arena *a);
/* 16-byte aligned, zeroed; aborts the process only if malloc fails. */
void *hy_arena_alloc(hy_arena *a, size_t n);
char *hy_arena_strndup(hy_arena *a, const char *s, size_t n);
char *hy_arena_strdup(hy_arena *a, const char *s);

#endif
