/**
 * Error goldens: test/fixtures/errors/<case>/input.figs → diagnostics.txt, the
 * diagnostics rendered as the CLI prints them. Every case must fail to parse,
 * with every range inside the text.
 */
import { describe, expect, it } from "vitest";
import * as path from "node:path";
import { FIXTURES, fixtureCases, parseFixture, renderedDiagnostics } from "./fixtures.js";

const cases = fixtureCases("errors");

describe("error goldens", () => {
  it("has at least 40 cases", () => {
    expect(cases.length).toBeGreaterThanOrEqual(40);
  });

  it("speaks the user's words: no grammar rule or token type names in any message", () => {
    const grammarWords = /\b(RParen|LParen|RCurly|LCurly|RBracket|LBracket|Identifier|EOF|NumberLiteral|StringLiteral|BinaryOperator|PrefixOperator|chainStep|callOrName|topLevelItem|MismatchedTokenException|NoViableAlt)\b/;
    for (const name of cases) {
      for (const d of parseFixture("errors", name).diagnostics) {
        expect(d.message, `${name}: ${d.message}`).not.toMatch(grammarWords);
        for (const note of d.notes) expect(note.message).not.toMatch(grammarWords);
      }
    }
  });

  it.each(cases)("%s", async (name) => {
    const result = parseFixture("errors", name);
    expect(result.ast).toBeUndefined();
    expect(result.diagnostics.length).toBeGreaterThan(0);
    const length = result.source.text.length;
    for (const d of result.diagnostics) {
      expect(d.range.start.offset).toBeGreaterThanOrEqual(0);
      expect(d.range.end.offset).toBeLessThanOrEqual(length);
    }
    await expect(renderedDiagnostics(result)).toMatchFileSnapshot(path.join(FIXTURES, "errors", name, "diagnostics.txt"));
  });
});
