/**
 * # cli/inputs: resolve a run's inputs
 *
 * Everything a run reads before it trains, and the checks that it is what
 * the run recorded: the space compiled from its file (`compileFreshSpace`
 * once for a fresh search, `compileRunSpace` from run.json for --resume and
 * figs export, both the same way, with the sources' sha256 checked), and the
 * architecture a retraining trains (`loadArchitecture`: arch.json read and
 * checked against its space, or a pruned .figs). runtime/search and
 * runtime/retrain take the IR and widths this gives them; they never compile
 * .figs text or read arch.json.
 */
export { checkSameSources, compileFreshSpace, compileRunSpace, type FreshSpace } from "./search-space.js";
export { loadArchitecture, type ArchitectureSource, type LoadedArchitecture } from "./architecture.js";
