/**
 * The state of one elaboration: lexical environments, the flow of the current
 * tensor through a body, and the shared context (graph, diagnostics, limits).
 * Every evaluation function returns `undefined` after reporting an error, so
 * errors propagate as data and later steps stay silent instead of cascading.
 */
import type { Definition, Identifier } from "../../grammar/ast.js";
import { codeOf, type DiagnosticKind } from "../../diagnostics/codes.js";
import { error, type RelatedNote } from "../../diagnostics/diagnostic.js";
import type { SourceRange } from "../../diagnostics/source.js";
import type { GraphBuilder, Instance } from "./graph-builder.js";
import type { Reporter } from "./reporter.js";
import type { ParamSpec } from "./binding.js";
import type { Value, ValueOf } from "./values.js";

export interface Limits {
  readonly maxNodes: number;
  /** Definitions applied inside each other (recursion included). */
  readonly maxDepth: number;
  /** Statements and loop iterations run, so a loop that creates nothing still ends. */
  readonly maxSteps: number;
  readonly maxListLength: number;
}

export const DEFAULT_LIMITS: Limits = { maxNodes: 1_000_000, maxDepth: 256, maxSteps: 50_000_000, maxListLength: 1_000_000 };

export interface Binding {
  /** undefined: the value failed to evaluate (already reported); uses stay silent. */
  value: Value | undefined;
  readonly range: SourceRange;
}

export class Env {
  private readonly vars = new Map<string, Binding>();

  constructor(
    readonly parent?: Env,
    /** The top-level constants: visible everywhere, never reassigned from a body. */
    readonly global = false,
  ) {}

  lookup(name: string): Binding | undefined {
    for (let env: Env | undefined = this; env; env = env.parent) {
      const found = env.vars.get(name);
      if (found) return found;
    }
    return undefined;
  }

  /** Like lookup, but top-level constants are not found: bodies cannot reassign them. */
  lookupLocal(name: string): Binding | undefined {
    for (let env: Env | undefined = this; env && !env.global; env = env.parent) {
      const found = env.vars.get(name);
      if (found) return found;
    }
    return undefined;
  }

  declare(name: string, value: Value | undefined, range: SourceRange): void {
    this.vars.set(name, { value, range });
  }

  /** Every name visible from here, for suggestions. */
  names(): string[] {
    const all: string[] = [];
    for (let env: Env | undefined = this; env; env = env.parent) all.push(...env.vars.keys());
    return all;
  }
}

/** The current tensor of a body: none yet (a space before `input`), broken after an error, or a node. */
export type Current = { readonly kind: "none" } | { readonly kind: "broken" } | ValueOf<"tensor">;

export const NONE: Current = { kind: "none" };
export const BROKEN: Current = { kind: "broken" };

/** Shared by a body and the for/if bodies inside it; `branches` collects the results in a branches body. */
export interface Flow {
  current: Current;
  readonly branches?: Value[];
  broken?: boolean;
}

export interface Elaboration {
  readonly reporter: Reporter;
  readonly graph: GraphBuilder;
  readonly definitions: ReadonlyMap<string, Definition>;
  readonly globals: Env;
  readonly limits: Limits;
  readonly paramSpecs: Map<Definition, readonly ParamSpec[] | undefined>;
  /** Definitions applied at least once; the others are checked statically (unused.ts). */
  readonly applied: Set<Definition>;
  depth: number;
  steps: number;
  /** The first input(h, w, c) of the space: what the bare name `input` means in the space body. */
  imageInput?: number;
}

export interface Frame {
  readonly ctx: Elaboration;
  readonly env: Env;
  readonly flow: Flow;
  readonly instance: Instance;
  /** In a space body, a missing tensor means the input was never created. */
  readonly inSpace: boolean;
}

/** Where an expression is evaluated: its frame and the tensor flowing into its step. */
export interface Site {
  readonly frame: Frame;
  readonly incoming: Current;
}

/** The `as` label of a step; whoever creates the named node or instance consumes it. */
export interface StepMarks {
  readonly label?: Identifier;
  consumed: boolean;
}

export const NO_MARKS: StepMarks = { consumed: true };

export function fail(ctx: Elaboration, kind: DiagnosticKind, message: string, range: SourceRange, notes: RelatedNote[] = []): undefined {
  return ctx.reporter.report(error(codeOf(kind), message, range, notes));
}

/** Counts work so that loops without nodes still end; reports once and aborts past the limit. */
export function tick(ctx: Elaboration, range: SourceRange): boolean {
  if (ctx.graph.aborted) return false;
  ctx.steps++;
  if (ctx.steps <= ctx.limits.maxSteps) return true;
  fail(ctx, "TooManySteps", `elaboration ran more than ${ctx.limits.maxSteps.toLocaleString("en-US")} statements; check the loops`, range);
  ctx.graph.aborted = true;
  return false;
}

/** The tensor a primitive, definition or structure is applied to; reports (once) when there is none. */
export function needTensor(site: Site, what: string, range: SourceRange): ValueOf<"tensor"> | undefined {
  const incoming = site.incoming;
  if (incoming.kind === "tensor") return incoming;
  if (incoming.kind === "broken") return undefined;
  const ctx = site.frame.ctx;
  if (site.frame.inSpace) {
    return fail(ctx, "SpaceWithoutInput", `${what} needs an input tensor, but the space has none yet: start the space with input(h, w, c)`, range);
  }
  return fail(ctx, "NoCurrentTensor", `${what} needs an input tensor, but no tensor flows here`, range);
}
