/**
 * The two baselines the FiGS paper compares a search against (section 4.1):
 * random sub-architectures (a random subset of the operators and one uniform
 * width multiplier w ∈ [0.25, 1]) and the plain uniform width multiplier.
 * Both are widths per group, ready for `runtime/export`; nothing here touches
 * files or tfjs, so the same seed always plans the same architectures.
 */
import {
  ArchitectureSampler,
  DEFAULT_SAMPLE_OPTIONS,
  exportedCostOf,
  multiplierForBudget,
  sampleWithinBudget,
  type Budget,
  type BudgetedSample,
  type Ir,
  type SampleOptions,
  seededRandom,
  streamSeed,
} from "../../compiler/index.js";
import { pruneArchitecture } from "../export/prune.js";

/** One architecture a baseline chose, with the settings its arch.json records. */
export interface BaselineArchitecture {
  /** Folder name of its export inside the output folder (`sample-3`), or "" for the folder itself. */
  readonly name: string;
  readonly widths: Int32Array;
  readonly multiplier: number;
  /** Searchable groups the baseline removed (dropped, or left without input or consumer). */
  readonly removedGroups: number;
  /** Recorded as arch.json's `search`: how these widths were found. */
  readonly settings: Readonly<Record<string, unknown>>;
  readonly seed: number | null;
  /** Seeds the exported model's initial weights, so its weights.bin repeats too. */
  readonly initSeed: number;
}

export interface RandomBaselineOptions {
  readonly count: number;
  readonly seed: number;
  readonly sampling?: SampleOptions;
  /** Each sample scaled onto this budget (compiler/sample/budget.ts). */
  readonly budget?: Budget;
  /** Structures drawn per sample before a budget counts as out of reach. */
  readonly maxDraws?: number;
}

export const SAMPLE_PREFIX = "sample-";
const DEFAULT_MAX_DRAWS = 1000;

/** The budget no sample could land on: which sample, after how many draws. */
export interface UnreachableBudget {
  readonly sample: number;
  readonly draws: number;
}

/**
 * `count` random sub-architectures. Sample i draws from its own stream
 * (`streamSeed(seed, i)`), so it is the same architecture whatever `count` is.
 */
export function randomBaselines(
  ir: Ir,
  options: RandomBaselineOptions,
): { architectures: BaselineArchitecture[]; unreachable?: UnreachableBudget } {
  const sampling = options.sampling ?? DEFAULT_SAMPLE_OPTIONS;
  const sampler = new ArchitectureSampler(ir, sampling, exportableIn(ir));
  const costOf = options.budget ? exportedCostOf(ir) : undefined;
  const maxDraws = options.maxDraws ?? DEFAULT_MAX_DRAWS;
  const architectures: BaselineArchitecture[] = [];
  for (let index = 0; index < options.count; index++) {
    const stream = streamSeed(options.seed, index);
    const random = seededRandom(stream);
    const budgeted =
      options.budget && costOf ? sampleWithinBudget(sampler, random, options.budget, costOf, maxDraws) : undefined;
    if (options.budget && !budgeted) return { architectures, unreachable: { sample: index, draws: maxDraws } };
    const sampled = budgeted ?? sampler.sample(random);
    const settings = {
      baseline: "random",
      widths: sampling.widths,
      multiplier: sampled.multiplier,
      seed: options.seed,
      sample: index,
      streamSeed: stream,
      dropProbability: sampling.dropProbability,
      removedGroups: sampled.removedGroups,
      ...(options.budget && budgeted ? budgetSettings(options.budget, budgeted) : {}),
    };
    architectures.push({
      name: `${SAMPLE_PREFIX}${index}`,
      widths: sampled.widths,
      multiplier: sampled.multiplier,
      removedGroups: sampled.removedGroups,
      settings,
      seed: options.seed,
      initSeed: stream,
    });
  }
  return { architectures };
}

/** Whether export can write these widths (runtime/export/prune.ts decides, as `figs sample` will export them). */
function exportableIn(ir: Ir): (widths: Int32Array) => boolean {
  return (widths) => pruneArchitecture(ir, widths).architecture !== undefined;
}

function budgetSettings(budget: Budget, sampled: BudgetedSample): Record<string, unknown> {
  return {
    target: { [budget.metric]: budget.target },
    tolerance: budget.tolerance,
    scale: sampled.scale,
    draws: sampled.draws,
  };
}

/** Why a width multiplier is unusable, or undefined: it must lie in (0, 1]. */
export function multiplierProblem(multiplier: number): string | undefined {
  if (!Number.isFinite(multiplier) || multiplier <= 0 || multiplier > 1)
    return `the width multiplier must be a number in (0, 1], not ${multiplier}`;
  return undefined;
}

/** Every searchable group at max(1, round(w·size)): the width-multiplier baseline. Check `multiplierProblem` first. */
export function uniformBaseline(ir: Ir, multiplier: number): BaselineArchitecture {
  const widths = new ArchitectureSampler(ir).scaled(multiplier);
  return uniformArchitecture(widths, multiplier, { baseline: "uniform", multiplier });
}

/**
 * The width multiplier whose export is closest to the budget; `within` says whether it lands within the
 * tolerance (a space whose cost moves in larger steps may not).
 */
export function uniformBaselineAtBudget(
  ir: Ir,
  budget: Budget,
): { architecture: BaselineArchitecture; within: boolean; cost: number } {
  const found = multiplierForBudget(ir, new ArchitectureSampler(ir), budget);
  const settings = {
    baseline: "uniform",
    multiplier: found.multiplier,
    target: { [budget.metric]: budget.target },
    tolerance: budget.tolerance,
  };
  return {
    architecture: uniformArchitecture(found.widths, found.multiplier, settings),
    within: found.within,
    cost: found.cost,
  };
}

function uniformArchitecture(
  widths: Int32Array,
  multiplier: number,
  settings: Readonly<Record<string, unknown>>,
): BaselineArchitecture {
  return { name: "", widths, multiplier, removedGroups: 0, settings, seed: null, initSeed: 0 };
}
