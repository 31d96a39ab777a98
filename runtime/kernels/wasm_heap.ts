// Access to tfjs-backend-wasm's heap from kernels written in TypeScript.
import type * as tf from "@tensorflow/tfjs";

export interface WasmBackendLike {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(t: tf.TensorInfo): Float32Array | Int32Array | Uint8Array;
}

export function asWasm(backend: unknown): WasmBackendLike {
  const b = backend as Partial<WasmBackendLike> | null;
  if (b === null || typeof b.makeOutput !== "function" || typeof b.typedArrayFromHeap !== "function") {
    throw new Error("figs wasm kernels: backend is not tfjs-backend-wasm");
  }
  return b as WasmBackendLike;
}

/**
 * A Float32Array view on the heap. Take views only after every makeOutput
 * of the kernel: an allocation may grow the heap and detach older views.
 */
export function f32(backend: WasmBackendLike, t: tf.TensorInfo): Float32Array {
  const a = backend.typedArrayFromHeap(t);
  if (!(a instanceof Float32Array)) throw new Error(`figs wasm kernels: expected float32, got ${t.dtype}`);
  return a;
}

/** An Int32Array view on the heap (the same caution as f32). */
export function i32(backend: WasmBackendLike, t: tf.TensorInfo): Int32Array {
  const a = backend.typedArrayFromHeap(t);
  if (!(a instanceof Int32Array)) throw new Error(`figs wasm kernels: expected int32, got ${t.dtype}`);
  return a;
}

export function input(inputs: tf.NamedTensorInfoMap, name: string): tf.TensorInfo {
  const t = inputs[name];
  if (t === undefined) throw new Error(`figs wasm kernels: missing input ${name}`);
  return t;
}

const setUp = new WeakMap<tf.KernelConfig, WeakSet<object>>();

/**
 * Runs one of wasm's own kernels that figs has replaced. A kernel's setup
 * runs once at backend init, and only for kernels registered then, so a
 * kernel replaced before init is set up here on first use.
 */
export function callOriginal(config: tf.KernelConfig, args: Parameters<tf.KernelFunc>[0]): ReturnType<tf.KernelFunc> {
  const backend = args.backend;
  let backends = setUp.get(config);
  if (backends === undefined) {
    backends = new WeakSet();
    setUp.set(config, backends);
  }
  if (!backends.has(backend)) {
    config.setupFunc?.(args.backend);
    backends.add(backend);
  }
  return config.kernelFunc(args);
}
