/**
 * `figs search SPACE.figs …`: FiGS architecture learning on a dataset, then
 * the export of what it found (runtime/search, docs/search.md). A run
 * directory holds run.json, metrics.jsonl, checkpoint/ and export/.
 */
import { existsSync, mkdirSync, rmSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import type { Ir } from "../../compiler/ir/types.js";
import { DATASET_SPECS } from "../../runtime/data/load.js";
import {
  checkSearchSettings, compileRunSpace, DEFAULT_SEARCH, exportSearch, parseAmount, parseTarget, readRunConfig, runConfig, runSearch, writeRunConfig,
  RUN_FILE, type RunConfig, type SearchSettings,
} from "../../runtime/search/index.js";
import { installStopOnSignal } from "../../runtime/checkpoint/signal.js";
import { booleanOption, ExitCode, stringOption, type Command, type ParsedArgs } from "../command.js";
import type { CliIo } from "../io.js";
import { ProgressBar } from "../progress.js";
import { compileFromArgs, SPACE_OPTIONS } from "./compile.js";
import type { Dataset, Split } from "../../runtime/data/dataset.js";
import { loadDataset } from "../../runtime/data/load.js";
import { parseValidation } from "../../runtime/search/settings.js";
import { augmentProblem } from "../../runtime/train/data-options.js";
import type { SearchExport } from "../../runtime/search/export-run.js";
import type { RunData } from "../../runtime/search/run-config.js";
import type { ArchJson } from "../../runtime/export/arch-json.js";
import { describeBackend, selectBackend } from "../../runtime/backend/select.js";
import { compact } from "../progress.js";
import { LAZY_SUMMARIES } from "./summaries.js";

export const RUN_OPTIONS = {
  data: { type: "string", valueName: "D", description: "dataset: mnist (default), fashion-mnist, idx:DIR, cifar10:DIR" },
  limit: { type: "string", valueName: "N", description: "use only the first N training (and test) images" },
  steps: { type: "string", valueName: "N", description: "training steps (mini-batches)" },
  epochs: { type: "string", valueName: "N", description: "passes over the training set, instead of --steps" },
  batch: { type: "string", valueName: "N", description: `batch size (default ${DEFAULT_SEARCH.batchSize})` },
  lr: { type: "string", valueName: "X", description: `Adam learning rate of the weights, halved every 35% of the run (default ${DEFAULT_SEARCH.learningRate})` },
  seed: { type: "string", valueName: "S", description: "seed of everything random: same seed, same result (default 1)" },
  out: { type: "string", short: "o", valueName: "DIR", description: "output directory (must not exist, unless --resume or --force)" },
  resume: { type: "boolean", description: "continue the run in --out DIR from its last checkpoint, with the settings it was started with" },
  force: { type: "boolean", description: "replace an existing output directory" },
  backend: { type: "string", valueName: "NAME", description: "auto (default), tensorflow-gpu, tensorflow, wasm or cpu" },
  threads: { type: "string", valueName: "N", description: "threads of figs's native training kernels (default 1, which repeats runs bit for bit)" },
  "checkpoint-every": { type: "string", valueName: "N", description: `save a checkpoint every N steps (default ${DEFAULT_SEARCH.checkpointEvery})` },
  validation: { type: "string", valueName: "N|F", description: "hold N training images (or a fraction F < 1) out of training, chosen by --seed, and report the accuracy on them" },
  crop: { type: "string", valueName: "N", description: "augment: pad each image by N pixels and crop it back at a random offset (default 0: off; CIFAR uses 4)" },
  flip: { type: "boolean", description: "augment: mirror each image left-right with probability 1/2" },
} as const;

export const searchCommand: Command = {
  name: "search",
  summary: LAZY_SUMMARIES.search,
  usage: "SPACE.figs [--set NAME=VALUE…] [--data D] [--lambda X | --target params=200k] [--steps N | --epochs N] [--out DIR] | --resume --out DIR",
  description: [
    "Trains the space's supernet on a dataset with loss = cross-entropy + λ·E[cost](π),",
    "then exports the architecture (widths ⌊Σπ⌋) to DIR/export: arch.json, pruned.figs,",
    "model.json + weights.bin. DIR also holds run.json, metrics.jsonl and checkpoint/.",
    "--target adjusts λ during the search so the export lands within ±5% (docs/search.md).",
    "Ctrl-C saves a checkpoint and stops; --resume continues from the last checkpoint",
    "with the settings saved in DIR/run.json (only --backend and --threads may be given).",
    "",
    "Datasets (--data):",
    ...DATASET_SPECS.map((line) => `  ${line}`),
    "",
    "Exit status: 0 done, 1 bad input (diagnostics), 2 internal error, 130 stopped by a signal.",
  ].join("\n"),
  options: {
    ...SPACE_OPTIONS,
    ...RUN_OPTIONS,
    cost: { type: "string", valueName: "params|madds", description: "the cost λ·E[cost] penalises (default params)" },
    lambda: { type: "string", valueName: "X", description: "fixed regularisation strength λ (default 0.1 ÷ the mean cost of a channel)" },
    target: { type: "string", valueName: "KIND=N", description: "land the export on a budget, e.g. params=200k or madds=20M (±5%)" },
    "arch-lr": { type: "string", valueName: "X", description: `Adam learning rate of the mask logits ν (default ${DEFAULT_SEARCH.archLearningRate})` },
    "nu-init": { type: "string", valueName: "X", description: `initial mask logit ν of every channel (default ${DEFAULT_SEARCH.initialLogit}, π ≈ 0.92)` },
    temperature: { type: "string", valueName: "X", description: `temperature τ of the masks' Logistic-Sigmoid (default ${DEFAULT_SEARCH.temperature}, no annealing)` },
  },
  run: runSearchCommand,
};

async function runSearchCommand(args: ParsedArgs, io: CliIo): Promise<number> {
  const resume = booleanOption(args, "resume");
  const dir = resolve(io.cwd, stringOption(args, "out") ?? defaultOut(args));
  const prepared = resume ? await resumedRun(args, io, dir) : await freshRun(args, io, dir);
  if ("exit" in prepared) return prepared.exit;
  const { ir, config } = prepared;
  const data = loadData(io, config.data, config.settings.seed);
  if ("exit" in data) return data.exit;
  const steps = stepsFor(args, config.settings, data.value.train.count, resume);
  if (typeof steps !== "number") return fail(io, "search", steps);
  const settings = { ...config.settings, steps };
  const backend = await startBackend(io, args);
  if (backend !== undefined) return backend;
  if (!resume) {
    if (booleanOption(args, "force")) rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    writeRunConfig(dir, { ...config, settings });
  }
  io.stdout.write(`search: ${config.space.name} on ${config.data.spec} (${describeImages(data.value)}), ${settings.steps} steps, run directory ${dir}\n`);
  const status = await train(io, ir, data.value.train, settings, dir, resume);
  if (status !== ExitCode.Ok) return status;
  const run = { ir, config: { ...config, settings }, runDir: dir, outDir: join(dir, "export"), force: true, ...validationOf(data.value) };
  return exportRun(io, "search", run);
}

function defaultOut(args: ParsedArgs): string {
  const path = args.positionals[0] ?? "space.figs";
  return `search-${basename(path).replace(/\.figs$/, "")}`;
}

type Prepared = { readonly ir: Ir; readonly config: RunConfig } | Failure;

async function freshRun(args: ParsedArgs, io: CliIo, dir: string): Promise<Prepared> {
  if (existsSync(dir) && !booleanOption(args, "force")) {
    return { exit: fail(io, "search", `the run directory ${dir} already exists; pass --resume to continue it, --force to replace it, or --out to choose another`) };
  }
  const settings = settingsFrom(args);
  if (typeof settings === "string") return { exit: fail(io, "search", settings) };
  const compiled = await compileFromArgs(args, io, "search");
  if (!compiled.ok) return { exit: compiled.exit };
  const ir = compiled.result.ir as Ir;
  const data = dataFrom(args);
  if (typeof data === "string") return { exit: fail(io, "search", data) };
  const set = Object.fromEntries(Object.entries(ir.parameters).map(([k, v]) => [k, String(v)]));
  const config = runConfig(ir, resolve(io.cwd, compiled.path), set, data, settings);
  const again = compileRunSpace(config, dir);
  if (!again.ir) return { exit: fail(io, "search", again.diagnostics[0]?.message ?? "the space does not compile") };
  return { ir: again.ir, config };
}

async function resumedRun(args: ParsedArgs, io: CliIo, dir: string): Promise<Prepared> {
  const read = readRunConfig(dir);
  if (!read.ok) return { exit: fail(io, "search", `cannot resume: ${read.diagnostic.message}`) };
  const config = read.value;
  const conflict = resumeConflict(args, io.cwd, join(dir, RUN_FILE), config.space.path);
  if (conflict !== undefined) return { exit: fail(io, "search", conflict) };
  const compiled = compileRunSpace(config, dir);
  if (!compiled.ir) return { exit: fail(io, "search", `cannot resume: ${compiled.diagnostics[0]?.message ?? "the space does not compile"}`) };
  return { ir: compiled.ir, config };
}

/** The settings a fresh run asks for, or what is wrong with them. */
function settingsFrom(args: ParsedArgs): SearchSettings | string {
  const values = {
    lambda: numberOption(args, "lambda"), steps: numberOption(args, "steps"), batch: numberOption(args, "batch"), lr: numberOption(args, "lr"),
    archLr: numberOption(args, "arch-lr"), seed: numberOption(args, "seed"), every: numberOption(args, "checkpoint-every"), epochs: numberOption(args, "epochs"),
    nuInit: signedNumberOption(args, "nu-init"), temperature: numberOption(args, "temperature"),
  };
  const bad = Object.values(values).find((v) => typeof v === "string");
  if (typeof bad === "string") return bad;
  const n = values as Record<keyof typeof values, number | undefined>;
  const target = stringOption(args, "target");
  const parsedTarget = target === undefined ? undefined : parseTarget(target);
  if (typeof parsedTarget === "string") return parsedTarget;
  if (parsedTarget !== undefined && n.lambda !== undefined) return "give either --lambda or --target, not both";
  if (n.steps !== undefined && n.epochs !== undefined) return "give either --steps or --epochs, not both";
  const augment = augmentFrom(args);
  if (typeof augment === "string") return augment;
  const cost = stringOption(args, "cost") ?? parsedTarget?.cost ?? "params";
  if (cost !== "params" && cost !== "madds") return `--cost must be params or madds, not '${cost}'`;
  if (parsedTarget !== undefined && parsedTarget.cost !== cost) return `--target ${parsedTarget.cost}=… conflicts with --cost ${cost}`;
  const settings: SearchSettings = {
    ...DEFAULT_SEARCH, cost, target: parsedTarget?.value ?? null, lambda: n.lambda ?? 0, steps: n.steps ?? DEFAULT_SEARCH.steps,
    batchSize: n.batch ?? DEFAULT_SEARCH.batchSize, learningRate: n.lr ?? DEFAULT_SEARCH.learningRate,
    archLearningRate: n.archLr ?? DEFAULT_SEARCH.archLearningRate, seed: n.seed ?? DEFAULT_SEARCH.seed, checkpointEvery: n.every ?? DEFAULT_SEARCH.checkpointEvery,
    initialLogit: n.nuInit ?? DEFAULT_SEARCH.initialLogit, temperature: n.temperature ?? DEFAULT_SEARCH.temperature, ...augment,
  };
  const checked = checkSearchSettings(settings);
  return checked.ok ? settings : checked.diagnostic.message;
}

/** --epochs becomes steps once the training set's size is known; a resumed run keeps its recorded steps. */
function stepsFor(args: ParsedArgs, settings: SearchSettings, trainCount: number, resume: boolean): number | string {
  const epochs = numberOption(args, "epochs");
  if (resume || epochs === undefined) return settings.steps;
  if (typeof epochs === "string") return epochs;
  if (!Number.isInteger(epochs) || epochs < 1) return `--epochs must be a positive integer, got ${epochs}`;
  return Math.max(1, epochs * Math.floor(trainCount / settings.batchSize));
}

async function train(io: CliIo, ir: Ir, trainSplit: Parameters<typeof runSearch>[0]["train"], settings: SearchSettings, dir: string, resume: boolean): Promise<number> {
  const bar = new ProgressBar({ stream: io.stderr, every: Math.max(1, Math.round(settings.steps / 20)) });
  const stop = installStopOnSignal({ signals: ["SIGINT", "SIGTERM"], onFirstSignal: () => io.stderr.write("\nstopping after this step and saving a checkpoint (press Ctrl-C again to quit at once)\n") });
  try {
    const outcome = await runSearch({
      ir, train: trainSplit, settings, dir, resume, stop,
      onStep: (p) => bar.update({ step: p.step, total: p.steps, loss: p.values.loss, accuracy: p.values.accuracy, expectedCost: p.values.expectedCost, lambda: p.lambda }),
    });
    bar.finish();
    if (outcome.status === "failed") return reportFailure(io, "search", outcome.diagnostics);
    if (outcome.status === "stopped") {
      io.stderr.write(`search stopped at step ${outcome.steps}; checkpoint saved. Continue with: figs search --resume --out ${dir}\n`);
      return 130;
    }
    return ExitCode.Ok;
  } finally {
    stop.dispose();
  }
}

/** `command` names who failed in the message: search and export share this path. */
function reportFailure(io: CliIo, command: string, diagnostics: readonly { message: string }[]): number {
  for (const d of diagnostics) io.stderr.write(`figs ${command}: error: ${d.message}\n`);
  return ExitCode.UserError;
}

/** Export of a finished run (`figs search` at its end, and `figs export`): prints what was found. */
export async function exportRun(io: CliIo, command: "search" | "export", request: Parameters<typeof exportSearch>[0]): Promise<number> {
  const exported = await exportSearch(request);
  exported.model?.dispose();
  if (!exported.arch) return reportFailure(io, command, exported.diagnostics);
  const { settings } = request.config;
  if (exported.calibration && !exported.calibration.withinTolerance) {
    io.stderr.write(`figs ${command}: warning: the closest export to the target has ${exported.calibration.cost} ${settings.cost}, outside ±${100 * settings.tolerance}%\n`);
  }
  printExport(io, exported, request.outDir);
  return ExitCode.Ok;
}

// --- Shared by search, export, retrain and demo: options, data, backend, messages. ---


export interface Failure {
  readonly exit: number;
}

export function fail(io: CliIo, command: string, message: string): number {
  io.stderr.write(`figs ${command}: error: ${message}\n`);
  return ExitCode.UserError;
}

/** Like numberOption, for options that may be negative or zero (--nu-init). */
function signedNumberOption(args: ParsedArgs, name: string): number | undefined | string {
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
  if (limit !== undefined && !(Number.isInteger(limit) && limit > 0)) return `--limit must be a positive integer, got ${limit}`;
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
export function loadData(io: CliIo, data: RunData, seed: number): { readonly value: Dataset } | Failure {
  const loaded = loadRunData(data, seed);
  if (!loaded.ok) return { exit: fail(io, "data", loaded.diagnostic.message) };
  return { value: loaded.value };
}

export function loadRunData(data: RunData, seed: number): ReturnType<typeof loadDataset> {
  const options = { ...(data.limit === null ? {} : { limit: data.limit }), ...(data.validation === null ? {} : { validation: data.validation }), seed };
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
export function describeParams(costs: { readonly torch: { readonly params: number }; readonly keras: { readonly params: number } }): string {
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

function printExport(io: CliIo, exported: SearchExport, outDir: string): void {
  const arch = exported.arch as ArchJson;
  const searchable = arch.widths.filter((w) => w.searchable);
  const widths = searchable.slice(0, 12).map((w) => `${w.name}:${w.width}/${w.size}`).join(" ");
  const validation = exported.validation;
  io.stdout.write(
    `found: ${describeParams(arch.costs)}, ${compact(arch.costs.torch.madds)} madds (${arch.costs.torch.madds}); ${arch.removedOps} ops removed\n` +
      `widths: ${widths}${searchable.length > 12 ? ` … (${searchable.length} groups)` : ""}\n` +
      (validation === undefined
        ? ""
        : `validation accuracy: ${(100 * validation.accuracy).toFixed(2)}% on ${validation.images} held-out images (the supernet in inference mode, masks 1[ν > 0])\n`) +
      `exported to ${outDir} (arch.json, pruned.figs, model.json)\n`,
  );
}
