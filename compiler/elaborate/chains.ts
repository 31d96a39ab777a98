/**
 * Chains `a -> b -> c`: each step gets the previous step's result as its
 * incoming tensor; the first step gets the chain's start (the current tensor).
 * A step's `fixed` marks the conv/dense nodes it created; its `as` label is
 * consumed by whatever creates the named node or instance.
 */
import type { Chain, ChainStep } from "../../grammar/ast.js";
import { charge, fail, NO_MARKS, type Current, type Frame, type StepMarks } from "./context.js";
import { evaluate } from "./expressions.js";
import { typeName, type Value } from "./values.js";

export function evaluateChain(chain: Chain, frame: Frame, start: Current): Value | undefined {
  const ctx = frame.ctx;
  // A long chain in a loop is long work each time round (single steps are the statement's own tick).
  if (chain.steps.length > 1 && !charge(ctx, chain.steps.length - 1, chain.range)) return undefined;
  let incoming = start;
  let result: Value | undefined;
  for (let index = 0; index < chain.steps.length; index++) {
    const step = chain.steps[index] as ChainStep;
    if (result) {
      if (result.kind !== "tensor")
        return notATensorBeforeArrow(frame, result, (chain.steps[index - 1] as ChainStep).range);
      incoming = result;
    }
    const firstNew = ctx.graph.size;
    // Only a labelled step needs marks of its own, to learn whether something took the label.
    const marks: StepMarks = step.label ? { label: step.label, consumed: false } : NO_MARKS;
    result = evaluate(step.expression, { frame, incoming }, marks);
    if (!result) return undefined;
    if (step.label && !marks.consumed) {
      fail(
        ctx,
        "LabelWithoutNode",
        `'as ${step.label.name}' names nothing: this step creates no node or instance`,
        step.label.range,
      );
    }
    if (step.fixed) ctx.graph.markFixed(firstNew);
  }
  return result;
}

function notATensorBeforeArrow(frame: Frame, value: Value, range: Chain["range"]): undefined {
  const message = `'->' needs a tensor on its left, but this step gives ${describe(value)}${listHint(value)}`;
  return fail(frame.ctx, "NotATensor", message, range);
}

export function describe(value: Value): string {
  const type = typeName(value);
  return `${/^[aeiou]/.test(type) ? "an" : "a"} ${type}`;
}

/** A list of tensors is a common slip for the tensor they should be joined into. */
export function listHint(value: Value): string {
  const joinable =
    value.kind === "list" && value.items.length > 0 && value.items.every((item) => item.kind === "tensor");
  return joinable ? "; join a list of tensors with concat(…) or add(…)" : "";
}
