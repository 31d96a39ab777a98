// The one reporting path (cli/report.ts): rendering of each kind of location,
// usage errors with their hint, JSON for --json, exit codes, colour.
import { describe, expect, it } from "vitest";
import { ExitCode } from "../../cli/command.js";
import { withJsonStdout } from "../../cli/io.js";
import { colourise, report, reportUsage, writeNotes, type Reporter } from "../../cli/report.js";
import { error, fileError, fileNote, plainError } from "../../diagnostics/diagnostic.js";
import { SourceFile } from "../../diagnostics/source.js";
import { memoryIo } from "./helpers.js";

function reporter(json = false): { to: Reporter; out: () => string; err: () => string } {
  const memory = memoryIo();
  return { to: { io: memory.io, who: "figs search", json }, out: memory.stdout, err: memory.stderr };
}

const source = new SourceFile("s.figs", "space s() {\n  input(8, 8, 3)\n}\n");
const atInput = error("FIGS5002", "the data is 28x28x1", source.rangeAt(14, 28));
const ofFile = fileError("FIGS7001", "run is being written by process 12", "run");
const ofOption = plainError("FIGS6003", "--batch must be a positive integer, got 0");

describe("report", () => {
  it("renders each location as the compiler does, one after the other, and exits 1", () => {
    const { to, out, err } = reporter();
    expect(report(to, [atInput, ofFile, ofOption], () => source)).toBe(ExitCode.UserError);
    expect(out()).toBe("");
    expect(err()).toBe(
      [
        "s.figs:2:3: error FIGS5002: the data is 28x28x1",
        " 2 |   input(8, 8, 3)",
        "   |   ^~~~~~~~~~~~~~",
        "",
        "run: error FIGS7001: run is being written by process 12",
        "",
        "figs search: error FIGS6003: --batch must be a positive integer, got 0",
        "",
      ].join("\n"),
    );
  });

  it("prints JSON on stdout with --json, nothing on stderr, and exits 2 for a bug in figs", () => {
    const { to, out, err } = reporter(true);
    const bug = plainError("FIGS9999", "internal error; please report it");
    expect(report(to, [ofOption, bug])).toBe(ExitCode.InternalError);
    expect(err()).toBe("");
    const json = JSON.parse(out()) as { diagnostics: { code: string; location: unknown }[] };
    expect(json.diagnostics.map((d) => [d.code, d.location])).toEqual([
      ["FIGS6003", null],
      ["FIGS9999", null],
    ]);
  });

  it("writes JSON to the stdout a --json run kept for it, not to the one it moved to stderr", () => {
    const memory = memoryIo();
    const io = withJsonStdout(memory.io);
    io.stdout.write("backend: cpu\n");
    report({ io, who: "figs search", json: true }, [ofOption]);
    expect(memory.stderr()).toBe("backend: cpu\n");
    expect(JSON.parse(memory.stdout())).toHaveProperty("diagnostics");
  });
});

describe("reportUsage", () => {
  it("adds where the usage is, in text only", () => {
    const text = reporter();
    expect(reportUsage(text.to, ofOption)).toBe(ExitCode.UserError);
    expect(text.err()).toBe(
      "figs search: error FIGS6003: --batch must be a positive integer, got 0\n" +
        "Run 'figs search --help' for usage.\n",
    );
    const json = reporter(true);
    expect(reportUsage(json.to, ofOption)).toBe(ExitCode.UserError);
    expect(json.err()).toBe("");
    expect(json.out()).not.toContain("--help' for usage");
  });
});

describe("writeNotes", () => {
  it("renders notes and warnings on stderr even with --json: stdout is the command's until it ends", () => {
    const { to, out, err } = reporter(true);
    writeNotes(to, [fileNote("FIGS7007", "took over the lock of run", "run")]);
    expect(out()).toBe("");
    expect(err()).toBe("run: note FIGS7007: took over the lock of run\n");
  });
});

describe("colourise", () => {
  it("colours the severity of every kind of heading, never a source line that looks like one", () => {
    const text = [
      "s.figs:2:3: error FIGS5002: x",
      " 2 | a: error b",
      "   | ^~~",
      "run: warning FIGS5006: y",
      "figs search: error FIGS6003: z",
      "  note: w",
    ].join("\n");
    const lines = colourise(text).split("\n");
    expect(lines[0]).toContain("\u001b[31merror\u001b[0m FIGS5002");
    expect(lines[1]).toBe(" 2 | a: error b");
    expect(lines[2]).toContain("\u001b[31m^~~\u001b[0m");
    expect(lines[3]).toContain("\u001b[33mwarning\u001b[0m FIGS5006");
    expect(lines[4]).toBe("\u001b[1mfigs search: \u001b[31merror\u001b[0m FIGS6003: z");
    expect(lines[5]).toContain("\u001b[36mnote\u001b[0m: w");
  });
});
