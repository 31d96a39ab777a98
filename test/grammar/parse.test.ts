/**
 * Short inline checks of the parser's contract, beside the goldens: where
 * errors point, which follow-on errors are suppressed, what recovery still
 * checks, where lines split statements, and that names starting with
 * keywords stay names.
 */
import { describe, expect, it } from "vitest";
import { parse } from "../../grammar/parse.js";
import { figsLexer } from "../../grammar/tokens.js";

/** "line:col CODE" for each diagnostic, the way a person reads them. */
function errorsOf(text: string): string[] {
  return parse(text, "t.figs").diagnostics.map((d) => `${d.range?.start.line}:${d.range?.start.column} ${d.code}`);
}

describe("parse", () => {
  it("returns an AST and no diagnostics for valid input", () => {
    const result = parse("op a(k: int = 3) { conv(k, 16) -> bn }", "t.figs");
    expect(result.diagnostics).toEqual([]);
    expect(result.ast?.items.map((item) => item.kind)).toEqual(["Definition"]);
  });

  it("reads names that begin with keywords as names", () => {
    const result = parse("let format = 1\nlet order = format\nlet iffy = notes + android", "t.figs");
    expect(result.diagnostics).toEqual([]);
  });

  it("points a missing value at the token that came instead", () => {
    expect(errorsOf("op a() {\n  conv(1, 8) ->\n}")).toEqual(["3:1 FIGS1105"]);
  });

  it("reports one error per mistake, not the echoes of recovery", () => {
    expect(errorsOf("op a(x: int) relu")).toEqual(["1:14 FIGS1101"]);
    expect(errorsOf("op a() { f(1,,2) }")).toEqual(["1:14 FIGS1105"]);
    expect(errorsOf('op a() { "abc }')).toEqual(["1:10 FIGS1003"]);
  });

  it("reports the next line's mistake after a bracket that is never closed", () => {
    expect(errorsOf("space s() {\n  let x = [1, 2\n  let y = 3 +* 4\n}")).toEqual(["3:3 FIGS1102", "3:14 FIGS1105"]);
    expect(errorsOf("space s() {\n  conv(3, 8 -> relu\n  let y = 3 +* 4\n}")).toEqual([
      "3:3 FIGS1102",
      "3:14 FIGS1105",
    ]);
  });

  it("reports a list that goes on over lines once, not the echoes of closing it early", () => {
    expect(errorsOf("space s() {\n  conv(\n    3,\n    16\n    stride: 2,\n  )\n}")).toEqual(["5:5 FIGS1102"]);
  });

  it("keeps checking the items after a stray closing brace", () => {
    expect(errorsOf("op a() { }\n}\nop b(k int) { }\nop c(x: int, x: int) { }")).toEqual([
      "2:1 FIGS1101",
      "3:8 FIGS1101",
      "4:14 FIGS1110",
    ]);
  });

  it("runs the builder's checks on intact definitions even when others have syntax errors", () => {
    expect(errorsOf("op a( { }\nop b() { if 1 < 2 < 3 { } }")).toEqual(["1:7 FIGS1102", "2:13 FIGS1109"]);
  });

  it("reports an 'else if' chain longer than the limit instead of nesting it", () => {
    const arms = Array.from({ length: 250 }, (_, i) => `if c == ${i} { relu }`).join(" else ");
    expect(errorsOf(`op a(c: int) { ${arms} }`).map((e) => e.split(" ")[1])).toEqual(["FIGS1107"]);
  });

  it("refuses 'not' where Python refuses it, and accepts it where Python does", () => {
    expect(errorsOf("let a = 1 + not x")).toEqual(["1:13 FIGS1101"]);
    expect(errorsOf("let a = x == not y")).toEqual(["1:14 FIGS1101"]);
    expect(errorsOf("let a = not not x and not -y or not x == y")).toEqual([]);
  });

  it("accepts signed exponents and refuses chained ranges", () => {
    expect(errorsOf("let a = 2 ** -1 ** -2")).toEqual([]);
    expect(errorsOf("let r = 0..4..8")).toEqual(["1:13 FIGS1101"]);
  });

  it("starts a new statement at '(' after any line break, even one inside a comment", () => {
    const statements = (text: string): number | undefined => {
      const item = parse(text, "t.figs").ast?.items[0];
      return item?.kind === "Definition" ? item.body.statements.length : undefined;
    };
    expect(statements("op a() {\n  relu\n  (conv(1, 8) -> bn)\n}")).toBe(2);
    expect(statements("op a() {\r\n  relu\r\n  (conv(1, 8) -> bn)\r\n}")).toBe(2);
    expect(statements("op a() {\r  relu\r  (conv(1, 8) -> bn)\r}")).toBe(2);
    expect(statements("op a() { relu /* a\n b */ (conv(1, 8) -> bn) }")).toBe(2);
    expect(statements("op a() { relu /* a b */ (conv(1, 8) -> bn) }")).toBe(1);
  });

  it("lexes tokens with their end offsets (the lexer adds them to Chevrotain's offset-only tokens)", () => {
    expect(figsLexer.tokenize("op ab(").tokens.map((t) => [t.startOffset, t.endOffset])).toEqual([
      [0, 1],
      [3, 4],
      [5, 5],
    ]);
  });

  it("is reusable: a failed parse leaves no state behind", () => {
    expect(errorsOf("op a( {")).not.toEqual([]);
    expect(errorsOf("op a() { relu }")).toEqual([]);
  });
});
