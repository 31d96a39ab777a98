// The scheduler with a fake executor (no processes), and the local executor's bookkeeping of how a child
// ended, with `node -e` standing in for figs: exit 1 is final, any other end is run again once.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  jobFolder,
  planSweep,
  runPool,
  runSweep,
  type Executor,
  type Job,
  type PoolEvent,
  type SweepPlan,
} from "../../runtime/sweep/index.js";
import type { JobState } from "../../runtime/sweep/store.js";

const root = mkdtempSync(join(tmpdir(), "figs-sweep-pool-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function tinyPlan(): SweepPlan {
  const { plan } = planSweep(resolve("examples/sweeps/tiny.json"));
  if (plan === undefined) throw new Error("examples/sweeps/tiny.json does not load");
  return plan;
}

/** Ends every job after a tick, failed when `fails` says so, counting how many run at once. */
function fakeExecutor(fails: (job: Job) => boolean): Executor & { order: string[]; most: number } {
  let running = 0;
  const fake = {
    order: [] as string[],
    most: 0,
    run: async (job: Job) => {
      running += 1;
      fake.most = Math.max(fake.most, running);
      fake.order.push(job.key);
      await new Promise((done) => setTimeout(done, 5));
      running -= 1;
      const state: JobState = fails(job)
        ? { state: "failed", reason: "bad input" }
        : {
            state: "done",
            record: { format: "figs-sweep-done", version: 1, key: job.key, kind: job.kind, seconds: 1 },
          };
      return { status: "ended" as const, state, seconds: 1 };
    },
    cancel: () => undefined,
  };
  return fake;
}

describe("the scheduler", () => {
  it("runs at most `workers` jobs at once, each after the jobs it needs", async () => {
    const { jobs } = tinyPlan();
    const executor = fakeExecutor(() => false);
    const events: PoolEvent[] = [];
    const result = await runPool(jobs, { workers: 2, executor, initial: new Map(), onEvent: (e) => events.push(e) });
    expect([...result.states.values()].every((s) => s === "done")).toBe(true);
    expect(executor.most).toBe(2);
    for (const job of jobs)
      for (const dep of job.deps) expect(executor.order.indexOf(dep)).toBeLessThan(executor.order.indexOf(job.key));
    const last = events.filter((e) => e.type === "progress").at(-1);
    expect(last).toMatchObject({ counts: { total: 10, done: 10, failed: 0, pending: 0 }, etaSeconds: 0 });
  });

  it("skips done jobs and blocks the retrainings of a failed search", async () => {
    const { jobs } = tinyPlan();
    const [first, firstRetrain] = [jobs[0]!, jobs[1]!];
    const executor = fakeExecutor((job) => job.key === first.key);
    const done = jobs.filter((j) => j.kind === "scale").map((j) => [j.key, "done" as const] as const);
    const result = await runPool(jobs, { workers: 1, executor, initial: new Map(done), onEvent: () => undefined });
    expect(result.states.get(first.key)).toBe("failed");
    expect(result.states.get(firstRetrain.key)).toBe("blocked");
    expect(executor.order).not.toContain(firstRetrain.key);
    expect(executor.order.filter((key) => done.some(([k]) => k === key))).toEqual([]);
  });
});

describe("stopping", () => {
  it("starts nothing once the signal is aborted, and leaves the jobs pending", async () => {
    const { jobs } = tinyPlan();
    const executor = fakeExecutor(() => false);
    const controller = new AbortController();
    controller.abort();
    const options = { workers: 2, executor, initial: new Map(), onEvent: () => undefined, signal: controller.signal };
    const result = await runPool(jobs, options);
    expect(executor.order).toEqual([]);
    expect([...result.states.values()].every((s) => s === "pending")).toBe(true);
  });
});

/** A stand-in for figs that exits with `code` whatever it is asked. */
const exitingWith = (code: number): [string, ...string[]] => [process.execPath, "-e", `process.exit(${code})`];

async function sweepOnce(plan: SweepPlan, dir: string, code: number): Promise<string[]> {
  const started: string[] = [];
  const outcome = await runSweep(plan, {
    dir,
    workers: 2,
    figs: exitingWith(code),
    onEvent: (e) => void (e.type === "started" && started.push(e.job.key)),
  });
  expect(outcome.ok).toBe(true);
  return started;
}

describe("the local executor", () => {
  it("records exit 1 as failed and never runs the job again", async () => {
    const plan = tinyPlan();
    const dir = join(root, "failed");
    const producers = plan.jobs.filter((j) => j.kind !== "retrain").map((j) => j.key);
    expect((await sweepOnce(plan, dir, 1)).sort()).toEqual([...producers].sort());
    expect(existsSync(join(jobFolder(dir, producers[0]!), "failed.json"))).toBe(true);
    expect(existsSync(join(jobFolder(dir, producers[0]!), "log.txt"))).toBe(true);
    expect(await sweepOnce(plan, dir, 0)).toEqual([]);
  });

  it("runs a crashed job once more on the next sweep, then no more", async () => {
    const plan = tinyPlan();
    const dir = join(root, "crashed");
    expect(await sweepOnce(plan, dir, 3)).toHaveLength(5);
    expect(await sweepOnce(plan, dir, 3)).toHaveLength(5);
    expect(await sweepOnce(plan, dir, 3)).toEqual([]);
  });
});
