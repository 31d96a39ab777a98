/**
 * FP-NAS's adaptive sampling (Yan et al., "FP-NAS: Fast Probabilistic Neural
 * Architecture Search", CVPR 2021; ../shared/papers/related-abstracts.md):
 * several mask samples per step, each on its own slice of the batch, more
 * while the mask distribution is uncertain and fewer as it sharpens.
 *
 * figs's rule (docs/search.md): with H the mean binary entropy of the masks,
 * H = mean_i h(π_i), h(p) = −p·log2 p − (1−p)·log2(1−p), and H₀ its value at
 * the initial ν (every π_i = sigmoid(ν₀)),
 *
 *   k = clamp(round(K · H / H₀), 1, K)
 *
 * for `--samples K`: K samples at the start, one once the masks have become
 * nearly certain. H₀ comes from the settings, not the run, so a resumed run
 * chooses the same k as an uninterrupted one.
 */

/** h(p) in bits; 0 at p = 0 and p = 1. */
export function binaryEntropy(p: number): number {
  if (p <= 0 || p >= 1) return 0;
  return -(p * Math.log2(p) + (1 - p) * Math.log2(1 - p));
}

/** Mean binary entropy of the masks at logits ν. */
export function maskEntropy(nu: ArrayLike<number>): number {
  if (nu.length === 0) return 0;
  let total = 0;
  for (let i = 0; i < nu.length; i++) total += binaryEntropy(1 / (1 + Math.exp(-(nu[i] as number))));
  return total / nu.length;
}

/** How many mask samples a step takes (the rule above); 1 when K = 1 or the masks start certain. */
export function samplesForEntropy(entropy: number, initialLogit: number, maxSamples: number): number {
  const initial = binaryEntropy(1 / (1 + Math.exp(-initialLogit)));
  if (maxSamples <= 1 || initial <= 0) return 1;
  return Math.min(maxSamples, Math.max(1, Math.round((maxSamples * entropy) / initial)));
}

/** A batch of `size` split into k contiguous slices as equal as can be: their [start, length]. */
export function batchSlices(size: number, k: number): [number, number][] {
  const count = Math.max(1, Math.min(k, size));
  const slices: [number, number][] = [];
  let start = 0;
  for (let j = 0; j < count; j++) {
    const length = Math.floor(size / count) + (j < size % count ? 1 : 0);
    slices.push([start, length]);
    start += length;
  }
  return slices;
}
