/**
 * Polynomials over group sizes S_g with at most bilinear terms: the only shape
 * a cost can take when every weight tensor is indexed by at most an input and
 * an output channel (DESIGN.md "Costs").
 */
import type { CostSink } from "./rules.js";

/** c + Σ a_g·S_g over searchable groups; fixed groups are already folded into c. */
export interface LinearForm {
  readonly constant: number;
  readonly terms: ReadonlyMap<number, number>;
}

/** JSON form: terms sorted by group ids, so equal polynomials print and serialise equally. */
export interface PolynomialJson {
  readonly constant: number;
  readonly linear: readonly (readonly [number, number])[];
  readonly bilinear: readonly (readonly [number, number, number])[];
}

/** Group ids stay below this, so a pair (a, b) packs into one exact double key. */
const PAIR_BASE = 2 ** 24;

export function pairKey(a: number, b: number): number {
  return a <= b ? a * PAIR_BASE + b : b * PAIR_BASE + a;
}

export function unpairKey(key: number): [number, number] {
  return [Math.floor(key / PAIR_BASE), key % PAIR_BASE];
}

/** A map's numeric keys in increasing order, as a typed array (sorting 250,000 [key, value] pairs is slow). */
export function sortedKeys(map: ReadonlyMap<number, number>): Float64Array {
  const keys = new Float64Array(map.size);
  let k = 0;
  for (const key of map.keys()) keys[k++] = key;
  return keys.sort();
}

export class Polynomial implements CostSink {
  constant = 0;
  readonly linear = new Map<number, number>();
  /** pairKey(a, b) with a ≤ b → coefficient; a === b is the square S_a². */
  readonly bilinear = new Map<number, number>();

  addConstant(value: number): this {
    this.constant += value;
    return this;
  }

  addLinear(group: number, coefficient: number): this {
    if (coefficient !== 0) this.linear.set(group, (this.linear.get(group) ?? 0) + coefficient);
    return this;
  }

  addBilinear(a: number, b: number, coefficient: number): this {
    if (coefficient === 0) return this;
    const key = pairKey(a, b);
    this.bilinear.set(key, (this.bilinear.get(key) ?? 0) + coefficient);
    return this;
  }

  /** this += post · (scale · form) */
  addForm(form: LinearForm, scale = 1, post = 1): this {
    this.constant += post * (scale * form.constant);
    for (const [group, coefficient] of form.terms) this.addLinear(group, post * (scale * coefficient));
    return this;
  }

  /** this += post · (scale · left · right), expanded into constant, linear and bilinear terms. */
  addProduct(left: LinearForm, right: LinearForm, scale = 1, post = 1): this {
    this.constant += post * (scale * left.constant * right.constant);
    for (const [group, coefficient] of left.terms) this.addLinear(group, post * (scale * coefficient * right.constant));
    for (const [group, coefficient] of right.terms) this.addLinear(group, post * (scale * coefficient * left.constant));
    for (const [a, ca] of left.terms)
      for (const [b, cb] of right.terms) this.addBilinear(a, b, post * (scale * ca * cb));
    return this;
  }

  /** As a CostSink (rules.ts). */
  product(left: LinearForm, right: LinearForm, coefficient: number, post = 1): void {
    this.addProduct(left, right, coefficient, post);
  }

  form(form: LinearForm, coefficient: number, post = 1): void {
    this.addForm(form, coefficient, post);
  }

  addPolynomial(other: Polynomial, scale = 1): this {
    this.constant += scale * other.constant;
    for (const [group, coefficient] of other.linear) this.addLinear(group, scale * coefficient);
    for (const [key, coefficient] of other.bilinear) {
      if (coefficient !== 0) this.bilinear.set(key, (this.bilinear.get(key) ?? 0) + scale * coefficient);
    }
    return this;
  }

  /** Value with S_g = size(g); groups the polynomial does not mention are never asked for. */
  evaluate(size: (group: number) => number): number {
    let total = this.constant;
    for (const [group, coefficient] of this.linear) total += coefficient * size(group);
    for (const [key, coefficient] of this.bilinear) {
      const [a, b] = unpairKey(key);
      total += coefficient * size(a) * size(b);
    }
    return total;
  }

  scaled(factor: number): Polynomial {
    return new Polynomial().addPolynomial(this, factor);
  }

  toJson(): PolynomialJson {
    const linear: [number, number][] = [];
    for (const group of sortedKeys(this.linear)) {
      const c = this.linear.get(group) as number;
      if (c !== 0) linear.push([group, c]);
    }
    const bilinear: [number, number, number][] = [];
    for (const key of sortedKeys(this.bilinear)) {
      const c = this.bilinear.get(key) as number;
      if (c !== 0) bilinear.push([Math.floor(key / PAIR_BASE), key % PAIR_BASE, c]);
    }
    return { constant: this.constant, linear, bilinear };
  }

  static fromJson(json: PolynomialJson): Polynomial {
    const polynomial = new Polynomial().addConstant(json.constant);
    for (const [group, coefficient] of json.linear) polynomial.addLinear(group, coefficient);
    for (const [a, b, coefficient] of json.bilinear) polynomial.addBilinear(a, b, coefficient);
    return polynomial;
  }
}
