/**
 * Dead tensors: nodes whose output reaches no output of the space (`let
 * unused = conv(1, 4)`). Export could never contain them, so they are
 * dropped here, before masks and costs, and the formula always equals the
 * cost of what is exported. Each chain of dead nodes is reported once, as a
 * warning at its last node.
 */
import { codeOf } from "../../diagnostics/codes.js";
import { warning } from "../../diagnostics/diagnostic.js";
import type { Graph, GraphNode } from "../graph.js";
import type { Reporter } from "./reporter.js";

/** The graph without the nodes that do not reach its output; ids are renumbered and stay indexes. */
export function dropDeadTensors(graph: Graph, reporter: Reporter): Graph {
  const live = liveNodes(graph);
  if (live.every(Boolean)) return graph;
  reportDeadEnds(graph, live, reporter);
  const renumbered = new Int32Array(graph.nodes.length).fill(-1);
  const nodes: GraphNode[] = [];
  for (const node of graph.nodes) {
    if (!live[node.id]) continue;
    renumbered[node.id] = nodes.length;
    const inputs = node.inputs.map((input) => renumbered[input]!);
    nodes.push({ ...node, id: nodes.length, inputs });
  }
  return { ...graph, nodes, output: renumbered[graph.output]! };
}

/** Whether each node reaches the output; the image input is always kept. */
function liveNodes(graph: Graph): boolean[] {
  const live = graph.nodes.map((node) => node.op === "input");
  live[graph.output] = true;
  for (let id = graph.output; id >= 0; id--) {
    if (!live[id]) continue;
    for (const input of graph.nodes[id]!.inputs) live[input] = true;
  }
  return live;
}

/** A warning at each dead node that no node consumes: the end of a dead chain. */
function reportDeadEnds(graph: Graph, live: readonly boolean[], reporter: Reporter): void {
  const consumed = new Uint8Array(graph.nodes.length);
  for (const node of graph.nodes) for (const input of node.inputs) consumed[input] = 1;
  for (const node of graph.nodes) {
    if (live[node.id] || consumed[node.id] || reporter.full) continue;
    const message =
      `this ${node.op} reaches no output of space '${graph.space}': ` +
      `it is dropped with what only it uses, costs nothing and is not exported`;
    reporter.report(warning(codeOf("DeadTensor"), message, node.range));
  }
}
