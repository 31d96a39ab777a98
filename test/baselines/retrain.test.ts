// CI-sized end to end: a sampled and a scaled architecture of mnist_convnet, exported by the CLI,
// load back through `figs retrain`'s loader and retrain on 500 MNIST images for a few steps.
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultHost } from "../../compiler/elaborate/index.js";
import { loadMnist, type Dataset } from "../../runtime/data/index.js";
import { ARCH_FILE, FIGS_FILE } from "../../runtime/export/index.js";
import { DEFAULT_RETRAIN, loadArchitecture, retrain, type RetrainProgress } from "../../runtime/retrain/index.js";
import { selectBackend } from "../../runtime/backend/select.js";
import { figs } from "./helpers.js";

const SMALL_MNIST = "width=8,hidden=32";
const STEPS = 30;

let root = "";
let data: Dataset;
beforeAll(async () => {
  // The backend `figs retrain` would choose: tfjs's pure-JS cpu backend takes seconds per step here.
  await selectBackend();
  root = mkdtempSync(join(tmpdir(), "figs-baseline-retrain-"));
  const loaded = loadMnist({ limit: 500 });
  if (!loaded.ok) throw new Error(`MNIST does not load: ${loaded.diagnostic.message}`);
  data = loaded.value;
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Retrains the export in `exportDir` (from its arch.json or its pruned.figs) and returns what it reported. */
async function retrainExport(exportDir: string, file: string): Promise<{ accuracy: number; losses: number[]; params: number }> {
  const loaded = loadArchitecture({ path: join(exportDir, file), cwd: process.cwd(), host: defaultHost() });
  expect(loaded.diagnostics).toEqual([]);
  const runDir = join(root, `run-${exportDir.split("/").slice(-2).join("-")}-${file}`);
  mkdirSync(runDir, { recursive: true });
  const losses: number[] = [];
  const outcome = await retrain({
    architecture: loaded.architecture!,
    name: "baseline",
    data,
    settings: { ...DEFAULT_RETRAIN, steps: STEPS, batchSize: 32, seed: 4 },
    dir: runDir,
    resume: false,
    onStep: (progress: RetrainProgress) => void losses.push(progress.loss),
  });
  expect(outcome.diagnostics).toEqual([]);
  expect(outcome.status).toBe("finished");
  expect(outcome.steps).toBe(STEPS);
  const params = outcome.model!.countParams();
  outcome.model!.dispose();
  return { accuracy: outcome.testAccuracy!, losses, params };
}

function mean(values: readonly number[]): number {
  return values.reduce((sum, v) => sum + v, 0) / values.length;
}

describe("baselines retrain", () => {
  it.each([
    ["a sampled", ["sample", "--n", "1", "--seed", "7"], "sample-0"],
    ["a scaled", ["scale", "--width", "0.5"], ""],
  ])("%s architecture of mnist_convnet retrains on 500 MNIST images and reports a test accuracy", async (label, args, sub) => {
    const out = join(root, label.replace(" ", "-"));
    const [command, ...rest] = args as [string, ...string[]];
    const run = await figs(command, "spaces/mnist_convnet.figs", "--set", SMALL_MNIST, ...rest, "--out", out, "--convention", "keras", "--json");
    expect(run.exit).toBe(0);
    const keras = (JSON.parse(run.stdout) as { rows: { params: number }[] }).rows[0]!.params;
    const exportDir = join(out, sub);
    const results = [];
    for (const file of [ARCH_FILE, FIGS_FILE]) {
      const result = await retrainExport(exportDir, file);
      // The retrained model is the exported architecture: the parameters arch.json reports.
      expect(result.params).toBe(keras);
      expect(result.losses).toHaveLength(STEPS);
      expect(result.losses.every(Number.isFinite)).toBe(true);
      expect(mean(result.losses.slice(-5))).toBeLessThan(mean(result.losses.slice(0, 5)));
      expect(result.accuracy).toBeGreaterThanOrEqual(0);
      expect(result.accuracy).toBeLessThanOrEqual(1);
      console.info(`${label} (${file}): test accuracy ${result.accuracy.toFixed(3)} after ${STEPS} steps, loss ${result.losses[0]!.toFixed(3)} → ${result.losses[STEPS - 1]!.toFixed(3)}`);
      results.push(result);
    }
    // arch.json and pruned.figs are one architecture: the same seeded initial weights give the same first loss.
    expect(results[1]!.losses[0]).toBeCloseTo(results[0]!.losses[0]!, 4);
  });
});
