// Bias correction of batch norm's moving statistics at the end of a short training (runtime/train/bn-debias.ts).
import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { FigsBatchNorm } from "../../../runtime/emit/batch-norm.js";
import { debiasMovingStatistics } from "../../../runtime/train/bn-debias.js";

/** A model of one batch norm over 2 channels, and `steps` training batches whose statistics are known. */
function trained(layer: tf.layers.Layer, batches: readonly number[][][]): tf.LayersModel {
  const input = tf.input({ shape: [2] });
  const model = tf.model({ inputs: input, outputs: layer.apply(input) as tf.SymbolicTensor });
  for (const batch of batches) tf.tidy(() => void model.apply(tf.tensor2d(batch), { training: true }));
  return model;
}

// Batch i (i = 1..3) holds rows (i, 10·i) and (3i, 30·i): channel 0 has mean 2i and biased variance i².
const BATCHES = [1, 2, 3].map((i) => [
  [i, 10 * i],
  [3 * i, 30 * i],
]);

/** The exact average the correction must give: batch i weighted (1 − m)·m^(t−i), normalised. */
function expected(momentum: number, statistic: (i: number) => number): number {
  const weights = [1, 2, 3].map((i) => (1 - momentum) * momentum ** (3 - i));
  const total = weights.reduce((a, b) => a + b, 0);
  return weights.reduce((sum, w, k) => sum + w * statistic(k + 1), 0) / total;
}

describe("debiasMovingStatistics", () => {
  it.each([
    ["figs's batch norm", () => new FigsBatchNorm({ momentum: 0.9 })],
    ["tf.layers' batch norm", () => tf.layers.batchNormalization({ momentum: 0.9 })],
  ])("turns %s's moving averages into the weighted average of the batches' statistics", (_, make) => {
    const model = trained(make(), BATCHES);
    const [, , movingMean, movingVariance] = model.layers[1]!.getWeights();
    // Before: 0.9³ of the start (0 and 1) is still in them.
    expect(movingMean!.dataSync()[0]).toBeCloseTo(0.1 * (0.81 * 2 + 0.9 * 4 + 6), 5);
    expect(movingVariance!.dataSync()[0]).toBeCloseTo(0.729 + 0.1 * (0.81 * 1 + 0.9 * 4 + 9), 4);
    expect(debiasMovingStatistics(model, 3)).toBe(1);
    const [, , mean, variance] = model.layers[1]!.getWeights();
    expect(mean!.dataSync()[0]).toBeCloseTo(
      expected(0.9, (i) => 2 * i),
      4,
    );
    expect(mean!.dataSync()[1]).toBeCloseTo(
      expected(0.9, (i) => 20 * i),
      3,
    );
    expect(variance!.dataSync()[0]).toBeCloseTo(
      expected(0.9, (i) => i * i),
      4,
    );
  });

  it("changes nothing after a run long enough for the start to vanish, or before any step", () => {
    const model = trained(new FigsBatchNorm({ momentum: 0.5 }), BATCHES);
    const before = model.layers[1]!.getWeights().map((w) => Array.from(w.dataSync()));
    debiasMovingStatistics(model, 10_000);
    debiasMovingStatistics(model, 0);
    expect(model.layers[1]!.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(before);
  });
});
