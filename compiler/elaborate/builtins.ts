/**
 * Built-in functions: numeric ones on compile-time values (min, max, abs, int,
 * float, round, floor, ceil, len, sum) and the ones that make nodes from
 * tensors (concat, add, sum of tensors, input).
 */
import type { Argument } from "../../grammar/ast.js";
import type { SourceRange } from "../../diagnostics/source.js";
import { bindArguments, checkMissing } from "./binding.js";
import { evaluateChain } from "./chains.js";
import { charge, fail, type Site, type StepMarks } from "./context.js";
import { float, int, isNumber, tensor, typeName, type Value, type ValueOf } from "./values.js";
import type { InputRef } from "./graph-builder.js";

interface BuiltinCall {
  readonly name: string;
  readonly site: Site;
  readonly args: readonly Argument[];
  readonly range: SourceRange;
  readonly marks: StepMarks;
}

type NumberValue = ValueOf<"int"> | ValueOf<"float">;
type Builtin = (call: BuiltinCall) => Value | undefined;

/** A built-in that reads the elements of a list argument (all but len) counts them as work. */
const numeric =
  (fn: (call: BuiltinCall, values: readonly Value[]) => Value | undefined, readsElements = true): Builtin =>
  (call) => {
    const values = positionalValues(call);
    if (!values || (readsElements && !charge(call.site.frame.ctx, spread(values).length, call.range))) return undefined;
    return fn(call, values);
  };

export const BUILTINS: Readonly<Record<string, Builtin>> = {
  min: numeric((call, values) => extreme(call, values, Math.min)),
  max: numeric((call, values) => extreme(call, values, Math.max)),
  abs: numeric((call, values) => oneNumber(call, values, (n) => ({ ...n, value: Math.abs(n.value) }))),
  int: numeric((call, values) => oneNumber(call, values, (n) => int(Math.trunc(n.value)))),
  float: numeric((call, values) => oneNumber(call, values, (n) => float(n.value))),
  round: numeric((call, values) => oneNumber(call, values, (n) => int(roundHalfEven(n.value)))),
  floor: numeric((call, values) => oneNumber(call, values, (n) => int(Math.floor(n.value)))),
  ceil: numeric((call, values) => oneNumber(call, values, (n) => int(Math.ceil(n.value)))),
  len: numeric((call, values) => lengthOf(call, values), false),
  sum: numeric((call, values) => sumOf(call, values)),
  concat: numeric((call, values) => joinTensors(call, values, "concat")),
  add: numeric((call, values) => joinTensors(call, values, "add")),
  mul: numeric((call, values) => joinTensors(call, values, "mul")),
  input: imageInput,
  error: numeric((call, values) => spaceError(call, values), false),
};

export function isBuiltin(name: string): boolean {
  return Object.hasOwn(BUILTINS, name);
}

/** Evaluates positional arguments; these functions take no named ones. */
function positionalValues(call: BuiltinCall): Value[] | undefined {
  const ctx = call.site.frame.ctx;
  const values: Value[] = [];
  let ok = true;
  for (const arg of call.args) {
    if (arg.name) {
      fail(ctx, "UnknownArgument", `${call.name} takes no named arguments`, arg.name.range);
      ok = false;
    }
    const value = evaluateChain(arg.value, call.site.frame, call.site.incoming);
    if (value) values.push(value);
    else ok = false;
  }
  return ok ? values : undefined;
}

/** `f(a, b, c)` or `f([a, b, c])`: both mean the same list. */
function spread(values: readonly Value[]): readonly Value[] {
  const only = values[0];
  return values.length === 1 && only?.kind === "list" ? only.items : values;
}

function arity(call: BuiltinCall, values: readonly Value[], expected: number): boolean {
  if (values.length === expected) return true;
  const kind = values.length > expected ? "TooManyArguments" : "MissingArgument";
  fail(
    call.site.frame.ctx,
    kind,
    `${call.name} takes ${expected} argument${expected === 1 ? "" : "s"}, got ${values.length}`,
    call.range,
  );
  return false;
}

function numbers(call: BuiltinCall, values: readonly Value[]): NumberValue[] | undefined {
  const bad = values.findIndex((v) => !isNumber(v));
  if (bad < 0) return values as NumberValue[];
  const message = `${call.name} needs numbers, but argument ${bad + 1} is ${typeName(values[bad]!)}`;
  return fail(call.site.frame.ctx, "TypeMismatch", message, call.args[bad]?.range ?? call.range);
}

function oneNumber(call: BuiltinCall, values: readonly Value[], fn: (n: NumberValue) => Value): Value | undefined {
  if (!arity(call, values, 1)) return undefined;
  const [n] = numbers(call, values) ?? [];
  return n && fn(n);
}

function extreme(
  call: BuiltinCall,
  values: readonly Value[],
  pick: (a: number, b: number) => number,
): Value | undefined {
  const items = numbers(call, spread(values));
  if (!items) return undefined;
  if (items.length === 0)
    return fail(call.site.frame.ctx, "MissingArgument", `${call.name} needs at least one number`, call.range);
  // A loop, not pick(...values): spreading a million arguments overflows the stack.
  let value = items[0]!.value;
  for (const n of items) value = pick(value, n.value);
  return items.every((n) => n.kind === "int") ? int(value) : float(value);
}

/** Python's round: halves go to the even neighbour. */
function roundHalfEven(x: number): number {
  const floor = Math.floor(x);
  const diff = x - floor;
  if (diff !== 0.5) return Math.round(x);
  return floor % 2 === 0 ? floor : floor + 1;
}

function lengthOf(call: BuiltinCall, values: readonly Value[]): Value | undefined {
  if (!arity(call, values, 1)) return undefined;
  const target = values[0]!;
  if (target.kind === "list") return int(target.items.length);
  if (target.kind === "string") return int(target.value.length);
  return fail(call.site.frame.ctx, "TypeMismatch", `len needs a list or a string, got ${typeName(target)}`, call.range);
}

/**
 * `error("message")`: the space's own error, for a parameter outside what the
 * space supports (`error("variant must be \"large\" or \"small\"")`), reported
 * at the call; elaboration of the space stops there.
 */
function spaceError(call: BuiltinCall, values: readonly Value[]): Value | undefined {
  if (!arity(call, values, 1)) return undefined;
  const message = values[0]!;
  const ctx = call.site.frame.ctx;
  if (message.kind !== "string")
    return fail(ctx, "TypeMismatch", `error needs a string, got ${typeName(message)}`, call.range);
  return fail(ctx, "SpaceError", message.value, call.range);
}

/** `sum` of numbers is a number; `sum` of tensors is an add node. */
function sumOf(call: BuiltinCall, values: readonly Value[]): Value | undefined {
  const items = spread(values);
  if (items.length > 0 && items.every((v) => v.kind === "tensor")) return joinTensors(call, values, "add");
  const addends = numbers(call, items);
  if (!addends) return undefined;
  const total = addends.reduce((acc, n) => acc + n.value, 0);
  return addends.every((n) => n.kind === "int") ? int(total) : float(total);
}

const JOIN_VERBS = { concat: "concatenate", add: "add", mul: "multiply" } as const;

/**
 * `concat`, `add`, `mul` and `sum` of tensors: the two merge ops, which are built-ins
 * (their specs say `call: "builtin"`), so they are named here; the name only
 * words the message about an empty list.
 */
function joinTensors(call: BuiltinCall, values: readonly Value[], op: "concat" | "add" | "mul"): Value | undefined {
  const ctx = call.site.frame.ctx;
  const items = spread(values);
  const bad = items.findIndex((v) => v.kind !== "tensor");
  if (bad >= 0)
    return fail(
      ctx,
      "NotATensor",
      `${call.name} needs tensors, but item ${bad + 1} is ${typeName(items[bad]!)}`,
      call.range,
    );
  if (items.length === 0)
    return fail(
      ctx,
      "NothingToAggregate",
      `${call.name} of an empty list: there is nothing to ${JOIN_VERBS[op]}`,
      call.range,
    );
  if (items.length === 1) return items[0];
  const inputs: InputRef[] = (items as ValueOf<"tensor">[]).map((t, i) => ({ id: t.id, role: `item ${i + 1}` }));
  call.marks.consumed = true;
  const id = ctx.graph.add(op, {}, inputs, call.range, call.site.frame.instance, call.marks.label);
  return id === undefined ? undefined : tensor(id);
}

const INPUT_PARAMS = ["h", "w", "c"].map((name) => ({ name, type: { kind: "int" } as const, hasDefault: false }));

/** `input(h, w, c)`: the image input, a fixed node; the first one is what `input` names in a space. */
function imageInput(call: BuiltinCall): Value | undefined {
  const ctx = call.site.frame.ctx;
  const callee = { title: "input", params: INPUT_PARAMS };
  const bound = bindArguments(ctx, callee, call.args, (arg) =>
    evaluateChain(arg.value, call.site.frame, call.site.incoming),
  );
  if (!bound || !checkMissing(ctx, callee, bound, call.range)) return undefined;
  const [height, width, channels] = INPUT_PARAMS.map((p) => bound.get(p.name)!);
  const small = [height!, width!, channels!].find((a) => a.value.kind !== "int" || a.value.value < 1);
  if (small) return fail(ctx, "InvalidValue", "the input's height, width and channels must be at least 1", small.range);
  const size = (a: typeof height) => (a!.value.kind === "int" ? a!.value.value : 1);
  call.marks.consumed = true;
  const attrs = { height: size(height), width: size(width), channels: size(channels) };
  const id = ctx.graph.add("input", attrs, [], call.range, call.site.frame.instance, call.marks.label);
  if (id !== undefined) ctx.imageInput ??= id;
  return id === undefined ? undefined : tensor(id);
}
