// The IDX format (LeCun's MNIST files): two zero bytes, a type byte, a
// dimension count, each dimension as a big-endian uint32, then the values
// big-endian in row-major order. Every malformed file is an error value that
// names the file; gzip-compressed files (as downloaded) are read too.
import { closeSync, fstatSync, openSync, readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { describeFsError, fail, ok, readFully, type Result } from "./errors.js";

export type IdxDataType = "uint8" | "int8" | "int16" | "int32" | "float32" | "float64";
export type IdxValues = Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;

export interface IdxArray {
  readonly type: IdxDataType;
  readonly shape: readonly number[];
  readonly data: IdxValues;
}

interface TypeInfo {
  readonly code: number;
  readonly bytes: number;
  readonly create: (length: number) => IdxValues;
  readonly read: (view: DataView, offset: number) => number;
  readonly write: (view: DataView, offset: number, value: number) => void;
}

const TYPES: Record<IdxDataType, TypeInfo> = {
  uint8: {
    code: 0x08,
    bytes: 1,
    create: (n) => new Uint8Array(n),
    read: (v, o) => v.getUint8(o),
    write: (v, o, x) => v.setUint8(o, x),
  },
  int8: {
    code: 0x09,
    bytes: 1,
    create: (n) => new Int8Array(n),
    read: (v, o) => v.getInt8(o),
    write: (v, o, x) => v.setInt8(o, x),
  },
  int16: {
    code: 0x0b,
    bytes: 2,
    create: (n) => new Int16Array(n),
    read: (v, o) => v.getInt16(o),
    write: (v, o, x) => v.setInt16(o, x),
  },
  int32: {
    code: 0x0c,
    bytes: 4,
    create: (n) => new Int32Array(n),
    read: (v, o) => v.getInt32(o),
    write: (v, o, x) => v.setInt32(o, x),
  },
  float32: {
    code: 0x0d,
    bytes: 4,
    create: (n) => new Float32Array(n),
    read: (v, o) => v.getFloat32(o),
    write: (v, o, x) => v.setFloat32(o, x),
  },
  float64: {
    code: 0x0e,
    bytes: 8,
    create: (n) => new Float64Array(n),
    read: (v, o) => v.getFloat64(o),
    write: (v, o, x) => v.setFloat64(o, x),
  },
};

function typeOfCode(code: number): IdxDataType | undefined {
  return (Object.keys(TYPES) as IdxDataType[]).find((t) => TYPES[t].code === code);
}

/** An array read from a file: with a limit, `shape[0]` may be less than the items the file holds. */
export interface IdxRead extends IdxArray {
  readonly storedItems: number;
}

export interface IdxHeader {
  readonly type: IdxDataType;
  readonly shape: readonly number[];
  /** Bytes before the first value. */
  readonly headerBytes: number;
  /** Bytes of one item (one entry along the first dimension). */
  readonly itemBytes: number;
}

/** Validates the magic number and reads the dimensions; `bytes` may be just the file's start. */
export function parseIdxHeader(bytes: Uint8Array, file: string): Result<IdxHeader> {
  if (bytes.length < 4)
    return fail("corrupt", file, `IDX file ${file} is too short for its 4-byte magic number (${bytes.length} bytes)`);
  const magic = Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, "0")).join("");
  const type = typeOfCode(bytes[2] ?? 0);
  if (bytes[0] !== 0 || bytes[1] !== 0 || type === undefined) {
    return fail(
      "corrupt",
      file,
      `${file} is not an IDX file: bad magic number 0x${magic} ` +
        "(expected 0x0000TTDD with type TT one of 08, 09, 0b, 0c, 0d, 0e)",
    );
  }
  const rank = bytes[3] ?? 0;
  if (rank === 0) return fail("corrupt", file, `IDX file ${file} declares 0 dimensions`);
  const headerBytes = 4 + 4 * rank;
  if (bytes.length < headerBytes) {
    return fail(
      "corrupt",
      file,
      `IDX file ${file} is truncated inside its header: ` +
        `${rank} dimensions need ${headerBytes} bytes, the file has ${bytes.length}`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, headerBytes);
  const shape = Array.from({ length: rank }, (_, i) => view.getUint32(4 + 4 * i));
  const itemBytes = shape.slice(1).reduce((product, d) => product * d, TYPES[type].bytes);
  return ok({ type, shape, headerBytes, itemBytes });
}

/** Bytes the whole file must have according to its header. */
export function idxFileBytes(header: IdxHeader): number {
  return header.headerBytes + (header.shape[0] ?? 0) * header.itemBytes;
}

function checkSize(header: IdxHeader, actualBytes: number, file: string): Result<IdxHeader> {
  const expected = idxFileBytes(header);
  if (!Number.isSafeInteger(expected))
    return fail("corrupt", file, `IDX file ${file} declares an impossible shape [${header.shape.join(", ")}]`);
  if (actualBytes < expected) {
    return fail(
      "corrupt",
      file,
      `IDX file ${file} is truncated: shape [${header.shape.join(", ")}] of ${header.type} ` +
        `needs ${expected} bytes, the file has ${actualBytes}`,
    );
  }
  if (actualBytes > expected) {
    return fail(
      "corrupt",
      file,
      `IDX file ${file} has ${actualBytes - expected} bytes after its last value ` +
        `(shape [${header.shape.join(", ")}] of ${header.type} needs ${expected} bytes)`,
    );
  }
  return ok(header);
}

/** Decodes `items` items of values (big-endian) that start at `body[0]`. */
function decodeValues(header: IdxHeader, body: Uint8Array, items: number): IdxRead {
  const info = TYPES[header.type];
  const length = (items * header.itemBytes) / info.bytes;
  const shape = [items, ...header.shape.slice(1)];
  if (info.bytes === 1) {
    const data = header.type === "uint8" ? body.slice(0, length) : new Int8Array(body.slice(0, length).buffer);
    return { type: header.type, shape, data, storedItems: header.shape[0] ?? 0 };
  }
  const data = info.create(length);
  const view = new DataView(body.buffer, body.byteOffset, length * info.bytes);
  for (let i = 0; i < length; i++) data[i] = info.read(view, i * info.bytes);
  return { type: header.type, shape, data, storedItems: header.shape[0] ?? 0 };
}

function itemsToRead(header: IdxHeader, limit: number | undefined): number {
  const count = header.shape[0] ?? 0;
  return limit === undefined ? count : Math.min(count, Math.max(0, Math.floor(limit)));
}

/** Parses a whole IDX file held in memory; `limit` keeps only the first items. */
export function parseIdx(bytes: Uint8Array, file: string, limit?: number): Result<IdxRead> {
  const header = parseIdxHeader(bytes, file);
  if (!header.ok) return header;
  const sized = checkSize(header.value, bytes.length, file);
  if (!sized.ok) return sized;
  const items = itemsToRead(header.value, limit);
  return ok(decodeValues(header.value, bytes.subarray(header.value.headerBytes), items));
}

function isGzip(file: string, firstBytes: Uint8Array): boolean {
  return file.endsWith(".gz") || (firstBytes[0] === 0x1f && firstBytes[1] === 0x8b);
}

function readCompressed(file: string, limit: number | undefined): Result<IdxRead> {
  let bytes: Uint8Array;
  try {
    bytes = gunzipSync(readFileSync(file));
  } catch (cause) {
    return fail("corrupt", file, `cannot decompress gzip file ${file}: ${describeFsError(cause)}`);
  }
  return parseIdx(bytes, file, limit);
}

/**
 * Reads an IDX file from disk. With `limit`, only the first `limit` items are
 * read from disk, but the size of the whole file is still checked, so a
 * truncated file is reported even when its damaged tail is not needed.
 */
export function readIdxFile(file: string, limit?: number): Result<IdxRead> {
  let fd: number;
  try {
    fd = openSync(file, "r");
  } catch (cause) {
    return fail("missing", file, `cannot open IDX file ${file}: ${describeFsError(cause)}`);
  }
  try {
    return readOpenIdx(fd, file, limit);
  } catch (cause) {
    return fail("missing", file, `cannot read IDX file ${file}: ${describeFsError(cause)}`);
  } finally {
    closeSync(fd);
  }
}

function readOpenIdx(fd: number, file: string, limit: number | undefined): Result<IdxRead> {
  const size = fstatSync(fd).size;
  const start = new Uint8Array(Math.min(size, 4 + 4 * 255));
  readFully(fd, start, 0);
  if (isGzip(file, start)) return readCompressed(file, limit);
  const header = parseIdxHeader(start, file);
  if (!header.ok) return header;
  const sized = checkSize(header.value, size, file);
  if (!sized.ok) return sized;
  const items = itemsToRead(header.value, limit);
  const body = new Uint8Array(items * header.value.itemBytes);
  if (readFully(fd, body, header.value.headerBytes) < body.length)
    return fail("corrupt", file, `IDX file ${file} shrank while being read`);
  return ok(decodeValues(header.value, body, items));
}

/** Encodes an array as IDX bytes (for tests and for users who write their own files). */
export function encodeIdx(array: IdxArray): Uint8Array {
  const info = TYPES[array.type];
  const headerBytes = 4 + 4 * array.shape.length;
  const bytes = new Uint8Array(headerBytes + array.data.length * info.bytes);
  const view = new DataView(bytes.buffer);
  bytes[2] = info.code;
  bytes[3] = array.shape.length;
  array.shape.forEach((dim, i) => view.setUint32(4 + 4 * i, dim));
  array.data.forEach((value, i) => info.write(view, headerBytes + i * info.bytes, value));
  return bytes;
}
