// Elementwise kernels (the ReLU gradient, a same-shape add, strided row copies), vectorised and
// split over the pool's threads.
#if defined(__x86_64__) || defined(_M_X64)
#pragma GCC target("avx2,fma")
#include <immintrin.h>
#define FIGS_AVX2 1
#endif
#include <cmath>
#include <cstring>
#include <limits>

#include "kernels.h"
#include "pool.h"

namespace figs {

namespace {

// dy · mask as tfjs computes dy · step(x): −0 and ∞ · 0 = NaN included.
inline float relu_grad_one(float dy, float v, float top) {
  if (v != v) return dy * std::numeric_limits<float>::quiet_NaN();
  return dy * ((v > 0.0f && v <= top) ? 1.0f : 0.0f);
}

}  // namespace

void relu_grad(const float* dy, const float* x, long n, float cap, float* dx) {
  const float top = cap > 0 ? cap : std::numeric_limits<float>::infinity();
  pool().parallel_for(n, [&](int, long begin, long end) {
    long i = begin;
#ifdef FIGS_AVX2
    // Branch-free: the signs of activations are random, so a branch per value mispredicts half the time.
    const __m256 zero = _mm256_setzero_ps(), one = _mm256_set1_ps(1.0f), topv = _mm256_set1_ps(top);
    const __m256 nan = _mm256_set1_ps(std::numeric_limits<float>::quiet_NaN());
    for (; i + 8 <= end; i += 8) {
      const __m256 v = _mm256_loadu_ps(x + i);
      const __m256 inside = _mm256_and_ps(_mm256_cmp_ps(v, zero, _CMP_GT_OQ), _mm256_cmp_ps(v, topv, _CMP_LE_OQ));
      const __m256 mask = _mm256_blendv_ps(_mm256_and_ps(inside, one), nan, _mm256_cmp_ps(v, v, _CMP_UNORD_Q));
      _mm256_storeu_ps(dx + i, _mm256_mul_ps(_mm256_loadu_ps(dy + i), mask));
    }
#endif
    for (; i < end; i++) dx[i] = relu_grad_one(dy[i], x[i], top);
  });
}

void add(const float* a, const float* b, long n, float* out) {
  // Below this, waking a worker costs more than the sum.
  constexpr long kSerial = 1 << 14;
  auto sum = [&](int, long begin, long end) {
    long i = begin;
#ifdef FIGS_AVX2
    for (; i + 8 <= end; i += 8)
      _mm256_storeu_ps(out + i, _mm256_add_ps(_mm256_loadu_ps(a + i), _mm256_loadu_ps(b + i)));
#endif
    for (; i < end; i++) out[i] = a[i] + b[i];
  };
  if (n < kSerial)
    sum(0, 0, n);
  else
    pool().parallel_for(n, sum);
}

void copy_rows(const float* src, long src_stride, float* dst, long dst_stride, long rows, long width) {
  const size_t bytes = static_cast<size_t>(width) * sizeof(float);
  pool().parallel_for(rows, [&](int, long begin, long end) {
    for (long r = begin; r < end; r++) std::memcpy(dst + r * dst_stride, src + r * src_stride, bytes);
  });
}

}  // namespace figs
