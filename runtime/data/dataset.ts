// The in-memory dataset every loader returns, and the normalisation that turns
// raw pixels into the network's input.
import { fail, ok, refuse, type Result } from "./errors.js";

/** One split: images NHWC, normalised, row-major; labels are class indices. */
export interface Split {
  readonly images: Float32Array;
  readonly labels: Int32Array;
  readonly count: number;
  readonly height: number;
  readonly width: number;
  readonly channels: number;
}

/** Per-channel statistics of pixels scaled to [0, 1]: input = (pixel / 255 - mean) / std. */
export interface Normalisation {
  readonly mean: readonly number[];
  readonly std: readonly number[];
}

export interface Dataset {
  readonly name: string;
  readonly train: Split;
  /** Held out of the original training set when a validation split was asked for. */
  readonly validation?: Split;
  readonly test: Split;
  readonly classes: number;
  readonly classNames: readonly string[];
  /** What was applied to the images, so export and retrain can apply it again. */
  readonly normalisation: Normalisation;
  /** The stored value of a pixel at full intensity: 255 for bytes, 1 for float files (absent: 255). */
  readonly pixelScale?: number;
  /**
   * What each channel of the HWC images is, in order, e.g. ["red", "green", "blue"] (absent: "gray" or
   * "channel N").
   */
  readonly channelNames?: readonly string[];
}

/**
 * Published statistics of each dataset's training set (pixels in [0, 1]).
 * MNIST: the values used by the PyTorch examples. Fashion-MNIST: computed over
 * its 60,000 training images. CIFAR-10: per-channel mean and (population)
 * standard deviation of its 50,000 training images.
 */
export const NORMALISATION = {
  mnist: { mean: [0.1307], std: [0.3081] },
  fashionMnist: { mean: [0.286], std: [0.353] },
  cifar10: { mean: [0.4914, 0.4822, 0.4465], std: [0.247, 0.2435, 0.2616] },
} as const satisfies Record<string, Normalisation>;

/** Raw pixels of one split as read from disk, before normalisation. */
export interface RawSplit {
  readonly pixels: ArrayLike<number>;
  /** What a raw pixel value of 1.0 in [0, 1] corresponds to: 255 for bytes, 1 for floats. */
  readonly pixelScale: number;
  readonly labels: Int32Array;
  readonly count: number;
  readonly height: number;
  readonly width: number;
  readonly channels: number;
}

/** Normalises a raw HWC split channel by channel. */
export function normaliseSplit(raw: RawSplit, normalisation: Normalisation): Split {
  const { count, height, width, channels } = raw;
  const images = new Float32Array(count * height * width * channels);
  const scale = new Float32Array(channels);
  const shift = new Float32Array(channels);
  for (let c = 0; c < channels; c++) {
    const std = normalisation.std[c] ?? 1;
    scale[c] = 1 / (raw.pixelScale * std);
    shift[c] = (normalisation.mean[c] ?? 0) / std;
  }
  for (let i = 0; i < images.length; i++) {
    const c = i % channels;
    images[i] = (raw.pixels[i] ?? 0) * scale[c]! - shift[c]!;
  }
  return { images, labels: raw.labels, count, height, width, channels };
}

/** Mean and std per channel of a raw split, for user files without published statistics. */
export function measureNormalisation(raw: RawSplit): Normalisation {
  const sums = new Float64Array(raw.channels);
  const squares = new Float64Array(raw.channels);
  const n = raw.count * raw.height * raw.width * raw.channels;
  for (let i = 0; i < n; i++) {
    const value = (raw.pixels[i] ?? 0) / raw.pixelScale;
    sums[i % raw.channels]! += value;
    squares[i % raw.channels]! += value * value;
  }
  const perChannel = Math.max(1, n / raw.channels);
  const mean = Array.from(sums, (s) => s / perChannel);
  // A constant channel would divide by zero; std 1 leaves it merely centred.
  const std = Array.from(squares, (q, c) => Math.sqrt(Math.max(0, q / perChannel - mean[c]! ** 2)) || 1);
  return { mean, std };
}

/** Checks labels against the class count and finds the first bad one. */
export function checkLabels(labels: Int32Array, classes: number, file: string): Result<Int32Array> {
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i]!;
    if (label < 0 || label >= classes) {
      return fail(
        "corrupt",
        file,
        `label ${label} of item ${i} in ${file} is outside the ${classes} classes 0..${classes - 1}`,
      );
    }
  }
  return ok(labels);
}

/** The options every loader accepts. */
export interface LoadOptions {
  /** Keep only the first N training images; e.g. 2,000 for CI. The test set stays whole unless `testLimit`. */
  readonly limit?: number;
  /** Keep only the first N test images (default: all of them). */
  readonly testLimit?: number;
  /** Hold out part of the training set for validation, chosen by `seed`. */
  readonly validation?: { readonly fraction: number } | { readonly count: number };
  /** Seed of the validation split (default 0). */
  readonly seed?: number;
  /** Replace the dataset's statistics, e.g. to apply a search's statistics in retraining. */
  readonly normalisation?: Normalisation;
  /**
   * The class count, for files that do not record it (user IDX files): pass the
   * width of the space's logits, and a label at or past it is an error naming its
   * file and item. Without it an IDX dataset has max label + 1 classes. Datasets
   * with a known class count (MNIST, Fashion-MNIST, CIFAR-10) ignore it;
   * runtime/preflight's `dataShapeProblem` compares their count with the space.
   */
  readonly classes?: number;
}

export function checkLoadOptions(options: LoadOptions): Result<LoadOptions> {
  const { limit, testLimit, classes } = options;
  if (testLimit !== undefined && !(Number.isInteger(testLimit) && testLimit > 0)) {
    return refuse("invalidOption", `the test limit must be a positive integer, got ${testLimit}`);
  }
  if (limit !== undefined && !(Number.isInteger(limit) && limit > 0)) {
    return refuse("invalidOption", `limit must be a positive integer, got ${limit}`);
  }
  if (classes !== undefined && !(Number.isInteger(classes) && classes > 0)) {
    return refuse("invalidOption", `classes must be a positive integer, got ${classes}`);
  }
  return ok(options);
}
