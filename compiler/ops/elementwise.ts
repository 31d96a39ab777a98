/**
 * Elementwise ops without parameters or weights: each output channel comes
 * from the same input channel, so they pass masks through and cost nothing.
 */
import type { OpAttrs, OpKind } from "../graph.js";
import { sameShape } from "../shapes/rules.js";
import type { OpSpec } from "./types.js";

/** The ops without attributes: the only ones `elementwise` may describe. */
type Parameterless = { [K in OpKind]: OpAttrs[K] extends Record<string, never> ? K : never }[OpKind];

/** The spec of a parameterless elementwise op: what `relu` and every activation like it share. */
export function elementwise<K extends Parameterless>(aliases: readonly string[] = []): OpSpec<K> {
  return {
    call: aliases.length > 0 ? { params: [], aliases } : { params: [] },
    attributes: {} as OpSpec<K>["attributes"],
    shape: sameShape(),
    channels: { kind: "passes" },
  };
}

export const relu = elementwise<"relu">();
/** min(max(x, 0), 6) */
export const relu6 = elementwise<"relu6">();
export const sigmoid = elementwise<"sigmoid">();
/** x·sigmoid(x); PyTorch calls it SiLU, and `silu` is accepted for it. */
export const swish = elementwise<"swish">(["silu"]);
export const identity = elementwise<"identity">();
