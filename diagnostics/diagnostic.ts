import type { SourceRange } from "./source.js";
import type { DiagnosticCode } from "./codes.js";

export type Severity = "error" | "warning" | "note";

/** A secondary location that helps explain a diagnostic ("the '(' was opened here"). */
export interface RelatedNote {
  readonly message: string;
  readonly range?: SourceRange;
}

/** The one diagnostic type of every stage: errors are data, never exceptions. */
export interface Diagnostic {
  readonly severity: Severity;
  readonly code: DiagnosticCode;
  readonly message: string;
  readonly range: SourceRange;
  readonly notes: readonly RelatedNote[];
}

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

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === "error");
}

/** Stable order for reporting: by file, then position, then code. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort(
    (a, b) =>
      a.range.file.localeCompare(b.range.file) ||
      a.range.start.offset - b.range.start.offset ||
      a.code.localeCompare(b.code),
  );
}
