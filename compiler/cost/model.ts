/** The cost of a space, ready to evaluate: params, madds and flops at π or at widths. */
import type { MaskGroup } from "../masks/types.js";
import { NO_GATES, expandSizes, gatedExpectation, gatedExpectationGradient, type GateTable } from "./gated.js";
import {
  compilePolynomial,
  expectation,
  expectationGradient,
  groupMoments,
  piLayout,
  valueAtWidths,
  type CompiledPolynomial,
  type GroupMoments,
  type PiLayout,
} from "./evaluate.js";
import type { Polynomial } from "./polynomial.js";

export interface CostTotals {
  readonly params: number;
  readonly madds: number;
  /** 2 · madds. */
  readonly flops: number;
}

export type CostMetric = "params" | "madds" | "flops";

export class CostModel {
  readonly pi: PiLayout;
  private readonly params: CompiledPolynomial;
  private readonly madds: CompiledPolynomial;
  private readonly moments: GroupMoments;
  private readonly gates: GateTable;

  /** `polynomials.gates`: the gated sizes they use (compiler/cost/gated.ts), as a SpaceCost or irContents' carry. */
  constructor(
    readonly groups: readonly MaskGroup[],
    polynomials: { readonly params: Polynomial; readonly madds: Polynomial; readonly gates?: GateTable },
  ) {
    this.gates = { groupCount: groups.length, gated: polynomials.gates?.gated ?? NO_GATES };
    this.pi = piLayout(groups);
    this.params = compilePolynomial(polynomials.params);
    this.madds = compilePolynomial(polynomials.madds);
    this.moments = { mean: new Float64Array(groups.length), variance: new Float64Array(groups.length) };
  }

  /** Exact E[cost] when mask i is on with probability π_i, independently. */
  expected(pi: ArrayLike<number>): CostTotals {
    const moments = groupMoments(this.pi, pi, this.moments);
    if (this.gates.gated.length > 0)
      return totals(
        gatedExpectation(this.params, moments, this.gates),
        gatedExpectation(this.madds, moments, this.gates),
      );
    return totals(expectation(this.params, moments), expectation(this.madds, moments));
  }

  /** ∂E[metric]/∂π, one entry per mask variable. */
  expectedGradient(metric: CostMetric, pi: ArrayLike<number>): Float64Array {
    const moments = groupMoments(this.pi, pi, this.moments);
    const polynomial = metric === "params" ? this.params : this.madds;
    const gradient =
      this.gates.gated.length > 0
        ? gatedExpectationGradient(polynomial, this.pi, moments, pi, this.gates)
        : expectationGradient(polynomial, this.pi, moments, pi);
    if (metric === "flops") for (let i = 0; i < gradient.length; i++) gradient[i] = 2 * (gradient[i] as number);
    return gradient;
  }

  /** Exact cost of the architecture with these widths (by group id; groups without masks use their size). */
  atWidths(widths: ArrayLike<number>): CostTotals {
    const full = expandSizes(this.gates, (id) => {
      const g = this.groups[id] as MaskGroup;
      return g.searchable ? (widths[id] as number) : g.size;
    });
    return totals(valueAtWidths(this.params, full), valueAtWidths(this.madds, full));
  }

  fullWidth(): CostTotals {
    const sizes = new Float64Array(this.groups.length);
    for (let id = 0; id < sizes.length; id++) sizes[id] = (this.groups[id] as MaskGroup).size;
    return this.atWidths(sizes);
  }
}

function totals(params: number, madds: number): CostTotals {
  return { params, madds, flops: 2 * madds };
}
