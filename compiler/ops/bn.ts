/** `bn`: batch normalisation over the channels (γ, β trainable; moving mean and variance). */
import type { CostContext, CostSink } from "../cost/rules.js";
import { sameShape } from "../shapes/rules.js";
import type { OpSpec } from "./types.js";

/** 2·C trainable parameters (γ, β); the keras convention adds the 2·C moving statistics. */
function batchNormCost({ inputChannels, options }: CostContext<"bn">, params: CostSink): void {
  params.form(inputChannels, options.convention === "keras" ? 4 : 2);
}

export const bn: OpSpec<"bn"> = {
  call: { params: [] },
  attributes: {},
  shape: sameShape(),
  channels: { kind: "passes", masksAfter: true },
  cost: batchNormCost,
  // γ, β, moving mean, moving variance: one value per channel each.
  weights: { first: { output: 0 }, rest: { output: 0 } },
};
