/** Pools: `maxpool(k, stride, padding)`, `avgpool(k, stride, padding)` and `global_avgpool`, per channel. */
import { first, windowed } from "../shapes/rules.js";
import { WINDOW } from "./attributes.js";
import type { OpSpec } from "./types.js";

/** Max and average pools take the same attributes: one spec shape serves both. */
function windowPool(op: "maxpool" | "avgpool"): OpSpec<"maxpool"> & OpSpec<"avgpool"> {
  return {
    call: { params: ["kernel", "stride", "padding"] },
    attributes: WINDOW,
    shape: (attrs, inputs, at) => windowed(op, attrs, first(inputs), first(inputs).channels, at),
    channels: { kind: "passes" },
  };
}

export const maxpool = windowPool("maxpool");
export const avgpool = windowPool("avgpool");

export const global_avgpool: OpSpec<"global_avgpool"> = {
  call: { params: [] },
  attributes: {},
  shape: (_attrs, inputs) => ({ shape: { height: 1, width: 1, channels: first(inputs).channels } }),
  channels: { kind: "passes" },
};
