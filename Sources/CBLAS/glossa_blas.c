#include "glossa_blas.h"

// Prototypes from OpenBLAS's cblas.h, repeated so no include path is needed.
enum { CblasRowMajor = 101 };
enum { CblasNoTrans = 111, CblasTrans = 112 };
void cblas_sgemm(int order, int transA, int transB, int M, int N, int K,
                 float alpha, const float *A, int lda, const float *B, int ldb,
                 float beta, float *C, int ldc);
int openblas_get_num_threads(void);
void openblas_set_num_threads(int);

void glossa_sgemm(int transA, int transB, int M, int N, int K,
                  float alpha, const float *A, int lda, const float *B, int ldb,
                  float beta, float *C, int ldc) {
    cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
}

int glossa_blas_threads(void) { return openblas_get_num_threads(); }
void glossa_blas_set_threads(int n) { openblas_set_num_threads(n); }
