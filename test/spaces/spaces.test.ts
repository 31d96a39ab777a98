import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compile } from "../../compiler/index.js";
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

  it("an unsupported depth is a diagnostic, not a crash", () => {
    const result = compile({ path: join(repoRoot, "spaces/resnet.figs"), set: { depth: "42" } });
    expect(result.ir).toBeUndefined();
    expect(result.diagnostics.map((d) => d.code)).toEqual(["FIGS2017"]);
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
