// Issue 11, items 7, 11, 13, 14 and 16 through the command line: data that
// does not fit the space, a space too large for memory, IDX labels past the
// class count and unreachable targets are refused before anything is written,
// with the numbers and the option that fixes them; a near-unreachable target
// still exports a connected network; exports and retrainings record the
// data's preprocessing.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encodeIdx } from "../../runtime/data/idx.js";
import { loadModelFromDirectory } from "../../runtime/export/model-files.js";
import { figs, SMALL } from "../cli-runtime/helpers.js";
import { writeIdxPair } from "../runtime/data/helpers.js";
import { tempDir, useWasm } from "../runtime/search/helpers.js";

const temp = tempDir("figs-preflight-");
beforeAll(() => useWasm());
afterAll(() => temp.remove());

const NO_TRACE = /\n\s+at /;

describe("refused before anything is written", () => {
  it("data whose image shape is not the space's input (item 7), naming the option that fixes it", async () => {
    const out = join(temp.dir, "shape");
    const run = await figs([
      "search",
      "examples/resnet_bottleneck.figs",
      "--set",
      "F=4,blocks=1",
      "--limit",
      "2000",
      "--steps",
      "5",
      "--backend",
      "wasm",
      "--out",
      out,
    ]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/28.28.1/);
    expect(run.stderr).toMatch(/32.32.3/);
    expect(run.stderr).toMatch(/--data|--set/);
    expect(run.stderr).not.toMatch(NO_TRACE);
    expect(existsSync(out)).toBe(false);
  });

  it("a space whose training cannot fit in memory (item 11), with the estimate", async () => {
    const space = join(temp.dir, "huge.figs");
    writeFileSync(
      space,
      "space huge() {\n  input(28, 28, 1)\n  conv(3, 100000000) -> global_avgpool -> dense(10) fixed\n}\n",
    );
    const out = join(temp.dir, "huge");
    const run = await figs(["search", space, "--limit", "200", "--steps", "1", "--backend", "wasm", "--out", out]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/would need about [\d.]+ TB in tensors, more than .* \(4\.0 GB\)/);
    expect(run.stderr).toContain("No batch size fits");
    expect(run.stderr).not.toMatch(NO_TRACE);
    expect(existsSync(out)).toBe(false);
  });

  it("IDX labels outside the space's classes (item 13)", async () => {
    const data = join(temp.dir, "idx");
    mkdirSync(data);
    const train = writeIdxPair(data, "train", 64, { classes: 10 });
    writeFileSync(
      train.labels,
      encodeIdx({
        type: "uint8",
        shape: [64],
        data: Uint8Array.from({ length: 64 }, (_, i) => (i === 7 ? 200 : i % 10)),
      }),
    );
    writeIdxPair(data, "t10k", 16, { classes: 10 });
    const out = join(temp.dir, "labels");
    const run = await figs([
      "search",
      "spaces/mnist_convnet.figs",
      "--set",
      "width=8,hidden=32",
      "--data",
      `idx:${data}`,
      "--batch",
      "16",
      "--steps",
      "2",
      "--out",
      out,
    ]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("label 200 of item 7");
    expect(run.stderr).toContain("10 classes");
    expect(existsSync(out)).toBe(false);
  });

  const targetTooLow =
    "a --target below the smallest connected architecture (item 14), with the smallest and largest costs";
  it(targetTooLow, async () => {
    const out = join(temp.dir, "target-low");
    const run = await figs(["search", ...SMALL, "--target", "params=20", "--steps", "2", "--out", out]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /smallest connected architecture of this space has [\d,]+ params .* and the full space [\d,]+/,
    );
    expect(existsSync(out)).toBe(false);
  });
});

describe("exports", () => {
  it("never disconnect the network, even for a target near the smallest architecture (item 14)", async () => {
    const out = join(temp.dir, "target-150");
    const run = await figs(["search", ...SMALL, "--target", "params=150", "--steps", "6", "--out", out]);
    expect(run.code, run.stderr).toBe(0);
    const arch = JSON.parse(readFileSync(join(out, "export", "arch.json"), "utf8"));
    expect(arch.costs.torch.params).toBeGreaterThan(0);
    const again = await figs(["export", out, "--out", join(temp.dir, "target-150-again")]);
    expect(again.code, again.stderr).toBe(0);
  });

  const preprocessingRecorded =
    "record the data's preprocessing in arch.json, the model, result.json and the retrained model (item 16)";
  it(preprocessingRecorded, async () => {
    const out = join(temp.dir, "preprocessing");
    expect((await figs(["search", ...SMALL, "--lambda", "3e-4", "--steps", "2", "--out", out])).code).toBe(0);
    const arch = JSON.parse(readFileSync(join(out, "export", "arch.json"), "utf8"));
    expect(arch.preprocessing).toMatchObject({
      inputScale: 1 / 255,
      mean: [0.1307],
      std: [0.3081],
      inputShape: [28, 28, 1],
    });
    const exported = await loadModelFromDirectory(join(out, "export"));
    expect((exported.model?.getUserDefinedMetadata() as { preprocessing?: unknown }).preprocessing).toEqual(
      arch.preprocessing,
    );
    const retrained = join(temp.dir, "preprocessing-retrained");
    const run = await figs([
      "retrain",
      join(out, "export", "arch.json"),
      "--limit",
      "500",
      "--steps",
      "2",
      "--backend",
      "wasm",
      "--out",
      retrained,
    ]);
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(readFileSync(join(retrained, "result.json"), "utf8"));
    expect(result.preprocessing).toEqual(arch.preprocessing);
    expect(result.seed).toBe(1);
    expect(Object.keys(result.widths)).toContain("conv_0");
    const model = await loadModelFromDirectory(retrained);
    expect((model.model?.getUserDefinedMetadata() as { preprocessing?: unknown }).preprocessing).toEqual(
      arch.preprocessing,
    );
  });
});
