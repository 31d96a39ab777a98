// figsAdam (one fused kernel per variable on wasm) follows tf.train.adam step
// for step, keeps its state layout (getWeights), and leaks nothing.
import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { activateWasm, bestGradEngine } from "../../runtime/backend/wasm.js";
import { figsAdam } from "../../runtime/kernels/adam.js";
import { maxAbsDiff, randomValues } from "./helpers.js";

const SHAPES = [[3, 3, 4, 8], [8], [17]];

function problem(seed: number): { vars: tf.Variable[]; loss: () => tf.Scalar } {
  const vars = SHAPES.map((s, i) =>
    tf.variable(
      tf.tensor(
        randomValues(
          s.reduce((a, b) => a * b, 1),
          seed + i,
        ),
        s,
      ),
    ),
  );
  const targets = SHAPES.map((s, i) =>
    tf.tensor(
      randomValues(
        s.reduce((a, b) => a * b, 1),
        seed + 10 + i,
      ),
      s,
    ),
  );
  const loss = (): tf.Scalar =>
    tf.addN(vars.map((v, i) => tf.sum(tf.mul(tf.square(tf.sub(v, targets[i]!)), tf.abs(targets[i]!))))) as tf.Scalar;
  return { vars, loss };
}

async function train(opt: tf.Optimizer, steps: number): Promise<{ values: Float32Array[]; weightNames: string[] }> {
  const { vars, loss } = problem(3);
  for (let i = 0; i < steps; i++) opt.minimize(loss, false, vars);
  const values = await Promise.all(vars.map((v) => v.data() as Promise<Float32Array>));
  const weightNames = (await opt.getWeights()).map((w) => w.name.replace(/^.*?(\/[mv])?$/, "$1"));
  tf.dispose(vars);
  opt.dispose();
  return { values, weightNames };
}

beforeAll(async () => {
  expect(await activateWasm(bestGradEngine())).not.toBeNull();
});

describe("figsAdam", () => {
  it("matches tf.train.adam over several steps", async () => {
    const want = await train(tf.train.adam(0.05), 6);
    const got = await train(figsAdam(0.05), 6);
    // float64 arithmetic in the fused update vs float32 ops: equal to ~1e-6.
    for (let i = 0; i < want.values.length; i++)
      expect(maxAbsDiff(got.values[i]!, want.values[i]!)).toBeLessThanOrEqual(2e-5);
    expect(got.weightNames).toEqual(want.weightNames);
  });

  it("resumes from tf.train.adam's saved weights", async () => {
    const { vars, loss } = problem(5);
    const reference = tf.train.adam(0.05);
    for (let i = 0; i < 3; i++) reference.minimize(loss, false, vars);
    const resumed = figsAdam(0.05);
    await resumed.setWeights(await reference.getWeights());
    const snapshot = vars.map((v) => v.clone());
    reference.minimize(loss, false, vars);
    const afterReference = await Promise.all(vars.map((v) => v.data() as Promise<Float32Array>));
    vars.forEach((v, i) => v.assign(snapshot[i]!));
    resumed.minimize(loss, false, vars);
    const afterResumed = await Promise.all(vars.map((v) => v.data() as Promise<Float32Array>));
    afterReference.forEach((r, i) => expect(maxAbsDiff(afterResumed[i]!, r)).toBeLessThanOrEqual(2e-5));
    tf.dispose([...vars, ...snapshot]);
    reference.dispose();
    resumed.dispose();
  });

  it("keeps the tensor count stable", () => {
    const { vars, loss } = problem(7);
    const opt = figsAdam(0.01);
    opt.minimize(loss, false, vars);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 20; i++) opt.minimize(loss, false, vars);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose(vars);
    opt.dispose();
  });
});
