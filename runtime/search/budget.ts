/**
 * Budgets: how λ follows a target during search, and the final calibration
 * that makes the exported architecture land on it (docs/search.md).
 *
 * The exported width of a group is ⌊Σπ⌋, so its cost is a step function of
 * ν. During search a multiplicative controller on log λ looks at that
 * exported cost every few steps: above the target it raises λ, below it
 * lowers λ, by a factor e^(gain·gap) with the relative gap clipped to ±1. At
 * the end, if the exported cost is still outside the tolerance, one common
 * shift δ is added to every ν (found by bisection; widths and cost only grow
 * with δ), which keeps the order the search learned within every group and
 * moves the export to the closest cost to the target.
 */
import type { Ir } from "../../compiler/ir/types.js";
import { polynomialCost } from "../export/costs.js";
import { widthsFromPi } from "../export/widths.js";
import type { SearchCost } from "./settings.js";

/** How strongly λ reacts: λ ← λ·exp(GAIN·clip(gap, −1, 1)). */
const GAIN = 0.5;
const LAMBDA_FLOOR = 1e-15;

export function nextLambda(lambda: number, exportedCost: number, reference: number): number {
  const gap = Math.max(-1, Math.min(1, (exportedCost - reference) / reference));
  return Math.max(LAMBDA_FLOOR, lambda * Math.exp(GAIN * gap));
}

/** Share of the run over which the reference glides from the full cost down to the target. */
export const GLIDE = 0.6;

/**
 * What the controller compares the exported cost with at `step`: a line from
 * the full-width cost down to the target over the first 60% of the run, then
 * the target. Chasing the target itself from step 0 winds λ up while ν is
 * still catching up, and the widths then overshoot far below the target.
 */
export function referenceCost(full: number, target: number, step: number, steps: number): number {
  const progress = Math.min(1, step / Math.max(1, GLIDE * steps));
  return full + (target - full) * progress;
}

/**
 * A starting λ when none is given. What moves ν is the cost's gradient per
 * channel, λ·∂E[cost]/∂π_i·π_i(1−π_i), with ∂E/∂π_i about the mean cost of a
 * channel (full cost / mask variables). λ·(that mean) = 0.3 moves ν by about
 * 0.02 a step at the default ν learning rate, a pace the target's controller
 * then adjusts; without a target, a third of that.
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

/** Widths ⌊Σπ⌋ at ν + shift, and their cost by the IR's polynomial. */
export function exportedAt(ir: Ir, nu: ArrayLike<number>, cost: SearchCost, shift = 0): { widths: Int32Array; cost: number } {
  const widths = widthsFromPi(ir, piOf(nu, shift));
  return { widths, cost: polynomialCost(ir, widths)[cost] };
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
export function calibrate(ir: Ir, nu: ArrayLike<number>, cost: SearchCost, target: number, tolerance: number): Calibration {
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
  const best = Math.abs(below.cost - target) <= Math.abs(above.cost - target) ? { shift: low, ...below } : { shift: high, ...above };
  return { ...best, withinTolerance: within(best.cost) };
}
