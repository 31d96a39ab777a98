/**
 * Completion: named arguments of the call the cursor is in (with their types
 * and defaults), the names in scope (parameters, `let`s, loop variables),
 * the definitions and constants of the file and its imports, the primitives
 * (from the op specs), the built-ins, the parameter types in a definition's
 * header, and the keywords. Mid-edit text rarely parses, so the names come
 * from the file's last model that parsed.
 */
import { CompletionItemKind, MarkupKind, type CompletionItem } from "vscode-languageserver";
import { keywords } from "../../grammar/tokens.js";
import type { Definition } from "../../grammar/ast.js";
import type { Binding } from "./bindings.js";
import { cursorContext, type CursorContext } from "./call-context.js";
import { docComment } from "./doc-comments.js";
import type { NameIndex } from "./resolve.js";
import {
  AGGREGATOR_NAMES,
  BUILTIN_NAMES,
  definitionSignature,
  parameterInfo,
  parameterLine,
  PRIMITIVES,
  primitiveNamed,
  primitiveSignature,
  type ParameterInfo,
  type TextOf,
} from "./signatures.js";
import type { FileModel } from "./workspace.js";

const TYPES = ["int", "float", "bool", "string", "agg", "tensor", "op", "list"];

const KINDS: Record<Binding["kind"], CompletionItemKind> = {
  op: CompletionItemKind.Function,
  block: CompletionItemKind.Class,
  cell: CompletionItemKind.Module,
  space: CompletionItemKind.Module,
  fn: CompletionItemKind.Function,
  constant: CompletionItemKind.Constant,
  parameter: CompletionItemKind.Variable,
  let: CompletionItemKind.Variable,
  loop: CompletionItemKind.Variable,
  input: CompletionItemKind.Variable,
};

export interface CompletionInput {
  /** The document's text now and the cursor's offset in it. */
  readonly text: string;
  readonly offset: number;
  /** The current model when the text parses, else the last one that did. */
  readonly model?: FileModel;
  readonly textOf: TextOf;
  readonly programOf: (file: string) => FileModel["program"];
}

export function completionsAt(input: CompletionInput): CompletionItem[] {
  const context = cursorContext(input.text, input.offset);
  if (context.inert) return [];
  if (context.inTypePosition) return TYPES.map((type) => ({ label: type, kind: CompletionItemKind.TypeParameter }));
  const names = input.model?.names;
  return [
    ...namedArguments(context, names, input.textOf),
    ...(names ? localItems(names, input, context) : []),
    ...(names ? globalItems(names, input) : []),
    ...PRIMITIVES.map((primitive) => ({
      label: primitive.name,
      kind: CompletionItemKind.Function,
      detail: primitiveSignature(primitive),
      sortText: `3${primitive.name}`,
    })),
    ...[...BUILTIN_NAMES, ...AGGREGATOR_NAMES]
      .filter((name, index, all) => all.indexOf(name) === index)
      .map((name) => ({ label: name, kind: CompletionItemKind.Function, detail: "built-in", sortText: `3${name}` })),
    ...keywords.map((token) => keywordItem((token.PATTERN as RegExp).source)),
  ];
}

function keywordItem(word: string): CompletionItem {
  return { label: word, kind: CompletionItemKind.Keyword, sortText: `4${word}` };
}

function namedArguments(context: CursorContext, names: NameIndex | undefined, textOf: TextOf): CompletionItem[] {
  if (context.callee === undefined) return [];
  const parameters = calleeParameters(context.callee, names, textOf);
  return parameters
    .filter((parameter) => !context.namedBefore.includes(parameter.name))
    .map((parameter) => ({
      label: `${parameter.name}:`,
      kind: CompletionItemKind.Property,
      detail: parameterLine(parameter),
      insertText: `${parameter.name}: `,
      filterText: parameter.name,
      sortText: `0${parameter.name}`,
    }));
}

function calleeParameters(callee: string, names: NameIndex | undefined, textOf: TextOf): readonly ParameterInfo[] {
  const binding = names?.globals.get(callee);
  if (binding?.definition && binding.kind === binding.definition.definitionKind)
    return binding.definition.params.map((parameter) => parameterInfo(parameter, textOf));
  return primitiveNamed(callee)?.params ?? [];
}

/** The locals visible at the cursor; in a text that no longer parses, those of the enclosing definition. */
function localItems(names: NameIndex, input: CompletionInput, context: CursorContext): CompletionItem[] {
  const current = input.model?.text === input.text;
  const enclosing = current ? undefined : definitionNamed(names, context.enclosing);
  const visible = names.locals.filter((binding) =>
    current
      ? binding.visible!.start <= input.offset && input.offset <= binding.visible!.end
      : enclosing !== undefined && within(binding, enclosing),
  );
  const unique = new Map(visible.map((binding) => [binding.name, binding]));
  return [...unique.values()].map((binding) => ({
    label: binding.name,
    kind: KINDS[binding.kind],
    detail: localDetail(binding, input.textOf),
    sortText: `1${binding.name}`,
  }));
}

function definitionNamed(names: NameIndex, name: string | undefined): Definition | undefined {
  const binding = name === undefined ? undefined : names.globals.get(name);
  return binding?.definition && binding.range.file === names.path ? binding.definition : undefined;
}

function within(binding: Binding, definition: Definition): boolean {
  return (
    binding.range.start.offset >= definition.range.start.offset &&
    binding.range.end.offset <= definition.range.end.offset
  );
}

function localDetail(binding: Binding, textOf: TextOf): string {
  if (binding.parameter) return `(parameter) ${parameterLine(parameterInfo(binding.parameter, textOf))}`;
  return binding.kind === "loop" ? "(loop variable)" : "(let)";
}

function globalItems(names: NameIndex, input: CompletionInput): CompletionItem[] {
  return [...names.globals.values()].map((binding) => {
    const doc = documentation(binding, input);
    return {
      label: binding.name,
      kind: KINDS[binding.kind],
      detail: binding.definition ? definitionSignature(binding.definition, input.textOf) : "(constant)",
      ...(doc ? { documentation: { kind: MarkupKind.Markdown, value: doc } } : {}),
      sortText: `2${binding.name}`,
    };
  });
}

function documentation(binding: Binding, input: CompletionInput): string | undefined {
  const program = input.programOf(binding.range.file);
  const text = input.textOf(binding.range.file);
  const item = binding.definition ?? binding;
  return program && text !== undefined ? docComment(program, text, item) : undefined;
}
