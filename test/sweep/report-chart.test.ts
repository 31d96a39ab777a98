// report.svg of a sweep: accuracy against cost per method, with each method's Pareto front.
import { describe, expect, it } from "vitest";
import { chartPoints, renderReportSvg } from "../../runtime/sweep/report-chart.js";
import type { ReportRow } from "../../runtime/sweep/report.js";

const row = (method: string, params: number, madds: number, testAccuracy: number): ReportRow => ({
  space: "convnet",
  budget: "params=40k",
  cost: "params",
  method,
  family: method === "figs" ? "search" : "baseline",
  testAccuracy,
  params,
  madds,
});

// figs under params: (10, 80) and (20, 90) are on its front, (30, 85) is not (20 is cheaper and more accurate).
// Under madds the order of cost changes: (300, 80) is then dominated by (100, 90).
const ROWS = [
  row("figs", 10, 300, 0.8),
  row("figs", 20, 100, 0.9),
  row("figs", 30, 200, 0.85),
  row("random", 30, 50, 0.7),
];

describe("the sweep's chart", () => {
  it("puts every retraining in a panel per space and cost, and marks each method's Pareto front", () => {
    const points = chartPoints(ROWS);
    const front = (panel: string, method: string): number[] =>
      points.filter((p) => p.panel === panel && p.method === method && p.front).map((p) => p.cost);
    expect(points).toHaveLength(8);
    expect(front("convnet: params", "figs")).toEqual([10, 20]);
    expect(front("convnet: madds", "figs")).toEqual([100]);
    // Another method's points never dominate: random's only point is its own front.
    expect(front("convnet: params", "random")).toEqual([30]);
  });

  it("renders an SVG with the methods in its legend, and none for an empty sweep", async () => {
    const svg = await renderReportSvg("budgets", ROWS);
    expect(svg).toMatch(/^<svg/);
    expect(svg).toContain("Sweep budgets: test accuracy against cost");
    expect(svg).toContain("random");
    expect(await renderReportSvg("empty", [])).toBeUndefined();
  });
});
