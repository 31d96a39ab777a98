export {
  exportArchitecture,
  planExport,
  ARCH_FILE,
  FIGS_FILE,
  type ExportRequest,
  type ExportResult,
  type ExportPlan,
} from "./export.js";
export { widthsFromPi, fullWidths, checkWidths } from "./widths.js";
export {
  pruneArchitecture,
  layoutChannels,
  type PrunedArchitecture,
  type PrunedNode,
  type PruneResult,
} from "./prune.js";
export { writePrunedFigs } from "./figs-writer.js";
export { architectureCosts, polynomialCost, CONVENTIONS, type CostValues, type ConventionCosts } from "./costs.js";
export {
  ARCH_SCHEMA,
  ARCH_FORMAT,
  ARCH_VERSION,
  serializeArch,
  parseArch,
  readArch,
  checkArchMatchesIr,
  type ArchJson,
  type ArchGroupWidth,
  type ArchRead,
} from "./arch-json.js";
export {
  fileSaveHandler,
  fileLoadHandler,
  registerFileRouters,
  loadModelFromDirectory,
  MODEL_FILE,
  WEIGHTS_FILE,
  type LoadedModel,
} from "./model-files.js";
export { keptChannelsByGroup, keptTensorChannels, transferWeights } from "./transfer.js";
export { EXPORT_CODES } from "./codes.js";
