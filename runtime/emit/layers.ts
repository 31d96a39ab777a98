/**
 * One tfjs-layers builder per primitive op: an exhaustive table, so a new op
 * in compiler/graph.ts is a type error here until it is emitted.
 *
 * Tensors after `global_avgpool`, `flatten` and `dense` are rank 2 in tfjs
 * ([batch, C]) while the IR calls them 1×1×C; ops that need an image get a
 * parameter-free reshape to [1, 1, C] and `dense` a flatten of a 1×1 image,
 * which keep the channel order and add nothing to `countParams()`.
 */
import * as tf from "@tensorflow/tfjs";
import type { OpAttrs, OpKind } from "../../compiler/graph.js";
import { FigsBatchNorm } from "./batch-norm.js";
import { GroupedConv2D } from "./grouped-conv.js";

export type SymbolicTensor = tf.SymbolicTensor;

/** What the emitter needs of a node: the IR node without provenance or masks. */
export interface EmitNodeOf<K extends OpKind> {
  readonly id: number;
  readonly op: K;
  readonly attrs: OpAttrs[K];
  readonly inputs: readonly number[];
  readonly shape: { readonly height: number; readonly width: number; readonly channels: number };
}

export type EmitNode = { [K in OpKind]: EmitNodeOf<K> }[OpKind];

type LayerBuilder<K extends OpKind> = (node: EmitNodeOf<K>, inputs: readonly SymbolicTensor[]) => SymbolicTensor;

/** The tfjs layer name of a node: stable across the supernet and its pruned models, so weights can be matched. */
export function layerName(node: { readonly op: OpKind; readonly id: number }): string {
  return `${node.op}_${node.id}`;
}

function apply(layer: tf.layers.Layer, input: SymbolicTensor | SymbolicTensor[]): SymbolicTensor {
  return layer.apply(input) as SymbolicTensor;
}

function first(inputs: readonly SymbolicTensor[]): SymbolicTensor {
  const input = inputs[0];
  if (!input) throw new Error("emit: an op without an input reached the layer builder");
  return input;
}

function toImage(tensor: SymbolicTensor, name: string): SymbolicTensor {
  if (tensor.shape.length === 4) return tensor;
  const channels = tensor.shape[tensor.shape.length - 1] as number;
  return apply(tf.layers.reshape({ targetShape: [1, 1, channels], name: `${name}_to_image` }), tensor);
}

function toFlat(tensor: SymbolicTensor, name: string): SymbolicTensor {
  return tensor.shape.length === 2 ? tensor : apply(tf.layers.flatten({ name: `${name}_flat` }), tensor);
}

/**
 * Inputs of a concat/add: all as images when ranks are mixed (possible only at
 * 1×1), and a repeated tensor (e.g. two identity branches) through a linear
 * activation: tfjs's executor counts a layer's recipients per distinct tensor
 * and would free a tensor passed twice after its first use.
 */
function mergeInputs(inputs: readonly SymbolicTensor[], name: string): SymbolicTensor[] {
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

const conv: LayerBuilder<"conv"> = (node, inputs) => {
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

const dwconv: LayerBuilder<"dwconv"> = (node, inputs) => {
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

const dense: LayerBuilder<"dense"> = (node, inputs) => {
  const name = layerName(node);
  return apply(
    tf.layers.dense({ name, units: node.attrs.width, useBias: node.attrs.bias }),
    toFlat(first(inputs), name),
  );
};

function activation(kind: "relu" | "relu6" | "sigmoid" | "swish"): LayerBuilder<typeof kind> {
  return (node, inputs) => apply(tf.layers.activation({ name: layerName(node), activation: kind }), first(inputs));
}

function pool(kind: "maxpool" | "avgpool"): LayerBuilder<typeof kind> {
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

const passThrough =
  <K extends OpKind>(): LayerBuilder<K> =>
  (_node, inputs) =>
    first(inputs);

export const LAYER_BUILDERS: { readonly [K in OpKind]: LayerBuilder<K> } = {
  input: (node) => {
    const { height, width, channels } = node.attrs;
    return tf.input({ name: layerName(node), shape: [height, width, channels] });
  },
  conv,
  dwconv,
  dense,
  bn: (node, inputs) => apply(new FigsBatchNorm({ name: layerName(node) }), first(inputs)),
  relu: activation("relu"),
  relu6: activation("relu6"),
  sigmoid: activation("sigmoid"),
  swish: activation("swish"),
  maxpool: pool("maxpool"),
  avgpool: pool("avgpool"),
  global_avgpool: (node, inputs) => {
    const name = layerName(node);
    return apply(tf.layers.globalAveragePooling2d({ name }), toImage(first(inputs), name));
  },
  flatten: (node, inputs) => toFlat(first(inputs), layerName(node)),
  dropout: (node, inputs) => apply(tf.layers.dropout({ name: layerName(node), rate: node.attrs.rate }), first(inputs)),
  identity: passThrough(),
  concat: (node, inputs) => {
    const name = layerName(node);
    return inputs.length === 1
      ? first(inputs)
      : apply(tf.layers.concatenate({ name, axis: -1 }), mergeInputs(inputs, name));
  },
  add: (node, inputs) => {
    const name = layerName(node);
    return inputs.length === 1 ? first(inputs) : apply(tf.layers.add({ name }), mergeInputs(inputs, name));
  },
};

/** The one place that pairs a node with the builder of its own op kind. */
export function buildLayer<K extends OpKind>(node: EmitNodeOf<K>, inputs: readonly SymbolicTensor[]): SymbolicTensor {
  const builder = LAYER_BUILDERS[node.op] as LayerBuilder<K>;
  return builder(node, inputs);
}
