/**
 * The runtime's table of primitives, keyed by OpKind like the compiler's
 * (compiler/ops/): how each op becomes a tfjs layer and how its weights are
 * carried into a pruned model. A new op without its entry is a type error;
 * the compiler itself never imports tfjs.
 */
import type { OpKind } from "../../compiler/index.js";
import * as build from "./builders.js";
import * as channelOps from "./channel-ops.js";
import type { EmitNodeOf, RuntimeOp, RuntimeOps, SymbolicTensor } from "./types.js";
import { cutAlongSpec, noWeights } from "./weights.js";

/** An op with weights: built, and its weights cut along the axes of its spec. */
const weighted = <K extends OpKind>(builder: RuntimeOp<K>["build"]): RuntimeOp<K> => ({
  build: builder,
  transfer: cutAlongSpec,
});
const weightless = <K extends OpKind>(builder: RuntimeOp<K>["build"]): RuntimeOp<K> => ({
  build: builder,
  transfer: noWeights,
});

export const RUNTIME_OPS: RuntimeOps = {
  input: weightless(build.input),
  conv: weighted(build.conv),
  dwconv: weighted(build.dwconv),
  dense: weighted(build.dense),
  bn: weighted(build.bn),
  relu: weightless(build.activation("relu")),
  relu6: weightless(build.activation("relu6")),
  sigmoid: weightless(build.activation("sigmoid")),
  swish: weightless(build.activation("swish")),
  hardsigmoid: weightless(build.hardsigmoid),
  hardswish: weightless(build.hardswish),
  gelu: weightless(build.activation("gelu")),
  maxpool: weightless(build.pool("maxpool")),
  avgpool: weightless(build.pool("avgpool")),
  global_avgpool: weightless(build.global_avgpool),
  adaptive_avgpool: weightless(build.adaptive_avgpool),
  flatten: weightless(build.flatten),
  dropout: weightless(build.dropout),
  drop_path: weightless(build.drop_path),
  identity: weightless(build.passThrough()),
  gate: weightless(build.passThrough()),
  concat: weightless(build.concat),
  add: weightless(build.add),
  mul: weightless(build.mul),
  channel_shuffle: weightless(channelOps.channel_shuffle),
  split: weightless(channelOps.split),
  layer_norm: weighted(channelOps.layer_norm),
  layer_scale: weighted(channelOps.layer_scale),
};

export function runtimeOf<K extends OpKind>(op: K): RuntimeOp<K> {
  return RUNTIME_OPS[op];
}

/** The one place that pairs a node with the builder of its own op kind. */
export function buildLayer<K extends OpKind>(node: EmitNodeOf<K>, inputs: readonly SymbolicTensor[]): SymbolicTensor {
  return runtimeOf(node.op).build(node, inputs);
}

export { layerName } from "./tensors.js";
export { HardSigmoid, HardSwish, hardSigmoid, hardSwish } from "./hard-activations.js";
export type {
  EmitNode,
  EmitNodeOf,
  LayerBuilder,
  RuntimeOp,
  RuntimeOps,
  SymbolicTensor,
  WeightTransfer,
} from "./types.js";
