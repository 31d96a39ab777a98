// Winograd F(2×2, 3×3) (native/src/winograd.cc), forward and input gradient,
// called directly through the addon and compared per element with tfjs's cpu
// backend and with the addon's im2col kernels, on random 3×3 stride-1 convs
// (odd sizes leave half tiles, channel counts that are not multiples of 8
// leave vector tails, 'same', 'valid' and explicit paddings 0–2).
//
// Error bound. Let S_i = Σ |x||w| over the terms of output i (a cpu conv of
// |x| and |w|) and u = 2⁻²⁴. Winograd computes Aᵀ[Σ_c (G g Gᵀ) ⊙ (Bᵀ d B)]A,
// so each output is a sum over Cin (one GEMM) of products of transformed
// values, with about 10 roundings in the transforms around it: |Δ| ≤
// γ_(Cin+10) · Aᵀ[Σ_c |G g Gᵀ| ⊙ |Bᵀ d B|]A. The absolute-value transforms
// bring in cross terms (taps that cancel in exact arithmetic): in 1-D,
// Σ_ξ |A||G||Bᵀ| sums to 8 per output against 3 true taps, so in 2-D the
// bracket is at most (8/3)² ≈ 7.1 times a Σ |x||w| of the same tile when
// |x| and |w| are of one magnitude (as here, uniform in [−1, 1)). Because of
// those cross terms the bound holds normwise, with max_i S_i, not per
// element: an output whose own terms are tiny still carries the rounding of
// its tile's larger ones (a 1-channel input gradient of 6e-11 with S_i of
// 1e-12 showed it). The reference's own im2col/GEMM sum of 9·Cin terms adds
// γ_(9·Cin) · S. Hence
//   max_i |winograd − reference| ≤ ((Cin + 10) · 7.1 + 9 · Cin) · u · max_i S_i ≤ (16 · Cin + 72) · u · max_i S_i,
// i.e. ≈ 1.2e-5 · max S at Cin = 8 and 2.3e-5 · max S at Cin = 20 (Cin is
// the summed channel count: inC forward, outC for the input gradient).
// These are worst-case bounds; observed errors are an order smaller.
import type * as tf from "@tensorflow/tfjs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { GradFn } from "../../runtime/kernels/engine.js";
import { geometryOf, type ConvGeometry } from "../../runtime/kernels/geometry.js";
import {
  loadNativeEngine,
  loadWinogradKernels,
  winogradApplies,
  winogradChosen,
} from "../../runtime/kernels/native.js";
import { randomValues, runOn } from "./helpers.js";

interface Case {
  batch: number;
  h: number;
  w: number;
  cin: number;
  cout: number;
  pad: "same" | "valid" | number;
  seed: number;
}

const caseArb: fc.Arbitrary<Case> = fc
  .record({
    batch: fc.integer({ min: 1, max: 3 }),
    h: fc.integer({ min: 1, max: 11 }),
    w: fc.integer({ min: 1, max: 11 }),
    cin: fc.integer({ min: 1, max: 20 }),
    cout: fc.integer({ min: 1, max: 20 }),
    pad: fc.oneof(fc.constant<"same">("same"), fc.constant<"valid">("valid"), fc.integer({ min: 0, max: 2 })),
    seed: fc.integer({ min: 1, max: 2 ** 30 }),
  })
  .map((c) => {
    // The 3×3 window must fit the padded image.
    const min = c.pad === "same" ? 1 : 3 - 2 * (typeof c.pad === "number" ? c.pad : 0);
    return { ...c, h: Math.max(c.h, min), w: Math.max(c.w, min) };
  });

const U = 2 ** -24;
const abs = (a: Float32Array): Float32Array => a.map(Math.abs);

interface Problem {
  g: ConvGeometry;
  attrs: tf.NamedAttrMap;
  x: { shape: number[]; values: Float32Array };
  filter: { shape: number[]; values: Float32Array };
  dy: { shape: number[]; values: Float32Array };
}

function problem(c: Case): Problem {
  const attrs: tf.NamedAttrMap = { strides: [1, 1], pad: c.pad, dilations: [1, 1], dataFormat: "NHWC" };
  if (typeof c.pad === "number") attrs["dimRoundingMode"] = "floor";
  const xShape = [c.batch, c.h, c.w, c.cin];
  const fShape = [3, 3, c.cin, c.cout];
  const g = geometryOf(xShape, fShape, { strides: 1, pad: c.pad, dimRoundingMode: "floor" }, false);
  const dyShape = [c.batch, g.outH, g.outW, c.cout];
  const size = (s: number[]): number => s.reduce((a, b) => a * b, 1);
  return {
    g,
    attrs,
    x: { shape: xShape, values: randomValues(size(xShape), c.seed) },
    filter: { shape: fShape, values: randomValues(size(fShape), c.seed + 7) },
    dy: { shape: dyShape, values: randomValues(size(dyShape), c.seed + 3) },
  };
}

/** max |got − want| within (16·Cin + 72)·u·max S, S the conv of absolute values (see the top of the file). */
function expectWithinBound(got: Float32Array, want: Float32Array, s: Float32Array, summed: number): void {
  expect(got.length).toBe(want.length);
  let err = 0;
  let scale = 0;
  for (let i = 0; i < got.length; i++) {
    err = Math.max(err, Math.abs(got[i]! - want[i]!));
    scale = Math.max(scale, s[i]!);
  }
  expect(err).toBeLessThanOrEqual((16 * summed + 72) * U * scale);
}

const kernels = loadWinogradKernels();

describe("Winograd selection", () => {
  const base = geometryOf([2, 9, 9, 16], [3, 3, 16, 16], { strides: 1, pad: "same" }, false);
  it("covers 3×3 stride-1 undilated convs only", () => {
    expect(winogradApplies(base)).toBe(true);
    expect(winogradApplies({ ...base, strideH: 2, strideW: 2 })).toBe(false);
    expect(winogradApplies({ ...base, dilH: 2, dilW: 2 })).toBe(false);
    expect(winogradApplies({ ...base, kH: 5, kW: 5 })).toBe(false);
  });
  it("FIGS_WINOGRAD=1 forces it where it applies, 0 turns it off", () => {
    expect(winogradChosen(base, "forward", "1")).toBe(true);
    expect(winogradChosen(base, "inputGrad", "0")).toBe(false);
    expect(winogradChosen({ ...base, strideH: 2, strideW: 2 }, "forward", "1")).toBe(false);
  });
  it("by default, skips stems and input gradients on maps under 8×8", () => {
    expect(winogradChosen(base, "forward", undefined)).toBe(true);
    expect(winogradChosen(base, "inputGrad", undefined)).toBe(true);
    expect(winogradChosen({ ...base, inC: 3 }, "forward", undefined)).toBe(false);
    const small = geometryOf([2, 7, 7, 16], [3, 3, 16, 16], { strides: 1, pad: "same" }, false);
    expect(winogradChosen(small, "forward", undefined)).toBe(true);
    expect(winogradChosen(small, "inputGrad", undefined)).toBe(false);
  });
  it("is offered exactly when the addon loads (nothing else requires it)", () => {
    expect(kernels === null).toBe(loadNativeEngine() === null);
  });
});

for (const k of kernels === null ? [] : [kernels]) {
  describe("native Winograd F(2×2, 3×3) matches cpu and im2col", () => {
    it("rejects geometries it does not cover", () => {
      const g = geometryOf([1, 6, 6, 2], [3, 3, 2, 2], { strides: 2, pad: "same" }, false);
      const y = new Float32Array(g.batch * g.outH * g.outW * g.outC);
      expect(() => k.forward(new Float32Array(72), new Float32Array(36), g, y)).toThrow(/Winograd/);
    });

    const run = (fn: GradFn, a: Float32Array, b: Float32Array, g: ConvGeometry, n: number): Float32Array => {
      const out = new Float32Array(n).fill(Number.NaN);
      fn(a, b, g, out);
      return out;
    };

    it("forward", async () => {
      await fc.assert(
        fc.asyncProperty(caseArb, async (c) => {
          const p = problem(c);
          const n = p.dy.values.length;
          const want = await runOn("cpu", "Conv2D", { x: p.x, filter: p.filter }, p.attrs);
          const s = await runOn(
            "cpu",
            "Conv2D",
            { x: { ...p.x, values: abs(p.x.values) }, filter: { ...p.filter, values: abs(p.filter.values) } },
            p.attrs,
          );
          const got = run(k.forward, p.x.values, p.filter.values, p.g, n);
          expectWithinBound(got, want, s, c.cin);
          expectWithinBound(got, run(k.im2colForward, p.x.values, p.filter.values, p.g, n), s, c.cin);
        }),
        { numRuns: 60, seed: 0x3a9e },
      );
    });

    it("input gradient", async () => {
      await fc.assert(
        fc.asyncProperty(caseArb, async (c) => {
          const p = problem(c);
          const n = p.x.values.length;
          const attrs = { ...p.attrs, inputShape: p.x.shape };
          const want = await runOn("cpu", "Conv2DBackpropInput", { dy: p.dy, filter: p.filter }, attrs);
          const s = await runOn(
            "cpu",
            "Conv2DBackpropInput",
            { dy: { ...p.dy, values: abs(p.dy.values) }, filter: { ...p.filter, values: abs(p.filter.values) } },
            attrs,
          );
          const got = run(k.inputGrad, p.dy.values, p.filter.values, p.g, n);
          expectWithinBound(got, want, s, c.cout);
          expectWithinBound(got, run(k.im2colInputGrad, p.dy.values, p.filter.values, p.g, n), s, c.cout);
        }),
        { numRuns: 60, seed: 0x3a9f },
      );
    });
  });
}
