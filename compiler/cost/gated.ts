/**
 * Cost polynomials over gated sizes (compiler/masks/gates.ts). Variable ids
 * below the group count are the groups' sizes S_g; id groupCount + k is
 * S_g·Π_{z∈G} S_z for the k-th gated variable (g, G), each gate z a group of
 * one mask, so S_z ∈ {0, 1}. The polynomial stays at most bilinear in the
 * variables, and its expectation stays exact: the gates are independent of
 * the channel masks and z² = z, so for variables a = (g, G) and b = (h, H)
 *
 *   E[a] = E[S_g]·Π_{z∈G} π_z,   E[a·b] = E[S_g·S_h]·Π_{z∈G∪H} π_z,
 *
 * with E[S_g·S_h] as for plain groups (the variance when g = h).
 */
import type { GatedVariable } from "../masks/types.js";
import { maskGradient, type CompiledPolynomial, type GroupMoments, type PiLayout } from "./evaluate.js";

export interface GateTable {
  readonly groupCount: number;
  readonly gated: readonly GatedVariable[];
}

export const NO_GATES: readonly GatedVariable[] = [];

/** Every variable's value, by variable id, from the groups' sizes. */
export function expandSizes(table: GateTable, size: (group: number) => number): Float64Array {
  const values = new Float64Array(table.groupCount + table.gated.length);
  for (let g = 0; g < table.groupCount; g++) values[g] = size(g);
  table.gated.forEach((variable, k) => {
    let value = values[variable.group] as number;
    for (const gate of variable.gates) value *= values[gate] as number;
    values[table.groupCount + k] = value;
  });
  return values;
}

/** A variable's group and gates. */
function parts(table: GateTable, id: number): GatedVariable {
  return id < table.groupCount ? { group: id, gates: [] } : (table.gated[id - table.groupCount] as GatedVariable);
}

function unionOf(a: readonly number[], b: readonly number[]): readonly number[] {
  if (a.length === 0) return b;
  if (b.length === 0) return a;
  return [...new Set([...a, ...b])];
}

/** Π π_z over the gates (each gate's mean is its π), leaving out `except`. */
function gateProbability(gates: readonly number[], mean: ArrayLike<number>, except = -1): number {
  let p = 1;
  for (const z of gates) if (z !== except) p *= mean[z] as number;
  return p;
}

/** E[polynomial] with gated variables; the plain expectation when there are none. */
export function gatedExpectation(compiled: CompiledPolynomial, moments: GroupMoments, table: GateTable): number {
  const { mean, variance } = moments;
  let total = compiled.constant;
  const { linearGroup, linearCoefficient, pairA, pairB, pairCoefficient } = compiled;
  for (let k = 0; k < linearGroup.length; k++) {
    const v = parts(table, linearGroup[k] as number);
    total += (linearCoefficient[k] as number) * (mean[v.group] as number) * gateProbability(v.gates, mean);
  }
  for (let k = 0; k < pairA.length; k++) {
    const a = parts(table, pairA[k] as number);
    const b = parts(table, pairB[k] as number);
    const product =
      (mean[a.group] as number) * (mean[b.group] as number) + (a.group === b.group ? (variance[a.group] as number) : 0);
    total += (pairCoefficient[k] as number) * product * gateProbability(unionOf(a.gates, b.gates), mean);
  }
  return total;
}

/**
 * ∂E/∂π_i for every mask variable, gates included. For a channel mask i of
 * group g, as for plain groups with each term scaled by its gates' Π π; for a
 * gate z, each term that needs z contributes its expectation without π_z.
 */
export function gatedExpectationGradient(
  compiled: CompiledPolynomial,
  layout: PiLayout,
  moments: GroupMoments,
  pi: ArrayLike<number>,
  table: GateTable,
): Float64Array {
  const count = layout.offsets.length;
  const perGroup = new Float64Array(count);
  const square = new Float64Array(count);
  const { mean, variance } = moments;
  const toGates = (gates: readonly number[], value: number): void => {
    for (const z of gates) perGroup[z]! += value * gateProbability(gates, mean, z);
  };
  for (let k = 0; k < compiled.linearGroup.length; k++) {
    const v = parts(table, compiled.linearGroup[k] as number);
    const c = compiled.linearCoefficient[k] as number;
    perGroup[v.group]! += c * gateProbability(v.gates, mean);
    toGates(v.gates, c * (mean[v.group] as number));
  }
  for (let k = 0; k < compiled.pairA.length; k++) {
    const a = parts(table, compiled.pairA[k] as number);
    const b = parts(table, compiled.pairB[k] as number);
    const gates = unionOf(a.gates, b.gates);
    const c = compiled.pairCoefficient[k] as number;
    const cp = c * gateProbability(gates, mean);
    if (a.group === b.group) {
      perGroup[a.group]! += 2 * cp * (mean[a.group] as number);
      square[a.group]! += cp;
      toGates(gates, c * ((mean[a.group] as number) ** 2 + (variance[a.group] as number)));
      continue;
    }
    perGroup[a.group]! += cp * (mean[b.group] as number);
    perGroup[b.group]! += cp * (mean[a.group] as number);
    toGates(gates, c * (mean[a.group] as number) * (mean[b.group] as number));
  }
  return maskGradient(layout, perGroup, square, pi);
}
