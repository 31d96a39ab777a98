/**
 * The primitives applied to the current tensor (`relu`, `conv(3, 16)`): their
 * signatures come from the op specs (compiler/ops/), and bound arguments
 * become the node's attributes through each attribute's kind, with range
 * checks in the user's words.
 */
import type { OpAttrs, OpKind, Padding, Pair } from "../graph.js";
import type { Argument } from "../../grammar/ast.js";
import type { SourceRange } from "../../diagnostics/source.js";
import { OP_KINDS } from "../graph.js";
import { attributesOf, callNames, specOf, type AttributeReader } from "../ops/index.js";
import { bindArguments, checkMissing, type BoundArgument, type ParamSpec } from "./binding.js";
import { evaluateChain } from "./chains.js";
import { fail, needTensor, type Elaboration, type Site, type StepMarks } from "./context.js";
import { int, tensor, type Value } from "./values.js";

/** A primitive as a call sees it: the op and its parameters in call order. */
export interface Primitive {
  readonly op: OpKind;
  readonly params: readonly ParamSpec[];
}

function primitive(op: OpKind): Primitive | undefined {
  const spec = specOf(op);
  if (spec.call === "builtin") return undefined;
  const attributes = new Map(attributesOf(op));
  const params = spec.call.params.map((key): ParamSpec => {
    const { type, surface, default: defaultValue } = attributes.get(key)!;
    const name = surface ?? key;
    return defaultValue === undefined
      ? { name, type: type.param, hasDefault: false }
      : { name, type: type.param, defaultValue: type.value(defaultValue), hasDefault: true };
  });
  return { op, params };
}

/**
 * Every op applied by name, keyed by that name and by each of its aliases
 * (`silu` → swish); `input`, `concat` and `add` are built-ins (builtins.ts).
 */
export const PRIMITIVES: Readonly<Record<string, Primitive>> = Object.fromEntries(
  OP_KINDS.flatMap((op) => {
    const found = primitive(op);
    return found ? callNames(op).map((name) => [name, found]) : [];
  }),
);

export function isAppliedPrimitive(name: string): boolean {
  return Object.hasOwn(PRIMITIVES, name);
}

/** The node's attributes, read in the order of its attrs object (so are the messages about them). */
function readAttributes<K extends OpKind>(op: K, reader: AttributeReader): OpAttrs[K] {
  const attrs: Record<string, unknown> = {};
  for (const [key, attr] of attributesOf(op)) attrs[key] = attr.type.read(reader, attr.surface ?? key);
  return attrs as OpAttrs[K];
}

/** Applies a primitive to the incoming tensor: one new node, named by the step's `as` if any. */
export function applyPrimitive(
  name: string,
  args: readonly Argument[],
  range: SourceRange,
  site: Site,
  marks: StepMarks,
): Value | undefined {
  const ctx = site.frame.ctx;
  const primitive = PRIMITIVES[name];
  if (!primitive) return undefined;
  const { op, params } = primitive;
  const x = needTensor(site, op, range);
  if (!x) return undefined;
  const callee = { title: op, params };
  const bound = bindArguments(ctx, callee, args, (arg) => evaluateChain(arg.value, site.frame, site.incoming));
  if (!bound || !checkMissing(ctx, callee, bound, range)) return undefined;
  const reader = new ArgReader(ctx, op, params, bound, range);
  const attrs = readAttributes(op, reader);
  if (!reader.ok) return undefined;
  marks.consumed = true;
  const id = ctx.graph.add(op, attrs, [{ id: x.id, role: "its input" }], range, site.frame.instance, marks.label);
  return id === undefined ? undefined : tensor(id);
}

/**
 * Reads bound arguments (or defaults) as attribute values. A value out of
 * range is reported at its argument; `ok` turns false and a placeholder is
 * returned so the attribute object can still be built and then dropped.
 */
export class ArgReader implements AttributeReader {
  ok = true;

  constructor(
    private readonly ctx: Elaboration,
    private readonly op: string,
    private readonly params: readonly ParamSpec[],
    private readonly bound: ReadonlyMap<string, BoundArgument>,
    private readonly callRange: SourceRange,
  ) {}

  private read(name: string): { value: Value; range: SourceRange } {
    const given = this.bound.get(name);
    if (given) return given;
    const value = this.params.find((p) => p.name === name)?.defaultValue ?? int(0);
    return { value, range: this.callRange };
  }

  private invalid<T>(message: string, range: SourceRange, placeholder: T): T {
    this.ok = false;
    fail(this.ctx, "InvalidValue", message, range);
    return placeholder;
  }

  positive(name: string): number {
    const { value, range } = this.read(name);
    const n = value.kind === "int" ? value.value : 0;
    return n >= 1 ? n : this.invalid(`'${name}' of ${this.op} must be at least 1, got ${n}`, range, 1);
  }

  pair(name: string): Pair {
    const { value, range } = this.read(name);
    const numbers =
      value.kind === "list"
        ? value.items.map((i) => (i.kind === "int" ? i.value : 0))
        : [value.kind === "int" ? value.value : 0];
    const pair: Pair = [numbers[0]!, numbers[1] ?? numbers[0]!];
    if (pair[0] >= 1 && pair[1] >= 1) return pair;
    return this.invalid(
      `'${name}' of ${this.op} must be at least 1, got ${pair[0] === pair[1] ? pair[0] : `[${pair.join(", ")}]`}`,
      range,
      [1, 1],
    );
  }

  flag(name: string): boolean {
    const { value } = this.read(name);
    return value.kind === "bool" && value.value;
  }

  padding(name: string): Padding {
    const { value, range } = this.read(name);
    if (value.kind === "string" && (value.value === "same" || value.value === "valid")) return value.value;
    const shown = value.kind === "string" ? `"${value.value}"` : "this";
    return this.invalid(`${name} of ${this.op} must be "same" or "valid", not ${shown}`, range, "same");
  }

  rate(name: string): number {
    const { value, range } = this.read(name);
    const rate = value.kind === "float" || value.kind === "int" ? value.value : -1;
    return rate >= 0 && rate < 1
      ? rate
      : this.invalid(`'${name}' of ${this.op} must be at least 0 and below 1, got ${rate}`, range, 0);
  }
}
