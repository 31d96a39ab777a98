// Gradients of 2-D max and average pooling, NHWC, one image per task.
//
// Max: each dy value goes to the first strict maximum of its window in
// row-major order (the tfjs cpu backend's tie-breaking). Average: each dy
// value is spread over the window's in-bounds pixels divided by their count,
// the exact gradient of tfjs's AvgPool, whose mean leaves padding out (tfjs's
// own AvgPoolGrad divides by the full window size at the borders).
#if defined(__x86_64__) || defined(_M_X64)
#pragma GCC target("avx2,fma")
#endif
#include <algorithm>
#include <cstdint>
#include <limits>
#include <vector>

#include "kernels.h"
#include "pool.h"

namespace figs {

namespace {

// The in-bounds taps [first, last) of a window starting at `start` (step `dil`, `k` taps, input size `n`).
struct Taps {
  long first, last;
};

Taps taps(long start, long k, long dil, long n) {
  long first = 0;
  while (first < k && start + first * dil < 0) first++;
  long last = k;
  while (last > first && start + (last - 1) * dil >= n) last--;
  return {first, last};
}

// visit(oh, ow, h0, w0, rows, cols) for every output position: the window's
// top-left input position and its in-bounds taps.
template <typename Visit>
void each_window(const Geometry& g, Visit visit) {
  for (long oh = 0; oh < g.outH; oh++) {
    const long h0 = oh * g.strideH - g.padTop;
    const Taps rows = taps(h0, g.kH, g.dilH, g.inH);
    for (long ow = 0; ow < g.outW; ow++) {
      const long w0 = ow * g.strideW - g.padLeft;
      visit(oh, ow, h0, w0, rows, taps(w0, g.kW, g.dilW, g.inW));
    }
  }
}

void max_pool_grad_image(const float* x, const float* dy, const Geometry& g, float* dx, float* best, int32_t* arg) {
  const long C = g.inC;
  std::fill(dx, dx + g.inH * g.inW * C, 0.0f);
  each_window(g, [&](long oh, long ow, long h0, long w0, Taps rows, Taps cols) {
    std::fill(best, best + C, -std::numeric_limits<float>::infinity());
    std::fill(arg, arg + C, -1);
    for (long kh = rows.first; kh < rows.last; kh++) {
      const long ih = h0 + kh * g.dilH;
      for (long kw = cols.first; kw < cols.last; kw++) {
        const int32_t pixel = static_cast<int32_t>(ih * g.inW + w0 + kw * g.dilW);
        const float* xp = x + pixel * C;
        // Branch-free so the compiler vectorises it over channels.
        for (long c = 0; c < C; c++) {
          const bool greater = xp[c] > best[c];
          best[c] = greater ? xp[c] : best[c];
          arg[c] = greater ? pixel : arg[c];
        }
      }
    }
    const float* d = dy + (oh * g.outW + ow) * C;
    for (long c = 0; c < C; c++) {
      if (arg[c] >= 0) dx[arg[c] * C + c] += d[c];
    }
  });
}

void avg_pool_grad_image(const float* dy, const Geometry& g, float* dx) {
  const long C = g.inC;
  std::fill(dx, dx + g.inH * g.inW * C, 0.0f);
  each_window(g, [&](long oh, long ow, long h0, long w0, Taps rows, Taps cols) {
    const long count = (rows.last - rows.first) * (cols.last - cols.first);
    if (count <= 0) return;
    const float scale = 1.0f / static_cast<float>(count);
    const float* d = dy + (oh * g.outW + ow) * C;
    for (long kh = rows.first; kh < rows.last; kh++) {
      const long ih = h0 + kh * g.dilH;
      for (long kw = cols.first; kw < cols.last; kw++) {
        float* p = dx + (ih * g.inW + w0 + kw * g.dilW) * C;
        for (long c = 0; c < C; c++) p[c] += d[c] * scale;
      }
    }
  });
}

}  // namespace

void max_pool_grad(const float* x, const float* dy, const Geometry& g, float* dx) {
  const long in_image = g.inH * g.inW * g.inC, out_image = g.outH * g.outW * g.inC;
  pool().parallel_for(g.batch, [&](int, long begin, long end) {
    std::vector<float> best(g.inC);
    std::vector<int32_t> arg(g.inC);
    for (long b = begin; b < end; b++) {
      max_pool_grad_image(x + b * in_image, dy + b * out_image, g, dx + b * in_image, best.data(), arg.data());
    }
  });
}

void avg_pool_grad(const float* dy, const float* /* unused */, const Geometry& g, float* dx) {
  const long in_image = g.inH * g.inW * g.inC, out_image = g.outH * g.outW * g.inC;
  pool().parallel_for(g.batch, [&](int, long begin, long end) {
    for (long b = begin; b < end; b++) avg_pool_grad_image(dy + b * out_image, g, dx + b * in_image);
  });
}

}  // namespace figs
