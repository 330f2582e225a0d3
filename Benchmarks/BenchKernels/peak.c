// Register-only FMA throughput and streaming-read bandwidth: the two ceilings of a roofline.
#include "bench_kernels.h"
#include <immintrin.h>
#include <time.h>

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

// 12 independent accumulators, each a named variable so that they stay in registers (an array of
// 24 made clang spill a third of them to the stack, and the store-to-load chains through memory
// halved the rate): 12 chains cover the FMA latency (4 cycles) on two FMA pipes with room to spare.
// Returns the FLOPs done.
#define FMA_LOOP(VEC, SET1, FMA, LANES)                                                          \
    VEC x = SET1(1.0000001f), y = SET1(0.9999999f);                                              \
    VEC a0 = SET1(0), a1 = SET1(1), a2 = SET1(2), a3 = SET1(3), a4 = SET1(4), a5 = SET1(5);       \
    VEC a6 = SET1(6), a7 = SET1(7), a8 = SET1(8), a9 = SET1(9), a10 = SET1(10), a11 = SET1(11);   \
    for (long r = 0; r < rounds; r++) {                                                          \
        a0 = FMA(a0, x, y); a1 = FMA(a1, x, y); a2 = FMA(a2, x, y); a3 = FMA(a3, x, y);          \
        a4 = FMA(a4, x, y); a5 = FMA(a5, x, y); a6 = FMA(a6, x, y); a7 = FMA(a7, x, y);          \
        a8 = FMA(a8, x, y); a9 = FMA(a9, x, y); a10 = FMA(a10, x, y); a11 = FMA(a11, x, y);      \
    }                                                                                            \
    VEC s = FMA(a0, x, FMA(a1, x, FMA(a2, x, FMA(a3, x, FMA(a4, x, FMA(a5, x, a6))))));          \
    s = FMA(s, x, FMA(a7, x, FMA(a8, x, FMA(a9, x, FMA(a10, x, a11)))));                         \
    volatile float sink = ((float *)&s)[0];                                                      \
    (void)sink;                                                                                  \
    return 2.0 * LANES * 12 * rounds;

__attribute__((target("avx512f,fma"))) static double fma512(long rounds) { FMA_LOOP(__m512, _mm512_set1_ps, _mm512_fmadd_ps, 16) }
__attribute__((target("avx2,fma"))) static double fma256(long rounds) { FMA_LOOP(__m256, _mm256_set1_ps, _mm256_fmadd_ps, 8) }

double bench_fma_peak(double seconds) {
    __builtin_cpu_init();
    int wide = __builtin_cpu_supports("avx512f");
    double best = 0;
    for (double start = now(); now() - start < seconds;) {
        double t = now();
        double flops = wide ? fma512(1 << 20) : fma256(1 << 20);
        double rate = flops / (now() - t) * 1e-9;
        if (rate > best) best = rate;
    }
    return best;
}

__attribute__((target("avx2"))) static float sum(const float *x, long n) {
    __m256 s0 = _mm256_setzero_ps(), s1 = s0, s2 = s0, s3 = s0;
    for (long i = 0; i + 32 <= n; i += 32) {
        s0 = _mm256_add_ps(s0, _mm256_loadu_ps(x + i));
        s1 = _mm256_add_ps(s1, _mm256_loadu_ps(x + i + 8));
        s2 = _mm256_add_ps(s2, _mm256_loadu_ps(x + i + 16));
        s3 = _mm256_add_ps(s3, _mm256_loadu_ps(x + i + 24));
    }
    __m256 s = _mm256_add_ps(_mm256_add_ps(s0, s1), _mm256_add_ps(s2, s3));
    return ((float *)&s)[0];
}

double bench_read_bandwidth(const float *buffer, long bytes, double seconds) {
    double best = 0;
    for (double start = now(); now() - start < seconds;) {
        double t = now();
        volatile float sink = sum(buffer, bytes / 4);
        (void)sink;
        double rate = bytes / (now() - t) * 1e-9;
        if (rate > best) best = rate;
    }
    return best;
}
