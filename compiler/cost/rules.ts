/**
 * Cost rules: what a rule is given and where it adds its terms. Each op's
 * rule is in its spec (compiler/ops/), absent for an op that costs nothing.
 * Conventions are in docs/costs.md.
 */
import { OP_KINDS, type GraphNodeOf, type OpKind } from "../graph.js";
import { OP_SPECS } from "../ops/index.js";
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
  /**
   * += post · (coefficient · left · right), term by term, in that order (so
   * fractions round as they always have).
   */
  product(left: LinearForm, right: LinearForm, coefficient: number, post?: number): void;
  /** += post · (coefficient · form) */
  form(form: LinearForm, coefficient: number, post?: number): void;
}

/** Adds the op's params and madds to the sinks; an op that costs nothing adds nothing. */
export type CostRule<K extends OpKind> = (context: CostContext<K>, params: CostSink, madds: CostSink) => void;

const free = (): void => undefined;

/** Ops whose rule adds anything: the others need no channel forms worked out. */
export const COSTLY_OPS: ReadonlySet<OpKind> = new Set(OP_KINDS.filter((op) => OP_SPECS[op].cost !== undefined));

type CostRules = { readonly [K in OpKind]: CostRule<K> };

/** Each op's rule from its spec (compiler/ops/); an op without one costs nothing. */
export const COST_RULES: CostRules = Object.fromEntries(
  OP_KINDS.map((op) => [op, OP_SPECS[op].cost ?? free]),
) as unknown as CostRules;
