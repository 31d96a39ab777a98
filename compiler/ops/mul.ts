/**
 * `mul`: elementwise product, the channel gate of squeeze-and-excitation
 * (`mul([x, s])` or `aggregate mul`, with s of 1×1×C). Its inputs have equal
 * channels; a 1×1 input is broadcast over the others' height and width.
 * Channels are joined position by position, as by `add`: the gate's channel c
 * shares the mask of the gated channel c, so a search removes both together.
 * It costs nothing (madds count convolutions and dense layers, docs/costs.md).
 */
import { codeOf } from "../../diagnostics/codes.js";
import { error, type Diagnostic } from "../../diagnostics/diagnostic.js";
import type { SourceRange } from "../../diagnostics/source.js";
import type { Shape } from "../graph.js";
import { sourceNote, type ShapeInput } from "../shapes/rules.js";
import type { OpSpec } from "./types.js";

const isPoint = (shape: Shape): boolean => shape.height === 1 && shape.width === 1;

export const mul: OpSpec<"mul"> = {
  call: "builtin",
  attributes: {},
  shape: (_attrs, inputs, at) => {
    const head = inputs.find((i) => !isPoint(i.shape)) ?? inputs[0]!;
    const other = inputs.find((i) => !isPoint(i.shape) && !sameSpatial(i, head));
    if (other) return { diagnostic: gateSizeMismatch(head, other, at) };
    const narrow = inputs.find((i) => i.shape.channels !== head.shape.channels);
    if (!narrow) return { shape: head.shape };
    const message =
      `cannot multiply ${head.role} (${head.shape.channels} channels) and ` +
      `${narrow.role} (${narrow.shape.channels} channels): a gate needs one value per channel of what it gates`;
    return { diagnostic: error(codeOf("WidthMismatch"), message, at, [sourceNote(head), sourceNote(narrow)]) };
  },
  channels: { kind: "joins" },
};

function gateSizeMismatch(head: ShapeInput, other: ShapeInput, at: SourceRange): Diagnostic {
  const size = (i: ShapeInput): string => `${i.shape.height}x${i.shape.width}`;
  const message =
    `cannot multiply ${head.role} (${size(head)}) and ${other.role} (${size(other)}): ` +
    "a gate must be 1x1 (broadcast over height and width) or of the same height and width";
  return error(codeOf("SpatialMismatch"), message, at, [sourceNote(head), sourceNote(other)]);
}

function sameSpatial(a: ShapeInput, b: ShapeInput): boolean {
  return a.shape.height === b.shape.height && a.shape.width === b.shape.width;
}
