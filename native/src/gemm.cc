// AVX2/FMA micro-kernel of 6 rows × 16 columns held in 12 ymm registers;
// column tails use masked loads and stores, row tails a smaller template.
// K is blocked so the B panel stays in L1/L2 across row blocks.
#include "gemm.h"

#include <cstring>

#if defined(__x86_64__) || defined(_M_X64)
#pragma GCC target("avx2,fma")
#include <immintrin.h>
#define FIGS_AVX2 1
#endif

namespace figs {

#ifdef FIGS_AVX2

static inline __m256i tail_mask(long w) {
  alignas(32) int m[8];
  for (int i = 0; i < 8; i++) m[i] = i < w ? -1 : 0;
  return _mm256_load_si256(reinterpret_cast<const __m256i*>(m));
}

template <int R, bool FULL>
static inline void micro(long K, const float* A, long a_rs, long a_cs, const float* B, long ldb, float* C, long ldc,
                         __m256i m0, __m256i m1, bool load_c) {
  __m256 c0[R], c1[R];
  for (int r = 0; r < R; r++) {
    if (!load_c) {
      c0[r] = _mm256_setzero_ps();
      c1[r] = _mm256_setzero_ps();
    } else if (FULL) {
      c0[r] = _mm256_loadu_ps(C + r * ldc);
      c1[r] = _mm256_loadu_ps(C + r * ldc + 8);
    } else {
      c0[r] = _mm256_maskload_ps(C + r * ldc, m0);
      c1[r] = _mm256_maskload_ps(C + r * ldc + 8, m1);
    }
  }
  for (long k = 0; k < K; k++) {
    const float* b = B + k * ldb;
    __m256 b0 = FULL ? _mm256_loadu_ps(b) : _mm256_maskload_ps(b, m0);
    __m256 b1 = FULL ? _mm256_loadu_ps(b + 8) : _mm256_maskload_ps(b + 8, m1);
    const float* a = A + k * a_cs;
    for (int r = 0; r < R; r++) {
      __m256 av = _mm256_broadcast_ss(a + r * a_rs);
      c0[r] = _mm256_fmadd_ps(av, b0, c0[r]);
      c1[r] = _mm256_fmadd_ps(av, b1, c1[r]);
    }
  }
  for (int r = 0; r < R; r++) {
    if (FULL) {
      _mm256_storeu_ps(C + r * ldc, c0[r]);
      _mm256_storeu_ps(C + r * ldc + 8, c1[r]);
    } else {
      _mm256_maskstore_ps(C + r * ldc, m0, c0[r]);
      _mm256_maskstore_ps(C + r * ldc + 8, m1, c1[r]);
    }
  }
}

template <bool FULL>
static void row_block(long rows, long K, const float* A, long a_rs, long a_cs, const float* B, long ldb, float* C,
                      long ldc, __m256i m0, __m256i m1, bool load_c) {
  switch (rows) {
    case 6: micro<6, FULL>(K, A, a_rs, a_cs, B, ldb, C, ldc, m0, m1, load_c); break;
    case 5: micro<5, FULL>(K, A, a_rs, a_cs, B, ldb, C, ldc, m0, m1, load_c); break;
    case 4: micro<4, FULL>(K, A, a_rs, a_cs, B, ldb, C, ldc, m0, m1, load_c); break;
    case 3: micro<3, FULL>(K, A, a_rs, a_cs, B, ldb, C, ldc, m0, m1, load_c); break;
    case 2: micro<2, FULL>(K, A, a_rs, a_cs, B, ldb, C, ldc, m0, m1, load_c); break;
    default: micro<1, FULL>(K, A, a_rs, a_cs, B, ldb, C, ldc, m0, m1, load_c); break;
  }
}

void sgemm(long M, long N, long K, const float* A, long a_rs, long a_cs, const float* B, long ldb, float* C, long ldc,
           bool accumulate) {
  const long KC = 256;
  if (K == 0) {
    if (!accumulate)
      for (long i = 0; i < M; i++) std::memset(C + i * ldc, 0, N * sizeof(float));
    return;
  }
  for (long k0 = 0; k0 < K; k0 += KC) {
    long kc = K - k0 < KC ? K - k0 : KC;
    bool load_c = accumulate || k0 > 0;
    for (long j = 0; j < N; j += 16) {
      long w = N - j < 16 ? N - j : 16;
      __m256i m0 = tail_mask(w), m1 = tail_mask(w - 8);
      const float* b = B + k0 * ldb + j;
      for (long i = 0; i < M; i += 6) {
        long rows = M - i < 6 ? M - i : 6;
        const float* a = A + i * a_rs + k0 * a_cs;
        if (w == 16)
          row_block<true>(rows, kc, a, a_rs, a_cs, b, ldb, C + i * ldc + j, ldc, m0, m1, load_c);
        else
          row_block<false>(rows, kc, a, a_rs, a_cs, b, ldb, C + i * ldc + j, ldc, m0, m1, load_c);
      }
    }
  }
}

#else

void sgemm(long M, long N, long K, const float* A, long a_rs, long a_cs, const float* B, long ldb, float* C, long ldc,
           bool accumulate) {
  for (long i = 0; i < M; i++) {
    float* c = C + i * ldc;
    if (!accumulate) std::memset(c, 0, N * sizeof(float));
    for (long k = 0; k < K; k++) {
      float a = A[i * a_rs + k * a_cs];
      const float* b = B + k * ldb;
      for (long j = 0; j < N; j++) c[j] += a * b[j];
    }
  }
}

#endif

void transpose(const float* in, long rows, long cols, float* out) {
  for (long i = 0; i < rows; i++)
    for (long j = 0; j < cols; j++) out[j * rows + i] = in[i * cols + j];
}

}  // namespace figs
