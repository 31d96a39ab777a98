/**
 * A compact, readable dump of a Graph, one line per node:
 * `%3 stem = conv(k: 3, stride: 2, padding: same, width: 64) <- %2 : 16x16x64 fixed`.
 * Default-valued attributes are left out so lines stay short (the ops' printer,
 * compiler/ops/print.ts); used by golden tests and `figs graph`.
 */
import type { Graph, GraphNode } from "../graph.js";
import { dumpAttributes } from "../ops/print.js";
import { formatShape } from "../shapes/index.js";

export function formatGraph(graph: Graph): string {
  const parameters = Object.entries(graph.parameters).map(([name, value]) => `${name} = ${JSON.stringify(value)}`);
  const lines = [`space ${graph.space}(${parameters.join(", ")})`];
  for (const node of graph.nodes) lines.push(formatNode(node));
  lines.push(`output %${graph.output}`);
  return lines.join("\n") + "\n";
}

export function formatNode(node: GraphNode): string {
  const attrs = dumpAttributes(node);
  const inputs = node.inputs.length > 0 ? ` <- ${node.inputs.map((i) => `%${i}`).join(", ")}` : "";
  const shape = `${formatShape(node.shape)}${node.fixed ? " fixed" : ""}`;
  return `%${node.id} ${node.name} = ${node.op}${attrs ? `(${attrs})` : ""}${inputs} : ${shape}`;
}
