// xoshiro128** (Blackman and Vigna): a small, fast generator whose whole state
// is four 32-bit words, so it can be written into a checkpoint and resumed
// exactly. Seeds are expanded with splitmix32 so nearby seeds give unrelated
// streams.

/** The serialisable state of a Prng: JSON-safe, goes into checkpoints. */
export interface PrngState {
  readonly algorithm: "xoshiro128**";
  readonly words: readonly [number, number, number, number];
}

function splitmix32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** Mixes several integers (seed, epoch, batch…) into one seed, order-sensitive. */
export function mixSeeds(...parts: number[]): number {
  let hash = 0x811c9dc5;
  for (const part of parts) {
    const high = Math.floor(part / 0x100000000) >>> 0;
    hash = splitmix32(hash ^ (part >>> 0))();
    hash = splitmix32(hash ^ high)();
  }
  return hash;
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

export class Prng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  private constructor(words: readonly [number, number, number, number]) {
    [this.s0, this.s1, this.s2, this.s3] = words.map((w) => w >>> 0) as [number, number, number, number];
    // The all-zero state is the one state xoshiro never leaves.
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  static fromSeed(seed: number): Prng {
    const next = splitmix32(seed);
    return new Prng([next(), next(), next(), next()]);
  }

  /** Undefined when `state` is not a PrngState (e.g. a hand-edited checkpoint). */
  static fromState(state: unknown): Prng | undefined {
    if (!isPrngState(state)) return undefined;
    return new Prng(state.words);
  }

  state(): PrngState {
    return { algorithm: "xoshiro128**", words: [this.s0, this.s1, this.s2, this.s3] };
  }

  /** A uniform 32-bit unsigned integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5) >>> 0, 7), 9) >>> 0;
    const t = (this.s1 << 9) >>> 0;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 = (this.s2 ^ t) >>> 0;
    this.s3 = rotl(this.s3 >>> 0, 11);
    this.s0 >>>= 0;
    this.s1 >>>= 0;
    return result;
  }

  /** A uniform float in [0, 1) with 32 random bits. */
  nextFloat(): number {
    return this.nextUint32() / 0x100000000;
  }

  /** A uniform integer in [0, bound), without modulo bias. */
  nextInt(bound: number): number {
    if (!Number.isInteger(bound) || bound <= 0 || bound > 0x100000000) {
      throw new RangeError(`nextInt bound must be an integer in 1..2^32, got ${bound}`);
    }
    const limit = 0x100000000 - (0x100000000 % bound);
    for (;;) {
      const value = this.nextUint32();
      if (value < limit) return value % bound;
    }
  }

  /** Fisher–Yates shuffle in place; returns the same array. */
  shuffle<T extends { length: number; [index: number]: unknown }>(items: T): T {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.nextInt(i + 1);
      const held = items[i];
      items[i] = items[j];
      items[j] = held;
    }
    return items;
  }

  /** A random permutation of 0..count-1. */
  permutation(count: number): Int32Array {
    const order = new Int32Array(count);
    for (let i = 0; i < count; i++) order[i] = i;
    return this.shuffle(order);
  }
}

export function isPrngState(value: unknown): value is PrngState {
  if (typeof value !== "object" || value === null) return false;
  const candidate = value as { algorithm?: unknown; words?: unknown };
  return (
    candidate.algorithm === "xoshiro128**" &&
    Array.isArray(candidate.words) &&
    candidate.words.length === 4 &&
    candidate.words.every((w) => Number.isInteger(w) && w >= 0 && w <= 0xffffffff)
  );
}
