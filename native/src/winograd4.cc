// Winograd F(4×4, 3×3) (Lavin & Gray 2016; interpolation points 0, ±1, ±2, ∞)
// for NHWC 3×3 convs with stride 1 and dilation 1, laid out as F(2×2, 3×3)
// in winograd.cc: each 4×4 output tile reads a 6×6 input patch d, and with
//   Bᵀ = [4 0 −5 0 1 0; 0 −4 −4 1 1 0; 0 4 −4 −1 1 0; 0 −2 −1 2 1 0; 0 2 −1 −2 1 0; 0 4 0 −5 0 1],
//   G  = [¼ 0 0; −⅙ −⅙ −⅙; −⅙ ⅙ −⅙; 1⁄24 1⁄12 ⅙; 1⁄24 −1⁄12 ⅙; 0 0 1],
//   Aᵀ = [1 1 1 1 1 0; 0 1 −1 2 −2 0; 0 1 1 4 4 0; 0 1 −1 8 −8 1],
// y = Aᵀ [ Σ_c (G g_c Gᵀ) ⊙ (Bᵀ d_c B) ] A: 36 multiplies per tile and channel
// pair instead of 144 (2.25 per output instead of F(2×2)'s 4 and direct's 9),
// as 36 GEMMs per block of tiles. The larger transforms round more and
// amplify more (test/runtime/winograd.test.ts bounds the error), so the
// dispatcher takes it only where it wins (runtime/kernels/native.ts).
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

#ifdef FIGS_AVX2

// r[i] = (G v)[i] for three vectors of 8 output channels.
static inline void apply_g(const __m256 v[3], __m256 r[6]) {
  const __m256 sixth = _mm256_set1_ps(1.0f / 6.0f), half = _mm256_set1_ps(0.5f), quarter = _mm256_set1_ps(0.25f);
  const __m256 outer = _mm256_add_ps(v[0], v[2]);                                       // g0 + g2
  const __m256 wide = _mm256_fmadd_ps(_mm256_set1_ps(0.25f), v[0], v[2]);              // g0/4 + g2
  r[0] = _mm256_mul_ps(quarter, v[0]);
  r[1] = _mm256_mul_ps(_mm256_set1_ps(-1.0f / 6.0f), _mm256_add_ps(outer, v[1]));
  r[2] = _mm256_mul_ps(_mm256_set1_ps(-1.0f / 6.0f), _mm256_sub_ps(outer, v[1]));
  r[3] = _mm256_mul_ps(sixth, _mm256_fmadd_ps(half, v[1], wide));                      // g0/24 + g1/12 + g2/6
  r[4] = _mm256_mul_ps(sixth, _mm256_fnmadd_ps(half, v[1], wide));                     // g0/24 − g1/12 + g2/6
  r[5] = v[2];
}

// U[ξ][c][k] = (G g Gᵀ)[ξ / 6][ξ % 6] for the C → K filter g[a][b] = w[a][b][c][k] (HWIO), 8 output channels k
// at a time; threads split the input channels c.
static void transform_filter4_hwio(const float* w, long C, long K, float* U) {
  const long plane = C * K;
  pool().parallel_for(C, [&](int, long c0, long c1) {
    for (long c = c0; c < c1; c++)
      for (long k = 0; k < K; k += 8) {
        const bool full = k + 8 <= K;
        const __m256i mask = tail_mask(K - k);
        const auto load = [&](long at) { return full ? _mm256_loadu_ps(w + at) : _mm256_maskload_ps(w + at, mask); };
        __m256 t[6][3];  // t = G g
        for (int b = 0; b < 3; b++) {
          const __m256 column[3] = {load((b * C + c) * K + k), load(((3 + b) * C + c) * K + k),
                                    load(((6 + b) * C + c) * K + k)};
          __m256 r[6];
          apply_g(column, r);
          for (int a = 0; a < 6; a++) t[a][b] = r[a];
        }
        for (int a = 0; a < 6; a++) {
          __m256 u[6];
          apply_g(t[a], u);
          for (int e = 0; e < 6; e++) {
            float* dst = U + (a * 6 + e) * plane + c * K + k;
            if (full)
              _mm256_storeu_ps(dst, u[e]);
            else
              _mm256_maskstore_ps(dst, mask, u[e]);
          }
        }
      }
  });
}

// The filter transform of a C → K conv w (HWIO); with `flip`, of the input gradient's conv of a K → C conv w:
// w rotated by 180° with in and out swapped, first copied to HWIO.
static std::vector<float> transform_filter4(const float* w, long C, long K, bool flip) {
  std::vector<float> U(36 * C * K);
  if (!flip) {
    transform_filter4_hwio(w, C, K, U.data());
    return U;
  }
  std::vector<float> hwio(9 * C * K);
  for (long ab = 0; ab < 9; ab++)
    for (long c = 0; c < C; c++)
      for (long k = 0; k < K; k++) hwio[(ab * C + c) * K + k] = w[((8 - ab) * K + k) * C + c];
  transform_filter4_hwio(hwio.data(), C, K, U.data());
  return U;
}

// r = Bᵀ v for six vectors of 8 channels.
static inline void apply_bt(const __m256 v[6], __m256 r[6]) {
  const __m256 four = _mm256_set1_ps(4.0f), five = _mm256_set1_ps(5.0f), two = _mm256_set1_ps(2.0f);
  r[0] = _mm256_fmadd_ps(four, v[0], _mm256_fnmadd_ps(five, v[2], v[4]));
  r[1] = _mm256_fnmadd_ps(four, _mm256_add_ps(v[1], v[2]), _mm256_add_ps(v[3], v[4]));
  r[2] = _mm256_fmadd_ps(four, _mm256_sub_ps(v[1], v[2]), _mm256_sub_ps(v[4], v[3]));
  r[3] = _mm256_fmadd_ps(two, _mm256_sub_ps(v[3], v[1]), _mm256_sub_ps(v[4], v[2]));
  r[4] = _mm256_fmadd_ps(two, _mm256_sub_ps(v[1], v[3]), _mm256_sub_ps(v[4], v[2]));
  r[5] = _mm256_fmadd_ps(four, v[1], _mm256_fnmadd_ps(five, v[3], v[5]));
}

// r = Aᵀ m for six vectors: four outputs.
static inline void apply_at(const __m256 m[6], __m256 r[4]) {
  const __m256 sum12 = _mm256_add_ps(m[1], m[2]), diff12 = _mm256_sub_ps(m[1], m[2]);
  const __m256 sum34 = _mm256_add_ps(m[3], m[4]), diff34 = _mm256_sub_ps(m[3], m[4]);
  r[0] = _mm256_add_ps(_mm256_add_ps(m[0], sum12), sum34);
  r[1] = _mm256_fmadd_ps(_mm256_set1_ps(2.0f), diff34, diff12);
  r[2] = _mm256_fmadd_ps(_mm256_set1_ps(4.0f), sum34, sum12);
  r[3] = _mm256_add_ps(_mm256_fmadd_ps(_mm256_set1_ps(8.0f), diff34, diff12), m[5]);
}

// out = T x Tᵀ for one n×n patch x of 8 channels (x[i][j] at src + (i·n + j)·stride), T the m×n transform
// `apply` (r = T v); out[p][q] to dst + (p·m + q)·vs.
template <int n, int m, typename Apply>
static inline void transform_patch(const float* src, long stride, float* dst, long vs, Apply apply) {
  __m256 t[m][n];  // t = T x
  for (int j = 0; j < n; j++) {
    __m256 column[n], r[m];
    for (int i = 0; i < n; i++) column[i] = _mm256_loadu_ps(src + (i * n + j) * stride);
    apply(column, r);
    for (int p = 0; p < m; p++) t[p][j] = r[p];
  }
  for (int p = 0; p < m; p++) {
    __m256 r[m];
    apply(t[p], r);
    for (int q = 0; q < m; q++) _mm256_storeu_ps(dst + (p * m + q) * vs, r[q]);
  }
}

// V[ξ·vs + c] = (Bᵀ d B)[ξ / 6][ξ % 6] over channels c < Cp (a multiple of 8).
static void transform_input6(const float* d, long Cp, float* V, long vs) {
  for (long c = 0; c < Cp; c += 8) transform_patch<6, 6>(d + c, Cp, V + c, vs, apply_bt);
}

// The 4×4 outputs Aᵀ m A of one tile from M[ξ·ms + k], written to y where inside the image.
static void transform_output4(const float* M, long ms, const Geometry& g, long b, long oh, long ow, float* y) {
  const long K = g.outC;
  const long rows = std::min(4L, g.outH - oh), cols = std::min(4L, g.outW - ow);
  float* origin = y + ((b * g.outH + oh) * g.outW + ow) * K;
  for (long k = 0; k < K; k += 8) {
    __m256 s[4][6];  // s[i][j] = (Aᵀ m)[i][j]
    for (int j = 0; j < 6; j++) {
      __m256 column[6], r[4];
      for (int a = 0; a < 6; a++) column[a] = _mm256_loadu_ps(M + (a * 6 + j) * ms + k);
      apply_at(column, r);
      for (int i = 0; i < 4; i++) s[i][j] = r[i];
    }
    const bool full = k + 8 <= K;
    const __m256i mask = tail_mask(K - k);
    for (long i = 0; i < rows; i++) {
      __m256 o[4];
      apply_at(s[i], o);
      for (long q = 0; q < cols; q++) {
        float* dst = origin + (i * g.outW + q) * K + k;
        if (full)
          _mm256_storeu_ps(dst, o[q]);
        else
          _mm256_maskstore_ps(dst, mask, o[q]);
      }
    }
  }
}

// r = A v for four vectors: six outputs (A = (Aᵀ)ᵀ, for the filter gradient's dy tiles).
static inline void apply_a(const __m256 v[4], __m256 r[6]) {
  const __m256 even = _mm256_add_ps(v[0], v[2]), odd = _mm256_add_ps(v[1], v[3]);
  const __m256 even4 = _mm256_fmadd_ps(_mm256_set1_ps(4.0f), v[2], v[0]);
  const __m256 odd8 = _mm256_fmadd_ps(_mm256_set1_ps(8.0f), v[3], _mm256_add_ps(v[1], v[1]));
  r[0] = v[0];
  r[1] = _mm256_add_ps(even, odd);
  r[2] = _mm256_sub_ps(even, odd);
  r[3] = _mm256_add_ps(even4, odd8);
  r[4] = _mm256_sub_ps(even4, odd8);
  r[5] = v[3];
}

// r = Gᵀ m for six vectors: three outputs.
static inline void apply_gt(const __m256 m[6], __m256 r[3]) {
  const __m256 sum12 = _mm256_add_ps(m[1], m[2]), sum34 = _mm256_add_ps(m[3], m[4]);
  const __m256 sixth = _mm256_set1_ps(1.0f / 6.0f);
  r[0] = _mm256_fmadd_ps(_mm256_set1_ps(0.25f), m[0],
                         _mm256_fmadd_ps(_mm256_set1_ps(1.0f / 24.0f), sum34, _mm256_mul_ps(sixth, _mm256_sub_ps(_mm256_setzero_ps(), sum12))));
  r[1] = _mm256_fmadd_ps(sixth, _mm256_sub_ps(m[2], m[1]), _mm256_mul_ps(_mm256_set1_ps(1.0f / 12.0f), _mm256_sub_ps(m[3], m[4])));
  r[2] = _mm256_fmadd_ps(sixth, _mm256_sub_ps(sum34, sum12), m[5]);
}

// D[ξ·vs + k] = (A e Aᵀ)[ξ / 6][ξ % 6] for a 4×4 dy patch e[16][Kp], over channels k < Kp (a multiple of 8).
static void transform_dy4(const float* e, long Kp, float* D, long vs) {
  for (long k = 0; k < Kp; k += 8) transform_patch<4, 6>(e + k, Kp, D + k, vs, apply_a);
}

// dw[a][b][c][k] = (Gᵀ M_ck G)[a][b], M's 36 planes of C×K; 8 output channels k at a time.
static void transform_filter_grad(const float* M, long C, long K, float* dw) {
  const long plane = C * K;
  pool().parallel_for(C, [&](int, long c0, long c1) {
    for (long c = c0; c < c1; c++)
      for (long k = 0; k < K; k += 8) {
        const bool full = k + 8 <= K;
        const __m256i mask = tail_mask(K - k);
        __m256 t[3][6];  // t[a][q] = (Gᵀ M)[a][q]
        for (int q = 0; q < 6; q++) {
          __m256 column[6], r[3];
          for (int p = 0; p < 6; p++) {
            const float* src = M + (p * 6 + q) * plane + c * K + k;
            column[p] = full ? _mm256_loadu_ps(src) : _mm256_maskload_ps(src, mask);
          }
          apply_gt(column, r);
          for (int a = 0; a < 3; a++) t[a][q] = r[a];
        }
        for (int a = 0; a < 3; a++) {
          __m256 r[3];
          apply_gt(t[a], r);
          for (int b = 0; b < 3; b++) {
            float* dst = dw + ((a * 3 + b) * C + c) * K + k;
            if (full)
              _mm256_storeu_ps(dst, r[b]);
            else
              _mm256_maskstore_ps(dst, mask, r[b]);
          }
        }
      }
  });
}

// The filter gradient by the same algorithm transposed: with Σ_tile y·dy = Σ_ξ (A dy Aᵀ)_ξ (G g Gᵀ)_ξ (Bᵀ d B)_ξ,
// ∂/∂g = Gᵀ [Σ_tiles (A dy Aᵀ) ⊙ (Bᵀ d B)] G: per block of tiles, x's 6×6 patches and dy's 4×4 tiles
// transformed, one GEMM per plane summing over the block's tiles into the thread's own M (36·C·K), the threads'
// M added, then the 3×3 output transform.
void conv2d_winograd4_filter_grad(const float* x, const float* dy, const Geometry& g, float* dw) {
  const long C = g.inC, K = g.outC, Cp = up8(C), Kp = up8(K), planes = 36, sums = planes * C * K;
  const Tiles tl{(g.outH + 3) / 4, (g.outW + 3) / 4, 4};
  const long tiles = g.batch * tl.th * tl.tw;
  long tb = std::min(240L, std::max(6L, 8192 / (Cp + Kp)));
  tb -= tb % 6;
  const long blocks = (tiles + tb - 1) / tb;
  Geometry of_dy = g;  // dy read as an image: no padding, K channels
  of_dy.inH = g.outH, of_dy.inW = g.outW, of_dy.inC = K, of_dy.padTop = 0, of_dy.padLeft = 0;
  const int T = pool().threads();
  std::vector<float> partial(static_cast<size_t>(T) * sums, 0.0f);
  pool().parallel_for(blocks, [&](int t, long b0, long b1) {
    float* acc = partial.data() + t * sums;
    std::vector<float> V(planes * tb * Cp), D(planes * tb * Kp), d(planes * Cp, 0.0f), e(16 * Kp, 0.0f);
    for (long blk = b0; blk < b1; blk++) {
      const long t0 = blk * tb, count = std::min(tb, tiles - t0);
      for (long i = 0; i < count; i++) {
        long b, oh, ow;
        tl.origin(t0 + i, &b, &oh, &ow);
        gather_patch(x, g, b, oh, ow, 6, Cp, d.data());
        transform_input6(d.data(), Cp, V.data() + i * Cp, tb * Cp);
        gather_patch(dy, of_dy, b, oh, ow, 4, Kp, e.data());
        transform_dy4(e.data(), Kp, D.data() + i * Kp, tb * Kp);
      }
      for (long xi = 0; xi < planes; xi++)
        sgemm(C, K, count, V.data() + xi * tb * Cp, 1, Cp, D.data() + xi * tb * Kp, Kp, acc + xi * C * K, K, true);
    }
  });
  for (int t = 1; t < T; t++)
    for (long i = 0; i < sums; i++) partial[i] += partial[t * sums + i];
  transform_filter_grad(partial.data(), C, K, dw);
}

void conv2d_winograd4_forward(const float* x, const float* w, const Geometry& g, float* y) {
  winograd_tiles<4>(x, transform_filter4(w, g.inC, g.outC, false).data(), g, y, transform_input6, transform_output4);
}

void conv2d_winograd4_input_grad(const float* dy, const float* w, const Geometry& g, float* dx) {
  winograd_tiles<4>(dy, transform_filter4(w, g.outC, g.inC, true).data(), input_grad_geometry(g), dx,
                    transform_input6, transform_output4);
}

#else

void conv2d_winograd4_forward(const float* x, const float* w, const Geometry& g, float* y) {
  conv2d_forward(x, w, g, y);
}

void conv2d_winograd4_input_grad(const float* dy, const float* w, const Geometry& g, float* dx) {
  conv2d_input_grad(dy, w, g, dx);
}

void conv2d_winograd4_filter_grad(const float* x, const float* dy, const Geometry& g, float* dw) {
  conv2d_filter_grad(x, dy, g, dw);
}

#endif

}  // namespace figs
