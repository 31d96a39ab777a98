// The supernet's channel mask (runtime/kernels/channel_mask.ts): with the
// native engine on wasm one FigsChannelMask kernel forward and one
// FigsChannelMaskGrad backward; elsewhere tfjs's Concat, Gather and Multiply.
// Both give the cpu backend's values on random shapes: y and dx exactly (one
// product each), dmasks to float32 rounding of its sums. Channels without a
// mask (−1) and masks shared by several channels are in every case.
import * as tf from "@tensorflow/tfjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { activateWasm } from "../../runtime/backend/wasm.js";
import {
  CHANNEL_MASK,
  CHANNEL_MASK_GRAD,
  applyChannelMask,
  gatherIndices,
} from "../../runtime/kernels/channel_mask.js";
import { jsEngine } from "../../runtime/kernels/engine.js";
import { maxAbs, maxAbsDiff, randomValues, testEngines } from "./helpers.js";

interface Case {
  readonly shape: number[];
  readonly masks: number;
  readonly indices: number[];
  readonly seed: number;
}

function randomCase(seed: number): Case {
  const r = randomValues(8, seed).map((v) => (v + 1) / 2);
  const shape = [
    1 + Math.floor(r[0]! * 4),
    1 + Math.floor(r[1]! * 9),
    1 + Math.floor(r[2]! * 9),
    1 + Math.floor(r[3]! * 40),
  ];
  const masks = 1 + Math.floor(r[4]! * 30);
  const channels = shape[3]!;
  const picks = randomValues(channels, seed + 99);
  // About a fifth without a mask; the rest spread over the masks, several channels to one mask.
  const indices = Array.from(picks, (p) => (p < -0.6 ? -1 : Math.floor(((p + 0.6) / 1.6) * masks)));
  indices[0] = -1;
  if (channels > 2) indices[1] = indices[2] = masks - 1;
  return { shape, masks, indices, seed };
}

interface Result {
  readonly y: Float32Array;
  readonly dx: Float32Array;
  readonly dm: Float32Array;
  readonly kernels: string[];
}

async function run(backend: string, c: Case): Promise<Result> {
  await tf.setBackend(backend);
  const size = c.shape.reduce((a, b) => a * b, 1);
  const x = tf.tensor(randomValues(size, c.seed + 1), c.shape);
  const masks = tf.tensor(
    randomValues(c.masks, c.seed + 2).map((v) => (v + 1) / 2),
    [1, c.masks],
  );
  const dy = tf.tensor(randomValues(size, c.seed + 3), c.shape);
  const raw = tf.tensor1d(c.indices, "int32");
  const gather = tf.tensor1d(gatherIndices(c.indices, c.masks), "int32");
  let out: { y: tf.Tensor; grads: tf.Tensor[] } | undefined;
  const profile = await tf.profile(() => {
    const y = applyChannelMask(x, masks, raw, gather);
    const grads = tf.grads((a: tf.Tensor, m: tf.Tensor) => tf.sum(tf.mul(applyChannelMask(a, m, raw, gather), dy)))([
      x,
      masks,
    ]);
    out = { y, grads };
  });
  const [y, dx, dm] = await Promise.all([out!.y, ...out!.grads].map(async (t) => (await t.data()) as Float32Array));
  tf.dispose([x, masks, dy, raw, gather, out!.y, ...out!.grads]);
  return { y: y!, dx: dx!, dm: dm!, kernels: profile.kernelNames };
}

const { engines, native } = testEngines();

afterAll(async () => {
  expect(await activateWasm(native ?? jsEngine)).not.toBeNull();
});

for (const engine of engines) {
  describe(`the channel mask on wasm (${engine.name} engine)`, () => {
    beforeAll(async () => {
      expect(await activateWasm(engine)).not.toBeNull();
    });

    const fused = engine.channelMask !== undefined;
    it(`${fused ? "one kernel each way" : "tfjs's composition"}, equal to cpu on 12 random shapes`, async () => {
      for (let seed = 1; seed <= 12; seed++) {
        const c = randomCase(seed * 7);
        const want = await run("cpu", c);
        const got = await run("wasm", c);
        expect(want.kernels).not.toContain(CHANNEL_MASK);
        expect(got.kernels.includes(CHANNEL_MASK)).toBe(fused);
        expect(got.kernels.includes(CHANNEL_MASK_GRAD)).toBe(fused);
        expect(got.kernels.includes("GatherV2")).toBe(!fused);
        expect(Array.from(got.y)).toEqual(Array.from(want.y));
        expect(Array.from(got.dx)).toEqual(Array.from(want.dx));
        // A mask's gradient sums rows × its channels products: float32 rounding of sums in another order.
        const rows = c.shape.slice(0, 3).reduce((a, b) => a * b, 1);
        expect(maxAbsDiff(got.dm, want.dm)).toBeLessThanOrEqual(
          1e-6 * rows * c.shape[3]! * Math.max(1, maxAbs(want.dm)),
        );
        expect(got.dm[c.masks - 1]).not.toBe(0);
      }
    });
  });
}

describe("the native channel mask's checks", () => {
  it.runIf(native?.channelMask !== undefined)("refuses an index beyond the masks and arrays of the wrong size", () => {
    const kernels = native!.channelMask!;
    const x = new Float32Array(6);
    const y = new Float32Array(6);
    expect(() => kernels.forward(x, 2, 3, new Float32Array(2), Int32Array.from([0, 1, 2]), y)).toThrow(/indices/);
    expect(() => kernels.forward(x, 2, 3, new Float32Array(3), Int32Array.from([0, -2, 1]), y)).toThrow(/indices/);
    expect(() => kernels.forward(x, 3, 3, new Float32Array(3), Int32Array.from([0, 1, 2]), y)).toThrow(/sizes/);
    const dm = new Float32Array(3);
    kernels.backward(
      Float32Array.from([1, 1, 1, 2, 2, 2]),
      Float32Array.from([1, 2, 3, 4, 5, 6]),
      2,
      3,
      Float32Array.from([0.5, 0.25, 9]),
      Int32Array.from([1, -1, 1]),
      y,
      dm,
    );
    expect(Array.from(dm)).toEqual([0, 1 + 8 + 3 + 12, 0]);
    expect(Array.from(y)).toEqual([0.25, 1, 0.25, 0.5, 2, 0.5]);
  });
});
