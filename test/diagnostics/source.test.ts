import { describe, expect, it } from "vitest";
import { SourceFile } from "../../diagnostics/source.js";
import { renderDiagnostic } from "../../diagnostics/render.js";
import { error } from "../../diagnostics/diagnostic.js";

describe("SourceFile", () => {
  const source = new SourceFile("a.figs", "ab\ncde\n\nf");
  it("maps offsets to 1-based lines and columns", () => {
    expect(source.positionAt(0)).toEqual({ offset: 0, line: 1, column: 1 });
    expect(source.positionAt(3)).toEqual({ offset: 3, line: 2, column: 1 });
    expect(source.positionAt(5)).toEqual({ offset: 5, line: 2, column: 3 });
    expect(source.positionAt(8)).toEqual({ offset: 8, line: 4, column: 1 });
  });
  it("clamps offsets outside the text", () => {
    expect(source.positionAt(-4).offset).toBe(0);
    expect(source.positionAt(99)).toEqual({ offset: 9, line: 4, column: 2 });
  });
  it("returns line text without terminators", () => {
    expect(source.lineText(2)).toBe("cde");
    expect(source.lineText(3)).toBe("");
    expect(source.lineText(9)).toBe("");
  });
});

describe("renderDiagnostic", () => {
  it("shows location, code, the line and carets under the range", () => {
    const source = new SourceFile("x.figs", "space s() {\n  conv(3, 16\n}\n");
    const d = error("FIGS1101", "expected ')'", source.rangeAt(16, 20), [
      { message: "the '(' was opened here", range: source.rangeAt(18, 19) },
    ]);
    expect(renderDiagnostic(d, () => source)).toBe(
      [
        "x.figs:2:5: error FIGS1101: expected ')'",
        " 2 |   conv(3, 16",
        "   |     ^~~~",
        "x.figs:2:7: note: the '(' was opened here",
        " 2 |   conv(3, 16",
        "   |       ^",
      ].join("\n"),
    );
  });
});
