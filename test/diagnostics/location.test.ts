// A diagnostic's location is optional: a range in a source text, a whole
// file, or nothing. Every reader copes: sorting, rendering, JSON.
import { describe, expect, it } from "vitest";
import {
  diagnosticFile,
  error,
  fileError,
  fileNote,
  plainError,
  plainWarning,
  sortDiagnostics,
} from "../../diagnostics/diagnostic.js";
import { diagnosticJson } from "../../diagnostics/json.js";
import { renderDiagnostic, renderDiagnostics } from "../../diagnostics/render.js";
import { SourceFile } from "../../diagnostics/source.js";

const source = new SourceFile("a.figs", "space s() {\n  conv(3, 16\n}\n");
const ranged = error("FIGS1101", "expected ')'", source.rangeAt(16, 20));
const ofFile = fileError("FIGS9002", "data.idx is truncated", "data.idx");
const ofNothing = plainError("FIGS6003", "--batch must be a positive integer, got 0");

describe("constructors", () => {
  it("give a range, a file or neither, never both", () => {
    expect([ranged.range?.file, ranged.file]).toEqual(["a.figs", undefined]);
    expect([ofFile.range, ofFile.file]).toEqual([undefined, "data.idx"]);
    expect([ofNothing.range, ofNothing.file]).toEqual([undefined, undefined]);
    expect(fileNote("FIGS7007", "took over the lock", "run").severity).toBe("note");
    expect(plainWarning("FIGS5006", "missed").severity).toBe("warning");
  });

  it("name the file of each kind", () => {
    expect([ranged, ofFile, ofNothing].map(diagnosticFile)).toEqual(["a.figs", "data.idx", undefined]);
  });
});

describe("sortDiagnostics", () => {
  it("puts diagnostics without a file first, then by file, a file's own before its positions", () => {
    const whole = fileError("FIGS9001", "cannot read a.figs", "a.figs");
    const sorted = sortDiagnostics([ranged, ofFile, whole, ofNothing]);
    expect(sorted).toEqual([ofNothing, whole, ranged, ofFile]);
  });
});

describe("rendering", () => {
  it("is file:line:col with the line for a range, file: for a file, figs: (or who) for none", () => {
    expect(renderDiagnostic(ranged, () => source).split("\n")[0]).toBe("a.figs:2:5: error FIGS1101: expected ')'");
    expect(renderDiagnostic(ofFile, () => undefined)).toBe("data.idx: error FIGS9002: data.idx is truncated");
    expect(renderDiagnostic(ofNothing, () => undefined)).toBe(
      "figs: error FIGS6003: --batch must be a positive integer, got 0",
    );
    expect(renderDiagnostics([ofNothing], () => undefined, { who: "figs search" })).toBe(
      "figs search: error FIGS6003: --batch must be a positive integer, got 0",
    );
  });

  it("never invents an excerpt for a file without positions, even when its text is known", () => {
    const known = new SourceFile("data.idx", "binary\n");
    expect(renderDiagnostic(ofFile, () => known)).toBe("data.idx: error FIGS9002: data.idx is truncated");
  });
});

describe("JSON", () => {
  it("has one stable shape: location {file, line, column, endLine, endColumn} or null", () => {
    const withNote = error("FIGS1102", "unclosed", source.rangeAt(16, 20), [{ message: "opened here" }]);
    expect(diagnosticJson(withNote)).toEqual({
      severity: "error",
      code: "FIGS1102",
      message: "unclosed",
      location: { file: "a.figs", line: 2, column: 5, endLine: 2, endColumn: 9 },
      notes: [{ message: "opened here", location: null }],
    });
    expect(diagnosticJson(ofFile).location).toEqual({
      file: "data.idx",
      line: null,
      column: null,
      endLine: null,
      endColumn: null,
    });
    expect(diagnosticJson(ofNothing).location).toBeNull();
    expect(JSON.parse(JSON.stringify(diagnosticJson(ofNothing)))).toEqual(diagnosticJson(ofNothing));
  });
});
