/** In-memory streams and temporary folders, so CLI tests run commands in-process. */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach } from "vitest";
import type { CliIo } from "../../cli/io.js";

export interface MemoryIo {
  readonly io: CliIo;
  stdout(): string;
  stderr(): string;
}

export interface MemoryIoOptions {
  readonly cwd?: string;
  readonly stdin?: string | Uint8Array;
  readonly env?: Record<string, string | undefined>;
  /** Pretend stderr is a terminal (for colour). */
  readonly tty?: boolean;
}

export function memoryIo(options: MemoryIoOptions = {}): MemoryIo {
  const out: string[] = [];
  const err: string[] = [];
  const stdin = options.stdin ?? "";
  const io: CliIo = {
    stdout: { write: (text) => void out.push(text), isTTY: options.tty ?? false },
    stderr: { write: (text) => void err.push(text), isTTY: options.tty ?? false },
    cwd: options.cwd ?? process.cwd(),
    env: options.env ?? {},
    readStdin: async () => (typeof stdin === "string" ? new TextEncoder().encode(stdin) : stdin),
  };
  return { io, stdout: () => out.join(""), stderr: () => err.join("") };
}

/** A fresh folder with the given files; remove it with the returned function. */
export function tempFolder(files: Record<string, string | Uint8Array>): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), "figs-cli-"));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * `const folderWith = tempFolders();` at the top of a test file: each call
 * makes a temporary folder holding `files` and returns its path; the folders
 * are removed after each test.
 */
export function tempFolders(): (files: Record<string, string | Uint8Array>) => string {
  const removers: (() => void)[] = [];
  afterEach(() => removers.splice(0).forEach((remove) => remove()));
  return (files) => {
    const folder = tempFolder(files);
    removers.push(folder.remove);
    return folder.dir;
  };
}
