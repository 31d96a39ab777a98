// Adaptive sampling (issue 14; FP-NAS): k = clamp(round(K·H/H₀), 1, K) mask samples per step,
// each on its own slice of the batch, with H the masks' mean binary entropy and H₀ its value
// at the initial ν.
import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import {
  batchSlices,
  binaryEntropy,
  maskEntropy,
  samplesForEntropy,
} from "../../../runtime/search/adaptive-samples.js";
import { SupernetTrainer } from "../../../runtime/search/index.js";
import { mnist, settings, smallIr, useWasm } from "./helpers.js";

beforeAll(() => useWasm());

describe("the number of samples", () => {
  const nu0 = 2.5;
  const h0 = binaryEntropy(1 / (1 + Math.exp(-nu0)));

  it("is K at the initial entropy, 1 once the masks are certain, and falls in between", () => {
    expect(samplesForEntropy(h0, nu0, 4)).toBe(4);
    expect(samplesForEntropy(0, nu0, 4)).toBe(1);
    expect(samplesForEntropy(h0 / 2, nu0, 4)).toBe(2);
    expect(samplesForEntropy(h0 / 4, nu0, 8)).toBe(2);
    // More uncertain than at the start (ν pulled toward 0) still takes at most K.
    expect(samplesForEntropy(1, nu0, 4)).toBe(4);
    let previous = Infinity;
    for (let h = h0; h >= 0; h -= h0 / 20) {
      const k = samplesForEntropy(h, nu0, 6);
      expect(k).toBeLessThanOrEqual(previous);
      previous = k;
    }
  });

  it("is 1 with K = 1, or when the masks start certain", () => {
    expect(samplesForEntropy(0.5, nu0, 1)).toBe(1);
    expect(samplesForEntropy(0.5, 1000, 4)).toBe(1);
  });

  it("comes from the masks' mean binary entropy in bits", () => {
    expect(binaryEntropy(0.5)).toBe(1);
    expect(binaryEntropy(0)).toBe(0);
    expect(maskEntropy([0, 0])).toBeCloseTo(1, 12);
    expect(maskEntropy([0, 50])).toBeCloseTo(0.5, 6);
  });

  it("splits the batch into k contiguous slices of sizes that differ by at most one", () => {
    expect(batchSlices(10, 3)).toEqual([
      [0, 4],
      [4, 3],
      [7, 3],
    ]);
    expect(batchSlices(2, 5)).toEqual([
      [0, 1],
      [1, 1],
    ]);
    expect(batchSlices(8, 1)).toEqual([[0, 8]]);
  });
});

describe("a search step with adaptive sampling", () => {
  it("draws k masks (one per slice) while uncertain, and one once the masks are certain", async () => {
    const ir = smallIr();
    const trainer = new SupernetTrainer(ir, settings({ samples: 4, seed: 2 }));
    const data = mnist(64);
    const images = tf.tensor4d(data.train.images.slice(0, 32 * 28 * 28), [32, 28, 28, 1]);
    const labels = tf.tensor1d(Array.from(data.train.labels.slice(0, 32)), "int32");
    const before = trainer.supernet.masks.draws;
    const first = await trainer.step(images, labels, 0);
    expect(first.samples).toBe(4);
    expect(trainer.supernet.masks.draws - before).toBe(4);
    expect(Number.isFinite(first.loss)).toBe(true);
    // Certain masks: every ν far from 0.
    for (const variable of trainer.supernet.masks.logitVariables().values())
      variable.write(tf.fill(variable.shape as number[], 12));
    const later = await trainer.step(images, labels, 0);
    expect(later.samples).toBe(1);
    trainer.dispose();
    tf.dispose([images, labels]);
  });
});
