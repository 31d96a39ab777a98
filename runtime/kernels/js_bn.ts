// Portable fused training batch norm (see BatchNormKernels). Per-element cost
// dominates in JS, so passes are few and per-channel values are folded into
// coefficient arrays: forward = one statistics pass (sums shifted by the
// first row, which keeps E[x²]−E[x]² well conditioned) + one output pass;
// backward = one reduction pass + one dx pass.
import type { BatchNormKernels, BnShape } from "./engine.js";

function statistics(x: Float32Array, s: BnShape, mean: Float32Array, invStd: Float32Array): void {
  const C = s.channels;
  const shift = x.slice(0, C);
  const sum = new Float64Array(C);
  const sq = new Float64Array(C);
  for (let o = 0; o < s.rows * C; o += C) {
    for (let c = 0; c < C; c++) {
      const d = x[o + c]! - shift[c]!;
      sum[c]! += d;
      sq[c]! += d * d;
    }
  }
  for (let c = 0; c < C; c++) {
    const m = sum[c]! / s.rows;
    mean[c] = shift[c]! + m;
    invStd[c] = 1 / Math.sqrt(Math.max(sq[c]! / s.rows - m * m, 0) + s.eps);
  }
}

/** Per channel: x̂ = x·a + b, z = x·p + q (= γx̂ + β). */
function coefficients(mean: Float32Array, invStd: Float32Array, gamma: Float32Array, beta: Float32Array, C: number) {
  const a = new Float32Array(C),
    b = new Float32Array(C),
    p = new Float32Array(C),
    q = new Float32Array(C);
  for (let c = 0; c < C; c++) {
    a[c] = invStd[c]!;
    b[c] = -mean[c]! * invStd[c]!;
    p[c] = gamma[c]! * invStd[c]!;
    q[c] = beta[c]! - mean[c]! * p[c]!;
  }
  return { a, b, p, q };
}

export const jsBatchNorm: BatchNormKernels = {
  forward(x, gamma, beta, scale, s, y, mean, invStd) {
    const C = s.channels;
    statistics(x, s, mean, invStd);
    const { p, q } = coefficients(mean, invStd, gamma, beta, C);
    const relu = s.relu;
    for (let o = 0; o < s.rows * C; o += C) {
      for (let c = 0; c < C; c++) {
        const z = x[o + c]! * p[c]! + q[c]!;
        y[o + c] = scale[c]! * (relu && z < 0 ? 0 : z);
      }
    }
  },
  backward(dy, x, mean, invStd, gamma, beta, scale, s, dx, grads) {
    const C = s.channels;
    const { a, b, p, q } = coefficients(mean, invStd, gamma, beta, C);
    const dg = new Float64Array(C),
      db = new Float64Array(C),
      ds = new Float64Array(C);
    const relu = s.relu;
    for (let o = 0; o < s.rows * C; o += C) {
      for (let c = 0; c < C; c++) {
        const xv = x[o + c]!;
        const z = xv * p[c]! + q[c]!;
        if (relu && z <= 0) continue;
        const d = dy[o + c]!;
        const dz = d * scale[c]!;
        dg[c]! += dz * (xv * a[c]! + b[c]!);
        db[c]! += dz;
        ds[c]! += d * z;
      }
    }
    // dx = γ·is·dz − c1 − x̂·c2 with c1 = γ·is·Σdz/N, c2 = γ·is·Σdz·x̂/N.
    const c1 = new Float32Array(C),
      c2 = new Float32Array(C),
      k = new Float32Array(C);
    for (let c = 0; c < C; c++) {
      grads[c] = dg[c]!;
      grads[C + c] = db[c]!;
      grads[2 * C + c] = ds[c]!;
      k[c] = gamma[c]! * invStd[c]!;
      c1[c] = (k[c]! * db[c]!) / s.rows;
      c2[c] = (k[c]! * dg[c]!) / s.rows;
    }
    for (let o = 0; o < s.rows * C; o += C) {
      for (let c = 0; c < C; c++) {
        const xv = x[o + c]!;
        const z = xv * p[c]! + q[c]!;
        const dz = relu && z <= 0 ? 0 : dy[o + c]! * scale[c]!;
        dx[o + c] = k[c]! * dz - c1[c]! - (xv * a[c]! + b[c]!) * c2[c]!;
      }
    }
  },
};
