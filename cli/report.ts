/**
 * How commands show diagnostics: rendered like a compiler (with colour on a
 * terminal), or as JSON for tools; plus the one-line summary and the exit code.
 */
import { codeOf } from "../diagnostics/codes.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { renderDiagnostics, type SourceLookup } from "../diagnostics/render.js";
import { ExitCode } from "./command.js";
import { wantsColour, type CliIo } from "./io.js";

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
export function exitCodeFor(reports: readonly FileReport[]): ExitCode {
  const all = reports.flatMap((r) => r.diagnostics);
  if (all.some((d) => d.code === codeOf("InternalError"))) return ExitCode.InternalError;
  return all.some((d) => d.severity === "error") ? ExitCode.UserError : ExitCode.Ok;
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

/** Writes every report's diagnostics to stderr, one blank line between them. */
export function writeRendered(io: CliIo, reports: readonly FileReport[], lookup: SourceLookup): void {
  const all = reports.flatMap((r) => r.diagnostics);
  if (all.length === 0) return;
  const text = renderDiagnostics(all, lookup);
  io.stderr.write((wantsColour(io, io.stderr) ? colourise(text) : text) + "\n\n");
}

/** The JSON form: plain data, the same `Diagnostic` objects every stage produces. */
export function reportsAsJson(reports: readonly FileReport[]): string {
  const counts = countDiagnostics(reports);
  const files = reports.map((r) => ({ path: r.path, diagnostics: r.diagnostics }));
  return JSON.stringify({ files, errors: counts.errors, warnings: counts.warnings }, null, 2) + "\n";
}

const ansi = {
  red: "\u001b[31m",
  yellow: "\u001b[33m",
  cyan: "\u001b[36m",
  bold: "\u001b[1m",
  reset: "\u001b[0m",
} as const;
const severityColour: Record<string, string> = { error: ansi.red, warning: ansi.yellow, note: ansi.cyan };

/** Colours the severity word of heading lines and the `^~~~` markers; the text itself is unchanged. */
export function colourise(rendered: string): string {
  return rendered.split("\n").map(colouriseLine).join("\n");
}

function colouriseLine(line: string): string {
  const heading = /^(?<location>.*?:\d+:\d+: |  )(?<severity>error|warning|note)\b/.exec(line);
  const location = heading?.groups?.["location"];
  const severity = heading?.groups?.["severity"];
  if (heading && location !== undefined && severity !== undefined) {
    const rest = line.slice(heading[0].length);
    return `${ansi.bold}${location}${severityColour[severity] ?? ""}${severity}${ansi.reset}${rest}`;
  }
  if (/^\s+\|\s*\^~*$/.test(line)) return line.replace(/\^~*/, (marker) => `${ansi.red}${marker}${ansi.reset}`);
  return line;
}
