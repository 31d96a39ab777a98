/** `dense(width, bias)`: a fully connected layer on a 1×1 input (after global_avgpool or flatten). */
import { codeOf } from "../../diagnostics/codes.js";
import { error } from "../../diagnostics/diagnostic.js";
import type { CostContext, CostSink } from "../cost/rules.js";
import { first, formatShape } from "../shapes/rules.js";
import { FLAG, POSITIVE, optional, required } from "./attributes.js";
import type { OpSpec } from "./types.js";

function denseCost(
  { node, inputChannels, outputChannels }: CostContext<"dense">,
  params: CostSink,
  madds: CostSink,
): void {
  params.product(inputChannels, outputChannels, 1);
  madds.product(inputChannels, outputChannels, 1);
  if (node.attrs.bias) params.form(outputChannels, 1);
}

export const dense: OpSpec<"dense"> = {
  call: { params: ["width", "bias"] },
  attributes: { width: required(POSITIVE), bias: optional(FLAG, true) },
  shape: (attrs, inputs, at) => {
    const input = first(inputs);
    if (input.height === 1 && input.width === 1) return { shape: { height: 1, width: 1, channels: attrs.width } };
    const message =
      `dense needs a 1x1 input, but this one is ${formatShape(input)}: ` + "add global_avgpool or flatten before it";
    return { diagnostic: error(codeOf("DenseNeedsFlat"), message, at) };
  },
  channels: { kind: "produces", source: false, resized: (attrs, width) => ({ ...attrs, width }) },
  cost: denseCost,
  weights: { first: { input: 0, output: 1 }, rest: { output: 0 } },
};
