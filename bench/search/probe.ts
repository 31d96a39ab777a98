import * as tf from "@tensorflow/tfjs";
import { compile } from "../../compiler/index.js";
import { emitSupernet } from "../../runtime/emit/index.js";
import { selectBackend, describeBackend } from "../../runtime/backend/select.js";
const backend = await selectBackend({ override: process.argv[2] ?? "auto" });
console.log(describeBackend(backend));
for (const [path, set] of [["spaces/mnist_convnet.figs", { width: "16", hidden: "64" }], ["spaces/one_shot.figs", { size: "28", channels: "1", classes: "10", F: "8", cells: "4", blocks: "2" }]] as const) {
  const { ir, diagnostics } = compile({ path, set }, { convention: "torch" });
  if (!ir) { console.log(diagnostics); continue; }
  console.log(path, ir.costs.full, ir.maskVariables);
  const net = emitSupernet(ir, { seed: 1 });
  const opt = tf.train.adam(1e-3);
  const x = tf.randomNormal([64, 28, 28, 1]); const y = tf.oneHot(tf.randomUniform([64], 0, 10, "int32"), 10);
  for (let i = 0; i < 6; i++) {
    const t = Date.now();
    const loss = opt.minimize(() => tf.losses.softmaxCrossEntropy(y, net.model.apply(x, { training: true }) as tf.Tensor) as tf.Scalar, true);
    await loss!.data(); loss!.dispose();
    console.log("step", i, Date.now() - t, "ms", tf.memory().numTensors);
  }
}
