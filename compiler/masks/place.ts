/**
 * Mask placement: Graph → groups and every node's channel layout.
 * segments (producer channels per node, equalities from adds) → atoms (cut to
 * a fixpoint, unioned) → groups (one per union class) → layouts.
 */
import { error, hasErrors, type Diagnostic } from "../../diagnostics/diagnostic.js";
import { codeOf } from "../../diagnostics/codes.js";
import { isProducer, type Graph, type GraphNode } from "../graph.js";
import { atomAt, atomLength, buildAtoms, type AtomTable } from "./atoms.js";
import { segmentGraph, type Segment } from "./segments.js";
import type { ChannelLayout, ChannelSlice, MaskGroup, MaskPlan, ProducerRange } from "./types.js";

export interface MaskResult {
  readonly plan?: MaskPlan;
  readonly diagnostics: readonly Diagnostic[];
}

export function placeMasks(graph: Graph): MaskResult {
  try {
    const pass = segmentGraph(graph);
    if (hasErrors(pass.diagnostics)) return { diagnostics: pass.diagnostics };
    const widths = new Map<number, number>();
    for (const node of graph.nodes) if (isProducer(node.op)) widths.set(node.id, node.shape.channels);
    const atoms = buildAtoms(widths, pass.equalities);
    const { groups, groupOfAtom } = buildGroups(graph, atoms);
    const layouts = buildLayouts(pass.segments, atoms, groupOfAtom, groups);
    return { plan: { groups, layouts }, diagnostics: pass.diagnostics };
  } catch (cause) {
    const message = `internal error while placing masks (${cause instanceof Error ? cause.message : String(cause)}); please report it`;
    const range = graph.nodes[graph.output]?.range ?? graph.nodes[0]?.range;
    return range ? { diagnostics: [error(codeOf("InternalError"), message, range)] } : { diagnostics: [] };
  }
}

function isSearchableProducer(node: GraphNode): boolean {
  return (node.op === "conv" || node.op === "dense") && !node.fixed;
}

interface GroupDraft {
  producers: ProducerRange[];
  size: number;
  searchable: boolean;
}

/** Numbers the union classes in atom order, which is producer order then channel order. */
function buildGroups(graph: Graph, atoms: AtomTable): { groups: MaskGroup[]; groupOfAtom: Int32Array } {
  const groupOfAtom = new Int32Array(atoms.atomCount).fill(-1);
  const groupOfRoot = new Map<number, number>();
  const drafts: GroupDraft[] = [];
  for (const [producer, cuts] of atoms.cuts) {
    const node = graph.nodes[producer] as GraphNode;
    for (let k = 0; k + 1 < cuts.length; k++) {
      const atom = (atoms.base.get(producer) ?? 0) + k;
      const root = atoms.sets.find(atom);
      let id = groupOfRoot.get(root);
      if (id === undefined) {
        id = drafts.length;
        groupOfRoot.set(root, id);
        drafts.push({ producers: [], size: atomLength(atoms, producer, atom), searchable: true });
      }
      groupOfAtom[atom] = id;
      const draft = drafts[id] as GroupDraft;
      draft.producers.push({ node: producer, start: cuts[k] as number, end: cuts[k + 1] as number });
      draft.searchable &&= isSearchableProducer(node);
    }
  }
  const groups = drafts.map((d, id) => ({ id, name: groupName(graph, d.producers[0]), size: d.size, searchable: d.searchable, producers: d.producers }));
  return { groups, groupOfAtom };
}

function groupName(graph: Graph, first: ProducerRange | undefined): string {
  if (!first) return "?";
  const node = graph.nodes[first.node] as GraphNode;
  const prefix = `${graph.space}/`;
  const base = node.name.startsWith(prefix) ? node.name.slice(prefix.length) : node.name;
  const whole = first.start === 0 && first.end === node.shape.channels;
  return whole ? base : `${base}[${first.start}:${first.end}]`;
}

function buildLayouts(
  segments: readonly (readonly Segment[])[],
  atoms: AtomTable,
  groupOfAtom: Int32Array,
  groups: readonly MaskGroup[],
): ChannelLayout[] {
  // Pass-through nodes share their input's segment array, so share the layout too.
  const memo = new Map<readonly Segment[], ChannelLayout>();
  return segments.map((list) => {
    let layout = memo.get(list);
    if (!layout) {
      layout = list.flatMap((segment) => segmentSlices(segment, atoms, groupOfAtom, groups));
      memo.set(list, layout);
    }
    return layout;
  });
}

function segmentSlices(segment: Segment, atoms: AtomTable, groupOfAtom: Int32Array, groups: readonly MaskGroup[]): ChannelSlice[] {
  const slices: ChannelSlice[] = [];
  let channel = segment.start;
  while (channel < segment.end) {
    const atom = atomAt(atoms, segment.producer, channel);
    const group = groupOfAtom[atom] as number;
    const size = (groups[group] as MaskGroup).size;
    slices.push({ group, size, repeat: segment.repeat });
    channel += size;
  }
  return slices;
}
