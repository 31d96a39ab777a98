/**
 * Widths of an exported architecture, one per IR group: ⌊Σπ⌋ over the
 * group's masks after search (paper §3.2), an operator gate open (1) when its
 * π > ½, or given by the caller.
 * Groups without masks keep their size; widths from π never disconnect the network.
 */
import { codeOf } from "../../diagnostics/codes.js";
import { plainError, type Diagnostic } from "../../diagnostics/diagnostic.js";
import { Liveness, dataflowOf, type Ir } from "../../compiler/index.js";

/**
 * ⌊Σ_{i∈g} π_i⌋ for every searchable group, summed in double precision. A
 * sum within 1e-9 below an integer counts as that integer, so π read back from
 * float32 (e.g. all ones) does not lose a channel to rounding. Widths that
 * would cut every path from the input to the output keep one channel in the
 * groups that path needs, preferring the groups of largest Σπ
 * (`connectWidths`): an export, a calibration or a resume must never land on
 * a network that computes nothing.
 */
export function widthsFromPi(ir: Ir, pi: ArrayLike<number>): Int32Array {
  const widths = new Int32Array(ir.groups.length);
  const sums = new Float64Array(ir.groups.length);
  for (const group of ir.groups) {
    if (!group.searchable || group.offset < 0) {
      widths[group.id] = group.size;
      continue;
    }
    let sum = 0;
    for (let i = group.offset; i < group.offset + group.size; i++) sum += pi[i] as number;
    sums[group.id] = sum;
    // An operator gate is one mask: ⌊π⌋ would close it unless π = 1, so it stays open while π > ½ (ν > 0),
    // as the supernet's evaluation mode keeps it.
    widths[group.id] = group.gate !== undefined ? (sum > 0.5 ? 1 : 0) : Math.min(group.size, Math.floor(sum + 1e-9));
  }
  return connectWidths(ir, widths, sums);
}

const livenessByIr = new WeakMap<Ir, Liveness>();

function livenessOf(ir: Ir): Liveness {
  let liveness = livenessByIr.get(ir);
  if (!liveness) {
    liveness = new Liveness(dataflowOf(ir));
    livenessByIr.set(ir, liveness);
  }
  return liveness;
}

/** True when a path from the input to the output survives at these widths (compiler/sample/liveness.ts decides). */
export function isConnected(ir: Ir, widths: ArrayLike<number>): boolean {
  return livenessOf(ir).prune(widths, new Int32Array(ir.groups.length));
}

/**
 * Widths after removal, as export counts them: a group none of whose producers survives is 0. Undefined when
 * disconnected.
 */
export function effectiveWidths(ir: Ir, widths: ArrayLike<number>): Int32Array | undefined {
  const effective = new Int32Array(ir.groups.length);
  return livenessOf(ir).prune(widths, effective) ? effective : undefined;
}

/**
 * Makes disconnected widths connected, in place: searchable groups at 0 get
 * one channel, highest `preference[g]` first (ties: lower id), until a path
 * survives; then each raised group the path does not need goes back to 0,
 * least preferred first. Connected widths are returned unchanged.
 */
export function connectWidths(ir: Ir, widths: Int32Array, preference: ArrayLike<number>): Int32Array {
  if (isConnected(ir, widths)) return widths;
  const candidates = ir.groups
    .filter((g) => g.searchable && widths[g.id] === 0)
    .map((g) => g.id)
    .sort((a, b) => (preference[b] as number) - (preference[a] as number) || a - b);
  const raised = candidates.slice(0, shortestConnectingPrefix(ir, widths, candidates));
  for (const group of candidates) widths[group] = 0;
  for (const group of raised) widths[group] = 1;
  for (const group of raised.reverse()) {
    widths[group] = 0;
    if (!isConnected(ir, widths)) widths[group] = 1;
  }
  return widths;
}

/**
 * The fewest leading `candidates` that, at one channel each, connect the
 * network: connectivity only grows with widths, so a bisection finds it.
 * Leaves `widths` scribbled on; the caller sets the candidates afterwards.
 */
function shortestConnectingPrefix(ir: Ir, widths: Int32Array, candidates: readonly number[]): number {
  const connectedWith = (count: number): boolean => {
    candidates.forEach((group, i) => (widths[group] = i < count ? 1 : 0));
    return isConnected(ir, widths);
  };
  let low = 0;
  let high = candidates.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (connectedWith(middle)) high = middle;
    else low = middle + 1;
  }
  return low;
}

/** Full width: every group at its size. */
export function fullWidths(ir: Ir): Int32Array {
  return Int32Array.from(ir.groups, (g) => g.size);
}

/**
 * Checks caller-given widths against the IR's groups: one integer per group,
 * 0 ≤ w ≤ size, and groups without masks at their size (they cannot shrink).
 */
export function checkWidths(ir: Ir, widths: ArrayLike<number>): Diagnostic[] {
  // The widths come from a run or a caller, not a file the user can open: no location, the message says which.
  const fail = (message: string): Diagnostic[] => [plainError(codeOf("InvalidWidths"), message)];
  if (widths.length !== ir.groups.length)
    return fail(`expected ${ir.groups.length} widths (one per group of ${ir.space}), got ${widths.length}`);
  for (const group of ir.groups) {
    const width = widths[group.id] as number;
    if (!Number.isInteger(width) || width < 0 || width > group.size) {
      return fail(`the width of group '${group.name}' must be an integer from 0 to ${group.size}, got ${width}`);
    }
    if (!group.searchable && width !== group.size) {
      return fail(
        `group '${group.name}' has no masks (input image or fixed), so its width stays ${group.size}, got ${width}`,
      );
    }
  }
  return [];
}
