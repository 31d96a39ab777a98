// FusedConv2D / FusedDepthwiseConv2D (conv + bias + activation: what
// tf.layers and tf.fused emit) on the native engine: the conv runs on the
// engine, bias and linear/relu/relu6 in one native epilogue. Anything else
// (prelu, leaky relu, sigmoid, broadcast biases) goes to wasm's own kernel.
import * as tf from "@tensorflow/tfjs";
import type { Activation, GradEngine, GradFn } from "./engine.js";
import { geometryOf, type ConvAttrs } from "./geometry.js";
import { asWasm, callOriginal, f32, input } from "./wasm_heap.js";

export const FUSED_KERNELS = ["FusedConv2D", "FusedDepthwiseConv2D"] as const;
export type FusedKernelName = (typeof FUSED_KERNELS)[number];

type FusedAttrs = ConvAttrs & { activation?: string };

function supportedActivation(a: string | undefined): Activation | null {
  if (a === undefined || a === "linear") return "linear";
  return a === "relu" || a === "relu6" ? a : null;
}

/** The fused kernel for `engine`, or null when the engine cannot serve it. */
export function fusedKernel(
  name: FusedKernelName,
  engine: GradEngine,
  original: tf.KernelConfig | undefined,
): tf.KernelFunc | null {
  const depthwise = name === "FusedDepthwiseConv2D";
  const conv: GradFn | undefined = depthwise ? engine.depthwiseForward : engine.conv2dForward;
  const epilogue = engine.biasActivation;
  if (conv === undefined || epilogue === undefined || original === undefined) return null;
  return (args) => {
    const { inputs, backend, attrs } = args;
    const a = attrs as unknown as FusedAttrs;
    const x = input(inputs, "x");
    const filter = input(inputs, "filter");
    const bias = inputs["bias"];
    const act = supportedActivation(a.activation);
    const g = geometryOf(x.shape, filter.shape, a, depthwise);
    const biasOk = bias === undefined || bias === null || tf.util.sizeFromShape(bias.shape) === g.outC;
    if (act === null || !biasOk || inputs["preluActivationWeights"] != null) return callOriginal(original, args);
    const wasm = asWasm(backend);
    const out = wasm.makeOutput([g.batch, g.outH, g.outW, g.outC], "float32");
    const y = f32(wasm, out);
    conv(f32(wasm, x), f32(wasm, filter), g, y);
    const b = bias === undefined || bias === null ? null : f32(wasm, bias);
    epilogue(y, g.batch * g.outH * g.outW, g.outC, b, act);
    return out;
  };
}
