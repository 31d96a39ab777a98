/**
 * `figs diff --trained A.figs B.figs … --data DATA [--n N] [--steps S | --epochs E] …`:
 * N random sub-architectures of each space trained with a short schedule, as
 * the jobs of a figs sweep (method random, no budget: `figs sample --n 1`,
 * then `figs retrain`), then their errors compared (runtime/sweep/edf.ts).
 */
import { availableParallelism } from "node:os";
import { join, resolve } from "node:path";
import { SourceFile } from "../../diagnostics/source.js";
import { ok, type Result } from "../../diagnostics/result.js";
import { compareTrained, type TrainedComparison } from "../../runtime/sweep/edf.js";
import { checkExperiment, EXPERIMENT_FORMAT, type Experiment } from "../../runtime/sweep/experiment.js";
import { expandExperiment, type PoolEvent, type ResultRow, type SweepPlan } from "../../runtime/sweep/index.js";
import { writeFileAtomic } from "../../runtime/folders/index.js";
import { DEFAULT_DIFF_OPTIONS } from "../../compiler/index.js";
import { parseAssignments } from "../compile-args.js";
import {
  booleanOption,
  ExitCode,
  invalidOption,
  stringOption,
  stringOptions,
  usageProblem,
  type ParsedArgs,
} from "../command.js";
import type { CliIo } from "../io.js";
import { plural, report, reporterFor, reportUsage } from "../report.js";
import { STOPPED_EXIT } from "../runs/training.js";
import {
  compileSpace,
  integerOption,
  overridesPerFile,
  probabilityOption,
  uniqueLabel,
  writeText,
} from "../diff-shared.js";
import { describeJob, runSweepUntilStopped } from "../sweep-jobs.js";

export const DEFAULT_TRAINED = { n: 20, steps: 100, limit: 10_000, out: "diff-trained" } as const;
export const EXPERIMENT_FILE = "experiment.json";

interface TrainedInvocation {
  readonly experiment: Experiment;
  /** The files as given, for labels. */
  readonly files: readonly string[];
  readonly dir: string;
  readonly workers: number;
  readonly queue: string | undefined;
  readonly bins: number | undefined;
  readonly seed: number;
}

export async function runTrainedDiff(args: ParsedArgs, io: CliIo): Promise<number> {
  const reporter = reporterFor(io, "diff", args);
  const invoked = trainedInvocation(args, io.cwd);
  if (!invoked.ok) return reportUsage(reporter, invoked.diagnostic);
  const call = invoked.value;
  const labels: { label: string }[] = [];
  for (const [index, space] of call.experiment.spaces.entries()) {
    const set = parseAssignments([...(space.set ?? [])]);
    const compiled = await compileSpace(io, reporter, space.file, set.ok ? set.value : {});
    if (typeof compiled === "number") return compiled;
    labels.push({ label: uniqueLabel(compiled.space, call.files[index]!, labels) });
  }
  const experiment = {
    ...call.experiment,
    spaces: call.experiment.spaces.map((s, i) => ({ ...s, label: labels[i]!.label })),
  };
  const file = join(call.dir, EXPERIMENT_FILE);
  const text = `${JSON.stringify(experiment, null, 2)}\n`;
  const read = checkExperiment(JSON.parse(text), new SourceFile(file, text));
  if (!read.ok) return report(reporter, read.diagnostics);
  const plan: SweepPlan = { file, loaded: read.value, jobs: expandExperiment(read.value) };
  const ran = await runJobs(io, reporter, plan, call);
  if (typeof ran === "number") return ran;
  const written = writeFileAtomic(file, text);
  if (!written.ok) return report(reporter, [written.diagnostic]);
  const spaces = read.value.spaces.map((s) => ({ label: s.label, rows: ran.rows.filter((r) => r.space === s.label) }));
  const compared = compareTrained(spaces, { seed: call.seed, ...(call.bins ? { bins: call.bins } : {}) });
  const { dataset, limit, testLimit } = experiment.data;
  const result = { dir: call.dir, dataset, n: experiment.seeds.search.length, ...experiment.retrain, limit, testLimit };
  const full = { ...result, testLimit: testLimit ?? null, failedJobs: ran.failed, ...compared };
  const svgPath = stringOption(args, "svg");
  if (svgPath !== undefined) {
    const { renderTrainedSvg } = await import("./chart.js");
    const problem = writeText(resolve(io.cwd, svgPath), await renderTrainedSvg(compared), svgPath);
    if (problem !== undefined) return report(reporter, [problem]);
  }
  io.stdout.write(booleanOption(args, "json") ? `${JSON.stringify(full, null, 2)}\n` : formatTrained(full));
  if (ran.stopped) return STOPPED_EXIT;
  return ran.failed > 0 ? ExitCode.UserError : ExitCode.Ok;
}

/** Runs the sweep's jobs not done yet, with a line per job on stderr; the exit code when it could not. */
async function runJobs(
  io: CliIo,
  reporter: ReturnType<typeof reporterFor>,
  plan: SweepPlan,
  call: TrainedInvocation,
): Promise<number | { rows: readonly ResultRow[]; failed: number; stopped: boolean }> {
  const where = call.queue === undefined ? `${call.workers} at a time` : `through the queue at ${call.queue}`;
  io.stderr.write(`diff --trained: ${plan.jobs.length} jobs, ${where}, in ${call.dir}\n`);
  const { dir, workers, queue } = call;
  const onEvent = (event: PoolEvent): void => void io.stderr.write(eventLine(event));
  const run = await runSweepUntilStopped(io, reporter, plan, { dir, workers, queue, onEvent });
  if (typeof run === "number") return run;
  return { rows: run.outcome.rows, failed: run.outcome.counts.failed, stopped: run.stopped };
}

function eventLine(event: PoolEvent): string {
  const time = new Date().toISOString().slice(11, 19);
  switch (event.type) {
    case "started":
      return `[${time}] started  ${describeJob(event.job)}\n`;
    case "ended":
      return `[${time}] ${event.state.padEnd(8)} ${describeJob(event.job)}  (${event.detail})\n`;
    case "progress": {
      const { done, total, failed, running } = event.counts;
      return `[${time}] ${done}/${total} done, ${running} running, ${failed} failed\n`;
    }
  }
}

/** The experiment the options describe: method random without budgets, N search seeds, one retraining each. */
function trainedInvocation(args: ParsedArgs, cwd: string): Result<TrainedInvocation> {
  const files = args.positionals.filter((p) => !p.includes("="));
  if (files.length < 2)
    return invalidOption("--trained compares two spaces or more: figs diff --trained A.figs B.figs … --data DATA");
  const setList = [...stringOptions(args, "set"), ...args.positionals.filter((p) => p.includes("="))];
  const sets = overridesPerFile(setList, files);
  if (!sets.ok) return sets;
  const data = stringOption(args, "data");
  if (data === undefined) return invalidOption("--trained needs --data (mnist, fashion-mnist, idx:DIR, cifar10:DIR)");
  if (!/^(mnist|fashion-mnist|idx:.+|cifar10:.+)$/.test(data))
    return invalidOption(`--data takes mnist, fashion-mnist, idx:DIR or cifar10:DIR, not '${data}'`);
  const colon = data.indexOf(":");
  const dataset = colon < 0 ? data : `${data.slice(0, colon + 1)}${resolve(cwd, data.slice(colon + 1))}`;
  const numbers: Record<string, number | undefined> = {};
  const limits: [string, number | undefined, number][] = [
    ["n", DEFAULT_TRAINED.n, 100_000],
    ["limit", DEFAULT_TRAINED.limit, 10_000_000],
    ["test-limit", undefined, 10_000_000],
    ["steps", undefined, 100_000_000],
    ["epochs", undefined, 100_000],
    ["bins", undefined, 1000],
  ];
  for (const [name, fallback, max] of limits) {
    const value =
      stringOption(args, name) === undefined ? ok(fallback) : integerOption(args, name, fallback ?? 1, 1, max);
    if (!value.ok) return value;
    numbers[name] = value.value;
  }
  if (numbers["steps"] !== undefined && numbers["epochs"] !== undefined)
    return { ok: false, diagnostic: usageProblem("ConflictingOptions", "--steps and --epochs: give one") };
  const seed = integerOption(args, "seed", DEFAULT_DIFF_OPTIONS.seed, 0, 2 ** 31);
  if (!seed.ok) return seed;
  const drop = probabilityOption(args, "drop", Number.NaN);
  if (!drop.ok) return drop;
  const queue = stringOption(args, "queue");
  const workers = integerOption(
    args,
    "workers",
    queue === undefined ? Math.max(1, availableParallelism()) : 256,
    1,
    256,
  );
  if (!workers.ok) return workers;
  const schedule =
    numbers["epochs"] !== undefined
      ? { epochs: numbers["epochs"] }
      : { steps: numbers["steps"] ?? DEFAULT_TRAINED.steps };
  const experiment: Experiment = {
    format: EXPERIMENT_FORMAT,
    version: 1,
    name: "diff-trained",
    spaces: files.map((file, index) => {
      const assignments = Object.entries(sets.value[index]!).map(([name, value]) => `${name}=${value}`);
      return { file: resolve(cwd, file), ...(assignments.length > 0 ? { set: assignments } : {}) };
    }),
    data: {
      dataset,
      limit: numbers["limit"]!,
      ...(numbers["test-limit"] !== undefined ? { testLimit: numbers["test-limit"] } : {}),
    },
    budgets: [],
    methods: [{ method: "random", ...(Number.isNaN(drop.value) ? {} : { drop: drop.value }) }],
    seeds: {
      search: Array.from({ length: numbers["n"]! }, (_, i) => seed.value + i),
      retrain: [seed.value],
    },
    search: schedule,
    retrain: schedule,
  };
  const dir = resolve(cwd, stringOption(args, "out") ?? DEFAULT_TRAINED.out);
  return ok({ experiment, files, dir, workers: workers.value, queue, bins: numbers["bins"], seed: seed.value });
}

type TrainedReport = TrainedComparison & {
  readonly dir: string;
  readonly dataset: string;
  readonly n: number;
  readonly steps?: number;
  readonly epochs?: number;
  readonly limit?: number;
  readonly testLimit: number | null;
  readonly failedJobs: number;
};

const fixed = (x: number | null | undefined, digits = 3): string =>
  x === null || x === undefined || Number.isNaN(x) ? "–" : x.toFixed(digits);
const compact = (x: number): string =>
  Number.isNaN(x) ? "–" : Intl.NumberFormat("en-US", { notation: "compact", maximumFractionDigits: 1 }).format(x);

/** The report as text: per space the errors and costs, then per cost the KS distances and the Pareto shares. */
export function formatTrained(r: TrainedReport): string {
  const schedule = r.epochs !== undefined ? `${r.epochs} epochs` : `${r.steps} steps`;
  const images = r.limit !== undefined ? ` on ${r.limit.toLocaleString("en-US")} images` : "";
  const lines = [
    `Trained comparison: ${r.spaces.length} spaces, ${r.n} random sub-architectures each, ` +
      `${r.dataset}, ${schedule}${images} (jobs in ${r.dir})`,
    "",
  ];
  const width = Math.max(5, ...r.spaces.map((s) => s.label.length)) + 2;
  lines.push(
    `${"space".padEnd(width)}models  error p5    p25    p50    p75    p95    params p50  madds p50`,
    ...r.spaces.map((s) => {
      const e = [s.error.p5, s.error.p25, s.error.p50, s.error.p75, s.error.p95].map((x) => fixed(x).padEnd(7));
      const costs = `${compact(s.params.p50).padEnd(12)}${compact(s.madds.p50)}`;
      return `${s.label.padEnd(width)}${String(s.models).padEnd(8)}${"".padEnd(6)}${e.join("")}${costs}`;
    }),
  );
  for (const cost of r.costs) {
    lines.push("", `Under ${cost.cost} (complexity-normalised EDFs, ${plural(r.bins, "bin")} of log ${cost.cost}):`);
    if (!cost.normalised)
      lines.push(`  no bin of ${cost.cost} holds models of every space: their ranges do not overlap`);
    const pairWidth = Math.max(10, ...cost.ks.map((k) => `${k.a} vs ${k.b}`.length)) + 2;
    lines.push(`  ${"KS distance".padEnd(pairWidth)}D      ${Math.round(r.bootstrap.level * 100)}% bootstrap interval`);
    for (const k of cost.ks) {
      const interval = k.low === null ? "–" : `[${fixed(k.low)}, ${fixed(k.high)}]`;
      const d = k.d === null ? "– (no common complexity bin)" : `${fixed(k.d).padEnd(7)}${interval}`;
      lines.push(`  ${`${k.a} vs ${k.b}`.padEnd(pairWidth)}${d}`);
    }
    const total = cost.pareto.reduce((sum, p) => sum + p.front, 0);
    const shares = cost.pareto.map((p) => `${p.space} ${p.front} (${Math.round(100 * p.share)}%)`);
    lines.push(`  Pareto front of error and ${cost.cost}: ${total} models: ${shares.join(", ")}`);
  }
  if (r.failedJobs > 0) lines.push("", `${r.failedJobs} jobs failed: see their log.txt in ${join(r.dir, "jobs")}`);
  return `${lines.join("\n")}\n`;
}
