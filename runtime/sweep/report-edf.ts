/**
 * The sweep's report-edf.svg: the complexity-normalised EDFs of test error
 * (edf.ts; Radosavovic et al. 2019) of each method's retrainings in each
 * space, under params and under madds: a panel per space × cost, a curve per
 * method. The methods of a panel are normalised together, so they compare at
 * one distribution of complexity: a method whose models are bigger for the
 * same budget gains nothing from it. A method's retrainings in a space are
 * all its rows there, whatever their budget, seed or λ; the budgets spread
 * them over complexities, which is what the normalisation evens out.
 *
 * Threshold: a method is drawn in a space from MIN_EDF_ROWS (4) retrainings
 * there, the fewest for which defaultBins gives two bins of log complexity,
 * i.e. for which the reweighting can change anything; below it a curve would
 * be the plain EDF of ≤ 3 runs, which report.md's mean ± sd already gives.
 * The file is written when one method of one space is drawn.
 */
import { defaultBins, normalisedEdfs, TRAINED_COSTS, type EdfStep, type TrainedCost } from "./edf.js";
import { renderEdfSvg, type EdfChart } from "./edf-chart.js";
import type { ReportRow, ReportTable } from "./report.js";

export const REPORT_EDF_SVG = "report-edf.svg";
export const MIN_EDF_ROWS = 4;

export interface EdfPanel {
  readonly space: string;
  readonly cost: TrainedCost;
  /** The bins of log complexity the panel's methods were normalised over. */
  readonly bins: number;
  readonly curves: readonly { readonly method: string; readonly models: number; readonly steps: EdfStep[] }[];
}

/** The panels, spaces and methods in first-seen order; none when no method of any space has MIN_EDF_ROWS rows. */
export function sweepEdfPanels(rows: readonly ReportRow[]): EdfPanel[] {
  const groups = new Map<string, ReportRow[]>();
  for (const row of rows) {
    const id = JSON.stringify([row.space, row.method]);
    groups.set(id, [...(groups.get(id) ?? []), row]);
  }
  const drawn = [...groups.values()].filter((group) => group.length >= MIN_EDF_ROWS);
  const spaces = [...new Set(drawn.map((group) => group[0]!.space))];
  return spaces.flatMap((space) => {
    const methods = drawn.filter((group) => group[0]!.space === space);
    return TRAINED_COSTS.map((cost) => edfPanel(space, cost, methods));
  });
}

/**
 * defaultBins of the methods' sizes, fewer while no bin holds models of
 * every method (their complexities barely overlap); one bin always does, and
 * then the EDFs are the plain ones.
 */
function edfPanel(space: string, cost: TrainedCost, methods: readonly (readonly ReportRow[])[]): EdfPanel {
  const models = methods.map((rows) => rows.map((r) => ({ error: 1 - r.testAccuracy, complexity: r[cost] })));
  let bins = defaultBins(models.map((m) => m.length));
  let edfs = normalisedEdfs(models, bins);
  while (edfs === undefined && bins > 1) edfs = normalisedEdfs(models, --bins);
  const curves = methods.map((rows, m) => ({ method: rows[0]!.method, models: rows.length, steps: edfs?.[m] ?? [] }));
  return { space, cost, bins, curves };
}

/** Whether report-edf.svg is drawn, from the report's tables: a method's n over its space's tables are its rows. */
export function hasEdfChart(tables: readonly ReportTable[]): boolean {
  const rows = new Map<string, number>();
  for (const table of tables)
    for (const { method, n } of table.methods) {
      const id = JSON.stringify([table.space, method]);
      rows.set(id, (rows.get(id) ?? 0) + n);
    }
  return [...rows.values()].some((n) => n >= MIN_EDF_ROWS);
}

export function reportEdfChart(name: string, panels: readonly EdfPanel[]): EdfChart {
  const spaces = [...new Set(panels.map((p) => p.space))];
  const perSpace = spaces.map((space) => {
    const mine = panels.filter((p) => p.space === space);
    const models = mine[0]!.curves.map((c) => `${c.method} ${c.models}`).join(", ");
    const bins = mine.map((p) => `${p.bins} under ${p.cost}`).join(", ");
    return `${space}: retrainings ${models}; bins of log complexity ${bins}`;
  });
  return {
    title: `Sweep ${name}: complexity-normalised error EDFs`,
    subtitle: [
      `Per space, the methods with ${MIN_EDF_ROWS} retrainings or more, reweighted to one distribution of complexity`,
      ...perSpace,
    ],
    curves: panels.flatMap((p) =>
      p.curves.map((c) => ({ panel: `${p.space}: ${p.cost}`, curve: c.method, steps: c.steps })),
    ),
    panelTitle: null,
    panels: panels.map((p) => `${p.space}: ${p.cost}`),
    curveTitle: "method",
    curveLabels: [...new Set(panels.flatMap((p) => p.curves.map((c) => c.method)))],
  };
}

/** The SVG of the sweep's EDFs; undefined below the threshold. */
export async function renderReportEdfSvg(name: string, rows: readonly ReportRow[]): Promise<string | undefined> {
  const panels = sweepEdfPanels(rows);
  return panels.length === 0 ? undefined : renderEdfSvg(reportEdfChart(name, panels));
}
