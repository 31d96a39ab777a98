/**
 * An independent parameter / multiply-add counter for the reference-network
 * tests (torchvision convention: BN gamma and beta, no running statistics;
 * madds of conv, dwconv and dense at batch 1). Deliberately separate from
 * compiler/cost so each checks the other.
 */
import type { Graph } from "../../../compiler/graph.js";

export interface Counts {
  params: number;
  madds: number;
}

export function countGraph(graph: Graph): Counts {
  let params = 0;
  let madds = 0;
  for (const node of graph.nodes) {
    const input = node.inputs[0] === undefined ? undefined : graph.nodes[node.inputs[0]]!.shape;
    const outputPixels = node.shape.height * node.shape.width;
    if (node.op === "conv") {
      const weights =
        (node.attrs.kernel[0] * node.attrs.kernel[1] * input!.channels * node.attrs.width) / node.attrs.groups;
      params += weights + (node.attrs.bias ? node.attrs.width : 0);
      madds += weights * outputPixels;
    } else if (node.op === "dwconv") {
      const weights = node.attrs.kernel[0] * node.attrs.kernel[1] * input!.channels * node.attrs.multiplier;
      params += weights + (node.attrs.bias ? node.shape.channels : 0);
      madds += weights * outputPixels;
    } else if (node.op === "dense") {
      params += input!.channels * node.attrs.width + (node.attrs.bias ? node.attrs.width : 0);
      madds += input!.channels * node.attrs.width;
    } else if (node.op === "bn") {
      params += 2 * node.shape.channels;
    }
  }
  return { params, madds };
}
