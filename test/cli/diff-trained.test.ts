// `figs diff --trained`: bad options in-process; then a real run of two tiny spaces (2 random sub-architectures
// each, 2 training steps on 128 images: 8 figs child processes), and a rerun that skips every finished job.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { trainedChart } from "../../cli/diff-trained/chart.js";
import { main } from "../../cli/main.js";
import { compareTrained } from "../../runtime/sweep/edf.js";
import { SourceFile } from "../../diagnostics/source.js";
import { expandExperiment } from "../../runtime/sweep/expand.js";
import { checkExperiment } from "../../runtime/sweep/experiment.js";
import { memoryIo } from "./helpers.js";

const root = mkdtempSync(join(tmpdir(), "figs-diff-trained-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const space = (name: string, width: number, hidden: number): string =>
  `space ${name}(width: int = ${width}, hidden: int = ${hidden}, classes: int = 10) {\n` +
  "  input(28, 28, 1)\n" +
  "  conv(3, width) -> bn -> relu -> maxpool(2, stride: 2)\n" +
  "  flatten -> dense(hidden) -> relu -> dense(classes) fixed as logits\n}\n";
writeFileSync(join(root, "narrow.figs"), space("narrow", 4, 8));
writeFileSync(join(root, "wide.figs"), space("wide", 8, 16));
const FILES = [join(root, "narrow.figs"), join(root, "wide.figs")];

async function diff(argv: readonly string[]) {
  const run = memoryIo();
  const code = await main(["diff", "--trained", ...argv], run.io);
  return { code, stdout: run.stdout(), stderr: run.stderr() };
}

function figs(argv: readonly string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ["--import", "tsx", "cli/main.ts", ...argv], {
    cwd: process.cwd(),
    stdio: ["ignore", "pipe", "pipe"],
  });
  const out: string[] = [];
  const err: string[] = [];
  child.stdout.on("data", (chunk: Buffer) => out.push(chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => err.push(chunk.toString()));
  return new Promise((resolve) =>
    child.once("exit", (code) => resolve({ code, stdout: out.join(""), stderr: err.join("") })),
  );
}

describe("an experiment without budgets", () => {
  const experiment = (method: string) => ({
    format: "figs-sweep-experiment",
    version: 1,
    name: "x",
    spaces: [{ file: FILES[0] }],
    data: { dataset: "mnist" },
    budgets: [],
    methods: [{ method }],
    seeds: { search: [1, 2], retrain: [1] },
    search: { steps: 1 },
    retrain: { steps: 1 },
  });
  const read = (method: string) => {
    const text = JSON.stringify(experiment(method), null, 2);
    return checkExperiment(JSON.parse(text), new SourceFile(join(root, "x.json"), text));
  };

  it("samples without a target for the random method, and is refused for a search", () => {
    const loaded = read("random");
    expect(loaded.ok).toBe(true);
    const jobs = loaded.ok ? expandExperiment(loaded.value) : [];
    expect(jobs.map((job) => job.kind)).toEqual(["sample", "retrain", "sample", "retrain"]);
    expect(jobs[0]!.args).toEqual(["sample", FILES[0], "--n", "1", "--seed", "1"]);
    expect(jobs[0]!.labels).toMatchObject({ budget: null, cost: "params", family: "baseline", searchSeed: 1 });
    const figs = read("figs");
    expect(figs.ok ? [] : figs.diagnostics.map((d) => d.message)).toEqual([
      "methods other than lambda and random need at least one budget",
    ]);
  });
});

describe("figs diff --trained", () => {
  it("refuses one space, a missing --data, --steps with --epochs and a bad space", async () => {
    expect((await diff([FILES[0]!, "--data", "mnist"])).stderr).toContain("--trained compares two spaces or more");
    expect((await diff(FILES)).stderr).toContain("--trained needs --data");
    const both = await diff([...FILES, "--data", "mnist", "--steps", "2", "--epochs", "1"]);
    expect(both.code).toBe(1);
    expect(both.stderr).toContain("--steps and --epochs: give one");
    expect((await diff([...FILES, "--data", "mnist", "--n", "0"])).stderr).toContain("--n must be an integer");
    expect((await diff([...FILES, "--data", "mnist", "--samples", "9"])).stderr).toContain(
      "--samples is for figs diff without --trained",
    );
    const untrained = memoryIo();
    expect(await main(["diff", ...FILES, "--steps", "3"], untrained.io)).toBe(1);
    expect(untrained.stderr()).toContain("--steps needs --trained");
    const missing = await diff([FILES[0]!, join(root, "missing.figs"), "--data", "mnist", "--out", join(root, "x")]);
    expect(missing.code).toBe(1);
    expect(existsSync(join(root, "x"))).toBe(false);
  });

  it("trains random sub-architectures of each space, compares them, and reruns nothing the second time", async () => {
    const out = join(root, "run");
    const svg = join(root, "edf.svg");
    const argv = [
      "diff",
      "--trained",
      ...FILES,
      "--data",
      "fashion-mnist",
      "--n",
      "2",
      "--steps",
      "2",
      "wide.hidden=12",
    ];
    const options = ["--limit", "128", "--test-limit", "128", "--workers", "2", "--out", out, "--json"];
    const first = await figs([...argv, ...options, "--svg", svg]);
    expect(first.stderr).toContain("diff --trained: 8 jobs, 2 at a time");
    expect(first.stderr.match(/ started {2}/g)).toHaveLength(8);
    expect(first.code).toBe(0);
    const report = JSON.parse(first.stdout) as {
      n: number;
      steps: number;
      failedJobs: number;
      bins: number;
      spaces: { label: string; models: number; error: Record<string, number> }[];
      costs: {
        cost: string;
        edfs: { space: string; steps: { error: number; value: number }[] }[];
        ks: { a: string; b: string; d: number; low: number; high: number }[];
        pareto: { space: string; front: number; share: number }[];
      }[];
    };
    expect(report).toMatchObject({ n: 2, steps: 2, failedJobs: 0, bins: 1 });
    expect(report.spaces.map((s) => [s.label, s.models])).toEqual([
      ["narrow", 2],
      ["wide", 2],
    ]);
    expect(report.costs.map((c) => c.cost)).toEqual(["params", "madds"]);
    for (const cost of report.costs) {
      expect(cost.edfs.map((e) => e.space)).toEqual(["narrow", "wide"]);
      for (const edf of cost.edfs) expect(edf.steps.at(-1)!.value).toBeCloseTo(1, 12);
      expect(cost.ks).toHaveLength(1);
      const [ks] = cost.ks;
      expect(ks).toMatchObject({ a: "narrow", b: "wide" });
      expect(ks!.low).toBeLessThanOrEqual(ks!.d);
      expect(ks!.high).toBeGreaterThanOrEqual(ks!.d);
      expect(cost.pareto.reduce((sum, p) => sum + p.share, 0)).toBeCloseTo(1, 12);
    }
    expect(readFileSync(svg, "utf8")).toMatch(/^<svg [^]*Complexity-normalised error EDFs/);
    expect(readFileSync(join(out, "results.jsonl"), "utf8").trim().split("\n")).toHaveLength(4);
    const written = JSON.parse(readFileSync(join(out, "experiment.json"), "utf8")) as { spaces: { set?: string[] }[] };
    expect(written).toMatchObject({ budgets: [] });
    expect(written.spaces.map((s) => s.set)).toEqual([undefined, ["hidden=12"]]);

    const again = await figs([...argv, ...options.filter((o) => o !== "--json")]);
    expect(again.code).toBe(0);
    expect(again.stderr).not.toContain(" started ");
    expect(again.stderr).toContain("8/8 done");
    expect(again.stdout).toMatch(/^Trained comparison: 2 spaces, 2 random sub-architectures each, fashion-mnist/);
    expect(again.stdout).toContain("narrow vs wide");
    expect(again.stdout).toMatch(/Pareto front of error and madds: \d+ models?: narrow \d+ \(\d+%\), wide/);
  }, 120_000);
});

describe("the --svg chart", () => {
  it("draws a curve per space in a panel per cost, with the sweep's EDF drawing", () => {
    const rows = (accuracy: number) => [1, 2, 3, 4].map((k) => ({ testAccuracy: accuracy, params: k, madds: 10 * k }));
    const comparison = compareTrained([
      { label: "narrow", rows: rows(0.8) },
      { label: "wide", rows: rows(0.9) },
    ]);
    const chart = trainedChart(comparison);
    expect(chart).toMatchObject({ panels: ["params", "madds"], curveLabels: ["narrow", "wide"] });
    expect(chart.curves.map((c) => [c.panel, c.curve, c.steps.at(-1)!.value])).toEqual([
      ["params", "narrow", expect.closeTo(1, 12)],
      ["params", "wide", expect.closeTo(1, 12)],
      ["madds", "narrow", expect.closeTo(1, 12)],
      ["madds", "wide", expect.closeTo(1, 12)],
    ]);
  });

  it("draws plain error EDFs, and says so, where the spaces' complexities do not overlap", () => {
    const small = [0.7, 0.8, 0.75, 0.6].map((testAccuracy, k) => ({ testAccuracy, params: 10 + k, madds: 100 + k }));
    const large = [0.9, 0.85].map((testAccuracy, k) => ({ testAccuracy, params: 1e6 + k, madds: 100 + k }));
    const comparison = compareTrained(
      [
        { label: "small", rows: small },
        { label: "large", rows: large },
      ],
      { bins: 4 },
    );
    expect(comparison.costs.map((c) => [c.cost, c.normalised])).toEqual([
      ["params", false],
      ["madds", true],
    ]);
    const params = comparison.costs[0]!;
    expect(params.ks[0]!.d).toBeNull();
    expect(params.edfs.map((e) => e.steps.map((s) => [s.error, s.value]))).toEqual([
      [
        [expect.closeTo(0.2, 12), 0.25],
        [expect.closeTo(0.25, 12), 0.5],
        [expect.closeTo(0.3, 12), 0.75],
        [expect.closeTo(0.4, 12), 1],
      ],
      [
        [expect.closeTo(0.1, 12), 0.5],
        [expect.closeTo(0.15, 12), 1],
      ],
    ]);
    const chart = trainedChart(comparison);
    expect(chart.panels).toEqual(["params (not normalised)", "madds"]);
    expect(chart.subtitle.join(" ")).toContain("under params the spaces share no bin");
  });
});
