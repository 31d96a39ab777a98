/**
 * Initialise a pruned model from the supernet's surviving channels: each
 * group keeps its `width` channels with the largest ν, and every weight
 * tensor is cut to the kept input and output channels. With widths equal to
 * the count of ν > 0, the pruned model computes what the supernet computes in
 * evaluation mode (masks 1[ν > 0]); tests check it.
 */
import * as tf from "@tensorflow/tfjs";
import type { Ir, IrNode, OpKind } from "../../compiler/index.js";
import { channelRule, passedChannels, specOf } from "../../compiler/index.js";
import { layerName } from "../emit/layers.js";
import type { Supernet } from "../emit/supernet.js";
import { runtimeOf, type EmitNodeOf } from "../ops/index.js";
import type { PrunedArchitecture } from "./prune.js";

/** Per group id, the kept channel positions (0 … size−1), ascending: the `width` largest ν. */
export function keptChannelsByGroup(ir: Ir, nu: ArrayLike<number>, widths: ArrayLike<number>): number[][] {
  return ir.groups.map((group) => {
    const width = widths[group.id] as number;
    const all = Array.from({ length: group.size }, (_, j) => j);
    if (!group.searchable || group.offset < 0) return all.slice(0, width);
    const logit = (j: number): number => nu[group.offset + j] as number;
    return all
      .sort((a, b) => logit(b) - logit(a) || a - b)
      .slice(0, width)
      .sort((a, b) => a - b);
  });
}

/** For every IR node, which channels of its full (supernet) output survive. */
export function keptTensorChannels(ir: Ir, keptByGroup: readonly number[][]): number[][] {
  const kept: number[][] = [];
  for (const node of ir.nodes)
    kept.push(withoutClosedGates(node, keptChannels(ir, node, keptByGroup, kept), keptByGroup));
  return kept;
}

/** Drops the channels of slices behind a closed operator gate (a gate group that keeps nothing). */
function withoutClosedGates(node: IrNode, channels: number[], keptByGroup: readonly number[][]): number[] {
  const closed: [number, number][] = [];
  let start = 0;
  for (const slice of node.layout) {
    const end = start + slice.size * slice.repeat;
    if (slice.gates?.some((gate) => (keptByGroup[gate]?.length ?? 0) === 0)) closed.push([start, end]);
    start = end;
  }
  if (closed.length === 0) return channels;
  return channels.filter((c) => !closed.some(([from, to]) => c >= from && c < to));
}

/** By the op's channel rule: a producer's kept group channels, or its inputs' kept channels carried through. */
function keptChannels(ir: Ir, node: IrNode, keptByGroup: readonly number[][], kept: readonly number[][]): number[] {
  const ofInput = kept[node.inputs[0] ?? -1] ?? [];
  switch (channelRule(node.op)) {
    case "produces":
      return producerChannels(ir, node.id, keptByGroup);
    case "passes":
      return passedChannels(node, (ir.nodes[node.inputs[0] ?? -1] as IrNode).shape.channels, ofInput);
    case "flattens":
      return flattenedChannels(ir, node, ofInput);
    case "stacks":
      return concatChannels(ir, node, kept);
    case "joins":
      return ofInput;
  }
}

function producerChannels(ir: Ir, id: number, keptByGroup: readonly number[][]): number[] {
  const channels: number[] = [];
  for (const group of ir.groups) {
    for (const range of group.producers) {
      if (range.node === id) for (const j of keptByGroup[group.id] ?? []) channels.push(range.start + j);
    }
  }
  return channels.sort((a, b) => a - b);
}

/** NHWC flatten: feature (h·W + w)·C + c. */
function flattenedChannels(ir: Ir, node: IrNode, input: readonly number[]): number[] {
  const source = ir.nodes[node.inputs[0] ?? -1] as IrNode;
  const pixels = source.shape.height * source.shape.width;
  const channels = source.shape.channels;
  const out: number[] = [];
  for (let p = 0; p < pixels; p++) for (const c of input) out.push(p * channels + c);
  return out;
}

function concatChannels(ir: Ir, node: IrNode, kept: readonly number[][]): number[] {
  const out: number[] = [];
  let offset = 0;
  for (const input of node.inputs) {
    for (const c of kept[input] ?? []) out.push(offset + c);
    offset += (ir.nodes[input] as IrNode).shape.channels;
  }
  return out;
}

/** Copies the surviving slices of the supernet's weights into the pruned model, layer by layer. */
export function transferWeights(
  supernet: Supernet,
  architecture: PrunedArchitecture,
  pruned: tf.LayersModel,
  keptByGroup: readonly number[][],
): void {
  const kept = keptTensorChannels(supernet.ir, keptByGroup);
  for (const node of architecture.nodes) {
    // Ops without weights may have no layer of their own (identity, a flatten of a vector).
    if (specOf(node.op).weights === undefined) continue;
    const source = supernet.model.getLayer(layerName(node));
    const weights = source.getWeights();
    if (weights.length === 0) continue;
    const original = supernet.ir.nodes[node.id] as IrNode;
    const inputKept = kept[original.inputs[0] ?? -1] ?? [];
    const cut = tf.tidy(() => transferOf(node, weights, inputKept, kept[node.id] ?? []));
    if (cut) {
      pruned.getLayer(layerName(node)).setWeights(cut);
      tf.dispose(cut);
    }
  }
}

/** The one place that pairs a node with the weight transfer of its own op kind (runtime/ops/). */
function transferOf<K extends OpKind>(
  node: EmitNodeOf<K>,
  weights: readonly tf.Tensor[],
  inputKept: readonly number[],
  outputKept: readonly number[],
): tf.Tensor[] | undefined {
  return runtimeOf(node.op).transfer(node, weights, inputKept, outputKept);
}
