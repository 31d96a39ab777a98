/**
 * Fast evaluation of cost polynomials: compiled once to flat typed arrays,
 * then evaluated at a mask-probability vector π (exact expectation under
 * independent Bernoulli masks) or at integer widths.
 *
 * E[S_g] = Σ_{i∈g} π_i;  E[S_a·S_b] = E[S_a]·E[S_b] (a ≠ b);
 * E[S_a²] = (Σπ)² + Σπ(1−π)  (the variance of a sum of independent Bernoullis).
 */
import type { MaskGroup } from "../masks/types.js";
import { sortedKeys, unpairKey, type Polynomial } from "./polynomial.js";

export interface CompiledPolynomial {
  readonly constant: number;
  readonly linearGroup: Int32Array;
  readonly linearCoefficient: Float64Array;
  readonly pairA: Int32Array;
  readonly pairB: Int32Array;
  readonly pairCoefficient: Float64Array;
}

/**
 * Terms in key order; keys sorted as a typed array (no [key, value] pair per term: 250,000 of them are slow to sort
 * and collect).
 */
export function compilePolynomial(polynomial: Polynomial): CompiledPolynomial {
  const linearGroup = Int32Array.from(sortedKeys(polynomial.linear));
  const linearCoefficient = new Float64Array(linearGroup.length);
  for (let k = 0; k < linearGroup.length; k++)
    linearCoefficient[k] = polynomial.linear.get(linearGroup[k] as number) as number;
  const keys = sortedKeys(polynomial.bilinear);
  const pairA = new Int32Array(keys.length);
  const pairB = new Int32Array(keys.length);
  const pairCoefficient = new Float64Array(keys.length);
  for (let k = 0; k < keys.length; k++) {
    const key = keys[k] as number;
    [pairA[k], pairB[k]] = unpairKey(key);
    pairCoefficient[k] = polynomial.bilinear.get(key) as number;
  }
  return { constant: polynomial.constant, linearGroup, linearCoefficient, pairA, pairB, pairCoefficient };
}

/** Where each searchable group's mask probabilities sit in π: π[offset .. offset+size). */
export interface PiLayout {
  /**
   * By group id; -1 for groups without masks. Doubles: a space may have more than 2^31 mask variables
   * (conv(1, 2**31) twice).
   */
  readonly offsets: Float64Array;
  readonly sizes: Float64Array;
  /** Length of π: the number of mask variables. */
  readonly length: number;
}

export function piLayout(groups: readonly MaskGroup[]): PiLayout {
  const offsets = new Float64Array(groups.length).fill(-1);
  const sizes = new Float64Array(groups.length);
  let length = 0;
  for (const group of groups) {
    sizes[group.id] = group.size;
    if (!group.searchable) continue;
    offsets[group.id] = length;
    length += group.size;
  }
  return { offsets, sizes, length };
}

/**
 * Per-group moments of S_g under π: mean Σπ and variance Σπ(1−π). Groups without masks: their size, variance 0.
 */
export interface GroupMoments {
  readonly mean: Float64Array;
  readonly variance: Float64Array;
}

export function groupMoments(layout: PiLayout, pi: ArrayLike<number>, into?: GroupMoments): GroupMoments {
  const count = layout.offsets.length;
  const mean = into?.mean ?? new Float64Array(count);
  const variance = into?.variance ?? new Float64Array(count);
  for (let g = 0; g < count; g++) {
    const offset = layout.offsets[g] as number;
    const size = layout.sizes[g] as number;
    if (offset < 0) {
      mean[g] = size;
      variance[g] = 0;
      continue;
    }
    let m = 0;
    let v = 0;
    for (let i = offset; i < offset + size; i++) {
      const p = pi[i] as number;
      m += p;
      v += p * (1 - p);
    }
    mean[g] = m;
    variance[g] = v;
  }
  return { mean, variance };
}

/** E[polynomial] from group moments; with a zero variance this is the value at widths = mean. */
export function expectation(compiled: CompiledPolynomial, moments: GroupMoments): number {
  const { mean, variance } = moments;
  let total = compiled.constant;
  const { linearGroup, linearCoefficient, pairA, pairB, pairCoefficient } = compiled;
  for (let k = 0; k < linearGroup.length; k++)
    total += (linearCoefficient[k] as number) * (mean[linearGroup[k] as number] as number);
  for (let k = 0; k < pairA.length; k++) {
    const a = pairA[k] as number;
    const b = pairB[k] as number;
    const product = (mean[a] as number) * (mean[b] as number) + (a === b ? (variance[a] as number) : 0);
    total += (pairCoefficient[k] as number) * product;
  }
  return total;
}

/** Value at integer (or any) widths per group id. */
export function valueAtWidths(compiled: CompiledPolynomial, widths: ArrayLike<number>): number {
  let total = compiled.constant;
  const { linearGroup, linearCoefficient, pairA, pairB, pairCoefficient } = compiled;
  for (let k = 0; k < linearGroup.length; k++)
    total += (linearCoefficient[k] as number) * (widths[linearGroup[k] as number] as number);
  for (let k = 0; k < pairA.length; k++) {
    total +=
      (pairCoefficient[k] as number) * (widths[pairA[k] as number] as number) * (widths[pairB[k] as number] as number);
  }
  return total;
}

/**
 * ∂E/∂π_i for every mask variable. For i in group g:
 * Σ linear_g + Σ_{pairs (g,b), b≠g} c·E[S_b] + Σ_{squares (g,g)} c·(2·E[S_g] + 1 − 2π_i).
 */
export function expectationGradient(
  compiled: CompiledPolynomial,
  layout: PiLayout,
  moments: GroupMoments,
  pi: ArrayLike<number>,
): Float64Array {
  const count = layout.offsets.length;
  const perGroup = new Float64Array(count);
  const square = new Float64Array(count);
  const { mean } = moments;
  for (let k = 0; k < compiled.linearGroup.length; k++)
    perGroup[compiled.linearGroup[k] as number]! += compiled.linearCoefficient[k] as number;
  for (let k = 0; k < compiled.pairA.length; k++) {
    const a = compiled.pairA[k] as number;
    const b = compiled.pairB[k] as number;
    const c = compiled.pairCoefficient[k] as number;
    if (a === b) {
      perGroup[a]! += 2 * c * (mean[a] as number);
      square[a]! += c;
      continue;
    }
    perGroup[a]! += c * (mean[b] as number);
    perGroup[b]! += c * (mean[a] as number);
  }
  return maskGradient(layout, perGroup, square, pi);
}

/**
 * ∂E/∂π_i = perGroup[g] + square[g]·(1 − 2π_i) for each mask i of group g: the per-group sums of a polynomial's
 * terms spread over the group's masks (the square's variance term is the one that depends on π_i itself).
 */
export function maskGradient(
  layout: PiLayout,
  perGroup: Float64Array,
  square: Float64Array,
  pi: ArrayLike<number>,
): Float64Array {
  const gradient = new Float64Array(layout.length);
  for (let g = 0; g < layout.offsets.length; g++) {
    const offset = layout.offsets[g] as number;
    if (offset < 0) continue;
    for (let i = offset; i < offset + (layout.sizes[g] as number); i++) {
      gradient[i] = (perGroup[g] as number) + (square[g] as number) * (1 - 2 * (pi[i] as number));
    }
  }
  return gradient;
}
