/**
 * `run.json`: what a search run was asked to do, written when it starts, so
 * `--resume` and `figs export` rebuild exactly the same supernet and data:
 * the space file (absolute path and sha256 of every source), its --set
 * values and cost convention, the dataset (with its validation split), and
 * the search settings.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { compile } from "../../compiler/index.js";
import type { Ir } from "../../compiler/ir/types.js";
import { codeOf } from "../../diagnostics/codes.js";
import { error, type Diagnostic } from "../../diagnostics/diagnostic.js";
import { fail, ok, type Result } from "../data/errors.js";
import { writeFileAtomic } from "../folders/index.js";
import type { ValidationSpec } from "../data/split.js";
import type { Preprocessing } from "../data/preprocessing.js";
import { checkValidation } from "../train/data-options.js";
import { checkSearchSettings, DEFAULT_SEARCH, type SearchSettings } from "./settings.js";

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

/** The --data value, --limit, and the images held out of training for validation (null: none). */
export interface RunData {
  readonly spec: string;
  readonly limit: number | null;
  readonly validation: ValidationSpec | null;
}

export function runConfig(
  ir: Ir,
  path: string,
  set: Readonly<Record<string, string>>,
  data: Omit<RunData, "validation"> & Partial<RunData>,
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
    data: { spec: data.spec, limit: data.limit, validation: data.validation ?? null },
    settings,
  };
}

export function writeRunConfig(dir: string, config: RunConfig): Result<void> {
  return writeFileAtomic(join(dir, RUN_FILE), `${JSON.stringify(config, null, 2)}\n`);
}

export function readRunConfig(dir: string): Result<RunConfig> {
  const file = join(dir, RUN_FILE);
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, "utf8"));
  } catch (cause) {
    const why = cause instanceof SyntaxError ? `it is not valid JSON (${cause.message})` : "it cannot be read";
    return fail(
      cause instanceof SyntaxError ? "invalidJson" : "missing",
      file,
      `${file} is not a figs search run: ${why}`,
    );
  }
  const config = value as Partial<RunConfig> | null;
  const version = (config as { version?: unknown } | null)?.version;
  if (
    config?.format !== RUN_FORMAT ||
    (version !== 1 && version !== 2) ||
    typeof config.space?.path !== "string" ||
    typeof config.data?.spec !== "string"
  ) {
    return fail("corruptCheckpoint", file, `${file} is not a figs search run (format ${RUN_FORMAT}, version 1 or 2)`);
  }
  // Runs recorded before a setting existed get its default, which is what they ran with; so does λ = 0 of version 1.
  const recorded = { ...DEFAULT_SEARCH, ...config.settings };
  const settings = checkSearchSettings(
    version === 1 && recorded.lambda === 0 ? { ...recorded, lambda: null } : recorded,
  );
  if (!settings.ok) return settings;
  const validation = checkValidation(config.data.validation);
  if (!validation.ok) return validation;
  const data = { spec: config.data.spec, limit: config.data.limit ?? null, validation: validation.value };
  return ok({ ...(config as RunConfig), version: 2, data, settings: settings.value });
}

/** The space must compile to the same sources the run started from, or its checkpoint would not fit. */
export function checkSameSources(config: RunConfig, ir: Ir, dir: string): Diagnostic[] {
  // Compared by content: the run may have named the file relative to another working directory.
  const now = new Set(ir.sources.map((s) => s.sha256));
  const changed = config.space.sources.filter((s) => !now.has(s.sha256));
  if (changed.length === 0 && ir.space === config.space.name) return [];
  const start = { offset: 0, line: 1, column: 1 };
  const names = changed.map((s) => s.path).join(", ") || config.space.path;
  return [
    error(
      codeOf("CorruptCheckpoint"),
      `the search in ${dir} was run on another version of ${names}; the space has changed since`,
      { file: join(dir, RUN_FILE), start, end: start },
    ),
  ];
}

/**
 * The run's space, compiled the one way fresh runs, resumed runs and exports
 * all use (the recorded absolute path and every parameter), so all three see
 * the same IR and write the same arch.json.
 */
export function compileRunSpace(config: RunConfig, dir: string): { ir?: Ir; diagnostics: readonly Diagnostic[] } {
  const result = compile(
    { path: config.space.path, set: config.space.set },
    { convention: config.space.convention, convBias: config.space.convBias === true },
  );
  if (!result.ir) return { diagnostics: result.diagnostics };
  const changed = checkSameSources(config, result.ir, dir);
  return changed.length > 0 ? { diagnostics: changed } : { ir: result.ir, diagnostics: [] };
}
