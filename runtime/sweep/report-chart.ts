/**
 * The sweep's report.svg: test accuracy against cost, one point per
 * retraining, a colour per method, a panel per space × cost of the budgets
 * (params, madds), and each method's Pareto front (most accurate for its
 * cost) as a line through its front points. A vega-lite spec rendered by
 * vega in Node, like `figs diff`'s charts; vega is imported only here, in
 * renderSpecSvg, which the EDF charts (edf-chart.ts) use too.
 */
import type { TopLevelSpec } from "vega-lite";
import type { ReportRow } from "./report.js";

export const REPORT_SVG = "report.svg";

export interface ChartPoint {
  readonly panel: string;
  readonly method: string;
  readonly cost: number;
  readonly accuracy: number;
  /** On the method's Pareto front in its panel: no other point of the method is as cheap and more accurate. */
  readonly front: boolean;
}

/** Every retraining twice, under params and under madds, in the panel of its space. */
export function chartPoints(rows: readonly ReportRow[]): ChartPoint[] {
  const points = rows.flatMap((row) =>
    (["params", "madds"] as const).map((metric) => ({
      panel: `${row.space}: ${metric}`,
      method: row.method,
      cost: row[metric],
      accuracy: 100 * row.testAccuracy,
    })),
  );
  return points.map((p) => ({ ...p, front: onFront(p, points) }));
}

function onFront(point: Omit<ChartPoint, "front">, all: readonly Omit<ChartPoint, "front">[]): boolean {
  return !all.some(
    (q) =>
      q !== point &&
      q.panel === point.panel &&
      q.method === point.method &&
      q.cost <= point.cost &&
      q.accuracy >= point.accuracy &&
      (q.cost < point.cost || q.accuracy > point.accuracy),
  );
}

export function reportChartSpec(name: string, rows: readonly ReportRow[]): TopLevelSpec {
  const methods = [...new Set(rows.map((r) => r.method))];
  const color = { field: "method", type: "nominal", title: "method", sort: methods } as const;
  const x = { field: "cost", type: "quantitative", title: "cost", scale: { type: "log" } } as const;
  const y = { field: "accuracy", type: "quantitative", title: "test accuracy %", scale: { zero: false } } as const;
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v5.json",
    title: { text: `Sweep ${name}: test accuracy against cost`, anchor: "start" },
    background: "white",
    data: { values: chartPoints(rows) },
    facet: { field: "panel", type: "nominal", title: null },
    columns: 2,
    resolve: { scale: { x: "independent" } },
    spec: {
      width: 320,
      height: 240,
      layer: [
        { mark: { type: "point", opacity: 0.7 }, encoding: { x, y, color } },
        {
          transform: [{ filter: "datum.front" }],
          mark: { type: "line", interpolate: "step-after", strokeWidth: 1.5 },
          encoding: { x, y, color, order: { field: "cost", type: "quantitative" } },
        },
      ],
    },
  };
}

/** The SVG of reportChartSpec; an empty sweep has no chart. */
export async function renderReportSvg(name: string, rows: readonly ReportRow[]): Promise<string | undefined> {
  return rows.length === 0 ? undefined : renderSpecSvg(reportChartSpec(name, rows));
}

/** A vega-lite spec as SVG, rendered headless; vega is loaded on the first chart, not with the module. */
export async function renderSpecSvg(spec: TopLevelSpec): Promise<string> {
  const [vega, { compile }] = await Promise.all([import("vega"), import("vega-lite")]);
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: "none" });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
