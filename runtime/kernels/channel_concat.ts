// Concat and SplitV along the last axis for wasm, float32 only: the concat
// aggregator of a supernet and its gradient. wasm's own Concat copies one
// `subarray` per row and input, and its SplitV one strided Slice per output;
// with NHWC images of a few dozen channels that is one tiny copy per pixel
// per branch. Here each output row is one copy: the native engine's memcpy
// split over threads, or a plain JS loop (`set` for wide rows). Other axes
// and dtypes go to wasm's own kernels.
import * as tf from "@tensorflow/tfjs";
import type { CopyRowsFn } from "./engine.js";
import { asWasm, callOriginal, f32 } from "./wasm_heap.js";

/** Rows at least this wide are copied with TypedArray.set, narrower ones element by element. */
const WIDE_ROW = 64;

type Lookup = (kernelName: string) => tf.KernelConfig | undefined;

function isLastAxis(axis: number | number[], rank: number): boolean {
  const a = Array.isArray(axis) ? axis[0] : axis;
  return a === -1 || a === rank - 1;
}

/** The JS row copy (views start at the first element): `set` for wide rows, a loop for narrow ones. */
const jsCopyRows: CopyRowsFn = (src, srcStride, dst, dstStride, rows, width) => {
  if (width >= WIDE_ROW) {
    for (let r = 0; r < rows; r++) dst.set(src.subarray(r * srcStride, r * srcStride + width), r * dstStride);
    return;
  }
  for (let r = 0; r < rows; r++) {
    const s = r * srcStride;
    const d = r * dstStride;
    for (let j = 0; j < width; j++) dst[d + j] = src[s + j]!;
  }
};

function concatKernel(lookup: Lookup, copyRows: CopyRowsFn): tf.KernelFunc {
  return (args) => {
    const parts = (args.inputs as unknown as tf.TensorInfo[]).filter((t) => tf.util.sizeFromShape(t.shape) > 0);
    const first = parts[0];
    const axis = (args.attrs as unknown as { axis: number | number[] }).axis;
    const original = lookup("Concat");
    const handled =
      first !== undefined &&
      parts.length > 1 &&
      parts.every((t) => t.dtype === "float32") &&
      isLastAxis(axis, first.shape.length);
    if (!handled) return callOriginal(original!, args);
    const wasm = asWasm(args.backend);
    const widths = parts.map((t) => t.shape[t.shape.length - 1]!);
    const total = widths.reduce((a, b) => a + b, 0);
    const out = wasm.makeOutput([...first.shape.slice(0, -1), total], "float32");
    const dst = f32(wasm, out);
    const rows = tf.util.sizeFromShape(first.shape) / widths[0]!;
    let offset = 0;
    parts.forEach((part, i) => {
      copyRows(f32(wasm, part), widths[i]!, dst.subarray(offset), total, rows, widths[i]!);
      offset += widths[i]!;
    });
    return out;
  };
}

/** tfjs's split sizes: n equal parts, or the sizes given, where one −1 takes the rest. */
function splitSizes(numOrSizeSplits: number | number[], total: number): number[] {
  if (typeof numOrSizeSplits === "number") return new Array<number>(numOrSizeSplits).fill(total / numOrSizeSplits);
  const known = numOrSizeSplits.filter((s) => s !== -1).reduce((a, b) => a + b, 0);
  return numOrSizeSplits.map((s) => (s === -1 ? total - known : s));
}

function splitKernel(lookup: Lookup, copyRows: CopyRowsFn): tf.KernelFunc {
  return (args) => {
    const x = args.inputs["x"]!;
    const { numOrSizeSplits, axis } = args.attrs as unknown as { numOrSizeSplits: number | number[]; axis: number };
    const original = lookup("SplitV");
    if (x.dtype !== "float32" || !isLastAxis(axis, x.shape.length)) return callOriginal(original!, args);
    const total = x.shape[x.shape.length - 1]!;
    const sizes = splitSizes(numOrSizeSplits, total);
    const wasm = asWasm(args.backend);
    const outs = sizes.map((size) => wasm.makeOutput([...x.shape.slice(0, -1), size], "float32"));
    const src = f32(wasm, x);
    const rows = total === 0 ? 0 : tf.util.sizeFromShape(x.shape) / total;
    let offset = 0;
    outs.forEach((out, i) => {
      copyRows(src.subarray(offset), total, f32(wasm, out), sizes[i]!, rows, sizes[i]!);
      offset += sizes[i]!;
    });
    return outs;
  };
}

/**
 * The Concat and SplitV kernels, copying rows with `copyRows` (the native
 * engine's, threaded) or JS loops, and falling back to `lookup(name)` (wasm's
 * own) for what they do not take.
 */
export function channelConcatKernels(lookup: Lookup, copyRows?: CopyRowsFn): [string, tf.KernelFunc][] {
  const copy = copyRows ?? jsCopyRows;
  return [
    ["Concat", concatKernel(lookup, copy)],
    ["SplitV", splitKernel(lookup, copy)],
  ];
}
