/**
 * Parallel structures. `branches { … } aggregate A`: every chain statement in
 * the body is a branch applied to the same incoming tensor, joined by one add
 * (sum) or concat node. `residual { f } shortcut { g }`: add(g(x), f(x)), g
 * the identity (x itself) when absent.
 */
import type * as A from "../../grammar/ast.js";
import { Env, fail, needTensor, type Flow, type Site, type StepMarks } from "./context.js";
import { evaluate } from "./expressions.js";
import { runBody } from "./statements.js";
import { tensor, typeName, type Aggregator, type Value, type ValueOf } from "./values.js";
import type { OpKind } from "../graph.js";
import type { InputRef } from "./graph-builder.js";

const AGGREGATOR_OPS = { sum: "add", concat: "concat", mul: "mul" } as const satisfies Record<Aggregator, OpKind>;

export function applyBranches(node: A.Branches, site: Site, marks: StepMarks): Value | undefined {
  const ctx = site.frame.ctx;
  const x = needTensor(site, "branches", node.range);
  const aggregator = x && evaluate(node.aggregator, site);
  if (!x || !aggregator) return undefined;
  if (aggregator.kind !== "agg") {
    return fail(
      ctx,
      "TypeMismatch",
      `'aggregate' needs sum, concat or mul, got ${typeName(aggregator)}`,
      node.aggregator.range,
    );
  }
  const flow: Flow = { current: x, branches: [] };
  runBody(node.body, { ...site.frame, env: new Env(site.frame.env), flow });
  const outputs = (flow.branches ?? []) as ValueOf<"tensor">[];
  if (flow.broken) return undefined;
  if (outputs.length === 0) {
    return fail(
      ctx,
      "NothingToAggregate",
      "these branches have no branch: each chain statement inside the braces is one",
      node.range,
    );
  }
  if (outputs.length === 1) return outputs[0];
  const op = AGGREGATOR_OPS[aggregator.value];
  const inputs: InputRef[] = outputs.map((t, i) => ({ id: t.id, role: `branch ${i + 1}` }));
  marks.consumed = true;
  const id = ctx.graph.add(op, {}, inputs, node.aggregator.range, site.frame.instance, marks.label);
  return id === undefined ? undefined : tensor(id);
}

export function applyResidual(node: A.Residual, site: Site, marks: StepMarks): Value | undefined {
  const ctx = site.frame.ctx;
  const x = needTensor(site, "residual", node.range);
  if (!x) return undefined;
  const main = runPath(node.body, site, x);
  const shortcut = node.shortcut ? runPath(node.shortcut, site, x) : x;
  if (!main || !shortcut) return undefined;
  const inputs: InputRef[] = [
    { id: shortcut.id, role: node.shortcut ? "the shortcut" : "the identity shortcut" },
    { id: main.id, role: "the residual branch" },
  ];
  marks.consumed = true;
  const id = ctx.graph.add("add", {}, inputs, node.range, site.frame.instance, marks.label);
  return id === undefined ? undefined : tensor(id);
}

/** One path of a residual: a body run from x in its own scope; its last tensor. */
function runPath(body: A.Body, site: Site, x: ValueOf<"tensor">): ValueOf<"tensor"> | undefined {
  const flow: Flow = { current: x };
  runBody(body, { ...site.frame, env: new Env(site.frame.env), flow });
  return flow.current.kind === "tensor" ? flow.current : undefined;
}
