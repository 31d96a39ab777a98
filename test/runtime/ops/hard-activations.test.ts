/**
 * `hardsigmoid`, `hardswish` and `gelu` (PyTorch's; `silu` is swish): the formula on chosen values, the
 * supernet and an export that uses them (the pruned model saved, loaded back
 * by tfjs and computing what the supernet computes), and a training step.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { emitModel, emitSupernet } from "../../../runtime/emit/index.js";
import { exportArchitecture, FIGS_FILE, loadModelFromDirectory, MODEL_FILE } from "../../../runtime/export/index.js";
import { hardSigmoid, hardSwish } from "../../../runtime/ops/index.js";
import { compileText, useCpu } from "../export/helpers.js";

let root = "";
beforeAll(async () => {
  await useCpu();
  root = mkdtempSync(join(tmpdir(), "figs-hard-"));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const relu6 = (x: number): number => Math.min(Math.max(x, 0), 6);
const VALUES = [-1e6, -10, -3.5, -3, -1.5, -0.25, 0, 0.25, 1.5, 3, 3.5, 10, 1e6];

function applied(fn: (x: tf.Tensor) => tf.Tensor): number[] {
  return tf.tidy(() => Array.from(fn(tf.tensor1d(VALUES)).dataSync()));
}

/** erf by Abramowitz and Stegun 7.1.26 (absolute error below 1.5e-7). */
function erf(x: number): number {
  const t = 1 / (1 + 0.3275911 * Math.abs(x));
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  return Math.sign(x) * (1 - poly * Math.exp(-x * x));
}

describe("the formulas", () => {
  it("gelu is x·Φ(x) with the exact normal CDF, PyTorch's default (not the tanh form)", () => {
    const got = applied((x) => tf.layers.activation({ activation: "gelu" }).apply(x) as tf.Tensor);
    VALUES.filter((x) => Math.abs(x) < 100).forEach((x) => {
      const i = VALUES.indexOf(x);
      expect(got[i], `x = ${x}`).toBeCloseTo(0.5 * x * (1 + erf(x / Math.SQRT2)), 5);
    });
    // The tanh form gives 0.841192 at 1; the erf form 0.841345.
    expect(
      applied((x) => tf.layers.activation({ activation: "gelu" }).apply(tf.onesLike(x)) as tf.Tensor)[0],
    ).toBeCloseTo(0.841345, 5);
  });

  it("hardsigmoid is relu6(x + 3) / 6: 0 at −3 and below, 1/2 at 0, 1 at 3 and above", () => {
    const got = applied(hardSigmoid);
    VALUES.forEach((x, i) => expect(got[i], `x = ${x}`).toBeCloseTo(relu6(x + 3) / 6, 6));
    expect(got.slice(0, 4)).toEqual([0, 0, 0, 0]);
    expect(got[VALUES.indexOf(0)]).toBe(0.5);
    expect(got.slice(-4)).toEqual([1, 1, 1, 1]);
  });

  it("hardswish is x·relu6(x + 3) / 6: 0 at −3 and below, x at 3 and above", () => {
    const got = applied(hardSwish);
    VALUES.forEach((x, i) => expect(got[i], `x = ${x}`).toBeCloseTo((x * relu6(x + 3)) / 6, 6));
    expect(got.slice(0, 4).map(Math.abs)).toEqual([0, 0, 0, 0]);
    expect(got[VALUES.indexOf(0)]).toBe(0);
    expect(got.slice(-4)).toEqual([3, 3.5, 10, 1e6]);
    expect(got[VALUES.indexOf(-1.5)]).toBeCloseTo((-1.5 * 1.5) / 6, 6);
  });
});

/**
 * hardswish(0) = gelu(0) = silu(0) = 0, so masked channels through them stay 0 as pruned ones are
 * gone; hardsigmoid(0) = 1/2 (like sigmoid), so it follows fixed channels here.
 */
const SPACE = `space hard() {
  input(8, 8, 3)
  conv(3, 8) -> bn -> hardswish
  conv(3, 8) fixed -> hardsigmoid
  let a = conv(1, 8) -> bn -> hardswish
  let b = conv(1, 8) -> bn -> silu
  let c = conv(1, 8) -> bn -> gelu
  add([a, b, c]) -> hardswish
  global_avgpool -> dense(4) fixed
}
`;

describe("a space using them", () => {
  const compiled = compileText(SPACE);
  const ir = compiled.ir!;

  it("compiles", () => {
    expect(compiled.diagnostics.map((d) => d.message)).toEqual([]);
  });

  it("exports a pruned model that loads back (figs's layers) and computes what the supernet computes", async () => {
    const supernet = emitSupernet(ir, { seed: 5 });
    for (const [id, variable] of supernet.masks.logitVariables()) {
      const size = ir.groups[id]!.size;
      variable.write(tf.tensor1d(Array.from({ length: size }, (_, j) => (j % 3 === 0 ? -1 : 1 + j))));
    }
    const widths = ir.groups.map((g) => (g.searchable ? g.size - Math.ceil(g.size / 3) : g.size));
    const outDir = join(root, "export");
    const result = await exportArchitecture({ ir, widths, outDir, supernet });
    expect(result.diagnostics).toEqual([]);
    const figs = readFileSync(join(outDir, FIGS_FILE), "utf8");
    expect(figs).toContain("-> hardswish");
    expect(figs).toContain("-> hardsigmoid");
    expect(figs).toContain("-> swish");
    expect(figs).toContain("-> gelu");
    expect(compileText(figs).diagnostics).toEqual([]);
    const topology = readFileSync(join(outDir, MODEL_FILE), "utf8");
    // Standard layers only: plain tf.loadLayersModel opens it, without figs's classes.
    expect(topology).toContain('"class_name":"Rescaling"');
    expect(topology).not.toContain("Figs");
    expect(topology).toContain('"activation":"gelu"');

    const loaded = await loadModelFromDirectory(outDir);
    expect(loaded.diagnostics).toEqual([]);
    const x = tf.randomNormal([3, 8, 8, 3], 0, 2, "float32", 11);
    const fromSupernet = supernet.model.predict(x) as tf.Tensor;
    const fromExport = loaded.model!.predict(x) as tf.Tensor;
    expect(tf.max(tf.abs(tf.sub(fromSupernet, fromExport))).dataSync()[0]).toBeLessThan(1e-4);
    expect(tf.max(tf.abs(fromSupernet)).dataSync()[0]).toBeGreaterThan(1e-3);
  });

  it("trains: a step of the model's gradients through both changes the first conv and keeps the loss finite", () => {
    const model = emitModel(ir.nodes, ir.output, "hard_retrain");
    const x = tf.randomNormal([4, 8, 8, 3], 0, 2, "float32", 3);
    const labels = tf.oneHot(tf.tensor1d([0, 1, 2, 3], "int32"), 4);
    const loss = () => tf.losses.softmaxCrossEntropy(labels, model.apply(x, { training: true }) as tf.Tensor);
    const before = model.getLayer("conv_1").getWeights()[0]!.clone();
    const optimizer = tf.train.sgd(0.5);
    const value = optimizer.minimize(loss as () => tf.Scalar, true)!;
    expect(Number.isFinite(value.dataSync()[0])).toBe(true);
    const after = model.getLayer("conv_1").getWeights()[0]!;
    expect(tf.max(tf.abs(tf.sub(before, after))).dataSync()[0]).toBeGreaterThan(0);
  });
});
