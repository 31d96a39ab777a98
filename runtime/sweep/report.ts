/**
 * The sweep's report, from its result rows: a table per space, budget and
 * cost (a λ grid: per space and cost) with each method's n, test accuracy
 * mean ± sd over its seeds, mean params and madds, and its difference to the
 * best baseline (the baseline method with the highest mean accuracy) with a
 * 95% percentile bootstrap interval of the difference of means. Pure and
 * deterministic: the bootstrap draws from a PRNG seeded with BOOTSTRAP_SEED.
 */
import { seededRandom } from "../../compiler/index.js";
import type { MethodFamily } from "./expand.js";
import { hasEdfChart, REPORT_EDF_SVG } from "./report-edf.js";
import { REPORT_SVG } from "./report-chart.js";

/** The fields of a result row the report reads. */
export interface ReportRow {
  readonly space: string;
  readonly budget: string | null;
  readonly cost: string;
  readonly method: string;
  readonly family: MethodFamily;
  readonly testAccuracy: number;
  readonly params: number;
  readonly madds: number;
}

export interface Interval {
  readonly low: number;
  readonly high: number;
}

export interface MethodStats {
  readonly method: string;
  readonly family: MethodFamily;
  readonly n: number;
  readonly mean: number;
  /** Sample standard deviation (n − 1); null for a single run. */
  readonly sd: number | null;
  readonly params: number;
  readonly madds: number;
  /** Mean accuracy minus the best baseline's, with its interval; null for the best baseline and without one. */
  readonly difference: { readonly mean: number; readonly interval: Interval } | null;
}

export interface ReportTable {
  readonly space: string;
  readonly budget: string | null;
  readonly cost: string;
  /** The best baseline's name, or null when the table has none. */
  readonly baseline: string | null;
  readonly methods: readonly MethodStats[];
}

export const BOOTSTRAP_RESAMPLES = 2000;
export const BOOTSTRAP_SEED = 1;

export function mean(values: readonly number[]): number {
  return values.reduce((sum, v) => sum + v, 0) / values.length;
}

export function sampleSd(values: readonly number[]): number | null {
  if (values.length < 2) return null;
  const m = mean(values);
  return Math.sqrt(values.reduce((sum, v) => sum + (v - m) ** 2, 0) / (values.length - 1));
}

/**
 * The 95% percentile bootstrap interval of mean(a) − mean(b): each of the
 * resamples draws |a| values from a and |b| from b with replacement; the
 * bounds are the resampled differences at ranks round(0.025·(R−1)) and
 * round(0.975·(R−1)) in ascending order.
 */
export function bootstrapDifference(
  a: readonly number[],
  b: readonly number[],
  resamples = BOOTSTRAP_RESAMPLES,
  seed = BOOTSTRAP_SEED,
): Interval {
  const random = seededRandom(seed);
  const resampledMean = (values: readonly number[]): number => {
    let sum = 0;
    for (let i = 0; i < values.length; i++) sum += values[Math.floor(random() * values.length)]!;
    return sum / values.length;
  };
  const differences = Array.from({ length: resamples }, () => resampledMean(a) - resampledMean(b));
  differences.sort((x, y) => x - y);
  const at = (q: number): number => differences[Math.round(q * (resamples - 1))]!;
  return { low: at(0.025), high: at(0.975) };
}

/** The tables of the report, spaces in first-seen order, budgets by cost then size, λ grids last. */
export function reportTables(rows: readonly ReportRow[]): ReportTable[] {
  const groups = new Map<string, ReportRow[]>();
  for (const row of rows) {
    const id = JSON.stringify([row.space, row.budget, row.cost]);
    groups.set(id, [...(groups.get(id) ?? []), row]);
  }
  const spaces = [...new Set(rows.map((r) => r.space))];
  return [...groups.values()]
    .map(tableOf)
    .sort(
      (x, y) =>
        spaces.indexOf(x.space) - spaces.indexOf(y.space) ||
        Number(x.budget === null) - Number(y.budget === null) ||
        x.cost.localeCompare(y.cost) ||
        budgetSize(x.budget) - budgetSize(y.budget),
    );
}

function tableOf(rows: readonly ReportRow[]): ReportTable {
  const byMethod = new Map<string, ReportRow[]>();
  for (const row of rows) byMethod.set(row.method, [...(byMethod.get(row.method) ?? []), row]);
  const accuracies = (method: string): number[] => (byMethod.get(method) ?? []).map((r) => r.testAccuracy);
  const baselines = [...byMethod.keys()].filter((m) => byMethod.get(m)![0]!.family === "baseline");
  const best = baselines.reduce<string | null>(
    (top, m) => (top === null || mean(accuracies(m)) > mean(accuracies(top)) ? m : top),
    null,
  );
  const methods = [...byMethod.entries()].map(([method, group]): MethodStats => {
    const values = group.map((r) => r.testAccuracy);
    const compared = best !== null && method !== best;
    return {
      method,
      family: group[0]!.family,
      n: group.length,
      mean: mean(values),
      sd: sampleSd(values),
      params: mean(group.map((r) => r.params)),
      madds: mean(group.map((r) => r.madds)),
      difference: compared
        ? {
            mean: mean(values) - mean(accuracies(best)),
            interval: bootstrapDifference(values, accuracies(best)),
          }
        : null,
    };
  });
  const first = rows[0]!;
  return { space: first.space, budget: first.budget, cost: first.cost, baseline: best, methods };
}

const SUFFIX: Readonly<Record<string, number>> = { k: 1e3, M: 1e6, G: 1e9 };

function budgetSize(budget: string | null): number {
  const match = /=([0-9.]+)([kMG]?)$/.exec(budget ?? "");
  return match === null ? 0 : Number(match[1]) * (SUFFIX[match[2] ?? ""] ?? 1);
}

/** A λ grid's table, or random samples drawn without a budget (figs diff --trained), or both. */
function unbudgetedTitle(table: ReportTable): string {
  const grid = table.methods.some((m) => m.family === "lambda");
  const random = table.methods.some((m) => m.family !== "lambda");
  if (grid && random) return `λ grid and unconstrained samples, cost ${table.cost}`;
  return grid ? `λ grid, cost ${table.cost}` : "no budget";
}

/** report.md: a heading and a Markdown table per report table; accuracies in percent, differences in points. */
export function reportMarkdown(name: string, tables: readonly ReportTable[]): string {
  const lines = [`# Sweep ${name}`, ""];
  if (tables.length === 0) lines.push("No retraining has finished yet.", "");
  else lines.push(chartLinks(tables), "");
  for (const table of tables) {
    const title = table.budget !== null ? `budget ${table.budget}` : unbudgetedTitle(table);
    lines.push(`## ${table.space}: ${title}`, "");
    const against = table.baseline === null ? "(no baseline)" : `vs ${table.baseline} (95% CI)`;
    lines.push(`| method | n | accuracy % (mean ± sd) | params | madds | Δ accuracy ${against} |`);
    lines.push("|---|---:|---:|---:|---:|---:|");
    for (const m of table.methods) {
      const sd = m.sd === null ? "—" : percent(m.sd);
      const difference = m.difference === null ? (m.method === table.baseline ? "best baseline" : "—") : delta(m);
      const cells = [m.method, String(m.n), `${percent(m.mean)} ± ${sd}`, whole(m.params), whole(m.madds), difference];
      lines.push(`| ${cells.join(" | ")} |`);
    }
    lines.push("");
  }
  return lines.join("\n");
}

/** The charts written beside report.md: report.svg with any row, report-edf.svg from its threshold. */
function chartLinks(tables: readonly ReportTable[]): string {
  const edf = `, [complexity-normalised error EDFs](${REPORT_EDF_SVG})`;
  return `Charts: [accuracy against cost](${REPORT_SVG})${hasEdfChart(tables) ? edf : ""}.`;
}

/** `+1.20 [−0.30, +2.71]`: the difference of means and its interval, in percentage points. */
function delta(m: MethodStats): string {
  const { mean: difference, interval } = m.difference!;
  return `${signed(difference)} [${signed(interval.low)}, ${signed(interval.high)}]`;
}

function percent(fraction: number): string {
  return (100 * fraction).toFixed(2);
}

function signed(fraction: number): string {
  const text = percent(Math.abs(fraction));
  return fraction < 0 && text !== "0.00" ? `−${text}` : `+${text}`;
}

function whole(value: number): string {
  return Math.round(value).toLocaleString("en-US");
}

/** RFC 4180 CSV of the given columns; widths as `group:width` pairs separated by spaces. */
export function resultsCsv(rows: readonly Readonly<Record<string, unknown>>[], columns: readonly string[]): string {
  const cell = (value: unknown): string => {
    const text =
      value === null || value === undefined
        ? ""
        : typeof value === "object"
          ? Object.entries(value as Record<string, unknown>)
              .map(([k, v]) => `${k}:${String(v)}`)
              .join(" ")
          : String(value);
    return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  const lines = [columns.join(","), ...rows.map((row) => columns.map((c) => cell(row[c])).join(","))];
  return `${lines.join("\n")}\n`;
}
