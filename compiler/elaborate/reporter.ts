/**
 * Collects diagnostics of one elaboration. A definition applied a hundred
 * times with the same mistake reports it once: duplicates (same code, place
 * and message) are dropped, and the total is capped.
 */
import type { Diagnostic } from "../../diagnostics/diagnostic.js";

export const MAX_DIAGNOSTICS = 200;

export class Reporter {
  readonly diagnostics: Diagnostic[] = [];
  private readonly seen = new Set<string>();

  report(diagnostic: Diagnostic): undefined {
    const { range } = diagnostic;
    const key = `${diagnostic.code}|${range.file}|${range.start.offset}|${range.end.offset}|${diagnostic.message}`;
    if (this.seen.has(key) || this.diagnostics.length >= MAX_DIAGNOSTICS) return undefined;
    this.seen.add(key);
    this.diagnostics.push(diagnostic);
    return undefined;
  }
}
