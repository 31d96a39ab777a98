// Issue 6, "Must show": a sampled and a scaled architecture each retrain in a CI-sized test. The real
// commands, in process through the CLI entry: `figs sample` / `figs scale` on an MNIST-sized One-Shot
// space, then `figs retrain` on the arch.json they wrote (and on the sample's pruned.figs), a few steps on
// 500 MNIST images.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ARCH_FILE, FIGS_FILE, loadModelFromDirectory, readArch, type ArchJson } from "../../runtime/export/index.js";
import { figs } from "./helpers.js";

// Two pooling stages of One-Shot (4 cells) with two choice blocks each, at MNIST size.
const ONE_SHOT_MNIST = "size=28,channels=1,classes=10,F=8,cells=4,blocks=2";
const STEPS = 20;
const LIMIT = 500;

let root = "";
beforeAll(() => void (root = mkdtempSync(join(tmpdir(), "figs-baseline-retrain-"))));
afterAll(() => rmSync(root, { recursive: true, force: true }));

interface RetrainResult {
  readonly testAccuracy: number;
  readonly testImages: number;
  readonly steps: number;
  readonly losses: readonly number[];
  /** Parameters of the trained model `figs retrain` saved, as tfjs counts them. */
  readonly modelParams: number;
}

function archAt(dir: string): ArchJson {
  const read = readArch(join(dir, ARCH_FILE));
  expect(read.diagnostics).toEqual([]);
  return read.arch!;
}

function mean(values: readonly number[]): number {
  return values.reduce((sum, v) => sum + v, 0) / values.length;
}

/** `figs retrain DIR/FILE`; checks what a finished run writes and returns its result.json and losses. */
async function retrainCli(exportDir: string, out: string, file = ARCH_FILE): Promise<RetrainResult> {
  const run = await figs(
    "retrain",
    join(exportDir, file),
    "--limit",
    String(LIMIT),
    "--test-limit",
    String(LIMIT),
    "--steps",
    String(STEPS),
    "--batch",
    "32",
    "--seed",
    "4",
    "--out",
    out,
  );
  expect(run.stderr).not.toMatch(/error/i);
  expect(run.exit).toBe(0);
  expect(run.stdout).toMatch(/^test accuracy: \d+\.\d\d% on 500 images/m);
  const losses = readFileSync(join(out, "metrics.jsonl"), "utf8")
    .trim()
    .split("\n")
    .map((line) => (JSON.parse(line) as { loss: number }).loss);
  expect(losses).toHaveLength(STEPS);
  expect(losses.every(Number.isFinite)).toBe(true);
  expect(mean(losses.slice(-5))).toBeLessThan(mean(losses.slice(0, 5)));
  const result = JSON.parse(readFileSync(join(out, "result.json"), "utf8")) as Omit<
    RetrainResult,
    "losses" | "modelParams"
  >;
  expect(result.steps).toBe(STEPS);
  expect(result.testImages).toBe(LIMIT);
  expect(result.testAccuracy).toBeGreaterThanOrEqual(0);
  expect(result.testAccuracy).toBeLessThanOrEqual(1);
  console.info(
    `${join(exportDir, file)}: test accuracy ${result.testAccuracy} after ${STEPS} steps, ` +
      `loss ${losses[0]!.toFixed(3)} → ${losses[STEPS - 1]!.toFixed(3)}`,
  );
  const saved = await loadModelFromDirectory(out);
  expect(saved.diagnostics).toEqual([]);
  const modelParams = saved.model!.countParams();
  saved.model!.dispose();
  return { ...result, losses, modelParams };
}

/**
 * The retrained model is the exported one: tfjs counts a batch norm's moving statistics, as the keras convention does.
 */
function expectSameNetwork(result: RetrainResult, arch: ArchJson): void {
  expect(result.modelParams).toBe(arch.costs.keras.params);
  expect(arch.costs.torch.params).toBeLessThan(result.modelParams);
}

describe("baselines retrain through the CLI", () => {
  const sampleThenRetrain =
    "figs sample removes operators of One-Shot, and figs retrain trains the sample (arch.json and pruned.figs)";
  it(sampleThenRetrain, async () => {
    const out = join(root, "sampled");
    const sampled = await figs(
      "sample",
      "spaces/one_shot.figs",
      "--set",
      ONE_SHOT_MNIST,
      "--n",
      "1",
      "--seed",
      "1",
      "--out",
      out,
      "--json",
    );
    expect(sampled.exit).toBe(0);
    const summary = JSON.parse(sampled.stdout) as {
      rows: { removedGroups: number; removedOps: number; params: number }[];
    };
    const arch = archAt(join(out, "sample-0"));
    // Seed 1 drops searchable groups, and with them whole operators (pruned.figs lacks them).
    expect(summary.rows[0]!.removedGroups).toBeGreaterThan(0);
    expect(arch.removedOps).toBeGreaterThan(0);
    expect(arch.removedOps).toBe(summary.rows[0]!.removedOps);
    expect(arch.widths.some((w) => w.searchable && w.width === 0)).toBe(true);
    expect(summary.rows[0]!.params).toBe(arch.costs.torch.params);
    const fromArch = await retrainCli(join(out, "sample-0"), join(root, "sampled-retrained"));
    expectSameNetwork(fromArch, arch);
    // pruned.figs is the same network: the same seed gives the same initial weights and first loss.
    const fromFigs = await retrainCli(join(out, "sample-0"), join(root, "sampled-figs-retrained"), FIGS_FILE);
    expectSameNetwork(fromFigs, arch);
    expect(fromFigs.losses[0]).toBeCloseTo(fromArch.losses[0]!, 4);
  });

  it("figs scale --width 0.5 of One-Shot retrains with figs retrain", async () => {
    const out = join(root, "scaled");
    const scaled = await figs("scale", "spaces/one_shot.figs", "--set", ONE_SHOT_MNIST, "--width", "0.5", "--out", out);
    expect(scaled.exit).toBe(0);
    const arch = archAt(out);
    expect(arch.search!["multiplier"]).toBe(0.5);
    expect(arch.removedOps).toBe(0);
    expectSameNetwork(await retrainCli(out, join(root, "scaled-retrained")), arch);
  });
});
