/**
 * What a training command (search, retrain) does around the training loop:
 * a progress bar on stderr, Ctrl-C and SIGTERM turned into a stop request
 * the loop polls between steps (it saves a checkpoint and stops), and the
 * message and exit status of a stopped run.
 */
import { installStopOnSignal, type StopRequest } from "../../runtime/checkpoint/signal.js";
import type { CliIo } from "../io.js";
import { ProgressBar } from "../progress.js";
import { stoppingMessage } from "../run-common.js";

/** The exit status of a run stopped by a signal (128 + SIGINT's number, as shells report it). */
export const STOPPED_EXIT = 130;

/** About twenty plain lines over a run when stderr is not a terminal. */
export function progressBar(io: CliIo, steps: number, label?: string): ProgressBar {
  const every = Math.max(1, Math.round(steps / 20));
  return new ProgressBar({ stream: io.stderr, every, ...(label === undefined ? {} : { label }) });
}

/** Runs `work` with SIGINT and SIGTERM asking it to stop (the first one; a second one ends the process). */
export async function withStopSignals<T>(io: CliIo, work: (stop: StopRequest) => Promise<T>): Promise<T> {
  const stop = installStopOnSignal({
    signals: ["SIGINT", "SIGTERM"],
    onFirstSignal: (signal) => io.stderr.write(`\n${stoppingMessage(signal)}\n`),
  });
  try {
    return await work(stop);
  } finally {
    stop.dispose();
  }
}

/** `search stopped at step 7; checkpoint saved. Continue with: …`, and the exit status. */
export function reportStopped(io: CliIo, run: "search" | "retraining", steps: number, dir: string): number {
  const command = run === "search" ? "search" : "retrain";
  io.stderr.write(
    `${run} stopped at step ${steps}; checkpoint saved. Continue with: figs ${command} --resume --out ${dir}\n`,
  );
  return STOPPED_EXIT;
}
