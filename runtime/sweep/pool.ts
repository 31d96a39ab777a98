/**
 * Running a sweep's jobs: a scheduler that starts every job whose
 * dependencies are done, at most `workers` at a time, in expansion order,
 * and an executor that runs one job. The scheduler knows jobs only through
 * the `Executor` interface, so a queue executor (jobs on other machines) can
 * take the place of the local one, which runs each job as a `figs` child
 * process with its output in the job's log.txt.
 */
import { spawn } from "node:child_process";
import { closeSync, existsSync, openSync } from "node:fs";
import { join } from "node:path";
import { codeOf } from "../../diagnostics/codes.js";
import { fileError, plainError, type Diagnostic } from "../../diagnostics/diagnostic.js";
import { MANIFEST_FILE } from "../checkpoint/format.js";
import { ok, type Result } from "../data/errors.js";
import { describeWriteError } from "../folders/index.js";
import { CHECKPOINT_DIR } from "../train/run-checkpoint.js";
import { RESULT_FILE } from "../retrain/result.js";
import { ARCH_FILE, type Job } from "./expand.js";
import { inProcessRunnerFor, runInProcess, type InProcessRunner } from "./in-process.js";
import { STOP_WITH_PARENT } from "./parent-watch.js";
import {
  archFileOf,
  finishJob,
  jobFolder,
  jobState,
  LOG_FILE,
  OUT_DIR,
  prepareJob,
  readChildRecord,
  recordChild,
  runningChild,
  type ChildEnd,
  type JobState,
} from "./store.js";

/** How one run of a job ended: its recorded state, cancelled (the sweep was stopped), or a write that failed. */
export type JobEnding =
  | { readonly status: "ended"; readonly state: JobState; readonly seconds: number }
  | { readonly status: "cancelled" }
  | { readonly status: "error"; readonly diagnostic: Diagnostic };

export interface Executor {
  /** Runs the job to its end and records it; never rejects. */
  run(job: Job): Promise<JobEnding>;
  /** Stops the running jobs: their `run` resolves as cancelled, and they run again next time. */
  cancel(): void;
}

export type PoolJobState = "pending" | "running" | "done" | "failed" | "crashed" | "blocked" | "cancelled";

export interface Counts {
  readonly total: number;
  readonly done: number;
  readonly running: number;
  readonly failed: number;
  readonly pending: number;
}

export type PoolEvent =
  | { readonly type: "started"; readonly job: Job }
  | { readonly type: "ended"; readonly job: Job; readonly state: PoolJobState; readonly detail: string }
  | { readonly type: "progress"; readonly counts: Counts; readonly etaSeconds: number | null };

export interface PoolOptions {
  readonly workers: number;
  readonly executor: Executor;
  /** Each job's state before the run: done, failed (not run again) or pending. */
  readonly initial: ReadonlyMap<string, PoolJobState>;
  readonly onEvent: (event: PoolEvent) => void;
  /** Once aborted, no job starts (the executor stops the running ones). */
  readonly signal?: AbortSignal;
}

export interface PoolResult {
  readonly states: ReadonlyMap<string, PoolJobState>;
  /** Writes that failed: the sweep stopped starting jobs at the first. */
  readonly diagnostics: readonly Diagnostic[];
}

export function runPool(jobs: readonly Job[], options: PoolOptions): Promise<PoolResult> {
  return new Promise((resolve) => new Scheduler(jobs, options, resolve).begin());
}

/** The state of one pool run; every change happens on the event loop, one at a time. */
class Scheduler {
  private readonly states: Map<string, PoolJobState>;
  private readonly diagnostics: Diagnostic[] = [];
  private readonly durations = new Map<string, number[]>();
  private running = 0;
  private stopped = false;

  constructor(
    private readonly jobs: readonly Job[],
    private readonly options: PoolOptions,
    private readonly resolve: (result: PoolResult) => void,
  ) {
    this.states = new Map(jobs.map((j) => [j.key, options.initial.get(j.key) ?? "pending"]));
  }

  begin(): void {
    this.progress();
    this.tick();
  }

  /** Blocks the jobs whose dependencies failed, starts the ready ones while workers are free, ends when idle. */
  private tick(): void {
    for (const job of this.jobs) {
      if (this.states.get(job.key) !== "pending") continue;
      const deps = job.deps.map((key) => this.states.get(key) ?? "done");
      const broken = deps.find((s) => s === "failed" || s === "crashed" || s === "blocked");
      if (broken !== undefined) {
        this.states.set(job.key, "blocked");
        this.options.onEvent({ type: "ended", job, state: "blocked", detail: `a job it needs has ${broken}` });
      } else if (this.mayStart() && deps.every((s) => s === "done")) this.start(job);
    }
    if (this.running === 0) this.resolve({ states: this.states, diagnostics: this.diagnostics });
  }

  private mayStart(): boolean {
    return !this.stopped && this.options.signal?.aborted !== true && this.running < this.options.workers;
  }

  private start(job: Job): void {
    this.running += 1;
    this.states.set(job.key, "running");
    this.options.onEvent({ type: "started", job });
    void this.options.executor
      .run(job)
      .catch((cause: unknown): JobEnding => ({ status: "error", diagnostic: internalError(cause) }))
      .then((ending) => {
        this.running -= 1;
        this.settle(job, ending);
        this.tick();
        this.progress();
      });
  }

  private settle(job: Job, ending: JobEnding): void {
    // A cancelled job means the sweep is stopping: start no other.
    if (ending.status === "cancelled") this.stopped = true;
    if (ending.status === "error") {
      this.diagnostics.push(ending.diagnostic);
      this.stopped = true;
      this.options.executor.cancel();
    }
    const state = ending.status === "ended" ? POOL_STATE[ending.state.state] : "cancelled";
    this.states.set(job.key, state);
    if (ending.status === "ended" && state === "done")
      this.durations.set(job.kind, [...(this.durations.get(job.kind) ?? []), ending.seconds]);
    const detail = ending.status === "ended" ? endingDetail(ending.state, ending.seconds) : ending.status;
    this.options.onEvent({ type: "ended", job, state, detail });
  }

  private progress(): void {
    const all = [...this.states.values()];
    const count = (...of: PoolJobState[]): number => all.filter((s) => of.includes(s)).length;
    const [done, failed, running] = [count("done"), count("failed", "crashed", "blocked"), this.running];
    const counts = { total: all.length, done, running, failed, pending: all.length - done - failed - running };
    const etaSeconds = eta(this.jobs, this.states, this.durations, this.options.workers);
    this.options.onEvent({ type: "progress", counts, etaSeconds });
  }
}

/** A recorded ending as the scheduler counts it (a partial job does not end a run). */
const POOL_STATE: Readonly<Record<JobState["state"], PoolJobState>> = {
  done: "done",
  failed: "failed",
  crashed: "crashed",
  partial: "cancelled",
  absent: "cancelled",
};

/** An exception from an executor is a bug in figs: the sweep stops and reports it (exit 2). */
function internalError(cause: unknown): Diagnostic {
  const detail = cause instanceof Error ? (cause.stack ?? cause.message) : String(cause);
  return plainError(codeOf("InternalError"), `a sweep job failed inside figs (a bug; please report it): ${detail}`);
}

function endingDetail(state: JobState, seconds: number): string {
  if (state.state === "failed" || state.state === "crashed") return state.reason;
  const accuracy = state.state === "done" ? state.record.row?.testAccuracy : undefined;
  return `${seconds.toFixed(1)}s${accuracy === undefined ? "" : `, test accuracy ${(100 * accuracy).toFixed(2)}%`}`;
}

/** Remaining jobs × the mean time of a job of their kind (else of any kind) ÷ workers; null until one ended. */
function eta(
  jobs: readonly Job[],
  states: ReadonlyMap<string, PoolJobState>,
  durations: ReadonlyMap<string, readonly number[]>,
  workers: number,
): number | null {
  const all = [...durations.values()].flat();
  if (all.length === 0) return null;
  const average = (values: readonly number[]): number => values.reduce((s, v) => s + v, 0) / values.length;
  const fallback = average(all);
  const left = jobs.filter((j) => states.get(j.key) === "pending" || states.get(j.key) === "running");
  const seconds = left.reduce((sum, j) => {
    const own = durations.get(j.kind);
    return sum + (own === undefined ? fallback : average(own));
  }, 0);
  return seconds / Math.max(1, Math.min(workers, left.length));
}

export interface LocalExecutorOptions {
  readonly dir: string;
  /** The sweep's name, recorded in each result row. */
  readonly sweep: string;
  /** How to start `figs`: the program and the arguments before the command (`node`, `cli/main.js`). */
  readonly figs: readonly [string, ...string[]];
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Runs the scale and sample jobs in this process (in-process.ts); without it every job is a child. */
  readonly inProcess?: InProcessRunner;
}

/**
 * Runs each job as a `figs` child process; its stdout and stderr go to the job's log.txt. A search or
 * retraining that an earlier run of the sweep left unfinished continues from its checkpoint.
 */
export function localExecutor(options: LocalExecutorOptions): Executor {
  const running = new Set<RunningJob>();
  let cancelled = false;
  const run = async (job: Job): Promise<JobEnding> => {
    if (cancelled) return { status: "cancelled" };
    const started = startJob(options, job, { resume: true });
    running.add(started);
    try {
      return await started.ending;
    } finally {
      running.delete(started);
    }
  };
  const cancel = (): void => {
    cancelled = true;
    for (const started of running) started.stop();
  };
  return { run, cancel };
}

/** One job's `figs` child: how it ended (written to its folder), and a way to stop it (it then ends cancelled). */
export interface RunningJob {
  readonly ending: Promise<JobEnding>;
  /** Whether it continues an earlier attempt from the checkpoint in its out/ (`figs … --resume`). */
  readonly resumed: boolean;
  stop(): void;
}

/**
 * Runs one job exactly as a sweep does, in DIR/jobs/<key>/: a fresh folder
 * (what an unfinished attempt left removed), the child's output in log.txt,
 * its pid in child.json and, when it exits, its ending. With `resume`, a
 * search or retraining whose unfinished folder holds a checkpoint continues
 * from it (`figs search|retrain --resume --out out/`, log.txt appended to).
 */
export function startJob(options: LocalExecutorOptions, job: Job, how: { readonly resume: boolean }): RunningJob {
  const control: JobControl = { stopped: false, child: undefined };
  const stop = (): void => {
    control.stopped = true;
    control.child?.kill("SIGTERM");
  };
  const resumed = how.resume && resumable(options.dir, job);
  const folder = resumed ? keepForResume(options.dir, job) : prepareJob(options.dir, job);
  const ending = folder.ok
    ? runInFolder(options, job, folder.value, resumed, control)
    : Promise.resolve<JobEnding>({ status: "error", diagnostic: folder.diagnostic });
  return { ending, resumed, stop };
}

/** What `stop` reaches: whether the job was stopped, and its child once spawned. */
interface JobControl {
  stopped: boolean;
  child: ReturnType<typeof spawn> | undefined;
}

/** Runs the job's command in its folder (in-process or as a child), its output to log.txt, and records its ending. */
function runInFolder(
  options: LocalExecutorOptions,
  job: Job,
  folder: string,
  resumed: boolean,
  control: JobControl,
): Promise<JobEnding> {
  const out = join(folder, OUT_DIR);
  const argv = resumed ? resumeCommandLine(job, out) : commandLine(options.dir, job, out);
  const file = join(folder, LOG_FILE);
  let log: number;
  try {
    log = openSync(file, resumed ? "a" : "w");
  } catch (cause) {
    const diagnostic = fileError(codeOf("WriteFailed"), `cannot write ${file}: ${describeWriteError(cause)}`, file);
    return Promise.resolve({ status: "error", diagnostic });
  }
  const began = Date.now();
  const finish = (ran: Ran): JobEnding => {
    closeSync(log);
    if ("diagnostic" in ran) return { status: "error", diagnostic: ran.diagnostic };
    // Stopped, or superseded: another worker took the job over (its child.json names another process).
    if (control.stopped || (ran.pid !== undefined && readChildRecord(folder)?.pid !== ran.pid))
      return { status: "cancelled" };
    const seconds = (Date.now() - began) / 1000;
    return recordEnding(options, job, { exitCode: ran.exitCode, signal: ran.signal, seconds });
  };
  const runner = inProcessRunnerFor(job, options.inProcess);
  const running =
    runner === undefined ? runChild(options, argv, folder, log, control) : runHere(runner, argv, folder, log);
  return running.then(finish);
}

/** How the job's process ended, or the write that kept it from running. */
type Ran =
  | { readonly pid: number | undefined; readonly exitCode: number | null; readonly signal: string | null }
  | { readonly diagnostic: Diagnostic };

/** In this process: child.json names it, so a worker that takes the job over is seen. */
async function runHere(runner: InProcessRunner, argv: readonly string[], folder: string, log: number): Promise<Ran> {
  const recorded = recordChild(folder, process.pid, true);
  if (!recorded.ok) return { diagnostic: recorded.diagnostic };
  return { pid: process.pid, exitCode: await runInProcess(runner, argv, log), signal: null };
}

/** As a `figs` child process, its pid in child.json. */
function runChild(
  options: LocalExecutorOptions,
  argv: readonly string[],
  folder: string,
  log: number,
  control: JobControl,
): Promise<Ran> {
  const [program, ...before] = options.figs;
  const spawned = spawn(program, [...before, ...argv], {
    // A pipe nothing is written to: it closes when this process dies, and the child then stops (cli/main.ts).
    stdio: ["pipe", log, log],
    env: { ...(options.env ?? process.env), NO_COLOR: "1", [STOP_WITH_PARENT]: "1" },
  });
  spawned.stdin?.on("error", () => undefined);
  control.child = spawned;
  if (control.stopped) spawned.kill("SIGTERM");
  const recorded = spawned.pid === undefined ? undefined : recordChild(folder, spawned.pid);
  if (recorded !== undefined && !recorded.ok) {
    // Without child.json a sweep killed now could not stop this child before rerunning the job.
    spawned.kill("SIGKILL");
    return Promise.resolve({ diagnostic: recorded.diagnostic });
  }
  return new Promise((resolve) => {
    let ended = false;
    const end = (exitCode: number | null, signal: string | null): void => {
      if (ended) return;
      ended = true;
      resolve({ pid: spawned.pid, exitCode, signal });
    };
    spawned.once("error", () => end(null, "spawn-error"));
    spawned.once("exit", (code, signal) => end(code, signal));
  });
}

/** Writes the job's ending to its folder; a write that fails (or throws) is the run's error. */
function recordEnding(options: LocalExecutorOptions, job: Job, end: ChildEnd): JobEnding {
  let state: ReturnType<typeof finishJob>;
  try {
    state = finishJob(options.dir, options.sweep, job, end);
  } catch (cause) {
    return { status: "error", diagnostic: internalError(cause) };
  }
  return state.ok
    ? { status: "ended", state: state.value, seconds: end.seconds }
    : { status: "error", diagnostic: state.diagnostic };
}

/** A search or retraining whose folder has no ending yet and whose out/ holds a checkpoint. */
function resumable(dir: string, job: Job): boolean {
  if (job.kind !== "search" && job.kind !== "retrain") return false;
  if (jobState(dir, job.key).state !== "partial") return false;
  // A run that got to its end (its child outlived its worker) is run again: it has nothing to resume.
  const out = join(jobFolder(dir, job.key), OUT_DIR);
  const final = job.kind === "search" ? ARCH_FILE.search : RESULT_FILE;
  return existsSync(join(out, CHECKPOINT_DIR, MANIFEST_FILE)) && !existsSync(join(out, final));
}

/** The unfinished folder, kept: its child stopped if it outlived its worker on this machine. */
function keepForResume(dir: string, job: Job): Result<string> {
  const folder = jobFolder(dir, job.key);
  const pid = runningChild(folder);
  if (pid !== undefined) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // It ended meanwhile.
    }
    const until = Date.now() + 10_000;
    const pause = new Int32Array(new SharedArrayBuffer(4));
    while (runningChild(folder) !== undefined && Date.now() < until) Atomics.wait(pause, 0, 0, 50);
  }
  return ok(folder);
}

/** `figs search|retrain --resume --out OUT` with the job's --backend and --threads (the only options allowed). */
function resumeCommandLine(job: Job, out: string): string[] {
  const kept: string[] = [];
  job.args.forEach((arg, i) => {
    const value = job.args[i + 1];
    if ((arg === "--backend" || arg === "--threads") && value !== undefined) kept.push(arg, value);
  });
  return [job.args[0]!, "--resume", "--out", out, ...kept];
}

/** The job's arguments with its --out and, for a retraining, the arch.json its producer exported. */
function commandLine(dir: string, job: Job, out: string): string[] {
  const [command, ...rest] = job.args;
  const producer = job.deps[0];
  if (job.kind !== "retrain" || producer === undefined) return [...job.args, "--out", out];
  const state = jobState(dir, producer);
  const arch = state.state === "done" ? archFileOf(dir, state.record) : undefined;
  return [command!, arch ?? "(the producer's arch.json is missing)", ...rest, "--out", out];
}
