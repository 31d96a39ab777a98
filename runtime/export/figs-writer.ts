/**
 * The pruned architecture as a concrete `.figs` file: one `space` without
 * parameters, one `let` per surviving op with literal widths, in the IR's
 * topological order, each line commented with the op's name in the search
 * space. Compiled again, it has exactly the exported cost (tests check it).
 */
import type { Ir } from "../../compiler/index.js";
import { figsCall, isMaskable, isMerge, isSource } from "../../compiler/index.js";
import type { PrunedArchitecture, PrunedNode } from "./prune.js";

function variable(id: number): string {
  return `n${id}`;
}

/** The right-hand side of a node's `let`: the op's call from its spec's printer, applied to its input. */
function expression(node: PrunedNode): string {
  const inputs = node.inputs.map(variable);
  if (isMerge(node.op)) return `${node.op}([${inputs.join(", ")}])`;
  if (isSource(node.op)) return figsCall(node);
  const marked = isMaskable(node.op) && node.fixed ? " fixed" : "";
  return `${inputs[0] ?? "input"} -> ${figsCall(node)}${marked}`;
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
  // An open operator gate is the identity once exported: its readers read what it gates.
  const alias = new Map<number, number>();
  const resolve = (id: number): number => alias.get(id) ?? id;
  for (const node of architecture.nodes) {
    const inputs = node.inputs.map(resolve);
    if (node.op === "gate" && inputs.length === 1) {
      alias.set(node.id, inputs[0] as number);
      continue;
    }
    lines.push(`  let ${variable(node.id)} = ${expression({ ...node, inputs })}  # ${commentText(node.name)}`);
  }
  lines.push(`  ${variable(resolve(architecture.output))}`, "}", "");
  return lines.join("\n");
}
