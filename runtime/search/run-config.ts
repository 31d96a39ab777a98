/**
 * `run.json`: what a search run was asked to do, written when it starts, so
 * `--resume` and `figs export` rebuild exactly the same supernet and data:
 * the space file (absolute path and sha256 of every source), its --set
 * values and cost convention, the dataset (with its validation split), and
 * the search settings.
 */
import { join } from "node:path";
import type { Ir } from "../../compiler/index.js";
import { compileSchema, readJsonFile, type SchemaCheck } from "../checkpoint/json-schema.js";
import { ok, type Result } from "../data/errors.js";
import type { Preprocessing } from "../data/preprocessing.js";
import type { ValidationSpec } from "../data/split.js";
import { PREPROCESSING, SOURCE } from "../export/arch-json.js";
import { writeFileAtomic } from "../folders/index.js";
import { RUN_DATA } from "../train/settings-schema.js";
import { DEFAULT_SEARCH, SEARCH_SETTINGS_PROPERTIES, type SearchSettings } from "./settings.js";

export const RUN_FILE = "run.json";
const RUN_FORMAT = "figs-search-run";

export interface RunConfig {
  readonly format: typeof RUN_FORMAT;
  /** 2: `settings.lambda` null means figs's default λ and 0 means λ = 0; in version 1 files 0 meant the default. */
  readonly version: 2;
  readonly space: {
    readonly path: string;
    readonly name: string;
    readonly set: Readonly<Record<string, string>>;
    readonly convention: "torch" | "keras";
    /** The IR counted a bias on every conv (`--convention …,conv-bias`); absent otherwise. */
    readonly convBias?: true;
    readonly sources: readonly { readonly path: string; readonly sha256: string }[];
  };
  readonly data: RunData;
  readonly settings: SearchSettings;
  /** What the training images went through, recorded when the run starts, so every export of it carries it. */
  readonly preprocessing?: Preprocessing;
}

/**
 * The --data value, --limit (training images), --test-limit (test images; runs recorded before it existed cut
 * the test set with --limit too, and read back as whole), and the images held out for validation (null: none).
 */
export interface RunData {
  readonly spec: string;
  readonly limit: number | null;
  readonly testLimit: number | null;
  readonly validation: ValidationSpec | null;
}

/** run.json as files hold it: version 1 or 2, settings and data fields added later may be missing. */
interface RunFile {
  readonly format: typeof RUN_FORMAT;
  readonly version: 1 | 2;
  readonly space: RunConfig["space"];
  readonly data: Pick<RunData, "spec"> & Partial<RunData>;
  readonly settings?: Partial<SearchSettings>;
  readonly preprocessing?: Preprocessing;
}

/** JSON Schema (draft-07) of run.json; a setting's rule is the one its command-line option is checked by. */
export const RUN_SCHEMA = {
  $schema: "http://json-schema.org/draft-07/schema#",
  title: "figs search run (run.json)",
  type: "object",
  additionalProperties: false,
  required: ["format", "version", "space", "data"],
  properties: {
    format: { const: RUN_FORMAT },
    version: { enum: [1, 2] },
    space: {
      type: "object",
      additionalProperties: false,
      required: ["path", "name", "set", "convention", "sources"],
      properties: {
        path: { type: "string", minLength: 1 },
        name: { type: "string", minLength: 1 },
        set: { type: "object", additionalProperties: { type: "string" } },
        convention: { enum: ["torch", "keras"] },
        convBias: { const: true },
        sources: { type: "array", items: SOURCE },
      },
    },
    data: RUN_DATA,
    settings: { type: "object", additionalProperties: false, properties: SEARCH_SETTINGS_PROPERTIES },
    preprocessing: PREPROCESSING,
  },
} as const;

let runCheck: SchemaCheck<RunFile> | undefined;

export function runConfig(
  ir: Ir,
  path: string,
  set: Readonly<Record<string, string>>,
  data: Omit<RunData, "validation" | "testLimit"> & Partial<RunData>,
  settings: SearchSettings,
): RunConfig {
  const space = {
    path,
    name: ir.space,
    set: { ...set },
    convention: ir.costs.convention,
    ...(ir.costs.convBias ? { convBias: true as const } : {}),
    sources: ir.sources.map((s) => ({ ...s })),
  };
  return {
    format: RUN_FORMAT,
    version: 2,
    space,
    data: {
      spec: data.spec,
      limit: data.limit,
      testLimit: data.testLimit ?? null,
      validation: data.validation ?? null,
    },
    settings,
  };
}

export function writeRunConfig(dir: string, config: RunConfig): Result<void> {
  return writeFileAtomic(join(dir, RUN_FILE), `${JSON.stringify(config, null, 2)}\n`);
}

export function readRunConfig(dir: string): Result<RunConfig> {
  runCheck ??= compileSchema<RunFile>(RUN_SCHEMA);
  const header = { format: RUN_FORMAT, versions: [1, 2] };
  const read = readJsonFile(join(dir, RUN_FILE), { kind: "a figs search run", check: runCheck, header });
  if (!read.ok) return read;
  const { version, space, data, settings, preprocessing } = read.value;
  // Runs recorded before a setting existed get its default, which is what they ran with; so does λ = 0 of version 1.
  const recorded = { ...DEFAULT_SEARCH, ...settings };
  return ok({
    format: RUN_FORMAT,
    version: 2,
    space,
    data: {
      spec: data.spec,
      limit: data.limit ?? null,
      testLimit: data.testLimit ?? null,
      validation: data.validation ?? null,
    },
    settings: version === 1 && recorded.lambda === 0 ? { ...recorded, lambda: null } : recorded,
    ...(preprocessing === undefined ? {} : { preprocessing }),
  });
}
