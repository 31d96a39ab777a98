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
  /** Primitive nodes of one space; for `figs check`, of all the file's spaces together. */
  readonly maxNodes: number;
  /**
   * Scope entries of those nodes: each node records every definition instance
   * it sits in (the IR writes them per node), so 120,000 nodes 256 deep would
   * be 30 million entries and gigabytes of IR. The spaces in spaces/ average
   * 3 to 4.5 (at most 5); this allows 5 per node at the node limit.
   */
  readonly maxScopeEntries: number;
  /** Definitions applied inside each other (recursion included). */
  readonly maxDepth: number;
  /**
   * Units of work: statements, expressions and loop iterations, definition
   * applications (one plus a parameter count), and every list element,
   * string character or node input an operation copies, compares or joins.
   * A loop that creates nothing, a quadratic `xs = xs + [x]` and a fan-out of
   * calls all end here. Real spaces take under 10,000; 100,000 ops, 360,000.
   */
  readonly maxSteps: number;
  /** Elements of one list or range, characters of one string. */
  readonly maxListLength: number;
}

/**
 * Sized so that `figs check`, `compile` and `cost` stay under 10 s and 1 GB on
 * any input on a 2-core machine (bench/limits), reading back the IR of a
 * space at the limit included: the largest space in spaces/ has 1,562 nodes,
 * the compile benchmark 100,000.
 */
export const DEFAULT_LIMITS: Limits = {
  maxNodes: 120_000,
  maxScopeEntries: 600_000,
  maxDepth: 256,
  maxSteps: 5_000_000,
  maxListLength: 1_000_000,
};

/** Lists nest at most this deep, so that comparing, typing and printing them never recurses further. */
export const MAX_LIST_NESTING = 64;

/**
 * What one elaboration (or one `figs check` of every space of a file) has
 * spent; the limits apply to these totals.
 */
export interface Budget {
  steps: number;
  nodes: number;
  scopeEntries: number;
  /** Spaces elaborated with this budget: messages name the whole file when there are several. */
  spaces: number;
}

export function newBudget(): Budget {
  return { steps: 0, nodes: 0, scopeEntries: 0, spaces: 0 };
}

export interface Binding {
  /** undefined: the value failed to evaluate (already reported); uses stay silent. */
  value: Value | undefined;
  readonly range: SourceRange;
}

export class Env {
  /** Created on the first declaration: most loop iterations and if bodies declare nothing. */
  private vars: Map<string, Binding> | undefined;

  constructor(
    readonly parent?: Env,
    /** The top-level constants: visible everywhere, never reassigned from a body. */
    readonly global = false,
  ) {}

  lookup(name: string): Binding | undefined {
    for (let env: Env | undefined = this; env; env = env.parent) {
      const found = env.vars?.get(name);
      if (found) return found;
    }
    return undefined;
  }

  /** Like lookup, but top-level constants are not found: bodies cannot reassign them. */
  lookupLocal(name: string): Binding | undefined {
    for (let env: Env | undefined = this; env && !env.global; env = env.parent) {
      const found = env.vars?.get(name);
      if (found) return found;
    }
    return undefined;
  }

  declare(name: string, value: Value | undefined, range: SourceRange): void {
    (this.vars ??= new Map()).set(name, { value, range });
  }

  /** Every name visible from here, for suggestions (a loop, not a spread: there may be 100,000 constants). */
  names(): string[] {
    const all: string[] = [];
    for (let env: Env | undefined = this; env; env = env.parent) {
      for (const name of env.vars?.keys() ?? []) all.push(name);
    }
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
  /** One per space; `figs check` gives each space of a file a new one. */
  graph: GraphBuilder;
  readonly definitions: ReadonlyMap<string, Definition>;
  readonly globals: Env;
  readonly limits: Limits;
  readonly paramSpecs: Map<Definition, readonly ParamSpec[] | undefined>;
  /** Definitions applied at least once; the others are checked statically (unused.ts). */
  readonly applied: Set<Definition>;
  depth: number;
  /** Shared by every space of one `figs check`; the limits apply to its totals. */
  readonly budget: Budget;
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
  /** In a function's body (and the bodies inside it): where `return` puts its value. */
  readonly result?: FunctionResult;
}

/** What a function's `return` found, shared by the frames of its body's loops and branches. */
export interface FunctionResult {
  done: boolean;
  value?: Value;
  /** The `return` that ended it, for messages about the value. */
  range?: SourceRange;
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

export function fail(
  ctx: Elaboration,
  kind: DiagnosticKind,
  message: string,
  range: SourceRange,
  notes: RelatedNote[] = [],
): undefined {
  return ctx.reporter.report(error(codeOf(kind), message, range, notes));
}

/** Counts one unit of work (a statement, an iteration); false, reported once, past the limit. */
export function tick(ctx: Elaboration, range: SourceRange): boolean {
  return charge(ctx, 1, range);
}

/** Counts `units` of work (elements copied or compared, inputs joined); false, reported once, past the limit. */
export function charge(ctx: Elaboration, units: number, range: SourceRange): boolean {
  if (ctx.graph.aborted) return false;
  ctx.budget.steps += units;
  if (ctx.budget.steps <= ctx.limits.maxSteps) return true;
  const limit = ctx.limits.maxSteps.toLocaleString("en-US");
  const message =
    ctx.budget.spaces > 1
      ? `checking the ${ctx.budget.spaces} spaces of this file takes more than ${limit} steps of elaboration in all ` +
        "(the steps limit of one check); check the loops, or compile the spaces one at a time " +
        "(figs compile FILE --space NAME)"
      : `elaboration took more than ${limit} steps (the steps limit: statements, expressions, loop iterations, ` +
        "calls, and list elements copied or compared); check the loops, the recursion and the lists they build";
  fail(ctx, "TooManySteps", message, range);
  ctx.graph.aborted = true;
  return false;
}

/**
 * False when a problem at `range` needs no new message: one of this kind was
 * reported there already (a loop runs it again), or no more are kept. The
 * error still counts, and the caller returns undefined. Unknown names ask
 * this first, since their "did you mean" scans every name in scope.
 */
export function worthDescribing(ctx: Elaboration, kind: DiagnosticKind, range: SourceRange): boolean {
  if (!ctx.reporter.full && !ctx.reporter.hasReportedAt(codeOf(kind), range)) return true;
  ctx.reporter.errorCount++;
  return false;
}

/** The tensor a primitive, definition or structure is applied to; reports (once) when there is none. */
export function needTensor(site: Site, what: string, range: SourceRange): ValueOf<"tensor"> | undefined {
  const incoming = site.incoming;
  if (incoming.kind === "tensor") return incoming;
  if (incoming.kind === "broken") return undefined;
  const ctx = site.frame.ctx;
  if (site.frame.inSpace) {
    return fail(
      ctx,
      "SpaceWithoutInput",
      `${what} needs an input tensor, but the space has none yet: start the space with input(h, w, c)`,
      range,
    );
  }
  return fail(ctx, "NoCurrentTensor", `${what} needs an input tensor, but no tensor flows here`, range);
}
