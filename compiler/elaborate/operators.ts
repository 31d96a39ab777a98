/**
 * Compile-time arithmetic, comparisons and logic. ints stay ints under
 * + - * // % and ** with a non-negative exponent; `/` always gives a float;
 * `//` and `%` follow Python (floor, sign of the divisor).
 */
import type { Binary, BinaryOperator, Unary } from "../../grammar/ast.js";
import { charge, fail, type Elaboration } from "./context.js";
import { bool, count, float, int, isNumber, list, str, typeName, valuesEqual, type Value } from "./values.js";

type NumberValue = Extract<Value, { kind: "int" | "float" }>;

export function applyUnary(ctx: Elaboration, node: Unary, operand: Value): Value | undefined {
  if (node.operator === "not") {
    if (operand.kind === "bool") return bool(!operand.value);
    return fail(ctx, "TypeMismatch", `'not' needs a bool, got ${typeName(operand)}`, node.range);
  }
  if (!isNumber(operand))
    return fail(ctx, "TypeMismatch", `'${node.operator}' needs a number, got ${typeName(operand)}`, node.range);
  const value = node.operator === "-" ? -operand.value : operand.value;
  return operand.kind === "int" ? int(value === 0 ? 0 : value) : float(value);
}

/** `and` / `or` are decided by the caller (they short-circuit); everything else is here. */
export function applyBinary(ctx: Elaboration, node: Binary, left: Value, right: Value): Value | undefined {
  const operator = node.operator;
  if (operator === "==" || operator === "!=") return equality(ctx, node, left, right);
  if (operator === "+" && left.kind === "string" && right.kind === "string")
    return concatStrings(ctx, node, left.value, right.value);
  if (operator === "+" && left.kind === "list" && right.kind === "list")
    return concatLists(ctx, node, left.items, right.items);
  if (isComparison(operator) && left.kind === "string" && right.kind === "string") {
    return charge(ctx, stringWork(left, right), node.range)
      ? bool(compare(operator, left.value, right.value))
      : undefined;
  }
  if (!isNumber(left) || !isNumber(right)) {
    const message = `cannot apply '${operator}' to ${typeName(left)} and ${typeName(right)}`;
    return fail(ctx, "TypeMismatch", message, node.range, []);
  }
  if (isComparison(operator)) return bool(compare(operator, left.value, right.value));
  return arithmetic(ctx, node, left, right);
}

/** Comparing lists costs their elements; the comparison stops early if they would pass the steps limit. */
function equality(ctx: Elaboration, node: Binary, left: Value, right: Value): Value | undefined {
  const work = { units: stringWork(left, right), limit: ctx.limits.maxSteps - ctx.budget.steps + 1 };
  const equal = valuesEqual(left, right, work);
  if (!charge(ctx, work.units, node.range)) return undefined;
  return bool(equal === (node.operator === "=="));
}

/** Comparing two strings reads up to the shorter one's length. */
function stringWork(left: Value, right: Value): number {
  return left.kind === "string" && right.kind === "string" ? Math.min(left.value.length, right.value.length) : 0;
}

/** A new list copies both: `xs = xs + [x]` in a loop is quadratic, and the steps limit counts it so. */
function concatLists(
  ctx: Elaboration,
  node: Binary,
  left: readonly Value[],
  right: readonly Value[],
): Value | undefined {
  const length = left.length + right.length;
  if (length > ctx.limits.maxListLength) {
    return fail(
      ctx,
      "ListTooLong",
      `this list would have ${count(length)} elements, more than the ${count(ctx.limits.maxListLength)} ` +
        "a list may have (the list-length limit); build a shorter one",
      node.range,
    );
  }
  if (!charge(ctx, length, node.range)) return undefined;
  return list(left.concat(right));
}

/** Strings are capped like lists: `s = s + s` doubles, and would reach a gigabyte in 30 steps. */
function concatStrings(ctx: Elaboration, node: Binary, left: string, right: string): Value | undefined {
  const length = left.length + right.length;
  if (length > ctx.limits.maxListLength) {
    return fail(
      ctx,
      "ListTooLong",
      `this string would have ${count(length)} characters, more than the ${count(ctx.limits.maxListLength)} ` +
        "a string may have (the list-length limit); build a shorter one",
      node.range,
    );
  }
  if (!charge(ctx, length, node.range)) return undefined;
  return str(left + right);
}

function isComparison(operator: BinaryOperator): operator is "<" | "<=" | ">" | ">=" {
  return operator === "<" || operator === "<=" || operator === ">" || operator === ">=";
}

function compare<T extends number | string>(operator: "<" | "<=" | ">" | ">=", a: T, b: T): boolean {
  switch (operator) {
    case "<":
      return a < b;
    case "<=":
      return a <= b;
    case ">":
      return a > b;
    case ">=":
      return a >= b;
  }
}

function arithmetic(ctx: Elaboration, node: Binary, left: NumberValue, right: NumberValue): Value | undefined {
  const bothInt = left.kind === "int" && right.kind === "int";
  const a = left.value;
  const b = right.value;
  switch (node.operator) {
    case "+":
      return numeric(ctx, node, a + b, bothInt);
    case "-":
      return numeric(ctx, node, a - b, bothInt);
    case "*":
      return numeric(ctx, node, a * b, bothInt);
    case "/":
      return b === 0 ? divisionByZero(ctx, node) : numeric(ctx, node, a / b, false);
    case "//":
      return b === 0 ? divisionByZero(ctx, node) : numeric(ctx, node, Math.floor(a / b), bothInt);
    case "%":
      return b === 0 ? divisionByZero(ctx, node) : numeric(ctx, node, a - b * Math.floor(a / b), bothInt);
    case "**":
      return power(ctx, node, a, b, bothInt);
    default:
      return fail(ctx, "InternalError", `operator '${node.operator}' reached arithmetic; please report it`, node.range);
  }
}

function power(ctx: Elaboration, node: Binary, a: number, b: number, bothInt: boolean): Value | undefined {
  if (a === 0 && b < 0) return divisionByZero(ctx, node);
  const result = a ** b;
  if (Number.isNaN(result)) return fail(ctx, "InvalidValue", `${a} ** ${b} is not a real number`, node.range);
  return numeric(ctx, node, result, bothInt && b >= 0);
}

function divisionByZero(ctx: Elaboration, node: Binary): undefined {
  const what = node.operator === "%" ? "modulo" : "division";
  const notes = [{ message: "the divisor is zero here", range: node.right.range }];
  return fail(ctx, "DivisionByZero", `${what} by zero in '${node.operator}'`, node.range, notes);
}

/** Results that lose exactness (ints past 2^53, infinities) are errors, not silent garbage. */
function numeric(ctx: Elaboration, node: Binary, value: number, asInt: boolean): Value | undefined {
  if (!Number.isFinite(value) || (asInt && !Number.isSafeInteger(value))) {
    return fail(
      ctx,
      "NumberOutOfRange",
      `the result of '${node.operator}' is too large to compute exactly`,
      node.range,
    );
  }
  if (!asInt) return float(value);
  return int(value === 0 ? 0 : value);
}
