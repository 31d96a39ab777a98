import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { canonicalJson, jobKey } from "../../runtime/sweep/keys.js";
import { planSweep, type Job } from "../../runtime/sweep/index.js";

const FASHION = resolve("examples/sweeps/fashion-budgets.json");
const TINY = resolve("examples/sweeps/tiny.json");
const SPACE = resolve("spaces/mnist_convnet.figs");

const folders: string[] = [];
afterEach(() => folders.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** Writes an experiment (the tiny one with `changes` applied) to a temporary file and plans it. */
function planWith(changes: Record<string, unknown>): Job[] {
  const dir = mkdtempSync(join(tmpdir(), "figs-sweep-"));
  folders.push(dir);
  const experiment = {
    format: "figs-sweep-experiment",
    version: 1,
    name: "t",
    spaces: [{ file: SPACE, set: ["width=8,hidden=32"] }],
    data: { dataset: "fashion-mnist", limit: 256 },
    budgets: ["params=10k"],
    methods: [{ method: "figs" }],
    seeds: { search: [1, 2], retrain: [1, 2] },
    search: { steps: 3 },
    retrain: { steps: 3 },
    ...changes,
  };
  const file = join(dir, "experiment.json");
  writeFileSync(file, JSON.stringify(experiment, null, 2));
  const { plan, read } = planSweep(file);
  if (plan === undefined) throw new Error(JSON.stringify(read));
  return [...plan.jobs];
}

function jobsOf(file: string): Job[] {
  const { plan, read } = planSweep(file);
  if (plan === undefined) throw new Error(JSON.stringify(read));
  return [...plan.jobs];
}

const countKinds = (jobs: readonly Job[]): Record<string, number> =>
  jobs.reduce<Record<string, number>>((counts, job) => ({ ...counts, [job.kind]: (counts[job.kind] ?? 0) + 1 }), {});

describe("expanding an experiment into jobs", () => {
  it("gives the Fashion-MNIST budgets sweep its 192 jobs", () => {
    const jobs = jobsOf(FASHION);
    // Per budget: four search methods × 3 seeds, 1 scale, 3 samples; every producer retrained 3 times.
    expect(countKinds(jobs)).toEqual({ search: 36, scale: 3, sample: 9, retrain: 144 });
    const figs40k = jobs.filter((j) => j.labels.method === "figs" && j.labels.budget === "params=40k");
    expect(figs40k.filter((j) => j.kind === "retrain")).toHaveLength(9);
    const multiplier = jobs.filter((j) => j.labels.method === "multiplier" && j.labels.budget === "params=20k");
    expect(multiplier.map((j) => j.kind)).toEqual(["scale", "retrain", "retrain", "retrain"]);
  });

  it("passes a method's mask settings to its searches, and each stage its own --limit", () => {
    const jobs = jobsOf(FASHION);
    const warm = jobs.find((j) => j.labels.method === "figs-warm" && j.kind === "search")!;
    expect(warm.args.join(" ")).toContain("--arch-lr 3 --temperature 0.5");
    expect(warm.args.join(" ")).toContain("--limit 10000");
    const plain = jobs.find((j) => j.labels.method === "figs" && j.kind === "search")!;
    expect(plain.args).not.toContain("--temperature");
    expect(jobs.find((j) => j.kind === "retrain")!.args).not.toContain("--limit");
    expect(warm.key).not.toBe(plain.key);
  });

  it("puts every retraining after the job that exports its architecture", () => {
    const jobs = jobsOf(FASHION);
    const position = new Map(jobs.map((job, index) => [job.key, index]));
    for (const [index, job] of jobs.entries()) {
      if (job.kind !== "retrain") expect(job.deps).toEqual([]);
      else {
        expect(job.deps).toHaveLength(1);
        const producer = jobs[position.get(job.deps[0]!)!]!;
        expect(producer.kind).not.toBe("retrain");
        expect(position.get(producer.key)!).toBeLessThan(index);
        expect({ ...producer.labels, retrainSeed: job.labels.retrainSeed }).toEqual(job.labels);
      }
    }
  });

  it("gives distinct jobs distinct keys, and the same keys on every expansion", () => {
    const jobs = jobsOf(FASHION);
    expect(new Set(jobs.map((j) => j.key)).size).toBe(jobs.length);
    expect(jobsOf(FASHION).map((j) => j.key)).toEqual(jobs.map((j) => j.key));
    expect(jobs.every((j) => /^[0-9a-f]{16}$/.test(j.key))).toBe(true);
  });

  it("changes the keys of exactly the jobs a setting changes", () => {
    const before = planWith({ methods: [{ method: "figs" }, { method: "multiplier" }] });
    const after = planWith({ methods: [{ method: "figs" }, { method: "multiplier" }], search: { steps: 4 } });
    const keysOf = (jobs: Job[], method: string): string[] =>
      jobs.filter((j) => j.labels.method === method).map((j) => j.key);
    expect(keysOf(after, "multiplier")).toEqual(keysOf(before, "multiplier"));
    const [old, changed] = [new Set(keysOf(before, "figs")), keysOf(after, "figs")];
    expect(changed.filter((key) => old.has(key))).toEqual([]);
  });

  it("builds each job's command line", () => {
    const jobs = planWith({
      methods: [
        { method: "figs", samples: 4 },
        { method: "random", drop: 0.2 },
      ],
    });
    const search = jobs.find((j) => j.kind === "search")!;
    expect(search.labels.method).toBe("figs-samples4");
    expect(search.args).toEqual([
      "search",
      SPACE,
      ...["--set", "width=8,hidden=32", "--data", "fashion-mnist", "--limit", "256"],
      ...["--method", "figs", "--cost", "params", "--seed", "1", "--target", "params=10k", "--samples", "4"],
      ...["--steps", "3", "--threads", "1"],
    ]);
    const sample = jobs.find((j) => j.kind === "sample")!;
    expect(sample.args.slice(2)).toEqual([
      ...["--set", "width=8,hidden=32", "--target", "params=10k", "--n", "1", "--seed", "1", "--drop", "0.2"],
    ]);
    const retrain = jobs.find((j) => j.kind === "retrain")!;
    expect(retrain.args).toEqual([
      ...["retrain", "--data", "fashion-mnist", "--limit", "256", "--seed", "1", "--steps", "3", "--threads", "1"],
    ]);
  });

  it("searches a λ grid with fixed λs, without a budget", () => {
    const jobs = planWith({ methods: [{ method: "lambda", lambdas: [1e-5, 1e-4], cost: "madds" }] });
    expect(countKinds(jobs)).toEqual({ search: 4, retrain: 8 });
    const search = jobs.find((j) => j.kind === "search")!;
    expect(search.labels).toMatchObject({ budget: null, cost: "madds", method: "lambda=0.00001", family: "lambda" });
    expect(search.args).toContain("--lambda");
    expect(search.args).not.toContain("--target");
  });

  it("expands the tiny sweep of the tests into 10 jobs", () => {
    expect(countKinds(jobsOf(TINY))).toEqual({ search: 2, scale: 1, sample: 2, retrain: 5 });
  });
});

describe("job keys", () => {
  it("hash canonical JSON: key order and undefined fields do not matter", () => {
    expect(canonicalJson({ b: [1, { d: 2, c: undefined }], a: "x" })).toBe('{"a":"x","b":[1,{"d":2}]}');
    expect(jobKey({ a: 1, b: 2 })).toBe(jobKey({ b: 2, a: 1 }));
    expect(jobKey({ a: 1 })).not.toBe(jobKey({ a: 2 }));
  });
});
