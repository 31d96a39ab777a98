// Temporary folders and small synthetic data files for the data and checkpoint tests.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "vitest";
import type { Result } from "../../../runtime/data/errors.js";
import { encodeIdx } from "../../../runtime/data/idx.js";

export function makeTempDir(prefix: string): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), `figs-${prefix}-`));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The value of an ok result; fails the test with the diagnostic otherwise. */
export function valueOf<T>(result: Result<T>): T {
  if (!result.ok) expect.fail(`expected success, got ${result.diagnostic.code}: ${result.diagnostic.message}`);
  return result.value;
}

/** The diagnostic message of a failed result; fails the test on success. */
export function errorOf<T>(result: Result<T>): { code: string; message: string; file: string | undefined } {
  if (result.ok) expect.fail("expected an error value, got success");
  const { code, message, file } = result.diagnostic;
  return { code, message, file };
}

/** Writes `count` images of height×width (pixel = (item * 7 + index) mod 256) and their labels (item mod classes). */
export function writeIdxPair(
  dir: string,
  prefix: string,
  count: number,
  options: { height?: number; width?: number; classes?: number } = {},
): { images: string; labels: string } {
  const height = options.height ?? 4;
  const width = options.width ?? 3;
  const pixels = Uint8Array.from(
    { length: count * height * width },
    (_, i) => (Math.floor(i / (height * width)) * 7 + i) % 256,
  );
  const labels = Uint8Array.from({ length: count }, (_, i) => i % (options.classes ?? 3));
  const paths = { images: join(dir, `${prefix}-images-idx3-ubyte`), labels: join(dir, `${prefix}-labels-idx1-ubyte`) };
  writeFileSync(paths.images, encodeIdx({ type: "uint8", shape: [count, height, width], data: pixels }));
  writeFileSync(paths.labels, encodeIdx({ type: "uint8", shape: [count], data: labels }));
  return paths;
}
