/**
 * From a search run to an exported architecture: restore the supernet of the
 * last checkpoint, read ν, take widths ⌊Σπ⌋ (calibrated onto the target when
 * there is one, budget.ts), and write arch.json, pruned.figs and the model
 * (runtime/export), the model starting from the supernet's surviving channels.
 * With the run's validation images, arch.json also records the supernet's
 * accuracy on them in inference mode (masks 1[ν > 0]).
 */
import type { Ir } from "../../compiler/index.js";
import type { Diagnostic } from "../../diagnostics/diagnostic.js";
import type { Split } from "../data/dataset.js";
import { exportArchitecture, type ExportResult } from "../export/export.js";
import { widthsFromPi } from "../export/widths.js";
import { evaluateAccuracy } from "../train/losses.js";
import { calibrate, piOf, type Calibration } from "./budget.js";
import { loadSearchedSupernet } from "./run.js";
import type { RunConfig } from "./run-config.js";

export interface SearchExport extends ExportResult {
  readonly calibration?: Calibration;
  /** The supernet's accuracy on `validation` in inference mode, when it was given. */
  readonly validation?: { readonly accuracy: number; readonly images: number };
}

export interface SearchExportRequest {
  readonly ir: Ir;
  readonly config: RunConfig;
  readonly runDir: string;
  readonly outDir: string;
  readonly force: boolean;
  /** The images the run held out of training (the same split: same data, limit and seed). */
  readonly validation?: Split;
}

export async function exportSearch(request: SearchExportRequest): Promise<SearchExport> {
  const { ir, config } = request;
  const { settings } = config;
  const loaded = await loadSearchedSupernet(ir, settings, request.runDir);
  if (!loaded.trainer) return { diagnostics: [loaded.diagnostic as Diagnostic] };
  const trainer = loaded.trainer;
  try {
    const nu = trainer.logitValues();
    const calibration =
      settings.target === null ? undefined : calibrate(ir, nu, settings.cost, settings.target, settings.tolerance);
    const widths = calibration?.widths ?? widthsFromPi(ir, piOf(nu));
    const validation =
      request.validation === undefined
        ? undefined
        : { accuracy: await evaluateAccuracy(trainer.model, request.validation), images: request.validation.count };
    const search = {
      space: config.space.name,
      set: config.space.set,
      convention: config.space.convention,
      data: config.data,
      ...settings,
      finalLambda: loaded.lambda ?? null,
      calibrationShift: calibration?.shift ?? 0,
      ...(validation === undefined
        ? {}
        : { validationAccuracy: validation.accuracy, validationImages: validation.images }),
    };
    const preprocessing = config.preprocessing === undefined ? {} : { preprocessing: config.preprocessing };
    const result = await exportArchitecture({
      ir,
      widths,
      outDir: request.outDir,
      force: request.force,
      search,
      seed: settings.seed,
      supernet: trainer.supernet,
      ...preprocessing,
    });
    return {
      ...result,
      ...(calibration === undefined ? {} : { calibration }),
      ...(validation === undefined ? {} : { validation }),
    };
  } finally {
    trainer.dispose();
  }
}
