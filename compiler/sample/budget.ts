/**
 * Baselines at a budget (issue 14): the width multiplier whose export is
 * closest to a cost, and random sub-architectures that land within a
 * tolerance of it. Costs are the exported architecture's: the IR's
 * polynomial at the widths after removal, which is what export counts.
 *
 * A random draw at a budget keeps its random structure (which operators are
 * dropped, each group's width fraction) and scales it as a whole: the cost
 * only grows with the scale s (every kept group at max(1, round(min(1, s·f)·size))),
 * so a bisection finds the s closest to the target. A draw that cannot come
 * within the tolerance (too costly even at one channel a group, too cheap at
 * full width, or a step in cost larger than the tolerance) is drawn again.
 */
import { CostModel, type CostMetric } from "../cost/model.js";
import { irContents } from "../ir/build.js";
import type { Ir } from "../ir/types.js";
import type { Random } from "./random.js";
import type { ArchitectureSampler, SampledArchitecture } from "./sampler.js";

export interface Budget {
  readonly metric: Exclude<CostMetric, "flops">;
  readonly target: number;
  /** Relative: 0.05 is ±5%. */
  readonly tolerance: number;
}

const BISECTION_STEPS = 50;

/** The exported cost of widths (after removal), in the IR's convention. */
export function exportedCostOf(ir: Ir): (widths: ArrayLike<number>, metric: Budget["metric"]) => number {
  const { plan, cost } = irContents(ir);
  const model = new CostModel(plan.groups, cost);
  return (widths, metric) => model.atWidths(widths)[metric];
}

export function withinBudget(budget: Budget, cost: number): boolean {
  return Math.abs(cost - budget.target) <= budget.tolerance * budget.target;
}

/**
 * The scale in [low, high] whose cost is closest to the target, for a cost that only grows with the scale:
 * bisection for the last scale at or under the target, then the better of it and the first one over.
 */
export function closestScale(
  costAt: (scale: number) => number | undefined,
  target: number,
  low: number,
  high: number,
): { scale: number; cost: number } | undefined {
  let under = low;
  let over = high;
  for (let i = 0; i < BISECTION_STEPS; i++) {
    const middle = (under + over) / 2;
    const cost = costAt(middle);
    if (cost !== undefined && cost <= target) under = middle;
    else over = middle;
  }
  const candidates = [under, over]
    .map((scale) => ({ scale, cost: costAt(scale) }))
    .filter((c): c is { scale: number; cost: number } => c.cost !== undefined);
  candidates.sort((a, b) => Math.abs(a.cost - target) - Math.abs(b.cost - target));
  return candidates[0];
}

/** Smallest multiplier the bisection tries: below it every group is at one channel anyway. */
const MIN_MULTIPLIER = 1e-6;

/** The width multiplier in (0, 1] whose export is closest to the budget (the cost grows with it). */
export function multiplierForBudget(
  ir: Ir,
  sampler: ArchitectureSampler,
  budget: Budget,
): { multiplier: number; widths: Int32Array; cost: number; within: boolean } {
  const costOf = exportedCostOf(ir);
  const widths = new Int32Array(ir.groups.length);
  const costAt = (w: number): number => costOf(sampler.scaled(w, widths), budget.metric);
  const best = closestScale(costAt, budget.target, MIN_MULTIPLIER, 1) as { scale: number; cost: number };
  // The shortest multiplier with those widths (a bisection lands on the edge of their interval of W).
  const chosen = sampler.scaled(best.scale, new Int32Array(ir.groups.length));
  const multiplier = shortestEquivalent(best.scale, (w) => sameWidths(sampler.scaled(w, widths), chosen));
  return { multiplier, widths: chosen, cost: best.cost, within: withinBudget(budget, best.cost) };
}

/** The number with the fewest decimals, at or just above `value`, that `same` accepts; `value` when none. */
function shortestEquivalent(value: number, same: (candidate: number) => boolean): number {
  for (let digits = 1; digits <= 8; digits++) {
    const scale = 10 ** digits;
    for (const candidate of [Math.round(value * scale) / scale, Math.ceil(value * scale) / scale]) {
      if (candidate > 0 && candidate <= 1 && same(candidate)) return candidate;
    }
  }
  return value;
}

function sameWidths(a: Int32Array, b: Int32Array): boolean {
  return a.every((w, i) => w === b[i]);
}

export interface BudgetedSample extends SampledArchitecture {
  readonly scale: number;
  readonly cost: number;
  /** Structures drawn for this sample (1 when the first landed). */
  readonly draws: number;
}

/** A random architecture within the budget, or undefined after `maxDraws` structures that could not land. */
export function sampleWithinBudget(
  sampler: ArchitectureSampler,
  random: Random,
  budget: Budget,
  costOf: (widths: ArrayLike<number>, metric: Budget["metric"]) => number,
  maxDraws: number,
): BudgetedSample | undefined {
  const scratch = new Int32Array(sampler.groupCount);
  const costAt = (scale: number): number | undefined =>
    sampler.widthsAt(scale, scratch) ? costOf(scratch, budget.metric) : undefined;
  for (let draw = 1; draw <= maxDraws; draw++) {
    sampler.drawStructure(random);
    // Connectivity and exportability do not depend on the scale (a kept group keeps ≥ 1 channel): a draw
    // that fails either is drawn again, checked once.
    if (costAt(1) === undefined || !sampler.exportable(scratch)) continue;
    const best = closestScale(costAt, budget.target, 0, sampler.fullScale());
    if (!best || !withinBudget(budget, best.cost)) continue;
    const into = new Int32Array(sampler.groupCount);
    sampler.widthsAt(best.scale, into);
    return { ...sampler.described(into), scale: best.scale, cost: best.cost, draws: draw };
  }
  return undefined;
}
