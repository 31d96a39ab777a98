import * as tf from "@tensorflow/tfjs";
import { compile } from "../../../compiler/index.js";
import { emitSupernet } from "../index.js";
await tf.setBackend("cpu");
const r = compile({ path: "spaces/one_shot.figs", set: { size: "28", F: "8", cells: "4", blocks: "2" } }, { convention: "keras" });
const ir = r.ir!;
const s = emitSupernet(ir, { seed: 1 });
const x = tf.randomNormal([2, 28, 28, 3]);
for (const training of [false, true]) {
  try { const y = s.model.apply(x, { training }) as tf.Tensor; console.log(training, y.shape); } catch (e) { console.log(training, (e as Error).stack?.split("\n").slice(0, 12).join("\n")); }
}
