// Registers the training kernels that complete tfjs-backend-wasm. Each kernel
// works in place on the wasm heap: it allocates its output through the
// backend, then hands heap views of inputs and output to a GradEngine.
import * as tf from "@tensorflow/tfjs";
import type { GradEngine, GradFn } from "./engine.js";
import { geometryOf, type ConvAttrs, type ConvGeometry } from "./geometry.js";

interface WasmBackendLike {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(t: tf.TensorInfo): Float32Array | Int32Array | Uint8Array;
}

function asWasm(backend: unknown): WasmBackendLike {
  const b = backend as Partial<WasmBackendLike> | null;
  if (b === null || typeof b.makeOutput !== "function" || typeof b.typedArrayFromHeap !== "function") {
    throw new Error("figs wasm kernels: backend is not tfjs-backend-wasm");
  }
  return b as WasmBackendLike;
}

function f32(backend: WasmBackendLike, t: tf.TensorInfo): Float32Array {
  const a = backend.typedArrayFromHeap(t);
  if (!(a instanceof Float32Array)) throw new Error(`figs wasm kernels: expected float32, got ${t.dtype}`);
  return a;
}

function input(inputs: tf.NamedTensorInfoMap, name: string): tf.TensorInfo {
  const t = inputs[name];
  if (t === undefined) throw new Error(`figs wasm kernels: missing input ${name}`);
  return t;
}

interface GradSpec {
  kernelName: string;
  /** Names of the two inputs, in the order the engine function takes them. */
  operands: [string, string];
  depthwise: boolean;
  /** Which output the kernel produces: the filter or the input gradient. */
  produces: "filter" | "input";
  pick: (e: GradEngine) => GradFn;
}

const SPECS: GradSpec[] = [
  { kernelName: "Conv2DBackpropFilter", operands: ["x", "dy"], depthwise: false, produces: "filter", pick: (e) => e.conv2dFilterGrad },
  { kernelName: "Conv2DBackpropInput", operands: ["dy", "filter"], depthwise: false, produces: "input", pick: (e) => e.conv2dInputGrad },
  { kernelName: "DepthwiseConv2dNativeBackpropFilter", operands: ["x", "dy"], depthwise: true, produces: "filter", pick: (e) => e.depthwiseFilterGrad },
  { kernelName: "DepthwiseConv2dNativeBackpropInput", operands: ["dy", "filter"], depthwise: true, produces: "input", pick: (e) => e.depthwiseInputGrad },
];

type GradAttrs = ConvAttrs & { filterShape?: number[]; inputShape?: number[] };

function geometryFor(spec: GradSpec, inputs: tf.NamedTensorInfoMap, attrs: GradAttrs): ConvGeometry {
  if (spec.produces === "filter") {
    if (attrs.filterShape === undefined) throw new Error(`${spec.kernelName}: filterShape missing`);
    return geometryOf(input(inputs, "x").shape, attrs.filterShape, attrs, spec.depthwise);
  }
  if (attrs.inputShape === undefined) throw new Error(`${spec.kernelName}: inputShape missing`);
  return geometryOf(attrs.inputShape, input(inputs, "filter").shape, attrs, spec.depthwise);
}

function kernelFor(spec: GradSpec, engine: GradEngine): tf.KernelFunc {
  const fn = spec.pick(engine);
  return ({ inputs, backend, attrs }) => {
    const wasm = asWasm(backend);
    const a = attrs as unknown as GradAttrs;
    const g = geometryFor(spec, inputs, a);
    const outShape = spec.produces === "filter" ? (a.filterShape ?? []) : (a.inputShape ?? []);
    const out = wasm.makeOutput([...outShape], "float32");
    // Views are taken after makeOutput: allocation may grow (and detach) the heap.
    const [first, second] = spec.operands;
    fn(f32(wasm, input(inputs, first)), f32(wasm, input(inputs, second)), g, f32(wasm, out));
    return out;
  };
}

export interface RegisterOptions {
  /** Also replace wasm's own (naive-loop) Conv2DBackpropInput. */
  replaceConvInputGrad?: boolean;
}

/** Registers (or re-registers) the gradient kernels for the `wasm` backend. */
export function registerWasmGradients(engine: GradEngine, options: RegisterOptions = {}): string[] {
  const registered: string[] = [];
  for (const spec of SPECS) {
    const existing = tf.getKernel(spec.kernelName, "wasm");
    const ours = existing !== undefined && ours_.has(existing.kernelFunc);
    if (existing !== undefined && !ours) {
      if (spec.kernelName === "Conv2DBackpropInput" && options.replaceConvInputGrad !== true) continue;
    }
    if (existing !== undefined) tf.unregisterKernel(spec.kernelName, "wasm");
    const kernelFunc = kernelFor(spec, engine);
    ours_.add(kernelFunc);
    tf.registerKernel({ kernelName: spec.kernelName, backendName: "wasm", kernelFunc });
    registered.push(spec.kernelName);
  }
  return registered;
}

const ours_ = new WeakSet<tf.KernelFunc>();
