/**
 * The exported architecture's cost, from the compiler's formula: every
 * surviving op's cost polynomial (compiler/cost/rules.ts) at the pruned
 * widths, in both conventions. Removed ops contribute nothing. When no op is
 * removed beyond whole groups, this equals the space's polynomial at those
 * widths (`polynomialCost`); a residual branch whose input died is the case
 * where it does not (its batch norm's 2·S of the shared group would be counted).
 */
import { CostModel, costOfSpace, expandSizes, irContents, type CostConvention, type Ir } from "../../compiler/index.js";
import type { PrunedArchitecture } from "./prune.js";

export interface CostValues {
  readonly params: number;
  readonly madds: number;
  readonly flops: number;
}

export type ConventionCosts = Readonly<Record<CostConvention, CostValues>>;

export const CONVENTIONS: readonly CostConvention[] = ["torch", "keras"];

/**
 * The costs of the model as exported, so the keras params equal tfjs
 * countParams(). `convBias` also counts a bias on every conv, as an IR
 * compiled with `--convention …,conv-bias` does: for comparing with its costs.
 */
export function architectureCosts(
  ir: Ir,
  architecture: PrunedArchitecture,
  options: { readonly convBias?: boolean } = {},
): ConventionCosts {
  const { graph, plan, cost } = irContents(ir);
  const sizes = expandSizes(cost.gates, (group) => architecture.widths[group] as number);
  const size = (variable: number): number => sizes[variable] as number;
  const costs = CONVENTIONS.map((convention) => {
    let params = 0;
    let madds = 0;
    for (const [id, nodeCost] of costOfSpace(graph, plan, {
      convention,
      convBias: options.convBias === true,
    }).nodeCosts()) {
      if (!architecture.kept.has(id)) continue;
      params += nodeCost.params.evaluate(size);
      madds += nodeCost.madds.evaluate(size);
    }
    return [convention, { params, madds, flops: 2 * madds }] as const;
  });
  return Object.fromEntries(costs) as Record<CostConvention, CostValues>;
}

/** The IR's own polynomials at these widths (its convention only). */
export function polynomialCost(ir: Ir, widths: ArrayLike<number>): CostValues {
  const { plan, cost } = irContents(ir);
  return new CostModel(plan.groups, cost).atWidths(widths);
}
