// The data and mask options of `figs search` and `figs retrain` take effect:
// --validation holds images out of training (fewer training images, fewer
// steps per epoch) and reports the accuracy on them; --crop/--flip change
// the batches, the same way for the same seed; --nu-init and --temperature
// reach the supernet. Each is recorded in run.json / retrain.json and in
// arch.json's search settings.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectedCost } from "../../runtime/cost/expected-cost.js";
import type { ArchJson } from "../../runtime/export/arch-json.js";
import { compileRunSpace } from "../../cli/inputs/index.js";
import { loadSearchedSupernet, readRunConfig } from "../../runtime/search/index.js";
import { metrics, tempDir, useWasm } from "../runtime/search/helpers.js";
import { figs, SMALL, type CliRun } from "./helpers.js";

const temp = tempDir("figs-options-");
beforeAll(() => useWasm());
afterAll(() => temp.remove());

/** A small search: SMALL's later flags win, so these override its --limit and --batch. */
async function search(name: string, extra: readonly string[]): Promise<CliRun & { dir: string }> {
  const dir = join(temp.dir, name);
  const run = await figs(["search", ...SMALL, "--lambda", "3e-4", "--seed", "2", ...extra, "--out", dir]);
  expect(run.code, run.stderr).toBe(0);
  return { ...run, dir };
}

function text(...path: string[]): string {
  return readFileSync(join(...path), "utf8");
}

function json<T>(...path: string[]): T {
  return JSON.parse(text(...path)) as T;
}

function searchRecord(dir: string): Record<string, unknown> {
  return json<ArchJson>(dir, "export", "arch.json").search as Record<string, unknown>;
}

describe("--validation", () => {
  const heldOut =
    "holds the images out of training: fewer images, fewer steps per epoch, accuracy on them reported and recorded";
  it(heldOut, async () => {
    const all = await search("all-train", ["--limit", "400", "--batch", "50", "--epochs", "1"]);
    expect(all.stdout).toContain("(400 training images), 8 steps");
    const held = await search("held-out", ["--limit", "400", "--batch", "50", "--epochs", "1", "--validation", "100"]);
    expect(held.stdout).toContain("(300 training images, 100 held out for validation), 6 steps");
    expect(metrics(held.dir)).toHaveLength(6);
    const reported = new RegExp(
      /^validation accuracy: (\d+\.\d\d)% on 100 held-out images /.source +
        /\(the supernet in inference mode, masks 1\[ν > 0\]\)$/.source,
      "m",
    ).exec(held.stdout);
    expect(reported, held.stdout).not.toBeNull();
    const record = searchRecord(held.dir);
    expect(record["data"]).toEqual({ spec: "mnist", limit: 400, testLimit: 2000, validation: { count: 100 } });
    expect(record["validationImages"]).toBe(100);
    expect((100 * (record["validationAccuracy"] as number)).toFixed(2)).toBe(reported![1]);
    expect(json<{ data: unknown }>(held.dir, "run.json").data).toEqual({
      spec: "mnist",
      limit: 400,
      testLimit: 2000,
      validation: { count: 100 },
    });
    expect(searchRecord(all.dir)["validationAccuracy"]).toBeUndefined();
    // A fraction names the same split: a quarter of 400, chosen by the same seed.
    const fraction = await search("fraction", [
      "--limit",
      "400",
      "--batch",
      "50",
      "--epochs",
      "1",
      "--validation",
      "0.25",
    ]);
    expect(metrics(fraction.dir)).toEqual(metrics(held.dir));
  });

  it("holds images out of retraining and reports their accuracy", async () => {
    const arch = join(temp.dir, "held-out", "export", "arch.json");
    const out = join(temp.dir, "retrain-held-out");
    const run = await figs([
      "retrain",
      arch,
      "--limit",
      "300",
      "--test-limit",
      "300",
      "--batch",
      "50",
      "--epochs",
      "1",
      "--validation",
      "0.2",
      "--backend",
      "wasm",
      "--out",
      out,
    ]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain("(240 training images, 60 held out for validation), 4 steps");
    expect(run.stdout).toMatch(
      /^test accuracy: \d+\.\d\d% on 300 images; validation accuracy: \d+\.\d\d% on 60 held-out images$/m,
    );
    const result = json<{ validationImages: number; validationAccuracy: number }>(out, "result.json");
    expect(result.validationImages).toBe(60);
    expect(result.validationAccuracy).toBeGreaterThanOrEqual(0);
    expect(json<{ data: unknown }>(out, "retrain.json").data).toEqual({
      spec: "mnist",
      limit: 300,
      testLimit: 300,
      validation: { fraction: 0.2 },
    });
  });
});

describe("--crop and --flip", () => {
  it("change a search's batches, the same way for the same seed", async () => {
    const plain = await search("plain", ["--steps", "2"]);
    const augmented = await search("augmented", ["--steps", "2", "--crop", "2", "--flip"]);
    const again = await search("augmented-again", ["--steps", "2", "--crop", "2", "--flip"]);
    const cropped = await search("cropped", ["--steps", "2", "--crop", "2"]);
    const first = (dir: string): number => metrics(dir)[0]!["crossEntropy"]!;
    // Same seed: same weights and masks at step 1, so only the images can differ.
    expect(first(augmented.dir)).not.toBe(first(plain.dir));
    expect(first(cropped.dir)).not.toBe(first(augmented.dir));
    expect(metrics(again.dir)).toEqual(metrics(augmented.dir));
    expect(searchRecord(augmented.dir)).toMatchObject({ cropPadding: 2, flip: true });
    expect(searchRecord(plain.dir)).toMatchObject({ cropPadding: 0, flip: false });
    expect(json<{ settings: unknown }>(augmented.dir, "run.json").settings).toMatchObject({
      cropPadding: 2,
      flip: true,
    });
  });

  it("change retraining's batches, the same way for the same seed", async () => {
    const arch = join(temp.dir, "plain", "export", "arch.json");
    const retrain = async (name: string, extra: readonly string[]): Promise<string> => {
      const out = join(temp.dir, name);
      const run = await figs([
        "retrain",
        arch,
        "--limit",
        "300",
        "--batch",
        "32",
        "--steps",
        "2",
        "--backend",
        "wasm",
        ...extra,
        "--out",
        out,
      ]);
      expect(run.code, run.stderr).toBe(0);
      return out;
    };
    const plain = await retrain("retrain-plain", []);
    const augmented = await retrain("retrain-augmented", ["--crop", "3", "--flip"]);
    const again = await retrain("retrain-augmented-again", ["--crop", "3", "--flip"]);
    expect(metrics(augmented)[0]!["loss"]).not.toBe(metrics(plain)[0]!["loss"]);
    expect(metrics(again)).toEqual(metrics(augmented));
    expect(json<{ settings: unknown }>(augmented, "retrain.json").settings).toMatchObject({
      cropPadding: 3,
      flip: true,
    });
  });
});

describe("run.json from before these options", () => {
  it("is read with their defaults, which is what such runs did", async () => {
    const dir = join(temp.dir, "plain");
    const path = join(dir, "run.json");
    const config = json<{ data: Record<string, unknown>; settings: Record<string, unknown> }>(path);
    delete config.data["validation"];
    for (const key of ["initialLogit", "temperature", "maskNoise", "cropPadding", "flip"]) delete config.settings[key];
    writeFileSync(path, JSON.stringify(config));
    const run = await figs(["export", dir, "--out", join(temp.dir, "plain-again"), "--backend", "wasm"]);
    expect(run.code, run.stderr).toBe(0);
    expect(text(temp.dir, "plain-again", "arch.json")).toBe(text(dir, "export", "arch.json"));
  });
});

describe("--nu-init and --temperature", () => {
  const reachSupernet =
    "reach the supernet: the first E[cost] is the cost at π = sigmoid(ν init), and a rebuilt supernet has both";
  it(reachSupernet, async () => {
    const plain = join(temp.dir, "plain");
    const chosen = await search("mask-options", ["--steps", "2", "--nu-init", "0.5", "--temperature", "0.05"]);
    const config = readRunConfig(chosen.dir);
    expect(config.ok).toBe(true);
    if (!config.ok) return;
    expect(config.value.settings).toMatchObject({ initialLogit: 0.5, temperature: 0.05 });
    expect(searchRecord(chosen.dir)).toMatchObject({ initialLogit: 0.5, temperature: 0.05, maskNoise: "logistic" });
    expect(searchRecord(plain)).toMatchObject({ initialLogit: 2.5, temperature: 0.001 });
    const ir = compileRunSpace(config.value, chosen.dir).ir!;
    const costAt = (nu: number): number => {
      const cost = expectedCost(ir, "params");
      const value = tf.tidy(() => cost.atLogits(tf.fill<tf.Rank.R1>([ir.maskVariables], nu)).dataSync()[0]!);
      cost.dispose();
      return value;
    };
    expect(metrics(chosen.dir)[0]!["expectedCost"]).toBeCloseTo(costAt(0.5), 0);
    expect(metrics(plain)[0]!["expectedCost"]).toBeCloseTo(costAt(2.5), 0);
    expect(costAt(0.5)).toBeLessThan(0.8 * costAt(2.5));
    const loaded = await loadSearchedSupernet(ir, config.value.settings, chosen.dir);
    expect(loaded.trainer?.supernet.masks.options).toMatchObject({
      initialLogit: 0.5,
      temperature: 0.05,
      noise: "logistic",
    });
    loaded.trainer?.dispose();
  });

  it("accept a negative ν written --nu-init=-1 or --nu-init -1", async () => {
    const joined = await search("negative-nu", ["--steps", "1", "--nu-init=-1"]);
    expect(searchRecord(joined.dir)).toMatchObject({ initialLogit: -1 });
    const spaced = await search("negative-nu-spaced", ["--steps", "1", "--nu-init", "-1"]);
    expect(searchRecord(spaced.dir)).toMatchObject({ initialLogit: -1 });
  });
});

describe("bad values of the new options", () => {
  it.each([
    ["search", ["--nu-init", "abc"], "--nu-init must be a number"],
    ["search", ["--temperature", "0"], "--temperature must be a positive number"],
    // A negative value after a space reaches the option's own check, not node's "argument is ambiguous".
    ["search", ["--temperature", "-0.5"], "--temperature must be"],
    ["search", ["--lambda", "-1"], "--lambda must be"],
    ["search", ["--crop", "1.5"], "--crop must be a non-negative integer"],
    ["search", ["--validation", "0"], "--validation must be a count"],
    ["search", ["--validation", "2.5"], "--validation must be a count"],
    ["search", ["--validation", "5000"], "must hold out between 1 and 1999 of the 2000 training images"],
    ["retrain", ["--crop", "x"], "--crop must be a number"],
    ["retrain", ["--validation", "many"], "--validation must be a count"],
    ["retrain", ["--lr", "-0.1"], "--lr must be"],
  ] as const)("figs %s %s is refused before anything is written", async (command, extra, message) => {
    const out = join(temp.dir, `bad-${command}-${extra.join("")}`);
    const args =
      command === "search"
        ? [...SMALL, "--steps", "1"]
        : [join(temp.dir, "plain", "export", "arch.json"), "--limit", "200", "--steps", "1"];
    const run = await figs([command, ...args, ...extra, "--out", out]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(message);
    expect(run.stderr).not.toContain("ambiguous");
    expect(existsSync(out)).toBe(false);
  });
});

describe("--method, --samples and --arch-eps", () => {
  it("reach the search, and arch.json and metrics.jsonl record them", async () => {
    const extra = ["--steps", "4", "--method", "cost-only", "--samples", "3", "--arch-eps", "0.01"];
    const run = await search("ablation", extra);
    const record = searchRecord(run.dir);
    expect(record["method"]).toBe("cost-only");
    expect(record["samples"]).toBe(3);
    expect(record["archEpsilon"]).toBe(0.01);
    const lines = metrics(run.dir) as { samples: number }[];
    expect(lines[0]!.samples).toBe(3);
    expect(lines.every((line) => line.samples >= 1 && line.samples <= 3)).toBe(true);
  });

  it.each([
    [["--method", "random"], "--method must be figs or cost-only"],
    [["--samples", "0"], "--samples must be an integer from 1 to 64"],
    [["--arch-eps", "0"], "--arch-eps"],
  ])("%j is refused before anything is written", async (extra, message) => {
    const dir = join(temp.dir, `bad-${extra.join("")}`);
    const run = await figs(["search", ...SMALL, ...extra, "--out", dir]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(message);
    expect(existsSync(dir)).toBe(false);
  });
});
