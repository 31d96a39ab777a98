// Issue 13, item 8: the export of a space with the mobile networks' ops —
// squeeze-and-excitation (mul), hardswish, hardsigmoid, gelu, silu — opens
// with plain @tensorflow/tfjs in a process that never imports figs
// (`tf.loadLayersModel` on the files) and computes what figs's model does.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { emitSupernet } from "../../../runtime/emit/index.js";
import { exportArchitecture, MODEL_FILE } from "../../../runtime/export/index.js";
import { compileText, useCpu } from "./helpers.js";

const SPACE = `import "stdlib/mobile.figs"
space mobile() {
  input(12, 12, 3)
  conv(3, 16, stride: 2) -> bn -> hardswish
  v3_block(3, 32, 16, 8, hardswish, 1)
  mbconv_se(3, 48, 24, 2)
  conv(1, 32) -> bn -> gelu
  global_avgpool -> dense(20) fixed -> hardsigmoid -> dense(5) fixed
}
`;

/** Loads model.json + weights.bin with nothing but @tensorflow/tfjs, and prints the model's output on `input`. */
const PLAIN_LOADER = `
import * as tf from "@tensorflow/tfjs";
import { readFileSync } from "node:fs";
const [dir, inputFile] = process.argv.slice(-2);
const model = JSON.parse(readFileSync(dir + "/model.json", "utf8"));
const weights = readFileSync(dir + "/weights.bin");
const artifacts = {
  modelTopology: model.modelTopology,
  weightSpecs: model.weightsManifest.flatMap((group) => group.weights),
  weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength),
};
await tf.setBackend("cpu");
const loaded = await tf.loadLayersModel(tf.io.fromMemory(artifacts));
const input = JSON.parse(readFileSync(inputFile, "utf8"));
const output = loaded.predict(tf.tensor(input.values, input.shape));
console.log(JSON.stringify(Array.from(output.dataSync())));
`;

let root = "";
beforeAll(async () => {
  await useCpu();
  root = mkdtempSync(join(tmpdir(), "figs-plain-"));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("an export of the mobile ops", () => {
  it("opens with plain tfjs, with only standard layer classes, and computes what the supernet computes", async () => {
    const compiled = compileText(SPACE);
    expect(compiled.diagnostics).toEqual([]);
    const ir = compiled.ir!;
    const supernet = emitSupernet(ir, { seed: 3 });
    for (const [id, variable] of supernet.masks.logitVariables()) {
      const size = ir.groups[id]!.size;
      variable.write(tf.tensor1d(Array.from({ length: size }, (_, j) => (j % 4 === 0 ? -30 : 30))));
    }
    const widths = ir.groups.map((g) => (g.searchable ? g.size - Math.ceil(g.size / 4) : g.size));
    const outDir = join(root, "export");
    const result = await exportArchitecture({ ir, widths, outDir, supernet });
    expect(result.diagnostics).toEqual([]);
    const topology = readFileSync(join(outDir, MODEL_FILE), "utf8");
    expect(topology).not.toContain("Figs");
    for (const layer of ["Multiply", "Rescaling"]) expect(topology).toContain(`"class_name":"${layer}"`);

    const x = tf.randomNormal([2, 12, 12, 3], 0, 2, "float32", 5);
    const inputFile = join(root, "input.json");
    writeFileSync(inputFile, JSON.stringify({ shape: x.shape, values: Array.from(x.dataSync()) }));
    // Evaluated in the repo root, so `@tensorflow/tfjs` resolves to the project's own copy.
    const printed = execFileSync(process.execPath, ["--input-type=module", "-e", PLAIN_LOADER, outDir, inputFile], {
      cwd: process.cwd(),
      encoding: "utf8",
    });
    const plain = JSON.parse(printed.trim().split("\n").pop()!) as number[];
    const expected = Array.from((supernet.model.predict(x) as tf.Tensor).dataSync());
    expect(plain).toHaveLength(expected.length);
    const scale = Math.max(...expected.map(Math.abs));
    expect(scale).toBeGreaterThan(1e-3);
    plain.forEach((value, i) => expect(Math.abs(value - expected[i]!) / scale).toBeLessThan(1e-4));
  });
});
