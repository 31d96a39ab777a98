/**
 * Compile-time values of the elaborator, and the parameter types they are
 * checked against. A tensor value is a node id of the graph being built.
 */
export type Aggregator = "sum" | "concat";

export type Value =
  | { readonly kind: "int"; readonly value: number }
  | { readonly kind: "float"; readonly value: number }
  | { readonly kind: "bool"; readonly value: boolean }
  | { readonly kind: "string"; readonly value: string }
  | { readonly kind: "agg"; readonly value: Aggregator }
  | { readonly kind: "list"; readonly items: readonly Value[] }
  | { readonly kind: "tensor"; readonly id: number };

export type ValueOf<K extends Value["kind"]> = Extract<Value, { kind: K }>;

export type ParamType =
  | { readonly kind: "int" | "float" | "bool" | "string" | "agg" | "tensor" | "any" }
  /** An int, or a list of two ints [h, w] (kernel sizes and strides). */
  | { readonly kind: "pair" }
  /** `list` alone accepts any elements. */
  | { readonly kind: "list"; readonly element?: ParamType };

export const int = (value: number): Value => ({ kind: "int", value });
export const float = (value: number): Value => ({ kind: "float", value });
export const bool = (value: boolean): Value => ({ kind: "bool", value });
export const str = (value: string): Value => ({ kind: "string", value });
export const list = (items: readonly Value[]): Value => ({ kind: "list", items });
export const tensor = (id: number): Value => ({ kind: "tensor", id });

export function isNumber(value: Value): value is ValueOf<"int"> | ValueOf<"float"> {
  return value.kind === "int" || value.kind === "float";
}

/** The type of a value as the user would write it: `int`, `list[int]`, `list`. */
export function typeName(value: Value): string {
  if (value.kind !== "list") return value.kind;
  const kinds = new Set(value.items.map(typeName));
  return kinds.size === 1 ? `list[${[...kinds][0]!}]` : "list";
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
      return value.kind === "int" || (value.kind === "list" && value.items.length === 2 && value.items.every((i) => i.kind === "int")) ? value : undefined;
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

export function valuesEqual(a: Value, b: Value): boolean {
  if (isNumber(a) && isNumber(b)) return a.value === b.value;
  if (a.kind === "list" && b.kind === "list") return a.items.length === b.items.length && a.items.every((item, i) => valuesEqual(item, b.items[i]!));
  if (a.kind === "tensor" && b.kind === "tensor") return a.id === b.id;
  if (a.kind !== b.kind || a.kind === "list" || a.kind === "tensor" || b.kind === "list" || b.kind === "tensor") return false;
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
