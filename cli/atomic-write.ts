/**
 * Rewriting a user's file without ever leaving it half-written: the new text
 * goes to a temporary file in the same folder (so the rename stays on one
 * file system), which then replaces the original in one rename.
 */
import { chmodSync, realpathSync, renameSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { randomBytes } from "node:crypto";
import { codeOf } from "../diagnostics/codes.js";
import { fileError } from "../diagnostics/diagnostic.js";
import { failed, ok, type Result } from "../diagnostics/result.js";

/**
 * A symbolic link is followed, so the file it points to is rewritten and the
 * link stays a link. A failure is a FIGS9004 of the file, named `shown` (as
 * the user typed it).
 */
export function writeFileAtomically(path: string, text: string, shown = path): Result<void> {
  let temporary: string | undefined;
  try {
    const target = realpathSync(path);
    temporary = join(dirname(target), `.${basename(target)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
    writeFileSync(temporary, text, { encoding: "utf8", flag: "wx" });
    keepMode(target, temporary);
    renameSync(temporary, target);
    return ok(undefined);
  } catch (cause) {
    // EEXIST: the temporary name was taken by someone else's file, which is not ours to remove.
    if (temporary !== undefined && errorCode(cause) !== "EEXIST") removeQuietly(temporary);
    const message = `cannot write '${shown}': ${describeWriteError(cause)}`;
    return failed(fileError(codeOf("WriteFailed"), message, shown));
  }
}

/** The rewritten file keeps the original's permissions (e.g. read-only for group). */
function keepMode(original: string, temporary: string): void {
  chmodSync(temporary, statSync(original).mode & 0o7777);
}

function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // The temporary file was never created; nothing to clean up.
  }
}

function errorCode(cause: unknown): string | undefined {
  return cause instanceof Error && "code" in cause ? String(cause.code) : undefined;
}

function describeWriteError(cause: unknown): string {
  const code = errorCode(cause);
  if (code === undefined) return String(cause);
  const reasons: Record<string, string> = {
    EACCES: "permission denied",
    EROFS: "read-only file system",
    ENOSPC: "no space left on device",
  };
  return reasons[code] ?? code;
}
