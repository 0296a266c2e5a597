#pragma once
#include <stddef.h>
int getentropy(void *buffer, size_t size);
