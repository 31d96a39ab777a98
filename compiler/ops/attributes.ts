/**
 * The kinds of attribute values primitives take, and helpers to declare an
 * attribute. A kind knows its parameter type, its IR schema, how to read a
 * bound argument as it and how to print it (as .figs and in the graph dump).
 */
import type { Pair, Padding } from "../graph.js";
import { bool, float, int, list, str } from "../elaborate/values.js";
import type { AttrSpec, AttrType } from "./types.js";

const positiveSchema = { type: "integer", minimum: 1 } as const;

/** An int of at least 1 (widths, groups, multipliers, image sizes). */
export const POSITIVE: AttrType<number> = {
  param: { kind: "int" },
  schema: positiveSchema,
  read: (reader, name) => reader.positive(name),
  literal: String,
  short: String,
  value: int,
  sample: 2,
};

/** `[h, w]`, written as one int when both are equal (kernels, strides). */
export const PAIR: AttrType<Pair> = {
  param: { kind: "pair" },
  schema: { type: "array", items: positiveSchema, minItems: 2, maxItems: 2 },
  read: (reader, name) => reader.pair(name),
  literal: (p) => `[${p[0]}, ${p[1]}]`,
  short: (p) => (p[0] === p[1] ? `${p[0]}` : `${p[0]}x${p[1]}`),
  value: (p) => (p[0] === p[1] ? int(p[0]) : list([int(p[0]), int(p[1])])),
  sample: [3, 2],
};

export const PADDING: AttrType<Padding> = {
  param: { kind: "string" },
  schema: { enum: ["same", "valid"] },
  read: (reader, name) => reader.padding(name),
  literal: (p) => JSON.stringify(p),
  short: String,
  value: str,
  sample: "valid",
};

export const FLAG: AttrType<boolean> = {
  param: { kind: "bool" },
  schema: { type: "boolean" },
  read: (reader, name) => reader.flag(name),
  literal: String,
  short: String,
  value: bool,
  sample: true,
};

/** A rate in [0, 1) (dropout). JS's shortest round-trip form is valid .figs (`0.25`, `1e-7`). */
export const RATE: AttrType<number> = {
  param: { kind: "float" },
  schema: { type: "number", minimum: 0, maximum: 1 },
  read: (reader, name) => reader.rate(name),
  literal: String,
  short: String,
  value: float,
  sample: 0.25,
};

export const required = <V>(type: AttrType<V>, surface?: string): AttrSpec<V> =>
  surface === undefined ? { type } : { type, surface };

export const optional = <V>(type: AttrType<V>, defaultValue: V): AttrSpec<V> => ({ type, default: defaultValue });

/** The window of convolutions and pools: kernel (`k` in .figs), stride and padding. */
export const WINDOW = {
  kernel: required(PAIR, "k"),
  stride: optional<Pair>(PAIR, [1, 1]),
  padding: optional<Padding>(PADDING, "same"),
} as const;
