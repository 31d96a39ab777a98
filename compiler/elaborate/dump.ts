/**
 * A compact, readable dump of a Graph, one line per node:
 * `%3 stem = conv(k: 3, stride: 2, padding: same, width: 64) <- %2 : 16x16x64 fixed`.
 * Default-valued attributes are left out so lines stay short; used by golden tests and `figs graph`.
 */
import type { Graph, GraphNode, Pair } from "../graph.js";
import { formatShape } from "../shapes/index.js";

const DEFAULTS: Readonly<Record<string, string>> = { stride: "1", padding: "same", groups: "1", multiplier: "1" };

export function formatGraph(graph: Graph): string {
  const parameters = Object.entries(graph.parameters).map(([name, value]) => `${name} = ${JSON.stringify(value)}`);
  const lines = [`space ${graph.space}(${parameters.join(", ")})`];
  for (const node of graph.nodes) lines.push(formatNode(node));
  lines.push(`output %${graph.output}`);
  return lines.join("\n") + "\n";
}

export function formatNode(node: GraphNode): string {
  const attrs = formatAttrs(node);
  const inputs = node.inputs.length > 0 ? ` <- ${node.inputs.map((i) => `%${i}`).join(", ")}` : "";
  return `%${node.id} ${node.name} = ${node.op}${attrs ? `(${attrs})` : ""}${inputs} : ${formatShape(node.shape)}${node.fixed ? " fixed" : ""}`;
}

function formatAttrs(node: GraphNode): string {
  const shown: string[] = [];
  for (const [key, value] of Object.entries(node.attrs as Record<string, unknown>)) {
    const text = formatValue(value);
    if (DEFAULTS[key] === text || (key === "bias" && value === (node.op === "dense"))) continue;
    shown.push(`${key === "kernel" ? "k" : key}: ${text}`);
  }
  return shown.join(", ");
}

function formatValue(value: unknown): string {
  if (Array.isArray(value)) {
    const pair = value as unknown as Pair;
    return pair[0] === pair[1] ? `${pair[0]}` : `${pair[0]}x${pair[1]}`;
  }
  return String(value);
}
