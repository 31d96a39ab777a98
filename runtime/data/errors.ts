// Errors of the runtime's data, checkpoint and folder modules are values,
// never exceptions: a missing or corrupt file becomes a Diagnostic naming the
// file (it has no line to point at), a bad setting one without a location
// whose message names it, so the CLI prints them like any compiler error and
// exits 1.
import { readSync } from "node:fs";
import {
  codeOf,
  failed,
  fileError,
  ok,
  plainError,
  type DiagnosticKind,
  type Result,
} from "../../diagnostics/index.js";

export { ok, type Result };

/** What went wrong, mapped onto the one code table. */
const KIND_CODES = {
  missing: "FileNotFound",
  corrupt: "CorruptDataFile",
  corruptCheckpoint: "CorruptCheckpoint",
  writeFailed: "WriteFailed",
  invalidJson: "InvalidJson",
  invalidOption: "InvalidOption",
  folderBusy: "FolderBusy",
  outputExists: "OutputExists",
  notReplaceable: "NotReplaceable",
  notARun: "NotARun",
  invalidRunFile: "InvalidRunFile",
  spaceChanged: "SpaceChanged",
} as const satisfies Record<string, DiagnosticKind>;

export type DataErrorKind = keyof typeof KIND_CODES;

/** A problem of a whole file or folder, rendered `file: error FIGS…: message`. */
export function fail<T>(kind: DataErrorKind, file: string, message: string): Result<T> {
  return failed(fileError(codeOf(KIND_CODES[kind]), message, file));
}

/** A problem of no file (a setting, an option): the message names what is wrong. */
export function refuse<T>(kind: DataErrorKind, message: string): Result<T> {
  return failed(plainError(codeOf(KIND_CODES[kind]), message));
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
