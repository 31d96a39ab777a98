/**
 * Golden semantic diagnostics: test/fixtures/semantic/<case>/input.figs (plus
 * imported files and an optional options.json) → diagnostics.txt.
 */
import { describe, expect, it } from "vitest";
import { join } from "node:path";
import { hasErrors } from "../../../diagnostics/diagnostic.js";
import { elaborateFixture, fixtureCases, render, repoRoot } from "./fixtures.js";

const cases = fixtureCases("semantic");

describe("semantic diagnostics", () => {
  it("has at least 30 cases", () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
  });

  for (const name of cases) {
    it(name, async () => {
      const result = elaborateFixture("semantic", name);
      expect(hasErrors(result.diagnostics)).toBe(true);
      expect(result.graph).toBeUndefined();
      await expect(render(result)).toMatchFileSnapshot(
        join(repoRoot, "test/fixtures/semantic", name, "diagnostics.txt"),
      );
    });
  }
});
