/**
 * Second pass: cut every producer's channels into atoms so that each equality
 * maps whole atoms onto whole atoms, then union the atoms it equates.
 *
 * A cut at channel c of a producer inside an equality's range forces the cut
 * at the corresponding channel on the other side; cuts only ever get added and
 * are bounded by the widths, so propagating them with a worklist reaches a
 * fixpoint.
 */
import type { Equality } from "./segments.js";
import { UnionFind } from "./union-find.js";

export interface AtomTable {
  /** Producer node id → sorted cut points, from 0 to the producer's width (non-producers: undefined). */
  readonly cuts: ReadonlyMap<number, readonly number[]>;
  /** Producer node id → id of its first atom; atom k of the producer is `base + k`. */
  readonly base: ReadonlyMap<number, number>;
  readonly atomCount: number;
  readonly sets: UnionFind;
}

export function buildAtoms(widths: ReadonlyMap<number, number>, equalities: readonly Equality[]): AtomTable {
  const cutSets = propagateCuts(widths, equalities);
  const cuts = new Map<number, number[]>();
  const base = new Map<number, number>();
  let atomCount = 0;
  for (const producer of [...cutSets.keys()].sort((a, b) => a - b)) {
    const sorted = [...(cutSets.get(producer) ?? [])].sort((a, b) => a - b);
    cuts.set(producer, sorted);
    base.set(producer, atomCount);
    atomCount += Math.max(0, sorted.length - 1);
  }
  const table = { cuts, base, atomCount, sets: new UnionFind(atomCount) };
  for (const equality of equalities) unionEquality(table, equality);
  return table;
}

/** Index of the atom of `producer` that starts at channel `channel` (which must be a cut). */
export function atomAt(table: AtomTable, producer: number, channel: number): number {
  const cuts = table.cuts.get(producer) ?? [];
  let lo = 0;
  let hi = cuts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((cuts[mid] as number) <= channel) lo = mid;
    else hi = mid - 1;
  }
  return (table.base.get(producer) ?? 0) + lo;
}

function propagateCuts(widths: ReadonlyMap<number, number>, equalities: readonly Equality[]): Map<number, Set<number>> {
  const cutSets = new Map<number, Set<number>>();
  for (const [producer, width] of widths) cutSets.set(producer, new Set([0, width]));
  const touching = new Map<number, number[]>();
  const worklist: [number, number][] = [];
  const addCut = (producer: number, channel: number): void => {
    const set = cutSets.get(producer);
    if (!set || set.has(channel)) return;
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
    for (const cut of [e.leftStart, e.leftStart + e.length]) addCut(e.left, cut);
    for (const cut of [e.rightStart, e.rightStart + e.length]) addCut(e.right, cut);
  }
  while (worklist.length > 0) {
    const [producer, cut] = worklist.pop() as [number, number];
    for (const index of touching.get(producer) ?? []) {
      const e = equalities[index] as Equality;
      if (e.left === producer) mirror(cut, e.leftStart, e.length, (t) => addCut(e.right, e.rightStart + t));
      if (e.right === producer) mirror(cut, e.rightStart, e.length, (t) => addCut(e.left, e.leftStart + t));
    }
  }
  return cutSets;
}

function mirror(cut: number, start: number, length: number, add: (offset: number) => void): void {
  if (cut > start && cut < start + length) add(cut - start);
}

function unionEquality(table: AtomTable, e: Equality): void {
  let offset = 0;
  while (offset < e.length) {
    const left = atomAt(table, e.left, e.leftStart + offset);
    const right = atomAt(table, e.right, e.rightStart + offset);
    table.sets.union(left, right);
    offset += atomLength(table, e.left, left);
  }
}

export function atomLength(table: AtomTable, producer: number, atom: number): number {
  const cuts = table.cuts.get(producer) ?? [];
  const k = atom - (table.base.get(producer) ?? 0);
  return (cuts[k + 1] ?? 0) - (cuts[k] ?? 0);
}
