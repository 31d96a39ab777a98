// `--resume` continues a run with the settings it was started with, saved in
// run.json (search) or retrain.json (retrain): a run stopped by SIGTERM and
// resumed with no settings on the command line ends where an uninterrupted
// run ends, with the data, augmentation and mask options of the start; a
// resume that asks for other settings is refused and changes nothing.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tempDir, useWasm } from "../runtime/search/helpers.js";
import { exited, figs, spawnFigs, waitFor, SMALL } from "./helpers.js";

const temp = tempDir("figs-resume-settings-");
beforeAll(() => useWasm());
afterAll(() => temp.remove());

const BACKEND = ["--backend", "wasm", "--threads", "1"] as const;
const SEARCH = [
  ...SMALL,
  "--lambda",
  "3e-4",
  "--steps",
  "30",
  "--checkpoint-every",
  "5",
  "--seed",
  "3",
  "--validation",
  "200",
  "--crop",
  "2",
  "--flip",
  "--nu-init",
  "1.5",
  "--temperature",
  "0.01",
] as const;

function text(...path: string[]): string {
  return readFileSync(join(...path), "utf8");
}

function metricLines(dir: string): number {
  const path = join(dir, "metrics.jsonl");
  return existsSync(path)
    ? text(path)
        .split("\n")
        .filter((line) => line.endsWith("}")).length
    : 0;
}

function checkpointStep(dir: string): number {
  return (JSON.parse(text(dir, "checkpoint", "checkpoint.json")) as { step: number }).step;
}

/** Starts `figs …` in a child process and stops it with SIGTERM after a few steps (a checkpoint is saved). */
async function stopped(argv: readonly string[], dir: string): Promise<void> {
  const child = spawnFigs(argv);
  expect(await waitFor(child, () => metricLines(dir) >= 3)).toBe(true);
  child.kill("SIGTERM");
  expect(await exited(child)).toBe(130);
}

describe("figs search --resume", () => {
  it("takes the data, augmentation and mask options from run.json", async () => {
    const whole = join(temp.dir, "search-whole");
    expect((await figs(["search", ...SEARCH, "--out", whole])).code).toBe(0);
    const part = join(temp.dir, "search-part");
    await stopped(["search", ...SEARCH, "--out", part], part);
    const step = checkpointStep(part);
    expect(step).toBeLessThan(30);

    const refused = await figs(["search", "--resume", "--out", part, "--temperature", "0.1", ...BACKEND]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("only --backend and --threads may be given with it, not --temperature");
    expect(checkpointStep(part)).toBe(step);

    const resumed = await figs(["search", "--resume", "--out", part, ...BACKEND]);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stdout).toContain("(1800 training images, 200 held out for validation), 30 steps");
    expect(text(part, "metrics.jsonl")).toBe(text(whole, "metrics.jsonl"));
    expect(text(part, "export", "arch.json")).toBe(text(whole, "export", "arch.json"));
  });
});

describe("figs retrain --resume", () => {
  const RETRAIN = [
    "--limit",
    "500",
    "--batch",
    "16",
    "--steps",
    "40",
    "--lr",
    "0.003",
    "--seed",
    "4",
    "--checkpoint-every",
    "5",
    "--validation",
    "50",
    "--crop",
    "2",
    "--flip",
    ...BACKEND,
  ] as const;

  it("takes the settings from retrain.json, as search does from run.json", async () => {
    const arch = join(temp.dir, "search-whole", "export", "arch.json");
    expect(existsSync(arch)).toBe(true);
    const whole = join(temp.dir, "retrain-whole");
    expect((await figs(["retrain", arch, ...RETRAIN, "--out", whole])).code).toBe(0);
    const part = join(temp.dir, "retrain-part");
    await stopped(["retrain", arch, ...RETRAIN, "--out", part], part);
    const step = checkpointStep(part);
    expect(step).toBeLessThan(40);

    for (const extra of [["--steps", "5"], ["--batch", "64"], ["--flip"]]) {
      const refused = await figs(["retrain", "--resume", "--out", part, ...extra, ...BACKEND]);
      expect(refused.code, extra.join(" ")).toBe(1);
      expect(refused.stderr).toContain(`only --backend and --threads may be given with it, not ${extra[0]}`);
    }
    const other = await figs(["retrain", join(temp.dir, "elsewhere.json"), "--resume", "--out", part, ...BACKEND]);
    expect(other.code).toBe(1);
    expect(other.stderr).toContain(`continues the run on ${arch}`);
    expect(checkpointStep(part)).toBe(step);

    // The architecture file may be named again, as long as it is the same one.
    const resumed = await figs(["retrain", arch, "--resume", "--out", part, ...BACKEND]);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stdout).toContain("(450 training images, 50 held out for validation), 40 steps");
    expect(text(part, "metrics.jsonl")).toBe(text(whole, "metrics.jsonl"));
    // Everything but the wall time, which a resumed run measures for its own part.
    const result = (dir: string): unknown => ({ ...JSON.parse(text(dir, "result.json")), wallSeconds: undefined });
    expect(result(part)).toEqual(result(whole));
    expect(readFileSync(join(part, "weights.bin")).equals(readFileSync(join(whole, "weights.bin")))).toBe(true);
  });
});
