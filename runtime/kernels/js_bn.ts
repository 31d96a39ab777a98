// Portable fused training batch norm (see BatchNormKernels): two-pass
// statistics in float64, one pass to normalise; the backward pass is one
// reduction pass and one pass for dx.
import type { BatchNormKernels, BnShape } from "./engine.js";

function channelMean(x: Float32Array, s: BnShape, mean: Float32Array): void {
  const acc = new Float64Array(s.channels);
  for (let r = 0; r < s.rows; r++) {
    const o = r * s.channels;
    for (let c = 0; c < s.channels; c++) acc[c]! += x[o + c]!;
  }
  for (let c = 0; c < s.channels; c++) mean[c] = acc[c]! / s.rows;
}

function channelInvStd(x: Float32Array, s: BnShape, mean: Float32Array, invStd: Float32Array): void {
  const acc = new Float64Array(s.channels);
  for (let r = 0; r < s.rows; r++) {
    const o = r * s.channels;
    for (let c = 0; c < s.channels; c++) {
      const d = x[o + c]! - mean[c]!;
      acc[c]! += d * d;
    }
  }
  for (let c = 0; c < s.channels; c++) invStd[c] = 1 / Math.sqrt(acc[c]! / s.rows + s.eps);
}

export const jsBatchNorm: BatchNormKernels = {
  forward(x, gamma, beta, scale, s, y, mean, invStd) {
    channelMean(x, s, mean);
    channelInvStd(x, s, mean, invStd);
    const C = s.channels;
    for (let r = 0; r < s.rows; r++) {
      const o = r * C;
      for (let c = 0; c < C; c++) {
        const z = gamma[c]! * (x[o + c]! - mean[c]!) * invStd[c]! + beta[c]!;
        y[o + c] = scale[c]! * (s.relu && z < 0 ? 0 : z);
      }
    }
  },
  backward(dy, x, mean, invStd, gamma, beta, scale, s, dx, grads) {
    const C = s.channels;
    const acc = new Float64Array(3 * C);
    for (let r = 0; r < s.rows; r++) {
      const o = r * C;
      for (let c = 0; c < C; c++) {
        const xh = (x[o + c]! - mean[c]!) * invStd[c]!;
        const z = gamma[c]! * xh + beta[c]!;
        const dz = s.relu && z <= 0 ? 0 : dy[o + c]! * scale[c]!;
        acc[c]! += dz * xh;
        acc[C + c]! += dz;
        acc[2 * C + c]! += dy[o + c]! * (s.relu && z < 0 ? 0 : z);
      }
    }
    grads.set(acc);
    for (let r = 0; r < s.rows; r++) {
      const o = r * C;
      for (let c = 0; c < C; c++) {
        const xh = (x[o + c]! - mean[c]!) * invStd[c]!;
        const z = gamma[c]! * xh + beta[c]!;
        const dz = s.relu && z <= 0 ? 0 : dy[o + c]! * scale[c]!;
        dx[o + c] = (gamma[c]! * invStd[c]! * (dz - (acc[C + c]! + xh * acc[c]!) / s.rows));
      }
    }
  },
};
