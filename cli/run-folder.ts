/**
 * The run folder of `figs search` and `figs retrain`, with the command
 * line's messages: checked before anything is written (`checkRunFolder`),
 * then created or taken over under its lock (`openRunFolder`), which the
 * command holds until it returns. The rules are runtime/folders'
 * (docs/architecture.md, "Run folders").
 */
import { resolve } from "node:path";
import {
  acquireLock,
  checkOutput,
  openOutput,
  type FolderLock,
  type OutputPlan,
  type OutputRequest,
  type RunFolder,
} from "../runtime/folders/index.js";
import { ExitCode } from "./command.js";
import type { CliIo } from "./io.js";

export interface Failure {
  readonly exit: number;
}

export function fail(io: CliIo, command: string, message: string): number {
  io.stderr.write(`figs ${command}: error: ${message}\n`);
  return ExitCode.UserError;
}

/** Checks the folder a run would write, writing nothing. */
export function checkRunFolder(
  io: CliIo,
  command: string,
  request: OutputRequest,
): { readonly plan: OutputPlan } | Failure {
  const checked = checkOutput(request);
  return checked.ok ? { plan: checked.value } : { exit: fail(io, command, checked.diagnostic.message) };
}

/** Creates or takes over the checked folder and locks it; says so when it took over a stale lock. */
export function openRunFolder(io: CliIo, command: string, plan: OutputPlan): { readonly folder: RunFolder } | Failure {
  const opened = openOutput(plan);
  if (!opened.ok) return { exit: fail(io, command, opened.diagnostic.message) };
  for (const note of opened.value.notes) io.stderr.write(`figs ${command}: note: ${note}\n`);
  return { folder: opened.value };
}

/** The lock of an existing run folder, for commands that write into one (figs export). */
export function lockRunFolder(io: CliIo, command: string, dir: string): { readonly lock: FolderLock } | Failure {
  const locked = acquireLock(dir);
  if (!locked.ok) return { exit: fail(io, command, locked.diagnostic.message) };
  for (const note of locked.value.notes) io.stderr.write(`figs ${command}: note: ${note}\n`);
  return { lock: locked.value };
}

/** The folders and files a `--data` value reads, resolved as the loaders resolve them. */
export function dataPaths(spec: string): string[] {
  const colon = spec.indexOf(":");
  return colon < 0 ? [] : [resolve(spec.slice(colon + 1))];
}

/** Runs `work` with the folder, letting go of its lock afterwards whatever happens. */
export async function holding<T>(folder: { release(): void }, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } finally {
    folder.release();
  }
}
