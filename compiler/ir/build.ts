/** Graph + masks + costs → IR, and IR → graph + masks + costs for tools that start from a file. */
import { createHash } from "node:crypto";
import type { SourceFile, SourceRange } from "../../diagnostics/source.js";
import type { Graph, GraphNode, Scope } from "../graph.js";
import type { MaskPlan } from "../masks/types.js";
import { Polynomial } from "../cost/polynomial.js";
import { CostModel } from "../cost/model.js";
import type { SpaceCost } from "../cost/space-cost.js";
import type { CostOptions } from "../cost/rules.js";
import { IR_FORMAT, IR_VERSION, type Ir, type IrGroup, type IrNode, type IrRange } from "./types.js";

export function sha256(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

export function buildIr(graph: Graph, plan: MaskPlan, cost: SpaceCost, sources: ReadonlyMap<string, SourceFile>): Ir {
  const model = new CostModel(plan.groups, cost);
  const groups: IrGroup[] = plan.groups.map((g) => ({ ...g, producers: g.producers.map((p) => ({ ...p })), offset: model.pi.offsets[g.id] ?? -1 }));
  const scopes = new ScopeCopies();
  const nodes = graph.nodes.map((node) => irNode(node, plan, scopes));
  return {
    format: IR_FORMAT,
    version: IR_VERSION,
    space: graph.space,
    parameters: { ...graph.parameters },
    sources: [...sources.values()].map((s) => ({ path: s.path, sha256: sha256(s.text) })).sort((a, b) => a.path.localeCompare(b.path)),
    output: graph.output,
    maskVariables: model.pi.length,
    nodes,
    groups,
    costs: {
      convention: cost.options.convention,
      ...(cost.options.convBias ? { convBias: true as const } : {}),
      params: cost.params.toJson(),
      madds: cost.madds.toJson(),
      full: model.fullWidth(),
    },
  };
}

/**
 * Layouts are shared as they are (masks builds them as plain slices, and
 * pass-through nodes share one array); scopes are copied once per scope
 * object, since a 100,000-op space repeats the same few thousand.
 */
function irNode(node: GraphNode, plan: MaskPlan, scopes: ScopeCopies): IrNode {
  const { id, op, name, attrs, inputs, shape, fixed } = node;
  const layout = plan.layouts[id] ?? [];
  const { height, width, channels } = shape;
  const path = node.scopes.map((s) => scopes.copy(s));
  return { id, op, name, attrs, inputs: [...inputs], shape: { height, width, channels }, fixed, layout, range: irRange(node.range), scopes: path } as IrNode;
}

/** Only the fields the schema allows, whatever else the elaborator's objects carry. */
class ScopeCopies {
  private readonly copies = new Map<Scope, Scope>();

  copy(scope: Scope): Scope {
    let copy = this.copies.get(scope);
    if (!copy) {
      copy = { kind: scope.kind, name: scope.name, definition: scope.definition };
      this.copies.set(scope, copy);
    }
    return copy;
  }
}

function irRange(range: SourceRange): IrRange {
  const position = (p: SourceRange["start"]) => ({ line: p.line, column: p.column, offset: p.offset });
  return { file: range.file, start: position(range.start), end: position(range.end) };
}

/** The counting conventions the IR's costs were derived with. */
export function irCostOptions(ir: Ir): CostOptions {
  return { convention: ir.costs.convention, ...(ir.costs.convBias ? { convBias: true } : {}) };
}

export interface IrContents {
  readonly graph: Graph;
  readonly plan: MaskPlan;
  readonly cost: { readonly params: Polynomial; readonly madds: Polynomial };
}

/** The graph, masks and cost polynomials an IR describes (the IR must have been validated). */
export function irContents(ir: Ir): IrContents {
  const nodes = ir.nodes.map(({ layout: _layout, ...node }) => node as GraphNode);
  const graph: Graph = { space: ir.space, parameters: ir.parameters as Graph["parameters"], nodes, output: ir.output };
  const plan: MaskPlan = {
    groups: ir.groups.map(({ offset: _offset, ...group }) => group),
    layouts: ir.nodes.map((n) => n.layout),
  };
  return { graph, plan, cost: { params: Polynomial.fromJson(ir.costs.params), madds: Polynomial.fromJson(ir.costs.madds) } };
}
