/**
 * What `figs sweep`, `figs worker` and `figs diff --trained` share: how a job
 * is named in progress lines, how figs starts itself for a job (a child, or
 * `main` in this process for a job that trains nothing), and a run of a
 * sweep's jobs that Ctrl-C stops.
 */
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { installStopOnSignal } from "../runtime/checkpoint/signal.js";
import {
  runSweep,
  type InProcessRunner,
  type Job,
  type PoolEvent,
  type SweepOutcome,
  type SweepPlan,
} from "../runtime/sweep/index.js";
import type { CliIo, OutputStream } from "./io.js";
import { report, writeNotes, type Reporter } from "./report.js";

/** This figs again, as it was started: node, its flags (tsx's loader), and the script (the bundle or cli/main.ts). */
export function figsLauncher(): [string, ...string[]] {
  const flags = process.execArgv.filter((flag) => !flag.startsWith("--inspect"));
  return [process.execPath, ...flags, process.argv[1] ?? "figs"];
}

/**
 * `figs ARGS…` in this process, as a sweep runs its scale and sample jobs
 * (runtime/sweep/in-process.ts): stdout and stderr both to the job's log,
 * not a terminal, no colour, relative paths from `cwd`. Those commands
 * install no signal handlers and never change the directory or
 * process.exitCode (kept as it was regardless).
 */
export const runFigsInProcess: InProcessRunner = async (args, log, cwd) => {
  // Imported when a job runs: main.ts loads the commands, which import this file.
  const { main } = await import("./main.js");
  const stream: OutputStream = { write: (text) => log.write(text), isTTY: false };
  const io: CliIo = {
    stdout: stream,
    stderr: stream,
    cwd,
    env: { ...process.env, NO_COLOR: "1" },
    readStdin: () => Promise.resolve(new Uint8Array()),
  };
  const exitCode = process.exitCode;
  try {
    return await main(args, io);
  } finally {
    if (process.exitCode !== exitCode) process.exitCode = exitCode;
  }
};

/** `search  mnist_convnet params=20k figs seed 1` — what a job is, in its labels' words. */
export function describeJob(job: Job): string {
  const { space, budget, method, searchSeed, retrainSeed } = job.labels;
  const seeds = [
    searchSeed === null ? "" : `seed ${searchSeed}`,
    retrainSeed === null ? "" : `retrain seed ${retrainSeed}`,
  ];
  return [job.kind.padEnd(7), job.key, space, budget ?? "", method, ...seeds].filter((s) => s !== "").join("  ");
}

/** What a finished (or Ctrl-C-stopped) sweep run gives its command. */
export interface StoppableRun {
  readonly outcome: SweepOutcome;
  /** SIGINT or SIGTERM stopped it: the running jobs run again next time. */
  readonly stopped: boolean;
}

/**
 * Runs a sweep's jobs until done or stopped by the first SIGINT/SIGTERM, with
 * the queue's notices and the sweep's non-error diagnostics reported as
 * notes; its errors are reported and their exit code returned.
 */
export async function runSweepUntilStopped(
  io: CliIo,
  reporter: Reporter,
  plan: SweepPlan,
  options: { dir: string; workers: number; queue: string | undefined; onEvent: (event: PoolEvent) => void },
): Promise<StoppableRun | number> {
  const controller = new AbortController();
  const stop = installStopOnSignal({
    signals: ["SIGINT", "SIGTERM"],
    onFirstSignal: (signal) => {
      io.stderr.write(`\n${signal}: stopping the running jobs; run the same command again to continue\n`);
      controller.abort();
    },
  });
  try {
    const { dir, workers, queue, onEvent } = options;
    const notices = queue === undefined ? {} : { queue, onNotice: (note: Diagnostic) => writeNotes(reporter, [note]) };
    const run = await runSweep(plan, {
      dir,
      workers,
      figs: figsLauncher(),
      inProcess: runFigsInProcess,
      onEvent,
      signal: controller.signal,
      ...notices,
    });
    if (!run.ok) return report(reporter, [run.diagnostic]);
    const errors = run.value.diagnostics.filter((d) => d.severity === "error");
    writeNotes(
      reporter,
      run.value.diagnostics.filter((d) => d.severity !== "error"),
    );
    if (errors.length > 0) return report(reporter, errors);
    return { outcome: run.value, stopped: controller.signal.aborted };
  } finally {
    stop.dispose();
  }
}
