// The λ controller of --target (runtime/search/budget.ts, docs/search.md
// "Budgets"), as a pure function of ν: hold inside the tolerance, wait while
// ahead of the glide path, otherwise the λ whose predicted descent closes the
// gap over HORIZON steps. Whether searches land is bench/search/targets.ts.
import { describe, expect, it } from "vitest";
import { exportedAt, GLIDE, HORIZON, referenceCost, targetLambda } from "../../../runtime/search/budget.js";
import { costSlope } from "../../../runtime/search/budget-slope.js";
import { DEFAULT_SEARCH, type SearchSettings } from "../../../runtime/search/settings.js";
import { smallIr } from "./helpers.js";

const ir = smallIr();
const full = ir.costs.full.params;
const STEPS = 300;

function withTarget(target: number): SearchSettings {
  return { ...DEFAULT_SEARCH, cost: "params", target, steps: STEPS };
}

/** ν of a search under way: every channel at `level`, give or take 0.5. */
function nuAt(level: number): Float32Array {
  return Float32Array.from({ length: ir.maskVariables }, (_, i) => level + 0.5 * Math.sin(i));
}

describe("the glide path", () => {
  it("goes from the full cost to the target over the first 60% of the run, then stays there", () => {
    expect(referenceCost(full, 1000, 0, STEPS)).toBe(full);
    expect(referenceCost(full, 1000, (GLIDE * STEPS) / 2, STEPS)).toBeCloseTo((full + 1000) / 2, 6);
    expect(referenceCost(full, 1000, GLIDE * STEPS, STEPS)).toBe(1000);
    expect(referenceCost(full, 1000, STEPS, STEPS)).toBe(1000);
  });
});

describe("targetLambda", () => {
  const nu = nuAt(0.5);
  const exported = exportedAt(ir, nu, "params").cost;

  it("holds (λ = 0) when the export is within tolerance of the target, or below it", () => {
    expect(targetLambda(ir, nu, withTarget(exported), 200)).toBe(0);
    expect(targetLambda(ir, nu, withTarget(exported / 1.04), 200)).toBe(0);
    expect(targetLambda(ir, nu, withTarget(exported * 2), 200)).toBe(0);
  });

  it("waits while the export is ahead of the glide path", () => {
    const start = nuAt(2.5);
    expect(exportedAt(ir, start, "params").cost).toBeLessThan(referenceCost(full, 0.2 * full, HORIZON, STEPS));
    expect(targetLambda(ir, start, withTarget(0.2 * full), 0)).toBe(0);
  });

  it("asks for the descent that closes the gap to the glide path over HORIZON steps", () => {
    const target = 0.8 * exported;
    const step = 200;
    const lambda = targetLambda(ir, nu, withTarget(target), step);
    const learningRate = DEFAULT_SEARCH.archLearningRate * 0.5; // one halving: step 200 is past 35% of 300, not 70%
    const predicted = HORIZON * learningRate * lambda * costSlope(ir, "params", nu).squaredNorm;
    expect(predicted).toBeCloseTo(exported - target, 6);
  });

  it("asks for more as the ν learning rate decays, and for less as the gap closes", () => {
    const far = targetLambda(ir, nu, withTarget(0.8 * exported), 200);
    expect(targetLambda(ir, nu, withTarget(0.8 * exported), 220)).toBeCloseTo(2 * far, 12);
    expect(targetLambda(ir, nu, withTarget(0.9 * exported), 200)).toBeLessThan(far);
  });

  it("caps λ so that no ν gets a cost gradient above 0.5, where ν's Adam (ε = 1) stops being linear", () => {
    const lambda = targetLambda(ir, nu, withTarget(10), 299);
    expect(lambda * costSlope(ir, "params", nu).largest).toBeCloseTo(0.5, 9);
  });

  it("leaves a fixed λ alone when there is no target", () => {
    expect(targetLambda(ir, nu, { ...DEFAULT_SEARCH, lambda: 3e-5 }, 100)).toBe(3e-5);
  });
});
