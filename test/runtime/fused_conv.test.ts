// FusedConv2D / FusedDepthwiseConv2D on wasm (served by the native engine when
// present, else by wasm itself) match cpu, with and without bias, for every
// activation, including those handed back to wasm's own kernel.
import type * as tf from "@tensorflow/tfjs";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { activateWasm, bestGradEngine } from "../../runtime/backend/wasm.js";
import { maxAbs, maxAbsDiff, randomValues, runOn, type Inputs } from "./helpers.js";

const ACTIVATIONS = ["linear", "relu", "relu6", "elu", "leakyrelu"] as const;

interface Case {
  batch: number;
  size: number;
  cin: number;
  cout: number;
  k: number;
  stride: number;
  withBias: boolean;
  activation: (typeof ACTIVATIONS)[number];
  seed: number;
}

const caseArb: fc.Arbitrary<Case> = fc.record({
  batch: fc.integer({ min: 1, max: 3 }),
  size: fc.integer({ min: 1, max: 8 }),
  cin: fc.integer({ min: 1, max: 6 }),
  cout: fc.integer({ min: 1, max: 6 }),
  k: fc.constantFrom(1, 3, 5),
  stride: fc.integer({ min: 1, max: 2 }),
  withBias: fc.boolean(),
  activation: fc.constantFrom(...ACTIVATIONS),
  seed: fc.integer({ min: 1, max: 2 ** 30 }),
});

function problem(c: Case, depthwise: boolean): { inputs: Inputs; attrs: tf.NamedAttrMap } {
  const outC = depthwise ? c.cin : c.cout;
  const xShape = [c.batch, c.size, c.size, c.cin];
  const fShape = [c.k, c.k, c.cin, depthwise ? 1 : c.cout];
  const n = (s: number[]): number => s.reduce((a, b) => a * b, 1);
  const inputs: Inputs = {
    x: { shape: xShape, values: randomValues(n(xShape), c.seed) },
    filter: { shape: fShape, values: randomValues(n(fShape), c.seed + 1) },
  };
  if (c.withBias) inputs["bias"] = { shape: [outC], values: randomValues(outC, c.seed + 2) };
  const attrs: tf.NamedAttrMap = {
    strides: [c.stride, c.stride],
    pad: "same",
    dilations: [1, 1],
    dataFormat: "NHWC",
    dimRoundingMode: "floor",
    activation: c.activation,
    leakyreluAlpha: 0.2,
  };
  return { inputs, attrs };
}

beforeAll(async () => {
  expect(await activateWasm(bestGradEngine())).not.toBeNull();
});

describe("fused conv kernels on wasm match cpu", () => {
  for (const kernel of ["FusedConv2D", "FusedDepthwiseConv2D"]) {
    it(kernel, async () => {
      await fc.assert(
        fc.asyncProperty(caseArb, async (c) => {
          const { inputs, attrs } = problem(c, kernel === "FusedDepthwiseConv2D");
          const want = await runOn("cpu", kernel, inputs, attrs);
          const got = await runOn("wasm", kernel, inputs, attrs);
          expect(maxAbsDiff(got, want)).toBeLessThanOrEqual(1e-5 * Math.max(1, maxAbs(want)));
        }),
        { numRuns: 40, seed: 0x5eed },
      );
    });
  }
});
