// What a checkpoint holds, and the manifest that describes its binary file.
// On disk a checkpoint is `checkpoint.json` (this manifest) and one binary file
// of float32 arrays (little-endian, as every Node platform stores them)
// concatenated in manifest order, whose sha256 the manifest records.
import { fail, ok, type Result } from "../data/errors.js";
import { isPrngState, type PrngState } from "../data/prng.js";

export type JsonValue = null | boolean | number | string | readonly JsonValue[] | { readonly [key: string]: JsonValue };

export interface NamedArray {
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

export type NamedArrays = Readonly<Record<string, NamedArray>>;

export interface Checkpoint {
  readonly step: number;
  readonly epoch: number;
  /** Model weights, including the architecture parameters ν, by variable name. */
  readonly weights: NamedArrays;
  /** Optimizer slots (Adam's moments, its step count…) by name. */
  readonly optimizer: NamedArrays;
  /** Every generator the run draws from, by the run's own names. */
  readonly rng: Readonly<Record<string, PrngState>>;
  /** Settings, λ, seed, source hash: whatever the run needs to resume or report. */
  readonly metadata: JsonValue;
}

export const MANIFEST_FILE = "checkpoint.json";
export const FORMAT = "figs-checkpoint";
export const FORMAT_VERSION = 1;

export interface ArrayEntry {
  readonly name: string;
  readonly shape: readonly number[];
  /** Byte offset in the binary file. */
  readonly offset: number;
  /** Number of float32 values. */
  readonly length: number;
}

export interface Manifest {
  readonly format: typeof FORMAT;
  readonly version: typeof FORMAT_VERSION;
  readonly step: number;
  readonly epoch: number;
  readonly rng: Readonly<Record<string, PrngState>>;
  readonly metadata: JsonValue;
  readonly data: { readonly file: string; readonly bytes: number; readonly sha256: string };
  readonly weights: readonly ArrayEntry[];
  readonly optimizer: readonly ArrayEntry[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isCount(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}

export function elementCount(shape: readonly number[]): number {
  return shape.reduce((product, d) => product * d, 1);
}

/** Why an entry is unusable against a binary file of `bytes` bytes, or undefined when it is fine. */
function entryProblem(entry: unknown, bytes: number): string | undefined {
  if (!isRecord(entry) || typeof entry.name !== "string") return "an array entry without a name";
  const { name, shape, offset, length } = entry;
  if (!Array.isArray(shape) || !shape.every(isCount)) return `array '${name}' has an invalid shape`;
  if (!isCount(offset) || !isCount(length) || offset % 4 !== 0)
    return `array '${name}' has an invalid offset or length`;
  if (elementCount(shape) !== length) return `array '${name}' has ${length} values but shape [${shape.join(", ")}]`;
  if (offset + 4 * length > bytes)
    return `array '${name}' ends at byte ${offset + 4 * length}, past the ${bytes}-byte data file`;
  return undefined;
}

function entriesProblem(entries: unknown, group: string, bytes: number): string | undefined {
  if (!Array.isArray(entries)) return `'${group}' is not a list of arrays`;
  const names = new Set<string>();
  for (const entry of entries) {
    const problem = entryProblem(entry, bytes);
    if (problem !== undefined) return `${group}: ${problem}`;
    const name = (entry as ArrayEntry).name;
    if (names.has(name)) return `${group}: array '${name}' appears twice`;
    names.add(name);
  }
  return undefined;
}

function headerProblem(value: Record<string, unknown>): string | undefined {
  if (value.format !== FORMAT) return `it is not a figs checkpoint (format ${JSON.stringify(value.format)})`;
  if (value.version !== FORMAT_VERSION)
    return `it has version ${JSON.stringify(value.version)}; this figs reads version ${FORMAT_VERSION}`;
  if (!isCount(value.step) || !isCount(value.epoch)) return "its step or epoch is not a non-negative integer";
  if (!isRecord(value.rng) || !Object.values(value.rng).every(isPrngState)) return "its rng states are malformed";
  if (!("metadata" in value)) return "it has no 'metadata' entry";
  const data = value.data;
  if (!isRecord(data) || typeof data.file !== "string" || !isCount(data.bytes) || typeof data.sha256 !== "string") {
    return "its 'data' entry (file, bytes, sha256) is malformed";
  }
  if (data.file.includes("/") || data.file.includes("\\") || data.file.startsWith("."))
    return `its data file name '${data.file}' is not a plain file name`;
  return undefined;
}

/** Checks a parsed manifest's structure; the binary file is checked against it later. */
export function validateManifest(value: unknown, file: string): Result<Manifest> {
  if (!isRecord(value))
    return fail("corruptCheckpoint", file, `${file} is not a checkpoint manifest: it is not a JSON object`);
  const problem =
    headerProblem(value) ??
    entriesProblem(value.weights, "weights", (value.data as { bytes: number }).bytes) ??
    entriesProblem(value.optimizer, "optimizer", (value.data as { bytes: number }).bytes);
  if (problem !== undefined)
    return fail("corruptCheckpoint", file, `${file} is not a valid checkpoint manifest: ${problem}`);
  return ok(value as unknown as Manifest);
}

/** Checks that `arrays` has exactly the expected names and shapes, e.g. a resumed run's variables. */
export function matchShapes(
  arrays: NamedArrays,
  expected: Readonly<Record<string, readonly number[]>>,
  file: string,
): Result<NamedArrays> {
  const missing = Object.keys(expected).filter((name) => !(name in arrays));
  const extra = Object.keys(arrays).filter((name) => !(name in expected));
  const differing = Object.keys(expected).filter(
    (name) => name in arrays && arrays[name]!.shape.join("x") !== expected[name]!.join("x"),
  );
  if (missing.length + extra.length + differing.length === 0) return ok(arrays);
  const parts = [
    missing.length > 0 ? `missing ${missing.join(", ")}` : "",
    extra.length > 0 ? `unexpected ${extra.join(", ")}` : "",
    ...differing.map(
      (name) => `'${name}' is [${arrays[name]!.shape.join(", ")}], expected [${expected[name]!.join(", ")}]`,
    ),
  ].filter((p) => p !== "");
  return fail("corruptCheckpoint", file, `checkpoint ${file} does not fit this model: ${parts.join("; ")}`);
}
