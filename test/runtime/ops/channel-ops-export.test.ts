/**
 * Exports of a space with issue 13's channel ops (split, channel_shuffle,
 * layer_scale, layer_norm, a dilated conv and dwconv). The masks of shuffle
 * and split tie their groups (parts), so every pruned export is a legal
 * shuffle (split): its pruned .figs compiles back to the formula's cost, tfjs
 * counts that cost, and the pruned model started from the supernet's kept
 * channels computes what the supernet computes in evaluation mode.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Ir } from "../../../compiler/index.js";
import { emitModel, emitSupernet } from "../../../runtime/emit/index.js";
import { exportArchitecture, FIGS_FILE, loadModelFromDirectory, planExport } from "../../../runtime/export/index.js";
import { fileSaveHandler } from "../../../runtime/export/model-files.js";
import { activateWasm, bestGradEngine } from "../../../runtime/backend/wasm.js";
import { compileSpace, compileText, seededRandom, useCpu } from "../export/helpers.js";

let root = "";
beforeAll(async () => {
  await useCpu();
  root = mkdtempSync(join(tmpdir(), "figs-channel-ops-"));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** ShuffleNetV2's units in small: split, a branch, concat, shuffle; layer_norm is left out (inexact, see docs). */
const SHUFFLE = `space shuffled() {
  input(8, 8, 3)
  conv(3, 16, stride: 2) -> bn -> relu
  let left = split(2, 1)
  let right = split(2, 2) -> conv(1, 8) -> bn -> relu -> dwconv(3, dilation: 2) -> bn -> conv(1, 8) -> bn -> relu
  concat([left, right]) -> channel_shuffle(2) -> layer_scale(0.5)
  conv(3, 12, dilation: [1, 2]) -> bn -> relu
  let a = split(3, 1)
  let b = split(3, 3) -> conv(1, 4) -> bn
  concat([a, b]) -> channel_shuffle(4) -> global_avgpool -> dense(10) fixed
}
`;

function widthsOf(ir: Ir, random: () => number): Int32Array {
  return Int32Array.from(ir.groups, (g) => (g.searchable ? 1 + Math.floor(random() * g.size) : g.size));
}

describe("exports of a space with the channel ops", () => {
  const compiled = compileText(SHUFFLE);
  const ir = compiled.ir!;

  it("compiles, and the emitted supernet counts what the formula says", () => {
    expect(compiled.diagnostics).toEqual([]);
    const model = emitModel(ir.nodes, ir.output, "full");
    expect(model.countParams()).toBe(ir.costs.full.params);
    model.dispose();
  });

  it("are legal at random widths: the pruned .figs compiles to that cost, tfjs counts it", () => {
    const random = seededRandom(13);
    for (let k = 0; k < 10; k++) {
      const { plan, diagnostics } = planExport({ ir, widths: widthsOf(ir, random) });
      expect(diagnostics).toEqual([]);
      const back = compileText(plan!.figs);
      expect(back.diagnostics).toEqual([]);
      expect(back.ir!.costs.full.params).toBe(plan!.arch.costs.keras.params);
      expect(back.ir!.costs.full.madds).toBe(plan!.arch.costs.keras.madds);
      const model = emitModel(plan!.architecture.nodes, plan!.architecture.output, "pruned");
      expect(model.countParams()).toBe(plan!.arch.costs.keras.params);
      model.dispose();
    }
  });

  it("exports a model that loads back and computes what the supernet computes", async () => {
    const supernet = emitSupernet(ir, { seed: 3 });
    for (const [id, variable] of supernet.masks.logitVariables()) {
      const size = ir.groups[id]!.size;
      variable.write(tf.tensor1d(Array.from({ length: size }, (_, j) => (j % 3 === 1 ? -1 : 1 + j))));
    }
    const widths = ir.groups.map((g) => (g.searchable ? g.size - Math.floor((g.size + 1) / 3) : g.size));
    const outDir = join(root, "export");
    const result = await exportArchitecture({ ir, widths, outDir, supernet });
    expect(result.diagnostics).toEqual([]);
    const figs = readFileSync(join(outDir, FIGS_FILE), "utf8");
    expect(figs).toContain("channel_shuffle(2)");
    expect(figs).toContain("split(3, 3)");
    const loaded = await loadModelFromDirectory(outDir);
    expect(loaded.diagnostics).toEqual([]);
    const x = tf.randomNormal([3, 8, 8, 3], 0, 2, "float32", 11);
    const fromSupernet = supernet.model.predict(x) as tf.Tensor;
    const fromExport = loaded.model!.predict(x) as tf.Tensor;
    expect(tf.max(tf.abs(tf.sub(fromSupernet, fromExport))).dataSync()[0]).toBeLessThan(1e-4);
    expect(tf.max(tf.abs(fromSupernet)).dataSync()[0]).toBeGreaterThan(1e-3);
  });

  it("trains: one step through every op changes the first conv and keeps the loss finite", () => {
    const model = emitModel(ir.nodes, ir.output, "retrain");
    const x = tf.randomNormal([4, 8, 8, 3], 0, 2, "float32", 3);
    const labels = tf.oneHot(tf.tensor1d([0, 1, 2, 3], "int32"), 10);
    const loss = () => tf.losses.softmaxCrossEntropy(labels, model.apply(x, { training: true }) as tf.Tensor);
    const before = model.getLayer("conv_1").getWeights()[0]!.clone();
    const value = tf.train.sgd(0.5).minimize(loss as () => tf.Scalar, true)!;
    expect(Number.isFinite(value.dataSync()[0])).toBe(true);
    const after = model.getLayer("conv_1").getWeights()[0]!;
    expect(tf.max(tf.abs(tf.sub(before, after))).dataSync()[0]).toBeGreaterThan(0);
  });

  it("the supernet (layer_norm masked after its conv) builds, counts, and loads again after saving", async () => {
    const withNorm = compileText(SHUFFLE.replace("-> layer_scale(0.5)", "-> layer_scale(0.5) -> layer_norm")).ir!;
    const supernet = emitSupernet(withNorm, { seed: 4 });
    expect(supernet.model.countParams()).toBe(withNorm.costs.full.params + withNorm.maskVariables);
    const x = tf.randomNormal([2, 8, 8, 3], 0, 1, "float32", 8);
    expect((supernet.model.apply(x, { training: true }) as tf.Tensor).shape).toEqual([2, 10]);
    const before = supernet.model.predict(x) as tf.Tensor;
    const dir = join(root, "supernet");
    mkdirSync(dir);
    await supernet.model.save(fileSaveHandler(dir));
    const loaded = await loadModelFromDirectory(dir);
    expect(loaded.diagnostics).toEqual([]);
    const after = loaded.model!.predict(x) as tf.Tensor;
    expect(tf.max(tf.abs(tf.sub(before, after))).dataSync()[0]).toBeLessThan(1e-5);
  });

  it("trains on wasm as on cpu: the gradients of every weight agree", async () => {
    const gradients = async (backend: string): Promise<Float32Array[]> => {
      if (backend === "wasm") expect(await activateWasm(bestGradEngine())).not.toBeNull();
      else await tf.setBackend(backend);
      const model = emitModel(ir.nodes, ir.output, `grads_${backend}`);
      let seed = 1;
      for (const layer of model.layers)
        layer.setWeights(layer.getWeights().map((w) => tf.randomNormal(w.shape, 0, 0.5, "float32", seed++)));
      const x = tf.randomNormal([3, 8, 8, 3], 0, 1, "float32", 21);
      const labels = tf.oneHot(tf.tensor1d([1, 4, 7], "int32"), 10);
      const loss = () =>
        tf.losses.softmaxCrossEntropy(labels, model.apply(x, { training: true }) as tf.Tensor) as tf.Scalar;
      const { grads } = tf.variableGrads(
        loss,
        model.trainableWeights.map((w) => (w as unknown as { val: tf.Variable }).val),
      );
      const values = Object.values(grads).map((g) => g.dataSync() as Float32Array);
      model.dispose();
      return values;
    };
    const want = await gradients("cpu");
    const got = await gradients("wasm");
    await tf.setBackend("cpu");
    expect(got.length).toBe(want.length);
    want.forEach((w, i) => {
      const scale = Math.max(1, ...Array.from(w, Math.abs));
      const diff = Math.max(...Array.from(w, (v, j) => Math.abs(v - got[i]![j]!)));
      expect(diff, `weight ${i}`).toBeLessThanOrEqual(1e-4 * scale);
    });
  });
});

describe("spaces/shufflenet_v2.figs (x0.5, 32x32)", () => {
  it("builds a supernet that counts what the formula says and takes a finite training step", () => {
    const ir = compileSpace("spaces/shufflenet_v2.figs", { multiplier: "0.5", size: "32", classes: "10" }, "keras");
    const supernet = emitSupernet(ir, { seed: 2 });
    expect(supernet.model.countParams()).toBe(ir.costs.full.params + ir.maskVariables);
    const x = tf.randomNormal([2, 32, 32, 3], 0, 1, "float32", 5);
    const labels = tf.oneHot(tf.tensor1d([3, 8], "int32"), 10);
    const loss = () => tf.losses.softmaxCrossEntropy(labels, supernet.model.apply(x, { training: true }) as tf.Tensor);
    const value = tf.train.sgd(0.1).minimize(loss as () => tf.Scalar, true)!;
    expect(Number.isFinite(value.dataSync()[0])).toBe(true);
  });
});
