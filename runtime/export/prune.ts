/**
 * IR + widths → the pruned architecture (DESIGN.md "Export and retraining"):
 * groups at 0 remove their producers; ops left with no input or no consumer
 * are removed, to a fixpoint (a group whose producers are all gone is at 0
 * too); a concat or add left with one input becomes that input. A space whose
 * output is gone is a diagnostic.
 */
import { codeOf } from "../../diagnostics/codes.js";
import { error, type Diagnostic } from "../../diagnostics/diagnostic.js";
import type { SourceRange } from "../../diagnostics/source.js";
import type { Ir, IrNode, IrRange } from "../../compiler/index.js";
import {
  channelRule,
  exportProblem,
  groupNodes,
  isMerge,
  isSource,
  passedWidth,
  resized,
} from "../../compiler/index.js";
import type { EmitNode } from "../emit/layers.js";

/** A surviving node, ids kept from the IR (so tfjs layer names match the supernet's). */
export type PrunedNode = EmitNode & { readonly name: string; readonly fixed: boolean };

export interface PrunedArchitecture {
  readonly space: string;
  readonly nodes: readonly PrunedNode[];
  readonly output: number;
  /** Widths after removal: a group whose producers were all removed is 0. By group id. */
  readonly widths: Int32Array;
  /** IR node ids that survive (concat/add folded into their one input are not among them). */
  readonly kept: ReadonlySet<number>;
}

export interface PruneResult {
  readonly architecture?: PrunedArchitecture;
  readonly diagnostics: readonly Diagnostic[];
}

export function pruneArchitecture(ir: Ir, requested: ArrayLike<number>): PruneResult {
  const widths = Int32Array.from(requested);
  let alive = liveNodes(ir, widths);
  for (let round = 0; round <= ir.groups.length; round++) {
    if (!zeroOrphanGroups(ir, widths, alive)) break;
    alive = liveNodes(ir, widths);
  }
  const output = ir.nodes[ir.output] as IrNode;
  if (!alive[ir.output]) {
    const message =
      `these widths disconnect ${ir.space}: no path from the input to the output '${output.name}' survives ` +
      "(a group on every path is at width 0)";
    return { diagnostics: [error(codeOf("InvalidWidths"), message, sourceRange(output.range))] };
  }
  return build(ir, widths, alive);
}

/** Channels of a node's output at these widths: Σ repeat·w over its layout. */
export function layoutChannels(node: IrNode, widths: ArrayLike<number>): number {
  let total = 0;
  for (const slice of node.layout) {
    const open = slice.gates?.every((gate) => (widths[gate] as number) > 0) ?? true;
    if (open) total += slice.repeat * (widths[slice.group] as number);
  }
  return total;
}

/** Forward: has channels and an input that lives; backward: reaches the output. */
function liveNodes(ir: Ir, widths: ArrayLike<number>): boolean[] {
  const forward = ir.nodes.map(() => false);
  for (const node of ir.nodes) {
    const fed =
      isSource(node.op) ||
      (isMerge(node.op) ? node.inputs.some((i) => forward[i]) : forward[node.inputs[0] ?? -1] === true);
    forward[node.id] = fed && layoutChannels(node, widths) > 0;
  }
  const used = ir.nodes.map(() => false);
  used[ir.output] = forward[ir.output] === true;
  for (let id = ir.nodes.length - 1; id >= 0; id--) {
    if (!used[id]) continue;
    for (const input of (ir.nodes[id] as IrNode).inputs) if (forward[input]) used[input] = true;
  }
  return used;
}

/** Sets to 0 every group none of whose producers lives; true when anything changed. */
function zeroOrphanGroups(ir: Ir, widths: Int32Array, alive: readonly boolean[]): boolean {
  let changed = false;
  for (const group of ir.groups) {
    if (widths[group.id] === 0) continue;
    if (groupNodes(group).some((node) => alive[node])) continue;
    widths[group.id] = 0;
    changed = true;
  }
  return changed;
}

function build(ir: Ir, widths: Int32Array, alive: readonly boolean[]): PruneResult {
  const replacement = new Map<number, number>();
  const resolve = (id: number): number => replacement.get(id) ?? id;
  const nodes: PrunedNode[] = [];
  const channels = new Map<number, number>();
  const diagnostics: Diagnostic[] = [];
  for (const node of ir.nodes) {
    if (!alive[node.id]) continue;
    const inputs = node.inputs.filter((i) => alive[i]).map(resolve);
    if (isMerge(node.op) && inputs.length === 1) {
      replacement.set(node.id, inputs[0] as number);
      continue;
    }
    const pruned = prunedNode(node, inputs, widths);
    const problem = checkChannels(
      ir,
      node,
      pruned,
      inputs.map((i) => channels.get(i) ?? 0),
    );
    if (problem) diagnostics.push(error(codeOf("InvalidWidths"), problem, sourceRange(node.range)));
    channels.set(node.id, pruned.shape.channels);
    nodes.push(pruned);
  }
  if (diagnostics.length > 0) return { diagnostics };
  const kept = new Set(nodes.map((n) => n.id));
  return { architecture: { space: ir.space, nodes, output: resolve(ir.output), widths, kept }, diagnostics: [] };
}

function prunedNode(node: IrNode, inputs: number[], widths: ArrayLike<number>): PrunedNode {
  const own = layoutChannels(node, widths);
  const shape = { ...node.shape, channels: own };
  const base = { id: node.id, name: node.name, fixed: node.fixed, inputs, shape };
  return { ...base, op: node.op, attrs: resized(node, own) } as PrunedNode;
}

/**
 * The pruned graph must count channels as the layouts do, or the cost formula
 * would not be the pruned network's. They differ only when a removed branch
 * shares its group with a surviving one and its channels vanish from a concat:
 * reported, never exported silently wrong.
 */
function checkChannels(ir: Ir, node: IrNode, pruned: PrunedNode, inputChannels: readonly number[]): string | undefined {
  const first = inputChannels[0] ?? 0;
  const structural = structuralChannels(ir, node, inputChannels);
  if (structural !== undefined && structural !== pruned.shape.channels) {
    return (
      `cannot export these widths: '${node.name}' would have ${structural} channels, ` +
      `but its groups add up to ${pruned.shape.channels}`
    );
  }
  if (channelRule(node.op) === "joins" && inputChannels.some((c) => c !== first)) {
    const widths = inputChannels.join(" and ");
    return `cannot export these widths: the inputs of '${node.name}' would have ${widths} channels`;
  }
  const problem = exportProblem(node, first, pruned.shape.channels);
  return problem && `cannot export these widths: '${node.name}' ${problem}`;
}

/** Output channels computed from the pruned inputs; undefined for producers (their width is the layout's). */
function structuralChannels(ir: Ir, node: IrNode, inputChannels: readonly number[]): number | undefined {
  const first = inputChannels[0] ?? 0;
  switch (channelRule(node.op)) {
    case "produces":
      return undefined;
    case "passes":
      return passedWidth(node, first);
    case "flattens": {
      const source = ir.nodes[node.inputs[0] ?? -1];
      return first * (source ? source.shape.height * source.shape.width : 1);
    }
    case "stacks":
      return inputChannels.reduce((a, b) => a + b, 0);
    case "joins":
      return first;
  }
}

function sourceRange(range: IrRange): SourceRange {
  return { file: range.file, start: { ...range.start }, end: { ...range.end } };
}
