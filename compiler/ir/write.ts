/** Writes an IR file after checking it; an unwritable path is a diagnostic. */
import { closeSync, mkdirSync, openSync, writeSync } from "node:fs";
import { dirname } from "node:path";
import { codeOf } from "../../diagnostics/codes.js";
import { error, type Diagnostic } from "../../diagnostics/diagnostic.js";
import { SourceFile } from "../../diagnostics/source.js";
import { writeIrJson } from "./io.js";
import type { Ir } from "./types.js";

/**
 * The text goes to the file a piece at a time (io.ts, writeIrJson), never as
 * one string; the file is created only once the IR has passed its checks.
 */
export function writeIr(path: string, ir: Ir): readonly Diagnostic[] {
  let fd: number | undefined;
  const write = (chunk: string): void => {
    if (fd === undefined) {
      mkdirSync(dirname(path), { recursive: true });
      fd = openSync(path, "w");
    }
    writeSync(fd, chunk);
  };
  try {
    return writeIrJson(ir, write);
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    return [error(codeOf("FileNotFound"), `cannot write ${path}: ${reason}`, new SourceFile(path, "").rangeAt(0, 0))];
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
