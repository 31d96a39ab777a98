/**
 * Error goldens: test/fixtures/errors/<case>/input.figs → diagnostics.txt, the
 * diagnostics rendered as the CLI prints them. Every case must fail to parse,
 * with every range inside the text.
 */
import { describe, expect, it } from "vitest";
import * as path from "node:path";
import { FIXTURES, fixtureCases, parseFixture, renderedDiagnostics } from "./fixtures.js";
import { messageProblems } from "../fuzz/checks.js";
import { DiagnosticCodes } from "../../diagnostics/codes.js";

const cases = fixtureCases("errors");

describe("error goldens", () => {
  it("has at least 40 cases", () => {
    expect(cases.length).toBeGreaterThanOrEqual(40);
  });

  it("speaks the user's words: no grammar rule or token type names in any message", () => {
    const problems = cases.flatMap((name) =>
      messageProblems(parseFixture("errors", name).diagnostics).map((p) => `${name}: ${p}`),
    );
    expect(problems).toEqual([]);
  });

  it("has a case for every lexing and parsing code (FIGS1xxx): no code is dead", () => {
    const reported = new Set(cases.flatMap((name) => parseFixture("errors", name).diagnostics.map((d) => d.code)));
    const syntaxCodes = Object.values(DiagnosticCodes)
      .map((c) => c.code)
      .filter((code) => code.startsWith("FIGS1"));
    expect(syntaxCodes.filter((code) => !reported.has(code))).toEqual([]);
  });

  it.each(cases)("%s", async (name) => {
    const result = parseFixture("errors", name);
    expect(result.ast).toBeUndefined();
    expect(result.diagnostics.length).toBeGreaterThan(0);
    const length = result.source.text.length;
    for (const d of result.diagnostics) {
      expect(d.range!.start.offset).toBeGreaterThanOrEqual(0);
      expect(d.range!.end.offset).toBeLessThanOrEqual(length);
    }
    await expect(renderedDiagnostics(result)).toMatchFileSnapshot(
      path.join(FIXTURES, "errors", name, "diagnostics.txt"),
    );
  });
});
