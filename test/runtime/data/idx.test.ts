import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { codeOf, renderDiagnostic } from "../../../diagnostics/index.js";
import { encodeIdx, parseIdx, readIdxFile, type IdxArray } from "../../../runtime/data/idx.js";
import { errorOf, makeTempDir, valueOf } from "./helpers.js";

const SAMPLES: IdxArray[] = [
  { type: "uint8", shape: [2, 2, 3], data: Uint8Array.from([0, 1, 2, 127, 128, 255, 9, 8, 7, 6, 5, 4]) },
  { type: "int8", shape: [4], data: Int8Array.from([-128, -1, 0, 127]) },
  { type: "int16", shape: [2, 2], data: Int16Array.from([-32768, -2, 300, 32767]) },
  { type: "int32", shape: [3, 1, 1, 1], data: Int32Array.from([-2147483648, 65536, 2147483647]) },
  { type: "float32", shape: [2, 1], data: Float32Array.from([1.5, -0.25]) },
  { type: "float64", shape: [1, 2], data: Float64Array.from([Math.PI, -1e300]) },
];

describe("IDX parsing", () => {
  for (const sample of SAMPLES) {
    it(`round-trips ${sample.type} of shape [${sample.shape.join(", ")}]`, () => {
      const read = valueOf(parseIdx(encodeIdx(sample), "sample.idx"));
      expect(read.type).toBe(sample.type);
      expect(read.shape).toEqual(sample.shape);
      expect(read.storedItems).toBe(sample.shape[0]);
      expect(Array.from(read.data)).toEqual(Array.from(sample.data));
    });
  }

  it("stores values big-endian after the magic number and dimensions", () => {
    const bytes = encodeIdx({ type: "int16", shape: [1], data: Int16Array.from([0x0102]) });
    expect(Array.from(bytes)).toEqual([0, 0, 0x0b, 1, 0, 0, 0, 1, 0x01, 0x02]);
  });

  it("keeps only the first items with a limit", () => {
    const read = valueOf(parseIdx(encodeIdx(SAMPLES[0]!), "s.idx", 1));
    expect(read.shape).toEqual([1, 2, 3]);
    expect(Array.from(read.data)).toEqual([0, 1, 2, 127, 128, 255]);
    expect(read.storedItems).toBe(2);
  });

  it("rejects a bad magic number, naming the file", () => {
    const bytes = encodeIdx(SAMPLES[0]!);
    bytes[2] = 0x42;
    const failure = errorOf(parseIdx(bytes, "images.idx"));
    expect(failure.message).toMatch(/images\.idx is not an IDX file: bad magic number 0x00004203/);
    expect(failure.file).toBe("images.idx");
    bytes[2] = 0x08;
    bytes[0] = 1;
    expect(errorOf(parseIdx(bytes, "images.idx")).message).toMatch(/bad magic number 0x01000803/);
  });

  it("rejects files truncated in the header or in the values", () => {
    const bytes = encodeIdx(SAMPLES[0]!);
    expect(errorOf(parseIdx(bytes.subarray(0, 2), "a.idx")).message).toMatch(/too short for its 4-byte magic/);
    expect(errorOf(parseIdx(bytes.subarray(0, 9), "a.idx")).message).toMatch(
      /truncated inside its header: 3 dimensions need 16 bytes, the file has 9/,
    );
    expect(errorOf(parseIdx(bytes.subarray(0, bytes.length - 1), "a.idx")).message).toMatch(
      /a\.idx is truncated: shape \[2, 2, 3\] of uint8 needs 28 bytes, the file has 27/,
    );
  });

  it("rejects trailing bytes and zero dimensions", () => {
    const bytes = encodeIdx(SAMPLES[1]!);
    const longer = new Uint8Array(bytes.length + 3);
    longer.set(bytes);
    expect(errorOf(parseIdx(longer, "b.idx")).message).toMatch(/has 3 bytes after its last value/);
    expect(errorOf(parseIdx(Uint8Array.from([0, 0, 8, 0]), "c.idx")).message).toMatch(/declares 0 dimensions/);
  });
});

describe("IDX files", () => {
  let temp: ReturnType<typeof makeTempDir>;
  beforeEach(() => {
    temp = makeTempDir("idx");
  });
  afterEach(() => temp.remove());

  it("reads a file, with and without a limit", () => {
    const path = join(temp.dir, "x.idx");
    writeFileSync(path, encodeIdx(SAMPLES[3]!));
    expect(Array.from(valueOf(readIdxFile(path)).data)).toEqual(Array.from(SAMPLES[3]!.data));
    expect(Array.from(valueOf(readIdxFile(path, 2)).data)).toEqual([-2147483648, 65536]);
  });

  it("reads gzip-compressed files", () => {
    const path = join(temp.dir, "x.idx.gz");
    writeFileSync(path, gzipSync(encodeIdx(SAMPLES[4]!)));
    expect(Array.from(valueOf(readIdxFile(path)).data)).toEqual([1.5, -0.25]);
  });

  it("reports a corrupt gzip file", () => {
    const path = join(temp.dir, "broken.gz");
    writeFileSync(path, gzipSync(encodeIdx(SAMPLES[0]!)).subarray(0, 12));
    expect(errorOf(readIdxFile(path)).message).toContain(`cannot decompress gzip file ${path}`);
  });

  it("reports truncation even when the limit does not reach the damaged tail", () => {
    const path = join(temp.dir, "short.idx");
    writeFileSync(path, encodeIdx(SAMPLES[0]!).subarray(0, 20));
    expect(errorOf(readIdxFile(path, 1)).message).toContain(`${path} is truncated`);
  });

  it("reports a missing file as an error value that renders like a compiler error", () => {
    const path = join(temp.dir, "absent-idx3-ubyte");
    const result = readIdxFile(path);
    const failure = errorOf(result);
    expect(failure.code).toBe(codeOf("FileNotFound"));
    expect(failure.message).toBe(`cannot open IDX file ${path}: no such file or directory`);
    if (!result.ok)
      expect(renderDiagnostic(result.diagnostic, () => undefined)).toBe(`${path}: error FIGS9001: ${failure.message}`);
  });

  it("reports a folder given as a file", () => {
    expect(errorOf(readIdxFile(temp.dir)).message).toMatch(/cannot (open|read) IDX file/);
  });
});
