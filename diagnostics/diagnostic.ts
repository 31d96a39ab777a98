import type { SourceRange } from "./source.js";
import type { DiagnosticCode } from "./codes.js";

export type Severity = "error" | "warning" | "note";

/** A secondary location that helps explain a diagnostic ("the '(' was opened here"). */
export interface RelatedNote {
  readonly message: string;
  readonly range?: SourceRange;
}

/**
 * The one diagnostic type of every stage, and of the runtime and the command
 * line: errors are data, never exceptions. Where it is, is optional (esbuild's
 * lesson): a `range` in a source text; or only a `file` when that file has no
 * positions to point at (binary data, JSON read without positions, a run
 * folder); or neither, for a problem of no file (a command-line option, a
 * setting, the machine), whose message names what is wrong. Never both.
 */
export interface Diagnostic {
  readonly severity: Severity;
  readonly code: DiagnosticCode;
  readonly message: string;
  readonly range?: SourceRange;
  readonly file?: string;
  readonly notes: readonly RelatedNote[];
}

/** A problem at a range of a source text. */
export function error(
  code: DiagnosticCode,
  message: string,
  range: SourceRange,
  notes: RelatedNote[] = [],
): Diagnostic {
  return { severity: "error", code, message, range, notes };
}

export function warning(
  code: DiagnosticCode,
  message: string,
  range: SourceRange,
  notes: RelatedNote[] = [],
): Diagnostic {
  return { severity: "warning", code, message, range, notes };
}

/** A problem of a whole file or folder, which has no line to point at: rendered `file: error FIGS…: message`. */
export function fileError(code: DiagnosticCode, message: string, file: string, notes: RelatedNote[] = []): Diagnostic {
  return { severity: "error", code, message, file, notes };
}

export function fileWarning(
  code: DiagnosticCode,
  message: string,
  file: string,
  notes: RelatedNote[] = [],
): Diagnostic {
  return { severity: "warning", code, message, file, notes };
}

/** Something worth knowing about a file that is not a problem (a stale lock taken over). */
export function fileNote(code: DiagnosticCode, message: string, file: string): Diagnostic {
  return { severity: "note", code, message, file, notes: [] };
}

/**
 * A problem of no file: a command-line option or argument, a setting, the
 * machine. Its message names what is wrong (`--batch must be …`); the command
 * line renders it `figs <command>: error FIGS…: message`.
 */
export function plainError(code: DiagnosticCode, message: string, notes: RelatedNote[] = []): Diagnostic {
  return { severity: "error", code, message, notes };
}

export function plainWarning(code: DiagnosticCode, message: string, notes: RelatedNote[] = []): Diagnostic {
  return { severity: "warning", code, message, notes };
}

/** The file a diagnostic is about, from its range or its file-only location; undefined for none. */
export function diagnosticFile(diagnostic: Diagnostic): string | undefined {
  return diagnostic.range?.file ?? diagnostic.file;
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === "error");
}

/**
 * Stable order for reporting: diagnostics without a file first (options come
 * before what they configure), then by file, a file's own problems before
 * those at a position, then by position, then code.
 */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort(
    (a, b) =>
      (diagnosticFile(a) ?? "").localeCompare(diagnosticFile(b) ?? "") ||
      (a.range?.start.offset ?? -1) - (b.range?.start.offset ?? -1) ||
      a.code.localeCompare(b.code),
  );
}
