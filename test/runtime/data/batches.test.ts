import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { augmentImages } from "../../../runtime/data/augment.js";
import {
  arrayBatches,
  batchCount,
  checkBatchOptions,
  epochOrder,
  tensorBatches,
} from "../../../runtime/data/batches.js";
import type { Split } from "../../../runtime/data/dataset.js";
import { Prng } from "../../../runtime/data/prng.js";
import { holdOutValidation } from "../../../runtime/data/split.js";
import { errorOf, valueOf } from "./helpers.js";

/** `count` images of 3×4×2 whose every value identifies image, row, column and channel. */
function syntheticSplit(count: number): Split {
  const [height, width, channels] = [3, 4, 2];
  const images = Float32Array.from({ length: count * height * width * channels }, (_, i) => i);
  const labels = Int32Array.from({ length: count }, (_, i) => i);
  return { images, labels, count, height, width, channels };
}

function labelsOf(split: Split, options: Parameters<typeof arrayBatches>[1]): number[][] {
  return Array.from(arrayBatches(split, options), (b) => Array.from(b.labels));
}

beforeAll(async () => {
  await tf.setBackend("cpu");
});

describe("shuffling and the validation split", () => {
  const split = syntheticSplit(50);

  it("visits every image once per epoch, in an order fixed by (seed, epoch)", () => {
    const order = labelsOf(split, { batchSize: 8, seed: 1, epoch: 0 });
    expect(order.map((b) => b.length)).toEqual([8, 8, 8, 8, 8, 8, 2]);
    expect(order.flat().sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(labelsOf(split, { batchSize: 8, seed: 1, epoch: 0 })).toEqual(order);
    expect(labelsOf(split, { batchSize: 8, seed: 2, epoch: 0 })).not.toEqual(order);
    expect(labelsOf(split, { batchSize: 8, seed: 1, epoch: 1 })).not.toEqual(order);
    expect(labelsOf(split, { batchSize: 8, shuffle: false }).flat()).toEqual(Array.from({ length: 50 }, (_, i) => i));
  });

  it("resumes mid-epoch with startBatch and can drop the short last batch", () => {
    const whole = labelsOf(split, { batchSize: 8, seed: 4, epoch: 2 });
    expect(labelsOf(split, { batchSize: 8, seed: 4, epoch: 2, startBatch: 5 })).toEqual(whole.slice(5));
    expect(batchCount(split, { batchSize: 8, dropRemainder: true })).toBe(6);
    expect(labelsOf(split, { batchSize: 8, seed: 4, epoch: 2, dropRemainder: true })).toEqual(whole.slice(0, 6));
  });

  it("copies each image's pixels with its label", () => {
    for (const batch of arrayBatches(split, { batchSize: 7, seed: 9 })) {
      batch.labels.forEach((label, i) => expect(batch.images[i * 24]).toBe(label * 24));
    }
  });

  it("holds out a validation split that depends only on the seed", () => {
    const first = valueOf(holdOutValidation(split, { fraction: 0.2 }, 11));
    const again = valueOf(holdOutValidation(split, { fraction: 0.2 }, 11));
    const other = valueOf(holdOutValidation(split, { fraction: 0.2 }, 12));
    expect(first.validation.count).toBe(10);
    expect(first.train.count).toBe(40);
    expect(Array.from(again.validation.labels)).toEqual(Array.from(first.validation.labels));
    expect(Array.from(other.validation.labels)).not.toEqual(Array.from(first.validation.labels));
    const all = [...first.train.labels, ...first.validation.labels].sort((a, b) => a - b);
    expect(all).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(first.validation.images[0]).toBe(first.validation.labels[0]! * 24);
  });

  it("rejects validation sizes that leave nothing to train or validate on", () => {
    expect(errorOf(holdOutValidation(split, { fraction: 1 }, 0)).message).toMatch(
      /validation fraction 1 must hold out between 1 and 49 of the 50/,
    );
    expect(errorOf(holdOutValidation(split, { count: 0 }, 0)).message).toMatch(/validation count 0/);
    expect(errorOf(holdOutValidation(split, { count: 50 }, 0)).message).toMatch(/validation count 50/);
  });

  it("rejects bad batch settings as error values", () => {
    expect(errorOf(checkBatchOptions({ batchSize: 0 })).message).toMatch(
      /batch size must be a positive integer, got 0/,
    );
    expect(errorOf(checkBatchOptions({ batchSize: 4, augment: { cropPadding: -1 } })).message).toMatch(/crop padding/);
    expect(checkBatchOptions({ batchSize: 4, startBatch: 2 }).ok).toBe(true);
  });
});

type Move = { dy: number; dx: number; flip: boolean };

function candidateMoves(): Move[] {
  const moves: Move[] = [];
  for (let dy = -4; dy <= 4; dy++)
    for (let dx = -4; dx <= 4; dx++) for (const flip of [false, true]) moves.push({ dy, dx, flip });
  return moves;
}

/** Reference crop of one 3×4×2 image: out[y][x] = in[y+dy][(flip ? 3-x : x)+dx], 0 outside. */
function shifted(source: Float32Array, move: Move): number[] {
  const out: number[] = [];
  for (let y = 0; y < 3; y++) {
    for (let x = 0; x < 4; x++) {
      const sy = y + move.dy;
      const sx = (move.flip ? 3 - x : x) + move.dx;
      const inside = sy >= 0 && sy < 3 && sx >= 0 && sx < 4;
      for (let c = 0; c < 2; c++) out.push(inside ? source[(sy * 4 + sx) * 2 + c]! : 0);
    }
  }
  return out;
}

describe("augmentation", () => {
  const shape = { count: 1, height: 3, width: 4, channels: 2 };
  const image = syntheticSplit(1).images;

  it("flips left–right when asked, channel order kept", () => {
    // Seeds 0.. are tried until one flips; the flip must then mirror columns.
    for (let seed = 0; seed < 20; seed++) {
      const out = augmentImages(image, shape, { flip: true }, Prng.fromSeed(seed));
      if (out[0] === image[0]) continue;
      expect(Array.from(out.subarray(0, 8))).toEqual([6, 7, 4, 5, 2, 3, 0, 1]);
      return;
    }
    expect.fail("no seed in 0..19 flipped the image");
  });

  it("crops from a zero-padded image: each output is the input shifted by at most 4 pixels, maybe mirrored", () => {
    const count = 16;
    const batch = syntheticSplit(count);
    const out = augmentImages(batch.images, { ...shape, count }, { cropPadding: 4, flip: true }, Prng.fromSeed(3));
    expect(out.length).toBe(batch.images.length);
    let moved = 0;
    for (let n = 0; n < count; n++) {
      const source = batch.images.subarray(n * 24, (n + 1) * 24);
      const result = Array.from(out.subarray(n * 24, (n + 1) * 24));
      expect(candidateMoves().some((move) => shifted(source, move).every((v, i) => v === result[i]))).toBe(true);
      if (result.some((v, i) => v !== source[i])) moved++;
    }
    expect(moved).toBeGreaterThan(count / 2);
  });

  it("is applied per batch, reproducibly by (seed, epoch, batch)", () => {
    const split = syntheticSplit(10);
    const options = { batchSize: 4, seed: 5, augment: { cropPadding: 4, flip: true } };
    const first = Array.from(arrayBatches(split, options), (b) => Array.from(b.images));
    expect(Array.from(arrayBatches(split, options), (b) => Array.from(b.images))).toEqual(first);
    expect(first[0]!.length).toBe(4 * 24);
  });
});

describe("tensor batches", () => {
  it("yields NHWC float32 images and int32 labels, and leaks no tensors even on break", () => {
    const split = syntheticSplit(10);
    const before = tf.memory().numTensors;
    const shapes: number[][] = [];
    for (const batch of tensorBatches(split, { batchSize: 4, seed: 1 })) {
      shapes.push(batch.images.shape);
      expect(batch.images.dtype).toBe("float32");
      expect(batch.labels.dtype).toBe("int32");
      expect(tf.memory().numTensors).toBe(before + 2);
    }
    expect(shapes).toEqual([
      [4, 3, 4, 2],
      [4, 3, 4, 2],
      [2, 3, 4, 2],
    ]);
    for (const batch of tensorBatches(split, { batchSize: 4, seed: 1 })) {
      expect(Array.from(batch.labels.dataSync())).toEqual(labelsOf(split, { batchSize: 4, seed: 1 })[0]);
      break;
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it("orders images like epochOrder", () => {
    const split = syntheticSplit(6);
    expect(labelsOf(split, { batchSize: 6, seed: 8, epoch: 3 })[0]).toEqual(
      Array.from(epochOrder(split, { batchSize: 6, seed: 8, epoch: 3 })),
    );
  });
});
