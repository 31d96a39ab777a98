/** `flatten`: H×W×C to 1×1×(H·W·C) features; each channel's mask covers its H·W features. */
import { first } from "../shapes/rules.js";
import type { OpSpec } from "./types.js";

export const flatten: OpSpec<"flatten"> = {
  call: { params: [] },
  attributes: {},
  shape: (_attrs, inputs) => {
    const { height, width, channels } = first(inputs);
    return { shape: { height: 1, width: 1, channels: height * width * channels } };
  },
  channels: { kind: "flattens" },
};
