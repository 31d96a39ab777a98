/**
 * `retrain.json`: what a retraining was asked to do, written when it starts,
 * so `figs retrain --resume` continues with exactly the same architecture,
 * data and settings (as `figs search --resume` does with run.json): the
 * architecture file (absolute path and sha256 of its text), the space file
 * given with --space, the dataset with its validation split, the settings.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { compileSchema, readJsonFile, type SchemaCheck } from "../checkpoint/json-schema.js";
import { describeFsError, fail, ok, type Result } from "../data/errors.js";
import type { RunData } from "../search/run-config.js";
import { writeFileAtomic } from "../folders/index.js";
import { RUN_DATA } from "../train/settings-schema.js";
import { DEFAULT_RETRAIN, RETRAIN_SETTINGS_PROPERTIES, type RetrainSettings } from "./settings.js";

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
  readonly data: RunData;
  readonly settings: RetrainSettings;
}

/** retrain.json as files hold it: fields added later may be missing. */
interface RetrainRunFile {
  readonly format: typeof RETRAIN_FORMAT;
  readonly version: 1;
  readonly architecture: Omit<RetrainRunConfig["architecture"], "space"> & { readonly space?: string | null };
  readonly data: Pick<RetrainRunConfig["data"], "spec"> & Partial<RetrainRunConfig["data"]>;
  readonly settings?: Partial<RetrainSettings>;
}

/** JSON Schema (draft-07) of retrain.json; a setting's rule is the one its command-line option is checked by. */
export const RETRAIN_RUN_SCHEMA = {
  $schema: "http://json-schema.org/draft-07/schema#",
  title: "figs retrain run (retrain.json)",
  type: "object",
  additionalProperties: false,
  required: ["format", "version", "architecture", "data"],
  properties: {
    format: { const: RETRAIN_FORMAT },
    version: { const: 1 },
    architecture: {
      type: "object",
      additionalProperties: false,
      required: ["path", "sha256"],
      properties: {
        path: { type: "string", minLength: 1 },
        sha256: { type: "string", pattern: "^[0-9a-f]{64}$" },
        space: { anyOf: [{ type: "null" }, { type: "string", minLength: 1 }] },
      },
    },
    data: RUN_DATA,
    settings: { type: "object", additionalProperties: false, properties: RETRAIN_SETTINGS_PROPERTIES },
  },
} as const;

let retrainCheck: SchemaCheck<RetrainRunFile> | undefined;

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
  retrainCheck ??= compileSchema<RetrainRunFile>(RETRAIN_RUN_SCHEMA);
  const header = { format: RETRAIN_FORMAT, versions: [1] };
  const read = readJsonFile(join(dir, RETRAIN_RUN_FILE), { kind: "a figs retrain run", check: retrainCheck, header });
  if (!read.ok) return read;
  const { architecture, data, settings } = read.value;
  // Runs recorded before a setting existed get its default, which is what they ran with.
  return ok({
    format: RETRAIN_FORMAT,
    version: 1,
    architecture: { ...architecture, space: architecture.space ?? null },
    data: {
      spec: data.spec,
      limit: data.limit ?? null,
      testLimit: data.testLimit ?? null,
      validation: data.validation ?? null,
    },
    settings: { ...DEFAULT_RETRAIN, ...settings },
  });
}

/** The architecture file must still be the text the run started from, or its checkpoint would not fit. */
export function checkSameArchitecture(config: RetrainRunConfig, dir: string): Result<string> {
  const now = fileSha256(config.architecture.path);
  if (!now.ok) return now;
  if (now.value === config.architecture.sha256) return ok(now.value);
  const message =
    `the retraining in ${dir} was started from another version of ${config.architecture.path}; ` +
    "the file has changed since";
  return fail("spaceChanged", join(dir, RETRAIN_RUN_FILE), message);
}

function fileSha256(path: string): Result<string> {
  try {
    return ok(createHash("sha256").update(readFileSync(path)).digest("hex"));
  } catch (cause) {
    return fail("missing", path, `cannot read ${path}: ${describeFsError(cause)}`);
  }
}
