/**
 * Helpers the layer builders share. Tensors after `global_avgpool`, `flatten`
 * and `dense` are rank 2 in tfjs ([batch, C]) while the IR calls them 1×1×C;
 * ops that need an image get a parameter-free reshape to [1, 1, C] and
 * `dense` a flatten of a 1×1 image, which keep the channel order and add
 * nothing to `countParams()`.
 */
import * as tf from "@tensorflow/tfjs";
import type { OpKind } from "../../compiler/index.js";
import type { SymbolicTensor } from "./types.js";

/** The tfjs layer name of a node: stable across the supernet and its pruned models, so weights can be matched. */
export function layerName(node: { readonly op: OpKind; readonly id: number }): string {
  return `${node.op}_${node.id}`;
}

export function apply(layer: tf.layers.Layer, input: SymbolicTensor | SymbolicTensor[]): SymbolicTensor {
  return layer.apply(input) as SymbolicTensor;
}

export function first(inputs: readonly SymbolicTensor[]): SymbolicTensor {
  const input = inputs[0];
  if (!input) throw new Error("emit: an op without an input reached the layer builder");
  return input;
}

export function toImage(tensor: SymbolicTensor, name: string): SymbolicTensor {
  if (tensor.shape.length === 4) return tensor;
  const channels = tensor.shape[tensor.shape.length - 1] as number;
  return apply(tf.layers.reshape({ targetShape: [1, 1, channels], name: `${name}_to_image` }), tensor);
}

export function toFlat(tensor: SymbolicTensor, name: string): SymbolicTensor {
  return tensor.shape.length === 2 ? tensor : apply(tf.layers.flatten({ name: `${name}_flat` }), tensor);
}

/**
 * Inputs of a concat/add: all as images when ranks are mixed (possible only at
 * 1×1), and a repeated tensor (e.g. two identity branches) through a linear
 * activation: tfjs's executor counts a layer's recipients per distinct tensor
 * and would free a tensor passed twice after its first use.
 */
export function mergeInputs(inputs: readonly SymbolicTensor[], name: string): SymbolicTensor[] {
  const ranked = inputs.every((t) => t.shape.length === 2)
    ? [...inputs]
    : inputs.map((t, i) => toImage(t, `${name}_${i}`));
  const seen = new Set<SymbolicTensor>();
  return ranked.map((t, i) => {
    if (!seen.has(t)) {
      seen.add(t);
      return t;
    }
    return apply(tf.layers.activation({ name: `${name}_copy_${i}`, activation: "linear" }), t);
  });
}
