/**
 * The commands on hostile inputs (issue #11): a user problem is exit 1 with a
 * diagnostic, never exit 2; sizes past the limits are refused with the limit
 * named; totals past 2^53 are printed exactly. Nothing here is timed
 * (bench/limits measures time and memory).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ExitCode } from "../../cli/command.js";
import { main } from "../../cli/main.js";
import { MAX_SOURCE_BYTES } from "../../grammar/read-source.js";
import { memoryIo, tempFolders } from "./helpers.js";

const folderWith = tempFolders();

/** A valid .figs text of exactly `bytes` bytes: a constant, then a comment that fills it up. */
function sized(bytes: number): string {
  const head = "let a = 1\n#";
  return `${head}${"x".repeat(bytes - head.length - 1)}\n`;
}

const tooLarge =
  `this file is 256.0 KiB, more than the 256 KiB figs reads from one source file (the source-size limit); ` +
  `split it into files that import each other`;

describe("the source-size limit", () => {
  it("reads a file of exactly 256 KiB and refuses one byte more, before parsing it", async () => {
    expect(MAX_SOURCE_BYTES).toBe(256 * 1024);
    const cwd = folderWith({ "fits.figs": sized(MAX_SOURCE_BYTES), "over.figs": sized(MAX_SOURCE_BYTES + 1) });
    const fits = memoryIo({ cwd });
    expect(await main(["check", "fits.figs"], fits.io)).toBe(ExitCode.Ok);
    const over = memoryIo({ cwd });
    expect(await main(["check", "over.figs"], over.io)).toBe(ExitCode.UserError);
    expect(over.stderr()).toBe(`over.figs: error FIGS4005: ${tooLarge}\n\n1 error in 1 file\n`);
  });

  it("150,000 let lines (2.8 MB): exit 1 with the limit, not a stack overflow (exit 2)", async () => {
    const text = Array.from({ length: 150_000 }, (_, i) => `let x${i} = ${i}`).join("\n");
    const cwd = folderWith({ "lets.figs": text });
    const run = memoryIo({ cwd });
    expect(await main(["check", "lets.figs"], run.io)).toBe(ExitCode.UserError);
    expect(run.stderr()).toMatch(
      new RegExp(
        /^lets\.figs: error FIGS4005: this file is 2\.\d MiB, /.source +
          /more than the 256 KiB figs reads from one source file \(the source-size limit\)/.source,
      ),
    );
  });

  it("applies to fmt, compile, cost, standard input and imports alike", async () => {
    const big = sized(MAX_SOURCE_BYTES + 1);
    const cwd = folderWith({ "big.figs": big, "main.figs": 'import "big.figs"\nspace s() { input(8, 8, 3) }\n' });
    for (const args of [
      ["fmt", "--check", "big.figs"],
      ["compile", "big.figs"],
      ["cost", "big.figs"],
    ]) {
      const run = memoryIo({ cwd });
      expect(await main(args, run.io)).toBe(ExitCode.UserError);
      expect(run.stderr()).toContain(`big.figs: error FIGS4005: ${tooLarge}`);
    }
    const stdin = memoryIo({ cwd, stdin: big });
    expect(await main(["check", "-"], stdin.io)).toBe(ExitCode.UserError);
    expect(stdin.stderr()).toContain(`<stdin>: error FIGS4005: ${tooLarge}`);
    const imported = memoryIo({ cwd });
    expect(await main(["check", "main.figs"], imported.io)).toBe(ExitCode.UserError);
    expect(imported.stderr()).toContain(
      `main.figs:1:8: error FIGS4005: cannot import "big.figs": it is 256.0 KiB, ` +
        `more than the 256 KiB figs reads from one source file (the source-size limit); ` +
        `split it into files that import each other (looked for 'big.figs')`,
    );
  });
});

describe("the source-size limit of one compile", () => {
  it("counts a file and its imports together: 512 KiB", async () => {
    const part = sized(200 * 1024).replace("let a", "let b");
    const cwd = folderWith({
      "a.figs": part.replace("let b", "let a1"),
      "b.figs": part.replace("let b", "let b1"),
      "c.figs": part.replace("let b", "let c1"),
      "main.figs": 'import "a.figs"\nimport "b.figs"\nimport "c.figs"\nspace s() { input(8, 8, 3) }\n',
    });
    const run = memoryIo({ cwd });
    expect(await main(["check", "main.figs"], run.io)).toBe(ExitCode.UserError);
    expect(run.stderr()).toContain(
      'main.figs:3:8: error FIGS4005: cannot import "c.figs": ' +
        "with it, this file and its imports come to 600.1 KiB, " +
        "more than the 512 KiB figs reads for one compile (the source-size limit); import less",
    );
    expect(run.stderr()).toMatch(/\n1 error in 1 file\n$/);
  });
});

describe("folders", () => {
  it("check and fmt say that a folder holds no .figs files (exit 1)", async () => {
    const cwd = folderWith({ "notes.txt": "not figs" });
    mkdirSync(join(cwd, "empty"));
    for (const command of ["check", "fmt"]) {
      const run = memoryIo({ cwd });
      expect(await main([command, "empty"], run.io)).toBe(ExitCode.UserError);
      expect(run.stderr()).toContain(
        "empty: error FIGS9001: 'empty' is a folder that holds no .figs files " +
          "(hidden folders and node_modules are not searched)",
      );
    }
  });

  it("compile of a folder asks for one of its files", async () => {
    const cwd = folderWith({});
    mkdirSync(join(cwd, "spaces"));
    writeFileSync(join(cwd, "spaces", "a.figs"), "space a() { input(8, 8, 3) }\n");
    const run = memoryIo({ cwd });
    expect(await main(["compile", "spaces"], run.io)).toBe(ExitCode.UserError);
    expect(run.stderr()).toContain(
      "spaces: error FIGS9001: 'spaces' is a folder, not a .figs file: name one of the 1 .figs files below it",
    );
  });
});

describe("cost totals past 2^53", () => {
  const twoConvs = "space big() {\n  input(8, 8, 3)\n  conv(3, 2**26) -> conv(3, 2**26)\n}\n";
  // 9·3·2^26·64 + 9·2^26·2^26·64 multiply-adds; the nearest double is 2,594,073,501,329,522,700.
  const madds = 9n * 3n * 2n ** 26n * 64n + 9n * 2n ** 26n * 2n ** 26n * 64n;
  const params = 9n * 3n * 2n ** 26n + 9n * 2n ** 26n * 2n ** 26n;

  it("figs cost prints them exactly", async () => {
    const cwd = folderWith({ "big.figs": twoConvs });
    const run = memoryIo({ cwd });
    expect(await main(["cost", "big.figs"], run.io)).toBe(ExitCode.Ok);
    expect(madds).toBe(2_594_073_501_329_522_688n);
    expect(run.stdout()).toContain(
      `  params  ${params.toLocaleString("en-US")}\n` +
        `  madds   2,594,073,501,329,522,688\n  flops   5,188,147,002,659,045,376\n`,
    );
    expect(run.stdout()).toMatch(/^big +big +40,532,398,458,273,792 +2,594,073,501,329,522,688$/m);
    expect(run.stdout()).not.toContain("≈");
  });

  it("figs cost --json keeps numbers and adds the exact values as strings", async () => {
    const cwd = folderWith({ "big.figs": twoConvs });
    const run = memoryIo({ cwd });
    expect(await main(["cost", "big.figs", "--json"], run.io)).toBe(ExitCode.Ok);
    const report = JSON.parse(run.stdout()) as {
      totals: Record<string, unknown>;
      breakdown: Record<string, unknown>[];
    };
    expect(report.totals["madds"]).toBe(Number(madds));
    expect(report.totals["exact"]).toEqual({
      params: params.toString(),
      madds: madds.toString(),
      flops: (2n * madds).toString(),
    });
    expect(report.breakdown[0]!["exact"]).toEqual({ params: params.toString(), madds: madds.toString() });
    expect(report.totals["rounded"]).toBeUndefined();
  });

  it("totals under 2^53 have no exact field", async () => {
    const cwd = folderWith({ "small.figs": "space s() {\n  input(8, 8, 3)\n  conv(3, 16)\n}\n" });
    const run = memoryIo({ cwd });
    expect(await main(["cost", "small.figs", "--json"], run.io)).toBe(ExitCode.Ok);
    expect(JSON.parse(run.stdout()).totals).toEqual({ params: 432, madds: 27_648, flops: 55_296 });
  });

  it("figs compile prints the exact full-width totals in its summary", async () => {
    const cwd = folderWith({ "big.figs": twoConvs });
    const run = memoryIo({ cwd });
    expect(await main(["compile", "big.figs", "-o", "big.ir.json"], run.io)).toBe(ExitCode.Ok);
    expect(run.stdout()).toContain("full width 40,532,398,458,273,792 params, 2,594,073,501,329,522,688 madds");
  });

  it("a total past 2^53 with grouped convs is exact: their masks are shared by the groups", async () => {
    // 9/7 weights per channel pair, but the masks are per channel-within-group: 9·7 per pair of mask sums.
    const text = "space g() {\n  input(64, 64, 3)\n  conv(1, 21 * 2**22) -> conv(3, 21 * 2**22, groups: 7)\n}\n";
    const cwd = folderWith({ "grouped.figs": text });
    const run = memoryIo({ cwd });
    expect(await main(["cost", "grouped.figs"], run.io)).toBe(ExitCode.Ok);
    // 3·N·64² + 9·N²/7·64² with N = 21·2^22, summed in bigints.
    expect(run.stdout()).toContain("madds   40,856,656,901,836,898,304");
    expect(run.stdout()).not.toContain("≈");
    const json = memoryIo({ cwd });
    expect(await main(["cost", "grouped.figs", "--json"], json.io)).toBe(ExitCode.Ok);
    expect(JSON.parse(json.stdout()).totals.rounded ?? []).toEqual([]);
  });
});

describe("the IR-size limit on reading", () => {
  it("an IR file larger than any figs writes is refused before it is read", async () => {
    const cwd = folderWith({});
    const { openSync, closeSync, ftruncateSync } = await import("node:fs");
    const fd = openSync(join(cwd, "huge.ir.json"), "w");
    ftruncateSync(fd, 101 * 2 ** 20); // sparse: its size without its bytes
    closeSync(fd);
    const run = memoryIo({ cwd });
    expect(await main(["cost", "huge.ir.json"], run.io)).toBe(ExitCode.UserError);
    expect(run.stderr()).toContain(
      "huge.ir.json: error FIGS4009: huge.ir.json is 101.0 MiB, more than the 100.0 MiB of IR figs reads " +
        "(the IR-size limit; figs writes none larger)",
    );
  });
});

describe("schema messages name what was expected", () => {
  it("an IR whose format is wrong says which format", async () => {
    const cwd = folderWith({ "s.figs": "space s() {\n  input(8, 8, 3)\n  conv(3, 8)\n}\n" });
    const compiled = memoryIo({ cwd });
    expect(await main(["compile", "s.figs", "-o", "s.ir.json"], compiled.io)).toBe(ExitCode.Ok);
    const { readFileSync } = await import("node:fs");
    const ir = JSON.parse(readFileSync(join(cwd, "s.ir.json"), "utf8")) as Record<string, unknown>;
    writeFileSync(join(cwd, "bad.ir.json"), JSON.stringify({ ...ir, format: "other" }));
    writeFileSync(
      join(cwd, "enum.ir.json"),
      JSON.stringify({ ...ir, costs: { ...(ir["costs"] as object), convention: "tf" } }),
    );
    const bad = memoryIo({ cwd });
    expect(await main(["cost", "bad.ir.json"], bad.io)).toBe(ExitCode.UserError);
    expect(bad.stderr()).toContain(
      'error FIGS3503: bad.ir.json is not a figs IR: /format must be equal to constant "figs-ir"',
    );
    const enumValue = memoryIo({ cwd });
    expect(await main(["cost", "enum.ir.json"], enumValue.io)).toBe(ExitCode.UserError);
    expect(enumValue.stderr()).toContain(
      "error FIGS3503: enum.ir.json is not a figs IR: " +
        '/costs/convention must be equal to one of the allowed values: "torch", "keras"',
    );
  });
});
