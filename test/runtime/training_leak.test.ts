// Training N1 on the wasm backend with each figs kernel engine: gradients of
// the whole network agree with the cpu backend, and 100 Adam steps leak
// neither tensors nor wasm heap buffers.
import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { buildN1, loss, makeTrainer, trainableVariables } from "../../bench/train-vs-pytorch/n1.js";
import { installLeanBackprop } from "../../runtime/backend/lean-backprop.js";
import { activateWasm } from "../../runtime/backend/wasm.js";
import { jsEngine } from "../../runtime/kernels/engine.js";
import { registerWasmKernels } from "../../runtime/kernels/register_wasm.js";
import { maxAbs, maxAbsDiff, testEngines } from "./helpers.js";

beforeAll(async () => {
  installLeanBackprop(); // as selectBackend does
  expect(await activateWasm(jsEngine)).not.toBeNull();
});

async function gradientsOn(backend: string, seed: number): Promise<Float32Array[]> {
  await tf.setBackend(backend);
  const net = buildN1(seed);
  const images = tf.randomUniform([2, 16, 16, 3], -1, 1, "float32", seed) as tf.Tensor4D;
  const labels = tf.oneHot(tf.tensor1d([3, 7], "int32"), 10).toFloat() as tf.Tensor2D;
  const vars = trainableVariables(net);
  const { grads } = tf.variableGrads(() => loss(net, images, labels), vars);
  const out = await Promise.all(vars.map((v) => grads[v.name]!.data() as Promise<Float32Array>));
  tf.dispose([images, labels, ...Object.values(grads), ...vars]);
  return out;
}

// The cpu reference is slow: compute it once for every engine.
let reference: Promise<Float32Array[]> | undefined;
const cpuGradients = (): Promise<Float32Array[]> => (reference ??= gradientsOn("cpu", 42));

const { engines } = testEngines();

for (const engine of engines) {
  describe(`N1 training on wasm (${engine.name} engine)`, () => {
    beforeAll(() => {
      registerWasmKernels(engine);
    });

    it("has the same gradients as the cpu backend", async () => {
      // Same seeds on both backends give the same initial weights and data.
      const want = await cpuGradients();
      const got = await gradientsOn("wasm", 42);
      expect(got.length).toBe(want.length);
      for (let i = 0; i < want.length; i++) {
        expect(maxAbsDiff(got[i]!, want[i]!)).toBeLessThanOrEqual(1e-3 * Math.max(1, maxAbs(want[i]!)));
      }
    });

    it("keeps tf.memory().numTensors stable over 100 steps", async () => {
      await tf.setBackend("wasm");
      const net = buildN1();
      // 16×16 images keep 100 steps quick with the JS engine too.
      const trainer = makeTrainer(net, 2, 16);
      trainer.step();
      const before = tf.memory().numTensors;
      const buffersBefore = tf.engine().backend.numDataIds();
      for (let i = 0; i < 100; i++) trainer.step();
      expect(tf.memory().numTensors).toBe(before);
      // Heap buffers too: a kernel that forgets to free wasm memory shows here.
      expect(tf.engine().backend.numDataIds()).toBe(buffersBefore);
      trainer.dispose();
      tf.dispose(trainableVariables(net));
    });
  });
}
