import * as tf from "@tensorflow/tfjs";
import { compile } from "../../../compiler/index.js";
import { emitSupernet } from "../index.js";
await tf.setBackend("cpu");
for (const [path, set] of [["spaces/mnist_convnet.figs", {}], ["spaces/one_shot.figs", { size: "28", F: "8", cells: "2", blocks: "1" }]] as const) {
  const r = compile({ path, set }, { convention: "keras" });
  const ir = r.ir!;
  const t0 = Date.now();
  const s = emitSupernet(ir);
  console.log(path, "built", Date.now() - t0, "ms", s.model.layers.length, "layers", s.model.countParams(), ir.costs.full.params + ir.maskVariables);
  const c = ir.nodes[0]!.shape.channels;
  const x = tf.randomNormal([4, 28, 28, c]);
  const y = s.model.apply(x, { training: true }) as tf.Tensor;
  console.log(y.shape, Date.now() - t0);
  const y2 = s.model.predict(x) as tf.Tensor;
  console.log(y2.shape, Date.now() - t0);
}
