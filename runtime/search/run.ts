/**
 * A whole search: the step loop with its schedule, the λ controller,
 * metrics, checkpoints and resume. Same seed → same steps → same ν → same
 * arch.json; a resumed run restores weights, both Adams, ν, λ, the mask
 * noise counter and the Math.random stream, and sees the same batches
 * (runtime/data draws a batch, and its crop and flip, from (seed, epoch,
 * index) alone).
 */
import { join } from "node:path";
import type { Ir } from "../../compiler/ir/types.js";
import { codeOf } from "../../diagnostics/codes.js";
import { error, type Diagnostic } from "../../diagnostics/diagnostic.js";
import { batchCount, tensorBatches } from "../data/batches.js";
import type { Split } from "../data/dataset.js";
import type { Result } from "../data/errors.js";
import { loadCheckpoint, saveCheckpoint } from "../checkpoint/store.js";
import { yieldToEventLoop } from "../train/losses.js";
import { appendMetrics, METRICS_FILE, truncateMetrics } from "../train/metrics.js";
import { learningRateAt, stepDecay } from "../train/schedule.js";
import { installSeededRandom, type SeededRandom } from "../train/seeded-random.js";
import { modelArrays, optimizerArrays, prefixed, restoreModel, restoreOptimizer, withPrefix } from "../train/state.js";
import { defaultLambda, targetLambda } from "./budget.js";
import type { SearchSettings } from "./settings.js";
import { SupernetTrainer, type StepValues } from "./supernet-trainer.js";

export const CHECKPOINT_DIR = "checkpoint";

export interface SearchProgress {
  readonly step: number;
  readonly steps: number;
  readonly epoch: number;
  readonly values: StepValues;
  readonly lambda: number;
}

export interface SearchRunRequest {
  readonly ir: Ir;
  readonly train: Split;
  readonly settings: SearchSettings;
  /** The run directory (exists): checkpoint/ and metrics.jsonl go here. */
  readonly dir: string;
  readonly resume: boolean;
  readonly stop?: { readonly requested: boolean };
  readonly onStep?: (progress: SearchProgress) => void;
  readonly onCheckpoint?: (step: number) => void;
}

export interface SearchOutcome {
  readonly status: "finished" | "stopped" | "failed";
  /** Steps completed (and saved in the last checkpoint). */
  readonly steps: number;
  readonly lambda: number;
  readonly diagnostics: readonly Diagnostic[];
}

interface LoopState {
  step: number;
  lambda: number;
}

export async function runSearch(request: SearchRunRequest): Promise<SearchOutcome> {
  const { ir, settings } = request;
  let random = installSeededRandom(settings.seed);
  const trainer = new SupernetTrainer(ir, settings);
  try {
    const state: LoopState = { step: 0, lambda: settings.lambda ?? defaultLambda(ir, settings.cost, settings.target) };
    if (request.resume) {
      const resumed = await resume(request, trainer, state, random);
      if ("diagnostic" in resumed)
        return { status: "failed", steps: 0, lambda: state.lambda, diagnostics: [resumed.diagnostic] };
      random = resumed.random;
    }
    const truncated = truncateMetrics(join(request.dir, METRICS_FILE), state.step);
    if (!truncated.ok)
      return { status: "failed", steps: state.step, lambda: state.lambda, diagnostics: [truncated.diagnostic] };
    return await loop(request, trainer, state, random);
  } finally {
    trainer.dispose();
    random.restore();
  }
}

async function loop(
  request: SearchRunRequest,
  trainer: SupernetTrainer,
  state: LoopState,
  random: SeededRandom,
): Promise<SearchOutcome> {
  const { settings, train } = request;
  const perEpoch = batchCount(train, { batchSize: settings.batchSize, dropRemainder: true });
  if (perEpoch === 0) {
    const message = `the training set has ${train.count} images, fewer than one batch of ${settings.batchSize}; use a smaller --batch or a larger --limit`;
    return {
      status: "failed",
      steps: state.step,
      lambda: state.lambda,
      diagnostics: [error(codeOf("InvalidValue"), message, at("--batch"))],
    };
  }
  const schedule = {
    weights: stepDecay(settings.learningRate, settings.steps),
    arch: stepDecay(settings.archLearningRate, settings.steps),
  };
  while (state.step < settings.steps) {
    const epoch = Math.floor(state.step / perEpoch);
    const augment = { cropPadding: settings.cropPadding, flip: settings.flip };
    const batches = tensorBatches(train, {
      batchSize: settings.batchSize,
      seed: settings.seed,
      epoch,
      startBatch: state.step % perEpoch,
      dropRemainder: true,
      augment,
    });
    for (const batch of batches) {
      trainer.setLearningRates(learningRateAt(schedule.weights, state.step), learningRateAt(schedule.arch, state.step));
      const values = await trainer.step(batch.images, batch.labels, state.lambda);
      if (!Number.isFinite(values.loss)) return diverged(state, values);
      const logged = appendMetrics(
        join(request.dir, METRICS_FILE),
        metricsRecord(state, epoch, values, learningRateAt(schedule.weights, state.step)),
      );
      if (!logged.ok)
        return { status: "failed", steps: state.step, lambda: state.lambda, diagnostics: [logged.diagnostic] };
      state.step += 1;
      if (settings.target !== null && state.step % settings.controlEvery === 0) controlLambda(request, trainer, state);
      request.onStep?.({ step: state.step, steps: settings.steps, epoch, values, lambda: state.lambda });
      await yieldToEventLoop();
      const stopping = request.stop?.requested === true;
      if (state.step % settings.checkpointEvery === 0 || state.step === settings.steps || stopping) {
        const saved = await save(request, trainer, state, random);
        if (!saved.ok)
          return { status: "failed", steps: state.step, lambda: state.lambda, diagnostics: [saved.diagnostic] };
        request.onCheckpoint?.(state.step);
      }
      if (stopping) return { status: "stopped", steps: state.step, lambda: state.lambda, diagnostics: [] };
      if (state.step >= settings.steps) break;
    }
  }
  return { status: "finished", steps: state.step, lambda: state.lambda, diagnostics: [] };
}

function controlLambda(request: SearchRunRequest, trainer: SupernetTrainer, state: LoopState): void {
  state.lambda = targetLambda(request.ir, trainer.logitValues(), request.settings, state.step);
}

function metricsRecord(
  state: LoopState,
  epoch: number,
  values: StepValues,
  learningRate: number,
): Record<string, number> {
  return {
    step: state.step,
    epoch,
    loss: values.loss,
    crossEntropy: values.crossEntropy,
    accuracy: values.accuracy,
    expectedCost: values.expectedCost,
    lambda: state.lambda,
    learningRate,
  };
}

function diverged(state: LoopState, values: StepValues): SearchOutcome {
  const message =
    `the loss became ${values.loss} at step ${state.step + 1} (cross-entropy ${values.crossEntropy}, E[cost] ${values.expectedCost}); ` +
    `the search stopped without saving that step: try a smaller --lr or --lambda`;
  return {
    status: "failed",
    steps: state.step,
    lambda: state.lambda,
    diagnostics: [error(codeOf("TrainingDiverged"), message, at("loss"))],
  };
}

function at(file: string): Diagnostic["range"] {
  const start = { offset: 0, line: 1, column: 1 };
  return { file, start, end: start };
}

async function save(
  request: SearchRunRequest,
  trainer: SupernetTrainer,
  state: LoopState,
  random: SeededRandom,
): Promise<Result<unknown>> {
  const optimizer = {
    ...prefixed(await optimizerArrays(trainer.weightOptimizer), "w/"),
    ...prefixed(await optimizerArrays(trainer.archOptimizer), "a/"),
  };
  const perEpoch = batchCount(request.train, { batchSize: request.settings.batchSize, dropRemainder: true });
  return saveCheckpoint(join(request.dir, CHECKPOINT_DIR), {
    step: state.step,
    epoch: Math.floor(state.step / Math.max(1, perEpoch)),
    weights: await modelArrays(trainer.model),
    optimizer,
    rng: { random: random.prng.state() },
    metadata: { kind: "figs-search", lambda: state.lambda, draws: trainer.supernet.masks.draws },
  });
}

type Resumed = { readonly random: SeededRandom } | { readonly diagnostic: Diagnostic };

async function resume(
  request: SearchRunRequest,
  trainer: SupernetTrainer,
  state: LoopState,
  random: SeededRandom,
): Promise<Resumed> {
  const dir = join(request.dir, CHECKPOINT_DIR);
  const loaded = await loadCheckpoint(dir);
  if (!loaded.ok) return { diagnostic: loaded.diagnostic };
  const checkpoint = loaded.value;
  const metadata = checkpoint.metadata as { kind?: unknown; lambda?: unknown; draws?: unknown } | null;
  if (metadata?.kind !== "figs-search" || typeof metadata.lambda !== "number" || typeof metadata.draws !== "number") {
    return { diagnostic: error(codeOf("CorruptCheckpoint"), `${dir} is not the checkpoint of a figs search`, at(dir)) };
  }
  const restored = restoreModel(trainer.model, checkpoint.weights, dir);
  if (!restored.ok) return { diagnostic: restored.diagnostic };
  await restoreOptimizer(trainer.weightOptimizer, withPrefix(checkpoint.optimizer, "w/"));
  await restoreOptimizer(trainer.archOptimizer, withPrefix(checkpoint.optimizer, "a/"));
  trainer.supernet.masks.draws = metadata.draws;
  state.step = checkpoint.step;
  state.lambda = metadata.lambda;
  random.restore();
  return { random: installSeededRandom(request.settings.seed, checkpoint.rng["random"]) };
}

/** For tests and export: the trained supernet of a finished run, restored from its last checkpoint. */
export async function loadSearchedSupernet(
  ir: Ir,
  settings: SearchSettings,
  dir: string,
): Promise<{ trainer?: SupernetTrainer; lambda?: number; diagnostic?: Diagnostic }> {
  const random = installSeededRandom(settings.seed);
  try {
    const trainer = new SupernetTrainer(ir, settings);
    const loaded = await loadCheckpoint(join(dir, CHECKPOINT_DIR));
    if (!loaded.ok) {
      trainer.dispose();
      return { diagnostic: loaded.diagnostic };
    }
    const restored = restoreModel(trainer.model, loaded.value.weights, join(dir, CHECKPOINT_DIR));
    if (!restored.ok) {
      trainer.dispose();
      return { diagnostic: restored.diagnostic };
    }
    const metadata = loaded.value.metadata as { lambda?: unknown } | null;
    return { trainer, ...(typeof metadata?.lambda === "number" ? { lambda: metadata.lambda } : {}) };
  } finally {
    random.restore();
  }
}
