/** The start-up report: each subject's median and ratio to bare Node, then the targets with pass or fail. */
import { median } from "./measure.js";

export interface Target {
  readonly subject: string;
  /** Its median may be at most this many times bare Node's. */
  readonly maxRatio: number;
}

export interface Machine {
  readonly cores: number;
  /** os.loadavg() before and after the runs: 1, 5 and 15 minutes. */
  readonly loadBefore: readonly number[];
  readonly loadAfter: readonly number[];
  readonly node: string;
}

export interface StartupReport {
  readonly baseline: string;
  readonly timings: ReadonlyMap<string, readonly number[]>;
  readonly targets: readonly Target[];
  readonly runs: number;
  readonly machine: Machine;
}

export function formatReport(report: StartupReport): string {
  const base = median(report.timings.get(report.baseline) ?? []);
  const width = Math.max(...[...report.timings.keys()].map((name) => name.length));
  const rows = [...report.timings].map(([name, times]) => {
    const ms = median(times);
    return `  ${name.padEnd(width)}  ${ms.toFixed(1).padStart(7)} ms  ${(ms / base).toFixed(2).padStart(5)}×`;
  });
  const checks = report.targets.map((target) => targetLine(target, median(report.timings.get(target.subject) ?? [])));
  const { machine } = report;
  return [
    `start-up, median of ${report.runs} interleaved runs (wall time of the whole process)`,
    `machine: ${machine.cores} cores, load average ${loads(machine.loadBefore)} before, ` +
      `${loads(machine.loadAfter)} after; node ${machine.node}`,
    ...rows,
    "targets (ratio to bare Node):",
    ...checks.map((check) => check.line),
    `${checks.filter((check) => check.pass).length} of ${checks.length} targets met`,
    "",
  ].join("\n");

  function targetLine(target: Target, ms: number): { pass: boolean; line: string } {
    const ratio = ms / base;
    const pass = ratio <= target.maxRatio;
    const ratioText = `${ratio.toFixed(2)}× (≤ ${target.maxRatio}×)`;
    return { pass, line: `  ${pass ? "pass" : "FAIL"}  ${target.subject}: ${ratioText}` };
  }
}

function loads(values: readonly number[]): string {
  return values.map((value) => value.toFixed(2)).join(" ");
}
