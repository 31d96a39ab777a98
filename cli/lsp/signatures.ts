/**
 * How definitions, parameters and primitives read in hovers and completions:
 * `block mbconv(width: int, expansion: int = 6)`, `stride: int or [h, w] = 1`.
 * Primitive signatures come from the op specs (compiler/ops), so a new
 * primitive or attribute shows up here without a change.
 */
import {
  AGGREGATORS,
  attributesOf,
  BUILTINS,
  callNames,
  OP_SPECS,
  paramTypeName,
  type OpKind,
} from "../../compiler/index.js";
import type { Definition, Parameter, TypeRef } from "../../grammar/ast.js";

/** A parameter as a call sees it. */
export interface ParameterInfo {
  readonly name: string;
  readonly type: string;
  /** The default as written (a definition's) or as a literal (a primitive's); absent when required. */
  readonly defaultValue?: string;
}

export interface PrimitiveInfo {
  readonly name: string;
  readonly params: readonly ParameterInfo[];
}

/** The text of a file, for the source spelling of defaults (a definition may sit in an imported file). */
export type TextOf = (file: string) => string | undefined;

export function typeText(type: TypeRef): string {
  return type.argument ? `${type.name.name}[${typeText(type.argument)}]` : type.name.name;
}

export function parameterInfo(parameter: Parameter, textOf: TextOf): ParameterInfo {
  const info = { name: parameter.name.name, type: typeText(parameter.type) };
  const value = parameter.defaultValue;
  if (!value) return info;
  const text = textOf(value.range.file)?.slice(value.range.start.offset, value.range.end.offset);
  return { ...info, defaultValue: text ?? "…" };
}

export function parameterLine(info: ParameterInfo): string {
  return `${info.name}: ${info.type}${info.defaultValue === undefined ? "" : ` = ${info.defaultValue}`}`;
}

export function definitionSignature(definition: Definition, textOf: TextOf): string {
  const params = definition.params.map((p) => parameterLine(parameterInfo(p, textOf)));
  return `${definition.definitionKind} ${definition.name.name}(${params.join(", ")})`;
}

function primitiveInfos(op: OpKind): PrimitiveInfo[] {
  const spec = OP_SPECS[op];
  if (spec.call === "builtin") return [];
  const attributes = new Map(attributesOf(op));
  const params = spec.call.params.map((key): ParameterInfo => {
    const attribute = attributes.get(key)!;
    const info = { name: attribute.surface ?? key, type: paramTypeName(attribute.type.param) };
    if (attribute.default === undefined) return info;
    return { ...info, defaultValue: attribute.type.literal(attribute.default) };
  });
  return callNames(op).map((name) => ({ name, params }));
}

/** Every primitive applied by name (conv, bn, relu …), in the order of the op table. */
export const PRIMITIVES: readonly PrimitiveInfo[] = (Object.keys(OP_SPECS) as OpKind[]).flatMap(primitiveInfos);

export function primitiveNamed(name: string): PrimitiveInfo | undefined {
  return PRIMITIVES.find((primitive) => primitive.name === name);
}

export function primitiveSignature(primitive: PrimitiveInfo): string {
  return `${primitive.name}(${primitive.params.map(parameterLine).join(", ")})`;
}

/** The built-in functions (min, max, len, input, concat, add …) and the aggregators. */
export const BUILTIN_NAMES: readonly string[] = Object.keys(BUILTINS);
export const AGGREGATOR_NAMES: readonly string[] = AGGREGATORS;
