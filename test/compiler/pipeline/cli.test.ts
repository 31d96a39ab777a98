import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../../../cli/main.js";
import { compileCommand } from "../../../cli/commands/compile.js";
import { parseAssignments } from "../../../cli/compile-args.js";
import { costCommand } from "../../../cli/commands/cost.js";
import { parseIr } from "../../../compiler/ir/index.js";
import { memoryIo, tempFolder } from "../../cli/helpers.js";

const SPACE = [
  "block pair(w: int) {",
  "  residual { conv(3, w) as first -> bn -> relu -> conv(3, w) -> bn }",
  "}",
  "space tiny(w: int = 8, blocks: int = 2) {",
  "  input(8, 8, 3)",
  "  conv(3, w) as stem -> bn -> relu",
  "  for i in 0..blocks { pair(w) }",
  "  global_avgpool -> dense(10) fixed as logits",
  "}",
  "",
].join("\n");

const commands = [compileCommand, costCommand];

async function run(argv: string[], files: Record<string, string> = { "tiny.figs": SPACE }) {
  const folder = tempFolder(files);
  const memory = memoryIo({ cwd: folder.dir });
  try {
    const code = await main(argv, memory.io, commands);
    return {
      code,
      stdout: memory.stdout(),
      stderr: memory.stderr(),
      dir: folder.dir,
      read: (name: string) => readFileSync(join(folder.dir, name), "utf8"),
    };
  } finally {
    if (!argv.includes("-o")) folder.remove();
  }
}

type RunIn = (argv: string[]) => Promise<{ code: number; stdout: string; stderr: string }>;

/** Several commands in one temporary folder holding tiny.figs, removed afterwards. */
async function inFolder(body: (runIn: RunIn, dir: string) => Promise<void>): Promise<void> {
  const folder = tempFolder({ "tiny.figs": SPACE });
  const runIn: RunIn = async (argv) => {
    const memory = memoryIo({ cwd: folder.dir });
    return { code: await main(argv, memory.io, commands), stdout: memory.stdout(), stderr: memory.stderr() };
  };
  try {
    await body(runIn, folder.dir);
  } finally {
    folder.remove();
  }
}

describe("figs compile", () => {
  it("prints the IR on stdout", async () => {
    const { code, stdout } = await run(["compile", "tiny.figs"]);
    expect(code).toBe(0);
    const ir = parseIr(stdout, "stdout.json").ir;
    expect(ir?.space).toBe("tiny");
    expect(ir?.parameters).toEqual({ w: 8, blocks: 2 });
  });

  it("writes -o and summarises, with --set overrides", async () => {
    const { code, stdout, read } = await run([
      "compile",
      "tiny.figs",
      "--set",
      "w=4",
      "blocks=3",
      "-o",
      "out/tiny.ir.json",
    ]);
    expect(code).toBe(0);
    expect(stdout).toMatch(
      new RegExp(
        /^out\/tiny\.ir\.json: space tiny, \d+ nodes, \d+ groups \(\d+ searchable, \d+ mask variables\); /.source +
          /full width [\d,]+ params, [\d,]+ madds\n$/.source,
      ),
    );
    expect(parseIr(read("out/tiny.ir.json"), "x").ir?.parameters).toEqual({ w: 4, blocks: 3 });
  });

  it("reports diagnostics with exit 1", async () => {
    const { code, stderr } = await run(["compile", "bad.figs"], {
      "bad.figs": "space s() {\n  input(4, 4, 3)\n  conv(3, 8) -> frobnicate\n}\n",
    });
    expect(code).toBe(1);
    expect(stderr).toMatch(/^bad\.figs:3:\d+: error FIGS\d{4}: .*frobnicate/);
    expect(stderr).toMatch(/\d+ errors? in 1 file\n$/);
    const unknown = await run(["compile", "tiny.figs", "--set", "nope=3"]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("nope");
  });

  it("rejects bad arguments as usage errors", async () => {
    expect((await run(["compile"])).stderr).toContain("no file given");
    expect((await run(["compile", "tiny.figs", "--set", "w"])).stderr).toContain("'w' is not NAME=VALUE");
    expect((await run(["compile", "tiny.figs", "--convention", "caffe"])).code).toBe(1);
  });

  it("reads standard input for '-'", async () => {
    const memory = memoryIo({ stdin: SPACE });
    expect(await main(["compile", "-", "--set", "blocks=0"], memory.io, commands)).toBe(0);
    expect(parseIr(memory.stdout(), "x").ir?.sources.map((s) => s.path)).toEqual(["<--set blocks>", "<stdin>"]);
  });

  it("splits --set at top-level commas only", () => {
    expect(parseAssignments(["a=1,b=[1, 2]", "c = f(1, 2)"])).toEqual({
      ok: true,
      value: { a: "1", b: "[1, 2]", c: "f(1, 2)" },
    });
  });
});

describe("figs cost", () => {
  it("prints totals and a breakdown", async () => {
    const { code, stdout } = await run(["cost", "tiny.figs", "--by", "block"]);
    expect(code).toBe(0);
    const header = /^space tiny at full width \(torch convention\)\n/;
    const costs = / {2}params {2}[\d,]+\n {2}madds {3}[\d,]+\n {2}flops {3}[\d,]+\n/;
    expect(stdout).toMatch(new RegExp(header.source + costs.source));
    expect(stdout).toMatch(/\nby block +definition +params +madds\n/);
    expect(stdout).toMatch(/\ntiny\/pair_1 +pair +[\d,]+ +[\d,]+\n/);
  });

  it("prints the formula with group names", async () => {
    const { stdout } = await run(["cost", "tiny.figs", "--formula", "--set", "blocks=1"]);
    expect(stdout).toMatch(
      /\nparams = 41·S\[stem\] \+ 2·S\[pair_\w+.first\] \+ 18·S\[stem\]·S\[pair_\w+.first\] \+ 10\n/,
    );
    expect(stdout).toMatch(/\nmadds = /);
  });

  it("evaluates at widths from a file and agrees with --json", async () => {
    const full = JSON.parse((await run(["cost", "tiny.figs", "--json"])).stdout);
    const files = { "tiny.figs": SPACE, "arch.json": JSON.stringify({ widths: { stem: 2 } }) };
    const narrow = JSON.parse((await run(["cost", "tiny.figs", "--json", "--widths", "arch.json"], files)).stdout);
    expect(narrow.totals.params).toBeLessThan(full.totals.params);
    expect(narrow.breakdown.reduce((s: number, r: { params: number }) => s + r.params, 0)).toBe(narrow.totals.params);
    const archWidths = full.groups ? [{ group: 1, name: "stem", size: 8, searchable: true, width: 2 }] : [];
    const fromArch = JSON.parse(
      (
        await run(["cost", "tiny.figs", "--json", "--widths", "arch.json"], {
          ...files,
          "arch.json": JSON.stringify({ widths: archWidths }),
        })
      ).stdout,
    );
    expect(fromArch.totals).toEqual(narrow.totals);
    const keras = JSON.parse((await run(["cost", "tiny.figs", "--json", "--convention", "keras"])).stdout);
    expect(keras.totals.params).toBeGreaterThan(full.totals.params);
    expect(keras.totals.madds).toBe(full.totals.madds);
  });

  it("reports bad widths files as diagnostics", async () => {
    const bad = async (arch: string) =>
      run(["cost", "tiny.figs", "--widths", "arch.json"], { "tiny.figs": SPACE, "arch.json": arch });
    expect((await bad('{"widths": {"nope": 1}}')).stderr).toContain("FIGS3505");
    expect((await bad('{"widths": {"stem": 99}}')).stderr).toMatch(/integer from 0 to 8/);
    expect((await bad('{"widths": {"logits": 3}}')).stderr).toContain("has no masks");
    expect((await bad("{")).stderr).toContain("FIGS3506");
  });

  it("reads an IR written by figs compile -o, recomputing for the convention asked", async () => {
    const folder = tempFolder({ "tiny.figs": SPACE });
    try {
      const runIn = async (argv: string[]) => {
        const memory = memoryIo({ cwd: folder.dir });
        const code = await main(argv, memory.io, commands);
        return { code, stdout: memory.stdout(), stderr: memory.stderr() };
      };
      expect((await runIn(["compile", "tiny.figs", "-o", "tiny.ir.json"])).code).toBe(0);
      for (const convention of ["torch", "keras"]) {
        const fromIr = JSON.parse(
          (await runIn(["cost", "tiny.ir.json", "--json", "--convention", convention, "--by", "op"])).stdout,
        );
        const fromFigs = JSON.parse(
          (await runIn(["cost", "tiny.figs", "--json", "--convention", convention, "--by", "op"])).stdout,
        );
        expect(fromIr).toEqual({ ...fromFigs, at: "full width" });
      }
      writeFileSync(join(folder.dir, "broken.json"), '{"format": "figs-ir", "version": 1}');
      const broken = await runIn(["cost", "broken.json"]);
      expect([broken.code, broken.stderr]).toEqual([1, expect.stringContaining("FIGS3503")]);
    } finally {
      folder.remove();
    }
  });

  it("reads an IR only when its stored costs agree with its graph", async () => {
    await inFolder(async (runIn, dir) => {
      expect((await runIn(["compile", "tiny.figs", "-o", "tiny.ir.json"])).code).toBe(0);
      const ir = JSON.parse(readFileSync(join(dir, "tiny.ir.json"), "utf8"));
      ir.costs.full.params = 1;
      writeFileSync(join(dir, "edited.ir.json"), JSON.stringify(ir));
      const edited = await runIn(["cost", "edited.ir.json"]);
      expect([edited.code, edited.stdout]).toEqual([1, ""]);
      expect(edited.stderr).toMatch(
        new RegExp(
          /^edited\.ir\.json: error FIGS3507: edited\.ir\.json stores costs that disagree with its graph /.source +
            /\(torch convention\): \/costs\/full\/params is 1, but the graph gives [\d,]+; /.source +
            /compile the space again\n/.source,
        ),
      );
    });
  });

  it("refuses --set, NAME=VALUE and --space with an IR instead of ignoring them", async () => {
    await inFolder(async (runIn) => {
      expect((await runIn(["compile", "tiny.figs", "-o", "tiny.ir.json"])).code).toBe(0);
      const cases: [string[], string][] = [
        [["--set", "w=4"], "--set"],
        [["w=4"], "--set"],
        [["--space", "tiny"], "--space"],
        [["--space", "tiny", "--set", "blocks=1"], "--space and --set"],
      ];
      for (const [extra, named] of cases) {
        const result = await runIn(["cost", "tiny.ir.json", ...extra]);
        expect([result.code, result.stdout]).toEqual([1, ""]);
        expect(result.stderr).toBe(
          `figs cost: error FIGS6005: ${named} cannot apply to tiny.ir.json: it is an IR, compiled already; ` +
            `compile the space again with ${named} ` +
            `('figs compile FILE ${named === "--space" ? "--space NAME" : "--set NAME=VALUE"} -o IR.json') ` +
            "or give 'figs cost' the .figs file\n" +
            "Run 'figs cost --help' for usage.\n",
        );
      }
      expect((await runIn(["cost", "tiny.ir.json", "--convention", "keras"])).code).toBe(0);
    });
  });

  it("counts a bias on every conv with --convention …,conv-bias; the IR records it, cost reads it back", async () => {
    await inFolder(async (runIn, dir) => {
      const keras = JSON.parse((await runIn(["cost", "tiny.figs", "--json", "--convention", "keras"])).stdout);
      const biased = JSON.parse(
        (await runIn(["cost", "tiny.figs", "--json", "--convention", "keras,conv-bias"])).stdout,
      );
      expect(biased.convention).toBe("keras,conv-bias");
      expect(biased.totals.params - keras.totals.params).toBe(8 + 2 * 2 * 8); // stem, then two convs in each of 2 pairs
      expect(biased.totals.madds).toBe(keras.totals.madds);
      const alone = JSON.parse((await runIn(["cost", "tiny.figs", "--json", "--convention", "conv-bias"])).stdout);
      expect(alone.convention).toBe("torch,conv-bias");
      expect(
        (await runIn(["compile", "tiny.figs", "--convention", "keras, conv-bias", "-o", "tiny.ir.json"])).code,
      ).toBe(0);
      const ir = parseIr(readFileSync(join(dir, "tiny.ir.json"), "utf8"), "tiny.ir.json").ir;
      expect([ir?.costs.convention, ir?.costs.convBias, ir?.costs.full.params]).toEqual([
        "keras",
        true,
        biased.totals.params,
      ]);
      const fromIr = JSON.parse((await runIn(["cost", "tiny.ir.json", "--json"])).stdout);
      expect(fromIr).toEqual(biased);
      const text = (await runIn(["cost", "tiny.ir.json"])).stdout;
      expect(text).toMatch(/^space tiny at full width \(keras,conv-bias convention\)\n/);
      const torch = JSON.parse((await runIn(["cost", "tiny.ir.json", "--json", "--convention", "torch"])).stdout);
      expect(torch.totals.params).toBe(keras.totals.params - 2 * (8 + 2 * 2 * 8));
    });
  });

  it("rejects conventions that are not torch or keras with an optional conv-bias", async () => {
    for (const convention of ["torch,keras", "conv-bias,conv-bias", "bias", "keras,"]) {
      for (const file of ["tiny.figs", "tiny.ir.json"]) {
        const { code, stderr } = await run(["cost", file, "--convention", convention]);
        expect([code, stderr]).toEqual([
          1,
          "figs cost: error FIGS6003: --convention must be torch or keras, " +
            "optionally with ',conv-bias' (e.g. keras,conv-bias), " +
            `not '${convention}'\nRun 'figs cost --help' for usage.\n`,
        ]);
      }
    }
  });

  it("rejects an unknown breakdown level", async () => {
    const { code, stderr } = await run(["cost", "tiny.figs", "--by", "layer"]);
    expect(code).toBe(1);
    expect(stderr).toContain("--by must be one of space, cell, block, op");
  });
});
