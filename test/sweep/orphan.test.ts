// A sweep killed with -9 while a search job runs: its figs child reads end-of-file on the standard input
// the sweep held open (runtime/sweep/parent-watch.ts), stops as on SIGTERM and exits within seconds,
// instead of running on beside the job's next attempt.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const EXPERIMENT = resolve("test/fixtures/sweeps/orphan.json");
const root = mkdtempSync(join(tmpdir(), "figs-sweep-orphan-"));
const leftovers: number[] = [];
afterAll(() => {
  for (const pid of leftovers) if (runs(pid)) process.kill(pid, "SIGKILL");
  rmSync(root, { recursive: true, force: true });
});

/** A live process, not a zombie: one with a command line. */
function runs(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8") !== "";
  } catch {
    return false;
  }
}

/** The pid child.json records in the sweep's one job folder that has one, once its process runs. */
function jobChild(dir: string): number | undefined {
  const jobs = join(dir, "jobs");
  if (!existsSync(jobs)) return undefined;
  for (const key of readdirSync(jobs)) {
    const file = join(jobs, key, "child.json");
    if (!existsSync(file)) continue;
    const { pid } = JSON.parse(readFileSync(file, "utf8")) as { pid: number };
    return runs(pid) ? pid : undefined;
  }
  return undefined;
}

async function until<T>(value: () => T | undefined, seconds: number): Promise<T> {
  const end = Date.now() + seconds * 1000;
  for (;;) {
    const found = value();
    if (found !== undefined) return found;
    if (Date.now() > end) throw new Error(`nothing after ${seconds} s`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((done) =>
    child.exitCode !== null || child.signalCode !== null ? done() : child.once("exit", () => done()),
  );
}

/** `figs sweep` of the experiment in `dir`, once its search job's child runs. */
async function startSweepAndItsJob(dir: string): Promise<{ sweep: ChildProcess; child: number }> {
  const sweep = spawn(process.execPath, ["--import", "tsx", "cli/main.ts", "sweep", EXPERIMENT, "--out", dir], {
    cwd: process.cwd(),
    stdio: "ignore",
  });
  leftovers.push(sweep.pid!);
  const child = await until(() => jobChild(dir), 60);
  leftovers.push(child);
  return { sweep, child };
}

describe("a job's figs child", () => {
  it("stops within seconds when the sweep that started it is killed with -9", async () => {
    const dir = join(root, "sweep");
    const { sweep, child } = await startSweepAndItsJob(dir);
    // Let the search get going (its log has a progress line), so the stop reaches its training loop.
    await until(() => (/step/.test(readLog(dir)) ? true : undefined), 60).catch(() => undefined);
    expect(runs(child)).toBe(true);
    sweep.kill("SIGKILL");
    await exited(sweep);
    const killedAt = Date.now();
    await until(() => (runs(child) ? undefined : true), 15);
    expect(Date.now() - killedAt).toBeLessThan(15_000);
    expect(readLog(dir)).toMatch(/SIGTERM|stopped/);
  }, 120_000);

  it("is resumed from the checkpoint it saved when the same sweep runs again", async () => {
    const dir = join(root, "sweep");
    expect(existsSync(join(jobOut(dir), "checkpoint", "checkpoint.json"))).toBe(true);
    const { sweep, child } = await startSweepAndItsJob(dir);
    const command = readFileSync(`/proc/${child}/cmdline`, "utf8").split("\0");
    expect(command).toContain("--resume");
    expect(command).toContain(jobOut(dir));
    sweep.kill("SIGTERM");
    await exited(sweep);
  }, 120_000);
});

/** The out/ folder of the sweep's one search job (the one with a child.json). */
function jobOut(dir: string): string {
  const jobs = join(dir, "jobs");
  const key = readdirSync(jobs).find((k) => existsSync(join(jobs, k, "child.json")));
  return join(jobs, key!, "out");
}

function readLog(dir: string): string {
  const jobs = join(dir, "jobs");
  const logs = readdirSync(jobs)
    .map((key) => join(jobs, key, "log.txt"))
    .filter((file) => existsSync(file));
  return logs.map((file) => readFileSync(file, "utf8")).join("");
}
