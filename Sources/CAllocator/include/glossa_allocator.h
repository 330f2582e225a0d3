// glibc's allocator settings, in C because malloc.h (mallopt) is not in Swift's Glibc module.
#ifndef GLOSSA_ALLOCATOR_H
#define GLOSSA_ALLOCATOR_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Has glibc's allocator keep every freed block for reuse instead of handing it back to the kernel:
/// no block is mapped on its own whatever its size (M_MMAP_MAX 0) and the heap's top is never
/// trimmed (M_TRIM_THRESHOLD at its highest). Process-wide. Returns 1 when glibc took both settings,
/// else 0 (and 0 on a C library other than glibc, where nothing is changed).
int32_t glossa_keep_freed_memory(void);

#ifdef __cplusplus
}
#endif

#endif
