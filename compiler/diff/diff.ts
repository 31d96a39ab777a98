/**
 * Comparing search spaces without training (FiGS paper section 4.2): N random
 * sub-architectures of each space (compiler/sample), their exact params and
 * madds from the IR's cost polynomials, the distributions of both and of
 * madds per param, and how much of each space lies on the joint Pareto front.
 */
import { compilePolynomial, valueAtWidths, type CompiledPolynomial } from "../cost/evaluate.js";
import { expandSizes } from "../cost/gated.js";
import { Polynomial } from "../cost/polynomial.js";
import type { Ir } from "../ir/types.js";
import { ArchitectureSampler, DEFAULT_SAMPLE_OPTIONS, type SampleOptions } from "../sample/sampler.js";
import { seededRandom, streamSeed } from "../sample/random.js";
import { matchedMedians, paretoCounts, quantiles, type MatchedBands, type Quantiles } from "./statistics.js";

export const DIFF_METRICS = ["params", "madds"] as const;
export type DiffMetric = (typeof DIFF_METRICS)[number];

export interface DiffSpace {
  /** Shown in tables and charts; unique among the spaces compared. */
  readonly label: string;
  readonly ir: Ir;
}

export interface DiffOptions {
  readonly samples: number;
  readonly seed: number;
  /** The costs the Pareto front is taken over (one or both). */
  readonly metrics: readonly DiffMetric[];
  readonly sampling: SampleOptions;
  /** Called now and then while sampling, for progress output. */
  readonly onProgress?: (label: string, done: number, total: number) => void;
}

export const DEFAULT_DIFF_OPTIONS: DiffOptions = {
  samples: 10_000,
  seed: 1,
  metrics: DIFF_METRICS,
  sampling: DEFAULT_SAMPLE_OPTIONS,
};

/** The sampled costs of one space, in sample order. */
export interface SpaceSamples {
  readonly label: string;
  readonly params: Float64Array;
  readonly madds: Float64Array;
}

export interface SpaceSummary {
  readonly label: string;
  readonly space: string;
  readonly parameters: Readonly<Record<string, unknown>>;
  readonly full: { readonly params: number; readonly madds: number };
  readonly groups: { readonly searchable: number; readonly droppable: number };
  readonly quantiles: { readonly params: Quantiles; readonly madds: Quantiles; readonly maddsPerParam: Quantiles };
  readonly pareto: {
    /** This space's samples on the joint front. */
    readonly points: number;
    /** points / samples of this space. */
    readonly shareOfSamples: number;
    /** points / all points on the front: sums to 1 over the spaces. */
    readonly shareOfFront: number;
  };
}

export interface DiffReport {
  readonly samples: number;
  readonly seed: number;
  readonly metrics: readonly DiffMetric[];
  readonly sampling: SampleOptions;
  readonly frontPoints: number;
  readonly spaces: readonly SpaceSummary[];
  /** Median madds of each space within bands of params (quintiles of all samples), and the converse. */
  readonly matched: { readonly maddsAtParams: MatchedBands; readonly paramsAtMadds: MatchedBands };
}

export interface DiffResult {
  readonly report: DiffReport;
  readonly samples: readonly SpaceSamples[];
}

export function diffSpaces(spaces: readonly DiffSpace[], options: DiffOptions = DEFAULT_DIFF_OPTIONS): DiffResult {
  const samplers = spaces.map((s) => new ArchitectureSampler(s.ir, options.sampling));
  const samples = spaces.map((s, i) => sampleCosts(s, samplers[i]!, options, streamSeed(options.seed, i)));
  const counts = paretoCounts({
    coordinates: options.metrics.map((m) => samples.map((s) => s[m])),
    setSizes: samples.map((s) => s.params.length),
  });
  const frontPoints = counts.reduce((a, b) => a + b, 0);
  const summaries = spaces.map((space, i): SpaceSummary => {
    const { params, madds } = samples[i]!;
    const full = space.ir.costs.full;
    return {
      label: space.label,
      space: space.ir.space,
      parameters: space.ir.parameters,
      full: { params: full.params, madds: full.madds },
      groups: {
        searchable: space.ir.groups.filter((g) => g.searchable).length,
        droppable: samplers[i]!.droppable.length,
      },
      quantiles: {
        params: quantiles(params),
        madds: quantiles(madds),
        maddsPerParam: quantiles(params.map((p, k) => (madds[k] as number) / p)),
      },
      pareto: {
        points: counts[i]!,
        shareOfSamples: counts[i]! / params.length,
        shareOfFront: frontPoints === 0 ? 0 : counts[i]! / frontPoints,
      },
    };
  });
  const { samples: count, seed, metrics, sampling } = options;
  const matched = matchedBands(samples);
  return { report: { samples: count, seed, metrics, sampling, frontPoints, spaces: summaries, matched }, samples };
}

const MATCHED_BANDS = 5;
/** A median of fewer samples than this is noise; the band shows "—" for that space. */
const MATCHED_MIN_SAMPLES = 20;

function matchedBands(samples: readonly SpaceSamples[]): DiffReport["matched"] {
  const params = samples.map((s) => s.params);
  const madds = samples.map((s) => s.madds);
  const minCount = Math.min(MATCHED_MIN_SAMPLES, ...samples.map((s) => s.params.length));
  return {
    maddsAtParams: matchedMedians(params, madds, MATCHED_BANDS, minCount),
    paramsAtMadds: matchedMedians(madds, params, MATCHED_BANDS, minCount),
  };
}

const PROGRESS_EVERY = 1000;

/** `options.samples` random architectures of one space and their exact costs. */
export function sampleCosts(
  space: DiffSpace,
  sampler: ArchitectureSampler,
  options: DiffOptions,
  seed: number,
): SpaceSamples {
  const random = seededRandom(seed);
  const paramsPolynomial = compiled(space.ir.costs.params);
  const maddsPolynomial = compiled(space.ir.costs.madds);
  const params = new Float64Array(options.samples);
  const madds = new Float64Array(options.samples);
  const widths = new Int32Array(space.ir.groups.length);
  const gates = { groupCount: space.ir.groups.length, gated: space.ir.gated ?? [] };
  for (let i = 0; i < options.samples; i++) {
    sampler.sample(random, widths);
    const sizes = gates.gated.length === 0 ? widths : expandSizes(gates, (g) => widths[g] as number);
    params[i] = valueAtWidths(paramsPolynomial, sizes);
    madds[i] = valueAtWidths(maddsPolynomial, sizes);
    if (options.onProgress && (i + 1) % PROGRESS_EVERY === 0) options.onProgress(space.label, i + 1, options.samples);
  }
  return { label: space.label, params, madds };
}

function compiled(json: Ir["costs"]["params"]): CompiledPolynomial {
  return compilePolynomial(Polynomial.fromJson(json));
}
