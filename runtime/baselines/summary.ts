/**
 * What `figs sample` and `figs scale` print: one row per exported
 * architecture (its multiplier, what it removed, its params and madds in the
 * chosen convention), after a row for the full space for comparison.
 */
import { conventionName, formatNumber, type Ir } from "../../compiler/index.js";
import { architectureCosts, type CostValues } from "../export/costs.js";
import type { WrittenBaseline } from "./write.js";

export interface BaselineRow {
  readonly name: string;
  readonly dir: string;
  readonly multiplier: number;
  readonly removedGroups: number;
  readonly removedOps: number;
  readonly params: number;
  readonly madds: number;
}

export interface BaselineSummary {
  readonly space: string;
  /** As `--convention` spells it: `torch`, `keras,conv-bias`, … */
  readonly convention: string;
  readonly full: CostValues;
  readonly rows: readonly BaselineRow[];
}

/**
 * The IR's `full` cost is in the convention it was compiled with, so the rows
 * use that one too; arch.json counts the model as built (no conv bias), so an
 * IR that counts conv biases has its rows counted again its way.
 */
export function summarizeBaselines(ir: Ir, written: readonly WrittenBaseline[]): BaselineSummary {
  const convention = ir.costs.convention;
  const costOf = ({ arch, pruned }: WrittenBaseline): CostValues =>
    ir.costs.convBias ? architectureCosts(ir, pruned, { convBias: true })[convention] : arch.costs[convention];
  const rows = written.map((baseline) => {
    const { params, madds } = costOf(baseline);
    const { architecture } = baseline;
    const name = architecture.name || `uniform ×${architecture.multiplier}`;
    return {
      name,
      dir: baseline.dir,
      multiplier: architecture.multiplier,
      removedGroups: architecture.removedGroups,
      removedOps: baseline.arch.removedOps,
      params,
      madds,
    };
  });
  return {
    space: ir.space,
    convention: conventionName({ convention, convBias: ir.costs.convBias === true }),
    full: ir.costs.full,
    rows,
  };
}

/** "width": the multiplier W (or w), or with independent widths the share of the searchable channels kept. */
const HEADINGS = [
  "architecture",
  "width",
  "removed groups",
  "removed ops",
  "params",
  "madds",
  "params %",
  "madds %",
] as const;

/** A text table, numbers right-aligned; percentages are of the full space. */
export function formatBaselineTable(summary: BaselineSummary): string {
  const percent = (part: number, whole: number): string => (whole > 0 ? `${((100 * part) / whole).toFixed(1)}%` : "-");
  const full = [
    "full space",
    (1).toFixed(3),
    "0",
    "0",
    formatNumber(summary.full.params),
    formatNumber(summary.full.madds),
    "100.0%",
    "100.0%",
  ];
  const rows = summary.rows.map((r) => [
    r.name,
    r.multiplier.toFixed(3),
    String(r.removedGroups),
    String(r.removedOps),
    formatNumber(r.params),
    formatNumber(r.madds),
    percent(r.params, summary.full.params),
    percent(r.madds, summary.full.madds),
  ]);
  const table = [[...HEADINGS], full, ...rows];
  const widths = HEADINGS.map((_, column) => Math.max(...table.map((row) => (row[column] as string).length)));
  const line = (row: readonly string[]): string =>
    row
      .map((cell, column) =>
        column === 0 ? cell.padEnd(widths[column] as number) : cell.padStart(widths[column] as number),
      )
      .join("  ");
  const title = `${summary.space}: costs in the ${summary.convention} convention`;
  return [title, ...table.map(line)].join("\n") + "\n";
}
