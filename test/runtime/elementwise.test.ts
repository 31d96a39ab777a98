// Same-shape float32 Add through the engine's native add (threaded), equal to
// the cpu backend bit for bit; broadcasts and int32 go to wasm's own kernel.
import * as tf from "@tensorflow/tfjs";
import { afterAll, describe, expect, it } from "vitest";
import { activateWasm } from "../../runtime/backend/wasm.js";
import { jsEngine } from "../../runtime/kernels/engine.js";
import { randomValues, testEngines } from "./helpers.js";

const { native } = testEngines();

afterAll(async () => {
  expect(await activateWasm(native ?? jsEngine)).not.toBeNull();
});

async function added(backend: string, aShape: number[], bShape: number[], dtype: "float32" | "int32" = "float32") {
  await tf.setBackend(backend);
  const size = (shape: number[]) => shape.reduce((x, y) => x * y, 1);
  const values = (shape: number[], seed: number) =>
    dtype === "int32"
      ? Int32Array.from(randomValues(size(shape), seed), (v) => Math.round(v * 1000))
      : randomValues(size(shape), seed);
  const a = tf.tensor(values(aShape, 1), aShape, dtype);
  const b = tf.tensor(values(bShape, 2), bShape, dtype);
  const out = tf.add(a, b);
  const data = Array.from(await out.data());
  tf.dispose([a, b, out]);
  return data;
}

describe.runIf(native?.add !== undefined)("Add on wasm with the native engine", () => {
  it("adds same-shape floats natively (small, pool-sized), broadcasts and ints in wasm, all equal to cpu", async () => {
    const calls: number[] = [];
    const spy = {
      ...native!,
      add: (a: Float32Array, b: Float32Array, out: Float32Array) => {
        calls.push(out.length);
        native!.add!(a, b, out);
      },
    };
    expect(await activateWasm(spy)).not.toBeNull();
    const cases: [number[], number[], "float32" | "int32", boolean][] = [
      [[7], [7], "float32", true],
      [[4, 33, 33, 40], [4, 33, 33, 40], "float32", true],
      [[4, 9, 9, 16], [16], "float32", false],
      [[3, 5], [3, 5], "int32", false],
    ];
    for (const [aShape, bShape, dtype, nativeAdd] of cases) {
      calls.length = 0;
      const want = await added("cpu", aShape, bShape, dtype);
      const got = await added("wasm", aShape, bShape, dtype);
      expect(got).toEqual(want);
      expect(calls.length > 0).toBe(nativeAdd);
    }
  });
});
