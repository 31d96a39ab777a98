/**
 * First pass of mask placement: every node's output as segments of producer
 * channels (before unification), and the equalities that each `add` (and
 * `mul`) imposes between producer channel ranges. What each op does to
 * channels is its spec's channel rule (compiler/ops/).
 *
 * A grouped conv (`groups: G`) ties channel k of each of its G groups to
 * channel k of the first, on its input and on its output: one mask per
 * channel-within-group, shared by all groups, so every width a search or an
 * export picks is a multiple of G on both sides and the conv stays legal.
 * `channel_shuffle(G)` and `split(P, i)` tie their input's G groups (P
 * parts) the same way, so every pruned input still divides into equal groups
 * (parts) that keep the same positions; the shuffle's output is the first
 * group's channels, each repeated G times in a row, and the split's output
 * is its part. A boundary inside a repeated channel cannot be tied (FIGS3501).
 * A shuffle or split of channels that carry no mask (the image, `fixed`
 * outputs) needs no masks shared: its output lists them channel by channel
 * as the op moves them, all in one unsearchable group (tieAll).
 */
import { codeOf } from "../../diagnostics/codes.js";
import { error, type Diagnostic } from "../../diagnostics/diagnostic.js";
import type { Graph, GraphNode } from "../graph.js";
import { channelRepeat, channelRule } from "../ops/index.js";
import { SliceBudget } from "./budget.js";

/** Channels [start, end) of producer `producer`, each standing for `repeat` tensor channels. */
export interface Segment {
  readonly producer: number;
  readonly start: number;
  readonly end: number;
  readonly repeat: number;
}

/** Producer channels `left[a .. a+length)` carry the same masks as `right[b .. b+length)`. */
export interface Equality {
  /** The add node that imposes it (where a limit is reported). */
  readonly node: number;
  readonly left: number;
  readonly leftStart: number;
  readonly right: number;
  readonly rightStart: number;
  readonly length: number;
}

export interface SegmentPass {
  readonly segments: readonly (readonly Segment[])[];
  readonly equalities: readonly Equality[];
  readonly diagnostics: readonly Diagnostic[];
}

export function segmentGraph(graph: Graph, budget = new SliceBudget()): SegmentPass {
  const segments: (readonly Segment[])[] = [];
  const equalities: Equality[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const node of graph.nodes) {
    const inputs = node.inputs.map((id) => segments[id] ?? []);
    const own = nodeSegments(node, inputs, graph);
    if (own !== inputs[0]) budget.spend(own.length, node.id);
    segments.push(own);
    if (channelRule(node.op) === "joins") {
      for (let i = 1; i < inputs.length; i++) {
        const aligned = alignAdd(node.id, inputs[0] ?? [], inputs[i] ?? [], equalities, budget);
        if (aligned !== "ok") diagnostics.push(addDiagnostic(aligned, node, graph, i));
      }
    }
    if (node.op === "conv" && node.attrs.groups > 1) {
      const tied = tieGroups(node.id, node.attrs.groups, [inputs[0] ?? [], own], equalities, budget);
      if (!tied) diagnostics.push(groupsDiagnostic(node, node.attrs.groups));
    }
    const parts = channelParts(node);
    if (parts > 1 && unmasked(inputs[0] ?? [], graph)) {
      tieAll(node.id, inputs[0] ?? [], equalities, budget);
    } else if (parts > 1 && !tieGroups(node.id, parts, [inputs[0] ?? []], equalities, budget)) {
      diagnostics.push(partsDiagnostic(node, parts));
    }
  }
  return { segments, equalities, diagnostics };
}

/** Shares the input's array wherever the layout passes through, so only new arrays cost slices. */
function nodeSegments(node: GraphNode, inputs: readonly (readonly Segment[])[], graph: Graph): readonly Segment[] {
  const first = inputs[0] ?? [];
  if (channelParts(node) > 1 && unmasked(first, graph)) return permuted(node, first);
  // A bound inside a repeated channel is reported by tieGroups; the layout falls back to the whole input's.
  if (node.op === "channel_shuffle" && node.attrs.groups > 1) {
    const group = sliceLayout(first, 0, totalChannels(first) / node.attrs.groups);
    return group ? repeatEach(group, node.attrs.groups) : first;
  }
  if (node.op === "split" && node.attrs.parts > 1) {
    const size = totalChannels(first) / node.attrs.parts;
    return sliceLayout(first, (node.attrs.part - 1) * size, node.attrs.part * size) ?? first;
  }
  switch (channelRule(node.op)) {
    case "produces":
      return [{ producer: node.id, start: 0, end: node.shape.channels, repeat: 1 }];
    case "passes":
      // Shared by reference when repeat is 1: a chain of bn/relu/pool costs no memory per node.
      return repeatEach(first, channelRepeat(node));
    case "joins":
      return first;
    case "stacks":
      return inputs.flat();
    case "flattens": {
      const source = graph.nodes[node.inputs[0] ?? -1];
      return repeatEach(first, source ? source.shape.height * source.shape.width : 1);
    }
  }
}

/**
 * Equalities making each group of the conv's input and of its output a copy
 * of the first; false when a group boundary splits a repeated channel.
 */
function tieGroups(
  node: number,
  groups: number,
  layouts: readonly (readonly Segment[])[],
  out: Equality[],
  budget: SliceBudget,
): boolean {
  for (const layout of layouts) {
    const size = totalChannels(layout) / groups;
    const first = sliceLayout(layout, 0, size);
    for (let g = 1; g < groups; g++) {
      const other = sliceLayout(layout, g * size, (g + 1) * size);
      if (!first || !other || alignAdd(node, first, other, out, budget) !== "ok") return false;
    }
  }
  return true;
}

/** Tensor channels [from, to) of a layout as segments; undefined when a bound falls inside a repeated channel. */
function sliceLayout(layout: readonly Segment[], from: number, to: number): Segment[] | undefined {
  const slice: Segment[] = [];
  let offset = 0;
  for (const segment of layout) {
    const width = (segment.end - segment.start) * segment.repeat;
    const lo = Math.max(from, offset) - offset;
    const hi = Math.min(to, offset + width) - offset;
    offset += width;
    if (hi <= lo) continue;
    if (lo % segment.repeat !== 0 || hi % segment.repeat !== 0) return undefined;
    const start = segment.start + lo / segment.repeat;
    slice.push({ ...segment, start, end: segment.start + hi / segment.repeat });
  }
  return slice;
}

function groupsDiagnostic(node: GraphNode, groups: number): Diagnostic {
  const message =
    `cannot share masks across the ${groups} groups of this conv: a group boundary ` +
    "falls inside a channel repeated by flatten or a dwconv multiplier";
  return error(codeOf("MaskReplicationMismatch"), message, node.range);
}

/** The groups of a channel_shuffle, the parts of a split: what its input is cut into and tied across. */
function channelParts(node: GraphNode): number {
  if (node.op === "channel_shuffle") return node.attrs.groups;
  if (node.op === "split") return node.attrs.parts;
  return 1;
}

function partsDiagnostic(node: GraphNode, parts: number): Diagnostic {
  const what = node.op === "split" ? `${parts} parts of this split` : `${parts} groups of this channel_shuffle`;
  const message =
    `cannot share masks across the ${what}: a boundary between them falls inside a channel ` +
    "repeated by flatten, a dwconv multiplier or a channel_shuffle, or the groups repeat their channels differently";
  return error(codeOf("MaskReplicationMismatch"), message, node.range);
}

/** Every channel is the input image's or a `fixed` producer's: none carries a mask. */
function unmasked(layout: readonly Segment[], graph: Graph): boolean {
  return layout.every((s) => graph.nodes[s.producer]?.fixed === true);
}

/**
 * Makes every channel of the layout one group of size 1, channel by channel
 * (so each is an atom and can be moved on its own). The group stays at its
 * width while any of its producers lives: an export that removed one of them
 * (a ShuffleNet branch whose inner conv went to 0) has fewer channels than
 * the layouts count, which prune reports instead of shuffling the wrong ones.
 */
function tieAll(node: number, layout: readonly Segment[], out: Equality[], budget: SliceBudget): void {
  const head = layout[0];
  if (!head) return;
  for (const s of layout) {
    for (let c = s.start; c < s.end; c++) {
      if (s.producer === head.producer && c === head.start) continue;
      budget.spend(1, node);
      out.push({ node, left: head.producer, leftStart: head.start, right: s.producer, rightStart: c, length: 1 });
    }
  }
}

/**
 * The output of a shuffle or split of channels that carry no mask, channel
 * by channel as the op moves them (a shuffle interleaves its groups), with
 * runs of consecutive channels merged.
 */
function permuted(node: GraphNode, input: readonly Segment[]): Segment[] {
  const channels: [number, number][] = [];
  for (const s of input)
    for (let c = s.start; c < s.end; c++) for (let k = 0; k < s.repeat; k++) channels.push([s.producer, c]);
  const total = channels.length;
  const out: Segment[] = [];
  const push = ([producer, channel]: [number, number]): void => {
    const last = out[out.length - 1];
    if (last && last.producer === producer && last.repeat === 1 && last.end === channel) {
      out[out.length - 1] = { ...last, end: channel + 1 };
    } else {
      out.push({ producer, start: channel, end: channel + 1, repeat: 1 });
    }
  };
  if (node.op === "split") {
    const size = total / node.attrs.parts;
    for (let c = (node.attrs.part - 1) * size; c < node.attrs.part * size; c++) push(channels[c]!);
  } else if (node.op === "channel_shuffle") {
    const groups = node.attrs.groups;
    for (let o = 0; o < total; o++) push(channels[(o % groups) * (total / groups) + Math.floor(o / groups)]!);
  }
  return out;
}

function repeatEach(segments: readonly Segment[], factor: number): readonly Segment[] {
  if (factor === 1) return segments;
  return segments.map((s) => ({ ...s, repeat: s.repeat * factor }));
}

type AlignFailure = { kind: "repeat"; left: number; right: number } | { kind: "width"; left: number; right: number };

/**
 * Walks two layouts position by position, recording one equality per stretch
 * where both sides stay inside one segment each.
 */
function alignAdd(
  node: number,
  left: readonly Segment[],
  right: readonly Segment[],
  out: Equality[],
  budget: SliceBudget,
): "ok" | AlignFailure {
  const leftWidth = totalChannels(left);
  const rightWidth = totalChannels(right);
  if (leftWidth !== rightWidth) return { kind: "width", left: leftWidth, right: rightWidth };
  // x + f(x) where f passes channels through: every slice equals itself, nothing to record.
  if (left === right) return "ok";
  budget.spend(left.length + right.length, node);
  let i = 0;
  let j = 0;
  let leftOffset = 0; // tensor channels already consumed of left[i]
  let rightOffset = 0;
  while (i < left.length && j < right.length) {
    const a = left[i] as Segment;
    const b = right[j] as Segment;
    if (a.repeat !== b.repeat) return { kind: "repeat", left: a.repeat, right: b.repeat };
    const step = Math.min((a.end - a.start) * a.repeat - leftOffset, (b.end - b.start) * b.repeat - rightOffset);
    const leftStart = a.start + leftOffset / a.repeat;
    const rightStart = b.start + rightOffset / b.repeat;
    if (step > 0 && (a.producer !== b.producer || leftStart !== rightStart)) {
      out.push({ node, left: a.producer, leftStart, right: b.producer, rightStart, length: step / a.repeat });
    }
    leftOffset += step;
    rightOffset += step;
    if (leftOffset === (a.end - a.start) * a.repeat) [i, leftOffset] = [i + 1, 0];
    if (rightOffset === (b.end - b.start) * b.repeat) [j, rightOffset] = [j + 1, 0];
  }
  return "ok";
}

function totalChannels(segments: readonly Segment[]): number {
  let channels = 0;
  for (const s of segments) channels += (s.end - s.start) * s.repeat;
  return channels;
}

function addDiagnostic(failure: AlignFailure, node: GraphNode, graph: Graph, operand: number): Diagnostic {
  const notes = [0, operand].flatMap((k) => {
    const source = graph.nodes[node.inputs[k] ?? -1];
    return source
      ? [{ message: `operand ${k + 1} is '${source.name}' (${source.shape.channels} channels)`, range: source.range }]
      : [];
  });
  if (failure.kind === "width") {
    const message =
      `cannot add ${failure.left} channels to ${failure.right} channels: ` + "added tensors must have the same width";
    return error(codeOf("MaskWidthMismatch"), message, node.range, notes);
  }
  const message =
    `cannot unify the masks of this add: one operand repeats each masked channel ${failure.left} times, ` +
    `the other ${failure.right} times (after flatten or a dwconv multiplier); add the tensors before replicating them`;
  return error(codeOf("MaskReplicationMismatch"), message, node.range, notes);
}
