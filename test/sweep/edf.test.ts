// The statistics of `figs diff --trained` (runtime/sweep/edf.ts), checked against examples computed by hand.
import { describe, expect, it } from "vitest";
import {
  edfAt,
  ksBootstrap,
  ksDistance,
  normalisedEdfs,
  normalisedWeights,
  paretoShares,
  type TrainedModel,
} from "../../runtime/sweep/edf.js";

const model = (error: number, logComplexity: number): TrainedModel => ({ error, complexity: Math.exp(logComplexity) });

/*
 * Two spaces × 4 models, given by (error, log-complexity). Pooled log range [0, 2], B = 2 bins: [0, 1) and [1, 2].
 *   A: (0.10, 0.0) (0.20, 0.2) (0.30, 0.6) (0.40, 1.7) → bins 0 0 0 1, counts [3, 1]
 *   B: (0.15, 0.8) (0.25, 1.2) (0.35, 1.6) (0.05, 2.0) → bins 0 1 1 1, counts [1, 3]
 * Both bins are non-empty in both spaces: 2 kept bins, w = 1 / (count · 2):
 *   A: 1/6 1/6 1/6 1/2        B: 1/2 1/6 1/6 1/6        (each sums to 1)
 * F(e) = Σ w_i·1[e_i < e]:
 *   F_A: 0 up to 0.10, 1/6 on (0.10, 0.20], 2/6 on (0.20, 0.30], 3/6 on (0.30, 0.40], 1 past 0.40
 *   F_B: 0 up to 0.05, 1/6 on (0.05, 0.15], 4/6 on (0.15, 0.25], 5/6 on (0.25, 0.35], 1 past 0.35
 * |F_A − F_B| just past 0.05 0.10 0.15 0.20 0.25 0.30 0.35 0.40: 1/6 0 1/2 1/3 1/2 1/3 1/2 0, so D = 1/2.
 */
const A = [model(0.1, 0), model(0.2, 0.2), model(0.3, 0.6), model(0.4, 1.7)];
const B = [model(0.15, 0.8), model(0.25, 1.2), model(0.35, 1.6), model(0.05, 2)];

describe("the complexity-normalised EDF", () => {
  it("weighs each model 1/(its space's models in its bin), normalised per space", () => {
    const w = normalisedWeights([A, B], 2);
    expect(w.counts).toEqual([
      [3, 1],
      [1, 3],
    ]);
    expect(w.kept).toEqual([true, true]);
    expect(w.weights[0]!.map((x) => x * 6)).toEqual([1, 1, 1, 3].map((x) => expect.closeTo(x, 12)));
    expect(w.weights[1]!.map((x) => x * 6)).toEqual([3, 1, 1, 1].map((x) => expect.closeTo(x, 12)));
    expect(w.edges).toEqual([0, 1, 2].map((x) => expect.closeTo(x, 12)));
  });

  it("is F(e) = Σ w_i·1[e_i < e], a step function", () => {
    const [fa, fb] = normalisedEdfs([A, B], 2)!;
    const at = (steps: typeof fa, es: number[]) => es.map((e) => edfAt(steps!, e));
    expect(at(fa, [0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5])).toEqual(
      [0, 1 / 6, 1 / 6, 2 / 6, 2 / 6, 3 / 6, 3 / 6, 1].map((x) => expect.closeTo(x, 12)),
    );
    expect(at(fb, [0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4])).toEqual(
      [0, 1 / 6, 1 / 6, 4 / 6, 4 / 6, 5 / 6, 5 / 6, 1].map((x) => expect.closeTo(x, 12)),
    );
  });

  /*
   * B = 4 bins of width 0.5: A → bins 0 0 1 3, counts [2, 1, 0, 1]; B → bins 1 2 3 3, counts [0, 1, 1, 2].
   * Kept: bins 1 and 3. A: 0 0 1/2 1/2; B: 1/2 0 1/4 1/4.
   */
  it("drops a bin empty in any space", () => {
    const w = normalisedWeights([A, B], 4);
    expect(w.kept).toEqual([false, true, false, true]);
    expect(w.weights[0]).toEqual([0, 0, 0.5, 0.5]);
    expect(w.weights[1]).toEqual([0.5, 0, 0.25, 0.25]);
  });

  it("is undefined when no bin holds models of every space", () => {
    expect(normalisedEdfs([[model(0.1, 0)], [model(0.1, 2)]], 2)).toBeUndefined();
  });
});

describe("the KS distance", () => {
  it("is the hand-computed sup |F_A − F_B| = 1/2", () => {
    const [fa, fb] = normalisedEdfs([A, B], 2)!;
    expect(ksDistance(fa!, fb!)).toBeCloseTo(0.5, 12);
    expect(ksDistance(fa!, fa!)).toBe(0);
  });

  it("has a bootstrap interval around the estimate, the same for a seed", () => {
    const a = Array.from({ length: 30 }, (_, i) => model(0.1 + 0.01 * ((i * 7) % 30), 1 + (i % 10) / 10));
    const b = Array.from({ length: 30 }, (_, i) => model(0.15 + 0.01 * ((i * 11) % 30), 1 + (i % 9) / 9));
    const first = ksBootstrap(a, b, { bins: 3, resamples: 1000, seed: 7 })!;
    expect(first.resamples).toBe(1000);
    expect(first.low!).toBeLessThanOrEqual(first.d);
    expect(first.high!).toBeGreaterThanOrEqual(first.d);
    expect(ksBootstrap(a, b, { bins: 3, resamples: 1000, seed: 7 })).toEqual(first);
    expect(ksBootstrap(a, b, { bins: 3, resamples: 1000, seed: 8 })).not.toEqual(first);
    expect(ksBootstrap(A, B, { bins: 2, resamples: 10 })!.d).toBeCloseTo(0.5, 12);
  });
});

describe("the Pareto shares", () => {
  /*
   * (error, cost): A (0.10, 10) (0.20, 5) (0.30, 20); B (0.15, 8) (0.05, 30) (0.40, 1).
   * By error: 0.05/30 B front, 0.10/10 A front, 0.15/8 B front, 0.20/5 A front, 0.30/20 dominated, 0.40/1 B front.
   */
  it("counts each space's models on the joint (error, cost) front", () => {
    const cost = (error: number, complexity: number): TrainedModel => ({ error, complexity });
    const shares = paretoShares([
      [cost(0.1, 10), cost(0.2, 5), cost(0.3, 20)],
      [cost(0.15, 8), cost(0.05, 30), cost(0.4, 1)],
    ]);
    expect(shares).toEqual([
      { front: 2, share: 0.4 },
      { front: 3, share: 0.6 },
    ]);
  });
});
