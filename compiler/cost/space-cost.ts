/** Graph + mask plan → the space's cost polynomials, total and per node. */
import type { Graph, GraphNode, GraphNodeOf, OpKind } from "../graph.js";
import { variableIds } from "../masks/gates.js";
import type { ChannelLayout, ChannelSlice, MaskGroup, MaskPlan } from "../masks/types.js";
import { Polynomial, type LinearForm } from "./polynomial.js";
import { NO_GATES, type GateTable } from "./gated.js";
import {
  COST_RULES,
  COSTLY_OPS,
  DEFAULT_COST_OPTIONS,
  type CostContext,
  type CostOptions,
  type CostRule,
  type CostSink,
  type OpCost,
} from "./rules.js";

export interface SpaceCost {
  readonly options: CostOptions;
  /** The gated sizes the polynomials use beside the groups (compiler/cost/gated.ts). */
  readonly gates: GateTable;
  readonly params: Polynomial;
  readonly madds: Polynomial;
  /**
   * The cost of every node that has any, by node id. Recomputed on each call
   * rather than kept: a 100,000-op space would otherwise hold 400,000 maps.
   */
  nodeCosts(): Generator<readonly [number, OpCost]>;
  /** Each costly node's rule applied to sinks of the caller's (values at widths, say), with no polynomial per node. */
  eachNode(sinks: (id: number) => { readonly params: CostSink; readonly madds: CostSink }): void;
}

export function costOfSpace(graph: Graph, plan: MaskPlan, options: CostOptions = DEFAULT_COST_OPTIONS): SpaceCost {
  const eachNode = (sinks: (id: number) => { readonly params: CostSink; readonly madds: CostSink }): void => {
    for (const { node, context } of costlyNodes(graph, plan, options)) {
      const into = sinks(node.id);
      applyRule(node, context, into.params, into.madds);
    }
  };
  const nodeCosts = function* (): Generator<readonly [number, OpCost]> {
    for (const { node, context } of costlyNodes(graph, plan, options)) {
      const cost = { params: new Polynomial(), madds: new Polynomial() };
      applyRule(node, context, cost.params, cost.madds);
      if (hasTerms(cost.params) || hasTerms(cost.madds)) yield [node.id, cost] as const;
    }
  };
  // The totals take every rule's terms directly: no polynomial per node.
  const totals = { params: new Polynomial(), madds: new Polynomial() };
  eachNode(() => totals);
  const gates = { groupCount: plan.groups.length, gated: plan.gated ?? NO_GATES };
  return { options, gates, params: totals.params, madds: totals.madds, nodeCosts, eachNode };
}

/** Nodes whose rule adds anything, each with the channel forms of its input and output. */
function* costlyNodes(
  graph: Graph,
  plan: MaskPlan,
  options: CostOptions,
): Generator<{ node: GraphNode; context: CostContext<OpKind> }> {
  const forms = new ChannelForms(plan);
  for (const node of graph.nodes) {
    if (!COSTLY_OPS.has(node.op)) continue;
    const inputChannels = forms.of(plan.layouts[node.inputs[0] ?? -1] ?? []);
    yield { node, context: { node, inputChannels, outputChannels: forms.of(plan.layouts[node.id] ?? []), options } };
  }
}

function hasTerms(polynomial: Polynomial): boolean {
  return polynomial.constant !== 0 || polynomial.linear.size > 0 || polynomial.bilinear.size > 0;
}

/** The one place that pairs a node with the rule of its own op kind. */
function applyRule<K extends OpKind>(
  node: GraphNodeOf<K>,
  context: CostContext<OpKind>,
  params: CostSink,
  madds: CostSink,
): void {
  const rule = COST_RULES[node.op] as CostRule<K>;
  rule(context as CostContext<K>, params, madds);
}

/** C = Σ repeat·S_g over a layout; memoised because pass-through nodes share layouts. */
class ChannelForms {
  private readonly cache = new WeakMap<ChannelLayout, LinearForm>();

  private readonly groups: readonly MaskGroup[];
  private readonly variableOf: (slice: ChannelSlice) => number;

  constructor(plan: MaskPlan) {
    this.groups = plan.groups;
    this.variableOf = variableIds(plan);
  }

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
      // A gated slice is a variable even over channels without masks: its gates can remove it.
      if (!slice.gates && !this.groups[slice.group]?.searchable) {
        constant += slice.size * slice.repeat;
        continue;
      }
      const id = this.variableOf(slice);
      terms.set(id, (terms.get(id) ?? 0) + slice.repeat);
    }
    return { constant, terms };
  }
}

/** Full width: every group at its declared size. */
export function fullWidths(groups: readonly MaskGroup[]): Float64Array {
  const widths = new Float64Array(groups.length);
  for (let g = 0; g < groups.length; g++) widths[g] = (groups[g] as MaskGroup).size;
  return widths;
}
