/**
 * What figs knows about one primitive, in one place (`OpSpec`): how .figs
 * calls it, its attributes (schema, reading, printing), its output shape, what
 * it does to channels, its cost and its weights. Every table keyed by op kind
 * (shapes, costs, IR schema, mask placement, export) is derived from these.
 */
import type { OpAttrs, OpKind, Pair, Padding } from "../graph.js";
import type { CostRule } from "../cost/rules.js";
import type { ShapeRule } from "../shapes/rules.js";
import type { ParamType, Value } from "../elaborate/values.js";

/**
 * Reads a bound argument (or its default) as an attribute value, reporting a
 * value out of range at its argument. The elaborator's ArgReader implements it.
 */
export interface AttributeReader {
  positive(name: string): number;
  pair(name: string): Pair;
  flag(name: string): boolean;
  padding(name: string): Padding;
  rate(name: string): number;
}

/** One kind of attribute value: how it is typed in .figs and in the IR, read, and printed. */
export interface AttrType<V> {
  /** The parameter type arguments are checked against when they are bound. */
  readonly param: ParamType;
  /** JSON Schema of the value in the IR. */
  readonly schema: object;
  readonly read: (reader: AttributeReader, name: string) => V;
  /** As a .figs literal that reads back to the same value: `[3, 5]`, `"same"`, `0.25`. */
  readonly literal: (value: V) => string;
  /** As the graph dump shows it: `3` (for [3, 3]), `3x5`, `same`. */
  readonly short: (value: V) => string;
  /** The .figs value a default stands for (what binding fills in). */
  readonly value: (attr: V) => Value;
  /** A valid value unlike most defaults, for tests that go through every attribute. */
  readonly sample: V;
}

export interface AttrSpec<V> {
  readonly type: AttrType<V>;
  /** Its parameter's name in .figs when that differs from the attribute's (`k` for `kernel`). */
  readonly surface?: string;
  /** Optional parameters have one: the attribute a call without the argument gets. */
  readonly default?: V;
}

/** Every attribute of the op, in the order of its attrs object: a missing one is a type error. */
export type AttributeSpecs<K extends OpKind> = { readonly [A in keyof OpAttrs[K]]-?: AttrSpec<OpAttrs[K][A]> };

/** An op applied to the current tensor: its parameters in call order (positional binding), by attribute name. */
export interface Signature<K extends OpKind> {
  readonly params: readonly (keyof OpAttrs[K] & string)[];
  /** Other names .figs accepts for the op (PyTorch's `silu` for `swish`); printing uses the op's own. */
  readonly aliases?: readonly string[];
}

/**
 * What an op does to channels, which is what mask placement, liveness, the
 * supernet and export need to know of it:
 * - `produces`: new channels, each with a mask of its own (conv, dense), or
 *   the image (`source`: no input, never masked);
 * - `passes`: output channel c comes from input channel c alone, or from
 *   input channel c / `repeat` (a dwconv multiplier), or from the one input
 *   channel `source` names (channel_shuffle's permutation, split's part);
 * - `joins`: the inputs are combined position by position (add), so their masks unify;
 * - `stacks`: the inputs are laid side by side (concat);
 * - `flattens`: each channel becomes height·width features.
 */
export type ChannelRule<K extends OpKind> =
  | {
      readonly kind: "produces";
      readonly source: boolean;
      /** The attributes at another output width (export sets it to the kept channels). */
      readonly resized?: (attrs: OpAttrs[K], width: number) => OpAttrs[K];
    }
  | {
      readonly kind: "passes";
      /** Output channels per input channel; 1 when absent. */
      readonly repeat?: (attrs: OpAttrs[K]) => number;
      /**
       * Which input channel output channel `output` is, for an op that
       * reorders or selects channels (channel_shuffle, split); absent: output
       * channel c is input channel c / repeat.
       */
      readonly source?: (attrs: OpAttrs[K], inputChannels: number) => (output: number) => number;
      /** Output channels at `inputChannels` input channels, when not input · repeat (split: input / parts). */
      readonly width?: (attrs: OpAttrs[K], inputChannels: number) => number;
      /**
       * A producer whose only consumer is this op gets its mask after it:
       * batch norm turns a channel zeroed before it into β, not 0.
       */
      readonly masksAfter?: boolean;
    }
  | { readonly kind: "joins" }
  | { readonly kind: "stacks" }
  | { readonly kind: "flattens" };

/** Which axis of one weight tensor runs over the layer's input channels and which over its output channels. */
export interface WeightAxes {
  readonly input?: number;
  readonly output?: number;
}

/**
 * The layer's weights (tfjs order), and how they are cut when channels are
 * removed: the first tensor (a kernel, or γ) and every other (bias, β, moving
 * statistics) keep the kept channels along these axes.
 */
export interface WeightLayout<K extends OpKind> {
  readonly first: WeightAxes;
  readonly rest: WeightAxes;
  /** False when the kept channels cannot be cut out: the pruned layer is retrained from its initialisation. */
  readonly cuttable?: (attrs: OpAttrs[K]) => boolean;
}

export interface OpSpec<K extends OpKind> {
  /** Applied to the current tensor with parameters, or made by a built-in function (`input`, `concat`, `add`). */
  readonly call: Signature<K> | "builtin";
  readonly attributes: AttributeSpecs<K>;
  readonly shape: ShapeRule<K>;
  readonly channels: ChannelRule<K>;
  /** Its parameters and multiply-adds (docs/costs.md); absent for an op that costs nothing. */
  readonly cost?: CostRule<K>;
  /** Absent for an op without weights. */
  readonly weights?: WeightLayout<K>;
  /**
   * Why exported widths do not fit the op ("has groups: 2, which must divide
   * its 6 input and 8 output channels"), or undefined when they do.
   */
  readonly exportCheck?: (attrs: OpAttrs[K], inputChannels: number, outputChannels: number) => string | undefined;
}

export type OpSpecs = { readonly [K in OpKind]: OpSpec<K> };
