// The baselines' plans, without files or tfjs: widths per group, settings, determinism, the multiplier's range.
import { describe, expect, it } from "vitest";
import { compile, DEFAULT_SAMPLE_OPTIONS, type Ir } from "../../compiler/index.js";
import { multiplierProblem, randomBaselines, uniformBaseline } from "../../runtime/baselines/index.js";
import { pruneArchitecture } from "../../runtime/export/prune.js";
import { SMALL_ONE_SHOT } from "./helpers.js";

function compileSpace(path: string, set: Record<string, string> = {}): Ir {
  const result = compile({ path, set });
  expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return result.ir!;
}

const oneShot = compileSpace(
  "spaces/one_shot.figs",
  Object.fromEntries(SMALL_ONE_SHOT.split(",").map((kv) => kv.split("=") as [string, string])),
);

describe("randomBaselines", () => {
  it("draw only what export can write: ShuffleNetV2's branches, which its shuffles need, are never removed", () => {
    const shuffle = compileSpace("spaces/shufflenet_v2.figs", { size: "32", classes: "10" });
    const sampling = { ...DEFAULT_SAMPLE_OPTIONS, widths: "independent" as const };
    const planned = randomBaselines(shuffle, { count: 20, seed: 4, sampling }).architectures;
    expect(planned).toHaveLength(20);
    for (const a of planned) {
      expect(pruneArchitecture(shuffle, a.widths).diagnostics, a.name).toEqual([]);
      expect(a.removedGroups).toBe(0);
    }
    // Per-layer widths still vary from sample to sample.
    expect(new Set(planned.map((a) => Array.from(a.widths).join(","))).size).toBe(20);
  });

  it("names samples sample-<i> and records the random baseline's settings", () => {
    const planned = randomBaselines(oneShot, { count: 4, seed: 9 }).architectures;
    expect(planned.map((a) => a.name)).toEqual(["sample-0", "sample-1", "sample-2", "sample-3"]);
    for (const [i, a] of planned.entries()) {
      expect(a.settings).toMatchObject({ baseline: "random", seed: 9, sample: i, multiplier: a.multiplier });
      expect(a.multiplier).toBeGreaterThanOrEqual(0.25);
      expect(a.multiplier).toBeLessThanOrEqual(1);
      expect(a.seed).toBe(9);
    }
  });

  it("keeps fixed groups at their size and searchable ones between 0 and their size", () => {
    for (const a of randomBaselines(oneShot, { count: 20, seed: 2 }).architectures) {
      for (const g of oneShot.groups) {
        const width = a.widths[g.id]!;
        if (!g.searchable) expect(width).toBe(g.size);
        else expect(width >= 0 && width <= g.size).toBe(true);
      }
    }
  });

  it("is the same for the same seed and differs for another", () => {
    const widths = (seed: number): number[][] =>
      randomBaselines(oneShot, { count: 5, seed }).architectures.map((a) => Array.from(a.widths));
    expect(widths(4)).toEqual(widths(4));
    expect(widths(5)).not.toEqual(widths(4));
  });

  it("removes operators in some samples of a space with choices", () => {
    expect(randomBaselines(oneShot, { count: 20, seed: 1 }).architectures.some((a) => a.removedGroups > 0)).toBe(true);
  });
});

describe("uniformBaseline", () => {
  it("scales every searchable group to max(1, round(w·size))", () => {
    const planned = uniformBaseline(oneShot, 0.01);
    expect(planned.settings).toEqual({ baseline: "uniform", multiplier: 0.01 });
    expect(planned.seed).toBeNull();
    for (const g of oneShot.groups)
      expect(planned.widths[g.id]).toBe(g.searchable ? Math.max(1, Math.round(0.01 * g.size)) : g.size);
  });
});

describe("multiplierProblem", () => {
  it.each([0.25, 1, 1e-6])("accepts %s", (w) => expect(multiplierProblem(w)).toBeUndefined());
  it.each([0, -1, 1.0001, Number.NaN, Number.POSITIVE_INFINITY])("refuses %s", (w) =>
    expect(multiplierProblem(w)).toMatch(/\(0, 1\]/),
  );
});
