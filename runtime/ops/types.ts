/** What the runtime knows of each primitive: how to build its tfjs layer and how to carry its weights over. */
import type * as tf from "@tensorflow/tfjs";
import type { OpAttrs, OpKind } from "../../compiler/index.js";

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

export type LayerBuilder<K extends OpKind> = (node: EmitNodeOf<K>, inputs: readonly SymbolicTensor[]) => SymbolicTensor;

/**
 * The kept slices of a layer's weights (in the layer's weight order), given
 * the kept channels of its input and output; undefined leaves the pruned
 * layer as initialised.
 */
export type WeightTransfer<K extends OpKind> = (
  node: EmitNodeOf<K>,
  weights: readonly tf.Tensor[],
  inputKept: readonly number[],
  outputKept: readonly number[],
) => tf.Tensor[] | undefined;

export interface RuntimeOp<K extends OpKind> {
  readonly build: LayerBuilder<K>;
  readonly transfer: WeightTransfer<K>;
}

export type RuntimeOps = { readonly [K in OpKind]: RuntimeOp<K> };
