/**
 * Wall time of whole `node` processes, measured side by side: round after
 * round every subject runs once, each round starting at the next subject, so
 * a burst of load on the (shared) machine falls on all of them alike.
 */
import { spawnSync } from "node:child_process";

export interface Subject {
  /** How the report names it, e.g. `figs --version`. */
  readonly name: string;
  /** Arguments to `node`. */
  readonly args: readonly string[];
}

export type Measured =
  | { readonly ok: true; readonly timings: ReadonlyMap<string, readonly number[]> }
  | { readonly ok: false; readonly message: string };

export interface MeasureOptions {
  readonly runs: number;
  readonly cwd: string;
  /** Untimed rounds first, to fill the file cache. */
  readonly warmup?: number;
}

export function measureInterleaved(subjects: readonly Subject[], options: MeasureOptions): Measured {
  const timings = new Map<string, number[]>(subjects.map((s) => [s.name, []]));
  const warmup = options.warmup ?? 2;
  for (let round = 0; round < warmup + options.runs; round++) {
    for (const subject of rotated(subjects, round)) {
      const run = timeOnce(subject, options.cwd);
      if (!run.ok) return run;
      if (round >= warmup) timings.get(subject.name)?.push(run.ms);
    }
  }
  return { ok: true, timings };
}

function rotated<T>(items: readonly T[], by: number): T[] {
  const shift = by % Math.max(items.length, 1);
  return [...items.slice(shift), ...items.slice(0, shift)];
}

/** One run; a run that fails is not a time but a broken benchmark. */
function timeOnce(subject: Subject, cwd: string): { ok: true; ms: number } | { ok: false; message: string } {
  const start = performance.now();
  const child = spawnSync(process.execPath, subject.args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  const ms = performance.now() - start;
  if (child.status === 0) return { ok: true, ms };
  const reason = child.error?.message ?? `exit status ${child.status ?? child.signal}`;
  return { ok: false, message: `'${subject.name}' failed (${reason}):\n${child.stderr}` };
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  if (sorted.length === 0) return NaN;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
