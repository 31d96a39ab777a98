// The emitted `bn` layer (FigsBatchNorm) against tf.layers' BatchNormalization:
// same weights; on cpu the same numbers (outputs, moving statistics and
// gradients); on wasm with the fused kernel the same numbers within float
// tolerance; it saves as a plain BatchNormalization that loads anywhere; and an
// emitted model trains the same on wasm (fused BN + fused Adam) as on cpu.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { activateWasm } from "../../../runtime/backend/wasm.js";
import { emitModel, FigsBatchNorm } from "../../../runtime/emit/index.js";
import { fileSaveHandler, loadModelFromDirectory, MODEL_FILE } from "../../../runtime/export/model-files.js";
import { BN_FORWARD } from "../../../runtime/kernels/batchnorm_op.js";
import { jsEngine } from "../../../runtime/kernels/engine.js";
import { registerWasmKernels } from "../../../runtime/kernels/register_wasm.js";
import { scheduledAdam } from "../../../runtime/train/schedule.js";
import { compileText } from "../export/helpers.js";
import { maxAbs, maxAbsDiff, randomValues } from "../helpers.js";

const SHAPE: [number, number, number, number] = [3, 4, 5, 6];

/** A one-layer model around `layer`, with seeded non-default weights so moving statistics and gamma/beta all matter. */
function modelAround(layer: tf.layers.Layer): tf.LayersModel {
  const input = tf.input({ shape: SHAPE.slice(1) });
  const model = tf.model({ inputs: input, outputs: layer.apply(input) as tf.SymbolicTensor });
  const channels = SHAPE[3];
  const positive = (seed: number): Float32Array => randomValues(channels, seed).map((v) => 1.5 + v);
  layer.setWeights(
    [positive(1), randomValues(channels, 2), randomValues(channels, 3), positive(4)].map((v) => tf.tensor1d(v)),
  );
  return model;
}

interface TrainingStep {
  readonly output: Float32Array;
  readonly moving: Float32Array[];
  readonly grads: Float32Array[];
}

/** One training-mode forward + backward through `layer`, as the search and retrain loops run it. */
function trainingStep(layer: tf.layers.Layer): TrainingStep {
  const model = modelAround(layer);
  const n = SHAPE.reduce((a, b) => a * b, 1);
  const x = tf.tensor4d(randomValues(n, 11), SHAPE);
  const dy = tf.tensor4d(randomValues(n, 12), SHAPE);
  const trainable = layer.trainableWeights.map((w) => w.read() as tf.Variable);
  const output = tf.tidy(() => (model.apply(x, { training: true }) as tf.Tensor).dataSync() as Float32Array);
  const { grads } = tf.variableGrads(
    () => tf.sum(tf.mul(model.apply(x, { training: true }) as tf.Tensor, dy)) as tf.Scalar,
    trainable,
  );
  const result = {
    output,
    moving: layer
      .getWeights()
      .slice(2)
      .map((w) => w.dataSync() as Float32Array),
    grads: trainable.map((v) => grads[v.name]!.dataSync() as Float32Array),
  };
  tf.dispose([x, dy, ...Object.values(grads)]);
  model.dispose();
  return result;
}

function keras(): tf.layers.Layer {
  return tf.layers.batchNormalization({ name: "bn_ref", axis: -1 });
}

function figs(): FigsBatchNorm {
  return new FigsBatchNorm({ name: "bn_figs" });
}

describe("FigsBatchNorm on cpu", () => {
  beforeAll(async () => {
    await tf.setBackend("cpu");
  });

  it("has tf.layers' weights: names, shapes, trainability, order and count", () => {
    const [ref, ours] = [keras(), figs()];
    const [refModel, ourModel] = [modelAround(ref), modelAround(ours)];
    const describeWeights = (l: tf.layers.Layer): string[] =>
      l.weights.map((w) => `${w.originalName.split("/").pop()}:${w.shape.join("x")}:${w.trainable}`);
    expect(describeWeights(ours)).toEqual(describeWeights(ref));
    expect(describeWeights(ours)).toEqual([
      "gamma:6:true",
      "beta:6:true",
      "moving_mean:6:false",
      "moving_variance:6:false",
    ]);
    expect(ourModel.countParams()).toBe(refModel.countParams());
    expect(ours.getConfig()["momentum"]).toBe(0.99);
    expect(ours.getConfig()["epsilon"]).toBe(1e-3);
  });

  it("trains exactly like tf.layers' BatchNormalization: output, moving statistics, gradients", () => {
    const want = trainingStep(keras());
    const got = trainingStep(figs());
    expect(Array.from(got.output)).toEqual(Array.from(want.output));
    // Two training applications (value, then gradient) each move the statistics once.
    expect(got.moving.map((m) => Array.from(m))).toEqual(want.moving.map((m) => Array.from(m)));
    expect(got.grads.map((g) => Array.from(g))).toEqual(want.grads.map((g) => Array.from(g)));
    expect(maxAbs(got.grads[0]!)).toBeGreaterThan(0);
  });

  it("infers with the moving statistics and leaves them alone", () => {
    const [ref, ours] = [keras(), figs()];
    const [refModel, ourModel] = [modelAround(ref), modelAround(ours)];
    const x = tf.tensor4d(
      randomValues(
        SHAPE.reduce((a, b) => a * b, 1),
        21,
      ),
      SHAPE,
    );
    const before = ours.getWeights().map((w) => Array.from(w.dataSync()));
    const got = (ourModel.predict(x) as tf.Tensor).dataSync();
    expect(Array.from(got)).toEqual(Array.from((refModel.predict(x) as tf.Tensor).dataSync()));
    expect(ours.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(before);
  });
});

describe("FigsBatchNorm saved and loaded", () => {
  const dir = mkdtempSync(join(tmpdir(), "figs-bn-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("saves as a standard BatchNormalization that tf.loadLayersModel opens with the same predictions", async () => {
    await tf.setBackend("cpu");
    const model = modelAround(figs());
    await model.save(fileSaveHandler(dir));
    const json = readFileSync(join(dir, MODEL_FILE), "utf8");
    expect(json).toContain('"class_name":"BatchNormalization"');
    expect(json).not.toContain("FigsBatchNorm");
    const loaded = await loadModelFromDirectory(dir);
    expect(loaded.diagnostics).toEqual([]);
    const x = tf.tensor4d(
      randomValues(
        SHAPE.reduce((a, b) => a * b, 1),
        31,
      ),
      SHAPE,
    );
    const want = Array.from((model.predict(x) as tf.Tensor).dataSync());
    expect(Array.from((loaded.model!.predict(x) as tf.Tensor).dataSync())).toEqual(want);
    const layer = loaded.model!.getLayer("bn_figs");
    expect(layer).not.toBeInstanceOf(FigsBatchNorm);
    expect(layer.weights.map((w) => w.originalName.split("/").pop())).toEqual([
      "gamma",
      "beta",
      "moving_mean",
      "moving_variance",
    ]);
  });
});

describe("FigsBatchNorm on wasm with the fused kernel", () => {
  beforeAll(async () => {
    expect(await activateWasm(jsEngine)).not.toBeNull();
    registerWasmKernels(jsEngine);
  });
  afterAll(async () => {
    await tf.setBackend("cpu");
  });

  it("matches tf.layers' BatchNormalization on cpu within float tolerance", async () => {
    await tf.setBackend("cpu");
    const want = trainingStep(keras());
    await tf.setBackend("wasm");
    expect(tf.getKernel(BN_FORWARD, "wasm")).toBeDefined();
    const got = trainingStep(figs());
    const close = (a: Float32Array, b: Float32Array): void =>
      expect(maxAbsDiff(a, b)).toBeLessThanOrEqual(2e-4 * Math.max(1, maxAbs(b)));
    close(got.output, want.output);
    got.moving.forEach((m, i) => close(m, want.moving[i]!));
    got.grads.forEach((g, i) => close(g, want.grads[i]!));
  });
});

/**
 * One Adam step of an emitted model from seeded weights, as search/retrain run it; returns the loss and the new
 * weights.
 */
async function emittedStep(
  model: tf.LayersModel,
  seedWeights: tf.Tensor[],
): Promise<{ loss: number; weights: Float32Array[] }> {
  model.setWeights(seedWeights);
  const optimizer = scheduledAdam(1e-3);
  const x = tf.tensor4d(randomValues(2 * 12 * 12, 41), [2, 12, 12, 1]);
  const labels = tf.tidy(() => tf.oneHot(tf.tensor1d([3, 7], "int32"), 10));
  const loss = optimizer.minimize(
    () => tf.losses.softmaxCrossEntropy(labels, model.apply(x, { training: true }) as tf.Tensor) as tf.Scalar,
    true,
  );
  const value = (await loss!.data())[0]!;
  const weights = model.getWeights().map((w) => w.dataSync() as Float32Array);
  tf.dispose([x, labels, loss!]);
  optimizer.dispose();
  return { loss: value, weights };
}

/** Like mnist_convnet, smaller and without dropout, whose random mask would differ between backends. */
const NO_DROPOUT = `space small() {
  input(12, 12, 1)
  conv(3, 4) -> bn -> relu -> conv(3, 6) -> bn -> relu -> maxpool(2, stride: 2)
  flatten -> dense(8) -> bn -> relu -> dense(10) fixed as logits
}`;

describe("an emitted model with fused BN and figsAdam", () => {
  afterAll(async () => {
    await tf.setBackend("cpu");
  });

  it("takes the same training step on wasm as on cpu, and leaks no tensors", async () => {
    await tf.setBackend("cpu");
    const ir = compileText(NO_DROPOUT).ir!;
    const cpuModel = emitModel(ir.nodes, ir.output, "cpu_model");
    const seeds = cpuModel.getWeights().map((w, i) =>
      tf.tensor(
        randomValues(w.size, 50 + i).map((v) => v * 0.3),
        w.shape,
      ),
    );
    const want = await emittedStep(cpuModel, seeds);
    expect(await activateWasm(jsEngine)).not.toBeNull();
    registerWasmKernels(jsEngine);
    await tf.setBackend("wasm");
    const wasmModel = emitModel(ir.nodes, ir.output, "wasm_model");
    const wasmSeeds = seeds.map((s) => tf.tensor(s.dataSync(), s.shape));
    await emittedStep(wasmModel, wasmSeeds);
    const before = tf.memory().numTensors;
    const got = await emittedStep(wasmModel, wasmSeeds);
    expect(tf.memory().numTensors).toBe(before);
    expect(Math.abs(got.loss - want.loss)).toBeLessThanOrEqual(1e-4 * Math.max(1, Math.abs(want.loss)));
    // Adam's first step is ≈ ±lr per weight, so float noise in a near-zero gradient can move a weight by up to 2·lr.
    got.weights.forEach((w, i) => expect(maxAbsDiff(w, want.weights[i]!)).toBeLessThanOrEqual(2.5e-3));
  });
});
