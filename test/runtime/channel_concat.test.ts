// figs's Concat and SplitV on wasm (last axis, float32) match cpu exactly:
// values, the gradient of a concat (a SplitV) and of a split (a Concat), on
// random ranks, widths and axes; other axes and dtypes go to wasm's kernels.
import * as tf from "@tensorflow/tfjs";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { activateWasm } from "../../runtime/backend/wasm.js";
import { jsEngine } from "../../runtime/kernels/engine.js";
import { randomValues, testEngines } from "./helpers.js";

interface Case {
  lead: number[];
  widths: number[];
  axis: number;
  seed: number;
}

const caseArb: fc.Arbitrary<Case> = fc.record({
  lead: fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 0, maxLength: 3 }),
  // Widths up to 80 cover both the element loop and the `set` path (64 and wider).
  widths: fc.array(fc.integer({ min: 1, max: 80 }), { minLength: 2, maxLength: 5 }),
  axis: fc.constantFrom(-1, 0),
  seed: fc.integer({ min: 1, max: 2 ** 30 }),
});

/** Concatenates the parts, takes the gradient of a weighted sum through it, and splits a tensor back by the widths. */
async function run(backend: string, c: Case): Promise<Float32Array[]> {
  await tf.setBackend(backend);
  return tf.tidy(() => {
    const axis = c.axis === -1 || c.lead.length === 0 ? -1 : 0;
    const shapeOf = (w: number): number[] => (axis === -1 ? [...c.lead, w] : [w, ...c.lead]);
    const parts = c.widths.map((w, i) =>
      tf.tensor(randomValues(tf.util.sizeFromShape(shapeOf(w)), c.seed + i), shapeOf(w)),
    );
    const total = c.widths.reduce((a, b) => a + b, 0);
    const weights = tf.tensor(randomValues(tf.util.sizeFromShape(shapeOf(total)), c.seed + 99), shapeOf(total));
    const joined = tf.concat(parts, axis);
    const grads = tf.grads((...xs: tf.Tensor[]) => tf.sum(tf.mul(tf.concat(xs, axis), weights)))(parts);
    const split = tf.split(weights, c.widths, axis);
    const splitGrad = tf.grad((w: tf.Tensor) =>
      tf.addN(tf.split(w, c.widths, axis).map((s, i) => tf.mul(tf.sum(s), i + 1))),
    )(weights);
    return [joined, ...grads, ...split, splitGrad].map((t) => t.dataSync() as Float32Array);
  });
}

const { engines, native } = testEngines();

afterAll(async () => {
  expect(await activateWasm(native ?? jsEngine)).not.toBeNull();
});

for (const engine of engines) {
  const rows = engine.copyRows ? ", its row copy" : ", JS loops";
  describe(`Concat and SplitV on wasm (${engine.name} engine${rows})`, () => {
    beforeAll(async () => {
      expect(await activateWasm(engine)).not.toBeNull();
    });

    it("match cpu exactly, forward and backward", async () => {
      expect(tf.getKernel("Concat", "wasm")).toBeDefined();
      await fc.assert(
        fc.asyncProperty(caseArb, async (c) => {
          const want = await run("cpu", c);
          const got = await run("wasm", c);
          expect(got.map((a) => Array.from(a))).toEqual(want.map((a) => Array.from(a)));
        }),
        { numRuns: 60, seed: 0x5eed },
      );
    });

    it("leave int32 and other axes to wasm's kernels, with the same results as cpu", async () => {
      const ints = async (backend: string): Promise<number[]> => {
        await tf.setBackend(backend);
        return tf.tidy(() =>
          Array.from(
            tf.concat([tf.tensor2d([[1, 2]], [1, 2], "int32"), tf.tensor2d([[3]], [1, 1], "int32")], 1).dataSync(),
          ),
        );
      };
      expect(await ints("wasm")).toEqual(await ints("cpu"));
      expect(await ints("wasm")).toEqual([1, 2, 3]);
    });

    const copy = engine.copyRows;
    if (copy !== undefined) {
      it("its row copy refuses rows that would run past either array", () => {
        const dst = new Float32Array(10);
        copy(Float32Array.of(1, 2, 3, 4, 5, 6), 3, dst, 5, 2, 3);
        expect(Array.from(dst)).toEqual([1, 2, 3, 0, 0, 4, 5, 6, 0, 0]);
        expect(() => copy(new Float32Array(5), 3, dst, 5, 2, 3)).toThrow(/do not fit/);
        expect(() => copy(new Float32Array(6), 3, new Float32Array(7), 5, 2, 3)).toThrow(/do not fit/);
        expect(() => copy(new Float32Array(6), 2, dst, 5, 2, 3)).toThrow(/do not fit/);
      });
    }
  });
}
