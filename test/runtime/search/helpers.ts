// Shared by the search and retrain tests: a small MNIST space, 2,000 MNIST
// images, the wasm backend (completed with figs's kernels), temporary run dirs.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { compile, type CostConvention, type Ir } from "../../../compiler/index.js";
import { selectBackend } from "../../../runtime/backend/select.js";
import { loadDataset } from "../../../runtime/data/load.js";
import type { Dataset } from "../../../runtime/data/dataset.js";
import { DEFAULT_SEARCH, type SearchSettings } from "../../../runtime/search/settings.js";

export const SMALL_SPACE = "spaces/mnist_convnet.figs";
/** Widths halved twice from the defaults: a step takes well under a second on wasm. */
export const SMALL_SET = { width: "8", hidden: "32" } as const;

/**
 * One kernel thread: figs's native kernels split sums across threads in an
 * order that varies from run to run, so with two threads weights repeat only
 * to about 1e-5; tests that compare runs bit for bit need one.
 */
export async function useWasm(threads = 1): Promise<void> {
  await selectBackend({ override: "wasm", threads });
}

export function smallIr(convention: CostConvention = "torch"): Ir {
  const result = compile({ path: SMALL_SPACE, set: SMALL_SET }, { convention });
  if (!result.ir) throw new Error(result.diagnostics.map((d) => d.message).join("; "));
  return result.ir;
}

export function mnist(limit = 2000): Dataset {
  const loaded = loadDataset("mnist", { limit, testLimit: limit });
  if (!loaded.ok) throw new Error(loaded.diagnostic.message);
  return loaded.value;
}

export function settings(overrides: Partial<SearchSettings>): SearchSettings {
  return { ...DEFAULT_SEARCH, steps: 30, batchSize: 32, checkpointEvery: 10, ...overrides };
}

export function tempDir(prefix = "figs-search-"): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export function metrics(dir: string): Record<string, number>[] {
  return readFileSync(join(dir, "metrics.jsonl"), "utf8")
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line) as Record<string, number>);
}
