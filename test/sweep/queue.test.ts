// The sweep through a real Redis (redis-server on a free port): two `figs worker` processes run the jobs of
// a 4-job experiment; one is killed with SIGKILL mid-job (with its child, as when its machine dies) and
// another takes its job over; the results are those of a local run. Redis stopped mid-sweep is a note, and
// the sweep completes once it is back (empty: the lost jobs are queued again).
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exited } from "../cli-runtime/helpers.js";
import { startRedis, type RedisServer } from "./redis.js";

const EXPERIMENT = resolve("test/fixtures/sweeps/queue.json");
const root = mkdtempSync(join(tmpdir(), "figs-queue-"));
const started: Started[] = [];
let redis: RedisServer;

interface Started {
  readonly child: ChildProcess;
  readonly output: () => string;
}

/** `node --import tsx cli/main.ts …` in its own process group, so a kill of the group takes its children. */
function startFigs(argv: readonly string[]): Started {
  const child = spawn(process.execPath, ["--import", "tsx", "cli/main.ts", ...argv], {
    cwd: process.cwd(),
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  const chunks: string[] = [];
  child.stdout.on("data", (chunk: Buffer) => chunks.push(chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => chunks.push(chunk.toString()));
  const run = { child, output: () => chunks.join("") };
  started.push(run);
  return run;
}

function worker(): Started {
  return startFigs(["worker", "--queue", redis.url, "--concurrency", "1"]);
}

async function until(ready: () => boolean, seconds: number): Promise<void> {
  const end = Date.now() + seconds * 1000;
  while (!ready()) {
    if (Date.now() > end) throw new Error(`not ready after ${seconds} s`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** results.jsonl without the wall times, which differ from run to run. */
function results(dir: string): unknown[] {
  return readFileSync(join(dir, "results.jsonl"), "utf8")
    .trim()
    .split("\n")
    .map((line) => {
      const { seconds: _seconds, ...row } = JSON.parse(line) as Record<string, unknown>;
      return row;
    });
}

const STARTED = /started\s+\w+\s+([0-9a-f]{16})/;
let local: unknown[] = [];

beforeAll(async () => {
  redis = await startRedis();
  const run = startFigs(["sweep", EXPERIMENT, "--workers", "2", "--out", join(root, "local")]);
  expect(await exited(run.child), run.output()).toBe(0);
  local = results(join(root, "local"));
  expect(local).toHaveLength(2);
}, 180_000);

afterAll(async () => {
  for (const { child } of started) {
    if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) continue;
    try {
      process.kill(-child.pid, "SIGKILL");
    } catch {
      // Gone already.
    }
  }
  await redis?.stop();
  rmSync(root, { recursive: true, force: true });
});

describe("figs sweep --queue with figs worker", () => {
  it("runs the jobs on two workers; a worker killed mid-job has its job run by the other", async () => {
    const workers = [worker(), worker()];
    const dir = join(root, "queued");
    const sweep = startFigs(["sweep", EXPERIMENT, "--queue", redis.url, "--out", dir]);
    await until(() => workers.some((w) => STARTED.test(w.output())), 60);
    const [victim, survivor] = STARTED.test(workers[0]!.output()) ? workers : [workers[1]!, workers[0]!];
    const key = STARTED.exec(victim!.output())![1]!;
    await new Promise((r) => setTimeout(r, 1500));
    expect(existsSync(join(dir, "jobs", key, "done.json"))).toBe(false);
    process.kill(-victim!.child.pid!, "SIGKILL");

    expect(await exited(sweep.child), sweep.output()).toBe(0);
    expect(survivor!.output()).toMatch(new RegExp(`(started|resumed)\\s+\\w+\\s+${key}`));
    expect(sweep.output()).toContain("4/4 done");
    expect(results(dir)).toEqual(local);
  }, 180_000);

  it("says so when Redis goes away mid-sweep, and completes when it is back", async () => {
    const workers = [worker(), worker()];
    const dir = join(root, "redis-down");
    const sweep = startFigs(["sweep", EXPERIMENT, "--queue", redis.url, "--out", dir]);
    await until(() => workers.some((w) => STARTED.test(w.output())), 60);
    await redis.stop();
    await until(() => sweep.output().includes("lost the connection to Redis"), 30);
    expect(sweep.child.exitCode).toBe(null);
    await new Promise((r) => setTimeout(r, 2000));
    await redis.start();

    expect(await exited(sweep.child), sweep.output()).toBe(0);
    const output = sweep.output();
    expect(output).toMatch(
      /warning FIGS7010: lost the connection to Redis at redis:\/\/127\.0\.0\.1:\d+ \(.*\); waiting/,
    );
    expect(output.match(/lost the connection/g)).toHaveLength(1);
    expect(output).not.toMatch(/\n\s+at /);
    expect(results(dir)).toEqual(local);
  }, 180_000);

  it("refuses an unreachable Redis or a bad URL at the start (exit 1, a diagnostic)", async () => {
    const { figs } = await import("../cli-runtime/helpers.js");
    const unreachable = await figs(["sweep", EXPERIMENT, "--queue", "redis://127.0.0.1:1", "--out", join(root, "x")]);
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toMatch(
      /error FIGS7009: cannot reach Redis at redis:\/\/127\.0\.0\.1:1: .*ECONNREFUSED/,
    );
    const bad = await figs(["worker", "--queue", "http://example.org"]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/error FIGS7009: --queue must be a redis:\/\/ or rediss:\/\/ URL/);
  });
});
