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

// Multiplier 1 and horizontal stride 1: along an output row, the input
// pixels a tap reads are contiguous too, so each (row, tap) is one long
// multiply-add over (pixels × channels) against the tap's weights repeated
// per pixel. With few channels (One-Shot's 8–32) this replaces a short call
// per pixel and tap by one vectorised loop.
static bool row_spans(const Geometry& g) { return g.multiplier == 1 && g.strideW == 1; }

// The output columns [lo, hi) whose input column ow + off lies inside the image.
static inline bool span(const Geometry& g, long kw, long* lo, long* hi, long* off) {
  *off = kw * g.dilW - g.padLeft;
  *lo = *off < 0 ? -*off : 0;
  *hi = g.inW - *off < g.outW ? g.inW - *off : g.outW;
  return *lo < *hi;
}

// The input row of output row oh under tap row kh, or −1 outside the image.
static inline long in_row(const Geometry& g, long oh, long kh) {
  long ih = oh * g.strideH + kh * g.dilH - g.padTop;
  return ih < 0 || ih >= g.inH ? -1 : ih;
}

// Each tap's C weights repeated for every output column: [kH·kW][outW·C].
static std::vector<float> repeated_taps(const float* w, const Geometry& g) {
  const long C = g.inC, rowLen = g.outW * C;
  std::vector<float> rep(static_cast<size_t>(g.kH * g.kW * rowLen));
  for (long t = 0; t < g.kH * g.kW; t++)
    for (long j = 0; j < rowLen; j++) rep[t * rowLen + j] = w[t * C + j % C];
  return rep;
}

static void forward_spans(const float* x, const float* w, const Geometry& g, float* y) {
  const long C = g.inC, rowLen = g.outW * C;
  const std::vector<float> rep = repeated_taps(w, g);
  pool().parallel_for(g.batch * g.outH, [&](int, long r0, long r1) {
    for (long r = r0; r < r1; r++) {
      long b = r / g.outH, oh = r % g.outH;
      float* out = y + r * rowLen;
      std::memset(out, 0, rowLen * sizeof(float));
      for (long kh = 0; kh < g.kH; kh++) {
        long ih = in_row(g, oh, kh);
        if (ih < 0) continue;
        const float* xrow = x + (b * g.inH + ih) * g.inW * C;
        for (long kw = 0, lo, hi, off; kw < g.kW; kw++)
          if (span(g, kw, &lo, &hi, &off)) mac(out + lo * C, xrow + (lo + off) * C, rep.data() + (kh * g.kW + kw) * rowLen + lo * C, (hi - lo) * C);
      }
    }
  });
}

static void input_grad_spans(const float* dy, const float* w, const Geometry& g, float* dx) {
  const long C = g.inC, rowLen = g.outW * C, img = g.inH * g.inW * C;
  const std::vector<float> rep = repeated_taps(w, g);
  pool().parallel_for(g.batch, [&](int, long b0, long b1) {
    std::memset(dx + b0 * img, 0, (b1 - b0) * img * sizeof(float));
    for (long b = b0; b < b1; b++)
      for (long oh = 0; oh < g.outH; oh++) {
        const float* drow = dy + (b * g.outH + oh) * rowLen;
        for (long kh = 0; kh < g.kH; kh++) {
          long ih = in_row(g, oh, kh);
          if (ih < 0) continue;
          float* xrow = dx + (b * g.inH + ih) * g.inW * C;
          for (long kw = 0, lo, hi, off; kw < g.kW; kw++)
            if (span(g, kw, &lo, &hi, &off)) mac(xrow + (lo + off) * C, drow + lo * C, rep.data() + (kh * g.kW + kw) * rowLen + lo * C, (hi - lo) * C);
        }
      }
  });
}

// Per thread and tap, sums over rows stay per (column, channel) and fold to
// per-channel sums once at the end.
static void filter_grad_spans(const float* x, const float* dy, const Geometry& g, float* dw) {
  const long C = g.inC, rowLen = g.outW * C, taps = g.kH * g.kW, n = taps * rowLen;
  const int T = pool().threads();
  std::vector<float> partial(static_cast<size_t>(T) * n, 0.0f);
  pool().parallel_for(g.batch * g.outH, [&](int t, long r0, long r1) {
    float* acc = partial.data() + t * n;
    for (long r = r0; r < r1; r++) {
      long b = r / g.outH, oh = r % g.outH;
      const float* drow = dy + r * rowLen;
      for (long kh = 0; kh < g.kH; kh++) {
        long ih = in_row(g, oh, kh);
        if (ih < 0) continue;
        const float* xrow = x + (b * g.inH + ih) * g.inW * C;
        for (long kw = 0, lo, hi, off; kw < g.kW; kw++)
          if (span(g, kw, &lo, &hi, &off)) mac(acc + (kh * g.kW + kw) * rowLen + lo * C, xrow + (lo + off) * C, drow + lo * C, (hi - lo) * C);
      }
    }
  });
  std::memset(dw, 0, taps * C * sizeof(float));
  for (int t = 0; t < T; t++)
    for (long tap = 0; tap < taps; tap++) {
      const float* a = partial.data() + t * n + tap * rowLen;
      for (long j = 0; j < rowLen; j++) dw[tap * C + j % C] += a[j];
    }
}

void depthwise_forward(const float* x, const float* w, const Geometry& g, float* y) {
  if (row_spans(g)) return forward_spans(x, w, g, y);
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
  if (row_spans(g)) return filter_grad_spans(x, dy, g, dw);
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
  if (row_spans(g)) return input_grad_spans(dy, w, g, dx);
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
