// Atomic save and verified load. A save writes the binary file under a
// temporary name, renames it to a name of its own, then writes the manifest
// under a temporary name and renames it over `checkpoint.json` (both with
// runtime/folders' atomic writer, flushed to disk). rename(2) is atomic within
// a folder, so at every instant `checkpoint.json` names a complete binary
// file: a crash leaves the previous checkpoint loadable and at worst some
// stray files, which the next save removes; a failed write (a full disk)
// removes its own temporary file and is returned as a diagnostic. One writer
// per folder (the run folder's lock).
import { createHash } from "node:crypto";
import { mkdirSync } from "node:fs";
import { readFile, readdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { describeFsError, fail, ok, type Result } from "../data/errors.js";
import { describeWriteError, TEMP_PREFIX, writeFileAtomic } from "../folders/index.js";
import {
  FORMAT,
  FORMAT_VERSION,
  MANIFEST_FILE,
  elementCount,
  validateManifest,
  type ArrayEntry,
  type Checkpoint,
  type Manifest,
  type NamedArrays,
} from "./format.js";

export interface SavedCheckpoint {
  readonly manifest: string;
  readonly dataFile: string;
  readonly bytes: number;
}

/** Temporary files of saves before runtime/folders existed. */
const OLD_TEMP = /^\.checkpoint-.*\.tmp$/;
const DATA_FILE = /^checkpoint-\d+-[0-9a-f]{16}\.bin$/;

function bytesOf(data: Float32Array): Uint8Array {
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

function layout(arrays: NamedArrays, start: number): { entries: ArrayEntry[]; end: number } {
  let offset = start;
  const entries = Object.entries(arrays).map(([name, array]) => {
    const entry = { name, shape: [...array.shape], offset, length: array.data.length };
    offset += array.data.byteLength;
    return entry;
  });
  return { entries, end: offset };
}

function checkpointProblem(checkpoint: Checkpoint): string | undefined {
  const { step, epoch } = checkpoint;
  if (!Number.isSafeInteger(step) || step < 0 || !Number.isSafeInteger(epoch) || epoch < 0)
    return `step ${step} and epoch ${epoch} must be non-negative integers`;
  for (const [group, arrays] of [
    ["weights", checkpoint.weights],
    ["optimizer", checkpoint.optimizer],
  ] as const) {
    for (const [name, array] of Object.entries(arrays)) {
      if (elementCount(array.shape) !== array.data.length)
        return `${group} '${name}' has ${array.data.length} values but shape [${array.shape.join(", ")}]`;
    }
  }
  return undefined;
}

interface Encoded {
  readonly manifest: Manifest;
  /** The arrays' bytes in manifest order. */
  readonly chunks: readonly Uint8Array[];
}

function encode(checkpoint: Checkpoint): Encoded {
  const weights = layout(checkpoint.weights, 0);
  const optimizer = layout(checkpoint.optimizer, weights.end);
  const chunks = [...Object.values(checkpoint.weights), ...Object.values(checkpoint.optimizer)].map((a) =>
    bytesOf(a.data),
  );
  const hash = createHash("sha256");
  for (const chunk of chunks) hash.update(chunk);
  const sha256 = hash.digest("hex");
  // Named by step and content, so a new save replaces the file the current manifest names only
  // with identical bytes, and then by an atomic rename.
  const file = `checkpoint-${checkpoint.step}-${sha256.slice(0, 16)}.bin`;
  const { step, epoch, rng, metadata } = checkpoint;
  const manifest: Manifest = {
    format: FORMAT,
    version: FORMAT_VERSION,
    step,
    epoch,
    rng,
    metadata,
    data: { file, bytes: optimizer.end, sha256 },
    weights: weights.entries,
    optimizer: optimizer.entries,
  };
  return { manifest, chunks };
}

/**
 * Saves `checkpoint` into `dir` (created if needed), replacing the previous checkpoint only once the new one
 * is complete.
 */
export async function saveCheckpoint(dir: string, checkpoint: Checkpoint): Promise<Result<SavedCheckpoint>> {
  const problem = checkpointProblem(checkpoint);
  if (problem !== undefined) return fail("corruptCheckpoint", dir, `cannot save checkpoint: ${problem}`);
  const { manifest, chunks } = encode(checkpoint);
  let manifestText: string;
  try {
    manifestText = `${JSON.stringify(manifest, null, 2)}\n`;
  } catch (cause) {
    const why = `its metadata is not JSON (${describeFsError(cause)})`;
    return fail("corruptCheckpoint", dir, `cannot save checkpoint: ${why}`);
  }
  const written = await commit(dir, chunks, manifest.data.file, manifestText);
  if (!written.ok) return written;
  return ok({
    manifest: join(dir, MANIFEST_FILE),
    dataFile: join(dir, manifest.data.file),
    bytes: manifest.data.bytes,
  });
}

async function commit(
  dir: string,
  chunks: readonly Uint8Array[],
  dataFile: string,
  manifestText: string,
): Promise<Result<void>> {
  const failed = (reason: string): Result<void> =>
    fail(
      "writeFailed",
      dir,
      `cannot write checkpoint in ${dir}: ${reason}; the previous checkpoint, if any, is unchanged`,
    );
  try {
    mkdirSync(dir, { recursive: true });
  } catch (cause) {
    return failed(describeWriteError(cause));
  }
  for (const [file, data] of [
    [dataFile, chunks],
    [MANIFEST_FILE, [Buffer.from(manifestText)]],
  ] as const) {
    const written = writeFileAtomic(join(dir, file), data);
    if (!written.ok) return failed(written.diagnostic.message.replace(/^cannot write [^:]*: /, ""));
  }
  await removeStrays(dir, dataFile);
  return ok(undefined);
}

/** Data files of older checkpoints and temporaries left by a crashed save. */
async function removeStrays(dir: string, keep: string): Promise<void> {
  for (const name of await readdir(dir)) {
    const stray = (DATA_FILE.test(name) && name !== keep) || name.startsWith(TEMP_PREFIX) || OLD_TEMP.test(name);
    if (stray) await rm(join(dir, name), { recursive: true, force: true });
  }
}

/** Loads the checkpoint in `dir`, verifying the data file's size and sha256 against the manifest. */
export async function loadCheckpoint(dir: string): Promise<Result<Checkpoint>> {
  const manifestPath = join(dir, MANIFEST_FILE);
  let text: string;
  try {
    text = await readFile(manifestPath, "utf8");
  } catch (cause) {
    return fail(
      "missing",
      manifestPath,
      `no checkpoint to load in ${dir}: ${MANIFEST_FILE}: ${describeFsError(cause)}`,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (cause) {
    return fail(
      "invalidJson",
      manifestPath,
      `checkpoint manifest ${manifestPath} is not valid JSON: ${describeFsError(cause)}`,
    );
  }
  const manifest = validateManifest(parsed, manifestPath);
  if (!manifest.ok) return manifest;
  const data = await readVerified(dir, manifest.value);
  if (!data.ok) return data;
  const { step, epoch, rng, metadata } = manifest.value;
  return ok({
    step,
    epoch,
    rng,
    metadata,
    weights: sliceArrays(data.value, manifest.value.weights),
    optimizer: sliceArrays(data.value, manifest.value.optimizer),
  });
}

async function readVerified(dir: string, manifest: Manifest): Promise<Result<Uint8Array>> {
  const path = join(dir, manifest.data.file);
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (cause) {
    return fail(
      "corruptCheckpoint",
      path,
      `checkpoint data file ${path} named by ${MANIFEST_FILE} cannot be read: ${describeFsError(cause)}`,
    );
  }
  if (bytes.length !== manifest.data.bytes) {
    return fail(
      "corruptCheckpoint",
      path,
      `checkpoint data file ${path} has ${bytes.length} bytes; its manifest says ${manifest.data.bytes}`,
    );
  }
  const sha256 = createHash("sha256").update(bytes).digest("hex");
  if (sha256 !== manifest.data.sha256) {
    return fail(
      "corruptCheckpoint",
      path,
      `checkpoint data file ${path} is corrupt: its sha256 is ${sha256}, the manifest recorded ${manifest.data.sha256}`,
    );
  }
  return ok(bytes);
}

/** Copies each array out, so it is aligned and independent of the file's buffer. */
function sliceArrays(bytes: Uint8Array, entries: readonly ArrayEntry[]): NamedArrays {
  const arrays: Record<string, { shape: readonly number[]; data: Float32Array }> = {};
  for (const entry of entries) {
    const start = bytes.byteOffset + entry.offset;
    const data = new Float32Array(bytes.buffer.slice(start, start + entry.length * 4));
    arrays[entry.name] = { shape: entry.shape, data };
  }
  return arrays;
}
