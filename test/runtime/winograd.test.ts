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
//
// F(4×4, 3×3) (native/src/winograd4.cc), by the same argument: its transforms
// have entries up to 5 (Bᵀ), 8 (Aᵀ) and ⅙, ¹⁄₂₄ (G), and about 25 roundings
// (fused multiply-adds three deep per dimension of Bᵀ, four of Aᵀ, the
// divisions of G); the absolute-value bracket Aᵀ[|G||g||G|ᵀ ⊙ |Bᵀ||d||B|]A of
// all-ones d and g is 256 times Σ|x||w| = 9 at its largest output (against
// (8/3)² = 64/9 for F(2×2); computed in `amplification` below). Hence
//   max_i |winograd4 − reference| ≤ ((Cin + 25) · 256 + 9 · Cin) · u · max_i S_i,
// 36 times F(2×2)'s: ≈ 5e-4 · max S at Cin = 8. That is why F(4×4) is taken
// only where it wins clearly (runtime/kernels/native.ts).
import type * as tf from "@tensorflow/tfjs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { GradFn } from "../../runtime/kernels/engine.js";
import { geometryOf, type ConvGeometry } from "../../runtime/kernels/geometry.js";
import {
  convMethod,
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

/** A Winograd variant: its kernels, and the constants of its error bound (see the top of the file). */
interface Variant {
  readonly name: string;
  readonly forward: GradFn;
  readonly inputGrad: GradFn;
  /** The largest output of the absolute-value bracket for all-ones d and g, over Σ|x||w| = 9. */
  readonly amplification: number;
  /** Roundings in the transforms around the Cin-term sum. */
  readonly roundings: number;
}

/** max_ij of Aᵀ[(|G| 1 |G|ᵀ) ⊙ (|Bᵀ| 1 |B|)]A / 9, for 1-D transforms bt (n×n), g (n×3), at (m×n). */
function amplification(bt: number[][], g: number[][], at: number[][]): number {
  const absRowSums = (m: number[][]): number[] => m.map((row) => row.reduce((sum, v) => sum + Math.abs(v), 0));
  const b = absRowSums(bt);
  const gg = absRowSums(g);
  const n = b.length;
  let largest = 0;
  for (const ai of at)
    for (const aj of at) {
      let sum = 0;
      for (let p = 0; p < n; p++)
        for (let q = 0; q < n; q++) sum += Math.abs(ai[p]!) * Math.abs(aj[q]!) * gg[p]! * gg[q]! * b[p]! * b[q]!;
      largest = Math.max(largest, sum);
    }
  return largest / 9;
}

const F2_AMPLIFICATION = amplification(
  [
    [1, 0, -1, 0],
    [0, 1, 1, 0],
    [0, -1, 1, 0],
    [0, 1, 0, -1],
  ],
  [
    [1, 0, 0],
    [0.5, 0.5, 0.5],
    [0.5, -0.5, 0.5],
    [0, 0, 1],
  ],
  [
    [1, 1, 1, 0],
    [0, 1, -1, -1],
  ],
);
const F4_MATRICES = {
  bt: [
    [4, 0, -5, 0, 1, 0],
    [0, -4, -4, 1, 1, 0],
    [0, 4, -4, -1, 1, 0],
    [0, -2, -1, 2, 1, 0],
    [0, 2, -1, -2, 1, 0],
    [0, 4, 0, -5, 0, 1],
  ],
  g: [
    [1 / 4, 0, 0],
    [-1 / 6, -1 / 6, -1 / 6],
    [-1 / 6, 1 / 6, -1 / 6],
    [1 / 24, 1 / 12, 1 / 6],
    [1 / 24, -1 / 12, 1 / 6],
    [0, 0, 1],
  ],
  at: [
    [1, 1, 1, 1, 1, 0],
    [0, 1, -1, 2, -2, 0],
    [0, 1, 1, 4, 4, 0],
    [0, 1, -1, 8, -8, 1],
  ],
};
const F4_AMPLIFICATION = amplification(F4_MATRICES.bt, F4_MATRICES.g, F4_MATRICES.at);

/** max |got − want| within ((Cin + roundings)·amplification + 9·Cin)·u·max S, S the conv of absolute values. */
function expectWithinBound(v: Variant, got: Float32Array, want: Float32Array, s: Float32Array, summed: number): void {
  expect(got.length).toBe(want.length);
  let err = 0;
  let scale = 0;
  for (let i = 0; i < got.length; i++) {
    err = Math.max(err, Math.abs(got[i]! - want[i]!));
    scale = Math.max(scale, s[i]!);
  }
  expect(err).toBeLessThanOrEqual(((summed + v.roundings) * v.amplification + 9 * summed) * U * scale);
}

const kernels = loadWinogradKernels();

describe("the error bound's constants", () => {
  it("are (8/3)² for F(2×2, 3×3) and 256 for F(4×4, 3×3)", () => {
    expect(F2_AMPLIFICATION).toBeCloseTo(64 / 9, 10);
    expect(F4_AMPLIFICATION).toBeCloseTo(256, 10);
  });
});

describe("Winograd selection", () => {
  const base = geometryOf([2, 9, 9, 16], [3, 3, 16, 16], { strides: 1, pad: "same" }, false);
  it("covers 3×3 stride-1 undilated convs only", () => {
    expect(winogradApplies(base)).toBe(true);
    expect(winogradApplies({ ...base, strideH: 2, strideW: 2 })).toBe(false);
    expect(winogradApplies({ ...base, dilH: 2, dilW: 2 })).toBe(false);
    expect(winogradApplies({ ...base, kH: 5, kW: 5 })).toBe(false);
  });
  it("FIGS_WINOGRAD=1 forces F(2×2) where it applies, 4 forces F(4×4), 0 turns both off", () => {
    expect(convMethod(base, "forward", "1")).toBe("f2");
    expect(convMethod(base, "inputGrad", "4")).toBe("f4");
    expect(convMethod({ ...base, kH: 5, kW: 5 }, "forward", "4")).toBe("im2col");
    expect(winogradChosen(base, "forward", "1")).toBe(true);
    expect(winogradChosen(base, "inputGrad", "0")).toBe(false);
    expect(winogradChosen({ ...base, strideH: 2, strideW: 2 }, "forward", "1")).toBe(false);
  });
  it("by default, takes F(4×4) wherever Winograd applies up to 256 × 256 channels, F(2×2) beyond", () => {
    expect(convMethod(base, "forward", undefined)).toBe("f4");
    expect(convMethod(base, "inputGrad", undefined)).toBe("f4");
    expect(convMethod({ ...base, inC: 3 }, "forward", undefined)).toBe("f4");
    const small = geometryOf([2, 7, 7, 16], [3, 3, 16, 16], { strides: 1, pad: "same" }, false);
    expect(convMethod(small, "inputGrad", undefined)).toBe("f4");
    expect(convMethod({ ...base, inC: 256, outC: 256 }, "forward", undefined)).toBe("f4");
    expect(convMethod({ ...base, inC: 512, outC: 512 }, "inputGrad", undefined)).toBe("f2");
    expect(convMethod(base, "filterGrad", undefined)).toBe("f4");
    expect(convMethod({ ...base, inC: 512, outC: 512 }, "filterGrad", undefined)).toBe("f2"); // im2col: no F(2×2) dW
    expect(convMethod({ ...base, strideH: 2, strideW: 2 }, "forward", undefined)).toBe("im2col");
  });
  it("is offered exactly when the addon loads (nothing else requires it)", () => {
    expect(kernels === null).toBe(loadNativeEngine() === null);
  });
});

const variants: Variant[] =
  kernels === null
    ? []
    : [
        {
          name: "F(2×2, 3×3)",
          forward: kernels.forward,
          inputGrad: kernels.inputGrad,
          amplification: F2_AMPLIFICATION,
          roundings: 10,
        },
        ...(kernels.forward4 && kernels.inputGrad4
          ? [
              {
                name: "F(4×4, 3×3)",
                forward: kernels.forward4,
                inputGrad: kernels.inputGrad4,
                amplification: F4_AMPLIFICATION,
                roundings: 25,
              },
            ]
          : []),
      ];

it("the addon has both Winograd variants", () => {
  expect(variants.length).toBe(kernels === null ? 0 : 2);
});

for (const v of variants) {
  const k = kernels!;
  describe(`native Winograd ${v.name} matches cpu and im2col`, () => {
    it("rejects geometries it does not cover", () => {
      const g = geometryOf([1, 6, 6, 2], [3, 3, 2, 2], { strides: 2, pad: "same" }, false);
      const y = new Float32Array(g.batch * g.outH * g.outW * g.outC);
      expect(() => v.forward(new Float32Array(72), new Float32Array(36), g, y)).toThrow(/Winograd/);
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
          const got = run(v.forward, p.x.values, p.filter.values, p.g, n);
          expectWithinBound(v, got, want, s, c.cin);
          expectWithinBound(v, got, run(k.im2colForward, p.x.values, p.filter.values, p.g, n), s, c.cin);
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
          const got = run(v.inputGrad, p.dy.values, p.filter.values, p.g, n);
          expectWithinBound(v, got, want, s, c.cout);
          expectWithinBound(v, got, run(k.im2colInputGrad, p.dy.values, p.filter.values, p.g, n), s, c.cout);
        }),
        { numRuns: 60, seed: 0x3a9f },
      );
    });
  });
}

// The filter gradient by F(4×4, 3×3) transposed (native/src/winograd4.cc): ∂/∂g = Gᵀ[Σ_tiles (A dy Aᵀ) ⊙
// (Bᵀ d B)]G. By the argument at the top, with the sum over tiles instead of channels: each dW is a GEMM sum
// over the tiles (T of them) with ~25 transform roundings around it, and the absolute-value bracket
// |Gᵀ|[(|A| 1 |A|ᵀ) ⊙ (|Bᵀ| 1 |B|)]|G| of all-ones tiles over the 16 products Σ|x||dy| of one tile and tap is
// `FILTER_AMPLIFICATION`; the cpu reference sums P = N·outH·outW products. Hence
//   max |winograd − reference| ≤ ((T + 25) · amplification + P) · u · max S, S the filter gradient of |x|, |dy|.
function filterAmplification(bt: number[][], g: number[][], at: number[][]): number {
  const n = bt.length;
  const absColumnSums = (m: number[][]): number[] =>
    Array.from({ length: m[0]!.length }, (_, j) => m.reduce((sum, row) => sum + Math.abs(row[j]!), 0));
  const a = absColumnSums(at); // |A| 1: row p of A is column p of Aᵀ
  const b = bt.map((row) => row.reduce((sum, v) => sum + Math.abs(v), 0));
  let largest = 0;
  for (let r = 0; r < 3; r++)
    for (let q = 0; q < 3; q++) {
      let sum = 0;
      for (let p = 0; p < n; p++)
        for (let s = 0; s < n; s++) sum += Math.abs(g[p]![r]!) * Math.abs(g[s]![q]!) * a[p]! * a[s]! * b[p]! * b[s]!;
      largest = Math.max(largest, sum);
    }
  return largest / 16;
}

const F4_FILTER_AMPLIFICATION = filterAmplification(F4_MATRICES.bt, F4_MATRICES.g, F4_MATRICES.at);

for (const k of kernels?.filterGrad4 === undefined ? [] : [kernels]) {
  const filterGrad4 = k.filterGrad4!;
  describe("native Winograd F(4×4, 3×3) filter gradient matches cpu and im2col", () => {
    it("has a finite amplification", () => {
      expect(F4_FILTER_AMPLIFICATION).toBeGreaterThan(1);
      expect(F4_FILTER_AMPLIFICATION).toBeLessThan(1000);
    });

    it("filter gradient", async () => {
      await fc.assert(
        fc.asyncProperty(caseArb, async (c) => {
          const p = problem(c);
          const n = p.filter.values.length;
          const attrs = { ...p.attrs, filterShape: p.filter.shape };
          const want = await runOn("cpu", "Conv2DBackpropFilter", { x: p.x, dy: p.dy }, attrs);
          const s = await runOn(
            "cpu",
            "Conv2DBackpropFilter",
            { x: { ...p.x, values: abs(p.x.values) }, dy: { ...p.dy, values: abs(p.dy.values) } },
            attrs,
          );
          const got = new Float32Array(n).fill(Number.NaN);
          filterGrad4(p.x.values, p.dy.values, p.g, got);
          const tiles = p.g.batch * Math.ceil(p.g.outH / 4) * Math.ceil(p.g.outW / 4);
          const pixels = p.g.batch * p.g.outH * p.g.outW;
          const bound = ((tiles + 25) * F4_FILTER_AMPLIFICATION + pixels) * U * Math.max(...s);
          let err = 0;
          for (let i = 0; i < n; i++) err = Math.max(err, Math.abs(got[i]! - want[i]!));
          expect(err).toBeLessThanOrEqual(bound);
        }),
        { numRuns: 60, seed: 0x3aa0 },
      );
    });
  });
}
