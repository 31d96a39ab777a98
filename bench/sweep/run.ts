/**
 * The sweep's executors, measured (numbers printed; the targets are checked
 * here, never in unit tests):
 *
 *   overhead per job beyond the job itself       < 1 s     (sweep wall time − Σ job times) / jobs, one worker
 *   two local workers against one, 1-thread jobs ≥ 1.8×    jobs per hour
 *   200 compile-only jobs through Redis, 2 workers < 30 s   wall time of the sweep
 *
 * A search job is a `figs` child process started from a fresh esbuild bundle
 * (what `bin.figs` runs, written to dist/bundle-sweep-bench/), as `figs sweep`
 * does when installed. The compile-only jobs are `figs scale` (compile the
 * space, export it at a width multiplier: no data, no training), which run in
 * the executor's own process, as `figs sweep` and `figs worker` run them
 * (runtime/sweep/in-process.ts): here in this script's, through the workers in
 * theirs. The one-thread jobs are short `figs search` runs (--threads 1). The queue runs on a
 * redis-server this script starts on a free port, with two `figs worker`s.
 * The machine's load average is printed: other work on its cores skews all
 * of it.
 *
 * Run: npx tsx bench/sweep/run.ts [--jobs N] [--searches N] [--queue-jobs N]   (npm run bench:sweep)
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { jobKey, localExecutor, planSweep, runPool, type Executor, type Job } from "../../runtime/sweep/index.js";
import { openQueueExecutor } from "../../runtime/sweep/queue.js";
import { openSweepFolder } from "../../runtime/sweep/store.js";
import { jobState } from "../../runtime/sweep/store.js";
import { startRedis } from "../../test/sweep/redis.js";
import { runFigsInProcess } from "../../cli/sweep-jobs.js";

const ROOT = join(import.meta.dirname, "..", "..");
const BUNDLE_DIR = join(ROOT, "dist", "bundle-sweep-bench");
const SPACE = join(ROOT, "spaces", "mnist_convnet.figs");
const LABELS = {
  space: "bench",
  budget: null,
  cost: "params",
  method: "bench",
  family: "baseline",
  lambda: null,
  searchSeed: null,
  retrainSeed: null,
} as const;

/** `figs scale` at width multiplier w: a compile and an export, nothing trained. */
function scaleJobs(n: number, tag: string): Job[] {
  return Array.from({ length: n }, (_, i) => {
    const width = (0.25 + (0.75 * i) / Math.max(1, n - 1)).toFixed(4);
    const spec = { bench: tag, i, width };
    const args = ["scale", SPACE, "--set", "width=8,hidden=32", "--width", width];
    return { key: jobKey(spec), kind: "scale", spec, deps: [], labels: LABELS, args };
  });
}

/** Short searches on one thread (the tiny experiment's search with more steps and its own seeds). */
function searchJobs(n: number, steps: number): Job[] {
  const { plan } = planSweep(join(ROOT, "examples", "sweeps", "tiny.json"));
  const search = plan!.jobs.find((job) => job.kind === "search")!;
  return Array.from({ length: n }, (_, i) => {
    const args = search.args.map((arg, at) => (search.args[at - 1] === "--steps" ? String(steps) : arg));
    const seeded = args.map((arg, at) => (args[at - 1] === "--seed" ? String(100 + i) : arg));
    const spec = { bench: "search", i };
    return { ...search, key: jobKey(spec), spec, deps: [], args: seeded };
  });
}

interface Timed {
  readonly wall: number;
  readonly jobSeconds: number;
  readonly done: number;
}

/** Runs the jobs in a fresh sweep folder; the wall time, and the sum of the jobs' own times from done.json. */
async function timedRun(jobs: readonly Job[], workers: number, executorFor: (dir: string) => Promise<Executor>) {
  const dir = mkdtempSync(join(tmpdir(), "figs-bench-sweep-"));
  const lock = openSweepFolder(dir, "bench", "bench");
  if (!lock.ok) throw new Error(lock.diagnostic.message);
  try {
    const executor = await executorFor(dir);
    const began = performance.now();
    const initial = new Map(jobs.map((job) => [job.key, "pending" as const]));
    await runPool(jobs, { workers, executor, initial, onEvent: () => undefined });
    const wall = (performance.now() - began) / 1000;
    let jobSeconds = 0;
    let done = 0;
    for (const job of jobs) {
      const state = jobState(dir, job.key);
      if (state.state === "done") {
        done += 1;
        jobSeconds += state.record.seconds;
      }
    }
    if ("close" in executor) await (executor as { close(): Promise<void> }).close();
    return { wall, jobSeconds, done } satisfies Timed;
  } finally {
    lock.value.release();
    rmSync(dir, { recursive: true, force: true });
  }
}

const FIGS: [string, ...string[]] = [process.execPath, join(BUNDLE_DIR, "figs.js")];
const local = (dir: string): Promise<Executor> =>
  Promise.resolve(localExecutor({ dir, sweep: "bench", figs: FIGS, inProcess: runFigsInProcess }));

function startWorkers(url: string, n: number): ChildProcess[] {
  return Array.from({ length: n }, () =>
    spawn(FIGS[0], [...FIGS.slice(1), "worker", "--queue", url, "--concurrency", "1"], { stdio: "ignore" }),
  );
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      jobs: { type: "string", default: "20" },
      searches: { type: "string", default: "8" },
      "search-steps": { type: "string", default: "200" },
      "queue-jobs": { type: "string", default: "200" },
    },
  });
  const searchCount = Number(values.searches);
  const searchSteps = Number(values["search-steps"]);
  const n = Number(values.jobs);
  const queued = Number(values["queue-jobs"]);
  console.log(`bundling figs into ${BUNDLE_DIR} …`);
  execFileSync(process.execPath, ["--import", "tsx", join(ROOT, "scripts", "bundle-cli.ts"), BUNDLE_DIR], {
    cwd: ROOT,
    stdio: "ignore",
  });
  const before = loadavg();
  console.log(`cores: ${availableParallelism()}; load average before: ${before.map((l) => l.toFixed(2)).join(" ")}`);
  const lines: string[] = [];
  const check = (name: string, value: string, ok: boolean, target: string): void => {
    const line = `${name.padEnd(52)} ${value.padStart(10)}   target ${target.padEnd(8)} ${ok ? "met" : "MISSED"}`;
    lines.push(line);
    console.log(line);
  };

  // 1. Overhead per job, local and through the queue, one job at a time.
  const overheadLocal = await timedRun(scaleJobs(n, "local-overhead"), 1, local);
  const perJob = (t: Timed): number => (t.wall - t.jobSeconds) / t.done;
  check(
    `overhead per job, local executor (${n} scale jobs)`,
    `${perJob(overheadLocal).toFixed(3)} s`,
    perJob(overheadLocal) < 1,
    "< 1 s",
  );

  const redis = await startRedis();
  const queue = async (dir: string): Promise<Executor> => {
    const opened = await openQueueExecutor({ url: redis.url, dir, sweep: "bench", onNotice: () => undefined });
    if (!opened.ok) throw new Error(opened.diagnostic.message);
    return opened.value;
  };
  try {
    let workers = startWorkers(redis.url, 1);
    const overheadQueue = await timedRun(scaleJobs(n, "queue-overhead"), 256, queue);
    stop(workers);
    check(
      `overhead per job, Redis queue, 1 worker (${n} scale jobs)`,
      `${perJob(overheadQueue).toFixed(3)} s`,
      perJob(overheadQueue) < 1,
      "< 1 s",
    );

    // 2. Two local workers against one, on one-thread jobs. An even number of
    // equal jobs: with an odd one, two workers finish on one core and the
    // ratio is capped below 2 by the count alone (5 jobs: 5/3 = 1.67×).
    const searches = 2 * Math.max(2, Math.round(searchCount / 2));
    const childCpuBefore = childCpuSeconds();
    const one = await timedRun(searchJobs(searches, searchSteps), 1, local);
    const childCpu = childCpuSeconds() - childCpuBefore;
    const two = await timedRun(searchJobs(searches, searchSteps), 2, local);
    const perHour = (t: Timed): number => (3600 * t.done) / t.wall;
    const speedup = perHour(two) / perHour(one);
    console.log(
      `  ${searches} searches of ${searchSteps} steps: ` +
        `1 worker ${one.wall.toFixed(1)} s (${perHour(one).toFixed(0)} jobs/h), ` +
        `2 workers ${two.wall.toFixed(1)} s (${perHour(two).toFixed(0)} jobs/h)`,
    );
    check("2 local workers against 1 (1-thread searches)", `${speedup.toFixed(2)}×`, speedup >= 1.8, "≥ 1.8×");
    if (Number.isFinite(childCpu) && childCpu > 0) {
      // A `--threads 1` job still keeps more than one core busy (V8's GC and
      // compiler threads), which caps what a second worker can add.
      const coresPerJob = childCpu / one.wall;
      const ceiling = Math.min(2, availableParallelism() / coresPerJob);
      console.log(
        `  one job alone keeps ${coresPerJob.toFixed(2)} cores busy, ` +
          `so ${availableParallelism()} cores allow at most ` +
          `${ceiling.toFixed(2)}×; two workers reached ${((100 * speedup) / ceiling).toFixed(0)}% of that`,
      );
    }

    // 3. Many compile-only jobs through Redis with two workers.
    workers = startWorkers(redis.url, 2);
    const many = await timedRun(scaleJobs(queued, "queue-many"), 256, queue);
    stop(workers);
    check(
      `${queued} scale jobs through Redis, 2 workers (${many.done} done)`,
      `${many.wall.toFixed(1)} s`,
      many.wall < 30,
      "< 30 s",
    );
  } finally {
    await redis.stop();
  }
  const after = loadavg();
  console.log(`load average after: ${after.map((l) => l.toFixed(2)).join(" ")}`);
  return 0;
}

/** CPU seconds of this process's finished children (Linux: /proc/self/stat), NaN where unreadable. */
function childCpuSeconds(): number {
  try {
    const fields = readFileSync("/proc/self/stat", "utf8").split(") ")[1]!.split(" ");
    return (Number(fields[13]) + Number(fields[14])) / 100;
  } catch {
    return Number.NaN;
  }
}

function stop(children: readonly ChildProcess[]): void {
  for (const child of children) child.kill("SIGTERM");
}

process.exitCode = await main();
