/**
 * Inlay hints: after each space's header, its params and madds with every
 * mask group at full width; after each op, block and cell definition's
 * header, the same summed over its instances in the file's spaces.
 */
import type { InlayHint, Range } from "vscode-languageserver";
import { costLine } from "../../compiler/index.js";
import type { Definition, Program } from "../../grammar/ast.js";
import type { Analysis } from "./analysis.js";

export function inlayHints(program: Program, analysis: Analysis, range: Range): InlayHint[] {
  const spaces = analysis.spaces.length;
  return program.items.flatMap((item) => {
    if (item.kind !== "Definition") return [];
    const line = item.body.range.start.line - 1;
    if (line < range.start.line || line > range.end.line) return [];
    const labels = labelsOf(item, analysis, spaces > 1);
    const position = { line, character: item.body.range.start.column - 1 };
    return labels.map((label) => ({ position, label, paddingLeft: false, paddingRight: true }));
  });
}

function labelsOf(definition: Definition, analysis: Analysis, named: boolean): string[] {
  if (definition.definitionKind === "space") {
    const space = analysis.spaces.find((s) => s.space === definition.name.name);
    return space ? [costLine(space.total)] : [];
  }
  return (analysis.definitions.get(definition.name.name) ?? []).map((cost) => {
    const where = named ? `${cost.space}: ` : "";
    const times = cost.instances === 1 ? "" : `${cost.instances}× · `;
    return `${where}${times}${costLine(cost)}`;
  });
}
