/**
 * The compile pipeline, one direction: elaborate → masks → cost → IR.
 * Each stage is a pure function of the previous one's output; the first stage
 * with errors stops the pipeline and its diagnostics are the result.
 */
import { codeOf } from "../diagnostics/codes.js";
import { error, hasErrors, sortDiagnostics, type Diagnostic } from "../diagnostics/diagnostic.js";
import { SourceFile } from "../diagnostics/source.js";
import { elaborate, type ElaborateRequest, type Host } from "./elaborate/index.js";
import type { Graph } from "./graph.js";
import { placeMasks } from "./masks/place.js";
import type { MaskPlan } from "./masks/types.js";
import { costOfSpace, type SpaceCost } from "./cost/space-cost.js";
import { DEFAULT_COST_OPTIONS, type CostConvention, type CostOptions } from "./cost/rules.js";
import { buildIr } from "./ir/build.js";
import { irSizeProblem } from "./ir/size.js";
import type { Ir } from "./ir/types.js";

export type CompileRequest = ElaborateRequest;

export interface CompileOptions {
  /** Batch-norm counting, see docs/costs.md; `torch` by default. */
  readonly convention?: CostConvention;
  /** Count a bias on every conv and dwconv (docs/costs.md); off by default. */
  readonly convBias?: boolean;
  /** Where files come from; the disk and the package's stdlib by default. */
  readonly host?: Host;
  /** Build the IR too (default); tools that need only the stages (figs cost) save its time and memory. */
  readonly ir?: boolean;
}

/** What each stage produced, for tools that need more than the IR (breakdowns, reports). */
export interface CompileStages {
  readonly graph: Graph;
  readonly plan: MaskPlan;
  readonly cost: SpaceCost;
}

export interface CompileResult {
  /** Present only when no stage reported an error (and the IR was asked for). */
  readonly ir?: Ir;
  readonly stages?: CompileStages;
  readonly diagnostics: readonly Diagnostic[];
  readonly sources: ReadonlyMap<string, SourceFile>;
}

export function compile(request: CompileRequest, options: CompileOptions = {}): CompileResult {
  const elaborated = options.host ? elaborate(request, options.host) : elaborate(request);
  const { graph, sources } = elaborated;
  if (!graph || hasErrors(elaborated.diagnostics)) return { diagnostics: elaborated.diagnostics, sources };
  try {
    const masks = placeMasks(graph);
    const diagnostics = sortDiagnostics([...elaborated.diagnostics, ...masks.diagnostics]);
    if (!masks.plan || hasErrors(diagnostics)) return { diagnostics, sources };
    const cost = costOfSpace(graph, masks.plan, costOptions(options));
    const stages = { graph, plan: masks.plan, cost };
    if (options.ir === false) return { stages, diagnostics, sources };
    const tooLarge = irSizeProblem(graph, masks.plan, graph.nodes[graph.output]?.range ?? graph.nodes[0]!.range);
    if (tooLarge) return { stages, diagnostics: [...diagnostics, tooLarge], sources };
    return { ir: buildIr(graph, masks.plan, cost, sources), stages, diagnostics, sources };
  } catch (cause) {
    const message = `internal error while compiling (${cause instanceof Error ? cause.message : String(cause)}); please report it`;
    const range = graph.nodes[0]?.range ?? new SourceFile(request.path, "").rangeAt(0, 0);
    return { diagnostics: [error(codeOf("InternalError"), message, range)], sources };
  }
}

function costOptions(options: CompileOptions): CostOptions {
  return {
    convention: options.convention ?? DEFAULT_COST_OPTIONS.convention,
    ...(options.convBias ? { convBias: true } : {}),
  };
}

export type { Ir } from "./ir/types.js";
export type { CostConvention } from "./cost/rules.js";
