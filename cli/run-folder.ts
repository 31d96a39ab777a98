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
import { report, writeNotes, type Reporter } from "./report.js";

export interface Failure {
  readonly exit: number;
}

/** Checks the folder a run would write, writing nothing. */
export function checkRunFolder(to: Reporter, request: OutputRequest): { readonly plan: OutputPlan } | Failure {
  const checked = checkOutput(request);
  return checked.ok ? { plan: checked.value } : { exit: report(to, [checked.diagnostic]) };
}

/** Creates or takes over the checked folder and locks it; says so when it took over a stale lock. */
export function openRunFolder(to: Reporter, plan: OutputPlan): { readonly folder: RunFolder } | Failure {
  const opened = openOutput(plan);
  if (!opened.ok) return { exit: report(to, [opened.diagnostic]) };
  writeNotes(to, opened.value.notes);
  return { folder: opened.value };
}

/** The lock of an existing run folder, for commands that write into one (figs export). */
export function lockRunFolder(to: Reporter, dir: string): { readonly lock: FolderLock } | Failure {
  const locked = acquireLock(dir);
  if (!locked.ok) return { exit: report(to, [locked.diagnostic]) };
  writeNotes(to, locked.value.notes);
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
