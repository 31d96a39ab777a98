// Ctrl-C during a long search should not throw away the run: the first SIGINT
// only raises a flag that the training loop polls between steps, so it can
// save a checkpoint and stop cleanly. A second SIGINT means "stop now" and
// gets the signal's default behaviour (the process ends).

export interface StopRequest {
  /** True once a stop signal arrived; the loop checks it between steps. */
  readonly requested: boolean;
  /** The signal that asked to stop, if any. */
  readonly signal: NodeJS.Signals | undefined;
  /** Removes the handlers; call it when the loop ends, in a finally. */
  dispose(): void;
}

export interface StopOptions {
  /** Default ["SIGINT"]; SIGTERM is a common addition. */
  readonly signals?: readonly NodeJS.Signals[];
  /** Called once on the first signal, e.g. to print "saving a checkpoint, press Ctrl-C again to quit". */
  readonly onFirstSignal?: (signal: NodeJS.Signals) => void;
  /** What a second signal does; by default the handlers are removed and the signal is raised again. */
  readonly onSecondSignal?: (signal: NodeJS.Signals) => void;
}

function raiseAgain(signal: NodeJS.Signals): void {
  process.kill(process.pid, signal);
}

export function installStopOnSignal(options: StopOptions = {}): StopRequest {
  const signals = options.signals ?? ["SIGINT"];
  let received: NodeJS.Signals | undefined;
  let installed = true;
  const dispose = (): void => {
    if (!installed) return;
    installed = false;
    for (const signal of signals) process.removeListener(signal, handler);
  };
  const handler = (signal: NodeJS.Signals): void => {
    if (received === undefined) {
      received = signal;
      options.onFirstSignal?.(signal);
      return;
    }
    // Without our listener Node applies the default action to the re-raised signal.
    dispose();
    (options.onSecondSignal ?? raiseAgain)(signal);
  };
  for (const signal of signals) process.on(signal, handler);
  return {
    get requested() {
      return received !== undefined;
    },
    get signal() {
      return received;
    },
    dispose,
  };
}
