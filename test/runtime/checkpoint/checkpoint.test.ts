import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { codeOf } from "../../../diagnostics/index.js";
import { MANIFEST_FILE, matchShapes, type Checkpoint } from "../../../runtime/checkpoint/format.js";
import { loadCheckpoint, saveCheckpoint } from "../../../runtime/checkpoint/store.js";
import { Prng } from "../../../runtime/data/prng.js";
import { errorOf, makeTempDir, valueOf } from "../data/helpers.js";

function sampleCheckpoint(step: number, scale = 1): Checkpoint {
  const rng = Prng.fromSeed(step);
  rng.nextUint32();
  return {
    step,
    epoch: Math.floor(step / 10),
    weights: {
      "conv1/kernel": {
        shape: [3, 3, 1, 4],
        data: Float32Array.from({ length: 36 }, (_, i) => (i - 18) * 0.125 * scale),
      },
      "conv1/nu": { shape: [4], data: Float32Array.from([2.5, -1, 0, Number.MIN_VALUE]) },
      scalar: { shape: [], data: Float32Array.from([step]) },
    },
    optimizer: {
      iter: { shape: [], data: Float32Array.from([step]) },
      "conv1/kernel/m": { shape: [3, 3, 1, 4], data: new Float32Array(36).fill(0.5 * scale) },
    },
    rng: { data: rng.state(), noise: Prng.fromSeed(99).state() },
    metadata: {
      lambda: 0.25,
      seed: 7,
      sourceHash: "abc123",
      settings: { batchSize: 64, cost: "params" },
      nested: [1, null, true],
    },
  };
}

function expectSame(actual: Checkpoint, expected: Checkpoint): void {
  expect(actual.step).toBe(expected.step);
  expect(actual.epoch).toBe(expected.epoch);
  expect(actual.rng).toEqual(expected.rng);
  expect(actual.metadata).toEqual(expected.metadata);
  for (const group of ["weights", "optimizer"] as const) {
    expect(Object.keys(actual[group]).sort()).toEqual(Object.keys(expected[group]).sort());
    for (const [name, array] of Object.entries(expected[group])) {
      expect(actual[group][name]!.shape).toEqual(array.shape);
      expect(Array.from(actual[group][name]!.data)).toEqual(Array.from(array.data));
    }
  }
}

function dataFileOf(dir: string): string {
  const manifest = JSON.parse(readFileSync(join(dir, MANIFEST_FILE), "utf8")) as { data: { file: string } };
  return join(dir, manifest.data.file);
}

describe("checkpoints", () => {
  let temp: ReturnType<typeof makeTempDir>;
  let dir: string;
  beforeEach(() => {
    temp = makeTempDir("ckpt");
    dir = join(temp.dir, "run", "checkpoints");
  });
  afterEach(() => temp.remove());

  it("round-trips weights, optimizer state, step, epoch, rng states and metadata", async () => {
    const checkpoint = sampleCheckpoint(120);
    const saved = valueOf(await saveCheckpoint(dir, checkpoint));
    expect(saved.bytes).toBe((36 + 4 + 1 + 1 + 36) * 4);
    const loaded = valueOf(await loadCheckpoint(dir));
    expectSame(loaded, checkpoint);
    const resumed = Prng.fromState(loaded.rng.data)!;
    const original = Prng.fromState(checkpoint.rng.data)!;
    expect(resumed.nextUint32()).toBe(original.nextUint32());
  });

  it("replaces the previous checkpoint and removes its data file", async () => {
    valueOf(await saveCheckpoint(dir, sampleCheckpoint(10)));
    valueOf(await saveCheckpoint(dir, sampleCheckpoint(20, 2)));
    expectSame(valueOf(await loadCheckpoint(dir)), sampleCheckpoint(20, 2));
    expect(readdirSync(dir).sort()).toEqual([MANIFEST_FILE, dataFileOf(dir).split("/").pop()!].sort());
  });

  it("survives a crash in the middle of a save: the previous checkpoint still loads", async () => {
    valueOf(await saveCheckpoint(dir, sampleCheckpoint(10)));
    // What a save killed at each point leaves behind: a half-written temporary
    // data file, a renamed data file whose manifest was never written, and a
    // half-written temporary manifest.
    writeFileSync(join(dir, ".checkpoint-4242-aaaaaaaaaaaa.tmp"), Buffer.alloc(50, 7));
    writeFileSync(join(dir, "checkpoint-20-0123456789abcdef.bin"), Buffer.alloc(80, 1));
    writeFileSync(join(dir, ".checkpoint-4242-bbbbbbbbbbbb.tmp"), '{"format": "figs-checkpoint", "step": 2');
    expectSame(valueOf(await loadCheckpoint(dir)), sampleCheckpoint(10));
    // The next save completes normally and clears the debris.
    valueOf(await saveCheckpoint(dir, sampleCheckpoint(30)));
    expectSame(valueOf(await loadCheckpoint(dir)), sampleCheckpoint(30));
    expect(readdirSync(dir).filter((name) => name.endsWith(".tmp") || name.startsWith("checkpoint-20-"))).toEqual([]);
  });

  it("reports a folder without a checkpoint", async () => {
    const failure = errorOf(await loadCheckpoint(join(temp.dir, "nothing-here")));
    expect(failure.code).toBe(codeOf("FileNotFound"));
    expect(failure.message).toMatch(
      /no checkpoint to load in .*nothing-here: checkpoint\.json: no such file or directory/,
    );
  });

  it("detects a changed byte in the data file by its sha256", async () => {
    valueOf(await saveCheckpoint(dir, sampleCheckpoint(5)));
    const dataFile = dataFileOf(dir);
    const bytes = readFileSync(dataFile);
    bytes[17] = bytes[17]! ^ 0x40;
    writeFileSync(dataFile, bytes);
    const failure = errorOf(await loadCheckpoint(dir));
    expect(failure.file).toBe(dataFile);
    expect(failure.message).toMatch(/is corrupt: its sha256 is [0-9a-f]{64}, the manifest recorded [0-9a-f]{64}/);
  });

  it("detects a truncated or missing data file", async () => {
    valueOf(await saveCheckpoint(dir, sampleCheckpoint(5)));
    const dataFile = dataFileOf(dir);
    writeFileSync(dataFile, readFileSync(dataFile).subarray(0, 100));
    expect(errorOf(await loadCheckpoint(dir)).message).toMatch(/has 100 bytes; its manifest says 312/);
    const { rmSync } = await import("node:fs");
    rmSync(dataFile);
    expect(errorOf(await loadCheckpoint(dir)).message).toMatch(
      /named by checkpoint\.json cannot be read: no such file or directory/,
    );
  });

  it("reports a manifest that is not JSON, of another version, or inconsistent", async () => {
    valueOf(await saveCheckpoint(dir, sampleCheckpoint(5)));
    const manifestPath = join(dir, MANIFEST_FILE);
    const good = JSON.parse(readFileSync(manifestPath, "utf8")) as Record<string, unknown>;
    const cases: [unknown, RegExp][] = [
      [{ ...good, version: 2 }, /has version 2; this figs reads version 1/],
      [{ ...good, format: "other" }, /not a figs checkpoint/],
      [{ ...good, step: -1 }, /step or epoch is not a non-negative integer/],
      [{ ...good, rng: { data: { algorithm: "xoshiro128**", words: [1] } } }, /rng states are malformed/],
      [{ ...good, data: { ...(good.data as object), file: "../elsewhere.bin" } }, /is not a plain file name/],
      [
        { ...good, weights: [{ name: "w", shape: [2, 2], offset: 0, length: 5 }] },
        /weights: array 'w' has 5 values but shape \[2, 2\]/,
      ],
      [
        { ...good, optimizer: [{ name: "m", shape: [1000], offset: 0, length: 1000 }] },
        /optimizer: array 'm' ends at byte 4000, past the 312-byte data file/,
      ],
      [
        {
          ...good,
          weights: [
            { name: "w", shape: [1], offset: 0, length: 1 },
            { name: "w", shape: [1], offset: 4, length: 1 },
          ],
        },
        /array 'w' appears twice/,
      ],
    ];
    for (const [manifest, message] of cases) {
      writeFileSync(manifestPath, JSON.stringify(manifest));
      expect(errorOf(await loadCheckpoint(dir)).message).toMatch(message);
    }
    writeFileSync(manifestPath, "{ not json");
    const failure = errorOf(await loadCheckpoint(dir));
    expect(failure.code).toBe(codeOf("InvalidJson"));
    expect(failure.file).toBe(manifestPath);
  });

  it("refuses to save arrays whose shape does not match their data, leaving the previous checkpoint", async () => {
    valueOf(await saveCheckpoint(dir, sampleCheckpoint(5)));
    const bad = { ...sampleCheckpoint(6), weights: { w: { shape: [2, 3], data: new Float32Array(5) } } };
    expect(errorOf(await saveCheckpoint(dir, bad)).message).toMatch(/weights 'w' has 5 values but shape \[2, 3\]/);
    expect(errorOf(await saveCheckpoint(dir, { ...sampleCheckpoint(6), step: 1.5 })).message).toMatch(
      /must be non-negative integers/,
    );
    expectSame(valueOf(await loadCheckpoint(dir)), sampleCheckpoint(5));
  });

  it("reports a folder it cannot write to as an error value", async () => {
    const blocker = join(temp.dir, "a-file");
    writeFileSync(blocker, "not a folder");
    expect(errorOf(await saveCheckpoint(join(blocker, "ckpt"), sampleCheckpoint(1))).message).toMatch(
      /cannot write checkpoint in .*a-file\/ckpt/,
    );
  });

  it("checks a checkpoint's arrays against the model being resumed", () => {
    const { weights } = sampleCheckpoint(1);
    const expected = { "conv1/kernel": [3, 3, 1, 4], "conv1/nu": [4], scalar: [] };
    expect(matchShapes(weights, expected, "ckpt").ok).toBe(true);
    const message = errorOf(matchShapes(weights, { ...expected, "conv1/nu": [8], dense: [2] }, "ckpt")).message;
    expect(message).toBe("checkpoint ckpt does not fit this model: missing dense; 'conv1/nu' is [4], expected [8]");
  });
});
