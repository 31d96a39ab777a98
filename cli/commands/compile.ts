/**
 * `figs compile FILE [--space NAME] [--set NAME=VALUE…] [-o IR.json]`: elaborate a
 * space, place its masks, derive its costs and write the IR (docs/ir.md).
 */
import { resolve } from "node:path";
import {
  exactJson,
  exactTotals,
  formatCount,
  fullWidths,
  sizesAt,
  writeIr,
  writeIrJson,
} from "../../compiler/index.js";
import { booleanOption, ExitCode, stringOption, type Command, type ParsedArgs } from "../command.js";
import { compileFromArgs, SPACE_OPTIONS } from "../compile-args.js";
import type { CliIo } from "../io.js";
import { reporterFor, reportFiles } from "../report.js";

export const compileCommand: Command = {
  name: "compile",
  summary: "compile a space to its IR: graph, mask groups and cost polynomials",
  usage: "FILE [--space NAME] [--set NAME=VALUE…] [--convention torch|keras[,conv-bias]] [-o IR.json]",
  description: [
    "Elaborates the space in FILE, places its mask groups, derives its cost",
    "polynomials and writes the IR (schema-checked JSON, see docs/ir.md) to the",
    "-o file, or to standard output. '-' reads standard input. --convention chooses",
    "how the costs count batch norms and conv biases (docs/costs.md); the IR records it.",
    "",
    "Exit status: 0 compiled, 1 the space has errors (printed to stderr), 2 internal error.",
  ].join("\n"),
  options: {
    ...SPACE_OPTIONS,
    output: {
      type: "string",
      short: "o",
      valueName: "IR.json",
      description: "write the IR here instead of standard output",
    },
    json: { type: "boolean", description: "print diagnostics (and, with -o, the summary) as JSON" },
  },
  examples: [
    {
      command: "figs compile examples/mbconv.figs -o mbconv.ir.json",
      says: "writes the IR to mbconv.ir.json and prints its nodes, groups and full-width costs",
    },
    {
      command: "figs compile spaces/mnist_convnet.figs --set width=16,hidden=64",
      says: "prints the IR of the space with two of its parameters overridden",
    },
    {
      command: "figs compile spaces/resnet50.figs --convention keras,conv-bias -o resnet50.ir.json",
      says: "counts batch norms as keras does (4·C) and a bias on every conv",
    },
  ],
  run: runCompile,
};

async function runCompile(args: ParsedArgs, io: CliIo): Promise<number> {
  const compiled = await compileFromArgs(args, io, "compile");
  if (!compiled.ok) return compiled.exit;
  const ir = compiled.result.ir!;
  const reporter = reporterFor(io, "compile", args);
  const output = stringOption(args, "output");
  if (output === undefined) {
    const problems = writeIrJson(ir, (chunk) => io.stdout.write(chunk));
    if (problems.length > 0)
      return reportFiles(reporter, [{ path: compiled.path, diagnostics: problems }], compiled.result.sources);
    return ExitCode.Ok;
  }
  const problems = writeIr(resolve(io.cwd, output), ir);
  if (problems.length > 0) return reportFiles(reporter, [{ path: output, diagnostics: problems }], new Map());
  const searchable = ir.groups.filter((g) => g.searchable).length;
  const { plan, cost } = compiled.result.stages!;
  const { exact } = exactTotals(cost, ir.costs.full, sizesAt(plan.groups, fullWidths(plan.groups)));
  const summary = {
    space: ir.space,
    output,
    nodes: ir.nodes.length,
    groups: ir.groups.length,
    searchable,
    maskVariables: ir.maskVariables,
    ...ir.costs.full,
    ...(Object.keys(exact).length > 0 ? { exact: exactJson(exact) } : {}),
  };
  if (booleanOption(args, "json")) io.stdout.write(JSON.stringify(summary, null, 2) + "\n");
  else {
    io.stdout.write(
      `${output}: space ${ir.space}, ${ir.nodes.length} nodes, ${ir.groups.length} groups (${searchable} searchable, ` +
        `${ir.maskVariables} mask variables); full width ${formatCount(ir.costs.full.params, exact.params)} params, ` +
        `${formatCount(ir.costs.full.madds, exact.madds)} madds\n`,
    );
  }
  return ExitCode.Ok;
}
