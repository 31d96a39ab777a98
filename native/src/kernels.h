// NHWC convolution, depthwise, pooling-gradient and batch-norm kernels (multi-threaded).
#pragma once
#include <cstdint>

namespace figs {

// Same field order as runtime/kernels/native.ts packs it.
struct Geometry {
  long batch, inH, inW, inC, outH, outW, outC, kH, kW, strideH, strideW, dilH, dilW, padTop, padLeft, multiplier;
};
constexpr int kGeometryFields = 16;

void conv2d_forward(const float* x, const float* w, const Geometry& g, float* y);
void conv2d_filter_grad(const float* x, const float* dy, const Geometry& g, float* dw);
void conv2d_input_grad(const float* dy, const float* w, const Geometry& g, float* dx);

// Winograd F(2×2, 3×3) (winograd.cc) for 3×3, stride-1, undilated convs with any padding:
// winograd_applies(g) must hold (it also requires AVX2 at build time).
bool winograd_applies(const Geometry& g);
void conv2d_winograd_forward(const float* x, const float* w, const Geometry& g, float* y);
void conv2d_winograd_input_grad(const float* dy, const float* w, const Geometry& g, float* dx);
// Winograd F(4×4, 3×3) (winograd4.cc), for the same geometries.
void conv2d_winograd4_forward(const float* x, const float* w, const Geometry& g, float* y);
void conv2d_winograd4_input_grad(const float* dy, const float* w, const Geometry& g, float* dx);
void conv2d_winograd4_filter_grad(const float* x, const float* dy, const Geometry& g, float* dw);

// y[r, c] = act(y[r, c] + bias[c]) over a rows×C matrix; act: 0 linear, 1 relu, 2 relu6.
void bias_activation(float* y, long rows, long C, const float* bias, int act);

void depthwise_forward(const float* x, const float* w, const Geometry& g, float* y);
void depthwise_filter_grad(const float* x, const float* dy, const Geometry& g, float* dw);
void depthwise_input_grad(const float* dy, const float* w, const Geometry& g, float* dx);

// Training batch norm over rows of a rows×C matrix, fused with an optional
// ReLU and a per-channel scale: y = scale ⊙ act(gamma ⊙ x̂ + beta).
struct BnArgs {
  long rows, channels;
  float eps;
  bool relu;
};
void bn_forward(const float* x, const float* gamma, const float* beta, const float* scale, const BnArgs& a, float* y,
                float* mean, float* inv_std);
// grads = [dgamma | dbeta | dscale], 3×C floats.
void bn_backward(const float* dy, const float* x, const float* mean, const float* inv_std, const float* gamma,
                 const float* beta, const float* scale, const BnArgs& a, float* dx, float* grads);

// Pooling gradients (inC = outC = C; kH, kW the window). max: (x, dy) → dx;
// avg: (dy, unused) → dx, dividing by the in-bounds taps as AvgPool does.
void max_pool_grad(const float* x, const float* dy, const Geometry& g, float* dx);
void avg_pool_grad(const float* dy, const float* unused, const Geometry& g, float* dx);

// dx = dy · [0 < x ≤ cap] over n floats (cap ≤ 0: no cap), NaN where x is NaN.
void relu_grad(const float* dy, const float* x, long n, float cap, float* dx);
void add(const float* a, const float* b, long n, float* out);

// dst[r·dst_stride + j] = src[r·src_stride + j] for r < rows, j < width (the
// channel concat and split).
void copy_rows(const float* src, long src_stride, float* dst, long dst_stride, long rows, long width);

// out[c] = Σ_r x[r, c] / divisor over a rows×C matrix.
void channel_sum(const float* x, long rows, long C, float divisor, float* out);
// The supernet's mask on a producer's channels: y[r, c] = x[r, c] · s[c] with
// s[c] = m[idx[c]], or 1 where idx[c] < 0; the gradient's dm (M entries) sums
// Σ_r dy · x over the channels that share each mask.
void channel_mask(const float* x, long rows, long C, const float* m, const int32_t* idx, float* y);
void channel_mask_grad(const float* dy, const float* x, long rows, long C, const float* m, const int32_t* idx,
                       long M, float* dx, float* dm);

}  // namespace figs
