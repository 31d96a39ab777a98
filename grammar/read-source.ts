/**
 * Bytes → text for the parser. A file that is not valid UTF-8 is decoded with
 * replacement characters and reported at its first bad byte, so the rest of
 * the file still gets checked.
 */
import { readFileSync } from "node:fs";
import { codeOf } from "../diagnostics/codes.js";
import { error, type Diagnostic } from "../diagnostics/diagnostic.js";
import { SourceFile } from "../diagnostics/source.js";

export interface DecodedSource {
  readonly text: string;
  readonly diagnostics: readonly Diagnostic[];
}

export function decodeSource(bytes: Uint8Array, path: string): DecodedSource {
  const start = hasUtf8Bom(bytes) ? 3 : 0;
  const body = bytes.subarray(start);
  try {
    return { text: new TextDecoder("utf-8", { fatal: true }).decode(body), diagnostics: [] };
  } catch {
    const text = new TextDecoder("utf-8").decode(body);
    const bad = firstInvalidUtf8(body);
    const offset = new TextDecoder("utf-8").decode(body.subarray(0, bad)).length;
    const source = new SourceFile(path, text);
    const message = `this file is not valid UTF-8 (byte 0x${(body[bad] ?? 0).toString(16).padStart(2, "0")} at byte offset ${bad + start}); save it as UTF-8`;
    return { text, diagnostics: [error(codeOf("InvalidEncoding"), message, source.rangeAt(offset, offset + 1))] };
  }
}

export interface ReadResult extends DecodedSource {
  readonly ok: boolean;
}

/** Reads a file; a missing or unreadable file is a diagnostic, not an exception. */
export function readSource(path: string): ReadResult {
  try {
    return { ok: true, ...decodeSource(readFileSync(path), path) };
  } catch (cause) {
    const reason = cause instanceof Error && "code" in cause ? describeIoError(String(cause.code)) : String(cause);
    const range = new SourceFile(path, "").rangeAt(0, 0);
    return { ok: false, text: "", diagnostics: [error(codeOf("FileNotFound"), `cannot read '${path}': ${reason}`, range)] };
  }
}

function describeIoError(code: string): string {
  const reasons: Record<string, string> = {
    ENOENT: "no such file",
    EISDIR: "it is a directory",
    EACCES: "permission denied",
  };
  return reasons[code] ?? code;
}

function hasUtf8Bom(bytes: Uint8Array): boolean {
  return bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
}

/** Index of the first byte that starts an invalid UTF-8 sequence. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const length = sequenceLength(bytes, i);
    if (length === 0) return i;
    i += length;
  }
  return bytes.length;
}

function sequenceLength(bytes: Uint8Array, i: number): number {
  const b = bytes[i]!;
  if (b < 0x80) return 1;
  const length = b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
  for (let k = 1; k < length; k++) {
    const c = bytes[i + k];
    if (c === undefined || (c & 0xc0) !== 0x80) return 0;
  }
  return length;
}
