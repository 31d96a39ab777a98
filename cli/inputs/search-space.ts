/**
 * The space of a search run, compiled the one way a fresh run, a resumed run
 * and an export all use — the file by its absolute path, the --set values the
 * run records, its cost convention — so all three see the same IR and write
 * the same arch.json; a resumed run or an export also checks that every
 * source still has the sha256 the run started from. A fresh run compiles its
 * space once.
 */
import { join, resolve } from "node:path";
import { compile, type Ir } from "../../compiler/index.js";
import { codeOf } from "../../diagnostics/codes.js";
import { fileError, type Diagnostic } from "../../diagnostics/diagnostic.js";
import { RUN_FILE, type RunConfig } from "../../runtime/search/run-config.js";
import { usageProblem, type ParsedArgs } from "../command.js";
import { spaceRequestFrom } from "../compile-args.js";
import { reportFiles, reportUsage, writeDiagnostics, type Reporter } from "../report.js";
import { cwdHost, loadFile, renamed, STDIN_PATH } from "../source-files.js";

/** A fresh run's space: the IR and what run.json records to compile it again. */
export interface FreshSpace {
  readonly ir: Ir;
  /** The file, absolute. */
  readonly path: string;
  /** The --set values as given. */
  readonly set: Readonly<Record<string, string>>;
}

/**
 * A fresh search's space, compiled once as resumes and exports will compile
 * it; diagnostics name the file as the user typed it. On failure they are
 * reported and the exit code is returned.
 */
export async function compileFreshSpace(
  args: ParsedArgs,
  to: Reporter,
): Promise<{ readonly space: FreshSpace } | { readonly exit: number }> {
  const { io } = to;
  const invoked = spaceRequestFrom(args);
  if (!invoked.ok) return { exit: reportUsage(to, invoked.diagnostic) };
  const call = invoked.value;
  if (call.path === STDIN_PATH) {
    const message = "the space must be a file: the run records its path to compile it again for --resume and export";
    return { exit: reportUsage(to, usageProblem("InvalidOption", message)) };
  }
  const file = await loadFile(io, call.path);
  if (!file.readable) {
    return { exit: reportFiles(to, [{ path: file.path, diagnostics: file.diagnostics }], new Map()) };
  }
  const path = resolve(io.cwd, call.path);
  const request = { path, text: file.text, set: call.set, ...(call.space ? { space: call.space } : {}) };
  const result = compile(request, { ...call.convention, host: cwdHost(io) });
  // Compiled by its absolute path (what the run records), shown by the path the user typed.
  const diagnostics = [...file.diagnostics, ...result.diagnostics.map((d) => renamed(d, path, call.path))];
  const sources = new Map([...result.sources].map(([key, source]) => [key === path ? call.path : key, source]));
  if (!result.ir || diagnostics.some((d) => d.severity === "error")) {
    return { exit: reportFiles(to, [{ path: call.path, diagnostics }], sources) };
  }
  writeDiagnostics(to, diagnostics, (p) => sources.get(p));
  return { space: { ir: result.ir, path, set: call.set } };
}

/** The run's space compiled again from run.json, for --resume and figs export. */
export function compileRunSpace(config: RunConfig, dir: string): { ir?: Ir; diagnostics: readonly Diagnostic[] } {
  const result = compile(
    { path: config.space.path, set: config.space.set, space: config.space.name },
    { convention: config.space.convention, convBias: config.space.convBias === true },
  );
  if (!result.ir) return { diagnostics: result.diagnostics };
  const changed = checkSameSources(config, result.ir, dir);
  return changed.length > 0 ? { diagnostics: changed } : { ir: result.ir, diagnostics: [] };
}

/** The space must compile to the same sources the run started from, or its checkpoint would not fit. */
export function checkSameSources(config: RunConfig, ir: Ir, dir: string): Diagnostic[] {
  // Compared by content: the run may have named the file relative to another working directory.
  const now = new Set(ir.sources.map((s) => s.sha256));
  const changed = config.space.sources.filter((s) => !now.has(s.sha256));
  if (changed.length === 0 && ir.space === config.space.name) return [];
  const names = changed.map((s) => s.path).join(", ") || config.space.path;
  const message = `the search in ${dir} was run on another version of ${names}; the space has changed since`;
  return [fileError(codeOf("SpaceChanged"), message, join(dir, RUN_FILE))];
}
