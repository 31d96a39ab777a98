/**
 * A sweep's folder: `sweep.json` (what made it), `.figs-lock` (one sweep at
 * a time), `jobs/<key>/` per job and the results made from them. A job
 * folder holds `job.json` (written first: it says figs made the folder),
 * `log.txt` (the child's output), `child.json` (its pid), `out/` (the
 * child's `--out`) and, written atomically last, one of `done.json` (with
 * the job's summary row), `failed.json` (exit 1: bad input, never retried)
 * or `crashed.json` (any other end: run again once by the next sweep).
 */
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import { fail, ok, type Result } from "../data/errors.js";
import { acquireLock, describeWriteError, LOCK_FILE, writeFileAtomic, type FolderLock } from "../folders/index.js";
import { alive } from "../folders/lock.js";
import { readRetrainResult } from "../retrain/result.js";
import { compileSchema, type SchemaCheck } from "../checkpoint/json-schema.js";
import { ARCH_FILE, type Job, type JobKind, type JobLabels } from "./expand.js";

export const SWEEP_FILE = "sweep.json";
export const JOBS_DIR = "jobs";
export const JOB_FILE = "job.json";
export const DONE_FILE = "done.json";
export const FAILED_FILE = "failed.json";
export const CRASHED_FILE = "crashed.json";
export const CHILD_FILE = "child.json";
export const LOG_FILE = "log.txt";
export const OUT_DIR = "out";
/** A job that crashed this many times is not run again. */
export const MAX_ATTEMPTS = 2;

/** One retrained architecture: a line of results.jsonl and a row of results.csv. */
export interface ResultRow extends JobLabels {
  readonly sweep: string;
  readonly key: string;
  /** The job that exported the architecture. */
  readonly archKey: string;
  readonly testAccuracy: number;
  readonly testImages: number;
  readonly params: number;
  readonly madds: number;
  readonly widths: Readonly<Record<string, number>>;
  readonly seconds: number;
}

/** done.json: a producer's architecture file, or a retraining's row. */
export interface DoneRecord {
  readonly format: "figs-sweep-done";
  readonly version: 1;
  readonly key: string;
  readonly kind: JobKind;
  readonly seconds: number;
  /** A producer's arch.json, relative to the job folder. */
  readonly arch?: string;
  readonly row?: ResultRow;
}

export type JobState =
  | { readonly state: "done"; readonly record: DoneRecord }
  | { readonly state: "failed"; readonly reason: string }
  | { readonly state: "crashed"; readonly attempts: number; readonly reason: string }
  /** A folder without an ending: its sweep was killed, or runs it now. */
  | { readonly state: "partial"; readonly attempts: number }
  | { readonly state: "absent" };

const DONE_SCHEMA = {
  type: "object",
  required: ["format", "version", "key", "kind", "seconds"],
  properties: {
    format: { const: "figs-sweep-done" },
    version: { const: 1 },
    key: { type: "string", pattern: "^[0-9a-f]{16}$" },
    kind: { enum: ["search", "scale", "sample", "retrain"] },
    seconds: { type: "number", minimum: 0 },
    arch: { type: "string" },
    row: {
      type: "object",
      required: ["key", "archKey", "space", "cost", "method", "family", "testAccuracy", "params", "madds", "widths"],
      properties: {
        key: { type: "string" },
        archKey: { type: "string" },
        space: { type: "string" },
        cost: { enum: ["params", "madds"] },
        method: { type: "string" },
        family: { enum: ["search", "baseline", "lambda"] },
        testAccuracy: { type: "number", minimum: 0, maximum: 1 },
        params: { type: "number" },
        madds: { type: "number" },
        widths: { type: "object", additionalProperties: { type: "number" } },
      },
    },
  },
} as const;
let doneCheck: SchemaCheck<DoneRecord> | undefined;

export function jobFolder(dir: string, key: string): string {
  return join(dir, JOBS_DIR, key);
}

/**
 * Makes or reopens the sweep folder and takes its lock. A folder that is
 * neither empty nor a sweep's is refused: figs never writes into the user's.
 */
export function openSweepFolder(dir: string, experiment: string, name: string): Result<FolderLock> {
  if (existsSync(dir) && !isSweep(dir) && !isEmptyButJobs(dir))
    return fail("notReplaceable", dir, `${dir} exists and is not a figs sweep folder; choose another --out`);
  try {
    mkdirSync(join(dir, JOBS_DIR), { recursive: true });
  } catch (cause) {
    return fail("writeFailed", dir, `cannot make the sweep folder ${dir}: ${describeWriteError(cause)}`);
  }
  const lock = acquireLock(dir);
  if (!lock.ok) return lock;
  const tidied = removeAsideFolders(dir);
  if (!tidied.ok) {
    lock.value.release();
    return tidied;
  }
  const record = { format: "figs-sweep", version: 1, name, experiment, started: new Date().toISOString() };
  const written = writeFileAtomic(join(dir, SWEEP_FILE), `${JSON.stringify(record, null, 2)}\n`);
  if (!written.ok) {
    lock.value.release();
    return written;
  }
  return lock;
}

export function isSweep(dir: string): boolean {
  return (readJson(join(dir, SWEEP_FILE)) as { format?: unknown } | undefined)?.format === "figs-sweep";
}

/** An empty folder, or one a sweep killed before it wrote sweep.json left. */
function isEmptyButJobs(dir: string): boolean {
  try {
    const entries = readdirSync(dir).filter((name) => name !== LOCK_FILE);
    if (entries.length === 0) return true;
    return entries.length === 1 && entries[0] === JOBS_DIR && readdirSync(join(dir, JOBS_DIR)).length === 0;
  } catch {
    return false;
  }
}

/** What the job's folder says about it, reading only. */
export function jobState(dir: string, key: string): JobState {
  const folder = jobFolder(dir, key);
  if (!existsSync(folder)) return { state: "absent" };
  const done = readJson(join(folder, DONE_FILE));
  if (done !== undefined && (doneCheck ??= compileSchema<DoneRecord>(DONE_SCHEMA))(done) && done.key === key)
    return { state: "done", record: done };
  const failed = readJson(join(folder, FAILED_FILE)) as { reason?: string } | undefined;
  if (failed !== undefined) return { state: "failed", reason: failed.reason ?? "failed" };
  const crashed = readJson(join(folder, CRASHED_FILE)) as { attempts?: number; reason?: string } | undefined;
  if (crashed !== undefined) return { state: "crashed", attempts: crashed.attempts ?? 1, reason: crashed.reason ?? "" };
  const job = readJson(join(folder, JOB_FILE)) as { attempts?: number } | undefined;
  return { state: "partial", attempts: job?.attempts ?? 0 };
}

/**
 * A fresh folder for the job: what an earlier, unfinished attempt left is
 * removed (its child stopped first, if it outlived a killed sweep), but only
 * when its job.json says figs made it for this job.
 */
export function prepareJob(dir: string, job: Job): Result<string> {
  const folder = jobFolder(dir, job.key);
  let attempts = 0;
  if (existsSync(folder)) {
    const previous = readJson(join(folder, JOB_FILE)) as { key?: string; attempts?: number } | undefined;
    if (previous?.key !== job.key)
      return fail("notReplaceable", folder, `${folder} was not made by figs for job ${job.key}; remove it yourself`);
    const state = jobState(dir, job.key);
    attempts = state.state === "crashed" ? state.attempts : (previous.attempts ?? 0);
    stopOrphan(folder);
    const removed = removeFolder(folder, asideName(dir, job.key, "old"));
    if (!removed.ok) return removed;
  }
  // Made aside and renamed into place, so a folder named by a key always has its job.json.
  const fresh = asideName(dir, job.key, "new");
  try {
    mkdirSync(fresh, { recursive: true });
  } catch (cause) {
    return fail("writeFailed", fresh, `cannot make the job folder ${fresh}: ${describeWriteError(cause)}`);
  }
  const record = { format: "figs-sweep-job", version: 1, attempts, ...job };
  const written = writeFileAtomic(join(fresh, JOB_FILE), `${JSON.stringify(record, null, 2)}\n`);
  if (!written.ok) return written;
  try {
    renameSync(fresh, folder);
  } catch (cause) {
    return fail("writeFailed", folder, `cannot make the job folder ${folder}: ${describeWriteError(cause)}`);
  }
  return ok(folder);
}

/** `jobs/.new-<key>-<random>`: where a job folder is made, or moved to be removed. */
function asideName(dir: string, key: string, why: "new" | "old"): string {
  return join(dir, JOBS_DIR, `${ASIDE_PREFIX}${why}-${key}-${randomBytes(4).toString("hex")}`);
}

const ASIDE_PREFIX = ".figs-";

/** Moves the folder aside (atomically), then deletes it: a sweep killed meanwhile leaves no half-removed job. */
function removeFolder(folder: string, aside: string): Result<void> {
  try {
    renameSync(folder, aside);
    rmSync(aside, { recursive: true, force: true });
    return ok(undefined);
  } catch (cause) {
    return fail(
      "writeFailed",
      folder,
      `cannot remove the unfinished job folder ${folder}: ${describeWriteError(cause)}`,
    );
  }
}

/** Removes what a killed sweep left aside in jobs/ (folders being made or removed, named by figs). */
export function removeAsideFolders(dir: string): Result<void> {
  const jobs = join(dir, JOBS_DIR);
  for (const name of readdirSync(jobs).filter((entry) => entry.startsWith(ASIDE_PREFIX))) {
    try {
      rmSync(join(jobs, name), { recursive: true, force: true });
    } catch (cause) {
      return fail("writeFailed", join(jobs, name), `cannot remove ${join(jobs, name)}: ${describeWriteError(cause)}`);
    }
  }
  return ok(undefined);
}

export function recordChild(folder: string, pid: number, inProcess = false): Result<void> {
  const record = { pid, since: new Date().toISOString(), ...(inProcess ? { inProcess: true } : {}) };
  return writeFileAtomic(join(folder, CHILD_FILE), `${JSON.stringify(record)}\n`);
}

/** How a child ended, as the executor saw it. */
export interface ChildEnd {
  readonly exitCode: number | null;
  readonly signal: string | null;
  readonly seconds: number;
}

/** Writes the job's ending (done.json, failed.json or crashed.json) and returns its state. */
export function finishJob(dir: string, sweep: string, job: Job, end: ChildEnd): Result<JobState> {
  const folder = jobFolder(dir, job.key);
  if (end.exitCode === 0) {
    const record = doneRecord(dir, sweep, job, end.seconds);
    if (record.ok) {
      const written = writeFileAtomic(join(folder, DONE_FILE), `${JSON.stringify(record.value, null, 2)}\n`);
      return written.ok ? ok({ state: "done", record: record.value }) : written;
    }
    return writeEnding(folder, FAILED_FILE, { state: "failed", reason: record.diagnostic.message });
  }
  const how = end.signal !== null ? `killed by ${end.signal}` : `exit status ${end.exitCode}`;
  if (end.exitCode === 1)
    return writeEnding(folder, FAILED_FILE, { state: "failed", reason: `${how}: see ${join(folder, LOG_FILE)}` });
  const previous = readJson(join(folder, JOB_FILE)) as { attempts?: number } | undefined;
  const attempts = (previous?.attempts ?? 0) + 1;
  return writeEnding(folder, CRASHED_FILE, {
    state: "crashed",
    attempts,
    reason: `${how}: see ${join(folder, LOG_FILE)}`,
  });
}

function writeEnding(folder: string, file: string, state: JobState): Result<JobState> {
  const written = writeFileAtomic(join(folder, file), `${JSON.stringify(state, null, 2)}\n`);
  return written.ok ? ok(state) : written;
}

/** The arch.json a producing job exported, or the retraining's row from its result.json. */
function doneRecord(dir: string, sweep: string, job: Job, seconds: number): Result<DoneRecord> {
  const base = { format: "figs-sweep-done", version: 1, key: job.key, kind: job.kind, seconds } as const;
  const out = join(jobFolder(dir, job.key), OUT_DIR);
  if (job.kind !== "retrain") {
    const arch = join(OUT_DIR, ARCH_FILE[job.kind]);
    if (!existsSync(join(jobFolder(dir, job.key), arch)))
      return fail("missing", out, `the ${job.kind} job ended without writing ${arch}`);
    return ok({ ...base, arch });
  }
  const result = readRetrainResult(out);
  if (!result.ok) return result;
  const { testAccuracy, testImages, costs, widths } = result.value;
  const row: ResultRow = {
    sweep,
    key: job.key,
    archKey: job.deps[0] ?? "",
    ...job.labels,
    testAccuracy,
    testImages,
    params: costs.torch.params,
    madds: costs.torch.madds,
    widths,
    seconds,
  };
  return ok({ ...base, row });
}

/** The arch.json a finished producer exported, for its retrainings. */
export function archFileOf(dir: string, record: DoneRecord): string | undefined {
  return record.arch === undefined ? undefined : join(jobFolder(dir, record.key), record.arch);
}

/**
 * A child of a sweep killed with -9 runs on; before its folder is removed it
 * is stopped. Only a live process whose command line names this folder is.
 */
function stopOrphan(folder: string): void {
  const pid = runningChild(folder);
  if (pid === undefined) return;
  try {
    process.kill(pid, "SIGKILL");
  } catch {
    return;
  }
  const until = Date.now() + 10_000;
  const pause = new Int32Array(new SharedArrayBuffer(4));
  while (alive(pid) && commandLineOf(pid).includes(folder) && Date.now() < until) Atomics.wait(pause, 0, 0, 50);
}

/** What child.json says: the pid running the job, and whether it runs it in-process. */
export interface ChildRecord {
  readonly pid: number;
  readonly inProcess: boolean;
}

export function readChildRecord(folder: string): ChildRecord | undefined {
  const record = readJson(join(folder, CHILD_FILE)) as { pid?: unknown; inProcess?: unknown } | undefined;
  return typeof record?.pid === "number" ? { pid: record.pid, inProcess: record.inProcess === true } : undefined;
}

/** The pid of the job's child if it still runs: a live process whose command line names the job folder. */
export function runningChild(folder: string): number | undefined {
  const pid = readChildRecord(folder)?.pid;
  return pid !== undefined && alive(pid) && commandLineOf(pid).includes(folder) ? pid : undefined;
}

/**
 * The process running the job, for `--status`: its child (runningChild), or
 * the live sweep or worker that runs it in-process (child.json says so).
 */
export function jobProcess(folder: string): number | undefined {
  const record = readChildRecord(folder);
  if (record?.inProcess === true) return alive(record.pid) ? record.pid : undefined;
  return runningChild(folder);
}

function commandLineOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " ");
  } catch {
    return "";
  }
}

function readJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, "utf8")) as unknown;
  } catch {
    return undefined;
  }
}
