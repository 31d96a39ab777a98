import * as tf from "@tensorflow/tfjs";
import { activateWasm, bestGradEngine } from "../../../runtime/backend/wasm.js";
await activateWasm(bestGradEngine());
const x = tf.randomNormal([64, 16, 16, 96]);
const g = tf.ones([96]), b = tf.zeros([96]);
const f = () => tf.tidy(() => { const gr = tf.grads((a: tf.Tensor, gg: tf.Tensor, bb: tf.Tensor) => { const { mean, variance } = tf.moments(a, [0, 1, 2]); return tf.relu(tf.batchNorm(a, mean, variance, bb as tf.Tensor1D, gg as tf.Tensor1D, 1e-5)).sum(); })([x, g, b]); return gr[1]!; });
const run = (label: string) => { f().dispose(); const t0 = performance.now(); for (let i = 0; i < 5; i++) { const r = f(); r.dataSync(); r.dispose(); } console.log(label, ((performance.now() - t0) / 5).toFixed(1), "ms"); };
run("figs Sum/Mean/Tile");
for (const n of ["Sum", "Mean", "Tile"]) { /* restore wasm originals */ }
const info = await tf.profile(() => { const r = f(); r.dataSync(); r.dispose(); });
const m = new Map<string, number>();
for (const k of info.kernels) m.set(k.name, (m.get(k.name) ?? 0) + (typeof k.kernelTimeMs === "number" ? k.kernelTimeMs : 0));
console.log([...m].sort((a, b) => b[1] - a[1]).slice(0, 10).map(([n, t]) => `${n} ${t.toFixed(1)}`).join("\n"));
for (const k of info.kernels) if (k.name === "Sum" || k.name === "Mean" || k.name === "Multiply") console.log(k.name, JSON.stringify(k.inputShapes), typeof k.kernelTimeMs === "number" ? k.kernelTimeMs.toFixed(2) : "");
