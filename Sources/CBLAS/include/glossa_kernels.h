// Vectorized element-wise kernels for NeuralCore, compiled with AVX2 + FMA (see Package.swift).
// Shape legend: B batch, H hidden, G gates. Every matrix is row-major and contiguous.
#ifndef GLOSSA_KERNELS_H
#define GLOSSA_KERNELS_H

#ifdef __cplusplus
extern "C" {
#endif

/// y[i] = exp(x[i]) (relative error ≈ 1e-7; inputs clamped to [-87, 88]). y may equal x.
void glossa_exp(int n, const float *x, float *y);
/// y[i] = tanh(x[i]) (rational approximation, absolute error ≈ 1e-7). y may equal x.
void glossa_tanh(int n, const float *x, float *y);
/// y[i] = 1 / (1 + exp(-x[i])). y may equal x.
void glossa_sigmoid(int n, const float *x, float *y);
/// y[i] = max(x[i], 0). y may equal x.
void glossa_relu(int n, const float *x, float *y);

/// y (rows, n) += bias (n) on every row.
void glossa_add_rows(int rows, int n, float *y, const float *bias);
/// sum (n) += column sums of x (rows, n).
void glossa_sum_rows(int rows, int n, const float *x, float *sum);

/// Row-wise softmax cross-entropy on logits (rows, V), in place: bias (V, may be NULL) is added to
/// each row first (the layer's bias, so the logits need no pass of their own for it); then each row
/// with weight w[r] != 0 becomes w[r]·(softmax − onehot(target[r])), rows with weight 0 become 0, and
/// dbias (V, may be NULL) += the column sums of the result, row by row. Returns Σ w[r]·(−log p[target]).
/// weights may be NULL (all 1).
double glossa_softmax_xent(int rows, int V, float *logits, const float *bias, const int *targets,
                           const float *weights, float *dbias);
/// Row-wise log-softmax in place over (rows, V).
void glossa_log_softmax(int rows, int V, float *x);

/// LSTM step, gate order i, f, g, o. gates (B, 4H) holds pre-activations on entry and i, f, g, o
/// activations on exit; c = f⊙cprev + i⊙g, tc = tanh(c), h = o⊙tc; all (B, H).
void glossa_lstm_forward(int B, int H, float *gates, const float *cprev, float *c, float *tc, float *h);
/// LSTM step backward. dh (B, H) is the gradient on h; dc (B, H) on entry the gradient on c from the
/// future, on exit the gradient on cprev. dgates (B, 4H) receives the pre-activation gradients.
void glossa_lstm_backward(int B, int H, const float *gates, const float *cprev, const float *tc,
                          const float *dh, float *dc, float *dgates);

/// GRU step, gate order r, z, n. xg (B, 3H): W_ih x + b_ih on entry, r, z, n on exit.
/// hg (B, 3H): W_hh h on entry (no bias); on exit its n third holds W_hn h + b_hn.
/// h = (1 − z)⊙n + z⊙hprev.
void glossa_gru_forward(int B, int H, float *xg, float *hg, const float *bhh, const float *hprev, float *h);
/// GRU step backward: dxg (B, 3H) gradient for the input projection, dhg (B, 3H) for the hidden
/// projection, dhprev (B, H) = dh⊙z (the direct path; the caller adds dhg · W_hh).
void glossa_gru_backward(int B, int H, const float *xg, const float *hg, const float *hprev,
                         const float *dh, float *dxg, float *dhg, float *dhprev);

/// Elman activation kinds: 0 tanh, 1 relu, 2 sigmoid.
/// Backward of h = act(pre) given the output h: dpre = dh ⊙ act'(h), over n elements.
void glossa_activation_backward(int kind, int n, const float *h, const float *dh, float *dpre);
/// Forward in place: x = act(x).
void glossa_activation_forward(int kind, int n, float *x);

/// dst (cols × rows, row stride ldd) = transpose of src (rows × cols, row stride lds).
void glossa_transpose(int rows, int cols, const float *src, int lds, float *dst, int ldd);

/// Σ x[i]² (Float partial sums over blocks, blocks added in Double).
double glossa_sum_squares(long n, const float *x);
/// x[i] *= factor.
void glossa_scale(long n, float *x, float factor);
/// Adam update as torch.optim.Adam: m, v moments; w −= step_size · m / (√v / c2root + eps).
void glossa_adam_step(long n, float *w, const float *g, float *m, float *v,
                      float beta1, float beta2, float step_size, float c2root, float eps);
/// SGD update; with velocity (non-NULL): v = momentum·v + g, w −= lr·v.
void glossa_sgd_step(long n, float *w, const float *g, float *velocity, float lr, float momentum);

#ifdef __cplusplus
}
#endif
#endif
