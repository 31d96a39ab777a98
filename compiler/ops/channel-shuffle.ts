/**
 * `channel_shuffle(groups)`: ShuffleNet's shuffle, PyTorch's
 * `x.reshape(B, G, C/G, H, W).transpose(1, 2).reshape(B, C, H, W)`: output
 * channel k·G + g is input channel g·(C/G) + k. G divides the channels.
 *
 * Masks (compiler/masks/segments.ts): channel k of every group shares the
 * mask of channel k of the first group, as in a grouped conv, so a pruned
 * input is still G equal groups and the pruned shuffle is the supernet's
 * shuffle with the same channels gone. The output is then the first group's
 * layout with each mask repeated G times in a row. It costs nothing.
 */
import { codeOf } from "../../diagnostics/codes.js";
import { error } from "../../diagnostics/diagnostic.js";
import { first } from "../shapes/rules.js";
import { POSITIVE, required } from "./attributes.js";
import type { OpSpec } from "./types.js";

export const channel_shuffle: OpSpec<"channel_shuffle"> = {
  call: { params: ["groups"] },
  attributes: { groups: required(POSITIVE) },
  shape: (attrs, inputs, at) => {
    const input = first(inputs);
    if (input.channels % attrs.groups === 0) return { shape: input };
    const message =
      `channel_shuffle(${attrs.groups}) needs channels divisible by ${attrs.groups}; ` +
      `its input has ${input.channels}`;
    return { diagnostic: error(codeOf("ChannelPartsMismatch"), message, at) };
  },
  channels: {
    kind: "passes",
    source: (attrs, channels) => {
      const perGroup = channels / attrs.groups;
      return (output) => (output % attrs.groups) * perGroup + Math.floor(output / attrs.groups);
    },
  },
  exportCheck: (attrs, inputChannels) =>
    inputChannels % attrs.groups === 0
      ? undefined
      : `is channel_shuffle(${attrs.groups}) of ${inputChannels} channels, ` +
        `which do not divide into ${attrs.groups} groups`,
};
