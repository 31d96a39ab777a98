/**
 * Elaboration: a .figs file (and its imports) → the Graph of one space, with
 * parameters substituted, loops unrolled, ifs decided and every node's shape
 * computed as it is created. Pure apart from the injected file reader.
 */
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Graph } from "../graph.js";
import { readSource } from "../../grammar/read-source.js";
import { codeOf } from "../../diagnostics/codes.js";
import { error, hasErrors, sortDiagnostics, type Diagnostic } from "../../diagnostics/diagnostic.js";
import { SourceFile } from "../../diagnostics/source.js";
import { DEFAULT_LIMITS, Env, fail, NONE, type Elaboration, type Frame, type Limits } from "./context.js";
import { GraphBuilder } from "./graph-builder.js";
import { loadModules, type Host } from "./modules.js";
import { Reporter } from "./reporter.js";
import { bindSpace, chooseSpace, collectNamespace, evaluateConstants } from "./space.js";
import { runBody } from "./statements.js";
import { checkUnusedDefinitions } from "./unused.js";
import { toPlain } from "./values.js";

export type { Host } from "./modules.js";
export type { Limits } from "./context.js";
export { DEFAULT_LIMITS } from "./context.js";
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
    const source = sources.get(request.path) ?? new SourceFile(request.path, request.text ?? "");
    const message = `internal error in elaboration (${cause instanceof Error ? cause.message : String(cause)}); please report it`;
    return { diagnostics: [error(codeOf("InternalError"), message, source.rangeAt(0, 0))], sources };
  }
}

function elaborateFile(request: ElaborateRequest, host: Host, sources: Map<string, SourceFile>): ElaborateResult {
  const loaded = loadModules(request.path, request.text, host);
  loaded.sources.forEach((source, path) => sources.set(path, source));
  if (hasErrors(loaded.diagnostics)) return { diagnostics: sortDiagnostics(loaded.diagnostics), sources };
  const reporter = new Reporter();
  const namespace = collectNamespace(loaded.modules, reporter);
  const limits = { ...DEFAULT_LIMITS, ...request.limits };
  const ctx: Elaboration = {
    reporter,
    graph: new GraphBuilder(reporter, limits.maxNodes),
    definitions: namespace.definitions,
    globals: new Env(undefined, true),
    limits,
    paramSpecs: new Map(),
    applied: new Set(),
    depth: 0,
    steps: 0,
  };
  const topFrame: Frame = { ctx, env: ctx.globals, flow: { current: NONE }, instance: ctx.graph.rootInstance("<top level>"), inSpace: false };
  evaluateConstants(ctx, namespace.constants, topFrame);
  const root = loaded.modules.find((m) => m.path === request.path);
  const graph = elaborateSpace(ctx, request, root, sources, topFrame);
  checkUnusedDefinitions(ctx, ctx.applied);
  const diagnostics = sortDiagnostics([...loaded.diagnostics, ...reporter.diagnostics]);
  return hasErrors(diagnostics) || !graph ? { diagnostics, sources } : { graph, diagnostics, sources };
}

function elaborateSpace(ctx: Elaboration, request: ElaborateRequest, root: Parameters<typeof chooseSpace>[2], sources: Map<string, SourceFile>, topFrame: Frame): Graph | undefined {
  const definesSpace = root?.program.items.some((item) => item.kind === "Definition" && item.definitionKind === "space");
  if (request.library && !definesSpace && request.space === undefined) return undefined;
  const space = chooseSpace(ctx, request.space, root, sources.get(request.path)!);
  if (!space) return undefined;
  const bound = bindSpace(ctx, space, topFrame, request.set ?? {}, sources);
  if (!bound) return undefined;
  const name = space.name.name;
  const frame: Frame = { ctx, env: bound.env, flow: { current: NONE }, instance: ctx.graph.rootInstance(name), inSpace: true };
  ctx.applied.add(space);
  runBody(space.body, frame);
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
