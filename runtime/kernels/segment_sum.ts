// UnsortedSegmentSum for wasm, which lacks it: the gradient of tf.gather
// (the supernet picks mask values with gather). out[s, …] = Σ over i with
// segmentIds[i] = s of x[i, …]; ids outside [0, numSegments) are dropped, as
// on the cpu backend.
import type * as tf from "@tensorflow/tfjs";
import { asWasm, input } from "./wasm_heap.js";

export const unsortedSegmentSumKernel: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const wasm = asWasm(backend);
  const x = input(inputs, "x");
  const ids = input(inputs, "segmentIds");
  const numSegments = Number((attrs as unknown as { numSegments: number }).numSegments);
  const count = ids.shape.reduce((n, d) => n * d, 1);
  const inner = x.shape.slice(ids.shape.length).reduce((n, d) => n * d, 1);
  const out = wasm.makeOutput([numSegments, ...x.shape.slice(ids.shape.length)], x.dtype);
  // Views after makeOutput: the allocation may have grown (and detached) the heap.
  const values = wasm.typedArrayFromHeap(x);
  const segments = wasm.typedArrayFromHeap(ids);
  const sums = wasm.typedArrayFromHeap(out);
  sums.fill(0);
  for (let i = 0; i < count; i++) {
    const s = segments[i]!;
    if (s < 0 || s >= numSegments) continue;
    const src = i * inner;
    const dst = s * inner;
    for (let j = 0; j < inner; j++) sums[dst + j]! += values[src + j]!;
  }
  return out;
};
