/**
 * The pieces shape rules are made of: the rule type, windows (conv, pools),
 * and the messages for inputs that do not fit. Each op's own rule lives in
 * its spec (`compiler/ops/`); this file imports no op, so the specs can.
 */
import type { OpAttrs, OpKind, Pair, Padding, Shape } from "../graph.js";
import { codeOf } from "../../diagnostics/codes.js";
import { error, type Diagnostic, type RelatedNote } from "../../diagnostics/diagnostic.js";
import type { SourceRange } from "../../diagnostics/source.js";

/** One input of an op, with where it came from, so a mismatch can point at its source. */
export interface ShapeInput {
  readonly shape: Shape;
  readonly range: SourceRange;
  /** How the user would call this input: "the shortcut", "branch 2", "item 1 of the list". */
  readonly role: string;
}

export type ShapeResult = { readonly shape: Shape } | { readonly diagnostic: Diagnostic };

export type ShapeRule<K extends OpKind> = (
  attrs: OpAttrs[K],
  inputs: readonly ShapeInput[],
  at: SourceRange,
) => ShapeResult;

/** Rules are only called with the inputs elaboration guarantees (one for unary ops). */
export function first(inputs: readonly ShapeInput[]): Shape {
  return inputs[0]!.shape;
}

/** The rule of every op whose output has its input's shape. */
export const sameShape =
  <K extends OpKind>(): ShapeRule<K> =>
  (_attrs, inputs) => ({ shape: first(inputs) });

export function formatShape(shape: Shape): string {
  return `${shape.height}x${shape.width}x${shape.channels}`;
}

/** "same": ceil(size / stride); "valid": floor((size - kernel) / stride) + 1. */
export function windowSize(size: number, kernel: number, stride: number, padding: Padding): number {
  return padding === "same" ? Math.ceil(size / stride) : Math.floor((size - kernel) / stride) + 1;
}

export interface Window {
  readonly kernel: Pair;
  readonly stride: Pair;
  readonly padding: Padding;
}

/** A window slid over the input (conv, dwconv, pools): its output size, or why it reaches zero. */
export function windowed(op: string, window: Window, input: Shape, channels: number, at: SourceRange): ShapeResult {
  const height = windowSize(input.height, window.kernel[0], window.stride[0], window.padding);
  const width = windowSize(input.width, window.kernel[1], window.stride[1], window.padding);
  if (height > 0 && width > 0) return { shape: { height, width, channels } };
  const lost = height <= 0 ? { name: "height", size: height } : { name: "width", size: width };
  const message =
    `this ${op} makes the ${lost.name} ${lost.size}, which is not positive: ` +
    `its input is ${formatShape(input)}, kernel ${pairText(window.kernel)}, ` +
    `stride ${pairText(window.stride)}, padding "${window.padding}"`;
  return { diagnostic: error(codeOf("ZeroSpatialSize"), message, at) };
}

function pairText(pair: Pair): string {
  return pair[0] === pair[1] ? `${pair[0]}` : `${pair[0]}x${pair[1]}`;
}

/** The first input whose height or width differs from the first one's. */
export function spatialOutlier(inputs: readonly ShapeInput[]): ShapeInput | undefined {
  const head = inputs[0]!;
  return inputs.find((i) => i.shape.height !== head.shape.height || i.shape.width !== head.shape.width);
}

export function spatialMismatch(op: string, head: ShapeInput, other: ShapeInput, at: SourceRange): Diagnostic {
  const message =
    `cannot ${op} ${head.role} (${head.shape.height}x${head.shape.width}) ` +
    `and ${other.role} (${other.shape.height}x${other.shape.width}): heights and widths must be equal`;
  return error(codeOf("SpatialMismatch"), message, at, [sourceNote(head), sourceNote(other)]);
}

export function sourceNote(input: ShapeInput): RelatedNote {
  return { message: `${input.role} (${formatShape(input.shape)}) comes from here`, range: input.range };
}
