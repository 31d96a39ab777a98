/**
 * Operator gates (FiGS Fig. 1c; DESIGN.md "Masks and groups"): every `gate`
 * node gets a group of one searchable mask, and every channel slice learns
 * which gates must be on for it to exist:
 *
 * - a node all of whose paths to the output pass a gate needs that gate (it
 *   is removed with it): the gates that post-dominate the node;
 * - a gate's own output needs the gate;
 * - channels passed through, concatenated or added keep the gates of the
 *   channels they come from (an add needs only what all its operands need; a
 *   product needs what either needs); a conv or dense needs what all of its
 *   input channels need.
 *
 * Every cost is linear in a node's output channels, so a cost term that uses
 * a gated slice's size S_g·Π z is removed exactly when export removes the node.
 * The one case the product cannot say is an add whose every operand has a
 * gate of its own: its output then exists when any operand does (an OR), and
 * the formula counts it unless their shared gates are off.
 */
import { codeOf } from "../../diagnostics/codes.js";
import { warning, type Diagnostic } from "../../diagnostics/diagnostic.js";
import type { Graph, GraphNode } from "../graph.js";
import { channelRule, isSource } from "../ops/index.js";
import type { ChannelLayout, ChannelSlice, GatedVariable, MaskGroup, MaskPlan } from "./types.js";

type GateSet = readonly number[];
const NONE: GateSet = [];

/**
 * The plan with one group per `gate` node appended and each slice's gates (the plan itself when there are none),
 * and a warning for each gate no path from the input to the output avoids.
 */
export function placeGates(graph: Graph, plan: MaskPlan): { plan: MaskPlan; diagnostics: Diagnostic[] } {
  const gateOf = new Map<number, number>();
  const groups: MaskGroup[] = [...plan.groups];
  for (const node of graph.nodes) {
    if (node.op !== "gate" || node.fixed) continue;
    gateOf.set(node.id, groups.length);
    groups.push({
      id: groups.length,
      name: gateName(graph, node),
      size: 1,
      searchable: true,
      producers: [],
      gate: node.id,
    });
  }
  if (gateOf.size === 0) return { plan, diagnostics: [] };
  const after = postDominatingGates(graph, gateOf);
  const layouts: ChannelLayout[] = [];
  for (const node of graph.nodes) {
    const own = gateOf.get(node.id);
    const extra = own === undefined ? (after[node.id] ?? NONE) : union(after[node.id] ?? NONE, [own]);
    layouts.push(gatedLayout(node, plan.layouts[node.id] ?? [], layouts, extra));
  }
  const diagnostics = graph.nodes
    .filter((node) => isSource(node.op))
    .flatMap((source) => after[source.id] ?? NONE)
    .map((group) => everyPathWarning(graph, groups[group] as MaskGroup));
  return { plan: { groups, layouts, gated: gatedVariables(layouts) }, diagnostics };
}

function everyPathWarning(graph: Graph, group: MaskGroup): Diagnostic {
  const node = graph.nodes[group.gate ?? -1] as GraphNode;
  const message =
    `every path from the input to the output of space '${graph.space}' passes this gate: ` +
    "closing it would leave nothing, so a search keeps it open and sampling never removes it";
  const note = "a gate deselects an operator among others: put it on a branch, or on a residual block's branch";
  return warning(codeOf("GateOnEveryPath"), message, node.range, [{ message: note }]);
}

/**
 * An unlabelled gate is named after what it gates, in its own scope: `choice_1.gate(avgpool_0)`;
 * a gate labelled with `as` keeps its label.
 */
function gateName(graph: Graph, node: GraphNode): string {
  const local = (name: string): string =>
    name.startsWith(`${graph.space}/`) ? name.slice(graph.space.length + 1) : name;
  const name = local(node.name);
  const source = graph.nodes[node.inputs[0] ?? -1];
  const match = /^(.*?)gate_\d+$/.exec(name);
  if (!match || !source) return name;
  const scope = match[1] ?? "";
  const of = local(source.name);
  return `${scope}gate(${of.startsWith(scope) ? of.slice(scope.length) : of})`;
}

/** For each node, the gates on every path from it to the output (its own not included). */
function postDominatingGates(graph: Graph, gateOf: ReadonlyMap<number, number>): GateSet[] {
  const consumers: number[][] = graph.nodes.map(() => []);
  for (const node of graph.nodes) for (const input of node.inputs) consumers[input]?.push(node.id);
  const after: GateSet[] = graph.nodes.map(() => NONE);
  for (let id = graph.nodes.length - 1; id >= 0; id--) {
    const users = consumers[id] as number[];
    if (id === graph.output || users.length === 0) continue;
    let common: GateSet | undefined;
    for (const user of users) {
      const own = gateOf.get(user);
      const needs = own === undefined ? (after[user] as GateSet) : union(after[user] as GateSet, [own]);
      common = common === undefined ? needs : intersection(common, needs);
      if (common.length === 0) break;
    }
    after[id] = common ?? NONE;
  }
  return after;
}

/** The node's layout with each slice's gates: inherited from its inputs, plus `extra`. */
function gatedLayout(
  node: GraphNode,
  layout: ChannelLayout,
  built: readonly ChannelLayout[],
  extra: GateSet,
): ChannelLayout {
  const inputs = node.inputs.map((id) => built[id] ?? []);
  const inherited = inheritedGates(node, layout, inputs);
  // Layouts from placeMasks carry no gates: an ungated node keeps its (possibly shared) array.
  if (extra.length === 0 && inherited.every((g) => g.length === 0)) return layout;
  return layout.map((slice, i) => withGates(slice, union(inherited[i] ?? NONE, extra)));
}

function inheritedGates(node: GraphNode, layout: ChannelLayout, inputs: readonly ChannelLayout[]): GateSet[] {
  const rule = channelRule(node.op);
  const all = allSlices(inputs);
  const first = inputs[0] ?? [];
  if (rule === "stacks" && all.length === layout.length) return all.map(gatesOf);
  if (rule === "joins" && inputs.every((l) => l.length === layout.length)) {
    const combine = node.op === "mul" ? union : intersection;
    return layout.map((_, i) => inputs.map((l) => gatesOf(l[i] as ChannelSlice)).reduce(combine));
  }
  if ((rule === "passes" || rule === "flattens") && first.length === layout.length) return first.map(gatesOf);
  // A producer's new channels, or layouts that do not line up slice by slice: what every input channel needs.
  const common = all.length === 0 ? NONE : all.map(gatesOf).reduce(intersection);
  return layout.map(() => common);
}

function allSlices(layouts: readonly ChannelLayout[]): ChannelSlice[] {
  const all: ChannelSlice[] = [];
  for (const layout of layouts) for (const slice of layout) all.push(slice);
  return all;
}

function gatesOf(slice: ChannelSlice): GateSet {
  return slice.gates ?? NONE;
}

function withGates(slice: ChannelSlice, gates: GateSet): ChannelSlice {
  const { group, size, repeat } = slice;
  return gates.length === 0 ? { group, size, repeat } : { group, size, repeat, gates };
}

/** Sorted union of two sorted sets. */
function union(a: GateSet, b: GateSet): GateSet {
  if (a.length === 0) return b;
  if (b.length === 0) return a;
  return [...new Set([...a, ...b])].sort((x, y) => x - y);
}

function intersection(a: GateSet, b: GateSet): GateSet {
  if (a.length === 0 || b.length === 0) return NONE;
  return a.filter((g) => b.includes(g));
}

/** Each distinct (group, gates) of the layouts, in first-use order. */
function gatedVariables(layouts: readonly ChannelLayout[]): GatedVariable[] {
  const seen = new Set<string>();
  const variables: GatedVariable[] = [];
  for (const layout of layouts) {
    for (const slice of layout) {
      if (!slice.gates) continue;
      const key = gatedKey(slice.group, slice.gates);
      if (seen.has(key)) continue;
      seen.add(key);
      variables.push({ group: slice.group, gates: slice.gates });
    }
  }
  return variables;
}

export function gatedKey(group: number, gates: readonly number[]): string {
  return `${group}:${gates.join(",")}`;
}

/** Variable id of a slice in the cost polynomials: its group, or groups.length + index of its gated size. */
export function variableIds(plan: MaskPlan): (slice: ChannelSlice) => number {
  const ids = new Map<string, number>();
  (plan.gated ?? []).forEach((v, i) => ids.set(gatedKey(v.group, v.gates), plan.groups.length + i));
  return (slice) => (slice.gates ? (ids.get(gatedKey(slice.group, slice.gates)) ?? slice.group) : slice.group);
}
