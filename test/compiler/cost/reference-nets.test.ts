import { describe, expect, it } from "vitest";
import { costOfSpace, CostModel } from "../../../compiler/cost/index.js";
import { placeMasks, type MaskPlan } from "../../../compiler/masks/index.js";
import type { Graph } from "../../../compiler/graph.js";
import { countGraph } from "./independent-count.js";
import { mobilenetV2, PUBLISHED, resnet } from "./reference-nets.js";

function fullWidth(graph: Graph, convention: "torch" | "keras" = "torch") {
  const plan = placeMasks(graph).plan as MaskPlan;
  const { params, madds } = new CostModel(plan.groups, costOfSpace(graph, plan, { convention })).fullWidth();
  return { params, madds };
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
});
