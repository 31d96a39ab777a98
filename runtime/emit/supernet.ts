/**
 * IR → tfjs models.
 *
 * Why a functional tf.LayersModel and not a class with explicit variables:
 * the same builder (layers.ts) makes the masked supernet and the pruned
 * export, so both count parameters and order channels the same way; batch
 * norm's moving statistics, dropout and training/evaluation come from
 * tfjs-layers as they are; and the supernet itself saves and loads like any
 * LayersModel (its two custom layers are registered), which checkpoints need.
 */
import * as tf from "@tensorflow/tfjs";
import type { Ir, IrNode } from "../../compiler/index.js";
import { isMaskable, isSource, masksAfter } from "../../compiler/index.js";
import {
  ApplyMask,
  DEFAULT_MASK_OPTIONS,
  GroupMasks,
  type GroupMasksOptions,
  type MaskGroupSpec,
} from "./mask-layers.js";
import { buildLayer, layerName, type EmitNode, type SymbolicTensor } from "./layers.js";

export type SupernetOptions = Partial<GroupMasksOptions>;

export interface Supernet {
  readonly model: tf.LayersModel;
  readonly masks: GroupMasks;
  readonly ir: Ir;
  /** Producer node id → the node after which its mask is applied (itself, or the bn that follows it). */
  readonly maskSites: ReadonlyMap<number, number>;
}

/** A model from plain nodes (no masks): what an exported architecture becomes. */
export function emitModel(nodes: readonly EmitNode[], output: number, name: string): tf.LayersModel {
  const tensors = buildGraph(nodes, () => undefined);
  return tf.model({ name, inputs: inputTensors(nodes, tensors), outputs: outputTensor(tensors, output) });
}

/**
 * The supernet of an IR: every producer with searchable channels has its
 * output multiplied by those channels' masks, once, where the channels are
 * made. When a producer's only consumer is a batch norm, the mask goes after
 * the batch norm: a channel masked before it would come out as β, not 0, and
 * the supernet would not compute what the pruned network computes.
 */
export function emitSupernet(ir: Ir, options: SupernetOptions = {}): Supernet {
  const maskOptions: GroupMasksOptions = { ...DEFAULT_MASK_OPTIONS, ...options };
  const masks = new GroupMasks({ name: "figs_masks", groups: searchableGroups(ir), ...maskOptions });
  const sites = maskSites(ir);
  const indicesBySite = new Map<number, number[]>();
  for (const [producer, site] of sites) indicesBySite.set(site, maskIndices(ir, producer));
  const gates = gateIndices(ir);
  let maskTensor: SymbolicTensor | undefined;
  const tensors = buildGraph(ir.nodes, (node, built) => {
    if (isSource(node.op)) maskTensor ??= masks.apply(built) as SymbolicTensor;
    const indices = indicesBySite.get(node.id) ?? gates.get(node.id);
    if (!indices || !maskTensor) return undefined;
    const name = gates.has(node.id) ? `gate_${node.id}` : `mask_${node.id}`;
    return new ApplyMask({ name, indices }).apply([built, maskTensor]) as SymbolicTensor;
  });
  const model = tf.model({
    name: `${ir.space}_supernet`,
    inputs: inputTensors(ir.nodes, tensors),
    outputs: outputTensor(tensors, ir.output),
  });
  return { model, masks, ir, maskSites: sites };
}

/** A hook after each node's layer: returns a replacement for its output (the masked output), or undefined. */
type AfterNode = (node: EmitNode, built: SymbolicTensor) => SymbolicTensor | undefined;

function buildGraph(nodes: readonly EmitNode[], after: AfterNode): Map<number, SymbolicTensor> {
  const tensors = new Map<number, SymbolicTensor>();
  for (const node of nodes) {
    const inputs = node.inputs.map((id) => tensors.get(id)).filter((t): t is SymbolicTensor => t !== undefined);
    const built = buildLayer(node, inputs);
    tensors.set(node.id, after(node, built) ?? built);
  }
  return tensors;
}

function inputTensors(nodes: readonly EmitNode[], tensors: ReadonlyMap<number, SymbolicTensor>): SymbolicTensor[] {
  return nodes.filter((n) => isSource(n.op)).map((n) => tensors.get(n.id) as SymbolicTensor);
}

function outputTensor(tensors: ReadonlyMap<number, SymbolicTensor>, output: number): SymbolicTensor {
  const tensor = tensors.get(output);
  if (!tensor) throw new Error(`emit: the output node ${output} was not built`);
  return tensor;
}

/** Searchable groups in π order, so the layer's concatenated ν lines up with the IR offsets. */
export function searchableGroups(ir: Ir): MaskGroupSpec[] {
  return ir.groups
    .filter((g) => g.searchable && g.offset >= 0)
    .sort((a, b) => a.offset - b.offset)
    .map((g) => ({ id: g.id, size: g.size }));
}

/** For each output channel of a producer: its index in π, or −1 when it has no mask. */
export function maskIndices(ir: Ir, producer: number): number[] {
  const node = ir.nodes[producer] as IrNode;
  const indices = new Array<number>(node.shape.channels).fill(-1);
  for (const group of ir.groups) {
    if (!group.searchable || group.offset < 0) continue;
    for (const range of group.producers) {
      if (range.node !== producer) continue;
      for (let j = 0; j < range.end - range.start; j++) indices[range.start + j] = group.offset + j;
    }
  }
  return indices;
}

/** Gate node → its one mask's π index for every channel: an operator gate scales the whole tensor. */
export function gateIndices(ir: Ir): Map<number, number[]> {
  const indices = new Map<number, number[]>();
  for (const group of ir.groups) {
    if (group.gate === undefined || group.offset < 0) continue;
    const node = ir.nodes[group.gate] as IrNode;
    indices.set(node.id, new Array<number>(node.shape.channels).fill(group.offset));
  }
  return indices;
}

/**
 * Producer (conv/dense with any masked channel) → node after which its mask
 * is applied: itself, or its only consumer when that op's spec says so (bn).
 */
export function maskSites(ir: Ir): Map<number, number> {
  const consumers = new Map<number, number[]>();
  for (const node of ir.nodes)
    for (const input of node.inputs) consumers.set(input, [...(consumers.get(input) ?? []), node.id]);
  const sites = new Map<number, number>();
  for (const node of ir.nodes) {
    if (!isMaskable(node.op)) continue;
    if (!maskIndices(ir, node.id).some((i) => i >= 0)) continue;
    const next = consumers.get(node.id) ?? [];
    const follower = next.length === 1 && node.id !== ir.output ? ir.nodes[next[0] as number] : undefined;
    sites.set(node.id, follower && masksAfter(follower.op) ? follower.id : node.id);
  }
  return sites;
}

export { layerName };
