import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compile, type Ir } from "../../compiler/index.js";
import {
  DEFAULT_DIFF_OPTIONS,
  diffSpaces,
  formatCompact,
  formatDiffReport,
  matchedMedians,
  paretoCounts,
  quantiles,
  renderDiffSvg,
  type DiffReport,
  type DiffSpace,
} from "../../compiler/diff/index.js";
import { main } from "../../cli/main.js";
import { memoryIo } from "../cli/helpers.js";
import { xmlProblems } from "./xml.js";

const repoRoot = join(import.meta.dirname, "..", "..");
const CPU = { size: "32", classes: "10" };

function space(file: string, set: Record<string, string> = {}): DiffSpace {
  const result = compile({ path: join(repoRoot, file), set: { ...CPU, ...set } });
  expect(result.diagnostics).toEqual([]);
  return { label: result.ir!.space, ir: result.ir as Ir };
}

describe("statistics", () => {
  it("quantiles interpolate between order statistics, whatever the input order", () => {
    const values = Array.from({ length: 101 }, (_, i) => 100 - i);
    expect(quantiles(values)).toEqual({ p5: 5, p25: 25, p50: 50, p75: 75, p95: 95 });
    expect(quantiles([1, 3])).toMatchObject({ p50: 2 });
  });

  it("the Pareto front keeps non-dominated points; identical points do not dominate each other", () => {
    // set 0: (1,5) (2,2) (3,3); set 1: (2,2) (4,1) (5,5)
    const counts = paretoCounts({
      coordinates: [
        [
          [1, 2, 3],
          [2, 4, 5],
        ],
        [
          [5, 2, 3],
          [2, 1, 5],
        ],
      ],
      setSizes: [3, 3],
    });
    expect(counts).toEqual([2, 2]);
    expect(paretoCounts({ coordinates: [[[3, 1, 1], [1]]], setSizes: [3, 1] })).toEqual([2, 1]);
  });

  it("matched medians compare sets within the same band of the other cost", () => {
    // set 0 spends 10·x, set 1 spends 2·x, over the same x: in every band set 1 spends 5 times less.
    const x = Array.from({ length: 100 }, (_, i) => i + 1);
    const bands = matchedMedians([x, x], [x.map((v) => 10 * v), x.map((v) => 2 * v)], 4, 5);
    expect(bands.edges).toEqual([1, 26, 51, 75, 100]);
    for (const [a, b] of bands.medians) expect(a! / b!).toBeCloseTo(5, 10);
    const sparse = matchedMedians([[1, 2, 3], [100]], [[1, 1, 1], [1]], 2, 2);
    expect(sparse.medians.map((m) => m[1])).toEqual([null, null]);
  });

  it("formats costs compactly", () => {
    expect([999, 1000, 12_345, 4_089_184_256, 63_279_016, 0.5].map(formatCompact)).toEqual([
      "999",
      "1k",
      "12.3k",
      "4.09G",
      "63.3M",
      "0.5",
    ]);
  });
});

describe("diffSpaces", () => {
  const spaces = [space("spaces/fbnet.figs", { figs_variant: "true" }), space("spaces/resnet.figs", { depth: "18" })];
  const options = { ...DEFAULT_DIFF_OPTIONS, samples: 400, seed: 11 };
  const { report, samples } = diffSpaces(spaces, options);

  it("is deterministic for a seed", () => {
    expect(diffSpaces(spaces, options).report).toEqual(report);
    expect(diffSpaces(spaces, { ...options, seed: 12 }).report).not.toEqual(report);
  });

  it("draws N samples per space, all below the full supernet", () => {
    for (const [i, s] of samples.entries()) {
      expect(s.params.length).toBe(400);
      expect(Math.max(...s.params)).toBeLessThanOrEqual(report.spaces[i]!.full.params);
      expect(Math.min(...s.params)).toBeGreaterThan(0);
    }
  });

  it("reports ordered quantiles and Pareto shares in [0, 1] that add up over the front", () => {
    for (const summary of report.spaces) {
      for (const q of Object.values(summary.quantiles))
        expect([q.p5, q.p25, q.p50, q.p75, q.p95]).toEqual([q.p5, q.p25, q.p50, q.p75, q.p95].sort((a, b) => a - b));
      expect(summary.pareto.shareOfSamples).toBeGreaterThanOrEqual(0);
      expect(summary.pareto.shareOfSamples).toBeLessThanOrEqual(1);
    }
    expect(report.frontPoints).toBeGreaterThan(0);
    expect(report.spaces.reduce((sum, s) => sum + s.pareto.shareOfFront, 0)).toBeCloseTo(1, 12);
  });

  it("prints a stable text table (test/diff/fixtures/fbnet-vs-resnet18.txt)", async () => {
    await expect(formatDiffReport(report)).toMatchFileSnapshot("fixtures/fbnet-vs-resnet18.txt");
  });

  it("renders an SVG chart that is well-formed XML and names the spaces", async () => {
    const svg = await renderDiffSvg(report, samples, 200);
    expect(svg.startsWith("<svg")).toBe(true);
    expect(xmlProblems(svg)).toEqual([]);
    for (const s of report.spaces) expect(svg).toContain(`>${s.label}<`);
  });
});

describe("figs diff", () => {
  const files = ["spaces/fbnet.figs", "spaces/resnet.figs"].map((f) => join(repoRoot, f));

  it("prints the table, or the report as JSON, the same for the same seed", async () => {
    const run = async (...extra: string[]) => {
      const io = memoryIo();
      const code = await main(
        ["diff", ...files, "--samples", "200", "--set", "size=28,channels=1,classes=10", ...extra],
        io.io,
      );
      return { code, out: io.stdout(), err: io.stderr() };
    };
    const text = await run();
    expect(text).toMatchObject({ code: 0, err: "" });
    expect(text.out).toContain("madds/param");
    const json = await run("--json", "--seed", "5");
    const report = JSON.parse(json.out) as DiffReport;
    expect(report.spaces.map((s) => s.label)).toEqual(["fbnet", "resnet"]);
    expect(report.samples).toBe(200);
    expect((await run("--json", "--seed", "5")).out).toBe(json.out);
    const single = JSON.parse((await run("--json", "--cost", "madds")).out) as DiffReport;
    expect(single.metrics).toEqual(["madds"]);
    expect(single.frontPoints).toBeGreaterThanOrEqual(1);
  });

  it("writes the SVG with --svg", async () => {
    const dir = mkdtempSync(join(tmpdir(), "figs-diff-"));
    try {
      const io = memoryIo({ cwd: dir });
      expect(
        await main(["diff", ...files, "--samples", "100", "--set", "size=32,classes=10", "--svg", "chart.svg"], io.io),
      ).toBe(0);
      expect(existsSync(join(dir, "chart.svg"))).toBe(true);
      expect(xmlProblems(readFileSync(join(dir, "chart.svg"), "utf8"))).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("applies STEM.NAME=VALUE to that space file only, and refuses a stem no file has", async () => {
    const pair = ["spaces/one_shot.figs", "spaces/fbnet.figs"].map((f) => join(repoRoot, f));
    const common = ["--samples", "20", "--json", "--set", "size=28,channels=1,classes=10"];
    const run = async (...extra: string[]) => {
      const io = memoryIo();
      const code = await main(["diff", ...pair, ...common, ...extra], io.io);
      return { code, out: io.stdout(), err: io.stderr() };
    };
    const unscoped = await run("--set", "F=8,figs_variant=true");
    expect(unscoped.code).toBe(1);
    expect(unscoped.err + unscoped.out).toContain("has no parameter 'figs_variant'");
    const scoped = await run("--set", "one_shot.F=8,one_shot.cells=4", "fbnet.figs_variant=true");
    expect(scoped).toMatchObject({ code: 0, err: "" });
    const wide = await run("--set", "one_shot.cells=4", "fbnet.figs_variant=true");
    const medianParams = (out: string) =>
      (JSON.parse(out) as DiffReport).spaces.find((s) => s.label === "one_shot")!.quantiles.params.p50;
    expect(medianParams(scoped.out)).toBeLessThan(medianParams(wide.out) / 10);
    const typo = await run("--set", "oneshot.F=8");
    expect(typo.code).toBe(1);
    expect(typo.err + typo.out).toContain("no space file 'oneshot.figs' is compared (one_shot, fbnet)");
  });

  it("refuses bad options and bad spaces with exit 1 and a message", async () => {
    const cases: [string[], string][] = [
      [[], "no space given"],
      [[...files, "--cost", "flops"], "--cost takes params, madds"],
      [[...files, "--samples", "0"], "--samples must be an integer"],
      [[...files, "--drop", "1.5"], "--drop must be a number in [0, 1)"],
      [[join(repoRoot, "spaces/resnet.figs"), "--set", "depth=42"], "FIGS2029"],
      [["no-such-file.figs"], "no-such-file.figs"],
    ];
    for (const [args, message] of cases) {
      const io = memoryIo();
      expect(await main(["diff", ...args], io.io)).toBe(1);
      expect(io.stderr()).toContain(message);
    }
  });
});
