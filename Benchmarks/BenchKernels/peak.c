// Register-only FMA throughput and streaming-read bandwidth: the two ceilings of a roofline.
#include "bench_kernels.h"
#include <immintrin.h>
#include <time.h>

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

// 24 independent accumulators hide the FMA latency on two FMA pipes; returns FLOPs done.
#define FMA_LOOP(VEC, SET1, FMA, LANES)                                                          \
    VEC acc[24], x = SET1(1.0000001f), y = SET1(0.9999999f);                                     \
    for (int i = 0; i < 24; i++) acc[i] = SET1((float)i);                                        \
    for (long r = 0; r < rounds; r++)                                                            \
        for (int i = 0; i < 24; i++) acc[i] = FMA(acc[i], x, y);                                 \
    VEC s = acc[0];                                                                              \
    for (int i = 1; i < 24; i++) s = FMA(s, x, acc[i]);                                          \
    volatile float sink = ((float *)&s)[0];                                                      \
    (void)sink;                                                                                  \
    return 2.0 * LANES * 24 * rounds;

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
