// figs's Sum / Mean / Tile on wasm (fast paths for channel reductions and row
// broadcasts, wasm's own kernels otherwise) match cpu on random shapes/axes.
import * as tf from "@tensorflow/tfjs";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { activateWasm, bestGradEngine } from "../../runtime/backend/wasm.js";
import { maxAbs, maxAbsDiff, randomValues, runOn } from "./helpers.js";

const shapeArb = fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 4 });

const reduceArb = shapeArb.chain((shape) =>
  fc.record({
    shape: fc.constant(shape),
    axes: fc.oneof(
      fc.constant(shape.slice(0, -1).map((_, i) => i)),
      // The spatial axes of an image: global average pooling.
      fc.constant(shape.length >= 3 ? shape.slice(1, -1).map((_, i) => i + 1) : [0]),
      fc.subarray(
        shape.map((_, i) => i),
        { minLength: 1 },
      ),
    ),
    keepDims: fc.boolean(),
    seed: fc.integer({ min: 1, max: 2 ** 30 }),
  }),
);

const tileArb = shapeArb.chain((shape) =>
  fc.record({
    shape: fc.oneof(fc.constant(shape.map((d, i) => (i === shape.length - 1 ? d : 1))), fc.constant(shape)),
    reps: fc.tuple(
      ...shape.map((_, i) =>
        i === shape.length - 1 ? fc.integer({ min: 1, max: 2 }) : fc.integer({ min: 1, max: 4 }),
      ),
    ),
    seed: fc.integer({ min: 1, max: 2 ** 30 }),
  }),
);

beforeAll(async () => {
  expect(await activateWasm(bestGradEngine())).not.toBeNull();
});

describe("reductions and tiles on wasm match cpu", () => {
  for (const kernel of ["Sum", "Mean"]) {
    it(kernel, async () => {
      await fc.assert(
        fc.asyncProperty(reduceArb, async (c) => {
          const n = c.shape.reduce((a, b) => a * b, 1);
          const inputs = { x: { shape: c.shape, values: randomValues(n, c.seed) } };
          const attrs: tf.NamedAttrMap = { axis: c.axes, keepDims: c.keepDims };
          const want = await runOn("cpu", kernel, inputs, attrs);
          const got = await runOn("wasm", kernel, inputs, attrs);
          expect(maxAbsDiff(got, want)).toBeLessThanOrEqual(1e-5 * Math.max(1, maxAbs(want)));
        }),
        { numRuns: 60, seed: 0x5eed },
      );
    });
  }

  it("global average pooling keeps tf's output shape and values", async () => {
    const pool = async (backend: string): Promise<{ shape: number[]; values: number[] }> => {
      await tf.setBackend(backend);
      return tf.tidy(() => {
        const y = tf.mean(tf.tensor4d(randomValues(2 * 3 * 4 * 5, 7), [2, 3, 4, 5]), [1, 2]);
        return { shape: y.shape, values: Array.from(y.dataSync()) };
      });
    };
    const [want, got] = [await pool("cpu"), await pool("wasm")];
    expect(got.shape).toEqual([2, 5]);
    expect(maxAbsDiff(Float32Array.from(got.values), Float32Array.from(want.values))).toBeLessThanOrEqual(1e-6);
  });

  it("Tile", async () => {
    await fc.assert(
      fc.asyncProperty(tileArb, async (c) => {
        const n = c.shape.reduce((a, b) => a * b, 1);
        const inputs = { x: { shape: c.shape, values: randomValues(n, c.seed) } };
        const attrs: tf.NamedAttrMap = { reps: [...c.reps] };
        const want = await runOn("cpu", "Tile", inputs, attrs);
        const got = await runOn("wasm", "Tile", inputs, attrs);
        expect(maxAbsDiff(got, want)).toBe(0);
      }),
      { numRuns: 60, seed: 0x5eed },
    );
  });
});
