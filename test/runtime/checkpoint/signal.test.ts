import { describe, expect, it } from "vitest";
import { installStopOnSignal } from "../../../runtime/checkpoint/signal.js";

// process.emit runs the listeners without delivering a real signal to the test process.
describe("stop on SIGINT", () => {
  it("raises a flag on the first signal and removes its handler on dispose", () => {
    const listenersBefore = process.listenerCount("SIGINT");
    const seen: string[] = [];
    const stop = installStopOnSignal({ onFirstSignal: (signal) => seen.push(signal) });
    expect(process.listenerCount("SIGINT")).toBe(listenersBefore + 1);
    expect(stop.requested).toBe(false);
    process.emit("SIGINT", "SIGINT");
    expect(stop.requested).toBe(true);
    expect(stop.signal).toBe("SIGINT");
    expect(seen).toEqual(["SIGINT"]);
    stop.dispose();
    stop.dispose();
    expect(process.listenerCount("SIGINT")).toBe(listenersBefore);
  });

  it("hands a second signal to onSecondSignal after removing its handlers", () => {
    const listenersBefore = process.listenerCount("SIGTERM");
    const second: string[] = [];
    const stop = installStopOnSignal({
      signals: ["SIGINT", "SIGTERM"],
      onSecondSignal: (signal) => second.push(signal),
    });
    process.emit("SIGTERM", "SIGTERM");
    expect(stop.signal).toBe("SIGTERM");
    expect(second).toEqual([]);
    process.emit("SIGINT", "SIGINT");
    expect(second).toEqual(["SIGINT"]);
    expect(process.listenerCount("SIGTERM")).toBe(listenersBefore);
    stop.dispose();
  });
});
