// Training batch norm fused with ReLU and a per-channel scale (the figs mask
// gate). Statistics take one pass of shifted sums (see bn_forward);
// every pass splits rows across threads with private per-channel sums.
#if defined(__x86_64__) || defined(_M_X64)
#pragma GCC target("avx2,fma")
#endif
#include <cmath>
#include <cstring>
#include <vector>

#include "kernels.h"
#include "pool.h"

namespace figs {

// Sums f(row, acc) over all rows into `out` (width floats), threads in parallel.
// Each chunk accumulates into its own buffer and adds it to its thread's sums
// once at the end: threads writing their sums row by row into one shared array
// shared cache lines (a 16-channel BN's two sums per thread are 128 bytes),
// and the false sharing kept BN from gaining anything from a second thread.
template <typename F>
static void reduce_rows(long rows, long width, float* out, F f) {
  const int T = pool().threads();
  std::vector<double> total(width, 0.0);
  std::vector<double> partial(static_cast<size_t>(T) * width, 0.0);
  pool().parallel_for(rows, [&](int t, long r0, long r1) {
    std::vector<float> acc(width, 0.0f);
    for (long r = r0; r < r1; r++) f(r, acc.data());
    double* sums = partial.data() + t * width;
    for (long c = 0; c < width; c++) sums[c] += acc[c];
  });
  for (int t = 0; t < T; t++)
    for (long c = 0; c < width; c++) total[c] += partial[t * width + c];
  for (long c = 0; c < width; c++) out[c] = static_cast<float>(total[c]);
}

template <bool RELU>
static void normalise_rows(const float* x, const float* __restrict m, const float* __restrict ad,
                           const float* __restrict sc, long C, long r0, long r1, float* y) {
  for (long r = r0; r < r1; r++) {
    const float* __restrict xr = x + r * C;
    float* __restrict yr = y + r * C;
    for (long c = 0; c < C; c++) {
      float z = xr[c] * m[c] + ad[c];
      yr[c] = sc[c] * (RELU ? (z > 0.0f ? z : 0.0f) : z);
    }
  }
}

void bn_forward(const float* x, const float* gamma, const float* beta, const float* scale, const BnArgs& a, float* y,
                float* mean, float* inv_std) {
  const long C = a.channels, N = a.rows;
  // One statistics pass: sums of x − shift and (x − shift)², shift = first
  // row, which keeps E[d²] − E[d]² well conditioned.
  std::vector<float> shift(x, x + C), sums(2 * C);
  reduce_rows(N, 2 * C, sums.data(), [&](long r, float* __restrict acc) {
    const float* __restrict xr = x + r * C;
    const float* __restrict s = shift.data();
    for (long c = 0; c < C; c++) {
      float d = xr[c] - s[c];
      acc[c] += d;
      acc[C + c] += d * d;
    }
  });
  for (long c = 0; c < C; c++) {
    double m = static_cast<double>(sums[c]) / N;
    double var = static_cast<double>(sums[C + c]) / N - m * m;
    mean[c] = static_cast<float>(shift[c] + m);
    inv_std[c] = static_cast<float>(var > 0 ? var : 0);
  }
  std::vector<float> mul(C), add(C), sc(scale, scale + C);
  for (long c = 0; c < C; c++) {
    inv_std[c] = 1.0f / std::sqrt(inv_std[c] + a.eps);
    mul[c] = gamma[c] * inv_std[c];
    add[c] = beta[c] - mean[c] * mul[c];
  }
  pool().parallel_for(N, [&](int, long r0, long r1) {
    if (a.relu)
      normalise_rows<true>(x, mul.data(), add.data(), sc.data(), C, r0, r1, y);
    else
      normalise_rows<false>(x, mul.data(), add.data(), sc.data(), C, r0, r1, y);
  });
}

// Per channel: x̂ = x·is + nm, z = g·x̂ + b, dz = dy·s where the ReLU passes.
struct BnCoeffs {
  std::vector<float> is, nm, g, b, s;
};

template <bool RELU>
static void bn_sums(const float* x, const float* dy, const BnCoeffs& k, long C, long r, float* __restrict acc) {
  const float* __restrict xr = x + r * C;
  const float* __restrict d = dy + r * C;
  const float *__restrict is = k.is.data(), *__restrict nm = k.nm.data(), *__restrict g = k.g.data(),
              *__restrict b = k.b.data(), *__restrict s = k.s.data();
  float* __restrict dg = acc;
  float* __restrict db = acc + C;
  float* __restrict ds = acc + 2 * C;
  for (long c = 0; c < C; c++) {
    float xh = xr[c] * is[c] + nm[c];
    float z = g[c] * xh + b[c];
    float pass = RELU ? (z > 0.0f ? 1.0f : 0.0f) : 1.0f;
    float dz = d[c] * s[c] * pass;
    dg[c] += dz * xh;
    db[c] += dz;
    ds[c] += d[c] * z * pass;
  }
}

template <bool RELU>
static void bn_dx(const float* x, const float* dy, const BnCoeffs& k, const float* __restrict c1,
                  const float* __restrict c2, long C, long r0, long r1, float* dx) {
  const float *__restrict is = k.is.data(), *__restrict nm = k.nm.data(), *__restrict g = k.g.data(),
              *__restrict b = k.b.data(), *__restrict s = k.s.data();
  for (long r = r0; r < r1; r++) {
    const float* __restrict xr = x + r * C;
    const float* __restrict d = dy + r * C;
    float* __restrict o = dx + r * C;
    for (long c = 0; c < C; c++) {
      float xh = xr[c] * is[c] + nm[c];
      float z = g[c] * xh + b[c];
      float pass = RELU ? (z > 0.0f ? 1.0f : 0.0f) : 1.0f;
      float dz = d[c] * s[c] * pass;
      o[c] = g[c] * is[c] * dz - c1[c] - xh * c2[c];
    }
  }
}

void bn_backward(const float* dy, const float* x, const float* mean, const float* inv_std, const float* gamma,
                 const float* beta, const float* scale, const BnArgs& a, float* dx, float* grads) {
  const long C = a.channels, N = a.rows;
  BnCoeffs k{std::vector<float>(inv_std, inv_std + C), std::vector<float>(C), std::vector<float>(gamma, gamma + C),
             std::vector<float>(beta, beta + C), std::vector<float>(scale, scale + C)};
  for (long c = 0; c < C; c++) k.nm[c] = -mean[c] * inv_std[c];
  // grads rows: 0 = dgamma = Σ dz·x̂, 1 = dbeta = Σ dz, 2 = dscale = Σ dy·act(z).
  reduce_rows(N, 3 * C, grads, [&](long r, float* __restrict acc) {
    if (a.relu)
      bn_sums<true>(x, dy, k, C, r, acc);
    else
      bn_sums<false>(x, dy, k, C, r, acc);
  });
  // dx = g·is·(dz − dbeta/N − x̂·dgamma/N) = g·is·dz − c1 − x̂·c2.
  std::vector<float> c1(C), c2(C);
  const float invN = 1.0f / static_cast<float>(N);
  for (long c = 0; c < C; c++) {
    c1[c] = gamma[c] * inv_std[c] * grads[C + c] * invN;
    c2[c] = gamma[c] * inv_std[c] * grads[c] * invN;
  }
  pool().parallel_for(N, [&](int, long r0, long r1) {
    if (a.relu)
      bn_dx<true>(x, dy, k, c1.data(), c2.data(), C, r0, r1, dx);
    else
      bn_dx<false>(x, dy, k, c1.data(), c2.data(), C, r0, r1, dx);
  });
}

}  // namespace figs

namespace figs {

void channel_sum(const float* x, long rows, long C, float divisor, float* out) {
  reduce_rows(rows, C, out, [&](long r, float* __restrict acc) {
    const float* __restrict xr = x + r * C;
    for (long c = 0; c < C; c++) acc[c] += xr[c];
  });
  for (long c = 0; c < C; c++) out[c] /= divisor;
}

}  // namespace figs

namespace figs {

namespace {

// s[c] = the mask of channel c: m[idx[c]], or 1 where idx[c] < 0 (a channel without a mask).
std::vector<float> channel_scales(const float* m, const int32_t* idx, long C) {
  std::vector<float> s(C);
  for (long c = 0; c < C; c++) s[c] = idx[c] < 0 ? 1.0f : m[idx[c]];
  return s;
}

}  // namespace

void channel_mask(const float* x, long rows, long C, const float* m, const int32_t* idx, float* y) {
  const std::vector<float> s = channel_scales(m, idx, C);
  pool().parallel_for(rows, [&](int, long r0, long r1) {
    const float* __restrict sc = s.data();
    for (long r = r0; r < r1; r++) {
      const float* __restrict xr = x + r * C;
      float* __restrict yr = y + r * C;
      for (long c = 0; c < C; c++) yr[c] = xr[c] * sc[c];
    }
  });
}

void channel_mask_grad(const float* dy, const float* x, long rows, long C, const float* m, const int32_t* idx,
                       long M, float* dx, float* dm) {
  const std::vector<float> s = channel_scales(m, idx, C);
  std::vector<float> ds(C);
  // One pass: dx = dy · s and each thread's Σ_r dy · x per channel.
  reduce_rows(rows, C, ds.data(), [&](long r, float* __restrict acc) {
    const float* __restrict dyr = dy + r * C;
    const float* __restrict xr = x + r * C;
    const float* __restrict sc = s.data();
    float* __restrict dxr = dx + r * C;
    for (long c = 0; c < C; c++) {
      acc[c] += dyr[c] * xr[c];
      dxr[c] = dyr[c] * sc[c];
    }
  });
  std::memset(dm, 0, static_cast<size_t>(M) * sizeof(float));
  for (long c = 0; c < C; c++)
    if (idx[c] >= 0) dm[idx[c]] += ds[c];
}

}  // namespace figs
