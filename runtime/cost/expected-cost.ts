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
import type { Ir, PolynomialJson } from "../../compiler/index.js";

export type CostName = "params" | "madds" | "flops";

/** The polynomial's terms as index and coefficient tensors, built once per (IR, cost). */
export class ExpectedCost {
  /**
   * [searchable groups, largest group]: each row the π indices of one group, padded with the index of an
   * appended 0.
   */
  private readonly rows: tf.Tensor2D;
  private readonly constant: number;
  private readonly linearGroups: tf.Tensor1D;
  private readonly linearCoefficients: tf.Tensor1D;
  private readonly pairA: tf.Tensor1D;
  private readonly pairB: tf.Tensor1D;
  private readonly pairCoefficients: tf.Tensor1D;
  /** 1 where the pair is a square S_a², whose expectation adds the variance. */
  private readonly squareCoefficients: tf.Tensor1D;

  constructor(ir: Ir, polynomial: PolynomialJson, scale = 1) {
    const { rows, rowOf } = groupRows(ir);
    this.rows = rows;
    const row = (group: number): number => rowOf.get(group) ?? -1;
    this.constant = scale * polynomial.constant;
    this.linearGroups = tf.tensor1d(
      polynomial.linear.map(([g]) => row(g)),
      "int32",
    );
    this.linearCoefficients = tf.tensor1d(
      polynomial.linear.map(([, c]) => scale * c),
      "float32",
    );
    this.pairA = tf.tensor1d(
      polynomial.bilinear.map(([a]) => row(a)),
      "int32",
    );
    this.pairB = tf.tensor1d(
      polynomial.bilinear.map(([, b]) => row(b)),
      "int32",
    );
    this.pairCoefficients = tf.tensor1d(
      polynomial.bilinear.map(([, , c]) => scale * c),
      "float32",
    );
    this.squareCoefficients = tf.tensor1d(
      polynomial.bilinear.map(([a, b, c]) => (a === b ? scale * c : 0)),
      "float32",
    );
  }

  /** E[cost] at π (length = the IR's maskVariables, π order = IR offsets). */
  atPi(pi: tf.Tensor1D): tf.Scalar {
    return tf.tidy(() => {
      const grouped = tf.gather(tf.concat([pi, tf.zeros([1])]), this.rows);
      const mean = tf.sum(grouped, 1);
      const variance = tf.sum(tf.mul(grouped, tf.sub(1, grouped)), 1);
      const linear = tf.sum(tf.mul(this.linearCoefficients, tf.gather(mean, this.linearGroups)));
      const products = tf.mul(tf.gather(mean, this.pairA), tf.gather(mean, this.pairB));
      const bilinear = tf.add(
        tf.sum(tf.mul(this.pairCoefficients, products)),
        tf.sum(tf.mul(this.squareCoefficients, tf.gather(variance, this.pairA))),
      );
      return tf.add(tf.add(linear, bilinear), this.constant) as tf.Scalar;
    });
  }

  /** E[cost] at π = sigmoid(ν): what search adds to its loss (times λ). */
  atLogits(nu: tf.Tensor1D): tf.Scalar {
    return tf.tidy(() => this.atPi(tf.sigmoid(nu)));
  }

  dispose(): void {
    for (const t of [
      this.rows,
      this.linearGroups,
      this.linearCoefficients,
      this.pairA,
      this.pairB,
      this.pairCoefficients,
      this.squareCoefficients,
    ])
      t.dispose();
  }
}

/**
 * The π indices of every searchable group as one padded matrix, so a group's
 * Σπ is a row sum: exact per group in float32, and a gather plus a sum on
 * every backend (a segment sum is far slower on tfjs's cpu backend). The
 * polynomials mention only searchable groups, which `rowOf` maps to rows.
 */
function groupRows(ir: Ir): { rows: tf.Tensor2D; rowOf: Map<number, number> } {
  const searchable = ir.groups.filter((g) => g.searchable && g.offset >= 0);
  const width = Math.max(1, ...searchable.map((g) => g.size));
  const indices = new Int32Array(searchable.length * width).fill(ir.maskVariables);
  const rowOf = new Map<number, number>();
  searchable.forEach((group, row) => {
    rowOf.set(group.id, row);
    for (let j = 0; j < group.size; j++) indices[row * width + j] = group.offset + j;
  });
  return { rows: tf.tensor2d(indices, [searchable.length, width], "int32"), rowOf };
}

/** The expected-cost evaluator of one of the IR's costs; flops = 2·madds. */
export function expectedCost(ir: Ir, cost: CostName): ExpectedCost {
  if (cost === "params") return new ExpectedCost(ir, ir.costs.params);
  return new ExpectedCost(ir, ir.costs.madds, cost === "flops" ? 2 : 1);
}
