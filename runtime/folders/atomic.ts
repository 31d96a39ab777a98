/**
 * Writes that never leave a half-written file behind: the bytes go to a
 * temporary file in the same folder, are flushed to disk, and the temporary
 * file is renamed over the target (rename(2) is atomic within a folder). A
 * failure at any point removes the temporary file and is returned as a
 * diagnostic with the reason in words ("no space left on device"); the
 * previous file, if any, is unchanged.
 */
import { randomBytes } from "node:crypto";
import { openSync, closeSync, fsyncSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { describeFsError, fail, ok, type Result } from "../data/errors.js";
import { fileOps } from "./fs-ops.js";

/** Temporary files of this module start with this, so a folder's strays can be told from the user's files. */
export const TEMP_PREFIX = ".figs-tmp-";

export function temporaryName(target: string): string {
  return join(dirname(target), `${TEMP_PREFIX}${basename(target)}.${process.pid}.${randomBytes(4).toString("hex")}`);
}

/** Writes every byte of `chunks` to the open file `fd` (writeSync may write fewer bytes than asked). */
function writeAll(fd: number, chunks: readonly Uint8Array[]): void {
  const ops = fileOps();
  for (const chunk of chunks) {
    let done = 0;
    while (done < chunk.length) done += ops.writeSync(fd, chunk, done, chunk.length - done);
  }
}

function bytesOf(data: string | Uint8Array): Uint8Array {
  return typeof data === "string" ? Buffer.from(data, "utf8") : data;
}

/** Writes `data` to `path` atomically; `what` names the file in the message ("run.json", "the checkpoint"). */
export function writeFileAtomic(
  path: string,
  data: string | Uint8Array | readonly Uint8Array[],
  what = basename(path),
): Result<void> {
  const ops = fileOps();
  const temporary = temporaryName(path);
  let fd: number | undefined;
  try {
    fd = ops.openSync(temporary, "wx", 0o644);
    writeAll(fd, Array.isArray(data) ? (data as readonly Uint8Array[]) : [bytesOf(data as string | Uint8Array)]);
    ops.fsyncSync(fd);
    ops.closeSync(fd);
    fd = undefined;
    ops.renameSync(temporary, path);
    syncFolder(dirname(path));
    return ok(undefined);
  } catch (cause) {
    if (fd !== undefined) closeQuietly(fd);
    removeQuietly(temporary);
    return fail("writeFailed", path, `cannot write ${what} (${path}): ${describeWriteError(cause)}`);
  }
}

/** Appends one line (a complete record or nothing usable: a torn last line is dropped when the file is read). */
export function appendLine(path: string, line: string): Result<void> {
  const ops = fileOps();
  let fd: number | undefined;
  try {
    fd = ops.openSync(path, "a", 0o644);
    writeAll(fd, [Buffer.from(`${line}\n`, "utf8")]);
    ops.closeSync(fd);
    return ok(undefined);
  } catch (cause) {
    if (fd !== undefined) closeQuietly(fd);
    return fail("writeFailed", path, `cannot append to ${path}: ${describeWriteError(cause)}`);
  }
}

/**
 * Makes a rename durable. Some systems cannot open or sync a folder; that
 * weakens durability after a power cut, not atomicity, so it is not an error.
 */
export function syncFolder(dir: string): void {
  try {
    const fd = openSync(dir, "r");
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // See above: a folder that cannot be synced is not a failed write.
  }
}

function closeQuietly(fd: number): void {
  try {
    fileOps().closeSync(fd);
  } catch {
    // Closing after a failed write: the write's error is the one reported.
  }
}

export function removeQuietly(path: string): void {
  try {
    fileOps().unlinkSync(path);
  } catch {
    // Never created, or already gone: nothing to clean up.
  }
}

/** The reason of a failed write in words, with the code for the rare ones. */
export function describeWriteError(cause: unknown): string {
  const code = cause instanceof Error && "code" in cause ? String(cause.code) : undefined;
  const words: Record<string, string> = {
    ENOSPC: "no space left on device",
    EDQUOT: "disk quota exceeded",
    EROFS: "read-only file system",
    EACCES: "permission denied",
    EPERM: "operation not permitted",
    ENOTDIR: "a part of the path is a file, not a folder",
    EISDIR: "is a folder, not a file",
  };
  return code !== undefined && words[code] !== undefined ? words[code] : describeFsError(cause);
}
