/**
 * The diff as an SVG scatter plot (params against madds, log scales, one colour
 * per space), from a vega-lite spec rendered by vega in Node: no browser.
 */
import * as vega from "vega";
import { compile, type TopLevelSpec } from "vega-lite";
import type { DiffReport } from "./diff.js";
import type { SpaceSamples } from "./diff.js";

/** A chart of 30,000 points is a multi-megabyte SVG; an even subsample shows the same cloud. */
export const DEFAULT_POINTS_PER_SPACE = 1000;

interface ChartPoint {
  readonly space: string;
  readonly params: number;
  readonly madds: number;
  readonly kind: "sample" | "full supernet";
}

export function chartSpec(
  report: DiffReport,
  samples: readonly SpaceSamples[],
  pointsPerSpace = DEFAULT_POINTS_PER_SPACE,
): TopLevelSpec {
  const values: ChartPoint[] = [];
  for (const space of samples) {
    const step = Math.max(1, Math.ceil(space.params.length / pointsPerSpace));
    for (let i = 0; i < space.params.length; i += step)
      values.push({
        space: space.label,
        params: space.params[i] as number,
        madds: space.madds[i] as number,
        kind: "sample",
      });
  }
  for (const s of report.spaces)
    values.push({ space: s.label, params: s.full.params, madds: s.full.madds, kind: "full supernet" });
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v5.json",
    title: `figs diff: ${report.samples.toLocaleString("en-US")} random sub-architectures per space (seed ${report.seed})`,
    width: 560,
    height: 400,
    background: "white",
    data: { values },
    mark: { type: "point", filled: true, size: 14, opacity: 0.5 },
    encoding: {
      x: { field: "params", type: "quantitative", scale: { type: "log" }, axis: { title: "parameters", format: "~s" } },
      y: {
        field: "madds",
        type: "quantitative",
        scale: { type: "log" },
        axis: { title: "multiply-adds", format: "~s" },
      },
      color: { field: "space", type: "nominal", title: "space" },
      shape: {
        field: "kind",
        type: "nominal",
        title: "point",
        scale: { domain: ["sample", "full supernet"], range: ["circle", "diamond"] },
      },
    },
  };
}

export async function renderDiffSvg(
  report: DiffReport,
  samples: readonly SpaceSamples[],
  pointsPerSpace = DEFAULT_POINTS_PER_SPACE,
): Promise<string> {
  const { spec } = compile(chartSpec(report, samples, pointsPerSpace));
  const view = new vega.View(vega.parse(spec), { renderer: "none" });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
