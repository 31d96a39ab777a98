/**
 * Builders of the channel ops ShuffleNet and ConvNeXt need, all from standard
 * tfjs layers so an export opens with plain `tf.loadLayersModel`; the last
 * layer of each carries the node's name (the one with weights, where there are any).
 */
import * as tf from "@tensorflow/tfjs";
import { LAYER_NORM_EPSILON } from "../../compiler/index.js";
import { apply, first, layerName, toImage } from "./tensors.js";
import type { LayerBuilder, SymbolicTensor } from "./types.js";

function imageShape(x: SymbolicTensor): [number, number, number] {
  return [x.shape[1] as number, x.shape[2] as number, x.shape[3] as number];
}

/**
 * PyTorch's reshape(B, G, C/G, H, W).transpose(1, 2) in NHWC: Reshape to
 * [H, W, G, C/G], Permute to [H, W, C/G, G], Reshape back to [H, W, C].
 */
export const channel_shuffle: LayerBuilder<"channel_shuffle"> = (node, inputs) => {
  const name = layerName(node);
  const x = toImage(first(inputs), name);
  const [height, width, channels] = imageShape(x);
  const groups = node.attrs.groups;
  const split = tf.layers.reshape({ name: `${name}_groups`, targetShape: [height, width, groups, channels / groups] });
  const swapped = apply(tf.layers.permute({ name: `${name}_swap`, dims: [1, 2, 4, 3] }), apply(split, x));
  return apply(tf.layers.reshape({ name, targetShape: [height, width, channels] }), swapped);
};

/**
 * Channels [from, to) of an image: Permute the channels onto the width axis,
 * Cropping2D them, Permute back.
 */
export const split: LayerBuilder<"split"> = (node, inputs) => {
  const name = layerName(node);
  const x = toImage(first(inputs), name);
  const channels = imageShape(x)[2];
  const size = channels / node.attrs.parts;
  const from = (node.attrs.part - 1) * size;
  const across = apply(tf.layers.permute({ name: `${name}_across`, dims: [1, 3, 2] }), x);
  const cropping: [[number, number], [number, number]] = [
    [0, 0],
    [from, channels - from - size],
  ];
  const cropped = apply(tf.layers.cropping2D({ name: `${name}_crop`, cropping }), across);
  return apply(tf.layers.permute({ name, dims: [1, 3, 2] }), cropped);
};

/** tfjs's LayerNormalization over the last (channel) axis: γ and β per channel, epsilon 1e-6. */
export const layer_norm: LayerBuilder<"layer_norm"> = (node, inputs) =>
  apply(tf.layers.layerNormalization({ name: layerName(node), axis: -1, epsilon: LAYER_NORM_EPSILON }), first(inputs));

/** γ per channel as a 1x1 depthwise conv without bias (C weights), initialised to `init`. */
export const layer_scale: LayerBuilder<"layer_scale"> = (node, inputs) => {
  const name = layerName(node);
  const layer = tf.layers.depthwiseConv2d({
    name,
    kernelSize: 1,
    useBias: false,
    depthwiseInitializer: tf.initializers.constant({ value: node.attrs.init }),
  });
  return apply(layer, toImage(first(inputs), name));
};
