// Channel reductions and broadcasts that tfjs's standard batch norm, mean and
// bias gradients issue on NHWC tensors: Sum/Mean over every axis but the last
// (or over the spatial axes: global average pooling and its gradient),
// and Tile of a [1,…,1,C] row. wasm transposes the whole tensor before such a
// Sum/Mean and tiles element by element; these run one pass over contiguous
// rows instead. Every other case goes to wasm's own kernel.
import * as tf from "@tensorflow/tfjs";
import type { ChannelSumFn } from "./engine.js";
import { asWasm, callOriginal, f32, input } from "./wasm_heap.js";

interface ReduceAttrs {
  axis: number | number[];
  keepDims: boolean;
}

interface ReduceShape {
  /** Independent blocks (the axes before the reduced ones), each rows × channels. */
  outer: number;
  rows: number;
  channels: number;
  /** The first reduced axis. */
  first: number;
}

/**
 * Blocks of rows × channels when `axes` are a contiguous run of axes that
 * ends just before the last (channel) axis of a float tensor: all leading
 * axes (batch statistics) or the spatial ones (global average pooling).
 */
function channelAxes(x: tf.TensorInfo, axis: number | number[]): ReduceShape | null {
  const rank = x.shape.length;
  if (x.dtype !== "float32" || rank < 2) return null;
  const axes = [...new Set(tf.util.parseAxisParam(axis, [...x.shape]))].sort((a, b) => a - b);
  const first = axes[0] ?? rank - 1;
  if (axes.length === 0 || axes[axes.length - 1] !== rank - 2 || axes.some((a, i) => a !== first + i)) return null;
  const channels = x.shape[rank - 1]!;
  const outer = tf.util.sizeFromShape(x.shape.slice(0, first));
  return { outer, rows: tf.util.sizeFromShape(x.shape.slice(first, -1)), channels, first };
}

const jsChannelSum: ChannelSumFn = (x, rows, C, divisor, out) => {
  const acc = new Float64Array(C);
  for (let o = 0; o < rows * C; o += C) {
    for (let c = 0; c < C; c++) acc[c]! += x[o + c]!;
  }
  for (let c = 0; c < C; c++) out[c] = acc[c]! / divisor;
};

function reduction(kernelName: "Sum" | "Mean", original: tf.KernelConfig, channelSum: ChannelSumFn): tf.KernelFunc {
  return (args) => {
    const { inputs, backend, attrs } = args;
    const a = attrs as unknown as ReduceAttrs;
    const x = input(inputs, "x");
    const shape = channelAxes(x, a.axis);
    if (shape === null || shape.rows === 0 || shape.channels === 0) return callOriginal(original, args);
    const wasm = asWasm(backend);
    const kept = x.shape.slice(0, shape.first);
    const reduced = x.shape.slice(shape.first, -1).map(() => 1);
    const out = wasm.makeOutput(
      a.keepDims ? [...kept, ...reduced, shape.channels] : [...kept, shape.channels],
      "float32",
    );
    const [source, target] = [f32(wasm, x), f32(wasm, out)];
    const block = shape.rows * shape.channels;
    const divisor = kernelName === "Mean" ? shape.rows : 1;
    for (let b = 0; b < shape.outer; b++) {
      const into = target.subarray(b * shape.channels, (b + 1) * shape.channels);
      channelSum(source.subarray(b * block, (b + 1) * block), shape.rows, shape.channels, divisor, into);
    }
    return out;
  };
}

function tile(original: tf.KernelConfig): tf.KernelFunc {
  return (args) => {
    const { inputs, backend, attrs } = args;
    const reps = (attrs as unknown as { reps: number[] }).reps;
    const x = input(inputs, "x");
    const rank = x.shape.length;
    const isRow =
      x.dtype === "float32" && rank >= 2 && x.shape.slice(0, -1).every((d) => d === 1) && reps[rank - 1] === 1;
    if (!isRow) return callOriginal(original, args);
    const wasm = asWasm(backend);
    const out = wasm.makeOutput(
      x.shape.map((d, i) => d * reps[i]!),
      "float32",
    );
    const o = f32(wasm, out);
    const row = f32(wasm, x);
    if (o.length === 0) return out;
    // Doubling copies: log2(rows) memmoves instead of rows small copies.
    o.set(row, 0);
    for (let filled = row.length; filled < o.length; filled *= 2)
      o.copyWithin(filled, 0, Math.min(filled, o.length - filled));
    return out;
  };
}

/** Replacement kernels, given wasm's originals (null when one is missing). */
export function reductionKernels(
  originals: (name: string) => tf.KernelConfig | undefined,
  channelSum: ChannelSumFn = jsChannelSum,
): [string, tf.KernelFunc][] {
  const out: [string, tf.KernelFunc][] = [];
  const sum = originals("Sum");
  const mean = originals("Mean");
  const til = originals("Tile");
  if (sum !== undefined) out.push(["Sum", reduction("Sum", sum, channelSum)]);
  if (mean !== undefined) out.push(["Mean", reduction("Mean", mean, channelSum)]);
  if (til !== undefined) out.push(["Tile", tile(til)]);
  return out;
}
