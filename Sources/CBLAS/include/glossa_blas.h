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

/// Columns per panel of glossa_pack_panels' layout.
#define GLOSSA_PANEL 64
/// panels ← W (N×K, row-major) as Wᵀ (K×N) in ⌈N/64⌉ panels of K×64 floats, each contiguous (columns
/// past N zero): a weight that many small products read (frozen decoder weights) is then streamed
/// front to back instead of 256 bytes per row of a wide matrix. panels holds ⌈N/64⌉·64·K floats.
void glossa_pack_panels(int N, int K, const float *W, float *panels);
/// C (M×N) = A (M×K) · B + beta · C (beta 0 or 1; 0 never reads C), B as glossa_pack_panels lays
/// it out; each element summed in one FMA chain over k as the small-M kernel does, so the result
/// equals glossa_sgemm's for M ≤ 64 bit for bit. Any M.
void glossa_sgemm_panels(int M, int N, int K, const float *A, int lda, const float *panels, float beta, float *C, int ldc);

/// A layer's weight W (V×K, row-major) prepared for exact argmax_j (x·Wᵀ + b)_j by screening
/// (glossa_argmax_screen.c): bfloat16 panels of W and the norms ‖w_j‖₂. It copies what it needs; W
/// itself is passed again to `pick`, unchanged.
typedef struct glossa_argmax_screen glossa_argmax_screen;
/// 1 when screens can be made: Glossa's own kernels are chosen and the CPU has AVX-512 BF16.
int glossa_argmax_screen_available(void);
/// NULL when unavailable or when W holds a non-finite or huge value (then multiply in full).
glossa_argmax_screen *glossa_argmax_screen_make(int V, int K, const float *W);
void glossa_argmax_screen_free(glossa_argmax_screen *screen);
/// Xb (M × ⌈K/2⌉) = the rows of X (M×K, row stride ldx) as bfloat16 pairs.
void glossa_argmax_screen_convert(const glossa_argmax_screen *screen, int M, const float *X, int ldx, unsigned int *Xb);
/// scores[i, j] (M×V, row stride V) ≈ x_i·w_j + b_j in bfloat16 for columns j0 ≤ j < j1 (j0 a
/// multiple of 64; each column's panel is separate, so threads may take disjoint ranges).
void glossa_argmax_screen_scores(const glossa_argmax_screen *screen, int M, const unsigned int *Xb, const float *bias,
                                 int j0, int j1, float *scores);
/// out[i] = argmax_j of the fp32 logits x_i·w_j + b_j (one FMA chain over k, as the small-M kernel
/// sums), ties to the lowest j, over the columns not in `excluded`; only columns the scores cannot
/// rule out are computed, none when one alone remains. Returns how many were.
int glossa_argmax_screen_pick(const glossa_argmax_screen *screen, int M, const float *X, int ldx, const float *W,
                              const float *bias, const float *scores, int excludedCount, const int *excluded, int *out);

/// Number of threads OpenBLAS uses, and a setter.
int glossa_blas_threads(void);
void glossa_blas_set_threads(int n);

#ifdef __cplusplus
}
#endif
#endif
