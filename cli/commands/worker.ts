/**
 * `figs worker --queue redis://HOST:PORT [--sweep QUEUE] [--concurrency N]`:
 * runs the jobs of sweeps started with `figs sweep --queue`, on this
 * machine, until stopped. The work is in runtime/sweep/worker.ts; this file
 * parses options and prints a line per job.
 */
import { availableParallelism } from "node:os";
import { installStopOnSignal } from "../../runtime/checkpoint/signal.js";
import { ok, type Result } from "../../diagnostics/result.js";
import { invalidOption, stringOption, usageProblem, type Command, type ParsedArgs } from "../command.js";
import { withJsonStdout, type CliIo } from "../io.js";
import { report, reporterFor, reportUsage, writeNotes } from "../report.js";
import { LAZY_SUMMARIES } from "./summaries.js";
import { describeJob, figsLauncher, runFigsInProcess } from "../sweep-jobs.js";

export const workerCommand: Command = {
  name: "worker",
  summary: LAZY_SUMMARIES.worker,
  usage: "--queue redis://HOST:PORT [--sweep QUEUE] [--concurrency N] [--json]",
  description: [
    "Runs the jobs that `figs sweep --queue URL` puts in Redis (BullMQ), each a figs",
    "child process (scale and sample jobs, which train nothing, in the worker's own",
    "process) in the sweep folder's DIR/jobs/<key>/, exactly as a local sweep runs it,",
    "so the results are the same. Start any number of workers, on any",
    "machines that see the sweep folder at the same path (a shared filesystem, e.g.",
    "NFS); each serves every sweep announced in that Redis, or only --sweep QUEUE (the",
    "queue name the sweep prints), N jobs at a time per sweep.",
    "",
    "A running job's lock is renewed while the worker lives; if the worker dies (kill",
    "-9, a lost machine), another worker takes the job within about 20 s and resumes",
    "it from the checkpoint in its out/ (a search or retraining), else runs it again.",
    "Ctrl-C or SIGTERM stops the worker's jobs and gives them back to the queue. If",
    "Redis goes away the worker says so and waits for it.",
    "",
    "Exit status: 0 stopped by Ctrl-C or SIGTERM, 1 bad URL or Redis unreachable at the start, 2 internal error.",
  ].join("\n"),
  options: {
    queue: { type: "string", valueName: "URL", description: "the Redis the sweeps use: redis://host:port (required)" },
    sweep: {
      type: "string",
      valueName: "QUEUE",
      description: "serve only this sweep's queue (figs-sweep-…, as `figs sweep --queue` prints it)",
    },
    concurrency: {
      type: "string",
      short: "j",
      valueName: "N",
      description: "jobs run at once per sweep, each a process with one thread (default: the machine's cores)",
    },
    json: { type: "boolean", description: "diagnostics as JSON" },
  },
  examples: [
    {
      command: "figs worker --queue redis://queue-host:6379",
      says: "runs queued sweep jobs on this machine, one per core, until Ctrl-C",
    },
    {
      command: "figs worker --queue redis://queue-host:6379 --concurrency 2 --sweep figs-sweep-3fa29c1b0d4e",
      says: "runs two jobs at a time of one sweep only",
    },
  ],
  run: runWorkerCommand,
};

async function runWorkerCommand(args: ParsedArgs, cliIo: CliIo): Promise<number> {
  const reporter = reporterFor(cliIo, "worker", args);
  const io = reporter.json ? withJsonStdout(cliIo) : cliIo;
  if (args.positionals.length > 0)
    return reportUsage(reporter, usageProblem("InvalidOption", "figs worker takes no files, only options"));
  const url = stringOption(args, "queue");
  if (url === undefined)
    return reportUsage(reporter, usageProblem("MissingOperand", "--queue redis://HOST:PORT is required"));
  const concurrency = concurrencyOption(args);
  if (!concurrency.ok) return reportUsage(reporter, concurrency.diagnostic);
  const controller = new AbortController();
  const stop = installStopOnSignal({
    signals: ["SIGINT", "SIGTERM"],
    onFirstSignal: (signal) => {
      io.stderr.write(`\n${signal}: stopping this worker's jobs; they go back to the queue\n`);
      controller.abort();
    },
  });
  try {
    const { runWorker } = await import("../../runtime/sweep/worker.js");
    const time = (): string => new Date().toISOString().slice(11, 19);
    const queue = stringOption(args, "sweep");
    const ran = await runWorker({
      url,
      ...(queue === undefined ? {} : { queue }),
      concurrency: concurrency.value,
      figs: figsLauncher(),
      inProcess: runFigsInProcess,
      signal: controller.signal,
      onEvent: (event) => {
        if (event.type === "connected") {
          const header = `worker (pid ${process.pid}): ${concurrency.value} jobs at a time per sweep, from ${url}\n`;
          return void io.stdout.write(header);
        }
        if (event.type === "note") return writeNotes(reporter, [event.diagnostic]);
        if (event.type === "log") return void io.stderr.write(`[${time()}] ${event.text}\n`);
        if (event.type === "serving") return void io.stdout.write(`[${time()}] serving ${event.queue}: ${event.dir}\n`);
        if (event.type === "leaving") return void io.stdout.write(`[${time()}] left ${event.queue}\n`);
        const what = event.type === "started" && event.resumed ? "resumed " : `${event.type.padEnd(8)}`;
        const detail = event.type === "ended" ? `  (${event.detail})` : "";
        io.stdout.write(`[${time()}] ${what} ${describeJob(event.job)}${detail}\n`);
      },
    });
    if (!ran.ok) return report(reporter, [ran.diagnostic]);
    return 0;
  } finally {
    stop.dispose();
  }
}

function concurrencyOption(args: ParsedArgs): Result<number> {
  const text = stringOption(args, "concurrency");
  if (text === undefined) return ok(Math.max(1, availableParallelism()));
  const value = Number(text);
  return Number.isInteger(value) && value >= 1 && value <= 256
    ? ok(value)
    : invalidOption(`--concurrency must be a whole number from 1 to 256, got '${text}'`);
}
