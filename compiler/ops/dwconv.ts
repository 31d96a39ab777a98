/**
 * `dwconv(k, stride, multiplier, bias, padding)`: one filter per input
 * channel and multiplier, so it passes channels through, each input channel's
 * mask covering its `multiplier` outputs. `dilation` (dilation.ts) spaces
 * the taps; it changes no cost.
 */
import type { CostContext, CostSink } from "../cost/rules.js";
import { first } from "../shapes/rules.js";
import { FLAG, POSITIVE, WINDOW, optional } from "./attributes.js";
import { countsBias, outputPixels } from "./cost-terms.js";
import { DILATION, dilatedWindow } from "./dilation.js";
import type { OpSpec } from "./types.js";

/** k_h·k_w·C·multiplier weights (+ C·multiplier bias); madds = weights × output pixels. */
function dwconvCost({ node, inputChannels, options }: CostContext<"dwconv">, params: CostSink, madds: CostSink): void {
  const [kh, kw] = node.attrs.kernel;
  const weights = kh * kw * node.attrs.multiplier;
  params.form(inputChannels, weights);
  madds.form(inputChannels, weights, outputPixels(node));
  if (countsBias(node.attrs, options)) params.form(inputChannels, node.attrs.multiplier);
}

export const dwconv: OpSpec<"dwconv"> = {
  call: { params: ["kernel", "stride", "multiplier", "bias", "padding", "dilation"] },
  attributes: { ...WINDOW, multiplier: optional(POSITIVE, 1), bias: optional(FLAG, false), ...DILATION },
  shape: (attrs, inputs, at) =>
    dilatedWindow("dwconv", attrs, first(inputs), first(inputs).channels * attrs.multiplier, at),
  channels: { kind: "passes", repeat: (attrs) => attrs.multiplier },
  cost: dwconvCost,
  // The kernel is [k_h, k_w, C_in, multiplier]: cut along the input channels only.
  weights: { first: { input: 2 }, rest: { output: 0 } },
};
