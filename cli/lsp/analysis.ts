/**
 * What hovers and inlay hints say about costs: every space of a file
 * compiled up to its costs, each node's params and madds with every mask
 * group at full width, and those summed per definition over all its
 * instances. Built once per model (so once per edit), after the diagnostics.
 */
import {
  compile,
  nodeCostsAtFullWidth,
  type CompileStages,
  type GraphNode,
  type NodeCosts,
} from "../../compiler/index.js";
import type { Definition } from "../../grammar/ast.js";
import type { FileModel, Workspace } from "./workspace.js";

export interface Cost {
  readonly params: number;
  readonly madds: number;
}

export interface SpaceAnalysis {
  readonly space: string;
  readonly stages: CompileStages;
  readonly costs: NodeCosts;
  readonly total: Cost;
}

/** A definition's cost in one space: every instance of it, summed. */
export interface DefinitionCost extends Cost {
  readonly space: string;
  readonly instances: number;
}

export interface Analysis {
  /** The file's spaces that compiled without errors. */
  readonly spaces: readonly SpaceAnalysis[];
  /** By definition name, one entry per space that applies it. */
  readonly definitions: ReadonlyMap<string, readonly DefinitionCost[]>;
}

const EMPTY: Analysis = { spaces: [], definitions: new Map() };

export class Analyses {
  private readonly done = new WeakMap<FileModel, Analysis>();

  constructor(private readonly workspace: Workspace) {}

  of(path: string): Analysis {
    const model = this.workspace.model(path);
    if (!model?.program) return EMPTY;
    let analysis = this.done.get(model);
    if (!analysis) {
      analysis = analyse(model, this.workspace);
      this.done.set(model, analysis);
    }
    return analysis;
  }
}

function spacesOf(model: FileModel): Definition[] {
  return (model.program?.items ?? []).filter(
    (item): item is Definition => item.kind === "Definition" && item.definitionKind === "space",
  );
}

function analyse(model: FileModel, workspace: Workspace): Analysis {
  const { host, cache } = workspace;
  const spaces: SpaceAnalysis[] = [];
  for (const space of spacesOf(model)) {
    const result = compile({ path: model.path, space: space.name.name }, { host, cache, until: "costs" });
    if (!result.stages) continue;
    const { graph, plan, cost } = result.stages;
    const costs = nodeCostsAtFullWidth(cost, plan.groups, graph.nodes.length);
    spaces.push({ space: space.name.name, stages: result.stages, costs, total: sum(costs) });
  }
  return { spaces, definitions: definitionCosts(spaces) };
}

function sum(costs: NodeCosts): Cost {
  let params = 0;
  let madds = 0;
  for (let id = 0; id < costs.params.length; id++) {
    params += costs.params[id]!;
    madds += costs.madds[id]!;
  }
  return { params, madds };
}

interface Draft {
  params: number;
  madds: number;
  readonly instances: Set<string>;
}

function definitionCosts(spaces: readonly SpaceAnalysis[]): Map<string, DefinitionCost[]> {
  const byName = new Map<string, DefinitionCost[]>();
  for (const space of spaces) {
    const drafts = new Map<string, Draft>();
    const instancesOf = instanceFinder();
    for (const node of space.stages.graph.nodes) {
      for (const [definition, instance] of instancesOf(node)) {
        let draft = drafts.get(definition);
        if (!draft) drafts.set(definition, (draft = { params: 0, madds: 0, instances: new Set() }));
        draft.params += space.costs.params[node.id]!;
        draft.madds += space.costs.madds[node.id]!;
        draft.instances.add(instance);
      }
    }
    for (const [name, draft] of drafts) {
      const entry = { space: space.space, instances: draft.instances.size, params: draft.params, madds: draft.madds };
      byName.set(name, [...(byName.get(name) ?? []), entry]);
    }
  }
  return byName;
}

/**
 * The definitions a node sits in (cells, blocks, ops; each once, even in a
 * recursion) with the path of the instance; nodes of one instance share their
 * scopes array, so each array is worked out once.
 */
function instanceFinder(): (node: GraphNode) => ReadonlyMap<string, string> {
  const cache = new Map<GraphNode["scopes"], Map<string, string>>();
  return (node) => {
    let found = cache.get(node.scopes);
    if (!found) {
      found = new Map();
      let path = "";
      for (const scope of node.scopes) {
        path = path === "" ? scope.name : `${path}/${scope.name}`;
        if (scope.kind !== "space" && !found.has(scope.definition)) found.set(scope.definition, path);
      }
      cache.set(node.scopes, found);
    }
    return found;
  };
}

/** The nodes made by the call written at the innermost range of this file around `offset`, in every space. */
export function nodesAt(analysis: Analysis, path: string, offset: number): { space: SpaceAnalysis; node: GraphNode }[] {
  const found: { space: SpaceAnalysis; node: GraphNode }[] = [];
  for (const space of analysis.spaces)
    for (const node of space.stages.graph.nodes)
      if (node.range.file === path && node.range.start.offset <= offset && offset <= node.range.end.offset)
        found.push({ space, node });
  if (found.length === 0) return found;
  const size = ({ node }: { node: GraphNode }) => node.range.end.offset - node.range.start.offset;
  const smallest = Math.min(...found.map(size));
  const innermost = found.find((entry) => size(entry) === smallest)!.node.range.start.offset;
  return found.filter((entry) => size(entry) === smallest && entry.node.range.start.offset === innermost);
}
