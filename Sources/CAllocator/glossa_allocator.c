#include "glossa_allocator.h"

#if defined(__GLIBC__) || defined(__linux__)
#include <limits.h>
#include <malloc.h>
#endif

// glibc's allocator, whose settings these change, and not AddressSanitizer's (mallopt would only be
// refused); mallinfo2 from glibc 2.33.
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define GLOSSA_SANITIZER_ALLOCATOR 1
#endif
#endif
#if !defined(GLOSSA_SANITIZER_ALLOCATOR) && defined(M_MMAP_THRESHOLD) && defined(M_TRIM_THRESHOLD) && defined(M_MMAP_MAX)
#define GLOSSA_GLIBC_MALLOC 1
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 33))
#define GLOSSA_GLIBC_MALLINFO2 1
#endif
#endif

int32_t glossa_keep_freed_memory(void) {
#ifdef GLOSSA_GLIBC_MALLOC
    return mallopt(M_MMAP_THRESHOLD, 32 << 20) == 1 && mallopt(M_TRIM_THRESHOLD, INT_MAX) == 1;
#else
    return -1;
#endif
}

int32_t glossa_map_large_blocks(int32_t map) {
#ifdef GLOSSA_GLIBC_MALLOC
    return mallopt(M_MMAP_MAX, map ? 65536 : 0) == 1;
#else
    (void)map;
    return -1;
#endif
}

int64_t glossa_mapped_blocks(int64_t *heapFree) {
#ifdef GLOSSA_GLIBC_MALLINFO2
    struct mallinfo2 info = mallinfo2();
    *heapFree = (int64_t)info.fordblks;
    return (int64_t)info.hblks;
#else
    *heapFree = 0;
    return -1;
#endif
}
