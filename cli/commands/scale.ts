/**
 * `figs scale SPACE.figs --width W [--set NAME=VALUE…] [--out DIR] [--force] [--json]`:
 * the uniform width-multiplier baseline. Every searchable group keeps
 * max(1, round(W·size)) channels, nothing is removed, and the result is
 * exported to DIR exactly as a search result is exported.
 */
import { resolve } from "node:path";
import "../../runtime/backend/quiet.js";
import { multiplierProblem, uniformBaseline, writeBaseline } from "../../runtime/baselines/index.js";
import { OUTPUT_OPTIONS, progressReporter, reportBaselines } from "../baseline-report.js";
import { failed, ok, type Result } from "../../diagnostics/result.js";
import { booleanOption, invalidOption, stringOption, usageProblem, type Command, type ParsedArgs } from "../command.js";
import { compileFromArgs, SPACE_OPTIONS } from "../compile-args.js";
import type { CliIo } from "../io.js";
import { reporterFor, reportUsage } from "../report.js";
import { LAZY_SUMMARIES } from "./summaries.js";

export const scaleCommand: Command = {
  name: "scale",
  summary: LAZY_SUMMARIES.scale,
  usage: "SPACE.figs --width W [--set NAME=VALUE…] [--out DIR] [--force] [--json]",
  description: [
    "Gives every searchable group max(1, round(W·size)) channels for one W in",
    "(0, 1] (fixed groups, such as the logits, keep their size) and exports the",
    "result like a search result to DIR: arch.json (search settings",
    '{baseline: "uniform", multiplier: W}), pruned.figs and the tfjs LayersModel',
    "(model.json + weights.bin). Prints its params and madds (in --convention).",
    "",
    "An existing DIR is an error unless --force.",
    "",
    "Exit status: 0 written, 1 user error (diagnostics, bad options), 2 internal error.",
  ].join("\n"),
  options: {
    ...SPACE_OPTIONS,
    width: { type: "string", short: "w", valueName: "W", description: "the width multiplier, in (0, 1]" },
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
      command: "figs scale spaces/mobilenet_v2.figs -w 0.75 --convention keras --force",
      says: "at 0.75, costs counted as keras does, replacing mobilenet_v2-x0.75/ if it exists",
    },
  ],
  run: runScale,
};

async function runScale(args: ParsedArgs, io: CliIo): Promise<number> {
  const reporter = reporterFor(io, "scale", args);
  const width = widthOption(args);
  if (!width.ok) return reportUsage(reporter, width.diagnostic);
  const multiplier = width.value;
  const compiled = await compileFromArgs(args, io, "scale", { absolute: true });
  if (!compiled.ok) return compiled.exit;
  const ir = compiled.result.ir!;
  const out = stringOption(args, "out") ?? `${ir.space}-x${multiplier}`;
  const onWritten = progressReporter(io, "exported");
  const result = await writeBaseline(ir, uniformBaseline(ir, multiplier), {
    outDir: resolve(io.cwd, out),
    force: booleanOption(args, "force"),
    onWritten,
  });
  return reportBaselines(reporter, compiled, result, out);
}

function widthOption(args: ParsedArgs): Result<number> {
  const text = stringOption(args, "width");
  if (text === undefined)
    return failed(usageProblem("MissingOperand", "--width W is required: the width multiplier, in (0, 1]"));
  const value = text.trim() === "" ? Number.NaN : Number(text);
  return multiplierProblem(value) === undefined
    ? ok(value)
    : invalidOption(`--width must be a number in (0, 1], not '${text}'`);
}
