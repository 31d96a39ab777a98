import * as tf from "@tensorflow/tfjs";
import { activateWasm } from "../../../runtime/backend/wasm.js";
import { buildN1, makeTrainer, parameterCount } from "../n1.js";
const s = await activateWasm();
console.log(tf.getBackend(), s);
const n = buildN1();
console.log("params", parameterCount(n));
const t = makeTrainer(n, 64);
for (let i = 0; i < 6; i++) { const t0 = performance.now(); const l = t.step(); console.log("step", l, (performance.now() - t0).toFixed(1), tf.memory().numTensors); }
for (let i = 0; i < 5; i++) { const t0 = performance.now(); t.forward(); console.log("fwd", (performance.now() - t0).toFixed(1)); }
