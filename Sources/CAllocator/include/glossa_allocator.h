// glibc's allocator settings, in C because malloc.h (mallopt) is not in Swift's Glibc module.
#ifndef GLOSSA_ALLOCATOR_H
#define GLOSSA_ALLOCATOR_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Has glibc's allocator keep freed blocks below 32 MB for reuse instead of handing them back to the
/// kernel: the mmap threshold fixed at 32 MB (its highest; larger blocks are still mapped on their
/// own and returned) and the heap's top never trimmed (M_TRIM_THRESHOLD at its highest).
/// Process-wide. Returns 1 when glibc took both settings, 0 when it refused one, and -1 when the
/// allocator is not glibc's (another C library, or AddressSanitizer's), where nothing is changed.
int32_t glossa_keep_freed_memory(void);

/// Whether glibc may map blocks above the mmap threshold on their own (`map` 1: up to 65,536 of
/// them, its default) or must take every block from the heap (`map` 0: M_MMAP_MAX 0), where a
/// freed block stays for reuse. Process-wide. Returns as `glossa_keep_freed_memory` does.
int32_t glossa_map_large_blocks(int32_t map);

/// The number of blocks glibc has mapped on their own now (mallinfo2's hblks), and in
/// `heapFree` the bytes free in its heap (fordblks: a request up to that may be served from the
/// heap whatever the settings). -1 when the allocator is not glibc's.
int64_t glossa_mapped_blocks(int64_t *heapFree);

#ifdef __cplusplus
}
#endif

#endif
