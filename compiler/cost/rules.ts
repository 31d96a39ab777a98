/**
 * Per-op cost rules, one exhaustive table: adding an op to OpAttrs without a
 * rule here is a type error. Conventions are in docs/costs.md.
 */
import type { GraphNodeOf, OpKind } from "../graph.js";
import { Polynomial, type LinearForm } from "./polynomial.js";

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

/** undefined: the op costs nothing (no weights, no multiply-accumulates counted). */
export type CostRule<K extends OpKind> = (context: CostContext<K>) => OpCost | undefined;

const free = (): undefined => undefined;

function outputPixels(node: GraphNodeOf<OpKind>): number {
  return node.shape.height * node.shape.width;
}

/** k_h·k_w·C_in·C_out / groups weights (+ C_out bias); madds = weights × output pixels. */
function convCost({ node, inputChannels, outputChannels, options }: CostContext<"conv">): OpCost {
  const [kh, kw] = node.attrs.kernel;
  const params = new Polynomial().addProduct(inputChannels, outputChannels, (kh * kw) / node.attrs.groups);
  const madds = params.scaled(outputPixels(node));
  if (countsBias(node.attrs, options)) params.addForm(outputChannels);
  return { params, madds };
}

/** k_h·k_w·C·multiplier weights (+ C·multiplier bias); madds = weights × output pixels. */
function dwconvCost({ node, inputChannels, options }: CostContext<"dwconv">): OpCost {
  const [kh, kw] = node.attrs.kernel;
  const params = new Polynomial().addForm(inputChannels, kh * kw * node.attrs.multiplier);
  const madds = params.scaled(outputPixels(node));
  if (countsBias(node.attrs, options)) params.addForm(inputChannels, node.attrs.multiplier);
  return { params, madds };
}

function denseCost({ node, inputChannels, outputChannels }: CostContext<"dense">): OpCost {
  const params = new Polynomial().addProduct(inputChannels, outputChannels);
  const madds = params.scaled(1);
  if (node.attrs.bias) params.addForm(outputChannels);
  return { params, madds };
}

function batchNormCost({ inputChannels, options }: CostContext<"bn">): OpCost {
  const perChannel = options.convention === "keras" ? 4 : 2;
  return { params: new Polynomial().addForm(inputChannels, perChannel), madds: new Polynomial() };
}

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
