// `--json` on every command: given a bad input, each prints its diagnostics
// as `{"diagnostics": […]}` on stdout (JSON only there), with codes from the
// one table, and exits 1. A command added to the registry without a case here
// fails the first test.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ExitCode } from "../../cli/command.js";
import { commands } from "../../cli/commands/index.js";
import { main } from "../../cli/main.js";
import { DiagnosticCodes } from "../../diagnostics/codes.js";
import { memoryIo, tempFolders } from "./helpers.js";

const folderWith = tempFolders();
const CODES: ReadonlySet<string> = new Set(Object.values(DiagnosticCodes).map((entry) => entry.code));

/** A bad input for each command, reaching the command's own checks (`out` is a file, so nothing can be written). */
function badInputs(out: string): Record<string, readonly string[]> {
  return {
    check: ["missing.figs"],
    fmt: ["missing.figs"],
    compile: ["missing.figs"],
    cost: ["missing.figs"],
    graph: ["missing.figs"],
    // The language server takes no files: its one user error is an option it does not have.
    lsp: ["--frobnicate"],
    diff: ["missing.figs", "other.figs"],
    sample: ["missing.figs", "--n", "2"],
    scale: ["missing.figs", "--width", "0.5"],
    search: ["missing.figs", "--out", join(out, "search")],
    export: ["no-such-run"],
    retrain: ["missing/arch.json", "--out", join(out, "retrain")],
    sweep: ["missing.json"],
    worker: ["--queue", "not-a-url"],
    demo: ["--out", out],
  };
}

interface JsonDiagnostic {
  severity: string;
  code: string;
  message: string;
  location: { file: string; line: number | null } | null;
  notes: unknown[];
}

async function runJson(argv: readonly string[], cwd: string): Promise<{ code: number; json: unknown; err: string }> {
  const run = memoryIo({ cwd });
  const code = await main([...argv, "--json"], run.io);
  return { code, json: JSON.parse(run.stdout()), err: run.stderr() };
}

function diagnosticsOf(json: unknown): JsonDiagnostic[] {
  expect(json).toHaveProperty("diagnostics");
  return (json as { diagnostics: JsonDiagnostic[] }).diagnostics;
}

describe("--json on every command", () => {
  it("has a bad input for every command of the registry", () => {
    const inputs = badInputs("out");
    expect(commands.map((c) => c.name).filter((name) => inputs[name] === undefined)).toEqual([]);
  });

  it.each(commands.map((c) => c.name))(
    "figs %s prints its diagnostics as JSON on stdout, codes from the table, exit 1",
    async (name) => {
      const cwd = folderWith({ "not-a-folder": "a file" });
      const argv = [name, ...badInputs(join(cwd, "not-a-folder"))[name]!];
      const { code, json } = await runJson(argv, cwd);
      expect(code).toBe(ExitCode.UserError);
      const diagnostics = diagnosticsOf(json);
      expect(diagnostics.length).toBeGreaterThan(0);
      for (const d of diagnostics) {
        expect(Object.keys(d).sort()).toEqual(["code", "location", "message", "notes", "severity"]);
        expect(CODES.has(d.code), d.code).toBe(true);
      }
      expect(diagnostics.some((d) => d.severity === "error")).toBe(true);
    },
    60_000,
  );
});

describe("--json before a command runs", () => {
  it("reports an unknown option and an unknown command as JSON too, without the usage hint", async () => {
    const cwd = folderWith({});
    const option = await runJson(["check", "--frobnicate"], cwd);
    expect(option.code).toBe(ExitCode.UserError);
    expect(diagnosticsOf(option.json).map((d) => [d.code, d.location])).toEqual([["FIGS6002", null]]);
    expect(option.err).toBe("");
    const command = await runJson(["chek"], cwd);
    expect(diagnosticsOf(command.json).map((d) => d.code)).toEqual(["FIGS6001"]);
    const before = memoryIo({ cwd });
    expect(await main(["--json", "compile", "missing.figs"], before.io)).toBe(ExitCode.UserError);
    expect(diagnosticsOf(JSON.parse(before.stdout())).map((d) => d.code)).toEqual(["FIGS9001"]);
  });

  it("keeps stdout for JSON alone: what a command prints otherwise goes to stderr", async () => {
    const cwd = folderWith({ "s.figs": "space s() {\n  input(8, 8, 3) -> conv(3, 8)\n}\n" });
    const drawn = memoryIo({ cwd });
    expect(await main(["graph", "s.figs", "--json"], drawn.io)).toBe(ExitCode.Ok);
    expect(drawn.stdout()).toBe("");
    expect(drawn.stderr()).toContain("digraph");
    const bad = await runJson(["graph", "s.figs", "--depth", "x"], cwd);
    expect(diagnosticsOf(bad.json).map((d) => d.code)).toEqual(["FIGS6003"]);
  });

  it("gives a file-level problem its file and no line, a compiler error its range", async () => {
    const cwd = folderWith({ "bad.figs": "space s() {\n  input(8, 8, 3) -> nope\n}\n" });
    const missing = diagnosticsOf((await runJson(["compile", "missing.figs"], cwd)).json);
    expect(missing.map((d) => d.location)).toEqual([
      { file: "missing.figs", line: null, column: null, endLine: null, endColumn: null },
    ]);
    const bad = diagnosticsOf((await runJson(["compile", "bad.figs"], cwd)).json);
    expect(bad[0]?.location).toMatchObject({ file: "bad.figs", line: 2 });
  });
});
