/**
 * Every node's params and madds at full width, for hover text. The cost stage
 * keeps no polynomial per node (a 100,000-op space would hold 400,000 maps):
 * its rules are applied once more, valued at full width as they go.
 */
import { expandSizes, type LinearForm, type SpaceCost } from "../cost/index.js";
import type { CostSink } from "../cost/rules.js";
import type { MaskGroup } from "../masks/types.js";

export interface NodeCosts {
  /** Indexed by node id; 0 for nodes that cost nothing. */
  readonly params: Float64Array;
  readonly madds: Float64Array;
}

export function nodeCostsAtFullWidth(cost: SpaceCost, groups: readonly MaskGroup[], nodeCount: number): NodeCosts {
  const params = new Float64Array(nodeCount);
  const madds = new Float64Array(nodeCount);
  const value = formValues(expandSizes(cost.gates, (g) => groups[g]?.size ?? 0));
  const sinkInto = (values: Float64Array, id: number): CostSink => ({
    product: (left, right, coefficient, post = 1) => {
      values[id] = values[id]! + post * (coefficient * value(left) * value(right));
    },
    form: (form, coefficient, post = 1) => {
      values[id] = values[id]! + post * (coefficient * value(form));
    },
  });
  cost.eachNode((id) => ({ params: sinkInto(params, id), madds: sinkInto(madds, id) }));
  return { params, madds };
}

/** A channel form's value with every group at its size; forms are shared by pass-through layouts, so memoised. */
function formValues(sizes: Float64Array): (form: LinearForm) => number {
  const cache = new WeakMap<LinearForm, number>();
  return (form) => {
    let value = cache.get(form);
    if (value === undefined) {
      value = form.constant;
      for (const [variable, coefficient] of form.terms) value += coefficient * (sizes[variable] ?? 0);
      cache.set(form, value);
    }
    return value;
  };
}
