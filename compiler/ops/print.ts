/**
 * The one printer of an op's attributes, from its spec: as a .figs call that
 * elaborates back to the same attributes (the exported architecture), and in
 * the graph dump's short form, defaults left out (golden tests, `figs graph`).
 */
import type { OpKind } from "../graph.js";
import { attributesOf, specOf, type OpNode } from "./index.js";

function valueOf(node: OpNode<OpKind>, key: string): unknown {
  return (node.attrs as Readonly<Record<string, unknown>>)[key];
}

/**
 * `conv([3, 3], 16, stride: [1, 1], padding: "same", groups: 1, bias: false)`:
 * required parameters positional in call order, the others named in attribute
 * order, every one written out; `relu` alone when the op has no attributes.
 */
export function figsCall<K extends OpKind>(node: OpNode<K>): string {
  const spec = specOf(node.op);
  const attributes = new Map(attributesOf(node.op));
  const order = spec.call === "builtin" ? [...attributes.keys()] : spec.call.params;
  const positional = order
    .filter((key) => attributes.get(key)?.default === undefined)
    .map((key) => attributes.get(key)!.type.literal(valueOf(node, key)));
  const named = [...attributes]
    .filter(([, attr]) => attr.default !== undefined)
    .map(([key, attr]) => `${attr.surface ?? key}: ${attr.type.literal(valueOf(node, key))}`);
  const args = [...positional, ...named];
  return args.length === 0 ? node.op : `${node.op}(${args.join(", ")})`;
}

/** `k: 3, stride: 2, width: 64`: attributes in order under their .figs names, those at their default left out. */
export function dumpAttributes<K extends OpKind>(node: OpNode<K>): string {
  const shown: string[] = [];
  for (const [key, attr] of attributesOf(node.op)) {
    const text = attr.type.short(valueOf(node, key));
    if (attr.default !== undefined && text === attr.type.short(attr.default)) continue;
    shown.push(`${attr.surface ?? key}: ${text}`);
  }
  return shown.join(", ");
}
