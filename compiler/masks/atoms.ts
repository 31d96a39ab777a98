/**
 * Second pass: cut every producer's channels into atoms so that each equality
 * maps whole atoms onto whole atoms, then union the atoms it equates.
 *
 * A cut at channel c of a producer inside an equality's range forces the cut
 * at the corresponding channel on the other side; cuts only ever get added and
 * are bounded by the widths, so propagating them with a worklist reaches a
 * fixpoint. Every new cut is a new atom and costs a slice of the budget:
 * channels that shift against each other can cut a 2^26-channel conv into
 * single channels.
 *
 * Tables are arrays by node id, and a producer no equality touches keeps the
 * implicit cuts [0, width] (one atom): a chain of 250,000 convs needs no set
 * or list per conv.
 */
import type { Equality } from "./segments.js";
import { SliceBudget } from "./budget.js";
import { UnionFind } from "./union-find.js";

export interface AtomTable {
  /** By node id: the producer's sorted cut points from 0 to its width, when it has more than those two. */
  readonly cuts: readonly (readonly number[] | undefined)[];
  /** By node id: the producer's width (0 for non-producers). */
  readonly widths: Float64Array;
  /** By node id: id of the producer's first atom (atom k of it is `base + k`); -1 for non-producers. */
  readonly base: Int32Array;
  /** Producer node ids in increasing order. */
  readonly producers: Int32Array;
  readonly atomCount: number;
  readonly sets: UnionFind;
}

/** `widths`: by node id, the producer's channel count, or -1 for a node that produces none. */
export function buildAtoms(
  widths: Float64Array,
  equalities: readonly Equality[],
  budget = new SliceBudget(),
): AtomTable {
  const cutSets = propagateCuts(widths, equalities, budget);
  const cuts: (number[] | undefined)[] = new Array(widths.length);
  const base = new Int32Array(widths.length).fill(-1);
  const producers: number[] = [];
  let atomCount = 0;
  for (let producer = 0; producer < widths.length; producer++) {
    if ((widths[producer] as number) < 0) continue;
    producers.push(producer);
    base[producer] = atomCount;
    const set = cutSets.get(producer);
    if (set) cuts[producer] = [...set].sort((a, b) => a - b);
    atomCount += set ? set.size - 1 : 1;
  }
  const table = {
    cuts,
    widths,
    base,
    producers: Int32Array.from(producers),
    atomCount,
    sets: new UnionFind(atomCount),
  };
  for (const equality of equalities) unionEquality(table, equality, budget);
  return table;
}

/** The cut points of a producer: its own list, or [0, width]. */
export function cutsOf(table: AtomTable, producer: number): readonly number[] {
  return table.cuts[producer] ?? [0, table.widths[producer] as number];
}

/** Index of the atom of `producer` that starts at channel `channel` (which must be a cut). */
export function atomAt(table: AtomTable, producer: number, channel: number): number {
  const cuts = table.cuts[producer];
  const first = table.base[producer] as number;
  if (!cuts) return first;
  let lo = 0;
  let hi = cuts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((cuts[mid] as number) <= channel) lo = mid;
    else hi = mid - 1;
  }
  return first + lo;
}

/** Cut sets only for producers that some equality touches; the others keep [0, width]. */
function propagateCuts(
  widths: Float64Array,
  equalities: readonly Equality[],
  budget: SliceBudget,
): Map<number, Set<number>> {
  const cutSets = new Map<number, Set<number>>();
  const touching = new Map<number, number[]>();
  const worklist: [number, number][] = [];
  let node = 0;
  const addCut = (producer: number, channel: number): void => {
    let set = cutSets.get(producer);
    if (!set) {
      if (!((widths[producer] ?? -1) >= 0)) return;
      cutSets.set(producer, (set = new Set([0, widths[producer] as number])));
    }
    if (set.has(channel)) return;
    budget.spend(1, node);
    set.add(channel);
    worklist.push([producer, channel]);
  };
  equalities.forEach((e, index) => {
    for (const producer of [e.left, e.right]) {
      const list = touching.get(producer) ?? [];
      list.push(index);
      touching.set(producer, list);
    }
  });
  for (const e of equalities) {
    node = e.node;
    for (const cut of [e.leftStart, e.leftStart + e.length]) addCut(e.left, cut);
    for (const cut of [e.rightStart, e.rightStart + e.length]) addCut(e.right, cut);
  }
  while (worklist.length > 0) {
    const [producer, cut] = worklist.pop() as [number, number];
    for (const index of touching.get(producer) ?? []) {
      const e = equalities[index] as Equality;
      node = e.node;
      if (e.left === producer) mirror(cut, e.leftStart, e.length, (t) => addCut(e.right, e.rightStart + t));
      if (e.right === producer) mirror(cut, e.rightStart, e.length, (t) => addCut(e.left, e.leftStart + t));
    }
  }
  return cutSets;
}

function mirror(cut: number, start: number, length: number, add: (offset: number) => void): void {
  if (cut > start && cut < start + length) add(cut - start);
}

/** One step per atom in the range: an add repeated in a loop over a finely cut tensor repeats them all. */
function unionEquality(table: AtomTable, e: Equality, budget: SliceBudget): void {
  let offset = 0;
  while (offset < e.length) {
    budget.spend(1, e.node);
    const left = atomAt(table, e.left, e.leftStart + offset);
    const right = atomAt(table, e.right, e.rightStart + offset);
    table.sets.union(left, right);
    offset += atomLength(table, e.left, left);
  }
}

export function atomLength(table: AtomTable, producer: number, atom: number): number {
  const cuts = table.cuts[producer];
  if (!cuts) return table.widths[producer] as number;
  const k = atom - (table.base[producer] as number);
  return (cuts[k + 1] ?? 0) - (cuts[k] ?? 0);
}
