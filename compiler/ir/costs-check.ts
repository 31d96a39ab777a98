/**
 * What an IR says it costs must be what its graph costs: the polynomials,
 * full-width totals and π layout are recomputed from the nodes and groups with
 * the IR's own conventions and compared. A stale or hand-edited file is then a
 * diagnostic, not a regulariser or a report that silently disagrees with the
 * network it describes.
 */
import { CostModel } from "../cost/model.js";
import { formatNumber } from "../cost/format.js";
import { Polynomial, unpairKey, type PolynomialJson } from "../cost/polynomial.js";
import { costOfSpace } from "../cost/space-cost.js";
import { irContents, irCostOptions } from "./build.js";
import type { Ir } from "./types.js";
import type { Graph } from "../graph.js";
import type { MaskPlan } from "../masks/types.js";
import type { SpaceCost } from "../cost/space-cost.js";

/** Relative: stored numbers went through JSON, and another writer may have summed in another order. */
const TOLERANCE = 1e-9;

/** Problems in reading order (π layout, polynomials, totals), at most 10; [] when the costs agree. */
export function checkIrCosts(ir: Ir): string[] {
  return checkedIrCosts(ir).problems;
}

/**
 * The IR's graph, masks and costs as recomputed with its own conventions: what a reader can use instead of
 * recomputing them again.
 */
export interface RecomputedIr {
  readonly graph: Graph;
  readonly plan: MaskPlan;
  readonly cost: SpaceCost;
}

/** checkIrCosts, and what it recomputed. */
export function checkedIrCosts(ir: Ir): { readonly problems: string[]; readonly recomputed: RecomputedIr } {
  const { graph, plan } = irContents(ir);
  const cost = costOfSpace(graph, plan, irCostOptions(ir));
  const model = new CostModel(plan.groups, cost);
  const problems: string[] = [];
  ir.groups.forEach((group, id) => {
    const offset = model.pi.offsets[id] ?? -1;
    if (group.offset !== offset)
      problems.push(`/groups/${id}/offset is ${group.offset}, but its place in π is ${offset}`);
  });
  if (ir.maskVariables !== model.pi.length)
    problems.push(`/maskVariables is ${ir.maskVariables}, but the groups have ${model.pi.length} masks`);
  const symbol = (g: number): string => `S[${ir.groups[g]?.name ?? `g${g}`}]`;
  problems.push(...polynomialDifferences("params", ir.costs.params, cost.params, symbol));
  problems.push(...polynomialDifferences("madds", ir.costs.madds, cost.madds, symbol));
  const full = model.fullWidth();
  for (const metric of ["params", "madds", "flops"] as const) {
    const stored = ir.costs.full[metric];
    if (!close(stored, full[metric]))
      problems.push(`/costs/full/${metric} is ${shown(stored)}, but the graph gives ${shown(full[metric])}`);
  }
  return { problems: problems.slice(0, 10), recomputed: { graph, plan, cost } };
}

/** Term by term: the constant, then S_g, then S_a·S_b, each named as `figs cost --formula` prints it. */
function polynomialDifferences(
  metric: string,
  storedJson: PolynomialJson,
  actual: Polynomial,
  symbol: (g: number) => string,
): string[] {
  // Most IRs agree: compare the sorted terms side by side first; build maps for messages only when they do not.
  if (agrees(storedJson, actual.toJson())) return [];
  const stored = Polynomial.fromJson(storedJson);
  const where = `/costs/${metric}`;
  const problems: string[] = [];
  const compare = (what: string, storedValue: number, actualValue: number): void => {
    if (!close(storedValue, actualValue))
      problems.push(`${where}: ${what} is ${shown(storedValue)}, but the graph gives ${shown(actualValue)}`);
  };
  compare("the constant", stored.constant, actual.constant);
  for (const g of unionOfKeys(stored.linear, actual.linear)) {
    compare(`the coefficient of ${symbol(g)}`, stored.linear.get(g) ?? 0, actual.linear.get(g) ?? 0);
  }
  for (const key of unionOfKeys(stored.bilinear, actual.bilinear)) {
    const [a, b] = unpairKey(key);
    const product = a === b ? `${symbol(a)}²` : `${symbol(a)}·${symbol(b)}`;
    compare(`the coefficient of ${product}`, stored.bilinear.get(key) ?? 0, actual.bilinear.get(key) ?? 0);
  }
  return problems;
}

/** Same terms in the same (sorted) order, each value close: JSON terms are sorted by group ids. */
function agrees(stored: PolynomialJson, actual: PolynomialJson): boolean {
  if (
    !close(stored.constant, actual.constant) ||
    stored.linear.length !== actual.linear.length ||
    stored.bilinear.length !== actual.bilinear.length
  )
    return false;
  for (let k = 0; k < stored.linear.length; k++) {
    const [g, c] = stored.linear[k]!;
    const [h, d] = actual.linear[k]!;
    if (g !== h || !close(c, d)) return false;
  }
  for (let k = 0; k < stored.bilinear.length; k++) {
    const [a, b, c] = stored.bilinear[k]!;
    const [x, y, d] = actual.bilinear[k]!;
    if (a !== x || b !== y || !close(c, d)) return false;
  }
  return true;
}

function unionOfKeys(a: ReadonlyMap<number, number>, b: ReadonlyMap<number, number>): number[] {
  return [...new Set([...a.keys(), ...b.keys()])].sort((x, y) => x - y);
}

function close(stored: number, actual: number): boolean {
  return Math.abs(stored - actual) <= TOLERANCE * Math.max(1, Math.abs(actual));
}

function shown(value: number): string {
  return Number.isInteger(value) ? formatNumber(value) : String(value);
}
