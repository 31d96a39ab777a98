/**
 * `figs sample SPACE.figs --n N [--seed S] [--drop P] [--set NAME=VALUE…] [--out DIR] [--force] [--json]`:
 * the FiGS paper's random-search baseline. N random sub-architectures (a
 * random subset of the operators, one uniform width multiplier in [0.25, 1]),
 * each exported to DIR/sample-<i>/ exactly as a search result is exported.
 * Also the reporting half of `figs scale`.
 */
import { resolve } from "node:path";
import "../../runtime/backend/quiet.js";
import { DEFAULT_SAMPLE_OPTIONS } from "../../compiler/sample/index.js";
import {
  formatBaselineTable,
  randomBaselines,
  summarizeBaselines,
  writeBaselineSet,
  type WriteResult,
} from "../../runtime/baselines/index.js";
import { booleanOption, ExitCode, stringOption, type Command, type ParsedArgs } from "../command.js";
import type { CliIo } from "../io.js";
import { plural } from "../report.js";
import { compileFromArgs, reportDiagnostics, SPACE_OPTIONS, type CompiledFile } from "./compile.js";
import { LAZY_SUMMARIES } from "./summaries.js";

const MAX_SAMPLES = 10_000;
const DEFAULT_SEED = 1;

/** Options `figs sample` and `figs scale` share, after the space options. */
export const OUTPUT_OPTIONS = {
  out: {
    type: "string",
    short: "o",
    valueName: "DIR",
    description: "the output folder (default: named after the space)",
  },
  force: { type: "boolean", description: "replace the output folder if it exists" },
  json: { type: "boolean", description: "print the summary (or the diagnostics) as JSON" },
} as const;

export const sampleCommand: Command = {
  name: "sample",
  summary: LAZY_SUMMARIES.sample,
  usage: "SPACE.figs --n N [--seed S] [--drop P] [--set NAME=VALUE…] [--out DIR] [--force] [--json]",
  description: [
    "Draws N random sub-architectures of the space, the FiGS paper's random-search",
    "baseline: each searchable group whose removal keeps the network connected is",
    "removed with probability P (removing its operator), and every kept group gets",
    "max(1, round(w·size)) channels for one uniform w in [0.25, 1] per sample.",
    "Each sample is exported like a search result to DIR/sample-<i>/: arch.json",
    '(search settings {baseline: "random", multiplier, seed, sample}), pruned.figs',
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
    ...OUTPUT_OPTIONS,
    out: {
      ...OUTPUT_OPTIONS.out,
      description: "the output folder (default <space>-samples, after the space's name, e.g. mnist_convnet-samples)",
    },
  },
  examples: [
    {
      command: "figs sample spaces/mnist_convnet.figs --n 5",
      says: "exports 5 random sub-architectures to mnist_convnet-samples/sample-0 … sample-4 and prints their params and madds",
    },
    {
      command: "figs sample examples/mbconv.figs --n 20 --seed 7 --drop 0.5 --json",
      says: "20 samples, another seed, half the droppable groups removed; to mobilenet_v2_small-samples/, the summary as JSON",
    },
  ],
  run: runSample,
};

interface SampleSettings {
  readonly count: number;
  readonly seed: number;
  readonly dropProbability: number;
}

async function runSample(args: ParsedArgs, io: CliIo): Promise<number> {
  const settings = sampleSettings(args);
  if (typeof settings === "string") return usageError(io, "sample", settings);
  const compiled = await compileFromArgs(args, io, "sample");
  if (!compiled.ok) return compiled.exit;
  const ir = compiled.result.ir!;
  const sampling = { ...DEFAULT_SAMPLE_OPTIONS, dropProbability: settings.dropProbability };
  const architectures = randomBaselines(ir, { count: settings.count, seed: settings.seed, sampling });
  const out = stringOption(args, "out") ?? `${ir.space}-samples`;
  const onWritten = progressReporter(io, "exported");
  const result = await writeBaselineSet(ir, architectures, {
    outDir: resolve(io.cwd, out),
    force: booleanOption(args, "force"),
    onWritten,
  });
  return reportBaselines(io, args, compiled, result, out);
}

function sampleSettings(args: ParsedArgs): SampleSettings | string {
  if (stringOption(args, "n") === undefined) return "--n N is required: how many sub-architectures to draw";
  const count = integerOption(args, "n", 0, 1, MAX_SAMPLES);
  if (typeof count === "string") return count;
  const seed = integerOption(args, "seed", DEFAULT_SEED, 0, 2 ** 32 - 1);
  if (typeof seed === "string") return seed;
  const dropText = stringOption(args, "drop");
  const drop = dropText === undefined ? DEFAULT_SAMPLE_OPTIONS.dropProbability : Number(dropText);
  if (dropText !== undefined && (dropText.trim() === "" || !Number.isFinite(drop) || drop < 0 || drop >= 1))
    return `--drop must be a number in [0, 1), not '${dropText}'`;
  return { count, seed, dropProbability: drop };
}

function integerOption(args: ParsedArgs, name: string, fallback: number, min: number, max: number): number | string {
  const text = stringOption(args, name);
  if (text === undefined) return fallback;
  const value = Number(text);
  return /^\s*\d+\s*$/.test(text) && value >= min && value <= max
    ? value
    : `--${name} must be an integer from ${min} to ${max}, not '${text}'`;
}

export function usageError(io: CliIo, command: string, message: string): number {
  io.stderr.write(`figs ${command}: ${message}\nRun 'figs ${command} --help' for usage.\n`);
  return ExitCode.UserError;
}

/** Progress on a terminal only: tests and pipes get the summary and nothing else. */
export function progressReporter(io: CliIo, verb: string): ((done: number, total: number) => void) | undefined {
  if (!io.stderr.isTTY) return undefined;
  return (done, total) => io.stderr.write(`\r${verb} ${done}/${total}${done === total ? "\n" : ""}`);
}

/** The diagnostics of a failed write, or the summary table (or JSON) of what was written. */
export function reportBaselines(
  io: CliIo,
  args: ParsedArgs,
  compiled: Extract<CompiledFile, { ok: true }>,
  result: WriteResult,
  out: string,
): number {
  if (result.diagnostics.length > 0)
    return reportDiagnostics(
      io,
      args,
      [{ path: compiled.path, diagnostics: result.diagnostics }],
      compiled.result.sources,
    );
  const summary = summarizeBaselines(compiled.result.ir!, result.written);
  if (booleanOption(args, "json")) {
    io.stdout.write(JSON.stringify({ out, ...summary }, null, 2) + "\n");
    return ExitCode.Ok;
  }
  io.stdout.write(formatBaselineTable(summary));
  io.stdout.write(`wrote ${plural(result.written.length, "architecture")} to ${out}\n`);
  return ExitCode.Ok;
}
