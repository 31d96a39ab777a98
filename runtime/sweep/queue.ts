/**
 * A sweep's jobs on a distributed queue: BullMQ on Redis. The sweep adds each
 * ready job to its own queue (`figs-sweep-<hash of the folder>`, job id = the
 * job's key, so adding it again is a no-op) and waits for its completion;
 * `figs worker` processes (worker.ts), on any machine that sees the sweep
 * folder, run the jobs exactly as the local executor does and write their
 * endings in the folder, which stays the record of what is done.
 *
 * Redis going away is not an error: the sweep says so once, and waits; when
 * Redis is back (even empty, after a restart without persistence) the jobs
 * it lost are added again. Only an unreachable Redis at the start is.
 */
import { createHash } from "node:crypto";
import { hostname } from "node:os";
import { resolve } from "node:path";
import { Queue, QueueEvents, type Job as BullJob } from "bullmq";
import { Redis, type RedisOptions } from "ioredis";
import { codeOf } from "../../diagnostics/codes.js";
import { plainError, plainWarning, type Diagnostic } from "../../diagnostics/diagnostic.js";
import { ok, type Result } from "../data/errors.js";
import type { Job } from "./expand.js";
import type { Executor, JobEnding } from "./pool.js";
import { jobState } from "./store.js";

/** The Redis hash where each running sweep announces its queue: field = queue name, value = `SweepAnnouncement`. */
export const REGISTRY_KEY = "figs:sweeps";
/** A sweep refreshes its announcement this often; workers leave a queue whose announcement is much older. */
export const HEARTBEAT_MS = 10_000;
/** The lock of a running job is renewed every half of this; a worker killed mid-job loses it after this. */
export const LOCK_MS = 15_000;
/** How often workers look for jobs whose lock expired (their worker died) and put them back in the queue. */
export const STALLED_CHECK_MS = 5_000;
/** How long a start waits for Redis before it is an error. */
export const CONNECT_TIMEOUT_MS = 5_000;

export interface SweepAnnouncement {
  readonly dir: string;
  readonly sweep: string;
  readonly host: string;
  readonly pid: number;
  readonly heartbeat: number;
}

/** What a BullMQ job carries: the figs job, and the sweep folder (absolute, the same path on every worker). */
export interface QueueJobData {
  readonly format: "figs-sweep-queue-job";
  readonly version: 1;
  readonly dir: string;
  readonly sweep: string;
  readonly job: Job;
}

/** What a worker returns for a job: it ended (its ending is in the folder) or a write failed. */
export type QueueJobResult =
  | { readonly status: "ended"; readonly seconds: number; readonly host: string }
  | { readonly status: "error"; readonly diagnostic: Diagnostic };

/** `figs-sweep-<12 hex digits of the sha256 of the absolute folder path>`. */
export function queueNameFor(dir: string): string {
  return `figs-sweep-${createHash("sha256").update(resolve(dir)).digest("hex").slice(0, 12)}`;
}

/** The ioredis options of a `redis://[user:password@]host[:port][/db]` (or `rediss://`) URL. */
export function redisOptionsOf(url: string): Result<RedisOptions> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return queueError(`--queue must be a Redis URL such as redis://localhost:6379, got '${url}'`);
  }
  if (parsed.protocol !== "redis:" && parsed.protocol !== "rediss:")
    return queueError(`--queue must be a redis:// or rediss:// URL, got '${url}'`);
  const db = parsed.pathname.replace(/^\//, "");
  if (parsed.hostname === "" || (db !== "" && !/^\d+$/.test(db)))
    return queueError(`--queue must be redis://HOST[:PORT][/DB], got '${url}'`);
  return ok({
    host: parsed.hostname.replace(/^\[|\]$/g, ""),
    port: parsed.port === "" ? 6379 : Number(parsed.port),
    ...(parsed.username === "" ? {} : { username: decodeURIComponent(parsed.username) }),
    ...(parsed.password === "" ? {} : { password: decodeURIComponent(parsed.password) }),
    ...(db === "" ? {} : { db: Number(db) }),
    ...(parsed.protocol === "rediss:" ? { tls: {} } : {}),
    // BullMQ's blocking connections need this: a command waits for the connection to come back.
    maxRetriesPerRequest: null,
    retryStrategy: (times: number) => Math.min(250 * times, 2_000),
  });
}

function queueError<T>(message: string): Result<T> {
  return { ok: false, diagnostic: plainError(codeOf("QueueUnreachable"), message) };
}

/** Connects once, without retrying: an unreachable Redis (or a bad URL) is a diagnostic after a short timeout. */
export async function probeRedis(url: string, options: RedisOptions): Promise<Result<void>> {
  const client = new Redis({
    ...options,
    lazyConnect: true,
    connectTimeout: CONNECT_TIMEOUT_MS,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  let failure: unknown;
  client.on("error", (cause: unknown) => (failure ??= cause));
  try {
    const timeout = new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error(`no answer in ${CONNECT_TIMEOUT_MS / 1000} s`)), CONNECT_TIMEOUT_MS).unref(),
    );
    await Promise.race([client.connect().then(() => client.ping()), timeout]);
    return ok(undefined);
  } catch (cause) {
    const why = messageOf(failure ?? cause);
    return queueError(`cannot reach Redis at ${url}: ${why} (is redis-server running there?)`);
  } finally {
    client.disconnect();
  }
}

export function messageOf(cause: unknown): string {
  if (cause instanceof AggregateError && cause.errors.length > 0) return messageOf(cause.errors[0]);
  return cause instanceof Error ? cause.message || cause.name : String(cause);
}

/** Whether an error of ioredis or BullMQ says the connection to Redis is gone (else it is about one job). */
export function isConnectionError(cause: unknown): boolean {
  const code = (cause as { code?: unknown } | undefined)?.code;
  if (typeof code === "string" && /^(ECONN|ETIMEDOUT|ENOTFOUND|EHOSTUNREACH|ENETUNREACH|EAI_AGAIN|EPIPE)/.test(code))
    return true;
  return /ECONN|ETIMEDOUT|Connection is closed|connect|Stream isn't writeable/i.test(messageOf(cause));
}

/** The one note printed when the connection to Redis is lost, and the one when it is back. */
export function connectionNote(url: string, lost: boolean, cause?: unknown): Diagnostic {
  const message = lost
    ? `lost the connection to Redis at ${url} (${messageOf(cause)}); waiting for it to come back`
    : `the connection to Redis at ${url} is back`;
  return plainWarning(codeOf("QueueConnectionLost"), message);
}

export interface QueueExecutorOptions {
  readonly url: string;
  readonly dir: string;
  readonly sweep: string;
  /** Connection lost and back again, as notes. */
  readonly onNotice: (diagnostic: Diagnostic) => void;
}

export interface QueueExecutor extends Executor {
  readonly queueName: string;
  /** Stops polling, removes the registry entry and closes the connections. */
  close(): Promise<void>;
}

interface Waiting {
  readonly job: Job;
  readonly resolve: (ending: JobEnding) => void;
}

/** Checks Redis, then returns an executor that runs each job through the sweep's queue. */
export async function openQueueExecutor(options: QueueExecutorOptions): Promise<Result<QueueExecutor>> {
  const connection = redisOptionsOf(options.url);
  if (!connection.ok) return connection;
  const probed = await probeRedis(options.url, connection.value);
  if (!probed.ok) return probed;
  return ok(new BullQueueExecutor(options, connection.value));
}

class BullQueueExecutor implements QueueExecutor {
  readonly queueName: string;
  private readonly queue: Queue<QueueJobData, QueueJobResult>;
  private readonly events: QueueEvents;
  private readonly registry: Redis;
  private readonly waiting = new Map<string, Waiting>();
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly removals: Promise<unknown>[] = [];
  private cancelled = false;
  private lost = false;
  private polling = false;

  constructor(
    private readonly options: QueueExecutorOptions,
    connection: RedisOptions,
  ) {
    this.queueName = queueNameFor(options.dir);
    this.queue = new Queue(this.queueName, { connection });
    this.events = new QueueEvents(this.queueName, { connection });
    this.registry = new Redis(connection);
    const lost = (cause: unknown): void => this.connectionLost(cause);
    this.queue.on("error", lost);
    this.events.on("error", lost);
    this.registry.on("error", lost);
    this.events.on("completed", ({ jobId, returnvalue }) => this.settle(jobId, parsed(returnvalue)));
    this.events.on("failed", ({ jobId }) => void this.check(jobId));
    this.timers.push(setInterval(() => void this.poll(), 2_000));
    this.timers.push(setInterval(() => void this.announce(), HEARTBEAT_MS));
    void this.announce();
  }

  async run(job: Job): Promise<JobEnding> {
    if (this.cancelled) return { status: "cancelled" };
    const ending = new Promise<JobEnding>((resolve) => this.waiting.set(job.key, { job, resolve }));
    // While Redis is away this waits; an error is a lost connection, and the poll adds the job again.
    await this.enqueue(job).catch((cause: unknown) => this.connectionLost(cause));
    return ending;
  }

  cancel(): void {
    this.cancelled = true;
    for (const [key, waiting] of this.waiting) {
      // A job no worker has taken yet is removed; a running one ends on its worker, recorded in its folder.
      this.removals.push(this.queue.remove(key).catch(() => 0));
      waiting.resolve({ status: "cancelled" });
    }
    this.waiting.clear();
  }

  async close(): Promise<void> {
    for (const timer of this.timers) clearInterval(timer);
    await Promise.allSettled(this.removals);
    const quit = async (closing: Promise<unknown>): Promise<void> => {
      await Promise.race([closing.catch(() => undefined), new Promise((r) => setTimeout(r, 2_000).unref())]);
    };
    if (!this.lost) await quit(this.unannounce());
    this.registry.disconnect();
    await Promise.all([quit(this.events.close()), quit(this.queue.close())]);
  }

  /** Adds the job; a finished BullMQ job of an earlier sweep with its id is removed first (the folder says rerun). */
  private async enqueue(job: Job): Promise<void> {
    const existing = await this.queue.getJob(job.key);
    if (existing !== undefined) {
      const state = await existing.getState();
      if (state !== "completed" && state !== "failed") return; // waiting or running: wait for it
      await existing.remove().catch(() => undefined);
    }
    const data: QueueJobData = { format: "figs-sweep-queue-job", version: 1, ...this.where(), job };
    await this.queue.add(job.kind, data, {
      jobId: job.key,
      // A worker stopped by a signal gives its job back by failing it: it is retried at once.
      attempts: 5,
      removeOnComplete: { age: 7 * 24 * 3600 },
      removeOnFail: { age: 7 * 24 * 3600 },
    });
  }

  private where(): { dir: string; sweep: string } {
    return { dir: resolve(this.options.dir), sweep: this.options.sweep };
  }

  /** The worker's result, checked against the folder (which must be the one the worker wrote). */
  private settle(key: string, result: QueueJobResult | undefined): void {
    const waiting = this.waiting.get(key);
    if (waiting === undefined) return;
    this.waiting.delete(key);
    waiting.resolve(endingOf(this.options.dir, key, result));
  }

  /** A job that failed in BullMQ (stalled too often, or a worker's bug) ends as crashed: the next sweep reruns it. */
  private async check(key: string): Promise<void> {
    const job: BullJob<QueueJobData, QueueJobResult> | undefined = await this.queue.getJob(key);
    const waiting = this.waiting.get(key);
    if (waiting === undefined) return;
    const state = job === undefined ? "unknown" : await job.getState();
    if (state === "completed") return this.settle(key, job?.returnvalue);
    if (state === "failed") {
      this.waiting.delete(key);
      const reason = `in the queue: ${job?.failedReason ?? "failed"}`;
      waiting.resolve({ status: "ended", state: { state: "crashed", attempts: 1, reason }, seconds: 0 });
    } else if (state === "unknown") {
      // Gone from Redis (restarted without its data): finished meanwhile, or added again.
      const onDisk = jobState(this.options.dir, key);
      if (onDisk.state === "done" || onDisk.state === "failed" || onDisk.state === "crashed")
        return this.settle(key, { status: "ended", seconds: 0, host: "" });
      await this.enqueue(waiting.job);
    }
  }

  /** Every 2 s: the state of each awaited job (events can be missed while Redis is away). */
  private async poll(): Promise<void> {
    if (this.polling) return;
    this.polling = true;
    try {
      for (const key of [...this.waiting.keys()]) await this.check(key);
      if (this.lost) {
        this.lost = false;
        await this.announce();
        this.options.onNotice(connectionNote(this.options.url, false));
      }
    } catch (cause) {
      this.connectionLost(cause);
    } finally {
      this.polling = false;
    }
  }

  private async announce(): Promise<void> {
    const announcement: SweepAnnouncement = {
      ...this.where(),
      host: hostname(),
      pid: process.pid,
      heartbeat: Date.now(),
    };
    await this.registry.hset(REGISTRY_KEY, this.queueName, JSON.stringify(announcement)).catch(() => undefined);
  }

  /** Removes the announcement if it is this sweep's (a sweep refused the folder must not remove the running one's). */
  private async unannounce(): Promise<void> {
    const text = await this.registry.hget(REGISTRY_KEY, this.queueName);
    const entry = text === null ? undefined : (JSON.parse(text) as Partial<SweepAnnouncement>);
    if (entry?.pid === process.pid && entry.host === hostname()) await this.registry.hdel(REGISTRY_KEY, this.queueName);
  }

  private connectionLost(cause: unknown): void {
    if (this.lost || this.cancelled || !isConnectionError(cause)) return;
    this.lost = true;
    this.options.onNotice(connectionNote(this.options.url, true, cause));
  }
}

function parsed(value: unknown): QueueJobResult | undefined {
  if (typeof value !== "string") return value as QueueJobResult | undefined;
  try {
    return JSON.parse(value) as QueueJobResult;
  } catch {
    return undefined;
  }
}

/** A worker's result as the scheduler takes it: the ending its folder records, which this machine must see. */
function endingOf(dir: string, key: string, result: QueueJobResult | undefined): JobEnding {
  if (result?.status === "error") return { status: "error", diagnostic: result.diagnostic };
  const state = jobState(dir, key);
  if (state.state === "done" || state.state === "failed" || state.state === "crashed")
    return { status: "ended", state, seconds: state.state === "done" ? state.record.seconds : (result?.seconds ?? 0) };
  const where = result?.host ? ` on ${result.host}` : "";
  const message =
    `a worker${where} ran job ${key}, but its ending is not in ${dir}: ` +
    "the sweep folder must be on a filesystem every worker shares, at the same path (docs/sweep.md)";
  return { status: "error", diagnostic: plainError(codeOf("QueueUnreachable"), message) };
}
