/**
 * `metrics.jsonl`: one JSON object per line, appended as a run goes, so a
 * killed run keeps every line it wrote and a resumed run continues the file.
 * Lines past the checkpoint a run resumes from are dropped first, so the log
 * of a resumed run reads like the log of an uninterrupted one; the file is
 * rewritten atomically, so a kill at that moment leaves the old file whole.
 */
import { existsSync, readFileSync } from "node:fs";
import type { Result } from "../data/errors.js";
import { ok } from "../data/errors.js";
import { appendLine, writeFileAtomic } from "../folders/index.js";

export const METRICS_FILE = "metrics.jsonl";

export type MetricsRecord = Readonly<Record<string, number | string | null>>;

export function appendMetrics(path: string, record: MetricsRecord): Result<void> {
  return appendLine(path, JSON.stringify(record));
}

/** Keeps the lines whose `step` is below `step` (and any unparsable tail is dropped). */
export function truncateMetrics(path: string, step: number): Result<void> {
  if (!existsSync(path)) return ok(undefined);
  const kept = readFileSync(path, "utf8")
    .split("\n")
    .filter((line) => {
      try {
        const value = JSON.parse(line) as { step?: unknown };
        return typeof value.step === "number" && value.step < step;
      } catch {
        return false;
      }
    });
  return writeFileAtomic(path, kept.map((line) => `${line}\n`).join(""), "the metrics");
}
