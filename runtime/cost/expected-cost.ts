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
   * The searchable groups in buckets of similar size, each [groups, its largest group]: a row holds the π
   * indices of one group, padded with the index of an appended 0. Row r of bucket b is mean entry
   * (rows of the buckets before b) + r.
   */
  private readonly rows: readonly tf.Tensor2D[];
  private readonly constant: number;
  private readonly linearGroups: tf.Tensor1D;
  private readonly linearCoefficients: tf.Tensor1D;
  private readonly pairA: tf.Tensor1D;
  private readonly pairB: tf.Tensor1D;
  private readonly pairCoefficients: tf.Tensor1D;
  /** 1 where the pair is a square S_a², whose expectation adds the variance. */
  private readonly squareCoefficients: tf.Tensor1D;
  /** With operator gates: each term's gates' Π π, and the sizes of groups without masks that gated terms use. */
  private readonly gates: GateTerms | undefined;

  constructor(ir: Ir, polynomial: PolynomialJson, scale = 1) {
    const { rows, rowOf } = groupRows(ir);
    this.rows = rows;
    const terms = new TermTable(ir, rowOf);
    this.constant = scale * polynomial.constant;
    const linear = polynomial.linear.map(([v, c]) => ({ v: terms.variable(v), c: scale * c }));
    const pairs = polynomial.bilinear.map(([a, b, c]) => ({
      a: terms.variable(a),
      b: terms.variable(b),
      c: scale * c,
    }));
    this.linearGroups = tf.tensor1d(
      linear.map((t) => t.v.row),
      "int32",
    );
    this.linearCoefficients = tf.tensor1d(
      linear.map((t) => t.c),
      "float32",
    );
    this.pairA = tf.tensor1d(
      pairs.map((t) => t.a.row),
      "int32",
    );
    this.pairB = tf.tensor1d(
      pairs.map((t) => t.b.row),
      "int32",
    );
    this.pairCoefficients = tf.tensor1d(
      pairs.map((t) => t.c),
      "float32",
    );
    this.squareCoefficients = tf.tensor1d(
      pairs.map((t) => (t.a.row === t.b.row ? t.c : 0)),
      "float32",
    );
    this.gates = terms.hasGates()
      ? terms.gateTerms(
          linear.map((t) => t.v.gates),
          pairs.map((t) => [...new Set([...t.a.gates, ...t.b.gates])]),
        )
      : undefined;
  }

  /** E[cost] at π (length = the IR's maskVariables, π order = IR offsets). */
  atPi(pi: tf.Tensor1D): tf.Scalar {
    return tf.tidy(() => {
      const padded = tf.concat([pi, tf.zeros([1])]);
      const buckets = this.rows.map((rows) => tf.gather(padded, rows));
      let mean: tf.Tensor1D = joined(buckets.map((grouped) => tf.sum(grouped, 1)));
      let variance: tf.Tensor1D = joined(buckets.map((grouped) => tf.sum(tf.mul(grouped, tf.sub(1, grouped)), 1)));
      if (this.gates) {
        mean = tf.concat([mean, this.gates.fixedSizes]);
        variance = tf.concat([variance, tf.zerosLike(this.gates.fixedSizes)]);
      }
      let linearTerms = tf.mul(this.linearCoefficients, tf.gather(mean, this.linearGroups));
      let pairCoefficients: tf.Tensor1D = this.pairCoefficients;
      let squareCoefficients: tf.Tensor1D = this.squareCoefficients;
      if (this.gates) {
        const open = tf.prod(tf.gather(tf.concat([pi, tf.ones([1])]), this.gates.sets), 1);
        linearTerms = tf.mul(linearTerms, tf.gather(open, this.gates.linearSets));
        const pairOpen = tf.gather(open, this.gates.pairSets);
        pairCoefficients = tf.mul(pairCoefficients, pairOpen);
        squareCoefficients = tf.mul(squareCoefficients, pairOpen);
      }
      const linear = tf.sum(linearTerms);
      const products = tf.mul(tf.gather(mean, this.pairA), tf.gather(mean, this.pairB));
      const bilinear = tf.add(
        tf.sum(tf.mul(pairCoefficients, products)),
        tf.sum(tf.mul(squareCoefficients, tf.gather(variance, this.pairA))),
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
      ...this.rows,
      this.linearGroups,
      this.linearCoefficients,
      this.pairA,
      this.pairB,
      this.pairCoefficients,
      this.squareCoefficients,
    ])
      t.dispose();
    if (this.gates)
      for (const t of [this.gates.fixedSizes, this.gates.sets, this.gates.linearSets, this.gates.pairSets]) t.dispose();
  }
}

interface GateTerms {
  /** Sizes of the groups without masks that gated terms use, after the searchable rows. */
  readonly fixedSizes: tf.Tensor1D;
  /** [gate sets, largest set]: π indices of each set's gates, padded with the index of an appended 1. */
  readonly sets: tf.Tensor2D;
  readonly linearSets: tf.Tensor1D;
  readonly pairSets: tf.Tensor1D;
}

/** A polynomial variable (compiler/cost/gated.ts) as a row of the means and the π indices of its gates. */
class TermTable {
  private readonly fixed: number[] = [];
  private readonly fixedRow = new Map<number, number>();

  constructor(
    private readonly ir: Ir,
    private readonly rowOf: ReadonlyMap<number, number>,
  ) {}

  variable(id: number): { row: number; gates: readonly number[] } {
    const groups = this.ir.groups.length;
    const gated = id >= groups ? this.ir.gated?.[id - groups] : undefined;
    const group = gated ? gated.group : id;
    const gates = gated ? gated.gates.map((z) => this.ir.groups[z]?.offset ?? -1) : [];
    return { row: this.rowOf.get(group) ?? this.fixedGroupRow(group), gates };
  }

  hasGates(): boolean {
    return (this.ir.gated?.length ?? 0) > 0;
  }

  private fixedGroupRow(group: number): number {
    let row = this.fixedRow.get(group);
    if (row === undefined) {
      row = this.rowOf.size + this.fixed.length;
      this.fixed.push(this.ir.groups[group]?.size ?? 0);
      this.fixedRow.set(group, row);
    }
    return row;
  }

  gateTerms(linear: readonly (readonly number[])[], pairs: readonly (readonly number[])[]): GateTerms {
    const setIds = new Map<string, number>([["", 0]]);
    const sets: (readonly number[])[] = [[]];
    const idOf = (gates: readonly number[]): number => {
      const key = [...gates].sort((a, b) => a - b).join(",");
      let id = setIds.get(key);
      if (id === undefined) {
        id = sets.length;
        setIds.set(key, id);
        sets.push(gates);
      }
      return id;
    };
    const linearSets = linear.map(idOf);
    const pairSets = pairs.map(idOf);
    const width = Math.max(1, ...sets.map((s) => s.length));
    const one = this.ir.maskVariables;
    const indices = new Int32Array(sets.length * width).fill(one);
    sets.forEach((set, k) => set.forEach((offset, j) => (indices[k * width + j] = offset)));
    return {
      fixedSizes: tf.tensor1d(this.fixed, "float32"),
      sets: tf.tensor2d(indices, [sets.length, width], "int32"),
      linearSets: tf.tensor1d(linearSets, "int32"),
      pairSets: tf.tensor1d(pairSets, "int32"),
    };
  }
}

/**
 * The π indices of every searchable group as padded matrices, so a group's Σπ
 * is a row sum: exact per group in float32, and a gather plus a sum on every
 * backend (a segment sum is far slower on tfjs's cpu backend). Groups go into
 * buckets by the power of two above their size, so a 1,536-channel head does
 * not pad a hundred 8-channel groups to its width (One-Shot: 115k gathered
 * values for 2.4k masks in one matrix). The polynomials mention only
 * searchable groups, which `rowOf` maps to rows of the buckets' concatenation.
 */
function groupRows(ir: Ir): { rows: tf.Tensor2D[]; rowOf: Map<number, number> } {
  const searchable = ir.groups.filter((g) => g.searchable && g.offset >= 0);
  const buckets = new Map<number, (typeof searchable)[number][]>();
  for (const group of searchable) {
    const key = Math.ceil(Math.log2(Math.max(1, group.size)));
    buckets.set(key, [...(buckets.get(key) ?? []), group]);
  }
  const rowOf = new Map<number, number>();
  const rows: tf.Tensor2D[] = [];
  for (const key of [...buckets.keys()].sort((a, b) => a - b)) {
    const groups = buckets.get(key)!;
    const width = Math.max(1, ...groups.map((g) => g.size));
    const indices = new Int32Array(groups.length * width).fill(ir.maskVariables);
    groups.forEach((group, row) => {
      rowOf.set(group.id, rowOf.size);
      for (let j = 0; j < group.size; j++) indices[row * width + j] = group.offset + j;
    });
    rows.push(tf.tensor2d(indices, [groups.length, width], "int32"));
  }
  return { rows, rowOf };
}

/** The vectors end to end; empty for none (a space without searchable groups). */
function joined(parts: tf.Tensor1D[]): tf.Tensor1D {
  if (parts.length === 0) return tf.zeros([0]);
  return parts.length === 1 ? parts[0]! : tf.concat(parts);
}

/** The expected-cost evaluator of one of the IR's costs; flops = 2·madds. */
export function expectedCost(ir: Ir, cost: CostName): ExpectedCost {
  if (cost === "params") return new ExpectedCost(ir, ir.costs.params);
  return new ExpectedCost(ir, ir.costs.madds, cost === "flops" ? 2 : 1);
}
