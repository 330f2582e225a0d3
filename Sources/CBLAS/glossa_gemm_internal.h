// Declarations shared by CBLAS's GEMM files (not part of the public headers). Row-major throughout;
// the AVX-512 functions run only after glossa_blas.c has checked CPUID.
#ifndef GLOSSA_GEMM_INTERNAL_H
#define GLOSSA_GEMM_INTERNAL_H

#define GLOSSA_AVX512 __attribute__((target("avx512f,fma")))

/// C (M×N) = alpha · op(A) · op(B) + beta · C through packed blocks; any shape, strides, transposes.
void glossa_sgemm_packed_avx512(int transA, int transB, int M, int N, int K, float alpha,
                                const float *A, int lda, const float *B, int ldb, float beta, float *C, int ldc);
/// C (M×N) = alpha · A (M×K) · B (K×N) + beta · C without packing, for small M.
void glossa_sgemm_small_nn_avx512(int M, int N, int K, float alpha, const float *A, int lda,
                                  const float *B, int ldb, float beta, float *C, int ldc);
/// C (M×N) = A (M×K) · B + beta · C, B laid out in panels (glossa_sgemm_panels).
void glossa_sgemm_panels_avx512(int M, int N, int K, const float *A, int lda, const float *B, float beta,
                                float *C, int ldc);
/// C (M×N) = alpha · A (M×K) · B (N×K)ᵀ + beta · C as dot products, for M ≤ 4 (memory-bound).
void glossa_sgemm_small_nt_avx512(int M, int N, int K, float alpha, const float *A, int lda,
                                  const float *B, int ldb, float beta, float *C, int ldc);

#endif
