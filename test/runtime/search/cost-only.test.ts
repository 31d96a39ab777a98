// The cost-only ablation (issue 14): the same search with the cross-entropy's gradient to ν
// stopped. Its ν moves by λ·∂E[cost]/∂ν alone (one Adam step with ε = 1: Δν = −lr·g/(|g| + 1)),
// while FiGS's ν also learns from the data; the weights train the same way in both.
import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { CostModel, irContents } from "../../../compiler/index.js";
import { SupernetTrainer } from "../../../runtime/search/index.js";
import { mnist, settings, smallIr, useWasm } from "./helpers.js";

beforeAll(() => useWasm());

/** A warm temperature, so the cross-entropy's gradient reaches ν in one step (at τ = 0.001 it rarely does). */
const WARM = { temperature: 1, archLearningRate: 0.3, seed: 4 } as const;

function batch(): { images: tf.Tensor4D; labels: tf.Tensor1D } {
  const data = mnist(64);
  const images = tf.tensor4d(data.train.images.slice(0, 32 * 28 * 28), [32, 28, 28, 1]);
  const labels = tf.tensor1d(Array.from(data.train.labels.slice(0, 32)), "int32");
  return { images, labels };
}

describe("the cost-only ablation", () => {
  const ir = smallIr();

  it("at λ = 0 leaves ν where it was, while FiGS's ν moves; the weights move in both", async () => {
    const { images, labels } = batch();
    for (const method of ["cost-only", "figs"] as const) {
      const trainer = new SupernetTrainer(ir, settings({ ...WARM, method }));
      const before = trainer.logitValues();
      const weight = trainer.model.getWeights()[0]!.dataSync().slice();
      await trainer.step(images, labels, 0);
      const after = trainer.logitValues();
      const moved = after.reduce((n, v, i) => n + (v !== before[i] ? 1 : 0), 0);
      if (method === "cost-only") expect(moved).toBe(0);
      else expect(moved).toBeGreaterThan(after.length / 2);
      expect(trainer.model.getWeights()[0]!.dataSync()).not.toEqual(weight);
      trainer.dispose();
    }
    tf.dispose([images, labels]);
  });

  it("at λ > 0 moves ν by λ·∂E[cost]/∂ν alone: one Adam step of the cost's gradient", async () => {
    const { images, labels } = batch();
    const lambda = 1e-4;
    const trainer = new SupernetTrainer(ir, settings({ ...WARM, method: "cost-only" }));
    const nu = trainer.logitValues();
    const pi = Float64Array.from(nu, (v) => 1 / (1 + Math.exp(-v)));
    const { plan, cost } = irContents(ir);
    const dEdPi = new CostModel(plan.groups, cost).expectedGradient("params", pi);
    await trainer.step(images, labels, lambda);
    const after = trainer.logitValues();
    for (let i = 0; i < nu.length; i += 7) {
      const g = lambda * dEdPi[i]! * pi[i]! * (1 - pi[i]!);
      expect(after[i]! - nu[i]!, `ν_${i}`).toBeCloseTo((-0.3 * g) / (Math.abs(g) + 1), 5);
    }
    trainer.dispose();
    tf.dispose([images, labels]);
  });
});
