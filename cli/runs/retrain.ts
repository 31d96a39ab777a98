/**
 * What `figs retrain` does (and `figs demo` with it): resolve the run's
 * inputs (the architecture of an arch.json or a pruned .figs, or
 * retrain.json and the same architecture again for --resume), check
 * everything before the first byte is written, then train and save under the
 * run folder's lock (retrain-result.ts).
 */
import { basename, join, resolve } from "node:path";
import type { Ir } from "../../compiler/index.js";
import { architectureCosts } from "../../runtime/export/costs.js";
import type { OutputPlan } from "../../runtime/folders/index.js";
import {
  checkRetrainSettings,
  checkSameArchitecture,
  DEFAULT_RETRAIN,
  readRetrainRunConfig,
  RETRAIN_RUN_FILE,
  retrainRunConfig,
  writeRetrainRunConfig,
  type RetrainRunConfig,
  type RetrainSettings,
} from "../../runtime/retrain/index.js";
import { failed, type Result } from "../../diagnostics/result.js";
import { booleanOption, stringOption, usageProblem, type ParsedArgs } from "../command.js";
import { loadArchitecture } from "../inputs/index.js";
import type { CliIo } from "../io.js";
import { logitsWidth, preflightProblem } from "../preflight.js";
import { report, reporterFor, type Reporter } from "../report.js";
import {
  augmentFrom,
  cannotResume,
  dataFrom,
  loadData,
  numberOption,
  resumeConflict,
  sourceLookup,
  sourceReader,
  startBackend,
  type Failure,
} from "../run-common.js";
import { checkRunFolder, dataPaths, holding, openRunFolder } from "../run-folder.js";
import { cwdHost } from "../source-files.js";
import { trainAndSave, type Architecture } from "./retrain-result.js";

export async function runRetrainCommand(args: ParsedArgs, io: CliIo): Promise<number> {
  const to = reporterFor(io, "retrain", args);
  const resume = booleanOption(args, "resume");
  const [path] = args.positionals;
  const out = stringOption(args, "out");
  if (path === undefined && (out === undefined || !resume)) {
    const message = resume
      ? "--resume needs the --out DIR of the retraining to continue"
      : "no architecture given (an arch.json or a pruned .figs)";
    return report(to, [usageProblem("MissingOperand", message)]);
  }
  const dir = resolve(io.cwd, out ?? `retrain-${basename(path ?? "").replace(/\.(json|figs)$/, "")}`);
  const prepared = resume ? resumedRetrain(args, to, dir) : freshRetrain(args, to, dir);
  if ("exit" in prepared) return prepared.exit;
  const { config, architecture, name, plan } = prepared;
  const data = loadData(to, config.data, config.settings.seed, logitsWidth(architecture.ir));
  if ("exit" in data) return data.exit;
  const backend = await startBackend(to, args);
  if (backend !== undefined) return backend;
  const preflight = {
    ir: architecture.ir,
    data: data.value,
    batchSize: config.settings.batchSize,
    mode: "retrain" as const,
    widths: architecture.pruned.widths,
    readSource: sourceReader(io),
  };
  const problem = preflightProblem(preflight);
  if (problem !== undefined) return report(to, [problem], sourceLookup(io));
  const opened = openRunFolder(to, plan);
  if ("exit" in opened) return opened.exit;
  return holding(opened.folder, async () => {
    if (!resume) {
      const written = writeRetrainRunConfig(dir, config);
      if (!written.ok) return report(to, [written.diagnostic]);
    }
    const source = config.architecture;
    return trainAndSave(to, { architecture, source, name, data: data.value, settings: config.settings, dir, resume });
  });
}

type Prepared =
  | {
      readonly config: RetrainRunConfig;
      readonly architecture: Architecture;
      readonly name: string;
      readonly plan: OutputPlan;
    }
  | Failure;

function freshRetrain(args: ParsedArgs, to: Reporter, dir: string): Prepared {
  const { io } = to;
  const path = args.positionals[0] as string;
  const mode = booleanOption(args, "force") ? "force" : "fresh";
  const early = checkRunFolder(to, { dir, kind: "retrain", mode, protect: [], command: "figs retrain" });
  if ("exit" in early) return early;
  const space = stringOption(args, "space");
  const loaded = architectureOf(to, path, space);
  if ("exit" in loaded) return loaded;
  const settings = retrainSettingsFrom(args);
  if (!settings.ok) return { exit: report(to, [settings.diagnostic]) };
  const data = dataFrom(args);
  if (!data.ok) return { exit: report(to, [data.diagnostic]) };
  const recorded = { path: resolve(io.cwd, path), space: space === undefined ? null : resolve(io.cwd, space) };
  const config = retrainRunConfig(recorded, data.value, settings.value);
  if (!config.ok) return { exit: report(to, [config.diagnostic]) };
  const protect = [
    recorded.path,
    ...loaded.architecture.ir.sources.map((s) => resolve(io.cwd, s.path)),
    ...dataPaths(data.value.spec),
  ];
  const checked = checkRunFolder(to, { dir, kind: "retrain", mode, protect, command: "figs retrain" });
  return "exit" in checked ? checked : { ...loaded, config: config.value, plan: checked.plan };
}

/** As `figs search --resume`: everything from the saved retrain.json; only --backend and --threads may change. */
function resumedRetrain(args: ParsedArgs, to: Reporter, dir: string): Prepared {
  const request = { dir, kind: "retrain", mode: "resume", protect: [], command: "figs retrain" } as const;
  const checked = checkRunFolder(to, request);
  if ("exit" in checked) return checked;
  const read = readRetrainRunConfig(dir);
  if (!read.ok) return { exit: report(to, [cannotResume(read.diagnostic)]) };
  const config = read.value;
  const conflict = resumeConflict(args, to.io.cwd, join(dir, RETRAIN_RUN_FILE), config.architecture.path);
  if (conflict !== undefined) return { exit: report(to, [conflict]) };
  const same = checkSameArchitecture(config, dir);
  if (!same.ok) return { exit: report(to, [cannotResume(same.diagnostic)]) };
  const loaded = architectureOf(to, config.architecture.path, config.architecture.space ?? undefined);
  return "exit" in loaded ? loaded : { ...loaded, config, plan: checked.plan };
}

function architectureOf(
  to: Reporter,
  path: string,
  space: string | undefined,
): { readonly architecture: Architecture; readonly name: string } | Failure {
  const { io } = to;
  const loaded = loadArchitecture({
    path,
    cwd: io.cwd,
    host: cwdHost(io),
    ...(space === undefined ? {} : { spaceOverride: space }),
  });
  if (!loaded.architecture || !loaded.ir) return { exit: report(to, loaded.diagnostics, (p) => loaded.sources.get(p)) };
  const ir: Ir = loaded.ir;
  const architecture = { pruned: loaded.architecture, ir, costs: architectureCosts(ir, loaded.architecture) };
  return { architecture, name: `${ir.space}_retrained` };
}

/** The settings a fresh retraining asks for, or what is wrong with them. */
function retrainSettingsFrom(args: ParsedArgs): Result<RetrainSettings> {
  const names = {
    epochs: "epochs",
    steps: "steps",
    batchSize: "batch",
    learningRate: "lr",
    seed: "seed",
    checkpointEvery: "checkpoint-every",
  } as const;
  const values: Record<string, number> = {};
  for (const [key, option] of Object.entries(names)) {
    const value = numberOption(args, option);
    if (!value.ok) return value;
    if (value.value !== undefined) values[key] = value.value;
  }
  if (values["epochs"] !== undefined && values["steps"] !== undefined)
    return failed(usageProblem("ConflictingOptions", "give either --steps or --epochs, not both"));
  const augment = augmentFrom(args);
  if (!augment.ok) return augment;
  return checkRetrainSettings({ ...DEFAULT_RETRAIN, ...values, ...augment.value, steps: values["steps"] ?? null });
}
