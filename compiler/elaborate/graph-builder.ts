/**
 * Builds the Graph node by node: computes each node's shape as it is created
 * (elaboration needs `in`), names it in its hierarchy scope, and enforces the
 * node limit. `fixed` is known only after a step, so marking replaces nodes.
 */
import type { GraphNode, OpAttrs, OpKind, Scope, Shape } from "../graph.js";
import { outputShape, type ShapeInput } from "../shapes/index.js";
import type { Identifier } from "../../grammar/ast.js";
import { codeOf } from "../../diagnostics/codes.js";
import { error } from "../../diagnostics/diagnostic.js";
import type { SourceRange } from "../../diagnostics/source.js";
import type { Reporter } from "./reporter.js";

/** A scope instance (the space, or one application of a definition) that names what is created in it. */
export interface Instance {
  readonly scopes: readonly Scope[];
  /** Instance names joined by '.', the space omitted: "" in the space itself. */
  readonly path: string;
  readonly counters: Map<string, number>;
  readonly names: Set<string>;
  /** Where each `as` label was first written in this instance, to tell loops from real duplicates. */
  readonly labels: Map<string, SourceRange>;
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
    return { scopes: [{ kind: "space", name: space, definition: space }], path: "", counters: new Map(), names: new Set(), labels: new Map() };
  }

  childInstance(parent: Instance, kind: Scope["kind"], definition: string, label?: Identifier): Instance {
    const name = this.claimName(parent, definition, label);
    const scopes = [...parent.scopes, { kind, name, definition }];
    const path = parent.path ? `${parent.path}.${name}` : name;
    return { scopes, path, counters: new Map(), names: new Set(), labels: new Map() };
  }

  /** Adds a node, or reports why it cannot exist (shape problem, node limit) and returns undefined. */
  add<K extends OpKind>(op: K, attrs: OpAttrs[K], inputs: readonly InputRef[], range: SourceRange, instance: Instance, label?: Identifier): number | undefined {
    if (this.nodes.length >= this.maxNodes) return this.tooMany(range);
    const shapeInputs: ShapeInput[] = inputs.map((input) => ({ shape: this.shape(input.id), range: this.range(input.id), role: input.role }));
    const result = outputShape(op, attrs, shapeInputs, range);
    if ("diagnostic" in result) {
      this.reporter.report(result.diagnostic);
      return undefined;
    }
    const id = this.nodes.length;
    const local = this.claimName(instance, op, label);
    const name = instance.path ? `${instance.path}.${local}` : local;
    const node = { id, op, attrs, inputs: inputs.map((i) => i.id), shape: result.shape, fixed: op === "input", name, scopes: instance.scopes, range };
    this.nodes.push(node as GraphNode);
    return id;
  }

  /** `fixed` on a step: every conv and dense created since `from` carries no mask. */
  markFixed(from: number): void {
    for (let id = from; id < this.nodes.length; id++) {
      const node = this.nodes[id]!;
      if ((node.op === "conv" || node.op === "dense") && !node.fixed) this.nodes[id] = { ...node, fixed: true };
    }
  }

  private tooMany(range: SourceRange): undefined {
    const message = `the space has more than ${this.maxNodes.toLocaleString("en-US")} primitive nodes; make it smaller or check loops and recursion`;
    this.reporter.report(error(codeOf("TooManyNodes"), message, range));
    this.aborted = true;
    return undefined;
  }

  /** A unique name within the instance: the label if given, else `<base>_<n>` numbered from 0. */
  private claimName(instance: Instance, base: string, label?: Identifier): string {
    if (label) return this.claimLabel(instance, label);
    let n = instance.counters.get(base) ?? 0;
    while (instance.names.has(`${base}_${n}`)) n++;
    instance.counters.set(base, n + 1);
    const name = `${base}_${n}`;
    instance.names.add(name);
    return name;
  }

  /** A label met again from the same source (a loop, a repeated call) gets a suffix; from elsewhere it is an error. */
  private claimLabel(instance: Instance, label: Identifier): string {
    const first = instance.labels.get(label.name);
    if (first && (first.file !== label.range.file || first.start.offset !== label.range.start.offset)) {
      const note = { message: `'${label.name}' is first given here`, range: first };
      this.reporter.report(error(codeOf("DuplicateLabel"), `the name '${label.name}' is already given to another step in this scope`, label.range, [note]));
    }
    if (!first) instance.labels.set(label.name, label.range);
    let name = label.name;
    for (let k = 1; instance.names.has(name); k++) name = `${label.name}_${k}`;
    instance.names.add(name);
    return name;
  }
}
