#define _GNU_SOURCE
#include "glossa_affinity.h"

#include <sched.h>

int glossa_affinity_cpu_count(void) {
#ifdef __linux__
    cpu_set_t mask;
    if (sched_getaffinity(0, sizeof mask, &mask) != 0) return 0;
    return CPU_COUNT(&mask);
#else
    return 0;
#endif
}
