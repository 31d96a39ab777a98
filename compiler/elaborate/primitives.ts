/**
 * The primitives applied to the current tensor: their signatures (one table,
 * keyed by op, so a new op without a signature is a type error) and how bound
 * arguments become the node's attributes, with range checks in the user's words.
 */
import type { OpAttrs, OpKind, Padding, Pair } from "../graph.js";
import type { Argument } from "../../grammar/ast.js";
import type { SourceRange } from "../../diagnostics/source.js";
import { bindArguments, checkMissing, type BoundArgument, type ParamSpec } from "./binding.js";
import { evaluateChain } from "./chains.js";
import { fail, needTensor, type Elaboration, type Site, type StepMarks } from "./context.js";
import { bool, int, str, tensor, type ParamType, type Value } from "./values.js";

export type AppliedOp = Exclude<OpKind, "input" | "concat" | "add">;

interface PrimitiveSpec<K extends AppliedOp> {
  readonly params: readonly ParamSpec[];
  readonly attrs: (args: ArgReader) => OpAttrs[K];
}

type PrimitiveTable = { readonly [K in AppliedOp]: PrimitiveSpec<K> };

const INT: ParamType = { kind: "int" };
const PAIR: ParamType = { kind: "pair" };
const required = (name: string, type: ParamType): ParamSpec => ({ name, type, hasDefault: false });
const optional = (name: string, type: ParamType, defaultValue: Value): ParamSpec => ({
  name,
  type,
  defaultValue,
  hasDefault: true,
});
const bias = (on: boolean) => optional("bias", { kind: "bool" }, bool(on));
const padding = optional("padding", { kind: "string" }, str("same"));
const stride = optional("stride", PAIR, int(1));
const NO_PARAMS = { params: [], attrs: () => ({}) } as const;

export const PRIMITIVES: PrimitiveTable = {
  conv: {
    params: [
      required("k", PAIR),
      required("width", INT),
      stride,
      optional("groups", INT, int(1)),
      bias(false),
      padding,
    ],
    attrs: (a) => ({
      kernel: a.pair("k"),
      stride: a.pair("stride"),
      padding: a.padding(),
      width: a.positive("width"),
      groups: a.positive("groups"),
      bias: a.flag("bias"),
    }),
  },
  dwconv: {
    params: [required("k", PAIR), stride, optional("multiplier", INT, int(1)), bias(false), padding],
    attrs: (a) => ({
      kernel: a.pair("k"),
      stride: a.pair("stride"),
      padding: a.padding(),
      multiplier: a.positive("multiplier"),
      bias: a.flag("bias"),
    }),
  },
  dense: {
    params: [required("width", INT), bias(true)],
    attrs: (a) => ({ width: a.positive("width"), bias: a.flag("bias") }),
  },
  maxpool: {
    params: [required("k", PAIR), stride, padding],
    attrs: (a) => ({ kernel: a.pair("k"), stride: a.pair("stride"), padding: a.padding() }),
  },
  avgpool: {
    params: [required("k", PAIR), stride, padding],
    attrs: (a) => ({ kernel: a.pair("k"), stride: a.pair("stride"), padding: a.padding() }),
  },
  dropout: {
    params: [required("rate", { kind: "float" })],
    attrs: (a) => ({ rate: a.rate("rate") }),
  },
  bn: NO_PARAMS,
  relu: NO_PARAMS,
  relu6: NO_PARAMS,
  sigmoid: NO_PARAMS,
  swish: NO_PARAMS,
  global_avgpool: NO_PARAMS,
  flatten: NO_PARAMS,
  identity: NO_PARAMS,
};

export function isAppliedPrimitive(name: string): name is AppliedOp {
  return Object.hasOwn(PRIMITIVES, name);
}

/** Applies a primitive to the incoming tensor: one new node, named by the step's `as` if any. */
export function applyPrimitive(
  op: AppliedOp,
  args: readonly Argument[],
  range: SourceRange,
  site: Site,
  marks: StepMarks,
): Value | undefined {
  const ctx = site.frame.ctx;
  const x = needTensor(site, op, range);
  if (!x) return undefined;
  const spec: PrimitiveSpec<AppliedOp> = PRIMITIVES[op];
  const callee = { title: op, params: spec.params };
  const bound = bindArguments(ctx, callee, args, (arg) => evaluateChain(arg.value, site.frame, site.incoming));
  if (!bound || !checkMissing(ctx, callee, bound, range)) return undefined;
  const reader = new ArgReader(ctx, op, spec.params, bound, range);
  const attrs = spec.attrs(reader);
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
export class ArgReader {
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

  padding(): Padding {
    const { value, range } = this.read("padding");
    if (value.kind === "string" && (value.value === "same" || value.value === "valid")) return value.value;
    const shown = value.kind === "string" ? `"${value.value}"` : "this";
    return this.invalid(`padding of ${this.op} must be "same" or "valid", not ${shown}`, range, "same");
  }

  rate(name: string): number {
    const { value, range } = this.read(name);
    const rate = value.kind === "float" || value.kind === "int" ? value.value : -1;
    return rate >= 0 && rate < 1
      ? rate
      : this.invalid(`'${name}' of ${this.op} must be at least 0 and below 1, got ${rate}`, range, 0);
  }
}
