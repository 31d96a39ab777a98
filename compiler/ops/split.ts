/**
 * `split(parts, part)`: one of `parts` equal chunks of the channels, counted
 * from 1, as ShuffleNetV2's `x.chunk(2, dim=1)`: `split(2, 1)` is chunk 0,
 * `split(2, 2)` chunk 1. `parts` divides the channels.
 *
 * Masks (compiler/masks/segments.ts): channel j of every part shares the
 * mask of channel j of the first part, as the groups of a grouped conv do,
 * so every pruned input still splits into equal parts and part `part` of it
 * is the supernet's part with the same channels gone. The output's layout is
 * that part of the input's. A part boundary inside a channel repeated by
 * flatten, a dwconv multiplier or a channel_shuffle cannot share masks
 * (FIGS3501). It costs nothing.
 */
import { codeOf } from "../../diagnostics/codes.js";
import { error } from "../../diagnostics/diagnostic.js";
import { first } from "../shapes/rules.js";
import { POSITIVE, required } from "./attributes.js";
import type { OpSpec } from "./types.js";

export const split: OpSpec<"split"> = {
  call: { params: ["parts", "part"] },
  attributes: { parts: required(POSITIVE), part: required(POSITIVE) },
  shape: (attrs, inputs, at) => {
    const input = first(inputs);
    if (attrs.part > attrs.parts) {
      const message =
        `split(${attrs.parts}, ${attrs.part}) asks for part ${attrs.part} of ${attrs.parts}: ` +
        `parts are counted from 1 to ${attrs.parts}`;
      return { diagnostic: error(codeOf("InvalidValue"), message, at) };
    }
    if (input.channels % attrs.parts === 0) return { shape: { ...input, channels: input.channels / attrs.parts } };
    const message =
      `split(${attrs.parts}, ${attrs.part}) needs channels divisible by ${attrs.parts}; ` +
      `its input has ${input.channels}`;
    return { diagnostic: error(codeOf("ChannelPartsMismatch"), message, at) };
  },
  channels: {
    kind: "passes",
    width: (attrs, channels) => channels / attrs.parts,
    source: (attrs, channels) => {
      const offset = (attrs.part - 1) * (channels / attrs.parts);
      return (output) => offset + output;
    },
  },
  exportCheck: (attrs, inputChannels) =>
    inputChannels % attrs.parts === 0
      ? undefined
      : `is split(${attrs.parts}, ${attrs.part}) of ${inputChannels} channels, ` +
        `which do not divide into ${attrs.parts} parts`,
};
