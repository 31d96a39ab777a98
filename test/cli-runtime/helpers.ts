// Running the figs CLI for the search/export/retrain tests: in-process with
// memory streams (fast, for bad input), or as a child process (for signals).
import { spawn, type ChildProcess } from "node:child_process";
import { main } from "../../cli/main.js";
import { memoryIo } from "../cli/helpers.js";

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export async function figs(argv: readonly string[], cwd = process.cwd()): Promise<CliRun> {
  const memory = memoryIo({ cwd });
  const code = await main(argv, memory.io);
  return { code, stdout: memory.stdout(), stderr: memory.stderr() };
}

/**
 * `tsx cli/main.ts …` in the repo root, as a real process. Node itself runs it
 * (`node --import tsx`), not `npx tsx`: a SIGKILL to npx would not reach the
 * node process doing the work, and the "killed" search would go on.
 */
export function spawnFigs(argv: readonly string[]): ChildProcess {
  return spawn(process.execPath, ["--import", "tsx", "cli/main.ts", ...argv], {
    cwd: process.cwd(),
    stdio: ["ignore", "ignore", "ignore"],
  });
}

export function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => child.once("exit", (code) => resolve(code)));
}

/** Polls until `ready()` holds; resolves false if the child exits first. */
export function waitFor(child: ChildProcess, ready: () => boolean): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setInterval(() => {
      if (ready()) {
        clearInterval(timer);
        resolve(true);
      }
    }, 100);
    child.once("exit", () => {
      clearInterval(timer);
      resolve(ready());
    });
  });
}

export const SMALL = [
  "spaces/mnist_convnet.figs",
  "--set",
  "width=8,hidden=32",
  "--limit",
  "2000",
  "--test-limit",
  "2000",
  "--batch",
  "32",
  "--backend",
  "wasm",
  "--threads",
  "1",
] as const;
