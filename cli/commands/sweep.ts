/**
 * `figs sweep EXPERIMENT.json [--out DIR] [--workers N] [--status | --plan] [--json]`:
 * runs an experiment (spaces × budgets × methods × seeds, each search or
 * baseline then retrained) as jobs in `figs` child processes (or in this
 * process, for those that train nothing), resumably, and
 * writes results.jsonl, results.csv and report.md. The work is in
 * runtime/sweep; this file parses options and prints.
 */
import { availableParallelism } from "node:os";
import { join, resolve } from "node:path";
import {
  planSweep,
  REPORT_MD,
  sweepStatus,
  type Counts,
  type PoolEvent,
  type SweepPlan,
} from "../../runtime/sweep/index.js";
import { ok, type Result } from "../../diagnostics/result.js";
import { booleanOption, invalidOption, stringOption, usageProblem, type Command, type ParsedArgs } from "../command.js";
import { withJsonStdout, type CliIo } from "../io.js";
import { report, reporterFor, reportUsage } from "../report.js";
import { STOPPED_EXIT } from "../runs/training.js";
import { describeJob, runSweepUntilStopped } from "../sweep-jobs.js";
import { LAZY_SUMMARIES } from "./summaries.js";

export const sweepCommand: Command = {
  name: "sweep",
  summary: LAZY_SUMMARIES.sweep,
  usage: "EXPERIMENT.json [--out DIR] [--workers N] [--queue redis://HOST:PORT] [--status | --plan] [--json]",
  description: [
    "Reads the experiment (JSON, checked against its schema: docs/sweep.md), expands it",
    "into jobs (search → retrain per method, budget and seed; figs scale or figs sample",
    "→ retrain for the baselines) and runs them, at most N at a time, each a figs child",
    "process (a scale or sample job, which trains nothing, in this process) with its",
    "output in DIR/jobs/<key>/log.txt. A line is printed per job that starts or ends,",
    "then the overall count with an ETA.",
    "",
    "A job's folder is named by the hash of its full specification, so running the",
    "same sweep again skips every finished job, reruns the ones a killed sweep left",
    "unfinished, and runs a crashed job once more; a job whose input is bad (exit 1)",
    "is not rerun. At the end DIR holds results.jsonl and results.csv (a row per",
    "retraining) and report.md (a table per budget: mean ± sd over seeds and the",
    "difference to the best baseline with a 95% bootstrap interval).",
    "",
    "One sweep writes a folder at a time: a second one is refused. --status prints",
    "the state of every job, reading only, while a sweep runs or after.",
    "",
    "With --queue, the jobs go to a BullMQ queue in that Redis instead, and `figs worker",
    "--queue URL` processes on any number of machines run them; DIR must be on a",
    "filesystem they all see, at the same path (docs/sweep.md). If Redis goes away the",
    "sweep says so and waits for it.",
    "",
    "Exit status: 0 every job done, 1 bad input or a job that failed, 2 internal error, 130 stopped.",
  ].join("\n"),
  options: {
    out: {
      type: "string",
      short: "o",
      valueName: "DIR",
      description: "the sweep folder (default sweep-<name>, after the experiment's name)",
    },
    workers: {
      type: "string",
      short: "j",
      valueName: "N",
      description:
        "jobs run at once, each a process with one thread (default: the cores); with --queue, jobs queued (256)",
    },
    queue: {
      type: "string",
      valueName: "URL",
      description: "run the jobs through BullMQ on this Redis (redis://host:port), by `figs worker`s",
    },
    status: { type: "boolean", description: "print the state of every job and the counts, and run nothing" },
    plan: { type: "boolean", description: "print the jobs the experiment expands to, and run nothing" },
    json: { type: "boolean", description: "with --status or --plan, print it as JSON; diagnostics as JSON" },
  },
  examples: [
    {
      command: "figs sweep examples/sweeps/tiny.json --workers 2",
      says: "runs the 10 jobs of a seconds-long sweep into sweep-tiny/ and writes its report.md",
    },
    {
      command: "figs sweep examples/sweeps/fashion-budgets.json --queue redis://queue-host:6379 --out /shared/sweep",
      says: "queues the jobs in Redis for `figs worker --queue redis://queue-host:6379` on other machines",
    },
    {
      command: "figs sweep examples/sweeps/fashion-budgets.json --status",
      says: "how far sweep-fashion-budgets/ is: done, running, failed and pending jobs",
    },
  ],
  run: runSweepCommand,
};

async function runSweepCommand(args: ParsedArgs, io: CliIo): Promise<number> {
  const reporter = reporterFor(io, "sweep", args);
  const file = args.positionals[0];
  if (file === undefined || args.positionals.length > 1) {
    const message = file === undefined ? "EXPERIMENT.json is required" : "give one experiment file";
    return reportUsage(reporter, usageProblem(file === undefined ? "MissingOperand" : "InvalidOption", message));
  }
  const queue = stringOption(args, "queue");
  const workers = workersOption(args, queue !== undefined);
  if (!workers.ok) return reportUsage(reporter, workers.diagnostic);
  if (booleanOption(args, "status") && booleanOption(args, "plan"))
    return reportUsage(reporter, usageProblem("ConflictingOptions", "--status and --plan: give one"));
  const { read, plan } = planSweep(resolve(io.cwd, file));
  if (plan === undefined || !read.ok) {
    const source = read.source;
    return report(reporter, read.ok ? [] : read.diagnostics, (path) => (path === source?.path ? source : undefined));
  }
  const dir = resolve(io.cwd, stringOption(args, "out") ?? `sweep-${plan.loaded.experiment.name}`);
  if (booleanOption(args, "plan")) return printPlan(io, plan, booleanOption(args, "json"));
  if (booleanOption(args, "status")) return printStatus(io, plan, dir, booleanOption(args, "json"));
  const out = reporter.json ? withJsonStdout(io) : io;
  return execute(out, reporter, plan, dir, workers.value, queue);
}

async function execute(
  io: CliIo,
  reporter: ReturnType<typeof reporterFor>,
  plan: SweepPlan,
  dir: string,
  workers: number,
  queue: string | undefined,
): Promise<number> {
  io.stdout.write(await startLine(plan, dir, workers, queue));
  const onEvent = (event: PoolEvent): void => void io.stdout.write(eventLine(event, queue !== undefined));
  const run = await runSweepUntilStopped(io, reporter, plan, { dir, workers, queue, onEvent });
  if (typeof run === "number") return run;
  const { counts, rows } = run.outcome;
  io.stdout.write(`${countsLine(counts)}; ${rows.length} results, report in ${join(dir, REPORT_MD)}\n`);
  if (reporter.json) {
    const summary = { dir, counts, results: rows.length, report: join(dir, REPORT_MD), diagnostics: [] };
    (io.jsonOut ?? io.stdout).write(`${JSON.stringify(summary, null, 2)}\n`);
  }
  if (run.stopped) return STOPPED_EXIT;
  return counts.failed > 0 ? 1 : 0;
}

async function startLine(plan: SweepPlan, dir: string, workers: number, queue: string | undefined): Promise<string> {
  const { name } = plan.loaded.experiment;
  if (queue === undefined) return `sweep ${name}: ${plan.jobs.length} jobs, ${workers} at a time, in ${dir}\n`;
  const { queueNameFor } = await import("../../runtime/sweep/queue.js");
  return (
    `sweep ${name}: ${plan.jobs.length} jobs, in ${dir}, through queue ${queueNameFor(dir)} at ${queue}\n` +
    `start workers where ${dir} is visible: figs worker --queue ${queue}\n`
  );
}

/** Jobs at once: locally the cores; through a queue every ready job is queued (the workers set the pace). */
function workersOption(args: ParsedArgs, queued: boolean): Result<number> {
  const text = stringOption(args, "workers");
  if (text === undefined) return ok(queued ? 256 : Math.max(1, availableParallelism()));
  const value = Number(text);
  return Number.isInteger(value) && value >= 1 && value <= 256
    ? ok(value)
    : invalidOption(`--workers must be a whole number from 1 to 256, got '${text}'`);
}

/** Through a queue a job is "queued" when the sweep adds it (a worker prints when it starts), with no ETA. */
function eventLine(event: PoolEvent, queued: boolean): string {
  const time = new Date().toISOString().slice(11, 19);
  switch (event.type) {
    case "started":
      return `[${time}] ${queued ? "queued " : "started"}  ${describeJob(event.job)}\n`;
    case "ended":
      return `[${time}] ${event.state.padEnd(8)} ${describeJob(event.job)}  (${event.detail})\n`;
    case "progress":
      return `[${time}] ${countsLine(event.counts)}${queued ? "" : `, ETA ${duration(event.etaSeconds)}`}\n`;
  }
}

function countsLine(counts: Counts): string {
  return (
    `${counts.done}/${counts.total} done, ${counts.running} running, ` +
    `${counts.failed} failed, ${counts.pending} pending`
  );
}

function duration(seconds: number | null): string {
  if (seconds === null) return "unknown";
  const s = Math.round(seconds);
  const [h, m] = [Math.floor(s / 3600), Math.floor((s % 3600) / 60)];
  return h > 0 ? `${h}h${String(m).padStart(2, "0")}m` : `${m}m${String(s % 60).padStart(2, "0")}s`;
}

function printPlan(io: CliIo, plan: SweepPlan, json: boolean): number {
  if (json) {
    io.stdout.write(`${JSON.stringify({ jobs: plan.jobs }, null, 2)}\n`);
    return 0;
  }
  const lines = plan.jobs.map((job) => {
    const after = job.deps.length > 0 ? `  after ${job.deps.join(", ")}` : "";
    return `${describeJob(job)}${after}\n`;
  });
  io.stdout.write(`${lines.join("")}${plan.jobs.length} jobs\n`);
  return 0;
}

function printStatus(io: CliIo, plan: SweepPlan, dir: string, json: boolean): number {
  const status = sweepStatus(plan, dir);
  const counts = new Map<string, number>();
  for (const { state } of status.jobs) counts.set(state, (counts.get(state) ?? 0) + 1);
  if (json) {
    const jobs = status.jobs.map(({ job, state, detail }) => ({ key: job.key, kind: job.kind, state, detail }));
    const summary = { dir, runningSweep: status.runningSweep ?? null, counts: Object.fromEntries(counts), jobs };
    io.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
    return 0;
  }
  for (const { job, state, detail } of status.jobs)
    io.stdout.write(`${state.padEnd(11)} ${describeJob(job)}${detail === "" ? "" : `  (${detail})`}\n`);
  const order = ["done", "running", "interrupted", "failed", "crashed", "pending"];
  const summary = order.map((state) => `${counts.get(state) ?? 0} ${state}`).join(", ");
  const who = status.runningSweep === undefined ? "no sweep is running" : status.runningSweep.split(";")[0];
  io.stdout.write(`${dir}: ${plan.jobs.length} jobs: ${summary}; ${who}\n`);
  return 0;
}
