import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ArchitectureSampler, compile } from "../../compiler/index.js";
import { seededRandom } from "../../compiler/sample/random.js";
import { planExport } from "../../runtime/export/index.js";
import {
  CONFIGURATIONS,
  IMAGENET,
  SPACE_VARIANTS,
  compileVariant,
  fullCostTable,
  repoRoot,
  variantName,
} from "./space-table.js";

describe("every space compiles in every input configuration it has", () => {
  for (const variant of SPACE_VARIANTS) {
    for (const configuration of variant.configurations ?? CONFIGURATIONS) {
      it(`${variantName(variant)} at ${configuration.name}`, () => {
        const result = compileVariant(variant, configuration);
        expect(result.diagnostics).toEqual([]);
        const output = result.ir!.nodes[result.ir!.output]!;
        expect(output.op).toBe("dense");
        expect(output.fixed).toBe(true);
        expect(output.shape.channels).toBe(configuration === IMAGENET ? 1000 : 10);
        expect(result.ir!.groups.filter((g) => g.searchable).length).toBeGreaterThan(0);
      });
    }
  }

  it("covers every .figs file of spaces/", () => {
    const files = readdirSync(join(repoRoot, "spaces"))
      .filter((f) => f.endsWith(".figs"))
      .map((f) => `spaces/${f}`);
    expect([...new Set(SPACE_VARIANTS.map((v) => v.file))].sort()).toEqual(files.sort());
  });
});

describe("the full-supernet costs of docs/spaces.md", () => {
  it("are the compiler's (test/spaces/fixtures/full-costs.md)", async () => {
    await expect(fullCostTable()).toMatchFileSnapshot("fixtures/full-costs.md");
  });

  it("are the table docs/spaces.md shows", () => {
    expect(readFileSync(join(repoRoot, "docs/spaces.md"), "utf8")).toContain(fullCostTable());
  });
});

function fullCost(file: string, set: Record<string, string> = {}): { params: number; madds: number } {
  const result = compile({ path: join(repoRoot, file), set });
  expect(result.diagnostics).toEqual([]);
  return result.ir!.costs.full;
}

describe("FBNet-B and FBNet-C against the paper", () => {
  it("FBNet-B: madds within 2% of 295M; params beside the paper's 4.5M", () => {
    const { params, madds } = fullCost("spaces/fbnet_b.figs");
    expect(Math.abs(madds / 295e6 - 1)).toBeLessThan(0.02);
    expect({ params, madds }).toEqual({ params: 4_813_048, madds: 296_614_728 });
  });

  it("FBNet-C: madds within 2% of 385M; params beside the paper's 5.5M", () => {
    const { params, madds } = fullCost("spaces/fbnet_c.figs");
    expect(Math.abs(madds / 385e6 - 1)).toBeLessThan(0.02);
    expect({ params, madds }).toEqual({ params: 5_572_200, madds: 384_960_160 });
  });

  it("the FBNet space holds both: 22 searchable layers of 7 candidates (6 with the FiGS variant's 3)", () => {
    const count = (set: Record<string, string>) => {
      const ir = compile({ path: join(repoRoot, "spaces/fbnet.figs"), set }).ir!;
      return ir.nodes.filter((n) => n.op === "dwconv").length;
    };
    expect(count({})).toBe(22 * 6);
    expect(count({ figs_variant: "true" })).toBe(22 * 2);
  });
});

describe("ResNet as a search space", () => {
  it("matches torchvision at every depth and the fixed resnet50/resnet152 files", () => {
    expect(fullCost("spaces/resnet.figs", { depth: "50" })).toEqual(fullCost("spaces/resnet50.figs"));
    expect(fullCost("spaces/resnet.figs", { depth: "152" })).toEqual(fullCost("spaces/resnet152.figs"));
    expect(fullCost("spaces/resnet.figs", { depth: "18" }).params).toBe(11_689_512);
    expect(fullCost("spaces/resnet.figs", { depth: "101" }).params).toBe(44_549_160);
  });

  it("every conv is searchable and residual channels are tied: one group per stage stream", () => {
    const ir = compile({ path: join(repoRoot, "spaces/resnet.figs") }).ir!;
    const convs = ir.nodes.filter((n) => n.op === "conv");
    expect(convs.every((n) => !n.fixed)).toBe(true);
    const adds = ir.nodes.filter((n) => n.op === "add");
    const streamGroups = new Set(adds.flatMap((n) => n.layout.map((s) => s.group)));
    expect(streamGroups.size).toBe(4);
  });

  it("an unsupported depth is the space's own error, naming the depths it has", () => {
    const result = compile({ path: join(repoRoot, "spaces/resnet.figs"), set: { depth: "42" } });
    expect(result.ir).toBeUndefined();
    expect(result.diagnostics.map((d) => [d.code, d.message])).toEqual([
      ["FIGS2029", "depth must be one of 18, 34, 50, 101, 152 (the rows of Table 1)"],
    ]);
  });

  it("is ResNeXt with groups: torchvision's resnext50_32x4d and resnext101_32x8d counts", () => {
    expect(fullCost("spaces/resnet.figs", { groups: "32", width_per_group: "4" }).params).toBe(25_028_904);
    expect(fullCost("spaces/resnet.figs", { depth: "101", groups: "32", width_per_group: "8" }).params).toBe(
      88_791_336,
    );
  });

  it("ResNeXt exports at any width multiplier and random sample: grouped widths stay multiples of 32", () => {
    const ir = compile({
      path: join(repoRoot, "spaces/resnet.figs"),
      set: { groups: "32", width_per_group: "4", size: "32", classes: "10" },
    }).ir!;
    const sampler = new ArchitectureSampler(ir);
    const random = seededRandom(7);
    const assignments = [0.3, 0.55, 0.8].map((w) => sampler.scaled(w));
    for (let k = 0; k < 5; k++) assignments.push(sampler.sample(random).widths);
    for (const widths of assignments) {
      const { plan, diagnostics } = planExport({ ir, widths });
      expect(diagnostics).toEqual([]);
      const grouped = plan!.architecture.nodes.flatMap((n) => (n.op === "conv" && n.attrs.groups === 32 ? [n] : []));
      expect(grouped.length).toBeGreaterThan(0);
      for (const node of grouped) expect(node.attrs.width % 32).toBe(0);
    }
  });
});

describe("MobileNetV3 and EfficientNet against torchvision", () => {
  it("MobileNetV3-Large and -Small have torchvision's exact params and madds", () => {
    expect(fullCost("spaces/mobilenet_v3.figs")).toMatchObject({ params: 5_483_032, madds: 216_589_760 });
    expect(fullCost("spaces/mobilenet_v3.figs", { variant: "small" })).toMatchObject({
      params: 2_542_856,
      madds: 56_510_400,
    });
  });

  it("EfficientNet-B0 has torchvision's exact counts, and B1-B3 its params through the coefficients", () => {
    expect(fullCost("spaces/efficientnet.figs")).toMatchObject({ params: 5_288_548, madds: 385_814_752 });
    expect(fullCost("spaces/efficientnet.figs", { depth: "1.1" }).params).toBe(7_794_184);
    expect(fullCost("spaces/efficientnet.figs", { width: "1.1", depth: "1.2" }).params).toBe(9_109_994);
    expect(fullCost("spaces/efficientnet.figs", { width: "1.2", depth: "1.4" }).params).toBe(12_233_232);
  });

  it("ties each SE gate to the channels it scales: its expand conv is in the gated tensor's group", () => {
    const ir = compile({ path: join(repoRoot, "spaces/mobilenet_v3.figs") }).ir!;
    const muls = ir.nodes.filter((n) => n.op === "mul");
    expect(muls.length).toBe(8);
    for (const gate of muls) {
      const [gated, scale] = gate.inputs.map((id) => ir.nodes[id]!);
      expect(scale!.layout.map((s) => s.group)).toEqual(gated!.layout.map((s) => s.group));
    }
  });

  it("takes torchvision's width multiplier through make_divisible: every conv width a multiple of 8", () => {
    const ir = compile({ path: join(repoRoot, "spaces/mobilenet_v3.figs"), set: { width: "0.75" } }).ir!;
    const widths = ir.nodes.flatMap((n) => (n.op === "conv" ? [n.attrs.width] : []));
    expect(widths.every((w) => w % 8 === 0)).toBe(true);
    expect(widths.slice(0, 3)).toEqual([16, 16, 48]); // stem 16·0.75 → 16; the first expansion 64·0.75 = 48
    expect(ir.costs.full.params).toBeLessThan(5_483_032);
  });

  it("an unknown variant is the space's own error, at its error(…) call", () => {
    const result = compile({ path: join(repoRoot, "spaces/mobilenet_v3.figs"), set: { variant: "tiny" } });
    expect(result.diagnostics.map((d) => [d.code, d.message])).toEqual([
      ["FIGS2029", 'variant must be "large" or "small"'],
    ]);
  });
});

describe("ShuffleNetV2 against torchvision", () => {
  it("has torchvision's exact params and madds at every multiplier", () => {
    expect(fullCost("spaces/shufflenet_v2.figs")).toMatchObject({ params: 2_278_604, madds: 144_907_992 });
    expect(fullCost("spaces/shufflenet_v2.figs", { multiplier: "0.5" })).toMatchObject({
      params: 1_366_792,
      madds: 40_476_448,
    });
    expect(fullCost("spaces/shufflenet_v2.figs", { multiplier: "1.5" }).params).toBe(3_503_624);
    expect(fullCost("spaces/shufflenet_v2.figs", { multiplier: "2.0" }).params).toBe(7_393_996);
  });

  it("searches the stem, every unit's branch width and the last conv; the units' outputs are fixed", () => {
    const ir = compile({ path: join(repoRoot, "spaces/shufflenet_v2.figs") }).ir!;
    const searchable = ir.groups.filter((g) => g.searchable);
    expect(searchable.length).toBe(1 + 16 + 1);
    expect(ir.nodes.filter((n) => n.op === "channel_shuffle").length).toBe(16);
    expect(ir.nodes.filter((n) => n.op === "split").length).toBe(2 * 13);
    // A branch's width is its first conv's, which its depthwise conv passes to its last (fixed) conv.
    const branch = ir.nodes.find((n) => n.name === "unit_1.conv_0")!;
    expect(searchable.some((g) => g.producers.some((p) => p.node === branch.id))).toBe(true);
  });

  it("an unknown multiplier is the space's own error", () => {
    const result = compile({ path: join(repoRoot, "spaces/shufflenet_v2.figs"), set: { multiplier: "0.75" } });
    expect(result.diagnostics.map((d) => d.code)).toEqual(["FIGS2029"]);
  });
});

describe("One-Shot", () => {
  it("has 8 cells of 4 choice blocks, each with 3 separable pairs and the concat aggregator", () => {
    const ir = compile({ path: join(repoRoot, "spaces/one_shot.figs") }).ir!;
    const choices = new Set(
      ir.nodes.flatMap((n) =>
        n.scopes.filter((s) => s.definition === "choice").map((s) => `${n.scopes[1]?.name}/${s.name}`),
      ),
    );
    expect(choices.size).toBe(32);
    expect(ir.nodes.filter((n) => n.op === "dwconv").length).toBe(32 * 3 * 2);
    expect(
      ir.nodes.filter((n) => n.scopes.some((s) => s.definition === "concat_aggregator") && n.op === "conv").length,
    ).toBe(32);
    expect(ir.nodes.filter((n) => n.op === "avgpool" && n.attrs.stride[0] === 2).length).toBe(6);
  });

  it("takes the additive aggregator as a parameter", () => {
    const ir = compile({ path: join(repoRoot, "spaces/one_shot.figs"), set: { agg: "sum" } }).ir!;
    expect(
      ir.nodes.filter((n) => n.scopes.some((s) => s.definition === "additive_aggregator") && n.op === "add").length,
    ).toBe(32);
  });
});

describe("stdlib", () => {
  it("every file cites its source", () => {
    const files = readdirSync(join(repoRoot, "stdlib")).filter((f) => f.endsWith(".figs"));
    expect(files.length).toBeGreaterThanOrEqual(4);
    for (const file of files)
      expect({
        file,
        cites: /Source: [\s\S]{0,200}?(19|20)\d\d/.test(readFileSync(join(repoRoot, "stdlib", file), "utf8")),
      }).toEqual({ file, cites: true });
  });
});

describe("the spaces issue 13 added, scaled at W = 1 (figs scale --width 1)", () => {
  it.each([
    ["spaces/mobilenet_v3.figs", {}],
    ["spaces/mobilenet_v3.figs", { variant: "small" }],
    ["spaces/efficientnet.figs", {}],
    ["spaces/shufflenet_v2.figs", {}],
  ] as const)("%s %j exports exactly the formula's full cost, and its pruned .figs compiles to it", (path, set) => {
    const ir = compile({ path: join(repoRoot, path), set }).ir!;
    const widths = new ArchitectureSampler(ir).scaled(1);
    const { plan, diagnostics } = planExport({ ir, widths });
    expect(diagnostics).toEqual([]);
    expect(plan!.arch.costs.torch).toEqual(ir.costs.full);
    expect(plan!.arch.removedOps).toBe(0);
    const back = compile({ path: "pruned.figs", text: plan!.figs });
    expect(back.ir!.costs.full).toEqual(ir.costs.full);
  });
});
