// A real sweep of examples/sweeps/tiny.json (10 jobs, 2 workers, each a figs child process), killed with
// SIGKILL part way: a second sweep on its folder is refused meanwhile, and a rerun completes it without
// running again any job that had finished, and without losing any.
import { spawn } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { exited, figs, waitFor } from "../cli-runtime/helpers.js";

const TINY = resolve("examples/sweeps/tiny.json");
const root = mkdtempSync(join(tmpdir(), "figs-sweep-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function startSweep(dir: string): { child: ReturnType<typeof spawn>; output: () => string } {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "cli/main.ts", "sweep", TINY, "--workers", "2", "--out", dir],
    { cwd: process.cwd(), stdio: ["ignore", "pipe", "pipe"] },
  );
  const chunks: string[] = [];
  child.stdout.on("data", (chunk: Buffer) => chunks.push(chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => chunks.push(chunk.toString()));
  return { child, output: () => chunks.join("") };
}

function doneFiles(dir: string): Map<string, { mtimeMs: number; text: string }> {
  const jobs = join(dir, "jobs");
  const found = new Map<string, { mtimeMs: number; text: string }>();
  if (!existsSync(jobs)) return found;
  for (const key of readdirSync(jobs)) {
    const file = join(jobs, key, "done.json");
    if (existsSync(file)) found.set(key, { mtimeMs: statSync(file).mtimeMs, text: readFileSync(file, "utf8") });
  }
  return found;
}

/** Processes whose command line names `dir`: the children of a sweep there. */
function processesIn(dir: string): number[] {
  return readdirSync("/proc")
    .filter((name) => /^\d+$/.test(name))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, "utf8").includes(dir);
      } catch {
        return false;
      }
    })
    .map(Number);
}

describe("figs sweep, killed and run again", () => {
  it("refuses a second sweep on the folder, and resumes without rerunning or losing a job", async () => {
    const dir = join(root, "sweep");
    const first = startSweep(dir);
    expect(await waitFor(first.child, () => doneFiles(dir).size >= 3)).toBe(true);

    const second = await figs(["sweep", TINY, "--out", dir, "--workers", "1"]);
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(/error FIGS7001: .* is being written by another figs process/);

    first.child.kill("SIGKILL");
    await exited(first.child);
    const before = doneFiles(dir);
    expect(before.size).toBeGreaterThanOrEqual(3);
    expect(before.size).toBeLessThan(10);

    const status = await figs(["sweep", TINY, "--out", dir, "--status"]);
    expect(status.code).toBe(0);
    expect(status.stdout).toContain(`${before.size} done`);
    expect(status.stdout).toContain("no sweep is running");

    const rerun = startSweep(dir);
    expect(await exited(rerun.child)).toBe(0);
    const output = rerun.output();
    expect(output).toMatch(/took over the lock/);
    for (const [key, done] of before) {
      expect(doneFiles(dir).get(key)).toEqual(done);
      expect(output).not.toMatch(new RegExp(`started .*${key}`));
    }
    expect(doneFiles(dir).size).toBe(10);
    expect(readdirSync(join(dir, "jobs"))).toHaveLength(10);
    expect(processesIn(dir)).toEqual([]);

    const rows = readFileSync(join(dir, "results.jsonl"), "utf8").trim().split("\n");
    expect(rows).toHaveLength(5);
    expect(JSON.parse(rows[0]!)).toMatchObject({ sweep: "tiny", method: "figs", budget: "params=10k" });
    expect(readFileSync(join(dir, "results.csv"), "utf8").trim().split("\n")).toHaveLength(6);
    const report = readFileSync(join(dir, "report.md"), "utf8");
    expect(report).toContain("## mnist_convnet: budget params=10k");
    expect(readFileSync(join(dir, "report.svg"), "utf8")).toMatch(/^<svg[\s\S]*mnist_convnet: madds/);
    expect(report).toMatch(/\| figs \| 2 \| [\d.]+ ± [\d.]+ \|/);

    const again = await figs(["sweep", TINY, "--out", dir, "--workers", "2"]);
    expect(again.code).toBe(0);
    expect(again.stdout).not.toContain("started");
    expect(again.stdout).toContain("10/10 done");
  }, 400_000);

  it("refuses a folder that is not a sweep's", async () => {
    const dir = join(root, "mine");
    mkdirSync(dir);
    writeFileSync(join(dir, "notes.txt"), "mine");
    const run = await figs(["sweep", TINY, "--out", dir]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/error FIGS7003: .* exists and is not a figs sweep folder/);
    expect(readdirSync(dir)).toEqual(["notes.txt"]);
  });
});
