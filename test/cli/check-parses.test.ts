/**
 * `figs check` runs the compiler's driver: each file is parsed once, however
 * many spaces it defines and however many checked files import it. Counted
 * through a spy on the parser.
 */
import { describe, expect, it, vi } from "vitest";
import { ExitCode } from "../../cli/command.js";
import type * as Parser from "../../grammar/parse.js";
import { main } from "../../cli/main.js";
import { memoryIo, tempFolders } from "./helpers.js";

const parses = vi.hoisted(() => new Map<string, number>());

vi.mock("../../grammar/parse.js", async (importOriginal) => {
  const original = await importOriginal<typeof Parser>();
  const parse: typeof original.parse = (text, path) => {
    parses.set(path ?? "<input>", (parses.get(path ?? "<input>") ?? 0) + 1);
    return original.parse(text, path);
  };
  return { ...original, parse };
});

const folderWith = tempFolders();
const library = "block b(width: int) {\n  conv(3, width) -> bn -> relu\n}\n";
const spaces = (names: readonly string[]) =>
  `import "lib.figs"\n${names.map((name) => `space ${name}() {\n  input(8, 8, 3) -> b(8)\n}\n`).join("")}`;

describe("figs check parses each file once", () => {
  it("a file of three spaces, another of two, and the library both import", async () => {
    const cwd = folderWith({
      "a.figs": spaces(["a1", "a2", "a3"]),
      "b.figs": spaces(["b1", "b2"]),
      "lib.figs": library,
    });
    parses.clear();
    const run = memoryIo({ cwd });
    expect(await main(["check", "a.figs", "b.figs", "lib.figs"], run.io)).toBe(ExitCode.Ok);
    expect(run.stderr()).toBe("3 files ok\n");
    expect(Object.fromEntries(parses)).toEqual({ "a.figs": 1, "b.figs": 1, "lib.figs": 1 });
  });

  it("each run of figs check parses afresh: nothing is kept between runs", async () => {
    const cwd = folderWith({ "a.figs": spaces(["a1"]), "lib.figs": library });
    parses.clear();
    expect(await main(["check", "a.figs"], memoryIo({ cwd }).io)).toBe(ExitCode.Ok);
    expect(await main(["check", "a.figs"], memoryIo({ cwd }).io)).toBe(ExitCode.Ok);
    expect(Object.fromEntries(parses)).toEqual({ "a.figs": 2, "lib.figs": 2 });
  });

  it("errors in a library several files import are reported for each of them", async () => {
    const cwd = folderWith({ "a.figs": spaces(["a1"]), "b.figs": spaces(["b1"]), "lib.figs": "block b( {\n" });
    parses.clear();
    const run = memoryIo({ cwd });
    expect(await main(["check", "a.figs", "b.figs"], run.io)).toBe(ExitCode.UserError);
    expect(run.stderr().match(/^lib\.figs:1:\d+: error FIGS1102/gm)).toHaveLength(2);
    expect(Object.fromEntries(parses)).toEqual({ "a.figs": 1, "b.figs": 1, "lib.figs": 1 });
  });
});
