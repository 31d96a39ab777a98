// Checks that bench/pytorch/ir_model.py computes what runtime/emit's plain
// model computes: dumps the tfjs model's weights, one input batch and its
// logits (inference mode) for a compiled space, then has PyTorch load the
// same weights and compare logits.
//   npx tsx bench/train-vs-pytorch/parity.ts [--net one_shot]
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { selectBackend } from "../../runtime/backend/select.js";
import { loadIrNet } from "./ir-net.js";
import { flag } from "./measure.js";
import { writeSpaceIr } from "./spaces.js";

interface DumpedWeight {
  readonly layer: string;
  readonly shape: number[];
  readonly file: string;
}

function dump(dir: string, name: string, tensor: tf.Tensor): string {
  const file = path.join(dir, `${name}.f32`);
  const data = tensor.dataSync() as Float32Array;
  writeFileSync(file, Buffer.from(data.buffer, data.byteOffset, data.byteLength));
  return file;
}

async function main(): Promise<void> {
  const net = flag(process.argv.slice(2), "net", "one_shot");
  await selectBackend({ override: "auto", threads: 1 });
  const ir = writeSpaceIr(net);
  if ("problem" in ir) throw new Error(ir.problem);
  const loaded = loadIrNet(ir.path);
  if ("problem" in loaded) throw new Error(loaded.problem);
  const dir = path.join(path.dirname(ir.path), `${net}-parity`);
  mkdirSync(dir, { recursive: true });
  const weights: DumpedWeight[] = [];
  for (const layer of loaded.model.layers) {
    layer
      .getWeights()
      .forEach((w, i) => weights.push({ layer: layer.name, shape: w.shape, file: dump(dir, `${layer.name}_${i}`, w) }));
  }
  const input = loaded.ir.nodes.find((n) => n.op === "input");
  const shape =
    input?.op === "input" ? [4, input.attrs.height, input.attrs.width, input.attrs.channels] : [4, 32, 32, 3];
  const images = tf.randomNormal(shape, 0, 1, "float32", 7);
  const logits = loaded.model.predict(images) as tf.Tensor;
  const manifest = {
    ir: ir.path,
    weights,
    images: { shape, file: dump(dir, "images", images) },
    logits: { shape: logits.shape, file: dump(dir, "logits", logits) },
  };
  writeFileSync(path.join(dir, "manifest.json"), JSON.stringify(manifest));
  const r = spawnSync("/usr/bin/python3", ["bench/pytorch/ir_parity.py", path.join(dir, "manifest.json")], {
    stdio: "inherit",
  });
  process.exitCode = r.status ?? 1;
}

await main();
