/**
 * Retraining an exported architecture from scratch (paper §3.2): fresh
 * weights, Adam with the same step-decay schedule as search, cross-entropy
 * only, crop and flip augmentation if asked — the model's step plugged into
 * the training loop (runtime/train/loop.ts), which checkpoints and resumes it
 * as it does a search; then the test accuracy (and the validation accuracy
 * when the data holds images out). The caller saves the trained model.
 */
import * as tf from "@tensorflow/tfjs";
import { codeOf } from "../../diagnostics/codes.js";
import { plainError, type Diagnostic } from "../../diagnostics/diagnostic.js";
import { batchCount } from "../data/batches.js";
import type { Dataset } from "../data/dataset.js";
import { ok } from "../data/errors.js";
import { emitModel } from "../emit/supernet.js";
import type { PrunedArchitecture } from "../export/prune.js";
import { debiasMovingStatistics } from "../train/bn-debias.js";
import { correctCount, crossEntropy, evaluateAccuracy } from "../train/losses.js";
import { runTraining, trainingRequest, type TrainingOutcome } from "../train/loop.js";
import type { MetricsRecord } from "../train/metrics.js";
import type { PluggedOptimizer, PluginState, StepPosition, TrainingPlugin } from "../train/plugin.js";
import { scheduledAdam, type ScheduledAdam } from "../train/schedule.js";
import type { RetrainSettings } from "./settings.js";

export { CHECKPOINT_DIR as RETRAIN_CHECKPOINT_DIR } from "../train/run-checkpoint.js";

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

interface StepValues {
  readonly loss: number;
  readonly accuracy: number;
}

export async function retrain(request: RetrainRequest): Promise<RetrainOutcome> {
  const { settings, data } = request;
  const training = trainingRequest<StepValues>(settings, {
    train: data.train,
    steps: totalSteps(request),
    dir: request.dir,
    resume: request.resume,
    stop: request.stop,
    onStep: ({ step, steps, values }) =>
      request.onStep?.({ step, steps, loss: values.loss, accuracy: values.accuracy }),
  });
  return runTraining(training, () => new RetrainPlugin(request), evaluate);
}

export function totalSteps(request: Pick<RetrainRequest, "data" | "settings">): number {
  const perEpoch = batchCount(request.data.train, { batchSize: request.settings.batchSize, dropRemainder: true });
  return request.settings.steps ?? request.settings.epochs * perEpoch;
}

/** A finished run's model on the test images (and the held-out ones); the model is the caller's from here. */
async function evaluate(plugin: RetrainPlugin, outcome: TrainingOutcome): Promise<RetrainOutcome> {
  if (outcome.status !== "finished") return outcome;
  const { model } = plugin.keepModel();
  // Before it is tested and saved: a short run's moving statistics still carry their start (bn-debias.ts).
  debiasMovingStatistics(model, outcome.steps);
  const testAccuracy = await evaluateAccuracy(model, plugin.data.test);
  const validation = plugin.data.validation;
  const validationAccuracy = validation === undefined ? undefined : await evaluateAccuracy(model, validation);
  return { ...outcome, testAccuracy, ...(validationAccuracy === undefined ? {} : { validationAccuracy }), model };
}

/** The exported architecture's step (cross-entropy, one Adam), as the training loop's plug-in. */
class RetrainPlugin implements TrainingPlugin<StepValues> {
  readonly model: tf.LayersModel;
  readonly data: Dataset;
  readonly optimizers: readonly PluggedOptimizer[];
  readonly checkpointEpoch = "last step";
  readonly state: PluginState = { save: () => ({ kind: "figs-retrain" }), read: () => ok(() => {}) };
  private readonly optimizer: ScheduledAdam;
  private kept = false;

  constructor(request: RetrainRequest) {
    this.model = emitModel(request.architecture.nodes, request.architecture.output, request.name);
    this.data = request.data;
    this.optimizer = scheduledAdam(request.settings.learningRate);
    this.optimizers = [{ prefix: "", optimizer: this.optimizer, learningRate: request.settings.learningRate }];
  }

  async step(images: tf.Tensor4D, labels: tf.Tensor1D): Promise<StepValues> {
    let correct: tf.Scalar | undefined;
    const variables = this.model.trainableWeights.map((w) => w.read() as tf.Variable);
    const { value, grads } = tf.variableGrads(() => {
      const logits = this.model.apply(images, { training: true }) as tf.Tensor;
      correct = tf.keep(correctCount(logits, labels));
      return crossEntropy(logits, labels, this.data.classes);
    }, variables);
    const loss = (await value.data())[0] as number;
    const hits = correct === undefined ? 0 : ((await correct.data())[0] as number);
    if (Number.isFinite(loss))
      this.optimizer.applyGradients(variables.map((v) => ({ name: v.name, tensor: grads[v.name] as tf.Tensor })));
    tf.dispose([value, correct, ...Object.values(grads)].filter((t): t is tf.Tensor => t !== undefined));
    return { loss, accuracy: hits / images.shape[0] };
  }

  metrics(values: StepValues, at: StepPosition): MetricsRecord {
    return {
      step: at.step,
      epoch: at.epoch,
      loss: values.loss,
      accuracy: values.accuracy,
      learningRate: at.learningRate,
    };
  }

  tooFewImages(images: number, batchSize: number): Diagnostic {
    return failure("TooFewImages", `the training set has ${images} images, fewer than one batch of ${batchSize}`);
  }

  diverged(values: StepValues, step: number): Diagnostic {
    const message =
      `the loss became ${values.loss} at step ${step + 1}; ` +
      "retraining stopped without saving that step: try a smaller --lr";
    return failure("TrainingDiverged", message);
  }

  /** The trained model outlives the plug-in. */
  keepModel(): { readonly model: tf.LayersModel } {
    this.kept = true;
    return { model: this.model };
  }

  dispose(): void {
    this.optimizer.dispose();
    if (!this.kept) this.model.dispose();
  }
}

/** A problem of the run as a whole: no file or line to point at. */
function failure(kind: "TooFewImages" | "TrainingDiverged", message: string): Diagnostic {
  return plainError(codeOf(kind), message);
}
