/**
 * Functions: `fn make_divisible(v: float, divisor: int = 8) -> int { … return d }`.
 * A function computes a compile-time value from its arguments (torchvision's
 * _make_divisible, a channel rounding, a schedule of drop rates): its body runs
 * with no current tensor, `return` ends it, and the value must be of the
 * declared result type, which cannot be `tensor` (ops, blocks and cells make
 * tensors). A call is an expression, usable wherever a value is.
 */
import type * as A from "../../grammar/ast.js";
import type { SourceRange } from "../../diagnostics/source.js";
import { article, bindArguments, checkMissing, definitionParams, resolveType } from "./binding.js";
import { argumentValue, bindParameters, recursionTooDeep, runDefinitionBody } from "./calls.js";
import { charge, Env, fail, NONE, type Elaboration, type Frame, type FunctionResult, type Site } from "./context.js";
import { coerce, paramTypeName, typeName, type ParamType, type Value } from "./values.js";

/** The declared result type; reported when it is missing or `tensor`. */
export function resultType(ctx: Elaboration, definition: A.Definition): ParamType | undefined {
  const name = definition.name.name;
  if (!definition.returnType) {
    const message = `fn '${name}' needs its result type after the parameters, as in fn ${name}(…) -> int { … }`;
    return fail(ctx, "MissingReturn", message, definition.name.range);
  }
  const type = resolveType(ctx, definition.returnType);
  if (type?.kind !== "tensor") return type;
  const message =
    `fn '${name}' cannot return a tensor: a function computes compile-time values ` +
    "(int, float, bool, string, agg, op or lists); make tensors in an op, block or cell";
  return fail(ctx, "TypeMismatch", message, definition.returnType.range);
}

/** `f(…)` of a function: its value, or undefined (reported). */
export function callFunction(definition: A.Definition, call: A.Call, site: Site): Value | undefined {
  const ctx = site.frame.ctx;
  const params = definitionParams(ctx, definition);
  const returns = resultType(ctx, definition);
  if (!params || !returns || !charge(ctx, 1 + params.length, call.range)) return undefined;
  const callee = { title: `fn '${definition.name.name}'`, params, declaration: definition.name.range };
  const bound = bindArguments(ctx, callee, call.args, (arg, param) => argumentValue(arg, param, site));
  if (!bound || !checkMissing(ctx, callee, bound, call.range)) return undefined;
  if (ctx.depth >= ctx.limits.maxDepth) return recursionTooDeep(ctx, definition, call.range);
  ctx.applied.add(definition);
  const result: FunctionResult = { done: false };
  const frame: Frame = {
    ctx,
    env: new Env(ctx.globals),
    flow: { current: NONE },
    instance: site.frame.instance,
    inSpace: false,
    result,
  };
  if (!bindParameters(frame, definition, params, bound, undefined)) return undefined;
  if (!runDefinitionBody(frame, definition, call.range)) return undefined;
  return returnedValue(ctx, definition, returns, result, call.range);
}

function returnedValue(
  ctx: Elaboration,
  definition: A.Definition,
  returns: ParamType,
  result: FunctionResult,
  callRange: SourceRange,
): Value | undefined {
  const name = definition.name.name;
  if (!result.done) {
    const note = { message: `fn '${name}' is defined here`, range: definition.name.range };
    const message = `fn '${name}' ended without 'return' for this call: every path through its body must return`;
    return fail(ctx, "MissingReturn", message, callRange, [note]);
  }
  if (!result.value) return undefined; // the returned expression's own error was reported
  const converted = coerce(result.value, returns);
  if (converted) return converted;
  const note = { message: `its result type is declared here`, range: definition.returnType!.range };
  const message = `fn '${name}' must return ${article(paramTypeName(returns))}, got ${typeName(result.value)}`;
  return fail(ctx, "TypeMismatch", message, result.range ?? callRange, [note]);
}

/** A function named as a chain step, where an operator is applied: it computes a value, it is not applied. */
export function functionAsStep(ctx: Elaboration, definition: A.Definition, range: SourceRange): undefined {
  const name = definition.name.name;
  const note = { message: `'${name}' is defined as a function here`, range: definition.name.range };
  const message = `'${name}' is a function: it computes a value; call it where a value is needed, as in ${name}(…)`;
  return fail(ctx, "NotCallable", message, range, [note]);
}
