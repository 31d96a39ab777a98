// Depthwise convolutions, vectorised over channels (NHWC keeps a pixel's
// channels contiguous). Multiplier 1 has its own loops; other multipliers
// use the generic index c*M+m. No im2col: the tap loop reads x directly.
#if defined(__x86_64__) || defined(_M_X64)
#pragma GCC target("avx2,fma")
#endif
#include <cstring>
#include <vector>

#include "kernels.h"
#include "pool.h"

namespace figs {

static inline long in_pixel(const Geometry& g, long b, long oh, long ow, long kh, long kw) {
  long ih = oh * g.strideH + kh * g.dilH - g.padTop;
  long iw = ow * g.strideW + kw * g.dilW - g.padLeft;
  if (ih < 0 || ih >= g.inH || iw < 0 || iw >= g.inW) return -1;
  return ((b * g.inH + ih) * g.inW + iw) * g.inC;
}

static inline void mac(float* __restrict d, const float* __restrict a, const float* __restrict b, long n) {
  for (long i = 0; i < n; i++) d[i] += a[i] * b[i];
}

void depthwise_forward(const float* x, const float* w, const Geometry& g, float* y) {
  const long C = g.inC, M = g.multiplier, OC = g.outC;
  pool().parallel_for(g.batch * g.outH, [&](int, long r0, long r1) {
    for (long r = r0; r < r1; r++) {
      long b = r / g.outH, oh = r % g.outH;
      for (long ow = 0; ow < g.outW; ow++) {
        float* out = y + ((b * g.outH + oh) * g.outW + ow) * OC;
        std::memset(out, 0, OC * sizeof(float));
        for (long kh = 0; kh < g.kH; kh++)
          for (long kw = 0; kw < g.kW; kw++) {
            long xo = in_pixel(g, b, oh, ow, kh, kw);
            if (xo < 0) continue;
            const float* wt = w + (kh * g.kW + kw) * OC;
            if (M == 1) {
              mac(out, x + xo, wt, C);
              continue;
            }
            for (long c = 0; c < C; c++)
              for (long m = 0; m < M; m++) out[c * M + m] += x[xo + c] * wt[c * M + m];
          }
      }
    }
  });
}

void depthwise_filter_grad(const float* x, const float* dy, const Geometry& g, float* dw) {
  const long C = g.inC, M = g.multiplier, OC = g.outC, n = g.kH * g.kW * OC;
  const int T = pool().threads();
  std::vector<float> partial(static_cast<size_t>(T) * n, 0.0f);
  pool().parallel_for(g.batch * g.outH, [&](int t, long r0, long r1) {
    float* acc = partial.data() + t * n;
    for (long r = r0; r < r1; r++) {
      long b = r / g.outH, oh = r % g.outH;
      for (long ow = 0; ow < g.outW; ow++) {
        const float* d = dy + ((b * g.outH + oh) * g.outW + ow) * OC;
        for (long kh = 0; kh < g.kH; kh++)
          for (long kw = 0; kw < g.kW; kw++) {
            long xo = in_pixel(g, b, oh, ow, kh, kw);
            if (xo < 0) continue;
            float* a = acc + (kh * g.kW + kw) * OC;
            if (M == 1) {
              mac(a, x + xo, d, C);
              continue;
            }
            for (long c = 0; c < C; c++)
              for (long m = 0; m < M; m++) a[c * M + m] += x[xo + c] * d[c * M + m];
          }
      }
    }
  });
  std::memcpy(dw, partial.data(), n * sizeof(float));
  for (int t = 1; t < T; t++)
    for (long i = 0; i < n; i++) dw[i] += partial[t * n + i];
}

void depthwise_input_grad(const float* dy, const float* w, const Geometry& g, float* dx) {
  const long C = g.inC, M = g.multiplier, OC = g.outC, img = g.inH * g.inW * C;
  pool().parallel_for(g.batch, [&](int, long b0, long b1) {
    std::memset(dx + b0 * img, 0, (b1 - b0) * img * sizeof(float));
    for (long b = b0; b < b1; b++)
      for (long oh = 0; oh < g.outH; oh++)
        for (long ow = 0; ow < g.outW; ow++) {
          const float* d = dy + ((b * g.outH + oh) * g.outW + ow) * OC;
          for (long kh = 0; kh < g.kH; kh++)
            for (long kw = 0; kw < g.kW; kw++) {
              long xo = in_pixel(g, b, oh, ow, kh, kw);
              if (xo < 0) continue;
              const float* wt = w + (kh * g.kW + kw) * OC;
              if (M == 1) {
                mac(dx + xo, wt, d, C);
                continue;
              }
              for (long c = 0; c < C; c++) {
                float s = 0;
                for (long m = 0; m < M; m++) s += wt[c * M + m] * d[c * M + m];
                dx[xo + c] += s;
              }
            }
        }
  });
}

}  // namespace figs
