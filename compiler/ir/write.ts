/** Writes an IR file after checking it; an unwritable path is a diagnostic. */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { codeOf } from "../../diagnostics/codes.js";
import { error, type Diagnostic } from "../../diagnostics/diagnostic.js";
import { SourceFile } from "../../diagnostics/source.js";
import { serializeIr } from "./io.js";
import type { Ir } from "./types.js";

export function writeIr(path: string, ir: Ir): readonly Diagnostic[] {
  const serialized = serializeIr(ir);
  if (serialized.text === undefined) return serialized.diagnostics;
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, serialized.text);
    return [];
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    return [error(codeOf("FileNotFound"), `cannot write ${path}: ${reason}`, new SourceFile(path, "").rangeAt(0, 0))];
  }
}
