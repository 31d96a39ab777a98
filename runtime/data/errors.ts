// Errors of the data and checkpoint modules are values, never exceptions: a
// missing or corrupt file becomes a Diagnostic naming the file, so the CLI
// can print it like any compiler error and exit 1.
import { codeOf, error, type Diagnostic, type DiagnosticKind, type SourceRange } from "../../diagnostics/index.js";

export type Result<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly diagnostic: Diagnostic };

/**
 * What went wrong, mapped onto the one code table. `diagnostics/codes.ts` has
 * no code for "a data file or checkpoint whose contents are corrupt" yet, so
 * until one is added a corrupt file is reported as a file that cannot be read;
 * changing the mapping here is the only edit needed.
 */
const KIND_CODES = {
  missing: "FileNotFound",
  corrupt: "FileNotFound",
  invalidJson: "InvalidJson",
  invalidOption: "InvalidValue",
} as const satisfies Record<string, DiagnosticKind>;

export type DataErrorKind = keyof typeof KIND_CODES;

/** A binary file has no lines; the range points at its start so the renderer prints `file:1:1`. */
function fileRange(file: string): SourceRange {
  const start = { offset: 0, line: 1, column: 1 };
  return { file, start, end: start };
}

export function fail<T>(kind: DataErrorKind, file: string, message: string): Result<T> {
  return { ok: false, diagnostic: error(codeOf(KIND_CODES[kind]), message, fileRange(file)) };
}

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

/** The message of an fs error without Node's "ENOENT: " prefix noise kept as a short reason. */
export function describeFsError(cause: unknown): string {
  if (cause instanceof Error && "code" in cause && typeof cause.code === "string") {
    if (cause.code === "ENOENT") return "no such file or directory";
    if (cause.code === "EACCES") return "permission denied";
    if (cause.code === "EISDIR") return "is a directory, not a file";
    return `${cause.code}: ${cause.message}`;
  }
  return cause instanceof Error ? cause.message : String(cause);
}
