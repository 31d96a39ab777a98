import { describe, expect, it } from "vitest";
import {
  costOfSpace,
  CostModel,
  costBreakdown,
  formatPolynomial,
  fullWidths,
  type CostOptions,
} from "../../../compiler/cost/index.js";
import { placeMasks, type MaskPlan } from "../../../compiler/masks/index.js";
import type { Graph } from "../../../compiler/graph.js";
import { GROUP_CASES } from "../masks/cases.js";
import { GraphBuilder } from "../masks/graph-builder.js";
import { countGraph, producerWidths, seededRandom } from "./independent-count.js";

function compiled(graph: Graph, options: CostOptions = { convention: "torch" }) {
  const result = placeMasks(graph);
  const plan = result.plan as MaskPlan;
  expect(result.diagnostics).toEqual([]);
  const cost = costOfSpace(graph, plan, options);
  return { plan, cost, model: new CostModel(plan.groups, cost) };
}

/**
 * A residual network with shared groups (every stage's adds unify its stream), wide enough for the law of large
 * numbers.
 */
function sharedGroupsSpace(): Graph {
  const b = new GraphBuilder("shared");
  let x = b.chain(b.conv(b.input(16, 16, 3), 32, { k: 3, as: "stem" }), "bn", "relu");
  for (const [stage, width] of [
    [1, 32],
    [2, 64],
  ] as const) {
    b.within("cell", `stage_${stage}`, () => {
      for (let block = 0; block < 3; block++) {
        const project = block === 0 && stage > 1;
        const h = b.chain(b.conv(x, width / 2, { k: 1 }), "bn", "relu");
        const g = b.chain(b.dwconv(h, { k: 3, stride: project ? 2 : 1 }), "bn", "relu");
        const f = b.unary("bn", b.conv(g, width, { k: 1 }));
        const shortcut = project ? b.unary("bn", b.conv(x, width, { k: 1, stride: 2 })) : x;
        x = b.unary("relu", b.sum([shortcut, f]));
      }
      // x + conv(x): the conv reads and writes one group, a square term S²
      x = b.sum([x, b.unary("bn", b.conv(x, width, { k: 1, as: `mix_${stage}` }))]);
    });
  }
  const joined = b.concat([x, b.conv(x, 16, { as: "side" })]);
  return b.build(b.dense(b.globalAvgpool(joined), 10, { fixed: true, as: "logits" }));
}

const CONVENTIONS: readonly CostOptions[] = [
  { convention: "torch" },
  { convention: "keras" },
  { convention: "torch", convBias: true },
  { convention: "keras", convBias: true },
];

describe("cost at full width", () => {
  it("counts a small conv net by hand", () => {
    const b = new GraphBuilder("hand");
    const x = b.input(8, 8, 3);
    const c = b.conv(x, 16, { k: 3, stride: 2, bias: true }); // 4x4 out
    const n = b.unary("bn", c);
    const d = b.dwconv(n, { k: 3, multiplier: 2 }); // 32 channels
    b.dense(b.globalAvgpool(d), 10, { fixed: true });
    const { model } = compiled(b.build());
    const params = 3 * 3 * 3 * 16 + 16 + 2 * 16 + 3 * 3 * 16 * 2 + 32 * 10 + 10;
    const madds = 3 * 3 * 3 * 16 * 16 + 3 * 3 * 16 * 2 * 16 + 32 * 10;
    expect(model.fullWidth()).toEqual({ params, madds, flops: 2 * madds });
  });

  for (const [name, build] of Object.entries({ ...GROUP_CASES, shared: sharedGroupsSpace })) {
    it(`${name}: polynomial = independent count, every convention, full and random widths`, () => {
      const graph = build();
      for (const convention of CONVENTIONS) {
        const { plan, model } = compiled(graph, convention);
        const { params, madds } = model.fullWidth();
        expect({ params, madds }).toEqual(countGraph(graph, convention));
        const random = seededRandom(7);
        for (let trial = 0; trial < 5; trial++) {
          const widths = plan.groups.map((g) => (g.searchable ? Math.floor(random() * (g.size + 1)) : g.size));
          const at = model.atWidths(widths);
          expect({ params: at.params, madds: at.madds }).toEqual(
            countGraph(graph, convention, producerWidths(plan, widths)),
          );
        }
      }
    });
  }

  it("divides grouped convs by their groups, over masks shared by the groups (integer coefficients)", () => {
    const b = new GraphBuilder("grouped");
    const x = b.conv(b.input(4, 4, 3), 8, { as: "a" });
    b.conv(x, 12, { k: 3, groups: 4, as: "g" });
    const graph = b.build();
    const { model, cost, plan } = compiled(graph);
    expect(model.fullWidth().params).toBe(3 * 8 + (9 * 8 * 12) / 4);
    expect({ params: model.fullWidth().params, madds: model.fullWidth().madds }).toEqual(countGraph(graph));
    // a's 8 channels and g's 12 are 4 groups of 2 and of 3 masks: 3·(4·S[a]) + 9·(4·S[a])·(4·S[g])/4.
    expect(formatPolynomial("params", cost.params, plan.groups)).toBe("params = 12·S[a[0:2]] + 36·S[a[0:2]]·S[g[0:3]]");
  });

  it("the conv-bias convention adds C_out per conv and C·m per dwconv, never twice", () => {
    const b = new GraphBuilder("biased");
    const x = b.conv(b.input(8, 8, 3), 16, { k: 3, as: "a" });
    const y = b.conv(x, 8, { k: 1, bias: true, as: "b" }); // counted once, though both say bias
    const z = b.dwconv(y, { k: 3, multiplier: 2 }); // 16 channels
    b.dense(b.globalAvgpool(z), 10, { fixed: true });
    const graph = b.build();
    const plain = compiled(graph);
    const biased = compiled(graph, { convention: "torch", convBias: true });
    expect(biased.model.fullWidth().params - plain.model.fullWidth().params).toBe(16 + 16);
    expect(biased.model.fullWidth().madds).toBe(plain.model.fullWidth().madds);
    // S[b]: its own bias, 9·2 dwconv weights, 2·10 dense weights; then + 2 for the dwconv's bias
    expect(formatPolynomial("params", plain.cost.params, plain.plan.groups)).toBe(
      "params = 27·S[a] + 39·S[b] + S[a]·S[b] + 10",
    );
    expect(formatPolynomial("params", biased.cost.params, biased.plan.groups)).toBe(
      "params = 28·S[a] + 41·S[b] + S[a]·S[b] + 10",
    );
  });

  it("the Keras convention adds 2·C per batch norm", () => {
    const graph = GROUP_CASES["residual_add"]!();
    const torch = compiled(graph).model.fullWidth().params;
    const keras = compiled(graph, { convention: "keras" }).model.fullWidth().params;
    expect(keras - torch).toBe(2 * 16 * 3);
  });
});

describe("expected cost", () => {
  it("equals the exact average over every mask of a tiny space", () => {
    const b = new GraphBuilder("tiny");
    const x = b.conv(b.input(2, 2, 1), 2, { as: "a" });
    const y = b.conv(x, 3, { as: "b" });
    b.sum([b.conv(y, 2, { as: "c" }), x]);
    const { model } = compiled(b.build());
    const pi = [0.9, 0.3, 0.6, 0.2, 0.7];
    let params = 0;
    let madds = 0;
    for (let mask = 0; mask < 32; mask++) {
      const on = pi.map((_, i) => (mask >> i) & 1);
      const probability = pi.reduce((p, q, i) => p * (on[i] ? q : 1 - q), 1);
      const at = model.atWidths(sampleWidths(model, on));
      params += probability * at.params;
      madds += probability * at.madds;
    }
    const expected = model.expected(pi);
    expect(expected.params).toBeCloseTo(params, 9);
    expect(expected.madds).toBeCloseTo(madds, 9);
  });

  it("matches the mean of 10,000 sampled masks within 0.5% on a space with shared groups", () => {
    const { model, plan } = compiled(sharedGroupsSpace());
    expect(plan.groups.some((g) => g.producers.length > 2)).toBe(true);
    const random = seededRandom(2024);
    const pi = Float64Array.from({ length: model.pi.length }, () => 0.1 + 0.85 * random());
    let params = 0;
    let madds = 0;
    const samples = 10_000;
    for (let s = 0; s < samples; s++) {
      const on = Array.from(pi, (p) => (random() < p ? 1 : 0));
      const at = model.atWidths(sampleWidths(model, on));
      params += at.params / samples;
      madds += at.madds / samples;
    }
    const expected = model.expected(pi);
    expect(Math.abs(params / expected.params - 1)).toBeLessThan(0.005);
    expect(Math.abs(madds / expected.madds - 1)).toBeLessThan(0.005);
    // the variance term matters: the plug-in value at E[S] is biased low
    const plugIn = model.atWidths(groupMeans(model, pi));
    expect(expected.params - plugIn.params).toBeGreaterThan(0);
  });

  it("has the gradient of its finite differences", () => {
    const { model } = compiled(sharedGroupsSpace());
    const random = seededRandom(3);
    const pi = Float64Array.from({ length: model.pi.length }, () => random());
    for (const metric of ["params", "madds", "flops"] as const) {
      const gradient = model.expectedGradient(metric, pi);
      for (const i of [0, 5, 40, model.pi.length - 1]) {
        const h = 1e-4;
        const up = Float64Array.from(pi);
        const down = Float64Array.from(pi);
        up[i] = pi[i]! + h;
        down[i] = pi[i]! - h;
        const numeric = (model.expected(up)[metric] - model.expected(down)[metric]) / (2 * h);
        expect(gradient[i]).toBeCloseTo(numeric, 3);
      }
    }
  });
});

describe("reports", () => {
  it("prints the formula with group names", () => {
    const { cost, plan } = compiled(GROUP_CASES["residual_add"]!());
    const text = formatPolynomial("params", cost.params, plan.groups);
    // stem 27·S1 + its bn 2·S1 + the last bn 2·S1; bn 2·S2; two 3x3 convs 9·S1·S2 each
    expect(text).toBe("params = 31·S[stem] + 2·S[basic_1/conv_1] + 18·S[stem]·S[basic_1/conv_1]");
    const square = compiled(GROUP_CASES["add_to_input"]!());
    const squareMadds = formatPolynomial("madds", square.cost.madds, square.plan.groups);
    expect(squareMadds).toBe("madds = 96·S[conv_1] + 48·S[after]");
    const shared = compiled(sharedGroupsSpace());
    expect(formatPolynomial("params", shared.cost.params, shared.plan.groups)).toMatch(/ \+ S\[stem\]² \+ .* \+ 10$/);
  });

  it("breaks the cost down by scope, summing to the total", () => {
    const graph = sharedGroupsSpace();
    const { cost, plan, model } = compiled(graph);
    const widths = fullWidths(plan.groups);
    for (const level of ["space", "cell", "block", "op"] as const) {
      const rows = costBreakdown(graph, cost, level, widths);
      expect(rows.reduce((sum, r) => sum + r.params, 0)).toBe(model.fullWidth().params);
      expect(rows.reduce((sum, r) => sum + r.madds, 0)).toBe(model.fullWidth().madds);
    }
    expect(costBreakdown(graph, cost, "cell", widths).map((r) => r.path)).toEqual([
      "shared",
      "shared/stage_1",
      "shared/stage_2",
    ]);
  });
});

function sampleWidths(model: CostModel, on: ArrayLike<number>): number[] {
  return model.groups.map((g) => {
    const offset = model.pi.offsets[g.id]!;
    if (offset < 0) return g.size;
    let width = 0;
    for (let i = offset; i < offset + g.size; i++) width += on[i]!;
    return width;
  });
}

function groupMeans(model: CostModel, pi: ArrayLike<number>): number[] {
  return sampleWidths(model, pi);
}
