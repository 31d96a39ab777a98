// A kernel engine computes conv gradients (the four kernels tfjs-backend-wasm
// lacks or runs as naive loops), optionally conv forwards, and the fused
// training batch norm and the pooling gradients, on raw NHWC Float32Arrays. The native addon and the
// portable JS loops implement the same interface, so kernel registration and
// the property tests do not care which one runs.
import type { ConvGeometry } from "./geometry.js";
import * as js from "./js_conv.js";
import { jsBatchNorm } from "./js_bn.js";
import { jsAvgPoolGrad, jsMaxPoolGrad } from "./pool_grad.js";

export type GradFn = (a: Float32Array, b: Float32Array, g: ConvGeometry, out: Float32Array) => void;

export interface BnShape {
  rows: number;
  channels: number;
  eps: number;
  relu: boolean;
}

/** Training batch norm fused with ReLU and a per-channel scale (mask gate). */
export interface BatchNormKernels {
  /** y = scale ⊙ act(gamma ⊙ (x - mean) · invStd + beta), with batch statistics. */
  forward(
    x: Float32Array,
    gamma: Float32Array,
    beta: Float32Array,
    scale: Float32Array,
    s: BnShape,
    y: Float32Array,
    mean: Float32Array,
    invStd: Float32Array,
  ): void;
  /** grads = [dgamma | dbeta | dscale] (3 × channels). */
  backward(
    dy: Float32Array,
    x: Float32Array,
    mean: Float32Array,
    invStd: Float32Array,
    gamma: Float32Array,
    beta: Float32Array,
    scale: Float32Array,
    s: BnShape,
    dx: Float32Array,
    grads: Float32Array,
  ): void;
}

export type Activation = "linear" | "relu" | "relu6";

/** y[r, c] = act(y[r, c] + bias[c]) in place over a rows × channels matrix. */
export type BiasActivationFn = (
  y: Float32Array,
  rows: number,
  channels: number,
  bias: Float32Array | null,
  act: Activation,
) => void;

/** out[c] = Σ_r x[r, c] / divisor over a rows × channels matrix. */
export type ChannelSumFn = (
  x: Float32Array,
  rows: number,
  channels: number,
  divisor: number,
  out: Float32Array,
) => void;

/** dx = dy · [0 < x ≤ cap] (cap ≤ 0: no cap), NaN where x is NaN: tfjs's ReLU/ReLU6 gradients bit for bit. */
export type ReluGradFn = (dy: Float32Array, x: Float32Array, cap: number, dx: Float32Array) => void;

/** dst[r·dstStride + j] = src[r·srcStride + j] for r < rows, j < width (views start at the first element). */
export type CopyRowsFn = (
  src: Float32Array,
  srcStride: number,
  dst: Float32Array,
  dstStride: number,
  rows: number,
  width: number,
) => void;

/**
 * The supernet's mask on a producer's channels over a rows × channels matrix:
 * y[r, c] = x[r, c] · s[c], s[c] = masks[indices[c]], or 1 where indices[c] < 0.
 */
export interface ChannelMaskKernels {
  forward(
    x: Float32Array,
    rows: number,
    channels: number,
    masks: Float32Array,
    indices: Int32Array,
    y: Float32Array,
  ): void;
  /** dx = dy · s; dmasks[i] = Σ_r Σ_{c: indices[c] = i} dy[r, c] · x[r, c]. */
  backward(
    dy: Float32Array,
    x: Float32Array,
    rows: number,
    channels: number,
    masks: Float32Array,
    indices: Int32Array,
    dx: Float32Array,
    dmasks: Float32Array,
  ): void;
}

/** out = a + b, elementwise over arrays of one length. */
export type AddFn = (a: Float32Array, b: Float32Array, out: Float32Array) => void;

export interface GradEngine {
  readonly name: string;
  /** Human-readable summary for the backend description line. */
  readonly description: string;
  /** (x, dy) → dW for an ordinary conv. */
  conv2dFilterGrad: GradFn;
  /** (dy, W) → dx for an ordinary conv. */
  conv2dInputGrad: GradFn;
  /** (x, dy) → dW for a depthwise conv. */
  depthwiseFilterGrad: GradFn;
  /** (dy, W) → dx for a depthwise conv. */
  depthwiseInputGrad: GradFn;
  /** (x, W) → y; absent means wasm's own (XNNPACK) forward kernels are kept. */
  conv2dForward?: GradFn;
  depthwiseForward?: GradFn;
  /** (x, dy) → dx of a max pool (runtime/kernels/pool_grad.ts). */
  maxPoolGrad: GradFn;
  /** (dy, unused) → dx of an average pool that leaves padding out of its mean. */
  avgPoolGrad: GradFn;
  batchNorm: BatchNormKernels;
  /** Epilogue of fused convs; absent means wasm keeps its fused kernels. */
  biasActivation?: BiasActivationFn;
  /** The ReLU/ReLU6 gradient in one pass; absent means tfjs's Step and Multiply. */
  reluGrad?: ReluGradFn;
  /** Same-shape float Add on the pool's threads; absent means wasm's own (one thread). */
  add?: AddFn;
  /** Strided row copies behind channel Concat/SplitV; absent means JS loops. */
  copyRows?: CopyRowsFn;
  /** Channel reductions behind Sum/Mean over leading axes; absent means JS loops. */
  channelSum?: ChannelSumFn;
  /** The supernet's channel masks in one pass each way; absent means tfjs's Concat, Gather and Multiply. */
  channelMask?: ChannelMaskKernels;
  /** Compose pointwise conv gradients from wasm's SIMD matmul instead (slow engines). */
  preferWasmMatMul?: boolean;
}

export const jsEngine: GradEngine = {
  name: "js",
  description: "JS",
  conv2dFilterGrad: js.conv2dFilterGrad,
  conv2dInputGrad: js.conv2dInputGrad,
  depthwiseFilterGrad: js.depthwiseFilterGrad,
  depthwiseInputGrad: js.depthwiseInputGrad,
  maxPoolGrad: jsMaxPoolGrad,
  avgPoolGrad: jsAvgPoolGrad,
  batchNorm: jsBatchNorm,
  preferWasmMatMul: true,
};
