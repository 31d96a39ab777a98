// Issue 11's rules for folders, unit by unit: figs deletes only what figs made
// (markers, owned entries, no inputs), one writer per folder (the lock, stale
// locks taken over), atomic writes whose failures are messages (ENOSPC through
// the file-operation seam) and staged folders whose leftovers are cleaned up.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  acquireLock,
  appendLine,
  checkOutput,
  checkStagedTarget,
  commitStaging,
  createStaging,
  fsError,
  LOCK_FILE,
  MARKER_FILE,
  openOutput,
  withFileOps,
  writeFileAtomic,
  writeMarker,
  type OutputRequest,
} from "../../runtime/folders/index.js";
import { tempDir } from "../runtime/search/helpers.js";

const temp = tempDir("figs-folders-");
afterAll(() => temp.remove());
let count = 0;

function fresh(): string {
  count += 1;
  const dir = join(temp.dir, `case-${count}`);
  mkdirSync(dir);
  return dir;
}

function request(dir: string, mode: OutputRequest["mode"], protect: string[] = []): OutputRequest {
  return { dir, kind: "search", mode, protect, command: "figs search" };
}

/** A pid that no process has: a short-lived child's, after it exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" });
  return Number(child.stdout);
}

function messageOf(result: { ok: boolean; diagnostic?: { message: string } }): string {
  expect(result.ok).toBe(false);
  return result.diagnostic?.message ?? "";
}

describe("atomic writes", () => {
  it("replace a file whole, and leave the old one and no temporary file when the disk is full", async () => {
    const dir = fresh();
    const path = join(dir, "run.json");
    expect(writeFileAtomic(path, "old\n").ok).toBe(true);
    let writes = 0;
    const full = await withFileOps(
      {
        writeSync: () => {
          writes += 1;
          throw fsError("ENOSPC", "write", path);
        },
      },
      () => writeFileAtomic(path, "new\n"),
    );
    expect(writes).toBe(1);
    expect(messageOf(full)).toMatch(/cannot write run\.json .*: no space left on device/);
    expect(readFileSync(path, "utf8")).toBe("old\n");
    expect(readdirSync(dir)).toEqual(["run.json"]);
  });

  it("report a failed rename and remove the temporary file", async () => {
    const dir = fresh();
    const failed = await withFileOps(
      {
        renameSync: () => {
          throw fsError("EACCES", "rename");
        },
      },
      () => writeFileAtomic(join(dir, "a.json"), "x"),
    );
    expect(messageOf(failed)).toContain("permission denied");
    expect(readdirSync(dir)).toEqual([]);
  });

  it("appendLine turns ENOSPC into a message", async () => {
    const path = join(fresh(), "metrics.jsonl");
    const failed = await withFileOps(
      {
        writeSync: () => {
          throw fsError("ENOSPC", "write", path);
        },
      },
      () => appendLine(path, "{}"),
    );
    expect(messageOf(failed)).toContain("no space left on device");
  });
});

describe("the folder lock", () => {
  it("refuses a second writer at once, naming the first", () => {
    const dir = fresh();
    const first = acquireLock(dir);
    expect(first.ok).toBe(true);
    // The same process holds it, and this process runs: busy.
    expect(messageOf(acquireLock(dir))).toMatch(new RegExp(`being written by another figs process ${process.pid}`));
    if (first.ok) first.value.release();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
    const again = acquireLock(dir);
    expect(again.ok).toBe(true);
    if (again.ok) again.value.release();
  });

  it("takes over the lock of a process that no longer runs, with a note", () => {
    const dir = fresh();
    const pid = deadPid();
    writeFileSync(
      join(dir, LOCK_FILE),
      JSON.stringify({ pid, host: hostname(), started: 1, token: "dead", since: "then" }),
    );
    const taken = acquireLock(dir);
    expect(taken.ok).toBe(true);
    if (!taken.ok) return;
    expect(taken.value.notes.map((note) => note.message).join("\n")).toContain(`left by process ${pid}`);
    expect(JSON.parse(readFileSync(join(dir, LOCK_FILE), "utf8")).pid).toBe(process.pid);
    taken.value.release();
  });

  it("treats a live pid with another start time as a recycled pid, so the lock is stale", () => {
    const dir = fresh();
    writeFileSync(
      join(dir, LOCK_FILE),
      JSON.stringify({ pid: process.pid, host: hostname(), started: -5, token: "old", since: "then" }),
    );
    const taken = acquireLock(dir);
    expect(taken.ok).toBe(true);
    if (taken.ok) taken.value.release();
  });
});

describe("run folders (checkOutput, openOutput)", () => {
  const createsThenRefuses =
    "creates a new folder with its marker and lock, and refuses it the second time without --force or --resume";
  it(createsThenRefuses, () => {
    const dir = join(fresh(), "run");
    const plan = checkOutput(request(dir, "fresh"));
    expect(plan.ok && plan.value.exists).toBe(false);
    if (!plan.ok) return;
    const opened = openOutput(plan.value);
    expect(opened.ok).toBe(true);
    expect(readdirSync(dir).sort()).toEqual([LOCK_FILE, MARKER_FILE].sort());
    if (opened.ok) opened.value.release();
    expect(messageOf(checkOutput(request(dir, "fresh")))).toMatch(/stopped before its first checkpoint.*--force/);
    expect(messageOf(checkOutput(request(dir, "resume")))).toMatch(
      /stopped before its first checkpoint; start it again with figs search … --out .* --force/,
    );
  });

  it("--force refuses a folder figs did not make, and removes only figs's entries from one it made", () => {
    const mine = fresh();
    writeFileSync(join(mine, "thesis.tex"), "x");
    expect(messageOf(checkOutput(request(mine, "force")))).toMatch(/a folder figs did not make/);
    expect(writeMarker(mine, "search").ok).toBe(true);
    for (const name of ["run.json", "metrics.jsonl"]) writeFileSync(join(mine, name), "{}");
    mkdirSync(join(mine, "checkpoint"));
    const plan = checkOutput(request(mine, "force"));
    expect(plan.ok).toBe(true);
    if (!plan.ok) return;
    const opened = openOutput(plan.value);
    if (opened.ok) opened.value.release();
    expect(readdirSync(mine).sort()).toEqual([MARKER_FILE, "thesis.tex"].sort());
  });

  it("--force refuses a figs folder of another kind, and one that holds the run's inputs", () => {
    const other = fresh();
    writeMarker(other, "retrain");
    expect(messageOf(checkOutput(request(other, "force")))).toMatch(/a figs retraining, not a search run/);
    const holding = fresh();
    writeMarker(holding, "search");
    const space = join(holding, "space.figs");
    writeFileSync(space, "");
    expect(messageOf(checkOutput(request(holding, "force", [space])))).toContain(
      `it holds ${space}, which this run reads`,
    );
  });

  const forceEmptyOrBusy =
    "--force takes an empty folder (nothing to lose), " +
    "and a folder another process holds is busy before anything is opened";
  it(forceEmptyOrBusy, () => {
    const empty = fresh();
    const plan = checkOutput(request(empty, "force"));
    expect(plan.ok).toBe(true);
    if (!plan.ok) return;
    const opened = openOutput(plan.value);
    expect(opened.ok).toBe(true);
    expect(messageOf(checkOutput(request(empty, "force")))).toMatch(/being written by another figs process/);
    if (opened.ok) opened.value.release();
    expect(readdirSync(empty)).toEqual([MARKER_FILE]);
  });

  it("refuses an output under a file, and a file as the output", () => {
    const dir = fresh();
    writeFileSync(join(dir, "file"), "");
    expect(messageOf(checkOutput(request(join(dir, "file", "run"), "fresh")))).toMatch(/is a file, not a folder/);
    expect(messageOf(checkOutput(request(join(dir, "file"), "force")))).toMatch(/is a file, not a folder/);
  });

  it("refuses to resume a folder that is not a run of its kind", () => {
    const dir = fresh();
    expect(messageOf(checkOutput(request(dir, "resume")))).toMatch(/is not a figs search run/);
    expect(messageOf(checkOutput(request(join(dir, "none"), "resume")))).toMatch(/does not exist/);
  });

  it("a folder created by someone else between check and open is refused", () => {
    const dir = join(fresh(), "run");
    const plan = checkOutput(request(dir, "fresh"));
    mkdirSync(dir);
    if (plan.ok) expect(messageOf(openOutput(plan.value))).toMatch(/created by another process just now/);
  });
});

describe("staged folders (exports, sets of samples)", () => {
  it("replace only a figs folder of the same kind holding nothing foreign", () => {
    const base = fresh();
    const out = join(base, "export");
    const first = createStaging(out);
    if (!first.ok) throw new Error(first.diagnostic.message);
    writeFileSync(join(first.value, "arch.json"), "1");
    expect(commitStaging(first.value, out, "export", false).ok).toBe(true);
    expect(messageOf(checkStagedTarget(out, "export", false))).toContain("already exists");
    expect(checkStagedTarget(out, "export", true).ok).toBe(true);
    expect(messageOf(checkStagedTarget(out, "samples", true))).toMatch(/is a figs export folder/);
    writeFileSync(join(out, "notes.txt"), "mine");
    expect(messageOf(checkStagedTarget(out, "export", true))).toMatch(/files figs did not write \(notes\.txt\)/);
    expect(readdirSync(base)).toEqual(["export"]);
  });

  const cleansUp =
    "remove the staging folders of dead processes, and put back an old folder a killed replace had moved aside";
  it(cleansUp, () => {
    const base = fresh();
    const out = join(base, "export");
    const pid = deadPid();
    mkdirSync(join(base, `.export.partial-${pid}-abcd`));
    mkdirSync(join(base, `.export.replaced-${pid}-abcd`));
    writeFileSync(join(base, `.export.replaced-${pid}-abcd`, "arch.json"), "old");
    mkdirSync(join(base, `.export.partial-${process.pid}-live`));
    const staging = createStaging(out);
    expect(staging.ok).toBe(true);
    const left = readdirSync(base).sort();
    expect(left).toContain(`.export.partial-${process.pid}-live`);
    expect(left.filter((n) => n.includes(String(pid)))).toEqual([]);
    expect(readFileSync(join(out, "arch.json"), "utf8")).toBe("old");
  });
});
