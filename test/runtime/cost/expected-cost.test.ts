import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { CostModel } from "../../../compiler/cost/model.js";
import { irContents } from "../../../compiler/ir/build.js";
import type { Ir } from "../../../compiler/index.js";
import { expectedCost, type CostName } from "../../../runtime/cost/index.js";
import { emitSupernet } from "../../../runtime/emit/index.js";
import {
  compileSpace,
  compileText,
  relativeError,
  seededRandom,
  spaceFiles,
  spacePath,
  useCpu,
} from "../export/helpers.js";

beforeAll(useCpu);

function costModel(ir: Ir): CostModel {
  const { plan, cost } = irContents(ir);
  return new CostModel(plan.groups, cost);
}

/** π with a spread of values, including exact 0s and 1s. */
function randomPi(length: number, seed: number): Float32Array {
  const random = seededRandom(seed);
  return Float32Array.from({ length }, () => {
    const r = random();
    return r < 0.05 ? 0 : r > 0.95 ? 1 : random();
  });
}

const COSTS: readonly CostName[] = ["params", "madds", "flops"];

describe.each(spaceFiles())("E[cost] as tf ops on %s", (file) => {
  const ir = compileSpace(spacePath(file), {}, "torch");
  const model = costModel(ir);

  it("equals the compiler's expectation at random π to 1e-4 relative", () => {
    const evaluators = COSTS.map((c) => [c, expectedCost(ir, c)] as const);
    for (let trial = 0; trial < 3; trial++) {
      const pi = randomPi(ir.maskVariables, 100 * trial + file.length);
      const expected = model.expected(pi);
      for (const [name, evaluator] of evaluators) {
        const value = tf.tidy(() => evaluator.atPi(tf.tensor1d(pi)).dataSync()[0]!);
        expect(relativeError(value, expected[name]), `${name} at trial ${trial}`).toBeLessThan(1e-4);
      }
    }
    for (const [, evaluator] of evaluators) evaluator.dispose();
  });
});

describe("E[cost] of a supernet's ν", () => {
  it("is the compiler's E[cost] at π = sigmoid(ν), and an optimizer lowers it through the mask logits", () => {
    const ir = compileSpace(spacePath("mnist_convnet.figs"), {}, "keras");
    const supernet = emitSupernet(ir);
    const evaluator = expectedCost(ir, "params");
    const pi = new Float32Array(ir.maskVariables).fill(1 / (1 + Math.exp(-2.5)));
    const start = evaluator.atLogits(supernet.masks.allLogits()).dataSync()[0]!;
    expect(relativeError(start, costModel(ir).expected(pi).params)).toBeLessThan(1e-4);
    const optimizer = tf.train.adam(0.3);
    for (let step = 0; step < 10; step++)
      optimizer.minimize(() => tf.div(evaluator.atLogits(supernet.masks.allLogits()), 1e5) as tf.Scalar);
    const end = evaluator.atLogits(supernet.masks.allLogits()).dataSync()[0]!;
    expect(end).toBeLessThan(start * 0.9);
    evaluator.dispose();
  });
});

describe("E[cost] gradients", () => {
  const ir = compileSpace(spacePath("mnist_convnet.figs"), {}, "torch");
  const model = costModel(ir);

  it("match the compiler's ∂E/∂π, and flow through π = sigmoid(ν)", () => {
    const pi = randomPi(ir.maskVariables, 42);
    for (const name of ["params", "madds"] as const) {
      const evaluator = expectedCost(ir, name);
      const gradient = tf
        .grad((p) => evaluator.atPi(p as tf.Tensor1D))(tf.tensor1d(pi))
        .dataSync();
      const expected = model.expectedGradient(name, pi);
      for (let i = 0; i < expected.length; i++) expect(relativeError(gradient[i]!, expected[i]!)).toBeLessThan(1e-4);
      const nu = tf.tensor1d(Array.from(pi, (p) => (p > 0 && p < 1 ? Math.log(p / (1 - p)) : 0)));
      const viaLogits = tf
        .grad((v) => evaluator.atLogits(v as tf.Tensor1D))(nu)
        .dataSync();
      const sigma = tf.sigmoid(nu).dataSync();
      for (let i = 0; i < 20; i++) {
        const chain = model.expectedGradient(name, sigma)[i]! * sigma[i]! * (1 - sigma[i]!);
        expect(relativeError(viaLogits[i]!, chain)).toBeLessThan(1e-3);
      }
      evaluator.dispose();
    }
  });

  it("include the variance term: E[S²] = (Σπ)² + Σπ(1−π)", () => {
    const text = `space squared() {
      input(4, 4, 3)
      conv(1, 8) -> bn
      residual { conv(1, in) -> bn }
      global_avgpool -> dense(2) fixed
    }`;
    const squaredIr = compileText(text, "torch").ir!;
    const squares = squaredIr.costs.params.bilinear.filter(([a, b]) => a === b);
    expect(squares.length).toBe(1);
    const [group, , coefficient] = squares[0]!;
    const size = squaredIr.groups[group]!.size;
    const pi = new Float32Array(squaredIr.maskVariables).fill(0.5);
    const evaluator = expectedCost(squaredIr, "params");
    const value = evaluator.atPi(tf.tensor1d(pi)).dataSync()[0]!;
    const meanWidths = Float64Array.from(squaredIr.groups, (g) => (g.searchable ? g.size * 0.5 : g.size));
    const atMeans = costModel(squaredIr).atWidths(meanWidths).params;
    // The only difference from the cost at the mean widths is the variance of S: size · 0.5 · 0.5.
    expect(value - atMeans).toBeCloseTo(coefficient * size * 0.25, 3);
    expect(relativeError(value, costModel(squaredIr).expected(pi).params)).toBeLessThan(1e-6);
    evaluator.dispose();
  });
});

describe("E[cost] of a space without masks", () => {
  it("is its constant cost", () => {
    const fixedIr = compileText(
      "space fixed_only() {\n  input(4, 4, 1)\n  conv(3, 4) fixed -> global_avgpool -> dense(2) fixed\n}",
      "torch",
    ).ir!;
    expect(fixedIr.maskVariables).toBe(0);
    const evaluator = expectedCost(fixedIr, "params");
    expect(evaluator.atPi(tf.tensor1d([])).dataSync()[0]).toBe(fixedIr.costs.full.params);
    evaluator.dispose();
  });
});

describe("E[cost] with operator gates", () => {
  // Every operator of a block gated, one of them an identity of the image (channels without masks, gated).
  const text = `space gated() {
    input(8, 8, 3)
    let g = gate
    let x = conv(3, 8) -> bn -> relu
    let a = x -> conv(3, 8, groups: 2) -> bn -> relu -> gate
    let b = x -> maxpool(3) -> gate
    let c = x -> gate
    concat([a, b, c, g]) -> conv(1, 8) -> bn -> relu -> global_avgpool -> dense(4) fixed
  }`;
  const ir = compileText(text, "torch").ir!;
  const model = costModel(ir);

  it("has a gated size of the image's channels: their gate can remove them", () => {
    expect(ir.gated!.some((v) => !ir.groups[v.group]!.searchable)).toBe(true);
  });

  it("as tf ops equals the compiler's, value and ∂E/∂π, gates included", () => {
    const pi = randomPi(ir.maskVariables, 7);
    for (const name of ["params", "madds"] as const) {
      const evaluator = expectedCost(ir, name);
      const value = evaluator.atPi(tf.tensor1d(pi)).dataSync()[0]!;
      expect(relativeError(value, model.expected(pi)[name])).toBeLessThan(1e-5);
      const gradient = tf
        .grad((p) => evaluator.atPi(p as tf.Tensor1D))(tf.tensor1d(pi))
        .dataSync();
      const expected = model.expectedGradient(name, pi);
      for (let i = 0; i < expected.length; i++)
        expect(Math.abs(gradient[i]! - expected[i]!), `∂/∂π_${i}`).toBeLessThan(1e-4 * (1 + Math.abs(expected[i]!)));
      evaluator.dispose();
    }
  });

  it("has the compiler's ∂E/∂π of central finite differences, for the gates and the channels", () => {
    const pi = Float64Array.from(randomPi(ir.maskVariables, 11), (p) => 0.1 + 0.8 * p);
    const gates = ir.groups.filter((g) => g.gate !== undefined).map((g) => g.offset);
    expect(gates.length).toBe(4);
    const gradient = model.expectedGradient("params", pi);
    for (const i of [...gates, 0, 5, 12, ir.maskVariables - 1]) {
      const step = 1e-4;
      const up = Float64Array.from(pi);
      const down = Float64Array.from(pi);
      up[i] = up[i]! + step;
      down[i] = down[i]! - step;
      const numeric = (model.expected(up).params - model.expected(down).params) / (2 * step);
      expect(Math.abs(numeric - gradient[i]!), `∂/∂π_${i}`).toBeLessThan(1e-4 * (1 + Math.abs(numeric)));
    }
  });
});
