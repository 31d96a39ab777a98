// figs's fused training batch norm: y = scale ⊙ act(BN_batch(x; gamma, beta)).
// On wasm it is one kernel forward and one backward (native or JS engine)
// instead of ~12 tfjs kernels each way (moments, broadcasts, Tile, Sum);
// elsewhere it is composed from standard tfjs ops with identical math.
import * as tf from "@tensorflow/tfjs";
import type { GradEngine } from "./engine.js";
import { asWasm, f32, input } from "./wasm_heap.js";

export const BN_FORWARD = "FigsBatchNormTrain";
export const BN_BACKWARD = "FigsBatchNormTrainGrad";

export interface BatchNormTrainOptions {
  eps?: number;
  relu?: boolean;
}

interface BnAttrs {
  eps: number;
  relu: boolean;
  /** Whether the caller wants the batch statistics back (not a kernel attribute). */
  stats?: boolean;
}

function forwardKernel(engine: GradEngine): tf.KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const wasm = asWasm(backend);
    const a = attrs as unknown as BnAttrs;
    const x = input(inputs, "x");
    const channels = x.shape[x.shape.length - 1] ?? 1;
    const outs = [wasm.makeOutput([...x.shape], "float32"), wasm.makeOutput([channels], "float32"), wasm.makeOutput([channels], "float32")];
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
    const outs = [wasm.makeOutput([...x.shape], "float32"), ...[0, 1, 2].map(() => wasm.makeOutput([channels], "float32"))];
    const grads = new Float32Array(3 * channels);
    const v = (n: string): Float32Array => f32(wasm, input(inputs, n));
    const shape = { rows: tf.util.sizeFromShape(x.shape) / channels, channels, eps: a.eps, relu: a.relu };
    engine.batchNorm.backward(v("dy"), v("x"), v("mean"), v("invStd"), v("gamma"), v("beta"), v("scale"), shape, f32(wasm, outs[0]!), grads);
    for (let i = 0; i < 3; i++) f32(wasm, outs[i + 1]!).set(grads.subarray(i * channels, (i + 1) * channels));
    return outs;
  };
}

/** Registers (or replaces) the fused batch-norm kernels for the wasm backend. */
export function registerBatchNormKernels(engine: GradEngine): void {
  for (const [kernelName, kernelFunc] of [[BN_FORWARD, forwardKernel(engine)], [BN_BACKWARD, backwardKernel(engine)]] as const) {
    if (tf.getKernel(kernelName, "wasm") !== undefined) tf.unregisterKernel(kernelName, "wasm");
    tf.registerKernel({ kernelName, backendName: "wasm", kernelFunc });
  }
}

/** The output and the batch statistics (biased variance) it was normalised with; the statistics carry no gradient. */
export interface BatchNormTrainResult<T extends tf.Tensor> {
  readonly y: T;
  readonly mean: tf.Tensor1D;
  readonly variance: tf.Tensor1D;
}

function composite(x: tf.Tensor, gamma: tf.Tensor1D, beta: tf.Tensor1D, scale: tf.Tensor1D, o: BnAttrs): BatchNormTrainResult<tf.Tensor> {
  const axes = x.shape.slice(0, -1).map((_, i) => i);
  const { mean, variance } = tf.moments(x, axes);
  const normed = tf.batchNorm(x, mean, variance, beta, gamma, o.eps);
  const y = tf.mul(o.relu ? tf.relu(normed) : normed, scale);
  return { y, mean: mean as tf.Tensor1D, variance: variance as tf.Tensor1D };
}

/**
 * The fused kernel's own mean and 1/σ leave the customGrad (which disposes
 * what its function makes) through `tf.keep`, so a caller that needs the
 * batch statistics (the moving averages) does not recompute them.
 */
function fused(x: tf.Tensor, gamma: tf.Tensor1D, beta: tf.Tensor1D, scale: tf.Tensor1D, o: BnAttrs): BatchNormTrainResult<tf.Tensor> | tf.Tensor {
  const attrs = { eps: o.eps, relu: o.relu } as unknown as tf.NamedAttrMap;
  let stats: [tf.Tensor, tf.Tensor] | undefined;
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [xi, g, b, s] = args as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
    const save = args[4] as tf.GradSaveFunc;
    const [y, mean, invStd] = tf.engine().runKernel(BN_FORWARD, { x: xi, gamma: g, beta: b, scale: s }, attrs) as tf.Tensor[];
    save([xi, g, b, s, mean!, invStd!]);
    if (o.stats) stats = [tf.keep(mean!), tf.keep(invStd!)];
    const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]): tf.Tensor[] => {
      const [sx, sg, sb, ss, sm, si] = saved as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
      const inputs = { dy, x: sx, mean: sm, invStd: si, gamma: sg, beta: sb, scale: ss };
      const [dx, dgamma, dbeta, dscale] = tf.engine().runKernel(BN_BACKWARD, inputs, attrs) as tf.Tensor[];
      return [dx!, dgamma!, dbeta!, dscale!];
    };
    return { value: y!, gradFunc };
  });
  const y = op(x, gamma, beta, scale);
  if (!stats) return y;
  const [mean, invStd] = stats;
  // Kept tensors leave every scope: hand them back to the current one.
  const variance = tf.sub(tf.reciprocal(tf.square(invStd)), o.eps) as tf.Tensor1D;
  const meanCopy = tf.clone(mean) as tf.Tensor1D;
  tf.dispose([mean, invStd]);
  return { y, mean: meanCopy, variance: tf.relu(variance) as tf.Tensor1D };
}

function fusedAvailable(): boolean {
  return tf.getBackend() === "wasm" && tf.getKernel(BN_FORWARD, "wasm") !== undefined;
}

/** Training-mode batch norm over all axes but the last, then ReLU (optional) and a per-channel scale. */
export function batchNormTrain<T extends tf.Tensor>(x: T, gamma: tf.Tensor1D, beta: tf.Tensor1D, scale: tf.Tensor1D, options: BatchNormTrainOptions = {}): T {
  const o: BnAttrs = { eps: options.eps ?? 1e-5, relu: options.relu ?? false };
  return (fusedAvailable() ? fused(x, gamma, beta, scale, o) : composite(x, gamma, beta, scale, o).y) as T;
}

/** `batchNormTrain`, also returning the batch mean and (biased) variance it normalised with. */
export function batchNormTrainWithStats<T extends tf.Tensor>(
  x: T, gamma: tf.Tensor1D, beta: tf.Tensor1D, scale: tf.Tensor1D, options: BatchNormTrainOptions = {},
): BatchNormTrainResult<T> {
  const o: BnAttrs = { eps: options.eps ?? 1e-5, relu: options.relu ?? false, stats: true };
  return (fusedAvailable() ? fused(x, gamma, beta, scale, o) : composite(x, gamma, beta, scale, o)) as BatchNormTrainResult<T>;
}
