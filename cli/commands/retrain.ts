/**
 * `figs retrain arch.json|pruned.figs`: train an exported architecture from
 * scratch, report its test accuracy and save the trained LayersModel
 * (runtime/retrain). The output directory holds retrain.json (what was
 * asked, so --resume continues the same run), metrics.jsonl, checkpoint/,
 * model.json + weights.bin and result.json.
 */
import { basename, join, resolve } from "node:path";
import { fileSaveHandler } from "../../runtime/export/model-files.js";
import {
  checkRetrainSettings,
  checkSameArchitecture,
  DEFAULT_RETRAIN,
  loadArchitecture,
  readRetrainRunConfig,
  RETRAIN_RUN_FILE,
  retrain,
  retrainRunConfig,
  totalSteps,
  writeRetrainRunConfig,
  type RetrainOutcome,
  type RetrainProgress,
  type RetrainRequest,
  type RetrainRunConfig,
  type RetrainSettings,
} from "../../runtime/retrain/index.js";
import { architectureCosts, type ConventionCosts } from "../../runtime/export/costs.js";
import type { PrunedArchitecture } from "../../runtime/export/prune.js";
import { installStopOnSignal } from "../../runtime/checkpoint/signal.js";
import { booleanOption, ExitCode, stringOption, type Command, type ParsedArgs } from "../command.js";
import type { CliIo } from "../io.js";
import { compact, ProgressBar } from "../progress.js";
import { writeRendered } from "../report.js";
import { cwdHost } from "./compile.js";
import {
  augmentFrom,
  dataFrom,
  describeImages,
  describeParams,
  fail,
  loadData,
  numberOption,
  resumeConflict,
  RUN_OPTIONS,
  sourceReader,
  startBackend,
  stoppingMessage,
  type Failure,
} from "../run-common.js";
import { LAZY_SUMMARIES } from "./summaries.js";
import type { LayersModel } from "@tensorflow/tfjs";
import type { Ir } from "../../compiler/ir/types.js";
import { writeFileAtomic, type OutputPlan } from "../../runtime/folders/index.js";
import { checkRunFolder, dataPaths, holding, openRunFolder } from "../run-folder.js";
import { logitsWidth, preflightProblem } from "../preflight.js";
import { preprocessingOf } from "../../runtime/data/preprocessing.js";

export const RESULT_FILE = "result.json";

export const retrainCommand: Command = {
  name: "retrain",
  summary: LAZY_SUMMARIES.retrain,
  usage:
    "arch.json|pruned.figs [--data D] [--epochs N | --steps N] [--validation N] [--crop N] [--flip] [--out DIR] | --resume --out DIR",
  description: [
    "Builds the architecture of an arch.json (compiling the space it records, which must be",
    "unchanged; --space FILE reads it from elsewhere) or of a pruned .figs, trains it from",
    "fresh weights, prints the test accuracy and saves DIR/model.json + weights.bin.",
    "Its size is printed in both conventions: torch (batch norm 2·C) and keras (4·C, tfjs countParams).",
    "DIR also holds retrain.json (what was asked), metrics.jsonl, checkpoint/ and result.json.",
    "Ctrl-C saves a checkpoint and stops; --resume continues from the last checkpoint",
    "with the settings saved in DIR/retrain.json (only --backend and --threads may be given).",
    "",
    "Exit status: 0 done, 1 bad input (diagnostics), 2 internal error, 130 stopped by a signal.",
  ].join("\n"),
  options: {
    ...RUN_OPTIONS,
    out: {
      ...RUN_OPTIONS.out,
      description:
        "the output directory (default retrain-<ARCH>: its file name without .json or .figs, e.g. retrain-arch); must not exist, unless --resume or --force",
    },
    space: {
      type: "string",
      valueName: "FILE",
      description: "for an arch.json: the space file, if not at the path it records",
    },
  },
  examples: [
    {
      command: "figs retrain search-mnist_convnet/export/arch.json --epochs 2",
      says: "trains what 'figs search spaces/mnist_convnet.figs' found from scratch, prints its test accuracy; writes retrain-arch/",
    },
    {
      command: "figs retrain mnist_convnet-x0.5/pruned.figs --epochs 1 --limit 10000 --out retrain-x0.5",
      says: "trains the baseline 'figs scale spaces/mnist_convnet.figs --width 0.5' wrote, on 10000 images",
    },
    {
      command: "figs retrain --resume --out retrain-arch",
      says: "continues a retraining stopped by Ctrl-C from its last checkpoint",
    },
  ],
  run: runRetrain,
};

async function runRetrain(args: ParsedArgs, io: CliIo): Promise<number> {
  const resume = booleanOption(args, "resume");
  const [path] = args.positionals;
  const out = stringOption(args, "out");
  if (path === undefined && (out === undefined || !resume)) {
    return fail(
      io,
      "retrain",
      resume
        ? "--resume needs the --out DIR of the retraining to continue"
        : "no architecture given (an arch.json or a pruned .figs)",
    );
  }
  const dir = resolve(io.cwd, out ?? `retrain-${basename(path ?? "").replace(/\.(json|figs)$/, "")}`);
  const prepared = resume ? resumedRetrain(args, io, dir) : freshRetrain(args, io, dir);
  if ("exit" in prepared) return prepared.exit;
  const { config, architecture, name, plan } = prepared;
  const data = loadData(io, config.data, config.settings.seed, logitsWidth(architecture.ir));
  if ("exit" in data) return data.exit;
  const backend = await startBackend(io, args);
  if (backend !== undefined) return backend;
  const batchSize = config.settings.batchSize;
  const preflight = {
    ir: architecture.ir,
    data: data.value,
    batchSize,
    mode: "retrain" as const,
    widths: architecture.pruned.widths,
    readSource: sourceReader(io),
  };
  const problem = preflightProblem(preflight);
  if (problem !== undefined) return fail(io, "retrain", problem);
  const opened = openRunFolder(io, "retrain", plan);
  if ("exit" in opened) return opened.exit;
  return holding(opened.folder, async () => {
    if (!resume) {
      const written = writeRetrainRunConfig(dir, config);
      if (!written.ok) return fail(io, "retrain", written.diagnostic.message);
    }
    return trainAndSave(io, { architecture, name, data: data.value, settings: config.settings, dir, resume });
  });
}

type Prepared =
  | {
      readonly config: RetrainRunConfig;
      readonly architecture: Architecture;
      readonly name: string;
      readonly plan: OutputPlan;
    }
  | Failure;

function freshRetrain(args: ParsedArgs, io: CliIo, dir: string): Prepared {
  const path = args.positionals[0] as string;
  const mode = booleanOption(args, "force") ? "force" : "fresh";
  const early = checkRunFolder(io, "retrain", { dir, kind: "retrain", mode, protect: [], command: "figs retrain" });
  if ("exit" in early) return early;
  const space = stringOption(args, "space");
  const loaded = architectureOf(io, path, space);
  if ("exit" in loaded) return loaded;
  const settings = retrainSettings(args);
  if (typeof settings === "string") return { exit: fail(io, "retrain", settings) };
  const data = dataFrom(args);
  if (typeof data === "string") return { exit: fail(io, "retrain", data) };
  const recorded = { path: resolve(io.cwd, path), space: space === undefined ? null : resolve(io.cwd, space) };
  const config = retrainRunConfig(recorded, data, settings);
  if (!config.ok) return { exit: fail(io, "retrain", config.diagnostic.message) };
  const protect = [
    recorded.path,
    ...loaded.architecture.ir.sources.map((s) => resolve(io.cwd, s.path)),
    ...dataPaths(data.spec),
  ];
  const checked = checkRunFolder(io, "retrain", { dir, kind: "retrain", mode, protect, command: "figs retrain" });
  return "exit" in checked ? checked : { ...loaded, config: config.value, plan: checked.plan };
}

/** As `figs search --resume`: everything from the saved retrain.json; only --backend and --threads may change. */
function resumedRetrain(args: ParsedArgs, io: CliIo, dir: string): Prepared {
  const checked = checkRunFolder(io, "retrain", {
    dir,
    kind: "retrain",
    mode: "resume",
    protect: [],
    command: "figs retrain",
  });
  if ("exit" in checked) return checked;
  const read = readRetrainRunConfig(dir);
  if (!read.ok) return { exit: fail(io, "retrain", `cannot resume: ${read.diagnostic.message}`) };
  const config = read.value;
  const conflict = resumeConflict(args, io.cwd, join(dir, RETRAIN_RUN_FILE), config.architecture.path);
  if (conflict !== undefined) return { exit: fail(io, "retrain", conflict) };
  const same = checkSameArchitecture(config, dir);
  if (!same.ok) return { exit: fail(io, "retrain", `cannot resume: ${same.diagnostic.message}`) };
  const loaded = architectureOf(io, config.architecture.path, config.architecture.space ?? undefined);
  return "exit" in loaded ? loaded : { ...loaded, config, plan: checked.plan };
}

interface Architecture {
  readonly pruned: PrunedArchitecture;
  /** The space the architecture was cut from. */
  readonly ir: Ir;
  /** Parameters and madds in both conventions, from the compiler's formula. */
  readonly costs: ConventionCosts;
}

function architectureOf(
  io: CliIo,
  path: string,
  space: string | undefined,
): { readonly architecture: Architecture; readonly name: string } | Failure {
  const loaded = loadArchitecture({
    path,
    cwd: io.cwd,
    host: cwdHost(io),
    ...(space === undefined ? {} : { spaceOverride: space }),
  });
  if (!loaded.architecture || !loaded.ir) {
    writeRendered(io, [{ path, diagnostics: loaded.diagnostics }], (p) => loaded.sources.get(p));
    return { exit: ExitCode.UserError };
  }
  const architecture = {
    pruned: loaded.architecture,
    ir: loaded.ir,
    costs: architectureCosts(loaded.ir, loaded.architecture),
  };
  return { architecture, name: `${loaded.ir.space}_retrained` };
}

export function retrainSettings(args: ParsedArgs): RetrainSettings | string {
  const names = {
    epochs: "epochs",
    steps: "steps",
    batchSize: "batch",
    learningRate: "lr",
    seed: "seed",
    checkpointEvery: "checkpoint-every",
  } as const;
  const values: Record<string, number> = {};
  for (const [key, option] of Object.entries(names)) {
    const value = numberOption(args, option);
    if (typeof value === "string") return value;
    if (value !== undefined) values[key] = value;
  }
  if (values["epochs"] !== undefined && values["steps"] !== undefined)
    return "give either --steps or --epochs, not both";
  const augment = augmentFrom(args);
  if (typeof augment === "string") return augment;
  const checked = checkRetrainSettings({ ...DEFAULT_RETRAIN, ...values, ...augment, steps: values["steps"] ?? null });
  return checked.ok ? checked.value : checked.diagnostic.message;
}

/** What the command decides; the progress and stop hooks are its own. */
interface TrainRequest extends Omit<RetrainRequest, "stop" | "onStep" | "architecture"> {
  readonly architecture: Architecture;
}

/** Trains, then saves the model and result.json; prints the test (and validation) accuracy and the model's size. */
export async function trainAndSave(io: CliIo, request: TrainRequest): Promise<number> {
  const started = Date.now();
  const steps = totalSteps(request);
  io.stdout.write(
    `retrain: ${request.name} on ${request.data.name} (${describeImages(request.data)}), ${steps} steps, output ${request.dir}\n`,
  );
  const bar = new ProgressBar({ stream: io.stderr, every: Math.max(1, Math.round(steps / 20)), label: "retrain" });
  const stop = installStopOnSignal({
    signals: ["SIGINT", "SIGTERM"],
    onFirstSignal: (signal) => io.stderr.write(`\n${stoppingMessage(signal)}\n`),
  });
  try {
    const onStep = (p: RetrainProgress): void =>
      bar.update({ step: p.step, total: p.steps, loss: p.loss, accuracy: p.accuracy });
    const outcome = await retrain({ ...request, architecture: request.architecture.pruned, stop, onStep });
    bar.finish();
    if (outcome.status === "failed") return fail(io, "retrain", outcome.diagnostics.map((d) => d.message).join("; "));
    if (outcome.status === "stopped") {
      io.stderr.write(
        `retraining stopped at step ${outcome.steps}; checkpoint saved. Continue with: figs retrain --resume --out ${request.dir}\n`,
      );
      return 130;
    }
    const model = outcome.model!;
    model.setUserDefinedMetadata({ preprocessing: { ...preprocessingOf(request.data) } });
    const saved = await saveModel(model, request.dir);
    model.dispose();
    if (saved !== undefined) return fail(io, "retrain", saved);
    return writeResult(io, request, outcome, (Date.now() - started) / 1000);
  } finally {
    stop.dispose();
  }
}

/** Saves the trained model into the run folder; a failed write is the message (the files written are each whole). */
async function saveModel(model: LayersModel, dir: string): Promise<string | undefined> {
  try {
    await model.save(fileSaveHandler(dir));
    return undefined;
  } catch (cause) {
    return `cannot save the trained model: ${cause instanceof Error ? cause.message : String(cause)}`;
  }
}

function writeResult(io: CliIo, request: TrainRequest, outcome: RetrainOutcome, seconds: number): number {
  const { costs, ir, pruned } = request.architecture;
  const validation = request.data.validation;
  const held =
    outcome.validationAccuracy === undefined || validation === undefined
      ? undefined
      : { accuracy: outcome.validationAccuracy, images: validation.count };
  const result = {
    testAccuracy: outcome.testAccuracy ?? 0,
    testImages: request.data.test.count,
    ...(held === undefined ? {} : { validationAccuracy: held.accuracy, validationImages: held.images }),
    steps: outcome.steps,
    seed: request.settings.seed,
    wallSeconds: Math.round(seconds * 10) / 10,
    costs,
    widths: Object.fromEntries(ir.groups.map((g) => [g.name, pruned.widths[g.id] ?? 0])),
    preprocessing: preprocessingOf(request.data),
  };
  const written = writeFileAtomic(join(request.dir, RESULT_FILE), `${JSON.stringify(result, null, 2)}\n`);
  if (!written.ok) return fail(io, "retrain", written.diagnostic.message);
  const percent = (x: number): string => `${(100 * x).toFixed(2)}%`;
  io.stdout.write(
    `test accuracy: ${percent(result.testAccuracy)} on ${result.testImages} images` +
      (held === undefined ? "" : `; validation accuracy: ${percent(held.accuracy)} on ${held.images} held-out images`) +
      `\nmodel: ${describeParams(costs)}, ${compact(costs.torch.madds)} madds (${costs.torch.madds}); saved to ${join(request.dir, "model.json")}\n`,
  );
  return ExitCode.Ok;
}
