/**
 * `drop_path(rate)`: stochastic depth (Huang et al. 2016; torchvision's
 * StochasticDepth, mode "row"): while training, each sample's whole tensor is
 * zeroed with probability `rate` and the others scaled by 1 / (1 − rate); the
 * identity at inference. Put on a residual branch, it drops the branch for
 * that sample. It passes channels through and costs nothing.
 */
import { sameShape } from "../shapes/rules.js";
import { RATE, required } from "./attributes.js";
import type { OpSpec } from "./types.js";

export const drop_path: OpSpec<"drop_path"> = {
  call: { params: ["rate"] },
  attributes: { rate: required(RATE) },
  shape: sameShape(),
  channels: { kind: "passes" },
};
