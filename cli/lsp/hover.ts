/**
 * Hover: what a name stands for — a definition's signature, its doc comment
 * and its cost in the file's spaces; a parameter with its type and default;
 * a `let` with its value — and, on a primitive's call, what it made in each
 * space: the op, its output shape, its mask groups with their sizes, and its
 * params and madds with every group at full width.
 */
import { MarkupKind, type Hover } from "vscode-languageserver";
import { costLine, formatShape, groupLines, opText } from "../../compiler/index.js";
import type { Definition } from "../../grammar/ast.js";
import { nodesAt, type Analysis } from "./analysis.js";
import type { Binding, Occurrence } from "./bindings.js";
import { docComment } from "./doc-comments.js";
import { occurrenceAt } from "./occurrences.js";
import { lspRange } from "./ranges.js";
import {
  BUILTIN_NAMES,
  definitionSignature,
  parameterInfo,
  parameterLine,
  primitiveNamed,
  primitiveSignature,
  type TextOf,
} from "./signatures.js";
import { uriOf } from "./uri.js";
import type { FileModel } from "./workspace.js";

/** Instances of one call listed in a hover before "and N more". */
const INSTANCES_LISTED = 4;
/** A `let`'s value is shown up to this many characters. */
const VALUE_SHOWN = 160;

export interface HoverContext {
  readonly model: FileModel;
  readonly analysis: () => Analysis;
  readonly textOf: TextOf;
  readonly programOf: (file: string) => FileModel["program"];
  /** A file as the user knows it: relative to the workspace, or `stdlib/…`. */
  readonly displayPath: (file: string) => string;
}

export function hoverAt(context: HoverContext, offset: number): Hover | null {
  const names = context.model.names;
  if (!names) return null;
  const occurrence = occurrenceAt(names, offset);
  if (!occurrence) return null;
  const sections = occurrence.binding
    ? bindingSections(context, occurrence.binding)
    : unboundSections(context, occurrence, offset);
  if (sections.length === 0) return null;
  return {
    contents: { kind: MarkupKind.Markdown, value: sections.join("\n\n---\n\n") },
    range: lspRange(occurrence.range),
  };
}

function code(text: string): string {
  return "```figs\n" + text + "\n```";
}

function bindingSections(context: HoverContext, binding: Binding): string[] {
  const { textOf } = context;
  switch (binding.kind) {
    case "op":
    case "block":
    case "cell":
    case "space":
    case "fn":
      return definitionSections(context, binding.definition!);
    case "parameter": {
      const owner = binding.definition ? `\n\nof \`${binding.definition.name.name}\`` : "";
      return [code(`(parameter) ${parameterLine(parameterInfo(binding.parameter!, textOf))}`) + owner];
    }
    case "let":
    case "constant": {
      const value = binding.value ? sourceText(textOf, binding.value.range) : "…";
      const shown = value.length > VALUE_SHOWN ? `${value.slice(0, VALUE_SHOWN)}…` : value;
      const title = code(`${binding.kind === "constant" ? "(constant) " : ""}let ${binding.name} = ${shown}`);
      return [title, ...docOf(context, binding)];
    }
    case "loop":
      return [code(`(loop variable) ${binding.name}`)];
    case "input":
      return [
        code("(input) input"),
        `the tensor \`${binding.definition?.name.name ?? "the definition"}\` is applied to`,
      ];
  }
}

function sourceText(textOf: TextOf, range: Binding["range"]): string {
  return textOf(range.file)?.slice(range.start.offset, range.end.offset) ?? "…";
}

function docOf(context: HoverContext, item: { readonly range: Binding["range"] }): string[] {
  const program = context.programOf(item.range.file);
  const text = context.textOf(item.range.file);
  const doc = program && text !== undefined ? docComment(program, text, item) : undefined;
  return doc ? [doc] : [];
}

function definitionSections(context: HoverContext, definition: Definition): string[] {
  const { file, start } = definition.name.range;
  const where =
    file === context.model.path ? [] : [`defined in [${context.displayPath(file)}](${uriOf(file)}#L${start.line})`];
  const facts = [...where, ...costLines(context.analysis(), definition)];
  return [
    code(definitionSignature(definition, context.textOf)),
    ...docOf(context, definition),
    ...(facts.length > 0 ? [facts.join("  \n")] : []),
  ];
}

function costLines(analysis: Analysis, definition: Definition): string[] {
  if (definition.definitionKind === "space") {
    const space = analysis.spaces.find((s) => s.space === definition.name.name);
    return space ? [`${space.stages.graph.nodes.length} ops · ${costLine(space.total)}`] : [];
  }
  return (analysis.definitions.get(definition.name.name) ?? []).map(
    (cost) => `in space \`${cost.space}\`: ${instances(cost.instances)} · ${costLine(cost)}`,
  );
}

function instances(count: number): string {
  return `${count} ${count === 1 ? "instance" : "instances"}`;
}

function unboundSections(context: HoverContext, occurrence: Occurrence, offset: number): string[] {
  const primitive = primitiveNamed(occurrence.name);
  if (primitive && occurrence.role === "reference") {
    return [code(primitiveSignature(primitive)), ...opSections(context.analysis(), context.model.path, offset)];
  }
  if (BUILTIN_NAMES.includes(occurrence.name) && occurrence.role === "reference")
    return [code(`(built-in function) ${occurrence.name}`)];
  return [];
}

/** What the call at the offset made, instance by instance. */
function opSections(analysis: Analysis, path: string, offset: number): string[] {
  const made = nodesAt(analysis, path, offset);
  const listed = made.slice(0, INSTANCES_LISTED).map(({ space, node }) => {
    const { plan } = space.stages;
    const cost = { params: space.costs.params[node.id]!, madds: space.costs.madds[node.id]! };
    return [
      `**${opText(node)} → ${formatShape(node.shape)}** — \`${node.name}\` in space \`${space.space}\``,
      costLine(cost),
      ...groupLines(plan.layouts[node.id] ?? [], plan.groups),
    ].join("  \n");
  });
  const more = made.length - listed.length;
  return more > 0 ? [...listed, `… and ${more} more ${more === 1 ? "instance" : "instances"}`] : listed;
}
