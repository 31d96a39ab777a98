/**
 * Static name resolution of one file, with the scopes the elaborator uses:
 * a definition's parameters and `input`, `let`s from their statement to the
 * end of their body, loop variables in their loop, and one namespace of the
 * definitions and constants of the file and everything it imports (the first
 * one of a name wins, as in compiler/elaborate). Every name written in the
 * file becomes an Occurrence, resolved to its Binding when it has one.
 */
import type * as A from "../../grammar/ast.js";
import type { LoadedModule } from "../../compiler/index.js";
import {
  definitionBinding,
  parameterBindings,
  type Binding,
  type Occurrence,
  type OccurrenceRole,
} from "./bindings.js";

export interface NameIndex {
  readonly path: string;
  /** Every name of the file, in the order the walk meets them. */
  readonly occurrences: readonly Occurrence[];
  /** Definitions and constants of the file and its imports, by name. */
  readonly globals: ReadonlyMap<string, Binding>;
  /** The file's parameters, `let`s, loop variables and `input`s. */
  readonly locals: readonly Binding[];
}

class Scope {
  private readonly names = new Map<string, Binding>();
  constructor(private readonly parent?: Scope) {}

  declare(binding: Binding): void {
    this.names.set(binding.name, binding);
  }

  lookup(name: string): Binding | undefined {
    return this.names.get(name) ?? this.parent?.lookup(name);
  }
}

interface Walk {
  readonly globals: ReadonlyMap<string, Binding>;
  readonly occurrences: Occurrence[];
  readonly locals: Binding[];
}

/** The namespace of loaded modules: imported files first, the root last, the first of a name kept. */
export function namespaceOf(modules: readonly LoadedModule[]): Map<string, Binding> {
  const globals = new Map<string, Binding>();
  for (const module of modules) {
    for (const item of module.program.items) {
      if (item.kind === "Import" || globals.has(item.name.name)) continue;
      if (item.kind === "Definition") globals.set(item.name.name, definitionBinding(item));
      else
        globals.set(item.name.name, {
          kind: "constant",
          name: item.name.name,
          range: item.name.range,
          value: item.value,
        });
    }
  }
  return globals;
}

export function indexNames(path: string, program: A.Program, modules: readonly LoadedModule[]): NameIndex {
  const walk: Walk = { globals: namespaceOf(modules), occurrences: [], locals: [] };
  const top = new Scope();
  for (const item of program.items) {
    if (item.kind === "Definition") walkDefinition(walk, item, top);
    else if (item.kind === "Let") {
      walkChain(walk, item.value, top);
      note(walk, item.name, "declaration", walk.globals.get(item.name.name));
    }
  }
  return { path, occurrences: walk.occurrences, globals: walk.globals, locals: walk.locals };
}

function note(walk: Walk, name: A.Identifier, role: OccurrenceRole, binding: Binding | undefined): void {
  walk.occurrences.push({ name: name.name, range: name.range, role, ...(binding ? { binding } : {}) });
}

function declareLocal(walk: Walk, scope: Scope, binding: Binding): void {
  scope.declare(binding);
  walk.locals.push(binding);
}

function walkDefinition(walk: Walk, definition: A.Definition, parent: Scope): void {
  note(walk, definition.name, "declaration", walk.globals.get(definition.name.name));
  const scope = new Scope(parent);
  if (definition.definitionKind !== "space") {
    const visible = { start: definition.body.range.start.offset, end: definition.range.end.offset };
    const input = { kind: "input", name: "input", range: definition.name.range, definition, visible } as const;
    scope.declare(input);
  }
  const parameters = parameterBindings(definition);
  definition.params.forEach((parameter, index) => {
    if (parameter.defaultValue) walkExpression(walk, parameter.defaultValue, scope);
    walk.occurrences.push({
      name: parameter.name.name,
      range: parameter.name.range,
      role: "declaration",
      binding: parameters[index]!,
    });
    declareLocal(walk, scope, parameters[index]!);
  });
  walkBody(walk, definition.body, scope, definition);
}

function walkBody(walk: Walk, body: A.Body, parent: Scope, owner?: A.Definition): void {
  const scope = new Scope(parent);
  for (const statement of body.statements) walkStatement(walk, statement, scope, body, owner);
}

function walkStatement(walk: Walk, statement: A.Statement, scope: Scope, body: A.Body, owner?: A.Definition): void {
  switch (statement.kind) {
    case "Let": {
      walkChain(walk, statement.value, scope);
      const visible = { start: statement.range.end.offset, end: body.range.end.offset };
      const binding: Binding = {
        kind: "let",
        name: statement.name.name,
        range: statement.name.range,
        value: statement.value,
        visible,
        ...(owner ? { definition: owner } : {}),
      };
      note(walk, statement.name, "declaration", binding);
      return declareLocal(walk, scope, binding);
    }
    case "Assign":
      walkChain(walk, statement.value, scope);
      return note(walk, statement.name, "reference", scope.lookup(statement.name.name));
    case "For": {
      walkExpression(walk, statement.iterable, scope);
      const loop = new Scope(scope);
      const visible = { start: statement.body.range.start.offset, end: statement.body.range.end.offset };
      const binding: Binding = {
        kind: "loop",
        name: statement.variable.name,
        range: statement.variable.range,
        visible,
      };
      note(walk, statement.variable, "declaration", binding);
      declareLocal(walk, loop, binding);
      return walkBody(walk, statement.body, loop, owner);
    }
    case "If":
      walkExpression(walk, statement.condition, scope);
      walkBody(walk, statement.then, scope, owner);
      if (statement.otherwise?.kind === "If") return walkStatement(walk, statement.otherwise, scope, body, owner);
      if (statement.otherwise) walkBody(walk, statement.otherwise, scope, owner);
      return;
    case "ChainStatement":
      return walkChain(walk, statement.chain, scope);
    case "Return":
      return walkExpression(walk, statement.value, scope);
  }
}

function walkChain(walk: Walk, chain: A.Chain, scope: Scope): void {
  for (const step of chain.steps) walkExpression(walk, step.expression, scope);
}

/** A name used as a value: a local or constant first, then a definition (a call without parentheses). */
function resolveName(walk: Walk, name: string, scope: Scope): Binding | undefined {
  return scope.lookup(name) ?? walk.globals.get(name);
}

function walkExpression(walk: Walk, expression: A.Expression, scope: Scope): void {
  switch (expression.kind) {
    case "Name":
      walk.occurrences.push(nameOccurrence(expression, resolveName(walk, expression.name, scope)));
      return;
    case "Call":
      return walkCall(walk, expression, scope);
    case "Branches":
      walkBody(walk, expression.body, scope);
      return walkExpression(walk, expression.aggregator, scope);
    case "Residual":
      walkBody(walk, expression.body, scope);
      if (expression.shortcut) walkBody(walk, expression.shortcut, scope);
      return;
    case "Parenthesized":
      return walkChain(walk, expression.expression, scope);
    default:
      for (const child of childExpressions(expression)) walkExpression(walk, child, scope);
  }
}

function nameOccurrence(ref: A.NameRef, binding: Binding | undefined): Occurrence {
  return { name: ref.name, range: ref.range, role: "reference", ...(binding ? { binding } : {}) };
}

function walkCall(walk: Walk, call: A.Call, scope: Scope): void {
  const callee = resolveName(walk, call.callee.name, scope);
  note(walk, call.callee, "reference", callee);
  const parameters =
    callee?.definition && callee.kind === callee.definition.definitionKind ? parameterBindings(callee.definition) : [];
  for (const argument of call.args) {
    if (argument.name)
      note(
        walk,
        argument.name,
        "argument",
        parameters.find((p) => p.name === argument.name!.name),
      );
    walkChain(walk, argument.value, scope);
  }
}

/** The sub-expressions of the expressions without names, scopes or chains of their own. */
function childExpressions(expression: A.Expression): A.Expression[] {
  switch (expression.kind) {
    case "List":
      return [...expression.elements];
    case "Unary":
      return [expression.operand];
    case "Binary":
      return [expression.left, expression.right];
    case "Range":
      return [expression.start, expression.end];
    case "Index":
      return [expression.target, expression.index];
    case "Slice":
      return [expression.target, expression.start, expression.end, expression.step].filter(
        (child): child is A.Expression => child !== undefined,
      );
    default:
      return [];
  }
}
