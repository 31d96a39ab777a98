/**
 * E[cost] against sampling (issue 13): on spaces with grouped convs,
 * squeeze-and-excitation gates and operator gates (whose π is one more
 * mask), the compiler's closed-form expectation at π equals the mean cost
 * of 10,000 masks drawn channel by channel with those probabilities, to
 * 0.5%. A drawn mask is binary, where the expectation is the exact cost of
 * that architecture (checked against the cost at its widths).
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
  "operator gates on every operator of a block, a grouped conv among them": `
space s() {
  input(16, 16, 3)
  let x = conv(3, 16) -> bn -> relu
  let a = x -> conv(3, 16, groups: 4) -> bn -> relu -> gate
  let b = x -> dwconv(5) -> bn -> relu -> conv(1, 12) -> bn -> relu -> gate
  let c = x -> avgpool(3) -> gate
  let d = x -> gate
  let y = concat([a, b, c, d]) -> conv(1, 24) -> bn -> relu
  let r = y -> conv(3, 24, groups: 2) -> bn -> gate
  add([y, r])
  branches {
    conv(1, 8) -> bn -> gate
    maxpool(3) -> conv(1, 8) -> bn -> gate
    conv(3, 8) -> bn
  } aggregate sum
  global_avgpool -> dense(10) fixed
}`,
};

/** A binary mask as widths: the masks that are on, counted per group (a gate's width is its one mask). */
function widthsOf(ir: Ir, mask: Float64Array): Float64Array {
  return Float64Array.from(ir.groups, (g) => {
    if (g.offset < 0) return g.size;
    let on = 0;
    for (let i = g.offset; i < g.offset + g.size; i++) on += mask[i]!;
    return on;
  });
}

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
      if (k < 50) expect(sampled).toEqual(costs.atWidths(widthsOf(ir!, mask)));
      total.params += sampled.params;
      total.madds += sampled.madds;
    }
    const expected = costs.expected(pi);
    expect(Math.abs(total.params / SAMPLES / expected.params - 1)).toBeLessThan(0.005);
    expect(Math.abs(total.madds / SAMPLES / expected.madds - 1)).toBeLessThan(0.005);
  });
});
