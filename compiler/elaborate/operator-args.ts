/**
 * Operators as arguments (`block mbconv(width: int, act: op = relu)`): a
 * parameter of type `op` takes the name of a primitive (`hardswish`,
 * `dropout`) or of an op, block or cell definition, and the body applies it
 * like the operator itself (`act`, or `act(0.2)` with arguments). The name is
 * resolved where the argument is written, so an operator passed on through
 * several definitions stays the caller's.
 */
import type * as A from "../../grammar/ast.js";
import { fail, type Elaboration, type Site } from "./context.js";
import { evaluateChain } from "./chains.js";
import { evaluate } from "./expressions.js";
import { isAppliedPrimitive, PRIMITIVES } from "./primitives.js";
import { unknownNameHint } from "./suggest.js";
import { operator, type Value } from "./values.js";

/** The expression of a chain of one unmarked step (`relu` as an argument), else undefined. */
function onlyStep(chain: A.Chain): A.Expression | undefined {
  const step = chain.steps[0];
  return chain.steps.length === 1 && step && !step.fixed && !step.label ? step.expression : undefined;
}

/** Whether `name` names something a chain can apply: a primitive, or a definition other than a space. */
export function isOperatorName(ctx: Elaboration, name: string): boolean {
  const definition = ctx.definitions.get(name);
  if (definition) return definition.definitionKind !== "space";
  return isAppliedPrimitive(name);
}

/**
 * The value of an argument (or default) for an `op` parameter: an operator
 * for a bare name of one, the variable's value for a name bound in scope
 * (an `op` parameter passed on), and otherwise the expression's value, which
 * binding then reports as the wrong type.
 */
export function operatorArgument(written: A.Expression | A.Chain, site: Site): Value | undefined {
  const expression = written.kind === "Chain" ? onlyStep(written) : written;
  if (!expression) return evaluateChain(written as A.Chain, site.frame, site.incoming);
  if (expression.kind !== "Name") return evaluate(expression, site);
  const { ctx, env } = site.frame;
  const binding = env.lookup(expression.name);
  if (binding) return binding.value;
  if (isOperatorName(ctx, expression.name)) return operator(expression.name);
  const space = ctx.definitions.get(expression.name);
  if (space) {
    const note = { message: `'${expression.name}' is defined as a space here`, range: space.name.range };
    const message = `'${expression.name}' is a space, not an operator: pass a primitive or an op, block or cell`;
    return fail(ctx, "TypeMismatch", message, expression.range, [note]);
  }
  const known = [...ctx.definitions.keys(), ...Object.keys(PRIMITIVES)];
  const message = `'${expression.name}' is not an operator${unknownNameHint(expression.name, known)}`;
  return fail(ctx, "UnknownName", message, expression.range);
}
