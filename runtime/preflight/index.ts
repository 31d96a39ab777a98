/**
 * # runtime/preflight: checks before training
 *
 * Pure functions of the IR, the data's shape and the settings that refuse a
 * run which could only fail later (docs/search.md "Before training"). Each
 * returns undefined when all is well, or a Diagnostic (code and message) for
 * the command line to print before it writes anything:
 *
 * ```ts
 * const problem =
 *   dataShapeProblem(ir, dataset, { readSource: (path) => compiled.sources.get(path)?.text }) ??   // FIGS5002
 *   memoryProblem(estimateTrainingMemory(ir, { batchSize, mode: "search", dataBytes: datasetBytes(dataset) }),
 *                 memoryLimit(backend.name)) ??                                                  // FIGS5003
 *   (target === null ? undefined : targetReachability(ir, cost, target, tolerance).problem);     // FIGS5004
 * ```
 */
export { dataShapeOf, dataShapeProblem, type DataShape, type DataShapeOptions } from "./data-shape.js";
export { callArguments, type ReadSource } from "./call-parameters.js";
export {
  datasetBytes,
  estimateTrainingMemory,
  type MemoryEstimate,
  type MemoryOptions,
  type MemoryParts,
  type TrainingMode,
} from "./memory.js";
export {
  formatBytes,
  machineMemory,
  memoryLimit,
  memoryProblem,
  WASM_HEAP_BYTES,
  type MachineMemory,
  type MemoryLimit,
} from "./memory-limit.js";
export { smallestConnectedWidths, targetReachability, type TargetReachability } from "./target.js";
