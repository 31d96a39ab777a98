/**
 * Math.random from a seeded, checkpointable generator while a run trains.
 *
 * tfjs-layers draws weight initialisers and dropout masks from tf.random*
 * ops without a seed, which seed themselves from Math.random. Same seed → same
 * arch.json needs those draws to repeat, and a resumed run needs them to
 * continue where the checkpoint left them; so for the length of a run
 * Math.random is this Prng, and its state goes into every checkpoint.
 */
import { Prng, type PrngState } from "../data/prng.js";

export interface SeededRandom {
  readonly prng: Prng;
  /** Puts the original Math.random back; call it in a finally. */
  restore(): void;
}

export function installSeededRandom(seed: number, state?: PrngState): SeededRandom {
  const prng = (state !== undefined ? Prng.fromState(state) : undefined) ?? Prng.fromSeed(seed);
  const original = Math.random;
  Math.random = () => prng.nextFloat();
  return {
    prng,
    restore: () => {
      Math.random = original;
    },
  };
}
