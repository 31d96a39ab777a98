// Issue 5, "Must show": on a small CNN space and 2,000 MNIST images, E[cost]
// falls during search and falls further with a larger λ; the exported cost
// of the search result is exact; --target lands within ±5%; same seed, same
// arch.json.
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compile } from "../../../compiler/index.js";
import { loadModelFromDirectory } from "../../../runtime/export/model-files.js";
import { exportSearch, runConfig, runSearch, type SearchSettings } from "../../../runtime/search/index.js";
import type { Dataset } from "../../../runtime/data/dataset.js";
import { metrics, mnist, settings, smallIr, SMALL_SET, SMALL_SPACE, tempDir, useWasm } from "./helpers.js";

let data: Dataset;
const temp = tempDir();
beforeAll(async () => {
  await useWasm();
  data = mnist(2000);
});
afterAll(() => temp.remove());

async function search(
  name: string,
  overrides: Partial<SearchSettings>,
): Promise<{ dir: string; settings: SearchSettings }> {
  const dir = join(temp.dir, name);
  mkdirSync(dir);
  const chosen = settings(overrides);
  const outcome = await runSearch({ ir: smallIr(), train: data.train, settings: chosen, dir, resume: false });
  expect(outcome.status).toBe("finished");
  return { dir, settings: chosen };
}

async function exportOf(
  run: { dir: string; settings: SearchSettings },
  out = "export",
): Promise<ReturnType<typeof exportSearch>> {
  const ir = smallIr();
  const config = runConfig(ir, SMALL_SPACE, SMALL_SET, { spec: "mnist", limit: 2000 }, run.settings);
  return exportSearch({ ir, config, runDir: run.dir, outDir: join(run.dir, out), force: false });
}

describe("search on mnist_convnet (width 8, hidden 32), 2,000 MNIST images", () => {
  const costs: Record<string, number[]> = {};

  it("lowers E[cost] during search", async () => {
    for (const [name, lambda] of [
      ["weak", 3e-4],
      ["strong", 3e-3],
    ] as const) {
      const run = await search(name, { lambda, steps: 30 });
      costs[name] = metrics(run.dir).map((m) => m["expectedCost"] as number);
    }
    const weak = costs["weak"]!;
    expect(weak).toHaveLength(30);
    expect(weak[29]!).toBeLessThan(weak[0]!);
  });

  it("lowers it further with a larger λ", () => {
    const fall = (name: string): number => costs[name]![0]! - costs[name]![29]!;
    expect(costs["strong"]![29]!).toBeLessThan(costs["weak"]![29]!);
    expect(fall("strong")).toBeGreaterThan(2 * fall("weak"));
  });

  const exactExport =
    "exports a result whose formula cost = compiled cost of pruned.figs = the model's countParams (keras)";
  it(exactExport, async () => {
    const run = await search("exact", { lambda: 3e-5, steps: 20 });
    const exported = await exportOf(run);
    const arch = exported.arch!;
    exported.model?.dispose();
    const figs = readFileSync(join(run.dir, "export", "pruned.figs"), "utf8");
    for (const convention of ["torch", "keras"] as const) {
      const back = compile({ path: "pruned.figs", text: figs }, { convention });
      expect(back.ir?.costs.full.params).toBe(arch.costs[convention].params);
      expect(back.ir?.costs.full.madds).toBe(arch.costs[convention].madds);
    }
    const loaded = await loadModelFromDirectory(join(run.dir, "export"));
    expect(loaded.model?.countParams()).toBe(arch.costs.keras.params);
    expect(arch.costs.torch.params).toBeLessThan(smallIr().costs.full.params);
  });

  it("gives the same arch.json for the same seed", async () => {
    const first = await search("seed-a", { lambda: 3e-5, steps: 12, seed: 5 });
    const second = await search("seed-b", { lambda: 3e-5, steps: 12, seed: 5 });
    (await exportOf(first)).model?.dispose();
    (await exportOf(second)).model?.dispose();
    const read = (dir: string): string => readFileSync(join(dir, "export", "arch.json"), "utf8");
    expect(read(second.dir)).toBe(read(first.dir));
  });

  it.each([
    ["params", 12_000],
    ["params", 25_000],
    ["madds", 400_000],
  ] as const)("lands --target %s=%i within ±5 percent", async (cost, target) => {
    const run = await search(`target-${cost}-${target}`, { cost, target, steps: 20 });
    const exported = await exportOf(run);
    exported.model?.dispose();
    const landed = exported.arch!.costs.torch[cost];
    expect(Math.abs(landed - target) / target).toBeLessThanOrEqual(0.05);
    expect(exported.calibration?.withinTolerance).toBe(true);
  });
});
