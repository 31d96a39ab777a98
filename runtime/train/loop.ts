/**
 * The one training loop of search and retrain. A plug-in (plugin.ts) brings
 * its model, step, state and metadata; the loop owns the rest:
 *
 * - Math.random from the run's seed for the whole run (seeded-random.ts):
 *   set before the plug-in builds its model (tfjs draws initial weights and
 *   dropout masks from it), restored when the run returns or throws;
 * - resume: the checkpoint's weights, optimizer slots, plug-in state, step
 *   and Math.random stream, then metrics.jsonl cut back to that step;
 * - the epoch/batch loop over the training split (a batch, its crop and its
 *   flip depend on (seed, epoch, index) alone, so a resumed run sees the
 *   batches an uninterrupted one would), with step decay of every optimizer;
 * - the finite-loss check (the step is neither logged nor saved);
 * - a metrics line per step, appended as it goes;
 * - a checkpoint every `checkpointEvery` steps, at the end, and when a stop
 *   is requested (a signal): then the outcome is "stopped";
 * - progress and checkpoint callbacks.
 */
import { join } from "node:path";
import type { Diagnostic } from "../../diagnostics/diagnostic.js";
import { batchCount, tensorBatches } from "../data/batches.js";
import type { Split } from "../data/dataset.js";
import { ok, type Result } from "../data/errors.js";
import { yieldToEventLoop } from "./losses.js";
import { appendMetrics, METRICS_FILE, truncateMetrics } from "./metrics.js";
import type { StepResult, TrainingPlugin } from "./plugin.js";
import {
  CHECKPOINT_DIR,
  RANDOM_KEY,
  restoreCheckpoint,
  restoreOptimizers,
  saveRunCheckpoint,
} from "./run-checkpoint.js";
import { learningRateAt, stepDecay, type StepDecay } from "./schedule.js";
import { installSeededRandom, type SeededRandom } from "./seeded-random.js";

export interface TrainingProgress<V> {
  /** Steps done, this one included. */
  readonly step: number;
  readonly steps: number;
  readonly epoch: number;
  readonly values: V;
}

export interface TrainingRequest<V> {
  readonly train: Split;
  readonly steps: number;
  readonly batchSize: number;
  readonly seed: number;
  readonly checkpointEvery: number;
  readonly augment: { readonly cropPadding: number; readonly flip: boolean };
  /** The run folder (exists): checkpoint/ and metrics.jsonl go here. */
  readonly dir: string;
  readonly resume: boolean;
  /** Polled between steps: once it is requested, the loop saves a checkpoint and stops. */
  readonly stop?: { readonly requested: boolean };
  readonly onStep?: (progress: TrainingProgress<V>) => void;
  readonly onCheckpoint?: (step: number) => void;
}

/** The settings of the loop that search and retrain both have (their settings.ts). */
export interface LoopSettings {
  readonly batchSize: number;
  readonly seed: number;
  readonly checkpointEvery: number;
  readonly cropPadding: number;
  readonly flip: boolean;
}

/** A TrainingRequest from a command's settings and its run: one place for what search and retrain share. */
export function trainingRequest<V>(
  settings: LoopSettings,
  run: Pick<TrainingRequest<V>, "train" | "steps" | "dir" | "resume" | "stop" | "onStep" | "onCheckpoint">,
): TrainingRequest<V> {
  const { batchSize, seed, checkpointEvery, cropPadding, flip } = settings;
  const { stop, onStep, onCheckpoint } = run;
  return {
    train: run.train,
    steps: run.steps,
    batchSize,
    seed,
    checkpointEvery,
    augment: { cropPadding, flip },
    dir: run.dir,
    resume: run.resume,
    ...(stop === undefined ? {} : { stop }),
    ...(onStep === undefined ? {} : { onStep }),
    ...(onCheckpoint === undefined ? {} : { onCheckpoint }),
  };
}

export interface TrainingOutcome {
  readonly status: "finished" | "stopped" | "failed";
  /** Steps completed (and saved in the last checkpoint, unless it failed). */
  readonly steps: number;
  readonly diagnostics: readonly Diagnostic[];
}

/** The seeded Math.random of a run; resuming replaces it with the checkpoint's stream. */
interface RandomHolder {
  current: SeededRandom;
}

/**
 * Seeds Math.random, builds the plug-in, trains, and hands the plug-in and
 * the outcome to `finish` (still under the run's Math.random), e.g. to
 * evaluate the trained model; the plug-in is disposed afterwards.
 */
export async function runTraining<V extends StepResult, P extends TrainingPlugin<V>, R>(
  request: TrainingRequest<V>,
  plugIn: () => P,
  finish: (plugin: P, outcome: TrainingOutcome) => Promise<R>,
): Promise<R> {
  const random: RandomHolder = { current: installSeededRandom(request.seed) };
  let plugin: P | undefined;
  try {
    plugin = plugIn();
    return await finish(plugin, await train(request, plugin, random));
  } finally {
    plugin?.dispose();
    random.current.restore();
  }
}

async function train<V extends StepResult>(
  request: TrainingRequest<V>,
  plugin: TrainingPlugin<V>,
  random: RandomHolder,
): Promise<TrainingOutcome> {
  let step = 0;
  if (request.resume) {
    const resumed = await resume(request, plugin, random);
    if (!resumed.ok) return failed(0, resumed.diagnostic);
    step = resumed.value;
  }
  const truncated = truncateMetrics(join(request.dir, METRICS_FILE), step);
  if (!truncated.ok) return failed(step, truncated.diagnostic);
  return loop(request, plugin, random, step);
}

/** The one resume path: weights, optimizers, the plug-in's state, the step and the Math.random stream. */
async function resume<V extends StepResult>(
  request: TrainingRequest<V>,
  plugin: TrainingPlugin<V>,
  random: RandomHolder,
): Promise<Result<number>> {
  const restored = await restoreCheckpoint(plugin.model, join(request.dir, CHECKPOINT_DIR), plugin.state.read);
  if (!restored.ok) return restored;
  const { checkpoint, state: apply } = restored.value;
  await restoreOptimizers(plugin.optimizers, checkpoint);
  apply();
  random.current.restore();
  random.current = installSeededRandom(request.seed, checkpoint.rng[RANDOM_KEY]);
  return ok(checkpoint.step);
}

async function loop<V extends StepResult>(
  request: TrainingRequest<V>,
  plugin: TrainingPlugin<V>,
  random: RandomHolder,
  start: number,
): Promise<TrainingOutcome> {
  const { train, steps, batchSize } = request;
  const perEpoch = batchCount(train, { batchSize, dropRemainder: true });
  if (perEpoch === 0) return failed(start, plugin.tooFewImages(train.count, batchSize));
  const schedules = plugin.optimizers.map((plugged) => stepDecay(plugged.learningRate, steps));
  const metricsFile = join(request.dir, METRICS_FILE);
  let step = start;
  while (step < steps) {
    const epoch = Math.floor(step / perEpoch);
    const batches = tensorBatches(train, {
      batchSize,
      seed: request.seed,
      epoch,
      startBatch: step % perEpoch,
      dropRemainder: true,
      augment: request.augment,
    });
    for (const batch of batches) {
      const learningRate = scheduleRates(plugin, schedules, step);
      const values = await plugin.step(batch.images, batch.labels);
      if (!Number.isFinite(values.loss)) return failed(step, plugin.diverged(values, step));
      const logged = appendMetrics(metricsFile, plugin.metrics(values, { step, epoch, learningRate }));
      if (!logged.ok) return failed(step, logged.diagnostic);
      step += 1;
      plugin.afterStep?.(step);
      request.onStep?.({ step, steps, epoch, values });
      await yieldToEventLoop();
      const stopping = request.stop?.requested === true;
      if (step % request.checkpointEvery === 0 || step === steps || stopping) {
        const saved = await save(request.dir, plugin, random.current, step, { epoch, perEpoch });
        if (!saved.ok) return failed(step, saved.diagnostic);
        request.onCheckpoint?.(step);
      }
      if (stopping) return { status: "stopped", steps: step, diagnostics: [] };
      if (step >= steps) break;
    }
  }
  return { status: "finished", steps: step, diagnostics: [] };
}

/** Sets every optimizer's learning rate for `step`; returns the first one's, which the metrics record. */
function scheduleRates<V extends StepResult>(
  plugin: TrainingPlugin<V>,
  schedules: readonly StepDecay[],
  step: number,
): number {
  const rates = schedules.map((schedule) => learningRateAt(schedule, step));
  plugin.optimizers.forEach((plugged, i) => plugged.optimizer.setLearningRate(rates[i] ?? 0));
  return rates[0] ?? 0;
}

/** `epoch` is the last step's; search checkpoints record the next step's (plugin.ts, `checkpointEpoch`). */
function save<V extends StepResult>(
  dir: string,
  plugin: TrainingPlugin<V>,
  random: SeededRandom,
  step: number,
  at: { readonly epoch: number; readonly perEpoch: number },
): Promise<Result<unknown>> {
  const epoch = plugin.checkpointEpoch === "next step" ? Math.floor(step / at.perEpoch) : at.epoch;
  const { model, optimizers } = plugin;
  return saveRunCheckpoint(dir, { step, epoch, model, optimizers, random, metadata: plugin.state.save() });
}

function failed(steps: number, diagnostic: Diagnostic): TrainingOutcome {
  return { status: "failed", steps, diagnostics: [diagnostic] };
}
