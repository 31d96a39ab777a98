// The ReLU and ReLU6 gradients (one FigsReluGrad kernel on wasm with the
// native engine, tfjs's ops elsewhere; ReLU's computed from its output, which
// lets the activation's input be freed) equal tfjs's own formulas,
// dy · step(x) and dy · [x ≤ 6] · step(x), bit for bit on wasm and on cpu, at
// the edges too: x = 0, x = 6, NaN, ∞ · 0.
import * as tf from "@tensorflow/tfjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { activateWasm } from "../../runtime/backend/wasm.js";
import { jsEngine } from "../../runtime/kernels/engine.js";
import { RELU_GRAD } from "../../runtime/kernels/relu_grad.js";
import { randomValues, testEngines } from "./helpers.js";

const EDGES = [0, -0, 6, 6.0001, 5.9999, -1e-30, 1e-30, NaN, Infinity, -Infinity];

function inputs(): { x: Float32Array; dy: Float32Array } {
  const x = randomValues(997, 5).map((v) => 8 * v);
  x.set(EDGES, 100);
  const dy = randomValues(997, 6);
  // ∞ · 0 is NaN in tfjs's composition: where x ≤ 0 as well as where x > 0.
  x.set([0, -3, 3, 7], 200);
  dy.set([Infinity, -Infinity, Infinity, Infinity], 200);
  return { x, dy };
}

async function gradient(
  backend: string,
  activation: "relu" | "relu6",
): Promise<{ dx: Float32Array; kernels: string[] }> {
  await tf.setBackend(backend);
  const { x, dy } = inputs();
  const xt = tf.tensor(x, [997]);
  const dyt = tf.tensor(dy, [997]);
  let dx: tf.Tensor | undefined;
  const profile = await tf.profile(() => {
    dx = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(activation === "relu" ? tf.relu(t) : tf.relu6(t), dyt)))(xt);
  });
  const values = (await dx!.data()) as Float32Array;
  tf.dispose([xt, dyt, dx!]);
  return { dx: values, kernels: profile.kernelNames };
}

/** tfjs's own gradient formulas, evaluated directly on cpu. */
async function tfjsFormula(activation: "relu" | "relu6"): Promise<Float32Array> {
  await tf.setBackend("cpu");
  const { x, dy } = inputs();
  return tf.tidy(() => {
    const xt = tf.tensor(x, [997]);
    const mask = activation === "relu" ? tf.step(xt) : tf.mul(tf.lessEqual(xt, 6), tf.step(xt));
    return tf.mul(tf.tensor(dy, [997]), tf.cast(mask, "float32")).dataSync() as Float32Array;
  });
}

const { engines, native } = testEngines();

afterAll(async () => {
  expect(await activateWasm(native ?? jsEngine)).not.toBeNull();
});

for (const engine of engines) {
  describe(`ReLU gradients on wasm (${engine.name} engine)`, () => {
    beforeAll(async () => {
      expect(await activateWasm(engine)).not.toBeNull();
    });

    for (const activation of ["relu", "relu6"] as const) {
      const how = engine.reluGrad ? "one FigsReluGrad kernel" : "tfjs's Step and Multiply";
      it(`${activation}: ${how}, equal to cpu bit for bit`, async () => {
        const want = Array.from(await tfjsFormula(activation));
        const onCpu = await gradient("cpu", activation);
        const got = await gradient("wasm", activation);
        expect(onCpu.kernels).not.toContain(RELU_GRAD);
        expect(got.kernels.includes(RELU_GRAD)).toBe(engine.reluGrad !== undefined);
        expect(got.kernels.includes("Step")).toBe(engine.reluGrad === undefined);
        expect(Array.from(got.dx)).toEqual(want);
        expect(Array.from(onCpu.dx)).toEqual(want);
      });
    }
  });
}

describe("the ReLU gradient's saved tensors", () => {
  it("keeps ReLU's output, not its input (the BN output before it can then be freed); ReLU6 needs its input", () => {
    expect(tf.getGradient("Relu")?.outputsToSave).toEqual([true]);
    expect(tf.getGradient("Relu")?.inputsToSave ?? []).toEqual([]);
    expect(tf.getGradient("Relu6")?.inputsToSave).toEqual(["x"]);
  });
});
