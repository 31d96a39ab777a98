// Baselines at a budget (issue 14): `figs scale --target` lands the width multiplier on a cost,
// `figs sample --target` draws random per-layer widths within the tolerance, and what cannot land
// says so. Costs are those of the export (arch.json), in the space's convention.
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ArchitectureSampler,
  compile,
  DEFAULT_SAMPLE_OPTIONS,
  exportedCostOf,
  multiplierForBudget,
  sampleWithinBudget,
  seededRandom,
  type Budget,
  type Ir,
} from "../../compiler/index.js";
import { parseTolerance } from "../../cli/budget-options.js";
import { expectValidExport, figs, useCpu } from "./helpers.js";

let root = "";
beforeAll(async () => {
  await useCpu();
  root = mkdtempSync(join(tmpdir(), "figs-budget-"));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const out = (name: string): string => join(root, name);

function mnist(): Ir {
  return compile({ path: "spaces/mnist_convnet.figs" }).ir!;
}

describe("the width multiplier at a budget", () => {
  const ir = mnist();
  const sampler = new ArchitectureSampler(ir);
  const costOf = exportedCostOf(ir);

  it.each([
    ["params", 40_000],
    ["params", 20_000],
    ["madds", 1_000_000],
  ] as const)("lands on %s=%d within 5%, and no other multiplier is closer", (metric, target) => {
    const budget: Budget = { metric, target, tolerance: 0.05 };
    const found = multiplierForBudget(ir, sampler, budget);
    expect(found.within).toBe(true);
    expect(costOf(found.widths, metric)).toBe(found.cost);
    expect(Math.abs(found.cost / target - 1)).toBeLessThanOrEqual(0.05);
    for (let w = 0.01; w <= 1; w += 0.01) {
      const other = costOf(sampler.scaled(w), metric);
      expect(Math.abs(other - target), `w = ${w}`).toBeGreaterThanOrEqual(Math.abs(found.cost - target));
    }
  });

  it("past the full space is the full space, and says it missed", () => {
    const found = multiplierForBudget(ir, sampler, { metric: "params", target: 1e9, tolerance: 0.05 });
    expect(found.multiplier).toBe(1);
    expect(found.within).toBe(false);
  });
});

describe("random samples at a budget", () => {
  const ir = mnist();
  const budget: Budget = { metric: "params", target: 40_000, tolerance: 0.05 };

  it("land within the tolerance, with widths drawn per group, and differ from one another", () => {
    const sampler = new ArchitectureSampler(ir, { ...DEFAULT_SAMPLE_OPTIONS, widths: "independent" });
    const costOf = exportedCostOf(ir);
    const random = seededRandom(3);
    const seen = new Set<string>();
    let unequal = 0;
    for (let k = 0; k < 30; k++) {
      const sample = sampleWithinBudget(sampler, random, budget, costOf, 1000)!;
      expect(sample).toBeDefined();
      expect(costOf(sample.widths, "params")).toBe(sample.cost);
      expect(Math.abs(sample.cost / budget.target - 1)).toBeLessThanOrEqual(0.05);
      seen.add(Array.from(sample.widths).join(","));
      // Per-layer widths: the searchable groups do not all keep the same share of their channels.
      const shares = ir.groups.filter((g) => g.searchable).map((g) => sample.widths[g.id]! / g.size);
      if (Math.max(...shares) - Math.min(...shares) > 0.2) unequal += 1;
    }
    expect(seen.size).toBeGreaterThanOrEqual(25);
    expect(unequal).toBeGreaterThanOrEqual(20);
  });

  it("with uniform widths, keep one share for all groups, up to rounding", () => {
    const sampler = new ArchitectureSampler(ir, { ...DEFAULT_SAMPLE_OPTIONS, widths: "uniform", dropProbability: 0 });
    const sample = sampleWithinBudget(sampler, seededRandom(5), budget, exportedCostOf(ir), 1000)!;
    const shares = ir.groups.filter((g) => g.searchable).map((g) => sample.widths[g.id]! / g.size);
    expect(Math.max(...shares) - Math.min(...shares)).toBeLessThan(0.1);
  });

  it("that no architecture reaches give up after the draws allowed", () => {
    const sampler = new ArchitectureSampler(ir, { ...DEFAULT_SAMPLE_OPTIONS, widths: "independent" });
    const tiny: Budget = { metric: "params", target: 10, tolerance: 0.05 };
    expect(sampleWithinBudget(sampler, seededRandom(1), tiny, exportedCostOf(ir), 20)).toBeUndefined();
  });
});

describe("--target on the command line", () => {
  it("figs scale --target params=40k exports the closest multiplier, recorded with its target", async () => {
    const run = await figs("scale", "spaces/mnist_convnet.figs", "--target", "params=40k", "--out", out("scale-40k"));
    expect(run.stderr).toBe("");
    expect(run.exit).toBe(0);
    const arch = await expectValidExport(out("scale-40k"));
    expect(Math.abs(arch.costs.torch.params / 40_000 - 1)).toBeLessThanOrEqual(0.05);
    expect(arch.search).toMatchObject({ baseline: "uniform", target: { params: 40_000 }, tolerance: 0.05 });
  });

  it("figs scale warns when even the closest is outside the tolerance, and exports it", async () => {
    const run = await figs("scale", "spaces/mnist_convnet.figs", "--target", "params=10M", "--out", out("scale-10M"));
    expect(run.exit).toBe(0);
    expect(run.stderr).toContain("warning FIGS5006");
    expect(run.stderr).toContain("outside ±5%");
  });

  it("figs sample --target madds=1M --tolerance 3% puts every sample within 3%", async () => {
    const args = ["--target", "madds=1M", "--tolerance", "3%", "--n", "4", "--json"];
    const run = await figs("sample", "spaces/mnist_convnet.figs", ...args, "--out", out("sample-1M"));
    expect(run.exit).toBe(0);
    const summary = JSON.parse(run.stdout) as { rows: { name: string; madds: number }[] };
    expect(summary.rows).toHaveLength(4);
    for (const row of summary.rows) {
      expect(Math.abs(row.madds / 1e6 - 1), row.name).toBeLessThanOrEqual(0.03);
      const arch = await expectValidExport(join(out("sample-1M"), row.name));
      expect(arch.search).toMatchObject({ baseline: "random", widths: "independent", target: { madds: 1e6 } });
    }
  });

  it("figs sample with a target no sample can reach is exit 1, and writes nothing", async () => {
    const run = await figs(
      "sample",
      "spaces/mnist_convnet.figs",
      "--target",
      "params=10",
      "--n",
      "2",
      "--out",
      out("x"),
    );
    expect(run.exit).toBe(1);
    expect(run.stderr).toContain("no random sub-architecture lands within ±5% of 10 params");
    expect(readdirSync(root)).not.toContain("x");
  });

  it.each([
    [["scale", "--width", "0.5", "--target", "params=40k"], "--width and --target are two ways to choose W"],
    [["scale", "--target", "flops=3"], "--target must be params=N or madds=N"],
    [["sample", "--n", "2", "--target", "params=40k", "--tolerance", "150%"], "--tolerance must be a share"],
    [["sample", "--n", "2", "--tolerance", "5%"], "--tolerance needs --target"],
    [["sample", "--n", "2", "--widths", "random"], "--widths must be independent or uniform"],
  ])("%j is a usage error", async (argv, message) => {
    const [command, ...rest] = argv as [string, ...string[]];
    const run = await figs(command, "spaces/mnist_convnet.figs", ...rest, "--out", out("never"));
    expect(run.exit).toBe(1);
    expect(run.stderr).toContain(message);
  });

  it("reads a tolerance as a percentage or a share", () => {
    expect(parseTolerance("5%")).toBe(0.05);
    expect(parseTolerance("0.05")).toBe(0.05);
    expect(parseTolerance("12.5 %")).toBe(0.125);
    expect(parseTolerance("-1")).toBeUndefined();
    expect(parseTolerance("five")).toBeUndefined();
  });
});
