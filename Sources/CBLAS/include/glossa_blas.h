// The few BLAS routines Glossa calls, declared here so the Swift side needs no system header.
// Linked against libopenblas (Debian: libopenblas-dev). Matrices are row-major.
#ifndef GLOSSA_BLAS_H
#define GLOSSA_BLAS_H

#ifdef __cplusplus
extern "C" {
#endif

/// C := alpha · op(A) · op(B) + beta · C, row-major, op = transpose when trans* is nonzero.
/// A is M×K (K×M when transposed), B is K×N (N×K when transposed), C is M×N. One thread: Glossa's
/// AVX-512 kernels when `glossa_gemm_kernel()` is 1, OpenBLAS (with its own threads) otherwise.
/// beta = 0 never reads C.
void glossa_sgemm(int transA, int transB, int M, int N, int K,
                  float alpha, const float *A, int lda, const float *B, int ldb,
                  float beta, float *C, int ldc);
/// The same product always through OpenBLAS (the reference the kernels are tested and timed against).
void glossa_sgemm_openblas(int transA, int transB, int M, int N, int K,
                           float alpha, const float *A, int lda, const float *B, int ldb,
                           float beta, float *C, int ldc);
/// 1 when glossa_sgemm runs Glossa's AVX-512 kernels: the CPU has AVX-512F (CPUID) and the
/// environment does not set GLOSSA_GEMM=fallback (or =openblas); 0 when it runs OpenBLAS.
int glossa_gemm_kernel(void);
/// 1 when the CPU has AVX-512F.
int glossa_has_avx512(void);

/// Number of threads OpenBLAS uses, and a setter.
int glossa_blas_threads(void);
void glossa_blas_set_threads(int n);

#ifdef __cplusplus
}
#endif
#endif
