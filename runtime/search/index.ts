/**
 * # runtime/search: FiGS architecture learning (docs/search.md)
 *
 * ```ts
 * const outcome = await runSearch({ ir, train: data.train, settings, dir, resume: false, onStep });
 * const exported = await exportSearch({ ir, config, runDir: dir, outDir, force: false });
 * ```
 *
 * `ir` is the compiled space the command line resolves (cli/inputs/): this
 * folder never compiles .figs text. The supernet's step plugs into the
 * training loop of runtime/train; `run.json` (run-config.ts) records what a
 * search was asked to do, for --resume and figs export.
 *
 * loss = cross-entropy + λ·E[cost](π) (`settings.cost`: params or madds),
 * Adam on the weights and, at its own learning rate, on ν; step decay ×0.5
 * every 35% of the run; masks drawn once per step. With `settings.target` λ
 * follows the exported cost (budget.ts) and export calibrates onto it.
 */
export {
  DEFAULT_SEARCH,
  checkSearchSettings,
  parseAmount,
  parseTarget,
  type SearchCost,
  type SearchSettings,
} from "./settings.js";
export {
  calibrate,
  defaultLambda,
  exportedAt,
  GLIDE,
  piOf,
  targetLambda,
  referenceCost,
  type Calibration,
} from "./budget.js";
export { SupernetTrainer, type StepValues } from "./supernet-trainer.js";
export {
  CHECKPOINT_DIR,
  loadSearchedSupernet,
  runSearch,
  type SearchOutcome,
  type SearchProgress,
  type SearchRunRequest,
} from "./run.js";
export {
  RUN_FILE,
  RUN_SCHEMA,
  readRunConfig,
  runConfig,
  writeRunConfig,
  type RunConfig,
  type RunData,
} from "./run-config.js";
export { exportSearch, type SearchExport, type SearchExportRequest } from "./export-run.js";
