/**
 * `retrain.json`: what a retraining was asked to do, written when it starts,
 * so `figs retrain --resume` continues with exactly the same architecture,
 * data and settings (as `figs search --resume` does with run.json): the
 * architecture file (absolute path and sha256 of its text), the space file
 * given with --space, the dataset with its validation split, the settings.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { writeFileAtomic } from "../folders/index.js";
import { join } from "node:path";
import { describeFsError, fail, ok, type Result } from "../data/errors.js";
import type { ValidationSpec } from "../data/split.js";
import { checkValidation } from "../train/data-options.js";
import { checkRetrainSettings, DEFAULT_RETRAIN, type RetrainSettings } from "./retrain.js";

export const RETRAIN_RUN_FILE = "retrain.json";
const RETRAIN_FORMAT = "figs-retrain-run";

export interface RetrainRunConfig {
  readonly format: typeof RETRAIN_FORMAT;
  readonly version: 1;
  readonly architecture: {
    /** arch.json or pruned .figs, absolute. */
    readonly path: string;
    /** sha256 of its text: a checkpoint fits only the architecture it was made from. */
    readonly sha256: string;
    /** For an arch.json: the space file given with --space (absolute), or null for the recorded one. */
    readonly space: string | null;
  };
  readonly data: { readonly spec: string; readonly limit: number | null; readonly validation: ValidationSpec | null };
  readonly settings: RetrainSettings;
}

export function retrainRunConfig(
  architecture: Omit<RetrainRunConfig["architecture"], "sha256">,
  data: RetrainRunConfig["data"],
  settings: RetrainSettings,
): Result<RetrainRunConfig> {
  const sha256 = fileSha256(architecture.path);
  if (!sha256.ok) return sha256;
  return ok({
    format: RETRAIN_FORMAT,
    version: 1,
    architecture: { ...architecture, sha256: sha256.value },
    data,
    settings,
  });
}

export function writeRetrainRunConfig(dir: string, config: RetrainRunConfig): Result<void> {
  return writeFileAtomic(join(dir, RETRAIN_RUN_FILE), `${JSON.stringify(config, null, 2)}\n`);
}

export function readRetrainRunConfig(dir: string): Result<RetrainRunConfig> {
  const file = join(dir, RETRAIN_RUN_FILE);
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, "utf8"));
  } catch (cause) {
    const why = cause instanceof SyntaxError ? `it is not valid JSON (${cause.message})` : "it cannot be read";
    return fail(
      cause instanceof SyntaxError ? "invalidJson" : "missing",
      file,
      `${file} is not a figs retrain run: ${why}`,
    );
  }
  const config = value as Partial<RetrainRunConfig> | null;
  const architecture = config?.architecture;
  const named =
    typeof architecture?.path === "string" &&
    typeof architecture.sha256 === "string" &&
    typeof config?.data?.spec === "string";
  if (config?.format !== RETRAIN_FORMAT || config.version !== 1 || !named || architecture === undefined) {
    return fail("corruptCheckpoint", file, `${file} is not a figs retrain run (format ${RETRAIN_FORMAT}, version 1)`);
  }
  const settings = checkRetrainSettings({ ...DEFAULT_RETRAIN, ...config.settings });
  if (!settings.ok) return settings;
  const validation = checkValidation(config.data.validation);
  if (!validation.ok) return validation;
  const data = { spec: config.data.spec, limit: config.data.limit ?? null, validation: validation.value };
  return ok({
    ...(config as RetrainRunConfig),
    architecture: { ...architecture, space: architecture.space ?? null },
    data,
    settings: settings.value,
  });
}

/** The architecture file must still be the text the run started from, or its checkpoint would not fit. */
export function checkSameArchitecture(config: RetrainRunConfig, dir: string): Result<string> {
  const now = fileSha256(config.architecture.path);
  if (!now.ok) return now;
  if (now.value === config.architecture.sha256) return ok(now.value);
  const message = `the retraining in ${dir} was started from another version of ${config.architecture.path}; the file has changed since`;
  return fail("corruptCheckpoint", join(dir, RETRAIN_RUN_FILE), message);
}

function fileSha256(path: string): Result<string> {
  try {
    return ok(createHash("sha256").update(readFileSync(path)).digest("hex"));
  } catch (cause) {
    return fail("missing", path, `cannot read ${path}: ${describeFsError(cause)}`);
  }
}
