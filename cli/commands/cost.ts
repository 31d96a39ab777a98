/**
 * `figs cost FILE [--by LEVEL] [--formula] [--widths ARCH.json] [--convention torch|keras[,conv-bias]] [--json]`:
 * the space's params / madds / flops at full width or at given widths, a
 * breakdown by hierarchy level, and the cost polynomials in readable form.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { codeOf } from "../../diagnostics/codes.js";
import { fileError, type Diagnostic } from "../../diagnostics/diagnostic.js";
import { failed, ok, type Result } from "../../diagnostics/result.js";
import {
  BREAKDOWN_LEVELS,
  costBreakdown,
  CostModel,
  costOfSpace,
  conventionName,
  exactJson,
  exactTotals,
  formatCount,
  formatPolynomial,
  fullWidths,
  irContents,
  irCostOptions,
  readIr,
  sizesAt,
  type BreakdownLevel,
  type BreakdownRow,
  type CompileStages,
  type CostOptions,
  type CostTotals,
  type ExactTotals,
  type MaskGroup,
} from "../../compiler/index.js";
import {
  booleanOption,
  ExitCode,
  stringOption,
  stringOptions,
  usageProblem,
  type Command,
  type ParsedArgs,
} from "../command.js";
import { compileFromArgs, parseConvention, SPACE_OPTIONS } from "../compile-args.js";
import type { CliIo } from "../io.js";
import { reporterFor, reportFiles, reportUsage, type Reporter } from "../report.js";

export const costCommand: Command = {
  name: "cost",
  summary: "print a space's cost: totals, a breakdown and the cost formula",
  usage:
    "FILE|IR.json [--by space|cell|block|op] [--formula] [--widths ARCH.json] " +
    "[--convention torch|keras[,conv-bias]] [--json]",
  description: [
    "Compiles the space in FILE and prints its parameters, multiply-adds (conv,",
    "dwconv and dense) and flops (2·madds) at full width, or at the widths in",
    'ARCH.json: an arch.json from \'figs export\', or {"widths": {"<group name>": n, …}}',
    "(or that object alone, or a list by group id); groups it does not name stay at full width. The breakdown sums",
    "the cost per instance of a hierarchy level; --formula prints the polynomials",
    "over the group sizes S[group] (docs/costs.md). FILE may also be an IR written",
    "by 'figs compile -o' (a .json file): its stored costs must agree with its graph,",
    "--convention defaults to the one it was compiled with, and --space and --set",
    "are usage errors (the IR is compiled already).",
    "",
    "Exit status: 0 printed, 1 the space or ARCH.json has errors or an option is wrong",
    "(printed to stderr), 2 internal error.",
  ].join("\n"),
  options: {
    ...SPACE_OPTIONS,
    by: { type: "string", valueName: "LEVEL", description: "breakdown level: space, cell (default), block or op" },
    formula: { type: "boolean", description: "also print the cost polynomials" },
    widths: {
      type: "string",
      valueName: "ARCH.json",
      description: "evaluate at these group widths instead of full width",
    },
    json: { type: "boolean", description: "print the report as JSON" },
  },
  examples: [
    {
      command: "figs cost examples/mbconv.figs",
      says: "prints params, madds and flops at full width, and their breakdown by cell",
    },
    {
      command: "figs cost spaces/mobilenet_v2.figs --by block --convention keras",
      says: "breaks the cost down by block, counting batch norms as keras does (4·C)",
    },
    {
      command: "figs cost spaces/mnist_convnet.figs --widths mnist_convnet-x0.5/arch.json",
      says:
        "the cost at the widths of an export " +
        "(here the one 'figs scale spaces/mnist_convnet.figs --width 0.5' writes)",
    },
  ],
  run: runCost,
};

async function runCost(args: ParsedArgs, io: CliIo): Promise<number> {
  const reporter = reporterFor(io, "cost", args);
  const level = stringOption(args, "by") ?? "cell";
  if (!isLevel(level)) {
    const message = `--by must be one of ${BREAKDOWN_LEVELS.join(", ")}, not '${level}'`;
    return reportUsage(reporter, usageProblem("InvalidOption", message));
  }
  const compiled = await stagesFor(args, io, reporter);
  if (!compiled.ok) return compiled.exit;
  const { plan } = compiled.stages;
  const widthsPath = stringOption(args, "widths");
  const widths =
    widthsPath === undefined
      ? { widths: fullWidths(plan.groups), diagnostics: [] }
      : readWidths(resolve(io.cwd, widthsPath), widthsPath, plan.groups);
  if (!widths.widths) {
    return reportFiles(reporter, [{ path: widthsPath ?? compiled.path, diagnostics: widths.diagnostics }], new Map());
  }
  const report = costReport(compiled.stages, level, widths.widths, {
    at: widthsPath ?? "full width",
    formula: booleanOption(args, "formula"),
  });
  io.stdout.write(
    booleanOption(args, "json") ? JSON.stringify(reportJson(report), null, 2) + "\n" : formatReport(report),
  );
  return ExitCode.Ok;
}

function isLevel(level: string): level is BreakdownLevel {
  return (BREAKDOWN_LEVELS as readonly string[]).includes(level);
}

function costReport(
  stages: CompileStages,
  level: BreakdownLevel,
  widths: Float64Array,
  shown: { at: string; formula: boolean },
): CostReport {
  const { graph, plan, cost } = stages;
  const model = new CostModel(plan.groups, cost);
  const formula = (): CostReport["formula"] => ({
    params: formatPolynomial("params", cost.params, plan.groups, plan.gated),
    madds: formatPolynomial("madds", cost.madds, plan.groups, plan.gated),
  });
  const totals = model.atWidths(widths);
  return {
    space: graph.space,
    convention: conventionName(cost.options),
    at: shown.at,
    totals,
    exact: exactTotals(cost, totals, sizesAt(plan.groups, widths, plan.gated)),
    groups: {
      total: plan.groups.length,
      searchable: plan.groups.filter((g) => g.searchable).length,
      maskVariables: model.pi.length,
    },
    level,
    breakdown: costBreakdown(graph, cost, level, widths),
    ...(shown.formula ? { formula: formula() } : {}),
  };
}

type Stages =
  | { readonly ok: true; readonly stages: CompileStages; readonly path: string }
  | { readonly ok: false; readonly exit: number };

/** FILE is a .figs space to compile, or an IR file (`*.json`) from `figs compile -o`. */
async function stagesFor(args: ParsedArgs, io: CliIo, reporter: Reporter): Promise<Stages> {
  const path = args.positionals[0];
  if (path === undefined || !path.endsWith(".json")) {
    const compiled = await compileFromArgs(args, io, "cost", { until: "costs" });
    return compiled.ok ? { ok: true, stages: compiled.result.stages!, path: compiled.path } : compiled;
  }
  const checked = irOptions(args, path);
  if (!checked.ok) return { ok: false, exit: reportUsage(reporter, checked.diagnostic) };
  const options = checked.value;
  const read = readIr(resolve(io.cwd, path), path);
  if (!read.ir) {
    const sources = new Map([[read.source.path, read.source]]);
    return { ok: false, exit: reportFiles(reporter, [{ path, diagnostics: read.diagnostics }], sources) };
  }
  // Reading recomputed the costs with the IR's conventions; only other ones need them again.
  if (options === undefined && read.recomputed) return { ok: true, stages: read.recomputed, path };
  const { graph, plan } = irContents(read.ir);
  return { ok: true, stages: { graph, plan, cost: costOfSpace(graph, plan, options ?? irCostOptions(read.ir)) }, path };
}

/**
 * The options that still apply to an IR: --convention (undefined: the IR's
 * own). --space and --set chose what was compiled; ignoring them would print
 * the cost of something the user did not ask for, so they are usage errors.
 */
function irOptions(args: ParsedArgs, path: string): Result<CostOptions | undefined> {
  const given = [
    ...(stringOption(args, "space") !== undefined ? ["--space"] : []),
    ...(stringOptions(args, "set").length > 0 || args.positionals.length > 1 ? ["--set"] : []),
  ];
  if (given.length > 0) {
    const options = given.join(" and ");
    const again = `figs compile FILE ${options === "--space" ? "--space NAME" : "--set NAME=VALUE"} -o IR.json`;
    const message =
      `${options} cannot apply to ${path}: it is an IR, compiled already; ` +
      `compile the space again with ${options} ('${again}') or give 'figs cost' the .figs file`;
    return failed(usageProblem("ConflictingOptions", message));
  }
  const convention = stringOption(args, "convention");
  return convention === undefined ? ok(undefined) : parseConvention(convention);
}

interface CostReport {
  readonly space: string;
  readonly convention: string;
  readonly at: string;
  readonly totals: CostTotals;
  /** Totals past 2^53: exact bigints, or listed as rounded (compiler/cost/exact.ts). */
  readonly exact: ExactTotals;
  readonly groups: { readonly total: number; readonly searchable: number; readonly maskVariables: number };
  readonly level: BreakdownLevel;
  readonly breakdown: readonly BreakdownRow[];
  readonly formula?: { readonly params: string; readonly madds: string };
}

/**
 * The JSON form. Totals stay JSON numbers; those past 2^53 (which a double
 * cannot hold exactly) also appear as strings of digits under `exact`, and
 * any that could not be computed exactly are named in `rounded` (docs/costs.md).
 */
function reportJson(report: CostReport): object {
  const { exact, breakdown, totals: _totals, ...rest } = report;
  const totals = {
    ...report.totals,
    ...(Object.keys(exact.exact).length > 0 ? { exact: exactJson(exact.exact) } : {}),
    ...(exact.rounded.length > 0 ? { rounded: exact.rounded } : {}),
  };
  const rows = breakdown.map(({ exact: rowExact, ...row }) =>
    rowExact ? { ...row, exact: exactJson(rowExact) } : row,
  );
  const { space, convention, at, groups, level, formula } = rest;
  return { space, convention, at, totals, groups, level, breakdown: rows, ...(formula ? { formula } : {}) };
}

function formatReport(report: CostReport): string {
  const { totals, groups, exact } = report;
  const lines = [
    `space ${report.space} at ${report.at} (${report.convention} convention)`,
    `  params  ${formatCount(totals.params, exact.exact.params)}`,
    `  madds   ${formatCount(totals.madds, exact.exact.madds)}`,
    `  flops   ${formatCount(totals.flops, exact.exact.flops)}`,
    `  groups  ${groups.total} (${groups.searchable} searchable, ${groups.maskVariables} mask variables)`,
    "",
    ...formatTable(report.level, report.breakdown),
  ];
  if (lines.some((line) => line.includes("≈")))
    lines.push("", "≈: past 2^53 and not an integer polynomial (grouped convs): rounded to the nearest double");
  if (report.formula) lines.push("", report.formula.params, "", report.formula.madds);
  return lines.join("\n") + "\n";
}

function formatTable(level: BreakdownLevel, rows: readonly BreakdownRow[]): string[] {
  const cells = [
    [`by ${level}`, "definition", "params", "madds"],
    ...rows.map((r) => [
      r.path,
      r.definition,
      formatCount(r.params, r.exact?.params),
      formatCount(r.madds, r.exact?.madds),
    ]),
  ];
  const widths = [0, 1, 2, 3].map((c) => Math.max(...cells.map((row) => (row[c] ?? "").length)));
  return cells.map((row) =>
    row
      .map((cell, c) => (c >= 2 ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!)))
      .join("  ")
      .trimEnd(),
  );
}

type WidthsRead = { readonly widths?: Float64Array; readonly diagnostics: Diagnostic[] };

/** Widths by group name (or `g<id>`), or a list by group id; each an integer in 0..size. */
export function readWidths(absolutePath: string, shownPath: string, groups: readonly MaskGroup[]): WidthsRead {
  const fail = (kind: "InvalidJson" | "InvalidWidths" | "FileNotFound", message: string): WidthsRead => ({
    diagnostics: [fileError(codeOf(kind), message, shownPath)],
  });
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(absolutePath, "utf8"));
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    return fail(
      cause instanceof SyntaxError ? "InvalidJson" : "FileNotFound",
      `cannot read widths from ${shownPath}: ${reason}`,
    );
  }
  const table = typeof value === "object" && value !== null && "widths" in value ? value.widths : value;
  const entries = widthEntries(table);
  if (entries.length === 0)
    return fail("InvalidWidths", `${shownPath} holds no widths: expected {"widths": {"<group>": n, …}}`);
  const widths = Float64Array.from(groups, (g) => g.size);
  // By name in one map: a widths file naming 100,000 groups must not search them all for each.
  const byName = new Map<string, MaskGroup>();
  for (const g of groups) if (!byName.has(g.name)) byName.set(g.name, g);
  for (const [key, width] of entries) {
    const group = byName.get(key) ?? groups[/^g(\d+)$/.test(key) ? Number(key.slice(1)) : -1];
    if (!group) return fail("InvalidWidths", `${shownPath} names group '${key}', which this space does not have`);
    if (typeof width !== "number" || !Number.isInteger(width) || width < 0 || width > group.size) {
      return fail(
        "InvalidWidths",
        `${shownPath}: the width of group '${group.name}' must be an integer from 0 to ${group.size}, ` +
          `not ${JSON.stringify(width)}`,
      );
    }
    if (!group.searchable && width !== group.size) {
      return fail(
        "InvalidWidths",
        `${shownPath}: group '${group.name}' has no masks (input image or fixed), so its width stays ${group.size}`,
      );
    }
    widths[group.id] = width;
  }
  return { widths, diagnostics: [] };
}

/**
 * `{name: n}`, `[n, …]` by group id, or arch.json's `[{group, name, width}, …]`
 * (runtime/export) → [group key, width] pairs; keys are names or `g<id>`.
 */
function widthEntries(table: unknown): [string, unknown][] {
  if (Array.isArray(table)) {
    return table.map((item: unknown, index) => {
      if (typeof item !== "object" || item === null || !("width" in item)) return [`g${index}`, item];
      const group = "group" in item && typeof item.group === "number" ? item.group : index;
      return [`g${group}`, item.width];
    });
  }
  return typeof table === "object" && table !== null ? Object.entries(table) : [];
}
