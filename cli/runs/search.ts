/**
 * What `figs search` does (and `figs demo` with it): resolve the run's inputs
 * (a fresh run's space compiled once, or run.json and the space compiled
 * again for --resume), check everything before the first byte is written,
 * train under the run folder's lock, then export what was found.
 */
import { basename, join, resolve } from "node:path";
import type { Ir } from "../../compiler/index.js";
import { batchCount } from "../../runtime/data/batches.js";
import type { Dataset, Split } from "../../runtime/data/dataset.js";
import { preprocessingOf } from "../../runtime/data/preprocessing.js";
import type { OutputPlan } from "../../runtime/folders/index.js";
import {
  readRunConfig,
  runConfig,
  runSearch,
  writeRunConfig,
  RUN_FILE,
  type RunConfig,
  type SearchSettings,
} from "../../runtime/search/index.js";
import { codeOf } from "../../diagnostics/codes.js";
import { plainError, plainWarning, type Diagnostic } from "../../diagnostics/diagnostic.js";
import { booleanOption, ExitCode, stringOption, type ParsedArgs } from "../command.js";
import { compileFreshSpace, compileRunSpace } from "../inputs/index.js";
import type { CliIo } from "../io.js";
import { logitsWidth, preflightProblem, targetProblem } from "../preflight.js";
import { report, reporterFor, writeNotes, type Reporter } from "../report.js";
import {
  cannotResume,
  dataFrom,
  describeImages,
  loadData,
  noReason,
  resumeConflict,
  sourceLookup,
  sourceReader,
  startBackend,
  validationOf,
} from "../run-common.js";
import { exportRun } from "../run-export.js";
import { checkRunFolder, dataPaths, holding, openRunFolder, type Failure } from "../run-folder.js";
import { searchSettingsFrom, searchSteps } from "./search-settings.js";
import { progressBar, reportStopped, withStopSignals } from "./training.js";

export async function runSearchCommand(args: ParsedArgs, io: CliIo): Promise<number> {
  const to = reporterFor(io, "search", args);
  const resume = booleanOption(args, "resume");
  const dir = resolve(io.cwd, stringOption(args, "out") ?? defaultOut(args));
  const prepared = resume ? await resumedRun(args, to, dir) : await freshRun(args, to, dir);
  if ("exit" in prepared) return prepared.exit;
  const { ir, config, plan } = prepared;
  const data = loadData(to, config.data, config.settings.seed, logitsWidth(ir));
  if ("exit" in data) return data.exit;
  const steps = searchSteps(args, config.settings, data.value.train.count, resume);
  if (!steps.ok) return report(to, [steps.diagnostic]);
  const settings = { ...config.settings, steps: steps.value };
  const backend = await startBackend(to, args);
  if (backend !== undefined) return backend;
  const problem = trainingProblem(ir, data.value, settings, sourceReader(io));
  if (problem !== undefined) return report(to, [problem], sourceLookup(io));
  const opened = openRunFolder(to, plan);
  if ("exit" in opened) return opened.exit;
  const recorded: RunConfig = {
    ...config,
    settings,
    preprocessing: config.preprocessing ?? preprocessingOf(data.value),
  };
  return holding(opened.folder, async () => {
    if (!resume) {
      const written = writeRunConfig(dir, recorded);
      if (!written.ok) return report(to, [written.diagnostic]);
    }
    io.stdout.write(
      `search: ${config.space.name} on ${config.data.spec} (${describeImages(data.value)}), ` +
        `${settings.steps} steps, run directory ${dir}\n`,
    );
    const status = await train(to, { ir, train: data.value.train, settings, dir, resume });
    if (status !== ExitCode.Ok) return status;
    const run = { ir, config: recorded, runDir: dir, outDir: join(dir, "export"), force: true };
    return exportRun(to, { ...run, ...validationOf(data.value) });
  });
}

/** What makes this search impossible with this data on this machine, found before anything is written. */
function trainingProblem(
  ir: Ir,
  data: Dataset,
  settings: SearchSettings,
  readSource: (path: string) => string | undefined,
): Diagnostic | undefined {
  if (batchCount(data.train, { batchSize: settings.batchSize, dropRemainder: true }) === 0) {
    const message =
      `the training set has ${data.train.count} images, fewer than one batch of ${settings.batchSize}; ` +
      "use a smaller --batch or a larger --limit";
    return plainError(codeOf("TooFewImages"), message);
  }
  return preflightProblem({ ir, data, batchSize: settings.batchSize, mode: "search", readSource });
}

function defaultOut(args: ParsedArgs): string {
  const path = args.positionals[0] ?? "space.figs";
  return `search-${basename(path).replace(/\.figs$/, "")}`;
}

type Prepared = { readonly ir: Ir; readonly config: RunConfig; readonly plan: OutputPlan } | Failure;

async function freshRun(args: ParsedArgs, to: Reporter, dir: string): Promise<Prepared> {
  const { io } = to;
  const settings = searchSettingsFrom(args);
  if (!settings.ok) return { exit: report(to, [settings.diagnostic]) };
  const data = dataFrom(args);
  if (!data.ok) return { exit: report(to, [data.diagnostic]) };
  const mode = booleanOption(args, "force") ? "force" : "fresh";
  const early = checkRunFolder(to, { dir, kind: "search", mode, protect: [], command: "figs search" });
  if ("exit" in early) return early;
  const compiled = await compileFreshSpace(args, to);
  if ("exit" in compiled) return compiled;
  const { ir, path, set } = compiled.space;
  const config = runConfig(ir, path, set, data.value, settings.value);
  const unreachable = targetProblem(ir, settings.value);
  if (unreachable !== undefined) return { exit: report(to, [unreachable], sourceLookup(io)) };
  if (!ir.groups.some((g) => g.searchable)) {
    const message =
      `nothing in ${ir.space} is searchable (every channel group is fixed): ` +
      "the search trains the weights only and exports the whole space";
    writeNotes(to, [plainWarning(codeOf("NothingSearchable"), message)]);
  }
  const protect = [...ir.sources.map((s) => resolve(io.cwd, s.path)), ...dataPaths(data.value.spec)];
  const checked = checkRunFolder(to, { dir, kind: "search", mode, protect, command: "figs search" });
  return "exit" in checked ? checked : { ir, config, plan: checked.plan };
}

async function resumedRun(args: ParsedArgs, to: Reporter, dir: string): Promise<Prepared> {
  const request = { dir, kind: "search", mode: "resume", protect: [], command: "figs search" } as const;
  const checked = checkRunFolder(to, request);
  if ("exit" in checked) return checked;
  const read = readRunConfig(dir);
  if (!read.ok) return { exit: report(to, [cannotResume(read.diagnostic)]) };
  const config = read.value;
  const conflict = resumeConflict(args, to.io.cwd, join(dir, RUN_FILE), config.space.path);
  if (conflict !== undefined) return { exit: report(to, [conflict]) };
  const compiled = compileRunSpace(config, dir);
  if (!compiled.ir) {
    const [first = noReason(), ...rest] = compiled.diagnostics;
    return { exit: report(to, [cannotResume(first), ...rest], sourceLookup(to.io)) };
  }
  return { ir: compiled.ir, config, plan: checked.plan };
}

interface TrainRequest {
  readonly ir: Ir;
  readonly train: Split;
  readonly settings: SearchSettings;
  readonly dir: string;
  readonly resume: boolean;
}

async function train(to: Reporter, request: TrainRequest): Promise<number> {
  const { io } = to;
  const bar = progressBar(io, request.settings.steps);
  return withStopSignals(io, async (stop) => {
    const outcome = await runSearch({
      ...request,
      stop,
      onStep: (p) =>
        bar.update({
          step: p.step,
          total: p.steps,
          loss: p.values.loss,
          accuracy: p.values.accuracy,
          expectedCost: p.values.expectedCost,
          lambda: p.lambda,
        }),
    });
    bar.finish();
    if (outcome.status === "failed") return report(to, outcome.diagnostics);
    if (outcome.status === "stopped") return reportStopped(io, "search", outcome.steps, request.dir);
    return ExitCode.Ok;
  });
}
