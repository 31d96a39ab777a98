// Errors of the data and checkpoint modules are values, never exceptions: a
// missing or corrupt file becomes a Diagnostic naming the file, so the CLI
// can print it like any compiler error and exit 1.
import { readSync } from "node:fs";
import { codeOf, error, type Diagnostic, type DiagnosticKind, type SourceRange } from "../../diagnostics/index.js";

export type Result<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly diagnostic: Diagnostic };

/** What went wrong, mapped onto the one code table. */
const KIND_CODES = {
  missing: "FileNotFound",
  corrupt: "CorruptDataFile",
  corruptCheckpoint: "CorruptCheckpoint",
  writeFailed: "WriteFailed",
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

/** A short reason for an fs error: the common codes in words, others with their code. */
export function describeFsError(cause: unknown): string {
  if (cause instanceof Error && "code" in cause && typeof cause.code === "string") {
    if (cause.code === "ENOENT") return "no such file or directory";
    if (cause.code === "EACCES") return "permission denied";
    if (cause.code === "EISDIR") return "is a directory, not a file";
    return `${cause.code}: ${cause.message}`;
  }
  return cause instanceof Error ? cause.message : String(cause);
}

/** readSync may return fewer bytes than asked; loop until `buffer` is full or the file ends. Returns the bytes read. */
export function readFully(fd: number, buffer: Uint8Array, position: number): number {
  let filled = 0;
  while (filled < buffer.length) {
    const read = readSync(fd, buffer, filled, buffer.length - filled, position + filled);
    if (read === 0) break;
    filled += read;
  }
  return filled;
}
