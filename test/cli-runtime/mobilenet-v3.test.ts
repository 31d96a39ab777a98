// Issue 13: a search of a CPU-sized MobileNetV3-Small runs end to end (search,
// export, retrain), every squeeze-and-excitation survives the export with its
// gate as wide as the channels it scales, and the exported model costs what
// the formula says.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compile } from "../../compiler/index.js";
import type { ArchJson } from "../../runtime/export/arch-json.js";
import { loadModelFromDirectory } from "../../runtime/export/model-files.js";
import { tempDir, useWasm } from "../runtime/search/helpers.js";
import { figs, type CliRun } from "./helpers.js";

const SPACE = ["spaces/mobilenet_v3.figs", "--set", "variant=small,size=28,channels=1,classes=10"];
const temp = tempDir("figs-mobilenet-v3-");
const searchDir = join(temp.dir, "search");
let search: CliRun;

beforeAll(async () => {
  await useWasm();
  const settings = ["--limit", "256", "--batch", "32", "--steps", "4", "--backend", "wasm"];
  search = await figs(["search", ...SPACE, ...settings, "--target", "params=600k", "--out", searchDir]);
});
afterAll(() => temp.remove());

describe("MobileNetV3-Small, CPU-sized, end to end", () => {
  it("searches and exports an architecture whose SE blocks all survive, gates as wide as what they scale", () => {
    expect(search.code, search.stderr).toBe(0);
    const figsText = readFileSync(join(searchDir, "export", "pruned.figs"), "utf8");
    const pruned = compile({ path: "pruned.figs", text: figsText });
    expect(pruned.diagnostics).toEqual([]);
    const ir = pruned.ir!;
    const muls = ir.nodes.filter((n) => n.op === "mul");
    expect(muls).toHaveLength(9);
    for (const gate of muls) {
      const [gated, scale] = gate.inputs.map((id) => ir.nodes[id]!);
      expect(scale!.shape.channels).toBe(gated!.shape.channels);
      expect(scale!.shape.height * scale!.shape.width).toBe(1);
    }
    const arch = JSON.parse(readFileSync(join(searchDir, "export", "arch.json"), "utf8")) as ArchJson;
    expect(ir.costs.full.params).toBe(arch.costs.torch.params);
    expect(ir.costs.full.madds).toBe(arch.costs.torch.madds);
    expect(arch.costs.torch.params).toBeLessThan(1_528_106);
  });

  it("retrains the export, and the saved model loads with the exported parameter count", async () => {
    const out = join(temp.dir, "retrain");
    const arch = join(searchDir, "export", "arch.json");
    const run = await figs(["retrain", arch, "--limit", "256", "--batch", "32", "--steps", "3", "--out", out]);
    expect(run.code, run.stderr).toBe(0);
    const saved = await loadModelFromDirectory(out);
    const exported = JSON.parse(readFileSync(arch, "utf8")) as ArchJson;
    expect(saved.model?.countParams()).toBe(exported.costs.keras.params);
    saved.model?.dispose();
  });
});
