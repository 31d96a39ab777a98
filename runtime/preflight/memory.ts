/**
 * Will a search or retraining fit in memory? Estimated from the IR before
 * any tensor exists, because tfjs finds out only when an allocation fails: a
 * space with `conv(3, 100000000)` searched for 141 s, grew to ~9 GB and died
 * with a RangeError. The estimate is meant to be on the high side: what every
 * training step holds at its peak, the weights with Adam's two slots and their
 * gradients, and every activation of the batch kept for the backward pass.
 *
 * Checked against reality (2026-12, this 2-core machine, wasm backend, one
 * kernel thread): peak RSS (/usr/bin/time) of `figs search … --limit 2000`
 * against the estimate with the 2,000 + 2,000 images counted as data:
 *
 * | space, --set                                   | batch | steps | peak RSS | estimate | ratio |
 * |------------------------------------------------|-------|-------|----------|----------|-------|
 * | mnist_convnet width=8,hidden=32                |    64 |     5 |   268 MB |   294 MB |  1.10 |
 * | mnist_convnet width=32,hidden=128              |   256 |     3 |   807 MB |   992 MB |  1.23 |
 * | mnist_convnet width=64,hidden=128              |   256 |     3 | 1,439 MB | 1,737 MB |  1.21 |
 * | fbnet size=28,channels=1,classes=10,figs_variant=true | 64 | 2 | 1,194 MB | 1,268 MB |  1.06 |
 *
 * The tensor part alone against the wasm heap after 3 steps: 1.17, 1.19 and
 * 1.15 for the first, third and fourth rows (47/40, 1,490/1,250, 922/804 MB).
 */
import type { Ir, IrNode, OpKind } from "../../compiler/index.js";
import type { Dataset } from "../data/dataset.js";
import { layoutChannels } from "../export/prune.js";

export type TrainingMode = "search" | "retrain";

export interface MemoryOptions {
  readonly batchSize: number;
  readonly mode: TrainingMode;
  /** Widths per group id when training a cut of the space (retrain of an arch.json); default: full width. */
  readonly widths?: ArrayLike<number>;
  /** Bytes of the loaded dataset (`datasetBytes(dataset)`), which stays in JS memory during training. */
  readonly dataBytes?: number;
}

/** Bytes, by what holds them. */
export interface MemoryParts {
  /** Weights, batch-norm moving statistics and (search) the mask logits ν: 4 bytes each. */
  readonly weights: number;
  /** Adam's two slots per trainable value. */
  readonly optimizer: number;
  /** One gradient per trainable value. */
  readonly gradients: number;
  /** Every op's outputs for the batch, kept until the backward pass, and the backward pass's gradients of them. */
  readonly activations: number;
  /** Search only: each masked producer's output multiplied by its masks, a second copy (and its gradient). */
  readonly masks: number;
  readonly data: number;
  /** Node, tfjs and its backend before any tensor, and JS objects per node of the graph. */
  readonly runtime: number;
}

export interface LargestTensor {
  readonly bytes: number;
  readonly node: IrNode;
  readonly what: "weights" | "activation";
}

export interface MemoryEstimate {
  readonly space: string;
  /** The space's parameters, so a message can say which to make smaller with --set. */
  readonly parameters: Readonly<Record<string, unknown>>;
  readonly mode: TrainingMode;
  readonly batchSize: number;
  /** Trainable values (weights, biases, batch-norm scales and shifts; ν in a search). */
  readonly trainable: number;
  readonly parts: MemoryParts;
  /** What tfjs holds in tensors: everything but data and runtime (on wasm, what its heap must hold). */
  readonly tensorBytes: number;
  readonly total: number;
  /** Activation and mask bytes of one image of the batch, so the batch that would fit can be worked out. */
  readonly perImage: number;
  readonly largest: LargestTensor;
}

const FLOAT = 4;
/** Node, tfjs and the wasm backend before any tensor: 200–215 MB measured after start-up, 230 with the CLI. */
export const RUNTIME_BYTES = 230 * 2 ** 20;
/**
 * JS memory that grows with the graph (tfjs layers, the step's tape, the IR):
 * a search of FBNet (417 nodes) held ~160 MB more outside the wasm heap than
 * one of a 20-node space.
 */
export const NODE_BYTES = 2 ** 18;

/**
 * Output-sized buffers an op's forward pass leaves alive until the backward
 * pass, per element of its output: tfjs keeps every intermediate of the step
 * until the gradients are computed. Measured with `tf.profile` on wasm: one
 * buffer for a conv (bias fused), a batch norm (figs's fused kernel), an
 * activation or a pool; swish is a sigmoid and a product, dropout a mask and
 * the output; hardsigmoid is x + 3, its relu6 and a quotient (hardswish also a
 * product); gelu is x/√2, its erf, 1 + erf, a half and the product; an identity makes nothing.
 * Issue 13's channel ops are estimates, not measured: a shuffle's transpose (and its reshapes), a
 * split's two transposes and its crop, a layer norm's centred input, its square, the normalised
 * value and the output, a layer scale's product.
 */
const KEPT: Readonly<Record<OpKind, number>> = {
  input: 1,
  conv: 1,
  dwconv: 1,
  dense: 1,
  bn: 1,
  relu: 1,
  relu6: 1,
  sigmoid: 1,
  swish: 2,
  hardsigmoid: 3,
  hardswish: 4,
  gelu: 5,
  maxpool: 1,
  avgpool: 1,
  global_avgpool: 1,
  adaptive_avgpool: 1,
  flatten: 1,
  dropout: 2,
  drop_path: 2,
  identity: 0,
  gate: 0,
  concat: 1,
  add: 1,
  mul: 1,
  channel_shuffle: 2,
  split: 3,
  layer_norm: 4,
  layer_scale: 1,
};

/**
 * The backward pass as a multiple of the forward pass's buffers: tfjs keeps
 * the gradient of every intermediate until all gradients are computed, and
 * the gradient kernels add temporaries. Measured on wasm (`tf.profile` of a
 * search step against a forward pass in `tf.tidy`): 2.36× on
 * mnist_convnet width 64, batch 256; rounded up.
 */
const BACKWARD = 2.4;

/** Memory a training step of this IR needs at its peak, by part (see MemoryParts). */
export function estimateTrainingMemory(ir: Ir, options: MemoryOptions): MemoryEstimate {
  const channels = (node: IrNode): number =>
    options.widths ? layoutChannels(node, options.widths) : node.shape.channels;
  const counts = countValues(ir, channels, options.mode);
  const images = countActivations(ir, channels, options.mode);
  const { batchSize } = options;
  const parts: MemoryParts = {
    weights: FLOAT * (counts.trainable + counts.moving),
    optimizer: 2 * FLOAT * counts.trainable,
    gradients: FLOAT * counts.trainable,
    activations: BACKWARD * FLOAT * batchSize * images.activations,
    masks: BACKWARD * FLOAT * batchSize * images.masks,
    data: options.dataBytes ?? 0,
    runtime: RUNTIME_BYTES + NODE_BYTES * ir.nodes.length,
  };
  const tensorBytes = parts.weights + parts.optimizer + parts.gradients + parts.activations + parts.masks;
  const activation = {
    bytes: FLOAT * batchSize * images.largest.elements,
    node: images.largest.node,
    what: "activation" as const,
  };
  const weights = { bytes: FLOAT * counts.largest.values, node: counts.largest.node, what: "weights" as const };
  return {
    space: ir.space,
    parameters: ir.parameters,
    mode: options.mode,
    batchSize,
    trainable: counts.trainable,
    parts,
    tensorBytes,
    total: tensorBytes + parts.data + parts.runtime,
    perImage: BACKWARD * FLOAT * (images.activations + images.masks),
    largest: activation.bytes >= weights.bytes ? activation : weights,
  };
}

interface ValueCounts {
  readonly trainable: number;
  readonly moving: number;
  readonly largest: { readonly values: number; readonly node: IrNode };
}

function countValues(ir: Ir, channels: (node: IrNode) => number, mode: TrainingMode): ValueCounts {
  let trainable = mode === "search" ? ir.maskVariables : 0;
  let moving = 0;
  let largest = { values: 0, node: ir.nodes[0] as IrNode };
  for (const node of ir.nodes) {
    const inputChannels = node.inputs.length > 0 ? channels(ir.nodes[node.inputs[0] as number] as IrNode) : 0;
    const values = weightValues(node, inputChannels, channels(node));
    trainable += values.trainable;
    moving += values.moving;
    if (values.largest > largest.values) largest = { values: values.largest, node };
  }
  return { trainable, moving, largest };
}

/** A node's weights: trainable values, moving statistics, and its largest single weight tensor. */
function weightValues(
  node: IrNode,
  inputs: number,
  outputs: number,
): { trainable: number; moving: number; largest: number } {
  const bias = (on: boolean): number => (on ? outputs : 0);
  switch (node.op) {
    case "conv": {
      const kernel = node.attrs.kernel[0] * node.attrs.kernel[1] * Math.ceil(inputs / node.attrs.groups) * outputs;
      return { trainable: kernel + bias(node.attrs.bias), moving: 0, largest: kernel };
    }
    case "dwconv": {
      const kernel = node.attrs.kernel[0] * node.attrs.kernel[1] * outputs;
      return { trainable: kernel + bias(node.attrs.bias), moving: 0, largest: kernel };
    }
    case "dense":
      return { trainable: inputs * outputs + bias(node.attrs.bias), moving: 0, largest: inputs * outputs };
    case "bn":
      return { trainable: 2 * outputs, moving: 2 * outputs, largest: outputs };
    default:
      return { trainable: 0, moving: 0, largest: 0 };
  }
}

interface ActivationCounts {
  /** Values per image the forward pass keeps for the backward pass. */
  readonly activations: number;
  readonly masks: number;
  readonly largest: { readonly elements: number; readonly node: IrNode };
}

function countActivations(ir: Ir, channels: (node: IrNode) => number, mode: TrainingMode): ActivationCounts {
  let activations = 0;
  let masks = 0;
  let largest = { elements: 0, node: ir.nodes[0] as IrNode };
  for (const node of ir.nodes) {
    const elements = node.shape.height * node.shape.width * channels(node);
    activations += elements * KEPT[node.op];
    if (mode === "search" && isMasked(ir, node)) masks += elements;
    if (elements > largest.elements) largest = { elements, node };
  }
  return { activations, masks, largest };
}

/** A conv or dense with searchable channels: the supernet multiplies its output by their masks. */
function isMasked(ir: Ir, node: IrNode): boolean {
  if (node.op !== "conv" && node.op !== "dense") return false;
  return node.layout.some((slice) => ir.groups[slice.group]?.searchable === true);
}

/** Bytes of a loaded dataset's images and labels, for `MemoryOptions.dataBytes`. */
export function datasetBytes(dataset: Pick<Dataset, "train" | "test" | "validation">): number {
  const splits = [dataset.train, dataset.test, ...(dataset.validation ? [dataset.validation] : [])];
  return splits.reduce((total, split) => total + split.images.byteLength + split.labels.byteLength, 0);
}
