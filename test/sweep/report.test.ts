import { describe, expect, it } from "vitest";
import {
  bootstrapDifference,
  reportMarkdown,
  reportTables,
  resultsCsv,
  sampleSd,
  type ReportRow,
} from "../../runtime/sweep/report.js";

const row = (method: string, family: ReportRow["family"], testAccuracy: number, budget = "params=40k"): ReportRow => ({
  space: "mnist_convnet",
  budget,
  cost: "params",
  method,
  family,
  testAccuracy,
  params: 40_000,
  madds: 1_000_000,
});

// figs: mean 0.82, sd √((0.02² + 0.02² + 0) / 2) = 0.02; multiplier: mean 0.78, sd 0; random: mean 0.72.
const ROWS = [
  row("figs", "search", 0.8),
  row("figs", "search", 0.84),
  row("figs", "search", 0.82),
  row("multiplier", "baseline", 0.78),
  row("multiplier", "baseline", 0.78),
  row("multiplier", "baseline", 0.78),
  row("random", "baseline", 0.7),
  row("random", "baseline", 0.74),
  row("figs", "search", 0.5, "params=20k"),
];

describe("the sweep's report", () => {
  it("computes mean ± sd per method and the difference to the best baseline", () => {
    const tables = reportTables(ROWS);
    expect(tables.map((t) => t.budget)).toEqual(["params=20k", "params=40k"]);
    const table = tables[1]!;
    expect(table.baseline).toBe("multiplier");
    const figs = table.methods.find((m) => m.method === "figs")!;
    expect(figs.n).toBe(3);
    expect(figs.mean).toBeCloseTo(0.82, 12);
    expect(figs.sd).toBeCloseTo(0.02, 12);
    expect(figs.difference!.mean).toBeCloseTo(0.04, 12);
    // The baseline is constant, so each resampled difference is a resampled figs mean − 0.78: within [0.02, 0.06].
    expect(figs.difference!.interval.low).toBeGreaterThanOrEqual(0.02 - 1e-12);
    expect(figs.difference!.interval.high).toBeLessThanOrEqual(0.06 + 1e-12);
    const random = table.methods.find((m) => m.method === "random")!;
    expect(random.difference!.mean).toBeCloseTo(-0.06, 12);
    expect(table.methods.find((m) => m.method === "multiplier")!.difference).toBeNull();
    expect(tables[0]!.baseline).toBeNull();
  });

  it("bootstraps hand-computable intervals, the same on every run", () => {
    // Constant groups: every resample gives the same difference.
    const constant = bootstrapDifference([0.9, 0.9], [0.8, 0.8]);
    expect(constant.low).toBeCloseTo(0.1, 12);
    expect(constant.high).toBeCloseTo(0.1, 12);
    // One draw from {0, 1} against 0: the difference is 0 or 1, each about half the time.
    expect(bootstrapDifference([0, 1], [0])).toEqual({ low: 0, high: 1 });
    const twice = [
      bootstrapDifference([0.8, 0.84, 0.82], [0.7, 0.74]),
      bootstrapDifference([0.8, 0.84, 0.82], [0.7, 0.74]),
    ];
    expect(twice[0]).toEqual(twice[1]);
    expect(sampleSd([1])).toBeNull();
  });

  it("prints a Markdown table per budget", () => {
    const markdown = reportMarkdown("t", reportTables(ROWS.filter((r) => r.method !== "figs")));
    expect(markdown).toBe(
      [
        "# Sweep t",
        "",
        // 3 multiplier runs and 2 random ones: neither reaches the 4 of report-edf.svg.
        "Charts: [accuracy against cost](report.svg).",
        "",
        "## mnist_convnet: budget params=40k",
        "",
        "| method | n | accuracy % (mean ± sd) | params | madds | Δ accuracy vs multiplier (95% CI) |",
        "|---|---:|---:|---:|---:|---:|",
        "| multiplier | 3 | 78.00 ± 0.00 | 40,000 | 1,000,000 | best baseline |",
        "| random | 2 | 72.00 ± 2.83 | 40,000 | 1,000,000 | −6.00 [−8.00, −4.00] |",
        "",
      ].join("\n"),
    );
  });

  it("titles a table without a budget by what is in it", () => {
    const unbudgeted = (method: string, family: ReportRow["family"]): ReportRow => ({
      ...row(method, family, 0.8),
      budget: null,
    });
    const title = (rows: ReportRow[]): string => reportMarkdown("t", reportTables(rows)).split("\n")[4]!;
    expect(title([unbudgeted("random", "baseline")])).toBe("## mnist_convnet: no budget");
    expect(title([unbudgeted("lambda=0.1", "lambda")])).toBe("## mnist_convnet: λ grid, cost params");
    expect(title([unbudgeted("lambda=0.1", "lambda"), unbudgeted("random", "baseline")])).toBe(
      "## mnist_convnet: λ grid and unconstrained samples, cost params",
    );
  });

  it("writes CSV with quoting and widths as pairs", () => {
    const csv = resultsCsv(
      [{ method: 'a,"b"', widths: { conv_0: 4, dense: 8 }, lambda: null }],
      ["method", "widths", "lambda"],
    );
    expect(csv).toBe('method,widths,lambda\n"a,""b""",conv_0:4 dense:8,\n');
  });
});
