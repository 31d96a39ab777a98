/**
 * Writing baseline architectures with `runtime/export`: the same three
 * artifacts a search exports (arch.json, pruned.figs, the LayersModel). A set
 * of samples is written into one staging folder and renamed into place at the
 * end, like a single export, so a failure part-way leaves no half set behind
 * and an existing output folder is only replaced with `force`.
 */
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import type { Diagnostic } from "../../diagnostics/diagnostic.js";
import type { Ir } from "../../compiler/index.js";
import { checkStagedTarget, commitStaging, createStaging, discardStaging } from "../folders/index.js";
import { exportArchitecture, type ArchJson } from "../export/index.js";
import type { PrunedArchitecture } from "../export/prune.js";
import type { Preprocessing } from "../data/preprocessing.js";
import { installSeededRandom } from "../train/seeded-random.js";
import type { BaselineArchitecture } from "./plan.js";

/** One written baseline: where it is, what its arch.json says, and the pruned architecture exported. */
export interface WrittenBaseline {
  readonly architecture: BaselineArchitecture;
  readonly dir: string;
  readonly arch: ArchJson;
  readonly pruned: PrunedArchitecture;
}

export interface WriteResult {
  readonly written: readonly WrittenBaseline[];
  readonly diagnostics: readonly Diagnostic[];
}

export interface WriteOptions {
  readonly outDir: string;
  readonly force?: boolean;
  /** Called after each export, for progress output. */
  readonly onWritten?: (done: number, total: number) => void;
  /** The data's preprocessing (`preprocessingOf(dataset)`), recorded in every arch.json and model.json. */
  readonly preprocessing?: Preprocessing;
}

/** One architecture exported straight into `outDir` (the width-multiplier baseline). */
export async function writeBaseline(
  ir: Ir,
  architecture: BaselineArchitecture,
  options: WriteOptions,
): Promise<WriteResult> {
  const exported = await exportOne(ir, architecture, options.outDir, options.force === true, options.preprocessing);
  if (!exported.written) return { written: [], diagnostics: exported.diagnostics };
  options.onWritten?.(1, 1);
  return { written: [exported.written], diagnostics: [] };
}

/** Several architectures, each into `outDir/<name>/`; all of them or none. */
export async function writeBaselineSet(
  ir: Ir,
  architectures: readonly BaselineArchitecture[],
  options: WriteOptions,
): Promise<WriteResult> {
  const { outDir } = options;
  const force = options.force === true;
  const target = checkStagedTarget(outDir, "samples", force);
  if (!target.ok) return { written: [], diagnostics: [target.diagnostic] };
  const staging = createStaging(outDir);
  if (!staging.ok) return { written: [], diagnostics: [staging.diagnostic] };
  let staged: WriteResult;
  try {
    staged = await exportAll(ir, architectures, staging.value, options);
  } catch (cause) {
    discardStaging(staging.value);
    throw cause;
  }
  if (staged.diagnostics.length > 0) {
    discardStaging(staging.value);
    return staged;
  }
  const committed = commitStaging(staging.value, outDir, "samples", force);
  if (!committed.ok) return { written: [], diagnostics: [committed.diagnostic] };
  return { written: staged.written.map((w) => ({ ...w, dir: join(outDir, w.architecture.name) })), diagnostics: [] };
}

async function exportAll(
  ir: Ir,
  architectures: readonly BaselineArchitecture[],
  staging: string,
  options: WriteOptions,
): Promise<WriteResult> {
  const written: WrittenBaseline[] = [];
  for (const architecture of architectures) {
    const exported = await exportOne(ir, architecture, join(staging, architecture.name), false, options.preprocessing);
    if (!exported.written) return { written: [], diagnostics: exported.diagnostics };
    written.push(exported.written);
    options.onWritten?.(written.length, architectures.length);
  }
  return { written, diagnostics: [] };
}

async function exportOne(
  ir: Ir,
  architecture: BaselineArchitecture,
  dir: string,
  force: boolean,
  preprocessing: Preprocessing | undefined,
): Promise<{ written?: WrittenBaseline; diagnostics: readonly Diagnostic[] }> {
  // Building the model draws initial weights: a backend registered but still starting (wasm) must be ready first.
  await tf.ready();
  const request = {
    ir,
    widths: architecture.widths,
    outDir: dir,
    force,
    search: architecture.settings,
    seed: architecture.seed,
    ...(preprocessing ? { preprocessing } : {}),
  };
  const result = await withSeededRandom(architecture.initSeed, () => exportArchitecture(request));
  // The model is on disk now; its weights would otherwise stay in tfjs memory for every sample.
  result.model?.dispose();
  if (!result.arch || !result.architecture) return { diagnostics: result.diagnostics };
  return { written: { architecture, dir, arch: result.arch, pruned: result.architecture }, diagnostics: [] };
}

/** tfjs initialisers draw from Math.random; seeded, the same seed writes the same weights.bin. */
async function withSeededRandom<T>(seed: number, work: () => Promise<T>): Promise<T> {
  const random = installSeededRandom(seed);
  try {
    return await work();
  } finally {
    random.restore();
  }
}
