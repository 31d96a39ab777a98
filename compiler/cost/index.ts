export { Polynomial, type LinearForm, type PolynomialJson } from "./polynomial.js";
export {
  COST_RULES,
  conventionName,
  DEFAULT_COST_OPTIONS,
  type CostConvention,
  type CostOptions,
  type CostRule,
  type OpCost,
} from "./rules.js";
export { costOfSpace, fullWidths, type SpaceCost } from "./space-cost.js";
export {
  compilePolynomial,
  expectation,
  groupMoments,
  piLayout,
  valueAtWidths,
  type PiLayout,
  type GroupMoments,
} from "./evaluate.js";
export { CostModel, type CostMetric, type CostTotals } from "./model.js";
export { costBreakdown, BREAKDOWN_LEVELS, type BreakdownLevel, type BreakdownRow } from "./breakdown.js";
export { formatPolynomial, formatNumber } from "./format.js";
export { exactJson, exactTotals, exactValue, formatCount, isPastSafe, sizesAt, type ExactTotals } from "./exact.js";
export { expandSizes, NO_GATES, type GateTable } from "./gated.js";
