// What the Winograd kernels F(2×2, 3×3) (winograd.cc) and F(4×4, 3×3)
// (winograd4.cc) share: channel padding, the vector tail mask, and the tiling
// of an output map into m×m tiles. AVX2 builds only (FIGS_AVX2).
#pragma once
#include <immintrin.h>

#include <algorithm>
#include <cstring>
#include <vector>

#include "gemm.h"
#include "kernels.h"
#include "pool.h"

namespace figs {

inline long up8(long c) { return (c + 7) & ~7L; }

inline __m256i tail_mask(long w) {
  alignas(32) int m[8];
  for (int i = 0; i < 8; i++) m[i] = i < w ? -1 : 0;
  return _mm256_load_si256(reinterpret_cast<const __m256i*>(m));
}

struct Tiles {
  long th, tw;  // tiles per column and row of an image
  long m;       // output pixels per tile side
  // Image and top-left output pixel of tile t.
  void origin(long t, long* b, long* oh, long* ow) const {
    *b = t / (th * tw);
    long r = t % (th * tw);
    *oh = m * (r / tw);
    *ow = m * (r % tw);
  }
};

// The n×n input patch of the tile whose top-left output pixel is (oh, ow) in image b, into d[n·n][Cp]: zeros
// outside the image (channels C..Cp are never written).
inline void gather_patch(const float* x, const Geometry& g, long b, long oh, long ow, int n, long Cp, float* d) {
  const long ih0 = oh - g.padTop, iw0 = ow - g.padLeft;
  for (int a = 0; a < n; a++) {
    const long ih = ih0 + a;
    for (int e = 0; e < n; e++) {
      const long iw = iw0 + e;
      float* dst = d + (a * n + e) * Cp;
      if (ih < 0 || ih >= g.inH || iw < 0 || iw >= g.inW)
        std::memset(dst, 0, g.inC * sizeof(float));
      else
        std::memcpy(dst, x + ((b * g.inH + ih) * g.inW + iw) * g.inC, g.inC * sizeof(float));
    }
  }
}

// y = conv(x, g) by Winograd F(m×m, 3×3), given the filter transform U ((m + 2)² planes of C×K), any padding:
// threads take blocks of tiles; per block, each tile's patch is gathered and transformed into V
// (`transform_in(d, Cp, V, plane stride)`), one GEMM per plane gives M, and each tile's outputs are written
// (`transform_out(M, plane stride, g, b, oh, ow, y)`). A block holds ⌊8192 / (Cp + Kp)⌋ tiles (6 to 240, a
// multiple of the GEMM's 6 rows): ~512 KB of V and M for F(2×2), ~1.1 MB for F(4×4).
template <int m, typename In, typename Out>
void winograd_tiles(const float* x, const float* U, const Geometry& g, float* y, In transform_in, Out transform_out) {
  constexpr int n = m + 2, planes = n * n;
  const long C = g.inC, K = g.outC, Cp = up8(C), Kp = up8(K);
  const Tiles tl{(g.outH + m - 1) / m, (g.outW + m - 1) / m, m};
  const long tiles = g.batch * tl.th * tl.tw;
  long tb = std::min(240L, std::max(6L, 8192 / (Cp + Kp)));
  tb -= tb % 6;
  const long blocks = (tiles + tb - 1) / tb;
  pool().parallel_for(blocks, [&](int, long b0, long b1) {
    std::vector<float> V(planes * tb * Cp), M(planes * tb * Kp), d(planes * Cp, 0.0f);
    for (long blk = b0; blk < b1; blk++) {
      const long t0 = blk * tb, count = std::min(tb, tiles - t0);
      for (long i = 0; i < count; i++) {
        long b, oh, ow;
        tl.origin(t0 + i, &b, &oh, &ow);
        gather_patch(x, g, b, oh, ow, n, Cp, d.data());
        transform_in(d.data(), Cp, V.data() + i * Cp, tb * Cp);
      }
      for (long xi = 0; xi < planes; xi++)
        sgemm(count, K, C, V.data() + xi * tb * Cp, Cp, 1, U + xi * C * K, K, M.data() + xi * tb * Kp, Kp, false);
      for (long i = 0; i < count; i++) {
        long b, oh, ow;
        tl.origin(t0 + i, &b, &oh, &ow);
        transform_out(M.data() + i * Kp, tb * Kp, g, b, oh, ow, y);
      }
    }
  });
}

// The input gradient of a stride-1 3×3 conv as a conv: from dy's K channels to dx's C, padding 2 − pad (the
// filter rotated by 180° with in and out swapped is read in place by the filter transforms).
inline Geometry input_grad_geometry(const Geometry& g) {
  Geometry t = g;
  t.inH = g.outH, t.inW = g.outW, t.inC = g.outC;
  t.outH = g.inH, t.outW = g.inW, t.outC = g.inC;
  t.padTop = 2 - g.padTop, t.padLeft = 2 - g.padLeft;
  return t;
}

}  // namespace figs
