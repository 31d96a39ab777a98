// The native thread pool must run every chunk of a call before it returns,
// also when calls follow each other at once: a worker still finishing the
// previous call once claimed a chunk of the next one with a stale index and
// counted it as done, so a call could return with a row not yet written
// (FusedDepthwiseConv2D differed from cpu by ~1 in about one `npm test` of four).
import { describe, expect, it } from "vitest";
import { geometryOf } from "../../runtime/kernels/geometry.js";
import { loadNativeEngine } from "../../runtime/kernels/native.js";
import { maxAbsDiff, randomValues } from "./helpers.js";

const native = loadNativeEngine(2);

describe.runIf(native !== null)("the native pool under back-to-back calls", () => {
  it("computes every row of 20,000 consecutive two-row depthwise convolutions", () => {
    const attrs = {
      strides: [1, 1],
      pad: "same",
      dilations: [1, 1],
      dataFormat: "NHWC",
      dimRoundingMode: "floor",
    } as never;
    const g = geometryOf([1, 2, 2, 3], [1, 1, 3, 1], attrs, true);
    const x = randomValues(12, 16);
    const w = randomValues(3, 17);
    // A 1×1 depthwise filter scales each channel: y[p, c] = x[p, c] · w[c].
    const want = x.map((v, i) => v * w[i % 3]!);
    const got = new Float32Array(12);
    let worst = 0;
    for (let i = 0; i < 20_000; i++) {
      got.fill(Number.NaN);
      native!.depthwiseForward!(x, w, g, got);
      worst = Math.max(worst, maxAbsDiff(got, want));
      if (!(worst <= 1e-6)) break;
    }
    expect(worst).toBeLessThanOrEqual(1e-6);
  });
});
