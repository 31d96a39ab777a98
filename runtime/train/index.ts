/**
 * # runtime/train: the one training loop, and what search and retraining share
 *
 * ```ts
 * const outcome = await runTraining(request, () => new MyPlugin(), async (plugin, outcome) => outcome);
 * ```
 *
 * `runTraining` (loop.ts) owns the run: Math.random from the seed, resume,
 * metrics.jsonl, the epoch/batch loop, step decay, the finite-loss check,
 * checkpoints and stopping; a plug-in (plugin.ts) brings its model, step,
 * state and metadata. Besides: loss and accuracy (`crossEntropy`,
 * `correctCount`, `evaluateAccuracy`), step decay and an Adam that follows it
 * (`stepDecay`, `ScheduledAdam`), checkpoint arrays of models and optimizers
 * (state.ts, run-checkpoint.ts), the settings' schema pieces
 * (settings-schema.ts).
 */
export { correctCount, crossEntropy, evaluateAccuracy, yieldToEventLoop } from "./losses.js";
export { learningRateAt, scheduledAdam, stepDecay, ScheduledAdam, type StepDecay } from "./schedule.js";
export { modelArrays, optimizerArrays, prefixed, restoreModel, restoreOptimizer, withPrefix } from "./state.js";
export { installSeededRandom, type SeededRandom } from "./seeded-random.js";
export { augmentProblem, AUGMENT_PROPERTIES, RUN_DATA, VALIDATION } from "./settings-schema.js";
export { appendMetrics, METRICS_FILE, truncateMetrics, type MetricsRecord } from "./metrics.js";
export { runTraining, type TrainingOutcome, type TrainingProgress, type TrainingRequest } from "./loop.js";
export type { PluggedOptimizer, PluginState, StepPosition, StepResult, TrainingPlugin } from "./plugin.js";
export { CHECKPOINT_DIR, restoreCheckpoint, restoreOptimizers, saveRunCheckpoint } from "./run-checkpoint.js";
