#pragma once
#include <stddef.h>
void sys_icache_invalidate(void *start, size_t len);
