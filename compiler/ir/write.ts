/** Writes an IR file after checking it; an unwritable path is a diagnostic. */
import { closeSync, mkdirSync, openSync, writeSync } from "node:fs";
import { dirname } from "node:path";
import { codeOf } from "../../diagnostics/codes.js";
import { fileError, type Diagnostic } from "../../diagnostics/diagnostic.js";
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
    return [fileError(codeOf("WriteFailed"), `cannot write ${path}: ${reason}`, path)];
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
