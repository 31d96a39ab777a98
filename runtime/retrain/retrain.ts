/**
 * Retraining an exported architecture from scratch (paper §3.2): fresh
 * weights, Adam with the same step-decay schedule as search, cross-entropy
 * only, crop and flip augmentation if asked; then the test accuracy (and the
 * validation accuracy when the data holds images out), and the trained
 * LayersModel saved as model.json + weights.bin. Checkpoints and resume work
 * as in search.
 */
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { codeOf } from "../../diagnostics/codes.js";
import { error, type Diagnostic } from "../../diagnostics/diagnostic.js";
import { batchCount, tensorBatches } from "../data/batches.js";
import type { Dataset } from "../data/dataset.js";
import { fail, ok, type Result } from "../data/errors.js";
import { loadCheckpoint, saveCheckpoint } from "../checkpoint/store.js";
import { emitModel } from "../emit/supernet.js";
import type { PrunedArchitecture } from "../export/prune.js";
import { augmentProblem } from "../train/data-options.js";
import { correctCount, crossEntropy, evaluateAccuracy, yieldToEventLoop } from "../train/losses.js";
import { appendMetrics, METRICS_FILE, truncateMetrics } from "../train/metrics.js";
import { learningRateAt, scheduledAdam, stepDecay, type ScheduledAdam } from "../train/schedule.js";
import { installSeededRandom, type SeededRandom } from "../train/seeded-random.js";
import { modelArrays, optimizerArrays, restoreModel, restoreOptimizer } from "../train/state.js";

export const RETRAIN_CHECKPOINT_DIR = "checkpoint";

export interface RetrainSettings {
  /** Passes over the training set; `steps` overrides it when given. */
  readonly epochs: number;
  readonly steps: number | null;
  readonly batchSize: number;
  readonly learningRate: number;
  readonly seed: number;
  readonly checkpointEvery: number;
  /** Augmentation: pad by this many pixels, then crop back at a random offset (0: no crop). */
  readonly cropPadding: number;
  /** Augmentation: mirror each image left–right with probability 1/2. */
  readonly flip: boolean;
}

export const DEFAULT_RETRAIN: RetrainSettings = {
  epochs: 1,
  steps: null,
  batchSize: 64,
  learningRate: 0.002,
  seed: 1,
  checkpointEvery: 50,
  cropPadding: 0,
  flip: false,
};

/** The checks of the command line, also applied to a retrain.json read back for --resume. */
export function checkRetrainSettings(settings: RetrainSettings): Result<RetrainSettings> {
  const problem = retrainSettingsProblem(settings);
  return problem === undefined ? ok(settings) : fail("invalidOption", "retrain settings", problem);
}

function retrainSettingsProblem(settings: RetrainSettings): string | undefined {
  const counts = {
    epochs: settings.epochs,
    batch: settings.batchSize,
    "checkpoint-every": settings.checkpointEvery,
    steps: settings.steps ?? 1,
  };
  for (const [option, value] of Object.entries(counts)) {
    if (!(Number.isSafeInteger(value) && value > 0)) return `--${option} must be a positive integer, got ${value}`;
  }
  if (!(Number.isSafeInteger(settings.seed) && settings.seed >= 0))
    return `--seed must be a non-negative integer, got ${settings.seed}`;
  if (!(Number.isFinite(settings.learningRate) && settings.learningRate > 0))
    return `--lr must be a positive number, got ${settings.learningRate}`;
  return augmentProblem(settings);
}

export interface RetrainProgress {
  readonly step: number;
  readonly steps: number;
  readonly loss: number;
  readonly accuracy: number;
}

export interface RetrainRequest {
  readonly architecture: PrunedArchitecture;
  readonly name: string;
  readonly data: Dataset;
  readonly settings: RetrainSettings;
  /** The output directory (exists): checkpoint/, metrics.jsonl. */
  readonly dir: string;
  readonly resume: boolean;
  readonly stop?: { readonly requested: boolean };
  readonly onStep?: (progress: RetrainProgress) => void;
}

export interface RetrainOutcome {
  readonly status: "finished" | "stopped" | "failed";
  readonly steps: number;
  readonly testAccuracy?: number;
  /** Accuracy on `data.validation`, when the data holds images out of training. */
  readonly validationAccuracy?: number;
  /** The trained model (finished runs); the caller saves and disposes it. */
  readonly model?: tf.LayersModel;
  readonly diagnostics: readonly Diagnostic[];
}

interface Run {
  readonly request: RetrainRequest;
  readonly model: tf.LayersModel;
  readonly optimizer: ScheduledAdam;
  random: SeededRandom;
  step: number;
}

export async function retrain(request: RetrainRequest): Promise<RetrainOutcome> {
  const random = installSeededRandom(request.settings.seed);
  const model = emitModel(request.architecture.nodes, request.architecture.output, request.name);
  const run: Run = { request, model, optimizer: scheduledAdam(request.settings.learningRate), random, step: 0 };
  let keepModel = false;
  try {
    if (request.resume) {
      const problem = await resume(run);
      if (problem) return { status: "failed", steps: 0, diagnostics: [problem] };
    }
    const truncated = truncateMetrics(join(request.dir, METRICS_FILE), run.step);
    if (!truncated.ok) return { status: "failed", steps: run.step, diagnostics: [truncated.diagnostic] };
    const outcome = await loop(run);
    if (outcome.status !== "finished") return outcome;
    keepModel = true;
    const testAccuracy = await evaluateAccuracy(model, request.data.test);
    const validation = request.data.validation;
    const validationAccuracy = validation === undefined ? undefined : await evaluateAccuracy(model, validation);
    return { ...outcome, testAccuracy, ...(validationAccuracy === undefined ? {} : { validationAccuracy }), model };
  } finally {
    run.optimizer.dispose();
    run.random.restore();
    if (!keepModel) model.dispose();
  }
}

export function totalSteps(request: Pick<RetrainRequest, "data" | "settings">): number {
  const perEpoch = batchCount(request.data.train, { batchSize: request.settings.batchSize, dropRemainder: true });
  return request.settings.steps ?? request.settings.epochs * perEpoch;
}

async function loop(run: Run): Promise<RetrainOutcome> {
  const { settings, data } = run.request;
  const perEpoch = batchCount(data.train, { batchSize: settings.batchSize, dropRemainder: true });
  const steps = totalSteps(run.request);
  if (perEpoch === 0)
    return failed(
      run,
      `the training set has ${data.train.count} images, fewer than one batch of ${settings.batchSize}`,
    );
  const schedule = stepDecay(settings.learningRate, steps);
  while (run.step < steps) {
    const epoch = Math.floor(run.step / perEpoch);
    const augment = { cropPadding: settings.cropPadding, flip: settings.flip };
    for (const batch of tensorBatches(data.train, {
      batchSize: settings.batchSize,
      seed: settings.seed,
      epoch,
      startBatch: run.step % perEpoch,
      dropRemainder: true,
      augment,
    })) {
      run.optimizer.setLearningRate(learningRateAt(schedule, run.step));
      const { loss, accuracy } = await trainStep(run, batch.images, batch.labels, data.classes);
      if (!Number.isFinite(loss))
        return failed(
          run,
          `the loss became ${loss} at step ${run.step + 1}; retraining stopped without saving that step: try a smaller --lr`,
          "TrainingDiverged",
        );
      const logged = appendMetrics(join(run.request.dir, METRICS_FILE), {
        step: run.step,
        epoch,
        loss,
        accuracy,
        learningRate: learningRateAt(schedule, run.step),
      });
      if (!logged.ok) return { status: "failed", steps: run.step, diagnostics: [logged.diagnostic] };
      run.step += 1;
      run.request.onStep?.({ step: run.step, steps, loss, accuracy });
      await yieldToEventLoop();
      const stopping = run.request.stop?.requested === true;
      if (run.step % settings.checkpointEvery === 0 || run.step === steps || stopping) {
        const saved = await save(run, epoch);
        if (!saved.ok) return { status: "failed", steps: run.step, diagnostics: [saved.diagnostic] };
      }
      if (stopping) return { status: "stopped", steps: run.step, diagnostics: [] };
      if (run.step >= steps) break;
    }
  }
  return { status: "finished", steps: run.step, diagnostics: [] };
}

async function trainStep(
  run: Run,
  images: tf.Tensor4D,
  labels: tf.Tensor1D,
  classes: number,
): Promise<{ loss: number; accuracy: number }> {
  let correct: tf.Scalar | undefined;
  const variables = run.model.trainableWeights.map((w) => w.read() as tf.Variable);
  const { value, grads } = tf.variableGrads(() => {
    const logits = run.model.apply(images, { training: true }) as tf.Tensor;
    correct = tf.keep(correctCount(logits, labels));
    return crossEntropy(logits, labels, classes);
  }, variables);
  const loss = (await value.data())[0] as number;
  const hits = correct === undefined ? 0 : ((await correct.data())[0] as number);
  if (Number.isFinite(loss))
    run.optimizer.applyGradients(variables.map((v) => ({ name: v.name, tensor: grads[v.name] as tf.Tensor })));
  tf.dispose([value, correct, ...Object.values(grads)].filter((t): t is tf.Tensor => t !== undefined));
  return { loss, accuracy: hits / images.shape[0] };
}

function failed(run: Run, message: string, kind: "InvalidValue" | "TrainingDiverged" = "InvalidValue"): RetrainOutcome {
  const start = { offset: 0, line: 1, column: 1 };
  return {
    status: "failed",
    steps: run.step,
    diagnostics: [error(codeOf(kind), message, { file: "retrain", start, end: start })],
  };
}

async function save(run: Run, epoch: number): Promise<Result<unknown>> {
  return saveCheckpoint(join(run.request.dir, RETRAIN_CHECKPOINT_DIR), {
    step: run.step,
    epoch,
    weights: await modelArrays(run.model),
    optimizer: await optimizerArrays(run.optimizer),
    rng: { random: run.random.prng.state() },
    metadata: { kind: "figs-retrain" },
  });
}

async function resume(run: Run): Promise<Diagnostic | undefined> {
  const dir = join(run.request.dir, RETRAIN_CHECKPOINT_DIR);
  const loaded = await loadCheckpoint(dir);
  if (!loaded.ok) return loaded.diagnostic;
  const restored = restoreModel(run.model, loaded.value.weights, dir);
  if (!restored.ok) return restored.diagnostic;
  await restoreOptimizer(run.optimizer, loaded.value.optimizer);
  run.step = loaded.value.step;
  run.random.restore();
  run.random = installSeededRandom(run.request.settings.seed, loaded.value.rng["random"]);
  return undefined;
}
