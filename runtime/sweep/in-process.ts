/**
 * Jobs that train nothing run inside the executor's own process. A `figs
 * scale` or `figs sample` job compiles a space and exports it: well under a
 * second of work, where a `figs` child spends 1–1.5 s loading the bundle and
 * tfjs before it starts. The runner is injected (the cli layer passes one that
 * calls `main` with the job's log as stdout and stderr): runtime/ never
 * imports cli/.
 *
 * The job's folder, log.txt, child.json (naming this process) and ending are
 * those of a child run; an exit status maps the same way (0 done, 1 failed,
 * any other crashed), and an exception thrown by the runner is a crash with
 * its stack in the log, never the executor's. Searches and retrainings stay
 * children: they train for minutes on one thread each, save checkpoints and
 * must be stoppable (and killable) on their own.
 *
 * A stop (the sweep's Ctrl-C, a worker's SIGTERM) does not interrupt an
 * in-process job: it runs to its end, seconds at most, and is then reported
 * cancelled (not recorded), so it runs again next time as a stopped child's
 * job does. The compile is synchronous: in-process jobs take turns on this
 * process's thread rather than one core each.
 */
import { writeSync } from "node:fs";
import type { Job, JobKind } from "./expand.js";

/** Where an in-process job's output goes: its log.txt. */
export interface JobLog {
  write(text: string): void;
}

/** Runs `figs ARGS…` in this process with stdout and stderr to `log`, relative paths from `cwd`; its exit status. */
export type InProcessRunner = (args: readonly string[], log: JobLog, cwd: string) => Promise<number>;

/** The kinds of job that compile and export only (no training), so they may run in-process. */
export const IN_PROCESS_KINDS: ReadonlySet<JobKind> = new Set<JobKind>(["scale", "sample"]);

/** The runner, when there is one and the job is of a kind it may run. */
export function inProcessRunnerFor(job: Job, runner: InProcessRunner | undefined): InProcessRunner | undefined {
  return IN_PROCESS_KINDS.has(job.kind) ? runner : undefined;
}

/** The exit status of an internal error (a bug in figs), as `figs` itself returns it: recorded as a crash. */
const THROWN_EXIT = 2;

/**
 * Runs the job's command line with its output appended to the open file
 * `fd`; its exit status, THROWN_EXIT with the stack in the log if the runner
 * threw (or returned something other than a whole number).
 */
export async function runInProcess(runner: InProcessRunner, argv: readonly string[], fd: number): Promise<number> {
  const log: JobLog = { write: (text) => void writeSync(fd, text) };
  try {
    const code = await runner(argv, log, process.cwd());
    if (Number.isInteger(code)) return code;
    log.write(`figs: internal error: an in-process job ended with the exit status ${String(code)}\n`);
    return THROWN_EXIT;
  } catch (cause) {
    const detail = cause instanceof Error ? (cause.stack ?? `${cause.name}: ${cause.message}`) : String(cause);
    try {
      log.write(`figs: internal error (a bug in figs; please report it with the command you ran)\n${detail}\n`);
    } catch {
      // The log itself cannot be written: the crash is still recorded.
    }
    return THROWN_EXIT;
  }
}
