/** The diff report as a text table: quantiles per cost, then the Pareto front. */
import type { DiffReport, SpaceSummary } from "./diff.js";
import type { MatchedBands, Quantiles } from "./statistics.js";

const QUANTILE_COLUMNS = ["p5", "p25", "p50", "p75", "p95"] as const;

/** 3 significant digits with an SI suffix: 12.3k, 4.56M, 1.23G. */
export function formatCompact(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const units: readonly [number, string][] = [
    [1e12, "T"],
    [1e9, "G"],
    [1e6, "M"],
    [1e3, "k"],
  ];
  for (const [scale, suffix] of units) {
    if (Math.abs(value) >= scale * 0.9995) return `${Number((value / scale).toPrecision(3))}${suffix}`;
  }
  return String(Number(value.toPrecision(3)));
}

function percent(share: number): string {
  return `${(100 * share).toFixed(share > 0 && share < 0.001 ? 3 : 1)}%`;
}

export function formatDiffReport(report: DiffReport): string {
  const { sampling } = report;
  const lines = [
    `${report.samples.toLocaleString("en-US")} random sub-architectures per space (seed ${report.seed}): ` +
      `each droppable searchable group`,
    `removed with probability ${sampling.dropProbability}, every kept group at max(1, round(w·size)), ` +
      `w uniform in [${sampling.minMultiplier}, ${sampling.maxMultiplier}]`,
    "",
    ...table(["space", "full params", "full madds", "searchable groups", "droppable"], report.spaces.map(fullRow)),
  ];
  const spaces = report.spaces;
  const sections: [string, (s: SpaceSummary) => Quantiles][] = [
    ["params", (s) => s.quantiles.params],
    ["madds", (s) => s.quantiles.madds],
    ["madds/param", (s) => s.quantiles.maddsPerParam],
  ];
  for (const [title, pick] of sections) {
    lines.push(
      "",
      ...table(
        [title, ...QUANTILE_COLUMNS],
        spaces.map((s) => [s.label, ...QUANTILE_COLUMNS.map((q) => formatCompact(pick(s)[q]))]),
      ),
    );
  }
  lines.push("", ...matchedTable("median madds at matched params", "params", report.matched.maddsAtParams, spaces));
  lines.push("", ...matchedTable("median params at matched madds", "madds", report.matched.paramsAtMadds, spaces));
  const total = report.samples * spaces.length;
  lines.push(
    "",
    `Pareto front of (${report.metrics.join(", ")}) over all ${total.toLocaleString("en-US")} samples: ` +
      `${report.frontPoints} points`,
  );
  lines.push(
    ...table(
      ["space", "on front", "of its samples", "of the front"],
      spaces.map((s) => [
        s.label,
        String(s.pareto.points),
        percent(s.pareto.shareOfSamples),
        percent(s.pareto.shareOfFront),
      ]),
    ),
  );
  return lines.join("\n") + "\n";
}

/** One row per band of the union's quintiles; a space with too few samples in a band shows "—". */
function matchedTable(title: string, axis: string, bands: MatchedBands, spaces: readonly SpaceSummary[]): string[] {
  const rows = bands.medians.map((perSpace, b) => [
    `${formatCompact(bands.edges[b] as number)}–${formatCompact(bands.edges[b + 1] as number)}`,
    ...perSpace.map((median) => (median === null ? "—" : formatCompact(median))),
  ]);
  return [title, ...table([`${axis} band`, ...spaces.map((s) => s.label)], rows)];
}

function fullRow(s: SpaceSummary): string[] {
  return [
    s.label,
    formatCompact(s.full.params),
    formatCompact(s.full.madds),
    String(s.groups.searchable),
    String(s.groups.droppable),
  ];
}

/** First column left-aligned, the others right-aligned. */
function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const all = [header, ...rows];
  const widths = header.map((_, c) => Math.max(...all.map((row) => (row[c] ?? "").length)));
  return all.map((row) =>
    row
      .map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!)))
      .join("  ")
      .trimEnd(),
  );
}
