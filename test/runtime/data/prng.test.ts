import { describe, expect, it } from "vitest";
import { Prng, isPrngState, mixSeeds } from "../../../runtime/data/prng.js";

function draws(rng: Prng, n: number): number[] {
  return Array.from({ length: n }, () => rng.nextUint32());
}

describe("Prng (xoshiro128**)", () => {
  it("gives the same stream for the same seed and different streams for nearby seeds", () => {
    expect(draws(Prng.fromSeed(42), 20)).toEqual(draws(Prng.fromSeed(42), 20));
    expect(draws(Prng.fromSeed(42), 20)).not.toEqual(draws(Prng.fromSeed(43), 20));
  });

  it("matches the reference xoshiro128** output for a known state", () => {
    // State [1, 2, 3, 4]: the reference C implementation's first outputs.
    const rng = Prng.fromState({ algorithm: "xoshiro128**", words: [1, 2, 3, 4] })!;
    expect(draws(rng, 6)).toEqual([11520, 0, 5927040, 70819200, 2031721883, 1637235492]);
  });

  it("resumes exactly from a state that went through JSON", () => {
    const rng = Prng.fromSeed(7);
    draws(rng, 13);
    const saved = JSON.parse(JSON.stringify(rng.state())) as unknown;
    const expected = draws(rng, 50);
    const resumed = Prng.fromState(saved);
    expect(resumed).toBeDefined();
    expect(draws(resumed!, 50)).toEqual(expected);
  });

  it("rejects malformed states", () => {
    expect(Prng.fromState({ algorithm: "mt19937", words: [1, 2, 3, 4] })).toBeUndefined();
    expect(Prng.fromState({ algorithm: "xoshiro128**", words: [1, 2, 3] })).toBeUndefined();
    expect(isPrngState({ algorithm: "xoshiro128**", words: [1, 2, 3, 2 ** 32] })).toBe(false);
    expect(isPrngState(null)).toBe(false);
  });

  it("draws floats in [0, 1) and bounded integers without bias over a small range", () => {
    const rng = Prng.fromSeed(1);
    const counts = [0, 0, 0];
    for (let i = 0; i < 3000; i++) {
      const f = rng.nextFloat();
      expect(f >= 0 && f < 1).toBe(true);
      counts[rng.nextInt(3)]! += 1;
    }
    for (const count of counts) expect(count).toBeGreaterThan(850);
  });

  it("makes permutations", () => {
    const order = Prng.fromSeed(5).permutation(100);
    expect(Array.from(order).sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(Array.from(order)).not.toEqual(Array.from({ length: 100 }, (_, i) => i));
  });

  it("mixes seeds order-sensitively", () => {
    expect(mixSeeds(1, 2)).toBe(mixSeeds(1, 2));
    expect(mixSeeds(1, 2)).not.toBe(mixSeeds(2, 1));
    expect(mixSeeds(0, 2 ** 32)).not.toBe(mixSeeds(0, 0));
  });
});
