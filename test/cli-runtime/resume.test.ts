// Issue 5, "Must show": a search killed with SIGKILL and resumed ends with the
// same arch.json as an uninterrupted run with the same seed, losing at most
// --checkpoint-every steps.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { tempDir } from "../runtime/search/helpers.js";
import { exited, spawnFigs, waitFor, SMALL } from "./helpers.js";

const STEPS = 40;
const EVERY = 10;
const temp = tempDir("figs-resume-");
afterAll(() => temp.remove());

function search(out: string, extra: readonly string[] = []): ReturnType<typeof spawnFigs> {
  return spawnFigs([
    "search",
    ...SMALL,
    "--lambda",
    "3e-5",
    "--steps",
    String(STEPS),
    "--checkpoint-every",
    String(EVERY),
    "--seed",
    "3",
    "--out",
    out,
    ...extra,
  ]);
}

function checkpointStep(dir: string): number {
  const manifest = join(dir, "checkpoint", "checkpoint.json");
  if (!existsSync(manifest)) return 0;
  try {
    return (JSON.parse(readFileSync(manifest, "utf8")) as { step: number }).step;
  } catch {
    return 0;
  }
}

function metricLines(dir: string): number[] {
  const path = join(dir, "metrics.jsonl");
  if (!existsSync(path)) return [];
  return readFileSync(path, "utf8")
    .split("\n")
    .filter((line) => line.startsWith("{") && line.endsWith("}"))
    .map((line) => (JSON.parse(line) as { step: number }).step);
}

describe("figs search --resume after SIGKILL", () => {
  it("ends with the arch.json of an uninterrupted run", async () => {
    const whole = join(temp.dir, "whole");
    expect(await exited(search(whole))).toBe(0);

    const killed = join(temp.dir, "killed");
    const child = search(killed);
    const reached = await waitFor(child, () => checkpointStep(killed) >= EVERY);
    expect(reached).toBe(true);
    child.kill("SIGKILL");
    expect(await exited(child)).toBe(null);
    const saved = checkpointStep(killed);
    const done = metricLines(killed).length;
    expect(saved).toBeGreaterThanOrEqual(EVERY);
    // At most the steps since the last checkpoint are lost.
    expect(done - saved).toBeLessThanOrEqual(EVERY);
    expect(existsSync(join(killed, "export"))).toBe(false);

    expect(
      await exited(spawnFigs(["search", "--resume", "--out", killed, "--backend", "wasm", "--threads", "1"])),
    ).toBe(0);
    expect(metricLines(killed)).toEqual(Array.from({ length: STEPS }, (_, i) => i));
    const arch = (dir: string): string => readFileSync(join(dir, "export", "arch.json"), "utf8");
    expect(arch(killed)).toBe(arch(whole));
  });

  // SIGTERM takes the same path as Ctrl-C's SIGINT; SIGINT itself cannot be tested from here, because a
  // process started in the background by a non-interactive shell (as CI runners start tests) ignores it.
  it("saves a checkpoint of the last finished step on SIGTERM and exits with 130", async () => {
    const dir = join(temp.dir, "interrupted");
    const child = search(dir, ["--checkpoint-every", "1000", "--steps", "400"]);
    expect(await waitFor(child, () => metricLines(dir).length >= 5)).toBe(true);
    child.kill("SIGTERM");
    expect(await exited(child)).toBe(130);
    // Nothing lost: the checkpoint holds every step the metrics recorded.
    expect(checkpointStep(dir)).toBe(metricLines(dir).length);
    expect(checkpointStep(dir)).toBeLessThan(400);
    expect(existsSync(join(dir, "export"))).toBe(false);
  });
});
