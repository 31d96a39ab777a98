import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CIFAR10_TRAIN_FILES, loadCifar10 } from "../../../runtime/data/cifar.js";
import { errorOf, makeTempDir, valueOf } from "./helpers.js";

const RECORD = 1 + 3072;

/** A record whose label is `label` and whose pixel (channel c, row y, col x) is (label + 3c + y + x) mod 256. */
function record(label: number): Uint8Array {
  const bytes = new Uint8Array(RECORD);
  bytes[0] = label;
  for (let c = 0; c < 3; c++)
    for (let y = 0; y < 32; y++)
      for (let x = 0; x < 32; x++) bytes[1 + c * 1024 + y * 32 + x] = (label + 3 * c + y + x) % 256;
  return bytes;
}

function batchFile(labels: number[]): Uint8Array {
  const bytes = new Uint8Array(labels.length * RECORD);
  labels.forEach((label, i) => bytes.set(record(label), i * RECORD));
  return bytes;
}

describe("CIFAR-10 binary batches", () => {
  let temp: ReturnType<typeof makeTempDir>;
  beforeEach(() => {
    temp = makeTempDir("cifar");
    CIFAR10_TRAIN_FILES.forEach((file, i) => writeFileSync(join(temp.dir, file), batchFile([i, (i + 5) % 10])));
    writeFileSync(join(temp.dir, "test_batch.bin"), batchFile([9, 8, 7]));
  });
  afterEach(() => temp.remove());

  it("reads all batches in order as 32×32×3 HWC images", () => {
    const cifar = valueOf(loadCifar10(temp.dir, { normalisation: { mean: [0, 0, 0], std: [1, 1, 1] } }));
    expect(cifar.classNames[0]).toBe("airplane");
    expect([cifar.train.count, cifar.train.height, cifar.train.width, cifar.train.channels]).toEqual([10, 32, 32, 3]);
    expect(Array.from(cifar.train.labels)).toEqual([0, 5, 1, 6, 2, 7, 3, 8, 4, 9]);
    expect(Array.from(cifar.test.labels)).toEqual([9, 8, 7]);
    // Image 1 (label 5), row 2, column 7, channel 1 was byte 5 + 3 + 2 + 7 = 17 in the green plane;
    // channel 2 of the same pixel comes from the blue plane.
    const at = 1 * 3072 + (2 * 32 + 7) * 3 + 1;
    expect(cifar.train.images[at]! * 255).toBeCloseTo(17, 3);
    expect(cifar.train.images[at + 1]! * 255).toBeCloseTo(20, 3);
  });

  it("applies the limit across batch files, and the test limit to the test set", () => {
    const cifar = valueOf(loadCifar10(temp.dir, { limit: 3 }));
    expect(Array.from(cifar.train.labels)).toEqual([0, 5, 1]);
    const whole = cifar.test.count;
    expect(whole).toBeGreaterThan(1);
    expect(valueOf(loadCifar10(temp.dir, { limit: 1 })).test.count).toBe(whole);
    expect(valueOf(loadCifar10(temp.dir, { limit: 1, testLimit: 1 })).test.count).toBe(1);
  });

  it("finds the batches in the archive's cifar-10-batches-bin folder", () => {
    const nested = makeTempDir("cifar-nested");
    try {
      const inner = join(nested.dir, "cifar-10-batches-bin");
      mkdirSync(inner);
      for (const file of [...CIFAR10_TRAIN_FILES, "test_batch.bin"]) writeFileSync(join(inner, file), batchFile([1]));
      expect(valueOf(loadCifar10(nested.dir)).train.count).toBe(5);
    } finally {
      nested.remove();
    }
  });

  it("reports a truncated batch, a missing batch, and a label outside 0..9", () => {
    const second = join(temp.dir, "data_batch_2.bin");
    writeFileSync(second, batchFile([1, 2]).subarray(0, RECORD + 100));
    expect(errorOf(loadCifar10(temp.dir)).message).toBe(
      `CIFAR-10 batch ${second} has ${RECORD + 100} bytes, not a whole number of 3073-byte records ` +
        "(1 label + 3,072 pixels); is it truncated?",
    );
    const test = join(temp.dir, "test_batch.bin");
    writeFileSync(second, batchFile([1]));
    writeFileSync(test, batchFile([3, 12]));
    expect(errorOf(loadCifar10(temp.dir)).message).toMatch(
      /label 12 of item 1 in .*test_batch\.bin is outside the 10 classes/,
    );
    rmSync(test);
    const failure = errorOf(loadCifar10(temp.dir));
    expect(failure.file).toBe(test);
    expect(failure.message).toMatch(/cannot open CIFAR-10 batch .*test_batch\.bin: no such file or directory/);
  });
});
