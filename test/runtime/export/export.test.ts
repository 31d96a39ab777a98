import { MARKER_FILE } from "../../../runtime/folders/index.js";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compile } from "../../../compiler/index.js";
import { emitModel, emitSupernet, type Supernet } from "../../../runtime/emit/index.js";
import {
  ARCH_FILE,
  checkArchMatchesIr,
  exportArchitecture,
  FIGS_FILE,
  keptChannelsByGroup,
  loadModelFromDirectory,
  planExport,
  transferWeights,
  parseArch,
  readArch,
  registerFileRouters,
  MODEL_FILE,
  WEIGHTS_FILE,
} from "../../../runtime/export/index.js";
import { compileSpace, compileText, spacePath, useCpu } from "./helpers.js";

let root = "";
beforeAll(async () => {
  await useCpu();
  root = mkdtempSync(join(tmpdir(), "figs-export-"));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const ir = compileSpace(spacePath("mnist_convnet.figs"), {}, "keras");

/** ν with some channels off (ν < 0) in every searchable group, and BN statistics that are not the initial ones. */
function trainedLikeSupernet(): Supernet {
  const supernet = emitSupernet(ir, { seed: 9 });
  for (const [id, variable] of supernet.masks.logitVariables()) {
    const size = ir.groups[id]!.size;
    variable.write(tf.tensor1d(Array.from({ length: size }, (_, j) => ((j * 7 + id) % 5 === 0 ? -1.5 : 1 + (j % 3)))));
  }
  for (let step = 0; step < 2; step++)
    tf.dispose(
      supernet.model.apply(tf.randomNormal([4, 28, 28, 1], 0.5, 1, "float32", step), { training: true }) as tf.Tensor,
    );
  return supernet;
}

function widthsOfPositiveLogits(supernet: Supernet): number[] {
  const counts = ir.groups.map((g) => g.size);
  for (const [id, variable] of supernet.masks.logitVariables())
    counts[id] = Array.from(variable.read().dataSync()).filter((v) => v > 0).length;
  return counts;
}

describe("exportArchitecture writes three outputs", () => {
  const threeOutputs =
    "arch.json (schema-valid), a pruned .figs that compiles to its cost, and a model tf.loadLayersModel opens";
  it(threeOutputs, async () => {
    const supernet = trainedLikeSupernet();
    const outDir = join(root, "found");
    const search = { cost: "params", lambda: 1e-6, steps: 0 };
    const result = await exportArchitecture({
      ir,
      widths: widthsOfPositiveLogits(supernet),
      outDir,
      search,
      seed: 7,
      supernet,
    });
    expect(result.diagnostics).toEqual([]);
    expect(readdirSync(outDir).sort()).toEqual([ARCH_FILE, MODEL_FILE, FIGS_FILE, WEIGHTS_FILE, MARKER_FILE].sort());

    const read = parseArch(readFileSync(join(outDir, ARCH_FILE), "utf8"), ARCH_FILE);
    expect(read.diagnostics).toEqual([]);
    const arch = read.arch!;
    expect(arch.space).toBe("mnist_convnet");
    expect(arch.source).toEqual(ir.sources.find((s) => s.path.endsWith("mnist_convnet.figs")));
    expect(arch.search).toEqual(search);
    expect(arch.seed).toBe(7);
    expect(arch.parameters).toEqual(ir.parameters);
    expect(arch.widths.map((w) => w.width)).toEqual(widthsOfPositiveLogits(supernet));
    expect(checkArchMatchesIr(arch, ir, ARCH_FILE)).toEqual([]);

    for (const convention of ["keras", "torch"] as const) {
      const back = compile({ path: join(outDir, FIGS_FILE) }, { convention });
      expect(back.diagnostics).toEqual([]);
      expect(back.ir!.costs.full.params).toBe(arch.costs[convention].params);
      expect(back.ir!.costs.full.madds).toBe(arch.costs[convention].madds);
    }

    const loaded = await loadModelFromDirectory(outDir);
    expect(loaded.diagnostics).toEqual([]);
    expect(loaded.model!.countParams()).toBe(arch.costs.keras.params);

    // Initialised from the supernet's surviving channels: the pruned model computes what the
    // supernet computes in evaluation mode (masks 1[ν > 0]).
    const x = tf.randomNormal([4, 28, 28, 1], 0, 1, "float32", 21);
    const fromSupernet = supernet.model.predict(x) as tf.Tensor;
    const fromExport = loaded.model!.predict(x) as tf.Tensor;
    expect(tf.max(tf.abs(tf.sub(fromSupernet, fromExport))).dataSync()[0]).toBeLessThan(1e-3);
    expect(tf.max(tf.abs(fromSupernet)).dataSync()[0]).toBeGreaterThan(1e-3);
  });
});

describe("weights from the supernet", () => {
  it("make the pruned one_shot compute what its supernet computes with masks 1[ν > 0]", () => {
    const small = compileSpace(spacePath("one_shot.figs"), {
      size: "12",
      F: "4",
      cells: "3",
      blocks: "2",
      channels: "1",
    });
    const supernet = emitSupernet(small, { seed: 3 });
    const nu = Array.from({ length: small.maskVariables }, (_, i) => ((i * 13) % 7 === 0 ? -2 : 0.5 + (i % 4)));
    let offset = 0;
    for (const group of supernet.masks.groups) {
      supernet.masks
        .logitVariables()
        .get(group.id)!
        .write(tf.tensor1d(nu.slice(offset, offset + group.size)));
      offset += group.size;
    }
    const x = tf.randomNormal([2, 12, 12, 1], 0, 1, "float32", 5);
    tf.dispose(supernet.model.apply(x, { training: true }) as tf.Tensor);
    const widths = small.groups.map((g) =>
      g.searchable ? nu.slice(g.offset, g.offset + g.size).filter((v) => v > 0).length : g.size,
    );
    const { plan } = planExport({ ir: small, widths });
    const pruned = emitModel(plan!.architecture.nodes, plan!.architecture.output, "pruned_one_shot");
    transferWeights(supernet, plan!.architecture, pruned, keptChannelsByGroup(small, nu, plan!.architecture.widths));
    const difference = tf
      .max(tf.abs(tf.sub(supernet.model.predict(x) as tf.Tensor, pruned.predict(x) as tf.Tensor)))
      .dataSync()[0]!;
    expect(difference).toBeLessThan(1e-3);
  });
});

describe("export refuses, leaving everything as it was", () => {
  it("an output directory that exists, unless forced; a folder figs did not make, even forced", async () => {
    const outDir = join(root, "existing");
    mkdirSync(outDir);
    writeFileSync(join(outDir, "keep.txt"), "mine");
    const widths = ir.groups.map((g) => g.size);
    const refused = await exportArchitecture({ ir, widths, outDir });
    expect(refused.diagnostics.map((d) => d.message)).toEqual([expect.stringContaining("already exists")]);
    expect(refused.diagnostics[0]!.code).toBe("FIGS7002");
    expect(readdirSync(outDir)).toEqual(["keep.txt"]);
    const user = await exportArchitecture({ ir, widths, outDir, force: true });
    expect(user.diagnostics.map((d) => d.message)).toEqual([expect.stringContaining("is a folder figs did not make")]);
    expect(readdirSync(outDir)).toEqual(["keep.txt"]);
    const exported = join(root, "exported");
    expect((await exportArchitecture({ ir, widths, outDir: exported })).diagnostics).toEqual([]);
    const forced = await exportArchitecture({
      ir,
      widths: ir.groups.map((g) => (g.searchable ? Math.max(1, g.size - 1) : g.size)),
      outDir: exported,
      force: true,
    });
    expect(forced.diagnostics.map((d) => d.message)).toEqual([]);
    expect(existsSync(join(exported, ARCH_FILE))).toBe(true);
    expect(readdirSync(root).filter((f) => f.includes("partial") || f.includes("replaced"))).toEqual([]);
  });

  it("widths that disconnect the space: a diagnostic, no directory", async () => {
    const outDir = join(root, "disconnected");
    const widths = ir.groups.map((g) => (g.searchable && g.name === "conv_2" ? 0 : g.size));
    const result = await exportArchitecture({ ir, widths, outDir });
    expect(result.diagnostics.map((d) => d.code)).toEqual(["FIGS3505"]);
    expect(result.diagnostics[0]!.message).toContain("disconnect");
    expect(existsSync(outDir)).toBe(false);
  });

  it("widths of a grouped conv: any group width exports a legal conv, its masks being per channel-within-group", () => {
    const grouped = compileText(
      "space grouped() {\n  input(8, 8, 4)\n  conv(3, 8) -> bn -> relu\n" +
        "  conv(3, 8, groups: 2) -> global_avgpool -> dense(2) fixed\n}",
    ).ir!;
    // Both convs: 4 masks, each shared by the grouped conv's 2 groups.
    expect(grouped.groups.filter((g) => g.searchable).map((g) => g.size)).toEqual([4, 4]);
    const widths = grouped.groups.map((g) => (g.searchable ? g.size - 1 : g.size));
    const exported = planExport({ ir: grouped, widths }).plan!;
    const convs = exported.architecture.nodes.flatMap((n) => (n.op === "conv" ? [n.attrs] : []));
    expect(convs.map((c) => [c.width, c.groups])).toEqual([
      [6, 1],
      [6, 2],
    ]);
    expect(compileText(exported.figs).ir!.costs.full.params).toBe(exported.arch.costs.keras.params);
    expect(emitModel(exported.architecture.nodes, exported.architecture.output, "grouped").countParams()).toBe(
      exported.arch.costs.keras.params,
    );
  });

  it("widths that do not fit the groups", async () => {
    const tooWide = ir.groups.map((g) => g.size + 1);
    const result = await exportArchitecture({ ir, widths: tooWide, outDir: join(root, "wide") });
    expect(result.diagnostics.map((d) => d.code)).toEqual(["FIGS3505"]);
    const short = await exportArchitecture({ ir, widths: [1, 2], outDir: join(root, "short") });
    expect(short.diagnostics[0]!.message).toContain(`expected ${ir.groups.length} widths`);
  });
});

describe("arch.json on read", () => {
  it("is schema-checked: not JSON, a missing key, a wrong type", async () => {
    const outDir = join(root, "for-reading");
    await exportArchitecture({ ir, widths: ir.groups.map((g) => g.size), outDir });
    const text = readFileSync(join(outDir, ARCH_FILE), "utf8");
    expect(parseArch(text.slice(0, 20), ARCH_FILE).diagnostics.map((d) => d.code)).toEqual(["FIGS3506"]);
    const value = JSON.parse(text) as Record<string, unknown>;
    const { costs: _costs, ...withoutCosts } = value;
    expect(parseArch(JSON.stringify(withoutCosts), ARCH_FILE).diagnostics[0]!.message).toContain("costs");
    expect(parseArch(JSON.stringify({ ...value, seed: "seven" }), ARCH_FILE).arch).toBeUndefined();
  });

  it("from another space, or another version of the source, does not apply", async () => {
    const outDir = join(root, "foreign");
    await exportArchitecture({ ir, widths: ir.groups.map((g) => g.size), outDir });
    const arch = parseArch(readFileSync(join(outDir, ARCH_FILE), "utf8"), ARCH_FILE).arch!;
    const other = compileSpace(spacePath("one_shot.figs"), { size: "28", F: "8", cells: "2", blocks: "1" });
    expect(checkArchMatchesIr(arch, other, ARCH_FILE)[0]!.message).toContain("another space");
    const edited = compileText(
      readFileSync(spacePath("mnist_convnet.figs"), "utf8").replace("hidden: int = 128", "hidden: int = 128 "),
    );
    const renamed = { ...edited.ir!, sources: edited.ir!.sources.map((s) => ({ ...s, path: arch.source.path })) };
    expect(checkArchMatchesIr(arch, renamed, ARCH_FILE)[0]!.message).toContain("changed");
  });
});

describe("file:// URLs", () => {
  it("save and load through tfjs's own model.save / tf.loadLayersModel once the routers are registered", async () => {
    registerFileRouters();
    const model = emitModel(
      planExport({ ir, widths: ir.groups.map((g) => g.size) }).plan!.architecture.nodes,
      ir.output,
      "routed",
    );
    const dir = join(root, "routed", "model");
    await model.save(`file://${dir}`);
    const loaded = await tf.loadLayersModel(`file://${join(dir, MODEL_FILE)}`);
    const x = tf.randomNormal([1, 28, 28, 1], 0, 1, "float32", 2);
    const difference = tf
      .max(tf.abs(tf.sub(model.predict(x) as tf.Tensor, loaded.predict(x) as tf.Tensor)))
      .dataSync()[0]!;
    expect(difference).toBeLessThan(1e-6);
  });
});

describe("loading a damaged model", () => {
  it("is a diagnostic, not an exception", async () => {
    const outDir = join(root, "damaged");
    await exportArchitecture({ ir, widths: ir.groups.map((g) => g.size), outDir });
    writeFileSync(join(outDir, WEIGHTS_FILE), new Uint8Array(10));
    const loaded = await loadModelFromDirectory(outDir);
    expect(loaded.model).toBeUndefined();
    expect(loaded.diagnostics[0]!.message).toContain("cannot load the model");
    expect(loaded.diagnostics[0]!.code).toBe("FIGS9002");
    const missing = await loadModelFromDirectory(join(root, "nowhere"));
    expect(missing.diagnostics.map((d) => d.code)).toEqual(["FIGS9001"]);
    expect(readArch(join(root, "nowhere", ARCH_FILE)).diagnostics[0]!.message).toContain("cannot read");
  });
});
