/**
 * The settings of one search, their defaults, and the checks that turn bad
 * values into diagnostics before anything runs or is written.
 */
import { ok, refuse, type Result } from "../data/errors.js";
import type { ValidationSpec } from "../data/split.js";
import type { MaskNoise } from "../emit/mask-layers.js";
import { compileSchema, type SchemaCheck } from "../checkpoint/json-schema.js";
import {
  AUGMENT_PROPERTIES,
  checkSettings,
  orNull,
  positiveInteger,
  positiveNumber,
  SEED,
} from "../train/settings-schema.js";

export type SearchCost = "params" | "madds";

/**
 * `figs`: ν learns from loss = cross-entropy + λ·E[cost]. `cost-only`: the
 * ablation that shows whether the search learns from the data: the
 * cross-entropy's gradient to ν is stopped, so ν moves by λ·E[cost] (and the
 * budget controller) alone, while the weights train as usual.
 */
export type SearchMethod = "figs" | "cost-only";

export interface SearchSettings {
  readonly method: SearchMethod;
  /** Which of the IR's cost polynomials the regulariser λ·E[cost] uses. */
  readonly cost: SearchCost;
  /**
   * λ: fixed without a target, the controller's starting value with one; null: figs chooses (budget.ts
   * `defaultLambda`). 0 is λ = 0.
   */
  readonly lambda: number | null;
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
  /** Adam ε of the mask logits ν (the paper's 1: small gradients move ν by about lr·g). */
  readonly archEpsilon: number;
  readonly seed: number;
  /** Save a checkpoint after every this many steps (and on SIGINT, and at the end). */
  readonly checkpointEvery: number;
  /** The λ controller looks at the exported cost every this many steps. */
  readonly controlEvery: number;
  /** Initial value of every mask logit ν (paper: 2.5, π ≈ 0.92). */
  readonly initialLogit: number;
  /** Temperature τ of the Logistic-Sigmoid masks (paper: 0.001, no annealing). */
  readonly temperature: number;
  /** `none` drops the logistic noise ℓ (deterministic masks, for checks); no command-line flag. */
  readonly maskNoise: MaskNoise;
  /** Augmentation: pad by this many pixels, then crop back at a random offset (0: no crop). */
  readonly cropPadding: number;
  /** Augmentation: mirror each image left–right with probability 1/2. */
  readonly flip: boolean;
  /** Adaptive sampling (adaptive-samples.ts): up to this many mask samples per step; 1 is one sample, off. */
  readonly samples: number;
}

export const DEFAULT_SEARCH: SearchSettings = {
  method: "figs",
  cost: "params",
  lambda: null,
  target: null,
  tolerance: 0.05,
  steps: 300,
  batchSize: 64,
  learningRate: 0.002,
  archLearningRate: 0.3,
  archEpsilon: 1,
  seed: 1,
  checkpointEvery: 50,
  controlEvery: 5,
  initialLogit: 2.5,
  temperature: 0.001,
  maskNoise: "logistic",
  cropPadding: 0,
  flip: false,
  samples: 1,
};

/** The rules of every setting, in the order they are checked, each in the words of its option. */
export const SEARCH_SETTINGS_PROPERTIES = {
  steps: positiveInteger("--steps"),
  batchSize: positiveInteger("--batch"),
  checkpointEvery: positiveInteger("--checkpoint-every"),
  controlEvery: positiveInteger("the control interval"),
  learningRate: positiveNumber("--lr"),
  archLearningRate: positiveNumber("--arch-lr"),
  archEpsilon: positiveNumber("--arch-eps"),
  lambda: orNull({ type: "number", minimum: 0 }, "--lambda must be a number ≥ 0"),
  target: orNull({ type: "number", exclusiveMinimum: 0 }, "--target must be a positive number"),
  seed: SEED,
  initialLogit: { type: "number", errorMessage: "--nu-init must be a number" },
  temperature: positiveNumber("--temperature"),
  maskNoise: { enum: ["logistic", "none"], errorMessage: "the mask noise must be logistic or none" },
  ...AUGMENT_PROPERTIES,
  cost: { enum: ["params", "madds"], errorMessage: "--cost must be params or madds" },
  method: { enum: ["figs", "cost-only"], errorMessage: "--method must be figs or cost-only" },
  samples: { type: "integer", minimum: 1, maximum: 64, errorMessage: "--samples must be an integer from 1 to 64" },
  tolerance: { type: "number", minimum: 0, errorMessage: "the tolerance must be a number ≥ 0" },
} as const;

const SEARCH_SETTINGS_SCHEMA = {
  type: "object",
  additionalProperties: false,
  required: Object.keys(SEARCH_SETTINGS_PROPERTIES),
  properties: SEARCH_SETTINGS_PROPERTIES,
} as const;

let settingsCheck: SchemaCheck<SearchSettings> | undefined;

/** Settings from the command line (or code), checked against the schema run.json's settings are read with. */
export function checkSearchSettings(settings: SearchSettings): Result<SearchSettings> {
  settingsCheck ??= compileSchema(SEARCH_SETTINGS_SCHEMA);
  return checkSettings(settingsCheck, settings, "search settings");
}

/**
 * `--validation`: below 1 a fraction of the training images (`0.1`), from 1
 * on a count (`500`, `1k`); the images are held out of training.
 */
export function parseValidation(text: string): Result<ValidationSpec> {
  const value = parseAmount(text);
  if (value !== undefined && value > 0 && value < 1) return ok({ fraction: value });
  if (value !== undefined && value >= 1 && Number.isInteger(value)) return ok({ count: value });
  return refuse(
    "invalidOption",
    `--validation must be a count of images (e.g. 500) or a fraction below 1 (e.g. 0.1), got '${text}'`,
  );
}

const SUFFIXES: Readonly<Record<string, number>> = { "": 1, k: 1e3, K: 1e3, m: 1e6, M: 1e6, g: 1e9, G: 1e9 };

/** `200k`, `20M`, `1.5e6` → a number; undefined when it is not one. */
export function parseAmount(text: string): number | undefined {
  const match = /^\s*(-?[0-9]*\.?[0-9]+(?:e[+-]?[0-9]+)?)\s*([kKmMgG]?)\s*$/.exec(text);
  if (!match) return undefined;
  const value = Number(match[1]) * (SUFFIXES[match[2] ?? ""] ?? 1);
  return Number.isFinite(value) ? value : undefined;
}

/** `params=200k` / `madds=20M` → the cost kind and the amount, or what is wrong with it. */
export function parseTarget(text: string): Result<{ cost: SearchCost; value: number }> {
  const match = /^\s*(params|madds)\s*=\s*(.+)$/.exec(text);
  if (!match)
    return refuse("invalidOption", `--target must be params=N or madds=N (e.g. params=200k, madds=20M), got '${text}'`);
  const value = parseAmount(match[2] ?? "");
  if (value === undefined || value <= 0)
    return refuse("invalidOption", `--target ${match[1]}= needs a positive amount like 200k or 20M, got '${match[2]}'`);
  return ok({ cost: match[1] as SearchCost, value });
}
