#pragma once
/* macOS 11+: per-thread write protection of MAP_JIT pages (Apple silicon). */
void pthread_jit_write_protect_np(int enabled);
int pthread_jit_write_protect_supported_np(void);
