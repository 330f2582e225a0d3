// Unpacked AVX-512 kernels for small-M products, where packing op(B) would cost as much as the
// product: a recurrent time step (B = 20 rows against a [H, G·H] weight laid out K×N), a decoder's
// output projection, and M = 1 (a vector against a weight, memory-bound).
// Compiled for AVX-512 through target attributes; glossa_blas.c calls them only when CPUID says so.
#include "glossa_gemm_internal.h"
#include <immintrin.h>

static inline __mmask16 tail_mask(int n) { return n >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << n) - 1); }

// The register tile: SMR rows × SNV 16-float vectors (16 accumulators). 8×3 and 6×4 tiles measured
// slower on the recurrent-step and decoding shapes.
#define SMR 4
#define SNV 4

// C[mr × 16·nv] = alpha · A[mr × K] · B[K × 16·nv] + beta · C; the last vector is masked by `last`.
static inline __attribute__((always_inline)) GLOSSA_AVX512 void block(const int mr, const int nv, __mmask16 last, int K,
        const float *A, long lda, const float *B, long ldb, float alpha, float beta, float *C, long ldc) {
    __m512 acc[SMR][SNV];
    for (int i = 0; i < mr; i++)
        for (int v = 0; v < nv; v++) acc[i][v] = _mm512_setzero_ps();
    for (int k = 0; k < K; k++) {
        __m512 b[SNV];
        const float *brow = B + k * ldb;
        for (int v = 0; v < nv; v++)
            b[v] = (v == nv - 1 && last != 0xFFFF) ? _mm512_maskz_loadu_ps(last, brow + 16 * v) : _mm512_loadu_ps(brow + 16 * v);
        for (int i = 0; i < mr; i++) {
            __m512 a = _mm512_set1_ps(A[i * lda + k]);
            for (int v = 0; v < nv; v++) acc[i][v] = _mm512_fmadd_ps(a, b[v], acc[i][v]);
        }
    }
    __m512 va = _mm512_set1_ps(alpha), vb = _mm512_set1_ps(beta);
    for (int i = 0; i < mr; i++)
        for (int v = 0; v < nv; v++) {
            __mmask16 m = v == nv - 1 ? last : (__mmask16)0xFFFF;
            float *c = C + i * ldc + 16 * v;
            __m512 r = _mm512_mul_ps(va, acc[i][v]);
            if (beta != 0) r = _mm512_fmadd_ps(vb, _mm512_maskz_loadu_ps(m, c), r);
            _mm512_mask_storeu_ps(c, m, r);
        }
}

// block() with its sizes as constants, so that the accumulators stay in registers.
#define ROW_BLOCK(R)                                                                                  \
    static GLOSSA_AVX512 void rows##R(int nv, __mmask16 last, int K, const float *A, long lda,        \
                                      const float *B, long ldb, float alpha, float beta, float *C, long ldc) { \
        switch (nv) {                                                                                 \
        case 1: block(R, 1, last, K, A, lda, B, ldb, alpha, beta, C, ldc); break;                     \
        case 2: block(R, 2, last, K, A, lda, B, ldb, alpha, beta, C, ldc); break;                     \
        case 3: block(R, 3, last, K, A, lda, B, ldb, alpha, beta, C, ldc); break;                     \
        default: block(R, 4, last, K, A, lda, B, ldb, alpha, beta, C, ldc); break;                    \
        }                                                                                             \
    }
ROW_BLOCK(1) ROW_BLOCK(2) ROW_BLOCK(3) ROW_BLOCK(4)

// C[1 × N] = alpha · a[K] · B[K × N] + beta · C for one row, B read row after row: 2,048 columns of
// partial sums stay in L1 while every row of B streams through once, front to back. The
// column-panel order of the general kernel reads 256 bytes per row and jumps a whole row ahead (a new
// page each time for wide B): 7–8 GB/s against 9–21 with this order, alternating runs under load.
// Each column is summed over k in the same order as there, so both give the same bits.
static GLOSSA_AVX512 void one_row(int N, int K, float alpha, const float *a, const float *B, long ldb, float beta, float *C) {
    enum { CHUNK = 2048 };
    __m512 acc[CHUNK / 16];
    for (int n0 = 0; n0 < N; n0 += CHUNK) {
        int nc = N - n0 < CHUNK ? N - n0 : CHUNK, nv = (nc + 15) / 16;
        __mmask16 last = tail_mask(nc - 16 * (nv - 1));
        for (int v = 0; v < nv; v++) acc[v] = _mm512_setzero_ps();
        for (int k = 0; k < K; k++) {
            const float *row = B + k * ldb + n0;
            __m512 x = _mm512_set1_ps(a[k]);
            for (int v = 0; v < nv - 1; v++) acc[v] = _mm512_fmadd_ps(x, _mm512_loadu_ps(row + 16 * v), acc[v]);
            acc[nv - 1] = _mm512_fmadd_ps(x, _mm512_maskz_loadu_ps(last, row + 16 * (nv - 1)), acc[nv - 1]);
        }
        __m512 va = _mm512_set1_ps(alpha), vb = _mm512_set1_ps(beta);
        for (int v = 0; v < nv; v++) {
            __mmask16 m = v == nv - 1 ? last : (__mmask16)0xFFFF;
            __m512 r = _mm512_mul_ps(va, acc[v]);
            if (beta != 0) r = _mm512_fmadd_ps(vb, _mm512_maskz_loadu_ps(m, C + n0 + 16 * v), r);
            _mm512_mask_storeu_ps(C + n0 + 16 * v, m, r);
        }
    }
}

// Column panels of 16·SNV outer, row blocks of SMR inner: the K-row panel of B stays in L2 while
// every row block of A passes over it. With `panelStride`, B is laid out in panels (glossa_sgemm_panels)
// and panel p starts at B + p·panelStride with rows 16·SNV floats apart.
static GLOSSA_AVX512 void panels(int M, int N, int K, float alpha, const float *A, int lda, const float *B, int ldb,
                                 long panelStride, float beta, float *C, int ldc) {
    static void (*const rows[])(int, __mmask16, int, const float *, long, const float *, long, float, float, float *, long) = {
        rows1, rows2, rows3, rows4};
    for (int n0 = 0; n0 < N; n0 += 16 * SNV) {
        int rem = N - n0;
        int nv = rem >= 16 * SNV ? SNV : (rem + 15) / 16;
        __mmask16 last = tail_mask(rem - 16 * (nv - 1));
        const float *panel = panelStride ? B + n0 / (16 * SNV) * panelStride : B + n0;
        for (int m0 = 0; m0 < M; m0 += SMR) {
            int mr = M - m0 < SMR ? M - m0 : SMR;
            rows[mr - 1](nv, last, K, A + (long)m0 * lda, lda, panel, ldb, alpha, beta, C + (long)m0 * ldc + n0, ldc);
        }
    }
}

GLOSSA_AVX512 void glossa_sgemm_small_nn_avx512(int M, int N, int K, float alpha, const float *A, int lda,
                                                const float *B, int ldb, float beta, float *C, int ldc) {
    if (M == 1) {
        one_row(N, K, alpha, A, B, ldb, beta, C);
        return;
    }
    panels(M, N, K, alpha, A, lda, B, ldb, 0, beta, C, ldc);
}

GLOSSA_AVX512 void glossa_sgemm_panels_avx512(int M, int N, int K, const float *A, int lda, const float *B, float beta,
                                              float *C, int ldc) {
    panels(M, N, K, 1, A, lda, B, 16 * SNV, (long)K * 16 * SNV, beta, C, ldc);
}

// C[mr × 4] = alpha · A[mr × K] · B[4 × K]ᵀ + beta · C (nc ≤ 4 columns stored): dot products along K.
// With `ahead`, B's rows are contiguous (ldb = K) and the 4 rows two blocks ahead are prefetched as
// one linear stretch, four lines per 16 k: reading four short rows at once otherwise leaves the
// hardware prefetcher behind (M = 1 against K = 200 read 8–9 GB/s without, 14–15 with, alternating
// runs under load; K ≥ 1024 rows are long enough for the hardware alone).
static inline __attribute__((always_inline)) GLOSSA_AVX512 void dots(const int mr, int nc, int K, int ahead,
        const float *A, long lda, const float *B, long ldb, float alpha, float beta, float *C, long ldc) {
    __m512 acc[4][4];
    for (int i = 0; i < mr; i++)
        for (int j = 0; j < 4; j++) acc[i][j] = _mm512_setzero_ps();
    for (int k = 0; k < K; k += 16) {
        __mmask16 m = tail_mask(K - k);
        __m512 b[4], a[4];
        if (ahead)
            for (int q = 0; q < 4; q++) _mm_prefetch((const char *)(B + 8 * ldb + 4 * k + 16 * q), _MM_HINT_T0);
        for (int j = 0; j < 4; j++) b[j] = j < nc ? _mm512_maskz_loadu_ps(m, B + j * ldb + k) : _mm512_setzero_ps();
        for (int i = 0; i < mr; i++) a[i] = _mm512_maskz_loadu_ps(m, A + i * lda + k);
        for (int i = 0; i < mr; i++)
            for (int j = 0; j < 4; j++) acc[i][j] = _mm512_fmadd_ps(a[i], b[j], acc[i][j]);
    }
    for (int i = 0; i < mr; i++)
        for (int j = 0; j < nc; j++) {
            float s = alpha * _mm512_reduce_add_ps(acc[i][j]);
            C[i * ldc + j] = beta != 0 ? s + beta * C[i * ldc + j] : s;
        }
}

GLOSSA_AVX512 void glossa_sgemm_small_nt_avx512(int M, int N, int K, float alpha, const float *A, int lda,
                                                const float *B, int ldb, float beta, float *C, int ldc) {
    int ahead = ldb == K && K < 1024;  // prefetch addresses past the end of B are harmless
    for (int m0 = 0; m0 < M; m0 += 4) {
        int mr = M - m0 < 4 ? M - m0 : 4;
        const float *a = A + (long)m0 * lda;
        float *c = C + (long)m0 * ldc;
        for (int n0 = 0; n0 < N; n0 += 4) {
            int nc = N - n0 < 4 ? N - n0 : 4;
            const float *b = B + (long)n0 * ldb;
            switch (mr) {
            case 4: dots(4, nc, K, ahead, a, lda, b, ldb, alpha, beta, c + n0, ldc); break;
            case 3: dots(3, nc, K, ahead, a, lda, b, ldb, alpha, beta, c + n0, ldc); break;
            case 2: dots(2, nc, K, ahead, a, lda, b, ldb, alpha, beta, c + n0, ldc); break;
            default: dots(1, nc, K, ahead, a, lda, b, ldb, alpha, beta, c + n0, ldc); break;
            }
        }
    }
}
