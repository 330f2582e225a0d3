// Optimizer and gradient-norm loops over flat parameter buffers, vectorized for AVX2 + FMA.
// NeuralCore splits long buffers between both cores and calls these on each half.
#include "glossa_kernels.h"
#include <math.h>

double glossa_sum_squares(long n, const float *x) {
    // 16 Float lanes over blocks of 4096 elements, blocks summed in Double: vectorized, and the
    // Float partial sums never cover more than 256 terms each.
    double total = 0;
    for (long start = 0; start < n; start += 4096) {
        long end = start + 4096 < n ? start + 4096 : n;
        float s[16] = {0};
        long i = start;
        for (; i + 16 <= end; i += 16)
            for (int l = 0; l < 16; l++) s[l] += x[i + l] * x[i + l];
        double block = 0;
        for (; i < end; i++) block += (double)x[i] * x[i];
        for (int l = 0; l < 16; l++) block += s[l];
        total += block;
    }
    return total;
}

void glossa_scale(long n, float *x, float factor) {
    for (long i = 0; i < n; i++) x[i] *= factor;
}

void glossa_adam_step(long n, float *restrict w, const float *restrict g, float *restrict m, float *restrict v,
                      float beta1, float beta2, float step_size, float c2root, float eps) {
    for (long i = 0; i < n; i++) {
        float gi = g[i];
        float mi = beta1 * m[i] + (1 - beta1) * gi;
        float vi = beta2 * v[i] + (1 - beta2) * gi * gi;
        m[i] = mi;
        v[i] = vi;
        w[i] -= step_size * mi / (__builtin_elementwise_sqrt(vi) / c2root + eps);
    }
}

void glossa_sgd_step(long n, float *restrict w, const float *restrict g, float *restrict velocity,
                     float lr, float momentum) {
    if (velocity) {
        for (long i = 0; i < n; i++) {
            float vi = momentum * velocity[i] + g[i];
            velocity[i] = vi;
            w[i] -= lr * vi;
        }
    } else {
        for (long i = 0; i < n; i++) w[i] -= lr * g[i];
    }
}
