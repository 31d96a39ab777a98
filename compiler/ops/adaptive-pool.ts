/**
 * `adaptive_avgpool(size)`: average pooling to a fixed output size, as
 * PyTorch's AdaptiveAvgPool2d (VGG's classifier input, `adaptive_avgpool(7)`,
 * is then right at any input size). figs supports the sizes where each
 * output cell averages a whole number of input cells or copies one: per axis,
 * the output size divides the input size (a plain average pool) or is a
 * multiple of it (each value repeated). It passes channels through and costs
 * nothing, like every pool.
 */
import { codeOf } from "../../diagnostics/codes.js";
import { error } from "../../diagnostics/diagnostic.js";
import { first } from "../shapes/rules.js";
import { PAIR, required } from "./attributes.js";
import type { OpSpec } from "./types.js";

/** Whether an axis of `from` cells pools or repeats evenly into `to` cells. */
export function evenlyAdaptive(from: number, to: number): boolean {
  return from % to === 0 || to % from === 0;
}

export const adaptive_avgpool: OpSpec<"adaptive_avgpool"> = {
  call: { params: ["size"] },
  attributes: { size: required(PAIR) },
  shape: (attrs, inputs, at) => {
    const input = first(inputs);
    const [height, width] = attrs.size;
    if (evenlyAdaptive(input.height, height) && evenlyAdaptive(input.width, width))
      return { shape: { height, width, channels: input.channels } };
    const message =
      `adaptive_avgpool from ${input.height}x${input.width} to ${height}x${width}: figs pools only where each ` +
      "output size divides the input size or is a multiple of it (so every output cell averages the same " +
      "number of input cells); pool or resize the input to such a size first";
    return { diagnostic: error(codeOf("InvalidValue"), message, at) };
  },
  channels: { kind: "passes" },
};
