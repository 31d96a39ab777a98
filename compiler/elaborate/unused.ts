/**
 * Definitions the chosen space never applies are not elaborated, but a typo
 * in them should still be found by `figs check`. This pass resolves their
 * names statically (the same scopes elaboration uses) and checks their
 * parameter types; definitions that were applied are left to elaboration.
 */
import type * as A from "../../grammar/ast.js";
import { definitionParams } from "./binding.js";
import { BUILTINS } from "./builtins.js";
import { fail, worthDescribing, type Elaboration } from "./context.js";
import { PRIMITIVES } from "./primitives.js";
import { didYouMean, unknownNameHint } from "./suggest.js";
import { AGGREGATORS } from "./values.js";
import { resultType } from "./functions.js";

class Names {
  private readonly names = new Set<string>();
  constructor(private readonly parent?: Names) {}

  add(name: string): void {
    this.names.add(name);
  }

  has(name: string): boolean {
    return this.names.has(name) || (this.parent?.has(name) ?? false);
  }

  all(): string[] {
    return [...this.names, ...(this.parent?.all() ?? [])];
  }
}

interface Checker {
  readonly ctx: Elaboration;
  readonly known: Set<string>;
}

export function checkUnusedDefinitions(ctx: Elaboration, applied: ReadonlySet<A.Definition>): void {
  const known = new Set([
    ...ctx.definitions.keys(),
    ...Object.keys(PRIMITIVES),
    ...Object.keys(BUILTINS),
    ...ctx.globals.names(),
    ...AGGREGATORS,
  ]);
  for (const definition of ctx.definitions.values()) {
    if (applied.has(definition)) continue;
    definitionParams(ctx, definition);
    if (definition.definitionKind === "fn") resultType(ctx, definition);
    const scope = new Names();
    scope.add("input");
    for (const param of definition.params) {
      if (param.defaultValue) checkExpression({ ctx, known }, param.defaultValue, scope);
      scope.add(param.name.name);
    }
    checkBody({ ctx, known }, definition.body, scope);
  }
}

function checkBody(checker: Checker, body: A.Body, parent: Names): void {
  const scope = new Names(parent);
  for (const statement of body.statements) checkStatement(checker, statement, scope);
}

function checkStatement(checker: Checker, statement: A.Statement, scope: Names): void {
  switch (statement.kind) {
    case "Let":
      checkChain(checker, statement.value, scope);
      return scope.add(statement.name.name);
    case "Assign":
      checkChain(checker, statement.value, scope);
      return checkAssigned(checker, statement.name, scope);
    case "For": {
      checkExpression(checker, statement.iterable, scope);
      const loop = new Names(scope);
      loop.add(statement.variable.name);
      return checkBody(checker, statement.body, loop);
    }
    case "If":
      checkExpression(checker, statement.condition, scope);
      checkBody(checker, statement.then, scope);
      if (statement.otherwise?.kind === "If") return checkStatement(checker, statement.otherwise, scope);
      if (statement.otherwise) checkBody(checker, statement.otherwise, scope);
      return;
    case "ChainStatement":
      return checkChain(checker, statement.chain, scope);
    case "Return":
      return checkExpression(checker, statement.value, scope);
  }
}

function checkAssigned(checker: Checker, name: A.Identifier, scope: Names): void {
  if (scope.has(name.name) || !worthDescribing(checker.ctx, "UndeclaredAssignment", name.range)) return;
  const suggestion = didYouMean(name.name, scope.all());
  const message = `cannot assign '${name.name}': no 'let ${name.name}' encloses this assignment${suggestion}`;
  fail(checker.ctx, "UndeclaredAssignment", message, name.range);
}

function checkChain(checker: Checker, chain: A.Chain, scope: Names): void {
  for (const step of chain.steps) checkExpression(checker, step.expression, scope);
}

function checkName(checker: Checker, name: string, range: A.NameRef["range"], scope: Names): void {
  if (scope.has(name) || checker.known.has(name) || !worthDescribing(checker.ctx, "UnknownName", range)) return;
  fail(
    checker.ctx,
    "UnknownName",
    `unknown name '${name}'${unknownNameHint(name, [...scope.all(), ...checker.known])}`,
    range,
  );
}

function checkExpression(checker: Checker, expression: A.Expression, scope: Names): void {
  for (const child of children(expression)) {
    if ("kind" in child && child.kind === "Body") checkBody(checker, child, scope);
    else if ("kind" in child && child.kind === "Chain") checkChain(checker, child, scope);
    else checkExpression(checker, child, scope);
  }
  if (expression.kind === "Name") checkName(checker, expression.name, expression.range, scope);
  if (expression.kind === "Call") checkName(checker, expression.callee.name, expression.callee.range, scope);
}

function children(expression: A.Expression): (A.Expression | A.Chain | A.Body)[] {
  switch (expression.kind) {
    case "List":
      return [...expression.elements];
    case "Unary":
      return [expression.operand];
    case "Binary":
      return [expression.left, expression.right];
    case "Range":
      return [expression.start, expression.end];
    case "Call":
      return expression.args.map((arg) => arg.value);
    case "Index":
      return [expression.target, expression.index];
    case "Slice":
      return [expression.target, expression.start, expression.end, expression.step].filter(
        (e): e is A.Expression => e !== undefined,
      );
    case "Parenthesized":
      return [expression.expression];
    case "Branches":
      return [expression.body, expression.aggregator];
    case "Residual":
      return expression.shortcut ? [expression.body, expression.shortcut] : [expression.body];
    default:
      return [];
  }
}
