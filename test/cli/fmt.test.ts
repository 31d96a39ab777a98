/**
 * The mechanics of `figs fmt` (check mode, atomic rewrite, files with errors,
 * stdin) with a stand-in formatter, so they are tested apart from the printer.
 */
import {
  chmodSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { writeFileAtomically } from "../../cli/atomic-write.js";
import { ExitCode } from "../../cli/command.js";
import { createFmtCommand } from "../../cli/commands/fmt.js";
import type { FormatFigs, FormatOptions } from "../../cli/formatter.js";
import { main } from "../../cli/main.js";
import { codeOf } from "../../diagnostics/codes.js";
import { error } from "../../diagnostics/diagnostic.js";
import { SourceFile } from "../../diagnostics/source.js";
import { parse } from "../../grammar/parse.js";
import { memoryIo, tempFolder } from "./helpers.js";

/** Stand-in: refuses text with syntax errors, strips trailing spaces, ends with one newline. */
const calls: { path: string | undefined; options: FormatOptions | undefined }[] = [];
const standInFormatter: FormatFigs = async (text, path, options) => {
  calls.push({ path, options });
  const parsed = parse(text, path);
  if (parsed.diagnostics.length > 0) return { ok: false, diagnostics: parsed.diagnostics };
  return { ok: true, formatted: text.replace(/[ \t]+$/gm, "").trimEnd() + "\n" };
};
const fmt = [createFmtCommand(async () => standInFormatter)];

const formatted = "op pointwise(width: int) {\n  conv(1, width) -> bn\n}\n";
const unformatted = "op pointwise(width: int) {   \n  conv(1, width) -> bn\n}\n\n\n";
const broken = "op pointwise(width: int) {   \n  conv(1, width -> bn\n}\n";

const folders: (() => void)[] = [];
afterEach(() => {
  folders.splice(0).forEach((remove) => remove());
  calls.splice(0);
});

function folderWith(files: Record<string, string>): string {
  const folder = tempFolder(files);
  folders.push(folder.remove);
  return folder.dir;
}

const read = (dir: string, name: string) => readFileSync(join(dir, name), "utf8");

describe("figs fmt --check", () => {
  it("lists the files that would change, exit 1, and writes nothing", async () => {
    const cwd = folderWith({ "a.figs": formatted, "b.figs": unformatted });
    const run = memoryIo({ cwd });
    expect(await main(["fmt", "--check", "a.figs", "b.figs"], run.io, fmt)).toBe(ExitCode.UserError);
    expect(run.stdout()).toBe("b.figs\n");
    expect(run.stderr()).toBe("1 of 2 files would be reformatted\n");
    expect(read(cwd, "b.figs")).toBe(unformatted);
  });

  it("takes a folder as the .figs files below it", async () => {
    const cwd = folderWith({ "a.figs": formatted, "notes.txt": "  not figs  " });
    mkdirSync(join(cwd, "sub"));
    writeFileSync(join(cwd, "sub", "b.figs"), unformatted);
    const run = memoryIo({ cwd });
    expect(await main(["fmt", "--check", "."], run.io, fmt)).toBe(ExitCode.UserError);
    expect(run.stdout()).toBe("sub/b.figs\n");
    expect(run.stderr()).toBe("1 of 2 files would be reformatted\n");
  });

  it("exit 0 when every file is formatted", async () => {
    const cwd = folderWith({ "a.figs": formatted });
    const run = memoryIo({ cwd });
    expect(await main(["fmt", "--check", "a.figs"], run.io, fmt)).toBe(ExitCode.Ok);
    expect(run.stdout()).toBe("");
    expect(run.stderr()).toBe("1 file already formatted\n");
  });
});

describe("figs fmt", () => {
  it("rewrites the files that change, and only those", async () => {
    const cwd = folderWith({ "a.figs": formatted, "b.figs": unformatted });
    const before = statSync(join(cwd, "a.figs")).mtimeMs;
    const run = memoryIo({ cwd });
    expect(await main(["fmt", "a.figs", "b.figs"], run.io, fmt)).toBe(ExitCode.Ok);
    expect(read(cwd, "b.figs")).toBe(formatted);
    expect(statSync(join(cwd, "a.figs")).mtimeMs).toBe(before);
    expect(run.stderr()).toBe("reformatted 1 of 2 files\n");
    expect(readdirSync(cwd).sort()).toEqual(["a.figs", "b.figs"]);
  });

  it("never touches a file with syntax errors: prints its diagnostics, exit 1", async () => {
    const cwd = folderWith({ "bad.figs": broken, "b.figs": unformatted });
    const run = memoryIo({ cwd });
    expect(await main(["fmt", "bad.figs", "b.figs"], run.io, fmt)).toBe(ExitCode.UserError);
    expect(read(cwd, "bad.figs")).toBe(broken);
    expect(read(cwd, "b.figs")).toBe(formatted);
    expect(run.stderr()).toMatch(
      /^bad\.figs:3:1: error FIGS1102: expected '\)' to close the argument list opened at 2:7/,
    );
    expect(run.stderr()).toContain(" 2 |   conv(1, width -> bn\n");
    expect(run.stderr()).toMatch(/\nreformatted 1 of 2 files; 1 file not formatted because of errors\n$/);
  });

  it("an internal error of the formatter (FIGS9999) is exit 2 and leaves the file alone", async () => {
    const failing: FormatFigs = async (text, path) => {
      const range = new SourceFile(path ?? "<input>", text).rangeAt(0, 0);
      return {
        ok: false,
        diagnostics: [
          error(codeOf("InternalError"), "internal error in the formatter (boom); please report it", range),
        ],
      };
    };
    const cwd = folderWith({ "b.figs": unformatted });
    const run = memoryIo({ cwd });
    expect(await main(["fmt", "b.figs"], run.io, [createFmtCommand(async () => failing)])).toBe(ExitCode.InternalError);
    expect(run.stderr()).toMatch(/^b\.figs:1:1: error FIGS9999: internal error in the formatter \(boom\)/);
    expect(read(cwd, "b.figs")).toBe(unformatted);
  });

  it("a missing file is exit 1 with a clear message", async () => {
    const cwd = folderWith({});
    const run = memoryIo({ cwd });
    expect(await main(["fmt", "missing.figs"], run.io, fmt)).toBe(ExitCode.UserError);
    expect(run.stderr()).toBe(
      "missing.figs: error FIGS9001: cannot read 'missing.figs': no such file\n\n" +
        "1 file not formatted because of errors\n",
    );
  });

  it("'-' formats standard input to standard output", async () => {
    const run = memoryIo({ stdin: unformatted });
    expect(await main(["fmt", "-"], run.io, fmt)).toBe(ExitCode.Ok);
    expect(run.stdout()).toBe(formatted);
    expect(run.stderr()).toBe("");
    expect(calls.map((c) => c.path)).toEqual(["<stdin>"]);
  });

  it("'-' with errors writes nothing to stdout", async () => {
    const run = memoryIo({ stdin: broken });
    expect(await main(["fmt", "-"], run.io, fmt)).toBe(ExitCode.UserError);
    expect(run.stdout()).toBe("");
    expect(run.stderr()).toMatch(/^<stdin>:3:1: error FIGS1102/);
  });

  it("passes --print-width to the formatter and rejects a bad one", async () => {
    const cwd = folderWith({ "a.figs": formatted });
    expect(await main(["fmt", "--check", "--print-width", "60", "a.figs"], memoryIo({ cwd }).io, fmt)).toBe(
      ExitCode.Ok,
    );
    expect(calls).toEqual([{ path: "a.figs", options: { printWidth: 60 } }]);
    const bad = memoryIo({ cwd });
    expect(await main(["fmt", "--print-width", "wide", "a.figs"], bad.io, fmt)).toBe(ExitCode.UserError);
    expect(bad.stderr()).toBe(
      "figs fmt: error FIGS6003: --print-width must be a whole number from 1 to 1000\n" +
        "Run 'figs fmt --help' for usage.\n",
    );
  });
});

describe("atomic rewrite", () => {
  it("keeps the file's permissions", async () => {
    const cwd = folderWith({ "b.figs": unformatted });
    chmodSync(join(cwd, "b.figs"), 0o640);
    expect(await main(["fmt", "b.figs"], memoryIo({ cwd }).io, fmt)).toBe(ExitCode.Ok);
    expect(statSync(join(cwd, "b.figs")).mode & 0o777).toBe(0o640);
  });

  it("rewrites the target of a symbolic link and keeps the link", async () => {
    const cwd = folderWith({ "real.figs": unformatted });
    symlinkSync(join(cwd, "real.figs"), join(cwd, "link.figs"));
    expect(await main(["fmt", "link.figs"], memoryIo({ cwd }).io, fmt)).toBe(ExitCode.Ok);
    expect(lstatSync(join(cwd, "link.figs")).isSymbolicLink()).toBe(true);
    expect(read(cwd, "real.figs")).toBe(formatted);
  });

  it("reports a write that fails instead of throwing, and leaves no temporary file", () => {
    const cwd = folderWith({});
    const written = writeFileAtomically(join(cwd, "no-such-folder", "x.figs"), "text", "x.figs");
    expect(
      written.ok ? undefined : [written.diagnostic.code, written.diagnostic.file, written.diagnostic.message],
    ).toEqual(["FIGS9004", "x.figs", "cannot write 'x.figs': ENOENT"]);
    expect(readdirSync(cwd)).toEqual([]);
  });
});
