/**
 * The settings of a retraining, their defaults, and their schema: the rules
 * the command line's values and retrain.json's are checked by.
 */
import type { Result } from "../data/errors.js";
import { compileSchema, type SchemaCheck } from "../checkpoint/json-schema.js";
import {
  AUGMENT_PROPERTIES,
  checkSettings,
  orNull,
  positiveInteger,
  positiveNumber,
  SEED,
} from "../train/settings-schema.js";

export interface RetrainSettings {
  /** Passes over the training set; `steps` overrides it when given. */
  readonly epochs: number;
  readonly steps: number | null;
  readonly batchSize: number;
  readonly learningRate: number;
  readonly seed: number;
  readonly checkpointEvery: number;
  /** Augmentation: pad by this many pixels, then crop back at a random offset (0: no crop). */
  readonly cropPadding: number;
  /** Augmentation: mirror each image left–right with probability 1/2. */
  readonly flip: boolean;
}

export const DEFAULT_RETRAIN: RetrainSettings = {
  epochs: 1,
  steps: null,
  batchSize: 64,
  learningRate: 0.002,
  seed: 1,
  checkpointEvery: 50,
  cropPadding: 0,
  flip: false,
};

/** The rules of every setting, in the order they are checked, each in the words of its option. */
export const RETRAIN_SETTINGS_PROPERTIES = {
  epochs: positiveInteger("--epochs", true),
  batchSize: positiveInteger("--batch", true),
  checkpointEvery: positiveInteger("--checkpoint-every", true),
  steps: orNull(
    { type: "integer", minimum: 1, maximum: Number.MAX_SAFE_INTEGER },
    "--steps must be a positive integer",
  ),
  seed: SEED,
  learningRate: positiveNumber("--lr"),
  ...AUGMENT_PROPERTIES,
} as const;

const RETRAIN_SETTINGS_SCHEMA = {
  type: "object",
  additionalProperties: false,
  required: Object.keys(RETRAIN_SETTINGS_PROPERTIES),
  properties: RETRAIN_SETTINGS_PROPERTIES,
} as const;

let settingsCheck: SchemaCheck<RetrainSettings> | undefined;

/** The checks of the command line, also applied to a retrain.json read back for --resume. */
export function checkRetrainSettings(settings: RetrainSettings): Result<RetrainSettings> {
  settingsCheck ??= compileSchema(RETRAIN_SETTINGS_SCHEMA);
  return checkSettings(settingsCheck, settings, "retrain settings");
}
