/**
 * # runtime/retrain: train an exported architecture from scratch
 *
 * ```ts
 * const outcome = await retrain({ architecture, name, data, settings, dir, resume: false });
 * ```
 *
 * `architecture` is the pruned architecture the command line resolves from
 * an arch.json or a pruned .figs (cli/inputs/). Its step plugs into the
 * training loop of runtime/train. `retrain.json` (run-config.ts) records what
 * a retraining was asked to do, so `--resume` continues it with the same
 * architecture, data and settings; `result.json` (result.ts) what it measured.
 */
export {
  checkRetrainSettings,
  DEFAULT_RETRAIN,
  RETRAIN_SETTINGS_PROPERTIES,
  type RetrainSettings,
} from "./settings.js";
export {
  RETRAIN_CHECKPOINT_DIR,
  retrain,
  totalSteps,
  type RetrainOutcome,
  type RetrainProgress,
  type RetrainRequest,
} from "./retrain.js";
export {
  checkSameArchitecture,
  readRetrainRunConfig,
  RETRAIN_RUN_FILE,
  RETRAIN_RUN_SCHEMA,
  retrainRunConfig,
  writeRetrainRunConfig,
  type RetrainRunConfig,
} from "./run-config.js";
export { readRetrainResult, RESULT_FILE, RESULT_SCHEMA, writeRetrainResult, type RetrainResult } from "./result.js";
