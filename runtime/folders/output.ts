/**
 * The folder a run writes (search, retrain), under the rules of
 * docs/architecture.md "Run folders": everything is checked before the first
 * byte is written (`checkOutput` writes nothing); `openOutput` then creates
 * the folder, or takes over an existing figs folder of the same kind, under
 * an exclusive lock. `--force` removes only the entries figs writes in such a
 * folder (OWNED_ENTRIES), never a user's file, and never touches a folder
 * that holds the run's own inputs (the space, the data).
 */
import { accessSync, constants, existsSync, mkdirSync, readdirSync, rmSync, statSync } from "node:fs";
import { dirname, join, relative, isAbsolute } from "node:path";
import type { Diagnostic } from "../../diagnostics/diagnostic.js";
import { fail, ok, type Result } from "../data/errors.js";
import { describeWriteError, TEMP_PREFIX } from "./atomic.js";
import { fileOps } from "./fs-ops.js";
import { acquireLock, LOCK_FILE, lockedBy } from "./lock.js";
import { folderKind, MARKER_FILE, OWNED_ENTRIES, writeMarker, type FolderKind } from "./marker.js";

export interface OutputRequest {
  /** Absolute path of the run folder. */
  readonly dir: string;
  readonly kind: Extract<FolderKind, "search" | "retrain">;
  readonly mode: "fresh" | "force" | "resume";
  /** Files the run reads (the space's sources, the data): a folder holding one of them is never replaced. */
  readonly protect: readonly string[];
  /** The command, for the hints: "figs search". */
  readonly command: string;
}

export interface OutputPlan {
  readonly request: OutputRequest;
  /** The folder exists now (replaced with --force, continued with --resume). */
  readonly exists: boolean;
}

export interface RunFolder {
  readonly dir: string;
  /** Things worth telling the user, e.g. a stale lock taken over. */
  readonly notes: readonly Diagnostic[];
  /** Lets go of the folder's lock; call it in a finally. */
  release(): void;
}

const KIND_NAMES: Readonly<Record<FolderKind, string>> = {
  search: "search run",
  retrain: "retraining",
  export: "export",
  samples: "set of samples",
};

/** What is wrong with writing the run to `request.dir`, checked without writing anything. */
export function checkOutput(request: OutputRequest): Result<OutputPlan> {
  const { dir, mode } = request;
  const problem = locationProblem(dir);
  if (problem !== undefined) return fail("writeFailed", dir, problem);
  if (!existsSync(dir)) {
    if (mode === "resume") return fail("notARun", dir, `cannot resume: ${dir} does not exist`);
    return ok({ request, exists: false });
  }
  if (!statSync(dir).isDirectory())
    return fail("writeFailed", dir, `the output ${dir} is a file, not a folder; choose another --out`);
  const busy = lockedBy(dir);
  if (busy !== undefined) return fail("folderBusy", dir, busy);
  const kind = folderKind(dir);
  const name = KIND_NAMES[request.kind];
  if (mode === "resume") {
    if (kind !== request.kind) return fail("notARun", dir, `cannot resume: ${dir} is not a figs ${name}`);
    if (!hasCheckpoint(dir)) {
      return fail(
        "notARun",
        dir,
        `cannot resume: ${dir} was stopped before its first checkpoint; ` +
          `start it again with ${request.command} … --out ${dir} --force`,
      );
    }
    return ok({ request, exists: true });
  }
  if (mode === "fresh") return fail("outputExists", dir, existsMessage(request, kind));
  // An empty folder holds nothing to lose (and is what another figs process's folder looks like the instant after
  // its mkdir).
  if (kind !== request.kind && !isEmpty(dir)) {
    const what = kind === undefined ? "a folder figs did not make" : `a figs ${KIND_NAMES[kind]}, not a ${name}`;
    return fail(
      "notReplaceable",
      dir,
      `--force replaces only a figs ${name}, and ${dir} is ${what}; choose another --out, or remove it yourself`,
    );
  }
  const input = request.protect.find((path) => isInside(path, dir));
  if (input !== undefined)
    return fail(
      "notReplaceable",
      dir,
      `--force will not replace ${dir}: it holds ${input}, which this run reads; choose another --out`,
    );
  return ok({ request, exists: true });
}

/** Creates (or takes over) the folder checked by `checkOutput`, and locks it. */
export function openOutput(plan: OutputPlan): Result<RunFolder> {
  const { dir, kind, mode } = plan.request;
  if (!plan.exists) {
    const created = createFolder(dir);
    if (!created.ok) return created;
  }
  const lock = acquireLock(dir);
  if (!lock.ok) return lock;
  const folder: RunFolder = { dir, notes: lock.value.notes, release: () => lock.value.release() };
  const prepared = mode === "resume" ? ok(undefined) : prepareFolder(dir, kind, plan.exists);
  if (!prepared.ok) {
    folder.release();
    return prepared;
  }
  return ok(folder);
}

function createFolder(dir: string): Result<void> {
  try {
    mkdirSync(dirname(dir), { recursive: true });
    fileOps().mkdirSync(dir);
    return ok(undefined);
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === "EEXIST") {
      return fail("outputExists", dir, `${dir} was created by another process just now; choose another --out`);
    }
    return fail("writeFailed", dir, `cannot create ${dir}: ${describeWriteError(cause)}`);
  }
}

/**
 * A new folder gets its marker; a replaced one loses figs's entries (the marker stays: a kill here leaves it
 * replaceable).
 */
function prepareFolder(dir: string, kind: FolderKind, replace: boolean): Result<void> {
  if (replace) {
    const now = folderKind(dir);
    if (now !== kind && !isEmpty(dir))
      return fail("folderBusy", dir, `${dir} changed while it was being replaced; not touching it`);
    try {
      for (const entry of removableEntries(dir, kind)) rmSync(join(dir, entry), { recursive: true, force: true });
    } catch (cause) {
      return fail("writeFailed", dir, `cannot replace the old run in ${dir}: ${describeWriteError(cause)}`);
    }
  }
  return writeMarker(dir, kind);
}

/** figs's own entries of a folder of `kind`, and temporaries figs left there. */
function removableEntries(dir: string, kind: FolderKind): string[] {
  const owned = new Set(OWNED_ENTRIES[kind]);
  return readdirSync(dir).filter(
    (name) =>
      (owned.has(name) && name !== MARKER_FILE) || name.startsWith(TEMP_PREFIX) || /^\.export\.partial-/.test(name),
  );
}

/** Why the folder cannot be made or written where it is: a file on its path, or a folder without write permission. */
export function locationProblem(dir: string): string | undefined {
  let existing = dir;
  while (!existsSync(existing)) {
    const parent = dirname(existing);
    if (parent === existing) break;
    existing = parent;
  }
  try {
    if (!statSync(existing).isDirectory())
      return `cannot create ${dir}: ${existing} is a file, not a folder; choose another --out`;
    accessSync(existing, constants.W_OK | constants.X_OK);
    return undefined;
  } catch (cause) {
    return `cannot write in ${existing}: ${describeWriteError(cause)}; choose another --out`;
  }
}

function existsMessage(request: OutputRequest, kind: FolderKind | undefined): string {
  const { dir, command } = request;
  if (kind === request.kind && !hasCheckpoint(dir) && !existsSync(join(dir, LOCK_FILE))) {
    return (
      `${dir} holds a ${KIND_NAMES[kind]} stopped before its first checkpoint, so it cannot be resumed; ` +
      "pass --force to start it again, or --out to choose another folder"
    );
  }
  const resume =
    kind === request.kind
      ? `pass --resume to continue it (${command} --resume --out ${dir}), --force to replace it, `
      : "";
  return `the output folder ${dir} already exists; ${resume}or choose another with --out`;
}

/** Nothing in the folder but this writer's lock. */
function isEmpty(dir: string): boolean {
  return readdirSync(dir).every((name) => name === LOCK_FILE);
}

function hasCheckpoint(dir: string): boolean {
  return existsSync(join(dir, "checkpoint", "checkpoint.json"));
}

/** True when `path` is `dir` or lies below it. */
export function isInside(path: string, dir: string): boolean {
  const rel = relative(dir, path);
  return rel === "" || (!rel.startsWith("..") && !isAbsolute(rel));
}
