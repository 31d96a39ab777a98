import { describe, expect, it } from "vitest";
import { costOfSpace, CostModel, type CostConvention, type CostOptions } from "../../../compiler/cost/index.js";
import { placeMasks, type MaskPlan } from "../../../compiler/masks/index.js";
import type { Graph } from "../../../compiler/graph.js";
import { countGraph } from "./independent-count.js";
import { mobilenetV2, PUBLISHED, resnet } from "./reference-nets.js";

function fullWidth(graph: Graph, options: CostConvention | CostOptions = "torch") {
  const plan = placeMasks(graph).plan as MaskPlan;
  const { params, madds } = new CostModel(
    plan.groups,
    costOfSpace(graph, plan, typeof options === "string" ? { convention: options } : options),
  ).fullWidth();
  return { params, madds };
}

/** Σ C_out over convs and dwconvs, read off the nodes: what a bias on each of them adds. */
function biasCount(graph: Graph): number {
  return graph.nodes.reduce(
    (sum, node) => sum + (node.op === "conv" || node.op === "dwconv" ? node.shape.channels : 0),
    0,
  );
}

describe("published counts from hand-built graphs", () => {
  it("ResNet-50", () => expect(fullWidth(resnet([3, 4, 6, 3]))).toEqual(PUBLISHED.resnet50));
  it("ResNet-152", () => expect(fullWidth(resnet([3, 8, 36, 3]))).toEqual(PUBLISHED.resnet152));
  it("MobileNetV2", () => expect(fullWidth(mobilenetV2())).toEqual(PUBLISHED.mobilenet_v2));
  it("Keras convention = independent count with 4·C batch norms", () => {
    const graph = resnet([3, 4, 6, 3]);
    expect(fullWidth(graph, "keras")).toEqual(countGraph(graph, "keras"));
    expect(fullWidth(graph, "keras").params - PUBLISHED.resnet50.params).toBe(53_120);
  });
  it("conv-bias: ResNet-50 params rise by exactly the sum of its conv output widths, madds do not", () => {
    const graph = resnet([3, 4, 6, 3]);
    const biased = fullWidth(graph, { convention: "torch", convBias: true });
    expect(biasCount(graph)).toBe(26_560); // 64 + Σ_stages (6·depth + 4)·width
    expect(biased).toEqual({ params: PUBLISHED.resnet50.params + 26_560, madds: PUBLISHED.resnet50.madds });
    expect(biased).toEqual(countGraph(graph, { convention: "torch", convBias: true }));
    // Keras's ResNet50 (4·C batch norms, biased convs) reports 25,636,712
    expect(fullWidth(graph, { convention: "keras", convBias: true }).params).toBe(25_636_712);
  });
  it("conv-bias: MobileNetV2 counts a bias on its depthwise convs too", () => {
    const graph = mobilenetV2();
    expect(fullWidth(graph, { convention: "torch", convBias: true }).params - PUBLISHED.mobilenet_v2.params).toBe(
      biasCount(graph),
    );
    expect(biasCount(graph)).toBeGreaterThan(
      graph.nodes.filter((n) => n.op === "conv").reduce((sum, n) => sum + n.shape.channels, 0),
    );
    // Keras's MobileNetV2 has unbiased convs and 4·C batch norms: 3,538,984
    expect(fullWidth(graph, "keras").params).toBe(3_538_984);
  });
});
