/** Cost per space / cell / block / op instance, from the node scopes. */
import type { Graph, GraphNode, Scope } from "../graph.js";
import type { SpaceCost } from "./space-cost.js";

export type BreakdownLevel = Scope["kind"];
export const BREAKDOWN_LEVELS: readonly BreakdownLevel[] = ["space", "cell", "block", "op"];

export interface BreakdownRow {
  /** Scope path down to the first scope of the level, e.g. `one_shot/choice_3`. */
  readonly path: string;
  /** The kind of the row's last scope: the level itself, or an enclosing scope for nodes outside any. */
  readonly kind: BreakdownLevel;
  readonly definition: string;
  readonly params: number;
  readonly madds: number;
  readonly nodes: number;
}

/**
 * Sums node costs at the given widths (by group id) into one row per scope of
 * the level, in order of first appearance. Nodes outside any scope of that
 * level land in their innermost enclosing scope.
 */
export function costBreakdown(graph: Graph, cost: SpaceCost, level: BreakdownLevel, widths: ArrayLike<number>): BreakdownRow[] {
  const rows = new Map<string, { kind: BreakdownLevel; definition: string; params: number; madds: number; nodes: number }>();
  const size = (group: number): number => widths[group] as number;
  for (const [id, nodeCost] of cost.nodeCosts()) {
    const node = graph.nodes[id] as GraphNode;
    const scope = rowScope(node.scopes, level);
    const path = node.scopes.slice(0, scope.index + 1).map((s) => s.name).join("/");
    const row = rows.get(path) ?? { kind: scope.kind, definition: scope.definition, params: 0, madds: 0, nodes: 0 };
    row.params += nodeCost.params.evaluate(size);
    row.madds += nodeCost.madds.evaluate(size);
    row.nodes += 1;
    rows.set(path, row);
  }
  return [...rows].map(([path, row]) => ({ path, ...row }));
}

function rowScope(scopes: readonly Scope[], level: BreakdownLevel): { index: number; kind: BreakdownLevel; definition: string } {
  let index = scopes.findIndex((s) => s.kind === level);
  if (index < 0) index = scopes.length - 1;
  const scope = scopes[index];
  return { index, kind: scope?.kind ?? "space", definition: scope?.definition ?? "" };
}
