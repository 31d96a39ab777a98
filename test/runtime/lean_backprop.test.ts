// The releasing backward pass: the same gradients as tfjs's own, no tensor
// left behind, a user's dy untouched, higher-order gradients unchanged, and a
// peak that no longer holds every activation until the end.
import * as tf from "@tensorflow/tfjs";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { buildN1, loss, trainableVariables } from "../../bench/train-vs-pytorch/n1.js";
import { installLeanBackprop, uninstallLeanBackprop } from "../../runtime/backend/lean-backprop.js";
import { maxAbsDiff } from "./helpers.js";

beforeAll(async () => {
  await tf.setBackend("cpu");
});

afterEach(() => {
  uninstallLeanBackprop();
});

async function n1Gradients(): Promise<{ values: Float32Array[]; leaked: number }> {
  const net = buildN1(7);
  const images = tf.randomUniform([2, 16, 16, 3], -1, 1, "float32", 3) as tf.Tensor4D;
  const labels = tf.oneHot(tf.tensor1d([3, 7], "int32"), 10).toFloat() as tf.Tensor2D;
  const vars = trainableVariables(net);
  const before = tf.memory().numTensors;
  const { value, grads } = tf.variableGrads(() => loss(net, images, labels), vars);
  const leaked = tf.memory().numTensors - before - vars.length - 1;
  const values = await Promise.all(vars.map((v) => grads[v.name]!.data() as Promise<Float32Array>));
  tf.dispose([value, images, labels, ...Object.values(grads), ...vars]);
  return { values, leaked };
}

/** x ↦ x·1 with the given gradient function of dy. */
function customIdentity(gradient: (dy: tf.Tensor) => tf.Tensor): (x: tf.Tensor) => tf.Tensor {
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [x, save] = args as [tf.Tensor, tf.GradSaveFunc];
    save([]);
    return { value: tf.mul(x, 1), gradFunc: gradient };
  });
  return (x) => op(x);
}

/** A chain of `links` full-size ops on x, with a custom op first whose gradient records the bytes alive. */
function chainPeak(links: number): number {
  let bytesAtFirstNode = 0;
  const probe = customIdentity((dy) => {
    bytesAtFirstNode = tf.memory().numBytes;
    return dy.clone();
  });
  const x = tf.tidy(() => tf.variable(tf.randomNormal([256, 1024])));
  const { value, grads } = tf.variableGrads(() => {
    let h = probe(x);
    for (let i = 0; i < links; i++) h = tf.sin(tf.mul(h, 1.01));
    return tf.sum(h);
  }, [x]);
  tf.dispose([value, x, ...Object.values(grads)]);
  return bytesAtFirstNode;
}

describe("lean backprop", () => {
  it("gives N1 the same gradients as tfjs's own backward pass, and leaks nothing", async () => {
    const reference = await n1Gradients();
    installLeanBackprop();
    const lean = await n1Gradients();
    expect(lean.values).toHaveLength(reference.values.length);
    lean.values.forEach((g, i) => expect(maxAbsDiff(g, reference.values[i]!)).toBe(0));
    expect(lean.leaked).toBe(0);
    expect(reference.leaked).toBe(0);
  });

  it("releases what the walk has passed: the bytes alive at the first node no longer grow with the chain", () => {
    const tfjsShort = chainPeak(4);
    const tfjsLong = chainPeak(16);
    installLeanBackprop();
    const leanShort = chainPeak(4);
    const leanLong = chainPeak(16);
    const tensorBytes = 256 * 1024 * 4;
    // tfjs keeps each link's saved input and its gradient: ≥ 2 tensors more per link.
    expect(tfjsLong - tfjsShort).toBeGreaterThanOrEqual(12 * 2 * tensorBytes);
    expect(leanLong - leanShort).toBeLessThan(tensorBytes);
  });

  it("leaves a dy passed by the caller alive, and returns its gradients", () => {
    installLeanBackprop();
    const x = tf.tensor1d([1, 2, 3]);
    const dy = tf.tensor1d([1, 10, 100]);
    const g = tf.grad((t: tf.Tensor) => tf.mul(t, t))(x, dy);
    expect(Array.from(g.dataSync())).toEqual([2, 40, 600]);
    expect(dy.isDisposed).toBe(false);
    tf.dispose([x, dy, g]);
  });

  it("adds the gradients of a tensor used twice, and of an op whose gradient is its dy", () => {
    installLeanBackprop();
    const passDy = customIdentity((dy) => dy);
    const x = tf.tensor1d([1, 2, 3]);
    const twice = tf.grad((t: tf.Tensor) => tf.mul(tf.add(tf.add(t, t), passDy(t)), 2))(x);
    expect(Array.from(twice.dataSync())).toEqual([6, 6, 6]);
    // x's gradient is the very tensor passDy got as dy, which the walk releases after passDy's node.
    const passed = tf.grad((t: tf.Tensor) => tf.mul(passDy(t), 2))(x);
    expect(passed.isDisposed).toBe(false);
    expect(Array.from(passed.dataSync())).toEqual([2, 2, 2]);
    tf.dispose([x, twice, passed]);
  });

  it("leaves higher-order gradients to tfjs, with the same result", () => {
    installLeanBackprop();
    const x = tf.tensor1d([0.5, -1, 2]);
    const second = tf.grad(tf.grad((t: tf.Tensor) => tf.mul(tf.mul(t, t), t)))(x);
    expect(Array.from(second.dataSync())).toEqual([3, -6, 12]);
    tf.dispose([x, second]);
  });

  it("still says when f does not depend on x", () => {
    installLeanBackprop();
    const x = tf.scalar(1);
    expect(() => tf.grad(() => tf.scalar(2))(x)).toThrow(/f does not use x/);
    x.dispose();
  });
});
