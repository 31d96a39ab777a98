/**
 * One golden per construct: test/fixtures/syntax/<construct>/input.figs parses
 * without diagnostics and its AST matches ast.json (ranges as "line:col-line:col").
 */
import { describe, expect, it } from "vitest";
import * as path from "node:path";
import { astJson, FIXTURES, fixtureCases, parseFixture, renderedDiagnostics } from "./fixtures.js";

const cases = fixtureCases("syntax");

describe("syntax goldens", () => {
  it("has a fixture for every construct", () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
  });

  it.each(cases)("%s", async (name) => {
    const result = parseFixture("syntax", name);
    expect(result.diagnostics.length, renderedDiagnostics(result)).toBe(0);
    expect(result.ast).toBeDefined();
    await expect(astJson(result.ast)).toMatchFileSnapshot(path.join(FIXTURES, "syntax", name, "ast.json"));
  });
});
