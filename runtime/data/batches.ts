// Mini-batches of a split, as plain arrays or as tfjs tensors. The order of
// an epoch and each batch's augmentation are drawn from streams keyed by
// (seed, epoch, batch), not from a generator carried along, so a run resumed
// from a checkpoint at any step sees exactly the batches it would have seen.
import * as tf from "@tensorflow/tfjs";
import type { Split } from "./dataset.js";
import { augmentImages, type AugmentOptions } from "./augment.js";
import { ok, refuse, type Result } from "./errors.js";
import { Prng, mixSeeds } from "./prng.js";

const ORDER_STREAM = 0x6f72;
const AUGMENT_STREAM = 0x6175;

export interface BatchOptions {
  readonly batchSize: number;
  /** Visit the images in a random order drawn from (seed, epoch); default true. */
  readonly shuffle?: boolean;
  readonly seed?: number;
  readonly epoch?: number;
  /** Skip the epoch's first batches, e.g. to resume mid-epoch. */
  readonly startBatch?: number;
  readonly augment?: AugmentOptions;
  /** Leave out a last batch smaller than batchSize (default false). */
  readonly dropRemainder?: boolean;
}

export interface ArrayBatch {
  /** count × height × width × channels, NHWC. */
  readonly images: Float32Array;
  readonly labels: Int32Array;
  readonly count: number;
  /** Position of the batch in its epoch. */
  readonly index: number;
}

export interface TensorBatch {
  readonly images: tf.Tensor4D;
  /** int32 class indices; tf.oneHot(labels, classes) when a loss wants one-hot targets. */
  readonly labels: tf.Tensor1D;
  readonly count: number;
  readonly index: number;
}

/** For user-supplied settings (`--batch-size`): an error value instead of a RangeError later. */
export function checkBatchOptions(options: BatchOptions): Result<BatchOptions> {
  const { batchSize, startBatch = 0, augment } = options;
  if (!Number.isInteger(batchSize) || batchSize < 1)
    return refuse("invalidOption", `batch size must be a positive integer, got ${batchSize}`);
  if (!Number.isInteger(startBatch) || startBatch < 0)
    return refuse("invalidOption", `start batch must be a non-negative integer, got ${startBatch}`);
  const pad = augment?.cropPadding ?? 0;
  if (!Number.isInteger(pad) || pad < 0)
    return refuse("invalidOption", `crop padding must be a non-negative integer, got ${pad}`);
  return ok(options);
}

/** Batches per epoch of `split` under `options`. */
export function batchCount(split: Split, options: BatchOptions): number {
  const whole = Math.floor(split.count / options.batchSize);
  return options.dropRemainder === true || split.count % options.batchSize === 0 ? whole : whole + 1;
}

/** The order in which an epoch visits the images. */
export function epochOrder(split: Split, options: BatchOptions): Int32Array {
  if (options.shuffle === false) return Int32Array.from({ length: split.count }, (_, i) => i);
  return Prng.fromSeed(mixSeeds(options.seed ?? 0, options.epoch ?? 0, ORDER_STREAM)).permutation(split.count);
}

/** Yields one epoch of fresh arrays (never views of the split), so a consumer may keep or hand them off. */
export function* arrayBatches(split: Split, options: BatchOptions): Generator<ArrayBatch> {
  const checked = checkBatchOptions(options);
  if (!checked.ok) throw new RangeError(checked.diagnostic.message);
  const order = epochOrder(split, options);
  const imageSize = split.height * split.width * split.channels;
  for (let index = options.startBatch ?? 0; index < batchCount(split, options); index++) {
    const members = order.subarray(index * options.batchSize, (index + 1) * options.batchSize);
    const images = new Float32Array(members.length * imageSize);
    const labels = new Int32Array(members.length);
    members.forEach((image, i) => {
      images.set(split.images.subarray(image * imageSize, (image + 1) * imageSize), i * imageSize);
      labels[i] = split.labels[image]!;
    });
    yield { images: augmentBatch(images, split, members.length, index, options), labels, count: members.length, index };
  }
}

function augmentBatch(
  images: Float32Array,
  split: Split,
  count: number,
  index: number,
  options: BatchOptions,
): Float32Array {
  const augment = options.augment;
  if (augment === undefined || ((augment.cropPadding ?? 0) === 0 && augment.flip !== true)) return images;
  const rng = Prng.fromSeed(mixSeeds(options.seed ?? 0, options.epoch ?? 0, index, AUGMENT_STREAM));
  return augmentImages(
    images,
    { count, height: split.height, width: split.width, channels: split.channels },
    augment,
    rng,
  );
}

/**
 * Yields one epoch as tensors. A batch's tensors are disposed when the loop
 * asks for the next batch or leaves (break, return, throw), so a training
 * loop leaks nothing; tf.clone what must outlive its step.
 */
export function* tensorBatches(split: Split, options: BatchOptions): Generator<TensorBatch> {
  for (const batch of arrayBatches(split, options)) {
    // The fresh Float32Array is handed to tfjs as the tensor's storage: no second copy.
    const images = tf.tensor4d(batch.images, [batch.count, split.height, split.width, split.channels], "float32");
    const labels = tf.tensor1d(batch.labels, "int32");
    try {
      yield { images, labels, count: batch.count, index: batch.index };
    } finally {
      tf.dispose([images, labels]);
    }
  }
}
