import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Ir } from "../../../compiler/index.js";
import { emitSupernet, GroupMasks, maskSites } from "../../../runtime/emit/index.js";
import { fileSaveHandler, loadModelFromDirectory } from "../../../runtime/export/model-files.js";
import { compileSpace, compileText, spacePath, useCpu } from "../export/helpers.js";

/** one_shot at MNIST size: 28×28×1 when the space has a `channels` parameter, else its fixed 3 channels. */
function oneShotAt28(): Ir {
  const small = { size: "28", F: "8", cells: "4", blocks: "2" };
  const probe = compileSpace(spacePath("one_shot.figs"), small);
  return "channels" in probe.parameters ? compileSpace(spacePath("one_shot.figs"), { ...small, channels: "1" }) : probe;
}

function inputFor(ir: Ir, batch: number): tf.Tensor4D {
  const { height, width, channels } = ir.nodes[0]!.shape;
  return tf.randomNormal([batch, height, width, channels], 0, 1, "float32", 7) as tf.Tensor4D;
}

beforeAll(useCpu);

describe("supernet forward pass on the cpu backend", () => {
  it.each([
    ["mnist_convnet", () => compileSpace(spacePath("mnist_convnet.figs"))],
    ["one_shot", oneShotAt28],
  ])("%s runs in training and evaluation mode", (_name, build) => {
    const ir = build();
    expect(ir.nodes[0]!.shape.height).toBe(28);
    const supernet = emitSupernet(ir, { seed: 1 });
    const x = inputFor(ir, 2);
    for (const training of [true, false]) {
      const y = supernet.model.apply(x, { training }) as tf.Tensor;
      expect(y.shape).toEqual([2, ir.nodes[ir.output]!.shape.channels]);
      expect(Array.from(y.dataSync()).every(Number.isFinite)).toBe(true);
      y.dispose();
    }
    // Keras convention: the model holds every weight the cost counts, plus one ν per mask.
    expect(supernet.model.countParams()).toBe(ir.costs.full.params + ir.maskVariables);
    x.dispose();
  });
});

describe("masks", () => {
  const ir = compileSpace(spacePath("mnist_convnet.figs"));

  it("has one ν per searchable group, initialised to 2.5", () => {
    const supernet = emitSupernet(ir);
    const logits = supernet.masks.logitVariables();
    const searchable = ir.groups.filter((g) => g.searchable);
    expect([...logits.keys()]).toEqual(searchable.map((g) => g.id));
    for (const group of searchable) {
      const values = logits.get(group.id)!.read().dataSync();
      expect(values.length).toBe(group.size);
      expect(Array.from(values).every((v) => v === 2.5)).toBe(true);
    }
  });

  it("are 1[ν > 0] in evaluation mode", () => {
    const supernet = emitSupernet(ir);
    const nu = Array.from({ length: ir.maskVariables }, (_, i) => (i % 3 === 0 ? -0.5 : i % 3 === 1 ? 0.25 : -3));
    setLogits(supernet.masks, nu);
    const masks = supernet.masks.apply(inputFor(ir, 1), { training: false }) as tf.Tensor;
    expect(Array.from(masks.dataSync())).toEqual(nu.map((v) => (v > 0 ? 1 : 0)));
  });

  it("are drawn per channel, near {0, 1} at τ = 0.001, on with probability π", () => {
    const supernet = emitSupernet(ir, { seed: 3 });
    setLogits(supernet.masks, new Array(ir.maskVariables).fill(0));
    let on = 0;
    let nearBinary = 0;
    let total = 0;
    for (let step = 0; step < 20; step++) {
      const values = (supernet.masks.apply(inputFor(ir, 1), { training: true }) as tf.Tensor).dataSync();
      for (const v of values) {
        nearBinary += Math.min(v, 1 - v) < 0.01 ? 1 : 0;
        on += v > 0.5 ? 1 : 0;
        total += 1;
      }
    }
    expect(supernet.masks.draws).toBe(20);
    expect(nearBinary / total).toBeGreaterThan(0.98);
    expect(on / total).toBeGreaterThan(0.45);
    expect(on / total).toBeLessThan(0.55);
  });

  it("zero a channel for the whole batch, after the batch norm that follows its conv", () => {
    const supernet = emitSupernet(ir, { seed: 5 });
    const nu = new Array(ir.maskVariables).fill(3);
    nu[0] = -3; // channel 0 of the first conv's group
    setLogits(supernet.masks, nu);
    const [producer, site] = [...maskSites(ir)][0]!;
    expect(ir.nodes[producer]!.op).toBe("conv");
    expect(ir.nodes[site]!.op).toBe("bn");
    const probe = tf.model({
      inputs: supernet.model.inputs,
      outputs: supernet.model.getLayer(`mask_${site}`).output,
    });
    const out = probe.apply(inputFor(ir, 4), { training: true }) as tf.Tensor4D;
    const channel0 = out.slice([0, 0, 0, 0], [4, 28, 28, 1]);
    const channel1 = out.slice([0, 0, 0, 1], [4, 28, 28, 1]);
    expect(tf.max(tf.abs(channel0)).dataSync()[0]).toBe(0);
    expect(tf.max(tf.abs(channel1)).dataSync()[0]).toBeGreaterThan(0);
  });

  it("update batch-norm moving statistics in training mode only", () => {
    const supernet = emitSupernet(ir, { seed: 2 });
    const bn = supernet.model.layers.find((l) => l.getClassName() === "BatchNormalization")!;
    const movingMean = (): number[] => Array.from(bn.getWeights()[2]!.dataSync());
    const before = movingMean();
    supernet.model.apply(inputFor(ir, 2), { training: false });
    expect(movingMean()).toEqual(before);
    supernet.model.apply(inputFor(ir, 2), { training: true });
    expect(movingMean()).not.toEqual(before);
  });
});

/** Replaces every weight but ν with seeded values, so a numeric check does not depend on the random initialisation. */
function seedWeights(model: tf.LayersModel, seed: number): void {
  for (const layer of model.layers) {
    if (layer instanceof GroupMasks) continue;
    const weights = layer.getWeights();
    if (weights.length > 0)
      layer.setWeights(weights.map((w, i) => tf.randomUniform(w.shape, 0.2, 0.8, "float32", seed + i)));
  }
}

function setLogits(masks: GroupMasks, nu: readonly number[]): void {
  let offset = 0;
  for (const group of masks.groups) {
    masks
      .logitVariables()
      .get(group.id)!
      .write(tf.tensor1d(nu.slice(offset, offset + group.size)));
    offset += group.size;
  }
}

describe("gradients reach ν", () => {
  // Smooth activations: a relu kink crossed between the two finite-difference points would break the comparison.
  const tiny = `space tiny() {
    input(6, 6, 2)
    conv(3, 4) -> bn -> swish -> conv(1, 3) -> swish -> global_avgpool -> dense(2) fixed
  }`;

  it("match central finite differences (noise off, τ = 0.5)", () => {
    const ir = compileText(tiny).ir!;
    const supernet = emitSupernet(ir, { noise: "none", temperature: 0.5, initialLogit: 0.3 });
    seedWeights(supernet.model, 13);
    const x = inputFor(ir, 3);
    const target = tf.tensor2d([
      [1, -1],
      [0.5, 2],
      [-1, 0],
    ]);
    const loss = (): tf.Scalar =>
      tf.tidy(
        () => tf.sum(tf.square(tf.sub(supernet.model.apply(x, { training: true }) as tf.Tensor, target))) as tf.Scalar,
      );
    const variable = supernet.masks.logitVariables().get(ir.groups.find((g) => g.searchable)!.id)!;
    const { grads } = tf.variableGrads(loss, [variable.read() as tf.Variable]);
    const analytic = Array.from(Object.values(grads)[0]!.dataSync());
    const base = Array.from(variable.read().dataSync());
    const h = 1e-2;
    for (let i = 0; i < base.length; i++) {
      const at = (delta: number): number => {
        variable.write(tf.tensor1d(base.map((v, j) => (j === i ? v + delta : v))));
        return loss().dataSync()[0]!;
      };
      const numeric = (at(h) - at(-h)) / (2 * h);
      expect(Math.abs(analytic[i]! - numeric)).toBeLessThan(0.03 * Math.max(1e-3, Math.abs(numeric)) + 1e-4);
    }
    expect(analytic.some((g) => Math.abs(g) > 1e-4)).toBe(true);
  });

  it("are finite and non-zero with logistic noise at the paper's τ", () => {
    const ir = compileText(tiny).ir!;
    const supernet = emitSupernet(ir, { seed: 11, initialLogit: 0 });
    const x = inputFor(ir, 3);
    const variables = [...supernet.masks.logitVariables().values()].map((v) => v.read() as tf.Variable);
    let nonZero = false;
    for (let step = 0; step < 40 && !nonZero; step++) {
      const { grads } = tf.variableGrads(
        () => tf.sum(tf.square(supernet.model.apply(x, { training: true }) as tf.Tensor)) as tf.Scalar,
        variables,
      );
      const values = Object.values(grads).flatMap((g) => Array.from(g.dataSync()));
      expect(values.every(Number.isFinite)).toBe(true);
      nonZero = values.some((v) => v !== 0);
    }
    expect(nonZero).toBe(true);
  });
});

describe("every primitive", () => {
  const all = `space all_primitives(classes: int = 10) {
    input(16, 16, 3)
    conv([3, 1], 16, stride: [2, 1], bias: true) -> bn -> relu6
    conv(3, 32, groups: 2, padding: "valid") -> bn -> swish
    dwconv(3, multiplier: 2) -> bn -> sigmoid
    maxpool(3, stride: 2) -> avgpool(2, stride: 1, padding: "valid") -> hardsigmoid
    let a = conv(1, 16) -> relu -> hardswish
    let b = identity -> conv(1, 16)
    let s = add([a, b]) -> dropout(0.1)
    concat([s, b]) -> flatten -> dense(64, bias: false) -> relu
    global_avgpool -> dense(classes) fixed
  }`;
  let dir = "";
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "figs-emit-"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("builds, counts the compiler's keras parameters, runs, and loads again after saving", async () => {
    const ir = compileText(all).ir!;
    const supernet = emitSupernet(ir, { seed: 4 });
    expect(supernet.model.countParams()).toBe(ir.costs.full.params + ir.maskVariables);
    const x = inputFor(ir, 2);
    const trained = supernet.model.apply(x, { training: true }) as tf.Tensor;
    expect(trained.shape).toEqual([2, 10]);
    const before = supernet.model.predict(x) as tf.Tensor;
    await supernet.model.save(fileSaveHandler(dir));
    const loaded = await loadModelFromDirectory(dir);
    expect(loaded.diagnostics).toEqual([]);
    const after = loaded.model!.predict(x) as tf.Tensor;
    expect(tf.max(tf.abs(tf.sub(before, after))).dataSync()[0]).toBeLessThan(1e-5);
    expect(loaded.model!.layers.some((l) => l instanceof GroupMasks)).toBe(true);
  });
});
