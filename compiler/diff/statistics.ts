/** Quantiles and the joint Pareto front of sampled costs. */

export const QUANTILES = [0.05, 0.25, 0.5, 0.75, 0.95] as const;
export type QuantileLabel = "p5" | "p25" | "p50" | "p75" | "p95";
export type Quantiles = Readonly<Record<QuantileLabel, number>>;

/** Linear interpolation between order statistics (NumPy's default), on an unsorted copy. */
export function quantiles(values: ArrayLike<number>): Quantiles {
  const sorted = Float64Array.from(values).sort();
  const at = (q: number): number => {
    if (sorted.length === 0) return Number.NaN;
    const position = q * (sorted.length - 1);
    const low = Math.floor(position);
    const high = Math.min(low + 1, sorted.length - 1);
    return (sorted[low] as number) + (position - low) * ((sorted[high] as number) - (sorted[low] as number));
  };
  return { p5: at(0.05), p25: at(0.25), p50: at(0.5), p75: at(0.75), p95: at(0.95) };
}

/** Points of several sets, minimised in every coordinate; `coordinates[c][set][i]`. */
export interface PointSets {
  readonly coordinates: readonly (readonly ArrayLike<number>[])[];
  readonly setSizes: readonly number[];
}

/**
 * For each set, how many of its points are on the Pareto front of the union:
 * no other point is ≤ in every coordinate and < in one. Identical points do
 * not dominate each other. One or two coordinates (sort and sweep).
 */
export function paretoCounts(points: PointSets): number[] {
  const { coordinates, setSizes } = points;
  const owners = setSizes.flatMap((size, set) => Array<number>(size).fill(set));
  const first = flattenCoordinate(coordinates[0] ?? [], setSizes);
  const second =
    coordinates.length > 1 ? flattenCoordinate(coordinates[1] ?? [], setSizes) : new Float64Array(owners.length);
  const order = Int32Array.from(owners.keys()).sort(
    (a, b) => (first[a] as number) - (first[b] as number) || (second[a] as number) - (second[b] as number),
  );
  const counts = setSizes.map(() => 0);
  let bestBefore = Number.POSITIVE_INFINITY;
  for (let start = 0; start < order.length;) {
    let end = start;
    while (end < order.length && first[order[end] as number] === first[order[start] as number]) end++;
    const lowest = second[order[start] as number] as number;
    if (lowest < bestBefore) {
      for (let k = start; k < end && second[order[k] as number] === lowest; k++)
        counts[owners[order[k] as number] as number]! += 1;
      bestBefore = lowest;
    }
    start = end;
  }
  return counts;
}

function flattenCoordinate(sets: readonly ArrayLike<number>[], sizes: readonly number[]): Float64Array {
  const total = sizes.reduce((a, b) => a + b, 0);
  const flat = new Float64Array(total);
  let offset = 0;
  sizes.forEach((size, set) => {
    const values = sets[set] ?? [];
    for (let i = 0; i < size; i++) flat[offset + i] = values[i] as number;
    offset += size;
  });
  return flat;
}

/** Medians of y within bands of x: what each set spends in y at a matched x. */
export interface MatchedBands {
  /** Band b covers x in [edges[b], edges[b+1]]; edges are quantiles of x over all sets. */
  readonly edges: readonly number[];
  /** medians[band][set]; null where the set has fewer than `minCount` points in the band. */
  readonly medians: readonly (readonly (number | null)[])[];
}

export function matchedMedians(
  x: readonly ArrayLike<number>[],
  y: readonly ArrayLike<number>[],
  bands: number,
  minCount: number,
): MatchedBands {
  const all = Float64Array.from(x.flatMap((values) => Array.from(values))).sort();
  const edges = Array.from(
    { length: bands + 1 },
    (_, b) => all[Math.min(all.length - 1, Math.round((b / bands) * (all.length - 1)))] ?? Number.NaN,
  );
  const bandOf = (value: number): number => {
    let band = 0;
    while (band < bands - 1 && value > (edges[band + 1] as number)) band++;
    return band;
  };
  const buckets = Array.from({ length: bands }, () => x.map(() => [] as number[]));
  x.forEach((values, set) => {
    for (let i = 0; i < values.length; i++) buckets[bandOf(values[i] as number)]![set]!.push(y[set]![i] as number);
  });
  const medians = buckets.map((perSet) =>
    perSet.map((values) => (values.length >= minCount ? quantiles(values).p50 : null)),
  );
  return { edges, medians };
}
