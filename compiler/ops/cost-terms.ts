/** Small helpers the ops' cost rules share (docs/costs.md). */
import type { GraphNodeOf, OpKind } from "../graph.js";
import type { CostOptions } from "../cost/rules.js";

/** `bias: true` in the op, or the conv-bias convention. */
export function countsBias(attrs: { readonly bias: boolean }, options: CostOptions): boolean {
  return attrs.bias || options.convBias === true;
}

export function outputPixels(node: GraphNodeOf<OpKind>): number {
  return node.shape.height * node.shape.width;
}
