// The few BLAS routines Glossa calls, declared here so the Swift side needs no system header.
// Linked against libopenblas (Debian: libopenblas-dev). Matrices are row-major.
#ifndef GLOSSA_BLAS_H
#define GLOSSA_BLAS_H

#ifdef __cplusplus
extern "C" {
#endif

/// C := alpha · op(A) · op(B) + beta · C, row-major, op = transpose when trans* is nonzero.
/// A is M×K (K×M when transposed), B is K×N (N×K when transposed), C is M×N.
void glossa_sgemm(int transA, int transB, int M, int N, int K,
                  float alpha, const float *A, int lda, const float *B, int ldb,
                  float beta, float *C, int ldc);

/// Number of threads OpenBLAS uses, and a setter.
int glossa_blas_threads(void);
void glossa_blas_set_threads(int n);

#ifdef __cplusplus
}
#endif
#endif
