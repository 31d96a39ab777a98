/**
 * Weight transfer on export: a layer's weights cut to the kept channels along
 * the axes its op spec names (compiler/ops/, `weights`), in the layer's weight order.
 */
import * as tf from "@tensorflow/tfjs";
import type { OpKind } from "../../compiler/index.js";
import { specOf, type WeightAxes } from "../../compiler/index.js";
import type { EmitNodeOf, WeightTransfer } from "./types.js";

function take(tensor: tf.Tensor, indices: readonly number[], axis: number): tf.Tensor {
  return tf.gather(tensor, tf.tensor1d([...indices], "int32"), axis);
}

function cutAxes(tensor: tf.Tensor, axes: WeightAxes, inputKept: readonly number[], outputKept: readonly number[]) {
  const byInput = axes.input === undefined ? tensor : take(tensor, inputKept, axes.input);
  return axes.output === undefined ? byInput : take(byInput, outputKept, axes.output);
}

/** The first tensor (kernel, γ) and every other (bias, β, moving statistics) cut as the spec says. */
export const cutAlongSpec = <K extends OpKind>(
  node: EmitNodeOf<K>,
  weights: readonly tf.Tensor[],
  inputKept: readonly number[],
  outputKept: readonly number[],
): tf.Tensor[] | undefined => {
  const layout = specOf(node.op).weights;
  if (!layout || layout.cuttable?.(node.attrs) === false) return undefined;
  return weights.map((w, i) => cutAxes(w, i === 0 ? layout.first : layout.rest, inputKept, outputKept));
};

/** An op without weights: nothing to carry over. */
export const noWeights: WeightTransfer<OpKind> = () => undefined;
