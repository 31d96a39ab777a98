/**
 * A deliberately simple cost counter that never looks at groups or
 * polynomials: it walks the graph, propagates channel counts op by op and
 * counts weights and multiply-accumulates, the way a textbook would.
 */
import type { Graph, GraphNode } from "../../../compiler/graph.js";
import type { MaskPlan } from "../../../compiler/masks/types.js";
import type { CostConvention, CostOptions } from "../../../compiler/cost/rules.js";
/** The project's one small seeded generator (mulberry32), so runs replay. */
export { seededRandom } from "../../../compiler/sample/random.js";

export interface Count {
  params: number;
  madds: number;
}

/** Producer widths: `undefined` keeps the graph's widths. A convention name means no conv-bias. */
export function countGraph(
  graph: Graph,
  conventions: CostConvention | CostOptions = "torch",
  widths?: ReadonlyMap<number, number>,
): Count {
  const { convention, convBias = false } = typeof conventions === "string" ? { convention: conventions } : conventions;
  const channels: number[] = [];
  const total: Count = { params: 0, madds: 0 };
  const counted = reachesOutputPastOpenGates(graph, widths);
  for (const node of graph.nodes) {
    const cin = channels[node.inputs[0] ?? -1] ?? 0;
    const cout = outputChannels(node, channels, graph, widths);
    channels.push(cout);
    if (!counted[node.id]) continue;
    const pixels = node.shape.height * node.shape.width;
    if (node.op === "conv") {
      const weights = (node.attrs.kernel[0] * node.attrs.kernel[1] * cin * cout) / node.attrs.groups;
      total.params += weights + (node.attrs.bias || convBias ? cout : 0);
      total.madds += weights * pixels;
    } else if (node.op === "dwconv") {
      const weights = node.attrs.kernel[0] * node.attrs.kernel[1] * cout;
      total.params += weights + (node.attrs.bias || convBias ? cout : 0);
      total.madds += weights * pixels;
    } else if (node.op === "dense") {
      total.params += cin * cout + (node.attrs.bias ? cout : 0);
      total.madds += cin * cout;
    } else if (node.op === "bn") {
      total.params += (convention === "keras" ? 4 : 2) * cin;
    } else if (node.op === "layer_norm") {
      total.params += 2 * cin;
    } else if (node.op === "layer_scale") {
      total.params += cin;
    }
  }
  return total;
}

/** An op exists when some path from it to the output passes no closed operator gate (width 0). */
function reachesOutputPastOpenGates(graph: Graph, widths?: ReadonlyMap<number, number>): boolean[] {
  const closed = (node: GraphNode): boolean => node.op === "gate" && widths?.get(node.id) === 0;
  const reaches = graph.nodes.map(() => false);
  reaches[graph.output] = true;
  for (let id = graph.nodes.length - 1; id >= 0; id--) {
    const node = graph.nodes[id] as GraphNode;
    if (!reaches[id] || closed(node)) continue;
    for (const input of node.inputs) reaches[input] = true;
  }
  return reaches.map((reached, id) => reached && !closed(graph.nodes[id] as GraphNode));
}

function outputChannels(
  node: GraphNode,
  channels: readonly number[],
  graph: Graph,
  widths?: ReadonlyMap<number, number>,
): number {
  const first = channels[node.inputs[0] ?? -1] ?? 0;
  switch (node.op) {
    case "input":
      return node.attrs.channels;
    case "conv":
    case "dense":
      return widths?.get(node.id) ?? node.attrs.width;
    case "dwconv":
      return first * node.attrs.multiplier;
    case "gate":
      return widths?.get(node.id) === 0 ? 0 : first;
    case "split":
      return first / node.attrs.parts;
    case "concat":
      return node.inputs.reduce((sum, id) => sum + (channels[id] ?? 0), 0);
    case "flatten": {
      const source = graph.nodes[node.inputs[0] ?? -1];
      return (source?.shape.height ?? 1) * (source?.shape.width ?? 1) * first;
    }
    default:
      return first;
  }
}

/** Producer node widths implied by group widths: each producer has Σ of the widths of its groups' ranges. */
export function producerWidths(plan: MaskPlan, groupWidths: ArrayLike<number>): Map<number, number> {
  const widths = new Map<number, number>();
  for (const group of plan.groups) {
    const width = group.searchable ? (groupWidths[group.id] as number) : group.size;
    for (const range of group.producers) widths.set(range.node, (widths.get(range.node) ?? 0) + width);
    if (group.gate !== undefined) widths.set(group.gate, width);
  }
  return widths;
}
