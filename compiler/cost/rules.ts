/**
 * Per-op cost rules, one exhaustive table: adding an op to OpAttrs without a
 * rule here is a type error. Conventions are in docs/costs.md.
 */
import type { GraphNodeOf, OpKind } from "../graph.js";
import type { LinearForm, Polynomial } from "./polynomial.js";

/**
 * `torch`: batch norm counts its 2·C trainable parameters (γ, β), as
 * torchvision's parameter counts do. `keras`: also its 2·C moving statistics,
 * as tfjs `countParams()` does.
 */
export type CostConvention = "torch" | "keras";

export interface CostOptions {
  readonly convention: CostConvention;
  /**
   * Count a bias (C_out parameters) on every conv and dwconv, as if each had
   * `bias: true` (Keras's default `use_bias`). Counting only: the ops and the
   * emitted model keep the `bias` the .figs text gave them. Off by default.
   */
  readonly convBias?: boolean;
}

export const DEFAULT_COST_OPTIONS: CostOptions = { convention: "torch" };

/** As `--convention` spells it: `torch`, `keras`, `torch,conv-bias`, `keras,conv-bias`. */
export function conventionName(options: CostOptions): string {
  return options.convBias ? `${options.convention},conv-bias` : options.convention;
}

/** `bias: true` in the op, or the conv-bias convention. */
function countsBias(attrs: { readonly bias: boolean }, options: CostOptions): boolean {
  return attrs.bias || options.convBias === true;
}

export interface CostContext<K extends OpKind> {
  readonly node: GraphNodeOf<K>;
  /** Channels of the (first) input, as a linear form of group sizes. */
  readonly inputChannels: LinearForm;
  /** Channels of the node's own output. */
  readonly outputChannels: LinearForm;
  readonly options: CostOptions;
}

export interface OpCost {
  readonly params: Polynomial;
  /** Multiply-accumulates of conv, dwconv and dense only (the MobileNet "MAdds"). */
  readonly madds: Polynomial;
}

/**
 * Where a rule adds a cost: one node's polynomial (nodeCosts), the space's
 * running total (costOfSpace, with no polynomial per node), or a value at
 * given widths (the breakdown). Polynomial is one; space-cost.ts has the others.
 */
export interface CostSink {
  /** += post · (coefficient · left · right), term by term, in that order (so fractions round as they always have). */
  product(left: LinearForm, right: LinearForm, coefficient: number, post?: number): void;
  /** += post · (coefficient · form) */
  form(form: LinearForm, coefficient: number, post?: number): void;
}

/** Adds the op's params and madds to the sinks; an op that costs nothing adds nothing. */
export type CostRule<K extends OpKind> = (context: CostContext<K>, params: CostSink, madds: CostSink) => void;

const free = (): void => undefined;

function outputPixels(node: GraphNodeOf<OpKind>): number {
  return node.shape.height * node.shape.width;
}

/** k_h·k_w·C_in·C_out / groups weights (+ C_out bias); madds = weights × output pixels. */
function convCost(
  { node, inputChannels, outputChannels, options }: CostContext<"conv">,
  params: CostSink,
  madds: CostSink,
): void {
  const [kh, kw] = node.attrs.kernel;
  const weights = (kh * kw) / node.attrs.groups;
  params.product(inputChannels, outputChannels, weights);
  madds.product(inputChannels, outputChannels, weights, outputPixels(node));
  if (countsBias(node.attrs, options)) params.form(outputChannels, 1);
}

/** k_h·k_w·C·multiplier weights (+ C·multiplier bias); madds = weights × output pixels. */
function dwconvCost({ node, inputChannels, options }: CostContext<"dwconv">, params: CostSink, madds: CostSink): void {
  const [kh, kw] = node.attrs.kernel;
  const weights = kh * kw * node.attrs.multiplier;
  params.form(inputChannels, weights);
  madds.form(inputChannels, weights, outputPixels(node));
  if (countsBias(node.attrs, options)) params.form(inputChannels, node.attrs.multiplier);
}

function denseCost(
  { node, inputChannels, outputChannels }: CostContext<"dense">,
  params: CostSink,
  madds: CostSink,
): void {
  params.product(inputChannels, outputChannels, 1);
  madds.product(inputChannels, outputChannels, 1);
  if (node.attrs.bias) params.form(outputChannels, 1);
}

function batchNormCost({ inputChannels, options }: CostContext<"bn">, params: CostSink): void {
  params.form(inputChannels, options.convention === "keras" ? 4 : 2);
}

/** Ops whose rule adds anything: the others need no channel forms worked out. */
export const COSTLY_OPS: ReadonlySet<OpKind> = new Set<OpKind>(["conv", "dwconv", "dense", "bn"]);

export const COST_RULES: { readonly [K in OpKind]: CostRule<K> } = {
  input: free,
  conv: convCost,
  dwconv: dwconvCost,
  dense: denseCost,
  bn: batchNormCost,
  relu: free,
  relu6: free,
  sigmoid: free,
  swish: free,
  maxpool: free,
  avgpool: free,
  global_avgpool: free,
  flatten: free,
  dropout: free,
  identity: free,
  concat: free,
  add: free,
};
