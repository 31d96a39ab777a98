import * as tf from "@tensorflow/tfjs";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { loadCheckpoint, saveCheckpoint } from "../../../runtime/checkpoint/store.js";
import { arraysFromTensors, assignVariables, tensorsFromArrays } from "../../../runtime/checkpoint/tensors.js";
import { Prng } from "../../../runtime/data/prng.js";
import { errorOf, makeTempDir, valueOf } from "../data/helpers.js";

beforeAll(async () => {
  await tf.setBackend("cpu");
});

/** One Adam step on a tiny quadratic, so the optimizer has moments to save. */
function adamStep(optimizer: tf.AdamOptimizer, w: tf.Variable): void {
  optimizer.minimize(() => tf.sum<tf.Scalar>(tf.square(tf.sub(w, tf.tensor1d([1, 2, 3])))), false, [w]);
}

describe("tensors in checkpoints", () => {
  let temp: ReturnType<typeof makeTempDir>;
  beforeEach(() => {
    temp = makeTempDir("tensors");
  });
  afterEach(() => temp.remove());

  it("saves variables and Adam state, and resumes to the same trajectory", async () => {
    const w = tf.variable(tf.tensor1d([0, 0, 0]), true, "w");
    const optimizer = tf.train.adam(0.1);
    adamStep(optimizer, w);
    const optimizerWeights = await optimizer.getWeights();
    const saved = valueOf(
      await saveCheckpoint(temp.dir, {
        step: 1,
        epoch: 0,
        weights: await arraysFromTensors([{ name: w.name, tensor: w }]),
        optimizer: await arraysFromTensors(optimizerWeights),
        rng: { data: Prng.fromSeed(1).state() },
        metadata: null,
      }),
    );
    expect(saved.bytes).toBeGreaterThan(0);
    adamStep(optimizer, w);
    const expected = Array.from(w.dataSync());

    const loaded = valueOf(await loadCheckpoint(temp.dir));
    const resumedW = tf.variable(tf.zeros([3]), true, "w_resumed");
    const before = tf.memory().numTensors;
    expect(valueOf(assignVariables([resumedW], { w_resumed: loaded.weights.w! }, "ckpt"))).toBe(1);
    expect(tf.memory().numTensors).toBe(before);
    const resumedOptimizer = tf.train.adam(0.1);
    const slots = tensorsFromArrays(loaded.optimizer).map(({ name, tensor }) => ({
      name: name.replace(/^w\//, "w_resumed/"),
      tensor,
    }));
    await resumedOptimizer.setWeights(slots);
    adamStep(resumedOptimizer, resumedW);
    const resumed = Array.from(resumedW.dataSync());
    resumed.forEach((value, i) => expect(value).toBeCloseTo(expected[i]!, 6));
    tf.dispose([w, resumedW, ...slots.map((s) => s.tensor)]);
    optimizer.dispose();
    resumedOptimizer.dispose();
  });

  it("refuses variables the checkpoint does not have or has in another shape", () => {
    const v = tf.variable(tf.zeros([2, 2]), true, "v");
    const data = { v: { shape: [4], data: new Float32Array(4) } };
    expect(errorOf(assignVariables([v], data, "ckpt")).message).toBe(
      "checkpoint ckpt has 'v' of shape [4], the model's is [2, 2]",
    );
    expect(errorOf(assignVariables([v], {}, "ckpt")).message).toBe("checkpoint ckpt has no values for variable 'v'");
    v.dispose();
  });
});
