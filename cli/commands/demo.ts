/**
 * `figs demo`: the README's main command. Search, export and retrain of the
 * small MNIST space (spaces/mnist_convnet.figs at width 16, hidden 64) on the
 * embedded MNIST, and beside it the width-multiplier baseline at the found
 * architecture's parameters, retrained the same way; sized to finish in a few
 * minutes on a 2-core machine. It prints both architectures' params, madds
 * and test accuracy.
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { packageRoot } from "../../compiler/index.js";
import { readArch, type ArchJson } from "../../runtime/export/arch-json.js";
import { uniformBaselineAtBudget, writeBaseline } from "../../runtime/baselines/index.js";
import { compileFromArgs } from "../compile-args.js";
import { readRetrainResult, type RetrainResult } from "../../runtime/retrain/result.js";
import { booleanOption, ExitCode, stringOption, type Command, type ParsedArgs } from "../command.js";
import type { CliIo } from "../io.js";
import { duration } from "../progress.js";
import { report, reporterFor } from "../report.js";
import { BACKEND_OPTIONS } from "../run-common.js";
import { DEFAULT_RETRAIN } from "../../runtime/retrain/index.js";
import { STOPPED_EXIT } from "../runs/training.js";
import { runSideBySide } from "../side-by-side.js";
import { figsLauncher } from "../sweep-jobs.js";
import { runSearchCommand } from "../runs/search.js";
import { LAZY_SUMMARIES } from "./summaries.js";

export const DEMO = {
  space: "spaces/mnist_convnet.figs",
  set: ["width=16", "hidden=64"],
  target: "params=40k",
  /** The search sees 10,000 training images; each retraining all 60,000, twice. */
  searchLimit: "10000",
  searchSteps: "300",
  retrainEpochs: "2",
  trainImages: 60_000,
  /** Threads of each run when --threads is not given: one, so a run repeats bit for bit. */
  threads: "1",
} as const;

export const demoCommand: Command = {
  name: "demo",
  summary: LAZY_SUMMARIES.demo,
  usage: "[--out DIR] [--backend NAME]",
  description: [
    `Runs figs search ${DEMO.space} --set ${DEMO.set.join(",")} --target ${DEMO.target} ` +
      `--limit ${DEMO.searchLimit} --steps ${DEMO.searchSteps},`,
    "then exports the width-multiplier baseline at the found architecture's params (figs scale --target), and",
    `retrains both for ${DEMO.retrainEpochs} epochs of all 60,000 training images, side by side (two figs retrain`,
    "processes, their output in retrain.log and baseline-retrain.log). Prints both architectures' params, madds and",
    "test accuracy. Output goes to a new directory (--out, or a temporary one). --threads sets each run's threads",
    `(default ${DEMO.threads}: every run repeats bit for bit).`,
    "",
    "Exit status: 0 done, 1 bad input (e.g. --out exists, an unknown --backend), 2 internal error,",
    "130 stopped by a signal.",
  ].join("\n"),
  options: {
    out: {
      type: "string",
      short: "o",
      valueName: "DIR",
      description: "where to put the search and retrain directories (must not exist)",
    },
    ...BACKEND_OPTIONS,
  },
  examples: [
    {
      command: "figs demo",
      says: "searches, exports and retrains in a temporary directory; prints params, madds and test accuracy",
    },
    {
      command: "figs demo --out demo-run --backend wasm",
      says: "the same on the wasm backend, keeping demo-run/search and demo-run/retrain",
    },
  ],
  run: runDemo,
};

async function runDemo(args: ParsedArgs, io: CliIo): Promise<number> {
  const started = Date.now();
  const out = stringOption(args, "out");
  const root = out === undefined ? mkdtempSync(join(tmpdir(), "figs-demo-")) : resolve(io.cwd, out);
  const backend = stringOption(args, "backend");
  const threads = stringOption(args, "threads") ?? DEMO.threads;
  const common = {
    // Its diagnostics are the search's and the retraining's: --json reaches them.
    ...(booleanOption(args, "json") ? { json: true } : {}),
    ...(backend === undefined ? {} : { backend }),
    threads,
  };
  const space = relative(io.cwd, join(packageRoot(), DEMO.space)) || DEMO.space;
  const searchArgs = {
    positionals: [space],
    values: {
      ...common,
      set: [...DEMO.set],
      target: DEMO.target,
      limit: DEMO.searchLimit,
      steps: DEMO.searchSteps,
      out: join(root, "search"),
    },
  };
  const searched = await runSearchCommand(searchArgs, io);
  if (searched !== ExitCode.Ok) return searched;
  const arch = join(root, "search", "export", "arch.json");
  const to = reporterFor(io, "demo", args);
  const found = readArch(arch);
  if (!found.arch) return report(to, found.diagnostics);
  const baseline = await exportBaseline(io, space, found.arch.costs.torch.params, join(root, "baseline"));
  if (baseline !== ExitCode.Ok) return baseline;
  const runs = [
    { arch, out: join(root, "retrain") },
    { arch: join(root, "baseline", "arch.json"), out: join(root, "baseline-retrain") },
  ];
  const retrained = await retrainSideBySide(io, runs, common);
  if (retrained !== ExitCode.Ok) return retrained;
  const rows: SummaryRow[] = [];
  for (const [name, run] of [["FiGS search", runs[0]!] as const, ["width ×", runs[1]!] as const]) {
    const exported = readArch(run.arch);
    const result = readRetrainResult(run.out);
    if (!exported.arch) return report(to, exported.diagnostics);
    if (!result.ok) return report(to, [result.diagnostic]);
    const multiplier = exported.arch.search?.["multiplier"];
    const label = typeof multiplier === "number" ? `${name}${multiplier} (multiplier)` : name;
    rows.push({ name: label, arch: exported.arch, result: result.value });
  }
  io.stdout.write(summary(root, rows, Date.now() - started));
  return ExitCode.Ok;
}

/** Both retrainings at once, a `figs retrain` child each; a failed one's log tail is shown. */
async function retrainSideBySide(
  io: CliIo,
  runs: readonly { arch: string; out: string }[],
  common: { json?: boolean; backend?: string; threads: string },
): Promise<number> {
  const steps = Number(DEMO.retrainEpochs) * Math.floor(DEMO.trainImages / DEFAULT_RETRAIN.batchSize);
  const shared = [
    ...["--epochs", DEMO.retrainEpochs, "--threads", common.threads],
    ...(common.backend === undefined ? [] : ["--backend", common.backend]),
    ...(common.json === true ? ["--json"] : []),
  ];
  const children = runs.map((run) => ({
    args: ["retrain", run.arch, ...shared, "--out", run.out],
    out: run.out,
    log: `${run.out}.log`,
    steps,
  }));
  io.stderr.write(`retraining both side by side: ${children.map((child) => child.log).join(", ")}\n`);
  const ending = await runSideBySide(io, children, { figs: figsLauncher(), label: "retrain ×2" });
  if (ending.stopped) return STOPPED_EXIT;
  const failed = ending.exitCodes.findIndex((code) => code !== ExitCode.Ok);
  if (failed < 0) return ExitCode.Ok;
  const log = children[failed]!.log;
  io.stderr.write(`figs retrain of ${runs[failed]!.arch} failed; the end of ${log}:\n${tail(log, 20)}`);
  return ending.exitCodes[failed]!;
}

/** The last `lines` lines of a text file ("" when it cannot be read). */
function tail(file: string, lines: number): string {
  try {
    return readFileSync(file, "utf8")
      .split("\n")
      .slice(-lines - 1)
      .join("\n");
  } catch {
    return "";
  }
}

/** The width multiplier whose export is closest to `params` (figs scale --target), exported to `out`. */
async function exportBaseline(io: CliIo, space: string, params: number, out: string): Promise<number> {
  const args = { positionals: [space], values: { set: [...DEMO.set] } };
  const compiled = await compileFromArgs(args, io, "demo", { absolute: true });
  if (!compiled.ok) return compiled.exit;
  const ir = compiled.result.ir!;
  const { architecture } = uniformBaselineAtBudget(ir, { metric: "params", target: params, tolerance: 0.05 });
  const written = await writeBaseline(ir, architecture, { outDir: out });
  if (written.diagnostics.length === 0) return ExitCode.Ok;
  return report(reporterFor(io, "demo", args), written.diagnostics);
}

interface SummaryRow {
  readonly name: string;
  readonly arch: ArchJson;
  readonly result: RetrainResult;
}

function summary(root: string, rows: readonly SummaryRow[], elapsed: number): string {
  const table = [
    ["", "params", "madds", "test accuracy"],
    ...rows.map(({ name, arch, result }) => [
      name,
      arch.costs.torch.params.toLocaleString("en-US"),
      arch.costs.torch.madds.toLocaleString("en-US"),
      `${(100 * result.testAccuracy).toFixed(2)}%`,
    ]),
  ];
  const widths = table[0]!.map((_, column) => Math.max(...table.map((row) => row[column]!.length)));
  const line = (row: readonly string[]): string =>
    "  " + row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join("  ");
  const images = rows[0]?.result.testImages ?? 0;
  return [
    "",
    `demo: FiGS (target ${DEMO.target}) beside the width multiplier at the same params, both retrained`,
    `      ${DEMO.retrainEpochs} epochs of the 60,000 MNIST training images; torch convention, ` +
      `test accuracy on ${images} test images`,
    ...table.map(line),
    `      in ${duration(elapsed)}; files in ${root}`,
    "",
  ].join("\n");
}
