/**
 * Running a body: statements in order over a shared flow (the current tensor).
 * Loops unroll with a scope per iteration, ifs are decided at compile time,
 * `let` binds a value or a tensor without moving the flow, a chain statement
 * moves it (or, in a branches body, adds one branch).
 */
import type * as A from "../../grammar/ast.js";
import { BROKEN, Env, fail, NONE, tick, worthDescribing, type Frame } from "./context.js";
import { describe, evaluateChain, listHint } from "./chains.js";
import { evaluate } from "./expressions.js";
import { didYouMean } from "./suggest.js";
import { typeName } from "./values.js";

export function runBody(body: A.Body, frame: Frame): void {
  for (const statement of body.statements) {
    if (frame.result?.done || !tick(frame.ctx, statement.range)) return;
    runStatement(statement, frame);
  }
}

function runStatement(statement: A.Statement, frame: Frame): void {
  switch (statement.kind) {
    case "ChainStatement":
      return runChainStatement(statement, frame);
    case "Let":
      return frame.env.declare(
        statement.name.name,
        evaluateChain(statement.value, frame, frame.flow.current),
        statement.name.range,
      );
    case "Assign":
      return runAssign(statement, frame);
    case "For":
      return runFor(statement, frame);
    case "If":
      return runIf(statement, frame);
    case "Return":
      return runReturn(statement, frame);
  }
}

/** `return value`: ends the function whose body this is; outside a function, an error. */
function runReturn(statement: A.ReturnStatement, frame: Frame): void {
  if (!frame.result) {
    const message =
      "'return' outside a function: only a fn returns a value (an op, block, cell or space " +
      "ends with its current tensor)";
    fail(frame.ctx, "ReturnOutsideFunction", message, statement.range);
    return breakFlow(frame);
  }
  const value = evaluate(statement.value, { frame, incoming: NONE });
  frame.result.done = true;
  frame.result.range = statement.range;
  if (value) frame.result.value = value;
}

function runChainStatement(statement: A.ChainStatement, frame: Frame): void {
  const { flow } = frame;
  const value = evaluateChain(statement.chain, frame, flow.current);
  const result = value?.kind === "tensor" ? value : undefined;
  if (value && !result) {
    const message =
      `this statement gives ${describe(value)}, not a tensor: ` +
      `a statement must compute a tensor (name values with 'let')${listHint(value)}`;
    fail(frame.ctx, "NotATensor", message, statement.range);
  }
  if (flow.branches) {
    if (result) flow.branches.push(result);
    else flow.broken = true;
  } else {
    flow.current = result ?? BROKEN;
  }
}

function runAssign(statement: A.AssignStatement, frame: Frame): void {
  const name = statement.name.name;
  const value = evaluateChain(statement.value, frame, frame.flow.current);
  const binding = frame.env.lookupLocal(name);
  if (binding) {
    binding.value = value;
    return;
  }
  if (!worthDescribing(frame.ctx, "UndeclaredAssignment", statement.name.range)) return;
  const hint = frame.env.lookup(name)
    ? ": it is a top-level constant; declare a local copy with 'let'"
    : didYouMean(name, frame.env.names());
  fail(
    frame.ctx,
    "UndeclaredAssignment",
    `cannot assign '${name}': no 'let ${name}' encloses this assignment${hint}`,
    statement.name.range,
  );
}

function runFor(statement: A.ForStatement, frame: Frame): void {
  const ctx = frame.ctx;
  const iterable = evaluate(statement.iterable, { frame, incoming: frame.flow.current });
  if (!iterable) return breakFlow(frame);
  if (iterable.kind !== "list") {
    fail(ctx, "TypeMismatch", `'for' needs a list or a range, got ${typeName(iterable)}`, statement.iterable.range);
    return breakFlow(frame);
  }
  for (const item of iterable.items) {
    if (frame.result?.done || !tick(ctx, statement.range)) return;
    const env = new Env(frame.env);
    env.declare(statement.variable.name, item, statement.variable.range);
    runBody(statement.body, { ...frame, env });
  }
}

function runIf(statement: A.IfStatement, frame: Frame): void {
  const condition = evaluate(statement.condition, { frame, incoming: frame.flow.current });
  if (!condition) return breakFlow(frame);
  if (condition.kind !== "bool") {
    fail(
      frame.ctx,
      "TypeMismatch",
      `an 'if' condition must be a bool, got ${typeName(condition)}`,
      statement.condition.range,
    );
    return breakFlow(frame);
  }
  const chosen = condition.value ? statement.then : statement.otherwise;
  if (!chosen) return;
  if (chosen.kind === "If") return runIf(chosen, frame);
  runBody(chosen, { ...frame, env: new Env(frame.env) });
}

/** A loop or if that could not be decided leaves the flow unknown: later steps stay silent. */
function breakFlow(frame: Frame): void {
  if (frame.flow.branches) frame.flow.broken = true;
  else frame.flow.current = BROKEN;
}
