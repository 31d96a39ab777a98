// report-edf.svg of a sweep: each method's complexity-normalised error EDF per space, under params and madds.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { jobFolder, planSweep, runSweep, type ResultRow } from "../../runtime/sweep/index.js";
import { hasEdfChart, renderReportEdfSvg, sweepEdfPanels, REPORT_EDF_SVG } from "../../runtime/sweep/report-edf.js";
import { reportMarkdown, reportTables, type ReportRow } from "../../runtime/sweep/report.js";

const root = mkdtempSync(join(tmpdir(), "figs-sweep-edf-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const row = (space: string, method: string, testAccuracy: number, params: number, madds = params): ReportRow => ({
  space,
  budget: "params=40k",
  cost: "params",
  method,
  family: method === "figs" ? "search" : "baseline",
  testAccuracy,
  params,
  madds,
});

// Two bins of log params, [1k, √8·1k) and [√8·1k, 8k]: figs has 3 models in the low bin and 1 in the high one,
// random the other way round. Each model weighs 1/(its method's models in its bin · 2 bins): figs's low
// models 1/6 each, its high one 1/2. Under madds (all 1k, one bin) every model weighs 1/4.
const FIGS = [row("a", "figs", 0.9, 1000), row("a", "figs", 0.8, 1000), row("a", "figs", 0.7, 1000)];
const ROWS = [
  ...FIGS,
  row("a", "figs", 0.95, 8000, 1000),
  row("a", "random", 0.6, 1000),
  ...[0.5, 0.55, 0.65].map((accuracy) => row("a", "random", accuracy, 8000, 1000)),
  // Three rows: below the threshold, so space b has no panel.
  ...[0.5, 0.6, 0.7].map((accuracy) => row("b", "random", accuracy, 1000)),
];

/** The curves of each panel of the SVG: vega writes a panel's line marks (labelled by method), then its title. */
function svgCurves(svg: string): Map<string, string[]> {
  const panels = new Map<string, string[]>();
  const chunks = svg.split(/aria-label="Title text '([^']*)'"/);
  for (let i = 1; i < chunks.length; i += 2) {
    const lines = chunks[i - 1]!.match(/aria-label="[^"]*; method: [^;"]*[^"]*" role="graphics-symbol"/g) ?? [];
    const methods = lines.map((line) => /; method: ([^;"]*)/.exec(line)![1]!);
    // The chart's own title comes after the last panel, with no line of its own.
    if (methods.length > 0) panels.set(chunks[i]!, methods);
  }
  return panels;
}

describe("the sweep's EDF chart", () => {
  it("normalises each space's methods together, under params and under madds", () => {
    const panels = sweepEdfPanels(ROWS);
    expect(panels.map((p) => [p.space, p.cost, p.bins, p.curves.map((c) => c.method)])).toEqual([
      ["a", "params", 2, ["figs", "random"]],
      ["a", "madds", 2, ["figs", "random"]],
    ]);
    const [params, madds] = panels;
    // figs's errors ascending: 0.05 (the high-bin model), 0.1, 0.2, 0.3.
    expect(params!.curves[0]!.steps.map((s) => s.value)).toEqual(
      [0.5, 4 / 6, 5 / 6, 1].map((v) => expect.closeTo(v, 12)),
    );
    expect(madds!.curves[0]!.steps.map((s) => s.value)).toEqual([0.25, 0.5, 0.75, 1]);
  });

  it("uses fewer bins when no bin holds every method, down to the plain EDFs", () => {
    const apart = [
      ...[1, 2, 3, 4].map((k) => row("a", "figs", 0.8, 1000 * k)),
      ...[1, 2, 3, 4].map((k) => row("a", "random", 0.7, 100_000 * k, 1000 * k)),
    ];
    // Under params figs and random share no bin of two; under madds they share both.
    expect(sweepEdfPanels(apart).map((p) => p.bins)).toEqual([1, 2]);
  });

  it("draws a curve per method in a panel per space and cost, and nothing below the threshold", async () => {
    const svg = await renderReportEdfSvg("budgets", ROWS);
    expect(svg).toMatch(/^<svg[^]*Sweep budgets: complexity-normalised error EDFs/);
    expect(svgCurves(svg!)).toEqual(
      new Map([
        ["a: params", ["figs", "random"]],
        ["a: madds", ["figs", "random"]],
      ]),
    );
    const single = [...ROWS, row("b", "random", 0.8, 2000)].filter((r) => r.method === "random");
    expect(svgCurves((await renderReportEdfSvg("random", single))!)).toEqual(
      new Map([
        ["a: params", ["random"]],
        ["a: madds", ["random"]],
        ["b: params", ["random"]],
        ["b: madds", ["random"]],
      ]),
    );
    expect(await renderReportEdfSvg("few", ROWS.slice(4, 7))).toBeUndefined();
    expect(await renderReportEdfSvg("empty", [])).toBeUndefined();
  });

  it("is linked from report.md exactly when it is drawn", () => {
    for (const rows of [ROWS, ROWS.slice(0, 7), FIGS, []]) {
      const tables = reportTables(rows);
      expect(hasEdfChart(tables)).toBe(sweepEdfPanels(rows).length > 0);
      expect(reportMarkdown("t", tables).includes(`(${REPORT_EDF_SVG})`)).toBe(hasEdfChart(tables));
    }
  });
});

/** A sweep folder whose every job is done (no process runs): the retrainings' rows made up. */
async function doneSweep(name: string, budgets: readonly string[]): Promise<string> {
  const experiment = {
    format: "figs-sweep-experiment",
    version: 1,
    name,
    spaces: [{ file: resolve("spaces/mnist_convnet.figs") }],
    data: { dataset: "mnist" },
    budgets,
    methods: [{ method: "figs" }, { method: "random" }],
    seeds: { search: [1, 2], retrain: [1] },
    search: { steps: 1 },
    retrain: { steps: 1 },
  };
  const file = join(root, `${name}.json`);
  writeFileSync(file, JSON.stringify(experiment));
  const { plan } = planSweep(file);
  if (plan === undefined) throw new Error(`${file} does not load`);
  const dir = join(root, name);
  mkdirSync(dir);
  writeFileSync(join(dir, "sweep.json"), JSON.stringify({ format: "figs-sweep", version: 1, name }));
  for (const [i, job] of plan.jobs.entries()) {
    const labels = { ...job.labels, sweep: name, key: job.key, archKey: job.deps[0] ?? job.key, widths: {} };
    const measures = { testAccuracy: 0.5 + i / 100, testImages: 10, params: 1000 * (i + 1), madds: 1000, seconds: 1 };
    const row: ResultRow | undefined = job.kind === "retrain" ? { ...labels, ...measures } : undefined;
    const record = { format: "figs-sweep-done", version: 1, key: job.key, kind: job.kind, seconds: 1, row };
    mkdirSync(jobFolder(dir, job.key), { recursive: true });
    writeFileSync(join(jobFolder(dir, job.key), "done.json"), JSON.stringify(record));
  }
  const figs: [string, ...string[]] = [process.execPath, "-e", "process.exit(1)"];
  const outcome = await runSweep(plan, { dir, workers: 1, figs, onEvent: () => undefined });
  expect(outcome.ok && outcome.value.rows.length).toBe(4 * budgets.length);
  return dir;
}

describe("a sweep's folder", () => {
  it("gets report-edf.svg once a method has 4 retrainings in a space, and report.md links it", async () => {
    const few = await doneSweep("few", ["params=10k"]);
    expect(existsSync(join(few, "report.svg"))).toBe(true);
    expect(existsSync(join(few, REPORT_EDF_SVG))).toBe(false);
    expect(readFileSync(join(few, "report.md"), "utf8")).not.toContain(REPORT_EDF_SVG);
    const enough = await doneSweep("enough", ["params=10k", "params=20k"]);
    expect(readFileSync(join(enough, REPORT_EDF_SVG), "utf8")).toMatch(/^<svg[^]*mnist_convnet: madds/);
    expect(readFileSync(join(enough, "report.md"), "utf8")).toContain(
      `[complexity-normalised error EDFs](${REPORT_EDF_SVG})`,
    );
  });
});
