/** Graph + masks + costs → IR, and IR → graph + masks + costs for tools that start from a file. */
import { createHash } from "node:crypto";
import type { SourceFile, SourceRange } from "../../diagnostics/source.js";
import type { Graph, GraphNode, Scope } from "../graph.js";
import type { MaskPlan } from "../masks/types.js";
import { Polynomial } from "../cost/polynomial.js";
import { CostModel } from "../cost/model.js";
import { NO_GATES, type GateTable } from "../cost/gated.js";
import type { SpaceCost } from "../cost/space-cost.js";
import type { CostOptions } from "../cost/rules.js";
import { IR_FORMAT, IR_VERSION, type Ir, type IrGroup, type IrNode, type IrRange } from "./types.js";

export function sha256(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

export function buildIr(graph: Graph, plan: MaskPlan, cost: SpaceCost, sources: ReadonlyMap<string, SourceFile>): Ir {
  const model = new CostModel(plan.groups, cost);
  // Written out rather than spread: the fields the schema allows, in its order, and a spread is slow 250,000 times.
  const groups: IrGroup[] = plan.groups.map((g) => ({
    id: g.id,
    name: g.name,
    size: g.size,
    searchable: g.searchable,
    producers: g.producers,
    offset: model.pi.offsets[g.id] ?? -1,
    ...(g.gate === undefined ? {} : { gate: g.gate }),
  }));
  const copies = new Copies();
  const nodes = graph.nodes.map((node) => irNode(node, plan, copies));
  return {
    format: IR_FORMAT,
    version: IR_VERSION,
    space: graph.space,
    parameters: { ...graph.parameters },
    sources: [...sources.values()]
      .map((s) => ({ path: s.path, sha256: sha256(s.text) }))
      .sort((a, b) => a.path.localeCompare(b.path)),
    output: graph.output,
    maskVariables: model.pi.length,
    nodes,
    groups,
    ...(plan.gated && plan.gated.length > 0
      ? { gated: plan.gated.map((v) => ({ group: v.group, gates: v.gates })) }
      : {}),
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
 * Layouts and inputs are shared as they are (masks builds layouts as plain
 * slices, pass-through nodes share one array, and nothing mutates either);
 * scope paths and ranges are copied once per object, since nodes of one
 * instance share their scopes array and nodes made in a loop share the range
 * of the op that made them.
 */
function irNode(node: GraphNode, plan: MaskPlan, copies: Copies): IrNode {
  const { id, op, name, attrs, inputs, shape, fixed } = node;
  const layout = plan.layouts[id] ?? [];
  const { height, width, channels } = shape;
  return {
    id,
    op,
    name,
    attrs,
    inputs,
    shape: { height, width, channels },
    fixed,
    layout,
    range: copies.range(node.range),
    scopes: copies.scopes(node.scopes),
  } as IrNode;
}

/** Only the fields the schema allows, whatever else the elaborator's objects carry; each object copied once. */
class Copies {
  private readonly scopeCopies = new Map<Scope, Scope>();
  private readonly pathCopies = new Map<readonly Scope[], readonly Scope[]>();
  private readonly rangeCopies = new Map<SourceRange, IrRange>();

  scopes(path: readonly Scope[]): readonly Scope[] {
    let copy = this.pathCopies.get(path);
    if (!copy) this.pathCopies.set(path, (copy = path.map((s) => this.scope(s))));
    return copy;
  }

  range(range: SourceRange): IrRange {
    let copy = this.rangeCopies.get(range);
    if (!copy) this.rangeCopies.set(range, (copy = irRange(range)));
    return copy;
  }

  private scope(scope: Scope): Scope {
    let copy = this.scopeCopies.get(scope);
    if (!copy)
      this.scopeCopies.set(scope, (copy = { kind: scope.kind, name: scope.name, definition: scope.definition }));
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
  readonly cost: { readonly params: Polynomial; readonly madds: Polynomial; readonly gates: GateTable };
}

/** The graph, masks and cost polynomials an IR describes (the IR must have been validated). */
export function irContents(ir: Ir): IrContents {
  const nodes = ir.nodes.map(({ layout: _layout, ...node }) => node);
  const graph: Graph = { space: ir.space, parameters: ir.parameters as Graph["parameters"], nodes, output: ir.output };
  const plan: MaskPlan = {
    groups: ir.groups.map(({ offset: _offset, ...group }) => group),
    layouts: ir.nodes.map((n) => n.layout),
    ...(ir.gated ? { gated: ir.gated } : {}),
  };
  return {
    graph,
    plan,
    cost: {
      params: Polynomial.fromJson(ir.costs.params),
      madds: Polynomial.fromJson(ir.costs.madds),
      gates: { groupCount: ir.groups.length, gated: ir.gated ?? NO_GATES },
    },
  };
}
