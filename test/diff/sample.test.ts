import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compile, type Ir } from "../../compiler/index.js";
import { compilePolynomial, valueAtWidths } from "../../compiler/cost/evaluate.js";
import { Polynomial } from "../../compiler/cost/polynomial.js";
import {
  ArchitectureSampler,
  DEFAULT_SAMPLE_OPTIONS,
  Liveness,
  dataflowOf,
  seededRandom,
  streamSeed,
} from "../../compiler/sample/index.js";

const repoRoot = join(import.meta.dirname, "..", "..");

function irOf(text: string): Ir {
  const result = compile({ path: "test.figs", text });
  expect(result.diagnostics).toEqual([]);
  return result.ir!;
}

function costAt(ir: Ir, widths: ArrayLike<number>): { params: number; madds: number } {
  const value = (json: Ir["costs"]["params"]) => valueAtWidths(compilePolynomial(Polynomial.fromJson(json)), widths);
  return { params: value(ir.costs.params), madds: value(ir.costs.madds) };
}

function groupOf(ir: Ir, nodeName: string): number {
  const node = ir.nodes.find((n) => n.name === nodeName);
  expect(node, nodeName).toBeDefined();
  return node!.layout[0]!.group;
}

const BRANCHY = `
space branchy() {
  input(8, 8, 3)
  conv(3, 8) as stem -> bn -> relu
  branches {
    conv(3, 8) as a1 -> bn -> relu -> conv(3, 8) as a2 -> bn
    conv(1, 8) as b -> bn
    identity
  } aggregate concat -> conv(1, 8) as mix -> bn
  global_avgpool -> dense(10) fixed
}`;

const WITHOUT_A = BRANCHY.replace("conv(3, 8) as a1 -> bn -> relu -> conv(3, 8) as a2 -> bn\n", "");

describe("liveness: a group at width 0 removes its producer, then what has no input or no consumer", () => {
  const ir = irOf(BRANCHY);
  const liveness = new Liveness(dataflowOf(ir));
  const full = Int32Array.from(ir.groups, (g) => g.size);

  for (const dropped of ["a1", "a2"]) {
    it(`dropping ${dropped} removes the whole branch: the cost is the space without it`, () => {
      const widths = full.slice();
      widths[groupOf(ir, dropped)] = 0;
      const effective = new Int32Array(widths.length);
      expect(liveness.prune(widths, effective)).toBe(true);
      expect(effective[groupOf(ir, "a1")]).toBe(0);
      expect(effective[groupOf(ir, "a2")]).toBe(0);
      expect(effective[groupOf(ir, "b")]).toBe(8);
      const { params, madds } = irOf(WITHOUT_A).costs.full;
      expect(costAt(ir, effective)).toEqual({ params, madds });
    });
  }

  it("dropping the stem disconnects the space: prune says so", () => {
    const widths = full.slice();
    widths[groupOf(ir, "stem")] = 0;
    expect(liveness.prune(widths, new Int32Array(widths.length))).toBe(false);
  });

  it("only groups whose removal keeps the space connected are droppable (not the stem, not the mixing conv)", () => {
    const sampler = new ArchitectureSampler(ir);
    expect([...sampler.droppable].sort()).toEqual(["a1", "a2", "b"].map((n) => groupOf(ir, n)).sort());
  });
});

describe("ArchitectureSampler", () => {
  const ir = compile({ path: join(repoRoot, "spaces/resnet.figs"), set: { size: "32", classes: "10" } }).ir!;

  it("keeps every ResNet stage's residual stream and the stem; drops only inner convs", () => {
    const sampler = new ArchitectureSampler(ir);
    const adds = ir.nodes.filter((n) => n.op === "add");
    const streams = new Set(adds.flatMap((n) => n.layout.map((s) => s.group)));
    for (const g of streams) expect(sampler.droppable).not.toContain(g);
    expect(sampler.droppable.length).toBe(16 * 2);
  });

  it("gives widths max(1, round(w·size)) for kept groups, 0 for removed ones, size for fixed ones", () => {
    const sampler = new ArchitectureSampler(ir);
    const random = seededRandom(7);
    for (let trial = 0; trial < 50; trial++) {
      const { widths, multiplier, removedGroups } = sampler.sample(random);
      expect(multiplier).toBeGreaterThanOrEqual(0.25);
      expect(multiplier).toBeLessThanOrEqual(1);
      let zeros = 0;
      ir.groups.forEach((g, id) => {
        const width = widths[id]!;
        if (!g.searchable) expect(width).toBe(g.size);
        else if (width === 0) zeros++;
        else expect(width).toBe(Math.max(1, Math.round(multiplier * g.size)));
      });
      expect(zeros).toBe(removedGroups);
    }
  });

  it("is deterministic for a seed and differs between seeds", () => {
    const draw = (seed: number) => {
      const sampler = new ArchitectureSampler(ir);
      const random = seededRandom(seed);
      return Array.from({ length: 20 }, () => Array.from(sampler.sample(random).widths));
    };
    expect(draw(3)).toEqual(draw(3));
    expect(draw(3)).not.toEqual(draw(4));
  });

  it("with nothing dropped and w = 1 samples the full supernet", () => {
    const sampler = new ArchitectureSampler(ir, {
      ...DEFAULT_SAMPLE_OPTIONS,
      dropProbability: 0,
      minMultiplier: 1,
      maxMultiplier: 1,
    });
    const { widths } = sampler.sample(seededRandom(1));
    expect(costAt(ir, widths)).toEqual({ params: ir.costs.full.params, madds: ir.costs.full.madds });
  });

  it("scaled(w) is the uniform width-multiplier baseline", () => {
    const sampler = new ArchitectureSampler(ir);
    const widths = sampler.scaled(0.5);
    ir.groups.forEach((g, id) =>
      expect(widths[id]).toBe(g.searchable ? Math.max(1, Math.round(0.5 * g.size)) : g.size),
    );
    expect(costAt(ir, widths).params).toBeLessThan(ir.costs.full.params / 3);
  });

  it("a purely sequential space has nothing to drop, so samples only change widths", () => {
    const sequential = compile({ path: join(repoRoot, "spaces/mnist_convnet.figs") }).ir!;
    const sampler = new ArchitectureSampler(sequential);
    expect(sampler.droppable).toEqual([]);
    expect(sampler.sample(seededRandom(2)).removedGroups).toBe(0);
  });
});

describe("seeds", () => {
  it("seededRandom is uniform-looking in [0, 1) and streamSeed separates streams", () => {
    const random = seededRandom(123);
    const values = Array.from({ length: 10_000 }, random);
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThan(1);
    expect(Math.abs(values.reduce((a, b) => a + b, 0) / values.length - 0.5)).toBeLessThan(0.02);
    expect(new Set([0, 1, 2, 3].map((s) => streamSeed(1, s))).size).toBe(4);
  });
});
