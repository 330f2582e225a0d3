// Exact argmax_j (x·Wᵀ + b)_j over a large output layer W (V×K) without the full fp32 product: a
// bfloat16 product (VDPBF16PS, twice the multiply-adds of an fp32 FMA per instruction and half the
// bytes of W) gives every score within a proven bound of its fp32 value; only the columns whose
// interval reaches the best lower bound are computed again in fp32, in the order of the small-M
// kernel (one fused multiply-add chain over k from 0, then + b_j), so the winner is the one the full
// fp32 product gives, ties to the lowest index. Greedy decoding's output layer (docs/DESIGN.md).
//
// The bound for row x and column j, S = Σ_k |w_jk x_k| ≤ ‖w_j‖₂‖x‖₂:
//   |bf(w)bf(x) − wx| ≤ (2u_b + u_b²)|wx| per term, u_b = 2⁻⁸ (round to nearest even, done here);
//   each sum (bf16 products accumulated in fp32; the fp32 chain) ≤ γ_K·S(1 + u_b)², γ_K = K·u/(1 − K·u),
//   u = 2⁻²³ (twice fp32's unit roundoff, whatever the hardware's rounding inside VDPBF16PS);
//   adding b_j to both ≤ u·(|s| + |t|); VDPBF16PS flushes denormals: K·2⁻¹²⁰ absolute at most.
#include "glossa_blas.h"
#include <immintrin.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define SCREEN_AVX512 __attribute__((target("avx512f,avx512bw,avx512vl,avx512bf16,fma")))
#define PANEL 64        // columns per packed panel (4 vectors)
#define SROWS 6         // rows per register tile (6 × 4 = 24 accumulators)

struct glossa_argmax_screen {
    int V, K, pairs;    // pairs = ⌈K/2⌉ bf16 pairs per column
    uint32_t *panels;   // ⌈V/64⌉ panels of (pairs × 64) dwords: (w[j][2p], w[j][2p+1]) as bf16
    float *norms;       // ‖w_j‖₂, rounded up
    double slope;       // e_j = slope·‖w_j‖₂‖x‖₂ + …
};

int glossa_argmax_screen_available(void) {
    __builtin_cpu_init();
    return glossa_gemm_kernel() && __builtin_cpu_supports("avx512bf16");
}

/// Round to nearest even; NaN stays NaN, too large becomes ±inf (screened out later).
static inline uint16_t to_bf16(float f) {
    uint32_t u;
    memcpy(&u, &f, 4);
    if ((u & 0x7FFFFFFFu) > 0x7F800000u) return (uint16_t)((u >> 16) | 0x40);
    return (uint16_t)((u + 0x7FFFu + ((u >> 16) & 1u)) >> 16);
}

static inline uint32_t pair(float even, float odd) { return (uint32_t)to_bf16(even) | (uint32_t)to_bf16(odd) << 16; }

glossa_argmax_screen *glossa_argmax_screen_make(int V, int K, const float *W) {
    if (!glossa_argmax_screen_available() || V <= 0 || K <= 0) return NULL;
    glossa_argmax_screen *s = calloc(1, sizeof *s);
    int panels = (V + PANEL - 1) / PANEL, pairs = (K + 1) / 2;
    if (!s) return NULL;
    s->V = V;
    s->K = K;
    s->pairs = pairs;
    s->panels = aligned_alloc(64, sizeof(uint32_t) * (size_t)panels * pairs * PANEL);
    s->norms = malloc(sizeof(float) * (size_t)V);
    if (!s->panels || !s->norms) { glossa_argmax_screen_free(s); return NULL; }
    for (int j = 0; j < panels * PANEL; j++) {
        uint32_t *column = s->panels + (size_t)(j / PANEL) * pairs * PANEL + j % PANEL;
        const float *w = W + (size_t)j * K;
        double sum = 0;
        for (int p = 0; p < pairs; p++) {
            float even = j < V ? w[2 * p] : 0, odd = j < V && 2 * p + 1 < K ? w[2 * p + 1] : 0;
            column[(size_t)p * PANEL] = pair(even, odd);
        }
        if (j >= V) continue;
        for (int k = 0; k < K; k++) sum += (double)w[k] * w[k];
        if (!(sum < 1e30)) { glossa_argmax_screen_free(s); return NULL; }  // inf or NaN: no screen
        s->norms[j] = nextafterf((float)sqrt(sum) * (1 + 0x1p-20f), INFINITY);
    }
    double ub = 0x1p-8, u = 0x1p-23, gamma = K * u / (1 - K * u);
    s->slope = (2 * ub + ub * ub + 2 * gamma * (1 + ub) * (1 + ub)) * (1 + 0x1p-10);
    return s;
}

void glossa_argmax_screen_free(glossa_argmax_screen *s) {
    if (!s) return;
    free(s->panels);
    free(s->norms);
    free(s);
}

void glossa_argmax_screen_convert(const glossa_argmax_screen *s, int M, const float *X, int ldx, unsigned int *Xb) {
    int K = s->K;
    for (int i = 0; i < M; i++)
        for (int p = 0; p < s->pairs; p++) {
            const float *x = X + (size_t)i * ldx;
            Xb[(size_t)i * s->pairs + p] = pair(x[2 * p], 2 * p + 1 < K ? x[2 * p + 1] : 0);
        }
}

// scores[mr × 64·nv] = bf16 pairs Xb[mr × pairs] · panel + bias, the last vector masked by `last`.
static inline __attribute__((always_inline)) SCREEN_AVX512 void tile(const int mr, const int nv, __mmask16 last,
        int pairs, const uint32_t *Xb, const uint32_t *panel, const float *bias, float *scores, long lds) {
    __m512 acc[SROWS][4];
    for (int i = 0; i < mr; i++)
        for (int v = 0; v < nv; v++) acc[i][v] = _mm512_setzero_ps();
    for (int p = 0; p < pairs; p++) {
        __m512bh b[4];
        for (int v = 0; v < nv; v++) b[v] = (__m512bh)_mm512_load_si512((const void *)(panel + (size_t)p * PANEL + 16 * v));
        for (int i = 0; i < mr; i++) {
            __m512bh a = (__m512bh)_mm512_set1_epi32((int)Xb[(size_t)i * pairs + p]);
            for (int v = 0; v < nv; v++) acc[i][v] = _mm512_dpbf16_ps(acc[i][v], a, b[v]);
        }
    }
    for (int v = 0; v < nv; v++) {
        __mmask16 m = v == nv - 1 ? last : (__mmask16)0xFFFF;
        __m512 bv = _mm512_maskz_loadu_ps(m, bias + 16 * v);
        for (int i = 0; i < mr; i++) _mm512_mask_storeu_ps(scores + i * lds + 16 * v, m, _mm512_add_ps(acc[i][v], bv));
    }
}

#define SCREEN_ROWS(R)                                                                                   \
    static SCREEN_AVX512 void rows##R(int nv, __mmask16 last, int pairs, const uint32_t *Xb,              \
                                      const uint32_t *panel, const float *bias, float *scores, long lds) { \
        switch (nv) {                                                                                    \
        case 1: tile(R, 1, last, pairs, Xb, panel, bias, scores, lds); break;                            \
        case 2: tile(R, 2, last, pairs, Xb, panel, bias, scores, lds); break;                            \
        case 3: tile(R, 3, last, pairs, Xb, panel, bias, scores, lds); break;                            \
        default: tile(R, 4, last, pairs, Xb, panel, bias, scores, lds); break;                           \
        }                                                                                                \
    }
SCREEN_ROWS(1) SCREEN_ROWS(2) SCREEN_ROWS(3) SCREEN_ROWS(4) SCREEN_ROWS(5) SCREEN_ROWS(6)

SCREEN_AVX512 void glossa_argmax_screen_scores(const glossa_argmax_screen *s, int M, const unsigned int *Xb, const float *bias,
                                               int j0, int j1, float *scores) {
    static void (*const rows[])(int, __mmask16, int, const uint32_t *, const uint32_t *, const float *, float *, long) = {
        rows1, rows2, rows3, rows4, rows5, rows6};
    int pairs = s->pairs;
    for (int n0 = j0; n0 < j1; n0 += PANEL) {  // a panel (pairs × 256 bytes) stays in L2 for every row
        int rem = (j1 < s->V ? j1 : s->V) - n0;
        if (rem <= 0) break;
        int nv = rem >= PANEL ? 4 : (rem + 15) / 16, tail = rem - 16 * (nv - 1);
        __mmask16 last = tail >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << tail) - 1);
        const uint32_t *panel = s->panels + (size_t)(n0 / PANEL) * pairs * PANEL;
        for (int m0 = 0; m0 < M; m0 += SROWS) {
            int mr = M - m0 < SROWS ? M - m0 : SROWS;
            rows[mr - 1](nv, last, pairs, Xb + (size_t)m0 * pairs, panel, bias + n0, scores + (size_t)m0 * s->V + n0, s->V);
        }
    }
}

/// y[c] = the fp32 logit of column cols[c] as the small-M kernel computes it (one FMA chain over k
/// from 0, then + b_j); four chains at a time so their latencies overlap.
static void exact(const float *x, const float *W, int K, const float *bias, const int *cols, int n, float *y) {
    int c = 0;
    for (; c + 4 <= n; c += 4) {
        const float *w0 = W + (size_t)cols[c] * K, *w1 = W + (size_t)cols[c + 1] * K,
                    *w2 = W + (size_t)cols[c + 2] * K, *w3 = W + (size_t)cols[c + 3] * K;
        float a0 = 0, a1 = 0, a2 = 0, a3 = 0;
        for (int k = 0; k < K; k++) {
            a0 = fmaf(x[k], w0[k], a0);
            a1 = fmaf(x[k], w1[k], a1);
            a2 = fmaf(x[k], w2[k], a2);
            a3 = fmaf(x[k], w3[k], a3);
        }
        y[c] = a0 + bias[cols[c]];
        y[c + 1] = a1 + bias[cols[c + 1]];
        y[c + 2] = a2 + bias[cols[c + 2]];
        y[c + 3] = a3 + bias[cols[c + 3]];
    }
    for (; c < n; c++) {
        const float *w = W + (size_t)cols[c] * K;
        float a = 0;
        for (int k = 0; k < K; k++) a = fmaf(x[k], w[k], a);
        y[c] = a + bias[cols[c]];
    }
}

// The bound e_j = scale·‖w_j‖₂ + 2⁻²¹|s_j| + floor on |score − fp32 logit| for 16 columns.
static inline __attribute__((always_inline)) SCREEN_AVX512 __m512 margin(__m512 v, __m512 norms, __m512 scale, __m512 floor) {
    __m512 magnitude = _mm512_abs_ps(v);
    return _mm512_add_ps(_mm512_mul_ps(scale, norms), _mm512_add_ps(_mm512_mul_ps(_mm512_set1_ps(0x1p-21f), magnitude), floor));
}

// Over columns [a, b): the largest lower bound score − e_j (into *best), and 0 when a score is not
// finite or huge.
static SCREEN_AVX512 int lower_bounds(const float *row, const float *norms, int a, int b, float scale, float floor, float *best) {
    __m512 vs = _mm512_set1_ps(scale), vf = _mm512_set1_ps(floor), top = _mm512_set1_ps(*best);
    __mmask16 bad = 0;
    for (int j = a; j < b; j += 16) {
        __mmask16 m = b - j >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << (b - j)) - 1);
        __m512 v = _mm512_maskz_loadu_ps(m, row + j);
        bad |= _mm512_mask_cmp_ps_mask(m, _mm512_abs_ps(v), _mm512_set1_ps(1e30f), _CMP_NLT_UQ);
        __m512 low = _mm512_sub_ps(v, margin(v, _mm512_maskz_loadu_ps(m, norms + j), vs, vf));
        top = _mm512_mask_max_ps(top, m, top, low);
    }
    *best = _mm512_reduce_max_ps(top);
    return bad == 0;
}

// Appends to cols the columns of [a, b) whose upper bound score + e_j reaches best; returns the count.
static SCREEN_AVX512 int candidates(const float *row, const float *norms, int a, int b, float scale, float floor, float best, int *cols) {
    __m512 vs = _mm512_set1_ps(scale), vf = _mm512_set1_ps(floor), vb = _mm512_set1_ps(best);
    int n = 0;
    for (int j = a; j < b; j += 16) {
        __mmask16 m = b - j >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << (b - j)) - 1);
        __m512 v = _mm512_maskz_loadu_ps(m, row + j);
        __m512 high = _mm512_add_ps(v, margin(v, _mm512_maskz_loadu_ps(m, norms + j), vs, vf));
        unsigned hits = _mm512_mask_cmp_ps_mask(m, high, vb, _CMP_GE_OQ);
        while (hits) {
            cols[n++] = j + __builtin_ctz(hits);
            hits &= hits - 1;
        }
    }
    return n;
}

int glossa_argmax_screen_pick(const glossa_argmax_screen *s, int M, const float *X, int ldx, const float *W,
                              const float *bias, const float *scores, int excludedCount, const int *excludedList,
                              int *out) {
    int V = s->V, K = s->K, recomputed = 0;
    // The columns taking part, as segments between the excluded ones (sorted, deduplicated).
    int bounds[2 * 8 + 2], segments = 0, previous = 0;
    int sorted[8], count = 0;
    for (int e = 0; e < excludedCount && count < 8; e++) {
        int j = excludedList[e], at = count;
        if (j < 0 || j >= V) continue;
        while (at > 0 && sorted[at - 1] > j) at--;
        if (at > 0 && sorted[at - 1] == j) continue;
        memmove(sorted + at + 1, sorted + at, sizeof(int) * (count - at));
        sorted[at] = j;
        count++;
    }
    for (int e = 0; e <= count; e++) {
        int end = e < count ? sorted[e] : V;
        if (end > previous) { bounds[2 * segments] = previous; bounds[2 * segments + 1] = end; segments++; }
        previous = end + 1;
    }
    int *cols = malloc(sizeof(int) * (size_t)V);
    float *values = malloc(sizeof(float) * (size_t)V);
    if (!cols || !values) abort();
    for (int i = 0; i < M; i++) {
        const float *x = X + (size_t)i * ldx, *row = scores + (size_t)i * V;
        double sum = 0;
        for (int k = 0; k < K; k++) sum += (double)x[k] * x[k];
        float scale = (float)(s->slope * sqrt(sum)) * (1 + 0x1p-20f), floor = K * 0x1p-120f;
        float best = -INFINITY;
        int finite = sum < 1e30;
        for (int g = 0; g < segments && finite; g++)
            finite = lower_bounds(row, s->norms, bounds[2 * g], bounds[2 * g + 1], scale, floor, &best);
        int n = 0;
        for (int g = 0; g < segments; g++) {
            if (finite) n += candidates(row, s->norms, bounds[2 * g], bounds[2 * g + 1], scale, floor, best, cols + n);
            else for (int j = bounds[2 * g]; j < bounds[2 * g + 1]; j++) cols[n++] = j;  // every column, in order
        }
        if (finite && n == 1) {  // the column holding the best lower bound, and no other reaches it
            out[i] = cols[0];
            continue;
        }
        exact(x, W, K, bias, cols, n, values);
        recomputed += n;
        int winner = -1;
        float winning = -INFINITY;
        for (int c = 0; c < n; c++)  // columns ascending: the first of equal maxima wins
            if (winner < 0 || values[c] > winning) { winner = cols[c]; winning = values[c]; }
        out[i] = winner;
    }
    free(cols);
    free(values);
    return recomputed;
}
