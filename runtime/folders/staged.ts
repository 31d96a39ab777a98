/**
 * Folders written whole (an export, a set of samples): the files go into a
 * staging folder beside the target, which is renamed into place at the end,
 * so a reader never sees half an export. An existing target is replaced only
 * when it is a figs folder of the same kind holding nothing but figs's own
 * files; it is moved aside, the new one renamed in, and the old one removed.
 * Staging folders of processes that died (a killed export) are removed by
 * the next export to the same place.
 */
import { existsSync, readdirSync, renameSync, rmSync, statSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { basename, dirname, join } from "node:path";
import { fail, ok, type Result } from "../data/errors.js";
import { describeWriteError } from "./atomic.js";
import { fileOps } from "./fs-ops.js";
import { alive } from "./lock.js";
import { locationProblem } from "./output.js";
import { folderKind, MARKER_FILE, OWNED_ENTRIES, writeMarker, type FolderKind } from "./marker.js";

const STAGING = /^\.(.+)\.(partial|replaced)-(\d+)-[0-9a-z]+$/;

/** Whether `outDir` may be written: absent, or (with force) a replaceable figs folder of `kind`. */
export function checkStagedTarget(outDir: string, kind: FolderKind, force: boolean): Result<void> {
  const location = locationProblem(outDir);
  if (location !== undefined)
    return fail("writeFailed", outDir, location.replace("choose another --out", "choose another output folder"));
  if (!existsSync(outDir)) return ok(undefined);
  if (!force)
    return fail(
      "outputExists",
      outDir,
      `the output folder ${outDir} already exists; choose another or pass --force to replace it`,
    );
  const problem = replaceProblem(outDir, kind);
  return problem === undefined ? ok(undefined) : fail("notReplaceable", outDir, problem);
}

/** A new staging folder beside `outDir` (after removing those left by dead processes). */
export function createStaging(outDir: string): Result<string> {
  removeDeadStaging(outDir);
  const staging = join(
    dirname(outDir),
    `.${basename(outDir)}.partial-${process.pid}-${randomBytes(4).toString("hex")}`,
  );
  try {
    fileOps().mkdirSync(dirname(outDir), { recursive: true });
    fileOps().mkdirSync(staging);
    return ok(staging);
  } catch (cause) {
    return fail("writeFailed", outDir, `cannot write to ${outDir}: ${describeWriteError(cause)}`);
  }
}

/** Puts the finished staging folder in place of `outDir`; the staging folder is gone afterwards either way. */
export function commitStaging(staging: string, outDir: string, kind: FolderKind, force: boolean): Result<void> {
  const marked = writeMarker(staging, kind);
  if (!marked.ok) return discard(staging, marked);
  const allowed = checkStagedTarget(outDir, kind, force);
  if (!allowed.ok) return discard(staging, allowed);
  const aside = existsSync(outDir)
    ? join(dirname(outDir), `.${basename(outDir)}.replaced-${process.pid}-${randomBytes(4).toString("hex")}`)
    : undefined;
  try {
    if (aside !== undefined) fileOps().renameSync(outDir, aside);
    try {
      fileOps().renameSync(staging, outDir);
    } catch (cause) {
      if (aside !== undefined) renameSync(aside, outDir);
      throw cause;
    }
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    const why =
      code === "ENOTEMPTY" || code === "EEXIST"
        ? "another process wrote it at the same time"
        : describeWriteError(cause);
    return discard(staging, fail("writeFailed", outDir, `cannot write to ${outDir}: ${why}`));
  }
  if (aside !== undefined) rmSync(aside, { recursive: true, force: true });
  return ok(undefined);
}

export function discardStaging(staging: string): void {
  rmSync(staging, { recursive: true, force: true });
}

function discard<T>(staging: string, result: Result<T>): Result<T> {
  discardStaging(staging);
  return result;
}

function replaceProblem(outDir: string, kind: FolderKind): string | undefined {
  if (!statSync(outDir).isDirectory()) return `the output ${outDir} is a file, not a folder; choose another`;
  const found = folderKind(outDir) ?? legacySamples(outDir);
  if (found !== kind) {
    const what = found === undefined ? "a folder figs did not make" : `a figs ${found} folder`;
    return (
      `--force replaces only a figs ${kind} folder, and ${outDir} is ${what}; ` +
      "choose another, or remove it yourself"
    );
  }
  const foreign = foreignEntries(outDir, kind);
  if (foreign.length > 0) {
    const listed = `${foreign.slice(0, 5).join(", ")}${foreign.length > 5 ? ", …" : ""}`;
    return (
      `--force will not replace ${outDir}: it holds files figs did not write (${listed}); ` +
      "move them, or choose another folder"
    );
  }
  return undefined;
}

/** Entries that are not figs's own: files of an export's own names, or (a set of samples) exports. */
function foreignEntries(dir: string, kind: FolderKind): string[] {
  const owned = new Set(OWNED_ENTRIES[kind]);
  return readdirSync(dir).flatMap((name) => {
    if (owned.has(name)) return [];
    const path = join(dir, name);
    if (kind === "samples" && statSync(path).isDirectory() && folderKind(path) === "export")
      return foreignEntries(path, "export").map((e) => `${name}/${e}`);
    return [name];
  });
}

/** A set of samples written before markers existed: only export folders inside. */
function legacySamples(dir: string): FolderKind | undefined {
  const entries = readdirSync(dir).filter((name) => name !== MARKER_FILE);
  const exports = entries.filter(
    (name) => statSync(join(dir, name)).isDirectory() && folderKind(join(dir, name)) === "export",
  );
  return entries.length > 0 && exports.length === entries.length ? "samples" : undefined;
}

/**
 * Staging and replaced folders of `outDir` whose process no longer runs. A
 * process killed between moving the old folder aside and renaming the new one
 * in left no `outDir`: the old one goes back.
 */
function removeDeadStaging(outDir: string): void {
  let names: string[];
  try {
    names = readdirSync(dirname(outDir));
  } catch {
    return;
  }
  for (const name of names) {
    const match = STAGING.exec(name);
    if (match === null || match[1] !== basename(outDir) || alive(Number(match[3]))) continue;
    const path = join(dirname(outDir), name);
    if (match[2] === "replaced" && !existsSync(outDir)) renameSync(path, outDir);
    else rmSync(path, { recursive: true, force: true });
  }
}
