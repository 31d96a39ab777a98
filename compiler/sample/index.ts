/** Random sub-architectures of a compiled space (the paper's random-search baseline). */
export {
  ArchitectureSampler,
  DEFAULT_SAMPLE_OPTIONS,
  type SampleOptions,
  type SampledArchitecture,
  type WidthMode,
} from "./sampler.js";
export {
  closestScale,
  exportedCostOf,
  multiplierForBudget,
  sampleWithinBudget,
  withinBudget,
  type Budget,
  type BudgetedSample,
} from "./budget.js";
export { Liveness, dataflowOf, type Dataflow } from "./liveness.js";
export { seededRandom, streamSeed, type Random } from "./random.js";
