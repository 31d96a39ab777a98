/**
 * `figs sample SPACE.figs --n N [--seed S] [--drop P] [--widths independent|uniform] [--target KIND=N]
 * [--set NAME=VALUE…] [--out DIR] [--force] [--json]`: the random-search baseline. N random
 * sub-architectures (a random subset of the operators; each group's width fraction drawn on its
 * own in [0.25, 1], or the FiGS paper's one multiplier for all), optionally scaled onto a budget,
 * each exported to DIR/sample-<i>/ exactly as a search result is exported.
 */
import { resolve } from "node:path";
import "../../runtime/backend/quiet.js";
import { DEFAULT_SAMPLE_OPTIONS, type Budget, type WidthMode } from "../../compiler/index.js";
import { randomBaselines, writeBaselineSet } from "../../runtime/baselines/index.js";
import { OUTPUT_OPTIONS, progressReporter, reportBaselines } from "../baseline-report.js";
import { failed, ok, type Result } from "../../diagnostics/result.js";
import { booleanOption, invalidOption, stringOption, usageProblem, type Command, type ParsedArgs } from "../command.js";
import { compileFromArgs, SPACE_OPTIONS } from "../compile-args.js";
import type { CliIo } from "../io.js";
import { reporterFor, reportUsage } from "../report.js";
import { codeOf } from "../../diagnostics/codes.js";
import { plainError } from "../../diagnostics/diagnostic.js";
import { BUDGET_OPTIONS, budgetOption } from "../budget-options.js";
import { LAZY_SUMMARIES } from "./summaries.js";

const MAX_SAMPLES = 10_000;
const DEFAULT_SEED = 1;

export const sampleCommand: Command = {
  name: "sample",
  summary: LAZY_SUMMARIES.sample,
  usage:
    "SPACE.figs --n N [--seed S] [--drop P] [--widths independent|uniform] [--target KIND=N [--tolerance P]] " +
    "[--set NAME=VALUE…] [--out DIR] [--force] [--json]",
  description: [
    "Draws N random sub-architectures of the space, the random-search baseline:",
    "each searchable group whose removal keeps the network connected (an operator",
    "gate among them) is removed with probability P (removing its operator), and",
    "every kept group g gets max(1, round(f_g·size)) channels, each f_g drawn on its",
    "own in [0.25, 1] (--widths independent, the default: per-layer widths), or one",
    "f for all groups (--widths uniform: the FiGS paper's random search, a width",
    "multiplier with a random subset of the operators).",
    "",
    "--target params=N (or madds=N) puts every sample within --tolerance of N: each",
    "drawn sample keeps its structure (removed groups, width fractions) and is scaled",
    "as a whole, every kept group at max(1, round(min(1, s·f_g)·size)), with the s",
    "whose export is closest to N; a draw that cannot land is drawn again.",
    "Each sample is exported like a search result to DIR/sample-<i>/: arch.json",
    '(search settings {baseline: "random", widths, multiplier, seed, sample, …}), pruned.figs',
    "and the tfjs LayersModel (model.json + weights.bin). Sample i depends only on",
    "the seed and i. Prints params and madds of every sample (in --convention).",
    "",
    "An existing DIR is an error unless --force; the samples are written together",
    "or not at all.",
    "",
    "Exit status: 0 written, 1 user error (diagnostics, bad options), 2 internal error.",
  ].join("\n"),
  options: {
    ...SPACE_OPTIONS,
    n: { type: "string", short: "n", valueName: "N", description: `how many sub-architectures (1 to ${MAX_SAMPLES})` },
    seed: {
      type: "string",
      valueName: "S",
      description: `random seed, a non-negative integer (default ${DEFAULT_SEED})`,
    },
    drop: {
      type: "string",
      valueName: "P",
      description: `probability of removing each droppable group (default ${DEFAULT_SAMPLE_OPTIONS.dropProbability})`,
    },
    widths: {
      type: "string",
      valueName: "MODE",
      description: "independent (default: each group its own width fraction) or uniform (one for all)",
    },
    ...BUDGET_OPTIONS,
    ...OUTPUT_OPTIONS,
    out: {
      ...OUTPUT_OPTIONS.out,
      description: "the output folder (default <space>-samples, after the space's name, e.g. mnist_convnet-samples)",
    },
  },
  examples: [
    {
      command: "figs sample spaces/mnist_convnet.figs --n 5",
      says:
        "exports 5 random sub-architectures to mnist_convnet-samples/sample-0 … sample-4 " +
        "and prints their params and madds",
    },
    {
      command: "figs sample spaces/mnist_convnet.figs --n 4 --target params=40k",
      says: "4 random per-layer widths within ±5% of 40,000 params",
    },
    {
      command: "figs sample examples/mbconv.figs --n 20 --seed 7 --drop 0.5 --widths uniform --json",
      says:
        "20 samples, another seed, half the droppable groups removed, one multiplier per sample; " +
        "to mobilenet_v2_small-samples/, the summary as JSON",
    },
  ],
  run: runSample,
};

interface SampleSettings {
  readonly count: number;
  readonly seed: number;
  readonly dropProbability: number;
  readonly widths: WidthMode;
  readonly budget: Budget | undefined;
}

async function runSample(args: ParsedArgs, io: CliIo): Promise<number> {
  const checked = sampleSettings(args);
  if (!checked.ok) return reportUsage(reporterFor(io, "sample", args), checked.diagnostic);
  const settings = checked.value;
  const compiled = await compileFromArgs(args, io, "sample", { absolute: true });
  if (!compiled.ok) return compiled.exit;
  const ir = compiled.result.ir!;
  const sampling = { ...DEFAULT_SAMPLE_OPTIONS, dropProbability: settings.dropProbability, widths: settings.widths };
  const planned = randomBaselines(ir, {
    count: settings.count,
    seed: settings.seed,
    sampling,
    ...(settings.budget ? { budget: settings.budget } : {}),
  });
  if (planned.unreachable && settings.budget) {
    const { metric, target, tolerance } = settings.budget;
    const message =
      `no random sub-architecture lands within ±${100 * tolerance}% of ${target} ${metric}: ` +
      `sample ${planned.unreachable.sample} gave up after ${planned.unreachable.draws} draws`;
    const note =
      "the target may be below the space's smallest architecture or above its full width; figs cost shows both";
    return reportUsage(
      reporterFor(io, "sample", args),
      plainError(codeOf("TargetMissed"), message, [{ message: note }]),
    );
  }
  const architectures = planned.architectures;
  const out = stringOption(args, "out") ?? `${ir.space}-samples`;
  const onWritten = progressReporter(io, "exported");
  const result = await writeBaselineSet(ir, architectures, {
    outDir: resolve(io.cwd, out),
    force: booleanOption(args, "force"),
    onWritten,
  });
  return reportBaselines(reporterFor(io, "sample", args), compiled, result, out);
}

function sampleSettings(args: ParsedArgs): Result<SampleSettings> {
  if (stringOption(args, "n") === undefined)
    return failed(usageProblem("MissingOperand", "--n N is required: how many sub-architectures to draw"));
  const count = integerOption(args, "n", 0, 1, MAX_SAMPLES);
  if (!count.ok) return count;
  const seed = integerOption(args, "seed", DEFAULT_SEED, 0, 2 ** 32 - 1);
  if (!seed.ok) return seed;
  const dropText = stringOption(args, "drop");
  const drop = dropText === undefined ? DEFAULT_SAMPLE_OPTIONS.dropProbability : Number(dropText);
  if (dropText !== undefined && (dropText.trim() === "" || !Number.isFinite(drop) || drop < 0 || drop >= 1))
    return invalidOption(`--drop must be a number in [0, 1), not '${dropText}'`);
  const widths = stringOption(args, "widths") ?? "independent";
  if (widths !== "independent" && widths !== "uniform")
    return invalidOption(`--widths must be independent or uniform, not '${widths}'`);
  const budget = budgetOption(args);
  if (!budget.ok) return budget;
  return ok({ count: count.value, seed: seed.value, dropProbability: drop, widths, budget: budget.value });
}

function integerOption(args: ParsedArgs, name: string, fallback: number, min: number, max: number): Result<number> {
  const text = stringOption(args, name);
  if (text === undefined) return ok(fallback);
  const value = Number(text);
  return /^\s*\d+\s*$/.test(text) && value >= min && value <= max
    ? ok(value)
    : invalidOption(`--${name} must be an integer from ${min} to ${max}, not '${text}'`);
}
