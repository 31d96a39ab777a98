/** `figs fmt` with the real formatter (grammar/prettier): the examples and a round trip. */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ExitCode } from "../../cli/command.js";
import { main } from "../../cli/main.js";
import { memoryIo, tempFolder } from "./helpers.js";

const root = join(import.meta.dirname, "..", "..");
const examples = readdirSync(join(root, "examples"))
  .filter((f) => f.endsWith(".figs"))
  .map((f) => join("examples", f));

const folders: (() => void)[] = [];
afterEach(() => folders.splice(0).forEach((remove) => remove()));

describe("figs fmt with the formatter", () => {
  it("finds every example already formatted", async () => {
    const run = memoryIo({ cwd: root });
    expect(await main(["fmt", "--check", ...examples], run.io)).toBe(ExitCode.Ok);
    expect(run.stdout()).toBe("");
    expect(run.stderr()).toBe(`${examples.length} files already formatted\n`);
  });

  it("rewrites a file, and the result is stable", async () => {
    const folder = tempFolder({ "messy.figs": "op  pointwise( width:int ){conv(1,width)->bn ->relu}\n" });
    folders.push(folder.remove);
    const first = memoryIo({ cwd: folder.dir });
    expect(await main(["fmt", "messy.figs"], first.io)).toBe(ExitCode.Ok);
    const formatted = readFileSync(join(folder.dir, "messy.figs"), "utf8");
    expect(formatted).toBe("op pointwise(width: int) {\n  conv(1, width) -> bn -> relu\n}\n");
    const second = memoryIo({ cwd: folder.dir });
    expect(await main(["fmt", "--check", "messy.figs"], second.io)).toBe(ExitCode.Ok);
  });

  it("formats standard input with the given print width", async () => {
    const run = memoryIo({ stdin: "let WIDTHS = [16, 24, 32, 64, 96, 160, 320]\n" });
    expect(await main(["fmt", "--print-width", "20", "-"], run.io)).toBe(ExitCode.Ok);
    expect(run.stdout().split("\n").length).toBeGreaterThan(2);
    expect(
      run
        .stdout()
        .split("\n")
        .every((line) => line.length <= 20),
    ).toBe(true);
  });
});
