#pragma once
#define _SC_PAGESIZE 29
long sysconf(int name);
