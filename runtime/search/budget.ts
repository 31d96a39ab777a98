/**
 * Budgets: how λ follows a target during search, and the final calibration
 * that makes the exported architecture land on it (docs/search.md "Budgets").
 *
 * The exported width of a group is ⌊Σπ⌋, so its cost is a step function of
 * ν, and the cost's gradient can only lower ν: an architecture that falls
 * below the target does not come back (the cross-entropy's gradient on ν is
 * nearly zero at τ = 0.001). So the controller steers the descent: every few
 * steps it sets λ so that, by a first-order model of the ν optimiser, the
 * exported cost closes its gap to a glide path over the next HORIZON steps,
 * and λ = 0 (hold) once the export is within tolerance. At the end, if the
 * exported cost is still outside the tolerance, one common shift δ is added
 * to every ν (found by bisection; widths and cost only grow with δ), which
 * keeps the order the search learned within every group and moves the export
 * to the closest cost to the target.
 */
import type { Ir } from "../../compiler/index.js";
import { architectureCosts, polynomialCost } from "../export/costs.js";
import { pruneArchitecture } from "../export/prune.js";
import { widthsFromPi } from "../export/widths.js";
import { learningRateAt, stepDecay } from "../train/schedule.js";
import { costSlope } from "./budget-slope.js";
import type { SearchCost, SearchSettings } from "./settings.js";

/** Share of the run over which the reference glides from the full cost down to the target. */
export const GLIDE = 0.6;

/**
 * Steps over which λ asks the export to close its gap to the glide path. It
 * must be longer than the lag of the ν optimiser (Adam's momentum carries a
 * step on for about 10 steps): the controller then slows the descent before
 * the target instead of after it.
 */
export const HORIZON = 25;

/**
 * The largest cost gradient on one ν that λ may produce. ν's Adam has ε = 1,
 * so below about 1 an update is lr·gradient, the model the controller
 * assumes; far above it Adam would move ν at the full learning rate and fill
 * its second moment, which slows every later update.
 */
const GRADIENT_CAP = 0.5;

/**
 * What the controller compares the exported cost with at `step`: a line from
 * the full-width cost down to the target over the first 60% of the run, then
 * the target. Chasing the target itself from step 0 asks for the whole
 * descent at once, and a descent that fast cannot stop on the target.
 */
export function referenceCost(full: number, target: number, step: number, steps: number): number {
  const progress = Math.min(1, step / Math.max(1, GLIDE * steps));
  return full + (target - full) * progress;
}

/**
 * λ for the next steps of a search with a target, from ν alone (so a resumed
 * run recomputes it exactly): 0 when the export is within tolerance of the
 * target or ahead of the glide path; otherwise the λ whose predicted descent,
 * λ·lr·Σ(∂E/∂ν)² per step, closes the gap to where the glide path will be in
 * HORIZON steps, over those steps. The model ignores Adam's momentum and
 * normalisation and the cross-entropy's pull, so it is re-evaluated every few
 * steps; being a proportional controller on an integrating plant, it slows
 * down as the gap closes rather than overshooting.
 */
export function targetLambda(ir: Ir, nu: ArrayLike<number>, settings: SearchSettings, step: number): number {
  const target = settings.target;
  if (target === null) return settings.lambda ?? defaultLambda(ir, settings.cost, null);
  const exported = exportedAt(ir, nu, settings.cost).cost;
  if (exported <= target * (1 + settings.tolerance)) return 0;
  const aim = referenceCost(ir.costs.full[settings.cost], target, step + HORIZON, settings.steps);
  if (exported <= aim) return 0;
  const slope = costSlope(ir, settings.cost, nu);
  if (slope.squaredNorm === 0) return 0;
  const learningRate = learningRateAt(stepDecay(settings.archLearningRate, settings.steps), step);
  const lambda = (exported - aim) / (HORIZON * learningRate * slope.squaredNorm);
  return Math.min(lambda, GRADIENT_CAP / slope.largest);
}

/**
 * A starting λ when none is given. What moves ν is the cost's gradient per
 * channel, λ·∂E[cost]/∂π_i·π_i(1−π_i), with ∂E/∂π_i about the mean cost of a
 * channel (full cost / mask variables). λ·(that mean) = 0.3 moves ν by about
 * 0.02 a step at the default ν learning rate; without a target, a third of
 * that. With a target it lasts only until the controller's first look.
 */
export function defaultLambda(ir: Ir, cost: SearchCost, target: number | null): number {
  const meanChannelCost = Math.max(1, ir.costs.full[cost]) / Math.max(1, ir.maskVariables);
  return (target === null ? 0.1 : 0.3) / meanChannelCost;
}

export function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

export function piOf(nu: ArrayLike<number>, shift = 0): Float64Array {
  return Float64Array.from({ length: nu.length }, (_, i) => sigmoid((nu[i] as number) + shift));
}

/** Widths ⌊Σπ⌋ at ν + shift, and the cost of what export writes at them. */
export function exportedAt(
  ir: Ir,
  nu: ArrayLike<number>,
  cost: SearchCost,
  shift = 0,
): { widths: Int32Array; cost: number } {
  const widths = widthsFromPi(ir, piOf(nu, shift));
  return { widths, cost: exportedCost(ir, widths)[cost] };
}

/**
 * The pruned graph's cost in the IR's convention (architectureCosts): the
 * polynomial's, except where export removes more than the formula can say —
 * every gate of a block closed kills what fed only that block (docs/costs.md,
 * the inexact case), 8% of a One-Shot search's params at 50k.
 */
function exportedCost(ir: Ir, widths: Int32Array): { params: number; madds: number } {
  const pruned = pruneArchitecture(ir, widths);
  if (pruned.architecture === undefined) return polynomialCost(ir, widths);
  const { convention, convBias } = ir.costs;
  return architectureCosts(ir, pruned.architecture, convBias === true ? { convBias } : {})[convention];
}

export interface Calibration {
  readonly shift: number;
  readonly widths: Int32Array;
  readonly cost: number;
  readonly withinTolerance: boolean;
}

const SHIFT_RANGE = 40;
const BISECTION_STEPS = 60;

/** δ = 0 when the export already lands within tolerance; otherwise the δ whose export is closest to the target. */
export function calibrate(
  ir: Ir,
  nu: ArrayLike<number>,
  cost: SearchCost,
  target: number,
  tolerance: number,
): Calibration {
  const within = (value: number): boolean => Math.abs(value - target) <= tolerance * target;
  const unshifted = exportedAt(ir, nu, cost);
  if (within(unshifted.cost)) return { shift: 0, ...unshifted, withinTolerance: true };
  // Invariant: cost(low) ≤ target < cost(high), as far as the range allows.
  let low = -SHIFT_RANGE;
  let high = SHIFT_RANGE;
  for (let i = 0; i < BISECTION_STEPS; i++) {
    const middle = (low + high) / 2;
    if (exportedAt(ir, nu, cost, middle).cost <= target) low = middle;
    else high = middle;
  }
  const below = exportedAt(ir, nu, cost, low);
  const above = exportedAt(ir, nu, cost, high);
  const best =
    Math.abs(below.cost - target) <= Math.abs(above.cost - target)
      ? { shift: low, ...below }
      : { shift: high, ...above };
  return { ...best, withinTolerance: within(best.cost) };
}
