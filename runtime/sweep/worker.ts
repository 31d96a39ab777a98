/**
 * `figs worker`: runs the jobs of sweeps queued in Redis (queue.ts), on any
 * machine that sees the sweep folders at the same path. It serves every
 * sweep that announces its queue in Redis (or one, by its queue name), up
 * to `concurrency` jobs at a time per sweep, each exactly as the local
 * executor runs it (pool.ts's `startJob`: a child, or in the worker's own
 * process for a job that trains nothing), so the folders and results are
 * the same as a local run's. A job whose folder holds a checkpoint of an
 * unfinished attempt (its worker was killed) is resumed from it.
 *
 * BullMQ renews the lock of a running job while the worker lives; a worker
 * killed mid-job loses it after LOCK_MS, and another worker takes the job.
 * Stopping a worker (SIGINT, SIGTERM) stops its jobs and gives them back.
 */
import { hostname } from "node:os";
import { Worker, type Job as BullJob } from "bullmq";
import { Redis, type RedisOptions } from "ioredis";
import { codeOf } from "../../diagnostics/codes.js";
import { plainError, type Diagnostic } from "../../diagnostics/diagnostic.js";
import { ok, type Result } from "../data/errors.js";
import type { Job } from "./expand.js";
import type { InProcessRunner } from "./in-process.js";
import { startJob, type RunningJob } from "./pool.js";
import {
  connectionNote,
  HEARTBEAT_MS,
  isConnectionError,
  LOCK_MS,
  messageOf,
  probeRedis,
  redisOptionsOf,
  REGISTRY_KEY,
  STALLED_CHECK_MS,
  type QueueJobData,
  type QueueJobResult,
  type SweepAnnouncement,
} from "./queue.js";
import { isSweep, jobState } from "./store.js";

/** A queue whose sweep has not refreshed its announcement for this long is left (when no job of it runs). */
const ABANDONED_MS = 12 * HEARTBEAT_MS;
/** How often the worker looks for new sweeps. */
const SCAN_MS = 2_000;

export type WorkerEvent =
  | { readonly type: "connected" }
  | { readonly type: "serving"; readonly queue: string; readonly dir: string }
  | { readonly type: "leaving"; readonly queue: string }
  | { readonly type: "started"; readonly queue: string; readonly job: Job; readonly resumed: boolean }
  | { readonly type: "ended"; readonly queue: string; readonly job: Job; readonly detail: string }
  | { readonly type: "note"; readonly diagnostic: Diagnostic }
  | { readonly type: "log"; readonly text: string };

export interface WorkerOptions {
  readonly url: string;
  /** Serve only this queue (`figs-sweep-…`, as the sweep prints it); else every announced sweep. */
  readonly queue?: string;
  /** Jobs run at once per sweep. */
  readonly concurrency: number;
  /** How to start `figs`: the program and the arguments before the command. */
  readonly figs: readonly [string, ...string[]];
  /** Runs the scale and sample jobs in the worker's own process (in-process.ts). */
  readonly inProcess?: InProcessRunner;
  readonly onEvent: (event: WorkerEvent) => void;
  /** Aborting stops the running jobs (they go back to the queue) and ends the worker. */
  readonly signal: AbortSignal;
}

/** Checks Redis, then serves the queues until the signal is aborted. */
export async function runWorker(options: WorkerOptions): Promise<Result<void>> {
  const connection = redisOptionsOf(options.url);
  if (!connection.ok) return connection;
  const probed = await probeRedis(options.url, connection.value);
  if (!probed.ok) return probed;
  options.onEvent({ type: "connected" });
  const worker = new SweepWorker(options, connection.value);
  await worker.serve();
  return ok(undefined);
}

class SweepWorker {
  private readonly workers = new Map<string, Worker<QueueJobData, QueueJobResult>>();
  private readonly running = new Map<string, Set<RunningJob>>();
  private readonly registry: Redis;
  private lost = false;
  private scanning = false;

  constructor(
    private readonly options: WorkerOptions,
    private readonly connection: RedisOptions,
  ) {
    this.registry = new Redis(connection);
    this.registry.on("error", (cause: unknown) => this.connectionLost(cause));
    this.registry.on("ready", () => this.connectionBack());
  }

  async serve(): Promise<void> {
    const { signal } = this.options;
    if (this.options.queue !== undefined) this.open(this.options.queue, "(named by --sweep)");
    else await this.scan();
    const timer = setInterval(() => void this.scan(), SCAN_MS);
    await new Promise<void>((resolve) => {
      if (signal.aborted) resolve();
      else signal.addEventListener("abort", () => resolve(), { once: true });
    });
    clearInterval(timer);
    for (const jobs of this.running.values()) for (const job of jobs) job.stop();
    const closing = [...this.workers.values()].map((worker) => worker.close().catch(() => undefined));
    await Promise.race([Promise.all(closing), new Promise((r) => setTimeout(r, 10_000).unref())]);
    this.registry.disconnect();
  }

  /** Opens a BullMQ worker for each announced sweep, and closes the idle ones whose sweep is gone. */
  private async scan(): Promise<void> {
    if (this.scanning || this.options.queue !== undefined || this.options.signal.aborted) return;
    this.scanning = true;
    try {
      const entries = await this.registry.hgetall(REGISTRY_KEY);
      const fresh = new Map<string, string>();
      for (const [queue, text] of Object.entries(entries)) {
        const announced = announcement(text);
        if (announced !== undefined && Date.now() - announced.heartbeat < ABANDONED_MS) fresh.set(queue, announced.dir);
      }
      for (const [queue, dir] of fresh) if (!this.workers.has(queue)) this.open(queue, dir);
      // A sweep that ended (or died long ago) is left once none of its jobs runs here.
      for (const queue of [...this.workers.keys()])
        if (!fresh.has(queue) && (this.running.get(queue)?.size ?? 0) === 0) this.leave(queue);
    } catch (cause) {
      this.connectionLost(cause);
    } finally {
      this.scanning = false;
    }
  }

  private open(queue: string, dir: string): void {
    const worker = new Worker<QueueJobData, QueueJobResult>(queue, (job) => this.process(queue, job), {
      connection: this.connection,
      concurrency: this.options.concurrency,
      lockDuration: LOCK_MS,
      stalledInterval: STALLED_CHECK_MS,
      // A job is given back this many times after its worker died before BullMQ fails it.
      maxStalledCount: 3,
    });
    worker.on("error", (cause: unknown) => this.connectionLost(cause));
    this.workers.set(queue, worker);
    this.running.set(queue, new Set());
    this.options.onEvent({ type: "serving", queue, dir });
  }

  private leave(queue: string): void {
    void this.workers
      .get(queue)
      ?.close()
      .catch(() => undefined);
    this.workers.delete(queue);
    this.running.delete(queue);
    this.options.onEvent({ type: "leaving", queue });
  }

  /** Runs one job in its folder; throwing gives the job back to the queue (the worker is stopping). */
  private async process(queue: string, bull: BullJob<QueueJobData, QueueJobResult>): Promise<QueueJobResult> {
    const data = bull.data;
    if (data.format !== "figs-sweep-queue-job" || data.version !== 1)
      throw new Error(`job ${bull.id ?? "?"} of queue ${queue} was not added by this version of figs`);
    if (!isSweep(data.dir)) {
      const message =
        `this worker (on ${hostname()}) does not see the sweep folder ${data.dir}: ` +
        "it must be on a filesystem every worker shares, at the same path (docs/sweep.md)";
      return { status: "error", diagnostic: plainError(codeOf("QueueUnreachable"), message) };
    }
    const before = jobState(data.dir, data.job.key);
    if (before.state === "done" || before.state === "failed") {
      // Its worker died after writing the ending and before telling the queue: nothing to run again.
      this.options.onEvent({ type: "ended", queue, job: data.job, detail: `${before.state} already` });
      return { status: "ended", seconds: 0, host: hostname() };
    }
    const { figs, inProcess } = this.options;
    const executor = { dir: data.dir, sweep: data.sweep, figs, ...(inProcess === undefined ? {} : { inProcess }) };
    const started = startJob(executor, data.job, { resume: true });
    const jobs = this.running.get(queue) ?? new Set<RunningJob>();
    jobs.add(started);
    this.options.onEvent({ type: "started", queue, job: data.job, resumed: started.resumed });
    try {
      const ending = await started.ending;
      if (ending.status === "cancelled") {
        this.options.onEvent({ type: "ended", queue, job: data.job, detail: "stopped; given back to the queue" });
        throw new Error("the worker stopped, or another took the job over: it runs again");
      }
      if (ending.status === "error") {
        this.options.onEvent({ type: "ended", queue, job: data.job, detail: ending.diagnostic.message });
        return { status: "error", diagnostic: ending.diagnostic };
      }
      const detail = `${ending.state.state}, ${ending.seconds.toFixed(1)}s`;
      this.options.onEvent({ type: "ended", queue, job: data.job, detail });
      return { status: "ended", seconds: ending.seconds, host: hostname() };
    } finally {
      jobs.delete(started);
    }
  }

  private connectionLost(cause: unknown): void {
    if (this.options.signal.aborted) return;
    if (!isConnectionError(cause)) {
      // About one job, e.g. finishing a job Redis lost while it ran: its sweep adds it again if needed.
      this.options.onEvent({ type: "log", text: `the queue says: ${messageOf(cause)}` });
      return;
    }
    if (this.lost) return;
    this.lost = true;
    this.options.onEvent({ type: "note", diagnostic: connectionNote(this.options.url, true, cause) });
  }

  private connectionBack(): void {
    if (!this.lost) return;
    this.lost = false;
    this.options.onEvent({ type: "note", diagnostic: connectionNote(this.options.url, false) });
  }
}

function announcement(text: string): SweepAnnouncement | undefined {
  try {
    const value = JSON.parse(text) as Partial<SweepAnnouncement>;
    return typeof value.dir === "string" && typeof value.heartbeat === "number"
      ? (value as SweepAnnouncement)
      : undefined;
  } catch {
    return undefined;
  }
}
