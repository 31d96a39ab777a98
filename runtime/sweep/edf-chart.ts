/**
 * The one drawing of complexity-normalised error EDFs (edf.ts), shared by
 * the sweep's report-edf.svg (report-edf.ts) and `figs diff --trained --svg`
 * (cli/diff-trained/chart.ts): a step line per curve, in facet panels. A
 * vega-lite spec, rendered by report-chart.ts's renderSpecSvg.
 */
import type { TopLevelSpec } from "vega-lite";
import type { EdfStep } from "./edf.js";
import { renderSpecSvg } from "./report-chart.js";

/** One EDF to draw: its panel, its curve's label (the colour) and its steps. */
export interface EdfCurve {
  readonly panel: string;
  readonly curve: string;
  readonly steps: readonly EdfStep[];
}

export interface EdfPoint {
  readonly panel: string;
  readonly curve: string;
  readonly error: number;
  readonly F: number;
}

export interface EdfChart {
  readonly title: string;
  readonly subtitle: readonly string[];
  readonly curves: readonly EdfCurve[];
  /** The facet's title (null: none) and the panels in order. */
  readonly panelTitle: string | null;
  readonly panels: readonly string[];
  /** The legend's title and the curves' labels in order (the colours follow it). */
  readonly curveTitle: string;
  readonly curveLabels: readonly string[];
}

/** Each EDF from 0 at the smallest error of its panel to 1 at the largest, stepping at its models' errors. */
export function edfPoints(curves: readonly EdfCurve[]): EdfPoint[] {
  const range = new Map<string, [number, number]>();
  for (const { panel, steps } of curves) {
    const [low, high] = range.get(panel) ?? [Infinity, -Infinity];
    const errors = steps.map((s) => s.error);
    range.set(panel, [Math.min(low, ...errors), Math.max(high, ...errors)]);
  }
  return curves.flatMap(({ panel, curve, steps }) => {
    const [low, high] = range.get(panel)!;
    return [
      { panel, curve, error: low, F: 0 },
      ...steps.map((step) => ({ panel, curve, error: step.error, F: step.value })),
      { panel, curve, error: high, F: 1 },
    ];
  });
}

export function edfChartSpec(chart: EdfChart): TopLevelSpec {
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v5.json",
    title: { text: chart.title, subtitle: [...chart.subtitle], anchor: "start", subtitleColor: "#444444" },
    background: "white",
    data: { values: edfPoints(chart.curves) },
    facet: { field: "panel", type: "nominal", title: chart.panelTitle, sort: [...chart.panels] },
    columns: 2,
    spec: {
      width: 320,
      height: 260,
      mark: { type: "line", interpolate: "step-after" },
      encoding: {
        x: { field: "error", type: "quantitative", title: "test error", scale: { zero: false } },
        y: { field: "F", type: "quantitative", title: "cumulative share of models", scale: { domain: [0, 1] } },
        color: { field: "curve", type: "nominal", title: chart.curveTitle, sort: [...chart.curveLabels] },
        order: { field: "error", type: "quantitative" },
      },
    },
  };
}

export function renderEdfSvg(chart: EdfChart): Promise<string> {
  return renderSpecSvg(edfChartSpec(chart));
}
