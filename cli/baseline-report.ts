/**
 * What `figs sample` and `figs scale` share after compiling: the output
 * options, progress on a terminal, and the report of the architectures they
 * wrote (a table or JSON), or the diagnostics of a failed write.
 */
import { formatBaselineTable, summarizeBaselines, type WriteResult } from "../runtime/baselines/index.js";
import { ExitCode } from "./command.js";
import type { CompiledFile } from "./compile-args.js";
import type { CliIo } from "./io.js";
import { plural, reportFiles, type Reporter } from "./report.js";

/** Options `figs sample` and `figs scale` share, after the space options. */
export const OUTPUT_OPTIONS = {
  out: {
    type: "string",
    short: "o",
    valueName: "DIR",
    description: "the output folder (default: named after the space)",
  },
  force: { type: "boolean", description: "replace the output folder if it exists" },
  json: { type: "boolean", description: "print the summary (or the diagnostics) as JSON" },
} as const;

/** Progress on a terminal only: tests and pipes get the summary and nothing else. */
export function progressReporter(io: CliIo, verb: string): ((done: number, total: number) => void) | undefined {
  if (!io.stderr.isTTY) return undefined;
  return (done, total) => io.stderr.write(`\r${verb} ${done}/${total}${done === total ? "\n" : ""}`);
}

/** The diagnostics of a failed write, or the summary table (or JSON) of what was written. */
export function reportBaselines(
  reporter: Reporter,
  compiled: Extract<CompiledFile, { ok: true }>,
  result: WriteResult,
  out: string,
): number {
  const { io } = reporter;
  if (result.diagnostics.length > 0) {
    const reports = [{ path: compiled.path, diagnostics: result.diagnostics }];
    return reportFiles(reporter, reports, compiled.result.sources);
  }
  const summary = summarizeBaselines(compiled.result.ir!, result.written);
  if (reporter.json) {
    io.stdout.write(JSON.stringify({ out, ...summary }, null, 2) + "\n");
    return ExitCode.Ok;
  }
  io.stdout.write(formatBaselineTable(summary));
  io.stdout.write(`wrote ${plural(result.written.length, "architecture")} to ${out}\n`);
  return ExitCode.Ok;
}
