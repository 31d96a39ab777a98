/**
 * The IR: one JSON document per compiled space (docs/ir.md). Everything the
 * runtime needs (ops, shapes, masks, costs) with enough provenance (sources,
 * hashes, ranges, scopes) to report back in the user's words.
 */
import type { OpAttrs, OpKind, Scope } from "../graph.js";
import type { ChannelSlice, GatedVariable, ProducerRange } from "../masks/types.js";
import type { PolynomialJson } from "../cost/polynomial.js";
import type { CostConvention } from "../cost/rules.js";

export const IR_FORMAT = "figs-ir";
export const IR_VERSION = 1;

export interface IrPosition {
  readonly line: number;
  readonly column: number;
  readonly offset: number;
}

export interface IrRange {
  readonly file: string;
  readonly start: IrPosition;
  readonly end: IrPosition;
}

export interface IrSource {
  readonly path: string;
  /** Hex SHA-256 of the text figs compiled (after UTF-8 decoding). */
  readonly sha256: string;
}

export interface IrNodeOf<K extends OpKind> {
  readonly id: number;
  readonly op: K;
  readonly name: string;
  readonly attrs: OpAttrs[K];
  readonly inputs: readonly number[];
  readonly shape: { readonly height: number; readonly width: number; readonly channels: number };
  readonly fixed: boolean;
  /** The output channels as slices of groups. */
  readonly layout: readonly ChannelSlice[];
  readonly range: IrRange;
  /** Hierarchy path, outermost (the space) first. */
  readonly scopes: readonly Scope[];
}

export type IrNode = { [K in OpKind]: IrNodeOf<K> }[OpKind];

export interface IrGroup {
  readonly id: number;
  readonly name: string;
  readonly size: number;
  readonly searchable: boolean;
  /** Where the group's mask probabilities sit in π: π[offset .. offset+size); -1 without masks. */
  readonly offset: number;
  readonly producers: readonly ProducerRange[];
  /** An operator gate: the id of its `gate` node (compiler/masks/gates.ts). */
  readonly gate?: number;
}

export interface IrCostTotals {
  readonly params: number;
  readonly madds: number;
  readonly flops: number;
}

export interface IrCosts {
  readonly convention: CostConvention;
  /** Present (true) only when the costs count a bias on every conv and dwconv (docs/costs.md). */
  readonly convBias?: true;
  /** Polynomials over S_g; only searchable groups appear, fixed ones are folded into constants. */
  readonly params: PolynomialJson;
  readonly madds: PolynomialJson;
  /** Both polynomials at full width, for a quick look. */
  readonly full: IrCostTotals;
}

export interface Ir {
  readonly format: typeof IR_FORMAT;
  readonly version: typeof IR_VERSION;
  readonly space: string;
  readonly parameters: Readonly<Record<string, unknown>>;
  readonly sources: readonly IrSource[];
  readonly output: number;
  /** Length of π: the number of mask variables. */
  readonly maskVariables: number;
  readonly nodes: readonly IrNode[];
  readonly groups: readonly IrGroup[];
  /**
   * Gated sizes S_g·Π S_z, when the space has operator gates: the polynomials
   * name the k-th as variable groups.length + k (compiler/cost/gated.ts).
   */
  readonly gated?: readonly GatedVariable[];
  readonly costs: IrCosts;
}
