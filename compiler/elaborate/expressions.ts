/**
 * Evaluating expressions. Values are computed at compile time; a primitive or
 * definition (called or named bare) is applied to the tensor flowing into the
 * step, and structures (branches, residual) build subgraphs from it.
 */
import type * as A from "../../grammar/ast.js";
import { applyBinary, applyUnary } from "./operators.js";
import {
  charge,
  fail,
  MAX_LIST_NESTING,
  NO_MARKS,
  tick,
  type Current,
  type Elaboration,
  type Site,
  type StepMarks,
} from "./context.js";
import { evaluateCall, evaluateName } from "./calls.js";
import { evaluateChain } from "./chains.js";
import { applyBranches, applyResidual } from "./structures.js";
import { bool, count, deepest, float, int, list, str, typeName, type Value } from "./values.js";

export function evaluate(expression: A.Expression, site: Site, marks: StepMarks = NO_MARKS): Value | undefined {
  const ctx = site.frame.ctx;
  // Every expression evaluated is a step: a statement in a loop may be a large expression.
  if (!tick(ctx, expression.range)) return undefined;
  switch (expression.kind) {
    case "Number":
      return expression.isInteger ? integerLiteral(ctx, expression) : float(expression.value);
    case "String":
      return str(expression.value);
    case "Boolean":
      return bool(expression.value);
    case "In":
      return channelsOf(ctx, site.incoming, expression.range, site.frame.inSpace);
    case "Name":
      return evaluateName(expression, site, marks);
    case "List":
      return evaluateList(expression, site);
    case "Unary":
      return evaluateUnary(expression, site);
    case "Binary":
      return evaluateBinary(expression, site);
    case "Range":
      return evaluateRange(expression, site);
    case "Call":
      return evaluateCall(expression, site, marks);
    case "Index":
      return evaluateIndex(expression, site);
    case "Slice":
      return evaluateSlice(expression, site);
    case "Parenthesized":
      return evaluateChain(expression.expression, site.frame, site.incoming);
    case "Branches":
      return applyBranches(expression, site, marks);
    case "Residual":
      return applyResidual(expression, site, marks);
  }
}

function integerLiteral(ctx: Elaboration, literal: A.NumberLiteral): Value | undefined {
  if (Number.isSafeInteger(literal.value)) return int(literal.value);
  return fail(
    ctx,
    "NumberOutOfRange",
    `${literal.text} is too large for an exact int (the limit is 2^53)`,
    literal.range,
  );
}

/** `in`: the channel count of the tensor flowing into this step. */
export function channelsOf(
  ctx: Elaboration,
  incoming: Current,
  range: A.Expression["range"],
  inSpace: boolean,
): Value | undefined {
  if (incoming.kind === "tensor") return int(ctx.graph.shape(incoming.id).channels);
  if (incoming.kind === "broken") return undefined;
  const hint = inSpace ? "; the space has none before input(h, w, c)" : "";
  return fail(
    ctx,
    "NoCurrentTensor",
    `'in' is the channel count of the current tensor, but no tensor flows here${hint}`,
    range,
  );
}

/** A literal in a loop is built on every iteration: its elements count as work. */
function evaluateList(node: A.ListLiteral, site: Site): Value | undefined {
  const ctx = site.frame.ctx;
  if (!charge(ctx, node.elements.length, node.range)) return undefined;
  const items: Value[] = [];
  let ok = true;
  for (const element of node.elements) {
    const value = evaluate(element, site);
    if (value) items.push(value);
    else ok = false;
  }
  if (!ok) return undefined;
  // The only way lists get deeper: `x = [x]` in a loop would otherwise nest them a million levels.
  if (deepest(items) >= MAX_LIST_NESTING) {
    fail(
      ctx,
      "ListTooDeep",
      `this list would nest lists more than ${MAX_LIST_NESTING} deep (the list-nesting limit); flatten it`,
      node.range,
    );
    ctx.graph.aborted = true; // like the other limits: the loop that nests it stops here
    return undefined;
  }
  return list(items);
}

function evaluateUnary(node: A.Unary, site: Site): Value | undefined {
  const operand = evaluate(node.operand, site);
  return operand && applyUnary(site.frame.ctx, node, operand);
}

function evaluateBinary(node: A.Binary, site: Site): Value | undefined {
  const ctx = site.frame.ctx;
  const left = evaluate(node.left, site);
  if (!left) return undefined;
  if (node.operator === "and" || node.operator === "or") return logical(node, left, site);
  const right = evaluate(node.right, site);
  return right && applyBinary(ctx, node, left, right);
}

/** `and` / `or` short-circuit, so `i > 0 and xs[i - 1] == 2` is safe at i = 0. */
function logical(node: A.Binary, left: Value, site: Site): Value | undefined {
  const ctx = site.frame.ctx;
  if (left.kind !== "bool")
    return fail(
      ctx,
      "TypeMismatch",
      `'${node.operator}' needs bools, got ${typeName(left)} on its left`,
      node.left.range,
    );
  if ((node.operator === "and" && !left.value) || (node.operator === "or" && left.value)) return left;
  const right = evaluate(node.right, site);
  if (!right) return undefined;
  if (right.kind !== "bool")
    return fail(
      ctx,
      "TypeMismatch",
      `'${node.operator}' needs bools, got ${typeName(right)} on its right`,
      node.right.range,
    );
  return right;
}

function evaluateRange(node: A.Range, site: Site): Value | undefined {
  const ctx = site.frame.ctx;
  const start = evaluate(node.start, site);
  const end = evaluate(node.end, site);
  if (!start || !end) return undefined;
  if (start.kind !== "int" || end.kind !== "int") {
    return fail(ctx, "TypeMismatch", `a range needs ints, got ${typeName(start)}..${typeName(end)}`, node.range);
  }
  const length = Math.max(0, end.value - start.value);
  if (length > ctx.limits.maxListLength) {
    return fail(
      ctx,
      "ListTooLong",
      `this range has ${count(length)} elements, more than the ${count(ctx.limits.maxListLength)} a list may have ` +
        "(the list-length limit); loop over a shorter range, or nest two loops",
      node.range,
    );
  }
  if (!charge(ctx, length, node.range)) return undefined;
  return list(Array.from({ length }, (_, i) => int(start.value + i)));
}

function evaluateIndex(node: A.Index, site: Site): Value | undefined {
  const ctx = site.frame.ctx;
  const target = evaluate(node.target, site);
  const index = evaluate(node.index, site);
  if (!target || !index) return undefined;
  if (target.kind !== "list")
    return fail(ctx, "TypeMismatch", `only lists can be indexed, this is ${typeName(target)}`, node.target.range);
  if (index.kind !== "int")
    return fail(ctx, "TypeMismatch", `a list index must be an int, got ${typeName(index)}`, node.index.range);
  const length = target.items.length;
  const position = index.value < 0 ? index.value + length : index.value;
  const item = target.items[position];
  if (item && position >= 0) return item;
  const valid = length === 0 ? "the list is empty" : `valid indexes are ${-length}..${length - 1}`;
  return fail(
    ctx,
    "IndexOutOfRange",
    `index ${index.value} is out of range for a list of ${length} element${length === 1 ? "" : "s"}: ${valid}`,
    node.index.range,
  );
}

function evaluateSlice(node: A.Slice, site: Site): Value | undefined {
  const ctx = site.frame.ctx;
  const target = evaluate(node.target, site);
  const parts = [node.start, node.end, node.step].map((part) => (part ? sliceBound(part, site) : null));
  if (!target || parts.includes(undefined)) return undefined;
  if (target.kind !== "list")
    return fail(ctx, "TypeMismatch", `only lists can be sliced, this is ${typeName(target)}`, node.target.range);
  const [start, end, step] = parts as (number | null)[];
  if (step === 0) return fail(ctx, "InvalidValue", "a slice step cannot be zero", node.step!.range);
  const items = sliceItems(target.items, start ?? null, end ?? null, step ?? 1);
  return charge(ctx, items.length, node.range) ? list(items) : undefined;
}

function sliceBound(expression: A.Expression, site: Site): number | undefined {
  const value = evaluate(expression, site);
  if (!value) return undefined;
  if (value.kind === "int") return value.value;
  return fail(site.frame.ctx, "TypeMismatch", `a slice bound must be an int, got ${typeName(value)}`, expression.range);
}

/** Python's slice semantics: negative bounds count from the end, out-of-range bounds clamp. */
export function sliceItems<T>(items: readonly T[], start: number | null, end: number | null, step: number): T[] {
  const length = items.length;
  const clamp = (bound: number, low: number, high: number) =>
    Math.min(Math.max(bound < 0 ? bound + length : bound, low), high);
  const from =
    start === null ? (step > 0 ? 0 : length - 1) : clamp(start, step > 0 ? 0 : -1, step > 0 ? length : length - 1);
  const to = end === null ? (step > 0 ? length : -1) : clamp(end, step > 0 ? 0 : -1, step > 0 ? length : length - 1);
  const result: T[] = [];
  for (let i = from; step > 0 ? i < to : i > to; i += step) result.push(items[i]!);
  return result;
}
