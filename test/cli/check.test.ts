import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checkFile } from "../../cli/commands/check.js";
import { ExitCode } from "../../cli/command.js";
import { main } from "../../cli/main.js";
import { exitCodeFor } from "../../cli/report.js";
import { codeOf } from "../../diagnostics/codes.js";
import { error } from "../../diagnostics/diagnostic.js";
import { memoryIo, tempFolders } from "./helpers.js";

const fixtures = join(import.meta.dirname, "fixtures");
const clean = "op pointwise(width: int) {\n  conv(1, width) -> bn -> relu\n}\n";
const folderWith = tempFolders();

describe("figs check", () => {
  it("passes clean files with exit 0 and a summary", async () => {
    const cwd = folderWith({ "a.figs": clean, "b.figs": clean, "c.figs": "" });
    const run = memoryIo({ cwd });
    expect(await main(["check", "a.figs", "b.figs", "c.figs"], run.io)).toBe(ExitCode.Ok);
    expect(run.stderr()).toBe("3 files ok\n");
    expect(run.stdout()).toBe("");
  });

  it("renders every diagnostic as file:line:col: error FIGS…, with the source line", async () => {
    const run = memoryIo({ cwd: fixtures });
    expect(await main(["check", "two-errors.figs"], run.io)).toBe(ExitCode.UserError);
    expect(run.stderr()).toMatch(
      /^two-errors\.figs:4:1: error FIGS1102: expected '\)' to close the argument list opened at 3:9/,
    );
    expect(run.stderr()).toMatch(/\n2 errors in 1 file\n$/);
    await expect(run.stderr()).toMatchFileSnapshot("fixtures/two-errors.stderr.txt");
  });

  it("counts errors over files and only names the files that have them", async () => {
    const cwd = folderWith({ "good.figs": clean, "bad.figs": "op x() {\n  relu ->\n}\n" });
    const run = memoryIo({ cwd });
    expect(await main(["check", "good.figs", "bad.figs"], run.io)).toBe(ExitCode.UserError);
    expect(run.stderr()).toMatch(/^bad\.figs:3:1: error FIGS1105: /);
    expect(run.stderr()).not.toContain("good.figs");
    expect(run.stderr()).toMatch(/\n1 error in 1 file\n$/);
  });

  it("a missing file is exit 1 with a clear message", async () => {
    const cwd = folderWith({ "a.figs": clean });
    const run = memoryIo({ cwd });
    expect(await main(["check", "a.figs", "missing.figs"], run.io)).toBe(ExitCode.UserError);
    expect(run.stderr()).toBe(
      "missing.figs: error FIGS9001: cannot read 'missing.figs': no such file\n\n1 error in 1 file\n",
    );
  });

  it("a folder without .figs files or a file that is not UTF-8 is reported, not thrown", async () => {
    const cwd = folderWith({ "latin1.figs": new Uint8Array([0x6f, 0x70, 0x20, 0xe9, 0x28, 0x29, 0x20, 0x7b, 0x7d]) });
    mkdirSync(join(cwd, "empty"));
    const run = memoryIo({ cwd });
    expect(await main(["check", "empty", "latin1.figs"], run.io)).toBe(ExitCode.UserError);
    expect(run.stderr()).toContain(
      "empty: error FIGS9001: 'empty' is a folder that holds no .figs files " +
        "(hidden folders and node_modules are not searched)",
    );
    expect(run.stderr()).toContain("latin1.figs:1:4: error FIGS1006: this file is not valid UTF-8");
  });

  it("checks the .figs files below a folder, in order, skipping node_modules and hidden folders", async () => {
    const cwd = folderWith({ "top.figs": clean, "notes.txt": "not figs" });
    for (const folder of ["spaces/deep", "node_modules/x", ".git"]) mkdirSync(join(cwd, folder), { recursive: true });
    writeFileSync(join(cwd, "spaces/b.figs"), "op x() {\n  relu ->\n}\n");
    writeFileSync(join(cwd, "spaces/deep/a.figs"), "op y( {\n");
    writeFileSync(join(cwd, "node_modules/x/bad.figs"), "op (");
    writeFileSync(join(cwd, ".git/bad.figs"), "op (");
    const run = memoryIo({ cwd });
    expect(await main(["check", "."], run.io)).toBe(ExitCode.UserError);
    const named = [...run.stderr().matchAll(/^(\S+\.figs):\d+:\d+: error/gm)].map((m) => m[1]);
    expect(named).toEqual(["spaces/b.figs", "spaces/deep/a.figs"]);
    expect(run.stderr()).toMatch(/\n2 errors in 2 files\n$/);
  });

  it("no files is a usage error", async () => {
    const run = memoryIo();
    expect(await main(["check"], run.io)).toBe(ExitCode.UserError);
    expect(run.stderr()).toContain("figs check: error FIGS6004: no files given");
  });

  it("'-' checks standard input", async () => {
    const run = memoryIo({ stdin: "op x() { relu" });
    expect(await main(["check", "-"], run.io)).toBe(ExitCode.UserError);
    expect(run.stderr()).toMatch(/^<stdin>:1:14: error FIGS1102: /);
  });

  it("--json prints the diagnostics as data on stdout and nothing on stderr", async () => {
    const run = memoryIo({ cwd: fixtures });
    expect(await main(["check", "--json", "two-errors.figs"], run.io)).toBe(ExitCode.UserError);
    expect(run.stderr()).toBe("");
    const report = JSON.parse(run.stdout()) as {
      files: { path: string; diagnostics: { code: string; range: { start: { line: number } } }[] }[];
      errors: number;
    };
    expect(report.errors).toBe(2);
    expect(report.files.map((f) => f.path)).toEqual(["two-errors.figs"]);
    expect(report.files[0]?.diagnostics.map((d) => [d.code, d.range.start.line])).toEqual([
      ["FIGS1102", 4],
      ["FIGS1105", 7],
    ]);
  });

  it("colours only when stderr is a terminal and NO_COLOR is unset", async () => {
    const plain = readFileSync(join(fixtures, "two-errors.figs"), "utf8");
    const cwd = folderWith({ "e.figs": plain });
    const outputs: string[] = [];
    for (const options of [{ tty: true }, { tty: true, env: { NO_COLOR: "1" } }, { tty: false }]) {
      const run = memoryIo({ cwd, ...options });
      await main(["check", "e.figs"], run.io);
      outputs.push(run.stderr());
    }
    const [terminal, noColour, piped] = outputs;
    expect(terminal).toContain("\u001b[31merror\u001b[0m FIGS1102");
    expect(terminal?.replace(/\u001b\[\d+m/g, "")).toBe(piped);
    expect(noColour).toBe(piped);
    expect(piped).not.toContain("\u001b[");
  });
});

describe("check stages", () => {
  const noImports = { readFile: () => ({ ok: false, text: "", diagnostics: [] }), stdlibDir: "stdlib" };

  it("stop after the load stage when a file or its imports do not parse: no elaboration diagnostics", () => {
    const text = 'import "broken.figs"\nspace s() {\n  input(8, 8, 3) -> nowhere\n}\n';
    const host = { readFile: () => ({ ok: true, text: "op b( {\n", diagnostics: [] }), stdlibDir: "stdlib" };
    const checked = checkFile({ path: "x.figs", readable: true, text, diagnostics: [] }, host);
    expect(checked.diagnostics.map((d) => [d.range?.file, d.code])).toEqual([["broken.figs", "FIGS1102"]]);
    expect([...checked.sources.keys()]).toEqual(["x.figs", "broken.figs"]);
  });

  it("a file whose text has errors is parsed for its syntax errors but not compiled", () => {
    const range = { file: "x.figs", start: { offset: 0, line: 1, column: 1 }, end: { offset: 1, line: 1, column: 2 } };
    const notUtf8 = error(codeOf("InvalidEncoding"), "this file is not valid UTF-8", range);
    const text = "space s() {\n  input(8, 8, 3) -> nowhere\n}\nop x( {\n";
    const checked = checkFile({ path: "x.figs", readable: true, text, diagnostics: [notUtf8] }, noImports);
    expect(checked.diagnostics.map((d) => d.code)).toEqual(["FIGS1006", "FIGS1102"]);
    expect(checked.sources.get("x.figs")?.text).toBe(text);
  });

  it("an internal-error diagnostic (FIGS9999) makes the exit code 2", () => {
    const range = { file: "x.figs", start: { offset: 0, line: 1, column: 1 }, end: { offset: 0, line: 1, column: 1 } };
    const internal = error(codeOf("InternalError"), "internal error in the parser", range);
    const syntax = error(codeOf("UnexpectedToken"), "unexpected", range);
    expect(exitCodeFor([{ path: "x.figs", diagnostics: [syntax, internal] }])).toBe(ExitCode.InternalError);
    expect(exitCodeFor([{ path: "x.figs", diagnostics: [syntax] }])).toBe(ExitCode.UserError);
    expect(exitCodeFor([{ path: "x.figs", diagnostics: [] }])).toBe(ExitCode.Ok);
  });
});
