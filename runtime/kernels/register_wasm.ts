// Registers the kernels that complete tfjs-backend-wasm for training. Each
// kernel works in place on the wasm heap: it allocates its output through the
// backend, then hands heap views of inputs and output to a GradEngine.
import * as tf from "@tensorflow/tfjs";
import { ADAM_KERNEL, adamKernel } from "./adam.js";
import { registerBatchNormKernels } from "./batchnorm_op.js";
import type { GradEngine, GradFn } from "./engine.js";
import { FUSED_KERNELS, fusedKernel } from "./fused_conv.js";
import { channelConcatKernels } from "./channel_concat.js";
import { poolGradKernels } from "./pool_grad.js";
import { RELU_GRAD, reluGradKernels } from "./relu_grad.js";
import { reductionKernels } from "./reduce.js";
import { unsortedSegmentSumKernel } from "./segment_sum.js";
import { geometryOf, isPointwise, type ConvAttrs, type ConvGeometry } from "./geometry.js";
import { im2colFilterGrad, pointwiseFilterGrad, pointwiseInputGrad } from "./wasm_compose.js";
import { channelMaskKernels } from "./channel_mask.js";
import { elementwiseKernels } from "./elementwise.js";
import { asWasm, callOriginal, f32, input } from "./wasm_heap.js";

interface ConvSpec {
  kernelName: string;
  /** Names of the two inputs, in the order the engine function takes them. */
  operands: [string, string];
  depthwise: boolean;
  /** What the kernel produces: the filter gradient, the input gradient or the forward output. */
  produces: "filter" | "input" | "output";
  pick: (e: GradEngine) => GradFn | undefined;
  /** Replaces a kernel wasm already has (only when the engine is native). */
  replacesWasm: boolean;
}

const SPECS: ConvSpec[] = [
  {
    kernelName: "Conv2DBackpropFilter",
    operands: ["x", "dy"],
    depthwise: false,
    produces: "filter",
    pick: (e) => e.conv2dFilterGrad,
    replacesWasm: false,
  },
  {
    kernelName: "Conv2DBackpropInput",
    operands: ["dy", "filter"],
    depthwise: false,
    produces: "input",
    pick: (e) => e.conv2dInputGrad,
    replacesWasm: true,
  },
  {
    kernelName: "DepthwiseConv2dNativeBackpropFilter",
    operands: ["x", "dy"],
    depthwise: true,
    produces: "filter",
    pick: (e) => e.depthwiseFilterGrad,
    replacesWasm: false,
  },
  {
    kernelName: "DepthwiseConv2dNativeBackpropInput",
    operands: ["dy", "filter"],
    depthwise: true,
    produces: "input",
    pick: (e) => e.depthwiseInputGrad,
    replacesWasm: false,
  },
  {
    kernelName: "Conv2D",
    operands: ["x", "filter"],
    depthwise: false,
    produces: "output",
    pick: (e) => e.conv2dForward,
    replacesWasm: true,
  },
  {
    kernelName: "DepthwiseConv2dNative",
    operands: ["x", "filter"],
    depthwise: true,
    produces: "output",
    pick: (e) => e.depthwiseForward,
    replacesWasm: true,
  },
];

type KernelAttrs = ConvAttrs & { filterShape?: number[]; inputShape?: number[] };

function shapeAttr(value: number[] | undefined, name: string): number[] {
  if (value === undefined) throw new Error(`figs wasm kernels: attribute ${name} missing`);
  return [...value];
}

function geometryFor(
  spec: ConvSpec,
  inputs: tf.NamedTensorInfoMap,
  attrs: KernelAttrs,
): { g: ConvGeometry; outShape: number[] } {
  if (spec.produces === "filter") {
    const filterShape = shapeAttr(attrs.filterShape, "filterShape");
    return { g: geometryOf(input(inputs, "x").shape, filterShape, attrs, spec.depthwise), outShape: filterShape };
  }
  if (spec.produces === "input") {
    const inputShape = shapeAttr(attrs.inputShape, "inputShape");
    return { g: geometryOf(inputShape, input(inputs, "filter").shape, attrs, spec.depthwise), outShape: inputShape };
  }
  const g = geometryOf(input(inputs, "x").shape, input(inputs, "filter").shape, attrs, spec.depthwise);
  return { g, outShape: [g.batch, g.outH, g.outW, g.outC] };
}

/** The wasm-matmul composition of a conv gradient, if one applies. */
function composed(
  spec: ConvSpec,
  backend: unknown,
  inputs: tf.NamedTensorInfoMap,
  g: ConvGeometry,
  outShape: number[],
): tf.TensorInfo | null {
  if (spec.depthwise) return null;
  if (!isPointwise(g))
    return spec.produces === "filter"
      ? im2colFilterGrad(backend, input(inputs, "x"), input(inputs, "dy"), g, outShape)
      : null;
  if (spec.produces === "filter")
    return pointwiseFilterGrad(backend, input(inputs, "x"), input(inputs, "dy"), g, outShape);
  if (spec.produces === "input")
    return pointwiseInputGrad(backend, input(inputs, "dy"), input(inputs, "filter"), g, outShape);
  return null;
}

/**
 * wasm's own kernel (`original`) serves NCHW, and with `delegate` every case
 * the matmul composition does not take.
 */
function kernelFor(
  spec: ConvSpec,
  fn: GradFn,
  preferWasmMatMul: boolean,
  original?: tf.KernelConfig,
  delegate = false,
): tf.KernelFunc {
  return (args) => {
    const { inputs, backend, attrs } = args;
    const a = attrs as unknown as KernelAttrs;
    if (original !== undefined && a.dataFormat === "NCHW") return callOriginal(original, args);
    const { g, outShape } = geometryFor(spec, inputs, a);
    const viaMatMul = preferWasmMatMul ? composed(spec, backend, inputs, g, outShape) : null;
    if (viaMatMul !== null) return viaMatMul;
    if (original !== undefined && delegate) return callOriginal(original, args);
    const wasm = asWasm(backend);
    const out = wasm.makeOutput(outShape, "float32");
    // Views are taken after makeOutput: allocation may grow (and detach) the heap.
    const [first, second] = spec.operands;
    fn(f32(wasm, input(inputs, first)), f32(wasm, input(inputs, second)), g, f32(wasm, out));
    return out;
  };
}

interface RefCounted {
  incRef(dataId: tf.DataId): void;
}

/**
 * tfjs clones every tensor a gradient saves (engine.saveTensorsForBackwardMode)
 * and wasm's Identity copies the data; sharing the buffer by reference count,
 * as the cpu backend and wasm's own Reshape do, removes those copies.
 */
const zeroCopyIdentity: tf.KernelFunc = (args) => {
  const { inputs, backend } = args;
  const x = input(inputs, "x");
  const original = originals.get("Identity");
  if (x.dtype === "string" && original !== undefined) return callOriginal(original, args);
  (backend as unknown as RefCounted).incRef(x.dataId);
  return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
};

// wasm's own kernels, kept so a JS engine can hand replaced kernels back.
const originals = new Map<string, tf.KernelConfig>();

function install(kernelName: string, kernelFunc: tf.KernelFunc | null): void {
  const existing = tf.getKernel(kernelName, "wasm");
  if (existing !== undefined && !originals.has(kernelName) && !ours.has(existing.kernelFunc))
    originals.set(kernelName, existing);
  if (existing !== undefined) tf.unregisterKernel(kernelName, "wasm");
  const config = kernelFunc === null ? originals.get(kernelName) : { kernelName, backendName: "wasm", kernelFunc };
  if (config === undefined) return;
  if (kernelFunc !== null) ours.add(kernelFunc);
  tf.registerKernel(config);
  // A restored wasm kernel may never have been set up if figs replaced it
  // before the backend started (setup runs once, at backend init).
  // (tf.findBackend would start the backend as a side effect: read the registry.)
  const started: tf.KernelBackend | undefined = tf.engine().registry["wasm"];
  if (kernelFunc === null && started !== undefined) config.setupFunc?.(started);
}

const ours = new WeakSet<tf.KernelFunc>();

export interface RegisterOptions {
  /** Replace wasm kernels (naive-loop conv input gradient, XNNPACK forwards). Default: only for native engines. */
  replaceWasmKernels?: boolean;
}

/** Registers the engine's kernels for the `wasm` backend; returns the names now served by figs. */
export function registerWasmKernels(engine: GradEngine, options: RegisterOptions = {}): string[] {
  const replace = options.replaceWasmKernels ?? engine.name !== "js";
  const served: string[] = [];
  const matmul = engine.preferWasmMatMul === true;
  for (const spec of SPECS) {
    const fn = spec.pick(engine);
    const use = fn !== undefined && (!spec.replacesWasm || replace);
    // A slow engine still takes wasm's pointwise input gradient: matmul beats its loops.
    const blend = !use && fn !== undefined && matmul && spec.produces === "input";
    install(spec.kernelName, null);
    const original = originals.get(spec.kernelName);
    if (use) install(spec.kernelName, kernelFor(spec, fn, matmul, original));
    else if (blend && original !== undefined) install(spec.kernelName, kernelFor(spec, fn, matmul, original, true));
    if (use || blend) served.push(spec.kernelName);
  }
  for (const name of FUSED_KERNELS) {
    install(name, null);
    const fused = replace ? fusedKernel(name, engine, originals.get(name) ?? tf.getKernel(name, "wasm")) : null;
    if (fused !== null) install(name, fused);
    if (fused !== null) served.push(name);
  }
  registerBatchNormKernels(engine);
  install("Identity", zeroCopyIdentity);
  install("UnsortedSegmentSum", unsortedSegmentSumKernel);
  install(ADAM_KERNEL, adamKernel);
  served.push("Identity", "UnsortedSegmentSum", ADAM_KERNEL);
  const relu = reluGradKernels(engine);
  for (const gradient of relu.gradients) tf.registerGradient(gradient);
  install(RELU_GRAD, relu.kernel);
  if (relu.kernel !== null) served.push(RELU_GRAD);
  for (const [name, kernelFunc] of channelMaskKernels(engine.channelMask)) {
    install(name, kernelFunc);
    if (kernelFunc !== null) served.push(name);
  }
  for (const [name, kernelFunc] of poolGradKernels(engine)) {
    install(name, kernelFunc);
    served.push(name);
  }
  for (const name of ["Concat", "SplitV"]) install(name, null);
  for (const [name, kernelFunc] of channelConcatKernels((n) => originals.get(n), engine.copyRows)) {
    install(name, kernelFunc);
    served.push(name);
  }
  install("Add", null);
  for (const [name, kernelFunc] of elementwiseKernels((n) => originals.get(n) ?? tf.getKernel(n, "wasm"), engine.add)) {
    install(name, kernelFunc);
    served.push(name);
  }
  for (const name of ["Sum", "Mean", "Tile"]) install(name, null);
  for (const [name, kernelFunc] of reductionKernels(
    (n) => originals.get(n) ?? tf.getKernel(n, "wasm"),
    engine.channelSum,
  )) {
    install(name, kernelFunc);
    served.push(name);
  }
  return served;
}
