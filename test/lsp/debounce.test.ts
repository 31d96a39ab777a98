/** The leading-edge debounce of the checker (cli/lsp/debounce.ts), on a fake clock. */
import { describe, expect, it } from "vitest";
import { Debouncer, type Timers } from "../../cli/lsp/debounce.js";

function fakeClock() {
  let now = 0;
  let next = 0;
  const pending = new Map<number, { at: number; run: () => void }>();
  const timers: Timers = {
    now: () => now,
    set: (run, ms) => {
      pending.set(++next, { at: now + ms, run });
      return next;
    },
    clear: (handle) => void pending.delete(handle as number),
  };
  const advance = (ms: number) => {
    now += ms;
    for (const [handle, timer] of [...pending].sort((a, b) => a[1].at - b[1].at))
      if (timer.at <= now) {
        pending.delete(handle);
        timer.run();
      }
  };
  return { timers, advance };
}

describe("Debouncer", () => {
  it("runs a change after a quiet spell at once", () => {
    const clock = fakeClock();
    const runs: string[] = [];
    const debouncer = new Debouncer(150, (key) => runs.push(key), clock.timers);
    debouncer.call("a");
    expect(runs).toEqual(["a"]);
    clock.advance(200);
    debouncer.call("a");
    expect(runs).toEqual(["a", "a"]);
  });

  it("coalesces changes that come faster than the delay into one run after the last", () => {
    const clock = fakeClock();
    const runs: string[] = [];
    const debouncer = new Debouncer(150, (key) => runs.push(key), clock.timers);
    debouncer.call("a");
    for (let keystroke = 0; keystroke < 5; keystroke++) {
      clock.advance(50);
      debouncer.call("a");
    }
    expect(runs).toEqual(["a"]);
    clock.advance(149);
    expect(runs).toEqual(["a"]);
    clock.advance(1);
    expect(runs).toEqual(["a", "a"]);
  });

  it("keeps keys apart, and a cancelled key does not run", () => {
    const clock = fakeClock();
    const runs: string[] = [];
    const debouncer = new Debouncer(150, (key) => runs.push(key), clock.timers);
    debouncer.call("a");
    debouncer.call("b");
    clock.advance(10);
    debouncer.call("a");
    debouncer.call("b");
    debouncer.cancel("b");
    clock.advance(500);
    expect(runs).toEqual(["a", "b", "a"]);
  });
});
