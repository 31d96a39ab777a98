/**
 * The one path by which every command reports what a user got wrong:
 * diagnostics (compiler, runtime, options, files alike) rendered like a
 * compiler's on stderr — `file:line:col: error FIGS…: message` with the
 * source line, `file: error FIGS…: message` for a whole file, `figs <command>:
 * error FIGS…: message` for no file — with colour on a terminal; or, with the
 * global `--json`, as `{"diagnostics": […]}` on stdout (diagnostics/json.ts).
 * The exit code follows from them: 2 for a bug in figs (FIGS9999), 1 for any
 * other error.
 */
import { codeOf } from "../diagnostics/codes.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { diagnosticJson } from "../diagnostics/json.js";
import { renderDiagnostics, type SourceLookup } from "../diagnostics/render.js";
import type { SourceFile } from "../diagnostics/source.js";
import { colourise } from "./colour.js";
import { booleanOption, ExitCode, type ParsedArgs } from "./command.js";
import { wantsColour, type CliIo, type OutputStream } from "./io.js";

export { colourise } from "./colour.js";

/** Who reports, and how: the command (`figs search`, or `figs` before one is known) and whether `--json` was given. */
export interface Reporter {
  readonly io: CliIo;
  /** `figs search`: speaks for diagnostics without a location and names the usage hint. */
  readonly who: string;
  readonly json: boolean;
}

/** The reporter of `figs <command>` run with `args` (its `--json`, which every command accepts). */
export function reporterFor(io: CliIo, command: string, args?: ParsedArgs): Reporter {
  return { io, who: `figs ${command}`, json: args !== undefined && booleanOption(args, "json") };
}

/** The diagnostics of one input file; `diagnostics` may mention other files (imports). */
export interface FileReport {
  readonly path: string;
  readonly diagnostics: readonly Diagnostic[];
}

export interface Counts {
  readonly files: number;
  readonly errors: number;
  readonly warnings: number;
  readonly filesWithErrors: number;
}

export function countDiagnostics(reports: readonly FileReport[]): Counts {
  const errorsIn = (r: FileReport) => r.diagnostics.filter((d) => d.severity === "error").length;
  return {
    files: reports.length,
    errors: reports.reduce((n, r) => n + errorsIn(r), 0),
    warnings: reports.reduce((n, r) => n + r.diagnostics.filter((d) => d.severity === "warning").length, 0),
    filesWithErrors: reports.filter((r) => errorsIn(r) > 0).length,
  };
}

/** A FIGS9999 anywhere means figs itself failed, whatever else went wrong. */
export function exitCodeOf(diagnostics: readonly Diagnostic[]): ExitCode {
  if (diagnostics.some((d) => d.code === codeOf("InternalError"))) return ExitCode.InternalError;
  return diagnostics.some((d) => d.severity === "error") ? ExitCode.UserError : ExitCode.Ok;
}

export function exitCodeFor(reports: readonly FileReport[]): ExitCode {
  return exitCodeOf(reports.flatMap((r) => r.diagnostics));
}

/** "2 errors in 1 file", "3 files ok", "1 file ok, 2 warnings". */
export function summaryLine(counts: Counts): string {
  const warnings = counts.warnings > 0 ? plural(counts.warnings, "warning") : "";
  if (counts.errors > 0) {
    const both = warnings ? `${plural(counts.errors, "error")} and ${warnings}` : plural(counts.errors, "error");
    return `${both} in ${plural(counts.filesWithErrors, "file")}`;
  }
  return warnings ? `${plural(counts.files, "file")} ok, ${warnings}` : `${plural(counts.files, "file")} ok`;
}

export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}

const noSources: SourceLookup = () => undefined;

function jsonOut(to: Reporter): OutputStream {
  return to.io.jsonOut ?? to.io.stdout;
}

/**
 * What a command that stops on a user's error ends with: the diagnostics,
 * as JSON on stdout with `--json`, else rendered on stderr; returns the exit
 * code they call for (1, or 2 for a bug in figs).
 */
export function report(to: Reporter, diagnostics: readonly Diagnostic[], lookup: SourceLookup = noSources): number {
  if (to.json) jsonOut(to).write(diagnosticsJson(diagnostics));
  else if (diagnostics.length > 0) to.io.stderr.write(rendered(to, diagnostics, lookup) + "\n");
  return exitCodeOf(diagnostics);
}

/**
 * Diagnostics that do not stop the command (warnings, notes, a stale lock
 * taken over): rendered on stderr in either mode, since stdout is the
 * command's own output until it ends. A blank line follows, as before a
 * summary line.
 */
export function writeDiagnostics(
  to: Reporter,
  diagnostics: readonly Diagnostic[],
  lookup: SourceLookup = noSources,
): void {
  if (diagnostics.length === 0) return;
  to.io.stderr.write(rendered(to, diagnostics, lookup) + "\n\n");
}

/** Warnings and notes in the middle of a run (a stale lock taken over, a target missed): one after the other. */
export function writeNotes(to: Reporter, diagnostics: readonly Diagnostic[]): void {
  if (diagnostics.length > 0) to.io.stderr.write(rendered(to, diagnostics, noSources) + "\n");
}

function rendered(to: Reporter, diagnostics: readonly Diagnostic[], lookup: SourceLookup): string {
  const text = renderDiagnostics(diagnostics, lookup, { who: to.who });
  return wantsColour(to.io, to.io.stderr) ? colourise(text) : text;
}

/**
 * The diagnostics of the files a command read (check, compile, cost, …): as
 * JSON on stdout (the files, the counts and every diagnostic), or rendered on
 * stderr with the summary line; returns the exit code.
 */
export function reportFiles(
  to: Reporter,
  reports: readonly FileReport[],
  sources: ReadonlyMap<string, SourceFile> | SourceLookup,
): number {
  const lookup: SourceLookup = typeof sources === "function" ? sources : (path) => sources.get(path);
  if (to.json) jsonOut(to).write(reportsAsJson(reports));
  else {
    writeDiagnostics(
      to,
      reports.flatMap((r) => r.diagnostics),
      lookup,
    );
    to.io.stderr.write(summaryLine(countDiagnostics(reports)) + "\n");
  }
  return exitCodeFor(reports);
}

/**
 * A wrong command, option or argument: the diagnostic (no location: its
 * message names the option) and where to find the usage; exit 1.
 */
export function reportUsage(to: Reporter, diagnostic: Diagnostic): number {
  if (to.json) return report(to, [diagnostic]);
  to.io.stderr.write(`${rendered(to, [diagnostic], noSources)}\nRun '${to.who} --help' for usage.\n`);
  return ExitCode.UserError;
}

/** `{"diagnostics": […]}`, in the order they are rendered: the stable JSON of every command (docs/architecture.md). */
export function diagnosticsJson(diagnostics: readonly Diagnostic[]): string {
  return JSON.stringify({ diagnostics: diagnostics.map(diagnosticJson) }, null, 2) + "\n";
}

/**
 * `figs check --json` and the other file reports: the files with their
 * diagnostics (as the compiler returns them), the counts, and every
 * diagnostic again in the stable shape all commands share.
 */
export function reportsAsJson(reports: readonly FileReport[]): string {
  const counts = countDiagnostics(reports);
  const files = reports.map((r) => ({ path: r.path, diagnostics: r.diagnostics }));
  const diagnostics = reports.flatMap((r) => r.diagnostics.map(diagnosticJson));
  return JSON.stringify({ files, errors: counts.errors, warnings: counts.warnings, diagnostics }, null, 2) + "\n";
}
