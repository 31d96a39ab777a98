/**
 * Writing baseline architectures with `runtime/export`: the same three
 * artifacts a search exports (arch.json, pruned.figs, the LayersModel). A set
 * of samples is written into one staging folder and renamed into place at the
 * end, like a single export, so a failure part-way leaves no half set behind
 * and an existing output folder is only replaced with `force`.
 */
import { existsSync, mkdirSync, renameSync, rmSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { error, type Diagnostic } from "../../diagnostics/diagnostic.js";
import { SourceFile, type SourceRange } from "../../diagnostics/source.js";
import type { Ir } from "../../compiler/ir/types.js";
import { EXPORT_CODES, exportArchitecture, type ArchJson } from "../export/index.js";
import type { PrunedArchitecture } from "../export/prune.js";
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
}

/** One architecture exported straight into `outDir` (the width-multiplier baseline). */
export async function writeBaseline(ir: Ir, architecture: BaselineArchitecture, options: WriteOptions): Promise<WriteResult> {
  const exported = await exportOne(ir, architecture, options.outDir, options.force === true);
  if (!exported.written) return { written: [], diagnostics: exported.diagnostics };
  options.onWritten?.(1, 1);
  return { written: [exported.written], diagnostics: [] };
}

/** Several architectures, each into `outDir/<name>/`; all of them or none. */
export async function writeBaselineSet(ir: Ir, architectures: readonly BaselineArchitecture[], options: WriteOptions): Promise<WriteResult> {
  const { outDir } = options;
  if (existsSync(outDir) && !options.force) return { written: [], diagnostics: [outputExists(outDir)] };
  const staging = join(dirname(outDir), `.${basename(outDir)}.partial-${process.pid}-${Date.now()}`);
  try {
    mkdirSync(staging, { recursive: true });
    const staged = await exportAll(ir, architectures, staging, options);
    if (staged.diagnostics.length > 0) return staged;
    if (existsSync(outDir)) rmSync(outDir, { recursive: true, force: true });
    renameSync(staging, outDir);
    const written = staged.written.map((w) => ({ ...w, dir: join(outDir, w.architecture.name) }));
    return { written, diagnostics: [] };
  } catch (cause) {
    return { written: [], diagnostics: [writeFailed(outDir, cause)] };
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

async function exportAll(ir: Ir, architectures: readonly BaselineArchitecture[], staging: string, options: WriteOptions): Promise<WriteResult> {
  const written: WrittenBaseline[] = [];
  for (const architecture of architectures) {
    const exported = await exportOne(ir, architecture, join(staging, architecture.name), false);
    if (!exported.written) return { written: [], diagnostics: exported.diagnostics };
    written.push(exported.written);
    options.onWritten?.(written.length, architectures.length);
  }
  return { written, diagnostics: [] };
}

async function exportOne(ir: Ir, architecture: BaselineArchitecture, dir: string, force: boolean): Promise<{ written?: WrittenBaseline; diagnostics: readonly Diagnostic[] }> {
  // Building the model draws initial weights: a backend registered but still starting (wasm) must be ready first.
  await tf.ready();
  const request = { ir, widths: architecture.widths, outDir: dir, force, search: architecture.settings, seed: architecture.seed };
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

function outputExists(outDir: string): Diagnostic {
  return error(EXPORT_CODES.writeFailed, `the output directory ${outDir} already exists; choose another or pass --force to replace it`, at(outDir));
}

function writeFailed(outDir: string, cause: unknown): Diagnostic {
  return error(EXPORT_CODES.writeFailed, `cannot write to ${outDir}: ${cause instanceof Error ? cause.message : String(cause)}`, at(outDir));
}

function at(path: string): SourceRange {
  return new SourceFile(path, "").rangeAt(0, 0);
}
