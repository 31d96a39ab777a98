/**
 * Elaboration: a .figs file (and its imports) → the Graph of one space, with
 * parameters substituted, loops unrolled, ifs decided and every node's shape
 * computed as it is created. Pure apart from the injected file reader.
 */
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Graph } from "../graph.js";
import type { Definition } from "../../grammar/ast.js";
import { readSource } from "../../grammar/read-source.js";
import type { ParseResult } from "../../grammar/parse.js";
import { codeOf } from "../../diagnostics/codes.js";
import { error, hasErrors, sortDiagnostics, type Diagnostic } from "../../diagnostics/diagnostic.js";
import { SourceFile } from "../../diagnostics/source.js";
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
import { loadModules, type Host, type LoadedModule, type LoadResult } from "./modules.js";
import { Reporter } from "./reporter.js";
import { bindSpace, chooseSpace, collectNamespace, evaluateConstants } from "./space.js";
import { runBody } from "./statements.js";
import { checkUnusedDefinitions } from "./unused.js";
import { toPlain } from "./values.js";

export type { Host } from "./modules.js";
export type { Limits } from "./context.js";
export { DEFAULT_LIMITS, MAX_LIST_NESTING } from "./context.js";
export { formatGraph } from "./dump.js";

export interface ElaborateRequest {
  readonly path: string;
  /** The root file's text; read through the host when absent. */
  readonly text?: string;
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

export interface ElaborateResult {
  /** Present only when there are no errors. */
  readonly graph?: Graph;
  readonly diagnostics: Diagnostic[];
  readonly sources: Map<string, SourceFile>;
}

export function elaborate(request: ElaborateRequest, host: Host = defaultHost()): ElaborateResult {
  const sources = new Map<string, SourceFile>();
  try {
    return elaborateFile(request, host, sources);
  } catch (cause) {
    return { diagnostics: [internalError(request, sources, cause)], sources };
  }
}

function internalError(
  request: { path: string; text?: string },
  sources: Map<string, SourceFile>,
  cause: unknown,
): Diagnostic {
  const source = sources.get(request.path) ?? new SourceFile(request.path, request.text ?? "");
  const message = `internal error in elaboration (${cause instanceof Error ? cause.message : String(cause)}); please report it`;
  return error(codeOf("InternalError"), message, source.rangeAt(0, 0));
}

/** Loaded files, their namespace and constants: what every space of one file shares. */
interface Session {
  readonly ctx: Elaboration;
  readonly loaded: LoadResult;
  readonly root: LoadedModule | undefined;
  readonly topFrame: Frame;
}

/** Loads the files and evaluates the constants, or returns the load errors. */
function startSession(
  request: ElaborateRequest & { parsed?: ParseResult },
  host: Host,
  sources: Map<string, SourceFile>,
  budget: Budget,
): Session | Diagnostic[] {
  const loaded = loadModules(request.path, request.text, host, request.parsed);
  loaded.sources.forEach((source, path) => sources.set(path, source));
  if (hasErrors(loaded.diagnostics)) return sortDiagnostics(loaded.diagnostics);
  const reporter = new Reporter();
  const namespace = collectNamespace(loaded.modules, reporter);
  const limits = { ...DEFAULT_LIMITS, ...request.limits };
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
  const root = loaded.modules.find((m) => m.path === request.path);
  return { ctx, loaded, root, topFrame };
}

function elaborateFile(request: ElaborateRequest, host: Host, sources: Map<string, SourceFile>): ElaborateResult {
  const session = startSession(request, host, sources, newBudget());
  if (Array.isArray(session)) return { diagnostics: session, sources };
  const { ctx, loaded, root, topFrame } = session;
  ctx.budget.spaces = 1;
  const graph = ctx.graph.aborted ? undefined : elaborateSpace(ctx, request, root, sources, topFrame);
  checkUnusedDefinitions(ctx, ctx.applied);
  const diagnostics = sortDiagnostics([...loaded.diagnostics, ...ctx.reporter.diagnostics]);
  return hasErrors(diagnostics) || !graph ? { diagnostics, sources } : { graph, diagnostics, sources };
}

export interface SpacesRequest {
  readonly path: string;
  readonly text?: string;
  /** The root file parsed already, with this text. */
  readonly parsed?: ParseResult;
  readonly limits?: Partial<Limits>;
}

export interface SpacesResult {
  readonly diagnostics: Diagnostic[];
  readonly sources: Map<string, SourceFile>;
}

/**
 * Every space of the root file with its default parameters, as `figs check`
 * needs them: the files are loaded and the constants evaluated once, the
 * spaces share one budget (the limits apply to all of them together, so a
 * file of many spaces cannot multiply the work), `visit` gets each graph that
 * elaborated without errors (to place its masks) and returns its
 * diagnostics, and definitions no space applied are checked once at the end.
 * A file without spaces is checked as a library.
 */
export function elaborateSpaces(
  request: SpacesRequest,
  host: Host,
  visit: (graph: Graph) => readonly Diagnostic[],
): SpacesResult {
  const sources = new Map<string, SourceFile>();
  try {
    return elaborateEachSpace(request, host, sources, visit);
  } catch (cause) {
    return { diagnostics: [internalError(request, sources, cause)], sources };
  }
}

function elaborateEachSpace(
  request: SpacesRequest,
  host: Host,
  sources: Map<string, SourceFile>,
  visit: (graph: Graph) => readonly Diagnostic[],
): SpacesResult {
  const session = startSession(request, host, sources, newBudget());
  if (Array.isArray(session)) return { diagnostics: session, sources };
  const { ctx, loaded, root, topFrame } = session;
  const spaces = (root?.program.items ?? []).filter(
    (item): item is Definition => item.kind === "Definition" && item.definitionKind === "space",
  );
  ctx.budget.spaces = spaces.length;
  const constantsFailed = ctx.reporter.errorCount > 0;
  const extra: Diagnostic[] = [];
  for (const space of ctx.graph.aborted ? [] : spaces) {
    const errorsBefore = ctx.reporter.errorCount;
    const graph = elaborateSpace(ctx, { path: request.path, space: space.name.name }, root, sources, topFrame);
    if (graph && !constantsFailed && ctx.reporter.errorCount === errorsBefore) extra.push(...visit(graph));
    if (ctx.graph.aborted) break;
    ctx.graph = new GraphBuilder(ctx.reporter, ctx.limits.maxNodes, ctx.budget, ctx.limits.maxScopeEntries);
  }
  checkUnusedDefinitions(ctx, ctx.applied);
  return { diagnostics: sortDiagnostics([...loaded.diagnostics, ...ctx.reporter.diagnostics, ...extra]), sources };
}

function elaborateSpace(
  ctx: Elaboration,
  request: ElaborateRequest,
  root: Parameters<typeof chooseSpace>[2],
  sources: Map<string, SourceFile>,
  topFrame: Frame,
): Graph | undefined {
  const definesSpace = root?.program.items.some(
    (item) => item.kind === "Definition" && item.definitionKind === "space",
  );
  if (request.library && !definesSpace && request.space === undefined) return undefined;
  const space = chooseSpace(ctx, request.space, root, sources.get(request.path)!);
  if (!space) return undefined;
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
  return { space: name, parameters, nodes: ctx.graph.finish(), output: output.id };
}

/** Reads files from disk; the stdlib is the `stdlib/` folder of the package this module belongs to. */
export function defaultHost(): Host {
  return { readFile: readSource, stdlibDir: join(packageRoot(), "stdlib") };
}

/** The nearest folder holding package.json above this module: works from the TS sources and from dist/. */
export function packageRoot(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  for (let dir = here; ; dir = dirname(dir)) {
    if (existsSync(join(dir, "package.json"))) return dir;
    if (dirname(dir) === dir) return here;
  }
}
