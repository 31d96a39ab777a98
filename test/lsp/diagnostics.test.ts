/** figs diagnostics → LSP diagnostics (cli/lsp/diagnostics.ts), with and without a location. */
import { describe, expect, it } from "vitest";
import { codeOf } from "../../diagnostics/codes.js";
import { error, fileError, plainError } from "../../diagnostics/diagnostic.js";
import { SourceFile } from "../../diagnostics/source.js";
import { lspDiagnostics, type ImportPlace } from "../../cli/lsp/diagnostics.js";

const source = new SourceFile("/w/space.figs", "space s() {\n  input(8, 8, 3) -> relu\n}\n");
const other = new SourceFile("/w/blocks.figs", "block b() {\n  reluu\n}\n");
const nowhere: ImportPlace = () => undefined;
const start = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

describe("lspDiagnostics", () => {
  it("shifts a figs range to the LSP's 0-based lines and characters, and turns notes into related information", () => {
    const note = { message: "'s' is defined here", range: source.rangeAt(6, 7) };
    const [diagnostic] = lspDiagnostics(
      [error(codeOf("UnknownName"), "unknown name 'relu'", source.rangeAt(32, 36), [note])],
      source.path,
      nowhere,
    );
    expect(diagnostic).toEqual({
      severity: 1,
      code: "FIGS2001",
      source: "figs",
      message: "unknown name 'relu'",
      range: { start: { line: 1, character: 20 }, end: { line: 1, character: 24 } },
      relatedInformation: [
        {
          location: {
            uri: "file:///w/space.figs",
            range: { start: { line: 0, character: 6 }, end: { line: 0, character: 7 } },
          },
          message: "'s' is defined here",
        },
      ],
    });
  });

  it("puts a diagnostic without a range, or without any location, at the start of the file", () => {
    const [fileOnly, none] = lspDiagnostics(
      [
        fileError(codeOf("InternalError"), "internal error", source.path, [{ message: "a note without a place" }]),
        plainError(codeOf("InternalError"), "no file at all"),
      ],
      source.path,
      nowhere,
    );
    expect(fileOnly).toMatchObject({ range: start, message: "internal error\nnote: a note without a place" });
    expect(fileOnly).not.toHaveProperty("relatedInformation");
    expect(none).toMatchObject({ range: start, message: "no file at all" });
  });

  it("shows a problem of another file on the import that leads to it, pointing at where it is", () => {
    const importRange = { start: { line: 0, character: 7 }, end: { line: 0, character: 20 } };
    const place: ImportPlace = (file) =>
      file === other.path ? { range: importRange, spec: "blocks.figs" } : undefined;
    const problem = error(codeOf("UnknownName"), "unknown name 'reluu'", other.rangeAt(14, 19));
    const [shown, unplaced] = lspDiagnostics(
      [problem, fileError(codeOf("FileNotFound"), "cannot read it", "/w/missing.figs")],
      source.path,
      place,
    );
    expect(shown).toMatchObject({
      range: importRange,
      message: `in the file imported by "blocks.figs": unknown name 'reluu'`,
      relatedInformation: [
        {
          location: { uri: "file:///w/blocks.figs", range: { start: { line: 1, character: 2 } } },
          message: "the problem is here",
        },
      ],
    });
    expect(unplaced).toMatchObject({ range: start, message: "in '/w/missing.figs': cannot read it" });
  });

  it("maps warnings and notes to their LSP severities", () => {
    const range = source.rangeAt(0, 5);
    const severities = lspDiagnostics(
      [
        { severity: "warning", code: codeOf("UnknownName"), message: "w", range, notes: [] },
        { severity: "note", code: codeOf("UnknownName"), message: "n", range, notes: [] },
      ],
      source.path,
      nowhere,
    ).map((d) => d.severity);
    expect(severities).toEqual([2, 3]);
  });
});
