/**
 * `dilation` of conv and dwconv (PyTorch's: taps `dilation` pixels apart, so
 * a k-tap window spans (k − 1)·dilation + 1 pixels). "same" padding keeps
 * the output at ceil(size / stride) as without dilation; "valid" slides the
 * spanned window. tfjs (like TensorFlow) computes no conv with a stride and a
 * dilation both above 1: a diagnostic at the op. Dilation changes neither
 * parameters nor madds.
 */
import { codeOf } from "../../diagnostics/codes.js";
import { error } from "../../diagnostics/diagnostic.js";
import type { SourceRange } from "../../diagnostics/source.js";
import type { Pair, Shape } from "../graph.js";
import { windowed, type ShapeResult, type Window } from "../shapes/rules.js";
import { PAIR, optional } from "./attributes.js";

export const DILATION = { dilation: optional<Pair>(PAIR, [1, 1]) } as const;

const isOne = (pair: Pair): boolean => pair[0] === 1 && pair[1] === 1;

/** The pixels a window of `kernel` taps spans at `dilation`. */
export function spanned(kernel: Pair, dilation: Pair): Pair {
  return [(kernel[0] - 1) * dilation[0] + 1, (kernel[1] - 1) * dilation[1] + 1];
}

const text = (pair: Pair): string => (pair[0] === pair[1] ? `${pair[0]}` : `[${pair[0]}, ${pair[1]}]`);

/** The output of a dilated window, or why tfjs cannot compute it. */
export function dilatedWindow(
  op: "conv" | "dwconv",
  attrs: Window & { readonly dilation: Pair },
  input: Shape,
  channels: number,
  at: SourceRange,
): ShapeResult {
  const { dilation } = attrs;
  if (!isOne(dilation) && !isOne(attrs.stride)) {
    const message =
      `this ${op} has stride ${text(attrs.stride)} and dilation ${text(dilation)}: tfjs computes no conv with ` +
      "both above 1; dilate with stride 1 and downsample before or after it (a pool, or a strided 1x1 conv)";
    return { diagnostic: error(codeOf("DilatedStride"), message, at) };
  }
  return windowed(op, { ...attrs, kernel: spanned(attrs.kernel, dilation) }, input, channels, at);
}
