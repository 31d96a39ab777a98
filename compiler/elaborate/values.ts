/**
 * Compile-time values of the elaborator, and the parameter types they are
 * checked against. A tensor value is a node id of the graph being built.
 */
/** What `aggregate` joins branches with: an add, a concat, or an elementwise product (a gate). */
export const AGGREGATORS = ["sum", "concat", "mul"] as const;
export type Aggregator = (typeof AGGREGATORS)[number];

export type Value =
  | { readonly kind: "int"; readonly value: number }
  | { readonly kind: "float"; readonly value: number }
  | { readonly kind: "bool"; readonly value: boolean }
  | { readonly kind: "string"; readonly value: string }
  | { readonly kind: "agg"; readonly value: Aggregator }
  /** An operator passed as an argument (`act: op`): the name of a primitive or of an op, block or cell. */
  | { readonly kind: "op"; readonly value: string }
  /** `depth`: 1 for a list of scalars, one more per level of lists inside (see MAX_LIST_NESTING). */
  | { readonly kind: "list"; readonly items: readonly Value[]; readonly depth: number }
  | { readonly kind: "tensor"; readonly id: number };

export type ValueOf<K extends Value["kind"]> = Extract<Value, { kind: K }>;

export type ParamType =
  | { readonly kind: "int" | "float" | "bool" | "string" | "agg" | "tensor" | "op" | "any" }
  /** An int, or a list of two ints [h, w] (kernel sizes and strides). */
  | { readonly kind: "pair" }
  /** `list` alone accepts any elements. */
  | { readonly kind: "list"; readonly element?: ParamType };

export const int = (value: number): Value => ({ kind: "int", value });
export const float = (value: number): Value => ({ kind: "float", value });
export const bool = (value: boolean): Value => ({ kind: "bool", value });
export const str = (value: string): Value => ({ kind: "string", value });
export const list = (items: readonly Value[]): Value => ({ kind: "list", items, depth: 1 + deepest(items) });

/** The deepest list among the items (0 when none is a list). */
export function deepest(items: readonly Value[]): number {
  let depth = 0;
  for (const item of items) if (item.kind === "list" && item.depth > depth) depth = item.depth;
  return depth;
}
export const tensor = (id: number): Value => ({ kind: "tensor", id });
export const operator = (name: string): Value => ({ kind: "op", value: name });

/** A count as messages print it: 1,000,000. */
export function count(n: number): string {
  return n.toLocaleString("en-US");
}

export function isNumber(value: Value): value is ValueOf<"int"> | ValueOf<"float"> {
  return value.kind === "int" || value.kind === "float";
}

/** Lists are immutable: each is typed and sized once, however often a message or a loop asks. */
const listTypes = new WeakMap<Value, string>();
const listSizes = new WeakMap<Value, number>();

/** The type of a value as the user would write it: `int`, `list[int]`, `list`. */
export function typeName(value: Value): string {
  if (value.kind !== "list") return value.kind;
  let name = listTypes.get(value);
  if (name === undefined) {
    const kinds = new Set(value.items.map(typeName));
    name = kinds.size === 1 ? `list[${[...kinds][0]!}]` : "list";
    listTypes.set(value, name);
  }
  return name;
}

/** Elements of a list and of the lists inside it: the work of converting or comparing it whole. */
export function listSize(value: Value): number {
  if (value.kind !== "list") return 0;
  let size = listSizes.get(value);
  if (size === undefined) {
    size = value.items.length;
    for (const item of value.items) size += listSize(item);
    listSizes.set(value, size);
  }
  return size;
}

export function paramTypeName(type: ParamType): string {
  if (type.kind === "pair") return "int or [h, w]";
  if (type.kind === "list") return type.element ? `list[${paramTypeName(type.element)}]` : "list";
  return type.kind;
}

/**
 * The value converted to the parameter's type, or undefined if it does not fit.
 * Only widening happens: an int where a float is expected.
 */
export function coerce(value: Value, type: ParamType): Value | undefined {
  switch (type.kind) {
    case "any":
      return value;
    case "float":
      return value.kind === "int" ? float(value.value) : value.kind === "float" ? value : undefined;
    case "pair":
      return value.kind === "int" ||
        (value.kind === "list" && value.items.length === 2 && value.items.every((i) => i.kind === "int"))
        ? value
        : undefined;
    case "list":
      return coerceList(value, type.element);
    default:
      return value.kind === type.kind ? value : undefined;
  }
}

function coerceList(value: Value, element: ParamType | undefined): Value | undefined {
  if (value.kind !== "list") return undefined;
  if (!element) return value;
  const items: Value[] = [];
  for (const item of value.items) {
    const converted = coerce(item, element);
    if (!converted) return undefined;
    items.push(converted);
  }
  return list(items);
}

/** Values as the user writes them, for messages and the graph dump. */
export function show(value: Value): string {
  switch (value.kind) {
    case "string":
      return JSON.stringify(value.value);
    case "list":
      return `[${value.items.map(show).join(", ")}]`;
    case "tensor":
      return `tensor %${value.id}`;
    case "float":
      return Number.isInteger(value.value) ? `${value.value}.0` : `${value.value}`;
    default:
      return `${value.value}`;
  }
}

/**
 * Equality as `==` sees it. `work.units` counts the list elements compared
 * (the caller charges them), and the comparison gives up (false) once it
 * passes `work.limit`: two lists of 1,000 references to one list of 1,000,000
 * must not take 10^9 steps before the step limit can stop them.
 */
export function valuesEqual(
  a: Value,
  b: Value,
  work: { units: number; readonly limit: number } = { units: 0, limit: Infinity },
): boolean {
  if (isNumber(a) && isNumber(b)) return a.value === b.value;
  if (a.kind === "list" && b.kind === "list") {
    if (a === b) return true;
    if (a.items.length !== b.items.length) return false;
    work.units += a.items.length;
    return (
      work.units <= work.limit &&
      a.items.every((item, i) => work.units <= work.limit && valuesEqual(item, b.items[i]!, work))
    );
  }
  if (a.kind === "tensor" && b.kind === "tensor") return a.id === b.id;
  if (a.kind !== b.kind || a.kind === "list" || a.kind === "tensor" || b.kind === "list" || b.kind === "tensor")
    return false;
  return a.value === b.value;
}

/** Plain JSON-like data for Graph.parameters. */
export function toPlain(value: Value): number | string | boolean | readonly unknown[] {
  switch (value.kind) {
    case "list":
      return value.items.map(toPlain);
    case "tensor":
      return `%${value.id}`;
    default:
      return value.value;
  }
}
