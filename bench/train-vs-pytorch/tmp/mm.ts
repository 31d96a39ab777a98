import * as tf from "@tensorflow/tfjs";
import { activateWasm } from "../../../runtime/backend/wasm.js";
import { jsEngine } from "../../../runtime/kernels/engine.js";
await activateWasm(jsEngine);
const x = tf.randomNormal([1, 16384, 96]);
const dy = tf.randomNormal([1, 16384, 32]);
const w = tf.randomNormal([1, 96, 32]);
for (const [name, f] of [
  ["xT·dy", () => tf.matMul(x, dy, true, false)],
  ["dy·wT", () => tf.matMul(dy, w, false, true)],
  ["x·w", () => tf.matMul(x, w)],
  ["transpose x", () => tf.transpose(x, [0, 2, 1])],
  ["sum axis", () => tf.sum(x, [0, 1])],
  ["mul", () => tf.mul(x, x)],
] as const) {
  f().dispose();
  const t0 = performance.now();
  for (let i = 0; i < 5; i++) { const r = f(); r.dataSync(); r.dispose(); }
  console.log(name, ((performance.now() - t0) / 5).toFixed(2), "ms");
}
