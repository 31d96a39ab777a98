/**
 * `figs export RUN_DIR [--out DIR] [--force]`: the architecture a search run
 * found, from its last checkpoint, as arch.json + pruned.figs + model.json.
 * `figs search` does this itself at the end; this command re-exports a run
 * (e.g. one stopped early, or into another directory).
 */
import { resolve } from "node:path";
import type { Split } from "../../runtime/data/dataset.js";
import { readRunConfig, type RunConfig } from "../../runtime/search/index.js";
import { booleanOption, stringOption, usageProblem, type Command, type ParsedArgs } from "../command.js";
import { compileRunSpace } from "../inputs/index.js";
import type { CliIo } from "../io.js";
import { report, reporterFor, writeNotes, type Reporter } from "../report.js";
import { BACKEND_OPTIONS, loadRunData, noReason, sourceLookup, startBackend, validationOf } from "../run-common.js";
import { exportRun } from "../run-export.js";
import { LAZY_SUMMARIES } from "./summaries.js";
import { holding, lockRunFolder } from "../run-folder.js";

export const exportCommand: Command = {
  name: "export",
  summary: LAZY_SUMMARIES.export,
  usage: "RUN_DIR [--out DIR] [--force]",
  description: [
    "Reads RUN_DIR (made by figs search), restores its last checkpoint, takes the widths",
    "⌊Σπ⌋ of every group (calibrated onto --target when the search had one) and writes",
    "DIR/arch.json, DIR/pruned.figs and DIR/model.json + weights.bin (default RUN_DIR/export).",
    "When the search held images out (--validation), they are loaded again and arch.json",
    "records the supernet's accuracy on them.",
    "",
    "Exit status: 0 exported, 1 bad input (diagnostics), 2 internal error.",
  ].join("\n"),
  options: {
    out: {
      type: "string",
      short: "o",
      valueName: "DIR",
      description: "where to write the export (default RUN_DIR/export; must not exist unless --force)",
    },
    force: { type: "boolean", description: "replace an existing output directory" },
    ...BACKEND_OPTIONS,
  },
  examples: [
    {
      command: "figs export search-mnist_convnet --out mnist-arch",
      says: "exports the last checkpoint of a 'figs search spaces/mnist_convnet.figs' run to mnist-arch/",
    },
    {
      command: "figs export search-mnist_convnet --force",
      says: "exports it again over search-mnist_convnet/export/ (e.g. after a search was stopped)",
    },
  ],
  run: runExport,
};

async function runExport(args: ParsedArgs, io: CliIo): Promise<number> {
  const to = reporterFor(io, "export", args);
  const [runArg] = args.positionals;
  if (runArg === undefined) {
    return report(to, [usageProblem("MissingOperand", "no run directory given (the --out DIR of figs search)")]);
  }
  const runDir = resolve(io.cwd, runArg);
  const read = readRunConfig(runDir);
  if (!read.ok) return report(to, [read.diagnostic]);
  const config = read.value;
  const compiled = compileRunSpace(config, runDir);
  if (!compiled.ir) {
    const diagnostics = compiled.diagnostics.length > 0 ? compiled.diagnostics : [noReason()];
    return report(to, diagnostics, sourceLookup(io));
  }
  const backend = await startBackend(to, args);
  if (backend !== undefined) return backend;
  const outDir = resolve(io.cwd, stringOption(args, "out") ?? resolve(runDir, "export"));
  // The run's own writer holds this lock while it searches: exporting a checkpoint that is being replaced
  // waits for it to finish.
  const locked = lockRunFolder(to, runDir);
  if ("exit" in locked) return locked.exit;
  const request = {
    ir: compiled.ir,
    config,
    runDir,
    outDir,
    force: booleanOption(args, "force"),
    ...heldOutImages(to, config),
  };
  return holding(locked.lock, () => exportRun(to, request));
}

/**
 * The run's validation images, loaded again (same data, limit and seed, so
 * the same images), so a re-export records the accuracy the search's own
 * export did. Without them the export still goes ahead.
 */
function heldOutImages(to: Reporter, config: RunConfig): { readonly validation?: Split } {
  if (config.data.validation === null) return {};
  const loaded = loadRunData(config.data, config.settings.seed);
  if (loaded.ok) return validationOf(loaded.value);
  const { diagnostic } = loaded;
  const message =
    "cannot load the run's validation images, so arch.json will not record their accuracy: " + diagnostic.message;
  writeNotes(to, [{ ...diagnostic, severity: "warning", message }]);
  return {};
}
