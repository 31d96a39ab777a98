/**
 * Names and calls: a local value, a definition applied to the incoming tensor
 * (in a new scope instance, with its own environment), a primitive, a built-in
 * function, or an aggregator. Unknown names suggest the closest known one.
 */
import type * as A from "../../grammar/ast.js";
import type { SourceRange } from "../../diagnostics/source.js";
import {
  article,
  bindArguments,
  checkMissing,
  declaredNote,
  definitionParams,
  type BoundArgument,
  type ParamSpec,
} from "./binding.js";
import { BUILTINS, isBuiltin } from "./builtins.js";
import { evaluateChain } from "./chains.js";
import {
  charge,
  Env,
  fail,
  needTensor,
  worthDescribing,
  type Elaboration,
  type Frame,
  type Site,
  type StepMarks,
} from "./context.js";
import { evaluate } from "./expressions.js";
import { callFunction, functionAsStep } from "./functions.js";
import { operatorArgument } from "./operator-args.js";
import { applyPrimitive, isAppliedPrimitive, PRIMITIVES } from "./primitives.js";
import { runBody } from "./statements.js";
import { unknownNameHint } from "./suggest.js";
import {
  AGGREGATORS,
  coerce,
  paramTypeName,
  tensor,
  typeName,
  type Aggregator,
  type Value,
  type ValueOf,
} from "./values.js";

const AGGREGATOR_SET: ReadonlySet<string> = new Set(AGGREGATORS);

export function evaluateName(ref: A.NameRef, site: Site, marks: StepMarks): Value | undefined {
  const { ctx, env } = site.frame;
  const binding = env.lookup(ref.name);
  // An `op` parameter named as a step is its operator applied, as `relu` is.
  if (binding?.value?.kind === "op") return applyCallee(binding.value.value, ref.range, [], ref.range, site, marks);
  if (binding) return binding.value;
  if (AGGREGATOR_SET.has(ref.name)) return { kind: "agg", value: ref.name as Aggregator };
  if (ref.name === "input") return imageInputName(ctx, ref.range);
  if (isBuiltin(ref.name)) {
    return fail(
      ctx,
      "NotCallable",
      `'${ref.name}' is a built-in function: call it with arguments, as in ${ref.name}(…)`,
      ref.range,
    );
  }
  return applyCallee(ref.name, ref.range, [], ref.range, site, marks);
}

function imageInputName(ctx: Elaboration, range: SourceRange): Value | undefined {
  if (ctx.imageInput !== undefined) return tensor(ctx.imageInput);
  return fail(
    ctx,
    "SpaceWithoutInput",
    "'input' names the image input, but this space has not created it yet: write input(h, w, c) first",
    range,
  );
}

export function evaluateCall(call: A.Call, site: Site, marks: StepMarks): Value | undefined {
  const name = call.callee.name;
  const binding = site.frame.env.lookup(name);
  if (binding?.value?.kind === "op") {
    return applyCallee(binding.value.value, call.callee.range, call.args, call.range, site, marks);
  }
  if (binding) {
    const shown = binding.value ? `${article(typeName(binding.value))}` : "a value";
    const note = { message: `'${name}' is declared here`, range: binding.range };
    return fail(
      site.frame.ctx,
      "NotCallable",
      `'${name}' is ${shown}, not an op or a definition: it cannot be called`,
      call.callee.range,
      [note],
    );
  }
  const builtin = BUILTINS[name];
  if (builtin) return builtin({ name, site, args: call.args, range: call.range, marks });
  const called = site.frame.ctx.definitions.get(name);
  if (called?.definitionKind === "fn") return callFunction(called, call, site);
  return applyCallee(name, call.callee.range, call.args, call.range, site, marks);
}

function applyCallee(
  name: string,
  nameRange: SourceRange,
  args: readonly A.Argument[],
  range: SourceRange,
  site: Site,
  marks: StepMarks,
): Value | undefined {
  const ctx = site.frame.ctx;
  const definition = ctx.definitions.get(name);
  if (definition) return applyDefinition(definition, args, range, site, marks);
  if (isAppliedPrimitive(name)) return applyPrimitive(name, args, range, site, marks);
  if (!worthDescribing(ctx, "UnknownName", nameRange)) return undefined;
  const known = [
    ...site.frame.env.names(),
    ...ctx.definitions.keys(),
    ...Object.keys(PRIMITIVES),
    ...Object.keys(BUILTINS),
    ...AGGREGATORS,
  ];
  return fail(ctx, "UnknownName", `unknown name '${name}'${unknownNameHint(name, known)}`, nameRange);
}

/** Applies an op/block/cell definition to the incoming tensor: its body runs in a new instance and environment. */
function applyDefinition(
  definition: A.Definition,
  args: readonly A.Argument[],
  range: SourceRange,
  site: Site,
  marks: StepMarks,
): Value | undefined {
  const ctx = site.frame.ctx;
  const name = definition.name.name;
  const title = `${definition.definitionKind} '${name}'`;
  if (definition.definitionKind === "fn") return functionAsStep(ctx, definition, range);
  if (definition.definitionKind === "space") {
    const note = { message: `'${name}' is defined as a space here`, range: definition.name.range };
    return fail(
      ctx,
      "SpaceCall",
      `'${name}' is a space and cannot be called; only op, block and cell definitions can`,
      range,
      [note],
    );
  }
  const x = needTensor(site, title, range);
  const params = definitionParams(ctx, definition);
  if (!x || !params) return undefined;
  // A fan-out of calls that create nothing still ends: each application is work, more with more parameters.
  if (!charge(ctx, 1 + params.length, range)) return undefined;
  const callee = { title, params, declaration: definition.name.range };
  const bound = bindArguments(ctx, callee, args, (arg, param) => argumentValue(arg, param, site));
  if (!bound || !checkMissing(ctx, callee, bound, range)) return undefined;
  if (ctx.depth >= ctx.limits.maxDepth) return recursionTooDeep(ctx, definition, range);
  ctx.applied.add(definition);
  const instance = ctx.graph.childInstance(site.frame.instance, definition.definitionKind, name, marks.label);
  marks.consumed = true;
  const frame: Frame = { ctx, env: new Env(ctx.globals), flow: { current: x }, instance, inSpace: false };
  frame.env.declare("input", x, definition.name.range);
  if (!bindParameters(frame, definition, params, bound, x) || !runDefinitionBody(frame, definition, range))
    return undefined;
  const result = frame.flow.current;
  return result.kind === "tensor" ? result : undefined;
}

/** An argument's value: an operator for an `op` parameter, otherwise the chain evaluated where the call is. */
export function argumentValue(arg: A.Argument, param: ParamSpec | undefined, site: Site): Value | undefined {
  return param?.type.kind === "op"
    ? operatorArgument(arg.value, site)
    : evaluateChain(arg.value, site.frame, site.incoming);
}

/** Runs a definition's (or function's) body one level deeper; false when the stack ran out (reported). */
export function runDefinitionBody(frame: Frame, definition: A.Definition, range: SourceRange): boolean {
  const ctx = frame.ctx;
  ctx.depth++;
  try {
    runBody(definition.body, frame);
    return true;
  } catch (cause) {
    // Bodies that nest deeply at every level can exhaust the JavaScript stack before the depth limit.
    if (!isStackOverflow(cause)) throw cause;
    stackExhausted(ctx, definition, range);
    return false;
  } finally {
    ctx.depth--;
  }
}

/** Past the depth limit: a diagnostic, and elaboration stops. */
export function recursionTooDeep(ctx: Elaboration, definition: A.Definition, range: SourceRange): undefined {
  const note = { message: `'${definition.name.name}' is defined here`, range: definition.name.range };
  const message = `definitions are applied more than ${ctx.limits.maxDepth} deep here: a recursion without an end?`;
  fail(ctx, "RecursionTooDeep", message, range, [note]);
  ctx.graph.aborted = true;
  return undefined;
}

/** V8 reports an exhausted stack as a RangeError, or as a SyntaxError when it happens while compiling a regex. */
function isStackOverflow(cause: unknown): boolean {
  return cause instanceof Error && cause.message.includes("Maximum call stack size exceeded");
}

function stackExhausted(ctx: Elaboration, definition: A.Definition, range: SourceRange): undefined {
  if (ctx.graph.aborted) return undefined;
  const note = { message: `'${definition.name.name}' is defined here`, range: definition.name.range };
  const message =
    `definitions are applied ${ctx.depth} deep here and their bodies nest too deeply for the compiler: ` +
    "a recursion without an end?";
  // Reporting needs stack too; if it overflows again, the next level up reports instead.
  fail(ctx, "RecursionTooDeep", message, range, [note]);
  ctx.graph.aborted = true;
  return undefined;
}

/** Declares every parameter in the callee's environment: the argument, or the default evaluated there. */
export function bindParameters(
  frame: Frame,
  definition: A.Definition,
  params: readonly ParamSpec[],
  bound: ReadonlyMap<string, BoundArgument>,
  x: ValueOf<"tensor"> | undefined,
): boolean {
  let ok = true;
  definition.params.forEach((param, i) => {
    const spec = params[i]!;
    const given = bound.get(spec.name)?.value;
    const value = given ?? (param.defaultValue && defaultValue(frame, spec, param.defaultValue, x));
    if (!value) ok = false;
    frame.env.declare(spec.name, value, param.name.range);
  });
  return ok;
}

function defaultValue(
  frame: Frame,
  spec: ParamSpec,
  expression: A.Expression,
  x: ValueOf<"tensor"> | undefined,
): Value | undefined {
  const site: Site = { frame, incoming: x ?? { kind: "none" } };
  const value = spec.type.kind === "op" ? operatorArgument(expression, site) : evaluate(expression, site);
  if (!value) return undefined;
  const converted = coerce(value, spec.type);
  if (converted) return converted;
  const message = `the default of '${spec.name}' must be ${article(paramTypeName(spec.type))}, got ${typeName(value)}`;
  return fail(frame.ctx, "TypeMismatch", message, expression.range, declaredNote(spec));
}
