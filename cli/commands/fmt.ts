/** `figs fmt [--check] [--print-width N] FILES…`: print .figs files in the one canonical layout. */
import { hasErrors, type Diagnostic } from "../../diagnostics/diagnostic.js";
import { SourceFile } from "../../diagnostics/source.js";
import { DEFAULT_PRINT_WIDTH } from "../../grammar/prettier/options.js";
import { writeFileAtomically } from "../atomic-write.js";
import { booleanOption, ExitCode, stringOption, usageProblem, type Command, type ParsedArgs } from "../command.js";
import { loadFormatter, type FormatFigs, type FormatOptions, type FormatterLoader } from "../formatter.js";
import type { CliIo } from "../io.js";
import { exitCodeFor, plural, report, reporterFor, reportUsage, writeDiagnostics, type FileReport } from "../report.js";
import { expandFolders, loadFile, STDIN_PATH, type LoadedFile } from "../source-files.js";

type Outcome =
  | { readonly kind: "formatted"; readonly file: LoadedFile; readonly formatted: string }
  | { readonly kind: "invalid"; readonly file: LoadedFile; readonly diagnostics: readonly Diagnostic[] };

interface Tally {
  files: number;
  changed: number;
  failed: number;
}

const MAX_PRINT_WIDTH = 1000;

/** Built from a loader so tests can format with a stand-in formatter. */
export function createFmtCommand(load: FormatterLoader): Command {
  return {
    name: "fmt",
    summary: "format .figs files in place (or check that they are formatted)",
    usage: "[--check] [--print-width N] FILES…",
    description: [
      "Rewrites each file that is not formatted, atomically (a temporary file in the",
      "same folder, then a rename). A file with syntax errors is never touched: its",
      "diagnostics are printed instead. A folder stands for the .figs files below it;",
      "'-' reads standard input and writes the formatted text to standard output.",
      "",
      "Exit status: 0 when done (with --check: when every file is formatted), 1 when",
      "some file has errors (with --check: or would change), 2 on an internal error.",
    ].join("\n"),
    options: {
      check: { type: "boolean", description: "write nothing; list the files that would change" },
      "print-width": {
        type: "string",
        valueName: "N",
        description: `the line length to aim for (default ${DEFAULT_PRINT_WIDTH})`,
      },
    },
    examples: [
      {
        command: "figs fmt examples/",
        says: 'formats every .figs file under examples/ in place ("3 files already formatted" when none changes)',
      },
      {
        command: "figs fmt --check --print-width 80 spaces/",
        says: "changes nothing; lists the files that lines of 80 characters would change, and exits 1 if any",
      },
      {
        command: "figs fmt - < examples/mbconv.figs",
        says: "prints the formatted text of standard input to standard output",
      },
    ],
    run: (args, io) => runFmt(args, io, load),
  };
}

export const fmtCommand: Command = createFmtCommand(loadFormatter);

async function runFmt(args: ParsedArgs, io: CliIo, load: FormatterLoader): Promise<number> {
  const reporter = reporterFor(io, "fmt", args);
  const printWidth = parsePrintWidth(stringOption(args, "print-width"));
  if (printWidth === "invalid") {
    const message = `--print-width must be a whole number from 1 to ${MAX_PRINT_WIDTH}`;
    return reportUsage(reporter, usageProblem("InvalidOption", message));
  }
  if (args.positionals.length === 0) return reportUsage(reporter, usageProblem("MissingOperand", "no files given"));
  const format = await load();
  const check = booleanOption(args, "check");
  const options: FormatOptions = printWidth === undefined ? {} : { printWidth };
  const tally: Tally = { files: 0, changed: 0, failed: 0 };
  const invalid: Extract<Outcome, { kind: "invalid" }>[] = [];
  for (const path of expandFolders(io, args.positionals)) {
    const outcome = await formatFile(io, path, format, options);
    const applied = outcome.kind === "invalid" ? outcome : applyOutcome(io, outcome, check, tally);
    if (applied.kind === "invalid") invalid.push(applied);
    tally.files++;
    if (applied.kind === "invalid") tally.failed++;
  }
  const reports: FileReport[] = invalid.map((o) => ({ path: o.file.path, diagnostics: o.diagnostics }));
  const diagnostics = reports.flatMap((r) => r.diagnostics);
  if (!reporter.json) writeDiagnostics(reporter, diagnostics, sourceLookup(invalid.map((o) => o.file)));
  else if (diagnostics.length > 0) report(reporter, diagnostics);
  if (args.positionals.some((p) => p !== STDIN_PATH)) io.stderr.write(fmtSummary(tally, check) + "\n");
  return fmtExitCode(reports, tally, check);
}

function parsePrintWidth(value: string | undefined): number | undefined | "invalid" {
  if (value === undefined) return undefined;
  const width = /^\d+$/.test(value) ? Number(value) : NaN;
  return width >= 1 && width <= MAX_PRINT_WIDTH ? width : "invalid";
}

async function formatFile(io: CliIo, path: string, format: FormatFigs, options: FormatOptions): Promise<Outcome> {
  const file = await loadFile(io, path);
  if (!file.readable || hasErrors(file.diagnostics)) return { kind: "invalid", file, diagnostics: file.diagnostics };
  const result = await format(file.text, file.path, options);
  if (!result.ok) return { kind: "invalid", file, diagnostics: result.diagnostics };
  return { kind: "formatted", file, formatted: result.formatted };
}

/** Prints or writes a formatted file; a write that fails makes it invalid, with the reason as its diagnostic. */
function applyOutcome(
  io: CliIo,
  outcome: Extract<Outcome, { kind: "formatted" }>,
  check: boolean,
  tally: Tally,
): Outcome {
  const { file, formatted } = outcome;
  const changed = formatted !== file.text;
  if (changed) tally.changed++;
  if (check) {
    if (changed) io.stdout.write(`${file.path}\n`);
  } else if (file.absolutePath === undefined) {
    io.stdout.write(formatted);
  } else if (changed) {
    const written = writeFileAtomically(file.absolutePath, formatted, file.path);
    if (!written.ok) return { kind: "invalid", file, diagnostics: [written.diagnostic] };
  }
  return outcome;
}

/** Diagnostics point into the text that was read; excerpts are cut from it. */
function sourceLookup(files: readonly LoadedFile[]): (path: string) => SourceFile | undefined {
  const sources = new Map(files.filter((f) => f.readable).map((f) => [f.path, new SourceFile(f.path, f.text)]));
  return (path) => sources.get(path);
}

/** "2 of 3 files would be reformatted", "reformatted 1 of 3 files", "3 files already formatted". */
function fmtSummary(tally: Tally, check: boolean): string {
  const parts: string[] = [];
  const clean = tally.files - tally.failed;
  if (tally.changed === 0 && clean > 0) parts.push(`${plural(clean, "file")} already formatted`);
  else if (tally.changed > 0 && check)
    parts.push(`${tally.changed} of ${plural(tally.files, "file")} would be reformatted`);
  else if (tally.changed > 0) parts.push(`reformatted ${tally.changed} of ${plural(tally.files, "file")}`);
  if (tally.failed > 0) parts.push(`${plural(tally.failed, "file")} not formatted because of errors`);
  return parts.join("; ");
}

function fmtExitCode(reports: readonly FileReport[], tally: Tally, check: boolean): number {
  const diagnosticsCode = exitCodeFor(reports);
  if (diagnosticsCode !== ExitCode.Ok) return diagnosticsCode;
  if (tally.failed > 0 || (check && tally.changed > 0)) return ExitCode.UserError;
  return ExitCode.Ok;
}
