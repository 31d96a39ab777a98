// A tf.layers model of the kind figs emits (conv, batch norm in training mode,
// depthwise conv, pooling, dense) trains on wasm: gradients match cpu.
import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { activateWasm, bestGradEngine } from "../../runtime/backend/wasm.js";
import { maxAbs, maxAbsDiff, randomValues } from "./helpers.js";

function model(): tf.LayersModel {
  const init = { kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }) };
  return tf.sequential({
    layers: [
      tf.layers.conv2d({
        inputShape: [10, 10, 3],
        filters: 8,
        kernelSize: 3,
        strides: 2,
        padding: "same",
        useBias: false,
        ...init,
      }),
      tf.layers.batchNormalization(),
      tf.layers.reLU(),
      tf.layers.depthwiseConv2d({
        kernelSize: 3,
        padding: "same",
        depthwiseInitializer: tf.initializers.glorotUniform({ seed: 4 }),
      }),
      tf.layers.batchNormalization(),
      tf.layers.conv2d({ filters: 12, kernelSize: 1, activation: "relu", ...init }),
      tf.layers.maxPooling2d({ poolSize: 2, strides: 2, padding: "same" }),
      tf.layers.globalAveragePooling2d({}),
      tf.layers.dense({ units: 4, ...init }),
    ],
  });
}

async function gradients(backend: string): Promise<Float32Array[]> {
  await tf.setBackend(backend);
  const m = model();
  const x = tf.tensor4d(randomValues(3 * 10 * 10 * 3, 5), [3, 10, 10, 3]);
  const y = tf.oneHot(tf.tensor1d([0, 2, 3], "int32"), 4);
  const { grads } = tf.variableGrads(
    () => tf.losses.softmaxCrossEntropy(y, m.apply(x, { training: true }) as tf.Tensor) as tf.Scalar,
    m.trainableWeights.map((w) => w.read() as tf.Variable),
  );
  const out = await Promise.all(Object.values(grads).map((g) => g.data() as Promise<Float32Array>));
  tf.dispose([x, y, ...Object.values(grads)]);
  m.dispose();
  return out;
}

beforeAll(async () => {
  expect(await activateWasm(bestGradEngine())).not.toBeNull();
});

describe("tf.layers models on wasm", () => {
  it("have the same gradients as on cpu", async () => {
    const want = await gradients("cpu");
    const got = await gradients("wasm");
    expect(got.length).toBe(want.length);
    for (let i = 0; i < want.length; i++) {
      expect(maxAbsDiff(got[i]!, want[i]!)).toBeLessThanOrEqual(1e-4 * Math.max(1, maxAbs(want[i]!)));
    }
  });
});
