/**
 * The reference networks written with the stdlib must come out exactly as in
 * torchvision (parameters with BN gamma/beta, multiply-adds at batch 1),
 * counted by an independent counter (count.ts), not by compiler/cost.
 */
import { describe, expect, it } from "vitest";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { elaborate } from "../../../compiler/elaborate/index.js";
import { countGraph } from "./count.js";
import { repoRoot } from "./fixtures.js";

const networks = [
  { file: "resnet50", params: 25_557_032, madds: 4_089_184_256, output: [1, 1, 1000] },
  { file: "resnet152", params: 60_192_808, madds: 11_513_626_624, output: [1, 1, 1000] },
  { file: "mobilenet_v2", params: 3_504_872, madds: 300_774_272, output: [1, 1, 1000] },
];

describe("reference networks", () => {
  for (const network of networks) {
    it(`${network.file} has torchvision's parameter and multiply-add counts`, () => {
      const result = elaborate({ path: join(repoRoot, "spaces", `${network.file}.figs`) });
      expect(result.diagnostics).toEqual([]);
      const graph = result.graph!;
      expect(countGraph(graph)).toEqual({ params: network.params, madds: network.madds });
      const output = graph.nodes[graph.output]!;
      expect([output.shape.height, output.shape.width, output.shape.channels]).toEqual(network.output);
      expect(output.op).toBe("dense");
      expect(output.fixed).toBe(true);
    });
  }

  it("resnet50 has the torchvision stage layout: 53 convs, 16 bottlenecks, 4 projections", () => {
    const graph = elaborate({ path: join(repoRoot, "spaces/resnet50.figs") }).graph!;
    const convs = graph.nodes.filter((n) => n.op === "conv");
    expect(convs).toHaveLength(53);
    const adds = graph.nodes.filter((n) => n.op === "add");
    expect(adds).toHaveLength(16);
    expect(adds.map((n) => n.scopes.map((s) => s.kind).join(","))).toEqual(Array(16).fill("space,cell,block"));
    expect(graph.nodes.filter((n) => n.name.includes("projection"))).toHaveLength(8);
    expect(graph.nodes.find((n) => n.name === "stem.conv_0")?.shape).toEqual({ height: 112, width: 112, channels: 64 });
    expect(graph.nodes.find((n) => n.name === "stem.maxpool_0")?.shape).toEqual({
      height: 56,
      width: 56,
      channels: 64,
    });
    expect(graph.nodes.find((n) => n.name === "fc")?.op).toBe("dense");
  });

  it("mobilenet_v2 keeps a residual exactly where stride is 1 and widths match (10 adds)", () => {
    const graph = elaborate({ path: join(repoRoot, "spaces/mobilenet_v2.figs") }).graph!;
    expect(graph.nodes.filter((n) => n.op === "add")).toHaveLength(10);
    expect(graph.nodes.filter((n) => n.op === "dwconv")).toHaveLength(17);
    const widths = [...new Set(graph.nodes.filter((n) => n.op === "conv").map((n) => n.shape.channels))];
    for (const width of [32, 16, 24, 64, 96, 160, 320, 1280]) expect(widths).toContain(width);
  });

  it("the space parameters can be overridden: resnet50 at 10 classes", () => {
    const result = elaborate({ path: join(repoRoot, "spaces/resnet50.figs"), set: { classes: "10" } });
    expect(result.graph?.parameters).toMatchObject({ classes: 10, size: 224 });
    expect(countGraph(result.graph!).params).toBe(25_557_032 - 2048 * 990 - 990);
  });

  it("every space in spaces/ elaborates without diagnostics", () => {
    const files = readdirSync(join(repoRoot, "spaces")).filter((f) => f.endsWith(".figs"));
    expect(files.length).toBeGreaterThanOrEqual(5);
    for (const file of files) {
      const result = elaborate({ path: join(repoRoot, "spaces", file) });
      expect({ file, diagnostics: result.diagnostics }).toEqual({ file, diagnostics: [] });
      expect(result.graph?.nodes.length).toBeGreaterThan(10);
    }
  });
});
