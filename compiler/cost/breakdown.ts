/** Cost per space / cell / block / op instance, from the node scopes. */
import type { Graph, GraphNode, Scope } from "../graph.js";
import { isPastSafe, smallFraction } from "./exact.js";
import { expandSizes } from "./gated.js";
import type { LinearForm } from "./polynomial.js";
import type { CostSink } from "./rules.js";
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
  /** Present when `params` or `madds` is past 2^53: the exact integers, where every coefficient is one (exact.ts). */
  readonly exact?: { readonly params?: bigint; readonly madds?: bigint };
}

interface RowDraft {
  kind: BreakdownLevel;
  definition: string;
  params: number;
  madds: number;
  nodes: number;
  exact?: { params?: bigint; madds?: bigint };
}

/**
 * Sums node costs at the given widths (by group id) into one row per scope of
 * the level, in order of first appearance. Nodes outside any scope of that
 * level land in their innermost enclosing scope. Each rule adds its terms as
 * values at the widths straight into its row: no polynomial per node.
 */
export function costBreakdown(
  graph: Graph,
  cost: SpaceCost,
  level: BreakdownLevel,
  widths: ArrayLike<number>,
): BreakdownRow[] {
  const rows = new Map<string, RowDraft>();
  const rowOf = rowFinder(level);
  const sizes = expandSizes(cost.gates, (group) => widths[group] as number);
  const values = new FormValues((variable) => sizes[variable] as number);
  const sinks = new Map<RowDraft, { params: CostSink; madds: CostSink }>();
  cost.eachNode((id) => {
    const scope = rowOf((graph.nodes[id] as GraphNode).scopes);
    let row = rows.get(scope.path);
    if (!row)
      rows.set(scope.path, (row = { kind: scope.kind, definition: scope.definition, params: 0, madds: 0, nodes: 0 }));
    row.nodes += 1;
    let sink = sinks.get(row);
    if (!sink) sinks.set(row, (sink = rowSinks(row, values)));
    return sink;
  });
  if ([...rows.values()].some((row) => isPastSafe(row.params) || isPastSafe(row.madds)))
    addExactSums(graph, cost, rows, rowOf, sizes);
  return [...rows].map(([path, row]) => ({ path, ...row }));
}

/** Sinks that add a rule's terms, valued at the widths, to a row's params and madds. */
function rowSinks(row: RowDraft, values: FormValues): { params: CostSink; madds: CostSink } {
  const sink = (add: (value: number) => void): CostSink => ({
    product: (left, right, coefficient, post = 1) => add(post * (coefficient * values.of(left) * values.of(right))),
    form: (form, coefficient, post = 1) => add(post * (coefficient * values.of(form))),
  });
  return { params: sink((v) => (row.params += v)), madds: sink((v) => (row.madds += v)) };
}

/** A channel form's value at the widths; forms are shared by the layouts that pass channels through. */
class FormValues {
  private readonly cache = new WeakMap<LinearForm, number>();

  constructor(private readonly size: (group: number) => number) {}

  of(form: LinearForm): number {
    let value = this.cache.get(form);
    if (value === undefined) {
      value = form.constant;
      for (const [group, coefficient] of form.terms) value += coefficient * this.size(group);
      this.cache.set(form, value);
    }
    return value;
  }
}

/**
 * A second pass, only when some row is past 2^53: its terms summed again as
 * bigints. A grouped conv's k²/G is summed as a fraction, exact when the
 * term divides (it does when the group's masks are shared, as placement
 * makes them); any other fractional coefficient makes the row's sum inexact.
 */
function addExactSums(
  graph: Graph,
  cost: SpaceCost,
  rows: Map<string, RowDraft>,
  rowOf: RowFinder,
  widths: ArrayLike<number>,
): void {
  const sums = new Map<string, { params: bigint | undefined; madds: bigint | undefined }>();
  for (const [path, row] of rows)
    if (isPastSafe(row.params) || isPastSafe(row.madds)) sums.set(path, { params: 0n, madds: 0n });
  const exact = (form: LinearForm): bigint => {
    let value = BigInt(form.constant);
    for (const [group, coefficient] of form.terms) value += BigInt(coefficient) * BigInt(widths[group] as number);
    return value;
  };
  const ignore: CostSink = { product: () => undefined, form: () => undefined };
  cost.eachNode((id) => {
    const sum = sums.get(rowOf((graph.nodes[id] as GraphNode).scopes).path);
    if (!sum) return { params: ignore, madds: ignore };
    const sink = (key: "params" | "madds"): CostSink => {
      const add = (coefficient: number, post: number, value: () => bigint): void => {
        const current = sum[key];
        const fraction = smallFraction(coefficient);
        if (current === undefined || !fraction || !Number.isSafeInteger(post)) return void (sum[key] = undefined);
        const scaled = BigInt(post) * fraction.n * value();
        sum[key] = scaled % fraction.d === 0n ? current + scaled / fraction.d : undefined;
      };
      return {
        product: (l, r, c, post = 1) => add(c, post, () => exact(l) * exact(r)),
        form: (f, c, post = 1) => add(c, post, () => exact(f)),
      };
    };
    return { params: sink("params"), madds: sink("madds") };
  });
  for (const [path, sum] of sums) {
    const row = rows.get(path) as RowDraft;
    const found: { params?: bigint; madds?: bigint } = {};
    if (isPastSafe(row.params) && sum.params !== undefined) found.params = sum.params;
    if (isPastSafe(row.madds) && sum.madds !== undefined) found.madds = sum.madds;
    row.exact = found;
  }
}

type RowFinder = (scopes: readonly Scope[]) => { path: string; kind: BreakdownLevel; definition: string };

/** Nodes of one instance share their scopes array: each array's row is worked out once. */
function rowFinder(level: BreakdownLevel): RowFinder {
  const cache = new Map<readonly Scope[], { path: string; kind: BreakdownLevel; definition: string }>();
  return (scopes) => {
    let found = cache.get(scopes);
    if (!found) {
      const scope = rowScope(scopes, level);
      found = {
        path: scopes
          .slice(0, scope.index + 1)
          .map((s) => s.name)
          .join("/"),
        kind: scope.kind,
        definition: scope.definition,
      };
      cache.set(scopes, found);
    }
    return found;
  };
}

function rowScope(
  scopes: readonly Scope[],
  level: BreakdownLevel,
): { index: number; kind: BreakdownLevel; definition: string } {
  let index = scopes.findIndex((s) => s.kind === level);
  if (index < 0) index = scopes.length - 1;
  const scope = scopes[index];
  return { index, kind: scope?.kind ?? "space", definition: scope?.definition ?? "" };
}
