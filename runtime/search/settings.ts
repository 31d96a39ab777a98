/**
 * The settings of one search, their defaults, and the checks that turn bad
 * values into diagnostics before anything runs or is written.
 */
import { fail, ok, type Result } from "../data/errors.js";

export type SearchCost = "params" | "madds";

export interface SearchSettings {
  /** Which of the IR's cost polynomials the regulariser λ·E[cost] uses. */
  readonly cost: SearchCost;
  /** λ: fixed without a target, the controller's starting value with one (0 = choose 1/full cost). */
  readonly lambda: number;
  /** Exported cost to land on (same kind as `cost`), or null for a fixed λ. */
  readonly target: number | null;
  /** ±tolerance around the target, relative (0.05 = ±5%). */
  readonly tolerance: number;
  readonly steps: number;
  readonly batchSize: number;
  /** Adam learning rate of the weights (step decay: ×0.5 every 35% of the run). */
  readonly learningRate: number;
  /** Adam learning rate of the mask logits ν (same decay). */
  readonly archLearningRate: number;
  readonly seed: number;
  /** Save a checkpoint after every this many steps (and on SIGINT, and at the end). */
  readonly checkpointEvery: number;
  /** The λ controller looks at the exported cost every this many steps. */
  readonly controlEvery: number;
}

export const DEFAULT_SEARCH: SearchSettings = {
  cost: "params",
  lambda: 0,
  target: null,
  tolerance: 0.05,
  steps: 300,
  batchSize: 64,
  learningRate: 0.002,
  archLearningRate: 0.3,
  seed: 1,
  checkpointEvery: 50,
  controlEvery: 5,
};

function positiveInteger(value: number, what: string): string | undefined {
  return Number.isInteger(value) && value > 0 ? undefined : `${what} must be a positive integer, got ${value}`;
}

function positiveNumber(value: number, what: string): string | undefined {
  return Number.isFinite(value) && value > 0 ? undefined : `${what} must be a positive number, got ${value}`;
}

export function checkSearchSettings(settings: SearchSettings): Result<SearchSettings> {
  const problem =
    positiveInteger(settings.steps, "--steps") ??
    positiveInteger(settings.batchSize, "--batch") ??
    positiveInteger(settings.checkpointEvery, "--checkpoint-every") ??
    positiveInteger(settings.controlEvery, "the control interval") ??
    positiveNumber(settings.learningRate, "--lr") ??
    positiveNumber(settings.archLearningRate, "--arch-lr") ??
    (Number.isFinite(settings.lambda) && settings.lambda >= 0 ? undefined : `--lambda must be a number ≥ 0, got ${settings.lambda}`) ??
    (settings.target === null ? undefined : positiveNumber(settings.target, "--target")) ??
    (Number.isSafeInteger(settings.seed) && settings.seed >= 0 ? undefined : `--seed must be a non-negative integer, got ${settings.seed}`);
  return problem === undefined ? ok(settings) : fail("invalidOption", "search settings", problem);
}

const SUFFIXES: Readonly<Record<string, number>> = { "": 1, k: 1e3, K: 1e3, m: 1e6, M: 1e6, g: 1e9, G: 1e9 };

/** `200k`, `20M`, `1.5e6` → a number; undefined when it is not one. */
export function parseAmount(text: string): number | undefined {
  const match = /^\s*([0-9]*\.?[0-9]+(?:e[+-]?[0-9]+)?)\s*([kKmMgG]?)\s*$/.exec(text);
  if (!match) return undefined;
  const value = Number(match[1]) * (SUFFIXES[match[2] ?? ""] ?? 1);
  return Number.isFinite(value) ? value : undefined;
}

/** `params=200k` / `madds=20M` → the cost kind and the amount, or a message. */
export function parseTarget(text: string): { cost: SearchCost; value: number } | string {
  const match = /^\s*(params|madds)\s*=\s*(.+)$/.exec(text);
  if (!match) return `--target must be params=N or madds=N (e.g. params=200k, madds=20M), got '${text}'`;
  const value = parseAmount(match[2] ?? "");
  if (value === undefined || value <= 0) return `--target ${match[1]}= needs a positive amount like 200k or 20M, got '${match[2]}'`;
  return { cost: match[1] as SearchCost, value };
}
