// Pooling gradients on wasm, for both kernel engines, over random windows,
// strides and paddings. MaxPoolGrad matches the cpu backend (wasm's own did
// not). AvgPoolGrad is checked against tfjs's AvgPool forward itself: the
// pool is linear, so its gradient is the adjoint, <avgPool(x), dy> =
// <x, dx> for every x. (tfjs's own AvgPoolGrad fails that at the borders of
// a `same` pool: it divides by the whole window, the forward by the pixels
// inside the image.)
import * as tf from "@tensorflow/tfjs";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { activateWasm } from "../../runtime/backend/wasm.js";
import { jsEngine } from "../../runtime/kernels/engine.js";
import { maxAbs, maxAbsDiff, randomValues, testEngines } from "./helpers.js";

interface Case {
  shape: [number, number, number, number];
  k: number;
  stride: number;
  pad: "same" | "valid";
  seed: number;
}

const caseArb: fc.Arbitrary<Case> = fc
  .record({
    shape: fc.tuple(
      fc.integer({ min: 1, max: 3 }),
      fc.integer({ min: 1, max: 9 }),
      fc.integer({ min: 1, max: 9 }),
      fc.integer({ min: 1, max: 5 }),
    ),
    k: fc.integer({ min: 1, max: 4 }),
    stride: fc.integer({ min: 1, max: 3 }),
    pad: fc.constantFrom<"same" | "valid">("same", "valid"),
    seed: fc.integer({ min: 1, max: 2 ** 30 }),
  })
  .filter((c) => c.pad === "same" || (c.k <= c.shape[1] && c.k <= c.shape[2]));

function pool(kind: "max" | "avg", x: tf.Tensor4D, c: Case): tf.Tensor4D {
  return kind === "max" ? tf.maxPool(x, c.k, c.stride, c.pad) : tf.avgPool(x, c.k, c.stride, c.pad);
}

/** dx of Σ pool(x) ⊙ dy on `backend`, dy fixed by the seed. */
async function poolGrad(backend: string, kind: "max" | "avg", c: Case): Promise<Float32Array> {
  await tf.setBackend(backend);
  const n = c.shape.reduce((a, b) => a * b, 1);
  const x = tf.tensor4d(randomValues(n, c.seed), c.shape);
  const f = (t: tf.Tensor): tf.Scalar => {
    const y = pool(kind, t as tf.Tensor4D, c);
    return tf.sum(tf.mul(y, tf.tensor(randomValues(y.size, c.seed + 1), y.shape)));
  };
  const g = tf.grad(f)(x);
  const out = (await g.data()) as Float32Array;
  tf.dispose([x, g]);
  return out;
}

/**
 * The largest |<avgPool(x), dy> − <x, dx>| over three random x, relative to the terms' size, with tfjs's cpu forward.
 */
async function adjointError(c: Case, dx: Float32Array): Promise<number> {
  await tf.setBackend("cpu");
  let worst = 0;
  for (let trial = 0; trial < 3; trial++) {
    const x = tf.tensor4d(randomValues(dx.length, c.seed + 7 + trial), c.shape);
    const y = pool("avg", x, c);
    const dy = tf.tensor(randomValues(y.size, c.seed + 1), y.shape);
    const lhs = (await tf.sum(tf.mul(y, dy)).data())[0]!;
    const rhs = (await tf.sum(tf.mul(x, tf.tensor(dx, c.shape))).data())[0]!;
    worst = Math.max(worst, Math.abs(lhs - rhs) / Math.max(1, Math.abs(lhs)));
    tf.dispose([x, y, dy]);
  }
  return worst;
}

const { engines, native } = testEngines();

afterAll(async () => {
  expect(await activateWasm(native ?? jsEngine)).not.toBeNull();
});

for (const engine of engines) {
  describe(`pooling gradients on wasm (${engine.name} engine)`, () => {
    beforeAll(async () => {
      expect(await activateWasm(engine)).not.toBeNull();
    });

    it("maxPool matches cpu", async () => {
      await fc.assert(
        fc.asyncProperty(caseArb, async (c) => {
          const want = await poolGrad("cpu", "max", c);
          const got = await poolGrad("wasm", "max", c);
          expect(maxAbsDiff(got, want)).toBeLessThanOrEqual(1e-5 * Math.max(1, maxAbs(want)));
        }),
        { numRuns: 50, seed: 0x5eed },
      );
    });

    it("avgPool is the adjoint of tfjs's AvgPool forward", async () => {
      await fc.assert(
        fc.asyncProperty(caseArb, async (c) => {
          expect(await adjointError(c, await poolGrad("wasm", "avg", c))).toBeLessThanOrEqual(1e-5);
        }),
        { numRuns: 50, seed: 0x5eed },
      );
    });

    it("avgPool with `same` padding differs from tfjs's own gradient only at the borders", async () => {
      const c: Case = { shape: [1, 5, 5, 2], k: 3, stride: 1, pad: "same", seed: 11 };
      const ours = await poolGrad("wasm", "avg", c);
      const tfjs = await poolGrad("cpu", "avg", c);
      const differs = (h: number, w: number): boolean =>
        [0, 1].some((ch) => Math.abs(ours[(h * 5 + w) * 2 + ch]! - tfjs[(h * 5 + w) * 2 + ch]!) > 1e-6);
      expect(differs(2, 2)).toBe(false);
      expect(differs(0, 0)).toBe(true);
    });
  });
}
