/**
 * `figs check FILES…`: read each file and compile every space it defines up
 * to its masks (the compiler's `compileEachSpace`); report every diagnostic.
 */
import { compileEachSpace, type Host, type ParseCache } from "../../compiler/index.js";
import { hasErrors, type Diagnostic } from "../../diagnostics/diagnostic.js";
import type { SourceFile } from "../../diagnostics/source.js";
import { parse } from "../../grammar/parse.js";
import { usageProblem, type Command } from "../command.js";
import type { CliIo } from "../io.js";
import { reporterFor, reportFiles, reportUsage, type FileReport } from "../report.js";
import { cwdHost, expandFolders, loadFile, type LoadedFile } from "../source-files.js";

export const checkCommand: Command = {
  name: "check",
  summary: "check .figs files and report every diagnostic",
  usage: "[--json] FILES…",
  description: [
    "Reads and parses each file and prints its diagnostics to stderr as",
    "'file:line:col: error FIGS1234: message' with the source line, then a summary.",
    "A folder stands for the .figs files below it; '-' reads standard input.",
    "",
    "Exit status: 0 when no file has an error, 1 when some file has one,",
    "2 when figs itself failed (an internal error).",
  ].join("\n"),
  options: {
    json: { type: "boolean", description: "print the diagnostics as JSON on stdout instead" },
  },
  examples: [
    { command: "figs check examples/*.figs", says: 'checks the three example spaces and prints "3 files ok"' },
    {
      command: "figs check --json spaces/",
      says: "checks every .figs file under spaces/ and prints the diagnostics as JSON",
    },
    {
      command: "figs check - < spaces/resnet.figs",
      says: "checks the text on standard input (imports are read from the current folder)",
    },
  ],
  async run(args, io) {
    const reporter = reporterFor(io, "check", args);
    if (args.positionals.length === 0) return reportUsage(reporter, usageProblem("MissingOperand", "no files given"));
    const { reports, sources } = await checkFiles(io, expandFolders(io, args.positionals));
    return reportFiles(reporter, reports, sources);
  },
};

async function checkFiles(
  io: CliIo,
  paths: readonly string[],
): Promise<{ reports: FileReport[]; sources: Map<string, SourceFile> }> {
  const reports: FileReport[] = [];
  const sources = new Map<string, SourceFile>();
  const host = cwdHost(io);
  const cache: ParseCache = new Map();
  for (const path of paths) {
    const file = await loadFile(io, path);
    const checked = checkFile(file, host, cache);
    checked.sources.forEach((source, path) => sources.set(path, source));
    reports.push({ path: file.path, diagnostics: checked.diagnostics });
  }
  return { reports, sources };
}

interface CheckedFile {
  readonly diagnostics: readonly Diagnostic[];
  readonly sources: ReadonlyMap<string, SourceFile>;
}

/**
 * A file that was read, compiled space by space. A file that could not be
 * read is not parsed; one whose text has errors (not valid UTF-8) is parsed,
 * for its syntax errors, but not compiled. `cache` holds the files imported
 * by the files checked before, so each is parsed once.
 */
export function checkFile(file: LoadedFile, host: Host, cache?: ParseCache): CheckedFile {
  if (!file.readable) return { diagnostics: file.diagnostics, sources: new Map() };
  if (hasErrors(file.diagnostics)) {
    const parsed = parse(file.text, file.path);
    return {
      diagnostics: [...file.diagnostics, ...parsed.diagnostics],
      sources: new Map([[file.path, parsed.source]]),
    };
  }
  const compiled = compileEachSpace({ path: file.path, text: file.text }, { host, ...(cache ? { cache } : {}) });
  return { diagnostics: [...file.diagnostics, ...compiled.diagnostics], sources: compiled.sources };
}
