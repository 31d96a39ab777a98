// Shared helpers for runtime tests: run one kernel on a chosen backend and
// compare results across backends.
import * as tf from "@tensorflow/tfjs";
import { jsEngine, type GradEngine } from "../../runtime/kernels/engine.js";
import { loadNativeEngine } from "../../runtime/kernels/native.js";

/** The kernel engines to test: JS always, native when the add-on is built (and its engine, or null). */
export function testEngines(): { engines: GradEngine[]; native: GradEngine | null } {
  const native = loadNativeEngine();
  return { engines: native !== null ? [jsEngine, native] : [jsEngine], native };
}

export type Inputs = Record<string, { shape: number[]; values: Float32Array }>;

/** Runs `kernelName` on `backend` and returns its output values. */
export async function runOn(
  backend: string,
  kernelName: string,
  inputs: Inputs,
  attrs: tf.NamedAttrMap,
): Promise<Float32Array> {
  await tf.setBackend(backend);
  const named: tf.NamedTensorMap = {};
  for (const [k, v] of Object.entries(inputs)) named[k] = tf.tensor(v.values, v.shape, "float32");
  const out = tf.engine().runKernel(kernelName, named, attrs) as tf.Tensor;
  const values = (await out.data()) as Float32Array;
  out.dispose();
  for (const t of Object.values(named)) t.dispose();
  return values;
}

export function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return Infinity;
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

export function maxAbs(a: Float32Array): number {
  let m = 0;
  for (const v of a) m = Math.max(m, Math.abs(v));
  return m;
}

/** Deterministic pseudo-random values in [-1, 1) from a seed. */
export function randomValues(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    out[i] = ((s >>> 0) / 4294967296) * 2 - 1;
  }
  return out;
}
