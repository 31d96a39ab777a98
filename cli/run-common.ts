/**
 * What search, retrain, export and demo share: the run options' parsing
 * (numbers, data, augmentation, --resume's rules), loading the data, starting
 * the backend, and the messages they print alike. Commands import this, never
 * each other.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import type { Dataset, Split } from "../runtime/data/dataset.js";
import { loadDataset } from "../runtime/data/load.js";
import { describeBackend, selectBackend } from "../runtime/backend/select.js";
import { parseAmount, parseValidation } from "../runtime/search/settings.js";
import type { RunData } from "../runtime/search/run-config.js";
import { augmentProblem } from "../runtime/train/settings-schema.js";
import { DEFAULT_SEARCH } from "../runtime/search/settings.js";
import { codeOf } from "../diagnostics/codes.js";
import { plainError, type Diagnostic } from "../diagnostics/diagnostic.js";
import { ok, type Result } from "../diagnostics/result.js";
import type { SourceLookup } from "../diagnostics/render.js";
import { SourceFile } from "../diagnostics/source.js";
import {
  booleanOption,
  invalidOption,
  stringOption,
  usageProblem,
  type OptionSpec,
  type ParsedArgs,
} from "./command.js";
import type { CliIo } from "./io.js";
import { compact } from "./progress.js";
import { report, type Reporter } from "./report.js";
import type { Failure } from "./run-folder.js";

export type { Failure } from "./run-folder.js";

/** The options of every training command (search, retrain). */
/** How a training command picks its backend and threads (search, retrain, export, demo). */
export const BACKEND_OPTIONS = {
  backend: {
    type: "string",
    valueName: "NAME",
    description: "auto (default), tensorflow-gpu, tensorflow, wasm or cpu",
  },
  threads: {
    type: "string",
    valueName: "N",
    description: "threads of figs's native training kernels (default 1, which repeats runs bit for bit)",
  },
} as const satisfies Record<string, OptionSpec>;

export const RUN_OPTIONS = {
  data: {
    type: "string",
    valueName: "D",
    description: "dataset: mnist (default), fashion-mnist, idx:DIR, cifar10:DIR",
  },
  limit: {
    type: "string",
    valueName: "N",
    description: "use only the first N training images (the test set stays whole)",
  },
  "test-limit": { type: "string", valueName: "N", description: "use only the first N test images (default: all)" },
  steps: { type: "string", valueName: "N", description: "training steps (mini-batches)" },
  epochs: { type: "string", valueName: "N", description: "passes over the training set, instead of --steps" },
  batch: { type: "string", valueName: "N", description: `batch size (default ${DEFAULT_SEARCH.batchSize})` },
  lr: {
    type: "string",
    valueName: "X",
    description:
      "Adam learning rate of the weights, halved every 35% of the run " + `(default ${DEFAULT_SEARCH.learningRate})`,
  },
  seed: {
    type: "string",
    valueName: "S",
    description: "seed of everything random: same seed, same result (default 1)",
  },
  out: {
    type: "string",
    short: "o",
    valueName: "DIR",
    description: "output directory (must not exist, unless --resume or --force)",
  },
  resume: {
    type: "boolean",
    description: "continue the run in --out DIR from its last checkpoint, with the settings it was started with",
  },
  force: { type: "boolean", description: "replace an existing output directory" },
  ...BACKEND_OPTIONS,
  "checkpoint-every": {
    type: "string",
    valueName: "N",
    description: `save a checkpoint every N steps (default ${DEFAULT_SEARCH.checkpointEvery})`,
  },
  validation: {
    type: "string",
    valueName: "N|F",
    description:
      "hold N training images (or a fraction F < 1) out of training, chosen by --seed, and report the accuracy on them",
  },
  crop: {
    type: "string",
    valueName: "N",
    description:
      "augment: pad each image by N pixels and crop it back at a random offset (default 0: off; CIFAR uses 4)",
  },
  flip: { type: "boolean", description: "augment: mirror each image left-right with probability 1/2" },
} as const;

/** What the first stop signal is told: how to stop at once depends on the signal. */
export function stoppingMessage(signal: NodeJS.Signals): string {
  const again = signal === "SIGINT" ? "press Ctrl-C again" : `send ${signal} again`;
  return (
    `stopping after this step and saving a checkpoint (${again} to quit at once, ` +
    "losing the steps since the last checkpoint)"
  );
}

/** Like numberOption, for options that may be negative or zero (--nu-init). */
export function signedNumberOption(args: ParsedArgs, name: string): Result<number | undefined> {
  const text = stringOption(args, name);
  if (text === undefined) return ok(undefined);
  const value = Number(text.trim());
  return text.trim() === "" || !Number.isFinite(value)
    ? invalidOption(`--${name} must be a number, got '${text}'`)
    : ok(value);
}

/** A numeric option: its value, undefined when absent, or what is wrong when it is not a number. */
export function numberOption(args: ParsedArgs, name: string): Result<number | undefined> {
  const text = stringOption(args, name);
  if (text === undefined) return ok(undefined);
  const value = parseAmount(text);
  return value === undefined ? invalidOption(`--${name} must be a number, got '${text}'`) : ok(value);
}

/** Options a resumed run may take; everything else comes from the settings the run saved. */
const RESUME_OPTIONS: ReadonlySet<string> = new Set(["out", "resume", "backend", "threads", "json"]);

/**
 * Why `--resume` cannot take these arguments, or undefined: a resumed run
 * continues with its saved settings (a different --steps or --lr would make
 * it another run), so only --backend and --threads may be given, and a file
 * argument, if any, must be the one the run was started on.
 */
export function resumeConflict(
  args: ParsedArgs,
  cwd: string,
  saved: string,
  recordedPath: string,
): Diagnostic | undefined {
  const extra = Object.keys(args.values).filter((name) => args.values[name] !== undefined && !RESUME_OPTIONS.has(name));
  if (extra.length > 0) {
    const given = extra.map((n) => `--${n}`).join(", ");
    return usageProblem(
      "ConflictingOptions",
      `--resume continues with the settings saved in ${saved}; ` +
        `only --backend and --threads may be given with it, not ${given}`,
    );
  }
  const [file, ...more] = args.positionals;
  if (more.length > 0 || (file !== undefined && resolve(cwd, file) !== recordedPath)) {
    return usageProblem(
      "ConflictingOptions",
      `--resume continues the run on ${recordedPath} (saved in ${saved}); ` +
        "leave out the file argument, or give that file",
    );
  }
  return undefined;
}

/** A stage that failed without saying why is a bug in figs (FIGS9999), never a silent exit 0. */
export function noReason(): Diagnostic {
  return plainError(
    codeOf("InternalError"),
    "the space does not compile, and no diagnostic says why; please report it",
  );
}

/** `cannot resume: …`: a problem of the run being resumed, with its code and location. */
export function cannotResume(diagnostic: Diagnostic): Diagnostic {
  return { ...diagnostic, message: `cannot resume: ${diagnostic.message}` };
}

/** --data, --limit and --validation, or what is wrong with them. */
export function dataFrom(args: ParsedArgs): Result<RunData> {
  const limit = numberOption(args, "limit");
  if (!limit.ok) return limit;
  const count = limit.value;
  if (count !== undefined && !(Number.isInteger(count) && count > 0))
    return invalidOption(`--limit must be a positive integer, got ${count}`);
  const testLimit = numberOption(args, "test-limit");
  if (!testLimit.ok) return testLimit;
  const tests = testLimit.value;
  if (tests !== undefined && !(Number.isInteger(tests) && tests > 0))
    return invalidOption(`--test-limit must be a positive integer, got ${tests}`);
  const text = stringOption(args, "validation");
  const validation = text === undefined ? ok(null) : parseValidation(text);
  if (!validation.ok) return validation;
  const spec = stringOption(args, "data") ?? "mnist";
  return ok({ spec, limit: count ?? null, testLimit: tests ?? null, validation: validation.value });
}

/** --crop and --flip, or what is wrong with them. */
export function augmentFrom(args: ParsedArgs): Result<{ cropPadding: number; flip: boolean }> {
  const crop = numberOption(args, "crop");
  if (!crop.ok) return crop;
  const augment = { cropPadding: crop.value ?? 0, flip: booleanOption(args, "flip") };
  const problem = augmentProblem(augment);
  return problem === undefined ? ok(augment) : invalidOption(problem);
}

/** The dataset of a run: the same split of training and validation images for the same data, limit and seed. */
export function loadData(
  to: Reporter,
  data: RunData,
  seed: number,
  classes?: number,
): { readonly value: Dataset } | Failure {
  const loaded = loadRunData(data, seed, classes);
  if (!loaded.ok) return { exit: report(to, [loaded.diagnostic]) };
  return { value: loaded.value };
}

/** `classes`: the width of the space's logits, so an IDX label past it is refused by the loader. */
export function loadRunData(data: RunData, seed: number, classes?: number): ReturnType<typeof loadDataset> {
  const options = {
    ...(data.limit === null ? {} : { limit: data.limit }),
    ...(data.testLimit === null ? {} : { testLimit: data.testLimit }),
    ...(data.validation === null ? {} : { validation: data.validation }),
    seed,
    ...(classes === undefined ? {} : { classes }),
  };
  return loadDataset(data.spec, options);
}

export function describeImages(data: Dataset): string {
  const held = data.validation === undefined ? "" : `, ${data.validation.count} held out for validation`;
  return `${data.train.count} training images${held}`;
}

export function validationOf(data: Dataset): { readonly validation?: Split } {
  return data.validation === undefined ? {} : { validation: data.validation };
}

/** Both parameter counts, each named by its convention (docs/costs.md): search and retrain print the same. */
export function describeParams(costs: {
  readonly torch: { readonly params: number };
  readonly keras: { readonly params: number };
}): string {
  const { torch, keras } = costs;
  return (
    `${compact(torch.params)} params (torch convention: ${torch.params}; ` +
    `keras convention, as tfjs countParams(): ${keras.params})`
  );
}

/** Selects the backend (--backend, --threads) and prints it; undefined on success, else the exit code. */
export async function startBackend(to: Reporter, args: ParsedArgs): Promise<number | undefined> {
  const override = stringOption(args, "backend");
  const parsed = numberOption(args, "threads");
  const threads = parsed.ok ? parsed.value : undefined;
  if (!parsed.ok || (threads !== undefined && !(Number.isInteger(threads) && threads > 0))) {
    const message = `--threads must be a positive integer, got '${stringOption(args, "threads")}'`;
    return report(to, [usageProblem("InvalidOption", message)]);
  }
  try {
    // One kernel thread unless asked: the native kernels' sums over two threads vary in order from run to
    // run, and "same seed, same result" is worth more than the ~8% they gain on small spaces (docs/search.md).
    const choice = await selectBackend({ ...(override === undefined ? {} : { override }), threads: threads ?? 1 });
    to.io.stdout.write(`${describeBackend(choice)}\n`);
    return undefined;
  } catch (cause) {
    const message = cause instanceof Error ? cause.message : String(cause);
    return report(to, [plainError(codeOf("BackendUnavailable"), message)]);
  }
}

/** The text of a source file of the space, as the user named it (for messages that quote it). */
export function sourceReader(io: CliIo): (path: string) => string | undefined {
  return (path) => {
    try {
      return readFileSync(resolve(io.cwd, path), "utf8");
    } catch {
      return undefined;
    }
  };
}

/** The space's files as the user named them, so a diagnostic at one of them shows its line. */
export function sourceLookup(io: CliIo): SourceLookup {
  const read = sourceReader(io);
  const files = new Map<string, SourceFile | undefined>();
  return (path) => {
    if (!files.has(path)) {
      const text = read(path);
      files.set(path, text === undefined ? undefined : new SourceFile(path, text));
    }
    return files.get(path);
  };
}
