// Atomicity under a real crash: a process saving checkpoints in a loop is
// killed with SIGKILL at some point during its third save or later (a few
// delays, so the kill lands in different phases of a save); whatever it was
// doing, the folder must hold one whole checkpoint.
import { spawn } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadCheckpoint } from "../../../runtime/checkpoint/store.js";
import { errorOf, makeTempDir, valueOf } from "../data/helpers.js";

const WRITER = fileURLToPath(new URL("./crash-writer.ts", import.meta.url));

/** Runs the writer until it announces save number `killAt`, then SIGKILLs it `delayMs` later. */
function runAndKill(dir: string, killAt: number, delayMs: number): Promise<NodeJS.Signals | null> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", WRITER, dir], { stdio: ["ignore", "pipe", "inherit"] });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes(`saving ${killAt}\n`)) setTimeout(() => child.kill("SIGKILL"), delayMs);
    });
    child.on("error", reject);
    child.on("exit", (_code, signal) => resolve(signal));
  });
}

describe("a save killed with SIGKILL", () => {
  let temp: ReturnType<typeof makeTempDir>;
  beforeEach(() => {
    temp = makeTempDir("crash");
  });
  afterEach(() => temp.remove());

  for (const delayMs of [4, 12, 30]) {
    it(`leaves a whole earlier checkpoint that loads and verifies (kill ${delayMs} ms into save 3)`, async () => {
      const dir = join(temp.dir, "ckpt");
      expect(errorOf(await loadCheckpoint(dir)).message).toMatch(/no checkpoint to load/);
      expect(await runAndKill(dir, 3, delayMs)).toBe("SIGKILL");
      const loaded = valueOf(await loadCheckpoint(dir));
      const step = loaded.step;
      expect(step).toBeGreaterThanOrEqual(2);
      const weights = loaded.weights.w!.data;
      expect(weights.length).toBe(1 << 20);
      expect(weights.every((v) => v === step)).toBe(true);
      expect(Array.from(loaded.optimizer.m!.data)).toEqual([step, step]);
      expect(loaded.metadata).toEqual({ step });
    });
  }
});
