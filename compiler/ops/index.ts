/**
 * The one table of primitives: every OpKind has its OpSpec here (a missing
 * one is a type error), and the questions other stages ask about an op are
 * answered from it. Adding a primitive: docs/architecture.md, "How to add a primitive".
 */
import type { OpAttrs, OpKind } from "../graph.js";
import { adaptive_avgpool } from "./adaptive-pool.js";
import { bn } from "./bn.js";
import { conv } from "./conv.js";
import { dense } from "./dense.js";
import { drop_path } from "./drop-path.js";
import { dropout } from "./dropout.js";
import { dwconv } from "./dwconv.js";
import { identity, relu, relu6, sigmoid, swish } from "./elementwise.js";
import { flatten } from "./flatten.js";
import { gate } from "./gate.js";
import { gelu } from "./gelu.js";
import { hardsigmoid } from "./hardsigmoid.js";
import { hardswish } from "./hardswish.js";
import { input } from "./input.js";
import { channel_shuffle } from "./channel-shuffle.js";
import { layer_norm, layer_scale } from "./layer-norm.js";
import { split } from "./split.js";
import { mul } from "./mul.js";
import { add, concat } from "./merges.js";
import { avgpool, global_avgpool, maxpool } from "./pools.js";
import type { AttrSpec, ChannelRule, OpSpec, OpSpecs } from "./types.js";

export const OP_SPECS: OpSpecs = {
  input,
  conv,
  dwconv,
  dense,
  bn,
  relu,
  relu6,
  sigmoid,
  swish,
  hardsigmoid,
  hardswish,
  gelu,
  maxpool,
  avgpool,
  global_avgpool,
  adaptive_avgpool,
  flatten,
  dropout,
  drop_path,
  identity,
  gate,
  concat,
  add,
  mul,
  channel_shuffle,
  split,
  layer_norm,
  layer_scale,
};

/** What the lookups need of a node: its op and its attributes (a graph, IR or pruned node). */
export interface OpNode<K extends OpKind> {
  readonly op: K;
  readonly attrs: OpAttrs[K];
}

export function specOf<K extends OpKind>(op: K): OpSpec<K> {
  return OP_SPECS[op];
}

/** The attributes of an op in the order of its attrs object, with their specs. */
export function attributesOf<K extends OpKind>(op: K): [string, AttrSpec<unknown>][] {
  return Object.entries(specOf(op).attributes as Readonly<Record<string, AttrSpec<unknown>>>);
}

export function channelRule(op: OpKind): ChannelRule<OpKind>["kind"] {
  return specOf(op).channels.kind;
}

/** New channels: conv, dense and the input image. */
export function producesChannels(op: OpKind): boolean {
  return specOf(op).channels.kind === "produces";
}

/** The image input: no inputs, channels that never carry a mask. */
export function isSource(op: OpKind): boolean {
  const rule = specOf(op).channels;
  return rule.kind === "produces" && rule.source;
}

/** An op whose channels carry masks unless it is marked `fixed`: conv and dense. */
export function isMaskable(op: OpKind): boolean {
  const rule = specOf(op).channels;
  return rule.kind === "produces" && !rule.source;
}

/**
 * Ops that take a list of tensors (concat, add, mul): one surviving input
 * makes them that input (a gate whose branch lost every channel is dropped).
 */
export function isMerge(op: OpKind): boolean {
  const kind = specOf(op).channels.kind;
  return kind === "joins" || kind === "stacks";
}

/** A producer whose only consumer is this op is masked after it (batch norm). */
export function masksAfter(op: OpKind): boolean {
  const rule = specOf(op).channels;
  return rule.kind === "passes" && rule.masksAfter === true;
}

/** Output channels per input channel of an op that passes channels through (a dwconv's multiplier). */
export function channelRepeat<K extends OpKind>(node: OpNode<K>): number {
  const rule = specOf(node.op).channels;
  return rule.kind === "passes" && rule.repeat ? rule.repeat(node.attrs) : 1;
}

/**
 * Output channels of an op that passes channels through, at `inputChannels`
 * input channels: input · repeat, or its spec's own rule (split: input / parts).
 */
export function passedWidth<K extends OpKind>(node: OpNode<K>, inputChannels: number): number {
  const rule = specOf(node.op).channels;
  if (rule.kind === "passes" && rule.width) return rule.width(node.attrs, inputChannels);
  return inputChannels * channelRepeat(node);
}

/**
 * Of an op that passes channels through, which output channels (ascending)
 * come from the `kept` input channels, the input having `inputChannels`.
 */
export function passedChannels<K extends OpKind>(
  node: OpNode<K>,
  inputChannels: number,
  kept: readonly number[],
): number[] {
  const rule = specOf(node.op).channels;
  const repeat = channelRepeat(node);
  if (rule.kind !== "passes" || !rule.source) {
    return repeat === 1 ? [...kept] : kept.flatMap((c) => Array.from({ length: repeat }, (_, j) => c * repeat + j));
  }
  const source = rule.source(node.attrs, inputChannels);
  const isKept = new Set(kept);
  const out: number[] = [];
  for (let c = 0; c < passedWidth(node, inputChannels); c++) if (isKept.has(source(c))) out.push(c);
  return out;
}

/** The attributes of a producer at another output width; other ops keep theirs. */
export function resized<K extends OpKind>(node: OpNode<K>, width: number): OpAttrs[K] {
  const rule = specOf(node.op).channels;
  return rule.kind === "produces" && rule.resized ? rule.resized(node.attrs, width) : node.attrs;
}

/** Why exported widths do not fit the node, or undefined. */
export function exportProblem<K extends OpKind>(node: OpNode<K>, inputs: number, outputs: number): string | undefined {
  return specOf(node.op).exportCheck?.(node.attrs, inputs, outputs);
}

/** The names .figs applies the op by: its own, then its aliases; none for a built-in. */
export function callNames(op: OpKind): readonly string[] {
  const { call } = specOf(op);
  return call === "builtin" ? [] : [op, ...(call.aliases ?? [])];
}

/** Whether the op is applied to the current tensor by name (`relu`, `conv(3, 16)`), not made by a built-in. */
export function isCallable(op: OpKind): boolean {
  return specOf(op).call !== "builtin";
}

export type {
  AttrSpec,
  AttrType,
  AttributeReader,
  ChannelRule,
  OpSpec,
  OpSpecs,
  WeightAxes,
  WeightLayout,
} from "./types.js";
