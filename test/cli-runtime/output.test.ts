// What a tiny `figs search` and `figs retrain` print: the backend line, the
// progress lines, the result lines, each model size labelled with its
// convention (torch: batch norm 2·C; keras: 4·C, tfjs countParams()) and the
// same architecture reported the same way by both; errors of `figs export`
// carry its own name.
import { createHash } from "node:crypto";
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ArchJson } from "../../runtime/export/arch-json.js";
import { loadModelFromDirectory } from "../../runtime/export/model-files.js";
import { tempDir, useWasm } from "../runtime/search/helpers.js";
import { figs, SMALL, type CliRun } from "./helpers.js";

const temp = tempDir("figs-output-");
const searchDir = join(temp.dir, "search");
let search: CliRun;
beforeAll(async () => {
  await useWasm();
  search = await figs(["search", ...SMALL, "--lambda", "3e-4", "--steps", "4", "--out", searchDir]);
});
afterAll(() => temp.remove());

function archOf(dir: string): ArchJson {
  return JSON.parse(readFileSync(join(dir, "export", "arch.json"), "utf8")) as ArchJson;
}

const PARAMS =
  String.raw`[\d.]+k? params \(torch convention: (\d+); ` +
  String.raw`keras convention, as tfjs countParams\(\): (\d+)\), [\d.]+[kM]? madds \((\d+)\)`;

describe("figs search output", () => {
  it("prints the backend, the run, what it found and where it went on stdout", () => {
    expect(search.code, search.stderr).toBe(0);
    const lines = search.stdout.trimEnd().split("\n");
    expect(lines).toHaveLength(5);
    expect(lines[0]).toMatch(/^backend: wasm — /);
    expect(lines[1]).toBe(`search: mnist_convnet on mnist (2000 training images), 4 steps, run directory ${searchDir}`);
    const found = new RegExp(`^found: ${PARAMS}; (\\d+) ops removed$`).exec(lines[2]!);
    expect(found, lines[2]).not.toBeNull();
    const arch = archOf(searchDir);
    expect(found!.slice(1, 5).map(Number)).toEqual([
      arch.costs.torch.params,
      arch.costs.keras.params,
      arch.costs.torch.madds,
      arch.removedOps,
    ]);
    expect(lines[3]).toMatch(/^widths: conv_0:\d+\/8 conv_1:\d+\/8 conv_2:\d+\/16 conv_3:\d+\/16 dense_0:\d+\/32$/);
    expect(lines[4]).toBe(`exported to ${join(searchDir, "export")} (arch.json, pruned.figs, model.json)`);
  });

  it("prints a progress line per step on stderr when it is not a terminal", () => {
    const progress = search.stderr.trimEnd().split("\n");
    expect(progress.map((l) => l.split("  ")[0])).toEqual(["step 1/4", "step 2/4", "step 3/4", "step 4/4"]);
    for (const line of progress)
      expect(line).toMatch(
        new RegExp(
          /^step \d\/4 {2}\[[#-]{20}\] {2}loss \d+\.\d{4} {2}acc \d+\.\d% {2}/.source +
            /E\[cost\] [\d.]+k {2}λ 3\.00e-4 {2}ETA \d+s$/.source,
        ),
      );
  });
});

describe("figs retrain output", () => {
  it("labels the model's size with the same conventions and numbers as the search's export", async () => {
    const out = join(temp.dir, "retrain");
    const run = await figs([
      "retrain",
      join(searchDir, "export", "arch.json"),
      "--limit",
      "300",
      "--test-limit",
      "300",
      "--batch",
      "32",
      "--steps",
      "3",
      "--backend",
      "wasm",
      "--out",
      out,
    ]);
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^backend: wasm — /);
    expect(lines[1]).toBe(`retrain: mnist_convnet_retrained on mnist (300 training images), 3 steps, output ${out}`);
    expect(lines[2]).toMatch(/^test accuracy: \d+\.\d\d% on 300 images$/);
    const model = new RegExp(`^model: ${PARAMS}; saved to (.+)$`).exec(lines[3]!);
    expect(model, lines[3]).not.toBeNull();
    const arch = archOf(searchDir);
    expect(model!.slice(1, 5)).toEqual(
      [arch.costs.torch.params, arch.costs.keras.params, arch.costs.torch.madds, join(out, "model.json")].map(String),
    );
    // The found line of the search names the same numbers for the same architecture.
    expect(search.stdout).toContain(lines[3]!.slice("model: ".length, lines[3]!.indexOf("; saved")));
    const saved = await loadModelFromDirectory(out);
    expect(saved.model?.countParams()).toBe(arch.costs.keras.params);
    saved.model?.dispose();
    const result = JSON.parse(readFileSync(join(out, "result.json"), "utf8")) as {
      architecture: { name: string; path: string; sha256: string };
      costs: ArchJson["costs"];
      steps: number;
      seed: number;
      wallSeconds: number;
      widths: Record<string, number>;
    };
    expect(result.costs).toEqual(arch.costs);
    expect(result.steps).toBe(3);
    // A row of a results table on its own (issue 14): what was trained, its seed, widths and time.
    const archFile = join(searchDir, "export", "arch.json");
    const sha256 = createHash("sha256").update(readFileSync(archFile)).digest("hex");
    expect(result.architecture).toEqual({ name: "mnist_convnet_retrained", path: archFile, sha256 });
    expect(Number.isInteger(result.seed)).toBe(true);
    expect(result.wallSeconds).toBeGreaterThan(0);
    expect(result.widths).toEqual(Object.fromEntries(arch.widths.map((g) => [g.name, g.width])));
  });
});

describe("figs export errors", () => {
  it("name the file they concern, never figs search", async () => {
    const copy = join(temp.dir, "no-checkpoint");
    await figs(["search", ...SMALL, "--lambda", "3e-4", "--steps", "1", "--out", copy]);
    rmSync(join(copy, "checkpoint"), { recursive: true, force: true });
    const run = await figs(["export", copy, "--out", join(temp.dir, "re-export"), "--backend", "wasm"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^\S+checkpoint\.json: error FIGS9001: .*checkpoint/m);
    expect(run.stderr).not.toContain("figs search");
  });
});
