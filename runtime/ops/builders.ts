/** The tfjs-layers builder of each primitive (runtime/ops/index.ts pairs them with op kinds). */
import * as tf from "@tensorflow/tfjs";
import { installFastRelu6 } from "./relu6.js";
import type { OpKind } from "../../compiler/index.js";
import { FigsBatchNorm } from "../emit/batch-norm.js";
import { GroupedConv2D } from "../emit/grouped-conv.js";
import { DilatedConv2D } from "./dilated-conv.js";
import { apply, first, layerName, mergeInputs, toFlat, toImage } from "./tensors.js";
import type { LayerBuilder, SymbolicTensor } from "./types.js";

export const input: LayerBuilder<"input"> = (node) => {
  const { height, width, channels } = node.attrs;
  return tf.input({ name: layerName(node), shape: [height, width, channels] });
};

/** A dilation above 1 on either axis: figs's DilatedConv2D (tfjs's layers cannot train one, dilated-conv.ts). */
const dilated = (dilation: readonly [number, number]): boolean => dilation[0] > 1 || dilation[1] > 1;

/** tfjs-layers' Conv2D has no `groups`: a grouped conv is figs's GroupedConv2D. */
export const conv: LayerBuilder<"conv"> = (node, inputs) => {
  const { kernel, stride, padding, width, groups, bias, dilation } = node.attrs;
  const name = layerName(node);
  const input = toImage(first(inputs), name);
  if (dilated(dilation)) {
    const args = { name, filters: width, kernelSize: kernel, dilationRate: dilation, padding, groups, useBias: bias };
    return apply(new DilatedConv2D({ ...args, depthMultiplier: 0 }), input);
  }
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
  const { kernel, stride, padding, multiplier, bias, dilation } = node.attrs;
  const name = layerName(node);
  if (dilated(dilation)) {
    const args = { name, filters: 0, kernelSize: kernel, dilationRate: dilation, padding, groups: 1, useBias: bias };
    return apply(new DilatedConv2D({ ...args, depthMultiplier: multiplier }), toImage(first(inputs), name));
  }
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

/**
 * tfjs-layers' own activations, saved as standard `Activation` layers (tfjs's `gelu` is the exact, erf form;
 * `relu6` runs as one tf.relu6: relu6.ts).
 */
export function activation<K extends "relu" | "relu6" | "sigmoid" | "swish" | "gelu">(kind: K): LayerBuilder<K> {
  if (kind === "relu6") installFastRelu6();
  return (node, inputs) => apply(tf.layers.activation({ name: layerName(node), activation: kind }), first(inputs));
}

/**
 * relu6(x + 3) / 6 from standard layers (Rescaling, relu6, Rescaling), so an
 * export opens with plain `tf.loadLayersModel`; tfjs's own `hardSigmoid` is
 * Keras's 0.2x + 0.5. The last layer carries `name`.
 */
function hardSigmoidLayers(x: SymbolicTensor, name: string): SymbolicTensor {
  const shifted = apply(tf.layers.rescaling({ name: `${name}_plus3`, scale: 1, offset: 3 }), x);
  const clipped = apply(tf.layers.activation({ name: `${name}_relu6`, activation: "relu6" }), shifted);
  return apply(tf.layers.rescaling({ name, scale: 1 / 6, offset: 0 }), clipped);
}

export const hardsigmoid: LayerBuilder<"hardsigmoid"> = (node, inputs) =>
  hardSigmoidLayers(first(inputs), layerName(node));

/** x·relu6(x + 3) / 6: x times its hardsigmoid, a standard Multiply. */
export const hardswish: LayerBuilder<"hardswish"> = (node, inputs) => {
  const name = layerName(node);
  const x = first(inputs);
  return apply(tf.layers.multiply({ name }), [x, hardSigmoidLayers(x, `${name}_gate`)]);
};

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

/**
 * PyTorch's AdaptiveAvgPool2d where it pools or repeats evenly (the shape
 * rule allows no other): an average pool over the axes that shrink, then a
 * nearest-neighbour upsampling of the axes that grow; standard layers.
 */
export const adaptive_avgpool: LayerBuilder<"adaptive_avgpool"> = (node, inputs) => {
  const name = layerName(node);
  let x = toImage(first(inputs), name);
  const from = [x.shape[1] as number, x.shape[2] as number];
  const to = node.attrs.size;
  const pool = from.map((size, axis) => (size >= to[axis]! ? size / to[axis]! : 1)) as [number, number];
  const grow = from.map((size, axis) => (size < to[axis]! ? to[axis]! / size : 1)) as [number, number];
  const growing = grow.some((g) => g > 1);
  if (pool.some((p) => p > 1) || !growing) {
    const args = { name: growing ? `${name}_pool` : name, poolSize: pool, strides: pool, padding: "valid" as const };
    x = apply(tf.layers.averagePooling2d(args), x);
  }
  return growing ? apply(tf.layers.upSampling2d({ name, size: grow }), x) : x;
};

/** Stochastic depth: a dropout whose noise is one value per sample (torchvision's StochasticDepth, mode "row"). */
export const drop_path: LayerBuilder<"drop_path"> = (node, inputs) => {
  const x = first(inputs);
  const noiseShape = [null, ...x.shape.slice(1).map(() => 1)] as unknown as number[];
  return apply(tf.layers.dropout({ name: layerName(node), rate: node.attrs.rate, noiseShape }), x);
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
