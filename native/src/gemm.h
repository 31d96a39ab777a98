// Single-threaded SGEMM: C(i,j) (+)= Σ_k A(i,k) B(k,j) with
// A(i,k) = A[i*a_rs + k*a_cs] (so A or Aᵀ without copying), B row-major
// with leading dimension ldb, C row-major with leading dimension ldc.
#pragma once

namespace figs {

void sgemm(long M, long N, long K, const float* A, long a_rs, long a_cs, const float* B, long ldb, float* C, long ldc,
           bool accumulate);

// out = inᵀ for a rows×cols row-major matrix.
void transpose(const float* in, long rows, long cols, float* out);

}  // namespace figs
