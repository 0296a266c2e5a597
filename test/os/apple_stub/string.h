#pragma once
#include <stddef.h>
char *strerror(int errnum);
void *memcpy(void *restrict d, const void *restrict s, size_t n);
