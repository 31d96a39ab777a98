/**
 * Export: widths → pruned architecture → three files in one output directory:
 * `arch.json`, a concrete `pruned.figs`, and the tfjs LayersModel
 * (`model.json` + `weights.bin`). Everything is written into a fresh sibling
 * directory first and renamed into place at the end, so a failed export
 * leaves nothing half-written, and an existing directory is replaced only
 * with `force`, and only when it is a figs export holding nothing else.
 */
import { join } from "node:path";
import type * as tf from "@tensorflow/tfjs";
import { fileError, plainError, type Diagnostic } from "../../diagnostics/diagnostic.js";
import type { Ir, IrSource } from "../../compiler/index.js";
import type { Result } from "../data/errors.js";
import { emitModel } from "../emit/supernet.js";
import { checkStagedTarget, commitStaging, createStaging, discardStaging, writeFileAtomic } from "../folders/index.js";
import type { Supernet } from "../emit/supernet.js";
import type { Preprocessing } from "../data/preprocessing.js";
import { ARCH_FORMAT, ARCH_VERSION, serializeArch, type ArchJson } from "./arch-json.js";
import { EXPORT_CODES } from "./codes.js";
import { architectureCosts } from "./costs.js";
import { writePrunedFigs } from "./figs-writer.js";
import { fileSaveHandler } from "./model-files.js";
import { pruneArchitecture, type PrunedArchitecture } from "./prune.js";
import { keptChannelsByGroup, transferWeights } from "./transfer.js";
import { checkWidths, widthsFromPi } from "./widths.js";

export const ARCH_FILE = "arch.json";
export const FIGS_FILE = "pruned.figs";

export interface ExportRequest {
  readonly ir: Ir;
  /** Widths per group id; or give `pi` and the widths are ⌊Σπ⌋. */
  readonly widths?: ArrayLike<number>;
  readonly pi?: ArrayLike<number>;
  readonly outDir: string;
  /** Replace an existing output directory. */
  readonly force?: boolean;
  /** The search's settings, recorded in arch.json. */
  readonly search?: Readonly<Record<string, unknown>> | null;
  readonly seed?: number | null;
  /** When given, the model starts from the supernet's surviving channels (largest ν per group). */
  readonly supernet?: Supernet;
  /**
   * What the data went through (`preprocessingOf(dataset)` in runtime/data): recorded in arch.json's
   * `preprocessing` and in the model's user-defined metadata (`model.getUserDefinedMetadata().preprocessing`).
   */
  readonly preprocessing?: Preprocessing;
}

export interface ExportResult {
  readonly diagnostics: readonly Diagnostic[];
  readonly arch?: ArchJson;
  readonly architecture?: PrunedArchitecture;
  readonly figs?: string;
  readonly model?: tf.LayersModel;
}

export interface ExportPlan {
  readonly arch: ArchJson;
  readonly architecture: PrunedArchitecture;
  readonly figs: string;
}

/** Everything an export writes, computed in memory: no files touched. */
export function planExport(request: Omit<ExportRequest, "outDir" | "force" | "supernet">): {
  plan?: ExportPlan;
  diagnostics: readonly Diagnostic[];
} {
  const { ir } = request;
  const widths = request.widths ?? (request.pi ? widthsFromPi(ir, request.pi) : undefined);
  if (!widths)
    return {
      diagnostics: [plainError(EXPORT_CODES.invalidWidths, "export needs widths or π")],
    };
  const widthProblems = checkWidths(ir, widths);
  if (widthProblems.length > 0) return { diagnostics: widthProblems };
  const pruned = pruneArchitecture(ir, widths);
  if (!pruned.architecture) return { diagnostics: pruned.diagnostics };
  const architecture = pruned.architecture;
  const source = spaceSource(ir);
  const figs = writePrunedFigs(ir, architecture, source.path, source.sha256);
  const arch: ArchJson = {
    format: ARCH_FORMAT,
    version: ARCH_VERSION,
    space: ir.space,
    source,
    sources: ir.sources.map((s) => ({ ...s })),
    parameters: { ...ir.parameters },
    widths: ir.groups.map((g) => ({
      group: g.id,
      name: g.name,
      size: g.size,
      searchable: g.searchable,
      width: architecture.widths[g.id] as number,
    })),
    costs: architectureCosts(ir, architecture),
    search: request.search ?? null,
    seed: request.seed ?? null,
    removedOps: ir.nodes.length - architecture.nodes.length,
    files: { figs: FIGS_FILE, model: "model.json" },
    ...(request.preprocessing ? { preprocessing: request.preprocessing } : {}),
  };
  return { plan: { arch, architecture, figs }, diagnostics: [] };
}

export async function exportArchitecture(request: ExportRequest): Promise<ExportResult> {
  const { outDir } = request;
  const force = request.force === true;
  const target = checkStagedTarget(outDir, "export", force);
  if (!target.ok) return { diagnostics: [target.diagnostic] };
  const planned = planExport(request);
  if (!planned.plan) return { diagnostics: planned.diagnostics };
  const { arch, architecture, figs } = planned.plan;
  const archText = serializeArch(arch);
  if (archText.text === undefined) return { diagnostics: archText.diagnostics };
  const model = emitModel(architecture.nodes, architecture.output, `${arch.space}_exported`);
  if (request.supernet) {
    const nu = request.supernet.masks.allLogits();
    transferWeights(
      request.supernet,
      architecture,
      model,
      keptChannelsByGroup(request.ir, nu.dataSync(), architecture.widths),
    );
    nu.dispose();
  }
  if (arch.preprocessing) model.setUserDefinedMetadata({ preprocessing: { ...arch.preprocessing } });
  const written = await writeStaged(outDir, force, archText.text, figs, model);
  if (!written.ok) {
    model.dispose();
    return { diagnostics: [written.diagnostic] };
  }
  return { diagnostics: [], arch, architecture, figs, model };
}

/** The three files into a staging folder, renamed into place at the end (runtime/folders/staged.ts). */
async function writeStaged(
  outDir: string,
  force: boolean,
  archText: string,
  figs: string,
  model: tf.LayersModel,
): Promise<Result<void>> {
  const staging = createStaging(outDir);
  if (!staging.ok) return staging;
  for (const [file, text] of [
    [ARCH_FILE, archText],
    [FIGS_FILE, figs],
  ] as const) {
    const done = writeFileAtomic(join(staging.value, file), text);
    if (!done.ok) return discarded(staging.value, outDir, done.diagnostic.message);
  }
  try {
    await model.save(fileSaveHandler(staging.value));
  } catch (cause) {
    return discarded(staging.value, outDir, cause instanceof Error ? cause.message : String(cause));
  }
  return commitStaging(staging.value, outDir, "export", force);
}

function discarded(staging: string, outDir: string, reason: string): Result<void> {
  discardStaging(staging);
  return {
    ok: false,
    diagnostic: fileError(EXPORT_CODES.writeFailed, `cannot write the export to ${outDir}: ${reason}`, outDir),
  };
}

/** The file that defines the space: where its input op was written (the IR lists every source, sorted by path). */
function spaceSource(ir: Ir): IrSource {
  const file = ir.nodes[0]?.range.file;
  const found = ir.sources.find((s) => s.path === file) ?? ir.sources[0];
  return found ? { ...found } : { path: file ?? "<unknown>", sha256: "0".repeat(64) };
}
