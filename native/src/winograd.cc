// Winograd F(2×2, 3×3) (Lavin & Gray, "Fast Algorithms for Convolutional
// Neural Networks", 2016) for NHWC 3×3 convs with stride 1 and dilation 1.
// Each 2×2 output tile reads a 4×4 input patch d; with
//   Bᵀ = [1 0 −1 0; 0 1 1 0; 0 −1 1 0; 0 1 0 −1], G = [1 0 0; ½ ½ ½; ½ −½ ½; 0 0 1],
//   Aᵀ = [1 1 1 0; 0 1 −1 −1],
// y = Aᵀ [ Σ_c (G g_c Gᵀ) ⊙ (Bᵀ d_c B) ] A, i.e. 16 multiplies per tile and
// channel pair instead of 36. The Σ_c is 16 GEMMs [tiles × Cin]·[Cin × Cout]
// (gemm.h) per block of tiles; the transforms are vectorised over channels.
// The input gradient of a stride-1 conv is the same routine on dy with the
// filter rotated by 180°, in/out channels swapped and padding 2 − pad.
#if defined(__x86_64__) || defined(_M_X64)
#pragma GCC target("avx2,fma")
#include <immintrin.h>
#define FIGS_AVX2 1
#endif
#include "kernels.h"
#ifdef FIGS_AVX2
#include "winograd.h"  // with <vector>, gemm.h and pool.h
#endif

namespace figs {

bool winograd_applies(const Geometry& g) {
#ifdef FIGS_AVX2
  return g.kH == 3 && g.kW == 3 && g.strideH == 1 && g.strideW == 1 && g.dilH == 1 && g.dilW == 1 &&
         g.multiplier == 1 && g.batch > 0 && g.inH > 0 && g.inW > 0 && g.outH > 0 && g.outW > 0 && g.inC > 0 &&
         g.outC > 0;
#else
  (void)g;
  return false;
#endif
}

#ifdef FIGS_AVX2

// U[ξ][c][k] = (G g Gᵀ)[ξ / 4][ξ % 4], ξ-planes of C×K, for the C → K filter g[a][b] = w[a][b][c][k] (HWIO);
// with `flip`, the input gradient's g[a][b] = w[2 − a][2 − b][k][c] of a K → C conv w (rotated by 180°, in and
// out swapped), read in place. Threads split the input channels c.
static void transform_filter(const float* w, long C, long K, bool flip, float* U) {
  const long plane = C * K;
  pool().parallel_for(C, [&](int, long c0, long c1) {
    for (long c = c0; c < c1; c++)
      for (long k = 0; k < K; k++) {
        float g[3][3], t[4][3];
        for (int a = 0; a < 3; a++)
          for (int b = 0; b < 3; b++)
            g[a][b] = flip ? w[((8 - (a * 3 + b)) * K + k) * C + c] : w[((a * 3 + b) * C + c) * K + k];
        for (int b = 0; b < 3; b++) {
          t[0][b] = g[0][b];
          t[1][b] = 0.5f * (g[0][b] + g[1][b] + g[2][b]);
          t[2][b] = 0.5f * (g[0][b] - g[1][b] + g[2][b]);
          t[3][b] = g[2][b];
        }
        for (int a = 0; a < 4; a++) {
          float* u = U + a * 4 * plane + c * K + k;
          u[0] = t[a][0];
          u[plane] = 0.5f * (t[a][0] + t[a][1] + t[a][2]);
          u[2 * plane] = 0.5f * (t[a][0] - t[a][1] + t[a][2]);
          u[3 * plane] = t[a][2];
        }
      }
  });
}

// V[ξ·vs + c] = (Bᵀ d B)[ξ / 4][ξ % 4] over channels c < Cp (a multiple of 8).
static void transform_input(const float* d, long Cp, float* V, long vs) {
  for (long c = 0; c < Cp; c += 8) {
    __m256 t[4][4];
    for (int j = 0; j < 4; j++) {
      __m256 d0 = _mm256_loadu_ps(d + (0 + j) * Cp + c), d1 = _mm256_loadu_ps(d + (4 + j) * Cp + c);
      __m256 d2 = _mm256_loadu_ps(d + (8 + j) * Cp + c), d3 = _mm256_loadu_ps(d + (12 + j) * Cp + c);
      t[0][j] = _mm256_sub_ps(d0, d2);
      t[1][j] = _mm256_add_ps(d1, d2);
      t[2][j] = _mm256_sub_ps(d2, d1);
      t[3][j] = _mm256_sub_ps(d1, d3);
    }
    for (int i = 0; i < 4; i++) {
      float* v = V + 4 * i * vs + c;
      _mm256_storeu_ps(v, _mm256_sub_ps(t[i][0], t[i][2]));
      _mm256_storeu_ps(v + vs, _mm256_add_ps(t[i][1], t[i][2]));
      _mm256_storeu_ps(v + 2 * vs, _mm256_sub_ps(t[i][2], t[i][1]));
      _mm256_storeu_ps(v + 3 * vs, _mm256_sub_ps(t[i][1], t[i][3]));
    }
  }
}

// The 2×2 outputs Aᵀ m A of one tile from M[ξ·ms + k], written to y where inside the image.
static void transform_output(const float* M, long ms, const Geometry& g, long b, long oh, long ow, float* y) {
  const long K = g.outC;
  const bool row1 = oh + 1 < g.outH, col1 = ow + 1 < g.outW;
  float* y00 = y + ((b * g.outH + oh) * g.outW + ow) * K;
  float* y10 = y00 + g.outW * K;
  for (long k = 0; k < K; k += 8) {
    __m256 s[2][4];
    for (int j = 0; j < 4; j++) {
      __m256 m0 = _mm256_loadu_ps(M + (0 + j) * ms + k), m1 = _mm256_loadu_ps(M + (4 + j) * ms + k);
      __m256 m2 = _mm256_loadu_ps(M + (8 + j) * ms + k), m3 = _mm256_loadu_ps(M + (12 + j) * ms + k);
      s[0][j] = _mm256_add_ps(_mm256_add_ps(m0, m1), m2);
      s[1][j] = _mm256_sub_ps(_mm256_sub_ps(m1, m2), m3);
    }
    __m256 o[2][2];
    for (int i = 0; i < 2; i++) {
      o[i][0] = _mm256_add_ps(_mm256_add_ps(s[i][0], s[i][1]), s[i][2]);
      o[i][1] = _mm256_sub_ps(_mm256_sub_ps(s[i][1], s[i][2]), s[i][3]);
    }
    if (k + 8 <= K) {
      _mm256_storeu_ps(y00 + k, o[0][0]);
      if (col1) _mm256_storeu_ps(y00 + K + k, o[0][1]);
      if (row1) _mm256_storeu_ps(y10 + k, o[1][0]);
      if (row1 && col1) _mm256_storeu_ps(y10 + K + k, o[1][1]);
    } else {
      __m256i m = tail_mask(K - k);
      _mm256_maskstore_ps(y00 + k, m, o[0][0]);
      if (col1) _mm256_maskstore_ps(y00 + K + k, m, o[0][1]);
      if (row1) _mm256_maskstore_ps(y10 + k, m, o[1][0]);
      if (row1 && col1) _mm256_maskstore_ps(y10 + K + k, m, o[1][1]);
    }
  }
}

void conv2d_winograd_forward(const float* x, const float* w, const Geometry& g, float* y) {
  std::vector<float> U(16 * g.inC * g.outC);
  transform_filter(w, g.inC, g.outC, false, U.data());
  winograd_tiles<2>(x, U.data(), g, y, transform_input, transform_output);
}

void conv2d_winograd_input_grad(const float* dy, const float* w, const Geometry& g, float* dx) {
  std::vector<float> U(16 * g.inC * g.outC);
  transform_filter(w, g.outC, g.inC, true, U.data());
  winograd_tiles<2>(dy, U.data(), input_grad_geometry(g), dx, transform_input, transform_output);
}

#else

void conv2d_winograd_forward(const float* x, const float* w, const Geometry& g, float* y) {
  conv2d_forward(x, w, g, y);
}

void conv2d_winograd_input_grad(const float* dy, const float* w, const Geometry& g, float* dx) {
  conv2d_input_grad(dy, w, g, dx);
}

#endif

}  // namespace figs
