/**
 * One writer per folder. A writer holds `.figs-lock`, created with O_EXCL and
 * holding its pid, host and the process's start time; a second writer finds
 * it and is refused at once. A lock whose process is gone (killed with -9, a
 * crash) is stale: the next writer on the same host takes it over and says
 * so. The start time guards against a recycled pid: a live process with the
 * lock's pid but another start time is not the lock's owner.
 */
import { randomBytes } from "node:crypto";
import { linkSync, readFileSync, renameSync, statSync, unlinkSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { codeOf } from "../../diagnostics/codes.js";
import { fileNote, type Diagnostic } from "../../diagnostics/diagnostic.js";
import { fail, ok, type Result } from "../data/errors.js";
import { describeWriteError, removeQuietly } from "./atomic.js";
import { fileOps } from "./fs-ops.js";

export const LOCK_FILE = ".figs-lock";

interface LockInfo {
  readonly pid: number;
  readonly host: string;
  /** The process's start time in clock ticks since boot (Linux), or null where unknown. */
  readonly started: number | null;
  readonly token: string;
  readonly since: string;
}

export interface FolderLock {
  readonly path: string;
  /** Said when a stale lock was taken over: which process had left it. */
  readonly notes: readonly Diagnostic[];
  /** Removes the lock if it is still this writer's. */
  release(): void;
}

/** Takes the lock of `dir` (which exists), or says who holds it. */
export function acquireLock(dir: string): Result<FolderLock> {
  const path = join(dir, LOCK_FILE);
  const notes: Diagnostic[] = [];
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const mine = lockInfo();
    const created = createLock(path, mine);
    if (created === "created") return ok(heldLock(path, mine, notes));
    if (created !== "exists") return fail("writeFailed", path, `cannot lock ${dir}: ${created}`);
    const holder = readLock(path);
    if (holder === "gone") continue;
    const verdict = staleness(holder, path);
    if (verdict !== "stale") return fail("folderBusy", dir, busyMessage(dir, verdict));
    if (!takeAway(path, holder)) continue;
    const pid = holder === "unreadable" ? "(unknown)" : holder.pid;
    const message = `took over the lock of ${dir} left by process ${pid}, which no longer runs`;
    notes.push(fileNote(codeOf("StaleLockTakenOver"), message, dir));
  }
  return fail("folderBusy", dir, `cannot lock ${dir}: other figs processes keep taking it; try again`);
}

/** Who writes `dir` now, as a message, or undefined when no live process holds its lock. */
export function lockedBy(dir: string): string | undefined {
  const path = join(dir, LOCK_FILE);
  const holder = readLock(path);
  if (holder === "gone") return undefined;
  const verdict = staleness(holder, path);
  return verdict === "stale" ? undefined : busyMessage(dir, verdict);
}

function lockInfo(): LockInfo {
  return {
    pid: process.pid,
    host: hostname(),
    started: startTime(process.pid),
    token: randomBytes(8).toString("hex"),
    since: new Date().toISOString(),
  };
}

/** "created", "exists", or the reason the lock file cannot be made. */
function createLock(path: string, info: LockInfo): "created" | "exists" | string {
  const ops = fileOps();
  let fd: number;
  try {
    fd = ops.openSync(path, "wx", 0o644);
  } catch (cause) {
    return (cause as NodeJS.ErrnoException).code === "EEXIST" ? "exists" : describeWriteError(cause);
  }
  try {
    const bytes = Buffer.from(`${JSON.stringify(info)}\n`);
    ops.writeSync(fd, bytes, 0, bytes.length);
    ops.closeSync(fd);
    return "created";
  } catch (cause) {
    removeQuietly(path);
    return describeWriteError(cause);
  }
}

function readLock(path: string): LockInfo | "unreadable" | "gone" {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    return "gone";
  }
  try {
    const value = JSON.parse(text) as Partial<LockInfo>;
    if (typeof value.pid === "number" && typeof value.host === "string" && typeof value.token === "string")
      return value as LockInfo;
  } catch {
    // A lock file being written right now, or left empty by a process killed while writing it.
  }
  return "unreadable";
}

type Verdict = "stale" | { readonly holder: LockInfo | "unreadable" };

function staleness(holder: LockInfo | "unreadable", path: string): Verdict {
  if (holder === "unreadable") return ageMs(path) > 5_000 ? "stale" : { holder };
  if (holder.host !== hostname()) return { holder };
  if (!alive(holder.pid)) return "stale";
  const started = startTime(holder.pid);
  return holder.started !== null && started !== null && started !== holder.started ? "stale" : { holder };
}

function busyMessage(dir: string, verdict: Exclude<Verdict, "stale">): string {
  const { holder } = verdict;
  if (holder === "unreadable")
    return (
      `${dir} is being written by another figs process (its lock ${LOCK_FILE} is new); ` +
      "wait for it to finish, or choose another --out"
    );
  const where = holder.host === hostname() ? `process ${holder.pid}` : `process ${holder.pid} on ${holder.host}`;
  return (
    `${dir} is being written by another figs ${where} (since ${holder.since}); ` +
    "one process writes a folder at a time. " +
    `Wait for it, stop it, or choose another --out (if no such process runs, remove ${join(dir, LOCK_FILE)})`
  );
}

/**
 * Moves the stale lock aside, checking that what moved is the stale lock and
 * not a lock another process has just taken over; false when it was not.
 */
function takeAway(path: string, holder: LockInfo | "unreadable"): boolean {
  const aside = `${path}.stale-${process.pid}-${randomBytes(4).toString("hex")}`;
  try {
    renameSync(path, aside);
  } catch {
    return false;
  }
  const moved = readLock(aside);
  const same =
    holder === "unreadable"
      ? moved === "unreadable"
      : moved !== "gone" && moved !== "unreadable" && moved.token === holder.token;
  if (!same) {
    // Someone else's fresh lock: put it back unless a third process has locked in the meantime.
    try {
      linkSync(aside, path);
    } catch {
      // A lock exists again at `path`; ours to report as busy on the next attempt.
    }
  }
  removeQuietly(aside);
  return same;
}

function heldLock(path: string, mine: LockInfo, notes: readonly Diagnostic[]): FolderLock {
  let held = true;
  const release = (): void => {
    if (!held) return;
    held = false;
    process.removeListener("exit", release);
    const current = readLock(path);
    if (current !== "gone" && current !== "unreadable" && current.token === mine.token) {
      try {
        unlinkSync(path);
      } catch {
        // Already removed (the folder was deleted): nothing is held.
      }
    }
  };
  // A process that exits without reaching its `finally` (process.exit, an uncaught error) still lets go.
  process.on("exit", release);
  return { path, notes, release };
}

/** Whether a process with this pid runs (EPERM: it runs, as another user). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (cause) {
    return (cause as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Field 22 of /proc/PID/stat (start time in clock ticks), after the parenthesised command name. */
function startTime(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const value = Number(fields[19]);
    return Number.isFinite(value) ? value : null;
  } catch {
    return null;
  }
}

function ageMs(path: string): number {
  try {
    return Date.now() - statSync(path).mtimeMs;
  } catch {
    return 0;
  }
}
