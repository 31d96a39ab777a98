/**
 * `conv(k, width, stride, groups, bias, padding)`. Grouped convolution
 * (`groups: G`) is all here: G divides the input and output channels (shape
 * and export), the weights are k_h·k_w·C_in·C_out / G, and a grouped kernel
 * is not cut on export (it mixes channels per group; the layer is retrained
 * from its initialisation). runtime/ops emits it as GroupedConv2D.
 * `dilation` (dilation.ts) spaces the taps; it changes no cost.
 */
import type { OpAttrs } from "../graph.js";
import { codeOf } from "../../diagnostics/codes.js";
import { error } from "../../diagnostics/diagnostic.js";
import type { CostContext, CostSink } from "../cost/rules.js";
import { first } from "../shapes/rules.js";
import { FLAG, POSITIVE, WINDOW, optional, required } from "./attributes.js";
import { countsBias, outputPixels } from "./cost-terms.js";
import { DILATION, dilatedWindow } from "./dilation.js";
import type { OpSpec } from "./types.js";

type Conv = OpAttrs["conv"];

function groupsDivide(attrs: Conv, inputChannels: number, outputChannels: number): boolean {
  return inputChannels % attrs.groups === 0 && outputChannels % attrs.groups === 0;
}

/** k_h·k_w·C_in·C_out / groups weights (+ C_out bias); madds = weights × output pixels. */
function convCost(
  { node, inputChannels, outputChannels, options }: CostContext<"conv">,
  params: CostSink,
  madds: CostSink,
): void {
  const [kh, kw] = node.attrs.kernel;
  const weights = (kh * kw) / node.attrs.groups;
  params.product(inputChannels, outputChannels, weights);
  madds.product(inputChannels, outputChannels, weights, outputPixels(node));
  if (countsBias(node.attrs, options)) params.form(outputChannels, 1);
}

export const conv: OpSpec<"conv"> = {
  call: { params: ["kernel", "width", "stride", "groups", "bias", "padding", "dilation"] },
  attributes: {
    ...WINDOW,
    width: required(POSITIVE),
    groups: optional(POSITIVE, 1),
    bias: optional(FLAG, false),
    ...DILATION,
  },
  shape: (attrs, inputs, at) => {
    const input = first(inputs);
    if (groupsDivide(attrs, input.channels, attrs.width)) return dilatedWindow("conv", attrs, input, attrs.width, at);
    const message =
      `a conv with ${attrs.groups} groups needs input and output channels divisible by ${attrs.groups}; ` +
      `it has ${input.channels} in and ${attrs.width} out`;
    return { diagnostic: error(codeOf("GroupsMismatch"), message, at) };
  },
  channels: { kind: "produces", source: false, resized: (attrs, width) => ({ ...attrs, width }) },
  cost: convCost,
  weights: { first: { input: 2, output: 3 }, rest: { output: 0 }, cuttable: (attrs) => attrs.groups === 1 },
  exportCheck: (attrs, inputChannels, outputChannels) =>
    groupsDivide(attrs, inputChannels, outputChannels)
      ? undefined
      : `has groups: ${attrs.groups}, which must divide its ${inputChannels} input ` +
        `and ${outputChannels} output channels`,
};
