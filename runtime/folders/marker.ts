/**
 * The file by which figs recognises a folder it made. `--force` replaces a
 * folder only when this file says it is a figs folder of the same kind, so
 * figs never deletes a folder of the user's. Folders made before the marker
 * existed are recognised by their own figs files (run.json, retrain.json,
 * arch.json + model.json), read and checked for figs's format.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Result } from "../data/errors.js";
import { writeFileAtomic } from "./atomic.js";

export const MARKER_FILE = ".figs-folder.json";
const MARKER_FORMAT = "figs-folder";

/** What a figs folder holds: a search run, a retraining, one exported architecture, a set of samples. */
export type FolderKind = "search" | "retrain" | "export" | "samples";

export interface Marker {
  readonly format: typeof MARKER_FORMAT;
  readonly version: 1;
  readonly kind: FolderKind;
}

/** The entries figs writes in a folder of each kind: the only ones `--force` removes. */
export const OWNED_ENTRIES: Readonly<Record<FolderKind, readonly string[]>> = {
  search: ["run.json", "metrics.jsonl", "checkpoint", "export", MARKER_FILE],
  retrain: ["retrain.json", "metrics.jsonl", "checkpoint", "model.json", "weights.bin", "result.json", MARKER_FILE],
  export: ["arch.json", "pruned.figs", "model.json", "weights.bin", MARKER_FILE],
  samples: [MARKER_FILE],
};

export function writeMarker(dir: string, kind: FolderKind): Result<void> {
  const marker: Marker = { format: MARKER_FORMAT, version: 1, kind };
  return writeFileAtomic(join(dir, MARKER_FILE), `${JSON.stringify(marker)}\n`, "the folder's marker");
}

/** The kind of figs folder `dir` is, or undefined when figs did not make it. */
export function folderKind(dir: string): FolderKind | undefined {
  const marked = readMarker(dir);
  if (marked !== undefined) return marked;
  return legacyKind(dir);
}

function readMarker(dir: string): FolderKind | undefined {
  const value = readJson(join(dir, MARKER_FILE)) as Partial<Marker> | undefined;
  if (value?.format !== MARKER_FORMAT || value.version !== 1) return undefined;
  return value.kind !== undefined && value.kind in OWNED_ENTRIES ? value.kind : undefined;
}

/** Folders written before the marker: their figs files, in figs's own formats. */
function legacyKind(dir: string): FolderKind | undefined {
  const format = (file: string): unknown => (readJson(join(dir, file)) as { format?: unknown } | undefined)?.format;
  if (format("run.json") === "figs-search-run") return "search";
  if (format("retrain.json") === "figs-retrain-run") return "retrain";
  if (format("arch.json") === "figs-arch" && existsSync(join(dir, "model.json"))) return "export";
  return undefined;
}

function readJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, "utf8")) as unknown;
  } catch {
    return undefined;
  }
}
