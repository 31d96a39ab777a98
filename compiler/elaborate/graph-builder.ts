/**
 * Builds the Graph node by node: computes each node's shape as it is created
 * (elaboration needs `in`), names it in its hierarchy scope, and enforces the
 * node limit. `fixed` is known only after a step, so marking replaces nodes.
 */
import type { GraphNode, OpAttrs, OpKind, Scope, Shape } from "../graph.js";
import { isMaskable, isSource } from "../ops/index.js";
import { outputShape, type ShapeInput } from "../shapes/index.js";
import type { Identifier } from "../../grammar/ast.js";
import { codeOf } from "../../diagnostics/codes.js";
import { error } from "../../diagnostics/diagnostic.js";
import type { SourceRange } from "../../diagnostics/source.js";
import type { Budget } from "./context.js";
import type { Reporter } from "./reporter.js";

/**
 * A scope instance (the space, or one application of a definition) that names
 * what is created in it. Its scope path (what its nodes record) is built on
 * first use: a call 200 definitions deep that creates no node copies nothing.
 */
export class Instance {
  private path_: readonly Scope[] | undefined;
  /** Created when the instance names its first node or child: most leaf instances name one thing. */
  names?: InstanceNames;

  constructor(
    private readonly parent: Instance | undefined,
    private readonly scope: Scope,
    /** Instance names joined by '.', the space omitted: "" in the space itself. */
    readonly path: string,
  ) {}

  /** The hierarchy path, outermost first; one array shared by every node of the instance. */
  get scopes(): readonly Scope[] {
    this.path_ ??= this.parent ? [...this.parent.scopes, this.scope] : [this.scope];
    return this.path_;
  }
}

/**
 * The names given in one instance. Numbered names `<base>_<n>` are not
 * stored, only the next number per base (a loop of 100,000 relus keeps one
 * counter, not 100,000 strings); labels and their suffixed forms are.
 */
class InstanceNames {
  readonly counters = new Map<string, number>();
  /** Names given by `as` labels (with their `_k` suffixes). */
  readonly labelled = new Set<string>();
  /** Where each `as` label was first written in this instance, to tell loops from real duplicates. */
  readonly labels = new Map<string, SourceRange>();
  /** The next `_k` suffix to try per label: a label in a loop of 100,000 iterations does not rescan from 1. */
  readonly suffixes = new Map<string, number>();

  /** Whether a name is given: by a label, or as a number already handed out for its base. */
  taken(name: string): boolean {
    if (this.labelled.has(name)) return true;
    const underscore = name.lastIndexOf("_");
    const digits = name.slice(underscore + 1);
    if (underscore < 0 || !/^(0|[1-9][0-9]*)$/.test(digits)) return false;
    return (this.counters.get(name.slice(0, underscore)) ?? 0) > Number(digits);
  }
}

/** An input of a new node: a node id and how the user would call it in a message. */
export interface InputRef {
  readonly id: number;
  readonly role: string;
}

export class GraphBuilder {
  private readonly nodes: GraphNode[] = [];
  /** Set when a limit is hit: every loop and body stops at once. */
  aborted = false;

  constructor(
    private readonly reporter: Reporter,
    private readonly maxNodes: number,
    /** Shared by every space of one `figs check`: the node limit applies to all of them together. */
    private readonly budget: Budget = { steps: 0, nodes: 0, scopeEntries: 0, spaces: 1 },
    private readonly maxScopeEntries = maxNodes * 5,
  ) {}

  get size(): number {
    return this.nodes.length;
  }

  shape(id: number): Shape {
    return this.nodes[id]!.shape;
  }

  range(id: number): SourceRange {
    return this.nodes[id]!.range;
  }

  finish(): readonly GraphNode[] {
    return this.nodes;
  }

  rootInstance(space: string): Instance {
    return new Instance(undefined, { kind: "space", name: space, definition: space }, "");
  }

  childInstance(parent: Instance, kind: Scope["kind"], definition: string, label?: Identifier): Instance {
    const name = this.claimName(parent, definition, label);
    return new Instance(parent, { kind, name, definition }, parent.path ? `${parent.path}.${name}` : name);
  }

  /** Adds a node, or reports why it cannot exist (shape problem, node limit) and returns undefined. */
  add<K extends OpKind>(
    op: K,
    attrs: OpAttrs[K],
    inputs: readonly InputRef[],
    range: SourceRange,
    instance: Instance,
    label?: Identifier,
  ): number | undefined {
    if (this.budget.nodes >= this.maxNodes) return this.tooMany(range);
    if (this.budget.scopeEntries + instance.scopes.length > this.maxScopeEntries) return this.tooDeep(range);
    const shapeInputs: ShapeInput[] = inputs.map((input) => ({
      shape: this.shape(input.id),
      range: this.range(input.id),
      role: input.role,
    }));
    const result = outputShape(op, attrs, shapeInputs, range);
    if ("diagnostic" in result) {
      this.reporter.report(result.diagnostic);
      return undefined;
    }
    const id = this.nodes.length;
    const local = this.claimName(instance, op, label);
    const name = instance.path ? `${instance.path}.${local}` : local;
    const node = {
      id,
      op,
      attrs,
      inputs: inputs.map((i) => i.id),
      shape: result.shape,
      fixed: isSource(op),
      name,
      scopes: instance.scopes,
      range,
    };
    this.nodes.push(node as GraphNode);
    this.budget.nodes++;
    this.budget.scopeEntries += instance.scopes.length;
    return id;
  }

  /** `fixed` on a step: every op that makes masked channels (conv, dense) created since `from` carries no mask. */
  markFixed(from: number): void {
    for (let id = from; id < this.nodes.length; id++) {
      const node = this.nodes[id]!;
      if (isMaskable(node.op) && !node.fixed) this.nodes[id] = { ...node, fixed: true };
    }
  }

  private tooMany(range: SourceRange): undefined {
    const limit = this.maxNodes.toLocaleString("en-US");
    const message =
      this.budget.spaces > 1
        ? `checking the ${this.budget.spaces} spaces of this file creates more than ${limit} primitive nodes ` +
          "in all (the node limit of one check); compile the spaces one at a time (figs compile FILE --space NAME)"
        : `the space has more than ${limit} primitive nodes; make it smaller or check loops and recursion`;
    this.reporter.report(error(codeOf("TooManyNodes"), message, range));
    this.aborted = true;
    return undefined;
  }

  private tooDeep(range: SourceRange): undefined {
    const limit = this.maxScopeEntries.toLocaleString("en-US");
    const average = Math.round(this.budget.scopeEntries / Math.max(1, this.budget.nodes));
    const message =
      `the nodes ${this.budget.spaces > 1 ? "of this file's spaces" : "of this space"} ` +
      `sit in more than ${limit} definition instances in all ` +
      `(each node records every instance it is in; ` +
      `these ${this.budget.nodes.toLocaleString("en-US")} sit ${average} deep on average): ` +
      `make the recursion shallower, or loop instead of recursing`;
    this.reporter.report(error(codeOf("TooManyNodes"), message, range));
    this.aborted = true;
    return undefined;
  }

  /** A unique name within the instance: the label if given, else `<base>_<n>` numbered from 0. */
  private claimName(instance: Instance, base: string, label?: Identifier): string {
    const names = (instance.names ??= new InstanceNames());
    if (label) return this.claimLabel(names, label);
    let n = names.counters.get(base) ?? 0;
    while (names.labelled.has(`${base}_${n}`)) n++;
    names.counters.set(base, n + 1);
    return `${base}_${n}`;
  }

  /** A label met again from the same source (a loop, a repeated call) gets a suffix; from elsewhere it is an error. */
  private claimLabel(names: InstanceNames, label: Identifier): string {
    const first = names.labels.get(label.name);
    if (first && (first.file !== label.range.file || first.start.offset !== label.range.start.offset)) {
      const note = { message: `'${label.name}' is first given here`, range: first };
      this.reporter.report(
        error(
          codeOf("DuplicateLabel"),
          `the name '${label.name}' is already given to another step in this scope`,
          label.range,
          [note],
        ),
      );
    }
    if (!first) names.labels.set(label.name, label.range);
    let name = label.name;
    let k = names.suffixes.get(label.name) ?? 1;
    for (; names.taken(name); k++) name = `${label.name}_${k}`;
    names.suffixes.set(label.name, k);
    names.labelled.add(name);
    return name;
  }
}
