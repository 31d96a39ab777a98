/**
 * The elaborated dataflow graph: primitive ops only, parameters substituted,
 * loops unrolled, every node with its NHWC shape. This is the interface
 * between `compiler/elaborate` (which builds it) and `compiler/masks`,
 * `compiler/cost` and `compiler/ir` (which read it).
 */
import type { SourceRange } from "../diagnostics/source.js";

export type Padding = "same" | "valid";
export type Pair = readonly [number, number];

/**
 * Attributes of each primitive op. Adding an op here forces its spec in
 * compiler/ops/ (signature, attribute schemas and printers, shape, channels,
 * cost, weights) and its runtime entry in runtime/ops/; adding an attribute
 * forces its schema and printer in the op's spec.
 */
export interface OpAttrs {
  input: { readonly height: number; readonly width: number; readonly channels: number };
  conv: {
    readonly kernel: Pair;
    readonly stride: Pair;
    readonly padding: Padding;
    readonly width: number;
    readonly groups: number;
    readonly bias: boolean;
    readonly dilation: Pair;
  };
  dwconv: {
    readonly kernel: Pair;
    readonly stride: Pair;
    readonly padding: Padding;
    readonly multiplier: number;
    readonly bias: boolean;
    readonly dilation: Pair;
  };
  dense: { readonly width: number; readonly bias: boolean };
  bn: Record<string, never>;
  relu: Record<string, never>;
  relu6: Record<string, never>;
  sigmoid: Record<string, never>;
  swish: Record<string, never>;
  hardsigmoid: Record<string, never>;
  hardswish: Record<string, never>;
  gelu: Record<string, never>;
  maxpool: { readonly kernel: Pair; readonly stride: Pair; readonly padding: Padding };
  avgpool: { readonly kernel: Pair; readonly stride: Pair; readonly padding: Padding };
  global_avgpool: Record<string, never>;
  adaptive_avgpool: { readonly size: Pair };
  flatten: Record<string, never>;
  dropout: { readonly rate: number };
  drop_path: { readonly rate: number };
  identity: Record<string, never>;
  gate: Record<string, never>;
  concat: Record<string, never>;
  add: Record<string, never>;
  mul: Record<string, never>;
  channel_shuffle: { readonly groups: number };
  split: { readonly parts: number; readonly part: number };
  layer_norm: Record<string, never>;
  layer_scale: { readonly init: number };
}

export type OpKind = keyof OpAttrs;

export const OP_KINDS = [
  "input",
  "conv",
  "dwconv",
  "dense",
  "bn",
  "relu",
  "relu6",
  "sigmoid",
  "swish",
  "hardsigmoid",
  "hardswish",
  "gelu",
  "maxpool",
  "avgpool",
  "global_avgpool",
  "adaptive_avgpool",
  "flatten",
  "dropout",
  "drop_path",
  "identity",
  "gate",
  "concat",
  "add",
  "mul",
  "channel_shuffle",
  "split",
  "layer_norm",
  "layer_scale",
] as const satisfies readonly OpKind[];

type Listed<T extends true> = T;
/** An OpKind missing from OP_KINDS makes this a type error ("false does not satisfy true"). */
export type EveryOpKindListed = Listed<[Exclude<OpKind, (typeof OP_KINDS)[number]>] extends [never] ? true : false>;

/** NHWC without the batch: after `flatten`, `global_avgpool` or `dense`, height = width = 1. */
export interface Shape {
  readonly height: number;
  readonly width: number;
  readonly channels: number;
}

/** One scope of the hierarchy a node was created in: the space, a cell/block/op instance. */
export interface Scope {
  readonly kind: "space" | "cell" | "block" | "op";
  /** Instance name: the `as` label if given, else `<definition>_<n>` numbered within the parent. */
  readonly name: string;
  readonly definition: string;
}

export interface GraphNodeOf<K extends OpKind> {
  readonly id: number;
  readonly op: K;
  readonly attrs: OpAttrs[K];
  /** Node ids, in argument order (an `add`/`concat` has two or more). */
  readonly inputs: readonly number[];
  readonly shape: Shape;
  /** Marked `fixed` (or the input image): its output channels carry no mask. */
  readonly fixed: boolean;
  /** Readable unique name: hierarchy path plus op instance, e.g. `one_shot/choice_3/sep_1/conv_2`. */
  readonly name: string;
  readonly scopes: readonly Scope[];
  readonly range: SourceRange;
}

export type GraphNode = { [K in OpKind]: GraphNodeOf<K> }[OpKind];

export interface Graph {
  /** The space that was elaborated. */
  readonly space: string;
  /** Parameter values the space was elaborated with (defaults and --set overrides). */
  readonly parameters: Readonly<Record<string, number | string | boolean | readonly unknown[]>>;
  /** Topologically ordered: every input id is smaller than the node's id; ids are indexes. */
  readonly nodes: readonly GraphNode[];
  /** The node whose output is the space's output. */
  readonly output: number;
}
