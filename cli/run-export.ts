/**
 * The export at the end of a search and of `figs export`: runs it and prints
 * what was found (params in both conventions, madds, widths, validation
 * accuracy), or the diagnostics.
 */
import { codeOf } from "../diagnostics/codes.js";
import { plainWarning } from "../diagnostics/diagnostic.js";
import type { ArchJson } from "../runtime/export/arch-json.js";
import { exportSearch, type SearchExport } from "../runtime/search/export-run.js";
import { ExitCode } from "./command.js";
import type { CliIo } from "./io.js";
import { compact } from "./progress.js";
import { report, writeNotes, type Reporter } from "./report.js";
import { describeParams } from "./run-common.js";

/** Export of a finished run (`figs search` at its end, and `figs export`): prints what was found. */
export async function exportRun(to: Reporter, request: Parameters<typeof exportSearch>[0]): Promise<number> {
  const exported = await exportSearch(request);
  exported.model?.dispose();
  if (!exported.arch) return report(to, exported.diagnostics);
  const { settings } = request.config;
  if (exported.calibration && !exported.calibration.withinTolerance) {
    const message =
      `the closest export to the target has ${exported.calibration.cost} ${settings.cost}, ` +
      `outside ±${100 * settings.tolerance}%`;
    writeNotes(to, [plainWarning(codeOf("TargetMissed"), message)]);
  }
  printExport(to.io, exported, request.outDir);
  return ExitCode.Ok;
}

function printExport(io: CliIo, exported: SearchExport, outDir: string): void {
  const arch = exported.arch as ArchJson;
  const searchable = arch.widths.filter((w) => w.searchable);
  const widths = searchable
    .slice(0, 12)
    .map((w) => `${w.name}:${w.width}/${w.size}`)
    .join(" ");
  const validation = exported.validation;
  io.stdout.write(
    `found: ${describeParams(arch.costs)}, ${compact(arch.costs.torch.madds)} madds (${arch.costs.torch.madds}); ` +
      `${arch.removedOps} ops removed\n` +
      `widths: ${widths}${searchable.length > 12 ? ` … (${searchable.length} groups)` : ""}\n` +
      (validation === undefined
        ? ""
        : `validation accuracy: ${(100 * validation.accuracy).toFixed(2)}% on ${validation.images} ` +
          "held-out images (the supernet in inference mode, masks 1[ν > 0])\n") +
      `exported to ${outDir} (arch.json, pruned.figs, model.json)\n`,
  );
}
