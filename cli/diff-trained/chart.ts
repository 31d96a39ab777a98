/**
 * `figs diff --trained --svg`: the complexity-normalised error EDFs, one
 * step line per space, a panel under params and one under madds; a vega-lite
 * spec rendered by vega in Node, as the untrained diff's chart is.
 */
import * as vega from "vega";
import { compile, type TopLevelSpec } from "vega-lite";
import type { TrainedComparison } from "../../runtime/sweep/edf.js";

interface EdfPoint {
  readonly cost: string;
  readonly space: string;
  readonly error: number;
  readonly F: number;
}

/** Each EDF from 0 at the smallest error of all spaces to 1 at the largest, stepping at its models' errors. */
export function edfPoints(comparison: TrainedComparison): EdfPoint[] {
  return comparison.costs.flatMap(({ cost, edfs }) => {
    const errors = edfs.flatMap((edf) => edf.steps.map((step) => step.error));
    const [low, high] = [Math.min(...errors), Math.max(...errors)];
    return edfs.flatMap(({ space, steps }) => [
      { cost, space, error: low, F: 0 },
      ...steps.map((step) => ({ cost, space, error: step.error, F: step.value })),
      { cost, space, error: high, F: 1 },
    ]);
  });
}

export function trainedChartSpec(comparison: TrainedComparison): TopLevelSpec {
  const spaces = comparison.spaces.map((s) => s.label);
  const models = comparison.spaces.map((s) => `${s.label} ${s.models}`).join(", ");
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v5.json",
    title: {
      text: "Complexity-normalised error EDFs of trained random sub-architectures",
      subtitle: [`models: ${models}; ${comparison.bins} bin${comparison.bins === 1 ? "" : "s"} of log complexity`],
      anchor: "start",
      subtitleColor: "#444444",
    },
    background: "white",
    data: { values: edfPoints(comparison) },
    facet: { column: { field: "cost", type: "nominal", title: "normalised under", sort: ["params", "madds"] } },
    spec: {
      width: 320,
      height: 260,
      mark: { type: "line", interpolate: "step-after" },
      encoding: {
        x: { field: "error", type: "quantitative", title: "test error", scale: { zero: false } },
        y: { field: "F", type: "quantitative", title: "cumulative share of models", scale: { domain: [0, 1] } },
        color: { field: "space", type: "nominal", title: "space", sort: spaces },
        order: { field: "error", type: "quantitative" },
      },
    },
  };
}

export async function renderTrainedSvg(comparison: TrainedComparison): Promise<string> {
  const { spec } = compile(trainedChartSpec(comparison));
  const view = new vega.View(vega.parse(spec), { renderer: "none" });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
