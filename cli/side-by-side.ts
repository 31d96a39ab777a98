/**
 * Training runs of figs side by side, each a child process on its own
 * threads (the demo's two retrainings: one core each beats both cores for
 * one run after the other, since a small net gains little from a second
 * thread). Each child's output goes to its log file; one progress bar counts
 * the steps of all of them from their metrics.jsonl. Ctrl-C or SIGTERM stops
 * them all: each child, told SIGTERM, saves its checkpoint and exits as it
 * does on its own; a child whose parent dies stops too (its standard input
 * closes: runtime/sweep/parent-watch.ts).
 */
import { spawn } from "node:child_process";
import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { join } from "node:path";
import { installStopOnSignal } from "../runtime/checkpoint/signal.js";
import { STOP_WITH_PARENT } from "../runtime/sweep/parent-watch.js";
import { METRICS_FILE } from "../runtime/train/metrics.js";
import type { CliIo } from "./io.js";
import { ProgressBar, type ProgressValues } from "./progress.js";
import { STOPPED_EXIT } from "./runs/training.js";

export interface ChildRun {
  /** The figs command line, without `figs`. */
  readonly args: readonly string[];
  /** Its run folder (its --out), where metrics.jsonl grows a line per step. */
  readonly out: string;
  /** Where its standard output and error go. */
  readonly log: string;
  /** Its number of steps, for the bar. */
  readonly steps: number;
}

export interface SideBySideOptions {
  /** How to start figs: the program and the arguments before the command (cli/sweep-jobs.ts figsLauncher). */
  readonly figs: readonly [string, ...string[]];
  readonly label: string;
  /** Milliseconds between looks at the children's metrics. */
  readonly pollMs?: number;
}

/** How each child ended (0 done, 1 its input, 2 a bug, 130 stopped), and whether a signal stopped the lot. */
export interface SideBySideEnding {
  readonly exitCodes: readonly number[];
  readonly stopped: boolean;
}

interface LastStep {
  readonly step: number;
  readonly loss: number;
  readonly accuracy: number;
}

/** The last complete line of DIR/metrics.jsonl, from the file's last 4 KB; undefined before the first step. */
export function lastMetrics(dir: string): LastStep | undefined {
  let fd: number;
  try {
    fd = openSync(join(dir, METRICS_FILE), "r");
  } catch {
    return undefined;
  }
  try {
    const size = fstatSync(fd).size;
    const length = Math.min(size, 4096);
    const tail = Buffer.alloc(length);
    readSync(fd, tail, 0, length, size - length);
    const lines = tail.toString("utf8").split("\n").slice(0, -1);
    const last = lines.at(-1);
    if (last === undefined) return undefined;
    const record = JSON.parse(last) as Record<string, unknown>;
    const number = (key: string): number => (typeof record[key] === "number" ? record[key] : NaN);
    return { step: number("step"), loss: number("loss"), accuracy: number("accuracy") };
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

/** The bar's values: every child's steps summed, the mean loss and accuracy of those that started. */
export function combinedProgress(runs: readonly ChildRun[], lasts: readonly (LastStep | undefined)[]): ProgressValues {
  const started = lasts.filter((last): last is LastStep => last !== undefined && Number.isFinite(last.step));
  const mean = (pick: (last: LastStep) => number): number =>
    started.length === 0 ? NaN : started.reduce((sum, last) => sum + pick(last), 0) / started.length;
  return {
    step: started.reduce((sum, last) => sum + last.step + 1, 0),
    total: runs.reduce((sum, run) => sum + run.steps, 0),
    loss: mean((last) => last.loss),
    accuracy: mean((last) => last.accuracy),
  };
}

function startChild(options: SideBySideOptions, run: ChildRun): { ended: Promise<number>; stop: () => void } {
  const log = openSync(run.log, "w");
  const [program, ...before] = options.figs;
  const child = spawn(program, [...before, ...run.args], {
    // A pipe nothing is written to: the child stops when this process dies (cli/main.ts).
    stdio: ["pipe", log, log],
    env: { ...process.env, NO_COLOR: "1", [STOP_WITH_PARENT]: "1" },
  });
  const ended = new Promise<number>((resolve) => {
    child.on("error", () => resolve(2));
    child.on("close", (code, signal) => resolve(code ?? (signal === null ? 2 : STOPPED_EXIT)));
  }).finally(() => closeSync(log));
  return { ended, stop: () => void child.kill("SIGTERM") };
}

/** Runs the children at once and waits for all; the bar is redrawn every `pollMs`. */
export async function runSideBySide(
  io: CliIo,
  runs: readonly ChildRun[],
  options: SideBySideOptions,
): Promise<SideBySideEnding> {
  const children = runs.map((run) => startChild(options, run));
  let stopped = false;
  const stop = installStopOnSignal({
    signals: ["SIGINT", "SIGTERM"],
    onFirstSignal: (signal) => {
      stopped = true;
      io.stderr.write(`\n${signal}: stopping the runs; each saves a checkpoint (figs retrain --resume)\n`);
      for (const child of children) child.stop();
    },
  });
  const bar = new ProgressBar({ stream: io.stderr, label: options.label, every: 250 });
  const draw = (): void => {
    const values = combinedProgress(
      runs,
      runs.map((run) => lastMetrics(run.out)),
    );
    if (values.step > 0) bar.update(values);
  };
  const timer = setInterval(draw, options.pollMs ?? 500);
  try {
    const exitCodes = await Promise.all(children.map((child) => child.ended));
    draw();
    return { exitCodes, stopped };
  } finally {
    clearInterval(timer);
    bar.finish();
    stop.dispose();
  }
}
