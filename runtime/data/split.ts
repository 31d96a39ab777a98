// Subsets, the validation split, and the last step every loader shares:
// normalise the raw splits and hold out validation images.
import {
  normaliseSplit,
  type Dataset,
  type LoadOptions,
  type Normalisation,
  type RawSplit,
  type Split,
} from "./dataset.js";
import { ok, refuse, type Result } from "./errors.js";
import { Prng, mixSeeds } from "./prng.js";

/** Salt so the validation split and the batch order never share a random stream. */
const VALIDATION_STREAM = 0x7661;

/** The images at `indices`, in that order. */
export function subset(split: Split, indices: ArrayLike<number>): Split {
  const pixelsPerImage = split.height * split.width * split.channels;
  const images = new Float32Array(indices.length * pixelsPerImage);
  const labels = new Int32Array(indices.length);
  for (let i = 0; i < indices.length; i++) {
    const from = indices[i]!;
    images.set(split.images.subarray(from * pixelsPerImage, (from + 1) * pixelsPerImage), i * pixelsPerImage);
    labels[i] = split.labels[from]!;
  }
  return { ...split, images, labels, count: indices.length };
}

export type ValidationSpec = NonNullable<LoadOptions["validation"]>;

function validationCount(spec: ValidationSpec, total: number): Result<number> {
  const count = "fraction" in spec ? Math.round(spec.fraction * total) : spec.count;
  const asked = "fraction" in spec ? `fraction ${spec.fraction}` : `count ${spec.count}`;
  const fractionOk = !("fraction" in spec) || (spec.fraction > 0 && spec.fraction < 1);
  if (!fractionOk || !Number.isInteger(count) || count < 1 || count >= total) {
    return refuse(
      "invalidOption",
      `validation ${asked} must hold out between 1 and ${total - 1} of the ${total} training images`,
    );
  }
  return ok(count);
}

/**
 * Holds out validation images chosen at random by `seed`. Both parts keep the
 * original order of the images, so the split depends only on the seed and the
 * training set, not on anything done before.
 */
export function holdOutValidation(
  split: Split,
  spec: ValidationSpec,
  seed: number,
): Result<{ train: Split; validation: Split }> {
  const count = validationCount(spec, split.count);
  if (!count.ok) return count;
  const order = Prng.fromSeed(mixSeeds(seed, VALIDATION_STREAM)).permutation(split.count);
  const held = order.slice(0, count.value).sort();
  const kept = order.slice(count.value).sort();
  return ok({ train: subset(split, kept), validation: subset(split, held) });
}

export interface DatasetParts {
  readonly name: string;
  readonly train: RawSplit;
  readonly test: RawSplit;
  readonly classNames: readonly string[];
  readonly normalisation: Normalisation;
  /** What each channel is (CIFAR: red, green, blue); default "gray" for one channel, else "channel N". */
  readonly channelNames?: readonly string[];
}

/** Normalises both splits (the caller's statistics win) and holds out validation images if asked. */
export function assembleDataset(parts: DatasetParts, options: LoadOptions): Result<Dataset> {
  const normalisation = options.normalisation ?? parts.normalisation;
  if (normalisation.mean.length !== parts.train.channels || normalisation.std.length !== parts.train.channels) {
    return refuse(
      "invalidOption",
      `normalisation has ${normalisation.mean.length} means and ${normalisation.std.length} stds ` +
        `for ${parts.train.channels} channels`,
    );
  }
  const fullTrain = normaliseSplit(parts.train, normalisation);
  const test = normaliseSplit(parts.test, normalisation);
  const channelNames = parts.channelNames ?? defaultChannelNames(parts.train.channels);
  const base = {
    name: parts.name,
    test,
    classes: parts.classNames.length,
    classNames: parts.classNames,
    normalisation,
    pixelScale: parts.train.pixelScale,
    channelNames,
  };
  if (options.validation === undefined) return ok({ ...base, train: fullTrain });
  const split = holdOutValidation(fullTrain, options.validation, options.seed ?? 0);
  if (!split.ok) return split;
  return ok({ ...base, train: split.value.train, validation: split.value.validation });
}

function defaultChannelNames(channels: number): string[] {
  return channels === 1 ? ["gray"] : Array.from({ length: channels }, (_, c) => `channel ${c}`);
}
