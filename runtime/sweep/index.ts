/**
 * # runtime/sweep: many searches and retrainings from one experiment file
 *
 * Stages: read the experiment (experiment.ts: schema and rules) → expand it
 * into a DAG of jobs with keys (expand.ts, keys.ts) → open the sweep folder
 * under its lock and find which jobs are already done (store.ts) → run the
 * rest, `workers` at a time, each a `figs` child process (pool.ts) or, for
 * a job that trains nothing, in this process (in-process.ts) → write
 * results.jsonl, results.csv and report.md from every done job (report.ts).
 */
import { join } from "node:path";
import type { Diagnostic } from "../../diagnostics/diagnostic.js";
import { ok, type Result } from "../data/errors.js";
import { writeFileAtomic } from "../folders/index.js";
import { lockedBy } from "../folders/lock.js";
import { readExperiment, type ExperimentRead, type LoadedExperiment } from "./experiment.js";
import { expandExperiment, type Job } from "./expand.js";
import type { InProcessRunner } from "./in-process.js";
import { localExecutor, runPool, type Counts, type Executor, type PoolEvent, type PoolJobState } from "./pool.js";
import { reportMarkdown, reportTables, resultsCsv } from "./report.js";
import { renderReportSvg, REPORT_SVG } from "./report-chart.js";
import { renderReportEdfSvg, REPORT_EDF_SVG } from "./report-edf.js";
import { jobFolder, jobProcess, jobState, MAX_ATTEMPTS, openSweepFolder, type ResultRow } from "./store.js";

export { readExperiment, EXPERIMENT_SCHEMA, type Experiment, type LoadedExperiment } from "./experiment.js";
export { expandExperiment, type Job, type JobKind, type JobLabels } from "./expand.js";
export { canonicalJson, jobKey } from "./keys.js";
export {
  runPool,
  localExecutor,
  startJob,
  type Counts,
  type Executor,
  type PoolEvent,
  type PoolJobState,
} from "./pool.js";
export { bootstrapDifference, reportMarkdown, reportTables, type ReportTable } from "./report.js";
export { jobFolder, type ResultRow } from "./store.js";
export { IN_PROCESS_KINDS, type InProcessRunner, type JobLog } from "./in-process.js";

export const RESULTS_JSONL = "results.jsonl";
export const RESULTS_CSV = "results.csv";
export const REPORT_MD = "report.md";
export { REPORT_SVG, chartPoints } from "./report-chart.js";
export { REPORT_EDF_SVG, sweepEdfPanels } from "./report-edf.js";

/** The columns of results.csv, in order. */
export const CSV_COLUMNS = [
  "sweep",
  "space",
  "budget",
  "cost",
  "method",
  "family",
  "lambda",
  "searchSeed",
  "retrainSeed",
  "testAccuracy",
  "testImages",
  "params",
  "madds",
  "seconds",
  "key",
  "archKey",
  "widths",
] as const;

export interface SweepPlan {
  readonly file: string;
  readonly loaded: LoadedExperiment;
  readonly jobs: readonly Job[];
}

/** Reads the experiment and expands it; a bad experiment is its diagnostics (with the source for their lines). */
export function planSweep(file: string): { read: ExperimentRead; plan?: SweepPlan } {
  const read = readExperiment(file);
  if (!read.ok) return { read };
  return { read, plan: { file, loaded: read.value, jobs: expandExperiment(read.value) } };
}

export interface SweepRunOptions {
  readonly dir: string;
  readonly workers: number;
  /** How to start `figs` for a job: the program and the arguments before the command. */
  readonly figs: readonly [string, ...string[]];
  readonly onEvent: (event: PoolEvent) => void;
  /** Aborting stops the running jobs; they run again on the next sweep. */
  readonly signal?: AbortSignal;
  /** Runs the scale and sample jobs in this process (in-process.ts), when the jobs run here (no queue). */
  readonly inProcess?: InProcessRunner;
  /** A Redis URL: the jobs go to the sweep's BullMQ queue, run by `figs worker`s (queue.ts), not by children. */
  readonly queue?: string;
  /** Notes while the sweep runs (the queue's connection lost and back). */
  readonly onNotice?: (diagnostic: Diagnostic) => void;
}

export interface SweepOutcome {
  readonly states: ReadonlyMap<string, PoolJobState>;
  readonly counts: Counts;
  readonly rows: readonly ResultRow[];
  /** Notes (a stale lock taken over) and the failed writes that stopped the sweep. */
  readonly diagnostics: readonly Diagnostic[];
}

/** Runs every job of the plan not done yet, then writes the results; refused while another sweep has the folder. */
export async function runSweep(plan: SweepPlan, options: SweepRunOptions): Promise<Result<SweepOutcome>> {
  const name = plan.loaded.experiment.name;
  const opened = await openExecutor(options, name);
  if (!opened.ok) return opened;
  const { executor, close } = opened.value;
  const lock = openSweepFolder(options.dir, plan.file, name);
  if (!lock.ok) {
    await close();
    return lock;
  }
  try {
    options.signal?.addEventListener("abort", () => executor.cancel(), { once: true });
    const initial = new Map(plan.jobs.map((job) => [job.key, startingState(options.dir, job)]));
    const { workers, onEvent, signal } = options;
    const pool = await runPool(plan.jobs, { workers, executor, initial, onEvent, ...(signal ? { signal } : {}) });
    const rows = doneRows(options.dir, plan.jobs);
    const written = await writeResultsAndChart(options.dir, name, rows);
    const diagnostics = [...lock.value.notes, ...pool.diagnostics, ...(written.ok ? [] : [written.diagnostic])];
    return ok({ states: pool.states, counts: countStates(pool.states), rows, diagnostics });
  } finally {
    await close();
    lock.value.release();
  }
}

/** The local executor, or the queue's (Redis checked first: unreachable, it is an error). */
async function openExecutor(
  options: SweepRunOptions,
  name: string,
): Promise<Result<{ executor: Executor; close: () => Promise<void> }>> {
  if (options.queue === undefined) {
    const { dir, figs, inProcess } = options;
    const executor = localExecutor({ dir, sweep: name, figs, ...(inProcess === undefined ? {} : { inProcess }) });
    return ok({ executor, close: () => Promise.resolve() });
  }
  // Loaded only for a queue: a local sweep does not load BullMQ.
  const { openQueueExecutor } = await import("./queue.js");
  const onNotice = options.onNotice ?? ((): void => undefined);
  const opened = await openQueueExecutor({ url: options.queue, dir: options.dir, sweep: name, onNotice });
  if (!opened.ok) return opened;
  return ok({ executor: opened.value, close: () => opened.value.close() });
}

/** Done and failed jobs stay so; a job that crashed is run again until it has crashed MAX_ATTEMPTS times. */
function startingState(dir: string, job: Job): PoolJobState {
  const state = jobState(dir, job.key);
  if (state.state === "done" || state.state === "failed") return state.state;
  return state.state === "crashed" && state.attempts >= MAX_ATTEMPTS ? "crashed" : "pending";
}

function countStates(states: ReadonlyMap<string, PoolJobState>): Counts {
  const all = [...states.values()];
  const done = all.filter((s) => s === "done").length;
  const failed = all.filter((s) => s === "failed" || s === "crashed" || s === "blocked").length;
  const running = all.filter((s) => s === "running").length;
  return { total: all.length, done, failed, running, pending: all.length - done - failed - running };
}

/** The result rows of the plan's finished retrainings, in expansion order. */
export function doneRows(dir: string, jobs: readonly Job[]): ResultRow[] {
  return jobs.flatMap((job) => {
    const state = jobState(dir, job.key);
    return state.state === "done" && state.record.row !== undefined ? [state.record.row] : [];
  });
}

/** writeResults, then report.svg (report-chart.ts) and report-edf.svg (report-edf.ts) when they have rows to draw. */
async function writeResultsAndChart(dir: string, name: string, rows: readonly ResultRow[]): Promise<Result<void>> {
  const written = writeResults(dir, name, rows);
  if (!written.ok) return written;
  const charts: [string, string | undefined][] = [
    [REPORT_SVG, await renderReportSvg(name, rows)],
    [REPORT_EDF_SVG, await renderReportEdfSvg(name, rows)],
  ];
  for (const [file, svg] of charts) {
    const chart = svg === undefined ? ok(undefined) : writeFileAtomic(join(dir, file), svg);
    if (!chart.ok) return chart;
  }
  return ok(undefined);
}

export function writeResults(dir: string, name: string, rows: readonly ResultRow[]): Result<void> {
  const files: [string, string][] = [
    [RESULTS_JSONL, rows.map((row) => `${JSON.stringify(row)}\n`).join("")],
    [RESULTS_CSV, resultsCsv(rows as unknown as Record<string, unknown>[], CSV_COLUMNS)],
    [REPORT_MD, reportMarkdown(name, reportTables(rows))],
  ];
  for (const [file, text] of files) {
    const written = writeFileAtomic(join(dir, file), text);
    if (!written.ok) return written;
  }
  return ok(undefined);
}

/** A job's state as `--status` tells it: an unfinished job is running while its child process runs. */
export type StatusState = "done" | "failed" | "crashed" | "running" | "interrupted" | "pending";

export interface SweepStatus {
  /** Who holds the folder's lock (a sweep runs now), or undefined. */
  readonly runningSweep: string | undefined;
  readonly jobs: readonly { readonly job: Job; readonly state: StatusState; readonly detail: string }[];
}

/** The state of every job of the plan in `dir`, reading only. */
export function sweepStatus(plan: SweepPlan, dir: string): SweepStatus {
  const runningSweep = lockedBy(dir);
  const jobs = plan.jobs.map((job) => {
    const state = jobState(dir, job.key);
    switch (state.state) {
      case "done":
        return { job, state: "done" as const, detail: `${state.record.seconds.toFixed(1)}s` };
      case "failed":
        return { job, state: "failed" as const, detail: state.reason };
      case "crashed":
        return { job, state: "crashed" as const, detail: `${state.attempts}× ${state.reason}` };
      case "partial": {
        const pid = jobProcess(jobFolder(dir, job.key));
        return pid === undefined
          ? { job, state: "interrupted" as const, detail: "" }
          : { job, state: "running" as const, detail: `process ${pid}` };
      }
      case "absent":
        return { job, state: "pending" as const, detail: "" };
    }
  });
  return { runningSweep, jobs };
}
