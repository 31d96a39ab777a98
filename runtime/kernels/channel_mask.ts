// The supernet's mask on a producer's channels (runtime/emit/mask-layers.ts,
// `FigsApplyMask`): y = x ⊙ s, s[c] = masks[indices[c]] or 1 where
// indices[c] = −1. tfjs composes it from Concat (append the 1), Gather and a
// broadcast Multiply, and its gradient from Multiply, Sum and the gradients of
// Gather and Concat: in a One-Shot search step they were a third of the time
// over the plain step. With a native engine on wasm it is one threaded kernel
// forward and one backward (dx and dmasks in one pass); elsewhere the same
// composition as before, so the cpu backend and the wasm-only fallback compute
// what they always did.
import * as tf from "@tensorflow/tfjs";
import type { ChannelMaskKernels } from "./engine.js";
import { asWasm, f32, i32, input } from "./wasm_heap.js";

export const CHANNEL_MASK = "FigsChannelMask";
export const CHANNEL_MASK_GRAD = "FigsChannelMaskGrad";

function forwardKernel(kernels: ChannelMaskKernels): tf.KernelFunc {
  return ({ inputs, backend }) => {
    const wasm = asWasm(backend);
    const x = input(inputs, "x");
    const channels = x.shape[x.shape.length - 1] ?? 1;
    const out = wasm.makeOutput([...x.shape], "float32");
    const rows = tf.util.sizeFromShape(x.shape) / channels;
    const masks = f32(wasm, input(inputs, "masks"));
    kernels.forward(f32(wasm, x), rows, channels, masks, i32(wasm, input(inputs, "indices")), f32(wasm, out));
    return out;
  };
}

function backwardKernel(kernels: ChannelMaskKernels): tf.KernelFunc {
  return ({ inputs, backend }) => {
    const wasm = asWasm(backend);
    const x = input(inputs, "x");
    const masks = input(inputs, "masks");
    const channels = x.shape[x.shape.length - 1] ?? 1;
    const outs = [wasm.makeOutput([...x.shape], "float32"), wasm.makeOutput([...masks.shape], "float32")];
    const v = (t: tf.TensorInfo): Float32Array => f32(wasm, t);
    const rows = tf.util.sizeFromShape(x.shape) / channels;
    const indices = i32(wasm, input(inputs, "indices"));
    kernels.backward(v(input(inputs, "dy")), v(x), rows, channels, v(masks), indices, v(outs[0]!), v(outs[1]!));
    return outs;
  };
}

/** The two kernels for an engine with native channel masks, else none (the composition is kept). */
export function channelMaskKernels(kernels: ChannelMaskKernels | undefined): [string, tf.KernelFunc | null][] {
  return [
    [CHANNEL_MASK, kernels ? forwardKernel(kernels) : null],
    [CHANNEL_MASK_GRAD, kernels ? backwardKernel(kernels) : null],
  ];
}

function fusedAvailable(): boolean {
  return (
    tf.getBackend() === "wasm" &&
    tf.getKernel(CHANNEL_MASK, "wasm") !== undefined &&
    tf.getKernel(CHANNEL_MASK_GRAD, "wasm") !== undefined
  );
}

/**
 * What the composition gathers from: the indices with −1 turned into the
 * index of an appended 1 (made once per layer and kept by it).
 */
export function gatherIndices(indices: readonly number[], masks: number): number[] {
  return indices.map((i) => (i < 0 ? masks : i));
}

/**
 * x ⊙ s over x's last axis. `masks` is (1, M); `indices` (int32, C) holds the
 * raw indices (−1 for a channel without a mask) for the fused kernel, and
 * `gather` their gatherIndices for the composition.
 */
export function applyChannelMask(x: tf.Tensor, masks: tf.Tensor, indices: tf.Tensor1D, gather: tf.Tensor1D): tf.Tensor {
  if (fusedAvailable() && x.dtype === "float32" && masks.dtype === "float32") return fused(x, masks, indices);
  return tf.tidy(() => {
    const withOne = tf.concat([masks.reshape([-1]), tf.ones([1])]);
    return tf.mul(x, tf.gather(withOne, gather));
  });
}

function fused(x: tf.Tensor, masks: tf.Tensor, indices: tf.Tensor1D): tf.Tensor {
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [xi, mi] = args as [tf.Tensor, tf.Tensor];
    const save = args[2] as tf.GradSaveFunc;
    const y = tf.engine().runKernel(CHANNEL_MASK, { x: xi, masks: mi, indices }) as tf.Tensor;
    save([xi, mi]);
    const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]): tf.Tensor[] => {
      const [sx, sm] = saved as [tf.Tensor, tf.Tensor];
      return tf.engine().runKernel(CHANNEL_MASK_GRAD, { dy, x: sx, masks: sm, indices }) as tf.Tensor[];
    };
    return { value: y, gradFunc };
  });
  return op(x, masks);
}
