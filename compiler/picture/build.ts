/**
 * Compile stages → Picture: each node placed in the cluster of the definition
 * instances it was created in (its `scopes`), or in one box for a whole
 * instance nested deeper than `options.depth`; costs summed per cluster.
 */
import type { CompileStages } from "../index.js";
import { conventionName } from "../cost/index.js";
import type { GraphNode, Scope } from "../graph.js";
import type { MaskGroup } from "../masks/types.js";
import { groupColours, layoutStripes } from "./colours.js";
import { costLine, groupLines, opHover, opLabel, scopeHover, scopeLabel, type Cost } from "./labels.js";
import type { Picture, PictureBox, PictureCluster, PictureOptions } from "./model.js";
import { nodeCostsAtFullWidth, type NodeCosts } from "./node-costs.js";
import { formatShape } from "../shapes/index.js";

/** Groups listed in a collapsed box's hover before `… and N more`. */
const GROUPS_LISTED = 8;

interface ClusterDraft {
  readonly scope?: Scope;
  readonly id: string;
  readonly children: Map<string, ClusterDraft>;
  readonly boxes: (PictureBox | CollapsedDraft)[];
  ops: number;
  params: number;
  madds: number;
}

interface CollapsedDraft {
  readonly scope: Scope;
  readonly id: string;
  readonly groups: Set<number>;
  ops: number;
  params: number;
  madds: number;
  last: GraphNode;
}

export function buildPicture(stages: CompileStages, options: PictureOptions = {}): Picture {
  const { graph, plan, cost } = stages;
  const costs = nodeCostsAtFullWidth(cost, plan.groups, graph.nodes.length);
  const colours = groupColours(plan.groups);
  const root = clusterDraft("graph");
  const clusterIds = { next: 0 };
  const collapsed = new Map<string, CollapsedDraft>();
  const boxOf: string[] = [];
  for (const node of graph.nodes) {
    const inner = node.scopes.filter((scope) => scope.kind !== "space");
    const shown = options.depth === undefined ? inner : inner.slice(0, options.depth);
    const chain = clusterChain(root, shown, clusterIds);
    for (const cluster of chain) addCost(cluster, costs, node.id);
    const cluster = chain[chain.length - 1]!;
    if (inner.length > shown.length) {
      const box = collapsedBox(collapsed, cluster, inner.slice(0, shown.length + 1), node);
      addCost(box, costs, node.id);
      for (const slice of plan.layouts[node.id] ?? []) box.groups.add(slice.group);
      boxOf[node.id] = box.id;
    } else {
      const layout = plan.layouts[node.id] ?? [];
      const nodeCost = { params: costs.params[node.id]!, madds: costs.madds[node.id]! };
      cluster.boxes.push({
        id: `n${node.id}`,
        label: opLabel(node, layout, plan.groups),
        fills: layoutStripes(layout, colours),
        collapsed: false,
        hover: opHover(node, layout, plan.groups, nodeCost),
      });
      boxOf[node.id] = `n${node.id}`;
    }
  }
  const finish = finisher(plan.layouts, plan.groups, colours);
  const totals = { params: root.params, madds: root.madds };
  const parameters = Object.entries(graph.parameters).map(([name, value]) => `${name} = ${JSON.stringify(value)}`);
  const title = `space ${graph.space}(${parameters.join(", ")})`;
  const summary = [`${graph.nodes.length} ops, ${plan.groups.length} mask groups`, costLine(totals)];
  const convention = `(${conventionName(cost.options)} convention)`;
  return {
    space: graph.space,
    label: [title, ...summary, ...legend(options)],
    hover: [title, ...summary, convention],
    clusters: [...root.children.values()].map(finish.cluster),
    boxes: root.boxes.map(finish.box),
    edges: edgesBetween(graph.nodes, boxOf),
  };
}

function legend(options: PictureOptions): string[] {
  const colours = "fill: mask group gN · grey: fixed width, no masks";
  if (options.depth === undefined) return [colours];
  const levels = `${options.depth} ${options.depth === 1 ? "level" : "levels"}`;
  return [colours, `double border: an instance nested deeper than ${levels}, drawn as one box`];
}

function clusterDraft(id: string, scope?: Scope): ClusterDraft {
  return { id, children: new Map(), boxes: [], ops: 0, params: 0, madds: 0, ...(scope ? { scope } : {}) };
}

/** The clusters from the space down to the innermost shown scope, created on first use. */
function clusterChain(root: ClusterDraft, scopes: readonly Scope[], ids: { next: number }): ClusterDraft[] {
  const chain = [root];
  let cluster = root;
  for (const scope of scopes) {
    const key = `${scope.kind} ${scope.name} ${scope.definition}`;
    let child = cluster.children.get(key);
    if (!child) cluster.children.set(key, (child = clusterDraft(`cluster_${ids.next++}`, scope)));
    chain.push(child);
    cluster = child;
  }
  return chain;
}

function addCost(draft: { ops: number; params: number; madds: number }, costs: NodeCosts, id: number): void {
  draft.ops += 1;
  draft.params += costs.params[id]!;
  draft.madds += costs.madds[id]!;
}

/** The box standing for a whole instance (the last of `scopes`), created on its first node. */
function collapsedBox(
  boxes: Map<string, CollapsedDraft>,
  cluster: ClusterDraft,
  scopes: readonly Scope[],
  node: GraphNode,
): CollapsedDraft {
  const key = scopes.map((scope) => `${scope.kind} ${scope.name} ${scope.definition}`).join("/");
  let box = boxes.get(key);
  if (!box) {
    const scope = scopes[scopes.length - 1]!;
    box = { scope, id: `c${boxes.size}`, groups: new Set(), ops: 0, params: 0, madds: 0, last: node };
    boxes.set(key, box);
    cluster.boxes.push(box);
  }
  // Nodes come in topological order: the last one is the instance's output.
  box.last = node;
  return box;
}

function finisher(
  layouts: CompileStages["plan"]["layouts"],
  groups: readonly MaskGroup[],
  colours: readonly string[],
): { cluster: (draft: ClusterDraft) => PictureCluster; box: (draft: PictureBox | CollapsedDraft) => PictureBox } {
  const box = (draft: PictureBox | CollapsedDraft): PictureBox => {
    if (!("scope" in draft)) return draft;
    const layout = layouts[draft.last.id] ?? [];
    const cost: Cost = { params: draft.params, madds: draft.madds };
    return {
      id: draft.id,
      label: [scopeLabel(draft.scope), `${draft.ops} ops → ${formatShape(draft.last.shape)}`],
      fills: layoutStripes(layout, colours),
      collapsed: true,
      hover: [
        ...scopeHover(draft.scope, draft.ops, cost),
        groupList(draft.groups, groups),
        ...groupLines(layout, groups),
      ],
    };
  };
  const cluster = (draft: ClusterDraft): PictureCluster => ({
    id: draft.id,
    kind: draft.scope!.kind,
    label: scopeLabel(draft.scope!),
    hover: scopeHover(draft.scope!, draft.ops, draft),
    clusters: [...draft.children.values()].map(cluster),
    boxes: draft.boxes.map(box),
  });
  return { cluster, box };
}

/** `mask groups inside: g2, g3, g5` (searchable ones; the list cut after a few). */
function groupList(ids: ReadonlySet<number>, groups: readonly MaskGroup[]): string {
  const searchable = [...ids].filter((id) => groups[id]?.searchable).sort((a, b) => a - b);
  if (searchable.length === 0) return "no searchable mask groups inside";
  const listed = searchable.slice(0, GROUPS_LISTED).map((id) => `g${id}`);
  const more = searchable.length - listed.length;
  return `${searchable.length} mask groups inside: ${listed.join(", ")}${more > 0 ? ` and ${more} more` : ""}`;
}

/** One edge per pair of boxes a tensor flows between; none inside a collapsed box. */
function edgesBetween(nodes: readonly GraphNode[], boxOf: readonly string[]): [string, string][] {
  const seen = new Set<string>();
  const edges: [string, string][] = [];
  for (const node of nodes) {
    const to = boxOf[node.id]!;
    for (const input of node.inputs) {
      const from = boxOf[input]!;
      const key = `${from}>${to}`;
      if (from === to || seen.has(key)) continue;
      seen.add(key);
      edges.push([from, to]);
    }
  }
  return edges;
}
