/**
 * A job's `figs` child stops when the process that started it dies, even by
 * kill -9 (which no handler sees): the executor spawns it with standard input
 * a pipe it never writes to and STOP_WITH_PARENT set. The pipe's write end
 * closes with the parent, the child reads end-of-file, and stops as on
 * SIGTERM: a search or retraining saves a checkpoint and exits, any other
 * command ends. Otherwise the job, given to another worker, would have two
 * processes writing its folder. Kept free of imports: cli/main.ts loads it
 * before any command.
 */

/** The environment variable that asks `figs` to stop when its standard input closes. */
export const STOP_WITH_PARENT = "FIGS_STOP_WITH_PARENT";

/** What watching needs of the process: its environment, standard input, and a way to stop itself. */
export interface WatchedProcess {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stdin: NodeJS.ReadableStream & { unref?(): void; destroy?(): void };
  stop(): void;
}

/**
 * With STOP_WITH_PARENT=1, stops the process (once) when standard input ends
 * or closes; the watch never keeps the process alive. Returns what ends the
 * watch (call it when the command returned).
 */
export function stopWithParent(watched: WatchedProcess): () => void {
  if (watched.env[STOP_WITH_PARENT] !== "1") return () => undefined;
  const { stdin } = watched;
  let watching = true;
  const parentGone = (): void => {
    if (!watching) return;
    watching = false;
    watched.stop();
  };
  stdin.on("end", parentGone);
  stdin.on("close", parentGone);
  stdin.on("error", parentGone);
  // Nothing is ever written: data is dropped, and reading must flow for "end" to come.
  stdin.on("data", () => undefined);
  stdin.resume();
  stdin.unref?.();
  return () => {
    watching = false;
    stdin.removeListener("end", parentGone);
    stdin.removeListener("close", parentGone);
    stdin.destroy?.();
  };
}
