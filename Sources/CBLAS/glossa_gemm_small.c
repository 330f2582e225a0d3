// A register-blocked AVX-512 kernel for the small-M products of a recurrent time step
// (B = 20 rows against a [H, 4H] weight), where OpenBLAS's general GEMM spends much of its time
// packing. Compiled for AVX-512 through a target attribute and chosen at run time; on CPUs without
// AVX-512 the caller falls back to glossa_sgemm.
#include "glossa_kernels.h"
#include <immintrin.h>

#define AVX512 __attribute__((target("avx512f,fma")))

int glossa_has_avx512(void) {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512f") ? 1 : 0;
}

// C[mr × 16·nv] (+)= A[mr × K] · B[K × 16·nv]; the last vector is masked by `last`.
static inline __attribute__((always_inline)) AVX512 void block(const int mr, const int nv, __mmask16 last, int K,
        const float *A, int lda, const float *B, int ldb, float *C, int ldc, int accumulate) {
    __m512 acc[4][4];
    for (int i = 0; i < mr; i++)
        for (int v = 0; v < nv; v++) {
            __mmask16 m = v == nv - 1 ? last : (__mmask16)0xFFFF;
            acc[i][v] = accumulate ? _mm512_maskz_loadu_ps(m, C + (long)i * ldc + 16 * v) : _mm512_setzero_ps();
        }
    for (int k = 0; k < K; k++) {
        __m512 b[4];
        const float *brow = B + (long)k * ldb;
        for (int v = 0; v < nv; v++)
            b[v] = (v == nv - 1 && last != 0xFFFF) ? _mm512_maskz_loadu_ps(last, brow + 16 * v) : _mm512_loadu_ps(brow + 16 * v);
        for (int i = 0; i < mr; i++) {
            __m512 a = _mm512_set1_ps(A[(long)i * lda + k]);
            for (int v = 0; v < nv; v++) acc[i][v] = _mm512_fmadd_ps(a, b[v], acc[i][v]);
        }
    }
    for (int i = 0; i < mr; i++)
        for (int v = 0; v < nv; v++)
            _mm512_mask_storeu_ps(C + (long)i * ldc + 16 * v, v == nv - 1 ? last : (__mmask16)0xFFFF, acc[i][v]);
}

AVX512 static void gemm_nn_avx512(int M, int N, int K, const float *A, int lda, const float *B, int ldb,
                                  int accumulate, float *C, int ldc) {
    // Column panels of 64 outer, row blocks of 4 inner: the K×64 panel of B stays in L2 while every
    // row block of A passes over it.
    for (int n0 = 0; n0 < N; n0 += 64) {
        int rem = N - n0;
        int nv = rem >= 64 ? 4 : (rem + 15) / 16;
        int tail = rem - 16 * (nv - 1);
        __mmask16 last = tail >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << tail) - 1);
        for (int m0 = 0; m0 < M; m0 += 4) {
            int mr = M - m0 < 4 ? M - m0 : 4;
            const float *a = A + (long)m0 * lda;
            const float *b = B + n0;
            float *c = C + (long)m0 * ldc + n0;
            switch (mr * 8 + nv) {
#define CASE(R, V) case R * 8 + V: block(R, V, last, K, a, lda, b, ldb, c, ldc, accumulate); break;
            CASE(4, 4) CASE(4, 3) CASE(4, 2) CASE(4, 1) CASE(3, 4) CASE(3, 3) CASE(3, 2) CASE(3, 1)
            CASE(2, 4) CASE(2, 3) CASE(2, 2) CASE(2, 1) CASE(1, 4) CASE(1, 3) CASE(1, 2) CASE(1, 1)
#undef CASE
            }
        }
    }
}

int glossa_gemm_small_nn(int M, int N, int K, const float *A, int lda, const float *B, int ldb,
                         int accumulate, float *C, int ldc) {
    static int avx512 = -1;
    if (avx512 < 0) avx512 = glossa_has_avx512();
    if (!avx512) return 0;
    gemm_nn_avx512(M, N, K, A, lda, B, ldb, accumulate, C, ldc);
    return 1;
}

void glossa_transpose(int rows, int cols, const float *restrict src, int lds, float *restrict dst, int ldd) {
    for (int i0 = 0; i0 < rows; i0 += 32)
        for (int j0 = 0; j0 < cols; j0 += 32) {
            int i1 = i0 + 32 < rows ? i0 + 32 : rows, j1 = j0 + 32 < cols ? j0 + 32 : cols;
            for (int i = i0; i < i1; i++)
                for (int j = j0; j < j1; j++) dst[(long)j * ldd + i] = src[(long)i * lds + j];
        }
}
