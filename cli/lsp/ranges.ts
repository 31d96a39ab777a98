/**
 * figs source ranges ↔ LSP ranges. figs counts lines and columns from 1 in
 * UTF-16 code units, the LSP from 0 in the same units, so a position is the
 * same place shifted by one.
 */
import type { Position, Range } from "vscode-languageserver";
import type { SourceRange } from "../../diagnostics/source.js";

export function lspRange(range: SourceRange): Range {
  return {
    start: { line: range.start.line - 1, character: range.start.column - 1 },
    end: { line: range.end.line - 1, character: range.end.column - 1 },
  };
}

/** The start of a file: where a diagnostic without a position is shown. */
export const FILE_START: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

/** The offset of an LSP position in a text (clamped to the line and the text). */
export function offsetAt(text: string, position: Position): number {
  let offset = 0;
  for (let line = 0; line < position.line; line++) {
    const next = text.indexOf("\n", offset);
    if (next < 0) return text.length;
    offset = next + 1;
  }
  const lineEnd = text.indexOf("\n", offset);
  const end = lineEnd < 0 ? text.length : lineEnd;
  return Math.min(offset + Math.max(0, position.character), end);
}

/** Whether the offset lies in the range, its end included (a cursor just after a name is on it). */
export function touches(range: SourceRange, offset: number): boolean {
  return range.start.offset <= offset && offset <= range.end.offset;
}

/** Whether two ranges of the same file overlap (or touch). */
export function overlaps(a: { start: number; end: number }, b: { start: number; end: number }): boolean {
  return a.start <= b.end && b.start <= a.end;
}
