/**
 * `figs compile FILE [--space NAME] [--set NAME=VALUE…] [-o IR.json]`: elaborate a
 * space, place its masks, derive its costs and write the IR (docs/ir.md).
 * Also the shared front half of `figs cost`: argument handling and reporting.
 */
import { resolve } from "node:path";
import type { SourceFile } from "../../diagnostics/source.js";
import { compile, type CompileResult, type CostConvention } from "../../compiler/index.js";
import type { CostOptions } from "../../compiler/cost/rules.js";
import { defaultHost, type Host } from "../../compiler/elaborate/index.js";
import { writeIr, writeIrJson } from "../../compiler/ir/index.js";
import { exactJson, exactTotals, formatCount, fullWidths, sizesAt } from "../../compiler/cost/index.js";
import { readSource } from "../../grammar/read-source.js";
import {
  booleanOption,
  ExitCode,
  stringOption,
  stringOptions,
  type Command,
  type OptionsSpec,
  type ParsedArgs,
} from "../command.js";
import type { CliIo } from "../io.js";
import {
  exitCodeFor,
  reportsAsJson,
  summaryLine,
  countDiagnostics,
  writeRendered,
  type FileReport,
} from "../report.js";
import { loadFile } from "../source-files.js";

/** Options every command that compiles a space shares (compile, cost, search, sample, scale, …). */
export const SPACE_OPTIONS: OptionsSpec = {
  space: { type: "string", valueName: "NAME", description: "the space to compile (default: the file's only space)" },
  set: {
    type: "string",
    multiple: true,
    valueName: "NAME=VALUE…",
    description: "override a space parameter; repeat it, or write 'a=1,b=2', or give further NAME=VALUE arguments",
  },
  convention: {
    type: "string",
    valueName: "torch|keras[,conv-bias]",
    description:
      "batch norm as 2·C (torch, default) or 4·C params (keras); ',conv-bias' also counts a bias on every conv and dwconv",
  },
};

export type CompiledFile =
  | { readonly ok: true; readonly result: CompileResult; readonly path: string }
  | { readonly ok: false; readonly exit: number };

type Invocation = {
  readonly path: string;
  readonly set: Record<string, string>;
  readonly convention: CostOptions;
  readonly space?: string;
};

/** FILE and options checked, or what is wrong with them. */
function invocation(args: ParsedArgs): Invocation | string {
  const [path, ...rest] = args.positionals;
  if (path === undefined) return "no file given";
  const set = parseAssignments([...stringOptions(args, "set"), ...rest]);
  if (typeof set === "string") return set;
  const convention = parseConvention(stringOption(args, "convention") ?? "torch");
  if (typeof convention === "string") return convention;
  const space = stringOption(args, "space");
  return { path, set, convention, ...(space ? { space } : {}) };
}

/**
 * FILE plus options → a compile result, or the exit code after reporting what
 * was wrong. `ir: false` stops after the costs (figs cost needs no IR).
 */
export async function compileFromArgs(
  args: ParsedArgs,
  io: CliIo,
  command: string,
  stages: { ir?: boolean } = {},
): Promise<CompiledFile> {
  const call = invocation(args);
  if (typeof call === "string") {
    io.stderr.write(`figs ${command}: ${call}\nRun 'figs ${command} --help' for usage.\n`);
    return { ok: false, exit: ExitCode.UserError };
  }
  const file = await loadFile(io, call.path);
  if (!file.readable)
    return {
      ok: false,
      exit: reportDiagnostics(io, args, [{ path: file.path, diagnostics: file.diagnostics }], new Map()),
    };
  const request = { path: file.path, text: file.text, set: call.set, ...(call.space ? { space: call.space } : {}) };
  const result = compile(request, { ...call.convention, host: cwdHost(io), ir: stages.ir ?? true });
  const diagnostics = [...file.diagnostics, ...result.diagnostics];
  if (!result.stages || diagnostics.some((d) => d.severity === "error")) {
    return { ok: false, exit: reportDiagnostics(io, args, [{ path: file.path, diagnostics }], result.sources) };
  }
  if (diagnostics.length > 0) writeRendered(io, [{ path: file.path, diagnostics }], (p) => result.sources.get(p));
  return { ok: true, result, path: file.path };
}

/** Imports are read relative to the CLI's working folder, like the file itself. */
export function cwdHost(io: CliIo): Host {
  return { readFile: (path) => readSource(resolve(io.cwd, path)), stdlibDir: defaultHost().stdlibDir };
}

/**
 * `torch`, `keras`, either with `,conv-bias`, or `conv-bias` alone (torch
 * batch norms) → cost options; anything else → what is wrong with it.
 */
export function parseConvention(text: string): CostOptions | string {
  const words = text.split(",").map((word) => word.trim());
  const batchNorm = words.filter((word): word is CostConvention => word === "torch" || word === "keras");
  const bias = words.filter((word) => word === "conv-bias");
  if (batchNorm.length + bias.length !== words.length || batchNorm.length > 1 || bias.length > 1) {
    return `--convention must be torch or keras, optionally with ',conv-bias' (e.g. keras,conv-bias), not '${text}'`;
  }
  return { convention: batchNorm[0] ?? "torch", ...(bias.length > 0 ? { convBias: true } : {}) };
}

/** `a=1,b=[1, 2]` and `c=3` → { a: "1", b: "[1, 2]", c: "3" }; commas inside brackets stay. */
export function parseAssignments(texts: readonly string[]): Record<string, string> | string {
  const result: Record<string, string> = {};
  for (const part of texts.flatMap(splitTopLevelCommas)) {
    const match = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=(.*)$/s.exec(part);
    if (!match || match[2]!.trim() === "") return `'${part}' is not NAME=VALUE (e.g. --set width=64)`;
    result[match[1]!] = match[2]!.trim();
  }
  return result;
}

function splitTopLevelCommas(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "[" || c === "(") depth++;
    else if (c === "]" || c === ")") depth--;
    else if (c === "," && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

export function reportDiagnostics(
  io: CliIo,
  args: ParsedArgs,
  reports: FileReport[],
  sources: ReadonlyMap<string, SourceFile>,
): number {
  if (booleanOption(args, "json")) io.stdout.write(reportsAsJson(reports));
  else {
    writeRendered(io, reports, (p) => sources.get(p));
    io.stderr.write(summaryLine(countDiagnostics(reports)) + "\n");
  }
  return exitCodeFor(reports);
}

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
  const output = stringOption(args, "output");
  if (output === undefined) {
    const problems = writeIrJson(ir, (chunk) => io.stdout.write(chunk));
    if (problems.length > 0)
      return reportDiagnostics(
        io,
        args,
        [{ path: compiled.path, diagnostics: [...problems] }],
        compiled.result.sources,
      );
    return ExitCode.Ok;
  }
  const problems = writeIr(resolve(io.cwd, output), ir);
  if (problems.length > 0)
    return reportDiagnostics(io, args, [{ path: output, diagnostics: [...problems] }], compiled.result.sources);
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
