/**
 * Which `--target` a space can reach. Exports never disconnect the network
 * (runtime/export/widths.ts keeps one channel where every path would be cut),
 * so the cheapest architecture an export can be is the smallest connected one,
 * and the dearest the full space. A target outside them would search for
 * minutes and then miss; say so before training.
 */
import { formatNumber, type Ir } from "../../compiler/index.js";
import { codeOf } from "../../diagnostics/codes.js";
import { error, plainError, type Diagnostic } from "../../diagnostics/diagnostic.js";
import { polynomialCost } from "../export/costs.js";
import { connectWidths, effectiveWidths } from "../export/widths.js";
import type { SearchCost } from "../search/settings.js";

export interface TargetReachability {
  /** The cost of the smallest connected architecture found: every group a path needs at one channel, the rest at 0. */
  readonly smallest: number;
  /** The full space's cost (every group at its size). */
  readonly largest: number;
  /** Widths of that smallest architecture, by group id. */
  readonly smallestWidths: Int32Array;
  /** FIGS5004 when no architecture within ±tolerance of the target exists between them; undefined otherwise. */
  readonly problem?: Diagnostic;
}

/**
 * The smallest and largest costs an export of this space can have, and a
 * problem when `target` is outside them by more than the tolerance. The
 * smallest is exact for spaces whose every path needs the same groups
 * (chains, residual stacks); where parallel branches offer a choice, the
 * cheapest branch is picked greedily (by what each group costs at one channel).
 */
export function targetReachability(ir: Ir, cost: SearchCost, target: number, tolerance = 0.05): TargetReachability {
  const smallestWidths = smallestConnectedWidths(ir, cost);
  const smallest = costAt(ir, smallestWidths, cost);
  const largest = ir.costs.full[cost];
  const tooSmall = smallest > target * (1 + tolerance);
  const tooLarge = largest < target * (1 - tolerance);
  if (!tooSmall && !tooLarge) return { smallest, largest, smallestWidths };
  return { smallest, largest, smallestWidths, problem: unreachable(ir, cost, target, smallest, largest, tooSmall) };
}

/** Every searchable group at 0, then the groups a path needs at one channel, cheapest first. */
export function smallestConnectedWidths(ir: Ir, cost: SearchCost): Int32Array {
  const widths = Int32Array.from(ir.groups, (g) => (g.searchable ? 0 : g.size));
  return connectWidths(ir, widths, cheapness(ir, cost));
}

/** −(what a group adds at one channel to the all-ones architecture): higher is cheaper, so preferred. */
function cheapness(ir: Ir, cost: SearchCost): Float64Array {
  const ones = Int32Array.from(ir.groups, (g) => (g.searchable ? 1 : g.size));
  const base = polynomialCost(ir, ones)[cost];
  const preference = new Float64Array(ir.groups.length);
  for (const group of ir.groups) {
    if (!group.searchable) continue;
    ones[group.id] = 0;
    preference[group.id] = polynomialCost(ir, ones)[cost] - base;
    ones[group.id] = 1;
  }
  return preference;
}

/** The cost export would count: groups left without a surviving producer at 0. */
function costAt(ir: Ir, widths: Int32Array, cost: SearchCost): number {
  return polynomialCost(ir, effectiveWidths(ir, widths) ?? widths)[cost];
}

function unreachable(
  ir: Ir,
  cost: SearchCost,
  target: number,
  smallest: number,
  largest: number,
  tooSmall: boolean,
): Diagnostic {
  const [low, high, asked] = [smallest, largest, target].map(formatNumber);
  const message =
    `--target ${cost}=${asked} is ${tooSmall ? "below" : "above"} every architecture of '${ir.space}': ` +
    `the smallest connected architecture of this space has ${low} ${cost} ` +
    "(one channel in each group a path from input to output needs) " +
    `and the full space ${high}; choose a target between ${low} and ${high}` +
    (tooSmall ? ", or a smaller space (smaller --set widths)" : ", or a larger space (larger --set widths)");
  // Where the space starts: its input op, as the IR recorded it (an IR without nodes has no place to point at).
  const r = ir.nodes[0]?.range;
  if (!r) return plainError(codeOf("TargetUnreachable"), message);
  return error(codeOf("TargetUnreachable"), message, { file: r.file, start: { ...r.start }, end: { ...r.end } });
}
