/**
 * Prettier formats the TypeScript at print width 120 (.prettierrc.json), but it
 * leaves long strings and comments alone: this keeps every line within 120
 * characters (counted as characters, so `×` or `→` count once). Generated
 * files are listed in .prettierignore and left as their generator writes them.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "..", "..");
const FOLDERS = ["diagnostics", "grammar", "compiler", "runtime", "cli", "bench", "scripts", "test"];
const MAX_LINE = 120;

function generatedFiles(): Set<string> {
  const ignore = readFileSync(join(root, ".prettierignore"), "utf8").split("\n");
  return new Set(ignore.map((line) => line.trim()).filter((line) => line.endsWith(".ts")));
}

function tsFilesBelow(folder: string): string[] {
  return readdirSync(join(root, folder), { withFileTypes: true }).flatMap((entry) => {
    const path = `${folder}/${entry.name}`;
    if (entry.isDirectory()) return entry.name === "node_modules" ? [] : tsFilesBelow(path);
    return entry.name.endsWith(".ts") ? [path] : [];
  });
}

export function longLines(path: string, text: string, max = MAX_LINE): string[] {
  return text.split("\n").flatMap((line, index) => {
    const length = [...line].length;
    return length > max ? [`${path}:${index + 1}: ${length} characters`] : [];
  });
}

describe("line length", () => {
  it(`keeps every TypeScript line within ${MAX_LINE} characters`, () => {
    const generated = generatedFiles();
    const files = FOLDERS.flatMap(tsFilesBelow).filter((path) => !generated.has(path));
    expect(files.length).toBeGreaterThan(100);
    const found = files.flatMap((path) => longLines(path, readFileSync(join(root, path), "utf8")));
    expect(found).toEqual([]);
  });

  it("counts characters, not bytes, and names the file and line", () => {
    expect(longLines("a.ts", `${"→".repeat(120)}\n${"x".repeat(121)}`)).toEqual(["a.ts:2: 121 characters"]);
  });
});
