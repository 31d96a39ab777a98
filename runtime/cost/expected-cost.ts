/**
 * E[cost](π) as differentiable tf ops: the compiler's expectation formula
 * (compiler/cost/evaluate.ts, docs/costs.md) over any IR cost polynomial,
 *
 *   E[cost] = c + Σ a_g·E[S_g] + Σ_{a<b} b_ab·E[S_a]·E[S_b] + Σ b_aa·((Σπ)² + Σπ(1−π)),
 *
 * with E[S_g] = Σ_{i∈g} π_i. The runtime never recompiles the polynomial: it
 * reads the IR's JSON form, so search regularises exactly what export counts.
 */
import * as tf from "@tensorflow/tfjs";
import type { PolynomialJson } from "../../compiler/cost/polynomial.js";
import type { Ir } from "../../compiler/ir/types.js";

export type CostName = "params" | "madds" | "flops";

/** The polynomial's terms as index and coefficient tensors, built once per (IR, cost). */
export class ExpectedCost {
  private readonly segmentIds: tf.Tensor1D;
  private readonly groupCount: number;
  private readonly constant: number;
  private readonly linearGroups: tf.Tensor1D;
  private readonly linearCoefficients: tf.Tensor1D;
  private readonly pairA: tf.Tensor1D;
  private readonly pairB: tf.Tensor1D;
  private readonly pairCoefficients: tf.Tensor1D;
  /** 1 where the pair is a square S_a², whose expectation adds the variance. */
  private readonly squareCoefficients: tf.Tensor1D;

  constructor(ir: Ir, polynomial: PolynomialJson, scale = 1) {
    this.groupCount = ir.groups.length;
    this.segmentIds = tf.tensor1d(segmentIdsOf(ir), "int32");
    this.constant = scale * polynomial.constant;
    this.linearGroups = tf.tensor1d(polynomial.linear.map(([g]) => g), "int32");
    this.linearCoefficients = tf.tensor1d(polynomial.linear.map(([, c]) => scale * c), "float32");
    this.pairA = tf.tensor1d(polynomial.bilinear.map(([a]) => a), "int32");
    this.pairB = tf.tensor1d(polynomial.bilinear.map(([, b]) => b), "int32");
    this.pairCoefficients = tf.tensor1d(polynomial.bilinear.map(([, , c]) => scale * c), "float32");
    this.squareCoefficients = tf.tensor1d(polynomial.bilinear.map(([a, b, c]) => (a === b ? scale * c : 0)), "float32");
  }

  /** E[cost] at π (length = the IR's maskVariables, π order = IR offsets). */
  atPi(pi: tf.Tensor1D): tf.Scalar {
    return tf.tidy(() => {
      const mean = tf.unsortedSegmentSum(pi, this.segmentIds, this.groupCount);
      const variance = tf.unsortedSegmentSum(tf.mul(pi, tf.sub(1, pi)), this.segmentIds, this.groupCount);
      const linear = tf.sum(tf.mul(this.linearCoefficients, tf.gather(mean, this.linearGroups)));
      const products = tf.mul(tf.gather(mean, this.pairA), tf.gather(mean, this.pairB));
      const bilinear = tf.add(tf.sum(tf.mul(this.pairCoefficients, products)), tf.sum(tf.mul(this.squareCoefficients, tf.gather(variance, this.pairA))));
      return tf.add(tf.add(linear, bilinear), this.constant) as tf.Scalar;
    });
  }

  /** E[cost] at π = sigmoid(ν): what search adds to its loss (times λ). */
  atLogits(nu: tf.Tensor1D): tf.Scalar {
    return tf.tidy(() => this.atPi(tf.sigmoid(nu)));
  }

  dispose(): void {
    for (const t of [this.segmentIds, this.linearGroups, this.linearCoefficients, this.pairA, this.pairB, this.pairCoefficients, this.squareCoefficients]) t.dispose();
  }
}

/**
 * For every mask variable, the id of its group. The polynomials mention only
 * searchable groups, so non-searchable groups are left empty (their sums are 0
 * and no term reads them).
 */
function segmentIdsOf(ir: Ir): Int32Array {
  const ids = new Int32Array(ir.maskVariables);
  for (const group of ir.groups) {
    if (!group.searchable || group.offset < 0) continue;
    ids.fill(group.id, group.offset, group.offset + group.size);
  }
  return ids;
}

/** The expected-cost evaluator of one of the IR's costs; flops = 2·madds. */
export function expectedCost(ir: Ir, cost: CostName): ExpectedCost {
  if (cost === "params") return new ExpectedCost(ir, ir.costs.params);
  return new ExpectedCost(ir, ir.costs.madds, cost === "flops" ? 2 : 1);
}
