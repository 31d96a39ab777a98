/**
 * Initialise a pruned model from the supernet's surviving channels: each
 * group keeps its `width` channels with the largest ν, and every weight
 * tensor is cut to the kept input and output channels. With widths equal to
 * the count of ν > 0, the pruned model computes what the supernet computes in
 * evaluation mode (masks 1[ν > 0]); tests check it.
 */
import * as tf from "@tensorflow/tfjs";
import type { Ir, IrNode } from "../../compiler/ir/types.js";
import { layerName } from "../emit/layers.js";
import type { Supernet } from "../emit/supernet.js";
import type { PrunedArchitecture, PrunedNode } from "./prune.js";

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
  const ofInput = (node: IrNode, k = 0): number[] => kept[node.inputs[k] ?? -1] ?? [];
  for (const node of ir.nodes) {
    if (node.op === "conv" || node.op === "dense" || node.op === "input")
      kept.push(producerChannels(ir, node.id, keptByGroup));
    else if (node.op === "dwconv")
      kept.push(
        ofInput(node).flatMap((c) =>
          Array.from({ length: node.attrs.multiplier }, (_, j) => c * node.attrs.multiplier + j),
        ),
      );
    else if (node.op === "flatten") kept.push(flattenedChannels(ir, node, ofInput(node)));
    else if (node.op === "concat") kept.push(concatChannels(ir, node, kept));
    else kept.push(ofInput(node));
  }
  return kept;
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

/** Ops whose layer has weights; the others may have no layer of their own (identity, a flatten of a vector). */
const WEIGHTED_OPS: ReadonlySet<string> = new Set(["conv", "dwconv", "dense", "bn"]);

/** Copies the surviving slices of the supernet's weights into the pruned model, layer by layer. */
export function transferWeights(
  supernet: Supernet,
  architecture: PrunedArchitecture,
  pruned: tf.LayersModel,
  keptByGroup: readonly number[][],
): void {
  const kept = keptTensorChannels(supernet.ir, keptByGroup);
  for (const node of architecture.nodes) {
    if (!WEIGHTED_OPS.has(node.op)) continue;
    const source = supernet.model.getLayer(layerName(node));
    const weights = source.getWeights();
    if (weights.length === 0) continue;
    const original = supernet.ir.nodes[node.id] as IrNode;
    const inputKept = kept[original.inputs[0] ?? -1] ?? [];
    const cut = tf.tidy(() => cutWeights(node, weights, inputKept, kept[node.id] ?? []));
    if (cut) {
      pruned.getLayer(layerName(node)).setWeights(cut);
      tf.dispose(cut);
    }
  }
}

function take(tensor: tf.Tensor, indices: readonly number[], axis: number): tf.Tensor {
  return tf.gather(tensor, tf.tensor1d([...indices], "int32"), axis);
}

/** The kept slices of one layer's weights, in the layer's weight order; undefined leaves the layer as initialised. */
function cutWeights(
  node: PrunedNode,
  weights: tf.Tensor[],
  inputKept: readonly number[],
  outputKept: readonly number[],
): tf.Tensor[] | undefined {
  const [kernel, ...rest] = weights as [tf.Tensor, ...tf.Tensor[]];
  switch (node.op) {
    case "conv":
      // A grouped conv's kernel mixes channels per group; it is retrained from its initialisation.
      if (node.attrs.groups > 1) return undefined;
      return [take(take(kernel, inputKept, 2), outputKept, 3), ...rest.map((bias) => take(bias, outputKept, 0))];
    case "dwconv": {
      const channels = inputKept;
      return [take(kernel, channels, 2), ...rest.map((bias) => take(bias, outputKept, 0))];
    }
    case "dense":
      return [take(take(kernel, inputKept, 0), outputKept, 1), ...rest.map((bias) => take(bias, outputKept, 0))];
    case "bn":
      return weights.map((w) => take(w, outputKept, 0));
    default:
      return undefined;
  }
}
