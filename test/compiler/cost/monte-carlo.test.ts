/**
 * E[cost] against sampling (issue 13): on spaces with grouped convs and
 * squeeze-and-excitation gates, the compiler's closed-form expectation at π
 * equals the mean cost of 10,000 masks drawn channel by channel with those
 * probabilities, to 0.5%. A drawn mask is binary, where the formula is the
 * exact cost of that architecture.
 */
import { describe, expect, it } from "vitest";
import { CostModel } from "../../../compiler/cost/model.js";
import { irContents } from "../../../compiler/ir/build.js";
import { compile, type Ir } from "../../../compiler/index.js";
import { seededRandom } from "../../../compiler/sample/random.js";

const SAMPLES = 10_000;

const SPACES: Readonly<Record<string, string>> = {
  "grouped convs in a residual stage": `
block next(width: int, groups: int) {
  residual {
    conv(1, width) -> bn -> relu -> conv(3, width, groups: groups) -> bn -> relu -> conv(1, in) -> bn
  } -> relu
}
space s() {
  input(16, 16, 3)
  conv(3, 32) -> bn -> relu
  next(32, 8)
  next(32, 4)
  conv(3, 48, groups: 2, stride: 2) -> bn -> relu
  global_avgpool -> dense(10) fixed
}`,
  "squeeze-and-excitation gates and a grouped conv": `
import "stdlib/mobile.figs"
space s() {
  input(16, 16, 3)
  conv(3, 16) -> bn -> hardswish
  v3_block(3, 48, 16, 12, hardswish, 1)
  v3_block(5, 64, 24, 16, relu, 2)
  conv(3, 24, groups: 4) -> bn -> relu
  global_avgpool -> dense(10) fixed
}`,
};

function model(ir: Ir): CostModel {
  const { plan, cost } = irContents(ir);
  return new CostModel(plan.groups, cost);
}

describe.each(Object.entries(SPACES))("E[cost] of %s", (_name, text) => {
  const { ir, diagnostics } = compile({ path: "space.figs", text });

  it("is the mean cost of 10,000 sampled masks, to 0.5%", () => {
    expect(diagnostics).toEqual([]);
    const costs = model(ir!);
    const random = seededRandom(2026);
    const pi = Float64Array.from({ length: ir!.maskVariables }, () => 0.1 + 0.8 * random());
    const mask = new Float64Array(pi.length);
    const total = { params: 0, madds: 0 };
    for (let k = 0; k < SAMPLES; k++) {
      for (let i = 0; i < pi.length; i++) mask[i] = random() < pi[i]! ? 1 : 0;
      const sampled = costs.expected(mask);
      total.params += sampled.params;
      total.madds += sampled.madds;
    }
    const expected = costs.expected(pi);
    expect(Math.abs(total.params / SAMPLES / expected.params - 1)).toBeLessThan(0.005);
    expect(Math.abs(total.madds / SAMPLES / expected.madds - 1)).toBeLessThan(0.005);
  });
});
