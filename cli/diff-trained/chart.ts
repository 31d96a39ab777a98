/**
 * `figs diff --trained --svg`: the complexity-normalised error EDFs, one
 * step line per space, a panel under params and one under madds; drawn by
 * the sweep's EDF chart (runtime/sweep/edf-chart.ts), as report-edf.svg is.
 */
import type { TrainedComparison } from "../../runtime/sweep/edf.js";
import { renderEdfSvg, type EdfChart } from "../../runtime/sweep/edf-chart.js";

export function trainedChart(comparison: TrainedComparison): EdfChart {
  const models = comparison.spaces.map((s) => `${s.label} ${s.models}`).join(", ");
  return {
    title: "Complexity-normalised error EDFs of trained random sub-architectures",
    subtitle: [`models: ${models}; ${comparison.bins} bin${comparison.bins === 1 ? "" : "s"} of log complexity`],
    curves: comparison.costs.flatMap(({ cost, edfs }) =>
      edfs.map(({ space, steps }) => ({ panel: cost, curve: space, steps })),
    ),
    panelTitle: "normalised under",
    panels: comparison.costs.map((c) => c.cost),
    curveTitle: "space",
    curveLabels: comparison.spaces.map((s) => s.label),
  };
}

export function renderTrainedSvg(comparison: TrainedComparison): Promise<string> {
  return renderEdfSvg(trainedChart(comparison));
}
