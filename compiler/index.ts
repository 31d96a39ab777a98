/**
 * The compiler's front door: everything the runtime, the command line and
 * the benchmarks use from the compiler, and nothing else. Code outside
 * compiler/ imports this file only, never a module inside a stage's folder
 * (test/architecture/imports.test.ts keeps it so); a stage's internals can
 * then change without touching its users.
 */
import type { renderDiffSvg as RenderDiffSvg } from "./diff/chart.js";

// The pipeline and its named stages (pipeline.ts).
export {
  compile,
  compileEachSpace,
  STAGES,
  type CompileOptions,
  type CompileRequest,
  type CompileResult,
  type CompileStages,
  type EachSpaceOptions,
  type EachSpaceRequest,
  type EachSpaceResult,
  type Stage,
  type StageProduct,
  type StageProducts,
} from "./pipeline.js";

// load and elaborate.
export {
  DEFAULT_LIMITS,
  defaultHost,
  elaborate,
  elaborateLoaded,
  formatGraph,
  load,
  packageRoot,
  type ElaborateRequest,
  type ElaborateResult,
  type Host,
  type Limits,
  type LoadedModule,
  type LoadRequest,
  type LoadResult,
  type ParseCache,
} from "./elaborate/index.js";
export type { Graph, GraphNode, OpAttrs, OpKind } from "./graph.js";

// masks.
export { groupNodes, placeMasks, type ChannelLayout, type MaskGroup, type MaskPlan } from "./masks/index.js";

// costs.
export {
  BREAKDOWN_LEVELS,
  conventionName,
  costBreakdown,
  costOfSpace,
  CostModel,
  DEFAULT_COST_OPTIONS,
  exactJson,
  expandSizes,
  exactTotals,
  formatCount,
  formatNumber,
  formatPolynomial,
  fullWidths,
  sizesAt,
  type BreakdownLevel,
  type BreakdownRow,
  type CostConvention,
  type CostMetric,
  type CostOptions,
  type CostTotals,
  type ExactTotals,
  type GateTable,
  type PolynomialJson,
  type SpaceCost,
} from "./cost/index.js";

// The IR: the interface between compiler and runtime.
export {
  buildIr,
  irContents,
  irCostOptions,
  parseIr,
  readIr,
  serializeIr,
  writeIr,
  writeIrJson,
  type Ir,
  type IrNode,
  type IrRange,
  type IrSource,
} from "./ir/index.js";
export { describeSchemaError } from "./ir/schema-message.js";

// Random sub-architectures (the random-search baseline) and space comparison.
export {
  ArchitectureSampler,
  dataflowOf,
  DEFAULT_SAMPLE_OPTIONS,
  exportedCostOf,
  Liveness,
  multiplierForBudget,
  sampleWithinBudget,
  seededRandom,
  streamSeed,
  withinBudget,
  type Budget,
  type BudgetedSample,
  type SampleOptions,
  type WidthMode,
} from "./sample/index.js";
// Not from ./diff/index.js: its chart pulls in vega, which a command loads only when it draws one (below).
export {
  DEFAULT_DIFF_OPTIONS,
  DIFF_METRICS,
  diffSpaces,
  type DiffMetric,
  type DiffOptions,
  type DiffReport,
  type DiffSpace,
  type SpaceSamples,
} from "./diff/diff.js";
export { formatDiffReport } from "./diff/format.js";
export { paretoCounts, quantiles } from "./diff/statistics.js";

/** The diff's scatter chart as SVG; vega is loaded on the first call. */
export async function renderDiffSvg(...args: Parameters<typeof RenderDiffSvg>): ReturnType<typeof RenderDiffSvg> {
  const chart = await import("./diff/chart.js");
  return chart.renderDiffSvg(...args);
}

// A picture of a space (figs graph): pure DOT text; the command renders it.
export {
  buildPicture,
  pictureDot,
  pictureSize,
  withHoverTitles,
  type Picture,
  type PictureOptions,
} from "./picture/index.js";

// What each primitive means (compiler/ops): the runtime's layer builders and weight cuts ask these.
export {
  OP_SPECS,
  specOf,
  channelRule,
  channelRepeat,
  passedWidth,
  passedChannels,
  isSource,
  isMaskable,
  isMerge,
  masksAfter,
  resized,
  exportProblem,
  type OpNode,
  type OpSpec,
  type WeightAxes,
  type WeightLayout,
} from "./ops/index.js";
export { figsCall, dumpAttributes } from "./ops/print.js";
export { LAYER_NORM_EPSILON } from "./ops/layer-norm.js";

// What the language server (cli/lsp) asks: import paths, primitive signatures, built-in names, per-op costs and words.
export { resolveImport } from "./elaborate/modules.js";
export { attributesOf, callNames } from "./ops/index.js";
export { paramTypeName } from "./elaborate/values.js";
export { BUILTINS } from "./elaborate/builtins.js";
export { AGGREGATORS } from "./elaborate/values.js";
export { formatShape } from "./shapes/index.js";
export { nodeCostsAtFullWidth, type NodeCosts } from "./picture/node-costs.js";
export { costLine, groupLines, opText } from "./picture/labels.js";
