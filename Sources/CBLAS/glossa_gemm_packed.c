// A packed AVX-512 SGEMM for every product shape that is not small-M (Goto/BLIS blocking): op(B) is
// packed in KC×NC blocks of NR-column micro-panels (L3 → L1), op(A) in MC×KC blocks of MR-row
// micro-panels (L2), and an MR×NR register tile (MR·NR/16 = 24 accumulators) multiplies them.
// Edges are zero-padded in the packs and masked at the store, so any M, N, K and stride works.
// Compiled for AVX-512 through target attributes; glossa_blas.c calls it only when CPUID says so.
#include "glossa_gemm_internal.h"
#include <immintrin.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define MR 8
#define NV 3
#define NR (16 * NV)
#ifndef KC
#define KC 256
#endif
#ifndef MC
#define MC 128
#endif
#ifndef NC
#define NC 3072
#endif

// acc = Ap (MR × kc, k-major) · the first nv vectors of Bp (kc × NR, k-major); C tile (mr × nr of
// it) = alpha·acc + beta·C, C not read when beta is 0. An edge panel (nr ≤ 32) multiplies only the
// vectors it has.
static inline __attribute__((always_inline)) GLOSSA_AVX512 void tile(const int nv, int kc, const float *restrict Ap,
        const float *restrict Bp, float *C, long ldc, float alpha, float beta, int mr, int nr) {
    __m512 acc[MR][NV];
    for (int i = 0; i < MR; i++)
        for (int v = 0; v < nv; v++) acc[i][v] = _mm512_setzero_ps();
    // The C tile, fetched while the loop below runs (it is read when beta ≠ 0 and written always).
    for (int i = 0; i < mr; i++)
        for (int v = 0; v < nv; v++) _mm_prefetch((const char *)(C + i * ldc + 16 * v), _MM_HINT_T0);
    for (int k = 0; k < kc; k++) {
        __m512 b[NV];
        for (int v = 0; v < nv; v++) b[v] = _mm512_load_ps(Bp + k * NR + 16 * v);
        for (int i = 0; i < MR; i++) {
            __m512 a = _mm512_set1_ps(Ap[k * MR + i]);
            for (int v = 0; v < nv; v++) acc[i][v] = _mm512_fmadd_ps(a, b[v], acc[i][v]);
        }
    }
    __m512 va = _mm512_set1_ps(alpha), vb = _mm512_set1_ps(beta);
    if (mr == MR && nr == NR) {
        for (int i = 0; i < MR; i++)
            for (int v = 0; v < nv; v++) {
                float *c = C + i * ldc + 16 * v;
                __m512 r = _mm512_mul_ps(va, acc[i][v]);
                if (beta != 0) r = _mm512_fmadd_ps(vb, _mm512_loadu_ps(c), r);
                _mm512_storeu_ps(c, r);
            }
        return;
    }
    for (int i = 0; i < mr; i++)
        for (int v = 0; v < nv; v++) {
            int left = nr - 16 * v;
            __mmask16 m = left >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << left) - 1);
            float *c = C + i * ldc + 16 * v;
            __m512 r = _mm512_mul_ps(va, acc[i][v]);
            if (beta != 0) r = _mm512_fmadd_ps(vb, _mm512_maskz_loadu_ps(m, c), r);
            _mm512_mask_storeu_ps(c, m, r);
        }
}

static GLOSSA_AVX512 void kernel(int kc, const float *restrict Ap, const float *restrict Bp, float *C, long ldc,
                                 float alpha, float beta, int mr, int nr) {
    if (nr > 32) tile(3, kc, Ap, Bp, C, ldc, alpha, beta, mr, nr);
    else if (nr > 16) tile(2, kc, Ap, Bp, C, ldc, alpha, beta, mr, nr);
    else tile(1, kc, Ap, Bp, C, ldc, alpha, beta, mr, nr);
}

// The 8×8 block at src (rows `ld` floats apart) transposed into dst (rows `dstld` floats apart):
// dst[k · dstld + r] = src[r · ld + k]. Gathers instead, one per k, ran 10–15 % slower on the
// models' transposed products: rows 4 KB apart (K = 1024) fall into one L1 set and evict each other.
static inline __attribute__((always_inline)) GLOSSA_AVX512 void transpose8(const float *src, long ld, float *dst, long dstld) {
    __m256 r0 = _mm256_loadu_ps(src), r1 = _mm256_loadu_ps(src + ld), r2 = _mm256_loadu_ps(src + 2 * ld),
           r3 = _mm256_loadu_ps(src + 3 * ld), r4 = _mm256_loadu_ps(src + 4 * ld), r5 = _mm256_loadu_ps(src + 5 * ld),
           r6 = _mm256_loadu_ps(src + 6 * ld), r7 = _mm256_loadu_ps(src + 7 * ld);
    __m256 t0 = _mm256_unpacklo_ps(r0, r1), t1 = _mm256_unpackhi_ps(r0, r1), t2 = _mm256_unpacklo_ps(r2, r3),
           t3 = _mm256_unpackhi_ps(r2, r3), t4 = _mm256_unpacklo_ps(r4, r5), t5 = _mm256_unpackhi_ps(r4, r5),
           t6 = _mm256_unpacklo_ps(r6, r7), t7 = _mm256_unpackhi_ps(r6, r7);
    __m256 u0 = _mm256_shuffle_ps(t0, t2, 0x44), u1 = _mm256_shuffle_ps(t0, t2, 0xEE), u2 = _mm256_shuffle_ps(t1, t3, 0x44),
           u3 = _mm256_shuffle_ps(t1, t3, 0xEE), u4 = _mm256_shuffle_ps(t4, t6, 0x44), u5 = _mm256_shuffle_ps(t4, t6, 0xEE),
           u6 = _mm256_shuffle_ps(t5, t7, 0x44), u7 = _mm256_shuffle_ps(t5, t7, 0xEE);
    _mm256_storeu_ps(dst, _mm256_permute2f128_ps(u0, u4, 0x20));
    _mm256_storeu_ps(dst + dstld, _mm256_permute2f128_ps(u1, u5, 0x20));
    _mm256_storeu_ps(dst + 2 * dstld, _mm256_permute2f128_ps(u2, u6, 0x20));
    _mm256_storeu_ps(dst + 3 * dstld, _mm256_permute2f128_ps(u3, u7, 0x20));
    _mm256_storeu_ps(dst + 4 * dstld, _mm256_permute2f128_ps(u0, u4, 0x31));
    _mm256_storeu_ps(dst + 5 * dstld, _mm256_permute2f128_ps(u1, u5, 0x31));
    _mm256_storeu_ps(dst + 6 * dstld, _mm256_permute2f128_ps(u2, u6, 0x31));
    _mm256_storeu_ps(dst + 7 * dstld, _mm256_permute2f128_ps(u3, u7, 0x31));
}

// dst[k · width + r] = src[r · ld + k] for r < rows, k < kc, and 0 for rows ≤ r < width: `rows`
// rows of length kc, transposed into a k-major panel `width` floats wide.
static GLOSSA_AVX512 void pack_transposed(const float *src, long ld, int rows, int kc, int width, float *dst) {
    int r = 0;
    for (; r + 8 <= rows; r += 8) {
        int k = 0;
        for (; k + 8 <= kc; k += 8) {
            // The next 8 rows, a cache line each every 16 k: eight short streams in different pages,
            // which the hardware prefetcher picks up too late.
            if ((k & 15) == 0 && r + 16 <= rows)
                for (int i = 0; i < 8; i++) _mm_prefetch((const char *)(src + (long)(r + 8 + i) * ld + k), _MM_HINT_T0);
            transpose8(src + (long)r * ld + k, ld, dst + (long)k * width + r, width);
        }
        for (; k < kc; k++)
            for (int i = 0; i < 8; i++) dst[(long)k * width + r + i] = src[(long)(r + i) * ld + k];
    }
    for (int k = 0; k < kc; k++) {
        for (int i = r; i < rows; i++) dst[(long)k * width + i] = src[(long)i * ld + k];
        for (int i = rows; i < width; i++) dst[(long)k * width + i] = 0;
    }
}

// dst ← op(A)[i0 ..< i0+mc, p0 ..< p0+kc] as MR-row micro-panels, each k-major, rows past mc zero.
static GLOSSA_AVX512 void pack_a(int transA, const float *A, long lda, int i0, int p0, int mc, int kc, float *dst) {
    if (transA) {  // op(A)[r, k] = A[k, r]: row k of A holds MR consecutive floats of every micro-panel
        int full = mc / MR * MR;
        for (int k = 0; k < kc; k++) {  // each row of A read once, front to back
            const float *src = A + (long)(p0 + k) * lda + i0;
            for (int ir = 0; ir < full; ir += MR) _mm256_storeu_ps(dst + (long)ir * kc + k * MR, _mm256_loadu_ps(src + ir));
            if (full < mc) {
                float *d = dst + (long)full * kc + k * MR;
                for (int i = 0; i < MR; i++) d[i] = full + i < mc ? src[full + i] : 0;
            }
        }
        return;
    }
    for (int ir = 0; ir < mc; ir += MR, dst += (long)kc * MR) {  // op(A)[r, k] = A[r, k]: MR rows transposed
        int mr = mc - ir < MR ? mc - ir : MR;
        pack_transposed(A + (long)(i0 + ir) * lda + p0, lda, mr, kc, MR, dst);
    }
}

// dst ← op(B)[p0 ..< p0+kc, j0 ..< j0+nc] as NR-column micro-panels, each k-major, columns past nc zero.
static GLOSSA_AVX512 void pack_b(int transB, const float *B, long ldb, int p0, int j0, int kc, int nc, float *dst) {
    for (int jr = 0; jr < nc; jr += NR, dst += (long)kc * NR) {
        int nr = nc - jr < NR ? nc - jr : NR;
        if (!transB) {  // op(B)[k, j] = B[k, j]: NR consecutive floats per k
            const float *src = B + (long)p0 * ldb + j0 + jr;
            for (int k = 0; k < kc; k++)
                for (int v = 0; v < NV; v++) {
                    int left = nr - 16 * v;
                    __mmask16 m = left >= 16 ? (__mmask16)0xFFFF : left <= 0 ? 0 : (__mmask16)((1u << left) - 1);
                    _mm512_store_ps(dst + k * NR + 16 * v, _mm512_maskz_loadu_ps(m, src + k * ldb + 16 * v));
                }
        } else {  // op(B)[k, j] = B[j, k]: NR rows transposed
            pack_transposed(B + (long)(j0 + jr) * ldb + p0, ldb, nr, kc, NR, dst);
        }
    }
}

// Per-thread pack buffers, allocated once (a malloc of this size per call would map fresh pages)
// and freed when the thread ends: worker threads come and go, and each would otherwise leak 3.3 MB
// (found by make sanitize).
static _Thread_local float *packedA, *packedB;
static pthread_key_t packedOwner;
static pthread_once_t packedOwnerOnce = PTHREAD_ONCE_INIT;

static void free_pack_buffers(void *buffers) {
    float **pair = buffers;
    free(pair[0]);
    free(pair[1]);
    free(pair);
}

static void make_packed_owner(void) { pthread_key_create(&packedOwner, free_pack_buffers); }

GLOSSA_AVX512 void glossa_sgemm_packed_avx512(int transA, int transB, int M, int N, int K, float alpha,
                                              const float *A, int lda, const float *B, int ldb,
                                              float beta, float *C, int ldc) {
    // A K of up to 2·KC runs as one block, so that C is read and written once instead of twice (the
    // weight gradients, K = T·B rows, e.g. dyᵀ·y at 10000×200×400 with an 8 MB C); B's blocks are then
    // narrower, to stay as large as KC×NC.
    const int kcMax = K <= 2 * KC ? K : KC;
    const int ncMax = kcMax > KC ? NC * KC / kcMax / NR * NR : NC;
    if (!packedA) {
        packedA = aligned_alloc(64, sizeof(float) * (MC + MR) * 2 * KC);
        packedB = aligned_alloc(64, sizeof(float) * (NC + 2 * NR) * KC);
        float **pair = malloc(2 * sizeof(float *));
        if (!packedA || !packedB || !pair) abort();
        pair[0] = packedA;
        pair[1] = packedB;
        pthread_once(&packedOwnerOnce, make_packed_owner);
        pthread_setspecific(packedOwner, pair);
    }
    for (int j0 = 0; j0 < N; j0 += ncMax) {
        int nc = N - j0 < ncMax ? N - j0 : ncMax;
        for (int p0 = 0; p0 < K; p0 += kcMax) {
            int kc = K - p0 < kcMax ? K - p0 : kcMax;
            float b = p0 == 0 ? beta : 1;
            pack_b(transB, B, ldb, p0, j0, kc, nc, packedB);
            for (int i0 = 0; i0 < M; i0 += MC) {
                int mc = M - i0 < MC ? M - i0 : MC;
                pack_a(transA, A, lda, i0, p0, mc, kc, packedA);
                for (int jr = 0; jr < nc; jr += NR) {
                    int nr = nc - jr < NR ? nc - jr : NR;
                    for (int ir = 0; ir < mc; ir += MR) {
                        int mr = mc - ir < MR ? mc - ir : MR;
                        kernel(kc, packedA + (long)ir * kc, packedB + (long)jr * kc,
                               C + (long)(i0 + ir) * ldc + j0 + jr, ldc, alpha, b, mr, nr);
                    }
                }
            }
        }
    }
}
