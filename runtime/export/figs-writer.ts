/**
 * The pruned architecture as a concrete `.figs` file: one `space` without
 * parameters, one `let` per surviving op with literal widths, in the IR's
 * topological order, each line commented with the op's name in the search
 * space. Compiled again, it has exactly the exported cost (tests check it).
 */
import type { OpKind } from "../../compiler/graph.js";
import type { Ir } from "../../compiler/ir/types.js";
import type { EmitNodeOf } from "../emit/layers.js";
import type { PrunedArchitecture, PrunedNode } from "./prune.js";

type Call<K extends OpKind> = (node: EmitNodeOf<K>) => string;

const pair = (p: readonly [number, number]): string => `[${p[0]}, ${p[1]}]`;
const quoted = (text: string): string => JSON.stringify(text);

/** A float the grammar reads back exactly: JS's shortest round-trip form is valid .figs (`0.25`, `1e-7`). */
function numberLiteral(value: number): string {
  return String(value);
}

const bare =
  <K extends OpKind>(name: string): Call<K> =>
  () =>
    name;

/** The step that creates each op (applied to its input), by op kind; merges are written apart. */
const STEPS: { readonly [K in OpKind]: Call<K> } = {
  input: (n) => `input(${n.attrs.height}, ${n.attrs.width}, ${n.attrs.channels})`,
  conv: (n) => {
    const a = n.attrs;
    return `conv(${pair(a.kernel)}, ${a.width}, stride: ${pair(a.stride)}, padding: ${quoted(a.padding)}, groups: ${a.groups}, bias: ${a.bias})`;
  },
  dwconv: (n) => {
    const a = n.attrs;
    return `dwconv(${pair(a.kernel)}, stride: ${pair(a.stride)}, padding: ${quoted(a.padding)}, multiplier: ${a.multiplier}, bias: ${a.bias})`;
  },
  dense: (n) => `dense(${n.attrs.width}, bias: ${n.attrs.bias})`,
  bn: bare("bn"),
  relu: bare("relu"),
  relu6: bare("relu6"),
  sigmoid: bare("sigmoid"),
  swish: bare("swish"),
  maxpool: (n) =>
    `maxpool(${pair(n.attrs.kernel)}, stride: ${pair(n.attrs.stride)}, padding: ${quoted(n.attrs.padding)})`,
  avgpool: (n) =>
    `avgpool(${pair(n.attrs.kernel)}, stride: ${pair(n.attrs.stride)}, padding: ${quoted(n.attrs.padding)})`,
  global_avgpool: bare("global_avgpool"),
  flatten: bare("flatten"),
  dropout: (n) => `dropout(${numberLiteral(n.attrs.rate)})`,
  identity: bare("identity"),
  concat: bare("identity"),
  add: bare("identity"),
};

function variable(id: number): string {
  return `n${id}`;
}

function step<K extends OpKind>(node: EmitNodeOf<K>): string {
  return (STEPS[node.op] as Call<K>)(node);
}

/** The right-hand side of a node's `let`. */
function expression(node: PrunedNode): string {
  const inputs = node.inputs.map(variable);
  if (node.op === "concat" || node.op === "add") return `${node.op}([${inputs.join(", ")}])`;
  if (node.op === "input") return step(node);
  const marked = (node.op === "conv" || node.op === "dense") && node.fixed ? " fixed" : "";
  return `${inputs[0] ?? "input"} -> ${step(node)}${marked}`;
}

/** One-line comments must not run into the next line. */
function commentText(text: string): string {
  return text.replace(/[\r\n]+/g, " ");
}

export function writePrunedFigs(
  ir: Ir,
  architecture: PrunedArchitecture,
  sourcePath: string,
  sourceSha256: string,
): string {
  const lines = [
    `# The architecture exported from space '${commentText(ir.space)}' of ${commentText(sourcePath)}`,
    `# (sha256 ${sourceSha256}), with the searched widths written as literals and the removed ops gone.`,
    `# Written by figs export: compile it to get the architecture's exact cost.`,
    `space ${ir.space}() {`,
  ];
  for (const node of architecture.nodes) {
    lines.push(`  let ${variable(node.id)} = ${expression(node)}  # ${commentText(node.name)}`);
  }
  lines.push(`  ${variable(architecture.output)}`, "}", "");
  return lines.join("\n");
}
