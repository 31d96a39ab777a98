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
import { augmentProblem } from "../runtime/train/data-options.js";
import { DEFAULT_SEARCH } from "../runtime/search/settings.js";
import { booleanOption, stringOption, type ParsedArgs } from "./command.js";
import type { CliIo } from "./io.js";
import { compact } from "./progress.js";
import { fail, type Failure } from "./run-folder.js";

export { fail, type Failure } from "./run-folder.js";

/** The options of every training command (search, retrain). */
export const RUN_OPTIONS = {
  data: {
    type: "string",
    valueName: "D",
    description: "dataset: mnist (default), fashion-mnist, idx:DIR, cifar10:DIR",
  },
  limit: { type: "string", valueName: "N", description: "use only the first N training (and test) images" },
  steps: { type: "string", valueName: "N", description: "training steps (mini-batches)" },
  epochs: { type: "string", valueName: "N", description: "passes over the training set, instead of --steps" },
  batch: { type: "string", valueName: "N", description: `batch size (default ${DEFAULT_SEARCH.batchSize})` },
  lr: {
    type: "string",
    valueName: "X",
    description: `Adam learning rate of the weights, halved every 35% of the run (default ${DEFAULT_SEARCH.learningRate})`,
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
  return `stopping after this step and saving a checkpoint (${again} to quit at once, losing the steps since the last checkpoint)`;
}

/** Like numberOption, for options that may be negative or zero (--nu-init). */
export function signedNumberOption(args: ParsedArgs, name: string): number | undefined | string {
  const text = stringOption(args, name);
  if (text === undefined) return undefined;
  const value = Number(text.trim());
  return text.trim() === "" || !Number.isFinite(value) ? `--${name} must be a number, got '${text}'` : value;
}

/** A numeric option: its value, undefined when absent, or a message when it is not a number. */
export function numberOption(args: ParsedArgs, name: string): number | undefined | string {
  const text = stringOption(args, name);
  if (text === undefined) return undefined;
  const value = parseAmount(text);
  return value === undefined ? `--${name} must be a number, got '${text}'` : value;
}

/** Options a resumed run may take; everything else comes from the settings the run saved. */
const RESUME_OPTIONS: ReadonlySet<string> = new Set(["out", "resume", "backend", "threads"]);

/**
 * Why `--resume` cannot take these arguments, or undefined: a resumed run
 * continues with its saved settings (a different --steps or --lr would make
 * it another run), so only --backend and --threads may be given, and a file
 * argument, if any, must be the one the run was started on.
 */
export function resumeConflict(args: ParsedArgs, cwd: string, saved: string, recordedPath: string): string | undefined {
  const extra = Object.keys(args.values).filter((name) => args.values[name] !== undefined && !RESUME_OPTIONS.has(name));
  if (extra.length > 0) {
    return `--resume continues with the settings saved in ${saved}; only --backend and --threads may be given with it, not ${extra.map((n) => `--${n}`).join(", ")}`;
  }
  const [file, ...more] = args.positionals;
  if (more.length > 0 || (file !== undefined && resolve(cwd, file) !== recordedPath)) {
    return `--resume continues the run on ${recordedPath} (saved in ${saved}); leave out the file argument, or give that file`;
  }
  return undefined;
}

/** --data, --limit and --validation, or what is wrong with them. */
export function dataFrom(args: ParsedArgs): RunData | string {
  const limit = numberOption(args, "limit");
  if (typeof limit === "string") return limit;
  if (limit !== undefined && !(Number.isInteger(limit) && limit > 0))
    return `--limit must be a positive integer, got ${limit}`;
  const text = stringOption(args, "validation");
  const validation = text === undefined ? null : parseValidation(text);
  if (typeof validation === "string") return validation;
  return { spec: stringOption(args, "data") ?? "mnist", limit: limit ?? null, validation };
}

/** --crop and --flip, or what is wrong with them. */
export function augmentFrom(args: ParsedArgs): { cropPadding: number; flip: boolean } | string {
  const crop = numberOption(args, "crop");
  if (typeof crop === "string") return crop;
  const augment = { cropPadding: crop ?? 0, flip: booleanOption(args, "flip") };
  return augmentProblem(augment) ?? augment;
}

/** The dataset of a run: the same split of training and validation images for the same data, limit and seed. */
export function loadData(
  io: CliIo,
  data: RunData,
  seed: number,
  classes?: number,
): { readonly value: Dataset } | Failure {
  const loaded = loadRunData(data, seed, classes);
  if (!loaded.ok) return { exit: fail(io, "data", loaded.diagnostic.message) };
  return { value: loaded.value };
}

/** `classes`: the width of the space's logits, so an IDX label past it is refused by the loader. */
export function loadRunData(data: RunData, seed: number, classes?: number): ReturnType<typeof loadDataset> {
  const options = {
    ...(data.limit === null ? {} : { limit: data.limit }),
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
  return `${compact(torch.params)} params (torch convention: ${torch.params}; keras convention, as tfjs countParams(): ${keras.params})`;
}

/** Selects the backend (--backend, --threads) and prints it; undefined on success, else the exit code. */
export async function startBackend(io: CliIo, args: ParsedArgs): Promise<number | undefined> {
  const override = stringOption(args, "backend");
  const threads = numberOption(args, "threads");
  if (typeof threads === "string" || (threads !== undefined && !(Number.isInteger(threads) && threads > 0))) {
    return fail(io, "backend", `--threads must be a positive integer, got '${stringOption(args, "threads")}'`);
  }
  try {
    // One kernel thread unless asked: the native kernels' sums over two threads vary in order from run to
    // run, and "same seed, same result" is worth more than the ~8% they gain on small spaces (docs/search.md).
    const choice = await selectBackend({ ...(override === undefined ? {} : { override }), threads: threads ?? 1 });
    io.stdout.write(`${describeBackend(choice)}\n`);
    return undefined;
  } catch (cause) {
    return fail(io, "backend", cause instanceof Error ? cause.message : String(cause));
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
