/**
 * The doc comment of a definition or constant: the comments on the lines
 * right above it, each on a line of its own, without a blank line between
 * them and the item (how stdlib/ and spaces/ document their definitions).
 */
import type { Comment, Program } from "../../grammar/ast.js";
import type { SourceRange } from "../../diagnostics/source.js";

export function docComment(program: Program, text: string, item: { readonly range: SourceRange }): string | undefined {
  const lines: string[] = [];
  let line = item.range.start.line;
  const before = program.comments.filter((comment) => comment.range.end.offset <= item.range.start.offset);
  for (let index = before.length - 1; index >= 0; index--) {
    const comment = before[index]!;
    if (comment.range.end.line !== line - 1 && !(comment.block && comment.range.end.line === line)) break;
    if (!startsItsLine(comment, text)) break;
    lines.unshift(...commentLines(comment));
    line = comment.range.start.line;
  }
  return lines.length > 0 ? lines.join("\n") : undefined;
}

function startsItsLine(comment: Comment, text: string): boolean {
  const lineStart = text.lastIndexOf("\n", comment.range.start.offset - 1) + 1;
  return text.slice(lineStart, comment.range.start.offset).trim() === "";
}

function commentLines(comment: Comment): string[] {
  if (!comment.block) return [comment.text.replace(/^#\s?/, "").trimEnd()];
  return comment.text
    .replace(/^\/\*+/, "")
    .replace(/\*+\/$/, "")
    .split("\n")
    .map((line) => line.replace(/^\s*\*?\s?/, "").trimEnd())
    .filter((line, index, all) => line !== "" || (index > 0 && index < all.length - 1));
}
