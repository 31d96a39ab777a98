/**
 * `figs scale SPACE.figs (--width W | --target KIND=N) [--set NAME=VALUE…] [--out DIR] [--force] [--json]`:
 * the uniform width-multiplier baseline. Every searchable group keeps
 * max(1, round(W·size)) channels, nothing is removed, and the result is
 * exported to DIR exactly as a search result is exported. With a target, W is
 * the multiplier whose export is closest to it.
 */
import { resolve } from "node:path";
import "../../runtime/backend/quiet.js";
import {
  multiplierProblem,
  uniformBaseline,
  uniformBaselineAtBudget,
  writeBaseline,
  type BaselineArchitecture,
} from "../../runtime/baselines/index.js";
import { codeOf } from "../../diagnostics/codes.js";
import { plainWarning } from "../../diagnostics/diagnostic.js";
import type { Budget, Ir } from "../../compiler/index.js";
import { BUDGET_OPTIONS, budgetOption } from "../budget-options.js";
import { OUTPUT_OPTIONS, progressReporter, reportBaselines } from "../baseline-report.js";
import { failed, ok, type Result } from "../../diagnostics/result.js";
import { booleanOption, invalidOption, stringOption, usageProblem, type Command, type ParsedArgs } from "../command.js";
import { compileFromArgs, SPACE_OPTIONS } from "../compile-args.js";
import type { CliIo } from "../io.js";
import { reporterFor, reportUsage, writeNotes, type Reporter } from "../report.js";
import { LAZY_SUMMARIES } from "./summaries.js";

export const scaleCommand: Command = {
  name: "scale",
  summary: LAZY_SUMMARIES.scale,
  usage: "SPACE.figs (--width W | --target KIND=N [--tolerance P]) [--set NAME=VALUE…] [--out DIR] [--force] [--json]",
  description: [
    "Gives every searchable group max(1, round(W·size)) channels for one W in",
    "(0, 1] (fixed groups, such as the logits, keep their size) and exports the",
    "result like a search result to DIR: arch.json (search settings",
    '{baseline: "uniform", multiplier: W}), pruned.figs and the tfjs LayersModel',
    "(model.json + weights.bin). Prints its params and madds (in --convention).",
    "",
    "--target params=N (or madds=N) chooses W instead: the multiplier whose export",
    "is closest to N (found by bisection: the cost only grows with W), recorded in",
    "arch.json with the target. If even the closest is outside --tolerance (the cost",
    "of a space moves in steps of whole channels), figs warns and exports it anyway.",
    "",
    "An existing DIR is an error unless --force.",
    "",
    "Exit status: 0 written, 1 user error (diagnostics, bad options), 2 internal error.",
  ].join("\n"),
  options: {
    ...SPACE_OPTIONS,
    width: { type: "string", short: "w", valueName: "W", description: "the width multiplier, in (0, 1]" },
    ...BUDGET_OPTIONS,
    ...OUTPUT_OPTIONS,
    out: {
      ...OUTPUT_OPTIONS.out,
      description: "the output folder (default <space>-x<W>, after the space's name, e.g. mnist_convnet-x0.5)",
    },
  },
  examples: [
    {
      command: "figs scale spaces/mnist_convnet.figs --width 0.5",
      says: "exports the space at half its widths to mnist_convnet-x0.5/ and prints its params and madds",
    },
    {
      command: "figs scale spaces/mnist_convnet.figs --target params=40k",
      says: "the multiplier whose export is closest to 40,000 params (within ±5%), to mnist_convnet-x<W>/",
    },
    {
      command: "figs scale spaces/mobilenet_v2.figs -w 0.75 --convention keras --force",
      says: "at 0.75, costs counted as keras does, replacing mobilenet_v2-x0.75/ if it exists",
    },
  ],
  run: runScale,
};

async function runScale(args: ParsedArgs, io: CliIo): Promise<number> {
  const reporter = reporterFor(io, "scale", args);
  const budget = budgetOption(args);
  if (!budget.ok) return reportUsage(reporter, budget.diagnostic);
  const width = budget.value && stringOption(args, "width") === undefined ? ok(0) : widthOption(args, budget.value);
  if (!width.ok) return reportUsage(reporter, width.diagnostic);
  const compiled = await compileFromArgs(args, io, "scale", { absolute: true });
  if (!compiled.ok) return compiled.exit;
  const ir = compiled.result.ir!;
  const architecture = budget.value ? atBudget(reporter, ir, budget.value) : uniformBaseline(ir, width.value);
  const out = stringOption(args, "out") ?? `${ir.space}-x${architecture.multiplier}`;
  const onWritten = progressReporter(io, "exported");
  const result = await writeBaseline(ir, architecture, {
    outDir: resolve(io.cwd, out),
    force: booleanOption(args, "force"),
    onWritten,
  });
  return reportBaselines(reporter, compiled, result, out);
}

/** The multiplier closest to the budget; a warning when even it is outside the tolerance. */
function atBudget(reporter: Reporter, ir: Ir, budget: Budget): BaselineArchitecture {
  const found = uniformBaselineAtBudget(ir, budget);
  if (!found.within) {
    const off = ((100 * (found.cost - budget.target)) / budget.target).toFixed(1);
    const message =
      `the closest width multiplier (${found.architecture.multiplier}) exports ${found.cost} ${budget.metric}, ` +
      `${off}% from the target ${budget.target}, outside ±${100 * budget.tolerance}%`;
    const note = "the cost moves in steps of whole channels, or the target is beyond the space at width 1";
    writeNotes(reporter, [plainWarning(codeOf("TargetMissed"), message, [{ message: note }])]);
  }
  return found.architecture;
}

function widthOption(args: ParsedArgs, budget: Budget | undefined): Result<number> {
  const text = stringOption(args, "width");
  if (budget) return invalidOption("--width and --target are two ways to choose W: give one");
  if (text === undefined)
    return failed(
      usageProblem("MissingOperand", "--width W or --target KIND=N is required: the width multiplier, or a budget"),
    );
  const value = text.trim() === "" ? Number.NaN : Number(text);
  return multiplierProblem(value) === undefined
    ? ok(value)
    : invalidOption(`--width must be a number in (0, 1], not '${text}'`);
}
