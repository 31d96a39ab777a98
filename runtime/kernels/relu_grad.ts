// The ReLU and ReLU6 gradients as one pass on wasm. tfjs composes them from
// Step (and LessEqual) and Multiply: two to four full-size kernels and
// intermediates per activation, ~10% of a One-Shot training step (native
// engine only: a JS loop is slower than those SIMD kernels). Gradients
// are registered globally in tfjs, so the override checks the backend when it
// runs and composes exactly tfjs's ops everywhere but wasm.
//
// ReLU's gradient is computed from its output (y > 0 exactly where x > 0, and
// ReLU keeps NaN), so the tape keeps y, which the next layer keeps anyway, and
// not x, the batch norm's output: one activation-sized tensor less per ReLU
// held until the backward pass (FBNet: peak RSS −110 MB). ReLU6 cannot: y = 6
// for x = 6 (gradient 1) and for x > 6 (gradient 0).
import * as tf from "@tensorflow/tfjs";
import type { GradEngine, ReluGradFn } from "./engine.js";
import { asWasm, f32, input } from "./wasm_heap.js";

export const RELU_GRAD = "FigsReluGrad";

function reluGradKernel(reluGrad: ReluGradFn): tf.KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const wasm = asWasm(backend);
    const x = input(inputs, "x");
    const out = wasm.makeOutput([...x.shape], "float32");
    reluGrad(
      f32(wasm, input(inputs, "dy")),
      f32(wasm, x),
      Number((attrs as { cap?: number }).cap ?? 0),
      f32(wasm, out),
    );
    return out;
  };
}

function onWasm(): boolean {
  return tf.getBackend() === "wasm" && tf.getKernel(RELU_GRAD, "wasm") !== undefined;
}

function fused(dy: tf.Tensor, x: tf.Tensor, cap: number): tf.Tensor {
  return tf.engine().runKernel(RELU_GRAD, { dy, x }, { cap }) as tf.Tensor;
}

const reluGradient: tf.GradConfig = {
  kernelName: "Relu",
  outputsToSave: [true],
  gradFunc: (dy, saved) => {
    const [y] = saved;
    return {
      x: () =>
        onWasm() && y!.dtype === "float32"
          ? fused(dy as tf.Tensor, y!, 0)
          : tf.mul(dy as tf.Tensor, tf.cast(tf.step(y!), "float32")),
    };
  },
};

const relu6Gradient: tf.GradConfig = {
  kernelName: "Relu6",
  inputsToSave: ["x"],
  gradFunc: (dy, saved) => {
    const [x] = saved;
    if (onWasm() && x!.dtype === "float32") return { x: () => fused(dy as tf.Tensor, x!, 6) };
    const mask = tf.mul(tf.lessEqual(x!, 6), tf.step(x!));
    return { x: () => tf.mul(dy as tf.Tensor, tf.cast(mask, "float32")) };
  },
};

/**
 * The Relu/Relu6 gradients (for every engine: ReLU's saves memory everywhere)
 * and the FigsReluGrad kernel they use on wasm, for an engine with a native
 * ReLU gradient (null otherwise: a JS loop is slower than wasm's SIMD Step
 * and Multiply).
 */
export function reluGradKernels(engine: GradEngine): { kernel: tf.KernelFunc | null; gradients: tf.GradConfig[] } {
  return {
    kernel: engine.reluGrad === undefined ? null : reluGradKernel(engine.reluGrad),
    gradients: [reluGradient, relu6Gradient],
  };
}
