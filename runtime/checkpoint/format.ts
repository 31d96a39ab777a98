// What a checkpoint holds, and the manifest that describes its binary file.
// On disk a checkpoint is `checkpoint.json` (this manifest) and one binary file
// of float32 arrays (little-endian, as every Node platform stores them)
// concatenated in manifest order, whose sha256 the manifest records.
import { fail, ok, type Result } from "../data/errors.js";
import type { PrngState } from "../data/prng.js";
import { checkJson, compileSchema, type SchemaCheck } from "./json-schema.js";

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

export function elementCount(shape: readonly number[]): number {
  return shape.reduce((product, d) => product * d, 1);
}

const COUNT = { type: "integer", minimum: 0, maximum: Number.MAX_SAFE_INTEGER } as const;

const ARRAY_ENTRY = {
  type: "object",
  additionalProperties: false,
  required: ["name", "shape", "offset", "length"],
  properties: {
    name: { type: "string" },
    shape: { type: "array", items: COUNT },
    offset: { ...COUNT, multipleOf: 4 },
    length: COUNT,
  },
} as const;

const PRNG_STATE = {
  type: "object",
  required: ["algorithm", "words"],
  properties: {
    algorithm: { const: "xoshiro128**" },
    words: { type: "array", items: { type: "integer", minimum: 0, maximum: 0xffffffff }, minItems: 4, maxItems: 4 },
  },
} as const;

/** JSON Schema (draft-07) of `checkpoint.json`; the binary file is checked against it after it is read. */
export const MANIFEST_SCHEMA = {
  $schema: "http://json-schema.org/draft-07/schema#",
  title: "figs checkpoint manifest (checkpoint.json)",
  type: "object",
  additionalProperties: false,
  required: ["format", "version", "step", "epoch", "rng", "metadata", "data", "weights", "optimizer"],
  properties: {
    format: { const: FORMAT },
    version: { const: FORMAT_VERSION },
    step: { ...COUNT, errorMessage: "its step or epoch is not a non-negative integer" },
    epoch: { ...COUNT, errorMessage: "its step or epoch is not a non-negative integer" },
    rng: {
      type: "object",
      additionalProperties: PRNG_STATE,
      errorMessage: "its rng states are malformed (each is { algorithm: xoshiro128**, words: 4 integers })",
    },
    /** Whatever the run keeps there: any JSON value. */
    metadata: {},
    data: {
      type: "object",
      additionalProperties: false,
      required: ["file", "bytes", "sha256"],
      properties: {
        file: {
          type: "string",
          pattern: "^[^./\\\\][^/\\\\]*$",
          errorMessage: "its data file name is not a plain file name",
        },
        bytes: COUNT,
        sha256: { type: "string", pattern: "^[0-9a-f]{64}$" },
      },
    },
    weights: { type: "array", items: ARRAY_ENTRY },
    optimizer: { type: "array", items: ARRAY_ENTRY },
  },
} as const;

let manifestCheck: SchemaCheck<Manifest> | undefined;

/** Why the entries do not fit a binary file of `bytes` bytes (the schema cannot say), or undefined. */
function entriesProblem(entries: readonly ArrayEntry[], group: string, bytes: number): string | undefined {
  const names = new Set<string>();
  for (const { name, shape, offset, length } of entries) {
    if (elementCount(shape) !== length)
      return `${group}: array '${name}' has ${length} values but shape [${shape.join(", ")}]`;
    if (offset + 4 * length > bytes)
      return `${group}: array '${name}' ends at byte ${offset + 4 * length}, past the ${bytes}-byte data file`;
    if (names.has(name)) return `${group}: array '${name}' appears twice`;
    names.add(name);
  }
  return undefined;
}

/** Checks a parsed manifest against its schema, then its entries against each other; the binary file comes later. */
export function validateManifest(value: unknown, file: string): Result<Manifest> {
  manifestCheck ??= compileSchema<Manifest>(MANIFEST_SCHEMA);
  const header = { format: FORMAT, versions: [FORMAT_VERSION] };
  const format = { kind: "a figs checkpoint manifest", check: manifestCheck, header } as const;
  const checked = checkJson(value, file, { ...format, broken: "corruptCheckpoint" });
  if (!checked.ok) return checked;
  const manifest = checked.value;
  const problem =
    entriesProblem(manifest.weights, "weights", manifest.data.bytes) ??
    entriesProblem(manifest.optimizer, "optimizer", manifest.data.bytes);
  if (problem !== undefined)
    return fail("corruptCheckpoint", file, `${file} is not a figs checkpoint manifest: ${problem}`);
  return ok(manifest);
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
