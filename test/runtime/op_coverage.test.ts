// Every primitive the figs language emits can be trained on wasm: gradients
// of a small network using all of them (conv with bias, grouped-free dwconv
// with multiplier, pooling, activations including hardsigmoid and hardswish,
// concat, residual add, logistic-sigmoid mask, dense) agree with the cpu backend.
import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { activateWasm, bestGradEngine } from "../../runtime/backend/wasm.js";
import { batchNormTrain } from "../../runtime/kernels/batchnorm_op.js";
import { hardSigmoid, hardSwish } from "../../runtime/ops/hard-activations.js";
import { maxAbs, maxAbsDiff, randomValues } from "./helpers.js";

const SHAPES: Record<string, number[]> = {
  stem: [3, 3, 3, 8],
  stemBias: [8],
  dw: [5, 5, 8, 2],
  pw: [1, 1, 32, 8],
  gamma: [8],
  beta: [8],
  nu: [8],
  dense: [16, 4],
  denseBias: [4],
};

function params(seed: number): Record<string, tf.Tensor> {
  const out: Record<string, tf.Tensor> = {};
  let i = 0;
  for (const [name, shape] of Object.entries(SHAPES)) {
    const size = shape.reduce((a, b) => a * b, 1);
    out[name] = tf.tensor(randomValues(size, seed + 31 * i++), shape).mul(0.5);
  }
  return out;
}

function network(p: Record<string, tf.Tensor>, x: tf.Tensor4D): tf.Scalar {
  const g = (n: string): tf.Tensor => p[n]!;
  let h = tf.fused.conv2d({
    x,
    filter: g("stem") as tf.Tensor4D,
    strides: 2,
    pad: "same",
    bias: g("stemBias"),
    activation: "relu6",
  });
  const dw = tf.depthwiseConv2d(h, g("dw") as tf.Tensor4D, 1, "same");
  // The average pool pads explicitly and pools `valid`: with `same` padding tfjs's cpu
  // AvgPoolGrad is not the forward's gradient at the borders (figs's is; pool_grad.test.ts).
  const padded = tf.pad(dw, [
    [0, 0],
    [0, 1],
    [0, 1],
    [0, 0],
  ]);
  const pooled = tf.concat([tf.maxPool(dw, 3, 1, "same"), tf.avgPool(padded, 2, 1, "valid")], 3);
  const pw = tf.conv2d(pooled, g("pw") as tf.Tensor4D, 1, "valid");
  // Logistic-sigmoid mask with fixed noise, as the supernet applies it.
  const mask = tf.sigmoid(tf.div(tf.add(g("nu"), tf.scalar(0.3)), 0.5)) as tf.Tensor1D;
  const normed = batchNormTrain(pw, g("gamma") as tf.Tensor1D, g("beta") as tf.Tensor1D, mask, { relu: false });
  h = tf.add(h, tf.mul(normed, tf.sigmoid(normed))) as tf.Tensor4D;
  // hardswish gated by hardsigmoid, as the runtime's layers compute them (values reach both bends, ±3).
  h = tf.mul<tf.Tensor4D>(hardSwish(tf.mul(h, 3)), hardSigmoid(h));
  h = tf.maxPool(tf.elu(h), 2, 2, "valid");
  const feat = tf.concat([tf.mean(h, [1, 2]), tf.max(h, [1, 2])], 1) as tf.Tensor2D;
  const logits = tf.add(tf.matMul(tf.tanh(feat), g("dense") as tf.Tensor2D), g("denseBias"));
  return tf.losses.softmaxCrossEntropy(tf.oneHot(tf.tensor1d([0, 3], "int32"), 4), logits) as tf.Scalar;
}

async function gradients(backend: string): Promise<Float32Array[]> {
  await tf.setBackend(backend);
  const p = params(7);
  const x = tf.tensor4d(randomValues(2 * 12 * 12 * 3, 99), [2, 12, 12, 3]);
  const names = Object.keys(SHAPES);
  const grads = tf.grads((...ts: tf.Tensor[]) => network(Object.fromEntries(names.map((n, i) => [n, ts[i]!])), x))(
    names.map((n) => p[n]!),
  );
  const out = await Promise.all(grads.map((t) => t.data() as Promise<Float32Array>));
  tf.dispose([x, ...grads, ...Object.values(p)]);
  return out;
}

beforeAll(async () => {
  expect(await activateWasm(bestGradEngine())).not.toBeNull();
});

describe("op coverage for training on wasm", () => {
  it("matches cpu gradients for every primitive", async () => {
    const want = await gradients("cpu");
    const got = await gradients("wasm");
    for (let i = 0; i < want.length; i++) {
      expect(maxAbsDiff(got[i]!, want[i]!), Object.keys(SHAPES)[i]).toBeLessThanOrEqual(
        1e-4 * Math.max(1, maxAbs(want[i]!)),
      );
    }
  });
});
