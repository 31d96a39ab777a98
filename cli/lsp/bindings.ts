/**
 * What a name in a .figs file can stand for, as the language server sees it:
 * a definition, a top-level constant, a parameter, a `let`, a loop variable
 * or the `input` of a definition. A binding is known by where its name is
 * declared (`bindingKey`), so the same definition found through two files'
 * imports is one binding.
 */
import type { Chain, Definition, DefinitionKind, Parameter } from "../../grammar/ast.js";
import type { SourceRange } from "../../diagnostics/source.js";

export type BindingKind = DefinitionKind | "constant" | "parameter" | "let" | "loop" | "input";

export interface Binding {
  readonly kind: BindingKind;
  readonly name: string;
  /** The name where it is declared. */
  readonly range: SourceRange;
  /** The definition itself, or the one a parameter, `let`, loop variable or `input` belongs to. */
  readonly definition?: Definition;
  readonly parameter?: Parameter;
  /** The value of a `let` or a constant. */
  readonly value?: Chain;
  /** Offsets of the file where a local binding can be named. */
  readonly visible?: { readonly start: number; readonly end: number };
}

export type OccurrenceRole = "declaration" | "reference" | "argument";

/** A name as written in a file, with what it stands for (undefined: a primitive, a built-in or unknown). */
export interface Occurrence {
  readonly name: string;
  readonly range: SourceRange;
  readonly role: OccurrenceRole;
  readonly binding?: Binding;
}

export function bindingKey(binding: Pick<Binding, "range">): string {
  return `${binding.range.file}:${binding.range.start.offset}`;
}

export function isLocal(binding: Binding): boolean {
  return binding.visible !== undefined;
}

/** The parameters of a definition as bindings, visible in the rest of the definition. */
export function parameterBindings(definition: Definition): Binding[] {
  const end = definition.range.end.offset;
  return definition.params.map((parameter) => ({
    kind: "parameter",
    name: parameter.name.name,
    range: parameter.name.range,
    definition,
    parameter,
    visible: { start: parameter.range.end.offset, end },
  }));
}

export function definitionBinding(definition: Definition): Binding {
  return { kind: definition.definitionKind, name: definition.name.name, range: definition.name.range, definition };
}
