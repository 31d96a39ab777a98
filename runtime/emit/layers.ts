/**
 * One tfjs-layers builder per primitive op, from the runtime's op table
 * (runtime/ops/): a new op in compiler/graph.ts is a type error there until
 * it is emitted. The masked supernet and the pruned export both build their
 * layers here, so they count parameters and order channels the same way.
 */
import type { OpKind } from "../../compiler/index.js";
import { RUNTIME_OPS } from "../ops/index.js";
import type { LayerBuilder } from "../ops/types.js";

export { buildLayer, layerName } from "../ops/index.js";
export type { EmitNode, EmitNodeOf, SymbolicTensor } from "../ops/types.js";

export const LAYER_BUILDERS: { readonly [K in OpKind]: LayerBuilder<K> } = Object.fromEntries(
  Object.entries(RUNTIME_OPS).map(([op, entry]) => [op, entry.build]),
) as unknown as { readonly [K in OpKind]: LayerBuilder<K> };
