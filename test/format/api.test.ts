/** The public API: formatFigs never throws, the plugin follows Prettier's conventions. */
import { format } from "prettier";
import { describe, expect, it } from "vitest";
import { codeOf } from "../../diagnostics/codes.js";
import { figsPlugin, formatFigs } from "../../grammar/prettier/index.js";
import type { NodePrinters } from "../../grammar/prettier/printers/context.js";

describe("formatFigs", () => {
  it("formats", async () => {
    expect(await formatFigs("let x=1", "a.figs")).toEqual({ ok: true, formatted: "let x = 1\n" });
  });

  it("returns the parser's diagnostics with their real ranges", async () => {
    const result = await formatFigs("let x = 1\nop a( {", "bad.figs");
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const [first] = result.diagnostics;
    expect(first?.code).toBe(codeOf("MissingClosingDelimiter"));
    expect(first?.range).toMatchObject({ file: "bad.figs", start: { line: 2, column: 7, offset: 16 } });
  });

  it("turns an unexpected failure into an InternalError diagnostic instead of throwing", async () => {
    const result = await formatFigs("let x = 1", "a.figs", { printWidth: Number.NaN });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.diagnostics.map((d) => d.code)).toEqual([codeOf("InternalError")]);
  });

  it("honours printWidth", async () => {
    const text = "let x = conv(3, 64, stride: 2)";
    expect(await formatFigs(text, "a.figs", { printWidth: 20 })).toEqual({
      ok: true,
      formatted: "let x = conv(\n  3,\n  64,\n  stride: 2,\n)\n",
    });
    expect(await formatFigs(text, "a.figs")).toEqual({ ok: true, formatted: `${text}\n` });
  });

  it("writes LF line endings for CRLF input", async () => {
    expect(await formatFigs("let x = 1\r\nlet y = 2\r\n")).toEqual({ ok: true, formatted: "let x = 1\nlet y = 2\n" });
  });

  it("defaults printWidth to 100", async () => {
    const fits = `let x = [${Array.from({ length: 30 }, () => "1").join(", ")}]`;
    expect(fits.length).toBe(98);
    expect(await formatFigs(fits)).toEqual({ ok: true, formatted: `${fits}\n` });
    const tooLong = fits.replace("[1, ", "[1000, ");
    const result = await formatFigs(tooLong);
    expect(result.ok && result.formatted.split("\n").length).toBeGreaterThan(3);
  });
});

describe("the Prettier plugin", () => {
  it("is found by the .figs extension", async () => {
    expect(await format("let x=1", { filepath: "model.figs", plugins: [figsPlugin] })).toBe("let x = 1\n");
  });

  it("throws an Error carrying the rendered diagnostics, as Prettier parsers do", async () => {
    const formatting = format("op a( {", { parser: "figs", plugins: [figsPlugin], filepath: "b.figs" });
    await expect(formatting).rejects.toThrow(/b\.figs:1:7: error FIGS1102: .*\n 1 \| op a\( \{\n {3}\| {7}\^/);
  });

  it("has a printer for every node kind (checked by the compiler)", () => {
    // @ts-expect-error a table without a printer for every node kind does not compile
    const incomplete: NodePrinters = { Program: () => "" };
    expect(Object.keys(incomplete)).toEqual(["Program"]);
  });
});
