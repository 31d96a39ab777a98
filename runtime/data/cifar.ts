// CIFAR-10's binary format, from files the user supplies
// (https://www.cs.toronto.edu/~kriz/cifar.html, "binary version"): each
// record is 1 label byte and 3,072 pixel bytes, the red plane, then green,
// then blue (CHW, 32×32 each). We convert to HWC, the layout tfjs convolves.
import { closeSync, existsSync, fstatSync, openSync } from "node:fs";
import { join } from "node:path";
import {
  NORMALISATION,
  checkLabels,
  checkLoadOptions,
  type Dataset,
  type LoadOptions,
  type RawSplit,
} from "./dataset.js";
import { describeFsError, fail, ok, readFully, type Result } from "./errors.js";
import { assembleDataset } from "./split.js";

export const CIFAR10_CLASS_NAMES = [
  "airplane",
  "automobile",
  "bird",
  "cat",
  "deer",
  "dog",
  "frog",
  "horse",
  "ship",
  "truck",
];
const SIDE = 32;
const CHANNELS = 3;
const PIXELS = SIDE * SIDE * CHANNELS;
const RECORD_BYTES = 1 + PIXELS;
export const CIFAR10_TRAIN_FILES = [
  "data_batch_1.bin",
  "data_batch_2.bin",
  "data_batch_3.bin",
  "data_batch_4.bin",
  "data_batch_5.bin",
];
export const CIFAR10_TEST_FILES = ["test_batch.bin"];

/** The folder that holds the batches: `dir` itself or the archive's `cifar-10-batches-bin` inside it. */
function batchFolder(dir: string): string {
  const nested = join(dir, "cifar-10-batches-bin");
  return existsSync(join(nested, "test_batch.bin")) ? nested : dir;
}

/** CIFAR-10 from `dir`: 50,000 + 10,000 images of 32×32×3, 10 classes. */
export function loadCifar10(dir: string, options: LoadOptions = {}): Result<Dataset> {
  const checked = checkLoadOptions(options);
  if (!checked.ok) return checked;
  const folder = batchFolder(dir);
  const train = readBatches(
    CIFAR10_TRAIN_FILES.map((f) => join(folder, f)),
    options.limit,
  );
  if (!train.ok) return train;
  const test = readBatches(
    CIFAR10_TEST_FILES.map((f) => join(folder, f)),
    options.testLimit,
  );
  if (!test.ok) return test;
  const parts = {
    name: "cifar10",
    train: train.value,
    test: test.value,
    classNames: CIFAR10_CLASS_NAMES,
    normalisation: NORMALISATION.cifar10,
    channelNames: ["red", "green", "blue"],
  };
  return assembleDataset(parts, options);
}

/** Reads records from the files in order until `limit` images are read; every file must exist and be whole. */
export function readBatches(files: readonly string[], limit: number | undefined): Result<RawSplit> {
  const chunks: { pixels: Uint8Array; labels: Int32Array }[] = [];
  let remaining = limit ?? Infinity;
  for (const file of files) {
    const batch = readBatchFile(file, remaining);
    if (!batch.ok) return batch;
    chunks.push(batch.value);
    remaining -= batch.value.labels.length;
  }
  const count = chunks.reduce((n, c) => n + c.labels.length, 0);
  const pixels = new Uint8Array(count * PIXELS);
  const labels = new Int32Array(count);
  let offset = 0;
  for (const chunk of chunks) {
    pixels.set(chunk.pixels, offset * PIXELS);
    labels.set(chunk.labels, offset);
    offset += chunk.labels.length;
  }
  return ok({ pixels, pixelScale: 255, labels, count, height: SIDE, width: SIDE, channels: CHANNELS });
}

function readBatchFile(file: string, wanted: number): Result<{ pixels: Uint8Array; labels: Int32Array }> {
  let fd: number;
  try {
    fd = openSync(file, "r");
  } catch (cause) {
    return fail("missing", file, `cannot open CIFAR-10 batch ${file}: ${describeFsError(cause)}`);
  }
  try {
    const size = fstatSync(fd).size;
    if (size === 0 || size % RECORD_BYTES !== 0) {
      return fail(
        "corrupt",
        file,
        `CIFAR-10 batch ${file} has ${size} bytes, not a whole number of ${RECORD_BYTES}-byte records ` +
          "(1 label + 3,072 pixels); is it truncated?",
      );
    }
    const records = Math.min(size / RECORD_BYTES, Math.max(0, wanted));
    const bytes = new Uint8Array(records * RECORD_BYTES);
    if (readFully(fd, bytes, 0) < bytes.length)
      return fail("corrupt", file, `CIFAR-10 batch ${file} shrank while being read`);
    return decodeRecords(bytes, records, file);
  } catch (cause) {
    return fail("missing", file, `cannot read CIFAR-10 batch ${file}: ${describeFsError(cause)}`);
  } finally {
    closeSync(fd);
  }
}

/** Splits records into labels and HWC pixels. */
export function decodeRecords(
  bytes: Uint8Array,
  records: number,
  file: string,
): Result<{ pixels: Uint8Array; labels: Int32Array }> {
  const pixels = new Uint8Array(records * PIXELS);
  const labels = new Int32Array(records);
  const plane = SIDE * SIDE;
  for (let r = 0; r < records; r++) {
    const record = r * RECORD_BYTES;
    labels[r] = bytes[record]!;
    const out = r * PIXELS;
    for (let p = 0; p < plane; p++) {
      for (let c = 0; c < CHANNELS; c++) pixels[out + p * CHANNELS + c] = bytes[record + 1 + c * plane + p]!;
    }
  }
  const checked = checkLabels(labels, CIFAR10_CLASS_NAMES.length, file);
  return checked.ok ? ok({ pixels, labels }) : checked;
}
