/**
 * ConvNeXt's per-channel ops.
 *
 * `layer_norm`: each pixel normalised over its channels (ConvNeXt's
 * LayerNorm2d, PyTorch's `F.layer_norm` over C, epsilon 1e-6), then scaled
 * and shifted per channel by learnable γ and β: 2·C parameters, no madds.
 * Like `bn` it is masked after: a producer whose only consumer is a
 * layer_norm has its mask applied to the normalised output. The statistics
 * are not masked: in the supernet a channel whose mask is 0 still enters the
 * mean and variance of its pixel (as a 0 when it was masked before), while a
 * pruned network normalises over the kept channels only, so the two differ
 * slightly where a layer_norm follows pruned channels (docs/language.md).
 *
 * `layer_scale(init)`: ConvNeXt's layer scale, each channel multiplied by a
 * learnable γ_c initialised to `init` (1e-6 in ConvNeXt): C parameters, no
 * madds. A channel masked to 0 stays 0, so it is exact under masks.
 */
import type { CostContext, CostSink } from "../cost/rules.js";
import { sameShape } from "../shapes/rules.js";
import { RATE, required } from "./attributes.js";
import type { OpSpec } from "./types.js";

/** The epsilon of `layer_norm` (ConvNeXt's LayerNorm2d). */
export const LAYER_NORM_EPSILON = 1e-6;

/** γ and β: 2·C parameters in both conventions (no moving statistics). */
function layerNormCost({ inputChannels }: CostContext<"layer_norm">, params: CostSink): void {
  params.form(inputChannels, 2);
}

/** γ: C parameters. */
function layerScaleCost({ inputChannels }: CostContext<"layer_scale">, params: CostSink): void {
  params.form(inputChannels, 1);
}

export const layer_norm: OpSpec<"layer_norm"> = {
  call: { params: [] },
  attributes: {},
  shape: sameShape(),
  channels: { kind: "passes", masksAfter: true },
  cost: layerNormCost,
  // γ, β: one value per channel each.
  weights: { first: { output: 0 }, rest: { output: 0 } },
};

export const layer_scale: OpSpec<"layer_scale"> = {
  call: { params: ["init"] },
  attributes: { init: required(RATE) },
  shape: sameShape(),
  channels: { kind: "passes" },
  cost: layerScaleCost,
  // γ as a 1x1 depthwise kernel [1, 1, C, 1]: cut along the channels.
  weights: { first: { input: 2 }, rest: {} },
};
