/**
 * `figs search SPACE.figs …`: FiGS architecture learning on a dataset, then
 * the export of what it found (runtime/search, docs/search.md). A run
 * directory holds run.json, metrics.jsonl, checkpoint/ and export/.
 */
import { basename, join, resolve } from "node:path";
import type { Ir } from "../../compiler/ir/types.js";
import { DATASET_SPECS } from "../../runtime/data/load.js";
import {
  checkSearchSettings,
  compileRunSpace,
  DEFAULT_SEARCH,
  exportSearch,
  parseAmount,
  parseTarget,
  readRunConfig,
  runConfig,
  runSearch,
  writeRunConfig,
  RUN_FILE,
  type RunConfig,
  type SearchSettings,
} from "../../runtime/search/index.js";
import { installStopOnSignal } from "../../runtime/checkpoint/signal.js";
import { batchCount } from "../../runtime/data/batches.js";
import type { Dataset } from "../../runtime/data/dataset.js";
import { preprocessingOf } from "../../runtime/data/preprocessing.js";
import type { OutputPlan } from "../../runtime/folders/index.js";
import { booleanOption, ExitCode, stringOption, type Command, type ParsedArgs } from "../command.js";
import type { CliIo } from "../io.js";
import { logitsWidth, preflightProblem, targetProblem } from "../preflight.js";
import { ProgressBar } from "../progress.js";
import {
  augmentFrom,
  dataFrom,
  describeImages,
  loadData,
  numberOption,
  resumeConflict,
  RUN_OPTIONS,
  signedNumberOption,
  sourceReader,
  startBackend,
  stoppingMessage,
  validationOf,
} from "../run-common.js";
import { exportRun, reportFailure } from "../run-export.js";
import { checkRunFolder, dataPaths, fail, holding, openRunFolder, type Failure } from "../run-folder.js";
import { compileFromArgs, SPACE_OPTIONS } from "./compile.js";
import { LAZY_SUMMARIES } from "./summaries.js";

export const searchCommand: Command = {
  name: "search",
  summary: LAZY_SUMMARIES.search,
  usage:
    "SPACE.figs [--set NAME=VALUE…] [--data D] [--lambda X | --target params=200k] [--steps N | --epochs N] [--out DIR] | --resume --out DIR",
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
    out: {
      ...RUN_OPTIONS.out,
      description:
        "the run directory (default search-<SPACE>: the space file's name without .figs, e.g. search-mnist_convnet); must not exist, unless --resume or --force",
    },
    cost: { type: "string", valueName: "params|madds", description: "the cost λ·E[cost] penalises (default params)" },
    lambda: {
      type: "string",
      valueName: "X",
      description: "fixed regularisation strength λ (default 0.1 ÷ the mean cost of a channel)",
    },
    target: {
      type: "string",
      valueName: "KIND=N",
      description: "land the export on a budget, e.g. params=200k or madds=20M (±5%)",
    },
    "arch-lr": {
      type: "string",
      valueName: "X",
      description: `Adam learning rate of the mask logits ν (default ${DEFAULT_SEARCH.archLearningRate})`,
    },
    "nu-init": {
      type: "string",
      valueName: "X",
      description: `initial mask logit ν of every channel (default ${DEFAULT_SEARCH.initialLogit}, π ≈ 0.92)`,
    },
    temperature: {
      type: "string",
      valueName: "X",
      description: `temperature τ of the masks' Logistic-Sigmoid (default ${DEFAULT_SEARCH.temperature}, no annealing)`,
    },
  },
  examples: [
    {
      command: "figs search spaces/mnist_convnet.figs --target params=40k",
      says: "learns an architecture of about 40k params on MNIST in search-mnist_convnet/ and exports it to search-mnist_convnet/export/",
    },
    {
      command:
        "figs search spaces/mnist_convnet.figs --set width=16,hidden=64 --lambda 3e-4 --limit 2000 --steps 100 --out small-run",
      says: "a quick search of a narrower space at a fixed λ, on the first 2000 training images",
    },
    {
      command: "figs search --resume --out search-mnist_convnet",
      says: "continues a search stopped by Ctrl-C from its last checkpoint, with its saved settings",
    },
  ],
  run: runSearchCommand,
};

async function runSearchCommand(args: ParsedArgs, io: CliIo): Promise<number> {
  const resume = booleanOption(args, "resume");
  const dir = resolve(io.cwd, stringOption(args, "out") ?? defaultOut(args));
  const prepared = resume ? await resumedRun(args, io, dir) : await freshRun(args, io, dir);
  if ("exit" in prepared) return prepared.exit;
  const { ir, config, plan } = prepared;
  const data = loadData(io, config.data, config.settings.seed, logitsWidth(ir));
  if ("exit" in data) return data.exit;
  const steps = stepsFor(args, config.settings, data.value.train.count, resume);
  if (typeof steps !== "number") return fail(io, "search", steps);
  const settings = { ...config.settings, steps };
  const backend = await startBackend(io, args);
  if (backend !== undefined) return backend;
  const problem = trainingProblem(ir, data.value, settings, sourceReader(io));
  if (problem !== undefined) return fail(io, "search", problem);
  const opened = openRunFolder(io, "search", plan);
  if ("exit" in opened) return opened.exit;
  const recorded: RunConfig = {
    ...config,
    settings,
    preprocessing: config.preprocessing ?? preprocessingOf(data.value),
  };
  return holding(opened.folder, async () => {
    if (!resume) {
      const written = writeRunConfig(dir, recorded);
      if (!written.ok) return fail(io, "search", written.diagnostic.message);
    }
    io.stdout.write(
      `search: ${config.space.name} on ${config.data.spec} (${describeImages(data.value)}), ${settings.steps} steps, run directory ${dir}\n`,
    );
    const status = await train(io, ir, data.value.train, settings, dir, resume);
    if (status !== ExitCode.Ok) return status;
    const run = {
      ir,
      config: recorded,
      runDir: dir,
      outDir: join(dir, "export"),
      force: true,
      ...validationOf(data.value),
    };
    return exportRun(io, "search", run);
  });
}

/** What makes this search impossible with this data on this machine, found before anything is written. */
function trainingProblem(
  ir: Ir,
  data: Dataset,
  settings: SearchSettings,
  readSource: (path: string) => string | undefined,
): string | undefined {
  if (batchCount(data.train, { batchSize: settings.batchSize, dropRemainder: true }) === 0) {
    return `the training set has ${data.train.count} images, fewer than one batch of ${settings.batchSize}; use a smaller --batch or a larger --limit`;
  }
  return preflightProblem({ ir, data, batchSize: settings.batchSize, mode: "search", readSource });
}

function defaultOut(args: ParsedArgs): string {
  const path = args.positionals[0] ?? "space.figs";
  return `search-${basename(path).replace(/\.figs$/, "")}`;
}

type Prepared = { readonly ir: Ir; readonly config: RunConfig; readonly plan: OutputPlan } | Failure;

async function freshRun(args: ParsedArgs, io: CliIo, dir: string): Promise<Prepared> {
  const settings = settingsFrom(args);
  if (typeof settings === "string") return { exit: fail(io, "search", settings) };
  const data = dataFrom(args);
  if (typeof data === "string") return { exit: fail(io, "search", data) };
  const mode = booleanOption(args, "force") ? "force" : "fresh";
  const early = checkRunFolder(io, "search", { dir, kind: "search", mode, protect: [], command: "figs search" });
  if ("exit" in early) return early;
  const compiled = await compileFromArgs(args, io, "search");
  if (!compiled.ok) return { exit: compiled.exit };
  const ir = compiled.result.ir as Ir;
  const set = Object.fromEntries(Object.entries(ir.parameters).map(([k, v]) => [k, String(v)]));
  const config = runConfig(ir, resolve(io.cwd, compiled.path), set, data, settings);
  const again = compileRunSpace(config, dir);
  if (!again.ir) return { exit: fail(io, "search", again.diagnostics[0]?.message ?? "the space does not compile") };
  const unreachable = targetProblem(again.ir, settings);
  if (unreachable !== undefined) return { exit: fail(io, "search", unreachable) };
  if (!ir.groups.some((g) => g.searchable)) {
    io.stderr.write(
      `figs search: warning: nothing in ${ir.space} is searchable (every channel group is fixed): the search trains the weights only and exports the whole space\n`,
    );
  }
  const protect = [...ir.sources.map((s) => resolve(io.cwd, s.path)), ...dataPaths(data.spec)];
  const checked = checkRunFolder(io, "search", { dir, kind: "search", mode, protect, command: "figs search" });
  return "exit" in checked ? checked : { ir: again.ir, config, plan: checked.plan };
}

async function resumedRun(args: ParsedArgs, io: CliIo, dir: string): Promise<Prepared> {
  const checked = checkRunFolder(io, "search", {
    dir,
    kind: "search",
    mode: "resume",
    protect: [],
    command: "figs search",
  });
  if ("exit" in checked) return checked;
  const read = readRunConfig(dir);
  if (!read.ok) return { exit: fail(io, "search", `cannot resume: ${read.diagnostic.message}`) };
  const config = read.value;
  const conflict = resumeConflict(args, io.cwd, join(dir, RUN_FILE), config.space.path);
  if (conflict !== undefined) return { exit: fail(io, "search", conflict) };
  const compiled = compileRunSpace(config, dir);
  if (!compiled.ir)
    return {
      exit: fail(io, "search", `cannot resume: ${compiled.diagnostics[0]?.message ?? "the space does not compile"}`),
    };
  return { ir: compiled.ir, config, plan: checked.plan };
}

/** The settings a fresh run asks for, or what is wrong with them. */
function settingsFrom(args: ParsedArgs): SearchSettings | string {
  const values = {
    lambda: numberOption(args, "lambda"),
    steps: numberOption(args, "steps"),
    batch: numberOption(args, "batch"),
    lr: numberOption(args, "lr"),
    archLr: numberOption(args, "arch-lr"),
    seed: numberOption(args, "seed"),
    every: numberOption(args, "checkpoint-every"),
    epochs: numberOption(args, "epochs"),
    nuInit: signedNumberOption(args, "nu-init"),
    temperature: numberOption(args, "temperature"),
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
  if (parsedTarget !== undefined && parsedTarget.cost !== cost)
    return `--target ${parsedTarget.cost}=… conflicts with --cost ${cost}`;
  const settings: SearchSettings = {
    ...DEFAULT_SEARCH,
    cost,
    target: parsedTarget?.value ?? null,
    lambda: n.lambda ?? null,
    steps: n.steps ?? DEFAULT_SEARCH.steps,
    batchSize: n.batch ?? DEFAULT_SEARCH.batchSize,
    learningRate: n.lr ?? DEFAULT_SEARCH.learningRate,
    archLearningRate: n.archLr ?? DEFAULT_SEARCH.archLearningRate,
    seed: n.seed ?? DEFAULT_SEARCH.seed,
    checkpointEvery: n.every ?? DEFAULT_SEARCH.checkpointEvery,
    initialLogit: n.nuInit ?? DEFAULT_SEARCH.initialLogit,
    temperature: n.temperature ?? DEFAULT_SEARCH.temperature,
    ...augment,
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

async function train(
  io: CliIo,
  ir: Ir,
  trainSplit: Parameters<typeof runSearch>[0]["train"],
  settings: SearchSettings,
  dir: string,
  resume: boolean,
): Promise<number> {
  const bar = new ProgressBar({ stream: io.stderr, every: Math.max(1, Math.round(settings.steps / 20)) });
  const stop = installStopOnSignal({
    signals: ["SIGINT", "SIGTERM"],
    onFirstSignal: (signal) => io.stderr.write(`\n${stoppingMessage(signal)}\n`),
  });
  try {
    const outcome = await runSearch({
      ir,
      train: trainSplit,
      settings,
      dir,
      resume,
      stop,
      onStep: (p) =>
        bar.update({
          step: p.step,
          total: p.steps,
          loss: p.values.loss,
          accuracy: p.values.accuracy,
          expectedCost: p.values.expectedCost,
          lambda: p.lambda,
        }),
    });
    bar.finish();
    if (outcome.status === "failed") return reportFailure(io, "search", outcome.diagnostics);
    if (outcome.status === "stopped") {
      io.stderr.write(
        `search stopped at step ${outcome.steps}; checkpoint saved. Continue with: figs search --resume --out ${dir}\n`,
      );
      return 130;
    }
    return ExitCode.Ok;
  } finally {
    stop.dispose();
  }
}
