/** The random-search and width-multiplier baselines (FiGS paper section 4.1), exported like a search result. */
export {
  randomBaselines,
  uniformBaseline,
  uniformBaselineAtBudget,
  multiplierProblem,
  SAMPLE_PREFIX,
  type BaselineArchitecture,
  type RandomBaselineOptions,
  type UnreachableBudget,
} from "./plan.js";
export { writeBaseline, writeBaselineSet, type WrittenBaseline, type WriteResult, type WriteOptions } from "./write.js";
export { summarizeBaselines, formatBaselineTable, type BaselineRow, type BaselineSummary } from "./summary.js";
