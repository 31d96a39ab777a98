// UnsortedSegmentSum (the gradient of gather, which wasm lacks) matches cpu,
// directly and through the gradient of tf.gather.
import * as tf from "@tensorflow/tfjs";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { activateWasm, bestGradEngine } from "../../runtime/backend/wasm.js";
import { maxAbs, maxAbsDiff, randomValues } from "./helpers.js";

interface Case {
  rows: number;
  inner: number;
  picks: number[];
  seed: number;
}

const caseArb: fc.Arbitrary<Case> = fc
  .record({
    rows: fc.integer({ min: 1, max: 8 }),
    inner: fc.integer({ min: 1, max: 5 }),
    seed: fc.integer({ min: 1, max: 2 ** 30 }),
  })
  .chain((c) =>
    fc.record({
      rows: fc.constant(c.rows),
      inner: fc.constant(c.inner),
      seed: fc.constant(c.seed),
      picks: fc.array(fc.integer({ min: 0, max: c.rows - 1 }), { minLength: 1, maxLength: 12 }),
    }),
  );

async function gatherGrad(backend: string, c: Case): Promise<Float32Array> {
  await tf.setBackend(backend);
  const x = tf.tensor2d(randomValues(c.rows * c.inner, c.seed), [c.rows, c.inner]);
  const idx = tf.tensor1d(c.picks, "int32");
  const w = tf.tensor2d(randomValues(c.picks.length * c.inner, c.seed + 1), [c.picks.length, c.inner]);
  const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.gather(t, idx), w)))(x);
  const out = (await g.data()) as Float32Array;
  tf.dispose([x, idx, w, g]);
  return out;
}

beforeAll(async () => {
  expect(await activateWasm(bestGradEngine())).not.toBeNull();
});

describe("UnsortedSegmentSum on wasm", () => {
  it("gives tf.gather the same gradient as cpu", async () => {
    await fc.assert(
      fc.asyncProperty(caseArb, async (c) => {
        const want = await gatherGrad("cpu", c);
        const got = await gatherGrad("wasm", c);
        expect(maxAbsDiff(got, want)).toBeLessThanOrEqual(1e-5 * Math.max(1, maxAbs(want)));
      }),
      { numRuns: 50, seed: 0x5eed },
    );
  });

  it("sums repeated segment ids like cpu", async () => {
    const run = async (backend: string): Promise<Float32Array> => {
      await tf.setBackend(backend);
      const r = tf.unsortedSegmentSum(tf.tensor1d([1, 2, 3, 4]), tf.tensor1d([0, 2, 2, 1], "int32"), 3);
      const out = (await r.data()) as Float32Array;
      r.dispose();
      return out;
    };
    expect(Array.from(await run("wasm"))).toEqual(Array.from(await run("cpu")));
  });
});
