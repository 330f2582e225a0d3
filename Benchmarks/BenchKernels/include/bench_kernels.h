// The machine's ceilings for `glossa-bench gemm`'s rooflines, measured on the calling thread.
#ifndef BENCH_KERNELS_H
#define BENCH_KERNELS_H

/// GFLOP/s of independent fused multiply-adds in registers (AVX-512 when the CPU has it, else
/// AVX2 + FMA), run for about `seconds`: one core's compute peak.
double bench_fma_peak(double seconds);
/// GB/s of summing a float buffer of `bytes` (far larger than the caches) for about `seconds`.
double bench_read_bandwidth(const float *buffer, long bytes, double seconds);

#endif
