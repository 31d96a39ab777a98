// Per-batch augmentation of normalised NHWC images: the usual CIFAR recipe of
// a random crop from the image padded by 4 pixels, and a horizontal flip with
// probability 1/2. Padding is 0 in normalised units, i.e. the dataset's mean
// colour, so padded borders carry no signal of their own.
import type { Prng } from "./prng.js";

export interface AugmentOptions {
  /** Pixels of zero padding on each side before a random crop back to the original size; 0 or absent: no crop. */
  readonly cropPadding?: number;
  /** Mirror each image left–right with probability 1/2. */
  readonly flip?: boolean;
}

export interface ImageShape {
  readonly count: number;
  readonly height: number;
  readonly width: number;
  readonly channels: number;
}

/** A new array with each image shifted by (dy, dx) ∈ [-pad, pad]² and possibly mirrored; the input is unchanged. */
export function augmentImages(
  images: Float32Array,
  shape: ImageShape,
  options: AugmentOptions,
  rng: Prng,
): Float32Array {
  const pad = options.cropPadding ?? 0;
  const out = new Float32Array(images.length);
  const imageSize = shape.height * shape.width * shape.channels;
  for (let n = 0; n < shape.count; n++) {
    const dy = pad > 0 ? rng.nextInt(2 * pad + 1) - pad : 0;
    const dx = pad > 0 ? rng.nextInt(2 * pad + 1) - pad : 0;
    const flip = options.flip === true && rng.nextUint32() >= 0x80000000;
    const source = images.subarray(n * imageSize, (n + 1) * imageSize);
    copyShifted(source, out.subarray(n * imageSize, (n + 1) * imageSize), shape, { dy, dx, flip });
  }
  return out;
}

/** out[y][x] = in[y + dy][x' + dx] with x' mirrored when flipping; pixels from outside the image stay 0. */
function copyShifted(
  source: Float32Array,
  target: Float32Array,
  shape: ImageShape,
  move: { dy: number; dx: number; flip: boolean },
): void {
  const { height, width, channels } = shape;
  for (let y = 0; y < height; y++) {
    const sy = y + move.dy;
    if (sy < 0 || sy >= height) continue;
    for (let x = 0; x < width; x++) {
      const sx = (move.flip ? width - 1 - x : x) + move.dx;
      if (sx < 0 || sx >= width) continue;
      const from = (sy * width + sx) * channels;
      const to = (y * width + x) * channels;
      for (let c = 0; c < channels; c++) target[to + c] = source[from + c]!;
    }
  }
}
