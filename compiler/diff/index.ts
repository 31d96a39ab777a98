/** Static comparison of search spaces: `figs diff`. */
export {
  diffSpaces,
  sampleCosts,
  DEFAULT_DIFF_OPTIONS,
  DIFF_METRICS,
  type DiffMetric,
  type DiffOptions,
  type DiffReport,
  type DiffResult,
  type DiffSpace,
  type SpaceSamples,
  type SpaceSummary,
} from "./diff.js";
export {
  matchedMedians,
  paretoCounts,
  quantiles,
  QUANTILES,
  type MatchedBands,
  type Quantiles,
  type QuantileLabel,
} from "./statistics.js";
export { formatDiffReport, formatCompact } from "./format.js";
export { chartSpec, renderDiffSvg, DEFAULT_POINTS_PER_SPACE } from "./chart.js";
