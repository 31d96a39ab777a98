/**
 * The compile pipeline: named stages in one direction, each a pure function
 * of the previous one's output —
 *   load (files → parsed modules, compiler/elaborate/modules.ts),
 *   elaborate (modules + request → graph, compiler/elaborate),
 *   masks (graph → mask groups, compiler/masks),
 *   costs (graph + groups → cost polynomials, compiler/cost),
 *   ir (all of them → the IR, compiler/ir).
 * `compile` runs them up to a stage for one space; `compileEachSpace` loads a
 * file once and runs the later stages for every space it defines (`figs
 * check`). The first stage with errors ends the run, and its diagnostics
 * are the result.
 */
import { codeOf } from "../diagnostics/codes.js";
import { error, fileError, hasErrors, sortDiagnostics, type Diagnostic } from "../diagnostics/diagnostic.js";
import type { SourceFile } from "../diagnostics/source.js";
import {
  defaultHost,
  elaborateEachSpace,
  elaborateLoaded,
  load,
  type ElaborateRequest,
  type Host,
  type Limits,
  type LoadResult,
  type ParseCache,
} from "./elaborate/index.js";
import type { Graph } from "./graph.js";
import { placeMasks } from "./masks/place.js";
import type { MaskPlan } from "./masks/types.js";
import { costOfSpace, type SpaceCost } from "./cost/space-cost.js";
import { DEFAULT_COST_OPTIONS, type CostConvention, type CostOptions } from "./cost/rules.js";
import { buildIr } from "./ir/build.js";
import { irSizeProblem } from "./ir/size.js";
import type { Ir } from "./ir/types.js";

/** The stages, in the order they run. */
export const STAGES = ["load", "elaborate", "masks", "costs", "ir"] as const;
export type Stage = (typeof STAGES)[number];

/** What each stage produces. */
export interface StageProduct {
  readonly load: LoadResult;
  readonly elaborate: Graph;
  readonly masks: MaskPlan;
  readonly costs: SpaceCost;
  readonly ir: Ir;
}

/** The products of the stages that ran, by stage. */
export type StageProducts = { readonly [S in Stage]?: StageProduct[S] };

export type CompileRequest = ElaborateRequest;

export interface CompileOptions {
  /** Batch-norm counting, see docs/costs.md; `torch` by default. */
  readonly convention?: CostConvention;
  /** Count a bias on every conv and dwconv (docs/costs.md); off by default. */
  readonly convBias?: boolean;
  /** Where files come from; the disk and the package's stdlib by default. */
  readonly host?: Host;
  /** The last stage to run; `ir` by default. */
  readonly until?: Stage;
  /** `false` is `until: "costs"`: tools that need only the stages (figs cost) save the IR's time and memory. */
  readonly ir?: boolean;
  /** Imported files parsed by earlier compiles (see `ParseCache`). */
  readonly cache?: ParseCache;
}

/** What the graph stages produced, for tools that need more than the IR (breakdowns, reports). */
export interface CompileStages {
  readonly graph: Graph;
  readonly plan: MaskPlan;
  readonly cost: SpaceCost;
}

export interface CompileResult {
  /** Present only when no stage reported an error (and the IR was asked for). */
  readonly ir?: Ir;
  /** Present when the costs stage ran without errors (the IR-size check may still have failed). */
  readonly stages?: CompileStages;
  readonly products: StageProducts;
  readonly diagnostics: readonly Diagnostic[];
  readonly sources: ReadonlyMap<string, SourceFile>;
}

export function compile(request: CompileRequest, options: CompileOptions = {}): CompileResult {
  const until = lastStage(options);
  const loaded = load(request, options.host ?? defaultHost(), options.cache);
  if (hasErrors(loaded.diagnostics) || until === "load") {
    return { products: { load: loaded }, diagnostics: sortDiagnostics(loaded.diagnostics), sources: loaded.sources };
  }
  const elaborated = elaborateLoaded(loaded, request);
  const { graph, sources } = elaborated;
  const diagnostics = sortDiagnostics([...loaded.diagnostics, ...elaborated.diagnostics]);
  if (!graph || hasErrors(diagnostics) || until === "elaborate") {
    return { products: { load: loaded, ...(graph ? { elaborate: graph } : {}) }, diagnostics, sources };
  }
  const later = laterStages(graph, sources, until, options, request.path);
  const products: StageProducts = { load: loaded, elaborate: graph, ...later.products };
  const { masks: plan, costs: cost, ir } = products;
  return {
    ...(ir ? { ir } : {}),
    ...(plan && cost ? { stages: { graph, plan, cost } } : {}),
    products,
    diagnostics: [...sortDiagnostics([...diagnostics, ...later.diagnostics]), ...later.last],
    sources,
  };
}

function lastStage(options: CompileOptions): Stage {
  if (options.until) return options.until;
  return options.ir === false ? "costs" : "ir";
}

interface LaterStages {
  readonly products: Pick<StageProducts, "masks" | "costs" | "ir">;
  /** To be sorted in with the earlier stages' diagnostics. */
  readonly diagnostics: readonly Diagnostic[];
  /** After all the others: the IR-size problem, an internal error. */
  readonly last: readonly Diagnostic[];
}

/** masks → costs → ir on an elaborated graph, up to `until`; an exception is a FIGS9999 diagnostic. */
function laterStages(
  graph: Graph,
  sources: ReadonlyMap<string, SourceFile>,
  until: Stage,
  options: CompileOptions,
  path: string,
): LaterStages {
  let diagnostics: readonly Diagnostic[] = [];
  try {
    const masks = placeMasks(graph);
    const { plan } = masks;
    diagnostics = masks.diagnostics;
    if (!plan || hasErrors(diagnostics) || until === "masks") {
      return { products: plan ? { masks: plan } : {}, diagnostics, last: [] };
    }
    const cost = costOfSpace(graph, plan, costOptions(options));
    if (until === "costs") return { products: { masks: plan, costs: cost }, diagnostics, last: [] };
    const tooLarge = irSizeProblem(graph, plan, graph.nodes[graph.output]?.range ?? graph.nodes[0]!.range);
    if (tooLarge) return { products: { masks: plan, costs: cost }, diagnostics, last: [tooLarge] };
    const ir = buildIr(graph, plan, cost, sources);
    return { products: { masks: plan, costs: cost, ir }, diagnostics, last: [] };
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    const message = `internal error while compiling (${reason}); please report it`;
    const range = graph.nodes[0]?.range;
    const internal = range
      ? error(codeOf("InternalError"), message, range)
      : fileError(codeOf("InternalError"), message, path);
    return { products: {}, diagnostics, last: [internal] };
  }
}

function costOptions(options: CompileOptions): CostOptions {
  return {
    convention: options.convention ?? DEFAULT_COST_OPTIONS.convention,
    ...(options.convBias ? { convBias: true } : {}),
  };
}

export interface EachSpaceRequest {
  readonly path: string;
  /** The file's text; read through the host when absent. */
  readonly text?: string;
  /** Lower limits, for tests of the limits themselves. */
  readonly limits?: Partial<Limits>;
}

export interface EachSpaceOptions extends Omit<CompileOptions, "until" | "ir"> {
  /** The last stage to run for each space; `masks` by default (what `figs check` reports). */
  readonly until?: Stage;
}

export interface EachSpaceResult {
  readonly products: Pick<StageProducts, "load">;
  readonly diagnostics: readonly Diagnostic[];
  readonly sources: ReadonlyMap<string, SourceFile>;
}

/**
 * Every space of a file, as `figs check` needs them: the file and its imports
 * are loaded (each parsed once), then each space is elaborated with its
 * default parameters from those modules, in one session whose limits apply
 * to all the spaces together (docs/architecture.md, "Limits"), and the later
 * stages run on each graph up to `until`. A file without spaces is checked
 * as a library. Spaces share definitions: a problem found in several of them
 * is reported once.
 */
export function compileEachSpace(request: EachSpaceRequest, options: EachSpaceOptions = {}): EachSpaceResult {
  const until = options.until ?? "masks";
  const loaded = load(request, options.host ?? defaultHost(), options.cache);
  if (hasErrors(loaded.diagnostics) || until === "load") {
    return { products: { load: loaded }, diagnostics: sortDiagnostics(loaded.diagnostics), sources: loaded.sources };
  }
  const visit = (graph: Graph): Diagnostic[] => {
    if (until === "elaborate") return [];
    const later = laterStages(graph, loaded.sources, until, options, request.path);
    return [...later.diagnostics, ...later.last];
  };
  const elaborated = elaborateEachSpace(loaded, request.limits, visit);
  const diagnostics = unique(sortDiagnostics([...loaded.diagnostics, ...elaborated.diagnostics]));
  return { products: { load: loaded }, diagnostics, sources: elaborated.sources };
}

function unique(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return diagnostics.filter((d) => {
    const key = `${d.code}|${d.range?.file ?? d.file}|${d.range?.start.offset}|${d.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
