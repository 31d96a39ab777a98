/**
 * `metrics.jsonl`: one JSON object per line, appended as a run goes, so a
 * killed run keeps every line it wrote and a resumed run continues the file.
 * Lines past the checkpoint a run resumes from are dropped first, so the log
 * of a resumed run reads like the log of an uninterrupted one.
 */
import { appendFileSync, existsSync, readFileSync, writeFileSync } from "node:fs";

export const METRICS_FILE = "metrics.jsonl";

export type MetricsRecord = Readonly<Record<string, number | string | null>>;

export function appendMetrics(path: string, record: MetricsRecord): void {
  appendFileSync(path, `${JSON.stringify(record)}\n`);
}

/** Keeps the lines whose `step` is below `step` (and any unparsable tail is dropped). */
export function truncateMetrics(path: string, step: number): void {
  if (!existsSync(path)) return;
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
  writeFileSync(path, kept.map((line) => `${line}\n`).join(""));
}
