// Element-wise kernels written as plain loops that clang vectorizes for AVX2 + FMA at -O3.
#include "glossa_kernels.h"
#include <immintrin.h>
#include <math.h>
#include <string.h>
#include <stdint.h>

// exp: Cephes' polynomial after range reduction x = n·ln2 + r, 2^n built in the exponent bits.
static inline float fast_exp(float x) {
    x = x < -87.0f ? -87.0f : (x > 88.0f ? 88.0f : x);
    float n = __builtin_roundf(x * 1.44269504088896341f);
    float r = x - n * 0.693359375f;
    r = r + n * 2.12194440e-4f;
    float y = 1.9875691500E-4f;
    y = y * r + 1.3981999507E-3f;
    y = y * r + 8.3334519073E-3f;
    y = y * r + 4.1665795894E-2f;
    y = y * r + 1.6666665459E-1f;
    y = y * r + 5.0000001201E-1f;
    y = y * r * r + r + 1.0f;
    int32_t bits = ((int32_t)(n == n ? n : 0.0f) + 127) << 23;  // NaN (y is NaN then) must not reach the int conversion: UB
    float scale;
    memcpy(&scale, &bits, 4);
    return y * scale;
}

// tanh: Eigen's 13/6 rational approximation on [-9, 9] (|error| ≈ 1e-7).
static inline float fast_tanh(float x) {
    x = x < -9.0f ? -9.0f : (x > 9.0f ? 9.0f : x);
    float x2 = x * x;
    float p = -2.76076847742355e-16f;
    p = p * x2 + 2.00018790482477e-13f;
    p = p * x2 + -8.60467152213735e-11f;
    p = p * x2 + 5.12229709037114e-08f;
    p = p * x2 + 1.48572235717979e-05f;
    p = p * x2 + 6.37261928875436e-04f;
    p = p * x2 + 4.89352455891786e-03f;
    p = p * x;
    float q = 1.19825839466702e-06f;
    q = q * x2 + 1.18534705686654e-04f;
    q = q * x2 + 2.26843463243900e-03f;
    q = q * x2 + 4.89352518554385e-03f;
    return p / q;
}

static inline float fast_sigmoid(float x) { return 1.0f / (1.0f + fast_exp(-x)); }

// The cell kernels below read and write the gate blocks of one row through pointers that all derive
// from one buffer, so clang cannot prove they do not overlap and guards its vector loop with a run-time
// check that fails (and falls back to scalar code, ≈ 30× slower). They never overlap within a row:
// say so.
#define VECTORIZE_ROW _Pragma("clang loop vectorize(assume_safety)")

void glossa_exp(int n, const float *x, float *y) { for (int i = 0; i < n; i++) y[i] = fast_exp(x[i]); }
void glossa_tanh(int n, const float *x, float *y) { for (int i = 0; i < n; i++) y[i] = fast_tanh(x[i]); }
void glossa_sigmoid(int n, const float *x, float *y) { for (int i = 0; i < n; i++) y[i] = fast_sigmoid(x[i]); }
void glossa_relu(int n, const float *x, float *y) { for (int i = 0; i < n; i++) y[i] = x[i] > 0 ? x[i] : 0; }

void glossa_add_rows(int rows, int n, float *restrict y, const float *restrict bias) {
    for (int r = 0; r < rows; r++) {
        float *row = y + (long)r * n;
        for (int j = 0; j < n; j++) row[j] += bias[j];
    }
}

void glossa_sum_rows(int rows, int n, const float *restrict x, float *restrict sum) {
    for (int r = 0; r < rows; r++) {
        const float *row = x + (long)r * n;
        for (int j = 0; j < n; j++) sum[j] += row[j];
    }
}

// Reductions keep 16 partial results (one AVX-512 / two AVX2 registers) so that clang vectorizes
// them without -ffast-math.
static float row_max(int V, const float *x) {
    float m[16];
    for (int l = 0; l < 16; l++) m[l] = -INFINITY;
    int j = 0;
    for (; j + 16 <= V; j += 16)
        for (int l = 0; l < 16; l++) m[l] = x[j + l] > m[l] ? x[j + l] : m[l];
    for (; j < V; j++) m[0] = x[j] > m[0] ? x[j] : m[0];
    float r = m[0];
    for (int l = 1; l < 16; l++) r = m[l] > r ? m[l] : r;
    return r;
}

// x[j] = exp(x[j] − shift) when store, and returns Σ exp(x[j] − shift).
static float exp_sum(int V, float *x, float shift, int store) {
    float s[16] = {0};
    int j = 0;
    for (; j + 16 <= V; j += 16)
        for (int l = 0; l < 16; l++) {
            float e = fast_exp(x[j + l] - shift);
            if (store) x[j + l] = e;
            s[l] += e;
        }
    float tail = 0;
    for (; j < V; j++) {
        float e = fast_exp(x[j] - shift);
        if (store) x[j] = e;
        tail += e;
    }
    for (int l = 0; l < 16; l++) tail += s[l];
    return tail;
}

double glossa_softmax_xent(int rows, int V, float *logits, const float *bias, const int *targets,
                           const float *weights, float *dbias) {
    double total = 0;
    for (int r = 0; r < rows; r++) {
        float *x = logits + (long)r * V;
        float w = weights ? weights[r] : 1.0f;
        if (w == 0.0f) { memset(x, 0, sizeof(float) * V); continue; }
        if (bias) for (int j = 0; j < V; j++) x[j] += bias[j];
        float m = row_max(V, x);
        float target_logit = x[targets[r]];
        float s = exp_sum(V, x, m, 1);
        float scale = w / s;
        for (int j = 0; j < V; j++) x[j] *= scale;
        x[targets[r]] -= w;
        if (dbias) for (int j = 0; j < V; j++) dbias[j] += x[j];
        total += (double)w * ((double)m + log((double)s) - (double)target_logit);
    }
    return total;
}

void glossa_log_softmax(int rows, int V, float *x0) {
    for (int r = 0; r < rows; r++) {
        float *x = x0 + (long)r * V;
        float m = row_max(V, x);
        float shift = m + logf(exp_sum(V, x, m, 0));
        for (int j = 0; j < V; j++) x[j] -= shift;
    }
}

void glossa_lstm_forward(int B, int H, float *restrict gates, const float *restrict cprev, float *restrict c,
                         float *restrict tc, float *restrict h) {
    for (int b = 0; b < B; b++) {
        float *gi = gates + (long)b * 4 * H, *gf = gi + H, *gg = gf + H, *go = gg + H;
        const float *cp = cprev + (long)b * H;
        float *cb = c + (long)b * H, *tb = tc + (long)b * H, *hb = h + (long)b * H;
        VECTORIZE_ROW
        for (int j = 0; j < H; j++) {
            float i = fast_sigmoid(gi[j]), f = fast_sigmoid(gf[j]), g = fast_tanh(gg[j]), o = fast_sigmoid(go[j]);
            float cn = f * cp[j] + i * g;
            float t = fast_tanh(cn);
            gi[j] = i; gf[j] = f; gg[j] = g; go[j] = o;
            cb[j] = cn; tb[j] = t; hb[j] = o * t;
        }
    }
}

void glossa_lstm_backward(int B, int H, const float *restrict gates, const float *restrict cprev,
                          const float *restrict tc, const float *restrict dh, float *restrict dc,
                          float *restrict dgates) {
    for (int b = 0; b < B; b++) {
        const float *gi = gates + (long)b * 4 * H, *gf = gi + H, *gg = gf + H, *go = gg + H;
        float *di = dgates + (long)b * 4 * H, *df = di + H, *dg = df + H, *dO = dg + H;
        const float *cp = cprev + (long)b * H, *tb = tc + (long)b * H, *dhb = dh + (long)b * H;
        float *dcb = dc + (long)b * H;
        VECTORIZE_ROW
        for (int j = 0; j < H; j++) {
            float i = gi[j], f = gf[j], g = gg[j], o = go[j], t = tb[j], d = dhb[j];
            float dct = dcb[j] + d * o * (1.0f - t * t);
            di[j] = dct * g * i * (1.0f - i);
            df[j] = dct * cp[j] * f * (1.0f - f);
            dg[j] = dct * i * (1.0f - g * g);
            dO[j] = d * t * o * (1.0f - o);
            dcb[j] = dct * f;
        }
    }
}

void glossa_gru_forward(int B, int H, float *restrict xg, float *restrict hg, const float *restrict bhh,
                        const float *restrict hprev, float *restrict h) {
    for (int b = 0; b < B; b++) {
        float *xr = xg + (long)b * 3 * H, *xz = xr + H, *xn = xz + H;
        float *hr = hg + (long)b * 3 * H, *hz = hr + H, *hn = hz + H;
        const float *hp = hprev + (long)b * H;
        float *hb = h + (long)b * H;
        VECTORIZE_ROW
        for (int j = 0; j < H; j++) {
            float r = fast_sigmoid(xr[j] + hr[j] + bhh[j]);
            float z = fast_sigmoid(xz[j] + hz[j] + bhh[H + j]);
            float hnb = hn[j] + bhh[2 * H + j];
            float n = fast_tanh(xn[j] + r * hnb);
            xr[j] = r; xz[j] = z; xn[j] = n; hn[j] = hnb;
            hb[j] = (1.0f - z) * n + z * hp[j];
        }
    }
}

void glossa_gru_backward(int B, int H, const float *restrict xg, const float *restrict hg,
                         const float *restrict hprev, const float *restrict dh, float *restrict dxg,
                         float *restrict dhg, float *restrict dhprev) {
    for (int b = 0; b < B; b++) {
        const float *r_ = xg + (long)b * 3 * H, *z_ = r_ + H, *n_ = z_ + H;
        const float *hn_ = hg + (long)b * 3 * H + 2 * H;
        float *dxr = dxg + (long)b * 3 * H, *dxz = dxr + H, *dxn = dxz + H;
        float *dhr = dhg + (long)b * 3 * H, *dhz = dhr + H, *dhn = dhz + H;
        const float *hp = hprev + (long)b * H, *d = dh + (long)b * H;
        float *dp = dhprev + (long)b * H;
        VECTORIZE_ROW
        for (int j = 0; j < H; j++) {
            float r = r_[j], z = z_[j], n = n_[j], g = d[j];
            float dnpre = g * (1.0f - z) * (1.0f - n * n);
            float dzpre = g * (hp[j] - n) * z * (1.0f - z);
            float drpre = dnpre * hn_[j] * r * (1.0f - r);
            dxr[j] = drpre; dxz[j] = dzpre; dxn[j] = dnpre;
            dhr[j] = drpre; dhz[j] = dzpre; dhn[j] = dnpre * r;
            dp[j] = g * z;
        }
    }
}

void glossa_activation_forward(int kind, int n, float *x) {
    switch (kind) {
    case 0: glossa_tanh(n, x, x); break;
    case 1: glossa_relu(n, x, x); break;
    default: glossa_sigmoid(n, x, x); break;
    }
}

void glossa_activation_backward(int kind, int n, const float *restrict h, const float *restrict dh,
                                float *restrict dpre) {
    switch (kind) {
    case 0: for (int i = 0; i < n; i++) dpre[i] = dh[i] * (1.0f - h[i] * h[i]); break;
    case 1: for (int i = 0; i < n; i++) dpre[i] = h[i] > 0 ? dh[i] : 0.0f; break;
    default: for (int i = 0; i < n; i++) dpre[i] = dh[i] * h[i] * (1.0f - h[i]); break;
    }
}

// dst[k · ldd + r] = src[r · lds + k] for an 8×8 block, through AVX registers.
static inline void transpose8(const float *src, long lds, float *dst, long ldd) {
    __m256 r[8], t[8];
    for (int i = 0; i < 8; i++) r[i] = _mm256_loadu_ps(src + i * lds);
    for (int i = 0; i < 8; i += 2) {
        t[i] = _mm256_unpacklo_ps(r[i], r[i + 1]);
        t[i + 1] = _mm256_unpackhi_ps(r[i], r[i + 1]);
    }
    for (int i = 0; i < 8; i += 4) {
        r[i] = _mm256_shuffle_ps(t[i], t[i + 2], 0x44);
        r[i + 1] = _mm256_shuffle_ps(t[i], t[i + 2], 0xEE);
        r[i + 2] = _mm256_shuffle_ps(t[i + 1], t[i + 3], 0x44);
        r[i + 3] = _mm256_shuffle_ps(t[i + 1], t[i + 3], 0xEE);
    }
    for (int i = 0; i < 4; i++) {
        _mm256_storeu_ps(dst + i * ldd, _mm256_permute2f128_ps(r[i], r[i + 4], 0x20));
        _mm256_storeu_ps(dst + (i + 4) * ldd, _mm256_permute2f128_ps(r[i], r[i + 4], 0x31));
    }
}

void glossa_transpose(int rows, int cols, const float *restrict src, int lds, float *restrict dst, int ldd) {
    int full_rows = rows / 8 * 8, full_cols = cols / 8 * 8;
    for (int i = 0; i < full_rows; i += 8)
        for (int j = 0; j < full_cols; j += 8) transpose8(src + (long)i * lds + j, lds, dst + (long)j * ldd + i, ldd);
    for (int i = 0; i < rows; i++)  // the edges
        for (int j = i < full_rows ? full_cols : 0; j < cols; j++) dst[(long)j * ldd + i] = src[(long)i * lds + j];
}
