#pragma once
extern int *__error(void);
#define errno (*__error())
#define EINVAL 22
#define ENOMEM 12
