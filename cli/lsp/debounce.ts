/**
 * Per-key debouncing with a leading edge: the first change after a quiet
 * spell runs at once (an edit made after a pause gets its diagnostics
 * without waiting), while changes arriving within `delay` of the previous
 * one are coalesced into one run `delay` after the last of them (typing
 * does not compile on every keystroke).
 */
export interface Timers {
  now(): number;
  set(run: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

export const realTimers: Timers = {
  now: () => performance.now(),
  set: (run, ms) => setTimeout(run, ms),
  clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export class Debouncer {
  private readonly pending = new Map<string, unknown>();
  private readonly lastCall = new Map<string, number>();

  constructor(
    private readonly delay: number,
    private readonly run: (key: string) => void,
    private readonly timers: Timers = realTimers,
  ) {}

  /** A change to `key`: runs now after a quiet spell, else once, `delay` after the last change. */
  call(key: string): void {
    const now = this.timers.now();
    const last = this.lastCall.get(key);
    this.lastCall.set(key, now);
    const waiting = this.pending.get(key);
    if (waiting !== undefined) this.timers.clear(waiting);
    const quiet = last === undefined || now - last >= this.delay;
    if (quiet && waiting === undefined) {
      this.pending.delete(key);
      this.run(key);
      return;
    }
    this.pending.set(
      key,
      this.timers.set(() => {
        this.pending.delete(key);
        this.run(key);
      }, this.delay),
    );
  }

  cancel(key: string): void {
    const waiting = this.pending.get(key);
    if (waiting !== undefined) this.timers.clear(waiting);
    this.pending.delete(key);
    this.lastCall.delete(key);
  }
}
