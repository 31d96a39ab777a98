/**
 * Collects diagnostics of one elaboration. A definition applied a hundred
 * times with the same mistake reports it once: duplicates (same code, place
 * and message) are dropped, and the total is capped.
 */
import type { Diagnostic } from "../../diagnostics/diagnostic.js";
import type { SourceRange } from "../../diagnostics/source.js";

export const MAX_DIAGNOSTICS = 200;

export class Reporter {
  readonly diagnostics: Diagnostic[] = [];
  private readonly seen = new Set<string>();
  private readonly places = new Set<string>();
  /** Errors reported, duplicates and capped ones included: whether a space had any. */
  errorCount = 0;

  report(diagnostic: Diagnostic): undefined {
    const { range } = diagnostic;
    if (diagnostic.severity === "error") this.errorCount++;
    const place = range ? placeKey(diagnostic.code, range) : `${diagnostic.code}|${diagnostic.file ?? ""}`;
    const key = `${place}|${diagnostic.message}`;
    if (this.seen.has(key) || this.full) return undefined;
    this.seen.add(key);
    this.places.add(place);
    this.diagnostics.push(diagnostic);
    return undefined;
  }

  /** No more diagnostics are kept: callers may skip building messages. */
  get full(): boolean {
    return this.diagnostics.length >= MAX_DIAGNOSTICS;
  }

  /** A diagnostic of this code at exactly this range was kept already (its message may differ). */
  hasReportedAt(code: string, range: SourceRange): boolean {
    return this.places.has(placeKey(code, range));
  }
}

function placeKey(code: string, range: SourceRange): string {
  return `${code}|${range.file}|${range.start.offset}|${range.end.offset}`;
}
