/** The tfjs-layers builder of each primitive (runtime/ops/index.ts pairs them with op kinds). */
import * as tf from "@tensorflow/tfjs";
import type { OpKind } from "../../compiler/index.js";
import { FigsBatchNorm } from "../emit/batch-norm.js";
import { GroupedConv2D } from "../emit/grouped-conv.js";
import { HardSigmoid, HardSwish } from "./hard-activations.js";
import { apply, first, layerName, mergeInputs, toFlat, toImage } from "./tensors.js";
import type { LayerBuilder } from "./types.js";

export const input: LayerBuilder<"input"> = (node) => {
  const { height, width, channels } = node.attrs;
  return tf.input({ name: layerName(node), shape: [height, width, channels] });
};

/** tfjs-layers' Conv2D has no `groups`: a grouped conv is figs's GroupedConv2D. */
export const conv: LayerBuilder<"conv"> = (node, inputs) => {
  const { kernel, stride, padding, width, groups, bias } = node.attrs;
  const name = layerName(node);
  const input = toImage(first(inputs), name);
  if (groups > 1) {
    return apply(
      new GroupedConv2D({ name, filters: width, kernelSize: kernel, strides: stride, padding, groups, useBias: bias }),
      input,
    );
  }
  return apply(
    tf.layers.conv2d({ name, filters: width, kernelSize: [...kernel], strides: [...stride], padding, useBias: bias }),
    input,
  );
};

export const dwconv: LayerBuilder<"dwconv"> = (node, inputs) => {
  const { kernel, stride, padding, multiplier, bias } = node.attrs;
  const name = layerName(node);
  const layer = tf.layers.depthwiseConv2d({
    name,
    kernelSize: [...kernel],
    strides: [...stride],
    padding,
    depthMultiplier: multiplier,
    useBias: bias,
  });
  return apply(layer, toImage(first(inputs), name));
};

export const dense: LayerBuilder<"dense"> = (node, inputs) => {
  const name = layerName(node);
  return apply(
    tf.layers.dense({ name, units: node.attrs.width, useBias: node.attrs.bias }),
    toFlat(first(inputs), name),
  );
};

export const bn: LayerBuilder<"bn"> = (node, inputs) =>
  apply(new FigsBatchNorm({ name: layerName(node) }), first(inputs));

/** tfjs-layers' own activations, saved as standard `Activation` layers (tfjs's `gelu` is the exact, erf form). */
export function activation<K extends "relu" | "relu6" | "sigmoid" | "swish" | "gelu">(kind: K): LayerBuilder<K> {
  return (node, inputs) => apply(tf.layers.activation({ name: layerName(node), activation: kind }), first(inputs));
}

export const hardsigmoid: LayerBuilder<"hardsigmoid"> = (node, inputs) =>
  apply(new HardSigmoid({ name: layerName(node) }), first(inputs));

export const hardswish: LayerBuilder<"hardswish"> = (node, inputs) =>
  apply(new HardSwish({ name: layerName(node) }), first(inputs));

export function pool<K extends "maxpool" | "avgpool">(kind: K): LayerBuilder<K> {
  return (node, inputs) => {
    const { kernel, stride, padding } = node.attrs;
    const name = layerName(node);
    const args = {
      name,
      poolSize: [kernel[0], kernel[1]] as [number, number],
      strides: [stride[0], stride[1]] as [number, number],
      padding,
    };
    const layer = kind === "maxpool" ? tf.layers.maxPooling2d(args) : tf.layers.averagePooling2d(args);
    return apply(layer, toImage(first(inputs), name));
  };
}

export const global_avgpool: LayerBuilder<"global_avgpool"> = (node, inputs) => {
  const name = layerName(node);
  return apply(tf.layers.globalAveragePooling2d({ name }), toImage(first(inputs), name));
};

export const flatten: LayerBuilder<"flatten"> = (node, inputs) => toFlat(first(inputs), layerName(node));

export const dropout: LayerBuilder<"dropout"> = (node, inputs) =>
  apply(tf.layers.dropout({ name: layerName(node), rate: node.attrs.rate }), first(inputs));

export const passThrough =
  <K extends OpKind>(): LayerBuilder<K> =>
  (_node, inputs) =>
    first(inputs);

export const concat: LayerBuilder<"concat"> = (node, inputs) => {
  const name = layerName(node);
  return inputs.length === 1
    ? first(inputs)
    : apply(tf.layers.concatenate({ name, axis: -1 }), mergeInputs(inputs, name));
};

export const add: LayerBuilder<"add"> = (node, inputs) => {
  const name = layerName(node);
  return inputs.length === 1 ? first(inputs) : apply(tf.layers.add({ name }), mergeInputs(inputs, name));
};

/** tfjs's Multiply broadcasts a [1, 1, C] gate over [H, W, C]: a standard layer, so exports load with plain tfjs. */
export const mul: LayerBuilder<"mul"> = (node, inputs) => {
  const name = layerName(node);
  return inputs.length === 1 ? first(inputs) : apply(tf.layers.multiply({ name }), mergeInputs(inputs, name));
};
