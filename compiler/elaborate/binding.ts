/**
 * Binding call arguments to parameters, the same way for primitives, built-in
 * ops and definitions: positional first, then named; unknown, duplicate and
 * missing arguments and wrong types are reported at the argument, with a note
 * at the parameter's declaration when there is one.
 */
import type { Argument, Definition, TypeRef } from "../../grammar/ast.js";
import type { RelatedNote } from "../../diagnostics/diagnostic.js";
import type { SourceRange } from "../../diagnostics/source.js";
import { charge, fail, type Elaboration } from "./context.js";
import { didYouMean } from "./suggest.js";
import { coerce, listSize, paramTypeName, typeName, type ParamType, type Value } from "./values.js";

export interface ParamSpec {
  readonly name: string;
  readonly type: ParamType;
  /** Primitives have constant defaults; definitions evaluate theirs after binding. */
  readonly defaultValue?: Value;
  readonly hasDefault: boolean;
  readonly declaration?: SourceRange;
}

export interface BoundArgument {
  readonly value: Value;
  readonly range: SourceRange;
}

export interface Callee {
  /** As shown in messages: "conv", "block 'choice'". */
  readonly title: string;
  readonly params: readonly ParamSpec[];
  readonly declaration?: SourceRange;
}

const SIMPLE_TYPES = new Set(["int", "float", "bool", "string", "agg", "tensor", "op"]);

/** The parameter types of a definition, or undefined (reported) if one names no type. */
export function definitionParams(ctx: Elaboration, definition: Definition): readonly ParamSpec[] | undefined {
  if (ctx.paramSpecs.has(definition)) return ctx.paramSpecs.get(definition);
  let ok = true;
  const specs = definition.params.map((param) => {
    const type = resolveType(ctx, param.type);
    if (!type) ok = false;
    return {
      name: param.name.name,
      type: type ?? { kind: "any" },
      hasDefault: param.defaultValue !== undefined,
      declaration: param.range,
    };
  });
  const result = ok ? specs : undefined;
  ctx.paramSpecs.set(definition, result);
  return result;
}

export function resolveType(ctx: Elaboration, ref: TypeRef): ParamType | undefined {
  const name = ref.name.name;
  if (name === "list") {
    if (!ref.argument) return { kind: "list" };
    const element = resolveType(ctx, ref.argument);
    return element && { kind: "list", element };
  }
  if (SIMPLE_TYPES.has(name) && !ref.argument) return { kind: name as "int" };
  const known = [...SIMPLE_TYPES, "list"];
  const hint = ref.argument ? `; only list takes an element type, as in list[${name}]` : didYouMean(name, known);
  return fail(
    ctx,
    "UnknownType",
    `unknown type '${name}'${hint} (types: int, float, bool, string, agg, tensor, op, list[T])`,
    ref.range,
  );
}

/**
 * Binds arguments; `evaluate` computes one argument's value. Parameters left
 * unbound keep no entry: callers fill in defaults. Returns undefined if any
 * argument was wrong (all of them are reported).
 */
export function bindArguments(
  ctx: Elaboration,
  callee: Callee,
  args: readonly Argument[],
  evaluate: (arg: Argument, param: ParamSpec | undefined) => Value | undefined,
): Map<string, BoundArgument> | undefined {
  const bound = new Map<string, BoundArgument>();
  let ok = true;
  args.forEach((arg, index) => {
    const param = parameterFor(ctx, callee, arg, index, bound);
    const value = evaluate(arg, param);
    const converted = param && value && convertArgument(ctx, callee, param, value, arg);
    if (converted && param) bound.set(param.name, { value: converted, range: arg.range });
    else ok = false;
  });
  return ok ? bound : undefined;
}

function convertArgument(
  ctx: Elaboration,
  callee: Callee,
  param: ParamSpec,
  value: Value,
  arg: Argument,
): Value | undefined {
  // Checking (and converting) a list against list[T] reads every element, on every call.
  if (param.type.kind === "list" && param.type.element && !charge(ctx, listSize(value), arg.range)) return undefined;
  const converted = coerce(value, param.type);
  if (converted) return converted;
  const expected = article(paramTypeName(param.type));
  const message = `argument '${param.name}' of ${callee.title} must be ${expected}, got ${typeName(value)}`;
  return fail(ctx, "TypeMismatch", message, arg.value.range, declaredNote(param));
}

function parameterFor(
  ctx: Elaboration,
  callee: Callee,
  arg: Argument,
  index: number,
  bound: Map<string, BoundArgument>,
): ParamSpec | undefined {
  if (!arg.name) {
    const param = callee.params[index];
    if (param) return param;
    const count = callee.params.length;
    const takes = `${callee.title} takes ${count} argument${count === 1 ? "" : "s"}`;
    const message = `${takes}, but this is argument ${index + 1}`;
    return fail(ctx, "TooManyArguments", message, arg.range, calleeNote(callee));
  }
  const name = arg.name.name;
  const param = callee.params.find((p) => p.name === name);
  if (!param) {
    const hint = didYouMean(
      name,
      callee.params.map((p) => p.name),
    );
    return fail(
      ctx,
      "UnknownArgument",
      `${callee.title} has no parameter '${name}'${hint}`,
      arg.name.range,
      calleeNote(callee),
    );
  }
  const previous = bound.get(name);
  if (previous) {
    const note = { message: `'${name}' is already given here`, range: previous.range };
    return fail(ctx, "DuplicateArgument", `argument '${name}' of ${callee.title} is given twice`, arg.range, [note]);
  }
  return param;
}

/** Reports every required parameter without an argument; true if none is missing. */
export function checkMissing(
  ctx: Elaboration,
  callee: Callee,
  bound: ReadonlyMap<string, BoundArgument>,
  at: SourceRange,
): boolean {
  let ok = true;
  for (const param of callee.params) {
    if (bound.has(param.name) || param.hasDefault) continue;
    const message = `missing argument '${param.name}' (${paramTypeName(param.type)}) of ${callee.title}`;
    fail(ctx, "MissingArgument", message, at, declaredNote(param));
    ok = false;
  }
  return ok;
}

export function declaredNote(param: ParamSpec): RelatedNote[] {
  return param.declaration
    ? [{ message: `'${param.name}' is declared as ${paramTypeName(param.type)} here`, range: param.declaration }]
    : [];
}

function calleeNote(callee: Callee): RelatedNote[] {
  const names = callee.params.map((p) => p.name).join(", ");
  if (callee.declaration)
    return [{ message: `${callee.title} is defined here with parameters (${names})`, range: callee.declaration }];
  return [{ message: `${callee.title} takes (${names})` }];
}

export function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}
