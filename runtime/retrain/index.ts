/**
 * # runtime/retrain: train an exported architecture from scratch
 *
 * ```ts
 * const loaded = loadArchitecture({ path: "out/export/arch.json", cwd, host });
 * const outcome = await retrain({ architecture: loaded.architecture!, name, data, settings, dir, resume: false });
 * ```
 *
 * `retrain.json` (run-config.ts) records what a retraining was asked to do, so
 * `--resume` continues it with the same architecture, data and settings.
 */
export { loadArchitecture, type ArchitectureSource, type LoadedArchitecture } from "./source.js";
export {
  checkRetrainSettings,
  DEFAULT_RETRAIN,
  RETRAIN_CHECKPOINT_DIR,
  retrain,
  totalSteps,
  type RetrainOutcome,
  type RetrainProgress,
  type RetrainRequest,
  type RetrainSettings,
} from "./retrain.js";
export {
  checkSameArchitecture,
  readRetrainRunConfig,
  RETRAIN_RUN_FILE,
  retrainRunConfig,
  writeRetrainRunConfig,
  type RetrainRunConfig,
} from "./run-config.js";
