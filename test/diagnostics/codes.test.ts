// The one table of codes (diagnostics/codes.ts): each code defined once, in a
// documented range, and each reported somewhere, so the table lists what figs
// can say and nothing else.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DiagnosticCodes, type DiagnosticKind } from "../../diagnostics/codes.js";

const root = join(import.meta.dirname, "..", "..");
const SOURCE_FOLDERS = ["diagnostics", "grammar", "compiler", "runtime", "cli"];

/** Codes kept in the table though nothing reports them yet, each with why. */
const RESERVED: Readonly<Partial<Record<DiagnosticKind, string>>> = {};

/** The first digit of a code names its area (the table's header, docs/architecture.md "Diagnostics everywhere"). */
const RANGES = ["1", "2", "3", "4", "5", "6", "7", "9"];

function sourcesBelow(folder: string): string[] {
  return readdirSync(join(root, folder), { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return sourcesBelow(path);
    return entry.name.endsWith(".ts") && path !== join("diagnostics", "codes.ts") ? [path] : [];
  });
}

const entries = Object.entries(DiagnosticCodes) as [DiagnosticKind, { code: string; summary: string }][];

describe("the code table", () => {
  it("defines every code once, as FIGS and four digits in a documented range, with a summary", () => {
    const codes = entries.map(([, entry]) => entry.code);
    const twice = codes.filter((code, index) => codes.indexOf(code) !== index);
    expect(twice).toEqual([]);
    for (const [kind, { code, summary }] of entries) {
      expect(code, kind).toMatch(/^FIGS\d{4}$/);
      expect(RANGES, `${kind} ${code}`).toContain(code.charAt(4));
      expect(summary.length, kind).toBeGreaterThan(10);
    }
  });

  it("has no code that nothing reports, unless it is reserved", () => {
    const text = SOURCE_FOLDERS.flatMap(sourcesBelow)
      .map((path) => readFileSync(join(root, path), "utf8"))
      .join("\n");
    // A kind is reported by its name (codeOf("Kind"), a kind table, a usage kind) or by its code.
    const unused = entries
      .filter(([kind, { code }]) => !text.includes(`"${kind}"`) && !text.includes(`"${code}"`))
      .map(([kind]) => kind)
      .filter((kind) => RESERVED[kind] === undefined);
    expect(unused).toEqual([]);
  });

  it("reserves only codes that exist", () => {
    for (const kind of Object.keys(RESERVED)) expect(Object.keys(DiagnosticCodes)).toContain(kind);
  });
});
