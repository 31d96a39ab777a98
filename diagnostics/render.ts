import type { Diagnostic, RelatedNote } from "./diagnostic.js";
import type { SourceFile, SourceRange } from "./source.js";

/** Source files by path, so notes in other files can show their lines too. */
export type SourceLookup = (path: string) => SourceFile | undefined;

export interface RenderOptions {
  /** Who speaks for a diagnostic without a location, e.g. `figs search` (default `figs`). */
  readonly who?: string;
}

/**
 * Render like a compiler: `file:line:col: error FIGS1101: message`, the source
 * line, and `^~~~` under the range; then each note the same way. A diagnostic
 * of a whole file is `file: error FIGS…: message`, one of no file
 * `figs: error FIGS…: message` (or `options.who` in place of `figs`).
 */
export function renderDiagnostic(diagnostic: Diagnostic, lookup: SourceLookup, options: RenderOptions = {}): string {
  const where = diagnostic.range ? location(diagnostic.range) : (diagnostic.file ?? options.who ?? "figs");
  const head = `${where}: ${diagnostic.severity} ${diagnostic.code}: ${diagnostic.message}`;
  const lines = [head, ...(diagnostic.range ? excerpt(diagnostic.range, lookup) : [])];
  for (const note of diagnostic.notes) lines.push(...renderNote(note, lookup));
  return lines.join("\n");
}

export function renderDiagnostics(
  diagnostics: readonly Diagnostic[],
  lookup: SourceLookup,
  options: RenderOptions = {},
): string {
  return diagnostics.map((d) => renderDiagnostic(d, lookup, options)).join("\n\n");
}

function renderNote(note: RelatedNote, lookup: SourceLookup): string[] {
  if (!note.range) return [`  note: ${note.message}`];
  return [`${location(note.range)}: note: ${note.message}`, ...excerpt(note.range, lookup)];
}

function location(range: SourceRange): string {
  return `${range.file}:${range.start.line}:${range.start.column}`;
}

const MAX_SHOWN_LINE = 160;

function excerpt(range: SourceRange, lookup: SourceLookup): string[] {
  const source = lookup(range.file);
  if (!source || range.start.line > source.lineCount) return [];
  const full = source.lineText(range.start.line);
  const startColumn = range.start.column;
  const window = visibleWindow(full.length, startColumn);
  const text = printable(full.slice(window.from, window.to));
  const endColumn = range.end.line === range.start.line ? range.end.column : full.length + 1;
  const width = Math.max(1, Math.min(endColumn, window.to + 1) - startColumn);
  const gutter = `${range.start.line}`.length;
  const pad = " ".repeat(gutter);
  const caretPad = " ".repeat(Math.max(0, startColumn - 1 - window.from));
  return [
    ` ${range.start.line} | ${window.from > 0 ? "…" : ""}${text}`,
    ` ${pad} | ${window.from > 0 ? " " : ""}${caretPad}^${"~".repeat(width - 1)}`,
  ];
}

/** Long lines (minified or generated files) are shown around the column only. */
function visibleWindow(length: number, column: number): { from: number; to: number } {
  if (length <= MAX_SHOWN_LINE) return { from: 0, to: length };
  const from = Math.max(0, Math.min(column - 1 - MAX_SHOWN_LINE / 2, length - MAX_SHOWN_LINE));
  return { from, to: from + MAX_SHOWN_LINE };
}

/** Tabs and control characters would shift the caret; show them as one visible cell each. */
function printable(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f]/g, (c) => (c === "\t" ? " " : "\u00b7"));
}
