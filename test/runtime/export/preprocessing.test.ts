// The data's preprocessing travels with the export (issue #11, item 16): arch.json and the model's metadata.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { uniformBaseline, writeBaseline } from "../../../runtime/baselines/index.js";
import { loadDataset } from "../../../runtime/data/load.js";
import { applyPreprocessing, preprocessingOf, type Preprocessing } from "../../../runtime/data/preprocessing.js";
import type { Dataset } from "../../../runtime/data/dataset.js";
import {
  ARCH_FILE,
  exportArchitecture,
  loadModelFromDirectory,
  MODEL_FILE,
  parseArch,
  registerFileRouters,
} from "../../../runtime/export/index.js";
import { compileSpace, spacePath, useCpu } from "./helpers.js";

let root = "";
beforeAll(async () => {
  await useCpu();
  root = mkdtempSync(join(tmpdir(), "figs-preprocessing-"));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const ir = compileSpace(spacePath("mnist_convnet.figs"), { width: "4", hidden: "8" }, "keras");

function mnist(normalisation?: Dataset["normalisation"]): Dataset {
  const loaded = loadDataset("mnist", { limit: 8, testLimit: 8, ...(normalisation ? { normalisation } : {}) });
  if (!loaded.ok) throw new Error(loaded.diagnostic.message);
  return loaded.value;
}

describe("an export with the data's preprocessing", () => {
  const data = mnist();
  const preprocessing = preprocessingOf(data);

  it("records it in arch.json and in model.json's userDefinedMetadata, and both read back", async () => {
    const outDir = join(root, "with");
    const result = await exportArchitecture({ ir, widths: ir.groups.map((g) => g.size), outDir, preprocessing });
    expect(result.diagnostics).toEqual([]);
    const arch = parseArch(readFileSync(join(outDir, ARCH_FILE), "utf8"), ARCH_FILE);
    expect(arch.diagnostics).toEqual([]);
    expect(arch.arch?.preprocessing).toEqual(preprocessing);
    const modelJson = JSON.parse(readFileSync(join(outDir, MODEL_FILE), "utf8")) as {
      userDefinedMetadata?: { preprocessing?: Preprocessing };
    };
    expect(modelJson.userDefinedMetadata?.preprocessing).toEqual(preprocessing);

    const loaded = await loadModelFromDirectory(outDir);
    expect(loaded.diagnostics).toEqual([]);
    expect((loaded.model?.getUserDefinedMetadata() as { preprocessing?: Preprocessing }).preprocessing).toEqual(
      preprocessing,
    );
    registerFileRouters();
    const viaTfjs = await tf.loadLayersModel(`file://${join(outDir, MODEL_FILE)}`);
    expect((viaTfjs.getUserDefinedMetadata() as { preprocessing?: Preprocessing }).preprocessing?.formula).toBe(
      preprocessing.formula,
    );
  });

  it("raw pixels through the recorded formula give the logits of the normalised images", async () => {
    const outDir = join(root, "logits");
    await exportArchitecture({ ir, widths: ir.groups.map((g) => g.size), outDir, preprocessing });
    const model = (await loadModelFromDirectory(outDir)).model!;
    const recorded = (model.getUserDefinedMetadata() as { preprocessing: Preprocessing }).preprocessing;
    // The same images, unnormalised: pixel values 0..255 as stored in the IDX file.
    const raw = mnist({ mean: [0], std: [1 / 255] }).test;
    expect(Math.max(...raw.images)).toBe(255);
    const shape: [number, number, number, number] = [raw.count, ...recorded.inputShape];
    const fromRaw = model.predict(tf.tensor4d(applyPreprocessing(recorded, raw.images), shape)) as tf.Tensor;
    const fromNormalised = model.predict(tf.tensor4d(data.test.images, shape)) as tf.Tensor;
    expect(tf.max(tf.abs(tf.sub(fromRaw, fromNormalised))).dataSync()[0]).toBeLessThan(1e-4);
    expect(tf.max(tf.abs(fromNormalised)).dataSync()[0]).toBeGreaterThan(1e-3);
  });

  it("is optional: an export without it has neither field, and an old arch.json without it still reads", async () => {
    const outDir = join(root, "without");
    const result = await exportArchitecture({ ir, widths: ir.groups.map((g) => g.size), outDir });
    expect(result.arch && "preprocessing" in result.arch).toBe(false);
    expect(JSON.parse(readFileSync(join(outDir, MODEL_FILE), "utf8"))).not.toHaveProperty("userDefinedMetadata");
    const text = readFileSync(join(outDir, ARCH_FILE), "utf8");
    expect(parseArch(text, ARCH_FILE).diagnostics).toEqual([]);
    const bad = { ...JSON.parse(text), preprocessing: { ...preprocessing, layout: "CHW" } };
    expect(parseArch(JSON.stringify(bad), "bad.json").diagnostics[0]?.message).toMatch(/preprocessing\/layout/);
  });

  it("baselines record it too (WriteOptions.preprocessing)", async () => {
    const outDir = join(root, "scaled");
    const written = await writeBaseline(ir, uniformBaseline(ir, 0.5), { outDir, preprocessing });
    expect(written.diagnostics).toEqual([]);
    expect(written.written[0]?.arch.preprocessing).toEqual(preprocessing);
    const modelJson = JSON.parse(readFileSync(join(outDir, MODEL_FILE), "utf8")) as {
      userDefinedMetadata?: { preprocessing?: Preprocessing };
    };
    expect(modelJson.userDefinedMetadata?.preprocessing).toEqual(preprocessing);
  });
});
