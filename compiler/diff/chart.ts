/**
 * The diff as an SVG scatter plot, the way a paper shows it: params against
 * madds on log axes fitted to the points, one colour per space, each space's
 * full supernet as a large outlined diamond on top, and a subtitle that says
 * how many samples were drawn. A vega-lite spec rendered by vega in Node: no
 * browser.
 */
import * as vega from "vega";
import { compile, type TopLevelSpec } from "vega-lite";
import { logDomain, logTicks } from "./chart-scales.js";
import type { DiffReport, SpaceSamples } from "./diff.js";

/**
 * Samples drawn per space. All 10,000 of three spaces make a 9 MB SVG that
 * takes seconds to render and to open (1,000 each: 0.9 MB); an even
 * subsample (the samples are independent draws, so every k-th is a random
 * subsample) shows the same cloud, and the subtitle says how many are drawn.
 */
export const DEFAULT_POINTS_PER_SPACE = 1000;

const KINDS = ["sample", "full supernet"] as const;
type Kind = (typeof KINDS)[number];

interface ChartPoint {
  readonly space: string;
  readonly params: number;
  readonly madds: number;
  readonly kind: Kind;
}

/** Marker area in square pixels: samples small and translucent, full supernets unmissable. */
const SAMPLE_SIZE = 14;
const SUPERNET_SIZE = 260;
const SAMPLE_OPACITY = 0.35;

export const CHART_TITLE = "Parameters and multiply-adds of random sub-architectures";

export function chartSpec(
  report: DiffReport,
  samples: readonly SpaceSamples[],
  pointsPerSpace = DEFAULT_POINTS_PER_SPACE,
): TopLevelSpec {
  const { values, drawn } = chartPoints(report, samples, pointsPerSpace);
  const isSupernet = "datum.kind === 'full supernet'";
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v5.json",
    title: { text: CHART_TITLE, subtitle: subtitle(report, drawn), anchor: "start", subtitleColor: "#444444" },
    width: 560,
    height: 400,
    background: "white",
    data: { values },
    mark: { type: "point", filled: true },
    encoding: {
      x: logAxis("params", "parameters", values),
      y: logAxis("madds", "multiply-adds", values),
      color: { field: "space", type: "nominal", title: "space", sort: report.spaces.map((s) => s.label) },
      shape: {
        field: "kind",
        type: "nominal",
        title: "marker",
        scale: { domain: [...KINDS], range: ["circle", "diamond"] },
      },
      size: {
        field: "kind",
        type: "nominal",
        title: "marker",
        sort: [...KINDS],
        scale: { domain: [...KINDS], range: [SAMPLE_SIZE, SUPERNET_SIZE] },
      },
      opacity: { condition: { test: isSupernet, value: 1 }, value: SAMPLE_OPACITY },
      stroke: { condition: { test: isSupernet, value: "black" }, value: null },
      strokeWidth: { condition: { test: isSupernet, value: 1.5 }, value: 0 },
    },
    config: { legend: { symbolOpacity: 1 } },
  };
}

/**
 * Every space's samples (an even subsample past `pointsPerSpace`), then the
 * full supernets, so that they are drawn last, on top.
 */
function chartPoints(
  report: DiffReport,
  samples: readonly SpaceSamples[],
  pointsPerSpace: number,
): { values: ChartPoint[]; drawn: number[] } {
  const values: ChartPoint[] = [];
  const drawn = samples.map((space) => {
    const step = Math.max(1, Math.ceil(space.params.length / Math.max(1, pointsPerSpace)));
    let count = 0;
    for (let i = 0; i < space.params.length; i += step, count++)
      values.push({ space: space.label, params: space.params[i]!, madds: space.madds[i]!, kind: "sample" });
    return count;
  });
  for (const s of report.spaces)
    values.push({ space: s.label, params: s.full.params, madds: s.full.madds, kind: "full supernet" });
  return { values, drawn };
}

/** "10,000 per space (seed 1); 2,000 of each drawn (every 5th)", or "…, all drawn". */
export function subtitle(report: DiffReport, drawn: readonly number[]): string[] {
  const count = (n: number) => n.toLocaleString("en-US");
  const sampled = `${count(report.samples)} random sub-architectures per space (seed ${report.seed})`;
  const fewest = Math.min(...drawn);
  const every = Math.ceil(report.samples / Math.max(1, fewest));
  const shown = fewest >= report.samples ? "all drawn" : `${count(fewest)} of each drawn (every ${ordinal(every)})`;
  return [`${sampled}; ${shown}`, "large diamond: the space's full supernet, every group at full width"];
}

function ordinal(n: number): string {
  const suffix = n % 100 >= 11 && n % 100 <= 13 ? "th" : (["th", "st", "nd", "rd"][n % 10] ?? "th");
  return `${n}${suffix}`;
}

function logAxis(field: "params" | "madds", title: string, values: readonly ChartPoint[]) {
  const domain = logDomain(values.map((point) => point[field]));
  const ticks = logTicks(domain);
  return {
    field,
    type: "quantitative" as const,
    scale: { type: "log" as const, domain, nice: false },
    axis: { title: `${title} (log scale)`, format: "~s", ...(ticks ? { values: ticks } : {}) },
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
