// What the Winograd kernels F(2×2, 3×3) (winograd.cc) and F(4×4, 3×3)
// (winograd4.cc) share: channel padding, the vector tail mask, and the tiling
// of an output map into m×m tiles. AVX2 builds only (FIGS_AVX2).
#pragma once
#include <immintrin.h>

#include "kernels.h"

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
