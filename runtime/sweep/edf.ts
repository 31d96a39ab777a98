/**
 * Statistics of `figs diff --trained`: trained sub-architectures of several
 * spaces compared the way Radosavovic et al. (2019, "On Network Design
 * Spaces for Visual Recognition", §3) compare design spaces.
 *
 * - The complexity-normalised error EDF: each space's models are reweighted
 *   so that its complexity distribution matches a common (uniform over bins)
 *   one. log-complexity is cut into B equal-width bins over the pooled range
 *   of all spaces; a bin empty in any space is dropped; each model weighs
 *   1/(its space's models in its bin), normalised so that each space's
 *   weights sum to 1 (so w = 1/(count · kept bins)); F(e) = Σ w_i·1[e_i < e].
 * - The Kolmogorov–Smirnov distance D = sup_e |F_A(e) − F_B(e)| of two such
 *   EDFs, with a 95% percentile bootstrap interval (each space's models
 *   resampled with replacement, the normalisation and D recomputed).
 * - The share of each space on the joint Pareto front of (error, cost).
 */
import { seededRandom } from "../../compiler/index.js";
import { paretoCounts, quantiles } from "../../compiler/index.js";

/** One trained model: its test error (1 − accuracy) and its complexity (params or madds). */
export interface TrainedModel {
  readonly error: number;
  readonly complexity: number;
}

export interface NormalisedWeights {
  /** Bin b covers log-complexity [edges[b], edges[b+1]) (the last bin includes its top). */
  readonly edges: readonly number[];
  /** counts[space][bin]: how many of the space's models fall in the bin. */
  readonly counts: readonly (readonly number[])[];
  /** Bins non-empty in every space: the ones that weigh. */
  readonly kept: readonly boolean[];
  /** weights[space][model]: 0 for a model in a dropped bin; each space's weights sum to 1 (or all 0: no common bin). */
  readonly weights: readonly (readonly number[])[];
}

/** The bin of each model by log-complexity, B equal-width bins over the pooled range. */
export function normalisedWeights(spaces: readonly (readonly TrainedModel[])[], bins: number): NormalisedWeights {
  const logs = spaces.map((models) => models.map((m) => Math.log(Math.max(m.complexity, Number.MIN_VALUE))));
  const pooled = logs.flat();
  const low = Math.min(...pooled);
  const high = Math.max(...pooled);
  const width = (high - low) / bins;
  const edges = Array.from({ length: bins + 1 }, (_, b) => (b === bins ? high : low + b * width));
  const binOf = (x: number): number => (width > 0 ? Math.min(bins - 1, Math.floor((x - low) / width)) : 0);
  const binned = logs.map((values) => values.map(binOf));
  const counts = binned.map((models) => {
    const count = Array<number>(bins).fill(0);
    for (const bin of models) count[bin]! += 1;
    return count;
  });
  const kept = Array.from({ length: bins }, (_, b) => counts.every((count) => count[b]! > 0));
  const keptBins = kept.filter(Boolean).length;
  const weights = binned.map((models, space) =>
    models.map((bin) => (kept[bin] ? 1 / (counts[space]![bin]! * keptBins) : 0)),
  );
  return { edges, counts, kept, weights };
}

/** A step of an EDF: F(e) = value for e in (error, next error], i.e. Σ w_i·1[e_i ≤ error] just past error. */
export interface EdfStep {
  readonly error: number;
  readonly value: number;
}

/** The weighted EDF F(e) = Σ w_i·1[e_i < e] as its steps: one per distinct error of a weighted model, ascending. */
export function edfSteps(errors: readonly number[], weights: readonly number[]): EdfStep[] {
  const order = errors.map((_, i) => i).filter((i) => weights[i]! > 0);
  order.sort((a, b) => errors[a]! - errors[b]!);
  const steps: EdfStep[] = [];
  let total = 0;
  for (const i of order) {
    total += weights[i]!;
    const last = steps[steps.length - 1];
    if (last !== undefined && last.error === errors[i]) steps[steps.length - 1] = { error: last.error, value: total };
    else steps.push({ error: errors[i]!, value: total });
  }
  return steps;
}

/** F(e) = Σ w_i·1[e_i < e] at one e, from the steps. */
export function edfAt(steps: readonly EdfStep[], e: number): number {
  let value = 0;
  for (const step of steps) if (step.error < e) value = step.value;
  return value;
}

/**
 * sup_e |F_A(e) − F_B(e)|: both are constant between the errors of the
 * models, so the supremum is reached just past one of them.
 */
export function ksDistance(a: readonly EdfStep[], b: readonly EdfStep[]): number {
  const errors = [...new Set([...a, ...b].map((s) => s.error))].sort((x, y) => x - y);
  let [i, j, fa, fb, d] = [0, 0, 0, 0, 0];
  for (const e of errors) {
    while (i < a.length && a[i]!.error <= e) fa = a[i++]!.value;
    while (j < b.length && b[j]!.error <= e) fb = b[j++]!.value;
    d = Math.max(d, Math.abs(fa - fb));
  }
  return d;
}

/** Each space's normalised EDF; undefined when no bin holds models of every space. */
export function normalisedEdfs(spaces: readonly (readonly TrainedModel[])[], bins: number): EdfStep[][] | undefined {
  if (spaces.some((models) => models.length === 0)) return undefined;
  const { kept, weights } = normalisedWeights(spaces, bins);
  if (!kept.some(Boolean)) return undefined;
  return spaces.map((models, s) =>
    edfSteps(
      models.map((m) => m.error),
      weights[s]!,
    ),
  );
}

export interface KsResult {
  readonly a: number;
  readonly b: number;
  /** The KS distance of the two normalised EDFs. */
  readonly d: number;
  /** The 95% percentile bootstrap interval of d; null when no resample had a common bin. */
  readonly low: number | null;
  readonly high: number | null;
  /** Resamples used (those with a bin common to both spaces). */
  readonly resamples: number;
}

export interface BootstrapOptions {
  readonly bins: number;
  readonly resamples: number;
  readonly seed: number;
  readonly level: number;
}

export const DEFAULT_BOOTSTRAP: BootstrapOptions = { bins: 10, resamples: 1000, seed: 1, level: 0.95 };

/**
 * KS distance of the pair's normalised EDFs (normalised over the two spaces
 * alone) with its percentile bootstrap interval. Deterministic for a seed.
 */
export function ksBootstrap(
  a: readonly TrainedModel[],
  b: readonly TrainedModel[],
  options: Partial<BootstrapOptions> = {},
): Omit<KsResult, "a" | "b"> | undefined {
  const { bins, resamples, seed, level } = { ...DEFAULT_BOOTSTRAP, ...options };
  const distance = (x: readonly TrainedModel[], y: readonly TrainedModel[]): number | undefined => {
    const edfs = normalisedEdfs([x, y], bins);
    return edfs === undefined ? undefined : ksDistance(edfs[0]!, edfs[1]!);
  };
  const d = distance(a, b);
  if (d === undefined) return undefined;
  const random = seededRandom(seed);
  const resample = (models: readonly TrainedModel[]): TrainedModel[] =>
    models.map(() => models[Math.floor(random() * models.length)]!);
  const values: number[] = [];
  for (let r = 0; r < resamples; r++) {
    const value = distance(resample(a), resample(b));
    if (value !== undefined) values.push(value);
  }
  if (values.length === 0) return { d, low: null, high: null, resamples: 0 };
  return {
    d,
    low: percentile(values, (1 - level) / 2),
    high: percentile(values, (1 + level) / 2),
    resamples: values.length,
  };
}

/** Linear interpolation between order statistics (as quantiles does). */
function percentile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((x, y) => x - y);
  const position = q * (sorted.length - 1);
  const lowIndex = Math.floor(position);
  const highIndex = Math.min(lowIndex + 1, sorted.length - 1);
  return sorted[lowIndex]! + (position - lowIndex) * (sorted[highIndex]! - sorted[lowIndex]!);
}

export interface ParetoShare {
  /** The space's models on the joint front of (error ↓, cost ↓). */
  readonly front: number;
  /** front / all models on the front (0 when the front is empty). */
  readonly share: number;
}

/** Each space's models on the Pareto front of all spaces' models pooled, minimising error and complexity. */
export function paretoShares(spaces: readonly (readonly TrainedModel[])[]): ParetoShare[] {
  const counts = paretoCounts({
    coordinates: [
      spaces.map((models) => models.map((m) => m.error)),
      spaces.map((models) => models.map((m) => m.complexity)),
    ],
    setSizes: spaces.map((models) => models.length),
  });
  const total = counts.reduce((x, y) => x + y, 0);
  return counts.map((front) => ({ front, share: total > 0 ? front / total : 0 }));
}

export type TrainedCost = "params" | "madds";
export const TRAINED_COSTS: readonly TrainedCost[] = ["params", "madds"];

/** A trained sub-architecture as the sweep's results row gives it. */
export interface TrainedRow {
  readonly testAccuracy: number;
  readonly params: number;
  readonly madds: number;
}

export interface TrainedSpaceSummary {
  readonly label: string;
  readonly models: number;
  readonly error: ReturnType<typeof quantiles>;
  readonly params: ReturnType<typeof quantiles>;
  readonly madds: ReturnType<typeof quantiles>;
}

export interface CostComparison {
  readonly cost: TrainedCost;
  /**
   * Every space's EDF normalised over all the spaces together; when they share no bin of complexity (their
   * ranges do not overlap), each space's plain EDF of error instead, and `normalised` is false.
   */
  readonly edfs: readonly { readonly space: string; readonly steps: readonly EdfStep[] }[];
  readonly normalised: boolean;
  /** Each pair, normalised over the two; d null when they share no bin. */
  readonly ks: readonly {
    readonly a: string;
    readonly b: string;
    readonly d: number | null;
    readonly low: number | null;
    readonly high: number | null;
  }[];
  readonly pareto: readonly ({ readonly space: string } & ParetoShare)[];
}

export interface TrainedComparison {
  readonly bins: number;
  readonly bootstrap: { readonly resamples: number; readonly seed: number; readonly level: number };
  readonly spaces: readonly TrainedSpaceSummary[];
  readonly costs: readonly CostComparison[];
}

/** √(fewest models), from 1 to 10: a bin should hold a few models of every space. */
export function defaultBins(sizes: readonly number[]): number {
  return Math.max(1, Math.min(10, Math.floor(Math.sqrt(Math.min(...sizes, 100)))));
}

/** The whole comparison of `figs diff --trained`, from each space's result rows (error = 1 − test accuracy). */
export function compareTrained(
  spaces: readonly { readonly label: string; readonly rows: readonly TrainedRow[] }[],
  options: Partial<BootstrapOptions> = {},
): TrainedComparison {
  const bins = options.bins ?? defaultBins(spaces.map((s) => s.rows.length));
  const { resamples, seed, level } = { ...DEFAULT_BOOTSTRAP, ...options };
  const summaries = spaces.map(({ label, rows }) => ({
    label,
    models: rows.length,
    error: quantiles(rows.map((r) => 1 - r.testAccuracy)),
    params: quantiles(rows.map((r) => r.params)),
    madds: quantiles(rows.map((r) => r.madds)),
  }));
  const costs = TRAINED_COSTS.map((cost): CostComparison => {
    const models = spaces.map((s) => s.rows.map((r) => ({ error: 1 - r.testAccuracy, complexity: r[cost] })));
    const edfs = normalisedEdfs(models, bins);
    const ks: CostComparison["ks"][number][] = [];
    for (let a = 0; a < spaces.length; a++)
      for (let b = a + 1; b < spaces.length; b++) {
        const result = ksBootstrap(models[a]!, models[b]!, { bins, resamples, seed, level });
        const [x, y] = [spaces[a]!.label, spaces[b]!.label];
        ks.push({ a: x, b: y, d: result?.d ?? null, low: result?.low ?? null, high: result?.high ?? null });
      }
    const pareto = paretoShares(models).map((share, s) => ({ space: spaces[s]!.label, ...share }));
    const shown =
      edfs ??
      models.map((m) =>
        edfSteps(
          m.map((x) => x.error),
          m.map(() => 1 / m.length),
        ),
      );
    return {
      cost,
      edfs: shown.map((steps, s) => ({ space: spaces[s]!.label, steps })),
      normalised: !!edfs,
      ks,
      pareto,
    };
  });
  return { bins, bootstrap: { resamples, seed, level }, spaces: summaries, costs };
}
