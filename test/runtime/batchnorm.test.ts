// The fused training batch norm (BN → optional ReLU → per-channel scale) on
// wasm, with each engine, matches the composite tfjs ops on cpu: values and
// all four gradients, on random shapes.
import * as tf from "@tensorflow/tfjs";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { activateWasm } from "../../runtime/backend/wasm.js";
import { batchNormTrain } from "../../runtime/kernels/batchnorm_op.js";
import { jsEngine } from "../../runtime/kernels/engine.js";
import { registerWasmKernels } from "../../runtime/kernels/register_wasm.js";
import { maxAbs, maxAbsDiff, randomValues, testEngines } from "./helpers.js";

interface Case {
  shape: [number, number, number, number];
  relu: boolean;
  seed: number;
}

const caseArb: fc.Arbitrary<Case> = fc
  .record({
    shape: fc.tuple(
      fc.integer({ min: 1, max: 4 }),
      fc.integer({ min: 1, max: 5 }),
      fc.integer({ min: 1, max: 5 }),
      fc.integer({ min: 1, max: 19 }),
    ),
    relu: fc.boolean(),
    seed: fc.integer({ min: 1, max: 2 ** 30 }),
  })
  .filter((c) => c.shape[0] * c.shape[1] * c.shape[2] > 1);

async function valueAndGrads(backend: string, c: Case): Promise<Float32Array[]> {
  await tf.setBackend(backend);
  const C = c.shape[3];
  const n = c.shape.reduce((a, b) => a * b, 1);
  const x = tf.tensor4d(randomValues(n, c.seed), c.shape);
  const gamma = tf.tensor1d(randomValues(C, c.seed + 1));
  const beta = tf.tensor1d(randomValues(C, c.seed + 2));
  const scale = tf.tensor1d(randomValues(C, c.seed + 3));
  const dy = tf.tensor4d(randomValues(n, c.seed + 4), c.shape);
  const f = (a: tf.Tensor, g: tf.Tensor, b: tf.Tensor, s: tf.Tensor): tf.Tensor =>
    tf.mul(batchNormTrain(a, g as tf.Tensor1D, b as tf.Tensor1D, s as tf.Tensor1D, { relu: c.relu }), dy).sum();
  const y = batchNormTrain(x, gamma, beta, scale, { relu: c.relu });
  const grads = tf.grads(f)([x, gamma, beta, scale]);
  const out = await Promise.all([y, ...grads].map((t) => t.data() as Promise<Float32Array>));
  tf.dispose([x, gamma, beta, scale, dy, y, ...grads]);
  return out;
}

const { engines } = testEngines();

beforeAll(async () => {
  expect(await activateWasm(jsEngine)).not.toBeNull();
});

describe("fused training batch norm", () => {
  for (const engine of engines) {
    it(`matches the composite ops on cpu (${engine.name} engine)`, async () => {
      registerWasmKernels(engine);
      await fc.assert(
        fc.asyncProperty(caseArb, async (c) => {
          const want = await valueAndGrads("cpu", c);
          const got = await valueAndGrads("wasm", c);
          for (let i = 0; i < want.length; i++) {
            expect(maxAbsDiff(got[i]!, want[i]!)).toBeLessThanOrEqual(2e-4 * Math.max(1, maxAbs(want[i]!)));
          }
        }),
        { numRuns: 40, seed: 0x5eed },
      );
    });
  }
});
