/**
 * # runtime/train: what search and retraining share
 *
 * Loss and accuracy (`crossEntropy`, `correctCount`, `evaluateAccuracy`),
 * step decay and an Adam that follows it (`stepDecay`, `ScheduledAdam`),
 * checkpoint arrays of models and optimizers (`modelArrays`, `restoreModel`,
 * `optimizerArrays`, `restoreOptimizer`), Math.random from a checkpointable
 * seed (`installSeededRandom`), `metrics.jsonl` (`appendMetrics`), the checks
 * of the data options (`augmentProblem`, `checkValidation`), and the
 * wasm kernels training needs that the wasm backend lacks.
 */
export { correctCount, crossEntropy, evaluateAccuracy, yieldToEventLoop } from "./losses.js";
export { learningRateAt, scheduledAdam, stepDecay, ScheduledAdam, type StepDecay } from "./schedule.js";
export { modelArrays, optimizerArrays, prefixed, restoreModel, restoreOptimizer, withPrefix } from "./state.js";
export { installSeededRandom, type SeededRandom } from "./seeded-random.js";
export { augmentProblem, checkValidation } from "./data-options.js";
export { appendMetrics, METRICS_FILE, truncateMetrics, type MetricsRecord } from "./metrics.js";
