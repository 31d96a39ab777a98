/**
 * The end of `figs retrain`: train (runtime/retrain, the training loop), then
 * save the trained model and result.json (runtime/retrain/result.ts, checked
 * against its schema), and print the test (and validation) accuracy and the
 * model's size in both conventions.
 */
import { join } from "node:path";
import type { LayersModel } from "@tensorflow/tfjs";
import type { Ir } from "../../compiler/index.js";
import { codeOf } from "../../diagnostics/codes.js";
import { fileError, type Diagnostic } from "../../diagnostics/diagnostic.js";
import { preprocessingOf } from "../../runtime/data/preprocessing.js";
import type { ConventionCosts } from "../../runtime/export/costs.js";
import { fileSaveHandler } from "../../runtime/export/model-files.js";
import type { PrunedArchitecture } from "../../runtime/export/prune.js";
import {
  retrain,
  totalSteps,
  writeRetrainResult,
  type RetrainOutcome,
  type RetrainProgress,
  type RetrainRequest,
  type RetrainResult,
} from "../../runtime/retrain/index.js";
import { ExitCode } from "../command.js";
import { compact } from "../progress.js";
import { report, type Reporter } from "../report.js";
import { describeImages, describeParams } from "../run-common.js";
import { progressBar, reportStopped, withStopSignals } from "./training.js";

export interface Architecture {
  readonly pruned: PrunedArchitecture;
  /** The space the architecture was cut from. */
  readonly ir: Ir;
  /** Parameters and madds in both conventions, from the compiler's formula. */
  readonly costs: ConventionCosts;
}

/** What the command decides; the progress and stop hooks are its own. */
export interface TrainRequest extends Omit<RetrainRequest, "stop" | "onStep" | "architecture"> {
  readonly architecture: Architecture;
  /** The file it came from, as retrain.json records it (absolute, with its sha256). */
  readonly source: { readonly path: string; readonly sha256: string };
}

/** Trains, then saves the model and result.json; prints the test (and validation) accuracy and the model's size. */
export async function trainAndSave(to: Reporter, request: TrainRequest): Promise<number> {
  const { io } = to;
  const started = Date.now();
  const steps = totalSteps(request);
  io.stdout.write(
    `retrain: ${request.name} on ${request.data.name} (${describeImages(request.data)}), ${steps} steps, ` +
      `output ${request.dir}\n`,
  );
  const bar = progressBar(io, steps, "retrain");
  return withStopSignals(io, async (stop) => {
    const onStep = (p: RetrainProgress): void =>
      bar.update({ step: p.step, total: p.steps, loss: p.loss, accuracy: p.accuracy });
    const outcome = await retrain({ ...request, architecture: request.architecture.pruned, stop, onStep });
    bar.finish();
    if (outcome.status === "failed") return report(to, outcome.diagnostics);
    if (outcome.status === "stopped") return reportStopped(io, "retraining", outcome.steps, request.dir);
    const model = outcome.model!;
    model.setUserDefinedMetadata({ preprocessing: { ...preprocessingOf(request.data) } });
    const saved = await saveModel(model, request.dir);
    model.dispose();
    if (saved !== undefined) return report(to, [saved]);
    return writeResult(to, request, outcome, (Date.now() - started) / 1000);
  });
}

/** Saves the trained model into the run folder; a failed write is a FIGS9004 (the files written are each whole). */
async function saveModel(model: LayersModel, dir: string): Promise<Diagnostic | undefined> {
  try {
    await model.save(fileSaveHandler(dir));
    return undefined;
  } catch (cause) {
    const message = `cannot save the trained model: ${cause instanceof Error ? cause.message : String(cause)}`;
    return fileError(codeOf("WriteFailed"), message, dir);
  }
}

function resultOf(request: TrainRequest, outcome: RetrainOutcome, seconds: number): RetrainResult {
  const { costs, ir, pruned } = request.architecture;
  const validation = request.data.validation;
  const held =
    outcome.validationAccuracy === undefined || validation === undefined
      ? {}
      : { validationAccuracy: outcome.validationAccuracy, validationImages: validation.count };
  return {
    architecture: { name: request.name, path: request.source.path, sha256: request.source.sha256 },
    testAccuracy: outcome.testAccuracy ?? 0,
    testImages: request.data.test.count,
    ...held,
    steps: outcome.steps,
    seed: request.settings.seed,
    wallSeconds: Math.round(seconds * 10) / 10,
    costs,
    widths: Object.fromEntries(ir.groups.map((g) => [g.name, pruned.widths[g.id] ?? 0])),
    preprocessing: preprocessingOf(request.data),
  };
}

function writeResult(to: Reporter, request: TrainRequest, outcome: RetrainOutcome, seconds: number): number {
  const { io } = to;
  const result = resultOf(request, outcome, seconds);
  const written = writeRetrainResult(request.dir, result);
  if (!written.ok) return report(to, [written.diagnostic]);
  const percent = (x: number): string => `${(100 * x).toFixed(2)}%`;
  const { costs } = result;
  const held =
    result.validationAccuracy === undefined
      ? ""
      : `; validation accuracy: ${percent(result.validationAccuracy)} on ${result.validationImages} held-out images`;
  io.stdout.write(
    `test accuracy: ${percent(result.testAccuracy)} on ${result.testImages} images${held}\n` +
      `model: ${describeParams(costs)}, ${compact(costs.torch.madds)} madds (${costs.torch.madds}); ` +
      `saved to ${join(request.dir, "model.json")}\n`,
  );
  return ExitCode.Ok;
}
