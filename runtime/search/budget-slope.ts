/**
 * How fast the search can lower the cost: the gradient of E[cost] with
 * respect to ν, ∂E/∂ν_i = ∂E/∂π_i · π_i(1−π_i), in plain numbers from the
 * compiler's cost model (the same expectation runtime/cost builds as tf ops
 * for the loss), for the λ controller in budget.ts.
 */
import { CostModel, irContents, type Ir } from "../../compiler/index.js";
import type { SearchCost } from "./settings.js";

export interface CostSlope {
  /** Σ_i (∂E/∂ν_i)²: a gradient step of size η·λ on ν lowers E by about η·λ times this. */
  readonly squaredNorm: number;
  /** max_i |∂E/∂ν_i|. */
  readonly largest: number;
}

export function costSlope(ir: Ir, cost: SearchCost, nu: ArrayLike<number>): CostSlope {
  const { plan, cost: polynomials } = irContents(ir);
  const pi = Float64Array.from({ length: nu.length }, (_, i) => 1 / (1 + Math.exp(-(nu[i] as number))));
  const gradient = new CostModel(plan.groups, polynomials).expectedGradient(cost, pi);
  let squaredNorm = 0;
  let largest = 0;
  for (let i = 0; i < pi.length; i++) {
    const p = pi[i] as number;
    const slope = (gradient[i] as number) * p * (1 - p);
    squaredNorm += slope * slope;
    largest = Math.max(largest, Math.abs(slope));
  }
  return { squaredNorm, largest };
}
