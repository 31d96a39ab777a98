/**
 * The file operations every write of a run goes through. Production uses
 * node:fs as it is; a test swaps one operation for a failing one (a disk
 * that fills up after N writes, a folder that turns read-only) with
 * `withFileOps`, so the error paths run for real without a full disk.
 */
import * as fs from "node:fs";

export interface FileOps {
  openSync(path: string, flags: string, mode?: number): number;
  writeSync(fd: number, data: Uint8Array, offset?: number, length?: number): number;
  fsyncSync(fd: number): void;
  closeSync(fd: number): void;
  renameSync(from: string, to: string): void;
  unlinkSync(path: string): void;
  mkdirSync(path: string, options?: { recursive?: boolean }): string | undefined;
}

const NODE_OPS: FileOps = {
  openSync: (path, flags, mode) => fs.openSync(path, flags, mode),
  writeSync: (fd, data, offset, length) => fs.writeSync(fd, data, offset, length),
  fsyncSync: (fd) => fs.fsyncSync(fd),
  closeSync: (fd) => fs.closeSync(fd),
  renameSync: (from, to) => fs.renameSync(from, to),
  unlinkSync: (path) => fs.unlinkSync(path),
  mkdirSync: (path, options) => fs.mkdirSync(path, options),
};

let current: FileOps = NODE_OPS;

/** The operations in force (node:fs unless a test replaced some). */
export function fileOps(): FileOps {
  return current;
}

/** Runs `work` with some operations replaced; restores node:fs afterwards, also when `work` throws. */
export async function withFileOps<T>(replacements: Partial<FileOps>, work: () => Promise<T> | T): Promise<T> {
  const saved = current;
  current = { ...saved, ...replacements };
  try {
    return await work();
  } finally {
    current = saved;
  }
}

/** An fs-style error, as node:fs would throw it (for tests that simulate a full disk or a locked folder). */
export function fsError(
  code: "ENOSPC" | "EACCES" | "EIO" | "EROFS",
  syscall: string,
  path = "",
): NodeJS.ErrnoException {
  const messages = {
    ENOSPC: "no space left on device",
    EACCES: "permission denied",
    EIO: "i/o error",
    EROFS: "read-only file system",
  };
  const failure: NodeJS.ErrnoException = new Error(`${code}: ${messages[code]}, ${syscall} '${path}'`);
  failure.code = code;
  failure.syscall = syscall;
  failure.path = path;
  return failure;
}
