/**
 * Kernels that training a supernet needs and tfjs-backend-wasm lacks.
 *
 * The supernet's mask layer and E[cost] pick mask values with `gather`, whose
 * gradient is an `UnsortedSegmentSum`, a kernel wasm does not have: without it
 * the first search step on wasm throws. The sums here are tiny (one value per
 * mask channel), so a plain loop over the wasm heap is enough.
 *
 * This belongs with the other training kernels in runtime/kernels/
 * register_wasm.ts; it lives here until that file's owner takes it over, and
 * registers itself only when no such kernel exists yet.
 */
import * as tf from "@tensorflow/tfjs";
import { asWasm } from "../kernels/wasm_heap.js";

const KERNEL = "UnsortedSegmentSum";

function unsortedSegmentSum(args: Parameters<tf.KernelFunc>[0]): tf.TensorInfo {
  const { inputs, backend, attrs } = args;
  const x = inputs["x"];
  const ids = inputs["segmentIds"];
  if (x === undefined || ids === undefined) throw new Error(`${KERNEL} on wasm: missing inputs`);
  const numSegments = Number((attrs as { numSegments: number }).numSegments);
  const wasm = asWasm(backend);
  const idCount = ids.shape.reduce((n, d) => n * d, 1);
  const xSize = x.shape.reduce((n, d) => n * d, 1);
  const inner = idCount === 0 ? 0 : xSize / idCount;
  const out = wasm.makeOutput([numSegments, ...x.shape.slice(ids.shape.length)], x.dtype);
  // Views after makeOutput: the allocation may have grown (and detached) the heap.
  const values = wasm.typedArrayFromHeap(x);
  const segments = wasm.typedArrayFromHeap(ids);
  const sums = wasm.typedArrayFromHeap(out);
  sums.fill(0);
  for (let i = 0; i < idCount; i++) {
    const segment = segments[i] as number;
    if (segment < 0 || segment >= numSegments) continue;
    for (let j = 0; j < inner; j++) sums[segment * inner + j] = (sums[segment * inner + j] as number) + (values[i * inner + j] as number);
  }
  return out;
}

/** Registers the missing kernels on wasm, once; harmless when wasm is never used. */
export function registerMissingWasmKernels(): void {
  if (tf.getKernel(KERNEL, "wasm") !== undefined) return;
  tf.registerKernel({ kernelName: KERNEL, backendName: "wasm", kernelFunc: unsortedSegmentSum as tf.KernelFunc });
}
