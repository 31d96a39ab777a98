// The relu6 activation of emitted models: one Relu6 kernel (not Minimum of
// Relu, whose broadcast runs element by element on wasm), the same values as
// tfjs-layers' minimum(6, relu(x)) (NaN aside: wasm's kernels turn it into 6
// before and 0 now; the cpu backend keeps it), and its gradient.
import * as tf from "@tensorflow/tfjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { activateWasm } from "../../../runtime/backend/wasm.js";
import { installFastRelu6 } from "../../../runtime/ops/relu6.js";

const VALUES = [-1, 0, 3, 5.999, 6.001, 7, -Infinity, Infinity];

describe("the relu6 activation layer on wasm", () => {
  beforeAll(async () => {
    expect(installFastRelu6()).toBe(true);
    expect(await activateWasm()).not.toBeNull();
  });
  afterAll(async () => {
    await tf.setBackend("wasm");
  });

  it("runs one Relu6 kernel with minimum(6, relu(x))'s values, and a gradient 1 on (0, 6], else 0", async () => {
    const layer = tf.layers.activation({ activation: "relu6" });
    const x = tf.tensor(VALUES);
    let y: tf.Tensor | undefined;
    const profile = await tf.profile(() => {
      y = layer.apply(x) as tf.Tensor;
    });
    expect(profile.kernelNames).toContain("Relu6");
    expect(profile.kernelNames).not.toContain("Minimum");
    const reference = tf.minimum(6, tf.relu(x));
    expect(Array.from(await y!.data())).toEqual(Array.from(await reference.data()));
    const finite = tf.tensor(VALUES.slice(0, 6));
    const dx = tf.grad((t: tf.Tensor) => tf.sum(layer.apply(t) as tf.Tensor))(finite);
    expect(Array.from(await dx.data())).toEqual([0, 0, 1, 1, 0, 0]);
    tf.dispose([x, y!, reference, finite, dx]);
  });
});
