/**
 * Mask placement: Graph → groups and every node's channel layout.
 * segments (producer channels per node, equalities from adds) → atoms (cut to
 * a fixpoint, unioned) → groups (one per union class) → layouts.
 */
import { error, hasErrors, type Diagnostic } from "../../diagnostics/diagnostic.js";
import { codeOf } from "../../diagnostics/codes.js";
import type { Graph, GraphNode } from "../graph.js";
import { isMaskable, producesChannels } from "../ops/index.js";
import { atomAt, atomLength, buildAtoms, cutsOf, type AtomTable } from "./atoms.js";
import { SliceBudget, SliceLimitReached, sliceLimitDiagnostic } from "./budget.js";
import { placeGates } from "./gates.js";
import { segmentGraph, type Segment } from "./segments.js";
import type { ChannelLayout, ChannelSlice, MaskGroup, MaskPlan, ProducerRange } from "./types.js";

export interface MaskResult {
  readonly plan?: MaskPlan;
  readonly diagnostics: readonly Diagnostic[];
}

/** `budget`: the channel-slice limit (budget.ts); tests lower it. */
export function placeMasks(graph: Graph, budget = new SliceBudget()): MaskResult {
  try {
    const pass = segmentGraph(graph, budget);
    if (hasErrors(pass.diagnostics)) return { diagnostics: pass.diagnostics };
    const widths = new Float64Array(graph.nodes.length).fill(-1);
    for (const node of graph.nodes) if (producesChannels(node.op)) widths[node.id] = node.shape.channels;
    const atoms = buildAtoms(widths, pass.equalities, budget);
    const { groups, groupOfAtom } = buildGroups(graph, atoms);
    const layouts = buildLayouts(pass.segments, atoms, groupOfAtom, groups, budget);
    const gated = placeGates(graph, { groups, layouts });
    return { plan: gated.plan, diagnostics: [...pass.diagnostics, ...gated.diagnostics] };
  } catch (cause) {
    if (cause instanceof SliceLimitReached) {
      const range = graph.nodes[cause.node]?.range ?? graph.nodes[0]?.range;
      return range ? { diagnostics: [sliceLimitDiagnostic(budget.limit, range)] } : { diagnostics: [] };
    }
    const reason = cause instanceof Error ? cause.message : String(cause);
    const message = `internal error while placing masks (${reason}); please report it`;
    const range = graph.nodes[graph.output]?.range ?? graph.nodes[0]?.range;
    return range ? { diagnostics: [error(codeOf("InternalError"), message, range)] } : { diagnostics: [] };
  }
}

function isSearchableProducer(node: GraphNode): boolean {
  return isMaskable(node.op) && !node.fixed;
}

interface GroupDraft {
  producers: ProducerRange[];
  size: number;
  searchable: boolean;
}

/** Numbers the union classes in atom order, which is producer order then channel order. */
function buildGroups(graph: Graph, atoms: AtomTable): { groups: MaskGroup[]; groupOfAtom: Int32Array } {
  const groupOfAtom = new Int32Array(atoms.atomCount).fill(-1);
  const groupOfRoot = new Int32Array(atoms.atomCount).fill(-1);
  const drafts: GroupDraft[] = [];
  for (const producer of atoms.producers) {
    const node = graph.nodes[producer] as GraphNode;
    const cuts = cutsOf(atoms, producer);
    for (let k = 0; k + 1 < cuts.length; k++) {
      const atom = (atoms.base[producer] as number) + k;
      const root = atoms.sets.find(atom);
      let id = groupOfRoot[root] as number;
      if (id < 0) {
        id = drafts.length;
        groupOfRoot[root] = id;
        drafts.push({ producers: [], size: atomLength(atoms, producer, atom), searchable: true });
      }
      groupOfAtom[atom] = id;
      const draft = drafts[id] as GroupDraft;
      draft.producers.push({ node: producer, start: cuts[k] as number, end: cuts[k + 1] as number });
      draft.searchable &&= isSearchableProducer(node);
    }
  }
  const groups = drafts.map((d, id) => ({
    id,
    name: groupName(graph, d.producers[0]),
    size: d.size,
    searchable: d.searchable,
    producers: d.producers,
  }));
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
  budget: SliceBudget,
): ChannelLayout[] {
  // Pass-through nodes share their input's segment array, so share the layout too;
  // a concat repeats its inputs' segments, so each segment's slices are built once.
  const memo = new Map<readonly Segment[], ChannelLayout>();
  const slicesOf = new Map<Segment, ChannelSlice[]>();
  const slicesOfSegment = (segment: Segment, node: number): ChannelSlice[] => {
    let slices = slicesOf.get(segment);
    if (!slices) slicesOf.set(segment, (slices = segmentSlices(segment, atoms, groupOfAtom, groups)));
    budget.spend(slices.length, node);
    return slices;
  };
  return segments.map((list, node) => {
    // One segment (a producer, or channels passed through from one): its slices are the layout.
    if (list.length === 1) return slicesOfSegment(list[0] as Segment, node);
    let layout = memo.get(list);
    if (!layout) {
      const built: ChannelSlice[] = [];
      for (const segment of list) for (const slice of slicesOfSegment(segment, node)) built.push(slice);
      layout = built;
      memo.set(list, layout);
    }
    return layout;
  });
}

function segmentSlices(
  segment: Segment,
  atoms: AtomTable,
  groupOfAtom: Int32Array,
  groups: readonly MaskGroup[],
): ChannelSlice[] {
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
