/**
 * # runtime/retrain: train an exported architecture from scratch
 *
 * ```ts
 * const loaded = loadArchitecture({ path: "out/export/arch.json", cwd, host });
 * const outcome = await retrain({ architecture: loaded.architecture!, name, data, settings, dir, resume: false });
 * ```
 */
export { loadArchitecture, type ArchitectureSource, type LoadedArchitecture } from "./source.js";
export { DEFAULT_RETRAIN, RETRAIN_CHECKPOINT_DIR, retrain, totalSteps, type RetrainOutcome, type RetrainProgress, type RetrainRequest, type RetrainSettings } from "./retrain.js";
