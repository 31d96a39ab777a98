/**
 * `figs retrain arch.json|pruned.figs`: train an exported architecture from
 * scratch, report its test accuracy and save the trained LayersModel
 * (runtime/retrain). The output directory holds metrics.jsonl, checkpoint/,
 * model.json + weights.bin and result.json.
 */
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { fileSaveHandler } from "../../runtime/export/model-files.js";
import { DEFAULT_RETRAIN, loadArchitecture, retrain, totalSteps, type RetrainRequest, type RetrainSettings } from "../../runtime/retrain/index.js";
import type { PrunedArchitecture } from "../../runtime/export/prune.js";
import type { Dataset } from "../../runtime/data/dataset.js";
import { installStopOnSignal } from "../../runtime/checkpoint/signal.js";
import { booleanOption, ExitCode, stringOption, type Command, type ParsedArgs } from "../command.js";
import type { CliIo } from "../io.js";
import { compact, ProgressBar } from "../progress.js";
import { writeRendered } from "../report.js";
import { cwdHost } from "./compile.js";
import { fail, loadData, numberOption, RUN_OPTIONS, startBackend } from "./search.js";

export const RESULT_FILE = "result.json";

export const retrainCommand: Command = {
  name: "retrain",
  summary: "train an exported architecture from scratch and report its test accuracy",
  usage: "arch.json|pruned.figs [--data D] [--epochs N | --steps N] [--out DIR] [--resume]",
  description: [
    "Builds the architecture of an arch.json (compiling the space it records, which must be",
    "unchanged; --space FILE reads it from elsewhere) or of a pruned .figs, trains it from",
    "fresh weights, prints the test accuracy and saves DIR/model.json + weights.bin.",
    "",
    "Exit status: 0 done, 1 bad input (diagnostics), 2 internal error, 130 stopped by a signal.",
  ].join("\n"),
  options: {
    ...RUN_OPTIONS,
    space: { type: "string", valueName: "FILE", description: "for an arch.json: the space file, if not at the path it records" },
  },
  run: runRetrain,
};

async function runRetrain(args: ParsedArgs, io: CliIo): Promise<number> {
  const [path] = args.positionals;
  if (path === undefined) return fail(io, "retrain", "no architecture given (an arch.json or a pruned .figs)");
  const dir = resolve(io.cwd, stringOption(args, "out") ?? `retrain-${basename(path).replace(/\.(json|figs)$/, "")}`);
  const resume = booleanOption(args, "resume");
  if (existsSync(dir) && !resume && !booleanOption(args, "force")) {
    return fail(io, "retrain", `the output directory ${dir} already exists; pass --resume to continue it, --force to replace it, or --out to choose another`);
  }
  if (resume && !existsSync(dir)) return fail(io, "retrain", `cannot resume: ${dir} does not exist`);
  const space = stringOption(args, "space");
  const loaded = loadArchitecture({ path, cwd: io.cwd, host: cwdHost(io), ...(space === undefined ? {} : { spaceOverride: space }) });
  if (!loaded.architecture || !loaded.ir) {
    writeRendered(io, [{ path, diagnostics: loaded.diagnostics }], (p) => loaded.sources.get(p));
    return ExitCode.UserError;
  }
  const settings = retrainSettings(args);
  if (typeof settings === "string") return fail(io, "retrain", settings);
  const limit = numberOption(args, "limit");
  if (typeof limit === "string") return fail(io, "retrain", limit);
  const data = loadData(io, stringOption(args, "data") ?? "mnist", limit ?? null, settings.seed);
  if ("exit" in data) return data.exit;
  const backend = await startBackend(io, args);
  if (backend !== undefined) return backend;
  if (!resume) {
    if (booleanOption(args, "force")) rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
  }
  return trainAndSave(io, { architecture: loaded.architecture, name: `${loaded.ir.space}_retrained`, data: data.value, settings, dir, resume });
}

export function retrainSettings(args: ParsedArgs): RetrainSettings | string {
  const names = { epochs: "epochs", steps: "steps", batchSize: "batch", learningRate: "lr", seed: "seed", checkpointEvery: "checkpoint-every" } as const;
  const values: Record<string, number> = {};
  for (const [key, option] of Object.entries(names)) {
    const value = numberOption(args, option);
    if (typeof value === "string") return value;
    if (value === undefined) continue;
    const integer = key !== "learningRate";
    if (!(value > 0) || (integer && !Number.isInteger(value))) return `--${option} must be a positive ${integer ? "integer" : "number"}, got ${value}`;
    values[key] = value;
  }
  if (values["epochs"] !== undefined && values["steps"] !== undefined) return "give either --steps or --epochs, not both";
  return { ...DEFAULT_RETRAIN, ...values, steps: values["steps"] ?? null };
}

/** What the command decides; the progress and stop hooks are its own. */
type TrainRequest = Omit<RetrainRequest, "stop" | "onStep">;

/** Trains, then saves the model and result.json; prints the test accuracy. */
export async function trainAndSave(io: CliIo, request: TrainRequest): Promise<number> {
  const steps = totalSteps(request);
  io.stdout.write(`retrain: ${request.name} on ${request.data.name} (${request.data.train.count} training images), ${steps} steps, output ${request.dir}\n`);
  const bar = new ProgressBar({ stream: io.stderr, every: Math.max(1, Math.round(steps / 20)), label: "retrain" });
  const stop = installStopOnSignal({ signals: ["SIGINT", "SIGTERM"] });
  try {
    const outcome = await retrain({ ...request, stop, onStep: (p) => bar.update({ step: p.step, total: p.steps, loss: p.loss, accuracy: p.accuracy }) });
    bar.finish();
    if (outcome.status === "failed") return fail(io, "retrain", outcome.diagnostics.map((d) => d.message).join("; "));
    if (outcome.status === "stopped") {
      io.stderr.write(`retraining stopped at step ${outcome.steps}; checkpoint saved. Continue with --resume --out ${request.dir}\n`);
      return 130;
    }
    const model = outcome.model!;
    await model.save(fileSaveHandler(request.dir));
    const params = model.countParams();
    model.dispose();
    const result = { testAccuracy: outcome.testAccuracy ?? 0, testImages: request.data.test.count, steps: outcome.steps, params };
    writeFileSync(join(request.dir, RESULT_FILE), `${JSON.stringify(result, null, 2)}\n`);
    io.stdout.write(`test accuracy: ${(100 * result.testAccuracy).toFixed(2)}% on ${result.testImages} images; model (${compact(params)} params) saved to ${request.dir}/model.json\n`);
    return ExitCode.Ok;
  } finally {
    stop.dispose();
  }
}
