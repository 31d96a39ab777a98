/** `figs check FILES…`: read, parse (and later compile) each file; report every diagnostic. */
import type { SourceFile } from "../../diagnostics/source.js";
import { compileStage, parseStage, runCheckStages } from "../check-stages.js";
import { cwdHost } from "./compile.js";
import { booleanOption, ExitCode, type Command } from "../command.js";
import type { CliIo } from "../io.js";
import {
  countDiagnostics,
  exitCodeFor,
  reportsAsJson,
  summaryLine,
  writeRendered,
  type FileReport,
} from "../report.js";
import { expandFolders, loadFile } from "../source-files.js";

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
    if (args.positionals.length === 0) {
      io.stderr.write("figs check: no files given\nUsage: figs check [--json] FILES…\n");
      return ExitCode.UserError;
    }
    const { reports, sources } = await checkFiles(io, expandFolders(io, args.positionals));
    if (booleanOption(args, "json")) {
      io.stdout.write(reportsAsJson(reports));
    } else {
      writeRendered(io, reports, (path) => sources.get(path));
      io.stderr.write(summaryLine(countDiagnostics(reports)) + "\n");
    }
    return exitCodeFor(reports);
  },
};

async function checkFiles(
  io: CliIo,
  paths: readonly string[],
): Promise<{ reports: FileReport[]; sources: Map<string, SourceFile> }> {
  const reports: FileReport[] = [];
  const sources = new Map<string, SourceFile>();
  for (const path of paths) {
    const file = await loadFile(io, path);
    const outcome = runCheckStages(file, [parseStage, compileStage(cwdHost(io))]);
    for (const source of outcome.sources) sources.set(source.path, source);
    reports.push({ path: file.path, diagnostics: outcome.diagnostics });
  }
  return { reports, sources };
}
