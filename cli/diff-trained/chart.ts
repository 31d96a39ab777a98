/**
 * `figs diff --trained --svg`: the complexity-normalised error EDFs, one
 * step line per space, a panel under params and one under madds; drawn by
 * the sweep's EDF chart (runtime/sweep/edf-chart.ts), as report-edf.svg is.
 */
import type { TrainedComparison } from "../../runtime/sweep/edf.js";
import { renderEdfSvg, type EdfChart } from "../../runtime/sweep/edf-chart.js";

export function trainedChart(comparison: TrainedComparison): EdfChart {
  const models = comparison.spaces.map((s) => `${s.label} ${s.models}`).join(", ");
  const plain = comparison.costs.filter((c) => !c.normalised).map((c) => c.cost);
  const panel = (c: (typeof comparison.costs)[number]): string =>
    c.normalised ? c.cost : `${c.cost} (not normalised)`;
  return {
    title: "Complexity-normalised error EDFs of trained random sub-architectures",
    subtitle: [
      `models: ${models}; ${comparison.bins} bin${comparison.bins === 1 ? "" : "s"} of log complexity`,
      ...(plain.length > 0
        ? [`under ${plain.join(" and ")} the spaces share no bin (their ranges do not overlap): plain error EDFs`]
        : []),
    ],
    curves: comparison.costs.flatMap((c) =>
      c.edfs.map(({ space, steps }) => ({ panel: panel(c), curve: space, steps })),
    ),
    panelTitle: "normalised under",
    panels: comparison.costs.map(panel),
    curveTitle: "space",
    curveLabels: comparison.spaces.map((s) => s.label),
  };
}

export function renderTrainedSvg(comparison: TrainedComparison): Promise<string> {
  return renderEdfSvg(trainedChart(comparison));
}
