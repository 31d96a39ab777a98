/**
 * The elaborate stage: loaded modules + a request → the Graph of one space,
 * with parameters substituted, loops unrolled, ifs decided and every node's
 * shape computed as it is created. Pure: the files were read by the load
 * stage (modules.ts). `elaborate()` runs both stages, for callers that start
 * from a path.
 */
import type { Graph } from "../graph.js";
import type { Definition } from "../../grammar/ast.js";
import { codeOf } from "../../diagnostics/codes.js";
import { fileError, hasErrors, sortDiagnostics, type Diagnostic } from "../../diagnostics/diagnostic.js";
import type { SourceFile } from "../../diagnostics/source.js";
import {
  DEFAULT_LIMITS,
  Env,
  fail,
  newBudget,
  NONE,
  type Budget,
  type Elaboration,
  type Frame,
  type Limits,
} from "./context.js";
import { GraphBuilder } from "./graph-builder.js";
import { defaultHost, load, type Host, type LoadedModule, type LoadResult } from "./modules.js";
import { Reporter } from "./reporter.js";
import { bindSpace, chooseSpace, collectNamespace, evaluateConstants } from "./space.js";
import { runBody } from "./statements.js";
import { dropDeadTensors } from "./dead.js";
import { checkUnusedDefinitions } from "./unused.js";
import { toPlain } from "./values.js";

export { defaultHost, load, packageRoot } from "./modules.js";
export type { Host, LoadedModule, LoadRequest, LoadResult, ParseCache } from "./modules.js";
export type { Limits } from "./context.js";
export { DEFAULT_LIMITS, MAX_LIST_NESTING } from "./context.js";
export { formatGraph } from "./dump.js";

/** Which space of the loaded files to elaborate, and how. */
export interface SpaceRequest {
  /** Which space to elaborate; by default the only space of the root file. */
  readonly space?: string;
  /** `--set name=value` overrides of space parameters; each value is a .figs expression. */
  readonly set?: Readonly<Record<string, string>>;
  /**
   * Check a library file: when the root file defines no space, report only
   * the problems of its definitions instead of "this file defines no space".
   */
  readonly library?: boolean;
  /** Lower limits, for tests of the limits themselves. */
  readonly limits?: Partial<Limits>;
}

export interface ElaborateRequest extends SpaceRequest {
  readonly path: string;
  /** The root file's text; read through the host when absent. */
  readonly text?: string;
}

export interface ElaborateResult {
  /** Present only when there are no errors. */
  readonly graph?: Graph;
  readonly diagnostics: Diagnostic[];
  /** The loaded files, and the text of every `--set` value (rendered like a file). */
  readonly sources: Map<string, SourceFile>;
}

/** Load + elaborate: the diagnostics of both, sorted. */
export function elaborate(request: ElaborateRequest, host: Host = defaultHost()): ElaborateResult {
  try {
    const loaded = load(request, host);
    if (hasErrors(loaded.diagnostics))
      return { diagnostics: sortDiagnostics(loaded.diagnostics), sources: loaded.sources };
    const elaborated = elaborateLoaded(loaded, request);
    const diagnostics = sortDiagnostics([...loaded.diagnostics, ...elaborated.diagnostics]);
    return elaborated.graph ? { ...elaborated, diagnostics } : { diagnostics, sources: elaborated.sources };
  } catch (cause) {
    return { diagnostics: [internalError(request.path, cause)], sources: new Map() };
  }
}

/**
 * One space of files loaded without errors. The diagnostics are this stage's
 * own (the load's are the caller's), sorted.
 */
export function elaborateLoaded(loaded: LoadResult, request: SpaceRequest): ElaborateResult {
  const sources = new Map(loaded.sources);
  try {
    const session = startSession(loaded, request.limits, newBudget());
    const { ctx, root, topFrame } = session;
    ctx.budget.spaces = 1;
    const graph = ctx.graph.aborted ? undefined : elaborateSpace(ctx, loaded.root, request, root, sources, topFrame);
    checkUnusedDefinitions(ctx, ctx.applied);
    const diagnostics = sortDiagnostics(ctx.reporter.diagnostics);
    return hasErrors(diagnostics) || !graph ? { diagnostics, sources } : { graph, diagnostics, sources };
  } catch (cause) {
    return { diagnostics: [internalError(loaded.root, cause)], sources };
  }
}

function internalError(path: string, cause: unknown): Diagnostic {
  const reason = cause instanceof Error ? cause.message : String(cause);
  const message = `internal error in elaboration (${reason}); please report it`;
  return fileError(codeOf("InternalError"), message, path);
}

/** The namespace and constants of the loaded files: what every space of one file shares. */
interface Session {
  readonly ctx: Elaboration;
  readonly root: LoadedModule | undefined;
  readonly topFrame: Frame;
}

/** Collects the namespace and evaluates the constants of files loaded without errors. */
function startSession(loaded: LoadResult, lower: Partial<Limits> | undefined, budget: Budget): Session {
  const reporter = new Reporter();
  const namespace = collectNamespace(loaded.modules, reporter);
  const limits = { ...DEFAULT_LIMITS, ...lower };
  const ctx: Elaboration = {
    reporter,
    graph: new GraphBuilder(reporter, limits.maxNodes, budget, limits.maxScopeEntries),
    definitions: namespace.definitions,
    globals: new Env(undefined, true),
    limits,
    paramSpecs: new Map(),
    applied: new Set(),
    depth: 0,
    budget,
  };
  const topFrame: Frame = {
    ctx,
    env: ctx.globals,
    flow: { current: NONE },
    instance: ctx.graph.rootInstance("<top level>"),
    inSpace: false,
  };
  evaluateConstants(ctx, namespace.constants, topFrame);
  const root = loaded.modules.find((m) => m.path === loaded.root);
  return { ctx, root, topFrame };
}

export interface SpacesRequest {
  readonly path: string;
  readonly text?: string;
  readonly limits?: Partial<Limits>;
}

export interface SpacesResult {
  readonly diagnostics: Diagnostic[];
  readonly sources: Map<string, SourceFile>;
}

/** A graph of one space of a file, to run the later stages on; returns their diagnostics. */
export type SpaceVisitor = (graph: Graph) => readonly Diagnostic[];

/** Load + every space of the root file (see `elaborateEachSpace`): the diagnostics of both, sorted. */
export function elaborateSpaces(request: SpacesRequest, host: Host, visit: SpaceVisitor): SpacesResult {
  try {
    const loaded = load(request, host);
    if (hasErrors(loaded.diagnostics))
      return { diagnostics: sortDiagnostics(loaded.diagnostics), sources: loaded.sources };
    const elaborated = elaborateEachSpace(loaded, request.limits, visit);
    return { ...elaborated, diagnostics: sortDiagnostics([...loaded.diagnostics, ...elaborated.diagnostics]) };
  } catch (cause) {
    return { diagnostics: [internalError(request.path, cause)], sources: new Map() };
  }
}

/**
 * Every space of the root file with its default parameters, as `figs check`
 * needs them: the constants are evaluated once, the spaces share one budget
 * (the limits apply to all of them together, so a file of many spaces cannot
 * multiply the work), `visit` gets each graph that elaborated without errors
 * (to place its masks) and returns its diagnostics, and definitions no space
 * applied are checked once at the end. A file without spaces is checked as a
 * library. The diagnostics are this stage's and the visits', sorted.
 */
export function elaborateEachSpace(
  loaded: LoadResult,
  limits: Partial<Limits> | undefined,
  visit: SpaceVisitor,
): SpacesResult {
  const sources = new Map(loaded.sources);
  try {
    const { ctx, root, topFrame } = startSession(loaded, limits, newBudget());
    const spaces = (root?.program.items ?? []).filter(
      (item): item is Definition => item.kind === "Definition" && item.definitionKind === "space",
    );
    ctx.budget.spaces = spaces.length;
    const constantsFailed = ctx.reporter.errorCount > 0;
    const extra: Diagnostic[] = [];
    for (const space of ctx.graph.aborted ? [] : spaces) {
      const errorsBefore = ctx.reporter.errorCount;
      const graph = elaborateSpace(ctx, loaded.root, { space: space.name.name }, root, sources, topFrame);
      if (graph && !constantsFailed && ctx.reporter.errorCount === errorsBefore) extra.push(...visit(graph));
      if (ctx.graph.aborted) break;
      ctx.graph = new GraphBuilder(ctx.reporter, ctx.limits.maxNodes, ctx.budget, ctx.limits.maxScopeEntries);
    }
    checkUnusedDefinitions(ctx, ctx.applied);
    return { diagnostics: sortDiagnostics([...ctx.reporter.diagnostics, ...extra]), sources };
  } catch (cause) {
    return { diagnostics: [internalError(loaded.root, cause)], sources };
  }
}

function elaborateSpace(
  ctx: Elaboration,
  path: string,
  request: SpaceRequest,
  root: LoadedModule | undefined,
  sources: Map<string, SourceFile>,
  topFrame: Frame,
): Graph | undefined {
  const definesSpace = root?.program.items.some(
    (item) => item.kind === "Definition" && item.definitionKind === "space",
  );
  if (request.library && !definesSpace && request.space === undefined) return undefined;
  const space = chooseSpace(ctx, request.space, root, sources.get(path)!);
  if (!space) return undefined;
  const errorsBefore = ctx.reporter.errorCount;
  const bound = bindSpace(ctx, space, topFrame, request.set ?? {}, sources);
  if (!bound) return undefined;
  const name = space.name.name;
  const frame: Frame = {
    ctx,
    env: bound.env,
    flow: { current: NONE },
    instance: ctx.graph.rootInstance(name),
    inSpace: true,
  };
  ctx.imageInput = undefined;
  ctx.applied.add(space);
  runBody(space.body, frame);
  if (ctx.graph.aborted) return undefined; // a limit, reported where it was hit
  const output = frame.flow.current;
  if (output.kind === "none") {
    const message = `space '${name}' computes no tensor: start it with input(h, w, c)`;
    return fail(ctx, "SpaceWithoutInput", message, space.name.range);
  }
  if (output.kind !== "tensor") return undefined;
  const parameters = Object.fromEntries([...bound.values].map(([key, value]) => [key, toPlain(value)]));
  const graph: Graph = { space: name, parameters, nodes: ctx.graph.finish(), output: output.id };
  // A space with errors is not compiled further, and its dead ends may be the errors' doing.
  return ctx.reporter.errorCount > errorsBefore ? graph : dropDeadTensors(graph, ctx.reporter);
}
