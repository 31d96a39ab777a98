// Pooling gradients on wasm match cpu for random windows, strides and
// paddings (wasm's own MaxPoolGrad did not; figs replaces it).
import * as tf from "@tensorflow/tfjs";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { activateWasm, bestGradEngine } from "../../runtime/backend/wasm.js";
import { maxAbs, maxAbsDiff, randomValues } from "./helpers.js";

interface Case {
  shape: [number, number, number, number];
  k: number;
  stride: number;
  pad: "same" | "valid";
  seed: number;
}

const caseArb: fc.Arbitrary<Case> = fc
  .record({
    shape: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 5 })),
    k: fc.integer({ min: 1, max: 4 }),
    stride: fc.integer({ min: 1, max: 3 }),
    pad: fc.constantFrom<"same" | "valid">("same", "valid"),
    seed: fc.integer({ min: 1, max: 2 ** 30 }),
  })
  .filter((c) => c.pad === "same" || (c.k <= c.shape[1] && c.k <= c.shape[2]));

async function poolGrad(backend: string, kind: "max" | "avg", c: Case): Promise<Float32Array> {
  await tf.setBackend(backend);
  const n = c.shape.reduce((a, b) => a * b, 1);
  const x = tf.tensor4d(randomValues(n, c.seed), c.shape);
  const f = (t: tf.Tensor): tf.Scalar => {
    const y = kind === "max" ? tf.maxPool(t as tf.Tensor4D, c.k, c.stride, c.pad) : tf.avgPool(t as tf.Tensor4D, c.k, c.stride, c.pad);
    return tf.sum(tf.mul(y, tf.tensor(randomValues(y.size, c.seed + 1), y.shape)));
  };
  const g = tf.grad(f)(x);
  const out = (await g.data()) as Float32Array;
  tf.dispose([x, g]);
  return out;
}

beforeAll(async () => {
  expect(await activateWasm(bestGradEngine())).not.toBeNull();
});

describe("pooling gradients on wasm match cpu", () => {
  for (const kind of ["max", "avg"] as const) {
    it(`${kind}Pool`, async () => {
      await fc.assert(
        fc.asyncProperty(caseArb, async (c) => {
          const want = await poolGrad("cpu", kind, c);
          const got = await poolGrad("wasm", kind, c);
          expect(maxAbsDiff(got, want)).toBeLessThanOrEqual(1e-5 * Math.max(1, maxAbs(want)));
        }),
        { numRuns: 50 },
      );
    });
  }
});
