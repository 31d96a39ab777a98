// `figs sweep`'s options and reports, in-process: nothing here starts a job (test/sweep/resume.test.ts does).
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../../cli/main.js";
import { memoryIo, tempFolders } from "./helpers.js";

const TINY = resolve("examples/sweeps/tiny.json");
const folderWith = tempFolders();

async function sweep(argv: readonly string[], cwd = process.cwd()) {
  const run = memoryIo({ cwd });
  const code = await main(["sweep", ...argv], run.io);
  return { code, stdout: run.stdout(), stderr: run.stderr() };
}

describe("figs sweep", () => {
  it("lists the jobs of an experiment with --plan", async () => {
    const run = await sweep([TINY, "--plan"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^search {3}[0-9a-f]{16} {2}mnist_convnet {2}params=10k {2}figs {2}seed 1\n/);
    expect(run.stdout).toMatch(/\nretrain {2}[0-9a-f]{16} .* retrain seed 1 {2}after [0-9a-f]{16}\n/);
    expect(run.stdout).toMatch(/\n10 jobs\n$/);
    const json = JSON.parse((await sweep([TINY, "--plan", "--json"])).stdout) as { jobs: unknown[] };
    expect(json.jobs).toHaveLength(10);
  });

  it("tells every job pending with --status before the sweep ran, reading only", async () => {
    const dir = join(folderWith({}), "never-run");
    const run = await sweep([TINY, "--status", "--out", dir]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`${dir}: 10 jobs: 0 done, 0 running, 0 interrupted, 0 failed, 0 crashed, 10 pending`);
    const json = JSON.parse((await sweep([TINY, "--status", "--out", dir, "--json"])).stdout) as {
      counts: Record<string, number>;
    };
    expect(json.counts).toEqual({ pending: 10 });
  });

  it("reports a bad experiment at its line, as text and as JSON", async () => {
    const cwd = folderWith({ "bad.json": '{\n  "format": "figs-sweep-experiment",\n  "version": 2\n}\n' });
    const run = await sweep(["bad.json"], cwd);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      `${join(cwd, "bad.json")}:3:14: error FIGS7008: this figs reads experiments of "version": 1, got 2`,
    );
    expect(run.stderr).toContain(' 3 |   "version": 2');
    const json = await sweep(["bad.json", "--json"], cwd);
    expect(json.code).toBe(1);
    const [diagnostic] = (JSON.parse(json.stdout) as { diagnostics: { code: string; location: unknown }[] })
      .diagnostics;
    expect(diagnostic).toMatchObject({ code: "FIGS7008", location: { line: 3, column: 14 } });
  });

  it("refuses a missing experiment, a bad --workers and --status with --plan", async () => {
    expect((await sweep(["missing.json", "--json"])).stdout).toContain('"code": "FIGS9001"');
    expect((await sweep([TINY, "--workers", "0"])).stderr).toContain(
      "figs sweep: error FIGS6003: --workers must be a whole number from 1 to 256, got '0'",
    );
    expect((await sweep([TINY, "--status", "--plan"])).stderr).toContain("error FIGS6005");
    expect((await sweep([])).stderr).toContain("error FIGS6004: EXPERIMENT.json is required");
  });
});
