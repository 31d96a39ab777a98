/**
 * Output shapes of the primitive ops: each op's rule is in its spec
 * (compiler/ops/), so a missing one is a type error. Elaboration calls
 * `outputShape` as it creates each node, so `in` (the channel count of the
 * current tensor) is known while elaborating. A rule returns a shape or a
 * diagnostic at the op that caused the problem.
 */
import type { OpAttrs, OpKind } from "../graph.js";
import type { SourceRange } from "../../diagnostics/source.js";
import { OP_SPECS, specOf } from "../ops/index.js";
import type { ShapeInput, ShapeResult, ShapeRule } from "./rules.js";

export { formatShape, windowSize, type ShapeInput, type ShapeResult, type ShapeRule } from "./rules.js";

type ShapeRules = { readonly [K in OpKind]: ShapeRule<K> };

export const SHAPE_RULES: ShapeRules = Object.fromEntries(
  Object.entries(OP_SPECS).map(([op, spec]) => [op, spec.shape]),
) as unknown as ShapeRules;

export function outputShape<K extends OpKind>(
  op: K,
  attrs: OpAttrs[K],
  inputs: readonly ShapeInput[],
  at: SourceRange,
): ShapeResult {
  return specOf(op).shape(attrs, inputs, at);
}
