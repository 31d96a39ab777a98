/**
 * # runtime/checkpoint: atomic checkpoints for search and retraining
 *
 * ```ts
 * const stop = installStopOnSignal();
 * try {
 *   for (let step = start; step < steps && !stop.requested; step++) {
 *     trainStep();
 *     if (step % every === 0) await save(step);
 *   }
 *   if (stop.requested) await save(step); // then exit
 * } finally {
 *   stop.dispose();
 * }
 * ```
 *
 * `saveCheckpoint(dir, checkpoint)` writes `dir/checkpoint.json` and one
 * binary file; the previous checkpoint stays loadable until the new one is
 * complete (see store.ts). `loadCheckpoint(dir)` returns `Result<Checkpoint>`:
 * a missing folder, unreadable JSON, a manifest that breaks its JSON Schema
 * (`MANIFEST_SCHEMA`, naming the field), a wrong format version, a truncated
 * or altered binary file (sha256) are error values naming the file.
 * json-schema.ts checks every persisted format of a run (run.json,
 * retrain.json, this manifest, result.json) against its schema with ajv.
 * `matchShapes` / `assignVariables` check a loaded checkpoint against the
 * model being resumed.
 */
export {
  MANIFEST_FILE,
  MANIFEST_SCHEMA,
  matchShapes,
  validateManifest,
  type ArrayEntry,
  type Checkpoint,
  type JsonValue,
  type Manifest,
  type NamedArray,
  type NamedArrays,
} from "./format.js";
export { loadCheckpoint, saveCheckpoint, type SavedCheckpoint } from "./store.js";
export { installStopOnSignal, type StopOptions, type StopRequest } from "./signal.js";
export { arraysFromTensors, assignVariables, tensorsFromArrays } from "./tensors.js";
export {
  checkJson,
  compileSchema,
  describeProblem,
  readJsonFile,
  schemaProblem,
  type JsonFile,
  type SchemaCheck,
  type SchemaProblem,
} from "./json-schema.js";
