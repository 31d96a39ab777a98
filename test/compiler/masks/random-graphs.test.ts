/**
 * Properties of mask placement on random graphs full of concats and adds whose
 * slice boundaries disagree: the cases where splitting must reach a fixpoint.
 */
import { describe, expect, it } from "vitest";
import { placeMasks, type MaskPlan } from "../../../compiler/masks/index.js";
import type { Graph } from "../../../compiler/graph.js";
import { GraphBuilder } from "./graph-builder.js";
import { seededRandom } from "../cost/independent-count.js";

/** A tensor of exactly `channels` channels, as one conv or a concat of several. */
function tensorOfWidth(b: GraphBuilder, from: number, channels: number, random: () => number): number {
  if (channels < 2 || random() < 0.3) return b.conv(from, channels);
  const cut = 1 + Math.floor(random() * (channels - 1));
  return b.concat([tensorOfWidth(b, from, cut, random), tensorOfWidth(b, from, channels - cut, random)]);
}

function randomGraph(seed: number): Graph {
  const random = seededRandom(seed);
  const b = new GraphBuilder(`random_${seed}`);
  const pool = [b.conv(b.input(2, 2, 1), 2 + Math.floor(random() * 10))];
  for (let step = 0; step < 12; step++) {
    const x = pool[Math.floor(random() * pool.length)] as number;
    const channels = b.shape(x).channels;
    const choice = random();
    if (choice < 0.5) pool.push(b.sum([x, tensorOfWidth(b, pool[0] as number, channels, random)]));
    else if (choice < 0.7) pool.push(b.unary("bn", b.dwconv(x, { k: 3 })));
    else if (choice < 0.85) pool.push(b.concat([x, pool[Math.floor(random() * pool.length)] as number]));
    else pool.push(tensorOfWidth(b, x, 1 + Math.floor(random() * 12), random));
  }
  return b.build();
}

/** Per tensor channel: which mask it carries, as `group:index`. */
function channelMasks(plan: MaskPlan, node: number): string[] {
  return (plan.layouts[node] ?? []).flatMap((slice) =>
    Array.from({ length: slice.size * slice.repeat }, (_, k) => `${slice.group}:${Math.floor(k / slice.repeat)}`),
  );
}

describe("mask placement on 300 random graphs", () => {
  const graphs = Array.from({ length: 300 }, (_, seed) => randomGraph(seed));
  const plans = graphs.map((graph) => placeMasks(graph).plan as MaskPlan);

  it("gives every input of an add the same mask, channel by channel", () => {
    let adds = 0;
    graphs.forEach((graph, index) => {
      for (const node of graph.nodes.filter((n) => n.op === "add")) {
        const [first, ...rest] = node.inputs.map((id) => channelMasks(plans[index]!, id));
        for (const other of rest) expect(other).toEqual(first);
        adds++;
      }
    });
    expect(adds).toBeGreaterThan(500);
  });

  it("covers every producer channel by exactly one group range, all of the group's size", () => {
    graphs.forEach((graph, index) => {
      const covered = new Map<number, number>();
      for (const group of plans[index]!.groups) {
        for (const range of group.producers) {
          expect(range.end - range.start).toBe(group.size);
          covered.set(range.node, (covered.get(range.node) ?? 0) + group.size);
        }
      }
      for (const node of graph.nodes.filter((n) => n.op === "conv" || n.op === "input"))
        expect(covered.get(node.id)).toBe(node.shape.channels);
    });
  });

  it("exercises splitting: many graphs cut some producer into several groups", () => {
    const split = plans.filter((plan) => plan.groups.some((g) => g.name.endsWith("]")));
    expect(split.length).toBeGreaterThan(100);
  });
});
