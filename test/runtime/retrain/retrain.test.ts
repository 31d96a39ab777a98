// runtime/retrain: an exported architecture, from its arch.json or its pruned
// .figs, trained from scratch; test accuracy well above chance; the saved
// model loads with the exported parameter count; a stopped run resumes to the
// same weights as an uninterrupted one.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type * as tf from "@tensorflow/tfjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultHost } from "../../../compiler/elaborate/index.js";
import { exportArchitecture } from "../../../runtime/export/export.js";
import { fileSaveHandler, loadModelFromDirectory } from "../../../runtime/export/model-files.js";
import { loadArchitecture } from "../../../cli/inputs/index.js";
import { DEFAULT_RETRAIN, retrain, type RetrainSettings } from "../../../runtime/retrain/index.js";
import type { Dataset } from "../../../runtime/data/dataset.js";
import type { ArchJson } from "../../../runtime/export/arch-json.js";
import { mnist, smallIr, tempDir, useWasm } from "../search/helpers.js";

const temp = tempDir("figs-retrain-");
let data: Dataset;
let arch: ArchJson;
const settings: RetrainSettings = { ...DEFAULT_RETRAIN, steps: 60, batchSize: 32, checkpointEvery: 10 };

beforeAll(async () => {
  await useWasm();
  data = mnist(2000);
  const ir = smallIr();
  // A thinned architecture: every searchable group at half its size.
  const widths = Int32Array.from(ir.groups, (g) => (g.searchable ? Math.max(1, g.size >> 1) : g.size));
  const exported = await exportArchitecture({ ir, widths, outDir: join(temp.dir, "export") });
  exported.model?.dispose();
  arch = exported.arch!;
});
afterAll(() => temp.remove());

function load(file: string): ReturnType<typeof loadArchitecture> {
  return loadArchitecture({ path: join(temp.dir, "export", file), cwd: process.cwd(), host: defaultHost() });
}

function runDir(name: string): string {
  const dir = join(temp.dir, name);
  mkdirSync(dir);
  return dir;
}

describe("retrain", () => {
  it("builds the same architecture from arch.json and from pruned.figs", () => {
    const fromArch = load("arch.json");
    const fromFigs = load("pruned.figs");
    expect(fromArch.diagnostics).toEqual([]);
    expect(fromFigs.diagnostics).toEqual([]);
    expect(fromArch.architecture!.nodes.map((n) => n.op)).toEqual(fromFigs.architecture!.nodes.map((n) => n.op));
  });

  it("trains from scratch to well above chance and saves a model with the exported parameter count", async () => {
    const dir = runDir("full");
    const outcome = await retrain({
      architecture: load("arch.json").architecture!,
      name: "half",
      data,
      settings,
      dir,
      resume: false,
    });
    expect(outcome.status).toBe("finished");
    // Chance is 10%; 60 steps of 32 images reach 40–60% on this half-width net.
    expect(outcome.testAccuracy).toBeGreaterThan(0.3);
    await outcome.model!.save(fileSaveHandler(dir));
    outcome.model!.dispose();
    const loaded = await loadModelFromDirectory(dir);
    expect(loaded.model?.countParams()).toBe(arch.costs.keras.params);
  });

  it("resumes a stopped run to the weights of an uninterrupted one", async () => {
    const architecture = load("pruned.figs").architecture!;
    const whole = await retrain({
      architecture,
      name: "whole",
      data,
      settings: { ...settings, steps: 20 },
      dir: runDir("whole"),
      resume: false,
    });
    const dir = runDir("stopped");
    let steps = 0;
    const stop = {
      get requested() {
        return steps >= 7;
      },
    };
    const stopped = await retrain({
      architecture,
      name: "part",
      data,
      settings: { ...settings, steps: 20 },
      dir,
      resume: false,
      stop,
      onStep: () => void (steps += 1),
    });
    expect(stopped.status).toBe("stopped");
    expect(stopped.steps).toBe(7);
    const resumed = await retrain({
      architecture,
      name: "rest",
      data,
      settings: { ...settings, steps: 20 },
      dir,
      resume: true,
    });
    expect(resumed.steps).toBe(20);
    const values = (model: tf.LayersModel): number[] => model.getWeights().flatMap((w) => Array.from(w.dataSync()));
    expect(values(resumed.model!)).toEqual(values(whole.model!));
    expect(resumed.testAccuracy).toBe(whole.testAccuracy);
    whole.model!.dispose();
    resumed.model!.dispose();
  });
});
