// Glossa's SGEMM: its own AVX-512 kernels when CPUID reports AVX-512F, OpenBLAS otherwise (and when
// the environment sets GLOSSA_GEMM=fallback, so the whole test suite can run on both paths).
#include "glossa_blas.h"
#include "glossa_gemm_internal.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

// Prototypes from OpenBLAS's cblas.h, repeated so no include path is needed.
enum { CblasRowMajor = 101 };
enum { CblasNoTrans = 111, CblasTrans = 112 };
void cblas_sgemm(int order, int transA, int transB, int M, int N, int K,
                 float alpha, const float *A, int lda, const float *B, int ldb,
                 float beta, float *C, int ldc);
int openblas_get_num_threads(void);
void openblas_set_num_threads(int);

/// Rows up to which a product without transposes runs unpacked (packing B would not pay off; the
/// translator's 64-row decoding batches run faster unpacked).
#ifndef SMALL_NN_ROWS
#define SMALL_NN_ROWS 64
#endif
/// Rows up to which a product with B transposed runs as dot products.
#define SMALL_NT_ROWS 4

int glossa_has_avx512(void) {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512f") ? 1 : 0;
}

int glossa_gemm_kernel(void) {
    static int chosen = -1;  // a benign race: every thread computes the same value
    if (chosen < 0) {
        const char *forced = getenv("GLOSSA_GEMM");
        int fallback = forced && (strcmp(forced, "fallback") == 0 || strcmp(forced, "openblas") == 0);
        chosen = !fallback && glossa_has_avx512() ? 1 : 0;
    }
    return chosen;
}

void glossa_sgemm_openblas(int transA, int transB, int M, int N, int K,
                           float alpha, const float *A, int lda, const float *B, int ldb,
                           float beta, float *C, int ldc) {
    cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
}

void glossa_sgemm(int transA, int transB, int M, int N, int K,
                  float alpha, const float *A, int lda, const float *B, int ldb,
                  float beta, float *C, int ldc) {
    if (M <= 0 || N <= 0) return;
    if (K <= 0 || alpha == 0) {  // C = beta · C (beta 0 writes zeros, even over NaN)
        for (int i = 0; i < M; i++)
            for (int j = 0; j < N; j++) C[(long)i * ldc + j] = beta == 0 ? 0 : beta * C[(long)i * ldc + j];
        return;
    }
    if (!glossa_gemm_kernel())
        glossa_sgemm_openblas(transA, transB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
    else if (!transA && !transB && M <= SMALL_NN_ROWS)
        glossa_sgemm_small_nn_avx512(M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
    else if (!transA && transB && M <= SMALL_NT_ROWS)
        glossa_sgemm_small_nt_avx512(M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
    else
        glossa_sgemm_packed_avx512(transA, transB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
}

void glossa_pack_panels(int N, int K, const float *W, float *panels) {
    for (int n0 = 0; n0 < N; n0 += GLOSSA_PANEL)
        for (int k = 0; k < K; k++)
            for (int c = 0; c < GLOSSA_PANEL; c++)
                panels[(long)n0 * K + (long)k * GLOSSA_PANEL + c] = n0 + c < N ? W[(long)(n0 + c) * K + k] : 0;
}

void glossa_sgemm_panels(int M, int N, int K, const float *A, int lda, const float *panels, float beta, float *C, int ldc) {
    if (M <= 0 || N <= 0) return;
    if (glossa_gemm_kernel() && K > 0) {
        glossa_sgemm_panels_avx512(M, N, K, A, lda, panels, beta, C, ldc);
        return;
    }
    for (int i = 0; i < M; i++)  // the same sums in the same order, one element at a time
        for (int j = 0; j < N; j++) {
            const float *b = panels + (long)(j / GLOSSA_PANEL) * K * GLOSSA_PANEL + j % GLOSSA_PANEL;
            float acc = 0;
            for (int k = 0; k < K; k++) acc = fmaf(A[(long)i * lda + k], b[(long)k * GLOSSA_PANEL], acc);
            C[(long)i * ldc + j] = beta == 0 ? acc : acc + beta * C[(long)i * ldc + j];
        }
}

int glossa_blas_threads(void) { return openblas_get_num_threads(); }
void glossa_blas_set_threads(int n) { openblas_set_num_threads(n); }
