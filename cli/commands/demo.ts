/**
 * `figs demo`: the README's main command. Search, export and retrain of the
 * small MNIST space (spaces/mnist_convnet.figs at width 16, hidden 64) on the
 * embedded MNIST, sized to finish in a few minutes on a 2-core machine; it
 * prints the found architecture's params, madds and test accuracy.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { packageRoot } from "../../compiler/index.js";
import { readArch, type ArchJson } from "../../runtime/export/arch-json.js";
import { readRetrainResult, type RetrainResult } from "../../runtime/retrain/result.js";
import { booleanOption, ExitCode, stringOption, type Command, type ParsedArgs } from "../command.js";
import type { CliIo } from "../io.js";
import { duration } from "../progress.js";
import { report, reporterFor } from "../report.js";
import { BACKEND_OPTIONS } from "../run-common.js";
import { runRetrainCommand } from "../runs/retrain.js";
import { runSearchCommand } from "../runs/search.js";
import { LAZY_SUMMARIES } from "./summaries.js";

export const DEMO = {
  space: "spaces/mnist_convnet.figs",
  set: ["width=16", "hidden=64"],
  target: "params=40k",
  limit: "10000",
  searchSteps: "300",
  retrainEpochs: "2",
} as const;

export const demoCommand: Command = {
  name: "demo",
  summary: LAZY_SUMMARIES.demo,
  usage: "[--out DIR] [--backend NAME]",
  description: [
    `Runs figs search ${DEMO.space} --set ${DEMO.set.join(",")} --target ${DEMO.target} --limit ${DEMO.limit} ` +
      `--steps ${DEMO.searchSteps},`,
    `then figs retrain of the exported arch.json for ${DEMO.retrainEpochs} epochs, and prints the found`,
    "architecture's params, madds and test accuracy. Output goes to a new directory (--out, or a temporary one).",
    "",
    "Exit status: 0 done, 1 bad input (e.g. --out exists, an unknown --backend), 2 internal error,",
    "130 stopped by a signal.",
  ].join("\n"),
  options: {
    out: {
      type: "string",
      short: "o",
      valueName: "DIR",
      description: "where to put the search and retrain directories (must not exist)",
    },
    ...BACKEND_OPTIONS,
  },
  examples: [
    {
      command: "figs demo",
      says: "searches, exports and retrains in a temporary directory; prints params, madds and test accuracy",
    },
    {
      command: "figs demo --out demo-run --backend wasm",
      says: "the same on the wasm backend, keeping demo-run/search and demo-run/retrain",
    },
  ],
  run: runDemo,
};

async function runDemo(args: ParsedArgs, io: CliIo): Promise<number> {
  const started = Date.now();
  const out = stringOption(args, "out");
  const root = out === undefined ? mkdtempSync(join(tmpdir(), "figs-demo-")) : resolve(io.cwd, out);
  const backend = stringOption(args, "backend");
  const threads = stringOption(args, "threads");
  const common = {
    limit: DEMO.limit,
    // Its diagnostics are the search's and the retraining's: --json reaches them.
    ...(booleanOption(args, "json") ? { json: true } : {}),
    ...(backend === undefined ? {} : { backend }),
    ...(threads === undefined ? {} : { threads }),
  };
  const space = relative(io.cwd, join(packageRoot(), DEMO.space)) || DEMO.space;
  const searchArgs = {
    positionals: [space],
    values: { ...common, set: [...DEMO.set], target: DEMO.target, steps: DEMO.searchSteps, out: join(root, "search") },
  };
  const searched = await runSearchCommand(searchArgs, io);
  if (searched !== ExitCode.Ok) return searched;
  const arch = join(root, "search", "export", "arch.json");
  const retrainArgs = {
    positionals: [arch],
    values: { ...common, epochs: DEMO.retrainEpochs, out: join(root, "retrain") },
  };
  const retrained = await runRetrainCommand(retrainArgs, io);
  if (retrained !== ExitCode.Ok) return retrained;
  const found = readArch(arch);
  const result = readRetrainResult(join(root, "retrain"));
  const to = reporterFor(io, "demo", args);
  if (!found.arch) return report(to, found.diagnostics);
  if (!result.ok) return report(to, [result.diagnostic]);
  io.stdout.write(summary(root, found.arch, result.value, Date.now() - started));
  return ExitCode.Ok;
}

function summary(root: string, arch: ArchJson, result: RetrainResult, elapsed: number): string {
  const { params, madds } = arch.costs.torch;
  const accuracy = `${(100 * result.testAccuracy).toFixed(2)}%`;
  return [
    "",
    `demo: found architecture with ${params} params (torch convention) and ${madds} madds (target ${DEMO.target}),`,
    `      test accuracy ${accuracy} on ${result.testImages} MNIST test images, in ${duration(elapsed)}`,
    `      files in ${root}`,
    "",
  ].join("\n");
}
