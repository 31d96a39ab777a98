// IDX labels past the class count (issue #11, item 13) and the preprocessing record an export carries (item 16).
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CIFAR10_TEST_FILES, CIFAR10_TRAIN_FILES, loadCifar10 } from "../../../runtime/data/cifar.js";
import { encodeIdx } from "../../../runtime/data/idx.js";
import { loadDataset } from "../../../runtime/data/load.js";
import { loadIdxDataset } from "../../../runtime/data/mnist.js";
import { applyPreprocessing, preprocessingOf } from "../../../runtime/data/preprocessing.js";
import { errorOf, makeTempDir, valueOf, writeIdxPair } from "./helpers.js";

describe("IDX labels outside the class count", () => {
  let temp: ReturnType<typeof makeTempDir>;
  beforeEach(() => {
    temp = makeTempDir("labels");
  });
  afterEach(() => temp.remove());

  /** 6 training items labelled 0..4 except item 4, labelled 200. */
  function filesWithLabel200(): {
    train: { images: string; labels: string };
    test: { images: string; labels: string };
  } {
    const train = writeIdxPair(temp.dir, "train", 6, { classes: 5 });
    writeFileSync(train.labels, encodeIdx({ type: "uint8", shape: [6], data: Uint8Array.from([0, 1, 2, 3, 200, 0]) }));
    return { train, test: writeIdxPair(temp.dir, "test", 3) };
  }

  it("are an error naming the file, the item, the label and the class count given by the space", () => {
    const files = filesWithLabel200();
    const failure = errorOf(loadIdxDataset(files, { classes: 10 }));
    expect(failure.code).toBe("FIGS9002");
    expect(failure.file).toBe(files.train.labels);
    expect(failure.message).toContain(`label 200 of item 4 in ${files.train.labels} is outside the 10 classes 0..9`);
    expect(failure.message).toContain("width of the space's logits");
  });

  it("reach idx:DIR through loadDataset's classes option", () => {
    const train = writeIdxPair(temp.dir, "train", 6, { classes: 5 });
    writeIdxPair(temp.dir, "t10k", 2);
    writeFileSync(train.labels, encodeIdx({ type: "uint8", shape: [6], data: Uint8Array.from([0, 1, 9, 3, 4, 0]) }));
    expect(errorOf(loadDataset(`idx:${temp.dir}`, { classes: 5 })).message).toContain("label 9 of item 2");
    expect(valueOf(loadDataset(`idx:${temp.dir}`, { classes: 10 })).classes).toBe(10);
  });

  it("without a class count, the labels define it (max label + 1), as before", () => {
    expect(valueOf(loadIdxDataset(filesWithLabel200())).classes).toBe(201);
  });

  it("a class count that is not a positive integer is refused", () => {
    expect(errorOf(loadIdxDataset(filesWithLabel200(), { classes: 0 })).message).toMatch(
      /classes must be a positive integer, got 0/,
    );
  });
});

describe("preprocessingOf", () => {
  it("records MNIST's scale, statistics, shape, channel order and formula", () => {
    const mnist = valueOf(loadDataset("mnist", { limit: 20 }));
    const p = preprocessingOf(mnist);
    expect(p).toEqual({
      formula: "input = (pixel / 255 - 0.1307) / 0.3081, images 28×28×1 HWC (gray)",
      inputScale: 1 / 255,
      mean: [0.1307],
      std: [0.3081],
      inputShape: [28, 28, 1],
      layout: "HWC",
      channelOrder: ["gray"],
      dataset: "mnist",
    });
  });

  it("applied to raw pixels gives the loader's normalised images", () => {
    const mnist = valueOf(loadDataset("mnist", { limit: 20 }));
    const raw = valueOf(loadDataset("mnist", { limit: 20, normalisation: { mean: [0], std: [1 / 255] } }));
    const applied = applyPreprocessing(preprocessingOf(mnist), raw.train.images);
    let worst = 0;
    for (let i = 0; i < applied.length; i++) worst = Math.max(worst, Math.abs(applied[i]! - mnist.train.images[i]!));
    expect(worst).toBeLessThan(1e-5);
  });

  it("names CIFAR-10's channels red, green, blue, and gives every channel's statistics", () => {
    const temp = makeTempDir("cifar-pre");
    try {
      const record = new Uint8Array(3073);
      for (const file of [...CIFAR10_TRAIN_FILES, ...CIFAR10_TEST_FILES]) writeFileSync(join(temp.dir, file), record);
      const p = preprocessingOf(valueOf(loadCifar10(temp.dir)));
      expect(p.channelOrder).toEqual(["red", "green", "blue"]);
      expect(p.inputShape).toEqual([32, 32, 3]);
      expect(p.mean).toEqual([0.4914, 0.4822, 0.4465]);
      expect(p.formula).toBe(
        "input[c] = (pixel[c] / 255 - mean[c]) / std[c], mean = [0.4914, 0.4822, 0.4465], " +
          "std = [0.247, 0.2435, 0.2616], images 32×32×3 HWC (red, green, blue)",
      );
    } finally {
      temp.remove();
    }
  });

  it("float IDX images (pixels already in [0, 1]) have scale 1", () => {
    const temp = makeTempDir("float-pre");
    try {
      const pair = (name: string) => {
        const images = join(temp.dir, `${name}-images`);
        const labels = join(temp.dir, `${name}-labels`);
        writeFileSync(
          images,
          encodeIdx({ type: "float32", shape: [2, 2, 2], data: Float32Array.from([0, 0.5, 1, 0.25, 0, 1, 1, 0]) }),
        );
        writeFileSync(labels, encodeIdx({ type: "uint8", shape: [2], data: Uint8Array.from([0, 1]) }));
        return { images, labels };
      };
      const p = preprocessingOf(valueOf(loadIdxDataset({ train: pair("train"), test: pair("test") })));
      expect(p.inputScale).toBe(1);
      expect(p.formula.startsWith("input = (pixel - ")).toBe(true);
    } finally {
      temp.remove();
    }
  });
});
