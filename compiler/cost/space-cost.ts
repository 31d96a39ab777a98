/** Graph + mask plan → the space's cost polynomials, total and per node. */
import type { Graph, GraphNodeOf, OpKind } from "../graph.js";
import type { ChannelLayout, MaskGroup, MaskPlan } from "../masks/types.js";
import { Polynomial, type LinearForm } from "./polynomial.js";
import { COST_RULES, DEFAULT_COST_OPTIONS, type CostContext, type CostOptions, type CostRule, type OpCost } from "./rules.js";

export interface SpaceCost {
  readonly options: CostOptions;
  readonly params: Polynomial;
  readonly madds: Polynomial;
  /**
   * The cost of every node that has any, by node id. Recomputed on each call
   * rather than kept: a 100,000-op space would otherwise hold 400,000 maps.
   */
  nodeCosts(): Generator<readonly [number, OpCost]>;
}

export function costOfSpace(graph: Graph, plan: MaskPlan, options: CostOptions = DEFAULT_COST_OPTIONS): SpaceCost {
  const nodeCosts = function* (): Generator<readonly [number, OpCost]> {
    const forms = new ChannelForms(plan.groups);
    for (const node of graph.nodes) {
      const context = {
        node,
        inputChannels: forms.of(plan.layouts[node.inputs[0] ?? -1] ?? []),
        outputChannels: forms.of(plan.layouts[node.id] ?? []),
        options,
      };
      const cost = applyRule(node, context);
      if (cost) yield [node.id, cost] as const;
    }
  };
  const params = new Polynomial();
  const madds = new Polynomial();
  for (const [, cost] of nodeCosts()) {
    params.addPolynomial(cost.params);
    madds.addPolynomial(cost.madds);
  }
  return { options, params, madds, nodeCosts };
}

/** The one place that pairs a node with the rule of its own op kind. */
function applyRule<K extends OpKind>(node: GraphNodeOf<K>, context: CostContext<K>): OpCost | undefined {
  const rule = COST_RULES[node.op] as CostRule<K>;
  return rule(context);
}

/** C = Σ repeat·S_g over a layout; memoised because pass-through nodes share layouts. */
class ChannelForms {
  private readonly cache = new WeakMap<ChannelLayout, LinearForm>();

  constructor(private readonly groups: readonly MaskGroup[]) {}

  of(layout: ChannelLayout): LinearForm {
    let form = this.cache.get(layout);
    if (!form) {
      form = this.build(layout);
      this.cache.set(layout, form);
    }
    return form;
  }

  private build(layout: ChannelLayout): LinearForm {
    let constant = 0;
    const terms = new Map<number, number>();
    for (const slice of layout) {
      if (this.groups[slice.group]?.searchable) terms.set(slice.group, (terms.get(slice.group) ?? 0) + slice.repeat);
      else constant += slice.size * slice.repeat;
    }
    return { constant, terms };
  }
}

/** Full width: every group at its declared size. */
export function fullWidths(groups: readonly MaskGroup[]): Float64Array {
  return Float64Array.from(groups, (g) => g.size);
}

