// Issue 13: the new ops compute what PyTorch's do. A space with squeeze-and-
// excitation (mul, both gates), hardswish, hardsigmoid, silu, gelu, a grouped
// conv, adaptive pooling (pooled and repeated axes), drop_path, dilated convs
// (depthwise with asymmetric "same" padding, grouped), layer_norm,
// layer_scale, split and channel_shuffle is emitted as
// a tfjs model with random weights (BN statistics included); PyTorch rebuilds
// it from the IR (bench/pytorch/ir_model.py: nn.Hardswish, nn.GELU,
// nn.AdaptiveAvgPool2d, StochasticDepth, Conv2d(dilation), F.layer_norm, chunk,
// reshape-transpose …), loads the same weights, and the
// logits agree to 2e-6 of the largest (bench/pytorch/ir_parity.py prints it).
// Needs Debian's python3-torch at /usr/bin/python3; `.ci/run` installs it.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compile, writeIr } from "../../compiler/index.js";
import { emitModel } from "../../runtime/emit/index.js";
import { useCpu } from "./export/helpers.js";

const PYTHON = "/usr/bin/python3";

const SPACE = `import "stdlib/mobile.figs"
space parity() {
  input(16, 16, 3)
  conv(3, 16, stride: 2) -> bn -> hardswish
  dwconv([3, 2], dilation: [2, 3]) -> layer_norm -> conv(3, 16, groups: 2, dilation: 2) -> layer_scale(0.5)
  v3_block(3, 32, 16, 8, hardswish, 1)
  mbconv_se(5, 48, 24, 2, 0.2)
  mbconv_se(3, 72, 24, 1, 0.2)
  conv(3, 32, groups: 4) -> bn -> gelu
  residual {
    conv(1, 32) -> bn -> silu -> drop_path(0.3)
  }
  let left = split(2, 1)
  let right = split(2, 2) -> conv(1, 16) -> bn -> relu
  concat([left, right]) -> channel_shuffle(4)
  adaptive_avgpool([2, 8]) -> conv(1, 16) -> bn -> hardsigmoid
  global_avgpool -> dense(10) fixed
}
`;

let root = "";
beforeAll(async () => {
  await useCpu();
  root = mkdtempSync(join(tmpdir(), "figs-parity-"));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

function dump(name: string, tensor: tf.Tensor): string {
  const file = join(root, `${name}.f32`);
  const data = tensor.dataSync() as Float32Array;
  writeFileSync(file, Buffer.from(data.buffer, data.byteOffset, data.byteLength));
  return file;
}

describe("the new ops against PyTorch", () => {
  it("python3 with torch is there (Debian's python3-torch; .ci/run installs it)", () => {
    const probe = spawnSync(PYTHON, ["-c", "import torch; print(torch.__version__)"], { encoding: "utf8" });
    expect(probe.status, `${PYTHON} cannot import torch: ${probe.stderr}`).toBe(0);
  });

  it("a model of all of them gives PyTorch's logits, with random weights and BN statistics", () => {
    const { ir, diagnostics } = compile({ path: "parity.figs", text: SPACE });
    expect(diagnostics).toEqual([]);
    const irPath = join(root, "parity.ir.json");
    expect(writeIr(irPath, ir!)).toEqual([]);
    const model = emitModel(ir!.nodes, ir!.output, "parity");
    let seed = 1;
    const weights: { layer: string; shape: number[]; file: string }[] = [];
    for (const layer of model.layers) {
      const values = layer.getWeights().map((w, i) => {
        // BN's moving variance (its 4th weight) must be positive.
        const variance = layer.getClassName() === "BatchNormalization" && i === 3;
        return variance
          ? tf.randomUniform(w.shape, 0.5, 1.5, "float32", seed++)
          : tf.randomNormal(w.shape, 0, 0.5, "float32", seed++);
      });
      layer.setWeights(values);
      values.forEach((w, i) =>
        weights.push({ layer: layer.name, shape: w.shape, file: dump(`${layer.name}_${i}`, w) }),
      );
    }
    const images = tf.randomNormal([4, 16, 16, 3], 0, 1, "float32", 99);
    const logits = model.predict(images) as tf.Tensor;
    const manifest = {
      ir: irPath,
      weights,
      images: { shape: images.shape, file: dump("images", images) },
      logits: { shape: logits.shape, file: dump("logits", logits) },
    };
    const manifestPath = join(root, "manifest.json");
    writeFileSync(manifestPath, JSON.stringify(manifest));
    const run = spawnSync(PYTHON, ["bench/pytorch/ir_parity.py", manifestPath], { encoding: "utf8" });
    expect(run.status, `${run.stdout}${run.stderr}`).toBe(0);
    const error = /= ([\d.e+-]+) over logits/.exec(run.stdout);
    expect(error, run.stdout).not.toBeNull();
    // float32 rounding is about 1e-7 here; PyTorch's tanh-form GELU instead of the exact one would give 1.6e-5.
    expect(Number(error![1])).toBeLessThan(2e-6);
  });
});
