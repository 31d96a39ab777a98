// The memory estimate before training (issue #11, item 11): a huge conv is refused with the numbers, small spaces pass.
import { describe, expect, it } from "vitest";
import { compile, type Ir } from "../../../compiler/index.js";
import {
  datasetBytes,
  estimateTrainingMemory,
  formatBytes,
  memoryLimit,
  memoryProblem,
  WASM_HEAP_BYTES,
  type MachineMemory,
} from "../../../runtime/preflight/index.js";

const GB = 2 ** 30;
/** A modest machine, so the tests do not depend on the one they run on. */
const MACHINE: MachineMemory = { total: 8 * GB };

function compiled(
  path: string,
  set: Record<string, string> = {},
  text?: string,
  convention: "torch" | "keras" = "torch",
): Ir {
  const result = compile({ path, set, ...(text === undefined ? {} : { text }) }, { convention });
  if (!result.ir) throw new Error(result.diagnostics.map((d) => d.message).join("; "));
  return result.ir;
}

const HUGE =
  "space huge(classes: int = 10) {\n  input(28, 28, 1)\n  conv(3, 100000000) -> bn -> relu\n" +
  "  global_avgpool -> dense(classes) fixed as logits\n}\n";

describe("estimateTrainingMemory", () => {
  it("counts every weight: retrain's weights are the keras parameter count (batch norm 4·C), search adds ν", () => {
    const ir = compiled("spaces/mnist_convnet.figs", { width: "8", hidden: "32" }, undefined, "keras");
    const retrain = estimateTrainingMemory(ir, { batchSize: 64, mode: "retrain" });
    expect(retrain.parts.weights).toBe(4 * ir.costs.full.params);
    expect(retrain.parts.masks).toBe(0);
    const search = estimateTrainingMemory(ir, { batchSize: 64, mode: "search" });
    expect(search.parts.weights).toBe(4 * (ir.costs.full.params + ir.maskVariables));
    expect(search.parts.optimizer).toBe(2 * search.parts.gradients);
    expect(search.parts.masks).toBeGreaterThan(0);
  });

  it("grows linearly with the batch, shrinks with the widths, and counts the data it is told of", () => {
    const ir = compiled("spaces/mnist_convnet.figs");
    const at64 = estimateTrainingMemory(ir, { batchSize: 64, mode: "search" });
    const at128 = estimateTrainingMemory(ir, { batchSize: 128, mode: "search" });
    expect(at128.total - at64.total).toBeCloseTo(64 * at64.perImage, 0);
    const half = ir.groups.map((g) => (g.searchable ? Math.ceil(g.size / 2) : g.size));
    expect(estimateTrainingMemory(ir, { batchSize: 64, mode: "retrain", widths: half }).total).toBeLessThan(
      estimateTrainingMemory(ir, { batchSize: 64, mode: "retrain" }).total,
    );
    const data = {
      train: { images: new Float32Array(1000), labels: new Int32Array(10) },
      test: { images: new Float32Array(100), labels: new Int32Array(1) },
    };
    expect(datasetBytes(data as never)).toBe(4000 + 40 + 400 + 4);
    expect(estimateTrainingMemory(ir, { batchSize: 64, mode: "search", dataBytes: 4444 }).total - at64.total).toBe(
      4444,
    );
  });
});

describe("memoryProblem", () => {
  it("refuses conv(3, 100000000) with the estimate, its parts, the limit and what to change", () => {
    const ir = compiled("huge.figs", {}, HUGE);
    const estimate = estimateTrainingMemory(ir, { batchSize: 64, mode: "search" });
    // 9·10⁸ conv weights, 2·10⁸ batch-norm scales and shifts, 10⁹ logits weights + 10 biases,
    // 10⁸ mask logits.
    expect(estimate.trainable).toBe(2_200_000_010);
    const problem = memoryProblem(estimate, memoryLimit("wasm", MACHINE));
    expect(problem?.code).toBe("FIGS5003");
    const message = problem?.message ?? "";
    expect(message).toMatch(
      new RegExp(
        /^search of 'huge' at batch 64 would need about \d+ TB in tensors, /.source +
          /more than the WebAssembly heap .* \(4\.0 GB\)\./.source,
      ),
    );
    expect(message).toContain("2,200,000,010 trainable values");
    expect(message).toContain(
      `weights ${formatBytes(estimate.parts.weights)}, ` +
        `Adam's two slots ${formatBytes(estimate.parts.optimizer)}, gradients`,
    );
    expect(message).toContain("activations kept for the backward pass");
    expect(message).toContain("The largest tensor is the output of 'conv_0' (28×28×100,000,000 per image)");
    expect(message).toContain("No batch size fits");
    expect(message).toContain("--set (the space's parameters: classes=10)");
    expect(message).toContain("--backend tensorflow");
    expect(problem?.range?.start.line).toBe(3);

    const native = memoryProblem(estimate, memoryLimit("tensorflow", MACHINE))?.message ?? "";
    expect(native).toContain("more than 80% of this machine's 8.0 GB of memory (6.4 GB)");
    expect(native).not.toContain("--backend");
  });

  it("names the batch size that would fit when one does", () => {
    const ir = compiled("spaces/mobilenet_v2.figs", { classes: "10" });
    const limit = memoryLimit("wasm", MACHINE);
    const message = memoryProblem(estimateTrainingMemory(ir, { batchSize: 64, mode: "search" }), limit)?.message ?? "";
    const batch = Number(/--batch (\d+) or smaller would fit/.exec(message)?.[1]);
    expect(batch).toBeGreaterThan(0);
    expect(memoryProblem(estimateTrainingMemory(ir, { batchSize: batch, mode: "search" }), limit)).toBeUndefined();
    expect(memoryProblem(estimateTrainingMemory(ir, { batchSize: batch + 1, mode: "search" }), limit)).toBeDefined();
  });

  const small: [string, Record<string, string>][] = [
    ["spaces/mnist_convnet.figs", {}],
    ["spaces/mnist_convnet.figs", { width: "8", hidden: "32" }],
    ["spaces/fbnet_b.figs", { size: "32", classes: "10" }],
    ["spaces/fbnet_c.figs", { size: "32", classes: "10" }],
    ["spaces/mobilenet_v2.figs", { size: "32", classes: "10" }],
    ["spaces/one_shot.figs", { size: "28", F: "8", cells: "4", blocks: "2", classes: "10" }],
    ["examples/mbconv.figs", {}],
    ["examples/one_shot_cell.figs", {}],
    ["examples/resnet_bottleneck.figs", {}],
  ];
  it.each(small)("lets %s %o search and retrain at batch 64 on every backend", (path, set) => {
    const ir = compiled(path, set);
    for (const mode of ["search", "retrain"] as const) {
      const estimate = estimateTrainingMemory(ir, { batchSize: 64, mode, dataBytes: 220 * 2 ** 20 });
      for (const backend of ["wasm", "cpu", "tensorflow", "tensorflow-gpu"])
        expect(memoryProblem(estimate, memoryLimit(backend, MACHINE))).toBeUndefined();
    }
  });
});

describe("memoryLimit", () => {
  const limits =
    "takes 80% of the machine, or of a smaller container; wasm adds its heap ceiling, cpu its typed-array limit";
  it(limits, () => {
    expect(memoryLimit("tensorflow", { total: 10 * GB })).toEqual({
      backend: "tensorflow",
      total: 8 * GB,
      totalReason: "80% of this machine's 10 GB of memory",
    });
    const container = memoryLimit("wasm", { total: 64 * GB, constrained: 2 * GB });
    expect(container.total).toBe(Math.floor(0.8 * 2 * GB));
    expect(container.totalReason).toBe("80% of this container's 2.0 GB of memory");
    expect(container.tensors).toBe(WASM_HEAP_BYTES);
    expect(memoryLimit("cpu", MACHINE).tensor).toBe(16 * GB);
    expect(memoryLimit("cpu", { total: 4 * GB, constrained: 2 ** 64 }).totalReason).toContain("machine's 4.0 GB");
  });
});
