/**
 * Diagnostics as plain, stable JSON for tools (`--json` on every command):
 * ready for an editor's language server, which needs a file and a range or
 * nothing. Lines and columns are 1-based, as rendered; the end is exclusive.
 * A diagnostic of a whole file has its file and null positions, one of no
 * file a null location.
 */
import type { Diagnostic, RelatedNote, Severity } from "./diagnostic.js";
import type { SourceRange } from "./source.js";

export interface LocationJson {
  readonly file: string;
  readonly line: number | null;
  readonly column: number | null;
  readonly endLine: number | null;
  readonly endColumn: number | null;
}

export interface NoteJson {
  readonly message: string;
  readonly location: LocationJson | null;
}

export interface DiagnosticJson {
  readonly severity: Severity;
  readonly code: string;
  readonly message: string;
  readonly location: LocationJson | null;
  readonly notes: readonly NoteJson[];
}

export function diagnosticJson(diagnostic: Diagnostic): DiagnosticJson {
  return {
    severity: diagnostic.severity,
    code: diagnostic.code,
    message: diagnostic.message,
    location: locationJson(diagnostic.range, diagnostic.file),
    notes: diagnostic.notes.map(noteJson),
  };
}

function noteJson(note: RelatedNote): NoteJson {
  return { message: note.message, location: locationJson(note.range, undefined) };
}

function locationJson(range: SourceRange | undefined, file: string | undefined): LocationJson | null {
  if (range) {
    const { start, end } = range;
    return { file: range.file, line: start.line, column: start.column, endLine: end.line, endColumn: end.column };
  }
  return file === undefined ? null : { file, line: null, column: null, endLine: null, endColumn: null };
}
