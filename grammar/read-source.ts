/**
 * Bytes → text for the parser. A file that is not valid UTF-8 is decoded with
 * replacement characters and reported at its first bad byte, so the rest of
 * the file still gets checked. A file larger than MAX_SOURCE_BYTES is refused
 * before it is read (FIGS4005): parsing, checking and formatting cost time
 * and memory in proportion to the text, and a limit keeps every command
 * within its budget (docs/architecture.md, "Limits").
 */
import { closeSync, fstatSync, openSync, readFileSync } from "node:fs";
import { codeOf } from "../diagnostics/codes.js";
import { error, fileError, type Diagnostic } from "../diagnostics/diagnostic.js";
import { SourceFile } from "../diagnostics/source.js";

export interface DecodedSource {
  readonly text: string;
  readonly diagnostics: readonly Diagnostic[];
  /** Set when the bytes were refused for their size (then `text` is empty). */
  readonly tooLarge?: true;
}

/**
 * The largest source file figs reads: 256 KiB, about a hundred times the
 * largest space in spaces/. The slowest command on the worst text per byte
 * (`figs fmt` of one long list or operator chain) formats it within the
 * 10 s / 1 GB budget of bench/limits.
 */
export const MAX_SOURCE_BYTES = 256 * 1024;

/** The most one compile reads: a file and everything it imports (the per-file limit alone would let imports add up). */
export const MAX_TOTAL_SOURCE_BYTES = 512 * 1024;

export function decodeSource(bytes: Uint8Array, path: string): DecodedSource {
  if (bytes.length > MAX_SOURCE_BYTES) return tooLarge(bytes.length, path);
  const start = hasUtf8Bom(bytes) ? 3 : 0;
  const body = bytes.subarray(start);
  try {
    return { text: new TextDecoder("utf-8", { fatal: true }).decode(body), diagnostics: [] };
  } catch {
    const text = new TextDecoder("utf-8").decode(body);
    const bad = firstInvalidUtf8(body);
    const offset = new TextDecoder("utf-8").decode(body.subarray(0, bad)).length;
    const source = new SourceFile(path, text);
    const byte = (body[bad] ?? 0).toString(16).padStart(2, "0");
    const message = `this file is not valid UTF-8 (byte 0x${byte} at byte offset ${bad + start}); save it as UTF-8`;
    return { text, diagnostics: [error(codeOf("InvalidEncoding"), message, source.rangeAt(offset, offset + 1))] };
  }
}

export interface ReadResult extends DecodedSource {
  readonly ok: boolean;
}

/** Reads a file; a missing or unreadable file is a diagnostic, not an exception. */
export function readSource(path: string): ReadResult {
  try {
    const bytes = readBounded(path);
    const decoded = typeof bytes === "number" ? tooLarge(bytes, path) : decodeSource(bytes, path);
    return { ok: decoded.tooLarge !== true, ...decoded };
  } catch (cause) {
    const reason = cause instanceof Error && "code" in cause ? describeIoError(String(cause.code)) : String(cause);
    return {
      ok: false,
      text: "",
      diagnostics: [fileError(codeOf("FileNotFound"), `cannot read '${path}': ${reason}`, path)],
    };
  }
}

/** The file's bytes, or its size when that is over the limit: a 1 GB file is never read just to be refused. */
function readBounded(path: string): Uint8Array | number {
  const fd = openSync(path, "r");
  try {
    const size = fstatSync(fd).size;
    return size > MAX_SOURCE_BYTES ? size : readFileSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** FIGS4005, of the whole file; sizes in KiB or MiB as people read them. */
export function tooLarge(bytes: number, path: string): DecodedSource {
  const message =
    `this file is ${formatBytes(bytes)}, more than the ${formatBytes(MAX_SOURCE_BYTES)} ` +
    "figs reads from one source file " +
    `(the source-size limit); split it into files that import each other`;
  return {
    text: "",
    diagnostics: [fileError(codeOf("SourceTooLarge"), message, path)],
    tooLarge: true,
  };
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(bytes % 1024 === 0 ? 0 : 1)} KiB`;
  return `${(bytes / 2 ** 20).toFixed(1)} MiB`;
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
