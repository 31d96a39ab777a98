/**
 * The formatting laws, on every .figs file in the repository:
 *   fmt(fmt(x)) == fmt(x)   and   parse(fmt(x)) == parse(x)
 * (ASTs compared without ranges; comments compared by text and order).
 * Files that do not parse are skipped only where they are meant not to.
 */
import { readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parse } from "../../grammar/parse.js";
import { readSource } from "../../grammar/read-source.js";
import { expectLaws } from "./helpers.js";

const repoRoot = fileURLToPath(new URL("../../", import.meta.url));
const skippedDirectories = new Set(["node_modules", "dist", ".git"]);
/** Folders of deliberately broken inputs (error goldens, the CLI's error fixtures). */
const mayFailToParse = ["/errors/", "/semantic/", "/exotic/", "/cli/fixtures/"];

function figsFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return skippedDirectories.has(entry.name) ? [] : figsFiles(path);
    return entry.isFile() && entry.name.endsWith(".figs") ? [path] : [];
  });
}

const files = figsFiles(repoRoot).map((path) => ({ path, name: relative(repoRoot, path) }));

describe("formatting laws on every .figs file", () => {
  it("finds the repository's .figs files", () => expect(files.length).toBeGreaterThan(10));
  for (const { path, name } of files) {
    it(name, async () => {
      const source = readSource(path);
      expect(source.ok, `${name} is readable`).toBe(true);
      const parsed = parse(source.text, name);
      if (!parsed.ast) {
        const allowed = mayFailToParse.some((part) => `/${name}`.includes(part));
        expect(allowed, `${name} does not parse: ${parsed.diagnostics.map((d) => d.message).join("; ")}`).toBe(true);
        return;
      }
      await expectLaws(source.text, name);
      await expectLaws(source.text, `${name} at width 40`, 40);
    });
  }
});
