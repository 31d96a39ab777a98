/**
 * Output shapes of the primitive ops, one rule per OpKind (a missing op is a
 * type error). Elaboration calls `outputShape` as it creates each node, so
 * `in` (the channel count of the current tensor) is known while elaborating.
 * A rule returns a shape or a diagnostic at the op that caused the problem.
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

type ShapeRules = { readonly [K in OpKind]: ShapeRule<K> };

const sameShape =
  <K extends OpKind>(): ShapeRule<K> =>
  (_attrs, inputs) => ({ shape: first(inputs) });

export const SHAPE_RULES: ShapeRules = {
  input: (attrs) => ({ shape: { height: attrs.height, width: attrs.width, channels: attrs.channels } }),
  conv: (attrs, inputs, at) => convShape(attrs, first(inputs), at),
  dwconv: (attrs, inputs, at) =>
    windowed("dwconv", attrs, first(inputs), first(inputs).channels * attrs.multiplier, at),
  dense: (attrs, inputs, at) => denseShape(attrs, first(inputs), at),
  bn: sameShape(),
  relu: sameShape(),
  relu6: sameShape(),
  sigmoid: sameShape(),
  swish: sameShape(),
  maxpool: (attrs, inputs, at) => windowed("maxpool", attrs, first(inputs), first(inputs).channels, at),
  avgpool: (attrs, inputs, at) => windowed("avgpool", attrs, first(inputs), first(inputs).channels, at),
  global_avgpool: (_attrs, inputs) => ({ shape: { height: 1, width: 1, channels: first(inputs).channels } }),
  flatten: (_attrs, inputs) => {
    const { height, width, channels } = first(inputs);
    return { shape: { height: 1, width: 1, channels: height * width * channels } };
  },
  dropout: sameShape(),
  identity: sameShape(),
  concat: (_attrs, inputs, at) => concatShape(inputs, at),
  add: (_attrs, inputs, at) => addShape(inputs, at),
};

export function outputShape<K extends OpKind>(
  op: K,
  attrs: OpAttrs[K],
  inputs: readonly ShapeInput[],
  at: SourceRange,
): ShapeResult {
  const rule = SHAPE_RULES[op] as ShapeRule<K>;
  return rule(attrs, inputs, at);
}

/** Rules are only called with the inputs elaboration guarantees (one for unary ops). */
function first(inputs: readonly ShapeInput[]): Shape {
  return inputs[0]!.shape;
}

export function formatShape(shape: Shape): string {
  return `${shape.height}x${shape.width}x${shape.channels}`;
}

/** "same": ceil(size / stride); "valid": floor((size - kernel) / stride) + 1. */
export function windowSize(size: number, kernel: number, stride: number, padding: Padding): number {
  return padding === "same" ? Math.ceil(size / stride) : Math.floor((size - kernel) / stride) + 1;
}

interface Window {
  readonly kernel: Pair;
  readonly stride: Pair;
  readonly padding: Padding;
}

function windowed(op: string, window: Window, input: Shape, channels: number, at: SourceRange): ShapeResult {
  const height = windowSize(input.height, window.kernel[0], window.stride[0], window.padding);
  const width = windowSize(input.width, window.kernel[1], window.stride[1], window.padding);
  if (height > 0 && width > 0) return { shape: { height, width, channels } };
  const lost = height <= 0 ? { name: "height", size: height } : { name: "width", size: width };
  const message =
    `this ${op} makes the ${lost.name} ${lost.size}, which is not positive: ` +
    `its input is ${formatShape(input)}, kernel ${pairText(window.kernel)}, stride ${pairText(window.stride)}, padding "${window.padding}"`;
  return { diagnostic: error(codeOf("ZeroSpatialSize"), message, at) };
}

function pairText(pair: Pair): string {
  return pair[0] === pair[1] ? `${pair[0]}` : `${pair[0]}x${pair[1]}`;
}

function convShape(attrs: OpAttrs["conv"], input: Shape, at: SourceRange): ShapeResult {
  if (input.channels % attrs.groups !== 0 || attrs.width % attrs.groups !== 0) {
    const message = `a conv with ${attrs.groups} groups needs input and output channels divisible by ${attrs.groups}; it has ${input.channels} in and ${attrs.width} out`;
    return { diagnostic: error(codeOf("GroupsMismatch"), message, at) };
  }
  return windowed("conv", attrs, input, attrs.width, at);
}

function denseShape(attrs: OpAttrs["dense"], input: Shape, at: SourceRange): ShapeResult {
  if (input.height !== 1 || input.width !== 1) {
    const message = `dense needs a 1x1 input, but this one is ${formatShape(input)}: add global_avgpool or flatten before it`;
    return { diagnostic: error(codeOf("DenseNeedsFlat"), message, at) };
  }
  return { shape: { height: 1, width: 1, channels: attrs.width } };
}

function concatShape(inputs: readonly ShapeInput[], at: SourceRange): ShapeResult {
  const head = inputs[0]!;
  const other = inputs.find((i) => i.shape.height !== head.shape.height || i.shape.width !== head.shape.width);
  if (other) return { diagnostic: spatialMismatch("concat", head, other, at) };
  const channels = inputs.reduce((total, i) => total + i.shape.channels, 0);
  return { shape: { height: head.shape.height, width: head.shape.width, channels } };
}

function addShape(inputs: readonly ShapeInput[], at: SourceRange): ShapeResult {
  const head = inputs[0]!;
  const spatial = inputs.find((i) => i.shape.height !== head.shape.height || i.shape.width !== head.shape.width);
  if (spatial) return { diagnostic: spatialMismatch("add", head, spatial, at) };
  const other = inputs.find((i) => i.shape.channels !== head.shape.channels);
  if (!other) return { shape: head.shape };
  const message = `cannot add ${head.role} (${head.shape.channels} channels) and ${other.role} (${other.shape.channels} channels): widths must be equal`;
  return { diagnostic: error(codeOf("WidthMismatch"), message, at, [sourceNote(head), sourceNote(other)]) };
}

function spatialMismatch(op: string, head: ShapeInput, other: ShapeInput, at: SourceRange): Diagnostic {
  const message =
    `cannot ${op} ${head.role} (${head.shape.height}x${head.shape.width}) and ${other.role} (${other.shape.height}x${other.shape.width}): ` +
    "heights and widths must be equal";
  return error(codeOf("SpatialMismatch"), message, at, [sourceNote(head), sourceNote(other)]);
}

function sourceNote(input: ShapeInput): RelatedNote {
  return { message: `${input.role} (${formatShape(input.shape)}) comes from here`, range: input.range };
}
