/**
 * Inputs at the edges: nothing, only comments, binary data, huge files,
 * adversarial nesting, broken encodings, BOMs, CRLF and tabs. The parser must
 * answer each with diagnostics (or an AST), never an exception or a stack
 * overflow, and positions must stay right.
 */
import { describe, expect, it } from "vitest";
import { parse, type ParseResult } from "../../grammar/parse.js";
import { decodeSource } from "../../grammar/read-source.js";
import { renderDiagnostics } from "../../diagnostics/render.js";
import { generateFigsSource, seededRandom } from "../../bench/parse/generate-source.js";
import { astRangeProblems, diagnosticProblems } from "../fuzz/checks.js";

function codes(result: ParseResult): string[] {
  return result.diagnostics.map((d) => d.code);
}

function rendered(result: ParseResult): string {
  return renderDiagnostics(result.diagnostics, () => result.source);
}

function expectSound(result: ParseResult): void {
  expect(diagnosticProblems(result)).toEqual([]);
  expect(codes(result)).not.toContain("FIGS9999");
}

describe("empty and comment-only files", () => {
  it("parses an empty file to an empty program", () => {
    const result = parse("", "empty.figs");
    expect(result.diagnostics).toEqual([]);
    expect(result.ast?.items).toEqual([]);
    expect(result.ast?.range.end).toEqual({ offset: 0, line: 1, column: 1 });
  });

  it("parses whitespace only", () => {
    expect(parse(" \n\t\n\r\n", "blank.figs").ast?.items).toEqual([]);
  });

  it("keeps every comment of a file that has nothing else", () => {
    const result = parse("# one\n/* two\n   lines */\n# three", "comments.figs");
    expect(result.ast?.items).toEqual([]);
    expect(result.ast?.comments.map((c) => [c.text, c.block, c.range.start.line])).toEqual([
      ["# one", false, 1],
      ["/* two\n   lines */", true, 2],
      ["# three", false, 4],
    ]);
  });
});

describe("binary input", () => {
  it("refuses a NUL byte as binary data, pointing at it", () => {
    const result = parse("op a() {\n  relu\u0000\n}\n", "nul.figs");
    expect(codes(result)).toEqual(["FIGS1005"]);
    expect(result.diagnostics[0]!.range!.start).toEqual({ offset: 15, line: 2, column: 7 });
  });

  it.each([1, 2, 3, 4, 5])("survives random bytes (seed %i)", (seed) => {
    const random = seededRandom(seed);
    const bytes = Uint8Array.from({ length: 4096 }, () => Math.floor(random() * 256));
    const decoded = decodeSource(bytes, "random.figs");
    expect(decoded.diagnostics.map((d) => d.code)).toEqual(["FIGS1006"]);
    const withNul = parse(decoded.text, "random.figs");
    expectSound(withNul);
    const withoutNul = parse(decoded.text.replaceAll("\u0000", " "), "random.figs");
    expectSound(withoutNul);
    expect(withoutNul.diagnostics.length).toBeGreaterThan(0);
  });
});

describe("large files", () => {
  it("parses a 10 MB file of generated definitions", () => {
    const text = generateFigsSource(10 * 2 ** 20);
    expect(text.length).toBeGreaterThanOrEqual(10 * 2 ** 20);
    const result = parse(text, "large.figs");
    expect(result.diagnostics).toEqual([]);
    expect(result.ast!.items.length).toBeGreaterThan(20_000);
    const last = result.ast!.items[result.ast!.items.length - 1]!;
    expect(last.range.end.line).toBe(text.split("\n").length - 1);
  });

  it("reports a block comment left open at the end of a large file, once, where it starts", () => {
    const base = generateFigsSource(2 ** 20);
    const result = parse(`${base}/* never closed\nop lost() { relu }\n`, "open-comment.figs");
    expect(codes(result)).toEqual(["FIGS1002"]);
    const lines = base.split("\n").length;
    expect(result.diagnostics[0]!.range!.start).toMatchObject({ offset: base.length, line: lines, column: 1 });
  });
});

describe("adversarial nesting never overflows the stack", () => {
  const n = 10_000;
  const cases: Array<[string, string, string]> = [
    ["parentheses", `let x = ${"(".repeat(n)}1${")".repeat(n)}`, "FIGS1107"],
    ["brackets", `let x = ${"[".repeat(n)}1${"]".repeat(n)}`, "FIGS1107"],
    ["braces", `op f() ${"{".repeat(n)}${"}".repeat(n)}`, "FIGS1107"],
    ["branches bodies", `op f() { ${"branches { ".repeat(n)}relu${" } aggregate sum".repeat(n)} }`, "FIGS1107"],
    ["unclosed parentheses", `let x = ${"(".repeat(n)}`, "FIGS1107"],
    ["not not …", `let x = ${"not ".repeat(n)}a`, "FIGS1108"],
    ["- - …", `let x = ${"- ".repeat(n)}a`, "FIGS1108"],
    ["a ** a ** …", `let x = ${"a ** ".repeat(n)}a`, "FIGS1108"],
    ["a + a + …", `let x = ${"a + ".repeat(n)}a`, "FIGS1108"],
    ["a or a or …", `let x = ${"a or ".repeat(n)}a`, "FIGS1108"],
    ["subscripts", `let x = a${"[0]".repeat(n)}`, "FIGS1108"],
    ["else if chains", `op f() { ${"if a { } else ".repeat(n)}{ } }`, "FIGS1107"],
  ];

  it.each(cases)("%s", (_name, text, code) => {
    const result = parse(text, "deep.figs");
    expectSound(result);
    expect(codes(result)).toEqual([code]);
  });

  it("accepts a long flat chain: steps do not nest", () => {
    const result = parse(`op f() { ${"relu -> ".repeat(n)}relu }`, "chain.figs");
    expect(result.diagnostics).toEqual([]);
  });

  it("accepts nesting just under the limits", () => {
    const result = parse(`let x = ${"(".repeat(60)}${"- ".repeat(100)}1${")".repeat(60)}`, "limit.figs");
    expect(result.diagnostics).toEqual([]);
    expect(astRangeProblems(result)).toEqual([]);
  });
});

describe("encodings", () => {
  const encoder = new TextEncoder();

  it("reports the first bad UTF-8 byte and still parses the rest", () => {
    const head = encoder.encode('# größe\nlet name = "');
    const bytes = new Uint8Array([...head, 0xff, ...encoder.encode('"\nop a() {\n  conv(3, 16\n}\n')]);
    const decoded = decodeSource(bytes, "latin1.figs");
    expect(decoded.diagnostics.map((d) => [d.code, d.range?.start.line, d.range?.start.column])).toEqual([
      ["FIGS1006", 2, 13],
    ]);
    expect(decoded.diagnostics[0]!.message).toContain("byte 0xff at byte offset 22");
    const result = parse(decoded.text, "latin1.figs");
    expect(codes(result)).toEqual(["FIGS1102"]);
    expect(result.diagnostics[0]!.range!.start.line).toBe(5);
  });

  it("strips a UTF-8 byte order mark, so columns start at 1", () => {
    const decoded = decodeSource(
      new Uint8Array([0xef, 0xbb, 0xbf, ...encoder.encode("op a() { relu }\n")]),
      "bom.figs",
    );
    expect(decoded.diagnostics).toEqual([]);
    const result = parse(decoded.text, "bom.figs");
    expect(result.ast?.items[0]?.range.start).toEqual({ offset: 0, line: 1, column: 1 });
  });

  it("treats a byte order mark left in the text as whitespace", () => {
    expect(parse("\ufeffop a() { relu }", "bom.figs").diagnostics).toEqual([]);
  });
});

describe("line endings and tabs", () => {
  it("counts lines and columns right with CRLF line endings", () => {
    const result = parse("op a() {\r\n  conv(3, 16\r\n}\r\n", "crlf.figs");
    expect(rendered(result)).toBe(
      [
        "crlf.figs:3:1: error FIGS1102: expected ')' to close the argument list opened at 2:7, found '}'",
        " 3 | }",
        "   | ^",
        "crlf.figs:2:7: note: '(' opened here",
        " 2 |   conv(3, 16",
        "   |       ^",
      ].join("\n"),
    );
  });

  it("gives AST ranges that skip the CR of CRLF", () => {
    const result = parse("let a = 1\r\nlet bb = 22\r\n", "crlf.figs");
    expect(
      result.ast?.items.map((item) => [item.range.start.line, item.range.start.column, item.range.end.column]),
    ).toEqual([
      [1, 1, 10],
      [2, 1, 12],
    ]);
  });

  it("counts a tab as one column and keeps the caret under the text", () => {
    const result = parse("op a() {\n\tconv(3,\t16 -> bn\n}\n", "tabs.figs");
    expect(rendered(result)).toBe(
      [
        "tabs.figs:3:1: error FIGS1102: expected ')' to close the argument list opened at 2:6, found '}'",
        " 3 | }",
        "   | ^",
        "tabs.figs:2:6: note: '(' opened here",
        " 2 |  conv(3, 16 -> bn",
        "   |      ^",
      ].join("\n"),
    );
  });
});
