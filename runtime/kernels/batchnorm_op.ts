// figs's fused training batch norm: y = scale ⊙ act(BN_batch(x; gamma, beta)).
// On wasm it is one kernel forward and one backward (native or JS engine)
// instead of ~12 tfjs kernels each way (moments, broadcasts, Tile, Sum);
// elsewhere it is composed from standard tfjs ops with identical math.
import * as tf from "@tensorflow/tfjs";
import type { GradEngine } from "./engine.js";
import { asWasm, f32, input } from "./wasm_heap.js";

export const BN_FORWARD = "FigsBatchNormTrain";
export const BN_BACKWARD = "FigsBatchNormTrainGrad";
/** Keras's moving-average update from the forward kernel's mean and 1/σ, in one call. */
export const BN_MOVING = "FigsBatchNormMoving";

export interface BatchNormTrainOptions {
  eps?: number;
  relu?: boolean;
}

interface BnAttrs {
  eps: number;
  relu: boolean;
}

function forwardKernel(engine: GradEngine): tf.KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const wasm = asWasm(backend);
    const a = attrs as unknown as BnAttrs;
    const x = input(inputs, "x");
    const channels = x.shape[x.shape.length - 1] ?? 1;
    const outs = [
      wasm.makeOutput([...x.shape], "float32"),
      wasm.makeOutput([channels], "float32"),
      wasm.makeOutput([channels], "float32"),
    ];
    const [y, mean, invStd] = outs.map((t) => f32(wasm, t)) as [Float32Array, Float32Array, Float32Array];
    const shape = { rows: tf.util.sizeFromShape(x.shape) / channels, channels, eps: a.eps, relu: a.relu };
    const v = (n: string): Float32Array => f32(wasm, input(inputs, n));
    engine.batchNorm.forward(v("x"), v("gamma"), v("beta"), v("scale"), shape, y, mean, invStd);
    return outs;
  };
}

function backwardKernel(engine: GradEngine): tf.KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const wasm = asWasm(backend);
    const a = attrs as unknown as BnAttrs;
    const x = input(inputs, "x");
    const channels = x.shape[x.shape.length - 1] ?? 1;
    const outs = [
      wasm.makeOutput([...x.shape], "float32"),
      ...[0, 1, 2].map(() => wasm.makeOutput([channels], "float32")),
    ];
    const grads = new Float32Array(3 * channels);
    const v = (n: string): Float32Array => f32(wasm, input(inputs, n));
    const shape = { rows: tf.util.sizeFromShape(x.shape) / channels, channels, eps: a.eps, relu: a.relu };
    engine.batchNorm.backward(
      v("dy"),
      v("x"),
      v("mean"),
      v("invStd"),
      v("gamma"),
      v("beta"),
      v("scale"),
      shape,
      f32(wasm, outs[0]!),
      grads,
    );
    for (let i = 0; i < 3; i++) f32(wasm, outs[i + 1]!).set(grads.subarray(i * channels, (i + 1) * channels));
    return outs;
  };
}

/**
 * moving ← moving − (moving − batch)·(1 − momentum), for the mean and the biased variance 1/invStd² − eps.
 */
const movingKernel: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const wasm = asWasm(backend);
  const { momentum, eps } = attrs as unknown as { momentum: number; eps: number };
  const channels = input(inputs, "mean").shape[0] ?? 0;
  const outs = [wasm.makeOutput([channels], "float32"), wasm.makeOutput([channels], "float32")];
  const [newMean, newVariance] = outs.map((t) => f32(wasm, t)) as [Float32Array, Float32Array];
  const v = (n: string): Float32Array => f32(wasm, input(inputs, n));
  const [movingMean, movingVariance, mean, invStd] = [v("movingMean"), v("movingVariance"), v("mean"), v("invStd")];
  const rate = 1 - momentum;
  for (let c = 0; c < channels; c++) {
    const variance = Math.max(1 / (invStd[c]! * invStd[c]!) - eps, 0);
    newMean[c] = movingMean[c]! - (movingMean[c]! - mean[c]!) * rate;
    newVariance[c] = movingVariance[c]! - (movingVariance[c]! - variance) * rate;
  }
  return outs;
};

/** Registers (or replaces) the fused batch-norm kernels for the wasm backend. */
export function registerBatchNormKernels(engine: GradEngine): void {
  for (const [kernelName, kernelFunc] of [
    [BN_FORWARD, forwardKernel(engine)],
    [BN_BACKWARD, backwardKernel(engine)],
    [BN_MOVING, movingKernel],
  ] as const) {
    if (tf.getKernel(kernelName, "wasm") !== undefined) tf.unregisterKernel(kernelName, "wasm");
    tf.registerKernel({ kernelName, backendName: "wasm", kernelFunc });
  }
}

/** Moving statistics (Keras's BatchNormalization) and how fast they follow the batch. */
export interface MovingStatistics {
  readonly mean: tf.Tensor1D;
  readonly variance: tf.Tensor1D;
  readonly momentum: number;
}

/**
 * The output and the moving statistics updated with this batch's mean and biased variance (no gradient through them).
 */
export interface BatchNormTrainResult<T extends tf.Tensor> {
  readonly y: T;
  readonly movingMean: tf.Tensor1D;
  readonly movingVariance: tf.Tensor1D;
}

function movingAverage(moving: tf.Tensor1D, batch: tf.Tensor, momentum: number): tf.Tensor1D {
  return tf.sub(moving, tf.mul(tf.sub(moving, batch), 1 - momentum));
}

function composite(
  x: tf.Tensor,
  gamma: tf.Tensor1D,
  beta: tf.Tensor1D,
  scale: tf.Tensor1D,
  o: BnAttrs,
  moving?: MovingStatistics,
): Partial<BatchNormTrainResult<tf.Tensor>> & { y: tf.Tensor } {
  const axes = x.shape.slice(0, -1).map((_, i) => i);
  const { mean, variance } = tf.moments(x, axes);
  const normed = tf.batchNorm(x, mean, variance, beta, gamma, o.eps);
  const y = tf.mul(o.relu ? tf.relu(normed) : normed, scale);
  if (!moving) return { y };
  return {
    y,
    movingMean: movingAverage(moving.mean, mean, moving.momentum),
    movingVariance: movingAverage(moving.variance, variance, moving.momentum),
  };
}

/**
 * The fused kernel's own mean and 1/σ leave the customGrad (which disposes
 * what its function makes) through `tf.keep`, so the moving averages take
 * one small kernel instead of recomputing the batch statistics.
 */
function fused(
  x: tf.Tensor,
  gamma: tf.Tensor1D,
  beta: tf.Tensor1D,
  scale: tf.Tensor1D,
  o: BnAttrs,
  moving?: MovingStatistics,
): Partial<BatchNormTrainResult<tf.Tensor>> & { y: tf.Tensor } {
  const attrs = { eps: o.eps, relu: o.relu } as unknown as tf.NamedAttrMap;
  let stats: [tf.Tensor, tf.Tensor] | undefined;
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [xi, g, b, s] = args as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
    const save = args[4] as tf.GradSaveFunc;
    const [y, mean, invStd] = tf
      .engine()
      .runKernel(BN_FORWARD, { x: xi, gamma: g, beta: b, scale: s }, attrs) as tf.Tensor[];
    save([xi, g, b, s, mean!, invStd!]);
    if (moving) stats = [tf.keep(mean!), tf.keep(invStd!)];
    const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]): tf.Tensor[] => {
      const [sx, sg, sb, ss, sm, si] = saved as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
      const inputs = { dy, x: sx, mean: sm, invStd: si, gamma: sg, beta: sb, scale: ss };
      const [dx, dgamma, dbeta, dscale] = tf.engine().runKernel(BN_BACKWARD, inputs, attrs) as tf.Tensor[];
      return [dx!, dgamma!, dbeta!, dscale!];
    };
    return { value: y!, gradFunc };
  });
  const y = op(x, gamma, beta, scale);
  if (!moving || !stats) return { y };
  const [mean, invStd] = stats;
  const inputs = { movingMean: moving.mean, movingVariance: moving.variance, mean, invStd };
  const movingAttrs = { momentum: moving.momentum, eps: o.eps } as unknown as tf.NamedAttrMap;
  const [movingMean, movingVariance] = tf.engine().runKernel(BN_MOVING, inputs, movingAttrs) as tf.Tensor1D[];
  tf.dispose([mean, invStd]);
  return { y, movingMean: movingMean!, movingVariance: movingVariance! };
}

function fusedAvailable(): boolean {
  return (
    tf.getBackend() === "wasm" &&
    tf.getKernel(BN_FORWARD, "wasm") !== undefined &&
    tf.getKernel(BN_MOVING, "wasm") !== undefined
  );
}

function attrsOf(options: BatchNormTrainOptions): BnAttrs {
  return { eps: options.eps ?? 1e-5, relu: options.relu ?? false };
}

/** Training-mode batch norm over all axes but the last, then ReLU (optional) and a per-channel scale. */
export function batchNormTrain<T extends tf.Tensor>(
  x: T,
  gamma: tf.Tensor1D,
  beta: tf.Tensor1D,
  scale: tf.Tensor1D,
  options: BatchNormTrainOptions = {},
): T {
  const o = attrsOf(options);
  return (fusedAvailable() ? fused(x, gamma, beta, scale, o) : composite(x, gamma, beta, scale, o)).y as T;
}

/** `batchNormTrain`, also returning the moving statistics updated with this batch (as Keras updates them). */
export function batchNormTrainMoving<T extends tf.Tensor>(
  x: T,
  gamma: tf.Tensor1D,
  beta: tf.Tensor1D,
  scale: tf.Tensor1D,
  moving: MovingStatistics,
  options: BatchNormTrainOptions = {},
): BatchNormTrainResult<T> {
  const o = attrsOf(options);
  return (
    fusedAvailable() ? fused(x, gamma, beta, scale, o, moving) : composite(x, gamma, beta, scale, o, moving)
  ) as BatchNormTrainResult<T>;
}
