/**
 * figs diagnostics → LSP diagnostics of one document. Notes become related
 * information. A diagnostic without a position (a file-level or run-level
 * problem) sits at the start of the file. A problem found in an imported file
 * is shown on the import that leads to it, with its real place as related
 * information, so the file being edited says why it does not compile.
 */
import {
  DiagnosticSeverity,
  type Diagnostic as LspDiagnostic,
  type DiagnosticRelatedInformation,
  type Range,
} from "vscode-languageserver";
import { diagnosticFile, type Diagnostic, type RelatedNote, type Severity } from "../../diagnostics/diagnostic.js";
import { FILE_START, lspRange } from "./ranges.js";
import { uriOf } from "./uri.js";

/** Where a problem of another file is shown in this one: the import leading to that file. */
export type ImportPlace = (file: string) => { readonly range: Range; readonly spec: string } | undefined;

const SEVERITIES: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  note: DiagnosticSeverity.Information,
};

export function lspDiagnostics(diagnostics: readonly Diagnostic[], path: string, place: ImportPlace): LspDiagnostic[] {
  return diagnostics.map((diagnostic) => lspDiagnostic(diagnostic, path, place));
}

function lspDiagnostic(diagnostic: Diagnostic, path: string, place: ImportPlace): LspDiagnostic {
  const file = diagnosticFile(diagnostic) ?? path;
  const related = diagnostic.notes.flatMap((note) => relatedOf(note));
  const unplaced = diagnostic.notes.filter((note) => !note.range).map((note) => `\nnote: ${note.message}`);
  const message = diagnostic.message + unplaced.join("");
  const base = { severity: SEVERITIES[diagnostic.severity], code: diagnostic.code, source: "figs" };
  if (file === path) {
    const range = diagnostic.range ? lspRange(diagnostic.range) : FILE_START;
    return { ...base, range, message, ...(related.length > 0 ? { relatedInformation: related } : {}) };
  }
  const where = place(file);
  const here: DiagnosticRelatedInformation = {
    location: { uri: uriOf(file), range: diagnostic.range ? lspRange(diagnostic.range) : FILE_START },
    message: "the problem is here",
  };
  const prefix = where ? `in the file imported by "${where.spec}": ` : `in '${file}': `;
  return {
    ...base,
    range: where?.range ?? FILE_START,
    message: prefix + message,
    relatedInformation: [here, ...related],
  };
}

function relatedOf(note: RelatedNote): DiagnosticRelatedInformation[] {
  if (!note.range) return [];
  return [{ location: { uri: uriOf(note.range.file), range: lspRange(note.range) }, message: note.message }];
}
