// Same-shape float32 Add on the native pool's threads. wasm's Add runs on one
// thread: residual additions and the gradients tfjs sums where a tensor feeds
// two layers are full-size, and at two threads they were left on one core.
// Broadcasts, other dtypes and engines without `add` go to wasm's own kernel.
import type * as tf from "@tensorflow/tfjs";
import type { AddFn } from "./engine.js";
import { asWasm, callOriginal, f32, input } from "./wasm_heap.js";

function sameShape(a: tf.TensorInfo, b: tf.TensorInfo): boolean {
  return a.shape.length === b.shape.length && a.shape.every((d, i) => d === b.shape[i]);
}

function addKernel(original: tf.KernelConfig, add: AddFn): tf.KernelFunc {
  return (args) => {
    const a = input(args.inputs, "a");
    const b = input(args.inputs, "b");
    if (a.dtype !== "float32" || b.dtype !== "float32" || !sameShape(a, b)) return callOriginal(original, args);
    const wasm = asWasm(args.backend);
    const out = wasm.makeOutput([...a.shape], "float32");
    add(f32(wasm, a), f32(wasm, b), f32(wasm, out));
    return out;
  };
}

/** The Add kernel for an engine with a native add, else none (wasm's own stays). */
export function elementwiseKernels(
  original: (name: string) => tf.KernelConfig | undefined,
  add: AddFn | undefined,
): [string, tf.KernelFunc][] {
  const wasmAdd = original("Add");
  return add === undefined || wasmAdd === undefined ? [] : [["Add", addKernel(wasmAdd, add)]];
}
