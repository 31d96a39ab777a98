/**
 * The front half every command that compiles a space shares (compile, cost,
 * search, sample, scale, …): the space options, FILE and options → a compile
 * result, and what is wrong with them.
 */
import { compile, type CompileResult, type CostConvention, type CostOptions, type Stage } from "../compiler/index.js";
import { failed, ok, type Result } from "../diagnostics/result.js";
import {
  invalidOption,
  stringOption,
  stringOptions,
  usageProblem,
  type OptionsSpec,
  type ParsedArgs,
} from "./command.js";
import type { CliIo } from "./io.js";
import { reporterFor, reportFiles, reportUsage, writeDiagnostics } from "./report.js";
import { cwdHost, loadFile, renamed } from "./source-files.js";

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
      "batch norm as 2·C (torch, default) or 4·C params (keras); " +
      "',conv-bias' also counts a bias on every conv and dwconv",
  },
};

export type CompiledFile =
  | { readonly ok: true; readonly result: CompileResult; readonly path: string }
  | { readonly ok: false; readonly exit: number };

/** FILE (and NAME=VALUE arguments after it), --set, --convention and --space, checked. */
export interface SpaceRequest {
  readonly path: string;
  readonly set: Record<string, string>;
  readonly convention: CostOptions;
  readonly space?: string;
}

/** FILE and the space options, or what is wrong with them. */
export function spaceRequestFrom(args: ParsedArgs): Result<SpaceRequest> {
  const [path, ...rest] = args.positionals;
  if (path === undefined) return failed(usageProblem("MissingOperand", "no file given"));
  const set = parseAssignments([...stringOptions(args, "set"), ...rest]);
  if (!set.ok) return set;
  const convention = parseConvention(stringOption(args, "convention") ?? "torch");
  if (!convention.ok) return convention;
  const space = stringOption(args, "space");
  return ok({ path, set: set.value, convention: convention.value, ...(space ? { space } : {}) });
}

/**
 * FILE plus options → a compile result, or the exit code after reporting what
 * was wrong. `until` is the last stage to run: the IR by default, `costs` for
 * a command that needs no IR (figs cost). The result has its stages (graph,
 * mask plan, costs) when it is ok.
 */
export async function compileFromArgs(
  args: ParsedArgs,
  io: CliIo,
  command: string,
  stages: { until?: Extract<Stage, "costs" | "ir">; absolute?: boolean } = {},
): Promise<CompiledFile> {
  const reporter = reporterFor(io, command, args);
  const invoked = spaceRequestFrom(args);
  if (!invoked.ok) return { ok: false, exit: reportUsage(reporter, invoked.diagnostic) };
  const call = invoked.value;
  const file = await loadFile(io, call.path);
  if (!file.readable) {
    const reports = [{ path: file.path, diagnostics: file.diagnostics }];
    return { ok: false, exit: reportFiles(reporter, reports, new Map()) };
  }
  // `absolute`: the IR records the file by its absolute path (what an arch.json needs to be retrained from
  // any folder), while messages show the path the user typed.
  const path = stages.absolute && file.absolutePath ? file.absolutePath : file.path;
  const request = { path, text: file.text, set: call.set, ...(call.space ? { space: call.space } : {}) };
  const result = compile(request, { ...call.convention, host: cwdHost(io), until: stages.until ?? "ir" });
  const shown = (p: string): string => (p === path ? file.path : p);
  const diagnostics = [...file.diagnostics, ...result.diagnostics.map((d) => renamed(d, path, file.path))];
  const sources = new Map([...result.sources].map(([key, source]) => [shown(key), source]));
  if (!result.stages || diagnostics.some((d) => d.severity === "error")) {
    return { ok: false, exit: reportFiles(reporter, [{ path: file.path, diagnostics }], sources) };
  }
  writeDiagnostics(reporter, diagnostics, (p) => sources.get(p));
  return { ok: true, result, path: file.path };
}

/**
 * `torch`, `keras`, either with `,conv-bias`, or `conv-bias` alone (torch
 * batch norms) → cost options; anything else → what is wrong with it.
 */
export function parseConvention(text: string): Result<CostOptions> {
  const words = text.split(",").map((word) => word.trim());
  const batchNorm = words.filter((word): word is CostConvention => word === "torch" || word === "keras");
  const bias = words.filter((word) => word === "conv-bias");
  if (batchNorm.length + bias.length !== words.length || batchNorm.length > 1 || bias.length > 1) {
    return invalidOption(
      `--convention must be torch or keras, optionally with ',conv-bias' (e.g. keras,conv-bias), not '${text}'`,
    );
  }
  return ok({ convention: batchNorm[0] ?? "torch", ...(bias.length > 0 ? { convBias: true } : {}) });
}

/** `a=1,b=[1, 2]` and `c=3` → { a: "1", b: "[1, 2]", c: "3" }; commas inside brackets stay. */
export function parseAssignments(texts: readonly string[]): Result<Record<string, string>> {
  const result: Record<string, string> = {};
  for (const part of texts.flatMap(splitTopLevelCommas)) {
    const match = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=(.*)$/s.exec(part);
    if (!match || match[2]!.trim() === "") return invalidOption(`'${part}' is not NAME=VALUE (e.g. --set width=64)`);
    result[match[1]!] = match[2]!.trim();
  }
  return ok(result);
}

/** `a=1,b=[2,3]` split at its top-level commas (those inside brackets kept). */
export function splitTopLevelCommas(text: string): string[] {
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
