// The scale and sample jobs of examples/sweeps/tiny.json run in the executor's own process (cli's
// runFigsInProcess, i.e. `main`) give the same out/ files and endings as figs child processes; a bad
// input is failed (exit 1) and a runner that throws is crashed, with the stack in the job's log.
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runFigsInProcess } from "../../cli/sweep-jobs.js";
import {
  IN_PROCESS_KINDS,
  jobFolder,
  jobKey,
  localExecutor,
  planSweep,
  runPool,
  sweepStatus,
  type InProcessRunner,
  type Job,
  type PoolJobState,
} from "../../runtime/sweep/index.js";
import { jobState, openSweepFolder } from "../../runtime/sweep/store.js";

const root = mkdtempSync(join(tmpdir(), "figs-sweep-in-process-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const FIGS: [string, ...string[]] = [process.execPath, "--import", "tsx", "cli/main.ts"];

function compileOnlyJobs(): Job[] {
  const { plan } = planSweep(resolve("examples/sweeps/tiny.json"));
  if (plan === undefined) throw new Error("examples/sweeps/tiny.json does not load");
  return plan.jobs.filter((job) => IN_PROCESS_KINDS.has(job.kind));
}

/** Runs the jobs in a fresh sweep folder, three at a time; the folder and every job's state. */
async function runJobs(name: string, jobs: readonly Job[], inProcess?: InProcessRunner) {
  const dir = join(root, name);
  const lock = openSweepFolder(dir, "tiny.json", "tiny");
  if (!lock.ok) throw new Error(lock.diagnostic.message);
  try {
    const executor = localExecutor({ dir, sweep: "tiny", figs: FIGS, ...(inProcess ? { inProcess } : {}) });
    const initial = new Map<string, PoolJobState>();
    const result = await runPool(jobs, { workers: 3, executor, initial, onEvent: () => undefined });
    return { dir, states: result.states, diagnostics: result.diagnostics };
  } finally {
    lock.value.release();
  }
}

/** Every file under `dir`, relative to it. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((path) => statSync(join(dir, path)).isFile())
    .map((path) => relative(dir, join(dir, path)))
    .sort();
}

/** done.json without the job's wall time. */
function doneRecord(dir: string, key: string): unknown {
  const state = jobState(dir, key);
  if (state.state !== "done") return state;
  const { seconds: _seconds, ...record } = state.record;
  return record;
}

describe("scale and sample jobs run in-process", () => {
  it("write the same out/ files and endings as child processes", async () => {
    const jobs = compileOnlyJobs();
    expect(jobs.map((job) => job.kind).sort()).toEqual(["sample", "sample", "scale"]);
    const children = await runJobs("children", jobs);
    const inside = await runJobs("inside", jobs, runFigsInProcess);
    expect(inside.diagnostics).toEqual([]);
    expect([...inside.states]).toEqual([...children.states]);
    expect([...inside.states.values()].every((state) => state === "done")).toBe(true);
    for (const job of jobs) {
      const [a, b] = [jobFolder(children.dir, job.key), jobFolder(inside.dir, job.key)];
      expect(filesUnder(b)).toEqual(filesUnder(a));
      expect(doneRecord(inside.dir, job.key)).toEqual(doneRecord(children.dir, job.key));
      const out = job.kind === "scale" ? "out" : join("out", "sample-0");
      for (const file of ["arch.json", "pruned.figs", "model.json"])
        expect(readFileSync(join(b, out, file), "utf8"), `${job.kind} ${file}`).toBe(
          readFileSync(join(a, out, file), "utf8"),
        );
      // The same report, with the folder names of each run.
      const log = (folder: string): string => readFileSync(join(folder, "log.txt"), "utf8").replaceAll(folder, "F");
      expect(log(b)).toBe(log(a));
      expect(JSON.parse(readFileSync(join(b, "child.json"), "utf8"))).toMatchObject({ pid: process.pid });
    }
  }, 120_000);

  it("records a bad input (exit 1) as failed, with the report in the log", async () => {
    const job = scaleJob("missing", ["scale", join(root, "missing.figs"), "--width", "0.5"]);
    const run = await runJobs("failed", [job], runFigsInProcess);
    expect(run.states.get(job.key)).toBe("failed");
    expect(jobState(run.dir, job.key)).toMatchObject({ state: "failed", reason: /^exit status 1: see / });
    expect(readFileSync(join(jobFolder(run.dir, job.key), "log.txt"), "utf8")).toContain("missing.figs");
  });

  it("records a runner that throws as crashed, with the stack in the log, and the sweep goes on", async () => {
    const [job, other] = [scaleJob("throws", ["scale"]), scaleJob("other", ["scale"])];
    // The job's --out names its folder, so its key.
    const throwing: InProcessRunner = (args) =>
      args.some((arg) => arg.includes(job.key)) ? Promise.reject(new Error("boom in a job")) : Promise.resolve(3);
    const run = await runJobs("crashed", [job, other], throwing);
    expect(run.diagnostics).toEqual([]);
    expect(jobState(run.dir, job.key)).toMatchObject({ state: "crashed", attempts: 1, reason: /^exit status 2/ });
    expect(jobState(run.dir, other.key)).toMatchObject({ state: "crashed", reason: /^exit status 3/ });
    const log = readFileSync(join(jobFolder(run.dir, job.key), "log.txt"), "utf8");
    expect(log).toMatch(/internal error[\s\S]*Error: boom in a job\n\s+at /);
  });

  it("shows a running in-process job as running in the sweep's status, not as interrupted", async () => {
    const jobs = compileOnlyJobs().slice(0, 1);
    const plan = planSweep(resolve("examples/sweeps/tiny.json")).plan!;
    let seen: string | undefined;
    const dir = join(root, "status");
    const looking: InProcessRunner = () => {
      seen = sweepStatus({ ...plan, jobs }, dir).jobs[0]?.state;
      return Promise.resolve(0);
    };
    await runJobs("status", jobs, looking);
    expect(seen).toBe("running");
    expect(sweepStatus({ ...plan, jobs }, dir).jobs[0]?.state).not.toBe("running");
  });

  it("resolves a job's relative paths from the cwd it is given", async () => {
    const cwd = mkdtempSync(join(root, "cwd-"));
    copyFileSync("spaces/mnist_convnet.figs", join(cwd, "space.figs"));
    const text: string[] = [];
    const log = { write: (chunk: string) => void text.push(chunk) };
    const args = ["scale", "space.figs", "--set", "width=8,hidden=32", "--width", "0.5", "--out", "here"];
    expect(await runFigsInProcess(args, log, cwd)).toBe(0);
    expect(filesUnder(join(cwd, "here"))).toContain("arch.json");
    expect(text.join("")).not.toMatch(/\u001b\[/);
  });
});

function scaleJob(name: string, args: string[]): Job {
  const labels = {
    space: "s",
    budget: null,
    cost: "params",
    method: name,
    family: "baseline",
    lambda: null,
    searchSeed: null,
    retrainSeed: null,
  } as const;
  return { key: jobKey({ name }), kind: "scale", spec: { name }, deps: [], labels, args };
}
