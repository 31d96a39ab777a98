/**
 * `figs diff A.figs B.figs … [--cost params,madds] [--samples N] [--seed S] [--drop P]
 * [--json] [--svg OUT.svg] [--set NAME=VALUE…]`: compare search spaces without
 * training (FiGS paper section 4.2), from random sub-architectures of each.
 * With --trained, N random sub-architectures of each are trained (diff-trained.ts).
 */
import { resolve } from "node:path";
import {
  DEFAULT_DIFF_OPTIONS,
  DEFAULT_SAMPLE_OPTIONS,
  DIFF_METRICS,
  diffSpaces,
  formatDiffReport,
  renderDiffSvg,
  type DiffMetric,
  type DiffOptions,
  type DiffSpace,
} from "../../compiler/index.js";
import { failed, ok, type Result } from "../../diagnostics/result.js";
import {
  booleanOption,
  ExitCode,
  invalidOption,
  stringOption,
  stringOptions,
  usageProblem,
  type Command,
  type ParsedArgs,
} from "../command.js";
import type { CliIo } from "../io.js";
import { report, reporterFor, reportUsage } from "../report.js";
import {
  compileSpace,
  integerOption,
  overridesPerFile,
  probabilityOption,
  uniqueLabel,
  writeText,
} from "../diff-shared.js";
import { LAZY_SUMMARIES } from "./summaries.js";

export const diffCommand: Command = {
  name: "diff",
  summary: LAZY_SUMMARIES.diff,
  usage:
    "A.figs B.figs … [--cost params,madds] [--samples N] [--seed S] [--drop P] [--json] [--svg OUT.svg] " +
    "[--set NAME=VALUE…]\n" +
    "       figs diff --trained A.figs B.figs … --data DATA [--n N] [--steps S | --epochs E] [--limit L] " +
    "[--test-limit T] [--bins B] [--out DIR] [--workers W | --queue URL] [--json] [--svg OUT.svg]",
  description: [
    "Compiles each space and draws N random sub-architectures of it, the FiGS",
    "paper's random-search baseline: each searchable group whose removal keeps",
    "the network connected is removed with probability P (removing its operator),",
    "and every kept group gets max(1, round(w·size)) channels for one uniform",
    "w in [0.25, 1]. Prints the quantiles (p5 … p95) of params, madds and madds",
    "per param of each space, each space's median madds within bands of params",
    "(and median params within bands of madds), and how many of each space's",
    "samples lie on the Pareto front of the --cost metrics over all samples.",
    "Deterministic for a seed. --set applies to every space (e.g. size=32,classes=10);",
    "STEM.NAME=VALUE only to the space file STEM.figs (e.g. one_shot.F=8).",
    "See docs/spaces.md.",
    "",
    "--trained: trains --n random sub-architectures of each space (figs sample, then",
    "figs retrain with a short schedule, as jobs of a figs sweep in --out, resumable,",
    "locally or through --queue) and compares their test errors: per space the",
    "complexity-normalised error EDF under params and under madds, the",
    "Kolmogorov-Smirnov distance of each pair with a 95% bootstrap interval, and the",
    "share of each space on the joint Pareto front of error and cost. See docs/sweep.md.",
    "",
    "Exit status: 0 compared, 1 a space has errors, an option is wrong, the --svg file",
    "cannot be written (printed to stderr) or a --trained job failed, 2 internal error,",
    "130 --trained stopped (run it again to continue).",
  ].join("\n"),
  options: {
    cost: {
      type: "string",
      valueName: "METRICS",
      description: "costs of the Pareto front: params, madds or both (default params,madds)",
    },
    samples: { type: "string", valueName: "N", description: "random sub-architectures per space (default 10000)" },
    seed: {
      type: "string",
      valueName: "S",
      description: "random seed, a non-negative integer (default 1); --trained: the first search seed",
    },
    drop: {
      type: "string",
      valueName: "P",
      description: `probability of removing each droppable group (default ${DEFAULT_SAMPLE_OPTIONS.dropProbability})`,
    },
    set: {
      type: "string",
      multiple: true,
      valueName: "NAME=VALUE…",
      description: "override a parameter of every space, or of one with STEM.NAME=VALUE; repeat it, or write 'a=1,b=2'",
    },
    json: { type: "boolean", description: "print the report as JSON" },
    trained: { type: "boolean", description: "train random sub-architectures and compare their errors" },
    data: { type: "string", valueName: "DATA", description: "--trained: mnist, fashion-mnist, idx:DIR or cifar10:DIR" },
    n: { type: "string", valueName: "N", description: "--trained: sub-architectures per space (default 20)" },
    steps: { type: "string", valueName: "S", description: "--trained: training steps of each (default 100)" },
    epochs: { type: "string", valueName: "E", description: "--trained: training epochs of each, instead of steps" },
    limit: { type: "string", valueName: "L", description: "--trained: training images (default 10000)" },
    "test-limit": { type: "string", valueName: "T", description: "--trained: test images (default: all)" },
    bins: { type: "string", valueName: "B", description: "--trained: log-complexity bins (default √n, at most 10)" },
    out: { type: "string", short: "o", valueName: "DIR", description: "--trained: the sweep folder (diff-trained)" },
    workers: { type: "string", short: "j", valueName: "W", description: "--trained: jobs at once (default: cores)" },
    queue: { type: "string", valueName: "URL", description: "--trained: run the jobs through BullMQ on this Redis" },
    svg: {
      type: "string",
      valueName: "OUT.svg",
      description: "also write a chart: the samples' params against madds; --trained: the normalised error EDFs",
    },
  },
  examples: [
    {
      command: "figs diff spaces/fbnet_b.figs spaces/fbnet_c.figs",
      says: "compares two spaces from 10,000 random sub-architectures of each",
    },
    {
      command: "figs diff spaces/resnet50.figs spaces/mobilenet_v2.figs --samples 1000 --svg diff.svg",
      says: "fewer samples, and also a scatter chart of params against madds in diff.svg",
    },
    {
      command:
        "figs diff --trained spaces/fbnet_b.figs spaces/fbnet_c.figs --set size=28,channels=1,classes=10 " +
        "--data fashion-mnist --n 20 --svg edf.svg",
      says: "trains 20 sub-architectures of each (100 steps) and compares their normalised error EDFs",
    },
  ],
  run: runDiff,
};

const TRAINED_ONLY = ["data", "n", "steps", "epochs", "limit", "test-limit", "bins", "out", "workers", "queue"];
const UNTRAINED_ONLY = ["samples", "cost"];

interface Invocation {
  readonly files: readonly string[];
  /** Each file's overrides. */
  readonly sets: readonly Record<string, string>[];
  readonly options: DiffOptions;
}

async function runDiff(args: ParsedArgs, io: CliIo): Promise<number> {
  const reporter = reporterFor(io, "diff", args);
  const trained = booleanOption(args, "trained");
  const misplaced = (trained ? UNTRAINED_ONLY : TRAINED_ONLY).find((name) => stringOption(args, name) !== undefined);
  if (misplaced !== undefined)
    return reportUsage(
      reporter,
      usageProblem("ConflictingOptions", `--${misplaced} ${trained ? "is for figs diff without" : "needs"} --trained`),
    );
  if (trained) return (await import("../diff-trained/run.js")).runTrainedDiff(args, io);
  const invoked = invocation(args);
  if (!invoked.ok) return reportUsage(reporter, invoked.diagnostic);
  const call = invoked.value;
  const spaces: DiffSpace[] = [];
  for (const [index, file] of call.files.entries()) {
    const compiled = await compileSpace(io, reporter, file, call.sets[index]!);
    if (typeof compiled === "number") return compiled;
    spaces.push({ label: uniqueLabel(compiled.space, file, spaces), ir: compiled });
  }
  const slow = call.options.samples * spaces.length >= 20_000 && io.stderr.isTTY;
  const progress = (label: string, done: number, total: number): void =>
    io.stderr.write(
      `\rsampling ${label}: ${done.toLocaleString("en-US")}/${total.toLocaleString("en-US")}` +
        (done === total ? "\n" : ""),
    );
  const { report: compared, samples } = diffSpaces(
    spaces,
    slow ? { ...call.options, onProgress: progress } : call.options,
  );
  const svgPath = stringOption(args, "svg");
  if (svgPath !== undefined) {
    const problem = writeText(resolve(io.cwd, svgPath), await renderDiffSvg(compared, samples), svgPath);
    if (problem !== undefined) return report(reporter, [problem]);
  }
  io.stdout.write(booleanOption(args, "json") ? JSON.stringify(compared, null, 2) + "\n" : formatDiffReport(compared));
  return ExitCode.Ok;
}

/** Positionals are files, or NAME=VALUE overrides like `figs compile` accepts. */
function invocation(args: ParsedArgs): Result<Invocation> {
  const files = args.positionals.filter((p) => !p.includes("="));
  if (files.length === 0) return failed(usageProblem("MissingOperand", "no space given: figs diff A.figs B.figs …"));
  const sets = overridesPerFile(
    [...stringOptions(args, "set"), ...args.positionals.filter((p) => p.includes("="))],
    files,
  );
  if (!sets.ok) return sets;
  const samples = integerOption(args, "samples", DEFAULT_DIFF_OPTIONS.samples, 1, 10_000_000);
  if (!samples.ok) return samples;
  const seed = integerOption(args, "seed", DEFAULT_DIFF_OPTIONS.seed, 0, 2 ** 32 - 1);
  if (!seed.ok) return seed;
  const dropProbability = probabilityOption(args, "drop", DEFAULT_SAMPLE_OPTIONS.dropProbability);
  if (!dropProbability.ok) return dropProbability;
  const metrics = metricsOption(stringOption(args, "cost"));
  if (!metrics.ok) return metrics;
  const sampling = { ...DEFAULT_SAMPLE_OPTIONS, dropProbability: dropProbability.value };
  const options = { samples: samples.value, seed: seed.value, metrics: metrics.value, sampling };
  return ok({ files, sets: sets.value, options });
}

function metricsOption(text: string | undefined): Result<DiffMetric[]> {
  if (text === undefined) return ok([...DIFF_METRICS]);
  const names = text.split(",").map((s) => s.trim());
  const unknown = names.find((n) => !(DIFF_METRICS as readonly string[]).includes(n));
  if (unknown !== undefined || names.length === 0)
    return invalidOption(`--cost takes ${DIFF_METRICS.join(", ")} (comma-separated), not '${unknown ?? text}'`);
  return ok([...new Set(names as DiffMetric[])]);
}
