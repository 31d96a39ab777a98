// Ordinary convolutions. Pointwise (1x1, stride 1, no padding) convs are one
// GEMM; everything else goes through im2col in chunks of output pixels so the
// scratch stays small. The filter gradient splits the pixel sum across
// threads with private accumulators; the input gradient splits by image so
// col2im scatters never collide.
#include <cstring>
#include <vector>

#include "gemm.h"
#include "kernels.h"
#include "pool.h"

namespace figs {

static const long kChunk = 128;  // output pixels per im2col block

static bool pointwise(const Geometry& g) {
  return g.kH == 1 && g.kW == 1 && g.strideH == 1 && g.strideW == 1 && g.padTop == 0 && g.padLeft == 0 &&
         g.outH == g.inH && g.outW == g.inW;
}

// Rows [p0, p1) of the im2col matrix (one row per output pixel, kH*kW*inC columns).
static void im2col(const float* x, const Geometry& g, long p0, long p1, float* cols) {
  const long kk = g.kH * g.kW * g.inC;
  for (long p = p0; p < p1; p++) {
    long b = p / (g.outH * g.outW), rem = p % (g.outH * g.outW);
    long oh = rem / g.outW, ow = rem % g.outW;
    float* row = cols + (p - p0) * kk;
    for (long kh = 0; kh < g.kH; kh++) {
      long ih = oh * g.strideH + kh * g.dilH - g.padTop;
      for (long kw = 0; kw < g.kW; kw++) {
        long iw = ow * g.strideW + kw * g.dilW - g.padLeft;
        float* dst = row + (kh * g.kW + kw) * g.inC;
        if (ih < 0 || ih >= g.inH || iw < 0 || iw >= g.inW)
          std::memset(dst, 0, g.inC * sizeof(float));
        else
          std::memcpy(dst, x + ((b * g.inH + ih) * g.inW + iw) * g.inC, g.inC * sizeof(float));
      }
    }
  }
}

static void col2im_add(const float* cols, const Geometry& g, long p0, long p1, float* dx) {
  const long kk = g.kH * g.kW * g.inC;
  for (long p = p0; p < p1; p++) {
    long b = p / (g.outH * g.outW), rem = p % (g.outH * g.outW);
    long oh = rem / g.outW, ow = rem % g.outW;
    const float* row = cols + (p - p0) * kk;
    for (long kh = 0; kh < g.kH; kh++) {
      long ih = oh * g.strideH + kh * g.dilH - g.padTop;
      if (ih < 0 || ih >= g.inH) continue;
      for (long kw = 0; kw < g.kW; kw++) {
        long iw = ow * g.strideW + kw * g.dilW - g.padLeft;
        if (iw < 0 || iw >= g.inW) continue;
        const float* src = row + (kh * g.kW + kw) * g.inC;
        float* dst = dx + ((b * g.inH + ih) * g.inW + iw) * g.inC;
        for (long c = 0; c < g.inC; c++) dst[c] += src[c];
      }
    }
  }
}

void conv2d_forward(const float* x, const float* w, const Geometry& g, float* y) {
  const long P = g.batch * g.outH * g.outW, kk = g.kH * g.kW * g.inC;
  if (pointwise(g)) {
    pool().parallel_for(P, [&](int, long b, long e) { sgemm(e - b, g.outC, g.inC, x + b * g.inC, g.inC, 1, w, g.outC, y + b * g.outC, g.outC, false); });
    return;
  }
  pool().parallel_for(P, [&](int, long b, long e) {
    std::vector<float> cols(kChunk * kk);
    for (long p = b; p < e; p += kChunk) {
      long q = p + kChunk < e ? p + kChunk : e;
      im2col(x, g, p, q, cols.data());
      sgemm(q - p, g.outC, kk, cols.data(), kk, 1, w, g.outC, y + p * g.outC, g.outC, false);
    }
  });
}

void conv2d_filter_grad(const float* x, const float* dy, const Geometry& g, float* dw) {
  const long P = g.batch * g.outH * g.outW, kk = g.kH * g.kW * g.inC, n = kk * g.outC;
  const int T = pool().threads();
  std::vector<float> partial(static_cast<size_t>(T) * n, 0.0f);
  pool().parallel_for(P, [&](int t, long b, long e) {
    float* acc = partial.data() + t * n;
    if (pointwise(g)) {
      sgemm(g.inC, g.outC, e - b, x + b * g.inC, 1, g.inC, dy + b * g.outC, g.outC, acc, g.outC, true);
      return;
    }
    std::vector<float> cols(kChunk * kk);
    for (long p = b; p < e; p += kChunk) {
      long q = p + kChunk < e ? p + kChunk : e;
      im2col(x, g, p, q, cols.data());
      sgemm(kk, g.outC, q - p, cols.data(), 1, kk, dy + p * g.outC, g.outC, acc, g.outC, true);
    }
  });
  std::memcpy(dw, partial.data(), n * sizeof(float));
  for (int t = 1; t < T; t++)
    for (long i = 0; i < n; i++) dw[i] += partial[t * n + i];
}

void conv2d_input_grad(const float* dy, const float* w, const Geometry& g, float* dx) {
  const long kk = g.kH * g.kW * g.inC, pix = g.outH * g.outW;
  std::vector<float> wt(kk * g.outC);
  transpose(w, kk, g.outC, wt.data());  // [outC × kk]
  if (pointwise(g)) {
    const long P = g.batch * pix;
    pool().parallel_for(P, [&](int, long b, long e) { sgemm(e - b, g.inC, g.outC, dy + b * g.outC, g.outC, 1, wt.data(), g.inC, dx + b * g.inC, g.inC, false); });
    return;
  }
  pool().parallel_for(g.batch, [&](int, long b0, long b1) {
    std::memset(dx + b0 * g.inH * g.inW * g.inC, 0, (b1 - b0) * g.inH * g.inW * g.inC * sizeof(float));
    std::vector<float> cols(kChunk * kk);
    for (long p = b0 * pix; p < b1 * pix; p += kChunk) {
      long q = p + kChunk < b1 * pix ? p + kChunk : b1 * pix;
      sgemm(q - p, kk, g.outC, dy + p * g.outC, g.outC, 1, wt.data(), kk, cols.data(), kk, false);
      col2im_add(cols.data(), g, p, q, dx);
    }
  });
}

}  // namespace figs

namespace figs {

// y[r, c] = act(y[r, c] + bias[c]); act: 0 linear, 1 relu, 2 relu6.
void bias_activation(float* y, long rows, long C, const float* bias, int act) {
  pool().parallel_for(rows, [&](int, long r0, long r1) {
    for (long r = r0; r < r1; r++) {
      float* __restrict yr = y + r * C;
      if (bias != nullptr)
        for (long c = 0; c < C; c++) yr[c] += bias[c];
      if (act == 1)
        for (long c = 0; c < C; c++) yr[c] = yr[c] > 0.0f ? yr[c] : 0.0f;
      if (act == 2)
        for (long c = 0; c < C; c++) yr[c] = yr[c] > 0.0f ? (yr[c] < 6.0f ? yr[c] : 6.0f) : 0.0f;
    }
  });
}

}  // namespace figs
